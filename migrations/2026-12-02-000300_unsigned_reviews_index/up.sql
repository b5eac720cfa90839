-- The reviews still waiting for a signature, by apprenticeship: the inbox's and the caseload's
-- "review to sign" items (db/inbox.rs) read these few instead of every review. Without it the
-- planner scanned all of progress_reviews (wide rows: each keeps its snapshot) for every
-- caseload page; with it, an index-only scan of the unsigned ones (EXPLAIN in docs/BENCHMARKS.md).
CREATE INDEX progress_reviews_unsigned_idx ON progress_reviews (apprenticeship_id)
    INCLUDE (id, held_on, created_at) WHERE status <> 'signed';
