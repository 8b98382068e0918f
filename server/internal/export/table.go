package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/draftroom/draftroom/server/wire"
)

// The CSV and XLSX exports are the comparison table the secretariat
// circulates and package compile imports: a "#" column, the Original
// column (the base text, its header carrying the base reference), one
// column per proposer headed "Name --- ACTION REF", and last the working
// text, under a "Working text …" header that the importer skips. Importing
// the file gives back the sections, paragraphs and proposals.
//
// What the table cannot say exactly:
//   - a paragraph with no base text (added in the room) has an empty
//     Original cell, so it is only in the working-text column;
//   - a section-level proposal other than an ADD sits in the heading row;
//     an ADD, and a second proposal of one column for one paragraph, go on
//     rows of their own after it, and come back as section-level ADDs;
//   - withdrawn proposals are left out.

// formulaStarts are the first characters that make a spreadsheet read a
// cell as a formula.
const formulaStarts = "=+-@\t\r"

type table struct {
	title string
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
	in   Input
	cols []column
	rows [][]string
}

func buildTable(in Input) table {
	t := &tableBuilder{in: in}
	for _, p := range in.Doc.Proposers {
		c := column{name: p.Name, action: p.Action, ref: p.Ref}
		if p.Code != nil {
			c.code = *p.Code
		}
		t.cols = append(t.cols, c)
	}
	for _, s := range in.Doc.Sections {
		t.section(s)
	}
	header := []string{"#", "Original"}
	if in.Doc.BaseRef != "" {
		header[1] = "Original (" + in.Doc.BaseRef + ")"
	}
	for _, c := range t.cols {
		header = append(header, c.header())
	}
	working := "Working text (seq " + fmt.Sprint(in.Doc.Seq) + ")"
	if in.Version != "" {
		working = "Working text (" + in.Version + ", seq " + fmt.Sprint(in.Doc.Seq) + ")"
	}
	header = append(header, working)
	width := len(header)
	rows := [][]string{header}
	for i, r := range t.rows {
		// Columns added after a row was made (proposals tabled in the
		// room) widen the table: the working text moves to the end.
		row := make([]string, width)
		copy(row, r[:len(r)-1])
		row[width-1] = r[len(r)-1]
		row[0] = fmt.Sprint(i + 1)
		rows = append(rows, row)
	}
	title := in.Doc.Title
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(title)), "original") {
		title = "" // a title row would be read as the header
	}
	return table{title: title, rows: rows}
}

// col returns the column of a proposal, adding one for a proposer or
// reference the table does not have yet (a proposal tabled in the room).
func (t *tableBuilder) col(p wire.Proposal) int {
	code := ""
	if p.Proposer != nil {
		code = *p.Proposer
	}
	for i, c := range t.cols {
		same := (code != "" && c.code == code) || (code == "" && c.code == "" && c.name == p.ProposerName)
		if same && c.ref == p.Ref {
			return i
		}
	}
	name := p.ProposerName
	if code != "" {
		if d, ok := t.in.Registry.Get(code); ok {
			name = d.Name
		} else if name == "" {
			name = code
		}
	}
	if name == "" {
		name = "(unknown)"
	}
	t.cols = append(t.cols, column{code: code, name: name, action: p.Action, ref: p.Ref})
	return len(t.cols) - 1
}

// cell is what a proposal's cell says: its label and text, or its action
// alone for SUP and NOC.
func cell(p wire.Proposal) string {
	if p.Action == "SUP" || p.Action == "NOC" {
		return p.Action
	}
	return joinLabel(p.Label, p.Text)
}

func joinLabel(label, text string) string {
	switch {
	case label == "":
		return text
	case text == "":
		return label
	}
	return label + " " + text
}

// row adds a data row: the Original cell, proposer cells by column index,
// and the working text.
func (t *tableBuilder) row(original string, cells map[int]string, working string) {
	r := make([]string, 2+len(t.cols)+1)
	r[1] = original
	for c, v := range cells {
		r[2+c] = v
	}
	r[len(r)-1] = working
	t.rows = append(t.rows, r)
}

func (t *tableBuilder) section(s wire.Section) {
	var adds []wire.Proposal
	if s.Heading != "" {
		cells := map[int]string{}
		for _, p := range s.Proposals {
			if p.Status == "withdrawn" {
				continue
			}
			c := t.col(p)
			if _, taken := cells[c]; taken || p.Action == "ADD" || cell(p) == "" {
				adds = append(adds, p)
				continue
			}
			cells[c] = cell(p)
		}
		t.row(s.Heading, cells, "")
	} else {
		adds = s.Proposals
	}
	for _, p := range s.Paragraphs {
		original := ""
		if p.BaseText != "" {
			original = joinLabel(p.Label, p.BaseText)
		}
		cells := map[int]string{}
		var rest []wire.Proposal
		for _, pr := range p.Proposals {
			if pr.Status == "withdrawn" || cell(pr) == "" {
				continue
			}
			c := t.col(pr)
			if _, taken := cells[c]; taken || pr.Action == "ADD" {
				rest = append(rest, pr)
				continue
			}
			cells[c] = cell(pr)
		}
		t.row(original, cells, joinLabel(p.Label, p.Text))
		t.extra(rest)
	}
	t.extra(adds)
}

// extra gives each proposal a row of its own, with no Original cell.
func (t *tableBuilder) extra(ps []wire.Proposal) {
	for _, p := range ps {
		if p.Status == "withdrawn" || cell(p) == "" {
			continue
		}
		t.row("", map[int]string{t.col(p): cell(p)}, "")
	}
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

func writeCSV(w io.Writer, in Input) error {
	t := buildTable(in)
	// The byte order mark makes Excel read UTF-8; the importer skips it.
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	// No title row in CSV: the header must be the first line for the
	// importer to recognize the file as CSV without a file name.
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
	headerRow := 1
	if t.title != "" {
		headerRow = 2
	}
	top, _ := excelize.CoordinatesToCellName(1, headerRow+1)
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: top, ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	n := 1
	if t.title != "" {
		if err := sw.SetRow("A1", []any{cleanText(t.title)}, excelize.RowOpts{StyleID: titleStyle}); err != nil {
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
		} else {
			values[0] = i // row numbers as numbers
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
