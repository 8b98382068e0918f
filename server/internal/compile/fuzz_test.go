package compile

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/draftroom/draftroom/server/internal/delegation"
)

// The fuzz targets check that no input makes Read panic, and that what it
// returns is either an *InputError or a Compilation that holds together.
// Their seed corpora are in testdata/fuzz; TestWriteFuzzCorpus rewrites
// them from the fixtures.

var fuzzReg = delegation.Default()

func FuzzReadText(f *testing.F) {
	for _, s := range textSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Read(data, "fuzz.txt", FormatText, fuzzReg)
		if checkResult(t, c, err, true) {
			checkWordsKept(t, string(data), c)
		}
	})
}

func FuzzReadCSV(f *testing.F) {
	for _, s := range csvSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Read(data, "fuzz.csv", FormatCSV, fuzzReg)
		if checkResult(t, c, err, true) {
			checkCellsKept(t, string(data), c)
		}
	})
}

func FuzzReadXLSX(f *testing.F) {
	for _, s := range xlsxSeeds(f) {
		f.Add(s)
	}
	f.Add([]byte("#,Original (Rev. 2030),Brazil --- MOD B/1/1,\n1,RESOLVES,,x\n2,1 to act,SUP\n,,2 to add"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// Random bytes rarely get past the zip checksums, so input that is
		// not a zip archive is read as rows of comma-separated cells and
		// written to a real workbook: that reaches excelize's sheet reader
		// and the table builder with arbitrary cell text.
		if !bytes.HasPrefix(data, zipMagic) && len(data) < 4096 {
			var recs [][]string
			for _, line := range strings.Split(string(data), "\n") {
				recs = append(recs, strings.Split(line, ","))
			}
			if x, ok := tryXLSX(recs); ok {
				data = x
			}
		}
		c, err := Read(data, "fuzz.xlsx", FormatXLSX, fuzzReg)
		checkResult(t, c, err, false)
	})
}

// tryXLSX writes records to a workbook, or fails where excelize refuses
// the text (it checks cell lengths and XML characters).
func tryXLSX(recs [][]string) ([]byte, bool) {
	f := excelize.NewFile()
	defer f.Close()
	for i, rec := range recs {
		row := make([]any, len(rec))
		for j, v := range rec {
			row[j] = v
		}
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil || f.SetSheetRow("Sheet1", cell, &row) != nil {
			return nil, false
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, false
	}
	return buf.Bytes(), true
}

func textSeeds(tb testing.TB) [][]byte {
	return [][]byte{
		readFixture(tb, "early_warning.txt"),
		[]byte("Original\nRESOLVES\n1\nto act;\n"),
		[]byte("AB\n1\nT\n2\nOriginal (Rev. X)CubaAtlantis --- ADD A/1/1\n3\nNOTING\n4\na)\nthat the text is wrapped at the\nend of the line;\nb) a long proposal " + strings.Repeat("word ", 30) + "\n5\nReasons: none\n"),
	}
}

func csvSeeds(tb testing.TB) [][]byte {
	return [][]byte{
		readFixture(tb, "early_warning.csv"),
		[]byte("sep=;\nOriginal;Brazil\nRESOLVES;\n1 to act;SUP\n;2 to add\n"),
		[]byte("Title\n#,Original,Cuba,,Comments\n1,\"recalling\na) x\nb) y\",\"b) z\",w,c\nReasons:,because\n"),
	}
}

func xlsxSeeds(tb testing.TB) [][]byte {
	return [][]byte{
		xlsxFromCSV(tb, readFixture(tb, "early_warning.csv")),
		xlsxFromRecords(tb, [][]string{{"", "Original (Rev. 2030)", "CEPT --- MOD EUR/1/1"}, {"1", "RESOLVES", ""}, {"2", "1 to act", "NOC"}}),
	}
}

// checkResult checks the invariants of a Read result and reports whether
// there was a Compilation to check further.
func checkResult(t *testing.T, c *Compilation, err error, utf8Input bool) bool {
	t.Helper()
	if err != nil {
		var ie *InputError
		if !errors.As(err, &ie) {
			t.Fatalf("error %T %v is not an *InputError", err, err)
		}
		if c != nil {
			t.Fatal("both a Compilation and an error")
		}
		return false
	}
	if c == nil {
		t.Fatal("no Compilation and no error")
	}
	valid := func(what, s string) {
		if utf8Input && !utf8.ValidString(s) {
			t.Fatalf("%s is not UTF-8: %q", what, s)
		}
	}
	checkNote := func(n Note) {
		switch n.Kind {
		case NoteRemark, NoteReasons, NoteUnplaced, NoteCaption:
		default:
			t.Fatalf("note kind %q", n.Kind)
		}
		if n.Column < 0 || n.Column > len(c.Proposers) {
			t.Fatalf("note column %d of %d", n.Column, len(c.Proposers))
		}
		valid("note", n.Text)
	}
	checkProposal := func(p Proposal) {
		switch p.Action {
		case ActionMOD, ActionADD, ActionSUP, ActionNOC:
		default:
			t.Fatalf("action %q", p.Action)
		}
		if p.Column < 0 || p.Column > len(c.Proposers) {
			t.Fatalf("proposal column %d of %d", p.Column, len(c.Proposers))
		}
		if p.Column > 0 && c.Proposers[p.Column-1].Code != p.Proposer {
			t.Fatalf("proposal of column %d has proposer %q", p.Column, p.Proposer)
		}
		valid("proposal", p.Label+p.Text)
	}
	unplacedNotes := 0
	for _, n := range c.Notes {
		checkNote(n)
		if n.Kind == NoteUnplaced {
			unplacedNotes++
		}
	}
	for _, s := range c.Sections {
		if s.Kind != KindPreamble && s.Kind != KindOperative {
			t.Fatalf("section kind %q", s.Kind)
		}
		valid("heading", s.Heading)
		for _, n := range s.Notes {
			checkNote(n)
			if n.Kind == NoteUnplaced {
				unplacedNotes++
			}
		}
		for _, p := range s.Proposals {
			checkProposal(p)
		}
		for _, p := range s.Paragraphs {
			valid("paragraph", p.Label+p.Text)
			for _, n := range p.Notes {
				checkNote(n)
				if n.Kind == NoteUnplaced {
					unplacedNotes++
				}
			}
			for _, q := range p.Proposals {
				checkProposal(q)
			}
		}
	}
	if unplacedNotes != len(c.Unplaced) {
		t.Fatalf("%d unplaced notes for %d unplaced lines", unplacedNotes, len(c.Unplaced))
	}
	return true
}

// checkWordsKept is checkNothingLost for any input: it compares only
// letters and digits, since on arbitrary text the importer may drop the
// punctuation between a new heading and the text after it.
func checkWordsKept(t *testing.T, src string, c *Compilation) {
	t.Helper()
	var texts []string
	add := func(s string) {
		if s = alnum(s); s != "" {
			texts = append(texts, s)
		}
	}
	forEachText(c, add)
	src = strings.TrimPrefix(src, "\ufeff")
	src = strings.ReplaceAll(strings.ReplaceAll(src, "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(src, "\n")
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	rowAt := rowNumbers(lines)
	// Where the body starts is the importer's own finding (textHeader):
	// the check is that every line after it is kept.
	_, head, body := textHeader(lines, rowAt)
	if head < 0 {
		t.Fatal("a Compilation from text with no header row")
	}
	for i := body; i < len(lines); i++ {
		l := alnum(lines[i])
		if l == "" || rowAt[i] > 0 || bareInt(lines[i]) > 0 || actionOnly(lines[i]) != "" {
			continue
		}
		if !containedIn(l, texts) && !concatenation(l, texts, true) {
			t.Fatalf("line %d is lost: %q", i+1, lines[i])
		}
	}
}

// checkCellsKept checks that the letters and digits of every cell after
// the header row are found in the Compilation. Cells that are only a row
// number, an action word (SUP, NOC) or the word "Reasons" carry no text.
func checkCellsKept(t *testing.T, src string, c *Compilation) {
	t.Helper()
	s, err := decodeText([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	// The rows and the header row are the importer's own reading (csvRows,
	// tableHeader): the check is that every cell after the header is kept.
	rows, err := csvRows(s)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := tableHeader(rows)
	if h < 0 {
		t.Fatal("a Compilation from CSV with no header row")
	}
	var texts []string
	forEachText(c, func(s string) {
		if s = alnum(s); s != "" {
			texts = append(texts, s)
		}
	})
	for _, r := range rows[h+1:] {
		for _, cell := range r.cells {
			if bareInt(cell) > 0 || cell == "0" || actionOnly(cell) != "" || isReasonsWord(cell) {
				continue
			}
			// An Original cell may hold a heading and paragraphs, one a line.
			for _, line := range strings.Split(cell, "\n") {
				if a := alnum(line); a != "" && !containedIn(a, texts) && !concatenation(a, texts, false) {
					t.Fatalf("cell is lost: %q", cell)
				}
			}
		}
	}
}

func alnum(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

func forEachText(c *Compilation, add func(string)) {
	add(c.Title)
	for _, n := range c.Notes {
		add(n.Text)
	}
	prop := func(p Proposal) {
		add(p.Heading)
		add(p.Label + " " + p.Text)
	}
	for _, s := range c.Sections {
		add(s.Heading)
		for _, r := range s.Restated {
			add(r)
		}
		for _, n := range s.Notes {
			add(n.Text)
		}
		for _, p := range s.Proposals {
			prop(p)
		}
		for _, p := range s.Paragraphs {
			add(p.Label + " " + p.Text)
			for _, n := range p.Notes {
				add(n.Text)
			}
			for _, q := range p.Proposals {
				prop(q)
			}
		}
	}
}

// TestWriteFuzzCorpus writes the seed corpora under testdata/fuzz from
// the fixtures when COMPILE_WRITE_CORPUS is set.
func TestWriteFuzzCorpus(t *testing.T) {
	if os.Getenv("COMPILE_WRITE_CORPUS") == "" {
		t.Skip("set COMPILE_WRITE_CORPUS=1 to rewrite testdata/fuzz")
	}
	for name, seeds := range map[string][][]byte{
		"FuzzReadText": textSeeds(t),
		"FuzzReadCSV":  csvSeeds(t),
		"FuzzReadXLSX": xlsxSeeds(t),
	} {
		dir := filepath.Join("testdata", "fuzz", name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for i, s := range seeds {
			body := "go test fuzz v1\n[]byte(" + strconv.Quote(string(s)) + ")\n"
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("seed%d", i)), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
