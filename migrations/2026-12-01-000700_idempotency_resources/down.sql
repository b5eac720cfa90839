DROP INDEX idempotency_keys_created_at_idx;
ALTER TABLE idempotency_keys
    DROP CONSTRAINT idempotency_keys_created_pair,
    DROP COLUMN created_id,
    DROP COLUMN created_kind;
