package export

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/server/wire"
)

func TestRedline(t *testing.T) {
	t.Parallel()
	tests := []struct {
		original, proposed string
		want               string // equal text as is, {+insert+}, {-delete-}
	}{
		{"to strengthen cooperation among Member States;", "to enhance international cooperation among Member States;",
			"to {-strengthen-}{+enhance international+} cooperation among Member States;"},
		{"the work of the Sectors on alerting", "the work of the three Sectors on common alerting",
			"the work of the {+three +}Sectors on{+ common+} alerting"},
		{"that alerts reach everyone;", "that alerts reach everyone;", "that alerts reach everyone;"},
		{"أن الاتصالات ضرورية", "أن الاتصالات ضرورية جداً", "أن الاتصالات ضرورية{+ جداً+}"},
		{"忆及决议", "忆及新决议", "忆及{+新+}决议"},
		// Little in common: the whole text is replaced.
		{"the convention on relief;", "a wholly different text about spectrum for schools;",
			"{-the convention on relief;-}{+a wholly different text about spectrum for schools;+}"},
		// A short word in common between two changes joins them.
		{"to study the matter carefully and report to the Council", "to review all of the questions carefully and report to the Council",
			"to {-study the matter-}{+review all of the questions+} carefully and report to the Council"},
	}
	for _, tt := range tests {
		var b strings.Builder
		for _, p := range Redline(tt.original, tt.proposed) {
			switch p.op {
			case opInsert:
				b.WriteString("{+" + p.text + "+}")
			case opDelete:
				b.WriteString("{-" + p.text + "-}")
			default:
				b.WriteString(p.text)
			}
		}
		if b.String() != tt.want {
			t.Errorf("Redline(%q, %q) = %q, want %q", tt.original, tt.proposed, b.String(), tt.want)
		}
	}
}

// The compilation as a Word document: a landscape table with the original
// and one column per proposer headed with its reference, MODs as
// underline and strike-through formatting (not tracked changes), the
// notes and the Reasons row.
func TestCompilationDOCX(t *testing.T) {
	t.Parallel()
	in := compilationFixture()
	f := readDOCX(t, export(t, DOCX, in))
	doc := string(f.parts["word/document.xml"])
	if err := xml.Unmarshal(f.parts["word/document.xml"], new(struct{})); err != nil {
		t.Fatalf("document.xml is not well-formed: %v", err)
	}
	for _, want := range []string{
		`w:orient="landscape"`,
		`<w:tblHeader/>`,
		`>Brazil</w:t>`, `>MOD B/75/4</w:t>`, `>CEPT</w:t>`, `>MOD EUR/20A1/5</w:t>`, `>Arab States</w:t>`, `>ADD ARB/9/1</w:t>`,
		`<w:rPr><w:u w:val="single"/><w:color w:val="0B5D1E"/></w:rPr><w:t xml:space="preserve">enhance international</w:t>`,
		`<w:rPr><w:strike/><w:color w:val="9B1C1C"/></w:rPr><w:t xml:space="preserve">strengthen</w:t>`,
		`>Reasons</w:t>`, `>Connectivity first.</w:t>`, `>Brazil&apos;s own reason.</w:t>`,
		`>see the Brazilian text (Rapporteur)</w:t>`,
		`>SUP</w:t>`, `>to support developing countries;</w:t>`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
	if strings.Contains(doc, "<w:ins ") || strings.Contains(doc, "<w:del ") {
		t.Error("the compilation uses tracked changes")
	}
	// One grid column for the original, one per proposer, one for notes.
	if n := strings.Count(doc, "<w:gridCol "); n != 5 {
		t.Errorf("%d grid columns, want 5", n)
	}
}

func TestCompilationHTML(t *testing.T) {
	t.Parallel()
	s := string(export(t, HTML, compilationFixture()))
	for _, want := range []string{
		`@page { size: A4 landscape;`,
		`<th scope="col">Brazil<span class="sub">MOD B/75/4</span></th>`,
		`to <del>strengthen</del><ins>enhance international</ins> cooperation among Member States;`,
		`<span class="label">Reasons</span>`,
		`<div class="note" dir="auto">see the Brazilian text (Rapporteur)</div>`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("html lacks %s", want)
		}
	}
}

func TestCompilationRefusals(t *testing.T) {
	t.Parallel()
	in := compilationFixture()
	for _, f := range []Format{MD, TXT, AKN, CSV, XLSX} {
		if err := Write(io.Discard, f, in); err == nil {
			t.Errorf("%s: a compilation was written", f)
		}
	}
	in.Since = fixtureRev1()
	if err := Write(&bytes.Buffer{}, DOCX, in); err == nil {
		t.Error("a compilation with a redline base was written")
	}
	if name := Filename(DOCX, compilationFixture()); !strings.HasSuffix(name, "_compilation.docx") {
		t.Errorf("file name %q", name)
	}
}

// compilationFixture is the fixture with notes and reasons.
func compilationFixture() Input {
	in := fixtureInput()
	in.Compilation = true
	d := in.Doc
	para := d.Sections[0].Paragraphs[1].ID
	sec := d.Sections[0].ID
	d.Notes = []wire.Note{
		{ID: "n1", Text: "see the Brazilian text", Kind: "remark", Author: "Rapporteur", Paragraph: &para, Section: &sec},
		{ID: "n2", Text: "Connectivity first.", Kind: "reasons"},
		{ID: "n3", Text: "Brazil's own reason.", Kind: "reasons", Author: "Brazil"},
	}
	return in
}
