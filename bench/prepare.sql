-- Bench-only rows, added after `ksbfolio demo seed` and before any load: one open sign-in session
-- for every apprentice, tutor and mentor of the data set, with an id derived from the user's id
-- (kind 0b.. becomes 0f..), so that both the app (through a token naming that session) and
-- pgbench (building the same id from a number) check exactly the same session row.
-- psql variable :seedtag is the 8-hex-digit middle of the demo ids, e.g. '0000-0007'.
INSERT INTO sessions (id, user_id)
SELECT ('0f' || substr(u.id::text, 3))::uuid, u.id
FROM users u
WHERE u.role IN ('apprentice', 'provider', 'employer')
  AND substr(u.id::text, 5, 9) = :'seedtag'
ON CONFLICT (id) DO NOTHING;
ANALYZE sessions;
