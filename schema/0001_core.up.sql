-- The registry of delegations: ITU Member States and regional groups.
CREATE TABLE delegations (
    code    text PRIMARY KEY,
    name    text NOT NULL,
    kind    text NOT NULL CHECK (kind IN ('state', 'group')),
    iso3    text,
    symbol  text,
    aliases text[] NOT NULL DEFAULT '{}'
);

-- A resolution under negotiation. seq is the position of the document's
-- last op in the op log.
CREATE TABLE documents (
    id         uuid PRIMARY KEY,
    title      text NOT NULL,
    base_ref   text NOT NULL DEFAULT '',
    seq        bigint NOT NULL DEFAULT 0 CHECK (seq >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The proposer columns of the compilation the document came from, in order.
CREATE TABLE document_proposers (
    document_id uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    position    integer NOT NULL,
    code        text REFERENCES delegations (code),
    name        text NOT NULL,
    action      text NOT NULL DEFAULT '',
    ref         text NOT NULL DEFAULT '',
    PRIMARY KEY (document_id, position)
);

CREATE TABLE sections (
    id          uuid PRIMARY KEY,
    document_id uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    position    integer NOT NULL,
    heading     text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('preamble', 'operative')),
    source_row  integer
);
CREATE INDEX sections_document ON sections (document_id, position);

-- authorship holds runs [[length, author], ...] over text's code points;
-- author is a delegation code, 'chair' or 'original'.
CREATE TABLE paragraphs (
    id          uuid PRIMARY KEY,
    document_id uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    section_id  uuid NOT NULL REFERENCES sections (id) ON DELETE CASCADE,
    position    integer NOT NULL,
    label       text NOT NULL DEFAULT '',
    text        text NOT NULL DEFAULT '',
    base_text   text NOT NULL DEFAULT '',
    status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'agreed_ad_ref', 'agreed')),
    authorship  jsonb NOT NULL DEFAULT '[]',
    source_row  integer
);
CREATE INDEX paragraphs_section ON paragraphs (section_id, position);
CREATE INDEX paragraphs_document ON paragraphs (document_id);

-- A formal proposal layer: one proposer's MOD/ADD/SUP/NOC for a paragraph,
-- or for a section when it anchors to no paragraph.
CREATE TABLE proposals (
    id            uuid PRIMARY KEY,
    document_id   uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    section_id    uuid REFERENCES sections (id) ON DELETE CASCADE,
    paragraph_id  uuid REFERENCES paragraphs (id) ON DELETE CASCADE,
    position      integer NOT NULL DEFAULT 0,
    proposer      text REFERENCES delegations (code),
    proposer_name text NOT NULL DEFAULT '',
    action        text NOT NULL CHECK (action IN ('MOD', 'ADD', 'SUP', 'NOC')),
    label         text NOT NULL DEFAULT '',
    text          text NOT NULL DEFAULT '',
    ref           text NOT NULL DEFAULT '',
    status        text NOT NULL DEFAULT 'tabled' CHECK (status IN ('tabled', 'merged', 'withdrawn', 'rejected')),
    source_row    integer,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (section_id IS NOT NULL OR paragraph_id IS NOT NULL)
);
CREATE INDEX proposals_document ON proposals (document_id);

CREATE TABLE notes (
    id           uuid PRIMARY KEY,
    document_id  uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    section_id   uuid REFERENCES sections (id) ON DELETE CASCADE,
    paragraph_id uuid REFERENCES paragraphs (id) ON DELETE CASCADE,
    position     integer NOT NULL DEFAULT 0,
    kind         text NOT NULL DEFAULT 'remark',
    text         text NOT NULL,
    source_row   integer,
    author       text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notes_document ON notes (document_id);
