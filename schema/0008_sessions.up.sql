-- A browser holds a session, not its token: the cookie carries a random
-- session id, of which only the SHA-256 is stored. A session belongs to the
-- token it was opened with (and through it to the participant), so revoking
-- the token ends it; logging out ends it too.
CREATE TABLE sessions (
    id         uuid PRIMARY KEY,
    hash       bytea NOT NULL UNIQUE CHECK (length(hash) = 32),
    token_id   uuid NOT NULL REFERENCES tokens (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    ended_at   timestamptz
);
CREATE INDEX sessions_token ON sessions (token_id);
CREATE INDEX tokens_participant ON tokens (participant_id);
CREATE INDEX participants_document ON participants (document_id);

-- When the participant last signed in or was connected live.
ALTER TABLE participants ADD COLUMN last_seen_at timestamptz;

-- Who is connected live, per server node, so that any node can say who is
-- online now. Each node rewrites its own rows while it runs; rows whose
-- seen_at is old belong to a node that stopped.
CREATE TABLE presence (
    node_id        uuid NOT NULL,
    participant_id uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    connections    integer NOT NULL CHECK (connections > 0),
    seen_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (node_id, participant_id)
);
CREATE INDEX presence_participant ON presence (participant_id, seen_at);
