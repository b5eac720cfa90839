ALTER TABLE sessions DROP COLUMN method;
DROP TABLE sign_in_links;
DROP TABLE review_reminders;
DROP TABLE outbox;
DROP TABLE notification_preferences;
