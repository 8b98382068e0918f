-- Who may connect, and as what. A participant bound to a document sees only
-- that document; one with document_id NULL (admins) sees all.
CREATE TABLE participants (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    role        text NOT NULL CHECK (role IN ('admin', 'chair', 'delegate', 'rapporteur', 'observer')),
    delegation  text REFERENCES delegations (code),
    document_id uuid REFERENCES documents (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK ((role = 'delegate') = (delegation IS NOT NULL))
);

-- Only the SHA-256 of a token is stored; the token itself is shown once.
CREATE TABLE tokens (
    id             uuid PRIMARY KEY,
    participant_id uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    hash           bytea NOT NULL UNIQUE CHECK (length(hash) = 32),
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz,
    revoked_at     timestamptz
);
