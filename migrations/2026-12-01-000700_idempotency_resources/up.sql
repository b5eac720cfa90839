-- What a creating POST made, when a later request may delete it: a replay after the deletion
-- answers 404 instead of the deleted object. Keys expire 24 hours after their first use.
ALTER TABLE idempotency_keys
    ADD COLUMN created_kind text CHECK (created_kind IN ('evidence', 'attachment', 'otj_entry')),
    ADD COLUMN created_id   uuid,
    ADD CONSTRAINT idempotency_keys_created_pair CHECK ((created_kind IS NULL) = (created_id IS NULL));
CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at);
