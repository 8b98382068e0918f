// Package compile reads compilation tables (the side-by-side tables a
// secretariat circulates: the original text, then one column per proposer)
// into a Compilation that the store writes in one transaction.
//
// The package is pure: it reads bytes and returns values. It resolves
// proposer names through the delegation registry.
package compile

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
	Title   string // e.g. "Texts modifications suggested"; may be empty
	BaseRef string // the base text's reference, e.g. "Rev. Guadalajara 2010"
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
}

// Proposer is one proposer column.
type Proposer struct {
	Name   string // as written in the header, e.g. "Brazil", "Arb"
	Code   string // registry code, e.g. "BRA", "ARB"; "" if unresolved
	Action string // MOD, ADD, SUP, NOC, or "" when the header gives none
	Ref    string // document reference, e.g. "B/75/4"; may be ""
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
}

// Paragraph is one labelled paragraph of the original text.
type Paragraph struct {
	Label     string // "a)", "1", "ii)"; may be ""
	Text      string // without the label
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
}

// Note is a remark kept with the document.
type Note struct {
	Text string
	Row  int
	Kind string // "remark", "reasons", "unplaced", "heading"
	// Column is the 1-based position in Compilation.Proposers of the column
	// the note came from (a proposer's Reasons cell), or 0.
	Column int
}

// Unplaced reports a line (text form) or row (CSV/XLSX) that could not be
// placed.
type Unplaced struct {
	Line int
	Text string
}
