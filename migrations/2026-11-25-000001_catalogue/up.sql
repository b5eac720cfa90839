-- The catalogue of apprenticeship standards: a standard version, its duties, its KSBs and the
-- duty <-> KSB links. Evidence (later) points at KSB rows, never at duties, so replacing the links
-- with an official record loses nothing: duty coverage simply follows the new links.

CREATE TABLE standards (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    reference          text NOT NULL CHECK (reference ~ '^ST[0-9]{4}$'),
    version            text NOT NULL CHECK (version ~ '^[0-9]+(\.[0-9]+)*$'),
    title              text NOT NULL CHECK (length(title) > 0),
    level              integer NOT NULL CHECK (level BETWEEN 1 AND 8),
    source             text,
    -- Provenance of the duty <-> KSB links: 'provisional' (inferred) or 'official' (published table).
    mapping_status     text NOT NULL CHECK (mapping_status IN ('provisional', 'official')),
    mapping_note       text NOT NULL DEFAULT '',
    mapping_source     text NOT NULL DEFAULT '',
    mapping_updated_at timestamptz NOT NULL DEFAULT now(),
    created_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT standards_reference_version_key UNIQUE (reference, version)
);

CREATE TABLE duties (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    standard_id uuid NOT NULL REFERENCES standards (id) ON DELETE CASCADE,
    code        text NOT NULL CHECK (code ~ '^D[0-9]+$'),
    text        text NOT NULL,
    position    integer NOT NULL,
    CONSTRAINT duties_standard_code_key UNIQUE (standard_id, code)
);

CREATE TABLE ksbs (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    standard_id uuid NOT NULL REFERENCES standards (id) ON DELETE CASCADE,
    code        text NOT NULL CHECK (code ~ '^[KSB][0-9]+$'),
    kind        text NOT NULL CHECK (kind IN ('knowledge', 'skill', 'behaviour')),
    text        text NOT NULL,
    position    integer NOT NULL,
    CONSTRAINT ksbs_standard_code_key UNIQUE (standard_id, code),
    -- The code's letter and the kind must agree (K = knowledge, S = skill, B = behaviour).
    CONSTRAINT ksbs_code_matches_kind CHECK (left(code, 1) = upper(left(kind, 1)))
);

CREATE TABLE duty_ksbs (
    duty_id uuid NOT NULL REFERENCES duties (id) ON DELETE CASCADE,
    ksb_id  uuid NOT NULL REFERENCES ksbs (id) ON DELETE CASCADE,
    PRIMARY KEY (duty_id, ksb_id)
);
CREATE INDEX duty_ksbs_ksb_id_idx ON duty_ksbs (ksb_id);
