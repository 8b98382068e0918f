-- The language of the document's text, as an ISO 639-1 code (ar, en, es,
-- fr, ru, zh): detected at import or given with --lang; '' when unknown.
-- Exports mark their text with it.
ALTER TABLE documents ADD COLUMN lang text NOT NULL DEFAULT '';

-- A proposer the importer found evidence for when the file lost the
-- proposal's column (a reference in the text, a remark, a full row): a
-- suggestion for the chair, never applied by the import itself.
ALTER TABLE proposals ADD COLUMN suggested_proposer text REFERENCES delegations (code);
