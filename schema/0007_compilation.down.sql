ALTER TABLE proposals DROP COLUMN suggested_proposer;
ALTER TABLE documents DROP COLUMN lang;
