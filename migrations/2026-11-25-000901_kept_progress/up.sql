-- Kept progress per apprenticeship and per duty, so the caseload sorts and pages a provider's
-- apprenticeships by an index and shows each row's duties from 10 kept rows, instead of
-- aggregating 94 KSB statuses per apprenticeship on every request. Both are recomputed from
-- `ksb_statuses` in the same transaction as every change that touches a status
-- (`db::progress::refresh`), and after an import replaces a standard's duty links.

ALTER TABLE apprenticeships SET (fillfactor = 90);

ALTER TABLE apprenticeships
    ADD COLUMN ksbs_total       integer NOT NULL DEFAULT 0,
    ADD COLUMN ksbs_in_progress integer NOT NULL DEFAULT 0,
    ADD COLUMN ksbs_evidenced   integer NOT NULL DEFAULT 0,
    ADD COLUMN ksbs_signed_off  integer NOT NULL DEFAULT 0;

-- Share of KSBs evidenced or signed off, and of KSBs signed off: what the caseload sorts and
-- filters by.
ALTER TABLE apprenticeships
    ADD COLUMN progress float8 NOT NULL
        GENERATED ALWAYS AS ((ksbs_evidenced + ksbs_signed_off)::float8 / greatest(ksbs_total, 1)) STORED,
    ADD COLUMN signed_off_share float8 NOT NULL
        GENERATED ALWAYS AS (ksbs_signed_off::float8 / greatest(ksbs_total, 1)) STORED;

CREATE TABLE duty_progress (
    apprenticeship_id uuid NOT NULL REFERENCES apprenticeships (id) ON DELETE CASCADE,
    duty_id           uuid NOT NULL REFERENCES duties (id) ON DELETE CASCADE,
    ksbs              integer NOT NULL,
    -- KSBs of the duty whose status is `evidenced` (not counting `signed_off`).
    evidenced         integer NOT NULL,
    signed_off        integer NOT NULL,
    PRIMARY KEY (apprenticeship_id, duty_id)
);
-- An import that rebuilds a standard's duties deletes their rows through this index.
CREATE INDEX duty_progress_duty_idx ON duty_progress (duty_id);

-- Recomputes the kept progress of the given apprenticeships from their KSB statuses; with
-- `touch`, also marks activity on them now. Called in the transaction of every change that
-- refreshes a status (`db::progress`), by an import that rebuilds a standard's duty links, and
-- by the demo loader. Rows whose figures did not change are not written. A function, so the
-- statement is planned once per connection rather than parsed on every write.
CREATE FUNCTION refresh_progress(apprenticeship_ids uuid[], touch boolean) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    updated integer;
BEGIN
    WITH s AS (
        SELECT s.apprenticeship_id, s.ksb_id, s.status
        FROM ksb_statuses s WHERE s.apprenticeship_id = ANY(apprenticeship_ids)
    ), duty AS (
        INSERT INTO duty_progress AS dp (apprenticeship_id, duty_id, ksbs, evidenced, signed_off)
        SELECT s.apprenticeship_id, dk.duty_id, count(*)::int,
               (count(*) FILTER (WHERE s.status = 'evidenced'))::int,
               (count(*) FILTER (WHERE s.status = 'signed_off'))::int
        FROM s JOIN duty_ksbs dk ON dk.ksb_id = s.ksb_id
        GROUP BY s.apprenticeship_id, dk.duty_id
        ON CONFLICT (apprenticeship_id, duty_id) DO UPDATE
            SET ksbs = excluded.ksbs, evidenced = excluded.evidenced, signed_off = excluded.signed_off
            WHERE (dp.ksbs, dp.evidenced, dp.signed_off)
                  IS DISTINCT FROM (excluded.ksbs, excluded.evidenced, excluded.signed_off)
    )
    UPDATE apprenticeships a
    SET ksbs_total = t.total, ksbs_in_progress = t.in_progress,
        ksbs_evidenced = t.evidenced, ksbs_signed_off = t.signed_off,
        last_activity_at = CASE WHEN touch THEN now() ELSE a.last_activity_at END
    FROM (
        SELECT s.apprenticeship_id, count(*)::int AS total,
               (count(*) FILTER (WHERE s.status = 'in_progress'))::int AS in_progress,
               (count(*) FILTER (WHERE s.status = 'evidenced'))::int AS evidenced,
               (count(*) FILTER (WHERE s.status = 'signed_off'))::int AS signed_off
        FROM s GROUP BY s.apprenticeship_id
    ) t
    WHERE a.id = t.apprenticeship_id
      AND (touch OR (a.ksbs_total, a.ksbs_in_progress, a.ksbs_evidenced, a.ksbs_signed_off)
                    IS DISTINCT FROM (t.total, t.in_progress, t.evidenced, t.signed_off));
    GET DIAGNOSTICS updated = ROW_COUNT;
    RETURN updated;
END
$$;

SELECT refresh_progress(ARRAY(SELECT id FROM apprenticeships), false);

-- The caseload's default order: a provider's apprenticeships by progress (ties, by inactivity,
-- are put in order by an incremental sort). Deliberately without `last_activity_at`, which
-- every change sets: a change that leaves progress alone then updates no index (a HOT update,
-- helped by the free space left in each page).
CREATE INDEX apprenticeships_provider_progress_idx ON apprenticeships (provider_id, progress);

-- The caseload no longer aggregates statuses; the covering index only slowed status updates.
DROP INDEX ksb_statuses_progress_idx;
