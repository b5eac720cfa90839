DROP INDEX ksb_statuses_evidenced_idx;
CREATE INDEX ksb_statuses_evidenced_idx ON ksb_statuses (apprenticeship_id) WHERE status = 'evidenced';
ALTER TABLE ksb_statuses DROP CONSTRAINT ksb_statuses_evidenced_at_check;
ALTER TABLE ksb_statuses DROP COLUMN evidenced_at;
