-- The paragraph the chair has the room on, so that a projector connecting
-- at any time scrolls to it. Cleared when that paragraph is deleted.
ALTER TABLE documents ADD COLUMN focus uuid REFERENCES paragraphs (id) ON DELETE SET NULL;
