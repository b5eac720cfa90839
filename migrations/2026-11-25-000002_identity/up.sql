-- Identity and access: organisations, users, sign-in sessions with rotating refresh tokens,
-- failed-login records for throttling, apprenticeships, and the append-only audit trail.

CREATE TABLE organisations (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name       text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    kind       text NOT NULL CHECK (kind IN ('provider', 'employer')),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX organisations_name_key ON organisations (lower(name));

CREATE TABLE users (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email           text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    name            text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    role            text NOT NULL CHECK (role IN ('admin', 'provider', 'employer', 'apprentice')),
    organisation_id uuid REFERENCES organisations (id),
    -- The provider organisation whose staff created this user: it keeps them in that provider's
    -- view before any apprenticeship links them.
    created_by_organisation_id uuid REFERENCES organisations (id),
    -- Argon2id PHC string (algorithm, parameters, salt and hash); never the password.
    password_hash   text NOT NULL,
    active          boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    -- Platform admins belong to no organisation; everyone else belongs to exactly one.
    CONSTRAINT users_admin_has_no_organisation CHECK ((role = 'admin') = (organisation_id IS NULL))
);
-- Emails are unique whatever their case.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_organisation_id_idx ON users (organisation_id);
CREATE INDEX users_created_by_organisation_id_idx ON users (created_by_organisation_id);

-- One row per sign-in. Every refresh token of a sign-in belongs to its session ("family"):
-- revoking the session ends the refresh tokens and the access tokens (claim `sid`) at once.
CREATE TABLE sessions (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    revoked_reason text
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

CREATE TABLE refresh_tokens (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    session_id  uuid NOT NULL REFERENCES sessions (id),
    -- SHA-256 of the opaque token; the token itself is never stored.
    token_hash  text NOT NULL,
    expires_at  timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- Set when the token is exchanged; presenting it again is reuse.
    used_at     timestamptz,
    CONSTRAINT refresh_tokens_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX refresh_tokens_session_id_idx ON refresh_tokens (session_id);

CREATE TABLE login_failures (
    id           bigserial PRIMARY KEY,
    email        text NOT NULL,
    client_addr  text NOT NULL,
    failed_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_email_idx ON login_failures (lower(email), failed_at);
CREATE INDEX login_failures_client_addr_idx ON login_failures (client_addr, failed_at);

CREATE TABLE apprenticeships (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    apprentice_id     uuid NOT NULL REFERENCES users (id),
    standard_id       uuid NOT NULL REFERENCES standards (id),
    employer_id       uuid NOT NULL REFERENCES organisations (id),
    provider_id       uuid NOT NULL REFERENCES organisations (id),
    mentor_id         uuid NOT NULL REFERENCES users (id),
    tutor_id          uuid NOT NULL REFERENCES users (id),
    start_date        date NOT NULL,
    expected_end_date date NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT apprenticeships_dates_in_order CHECK (expected_end_date > start_date)
);
CREATE INDEX apprenticeships_apprentice_id_idx ON apprenticeships (apprentice_id);
CREATE INDEX apprenticeships_employer_id_idx ON apprenticeships (employer_id, created_at);
CREATE INDEX apprenticeships_provider_id_idx ON apprenticeships (provider_id, created_at);

-- The audit trail: one row per state change, written in the change's own transaction.
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor_id    uuid REFERENCES users (id),
    action      text NOT NULL,
    entity_type text NOT NULL,
    entity_id   text NOT NULL,
    request_id  text,
    -- The organisations this change concerns; provider staff see rows naming their organisation.
    organisation_ids uuid[] NOT NULL DEFAULT '{}',
    summary     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, id);
CREATE INDEX audit_log_organisation_ids_idx ON audit_log USING gin (organisation_ids);

-- Append-only: the database itself refuses to change or remove audit rows.
CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_append_only
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
