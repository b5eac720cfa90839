-- Every sign-off keeps the SHA-256 of the accepted evidence revisions behind it at the moment it
-- was made (`domain::signoff::content_sha256`), so the record shows what the mentor confirmed
-- even after the evidence changes or is withdrawn.
--
-- Existing sign-offs: the column starts NULL and is filled by `db::signoff_hash::backfill`,
-- which every server runs in the background once started (the API says `null` until then;
-- `demo seed` hashes the sign-offs it loads before it returns). It applies the same
-- rule as a new sign-off to the revision history as it stood at the sign-off's `created_at`
-- (each evidence's latest revision by then, if that revision was accepted and named the KSB),
-- so a backfilled hash is the one the sign-off would have had. It works in batches, skipping
-- rows another server has locked, so several servers starting together share the work. Once
-- every server runs this version, a later migration can make the column NOT NULL.
ALTER TABLE signoffs
    ADD COLUMN content_sha256 text CHECK (content_sha256 ~ '^[0-9a-f]{64}$');
-- What the backfill still has to do.
CREATE INDEX signoffs_unhashed_idx ON signoffs (created_at) WHERE content_sha256 IS NULL;

-- The inbox and the "mine" lists start from the apprenticeships a tutor or a mentor is
-- responsible for.
CREATE INDEX apprenticeships_tutor_id_idx ON apprenticeships (tutor_id);
CREATE INDEX apprenticeships_mentor_id_idx ON apprenticeships (mentor_id);
-- Open items the inbox reads per apprenticeship: evidence waiting, sent back or accepted (the
-- accepted evidence dates a KSB's wait: id and time included, so the scan reads no heap), OTJ
-- entries waiting or rejected, and revoked sign-offs (a re-opened KSB waits since then).
CREATE INDEX evidence_open_idx ON evidence (apprenticeship_id, status) INCLUDE (id, updated_at)
    WHERE status IN ('submitted', 'changes_requested', 'accepted');
CREATE INDEX otj_entries_open_idx ON otj_entries (apprenticeship_id, status)
    WHERE status IN ('pending', 'rejected');
CREATE INDEX signoffs_revoked_idx ON signoffs (apprenticeship_id, ksb_id) INCLUDE (revoked_at)
    WHERE revoked_at IS NOT NULL;
