package compile

import (
	"strings"

	"github.com/draftroom/draftroom/server/internal/delegation"
)

type colRole int

const (
	colExtra    colRole = iota // no header, or beyond the header: unknown
	colOriginal                // the base text
	colID                      // row numbers
	colProposer
	colRemark // a comments column
	// colIgnored is the "Working text" column of Draftroom's own export:
	// the text as negotiated so far, which is not part of the compilation.
	colIgnored
)

// idHeaders name a leading column of row numbers.
var idHeaders = []string{"", "#", "row", "rows", "no", "no.", "nr", "n°", "nº", "id", "line", "item"}

// remarkHeaders name a column of comments rather than a proposer.
var remarkHeaders = []string{"comment", "comments", "remark", "remarks", "note", "notes", "observations", "secretariat comments"}

type tableBuilder struct {
	c        *Compilation
	roles    []colRole
	proposer []int // by column: index into c.Proposers, or -1
	cur      int   // current section, -1 before the first
}

// buildTable turns the rows of a CSV file or sheet into a Compilation.
func buildTable(rows []tableRow, reg *delegation.Registry) (*Compilation, error) {
	if len(rows) == 0 {
		return nil, inputErr(ErrEmpty, 0, "no cells")
	}
	h, orig := -1, -1
	for i := 0; i < len(rows) && i < headerScan && h < 0; i++ {
		for j, cell := range rows[i].cells {
			if isOriginalHeader(cell) {
				h, orig = i, j
				break
			}
		}
	}
	if h < 0 {
		return nil, inputErr(ErrNoOriginal, rows[0].line, `no column header starts with "Original"`)
	}
	c := &Compilation{}
	for _, r := range rows[:h] {
		var cells []string
		for _, cell := range r.cells {
			if cell != "" {
				cells = append(cells, strings.Join(strings.Fields(cell), " "))
			}
		}
		c.above = append(c.above, aboveLine{text: strings.Join(cells, " "), row: r.index})
	}
	header, data := rows[h], rows[h+1:]
	c.BaseRef = baseRef(header.cells[orig])
	c.originalCell = header.cells[orig]

	b := &tableBuilder{c: c, cur: -1}
	b.roles = make([]colRole, len(header.cells))
	b.proposer = make([]int, len(header.cells))
	for i, cell := range header.cells {
		b.proposer[i] = -1
		low := strings.ToLower(cell)
		switch {
		case i == orig:
			b.roles[i] = colOriginal
		case i == 0 && isIDColumn(cell, data):
			b.roles[i] = colID
		case cell == "" || isOriginalHeader(cell):
			b.roles[i] = colExtra
		case strings.HasPrefix(low, "working text"):
			b.roles[i] = colIgnored
		case hasWord(remarkHeaders, low):
			b.roles[i] = colRemark
		default:
			b.roles[i] = colProposer
			b.proposer[i] = len(c.Proposers)
			c.Proposers = append(c.Proposers, parseProposerCell(cell, reg))
		}
	}
	for _, r := range data {
		b.row(r, r.index-header.index, orig)
	}
	return c, nil
}

// isIDColumn reports whether the first column holds row numbers: it is
// headed "#", "Row" and the like, or all its cells are whole numbers.
func isIDColumn(head string, data []tableRow) bool {
	if hasWord(idHeaders, strings.ToLower(head)) {
		return true
	}
	seen := false
	for _, r := range data {
		if v := r.cell(0); v != "" {
			if bareInt(v) == 0 && v != "0" {
				return false
			}
			seen = true
		}
	}
	return seen
}

func (b *tableBuilder) role(i int) colRole {
	if i < len(b.roles) {
		return b.roles[i]
	}
	return colExtra
}

// row adds one data row; n is its 1-based position after the header.
func (b *tableBuilder) row(r tableRow, n, orig int) {
	var extras, remarks []string
	type cell struct {
		prop int
		text string
	}
	var props []cell
	idText := ""
	for i, v := range r.cells {
		if v == "" {
			continue
		}
		switch b.role(i) {
		case colExtra:
			extras = append(extras, v)
		case colID:
			if bareInt(v) == 0 && v != "0" {
				idText = v
			}
		case colProposer:
			props = append(props, cell{b.proposer[i], cleanCell(v)})
		case colRemark:
			remarks = append(remarks, cleanCell(v))
		}
	}
	o := cleanCell(r.cell(orig))
	if idText != "" {
		if o == "" && len(props) == 0 && len(remarks) == 0 {
			// A heading row merged across the table keeps its text in the
			// first cell, which is the row-number column.
			o = cleanCell(idText)
		} else {
			extras = append([]string{idText}, extras...) // not a row number: keep it
		}
	}
	if isReasons(o) {
		b.reasons(o, n, len(props) > 0 || len(remarks) > 0)
		for _, p := range props {
			b.c.Notes = append(b.c.Notes, Note{Text: p.text, Row: n, Kind: NoteReasons, Column: p.prop + 1})
		}
		for _, t := range remarks {
			b.c.Notes = append(b.c.Notes, Note{Text: t, Row: n, Kind: NoteReasons})
		}
		b.unplaced(r, n, nil, extras)
		return
	}
	var paras []int
	headingRow := false
	if o != "" {
		paras, headingRow = b.original(o, n)
	}
	for _, p := range props {
		b.proposal(p.prop, p.text, n, paras, headingRow)
	}
	for _, t := range remarks {
		b.note(paras, Note{Text: t, Row: n, Kind: NoteRemark})
	}
	b.unplaced(r, n, paras, extras)
}

// reasons keeps the Original cell of the Reasons row, unless it is only
// the word and the reasons themselves are in the other cells.
func (b *tableBuilder) reasons(o string, n int, others bool) {
	if others && isReasonsWord(o) {
		return
	}
	b.c.Notes = append(b.c.Notes, Note{Text: o, Row: n, Kind: NoteReasons})
}

func (b *tableBuilder) unplaced(r tableRow, n int, paras []int, extras []string) {
	if len(extras) == 0 {
		return
	}
	t := strings.Join(extras, " | ")
	b.c.Unplaced = append(b.c.Unplaced, Unplaced{Line: r.line, Text: t})
	b.note(paras, Note{Text: t, Row: n, Kind: NoteUnplaced})
}

// note anchors a note to the row's only paragraph, else to the current
// section, else to the document.
func (b *tableBuilder) note(paras []int, nt Note) {
	switch {
	case b.cur < 0:
		b.c.Notes = append(b.c.Notes, nt)
	case len(paras) == 1:
		p := &b.c.Sections[b.cur].Paragraphs[paras[0]]
		p.Notes = append(p.Notes, nt)
	default:
		s := &b.c.Sections[b.cur]
		s.Notes = append(s.Notes, nt)
	}
}

// original reads an Original cell: a heading, paragraphs, or a heading
// followed by paragraphs. It returns the paragraphs it added (to the
// current section) and whether the cell was a heading only.
func (b *tableBuilder) original(o string, n int) ([]int, bool) {
	var paras []int
	open := false // whether an unlabelled line continues the last paragraph
	headed := false
	for i, line := range strings.Split(o, "\n") {
		if labelLen(line) == 0 {
			if h, ok := detectHeading(line); ok && (h.rest == "" || i == 0) {
				b.heading(h, line, n)
				headed, open = true, false
				if h.rest == "" {
					continue
				}
				line = h.rest
			}
		}
		label, rest, ok := splitLabel(line)
		if !ok && open {
			s := &b.c.Sections[b.cur]
			p := &s.Paragraphs[len(s.Paragraphs)-1]
			p.Text = strings.TrimSpace(p.Text + " " + line)
			continue
		}
		b.ensureSection(n)
		s := &b.c.Sections[b.cur]
		s.Paragraphs = append(s.Paragraphs, Paragraph{Label: label, Text: rest, Row: n})
		paras = append(paras, len(s.Paragraphs)-1)
		open = true
	}
	return paras, headed && len(paras) == 0
}

// heading opens a section, or notes a restatement of the current one
// ("recalling" under RECALLING).
func (b *tableBuilder) heading(h heading, line string, n int) {
	if b.cur >= 0 && foldKey(b.c.Sections[b.cur].Heading) == foldKey(h.text) {
		s := &b.c.Sections[b.cur]
		s.Restated = append(s.Restated, strings.TrimSpace(line[:h.cut]))
		return
	}
	b.c.Sections = append(b.c.Sections, Section{Heading: h.text, Kind: h.kind, Row: n})
	b.cur = len(b.c.Sections) - 1
}

// ensureSection opens an untitled section for text that comes before any
// heading, so that it is kept in order with the rest.
func (b *tableBuilder) ensureSection(n int) {
	if b.cur < 0 {
		b.c.Sections = append(b.c.Sections, Section{Kind: KindPreamble, Row: n})
		b.cur = 0
	}
}

// proposal adds proposer k's cell text for row n.
func (b *tableBuilder) proposal(k int, text string, n int, paras []int, headingRow bool) {
	pr := b.c.Proposers[k]
	p := Proposal{Proposer: pr.Code, Ref: pr.Ref, Row: n, Column: k + 1}
	switch a := actionOnly(text); {
	case a != "":
		p.Action = a
	default:
		p.Label, p.Text, _ = splitLabel(text)
		p.Action = ActionADD
		if len(paras) > 0 || headingRow {
			p.Action = ActionMOD
		}
	}
	b.ensureSection(n)
	s := &b.c.Sections[b.cur]
	para := -1
	switch {
	case len(paras) == 1:
		para = paras[0]
	case len(paras) > 1 && p.Label != "":
		for _, i := range paras {
			if labelKey(s.Paragraphs[i].Label) == labelKey(p.Label) {
				para = i
			}
		}
	}
	if para < 0 {
		s.Proposals = append(s.Proposals, p)
		return
	}
	s.Paragraphs[para].Proposals = append(s.Paragraphs[para].Proposals, p)
}

// cleanCell trims each line of a cell and drops blank lines.
func cleanCell(s string) string {
	if !strings.Contains(s, "\n") {
		return strings.TrimSpace(s)
	}
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
