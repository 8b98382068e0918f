package export

import (
	"strings"

	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/wire"
)

// The compilation export (docx or html with Input.Compilation) is the
// table a secretariat circulates: landscape, the original text in the
// first column and one column per proposer, each headed by its name, its
// action and its document reference; a MOD shown as a word-level redline
// against the paragraph's original text (insertions underlined,
// deletions struck through), as formatting rather than tracked changes;
// the notes, and the Reasons row last.

// compView is the compilation laid out for a writer.
type compView struct {
	in      Input
	title   string
	lines   []string // under the title: base text, version, captions
	notes   []string // the document's own notes
	columns []compColumn
	hasNote bool // a Notes column
	rows    []compRow
}

type compColumn struct {
	name, sub string // "Brazil", "MOD B/75/4"
}

type compRowKind uint8

const (
	rowHeading compRowKind = iota
	rowParagraph
	rowSection // a section's own proposals (ADDs and the like)
	rowReasons
)

type compRow struct {
	kind     compRowKind
	heading  string // rowHeading
	label    string
	original []redPiece // the Original cell
	status   string     // a paragraph's status, shown beside its label
	cells    [][]compCell
	notes    []string
	rtl      bool
}

// compCell is one proposal in a column.
type compCell struct {
	action string
	tag    string // what the column header does not say: "withdrawn", "ref B/1/2", "suggested: BRA"
	label  string
	pieces []redPiece
	rtl    bool
}

// redPiece is a stretch of a redline.
type redPiece struct {
	op   op
	text string
}

// appendPiece appends text as a piece of kind o, joining it to the last
// piece when that is of the same kind, so that a run of one kind is one
// mark.
func appendPiece(ps []redPiece, o op, text string) []redPiece {
	if text == "" {
		return ps
	}
	if n := len(ps); n > 0 && ps[n-1].op == o {
		ps[n-1].text += text
		return ps
	}
	return append(ps, redPiece{op: o, text: text})
}

func buildCompilation(in Input) *compView {
	v := &compView{in: in, title: in.Doc.Title}
	if in.Doc.BaseRef != "" {
		v.lines = append(v.lines, "Original: "+in.Doc.BaseRef)
	}
	bv := &view{in: in}
	v.lines = append(v.lines, "Compilation of proposals — "+bv.versionLine())
	t := &tableBuilder{in: in}
	for _, p := range in.Doc.Proposers {
		c := column{name: p.Name, action: p.Action, ref: p.Ref}
		if p.Code != nil {
			c.code = *p.Code
		}
		t.cols = append(t.cols, c)
	}
	notesBy := map[string][]string{}
	var reasons []wire.Note
	for _, n := range in.Doc.Notes {
		switch {
		case n.Paragraph != nil:
			notesBy[*n.Paragraph] = append(notesBy[*n.Paragraph], noteLine(n))
		case n.Section != nil:
			notesBy[*n.Section] = append(notesBy[*n.Section], noteLine(n))
		case n.Kind == "caption":
			v.lines = append(v.lines, n.Text)
		case n.Kind == "reasons":
			reasons = append(reasons, n)
		default:
			v.notes = append(v.notes, noteLine(n))
		}
	}
	// Lay the proposals out by column first, so that columns added for
	// proposers tabled in the room exist before rows are sized.
	type placed struct {
		col  int
		cell compCell
	}
	layout := func(ps []wire.Proposal, base string) []placed {
		var out []placed
		for _, p := range ps {
			out = append(out, placed{t.col(p), compProposal(p, base, t)})
		}
		return out
	}
	type pending struct {
		row    compRow
		placed []placed
	}
	var rows []pending
	for _, s := range in.Doc.Sections {
		if s.Heading != "" {
			rows = append(rows, pending{row: compRow{kind: rowHeading, heading: s.Heading, notes: notesBy[s.ID], rtl: isRTL(s.Heading)}})
		}
		for _, p := range s.Paragraphs {
			r := compRow{kind: rowParagraph, label: p.Label, notes: notesBy[p.ID], rtl: isRTL(p.BaseText)}
			if p.Status != "" && p.Status != "open" {
				r.status = strings.ReplaceAll(p.Status, "_", " ")
			}
			base := p.BaseText
			if base == "" {
				base = p.Text // added in the room: its text is what there is
			}
			r.original = []redPiece{{op: opEqual, text: base}}
			rows = append(rows, pending{row: r, placed: layout(p.Proposals, p.BaseText)})
		}
		if len(s.Proposals) > 0 {
			rows = append(rows, pending{row: compRow{kind: rowSection}, placed: layout(s.Proposals, "")})
		}
	}
	if len(reasons) > 0 {
		r := compRow{kind: rowReasons}
		var general []string
		byCol := map[int][]compCell{}
		for _, n := range reasons {
			c := -1
			for i, col := range t.cols {
				if n.Author != "" && col.name == n.Author {
					c = i
				}
			}
			if c < 0 {
				general = append(general, n.Text)
				continue
			}
			byCol[c] = append(byCol[c], compCell{pieces: []redPiece{{op: opEqual, text: n.Text}}, rtl: isRTL(n.Text)})
		}
		r.original = []redPiece{{op: opEqual, text: strings.Join(general, "\n")}}
		p := pending{row: r}
		for c, cells := range byCol {
			for _, cell := range cells {
				p.placed = append(p.placed, placed{c, cell})
			}
		}
		rows = append(rows, p)
	}
	// Columns: the proposers', then the unknown proposer's if used.
	for _, c := range t.cols {
		sub := strings.TrimSpace(c.action + " " + c.ref)
		v.columns = append(v.columns, compColumn{name: c.name, sub: sub})
	}
	unknown := len(t.cols)
	if t.unknown {
		v.columns = append(v.columns, compColumn{name: "Proposer unknown"})
	}
	for _, p := range rows {
		p.row.cells = make([][]compCell, len(v.columns))
		for _, pl := range p.placed {
			c := pl.col
			if c == unknownCol {
				c = unknown
			}
			p.row.cells[c] = append(p.row.cells[c], pl.cell)
		}
		if len(p.row.notes) > 0 {
			v.hasNote = true
		}
		v.rows = append(v.rows, p.row)
	}
	return v
}

// noteLine is a note as the compilation shows it: its text, with its kind
// and author when they say something.
func noteLine(n wire.Note) string {
	var tags []string
	if n.Kind != "" && n.Kind != "remark" {
		tags = append(tags, n.Kind)
	}
	if n.Author != "" {
		tags = append(tags, n.Author)
	}
	if len(tags) == 0 {
		return n.Text
	}
	return n.Text + " (" + strings.Join(tags, ", ") + ")"
}

// compProposal lays out one proposal: a MOD of a paragraph as a redline
// of the paragraph's original text, anything else as it is.
func compProposal(p wire.Proposal, base string, t *tableBuilder) compCell {
	c := compCell{action: p.Action, label: p.Label, rtl: isRTL(p.Text)}
	var tags []string
	if p.Status != "" && p.Status != "tabled" {
		tags = append(tags, p.Status)
	}
	if col := t.col(p); col >= 0 && p.Ref != t.cols[col].ref && p.Ref != "" {
		tags = append(tags, p.Ref)
	} else if col < 0 && p.Ref != "" {
		tags = append(tags, p.Ref)
	}
	if p.SuggestedProposer != "" {
		tags = append(tags, "suggested: "+p.SuggestedProposer)
	}
	c.tag = strings.Join(tags, ", ")
	switch {
	case p.Action == "MOD" && base != "" && p.Text != "":
		c.pieces = Redline(base, p.Text)
	case p.Text != "":
		c.pieces = []redPiece{{op: opEqual, text: p.Text}}
	}
	return c
}

// Redline compares a paragraph's original text with a proposal's, word by
// word: what the proposal adds is an insertion, what it leaves out a
// deletion, in reading order.
//
// Between two unchanged stretches, what is removed comes before what
// replaces it, as compilations show it: "to ~~strengthen~~ _enhance_".
func Redline(original, proposed string) []redPiece {
	var out []redPiece
	var del, ins strings.Builder
	flush := func() {
		out = appendPiece(out, opDelete, del.String())
		out = appendPiece(out, opInsert, ins.String())
		del.Reset()
		ins.Reset()
	}
	segs := draft.DiffWords(original, nil, proposed, nil)
	common := 0
	for i, seg := range segs {
		n := len([]rune(seg.Text))
		if seg.Op != "equal" {
			continue
		}
		// A word or two in common between two changes ("the", "of") is
		// part of the change: shown once struck and once underlined, the
		// redline reads as phrases rather than confetti.
		if i > 0 && i < len(segs)-1 && smallEqual(seg.Text) {
			segs[i].Op = "both"
			continue
		}
		common += n
	}
	if 3*common < len([]rune(proposed)) {
		// Less than a third of the proposal is the original's: it
		// replaces the text. Show the old text struck through, then the
		// new one, each whole.
		return []redPiece{{op: opDelete, text: original}, {op: opInsert, text: proposed}}
	}
	for _, seg := range segs {
		switch seg.Op {
		case "insert":
			ins.WriteString(seg.Text)
		case "delete":
			del.WriteString(seg.Text)
		case "both":
			del.WriteString(seg.Text)
			ins.WriteString(seg.Text)
		default:
			flush()
			out = appendPiece(out, opEqual, seg.Text)
		}
	}
	flush()
	return out
}

// smallEqual reports whether an unchanged stretch is only a word or two
// of a few letters, or white space and punctuation.
func smallEqual(s string) bool {
	words := strings.Fields(s)
	return len(words) <= 2 && len([]rune(strings.TrimSpace(s))) <= 8
}
