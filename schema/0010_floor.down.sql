DROP TABLE floor_requests;
ALTER TABLE documents
    DROP COLUMN floor_only,
    DROP COLUMN floor_speaking,
    DROP COLUMN focus_proposal;
