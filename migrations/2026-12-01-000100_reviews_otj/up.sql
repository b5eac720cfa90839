-- Progress reviews, off-the-job (OTJ) training and breaks in learning: what providers are funded
-- and inspected on. The rules themselves live in `src/domain/{otj,review,breaks}.rs`; the
-- constraints here guard the invariants those rules keep.

-- A standard's published minimum of OTJ hours, where Skills England publishes one. NULL: none
-- published, so the funded minimum of 187 hours is the floor.
ALTER TABLE standards
    ADD COLUMN minimum_otj_hours integer CHECK (minimum_otj_hours BETWEEN 1 AND 20000);

ALTER TABLE apprenticeships
    -- Bumped by every change to the editable fields (mentor, tutor, expected end date, OTJ
    -- plan); `PATCH` needs it back in `If-Match`. Kept figures moving do not bump it.
    ADD COLUMN version integer NOT NULL DEFAULT 1,
    -- The OTJ plan. NULL: none yet (apprenticeships enrolled before plans existed say
    -- `no_plan`). The floor depends on the standard's minimum and the RPL, so the application
    -- checks it; the database keeps the bound every plan meets whatever the standard.
    ADD COLUMN planned_otj_hours integer CHECK (planned_otj_hours BETWEEN 187 AND 20000),
    ADD COLUMN rpl_reduction_hours integer NOT NULL DEFAULT 0
        CHECK (rpl_reduction_hours BETWEEN 0 AND 20000),
    -- Kept OTJ figures: minutes of approved and of pending entries. Each change moves them by its
    -- own delta under the apprenticeship's row lock, in its transaction (`db::otj`), so reading
    -- the summary never sums the entries; a test checks they equal a recomputation.
    ADD COLUMN otj_approved_minutes bigint NOT NULL DEFAULT 0 CHECK (otj_approved_minutes >= 0),
    ADD COLUMN otj_pending_minutes bigint NOT NULL DEFAULT 0 CHECK (otj_pending_minutes >= 0),
    -- Kept review figures, written by every review and break change (`db::reviews::refresh`):
    -- the latest review held, the next deadline (NULL while a break that pauses it is open), how
    -- many reviews are not yet signed by all three parties and the oldest of them, and whether
    -- a break is open. The caseload reads and filters them without touching the reviews.
    ADD COLUMN last_review_on date,
    ADD COLUMN next_review_due_by date,
    ADD COLUMN unsigned_reviews integer NOT NULL DEFAULT 0 CHECK (unsigned_reviews >= 0),
    ADD COLUMN oldest_unsigned_review_on date,
    ADD COLUMN on_break boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT apprenticeships_unsigned_reviews_dated
        CHECK ((unsigned_reviews = 0) = (oldest_unsigned_review_on IS NULL));

-- Existing apprenticeships have had no review: the first is due by the last day of the third
-- calendar month after the month they started (`domain::review::calendar_deadline`).
UPDATE apprenticeships
SET next_review_due_by = (date_trunc('month', start_date) + interval '4 months' - interval '1 day')::date;

-- The caseload's `review_state` filter is a range of deadlines within a provider.
CREATE INDEX apprenticeships_provider_review_due_idx
    ON apprenticeships (provider_id, next_review_due_by);

CREATE TABLE otj_entries (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    apprenticeship_id uuid NOT NULL REFERENCES apprenticeships (id),
    occurred_on       date NOT NULL,
    -- One entry holds at most a day's cap; the cap across a day's entries is checked under the
    -- apprenticeship's row lock, so concurrent entries cannot pass it together.
    minutes           integer NOT NULL CHECK (minutes BETWEEN 1 AND 720),
    activity          text NOT NULL CHECK (activity IN ('taught_session', 'online_learning',
                          'practical_training', 'shadowing', 'mentoring', 'assignment',
                          'industry_visit', 'other')),
    description       text NOT NULL CHECK (char_length(description) BETWEEN 1 AND 2000),
    status            text NOT NULL DEFAULT 'pending'
                          CHECK (status IN ('pending', 'approved', 'rejected')),
    -- Bumped on every change; the ETag is built from it.
    version           integer NOT NULL DEFAULT 1,
    reviewed_by       uuid REFERENCES users (id),
    reviewed_at       timestamptz,
    rejection_reason  text CHECK (char_length(rejection_reason) BETWEEN 1 AND 2000),
    created_by        uuid NOT NULL REFERENCES users (id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    -- A reviewed entry says who reviewed it and when; a pending one (also a rejected entry
    -- edited and sent back) says neither.
    CONSTRAINT otj_entries_review_complete CHECK (
        (status = 'pending') = (reviewed_at IS NULL) AND (reviewed_at IS NULL) = (reviewed_by IS NULL)),
    CONSTRAINT otj_entries_rejection_has_reason CHECK ((status = 'rejected') = (rejection_reason IS NOT NULL))
);
-- Lists by date and the day's total for the cap.
CREATE INDEX otj_entries_apprenticeship_day_idx ON otj_entries (apprenticeship_id, occurred_on);

CREATE TABLE otj_entry_ksbs (
    entry_id uuid NOT NULL REFERENCES otj_entries (id) ON DELETE CASCADE,
    ksb_id   uuid NOT NULL REFERENCES ksbs (id),
    PRIMARY KEY (entry_id, ksb_id)
);
CREATE INDEX otj_entry_ksbs_ksb_idx ON otj_entry_ksbs (ksb_id);

-- A break covers every day from `starts_on` to `ends_on`, both included.
CREATE TABLE learning_breaks (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    apprenticeship_id uuid NOT NULL REFERENCES apprenticeships (id),
    starts_on         date NOT NULL,
    -- NULL while the break is open.
    ends_on           date,
    reason            text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 2000),
    started_by        uuid NOT NULL REFERENCES users (id),
    ended_by          uuid REFERENCES users (id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    ended_at          timestamptz,
    CONSTRAINT learning_breaks_end_not_before_start CHECK (ends_on IS NULL OR ends_on >= starts_on),
    CONSTRAINT learning_breaks_end_complete CHECK (
        (ends_on IS NULL) = (ended_by IS NULL) AND (ends_on IS NULL) = (ended_at IS NULL))
);
-- At most one open break per apprenticeship. Overlapping breaks are refused by the application
-- under the apprenticeship's row lock: an exclusion constraint over a uuid and a date range
-- needs the btree_gist extension, which the embedded cluster's binaries may not carry.
CREATE UNIQUE INDEX learning_breaks_one_open_key ON learning_breaks (apprenticeship_id)
    WHERE ends_on IS NULL;
CREATE INDEX learning_breaks_apprenticeship_idx ON learning_breaks (apprenticeship_id, starts_on);

CREATE TABLE progress_reviews (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    apprenticeship_id uuid NOT NULL REFERENCES apprenticeships (id),
    held_on           date NOT NULL,
    previous_actions  text NOT NULL DEFAULT '' CHECK (char_length(previous_actions) <= 20000),
    progress_notes    text NOT NULL DEFAULT '' CHECK (char_length(progress_notes) <= 20000),
    -- Wellbeing, safeguarding, changes of circumstance.
    concerns          text NOT NULL DEFAULT '' CHECK (char_length(concerns) <= 20000),
    -- [{action, owner, due_on}] (`domain::review::NextAction`).
    next_actions      jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(next_actions) = 'array'),
    -- Coverage totals, duty percentages and the OTJ summary when the review was created, so the
    -- record shows what was discussed whatever changed later. Never updated.
    snapshot          jsonb NOT NULL CHECK (jsonb_typeof(snapshot) = 'object'),
    -- Kept by the application from the signatures and the content hash (`domain::review`):
    -- what the apprenticeship's `unsigned_reviews` counts.
    status            text NOT NULL DEFAULT 'draft'
                          CHECK (status IN ('draft', 'awaiting_signatures', 'signed')),
    version           integer NOT NULL DEFAULT 1,
    created_by        uuid NOT NULL REFERENCES users (id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX progress_reviews_apprenticeship_idx ON progress_reviews (apprenticeship_id, held_on);

-- A signature attests the SHA-256 of the review's canonical content at that moment. Reopening a
-- review voids its signatures (kept, with who voided them and why); a voided signature, or one
-- over other content, never counts.
CREATE TABLE review_signatures (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    review_id      uuid NOT NULL REFERENCES progress_reviews (id),
    role           text NOT NULL CHECK (role IN ('apprentice', 'employer', 'provider')),
    signer_id      uuid NOT NULL REFERENCES users (id),
    content_sha256 text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
    signed_at      timestamptz NOT NULL DEFAULT now(),
    voided_at      timestamptz,
    voided_by      uuid REFERENCES users (id),
    void_reason    text CHECK (char_length(void_reason) BETWEEN 1 AND 2000),
    CONSTRAINT review_signatures_void_complete CHECK (
        (voided_at IS NULL) = (voided_by IS NULL) AND (voided_at IS NULL) = (void_reason IS NULL))
);
-- One live signature per role; a second is a 409 (also for two racing requests).
CREATE UNIQUE INDEX review_signatures_one_per_role_key ON review_signatures (review_id, role)
    WHERE voided_at IS NULL;
CREATE INDEX review_signatures_review_idx ON review_signatures (review_id, signed_at);
