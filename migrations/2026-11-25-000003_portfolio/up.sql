-- The portfolio: evidence mapped to KSBs, its revisions, reviews and comments, attachments,
-- employer sign-offs, the kept per-KSB status of each apprenticeship, and idempotency keys.

ALTER TABLE apprenticeships ADD COLUMN last_activity_at timestamptz NOT NULL DEFAULT now();

CREATE TABLE evidence (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    apprenticeship_id uuid NOT NULL REFERENCES apprenticeships (id),
    title             text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    description       text NOT NULL DEFAULT '' CHECK (char_length(description) <= 20000),
    kind              text NOT NULL CHECK (kind IN ('observation', 'witness_testimony',
                          'reflective_account', 'work_product', 'professional_discussion',
                          'question_and_answer', 'training_record', 'other')),
    occurred_on       date NOT NULL,
    status            text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted',
                          'accepted', 'changes_requested', 'withdrawn')),
    -- Bumped on every change; the ETag is built from it (optimistic concurrency).
    version           integer NOT NULL DEFAULT 1,
    submitted_at      timestamptz,
    withdrawn_at      timestamptz,
    withdrawn_reason  text,
    created_by        uuid NOT NULL REFERENCES users (id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT evidence_withdrawal_has_reason CHECK ((status = 'withdrawn') = (withdrawn_at IS NOT NULL))
);
CREATE INDEX evidence_apprenticeship_idx ON evidence (apprenticeship_id, created_at);
-- The review queue: submitted evidence, oldest first.
CREATE INDEX evidence_submitted_idx ON evidence (submitted_at) WHERE status = 'submitted';

-- Evidence points at KSB rows (never duties), so replacing duty links loses nothing.
CREATE TABLE evidence_ksbs (
    evidence_id uuid NOT NULL REFERENCES evidence (id) ON DELETE CASCADE,
    ksb_id      uuid NOT NULL REFERENCES ksbs (id),
    PRIMARY KEY (evidence_id, ksb_id)
);
CREATE INDEX evidence_ksbs_ksb_idx ON evidence_ksbs (ksb_id);

-- One row per version of a piece of evidence: nothing an apprentice wrote is ever lost.
CREATE TABLE evidence_revisions (
    id          bigserial PRIMARY KEY,
    evidence_id uuid NOT NULL REFERENCES evidence (id) ON DELETE CASCADE,
    version     integer NOT NULL,
    title       text NOT NULL,
    description text NOT NULL,
    kind        text NOT NULL,
    occurred_on date NOT NULL,
    ksbs        text[] NOT NULL,
    status      text NOT NULL,
    edited_by   uuid NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT evidence_revisions_version_key UNIQUE (evidence_id, version)
);

CREATE TABLE evidence_reviews (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    evidence_id uuid NOT NULL REFERENCES evidence (id) ON DELETE CASCADE,
    reviewer_id uuid NOT NULL REFERENCES users (id),
    decision    text NOT NULL CHECK (decision IN ('accepted', 'changes_requested')),
    feedback    text NOT NULL DEFAULT '' CHECK (char_length(feedback) <= 20000),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX evidence_reviews_evidence_idx ON evidence_reviews (evidence_id, created_at);

CREATE TABLE evidence_comments (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    evidence_id uuid NOT NULL REFERENCES evidence (id) ON DELETE CASCADE,
    author_id   uuid NOT NULL REFERENCES users (id),
    body        text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 5000),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX evidence_comments_evidence_idx ON evidence_comments (evidence_id, created_at);

CREATE TABLE attachments (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    evidence_id  uuid NOT NULL REFERENCES evidence (id) ON DELETE CASCADE,
    filename     text NOT NULL CHECK (char_length(filename) BETWEEN 1 AND 255),
    -- Detected from the bytes, not taken from the client.
    content_type text NOT NULL,
    size_bytes   bigint NOT NULL CHECK (size_bytes >= 0),
    sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    storage_key  text NOT NULL UNIQUE,
    uploaded_by  uuid NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachments_evidence_idx ON attachments (evidence_id, created_at);

CREATE TABLE signoffs (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    apprenticeship_id uuid NOT NULL REFERENCES apprenticeships (id),
    ksb_id            uuid NOT NULL REFERENCES ksbs (id),
    signed_off_by     uuid NOT NULL REFERENCES users (id),
    comment           text NOT NULL DEFAULT '' CHECK (char_length(comment) <= 5000),
    created_at        timestamptz NOT NULL DEFAULT now(),
    revoked_at        timestamptz,
    revoked_by        uuid REFERENCES users (id),
    revoked_reason    text,
    CONSTRAINT signoffs_revocation_complete CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
-- At most one active sign-off per KSB of an apprenticeship.
CREATE UNIQUE INDEX signoffs_one_active_key ON signoffs (apprenticeship_id, ksb_id) WHERE revoked_at IS NULL;
CREATE INDEX signoffs_apprenticeship_idx ON signoffs (apprenticeship_id, created_at);

-- The status of every KSB of every apprenticeship, kept up to date in the same transaction as
-- each change (recomputed from the raw rows for that apprenticeship), so coverage reads 94 rows
-- and the caseload aggregates this table instead of every evidence row.
CREATE TABLE ksb_statuses (
    apprenticeship_id uuid NOT NULL REFERENCES apprenticeships (id),
    ksb_id            uuid NOT NULL REFERENCES ksbs (id),
    status            text NOT NULL CHECK (status IN ('not_started', 'in_progress', 'evidenced', 'signed_off')),
    draft             integer NOT NULL DEFAULT 0,
    submitted         integer NOT NULL DEFAULT 0,
    accepted          integer NOT NULL DEFAULT 0,
    changes_requested integer NOT NULL DEFAULT 0,
    signed_off_at     timestamptz,
    signed_off_by     uuid REFERENCES users (id),
    PRIMARY KEY (apprenticeship_id, ksb_id)
);
CREATE INDEX ksb_statuses_evidenced_idx ON ksb_statuses (apprenticeship_id) WHERE status = 'evidenced';

-- Safe retries of POSTs that create something: the first response is kept per user and key.
CREATE TABLE idempotency_keys (
    user_id       uuid NOT NULL REFERENCES users (id),
    key           text NOT NULL CHECK (char_length(key) BETWEEN 1 AND 255),
    request_hash  text NOT NULL,
    status        integer,
    response_body jsonb,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);
