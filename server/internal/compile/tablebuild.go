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
	colUnknown // proposals whose proposer is not known
	colStatus  // paragraph statuses
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
	last     lastRow
}

// buildTable turns the rows of a CSV file or sheet into a Compilation.
func buildTable(rows []tableRow, reg *delegation.Registry) (*Compilation, error) {
	if len(rows) == 0 {
		return nil, inputErr(ErrEmpty, 0, "no cells")
	}
	h, orig := tableHeader(rows)
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
		case strings.EqualFold(cell, UnknownProposerHeader) || cell == UnknownProposer:
			// "(unknown)" is how exports before this column named it.
			b.roles[i] = colUnknown
		case strings.EqualFold(cell, StatusHeader):
			b.roles[i] = colStatus
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

// tableHeader finds the header row among the first headerScan rows: the
// first with a cell naming the Original column (h, or -1), and that
// column (orig).
func tableHeader(rows []tableRow) (h, orig int) {
	for i := 0; i < len(rows) && i < headerScan; i++ {
		for j, cell := range rows[i].cells {
			if isOriginalHeader(cell) {
				return i, j
			}
		}
	}
	return -1, -1
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
		prop int // index into Proposers, or -1 for the unknown proposer's column
		text string
	}
	var props []cell
	idText, id, status := "", "", ""
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
			} else {
				id = v
			}
		case colProposer:
			props = append(props, cell{b.proposer[i], v})
		case colUnknown:
			props = append(props, cell{-1, v})
		case colRemark:
			remarks = append(remarks, v)
		case colStatus:
			if status = parseStatus(v); status == "" && !strings.EqualFold(strings.TrimSpace(v), "open") {
				extras = append(extras, v) // not a status: keep it
			}
		}
	}
	o := r.cell(orig)
	if idText != "" {
		if o == "" && len(props) == 0 && len(remarks) == 0 {
			// A heading row merged across the table keeps its text in the
			// first cell, which is the row-number column.
			o = idText
		} else {
			extras = append([]string{idText}, extras...) // not a row number: keep it
		}
	}
	if isReasons(firstLine(o)) && !b.markedParagraph(o) {
		b.reasons(o, n)
		for _, p := range props {
			for _, t := range paragraphsOf(p.text) {
				nt := Note{Text: t, Row: n, Kind: NoteReasons}
				if p.prop >= 0 {
					nt.Column, nt.Author = p.prop+1, b.c.Proposers[p.prop].Name
				}
				b.c.Notes = append(b.c.Notes, nt)
			}
		}
		for _, t := range remarks {
			b.c.Notes = append(b.c.Notes, Note{Text: cleanCell(t), Row: n, Kind: NoteReasons})
		}
		b.unplaced(r, n, nil, extras)
		b.last = lastRow{}
		return
	}
	var paras []int
	headingRow := false
	switch {
	case o != "":
		paras, headingRow = b.original(o, n)
		if status != "" && len(paras) > 0 {
			b.c.Sections[b.cur].Paragraphs[paras[len(paras)-1]].Status = status
		}
		b.last = lastRow{id: id, paras: paras, heading: headingRow}
	case id != "" && id == b.last.id && len(props) > 0:
		// A row with the number of the one before and no Original text
		// carries more proposals for the same paragraphs.
		paras, headingRow = b.last.paras, b.last.heading
	default:
		b.last = lastRow{id: id}
	}
	for _, p := range props {
		b.proposal(p.prop, p.text, n, paras, headingRow)
	}
	for _, t := range remarks {
		for _, cn := range parseNotesCell(t) {
			b.note(paras, Note{Text: cn.Text, Row: n, Kind: cn.Kind, Author: cn.Author})
		}
	}
	b.unplaced(r, n, paras, extras)
}

// lastRow is what a continuation row (same "#", no Original text) needs
// from the row before it.
type lastRow struct {
	id      string
	paras   []int
	heading bool
}

// markedParagraph reports whether an Original cell is marked as a
// paragraph, which the word "Reasons" at its start does not change.
func (b *tableBuilder) markedParagraph(o string) bool {
	m, _, ok := splitMeta(o)
	return ok && m.paragraph
}

// reasons keeps the Original cell of the Reasons row: each paragraph of it
// is a reason for the whole text, except the word "Reasons" alone.
func (b *tableBuilder) reasons(o string, n int) {
	for _, t := range paragraphsOf(o) {
		if !isReasonsWord(t) {
			b.c.Notes = append(b.c.Notes, Note{Text: t, Row: n, Kind: NoteReasons})
		}
	}
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
// current section) and whether the cell was a heading only. A meta line
// says which the cell is when its text would be read otherwise.
func (b *tableBuilder) original(raw string, n int) ([]int, bool) {
	if m, rest, ok := splitMeta(raw); ok {
		switch {
		case m.headingKind != "":
			b.c.Sections = append(b.c.Sections, Section{Heading: strings.TrimSpace(rest), Kind: m.headingKind, Row: n})
			b.cur = len(b.c.Sections) - 1
			return nil, true
		case m.paragraph:
			label, text, _ := splitLabel(strings.TrimSpace(rest))
			switch {
			case m.noLabel:
				label, text = "", strings.TrimSpace(rest)
			case m.hasLabel:
				label, text = m.label, strings.TrimSpace(rest)
			}
			b.ensureSection(n)
			s := &b.c.Sections[b.cur]
			s.Paragraphs = append(s.Paragraphs, Paragraph{Label: label, Text: text, Row: n})
			return []int{len(s.Paragraphs) - 1}, false
		}
	}
	o := cleanCell(raw)
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

// heading opens a section, or records a restatement of the current one
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

// proposal adds the cell text of proposer k (-1: the unknown proposer's
// column) for row n. A meta line gives what the cell's place does not:
// its action, status, reference, suggested proposer.
func (b *tableBuilder) proposal(k int, raw string, n int, paras []int, headingRow bool) {
	p := Proposal{Row: n}
	if k >= 0 {
		pr := b.c.Proposers[k]
		p.Proposer, p.Ref, p.Column = pr.Code, pr.Ref, k+1
	}
	m, rest, _ := splitMeta(raw)
	text := cleanCell(rest)
	switch a := actionOnly(text); {
	case a != "" && m.action == "":
		p.Action = a
	default:
		p.Label, p.Text, _ = splitLabel(text)
		switch {
		case m.noLabel:
			p.Label, p.Text = "", text
		case m.hasLabel:
			p.Label, p.Text = m.label, text
		}
		p.Action = ActionADD
		if len(paras) > 0 || headingRow {
			p.Action = ActionMOD
		}
	}
	if m.action != "" {
		p.Action = m.action
	}
	if m.status != "" && m.status != "tabled" {
		p.Status = m.status
	}
	switch {
	case m.noRef:
		p.Ref = ""
	case m.ref != "":
		p.Ref = m.ref
	}
	// A suggestion stays with the proposal after the chair assigns it, as
	// the record of what the import found.
	p.SuggestedProposer = m.suggested
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
