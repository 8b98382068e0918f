package export

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"slices"
	"sort"
	"strings"
	"testing"
)

// docxPara is what the tests read back from a w:p.
type docxPara struct {
	style   string
	bidi    bool
	rtlRuns int
	text    string // w:t, with w:tab as "\t" and w:br as "\n"
	deleted string // w:delText
	mark    string // "ins" or "del" when the paragraph mark is a revision
}

type docxFile struct {
	parts    map[string][]byte
	paras    []docxPara
	comments map[string]string // id -> author
	starts   []string          // commentRangeStart ids, in order
	ends     []string
	refs     []string
	ins, del []string // revision authors
	dates    map[string]bool
}

func readDOCX(t *testing.T, data []byte) *docxFile {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	f := &docxFile{parts: map[string][]byte{}, comments: map[string]string{}, dates: map[string]bool{}}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		f.parts[zf.Name] = b
		xmlText2(t, b) // every part is well-formed XML
	}
	for _, want := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/comments.xml", "word/_rels/document.xml.rels", "docProps/core.xml"} {
		if f.parts[want] == nil {
			t.Fatalf("no part %s", want)
		}
	}
	attr := func(se xml.StartElement, name string) string {
		for _, a := range se.Attr {
			if a.Name.Local == name {
				return a.Value
			}
		}
		return ""
	}
	dec := xml.NewDecoder(bytes.NewReader(f.parts["word/document.xml"]))
	var cur *docxPara
	var inText, inDel, inPPr bool
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			switch tk.Name.Local {
			case "p":
				f.paras = append(f.paras, docxPara{})
				cur = &f.paras[len(f.paras)-1]
			case "pPr":
				inPPr = true
			case "pStyle":
				cur.style = attr(tk, "val")
			case "bidi":
				cur.bidi = true
			case "rtl":
				cur.rtlRuns++
			case "t":
				inText = true
			case "delText":
				inDel = true
			case "tab":
				if cur != nil && !inPPr {
					cur.text += "\t"
				}
			case "br":
				cur.text += "\n"
			case "ins", "del":
				if inPPr {
					cur.mark = tk.Name.Local
				}
				if tk.Name.Local == "ins" {
					f.ins = append(f.ins, attr(tk, "author"))
				} else {
					f.del = append(f.del, attr(tk, "author"))
				}
				f.dates[attr(tk, "date")] = true
			case "commentRangeStart":
				f.starts = append(f.starts, attr(tk, "id"))
			case "commentRangeEnd":
				f.ends = append(f.ends, attr(tk, "id"))
			case "commentReference":
				f.refs = append(f.refs, attr(tk, "id"))
			}
		case xml.EndElement:
			switch tk.Name.Local {
			case "t":
				inText = false
			case "delText":
				inDel = false
			case "pPr":
				inPPr = false
			}
		case xml.CharData:
			if inText {
				cur.text += string(tk)
			}
			if inDel {
				cur.deleted += string(tk)
			}
		}
	}
	dec = xml.NewDecoder(bytes.NewReader(f.parts["word/comments.xml"]))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "comment" {
			f.comments[attr(se, "id")] = attr(se, "author")
		}
	}
	return f
}

// docxText is the document's text, paragraphs on lines.
func docxText(t *testing.T, data []byte) string {
	var b strings.Builder
	for _, p := range readDOCX(t, data).paras {
		b.WriteString(p.text + "\n")
	}
	return b.String()
}

func TestDOCX(t *testing.T) {
	t.Parallel()
	f := readDOCX(t, export(t, DOCX, fixtureInput()))
	styleOf := map[string]string{}
	var labelled []string
	for _, p := range f.paras {
		styleOf[p.text] = p.style
		if p.style == "Para" {
			labelled = append(labelled, p.text)
		}
	}
	if f.paras[0].style != "Title" || f.paras[0].text != "Draft new Resolution: Connecting schools & clinics" {
		t.Errorf("first paragraph %+v", f.paras[0])
	}
	if styleOf["Base text: Rev. Testville 2030"] != "DocInfo" || styleOf["Rev.2 (seq 42, 2031-05-04 10:30 UTC)"] != "DocInfo" {
		t.Errorf("document information missing: %v", styleOf)
	}
	for h, want := range map[string]string{"RECALLING": "PreambularHeading", "CONSIDERING": "PreambularHeading", "RESOLVES": "OperativeHeading", "instructs the Secretary-General": "OperativeHeading"} {
		if styleOf[h] != want {
			t.Errorf("heading %s has style %q, want %s", h, styleOf[h], want)
		}
	}
	styles := string(f.parts["word/styles.xml"])
	i := strings.Index(styles, `w:styleId="PreambularHeading"`)
	if i < 0 || !strings.Contains(styles[i:i+strings.Index(styles[i:], "</w:style>")], "<w:i/>") {
		t.Error("the preambular heading style is not italic")
	}
	want := []string{
		"a)\tthe convention on relief telecommunications;",
		"b)\tthat connectivity narrows the gap between regions;",
		"a)\t" + arabicText + "[وأن الوقت حاسم.]",
		"1\tto [strengthen][enhance international] cooperation among Member States;",
		"2\tto study the matter;",
		"3\t[to report [annually][biennially] to the Council;]",
		"1\tto bring this resolution to the attention of all Member States.",
	}
	if !slices.Equal(labelled, want) {
		t.Errorf("labelled paragraphs:\n%q\nwant\n%q", labelled, want)
	}
	for _, p := range f.paras {
		if strings.Contains(p.text, arabicText) != (p.bidi && p.rtlRuns > 0) {
			t.Errorf("RTL marking of %q: bidi %v, %d rtl runs", p.text, p.bidi, p.rtlRuns)
		}
	}

	// One comment per bracket group, spanning it, authored by its proposers.
	var authors []string
	for _, id := range f.starts {
		authors = append(authors, f.comments[id])
	}
	sort.Strings(authors)
	// Names come from the delegation registry (CEPT's is its full name).
	cept := "European Conference of Postal and Telecommunications Administrations"
	if want := []string{"Arab States", "Brazil", "Brazil, Chair", "Brazil, " + cept + ", Chair"}; !slices.Equal(authors, want) {
		t.Errorf("comment authors %q, want %q", authors, want)
	}
	if len(f.comments) != 4 || !sameSet(f.starts, f.ends) || !sameSet(f.starts, f.refs) {
		t.Errorf("comment ranges: starts %v ends %v refs %v comments %v", f.starts, f.ends, f.refs, f.comments)
	}
	if len(f.ins)+len(f.del) != 0 {
		t.Errorf("revisions without a redline: %v %v", f.ins, f.del)
	}
}

func TestDOCXRedline(t *testing.T) {
	t.Parallel()
	f := readDOCX(t, export(t, DOCX, redlineInput()))
	cept := "European Conference of Postal and Telecommunications Administrations"
	if !slices.Contains(f.ins, "Brazil") || !slices.Contains(f.ins, cept) {
		t.Errorf("insertion authors %q, want Brazil's alternative and CEPT's new paragraph", f.ins)
	}
	for _, a := range f.del {
		if a != "Chair" {
			t.Errorf("deletion by %q, want Chair (original text and a deleted paragraph)", a)
		}
	}
	if len(f.del) < 2 || len(f.dates) != 1 || !f.dates["2031-05-04T10:30:00Z"] {
		t.Errorf("deletions %q, dates %v", f.del, f.dates)
	}
	var marks, deleted []string
	for _, p := range f.paras {
		if p.mark != "" {
			marks = append(marks, p.mark+":"+p.text+"|"+p.deleted)
		}
		if p.deleted != "" {
			deleted = append(deleted, p.deleted)
		}
	}
	// The deleted paragraph stays after the one that preceded it in Rev.1.
	if want := []string{"del:\t|5[to keep an obsolete clause;]", "ins:3\t[to report [annually][biennially] to the Council;]|"}; !slices.Equal(marks, want) {
		t.Errorf("paragraph marks %q, want %q", marks, want)
	}
	if !slices.Contains(deleted, " carefully") {
		t.Errorf("deleted text %q", deleted)
	}
	text := docxText(t, export(t, DOCX, redlineInput()))
	if !strings.Contains(text, "Changes since Rev.1 (seq 30) are shown as tracked changes.") {
		t.Errorf("no redline notice:\n%s", text)
	}
}

func sameSet(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	sort.Strings(x)
	sort.Strings(y)
	return slices.Equal(x, y)
}

// Two exports of one version are byte-identical.
func TestDOCXDeterministic(t *testing.T) {
	t.Parallel()
	if !bytes.Equal(export(t, DOCX, redlineInput()), export(t, DOCX, redlineInput())) {
		t.Error("two exports differ")
	}
}
