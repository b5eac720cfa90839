-- Security hardening: who deactivated a user (only an administrator may undo an administrator's
-- deactivation), an absolute lifetime for sign-in sessions, and a per-account sign-in throttle
-- that is counted before any password is checked.

ALTER TABLE users
    ADD COLUMN deactivated_at timestamptz,
    ADD COLUMN deactivated_by uuid REFERENCES users (id);

-- A session ends at `expires_at` whatever its refresh tokens say (the absolute lifetime; each
-- refresh token gives the sliding one). Existing sessions get 30 days from their start.
ALTER TABLE sessions
    ADD COLUMN expires_at timestamptz;
UPDATE sessions SET expires_at = created_at + interval '30 days';
ALTER TABLE sessions
    ALTER COLUMN expires_at SET NOT NULL,
    ALTER COLUMN expires_at SET DEFAULT now() + interval '30 days';

-- One row per account (lower-cased e-mail, existing or not, so the answer never tells which
-- e-mails exist). `attempts` counts sign-ins admitted since the last lock or success, including
-- ones still being checked, so concurrent guesses cannot exceed the limit; `lockouts` counts the
-- locks since the last success and makes each lock longer than the one before.
CREATE TABLE sign_in_throttle (
    email           text PRIMARY KEY,
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    lockouts        integer NOT NULL DEFAULT 0 CHECK (lockouts >= 0),
    locked_until    timestamptz,
    last_attempt_at timestamptz NOT NULL DEFAULT now()
);

-- login_failures now holds every admitted sign-in attempt of a client address; a successful
-- sign-in removes only its own row, never the address's other failures.
COMMENT ON TABLE login_failures IS
    'Sign-in attempts per client address within the throttle window; a success removes only its own row.';
