package compile

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/server/internal/delegation"
)

// checkEarlyWarning holds the expectations shared by the CSV fixture and
// the XLSX made from it.
func checkEarlyWarning(t *testing.T, c *Compilation) {
	t.Helper()
	if c.BaseRef != "Rev. Montevideo 2031" {
		t.Errorf("BaseRef = %q", c.BaseRef)
	}
	want := []Proposer{
		{Name: "Brazil", Code: "BRA", Action: "MOD", Ref: "B/12/3"},
		{Name: "Côte d'Ivoire", Code: "CIV", Action: "MOD", Ref: "CTI/14/1"},
		{Name: "Türkiye", Code: "TUR"},
		{Name: "CEPT", Code: "CEPT", Action: "MOD", Ref: "EUR/20A1/5"},
	}
	if !reflect.DeepEqual(withoutMatch(c.Proposers), want) {
		t.Errorf("Proposers = %+v\nwant %+v", c.Proposers, want)
	}
	got := count(c)
	wantCounts := counts{
		Sections: 5, Paragraphs: 8, Proposals: 12, Notes: 3, Unplaced: 1,
		Actions:   map[string]int{"MOD": 5, "ADD": 3, "SUP": 2, "NOC": 2},
		NoteKinds: map[string]int{"reasons": 2, "unplaced": 1},
	}
	if !reflect.DeepEqual(got, wantCounts) {
		t.Errorf("counts = %+v\nwant %+v", got, wantCounts)
	}
	var heads []string
	for _, s := range c.Sections {
		heads = append(heads, s.Heading+"/"+s.Kind)
	}
	wantHeads := []string{
		"RECALLING/preamble", "CONSIDERING/preamble", "RESOLVES/operative",
		"instructs the Director of the Telecommunication Development Bureau/operative",
		"invites Member States/operative",
	}
	if !reflect.DeepEqual(heads, wantHeads) {
		t.Errorf("headings = %q", heads)
	}

	recalling := section(t, c, "RECALLING")
	b := paragraph(t, recalling, "b)")
	if b.Text != "the importance of early-warning systems that reach every person at risk;" {
		t.Errorf("RECALLING b) = %q", b.Text)
	}
	wantB := []Proposal{
		{Proposer: "BRA", Action: "MOD", Ref: "B/12/3", Label: "b)", Row: 3, Column: 1,
			Text: "the importance of people-centred early-warning systems that reach every person at risk, including persons with disabilities;"},
		{Proposer: "TUR", Action: "SUP", Row: 3, Column: 3},
	}
	if !reflect.DeepEqual(b.Proposals, wantB) {
		t.Errorf("RECALLING b) proposals = %+v", b.Proposals)
	}
	// Row 4 has no original text: its proposals are ADDs to the section.
	if len(recalling.Proposals) != 2 || recalling.Proposals[1].Proposer != "CEPT" ||
		recalling.Proposals[1].Action != "ADD" || recalling.Proposals[1].Label != "c)" || recalling.Proposals[1].Row != 4 {
		t.Errorf("RECALLING section proposals = %+v", recalling.Proposals)
	}
	invites := section(t, c, "invites Member States")
	if p := paragraph(t, invites, ""); p.Text != "to share best practices on the warning of populations in remote areas." {
		t.Errorf("invites = %q", p.Text)
	}
	instructs := section(t, c, "instructs the Director of the Telecommunication Development Bureau")
	if len(instructs.Proposals) != 1 || instructs.Proposals[0].Label != "2" || instructs.Proposals[0].Proposer != "TUR" {
		t.Errorf("instructs ADD = %+v", instructs.Proposals)
	}
	if len(c.Unplaced) != 1 || c.Unplaced[0].Text != "secretariat draft 2 - check numbering" {
		t.Errorf("Unplaced = %+v", c.Unplaced)
	}
}

func TestCSVFixture(t *testing.T) {
	c, err := Read(readFixture(t, "early_warning.csv"), "early_warning.csv", FormatAuto, delegation.Default())
	if err != nil {
		t.Fatal(err)
	}
	checkEarlyWarning(t, c)
	if c.Unplaced[0].Line != 19 {
		t.Errorf("unplaced line = %d, want 19", c.Unplaced[0].Line)
	}
}

func TestXLSXFixture(t *testing.T) {
	data := xlsxFromCSV(t, readFixture(t, "early_warning.csv"))
	c, err := Read(data, "upload.bin", FormatAuto, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkEarlyWarning(t, c)
	if c.Unplaced[0].Line != 19 {
		t.Errorf("unplaced sheet row = %d, want 19", c.Unplaced[0].Line)
	}
}

// Semicolon CSV, as spreadsheets in many locales write it, with a title row
// above the header and no row-number column.
func TestCSVSemicolonAndTitle(t *testing.T) {
	src := "Draft revision of Resolution 47 (Rev. Montevideo 2031);;\n" +
		"Original;Brazil --- ADD B/1/1;Atlantis\n" +
		"RESOLVES;;\n" +
		"1 to keep records;1 to keep full records;\n" +
		";2 to publish them;2 to share them\n"
	c, err := Read([]byte(src), "proposals.csv", FormatAuto, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != "Draft revision of Resolution 47 (Rev. Montevideo 2031)" || len(c.Notes) != 0 {
		t.Errorf("Title = %q, notes %+v", c.Title, c.Notes)
	}
	if got := c.Proposers[1]; got.Name != "Atlantis" || got.Code != "" {
		t.Errorf("unresolved proposer = %+v", got)
	}
	s := section(t, c, "RESOLVES")
	if len(s.Proposals) != 2 || s.Proposals[1].Column != 2 || s.Proposals[1].Proposer != "" || s.Proposals[1].Action != "ADD" {
		t.Errorf("ADDs = %+v", s.Proposals)
	}
	if p := paragraph(t, s, "1"); len(p.Proposals) != 1 || p.Proposals[0].Action != "MOD" {
		t.Errorf("MOD = %+v", p.Proposals)
	}
}

// A heading row merged across the sheet keeps its text in column A, here
// the row-number column; a stray word there on a paragraph row is kept as
// unplaced.
func TestTableMergedHeading(t *testing.T) {
	data := xlsxFromRecords(t, [][]string{
		{"#", "Original", "Cuba"},
		{"RESOLVES"},
		{"1", "1 to act;", "1 to act now;"},
		{"draft", "2 to report,", ""},
	})
	c, err := Read(data, "", FormatAuto, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := section(t, c, "RESOLVES")
	if len(s.Paragraphs) != 2 || len(paragraph(t, s, "1").Proposals) != 1 {
		t.Errorf("RESOLVES = %+v", s)
	}
	if len(c.Unplaced) != 1 || c.Unplaced[0].Text != "draft" || c.Unplaced[0].Line != 4 {
		t.Errorf("Unplaced = %+v", c.Unplaced)
	}
	if n := paragraph(t, s, "2").Notes; len(n) != 1 || n[0].Kind != NoteUnplaced {
		t.Errorf("notes = %+v", n)
	}
}

func TestBadInputs(t *testing.T) {
	valid := xlsxFromCSV(t, readFixture(t, "early_warning.csv"))
	noOriginal := xlsxFromRecords(t, [][]string{{"Text", "Brazil"}, {"RESOLVES", ""}})
	tests := []struct {
		name   string
		data   []byte
		file   string
		format Format
		want   error
		msg    string
	}{
		{"empty", nil, "a.txt", FormatAuto, ErrEmpty, "empty file"},
		{"blank", []byte(" \n\t\n"), "a.csv", FormatAuto, ErrEmpty, "empty file"},
		{"empty xlsx", nil, "a.xlsx", FormatXLSX, ErrEmpty, "empty file"},
		{"nul text", []byte("Original\nRESOLVES\n\x00\x01\x02"), "a.txt", FormatAuto, ErrBinary, "line 3: not a text file: NUL byte"},
		{"bad utf8 csv", []byte("Original,Brazil\n\"caf\xe9\",x\n"), "a.csv", FormatAuto, ErrBinary, "line 2: not a text file: invalid UTF-8"},
		{"utf16", []byte("\xff\xfeO\x00r\x00"), "a.csv", FormatAuto, ErrBinary, "UTF-16"},
		{"xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, "rest"...), "a.xls", FormatAuto, ErrBinary, "legacy .xls"},
		{"csv no original", []byte("Text,Brazil\nRESOLVES,\n"), "a.csv", FormatAuto, ErrNoOriginal, `line 1: no Original column: no column header starts with "Original"`},
		{"csv bad quote", []byte("Original,Brazil\n\"a\"b,c\n"), "a.csv", FormatCSV, ErrMalformedCSV, "line 2: malformed CSV"},
		{"csv too wide", []byte("Original" + strings.Repeat(",x", 2000) + "\n"), "a.csv", FormatCSV, ErrTooLarge, "more than 1024 columns"},
		{"text no header", []byte("RESOLVES\n1 to do\n"), "a.txt", FormatText, ErrNoOriginal, "no header row"},
		{"xlsx no original", noOriginal, "a.xlsx", FormatAuto, ErrNoOriginal, "no Original column"},
		{"xlsx truncated", valid[:len(valid)/2], "a.xlsx", FormatAuto, ErrMalformedXLSX, "malformed XLSX: zip: not a valid zip file"},
		{"xlsx not zip", []byte("Original,Brazil\n"), "a.xlsx", FormatAuto, ErrMalformedXLSX, "not a zip archive"},
		{"xlsx legacy", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, "rest"...), "a.xlsx", FormatXLSX, ErrMalformedXLSX, "legacy .xls"},
		{"docx", docx(t), "a.docx", FormatAuto, ErrMalformedXLSX, "a Word document"},
		{"too large", bytes.Repeat([]byte("a"), MaxInputBytes+1), "a.txt", FormatAuto, ErrTooLarge, "file too large: 20971521 bytes, the limit is 20971520"},
		{"unknown format", []byte("x"), "", Format("pdf"), ErrFormat, `unknown format: "pdf"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Read(tt.data, tt.file, tt.format, nil)
			if err == nil {
				t.Fatalf("no error; got %d sections", len(c.Sections))
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("error %q is not %q", err, tt.want)
			}
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Errorf("error %T is not an *InputError", err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not say %q", err, tt.msg)
			}
		})
	}
}

func docx(t *testing.T) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("<w:document/>"))
	zw.Close()
	return buf.Bytes()
}

// A workbook whose sheet inflates from a few kilobytes to more than the
// per-part limit is refused before excelize unpacks it.
func TestZipBomb(t *testing.T) {
	t.Run("inflates", func(t *testing.T) {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
			return flate.NewWriter(w, flate.BestSpeed)
		})
		for _, name := range []string{"[Content_Types].xml", "xl/workbook.xml"} {
			w, _ := zw.Create(name)
			w.Write([]byte("<x/>"))
		}
		w, err := zw.Create("xl/worksheets/sheet1.xml")
		if err != nil {
			t.Fatal(err)
		}
		chunk := bytes.Repeat([]byte(" "), 1<<20)
		for i := 0; i < 21; i++ {
			w.Write(chunk)
		}
		zw.Close()
		if buf.Len() > 200<<10 {
			t.Fatalf("bomb is %d bytes; it should be small", buf.Len())
		}
		_, err = Read(buf.Bytes(), "bomb.xlsx", FormatAuto, nil)
		if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "expands to") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("declared", func(t *testing.T) {
		// Many parts, each under the per-part limit, adding up to more than
		// the workbook limit; their data is never read.
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("xl/workbook.xml")
		w.Write([]byte("<x/>"))
		for i := 0; i < 6; i++ {
			fh := &zip.FileHeader{Name: "xl/media/image" + string(rune('0'+i)) + ".bin", Method: zip.Store,
				UncompressedSize64: 19 << 20, CompressedSize64: 1}
			w, err := zw.CreateRaw(fh)
			if err != nil {
				t.Fatal(err)
			}
			w.Write([]byte{0})
		}
		zw.Close()
		_, err := Read(buf.Bytes(), "bomb.xlsx", FormatAuto, nil)
		if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "expands to more than 100 MB") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("lying", func(t *testing.T) {
		// A part that inflates past the size its directory declares: the
		// zip reader stops it, and the workbook is malformed.
		data := xlsxFromRecords(t, [][]string{{"Original", "Brazil"}, {"RESOLVES", ""}})
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, f := range zr.File {
			raw, err := f.OpenRaw()
			if err != nil {
				t.Fatal(err)
			}
			fh := f.FileHeader
			if strings.HasSuffix(f.Name, "sheet1.xml") {
				fh.UncompressedSize64 = 10
			}
			w, err := zw.CreateRaw(&fh)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.Copy(w, raw); err != nil {
				t.Fatal(err)
			}
		}
		zw.Close()
		_, err = Read(buf.Bytes(), "lying.xlsx", FormatAuto, nil)
		if !errors.Is(err, ErrMalformedXLSX) || !strings.Contains(err.Error(), "sheet1.xml: zip: not a valid zip file") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestSniff(t *testing.T) {
	tests := []struct {
		data, name string
		want       Format
	}{
		{"PK\x03\x04rest", "a.txt", FormatXLSX},
		{"anything", "Table.XLSX", FormatXLSX},
		{"anything", `C:\docs\table.csv`, FormatCSV},
		{"\ufeff#,Original (Rev. 2010),Brazil\n", "", FormatCSV},
		{"Original;Brazil;CEPT\n", "upload", FormatCSV},
		{"sep=;\nOriginal;Brazil\n", "", FormatCSV},
		{"ABCDEFG\n1\nTitle\n", "", FormatText},
		{"Original (Rev. Montevideo 2031)Brazil --- MOD B/12/3\n", "", FormatText},
	}
	for _, tt := range tests {
		if got := Sniff([]byte(tt.data), tt.name); got != tt.want {
			t.Errorf("Sniff(%q, %q) = %s, want %s", tt.data, tt.name, got, tt.want)
		}
	}
}
