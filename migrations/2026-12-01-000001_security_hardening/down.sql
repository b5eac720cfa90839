COMMENT ON TABLE login_failures IS NULL;
DROP TABLE sign_in_throttle;
ALTER TABLE sessions DROP COLUMN expires_at;
ALTER TABLE users DROP COLUMN deactivated_by, DROP COLUMN deactivated_at;
