// Package limits holds the size limits a document obeys, in one place, so
// that live editing (the room) and the importer refuse the same things. A
// document the importer accepts can always be edited afterwards: no
// paragraph is already too long to take one more character, and no count
// is already past what the room allows.
//
// Lengths are in Unicode code points, as text positions are everywhere in
// Draftroom.
package limits

const (
	// ParagraphRunes is the longest paragraph text.
	ParagraphRunes = 100_000
	// Paragraphs is the most paragraphs a document may have.
	Paragraphs = 5_000
	// Sections is the most sections a document may have.
	Sections = 1_000
	// HeadingRunes is the longest section heading.
	HeadingRunes = 500
	// LabelRunes is the longest paragraph or proposal label ("a bis)").
	LabelRunes = 32
	// ProposalRunes is the longest proposal text: a proposal becomes
	// paragraph text when it is merged.
	ProposalRunes = ParagraphRunes
	// Proposals is the most proposals a document may have, counting every
	// status: a withdrawn proposal is still stored.
	Proposals = 5_000
	// NoteRunes is the longest note.
	NoteRunes = 10_000
	// Notes is the most notes a document may have.
	Notes = 5_000
	// TitleRunes is the longest document title.
	TitleRunes = 2_000
	// DocumentRunes bounds all the text of a document together: paragraphs,
	// base texts, proposals, notes and headings. The whole document travels
	// in the welcome frame and is stored as one JSON snapshot, so its size
	// must stay far below PostgreSQL's 256 MB jsonb ceiling.
	DocumentRunes = 20_000_000
)
