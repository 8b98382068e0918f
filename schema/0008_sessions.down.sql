DROP TABLE presence;
ALTER TABLE participants DROP COLUMN last_seen_at;
DROP INDEX participants_document;
DROP INDEX tokens_participant;
DROP TABLE sessions;
