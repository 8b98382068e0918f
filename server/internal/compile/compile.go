// Package compile reads compilation tables (the side-by-side tables a
// secretariat circulates: the original text, then one column per proposer)
// into a Compilation that the store writes in one transaction.
//
// The package is pure: it reads bytes and returns values. It resolves
// proposer names through the delegation registry.
package compile

import "github.com/draftroom/draftroom/server/internal/delegation"

// Format names an input form of a compilation table.
type Format string

const (
	FormatAuto Format = "auto"
	FormatText Format = "text"
	FormatCSV  Format = "csv"
	FormatXLSX Format = "xlsx"
)

// MaxInputBytes is the largest file the importers accept.
const MaxInputBytes = 20 << 20

// Compilation is one imported table.
type Compilation struct {
	// Title is the resolution's title where the file shows one ("Resolution
	// 130 (Rev. Guadalajara 2010)"), else the file name's; may be empty. A
	// sheet caption that is not a title ("Texts modifications suggested")
	// is kept as a note of kind "caption".
	Title   string
	BaseRef string // the base text's reference, e.g. "Rev. Guadalajara 2010"
	// Lang is the language of the text (ar, en, es, fr, ru, zh), from its
	// headings and script, or "" when it cannot tell.
	Lang string
	// Proposers in column order. Code is the delegation code from the
	// registry, or "" when the name did not resolve.
	Proposers []Proposer
	Sections  []Section
	// Notes anchored to the document as a whole (the Reasons row becomes one
	// with Kind "reasons").
	Notes []Note
	// Unplaced lists lines or rows that could not be placed. Each is also kept
	// as a Note somewhere in the Compilation so that nothing is lost.
	Unplaced []Unplaced

	// What the readers leave for finish: the lines above the header, and
	// the Original column's header cell.
	above        []aboveLine
	originalCell string
}

// aboveLine is a line (text form) or row (CSV/XLSX) above the header.
type aboveLine struct {
	text string
	row  int
}

// Proposer is one proposer column.
type Proposer struct {
	Name   string // as written in the header, e.g. "Brazil", "Arb"
	Code   string // registry code, e.g. "BRA", "ARB"; "" if unresolved
	Action string // MOD, ADD, SUP, NOC, or "" when the header gives none
	Ref    string // document reference, e.g. "B/75/4"; may be ""
	// Match says how Name resolved to Code: exactly, by a qualifier or
	// abbreviation, by a fuzzy match (with its score), or by the
	// reference's symbol (How "ref"). Zero when Code is "".
	Match delegation.Match
}

// Section is a heading and the paragraphs under it.
type Section struct {
	Heading    string // e.g. "RECALLING", "instructs the Secretary-General"
	Kind       string // "preamble" or "operative"
	Row        int    // row number (text form) or 1-based data row (CSV/XLSX)
	Paragraphs []Paragraph
	// Proposals anchored to the section but to no paragraph (ADDs, or texts
	// whose column is unknown and whose row holds no paragraph).
	Proposals []Proposal
	Notes     []Note
	// Restated are the places where the Original column restated the
	// heading ("recalling" under RECALLING): kept to show that nothing
	// was dropped, not stored.
	Restated []string
}

// Paragraph is one labelled paragraph of the original text.
type Paragraph struct {
	Label     string // "a)", "1", "ii)"; may be ""
	Text      string // without the label
	Status    string // "" (open), "agreed_ad_ref" or "agreed": Draftroom's own export records it
	Row       int
	Proposals []Proposal
	Notes     []Note
}

// Proposal is one proposer's text for a row.
type Proposal struct {
	Proposer string // registry code, or "" when unknown
	Action   string // MOD, ADD, SUP, NOC
	Ref      string
	Label    string // label the proposal text starts with, if any
	Text     string // without the label
	Row      int
	// Column is the 1-based position of the proposer in
	// Compilation.Proposers, or 0 when the column is unknown (the flattened
	// text form loses it). Proposer alone cannot tell apart two columns whose
	// names did not resolve.
	Column int
	// Status is "" (tabled) or a later status (merged, withdrawn,
	// rejected) that Draftroom's own export records.
	Status string
	// SuggestedProposer is a delegation code the file gives evidence for
	// when Proposer is "" (a reference in the text, a remark naming a
	// delegation, or a row with a cell in every column). It is a
	// suggestion for the chair, never applied by the import.
	SuggestedProposer string
	// SuggestedBy names the evidence for SuggestedProposer: one of the
	// SuggestedBy* constants.
	SuggestedBy string
	// Line is the line of the flattened text form the proposal starts on:
	// the pieces of one run-together cell share it. 0 in CSV/XLSX.
	Line int
	// Heading is the section heading the proposer's cell restated before
	// its text ("instructs the Secretary-General …"); the proposal is
	// anchored to that section.
	Heading string
}

// Note is a remark kept with the document.
type Note struct {
	Text string
	Row  int
	Kind string // "remark", "reasons", "unplaced", "caption"
	// Author is who wrote the note: for a proposer's cell of the Reasons
	// row, that column's name; for notes of Draftroom's own export, the
	// note's author.
	Author string
	// Column is the 1-based position in Compilation.Proposers of the column
	// the note came from (a proposer's Reasons cell), or 0.
	Column int
	// Line is the line of the flattened text form the note starts on, or 0.
	Line int
}

// Unplaced reports a line (text form) or row (CSV/XLSX) that could not be
// placed.
type Unplaced struct {
	Line int
	Text string
}
