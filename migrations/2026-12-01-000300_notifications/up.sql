-- E-mail notifications: the transactional outbox, each person's delivery choice, review
-- reminders already sent, sign-in links, and how a session was signed in.

-- How each person wants to hear about things. No row: the default for their role
-- (`domain::notifications::default_delivery`: mentors a daily digest, everyone else at once).
CREATE TABLE notification_preferences (
    user_id     uuid PRIMARY KEY REFERENCES users (id),
    delivery    text NOT NULL CHECK (delivery IN ('immediate', 'daily_digest', 'off')),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- The outbox: one row per message to one person, written in the same transaction as the change
-- that causes it, so a rolled-back change leaves no message and a committed one always has its
-- message. The delivery worker sends `immediate` rows; `daily_digest` rows wait for the day's
-- digest row, which lists them (`digest_id`) and is sent as one message.
CREATE TABLE outbox (
    id               bigserial PRIMARY KEY,
    recipient_id     uuid NOT NULL REFERENCES users (id),
    -- What happened (`notifications::Kind`): the text is written when the message is sent.
    kind             text NOT NULL,
    -- The facts the message needs (titles, codes, ids, the path of the page that acts on it);
    -- never a secret: sign-in links are made when the message is sent.
    payload          jsonb NOT NULL DEFAULT '{}'::jsonb,
    delivery         text NOT NULL CHECK (delivery IN ('immediate', 'daily_digest')),
    -- pending → sent, or failed after the last attempt; digest items become `digested` once a
    -- digest row lists them; `skipped` when the recipient was deactivated before sending.
    status           text NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'sent', 'failed', 'digested', 'skipped')),
    attempts         int NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz,
    -- Digest rows: the London day they are for (at most one per person per day).
    digest_day       date,
    -- Digest items: the digest that listed them.
    digest_id        bigint REFERENCES outbox (id),
    CONSTRAINT outbox_digest_day_only_on_digests CHECK ((digest_day IS NULL) OR (kind = 'digest'))
);
-- What the worker claims: due immediate rows.
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at, id)
    WHERE status = 'pending' AND delivery = 'immediate';
-- What the digest job gathers.
CREATE INDEX outbox_digest_items_idx ON outbox (recipient_id)
    WHERE status = 'pending' AND delivery = 'daily_digest';
CREATE INDEX outbox_digest_id_idx ON outbox (digest_id) WHERE digest_id IS NOT NULL;
CREATE UNIQUE INDEX outbox_one_digest_a_day ON outbox (recipient_id, digest_day)
    WHERE digest_day IS NOT NULL;
CREATE INDEX outbox_status_idx ON outbox (status, id);

-- Review reminders already written: once per review deadline per threshold, whichever server
-- process runs the job (the primary key is the guarantee).
CREATE TABLE review_reminders (
    apprenticeship_id  uuid NOT NULL REFERENCES apprenticeships (id),
    due_by             date NOT NULL,
    threshold          text NOT NULL CHECK (threshold IN ('due_soon', 'overdue')),
    created_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (apprenticeship_id, due_by, threshold)
);

-- Passwordless sign-in links. `request`: asked for on the sign-in page, valid 15 minutes, void
-- once a newer one is sent. `notification`: inside a notification e-mail, valid 72 hours,
-- opening `target`. Both single use, kept only as the SHA-256 of the token.
CREATE TABLE sign_in_links (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL REFERENCES users (id),
    token_hash  text NOT NULL,
    purpose     text NOT NULL CHECK (purpose IN ('request', 'notification')),
    -- The path to open after signing in (a page of this application).
    target      text NOT NULL DEFAULT '/' CHECK (target LIKE '/%' AND target NOT LIKE '//%'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    -- Set when the link is used, or when a newer request link voids it.
    used_at     timestamptz,
    CONSTRAINT sign_in_links_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX sign_in_links_user_id_idx ON sign_in_links (user_id) WHERE used_at IS NULL;

-- How a session was signed in: with a password, or with a sign-in link.
ALTER TABLE sessions
    ADD COLUMN method text NOT NULL DEFAULT 'password' CHECK (method IN ('password', 'link'));
