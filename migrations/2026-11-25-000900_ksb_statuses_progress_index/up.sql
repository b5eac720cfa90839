-- The caseload sorts a provider's whole caseload by progress, which it computes per
-- apprenticeship from the 94 kept KSB statuses. With only the primary key, that reads 94 heap
-- tuples per apprenticeship (spread over as many pages, since every change upserts them); with
-- `status` in the index it is an index-only scan. Measured on 500 apprenticeships per provider:
-- the page query went from 22-43 ms to 7.5 ms (docs/BENCHMARKS.md). Upserts that leave a row's
-- status unchanged (most of the 94 rows of each refresh) can still be HOT updates.
CREATE INDEX ksb_statuses_progress_idx ON ksb_statuses (apprenticeship_id) INCLUDE (status);
