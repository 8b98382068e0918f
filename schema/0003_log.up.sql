-- The append-only op log: audit trail, catch-up source and replayable history.
CREATE TABLE ops (
    document_id    uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    seq            bigint NOT NULL CHECK (seq > 0),
    kind           text NOT NULL,
    paragraph_id   uuid,
    participant_id uuid REFERENCES participants (id) ON DELETE SET NULL,
    author         text NOT NULL,
    ref            text NOT NULL DEFAULT '',
    payload        jsonb NOT NULL,
    at             timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (document_id, seq)
);
CREATE INDEX ops_paragraph ON ops (document_id, paragraph_id, seq);

-- Frozen versions. content is canonical JSON kept as text (jsonb would
-- reorder it and break the hash); sha256 is over exactly those bytes.
CREATE TABLE versions (
    document_id uuid NOT NULL REFERENCES documents (id) ON DELETE RESTRICT,
    label       text NOT NULL,
    seq         bigint NOT NULL,
    content     text NOT NULL,
    sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    counts      jsonb NOT NULL,
    created_by  uuid REFERENCES participants (id) ON DELETE RESTRICT,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (document_id, label)
);

-- Nobody, not even the table's owner, changes a frozen version in place.
CREATE FUNCTION versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'versions are immutable: % on versions is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER versions_no_update_delete BEFORE UPDATE OR DELETE ON versions
    FOR EACH ROW EXECUTE FUNCTION versions_immutable();
CREATE TRIGGER versions_no_truncate BEFORE TRUNCATE ON versions
    FOR EACH STATEMENT EXECUTE FUNCTION versions_immutable();
