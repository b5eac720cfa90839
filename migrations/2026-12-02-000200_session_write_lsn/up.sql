-- Read-your-writes with a read replica (DATABASE_READ_URL): after each write request, the
-- primary's WAL position is stored on every live session of the user who wrote. A later request
-- of that user reads from the replica only once the replica has replayed up to it
-- (`db::replica`). NULL: no write recorded, any caught-up replica will do. Not indexed, so the
-- update stays a HOT update.
ALTER TABLE sessions ADD COLUMN last_write_lsn pg_lsn;
