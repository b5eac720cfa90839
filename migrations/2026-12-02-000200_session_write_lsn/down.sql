ALTER TABLE sessions DROP COLUMN last_write_lsn;
