ALTER TABLE review_signatures DROP COLUMN origin;
ALTER TABLE progress_reviews DROP COLUMN origin;
ALTER TABLE otj_entries DROP COLUMN origin;
ALTER TABLE signoffs DROP COLUMN origin;
ALTER TABLE evidence_reviews DROP COLUMN origin;
ALTER TABLE evidence DROP COLUMN origin;
ALTER TABLE apprenticeships
    DROP CONSTRAINT apprenticeships_transfer_has_target,
    DROP CONSTRAINT apprenticeships_end_complete,
    DROP COLUMN origin,
    DROP COLUMN transferred_to,
    DROP COLUMN ended_at,
    DROP COLUMN status;
