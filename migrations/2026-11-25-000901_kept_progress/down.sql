ALTER TABLE ksb_statuses
    DROP CONSTRAINT ksb_statuses_pkey,
    ADD CONSTRAINT ksb_statuses_pkey PRIMARY KEY (apprenticeship_id, ksb_id);
CREATE INDEX ksb_statuses_progress_idx ON ksb_statuses (apprenticeship_id) INCLUDE (status);
DROP INDEX apprenticeships_provider_progress_idx;
DROP FUNCTION elapsed_share(date, date);
DROP FUNCTION refresh_progress(uuid[], boolean);
DROP TABLE duty_progress;
ALTER TABLE apprenticeships
    DROP COLUMN signed_off_share,
    DROP COLUMN progress,
    DROP COLUMN ksbs_signed_off,
    DROP COLUMN ksbs_evidenced,
    DROP COLUMN ksbs_in_progress,
    DROP COLUMN ksbs_total;
ALTER TABLE apprenticeships RESET (fillfactor);
