-- The moment each KSB became `evidenced` (ready to sign off), kept on its status row like the
-- other kept figures, so the inbox and the caseload's `waiting_on` read one column instead of
-- grouping every accepted evidence×KSB row of the page. `db::ksb_statuses::apply` sets it to
-- the transaction's time when a KSB becomes evidenced, leaves it alone while it stays
-- evidenced, and clears it when the KSB leaves evidenced (signed off, or its accepted evidence
-- withdrawn).
--
-- The backfill (and `db::ksb_statuses::compute`, which recomputes it from the raw rows) uses the
-- definition the inbox used before: the later of the first acceptance still standing among the
-- KSB's evidence and its latest revoked sign-off (a revocation makes the KSB evidenced again).
-- Accepted evidence is frozen, so its `updated_at` is the moment it was accepted. `now()` if
-- neither exists, which the status rule does not allow (evidenced means accepted evidence).
ALTER TABLE ksb_statuses ADD COLUMN evidenced_at timestamptz;

UPDATE ksb_statuses s
SET evidenced_at = coalesce(greatest(w.since, w.at), now())
FROM (
    SELECT s2.apprenticeship_id, s2.ksb_id, acc.since, rev.at
    FROM ksb_statuses s2
    LEFT JOIN (
        SELECT e.apprenticeship_id, ek.ksb_id, min(e.updated_at) AS since
        FROM evidence e JOIN evidence_ksbs ek ON ek.evidence_id = e.id
        WHERE e.status = 'accepted' GROUP BY 1, 2
    ) acc ON acc.apprenticeship_id = s2.apprenticeship_id AND acc.ksb_id = s2.ksb_id
    LEFT JOIN (
        SELECT so.apprenticeship_id, so.ksb_id, max(so.revoked_at) AS at
        FROM signoffs so WHERE so.revoked_at IS NOT NULL GROUP BY 1, 2
    ) rev ON rev.apprenticeship_id = s2.apprenticeship_id AND rev.ksb_id = s2.ksb_id
    WHERE s2.status = 'evidenced'
) w
WHERE s.apprenticeship_id = w.apprenticeship_id AND s.ksb_id = w.ksb_id;

ALTER TABLE ksb_statuses ADD CONSTRAINT ksb_statuses_evidenced_at_check
    CHECK ((evidenced_at IS NOT NULL) = (status = 'evidenced'));

-- The evidenced rows of a page with their KSB and moment, from the index alone (an index-only
-- scan of the page's evidenced rows), as the primary key serves every other column.
DROP INDEX ksb_statuses_evidenced_idx;
CREATE INDEX ksb_statuses_evidenced_idx ON ksb_statuses (apprenticeship_id)
    INCLUDE (ksb_id, evidenced_at) WHERE status = 'evidenced';
