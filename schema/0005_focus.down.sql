ALTER TABLE documents DROP COLUMN focus;
