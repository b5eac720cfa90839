-- A revision may note a change that is not part of the evidence's content, such as an attachment
-- removed while the evidence was a draft or sent back. NULL: the revision is a content snapshot
-- only. The file itself is gone from storage, so the note keeps its name on the record.
ALTER TABLE evidence_revisions
    ADD COLUMN note text,
    ADD CONSTRAINT evidence_revisions_note_length CHECK (char_length(note) <= 1000);
