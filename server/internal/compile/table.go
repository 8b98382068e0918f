package compile

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"github.com/draftroom/draftroom/server/internal/delegation"
)

// CSV and XLSX give the table's cells directly: the first row with an
// Original cell is the header, and each later row is a heading or a
// paragraph in the Original column with the proposers' texts beside it.

const (
	// maxColumns bounds the columns of a table; real ones have a few dozen.
	maxColumns = 1024
	// headerScan is how many non-empty rows may precede the header (a
	// title, a document reference).
	headerScan = 20
)

// delimiters are tried in order when a CSV file does not say which it uses.
var delimiters = []rune{',', ';', '\t'}

// A tableRow is one non-empty row of a CSV file or sheet.
type tableRow struct {
	line  int      // 1-based line (CSV) or sheet row (XLSX), for messages
	index int      // 1-based position among the records or sheet rows
	cells []string // trimmed, with line ends made "\n"
}

func (r tableRow) cell(i int) string {
	if i < 0 || i >= len(r.cells) {
		return ""
	}
	return r.cells[i]
}

func (r tableRow) empty() bool {
	for _, c := range r.cells {
		if c != "" {
			return false
		}
	}
	return true
}

// sepDirective reads Excel's "sep=;" first line.
func sepDirective(line string) (rune, bool) {
	line = strings.TrimSpace(line)
	if len(line) == 5 && strings.HasPrefix(strings.ToLower(line), "sep=") {
		return rune(line[4]), true
	}
	return 0, false
}

// readCSV parses CSV text (already checked to be UTF-8).
func readCSV(s string, reg *delegation.Registry) (*Compilation, error) {
	rows, err := csvRows(s)
	if err != nil {
		return nil, err
	}
	return buildTable(rows, reg)
}

// csvRows reads CSV text as the table's non-empty rows, with the
// delimiter a "sep=" line names or, without one, the one under which the
// header row reads.
func csvRows(s string) ([]tableRow, error) {
	comma := ','
	first, _, _ := strings.Cut(s, "\n")
	if d, ok := sepDirective(first); ok {
		if d == '"' || d == '\r' || d == '\n' || d == ' ' {
			return nil, inputErr(ErrMalformedCSV, 1, "invalid delimiter %q", d)
		}
		// Blank the directive rather than cut it, to keep line numbers.
		comma, s = d, s[len(first):]
	} else {
		comma = guessDelimiter(s)
	}
	if err := checkColumns(s, comma); err != nil {
		return nil, err
	}
	r := csv.NewReader(strings.NewReader(s))
	r.Comma = comma
	r.FieldsPerRecord = -1
	var rows []tableRow
	for index := 1; ; index++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, inputErr(ErrMalformedCSV, pe.Line, "%v", pe.Err)
			}
			return nil, inputErr(ErrMalformedCSV, 0, "%v", err)
		}
		if len(rows) >= maxLines {
			return nil, inputErr(ErrTooLarge, 0, "more than %d rows", maxLines)
		}
		line, _ := r.FieldPos(0)
		cells := trimCells(rec)
		for i, c := range cells {
			cells[i] = unguardCell(c)
		}
		row := tableRow{line: line, index: index, cells: cells}
		if !row.empty() {
			rows = append(rows, row)
		}
	}
	return rows, nil
}

// guessDelimiter picks the delimiter under which one of the first records
// has an Original field.
func guessDelimiter(s string) rune {
	for _, d := range delimiters {
		r := csv.NewReader(strings.NewReader(s))
		r.Comma = d
		r.LazyQuotes = true
		r.FieldsPerRecord = -1
		for i := 0; i < headerScan; i++ {
			rec, err := r.Read()
			if err != nil {
				break
			}
			for _, f := range rec {
				if len(rec) > 1 && isOriginalHeader(f) {
					return d
				}
			}
		}
	}
	return ','
}

// checkColumns refuses a record with more than maxColumns fields before
// encoding/csv allocates them: a line of a million commas is 1 MB of input
// and 16 MB of empty strings.
func checkColumns(s string, comma rune) error {
	quoted := false
	fields, line := 1, 1
	for _, r := range s {
		switch {
		case r == '"':
			quoted = !quoted
		case quoted:
			if r == '\n' {
				line++
			}
		case r == comma:
			fields++
			if fields > maxColumns {
				return inputErr(ErrTooLarge, line, "more than %d columns", maxColumns)
			}
		case r == '\n':
			fields = 1
			line++
		}
	}
	return nil
}

func trimCells(rec []string) []string {
	out := make([]string, len(rec))
	last := 0
	for i, c := range rec {
		c = strings.ReplaceAll(c, "\r\n", "\n")
		out[i] = strings.TrimSpace(c)
		if out[i] != "" {
			last = i + 1
		}
	}
	return out[:last]
}

// unguardCell drops the apostrophe that spreadsheet-safe CSV writers
// (Draftroom's export among them) put before a cell starting with =, +, -,
// @, a tab or a carriage return, so that a spreadsheet shows it as text
// instead of running it as a formula.
func unguardCell(c string) string {
	if len(c) >= 2 && c[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(c[1])) {
		return c[1:]
	}
	return c
}
