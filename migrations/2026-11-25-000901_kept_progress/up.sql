-- Kept progress per apprenticeship and per duty, so the caseload sorts and pages a provider's
-- apprenticeships by an index and shows each row's duties from 10 kept rows, instead of
-- aggregating 94 KSB statuses per apprenticeship on every request. Every change to a portfolio
-- moves them by the statuses it moved, in its transaction (`db::progress::apply`); they are
-- computed whole from `ksb_statuses` by `refresh_progress` below for a new apprenticeship, after
-- an import replaces a standard's duty links, and by the demo loader.

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
    -- Covering: the caseload reads a page's duty rows from the index alone.
    PRIMARY KEY (apprenticeship_id, duty_id) INCLUDE (ksbs, evidenced, signed_off)
);
-- An import that rebuilds a standard's duties deletes their rows through this index.
CREATE INDEX duty_progress_duty_idx ON duty_progress (duty_id);

-- Recomputes the kept progress of the given apprenticeships from their KSB statuses (one row
-- for every duty of their standard, also a duty without KSBs); with
-- `touch`, also marks activity on them now. Rows whose figures did not change are not written.
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
        SELECT a.id, d.id, count(s.ksb_id)::int,
               (count(*) FILTER (WHERE s.status = 'evidenced'))::int,
               (count(*) FILTER (WHERE s.status = 'signed_off'))::int
        FROM apprenticeships a
        JOIN duties d ON d.standard_id = a.standard_id
        LEFT JOIN duty_ksbs dk ON dk.duty_id = d.id
        LEFT JOIN s ON s.apprenticeship_id = a.id AND s.ksb_id = dk.ksb_id
        WHERE a.id = ANY(apprenticeship_ids)
        GROUP BY a.id, d.id
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

-- The share of an apprenticeship's planned time that has passed today, between 0 and 1: the
-- caseload's "behind plan" compares the signed-off share with it.
CREATE FUNCTION elapsed_share(start_date date, expected_end_date date) RETURNS float8
LANGUAGE sql STABLE AS $$
    SELECT least(1.0, greatest(0.0,
        (current_date - start_date)::float8 / greatest(expected_end_date - start_date, 1)))
$$;

-- The caseload's default order: a provider's apprenticeships by progress (ties, by inactivity,
-- are put in order by an incremental sort). Deliberately without `last_activity_at`, which
-- every change sets: a change that leaves progress alone then updates no index (a HOT update,
-- helped by the free space left in each page).
CREATE INDEX apprenticeships_provider_progress_idx ON apprenticeships (provider_id, progress);

-- The caseload no longer aggregates statuses. Coverage reads an apprenticeship's 94 rows, which
-- lie on about as many heap pages; with every column in the primary key it reads two or three
-- index pages instead (an index-only scan). Changes rewrite only the rows they move.
DROP INDEX ksb_statuses_progress_idx;
ALTER TABLE ksb_statuses
    DROP CONSTRAINT ksb_statuses_pkey,
    ADD CONSTRAINT ksb_statuses_pkey PRIMARY KEY (apprenticeship_id, ksb_id)
        INCLUDE (status, draft, submitted, accepted, changes_requested, signed_off_at, signed_off_by);
