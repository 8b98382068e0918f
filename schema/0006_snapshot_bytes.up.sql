-- Snapshots are written apart from the op batch, after it commits, so a
-- snapshot that fails never fails the ops it follows. They are kept as
-- bytes (the JSON encoding), not jsonb: jsonb refuses a value over
-- 268,435,455 bytes, bytea takes up to 1 GB, and TOAST still compresses it.
ALTER TABLE snapshots ALTER COLUMN content TYPE bytea USING convert_to(content::text, 'UTF8');
