-- Password-set links an administrator hands to a person (shown once; e-mail delivery comes with
-- notifications): single use, valid 24 hours, void once a newer link is made for the same user.
CREATE TABLE password_links (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL REFERENCES users (id),
    -- SHA-256 of the opaque token; the token itself is never stored.
    token_hash  text NOT NULL,
    created_by  uuid NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    -- Set when the link is used, or when a newer link for the same user voids it.
    used_at     timestamptz,
    CONSTRAINT password_links_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX password_links_user_id_idx ON password_links (user_id);
