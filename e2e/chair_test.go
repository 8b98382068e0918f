package e2e

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/server/wire"
)

// chairCSV has a MOD whose proposer column does not name a delegation the
// registry knows (as when a compilation lost its columns), and a paragraph
// with the alternatives of the example.
const chairCSV = `Row,Original (Rev. Testville 2020),Somewhere --- MOD X/1/1
1,CONSIDERING,
2,a) that networks must be [restored][strengthened] quickly after a disaster;,
3,resolves,
4,1 to support the work of the Sectors on common alerting formats and on emergency plans;,1 to support the work of the three Sectors on common alerting formats and on national emergency plans;
`

// The chair's actions end to end, through the built binary and the
// documented protocol: the import leaves a proposal without a proposer,
// the chair assigns it, merges the MOD (two small groups, Brazil's) and
// keeps an alternative in one action; the text, the authors of every run
// and the DOCX redline's w:author of every insertion and deletion are
// what docs/protocol.md says.
func TestChairActionsEndToEnd(t *testing.T) {
	data := dataDir(t)
	path := filepath.Join(t.TempDir(), "chair.csv")
	if err := os.WriteFile(path, []byte(chairCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	res := draftroom(t, data, nil, "import", "--format", "csv", path)
	if res.code != 0 {
		t.Fatalf("import: %+v", res)
	}
	if !strings.Contains(res.stderr, "warning: 1 of 1 proposals have no proposer") {
		t.Errorf("the import does not warn about the proposal without a proposer:\n%s", res.stderr)
	}
	doc := strings.TrimSpace(res.stdout)
	srv := startServer(t, data, nil)
	chair := chairTokens(t, data, doc, 1)[0]
	d := getDocument(t, srv.url, chair, doc)
	ps := paragraphs(d)
	pa, p1 := ps[0], ps[1]
	if len(p1.Proposals) != 1 || p1.Proposals[0].Proposer != nil {
		t.Fatalf("imported proposals: %+v", p1.Proposals)
	}
	prop := p1.Proposals[0].ID

	r := openRaw(t, srv.url, chair, doc, "")
	r.welcome()
	act := func(kind string, fields map[string]any) (wire.Op, string) {
		t.Helper()
		ref := fmt.Sprintf("a-%s-%d", kind, len(fields))
		msg := map[string]any{"type": "action", "ref": ref, "kind": kind}
		for k, v := range fields {
			msg[k] = v
		}
		r.send(msg)
		for {
			f := r.next()
			switch string(f["type"]) {
			case `"error"`:
				var e wire.ErrorFrame
				raw, _ := json.Marshal(f)
				json.Unmarshal(raw, &e)
				if e.Ref == ref {
					return wire.Op{}, e.Message
				}
			case `"ops"`:
				var ops []wire.Op
				json.Unmarshal(f["ops"], &ops)
				for _, op := range ops {
					if op.Ref == ref {
						return op, ""
					}
				}
			}
		}
	}
	if _, msg := act(wire.KindProposalMerge, map[string]any{"proposal": prop}); !strings.HasPrefix(msg, "assign a proposer first") {
		t.Fatalf("merge without a proposer: %q", msg)
	}
	if _, msg := act(wire.KindProposalAssign, map[string]any{"proposal": prop, "proposer": "BRA"}); msg != "" {
		t.Fatalf("assign: %s", msg)
	}
	merge, msg := act(wire.KindProposalMerge, map[string]any{"proposal": prop})
	if msg != "" {
		t.Fatalf("merge: %s", msg)
	}
	if !strings.Contains(string(merge.Data), `"author":"BRA"`) {
		t.Fatalf("merge data %s", merge.Data)
	}
	// "[restored][strengthened]": keep alternative 1.
	at := len([]rune("that networks must be "))
	if _, msg := act(wire.KindBracketsKeep, map[string]any{"para": pa.ID, "at": at, "alternative": 1}); msg != "" {
		t.Fatalf("keep: %s", msg)
	}

	d = getDocument(t, srv.url, chair, doc)
	got := map[string]string{}
	for _, p := range paragraphs(d) {
		got[p.Label] = p.Text + " " + runsString(p)
	}
	want := map[string]string{
		"a)": "that networks must be strengthened quickly after a disaster; original:60",
		"1": "to support the work of the [three] Sectors on common alerting formats and on [national] emergency plans; " +
			"original:27 BRA:8 original:42 BRA:11 original:16",
	}
	for label, w := range want {
		if got[label] != w {
			t.Errorf("paragraph %s:\n got %s\nwant %s", label, got[label], w)
		}
	}

	// The redline since the import: the merged words are Brazil's
	// insertions; the alternative the chair dropped is the chair's deletion
	// (the words were the original text's, and the chair deleted them).
	resp := call(t, "GET", srv.url+"/api/v1/documents/"+doc+"/export?format=docx&redline_seq=0", chair, nil)
	if resp.status != 200 {
		t.Fatalf("export: %d %s", resp.status, resp.body)
	}
	revs := docxRevisions(t, resp.body)
	// (A revision ends where a Word comment, one per bracket group, does.)
	wantRevs := `del Chair "[restored][" | del Chair "]" | ins Brazil "[three]" | ins Brazil " " | ins Brazil "[national]" | ins Brazil " "`
	if revs != wantRevs {
		t.Errorf("w:ins/w:del of word/document.xml:\n got %s\nwant %s", revs, wantRevs)
	}
}

func runsString(p wire.Paragraph) string {
	var out []string
	for _, r := range p.Authors {
		out = append(out, fmt.Sprintf("%s:%d", r.Author, r.Len))
	}
	return strings.Join(out, " ")
}

// docxRevisions lists word/document.xml's w:ins and w:del in order, as
// `tag author "text"`, joined by " | ".
func docxRevisions(t *testing.T, docx []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(docx), int64(len(docx)))
	if err != nil {
		t.Fatal(err)
	}
	var body []byte
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			body, _ = io.ReadAll(rc)
			rc.Close()
		}
	}
	dec := xml.NewDecoder(bytes.NewReader(body))
	var out, texts []string
	cur := -1
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if el.Name.Local == "ins" || el.Name.Local == "del" {
				author := ""
				for _, a := range el.Attr {
					if a.Name.Local == "author" {
						author = a.Value
					}
				}
				out = append(out, el.Name.Local+" "+author+" ")
				texts = append(texts, "")
				cur = len(out) - 1
			}
		case xml.EndElement:
			if el.Name.Local == "ins" || el.Name.Local == "del" {
				cur = -1
			}
		case xml.CharData:
			if cur >= 0 {
				texts[cur] += string(el)
			}
		}
	}
	for i := range out {
		out[i] += fmt.Sprintf("%q", texts[i])
	}
	return strings.Join(out, " | ")
}
