-- The proposal the chair puts on the screen with the focus, and the floor
-- (speakers' list): who has the floor, whether only that delegation may
-- type, and who asked for it. All of it is the document's live state,
-- written by the group commit as the focus is.
ALTER TABLE documents
    ADD COLUMN focus_proposal uuid REFERENCES proposals (id) ON DELETE SET NULL,
    ADD COLUMN floor_speaking text REFERENCES delegations (code),
    ADD COLUMN floor_only boolean NOT NULL DEFAULT false;

-- The speakers' list, in the order asked: each delegation at most once.
-- A request keeps its place when the paragraph it named is deleted.
CREATE TABLE floor_requests (
    document_id  uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    position     integer NOT NULL CHECK (position >= 0),
    delegation   text NOT NULL REFERENCES delegations (code),
    paragraph_id uuid REFERENCES paragraphs (id) ON DELETE SET NULL,
    requested_at timestamptz,
    PRIMARY KEY (document_id, delegation),
    UNIQUE (document_id, position)
);
