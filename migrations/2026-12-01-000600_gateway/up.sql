-- The gateway: English and maths as provider staff record them, and the three declarations that
-- the apprentice is ready for end-point assessment. `apprenticeships.gateway_declared_at` is set
-- in the transaction of the third current declaration and cleared by a withdrawal: while it is
-- set, the portfolio is frozen (evidence, OTJ time and sign-offs answer 409).

CREATE TABLE english_maths (
    apprenticeship_id uuid PRIMARY KEY REFERENCES apprenticeships (id) ON DELETE CASCADE,
    english text NOT NULL CHECK (english IN ('pending', 'achieved', 'exempt')),
    maths text NOT NULL CHECK (maths IN ('pending', 'achieved', 'exempt')),
    note text NOT NULL DEFAULT '' CHECK (char_length(note) <= 2000),
    recorded_by uuid NOT NULL REFERENCES users (id),
    recorded_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE gateway_declarations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    apprenticeship_id uuid NOT NULL REFERENCES apprenticeships (id) ON DELETE CASCADE,
    role text NOT NULL CHECK (role IN ('provider', 'apprentice', 'employer')),
    signer_id uuid NOT NULL REFERENCES users (id),
    signed_at timestamptz NOT NULL DEFAULT now(),
    content_sha256 text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
    voided_at timestamptz,
    voided_by uuid REFERENCES users (id),
    void_reason text CHECK (char_length(void_reason) <= 2000),
    CHECK ((voided_at IS NULL) = (void_reason IS NULL))
);

-- One live declaration per party.
CREATE UNIQUE INDEX gateway_declarations_live
    ON gateway_declarations (apprenticeship_id, role) WHERE voided_at IS NULL;
CREATE INDEX gateway_declarations_apprenticeship ON gateway_declarations (apprenticeship_id, signed_at);

ALTER TABLE apprenticeships ADD COLUMN gateway_declared_at timestamptz;
