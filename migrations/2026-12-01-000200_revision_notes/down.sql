ALTER TABLE evidence_revisions DROP COLUMN note;
