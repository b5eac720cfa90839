CREATE INDEX ksb_statuses_progress_idx ON ksb_statuses (apprenticeship_id) INCLUDE (status);
DROP INDEX apprenticeships_provider_progress_idx;
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
