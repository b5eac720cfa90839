-- Moving provider: a portfolio exported by one deployment (or one provider of this one) is
-- imported as a new apprenticeship at the receiving provider (`POST /apprenticeships/import`).

-- How an enrolment stands. `transferred`: the apprentice moved provider and their portfolio was
-- imported into a new apprenticeship (`transferred_to`); the old one stays visible to its
-- provider, read-only. An ended enrolment no longer counts against "one active enrolment per
-- standard".
ALTER TABLE apprenticeships
    ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'transferred')),
    ADD COLUMN ended_at timestamptz,
    ADD COLUMN transferred_to uuid REFERENCES apprenticeships (id),
    -- Where an imported apprenticeship came from (the source deployment, provider, original
    -- ids, when it was exported); NULL for one enrolled here.
    ADD COLUMN origin jsonb CHECK (origin IS NULL OR jsonb_typeof(origin) = 'object'),
    ADD CONSTRAINT apprenticeships_end_complete CHECK ((status = 'active') = (ended_at IS NULL)),
    ADD CONSTRAINT apprenticeships_transfer_has_target
        CHECK ((status = 'transferred') = (transferred_to IS NOT NULL));

-- Imported history: each imported row keeps its origin (the original id, and the names of the
-- people who acted on it, who may not exist here). NULL: the row was made here. The user
-- columns of an imported row name the apprentice for what the apprentice did and the importing
-- member of staff for everything else; the origin says who it really was.
ALTER TABLE evidence
    ADD COLUMN origin jsonb CHECK (origin IS NULL OR jsonb_typeof(origin) = 'object');
ALTER TABLE evidence_reviews
    ADD COLUMN origin jsonb CHECK (origin IS NULL OR jsonb_typeof(origin) = 'object');
ALTER TABLE signoffs
    ADD COLUMN origin jsonb CHECK (origin IS NULL OR jsonb_typeof(origin) = 'object');
ALTER TABLE otj_entries
    ADD COLUMN origin jsonb CHECK (origin IS NULL OR jsonb_typeof(origin) = 'object');
ALTER TABLE progress_reviews
    ADD COLUMN origin jsonb CHECK (origin IS NULL OR jsonb_typeof(origin) = 'object');
ALTER TABLE review_signatures
    ADD COLUMN origin jsonb CHECK (origin IS NULL OR jsonb_typeof(origin) = 'object');
