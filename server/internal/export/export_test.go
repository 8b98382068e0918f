package export

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/draftroom/draftroom/server/internal/delegation"
	"github.com/draftroom/draftroom/server/internal/palette"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

func export(t testing.TB, f Format, in Input) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, f, in); err != nil {
		t.Fatalf("%s: %v", f, err)
	}
	return b.Bytes()
}

// Markdown and plain text are compared with golden files; run
// `go test ./server/internal/export -run Golden -update` after an
// intended change and review the diff.
func TestGolden(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		f    Format
		in   Input
	}{
		{"fixture.md", MD, fixtureInput()},
		{"fixture.txt", TXT, fixtureInput()},
		{"fixture_redline.md", MD, redlineInput()},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := export(t, c.f, c.in)
			path := filepath.Join("testdata", c.name+".golden")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s:\n%s", c.name, path, got)
			}
		})
	}
}

func TestParseFormatAndNames(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"docx", "DOCX", ".md", "akn", "xlsx"} {
		if _, err := ParseFormat(s); err != nil {
			t.Errorf("ParseFormat(%q): %v", s, err)
		}
	}
	for _, s := range []string{"", "pdf", "doc"} {
		if _, err := ParseFormat(s); err == nil || !strings.Contains(err.Error(), "docx, html, md, txt, akn, csv or xlsx") {
			t.Errorf("ParseFormat(%q) = %v", s, err)
		}
	}
	if got := Filename(DOCX, redlineInput()); got != "Draft-new-Resolution-Connecting-schools-clinics_Rev.2_changes-since-Rev.1.docx" {
		t.Errorf("Filename = %q", got)
	}
	in := fixtureInput()
	in.Version = ""
	if got := Filename(AKN, in); got != "Draft-new-Resolution-Connecting-schools-clinics_seq42.akn.xml" {
		t.Errorf("Filename = %q", got)
	}
	if err := Write(io.Discard, TXT, redlineInput()); err == nil {
		t.Error("a txt redline was accepted")
	}
}

// User text comes out intact and inert in every format: no element,
// link, formula or CDATA end escapes from it.
func TestEscaping(t *testing.T) {
	t.Parallel()
	in := Input{Doc: nastyDoc(), Time: fixtureTime}
	for _, f := range Formats {
		t.Run(string(f), func(t *testing.T) {
			out := export(t, f, in)
			switch f {
			case DOCX:
				text := docxText(t, out)
				for _, want := range []string{nasty, "Title <b>&amp;</b> ]]>", "RECALLING <i>"} {
					if !strings.Contains(text, want) {
						t.Errorf("docx text lacks %q", want)
					}
				}
			case AKN:
				text := xmlText2(t, out)
				if !strings.Contains(text, nasty) {
					t.Errorf("akn text lacks the paragraph:\n%s", text)
				}
			case HTML:
				s := string(out)
				if strings.Contains(s, "<script") || strings.Contains(s, "<b>") || strings.Contains(s, "<i>") || strings.Contains(s, `href=`) {
					t.Errorf("html lets markup through:\n%s", s)
				}
				if !strings.Contains(s, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; ]]&gt;") {
					t.Errorf("html lacks the escaped paragraph:\n%s", s)
				}
			case MD:
				s := string(out)
				// Every <, *, and ]( of the user's text is backslash-escaped.
				if regexp.MustCompile(`(^|[^\\])(<|\]\()`).MatchString(s) || strings.Contains(s, " *b*") {
					t.Errorf("md lets markup through:\n%s", s)
				}
				if !strings.Contains(s, `\<script\>alert("x")\</script\> \& ]]\> 'q' [a\](javascript:x) \*b\* =SUM(A1)`) {
					t.Errorf("md lacks the escaped paragraph:\n%s", s)
				}
			case TXT:
				if !strings.Contains(string(out), "c) "+nasty+"\n") {
					t.Errorf("txt lacks the paragraph intact:\n%s", out)
				}
			case CSV:
				recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(out, []byte("\uFEFF")))).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				if !hasCell(recs, "c) "+nasty) || !hasCell(recs, "'=SUM(A1)") && !hasCell(recs, "c) "+nasty) {
					t.Errorf("csv lacks the paragraph intact: %q", recs)
				}
			case XLSX:
				x, err := excelize.OpenReader(bytes.NewReader(out))
				if err != nil {
					t.Fatal(err)
				}
				rows, err := x.GetRows("Compilation")
				if err != nil {
					t.Fatal(err)
				}
				if !hasCell(rows, "c) "+nasty) || rows[0][0] != "Title: Title <b>&amp;</b> ]]>" {
					t.Errorf("xlsx lacks the text intact: %q", rows)
				}
			}
		})
	}
}

// A cell a spreadsheet would run as a formula is guarded in CSV.
func TestCSVFormulaGuard(t *testing.T) {
	t.Parallel()
	d := fixture()
	d.Sections[3].Paragraphs[0] = original("p-f", "", "=HYPERLINK(\"http://x\")")
	out := export(t, CSV, Input{Doc: d})
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(out, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		for _, c := range r {
			if strings.HasPrefix(c, "=") {
				t.Errorf("unguarded formula cell %q", c)
			}
		}
	}
	if !hasCell(recs, `'=HYPERLINK("http://x")`) {
		t.Errorf("guarded cell missing: %q", recs)
	}
}

func hasCell(rows [][]string, want string) bool {
	for _, r := range rows {
		for _, c := range r {
			if c == want {
				return true
			}
		}
	}
	return false
}

// xmlText2 parses an XML document (failing the test if it is not well
// formed) and returns its character data.
func xmlText2(t *testing.T, data []byte) string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	var b strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return b.String()
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		if cd, ok := tok.(xml.CharData); ok {
			b.Write(cd)
		}
	}
}

func TestRTL(t *testing.T) {
	t.Parallel()
	if !isRTL(arabicText) || isRTL("to strengthen [تعاون] cooperation among States") || !hasRTL("a ب") {
		t.Fatal("isRTL/hasRTL")
	}
	html := string(export(t, HTML, fixtureInput()))
	if !strings.Contains(html, `id="p-p-ar" dir="rtl"`) {
		t.Errorf("the Arabic paragraph is not dir=rtl:\n%s", html)
	}
	if strings.Count(html, `dir="rtl">`) != 1 {
		t.Errorf("dir=rtl on %d paragraphs, want 1", strings.Count(html, `dir="rtl">`))
	}
}

// Groups nest, pieces never cross them, and inserted text is cut at
// group boundaries with one author per piece.
func TestInterleave(t *testing.T) {
	t.Parallel()
	v := testView(fixtureInput())
	if got, want := render(findPara(t, v, "p-r3").items), "{[to report {[annually][biennially]} to the Council;]}"; got != want {
		t.Errorf("nesting: %s, want %s", got, want)
	}
	v = testView(redlineInput())
	if got, want := render(findPara(t, v, "p-r1").items), "to {+[BRAstrengthen+][enhance international]BRA} cooperation among Member States;"; got != want {
		t.Errorf("redline items: %s\nwant %s", got, want)
	}
	if got, want := render(findPara(t, v, "p-r2").items), "to study the matter- carefullychair;"; got != want {
		t.Errorf("deletion: %s\nwant %s", got, want)
	}
	if p := findPara(t, v, "p-r5"); p.mark != opDelete || render(p.items) != "-[to keep an obsolete clause;]chair" {
		t.Errorf("removed paragraph: %+v", p)
	}
	if p := findPara(t, v, "p-r3"); p.mark != opInsert || p.author != "CEPT" {
		t.Errorf("added paragraph: %+v", p)
	}
}

func testView(in Input) *view {
	in.Registry = delegation.Default()
	return build(in)
}

func findPara(t *testing.T, v *view, id string) *para {
	t.Helper()
	for i := range v.sections {
		for j := range v.sections[i].paras {
			if v.sections[i].paras[j].id == id {
				return &v.sections[i].paras[j]
			}
		}
	}
	t.Fatalf("no paragraph %s", id)
	return nil
}

// render shows items compactly: {...} a group, +x+A an insertion by A.
func render(items []item) string {
	var b strings.Builder
	for _, it := range items {
		switch {
		case it.kind == itemOpen:
			b.WriteString("{")
		case it.kind == itemClose:
			b.WriteString("}")
		case it.op == opInsert:
			b.WriteString("+" + it.text + it.author)
		case it.op == opDelete:
			b.WriteString("-" + it.text + it.author)
		default:
			b.WriteString(it.text)
		}
	}
	return b.String()
}

// The HTML page: no script, print CSS, bracket groups with their
// proposers, redline marks with their authors.
func TestHTML(t *testing.T) {
	t.Parallel()
	s := string(export(t, HTML, redlineInput()))
	for _, want := range []string{
		"<!DOCTYPE html>", "@page", "@media print",
		`<h2 class="preamble">RECALLING</h2>`,
		`<span class="bracket top" title="Bracketed by Brazil, European Conference of Postal and Telecommunications Administrations, Chair" data-proposers="BRA CEPT Chair">`,
		`<ins title="Inserted by Brazil" data-author="BRA" datetime="2031-05-04T10:30:00Z">[</ins>strengthen`,
		`<del title="Deleted by Chair" data-author="Chair" datetime="2031-05-04T10:30:00Z"> carefully</del>;`,
		`<p class="para open removed" id="p-p-r5" title="Paragraph deleted by Chair"><span class="label"><del>5</del></span>`,
		`<p class="para agreed_ad_ref" id="p-p-r2">`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("html lacks %s", want)
		}
	}
	if strings.Contains(strings.ToLower(s), "<script") {
		t.Error("html has a script")
	}
}

// The HTML export tints each author's words in the delegation colours of
// the web client (one palette), with a legend; the original text is plain.
func TestHTMLColoursByAuthor(t *testing.T) {
	for name, in := range map[string]Input{"working text": fixtureInput(), "redline": redlineInput()} {
		s := string(export(t, HTML, in))
		for _, want := range []string{
			// Brazil's brackets around original words, and its alternative.
			`<span class="au ` + palette.Class("BRA") + `" title="Written by Brazil">[</span>`,
			// The Arabic States' bracketed words, inside their group.
			`<span class="au ` + palette.Class("ARB") + `" title="Written by Arab States">`,
			`<span class="au au-chair" title="Written by Chair">`,
			"." + palette.Class("BRA") + "{background:" + palette.Hex("BRA") + "}",
			`<p class="legend">Colours: <span class="au au-chair">Chair</span>  <span class="au ` + palette.Class("ARB") + `">ARB</span> Arab States`,
		} {
			if name == "redline" && (strings.Contains(want, "Written by Brazil") || strings.Contains(want, "Written by Chair")) {
				continue // new since Rev.1: shown as insertions
			}
			if !strings.Contains(s, want) {
				t.Errorf("%s: html lacks %s", name, want)
			}
		}
		if strings.Contains(s, `title="Written by Original text"`) {
			t.Errorf("%s: the original text is tinted", name)
		}
	}
}
