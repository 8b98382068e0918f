package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/draftroom/draftroom/server/internal/compile"
	"github.com/draftroom/draftroom/server/wire"
)

// The CSV and XLSX exports are the comparison table the secretariat
// circulates and package compile imports back into the same document
// (everything but ids, source rows and authorship): see "The comparison
// table" in README.md for the shape. In short:
//
//   - above the header: "Title: …", "Language: French (fr)", and the
//     document's captions;
//   - the header: "#", "Original (base ref)", one column per proposer
//     headed "Name --- ACTION REF", then, when needed, "Proposer unknown",
//     "Notes" and "Status", and last the working text, which the importer
//     skips;
//   - a row per heading and per paragraph (label and base text in the
//     Original cell), each proposal in its proposer's column; a
//     paragraph's further proposals on rows with the same "#"; a
//     section's own proposals on rows of their own after its paragraphs;
//     the Reasons row last;
//   - a cell whose meaning its place does not give starts with a line in
//     square brackets: "[MOD; withdrawn; ref B/1/2; suggested BRA]" on a
//     proposal, "[reasons; by Brazil]" on a note, "[heading: operative]"
//     or "[paragraph]" on an Original cell.
//
// A paragraph with no base text (added in the room) has an empty Original
// cell, so it is only in the working-text column.

type table struct {
	above []string   // lines above the header
	rows  [][]string // header first
}

// column is one proposer column: who, with which reference.
type column struct {
	code, name, action, ref string
}

func (c column) header() string {
	h := c.name
	if c.action != "" || c.ref != "" {
		h += " ---"
		if c.action != "" {
			h += " " + c.action
		}
		if c.ref != "" {
			h += " " + c.ref
		}
	}
	return h
}

type tableBuilder struct {
	in      Input
	cols    []column
	rows    []tableRow
	unknown bool // a proposal has no proposer: the "Proposer unknown" column
	notes   bool // a note is in a row: the "Notes" column
	status  bool // a paragraph is not open: the "Status" column
	// notesBy are the notes of each section and paragraph, by id.
	notesBy map[string][]wire.Note
	n       int // the last row number given
	// prevHeading is the last section's heading: a section with the same
	// heading must be marked as new, or it reads as a restatement.
	prevHeading string
}

// tableRow is a data row before the columns are known.
type tableRow struct {
	id       int
	original string
	cells    map[int]string // by column index; unknownCol for no proposer
	notes    string
	status   string
	working  string
}

// unknownCol is the cell key of the "Proposer unknown" column.
const unknownCol = -1

func buildTable(in Input) table {
	t := &tableBuilder{in: in, notesBy: map[string][]wire.Note{}}
	for _, p := range in.Doc.Proposers {
		c := column{name: p.Name, action: p.Action, ref: p.Ref}
		if p.Code != nil {
			c.code = *p.Code
		}
		t.cols = append(t.cols, c)
	}
	var docNotes, captions, reasons []wire.Note
	for _, n := range in.Doc.Notes {
		switch {
		case n.Paragraph != nil:
			t.notesBy[*n.Paragraph] = append(t.notesBy[*n.Paragraph], n)
		case n.Section != nil:
			t.notesBy[*n.Section] = append(t.notesBy[*n.Section], n)
		case n.Kind == compile.NoteCaption && compile.IsPlainCaption(n.Text):
			captions = append(captions, n)
		case n.Kind == compile.NoteReasons:
			reasons = append(reasons, n)
		default:
			docNotes = append(docNotes, n)
		}
	}
	if len(docNotes) > 0 {
		t.add(tableRow{notes: noteCell(docNotes)})
	}
	for _, s := range in.Doc.Sections {
		t.section(s)
	}
	if len(reasons) > 0 {
		t.reasons(reasons)
	}
	for _, r := range t.rows {
		t.notes = t.notes || r.notes != ""
	}

	header := []string{"#", "Original"}
	if in.Doc.BaseRef != "" {
		header[1] = "Original (" + in.Doc.BaseRef + ")"
	}
	for _, c := range t.cols {
		header = append(header, c.header())
	}
	extra := map[string]int{}
	for _, e := range []struct {
		on   bool
		name string
	}{{t.unknown, compile.UnknownProposerHeader}, {t.notes, compile.NotesHeader}, {t.status, compile.StatusHeader}} {
		if e.on {
			extra[e.name] = len(header)
			header = append(header, e.name)
		}
	}
	working := "Working text (seq " + fmt.Sprint(in.Doc.Seq) + ")"
	if in.Version != "" {
		working = "Working text (" + in.Version + ", seq " + fmt.Sprint(in.Doc.Seq) + ")"
	}
	header = append(header, working)
	rows := [][]string{header}
	for _, r := range t.rows {
		row := make([]string, len(header))
		if r.id > 0 {
			row[0] = fmt.Sprint(r.id)
		}
		row[1] = r.original
		for c, v := range r.cells {
			if c == unknownCol {
				row[extra[compile.UnknownProposerHeader]] = v
			} else {
				row[2+c] = v
			}
		}
		if r.notes != "" {
			row[extra[compile.NotesHeader]] = r.notes
		}
		if r.status != "" {
			row[extra[compile.StatusHeader]] = r.status
		}
		row[len(row)-1] = r.working
		rows = append(rows, row)
	}

	var above []string
	if title := in.Doc.Title; title != "" {
		above = append(above, "Title: "+oneLine(title))
	}
	// The language, even unknown, so that the importer records it rather
	// than guess it.
	if in.Doc.Lang != "" {
		above = append(above, "Language: "+compile.LangName(in.Doc.Lang)+" ("+in.Doc.Lang+")")
	} else {
		above = append(above, "Language: "+compile.LangUnknown)
	}
	for _, n := range captions {
		above = append(above, n.Text)
	}
	return table{above: above, rows: rows}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func (t *tableBuilder) add(r tableRow) {
	if r.id == 0 && (r.original != "" || len(r.cells) > 0) {
		t.n++
		r.id = t.n
	}
	t.rows = append(t.rows, r)
}

// col returns the column of a proposal: its proposer's, the one with its
// reference first. A proposer the table has no column for yet (a proposal
// tabled in the room by another delegation) gets one.
func (t *tableBuilder) col(p wire.Proposal) int {
	code := ""
	if p.Proposer != nil {
		code = *p.Proposer
	}
	if code == "" && p.ProposerName != "" && p.ProposerName != compile.UnknownProposer {
		// A column whose name did not resolve keeps its proposals by name.
		for i, c := range t.cols {
			if c.code == "" && c.name == p.ProposerName {
				return i
			}
		}
	}
	if code == "" {
		t.unknown = true
		return unknownCol
	}
	found := -1
	for i, c := range t.cols {
		if c.code == code {
			if c.ref == p.Ref {
				return i
			}
			if found < 0 {
				found = i
			}
		}
	}
	if found >= 0 {
		return found
	}
	name := p.ProposerName
	if d, ok := t.in.Registry.Get(code); ok && name == "" {
		name = d.Name
	}
	if name == "" {
		name = code
	}
	t.cols = append(t.cols, column{code: code, name: name, action: p.Action, ref: p.Ref})
	return len(t.cols) - 1
}

// proposalCell is what a proposal's cell says: its label and text, or its
// action alone for a SUP or NOC without text, after a bracketed line with
// whatever its place in the table does not say (inferred is the action a
// cell in that place is read as).
func (t *tableBuilder) proposalCell(p wire.Proposal, col int, inferred string) string {
	var meta []string
	text := joinLabel(p.Label, p.Text)
	bare := (p.Action == compile.ActionSUP || p.Action == compile.ActionNOC) && p.Label == "" && p.Text == ""
	switch {
	case bare:
		text = p.Action
	case p.Action != inferred || compile.ActionOnly(text) != "":
		meta = append(meta, p.Action)
	}
	if p.Status != "" && p.Status != "tabled" {
		meta = append(meta, p.Status)
	}
	colRef := ""
	if col >= 0 {
		colRef = t.cols[col].ref
	}
	switch {
	case p.Ref == colRef:
	case p.Ref == "":
		meta = append(meta, "no ref")
	default:
		meta = append(meta, "ref "+p.Ref)
	}
	if p.SuggestedProposer != "" {
		meta = append(meta, "suggested "+p.SuggestedProposer)
	}
	if p.Label == "" && compile.StartsWithLabel(p.Text) {
		meta = append(meta, "no label")
	}
	if len(meta) == 0 && compile.IsMetaLine(firstLine(text)) {
		meta = append(meta, p.Action) // keep a text that looks like a tag a text
	}
	if len(meta) > 0 {
		return "[" + strings.Join(meta, "; ") + "]\n" + text
	}
	return text
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// joinLabel is a label and a text as the table shows them.
func joinLabel(label, text string) string { return compile.Labelled(label, text) }

func (t *tableBuilder) section(s wire.Section) {
	// An untitled section (text before the first heading) needs a heading
	// row only to carry notes: its first paragraph opens it otherwise.
	if s.Heading != "" || len(t.notesBy[s.ID]) > 0 {
		t.add(tableRow{original: compile.HeadingCell(t.prevHeading, s.Heading, s.Kind), notes: noteCell(t.notesBy[s.ID])})
	}
	t.prevHeading = s.Heading
	for _, p := range s.Paragraphs {
		t.paragraph(p)
	}
	// The section's own proposals, in order, each on a row of its own.
	for _, pr := range s.Proposals {
		c := t.col(pr)
		t.add(tableRow{cells: map[int]string{c: t.proposalCell(pr, c, compile.ActionADD)}})
	}
}

// paragraph adds a paragraph's row, and rows with the same number for the
// proposals that cannot share it: a column that already has one, or a
// column before the last one filled, which would change their order.
func (t *tableBuilder) paragraph(p wire.Paragraph) {
	original := ""
	if p.BaseText != "" {
		original = compile.ParagraphCell(p.Label, p.BaseText)
	}
	r := tableRow{original: original, cells: map[int]string{}, notes: noteCell(t.notesBy[p.ID]), working: joinLabel(p.Label, p.Text)}
	if p.Status != "" && p.Status != "open" {
		r.status = compile.StatusCell(p.Status)
		t.status = true
	}
	t.add(r)
	id := t.n
	cur := &t.rows[len(t.rows)-1]
	last := -2 // unknownCol is -1: any column comes after "none yet"
	for _, pr := range p.Proposals {
		c := t.col(pr)
		if _, taken := cur.cells[c]; taken || c <= last {
			t.rows = append(t.rows, tableRow{id: id, cells: map[int]string{}})
			cur = &t.rows[len(t.rows)-1]
		}
		cur.cells[c] = t.proposalCell(pr, c, compile.ActionMOD)
		last = c
	}
}

// reasons writes the Reasons row: the reasons of the whole text in the
// Original cell, each proposer's in its column.
func (t *tableBuilder) reasons(ns []wire.Note) {
	r := tableRow{cells: map[int]string{}}
	var general []wire.Note
	byCol := map[int][]wire.Note{}
	for _, n := range ns {
		c := -1
		for i, col := range t.cols {
			if n.Author != "" && col.name == n.Author {
				c = i
				break
			}
		}
		if c < 0 {
			general = append(general, n)
			continue
		}
		byCol[c] = append(byCol[c], n)
	}
	r.original = compile.ReasonsCell(noteTexts(general))
	for c, list := range byCol {
		r.cells[c] = strings.Join(noteTexts(list), "\n\n")
	}
	t.add(r)
}

func noteTexts(ns []wire.Note) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.Text
	}
	return out
}

// noteCell writes notes for the Notes column, and turns the column on.
func noteCell(ns []wire.Note) string {
	if len(ns) == 0 {
		return ""
	}
	cells := make([]compile.CellNote, len(ns))
	for i, n := range ns {
		cells[i] = compile.CellNote{Kind: n.Kind, Author: n.Author, Text: n.Text}
	}
	return compile.NotesCell(cells)
}

// guard puts an apostrophe before a CSV cell that a spreadsheet would run
// as a formula: one starting with =, +, - or @, or with a tab or carriage
// return, which spreadsheets skip before looking for those (OWASP's CSV
// injection rule). The importer takes the apostrophe off again.
func guard(s string) string {
	if s != "" && strings.ContainsRune(formulaStarts, rune(s[0])) {
		return "'" + s
	}
	return s
}

// formulaStarts are the first characters that make a spreadsheet read a
// cell as a formula.
const formulaStarts = "=+-@\t\r"

func writeCSV(w io.Writer, in Input) error {
	t := buildTable(in)
	// The byte order mark makes Excel read UTF-8; the importer skips it.
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	width := len(t.rows[0])
	for _, line := range t.above {
		row := make([]string, width)
		row[0] = guard(line)
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	for _, r := range t.rows {
		out := make([]string, len(r))
		for i, v := range r {
			out[i] = guard(v)
		}
		if err := cw.Write(out); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeXLSX(w io.Writer, in Input) error {
	t := buildTable(in)
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Compilation"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	wrap := &excelize.Alignment{WrapText: true, Vertical: "top"}
	bodyStyle, err := f.NewStyle(&excelize.Style{Alignment: wrap})
	if err != nil {
		return err
	}
	headStyle, err := f.NewStyle(&excelize.Style{Alignment: wrap, Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	titleStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}})
	if err != nil {
		return err
	}
	width := len(t.rows[0])
	if err := sw.SetColWidth(1, 1, 5); err != nil {
		return err
	}
	if err := sw.SetColWidth(2, width, 45); err != nil {
		return err
	}
	headerRow := len(t.above) + 1
	top, _ := excelize.CoordinatesToCellName(1, headerRow+1)
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: top, ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	n := 1
	for _, line := range t.above {
		at, _ := excelize.CoordinatesToCellName(1, n)
		if err := sw.SetRow(at, []any{cleanText(line)}, excelize.RowOpts{StyleID: titleStyle}); err != nil {
			return err
		}
		n++
	}
	for i, r := range t.rows {
		values := make([]any, len(r))
		for j, v := range r {
			values[j] = cleanText(v)
		}
		style := bodyStyle
		if i == 0 {
			style = headStyle
		} else if r[0] != "" {
			var id int
			fmt.Sscan(r[0], &id)
			values[0] = id // row numbers as numbers
		}
		at, _ := excelize.CoordinatesToCellName(1, n)
		if err := sw.SetRow(at, values, excelize.RowOpts{StyleID: style}); err != nil {
			return fmt.Errorf("xlsx row %d: %w", n, err)
		}
		n++
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}
