-- Who each apprenticeship is waiting on, kept beside it: for each party, since when its oldest
-- open item has waited (NULL: nothing open for that party). These are the items of everyone's
-- inbox (db/inbox.rs, `open_items`) except the review deadline, which moves with the calendar and
-- is computed on read from `next_review_due_by` (domain/inbox.rs, `oldest_waiting`). The caseload's
-- `waiting_on` / `waiting_days` read one row per apprenticeship of the page here instead of every
-- open item of the page's apprenticeships. (A table of its own: these change often, and the
-- apprenticeship row is wide and indexed; no row yet means nothing open.)
--
-- They are recomputed whole, per apprenticeship, by `refresh_waiting` below, run at commit by the
-- deferred triggers at the end of this file whenever a row that is or was an open item changes,
-- so every write path (the API, imports) keeps them without a call of its own. A test checks
-- they equal `db::inbox::oldest_open`, the recomputation from the inbox's own SQL.
CREATE TABLE apprenticeship_waiting (
    apprenticeship_id uuid PRIMARY KEY REFERENCES apprenticeships (id) ON DELETE CASCADE,
    apprentice_since timestamptz,
    employer_since timestamptz,
    provider_since timestamptz
);

-- Recomputes the kept waiting of the given apprenticeships; rows that did not change are not
-- written. Returns how many rows it wrote.
CREATE FUNCTION refresh_waiting(apprenticeship_ids uuid[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    updated integer;
BEGIN
    -- Lock the apprenticeships first, in a statement of its own: the recomputation below is a
    -- new statement, so its snapshot sees every change committed by a transaction that held
    -- them before us (under READ COMMITTED an UPDATE's subqueries would read an older one).
    -- NO KEY UPDATE, as an UPDATE of the row takes: inserts naming the apprenticeship (their
    -- foreign key check) go on meanwhile.
    PERFORM 1 FROM apprenticeships WHERE id = ANY(apprenticeship_ids) ORDER BY id
        FOR NO KEY UPDATE;
    WITH items (apprenticeship_id, holder, waiting_since) AS (
        SELECT s.apprenticeship_id, 'employer'::text, s.evidenced_at
        FROM ksb_statuses s
        WHERE s.apprenticeship_id = ANY(apprenticeship_ids) AND s.status = 'evidenced'
      UNION ALL
        SELECT e.apprenticeship_id, 'provider', coalesce(e.submitted_at, e.updated_at)
        FROM evidence e
        WHERE e.apprenticeship_id = ANY(apprenticeship_ids) AND e.status = 'submitted'
      UNION ALL
        SELECT e.apprenticeship_id, 'apprentice', e.updated_at
        FROM evidence e
        WHERE e.apprenticeship_id = ANY(apprenticeship_ids) AND e.status = 'changes_requested'
      UNION ALL
        SELECT o.apprenticeship_id,
               CASE o.status WHEN 'pending' THEN 'provider' ELSE 'apprentice' END,
               coalesce(o.reviewed_at, o.updated_at)
        FROM otj_entries o
        WHERE o.apprenticeship_id = ANY(apprenticeship_ids) AND o.status IN ('pending', 'rejected')
      UNION ALL
        SELECT r.apprenticeship_id, p.party,
               greatest(r.created_at, (SELECT max(v.voided_at) FROM review_signatures v
                                       WHERE v.review_id = r.id))
        FROM progress_reviews r
        CROSS JOIN (VALUES ('apprentice'), ('employer'), ('provider')) AS p (party)
        WHERE r.apprenticeship_id = ANY(apprenticeship_ids) AND r.status <> 'signed'
          AND NOT EXISTS (SELECT 1 FROM review_signatures g
                          WHERE g.review_id = r.id AND g.role = p.party AND g.voided_at IS NULL)
    ), oldest AS (
        SELECT a.id,
               min(i.waiting_since) FILTER (WHERE i.holder = 'apprentice') AS apprentice,
               min(i.waiting_since) FILTER (WHERE i.holder = 'employer') AS employer,
               min(i.waiting_since) FILTER (WHERE i.holder = 'provider') AS provider
        FROM unnest(apprenticeship_ids) AS a (id)
        LEFT JOIN items i ON i.apprenticeship_id = a.id
        GROUP BY a.id
    )
    INSERT INTO apprenticeship_waiting AS w
        (apprenticeship_id, apprentice_since, employer_since, provider_since)
    SELECT o.id, o.apprentice, o.employer, o.provider
    FROM oldest o JOIN apprenticeships a ON a.id = o.id
    ON CONFLICT (apprenticeship_id) DO UPDATE
        SET apprentice_since = excluded.apprentice_since,
            employer_since = excluded.employer_since,
            provider_since = excluded.provider_since
        WHERE (w.apprentice_since, w.employer_since, w.provider_since)
              IS DISTINCT FROM (excluded.apprentice_since, excluded.employer_since,
                                excluded.provider_since);
    GET DIAGNOSTICS updated = ROW_COUNT;
    RETURN updated;
END
$$;

-- The trigger behind every table below: recomputes the apprenticeship (or, for a signature, the
-- reviewed apprenticeship) of the changed row, old and new.
CREATE FUNCTION refresh_waiting_of_changed_row() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    ids uuid[];
BEGIN
    IF TG_TABLE_NAME = 'review_signatures' THEN
        SELECT array_agg(r.apprenticeship_id) INTO ids FROM progress_reviews r
        WHERE r.id = ANY(CASE TG_OP WHEN 'INSERT' THEN ARRAY[NEW.review_id]
                                    WHEN 'DELETE' THEN ARRAY[OLD.review_id]
                                    ELSE ARRAY[OLD.review_id, NEW.review_id] END);
    ELSIF TG_OP = 'INSERT' THEN
        ids := ARRAY[NEW.apprenticeship_id];
    ELSIF TG_OP = 'DELETE' THEN
        ids := ARRAY[OLD.apprenticeship_id];
    ELSE
        ids := ARRAY[OLD.apprenticeship_id, NEW.apprenticeship_id];
    END IF;
    IF ids IS NOT NULL THEN
        PERFORM refresh_waiting(ids);
    END IF;
    RETURN NULL;
END
$$;

-- Deferred to commit: by then the transaction has made all of its changes (one recomputation
-- sees them all) and holds its other row locks, so the apprenticeship row is locked last. Each
-- trigger fires only for rows that are, or were, an open item.
CREATE CONSTRAINT TRIGGER kept_waiting_insert AFTER INSERT ON ksb_statuses
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.status = 'evidenced')
    EXECUTE FUNCTION refresh_waiting_of_changed_row();
CREATE CONSTRAINT TRIGGER kept_waiting_update AFTER UPDATE ON ksb_statuses
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.status = 'evidenced' OR NEW.status = 'evidenced')
    EXECUTE FUNCTION refresh_waiting_of_changed_row();
CREATE CONSTRAINT TRIGGER kept_waiting_delete AFTER DELETE ON ksb_statuses
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.status = 'evidenced')
    EXECUTE FUNCTION refresh_waiting_of_changed_row();

CREATE CONSTRAINT TRIGGER kept_waiting_insert AFTER INSERT ON evidence
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (NEW.status IN ('submitted', 'changes_requested'))
    EXECUTE FUNCTION refresh_waiting_of_changed_row();
CREATE CONSTRAINT TRIGGER kept_waiting_update AFTER UPDATE ON evidence
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.status IN ('submitted', 'changes_requested')
          OR NEW.status IN ('submitted', 'changes_requested'))
    EXECUTE FUNCTION refresh_waiting_of_changed_row();
CREATE CONSTRAINT TRIGGER kept_waiting_delete AFTER DELETE ON evidence
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.status IN ('submitted', 'changes_requested'))
    EXECUTE FUNCTION refresh_waiting_of_changed_row();

CREATE CONSTRAINT TRIGGER kept_waiting_insert AFTER INSERT ON otj_entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.status IN ('pending', 'rejected'))
    EXECUTE FUNCTION refresh_waiting_of_changed_row();
CREATE CONSTRAINT TRIGGER kept_waiting_update AFTER UPDATE ON otj_entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.status IN ('pending', 'rejected') OR NEW.status IN ('pending', 'rejected'))
    EXECUTE FUNCTION refresh_waiting_of_changed_row();
CREATE CONSTRAINT TRIGGER kept_waiting_delete AFTER DELETE ON otj_entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.status IN ('pending', 'rejected'))
    EXECUTE FUNCTION refresh_waiting_of_changed_row();

CREATE CONSTRAINT TRIGGER kept_waiting_insert AFTER INSERT ON progress_reviews
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.status <> 'signed')
    EXECUTE FUNCTION refresh_waiting_of_changed_row();
CREATE CONSTRAINT TRIGGER kept_waiting_update AFTER UPDATE ON progress_reviews
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.status <> 'signed' OR NEW.status <> 'signed')
    EXECUTE FUNCTION refresh_waiting_of_changed_row();
CREATE CONSTRAINT TRIGGER kept_waiting_delete AFTER DELETE ON progress_reviews
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.status <> 'signed')
    EXECUTE FUNCTION refresh_waiting_of_changed_row();

CREATE CONSTRAINT TRIGGER kept_waiting AFTER INSERT OR UPDATE OR DELETE ON review_signatures
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION refresh_waiting_of_changed_row();

SELECT refresh_waiting(ARRAY(SELECT id FROM apprenticeships));
