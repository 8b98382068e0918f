-- Snapshots of a document every few hundred ops, so that the document at
-- any seq is rebuilt from the nearest snapshot plus the log, not from the
-- beginning. content is the read API's document JSON at that seq.
CREATE TABLE snapshots (
    document_id uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    seq         bigint NOT NULL,
    content     jsonb NOT NULL,
    PRIMARY KEY (document_id, seq)
);
