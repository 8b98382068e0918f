package compile

import (
	"bytes"
	"encoding/csv"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/internal/delegation"
)

var (
	zipMagic = []byte("PK\x03\x04")
	// oleMagic opens legacy .xls files and password-protected workbooks.
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	utf8BOM  = []byte{0xEF, 0xBB, 0xBF}
)

// Read parses a compilation table in the given format; FormatAuto (or "")
// picks the format from the content and the file name. A nil reg means
// delegation.Default().
func Read(data []byte, filename string, format Format, reg *delegation.Registry) (*Compilation, error) {
	if len(data) > MaxInputBytes {
		return nil, inputErr(ErrTooLarge, 0, "%d bytes, the limit is %d", len(data), MaxInputBytes)
	}
	if len(bytes.TrimSpace(bytes.TrimPrefix(data, utf8BOM))) == 0 {
		return nil, &InputError{Err: ErrEmpty}
	}
	if reg == nil {
		reg = delegation.Default()
	}
	if format == "" || format == FormatAuto {
		format = Sniff(data, filename)
	}
	var c *Compilation
	var err error
	switch format {
	case FormatText:
		var s string
		if s, err = decodeText(data); err == nil {
			c, err = readText(s, reg)
		}
	case FormatCSV:
		var s string
		if s, err = decodeText(data); err == nil {
			c, err = readCSV(s, reg)
		}
	case FormatXLSX:
		c, err = readXLSX(data, reg)
	default:
		return nil, inputErr(ErrFormat, 0, "%q", string(format))
	}
	if err != nil {
		return nil, err
	}
	c.finish(filename, reg)
	if err := c.CheckLimits(); err != nil {
		return nil, err
	}
	return c, nil
}

// Sniff guesses the format of a file: XLSX by the zip signature or the
// name, CSV by the name or a first line that reads as a CSV header with an
// Original column, and otherwise the flattened text form.
func Sniff(data []byte, filename string) Format {
	if bytes.HasPrefix(data, zipMagic) {
		return FormatXLSX
	}
	switch strings.ToLower(path.Ext(strings.ReplaceAll(filename, `\`, "/"))) {
	case ".xlsx", ".xlsm":
		return FormatXLSX
	case ".csv", ".tsv":
		return FormatCSV
	}
	first := bytes.TrimPrefix(data, utf8BOM)
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	if looksLikeCSVHeader(string(bytes.TrimRight(first, "\r"))) || csvWithTitleRows(data) {
		return FormatCSV
	}
	return FormatText
}

// csvWithTitleRows reports whether data reads as CSV records of one width
// (two fields or more), with the header among the first few, under a title
// row or two: the records Draftroom's own export writes above its header
// ("Title: …", "Language: …") have the header's width, as a spreadsheet's
// do. The flattened text form's lines do not line up so.
func csvWithTitleRows(data []byte) bool {
	head := bytes.TrimPrefix(data, utf8BOM)
	if len(head) > 64<<10 {
		head = head[:64<<10]
	}
	for _, d := range delimiters {
		r := csv.NewReader(bytes.NewReader(head))
		r.Comma = d
		r.FieldsPerRecord = 0 // every record as wide as the first
		for i := 0; i < headerScan; i++ {
			rec, err := r.Read()
			if err != nil || len(rec) < 2 {
				break
			}
			filled := 0
			for _, f := range rec {
				if strings.TrimSpace(f) != "" {
					filled++
				}
			}
			for _, f := range rec {
				if filled >= 2 && isOriginalHeader(f) {
					return true
				}
			}
		}
	}
	return false
}

// looksLikeCSVHeader reports whether line parses as CSV into two or more
// fields one of which names the Original column.
func looksLikeCSVHeader(line string) bool {
	if _, ok := sepDirective(line); ok {
		return true
	}
	for _, d := range delimiters {
		r := csv.NewReader(strings.NewReader(line))
		r.Comma = d
		r.LazyQuotes = true
		r.FieldsPerRecord = -1
		rec, err := r.Read()
		if err != nil || len(rec) < 2 {
			continue
		}
		for _, f := range rec {
			if isOriginalHeader(f) {
				return true
			}
		}
	}
	return false
}

// decodeText checks that data is UTF-8 text and returns it with the byte
// order mark dropped and line ends made "\n".
func decodeText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return "", inputErr(ErrBinary, 0, "UTF-16 text; save the file as UTF-8")
	case bytes.HasPrefix(data, oleMagic):
		return "", inputErr(ErrBinary, 0, "a legacy .xls or password-protected workbook; save it as .xlsx without a password")
	case bytes.HasPrefix(data, zipMagic):
		return "", inputErr(ErrBinary, 0, "a zip archive (an .xlsx workbook?); choose the XLSX format")
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return "", inputErr(ErrBinary, lineOf(data, i), "NUL byte")
	}
	if !utf8.Valid(data) {
		i := 0
		for i < len(data) {
			r, w := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && w == 1 {
				break
			}
			i += w
		}
		return "", inputErr(ErrBinary, lineOf(data, i), "invalid UTF-8")
	}
	s := string(data)
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	return s, nil
}

// lineOf returns the 1-based line of byte offset i.
func lineOf(data []byte, i int) int {
	return bytes.Count(data[:i], []byte{'\n'}) + 1
}
