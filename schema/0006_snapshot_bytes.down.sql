-- A snapshot too large for jsonb is dropped: the document at its seq is
-- then rebuilt from an earlier snapshot and the op log.
DELETE FROM snapshots WHERE octet_length(content) > 200000000;
ALTER TABLE snapshots ALTER COLUMN content TYPE jsonb USING convert_from(content, 'UTF8')::jsonb;
