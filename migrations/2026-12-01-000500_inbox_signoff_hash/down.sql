DROP INDEX signoffs_revoked_idx;
DROP INDEX otj_entries_open_idx;
DROP INDEX evidence_open_idx;
DROP INDEX apprenticeships_mentor_id_idx;
DROP INDEX apprenticeships_tutor_id_idx;
DROP INDEX signoffs_unhashed_idx;
ALTER TABLE signoffs DROP COLUMN content_sha256;
