package e2e

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var uuidLine = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\n$`)

func seedPath(t *testing.T) string {
	t.Helper()
	matches, _ := filepath.Glob("../../shared/seeds/*.txt")
	if len(matches) == 0 {
		t.Skip("the compilation seed is not present next to the repository")
	}
	return matches[0]
}

// `draftroom import` prints the id alone on stdout and a summary on stderr;
// bad inputs exit non-zero with a message and write nothing.
func TestImportCommand(t *testing.T) {
	data := dataDir(t)
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	csv := write("table.csv", []byte(tinyCSV))
	res := draftroom(t, data, nil, "import", csv)
	if res.code != 0 || !uuidLine.MatchString(res.stdout) {
		t.Fatalf("import csv: %+v", res)
	}
	for _, want := range []string{"2 sections", "2 paragraphs", "proposals by Brazil: 2", "proposals by Türkiye: 2"} {
		if !strings.Contains(res.stderr, want) {
			t.Errorf("summary lacks %q:\n%s", want, res.stderr)
		}
	}

	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	w, _ := zw.Create("xl/workbook.xml")
	w.Write([]byte("<not a workbook"))
	zw.Close()
	bad := []struct{ name, path, format, want string }{
		{"empty", write("empty.csv", nil), "auto", "empty"},
		{"binary", write("blob.txt", []byte("\x00\x01\x02\x03binary\x00")), "auto", "not a text file"},
		{"no Original column", write("noorig.csv", []byte("Name,Brazil\nx,y\n")), "csv", "Original"},
		{"malformed xlsx", write("bad.xlsx", bomb.Bytes()), "xlsx", "xlsx"},
		{"truncated xlsx", write("trunc.xlsx", []byte("PK\x03\x04garbage")), "auto", "xlsx"},
		{"too large", write("big.txt", bytes.Repeat([]byte("a line of text\n"), 1_500_000)), "text", "20 MB"},
		{"bad format flag", csv, "pdf", "unknown --format"},
	}
	for _, b := range bad {
		res := draftroom(t, data, nil, "import", "--format", b.format, b.path)
		if res.code == 0 || res.stdout != "" || !strings.Contains(strings.ToLower(res.stderr), strings.ToLower(b.want)) {
			t.Errorf("%s: code %d stdout %q stderr %q, want an error mentioning %q", b.name, res.code, res.stdout, res.stderr, b.want)
		}
	}
	// Nothing was written by the failures: an admin sees one document.
	srv := startServer(t, data, nil)
	tok := strings.TrimSpace(draftroom(t, data, nil, "token", "create", "--role", "admin").stdout)
	var list struct{ Documents []struct{ ID string } }
	call(t, "GET", srv.url+"/api/v1/documents", tok, nil).decode(t, &list)
	if len(list.Documents) != 1 || list.Documents[0].ID+"\n" != res.stdout {
		t.Fatalf("documents after failed imports: %+v", list)
	}
}

// The real compilation imports through the CLI and reads back through the API.
func TestImportSeed(t *testing.T) {
	seed := seedPath(t)
	data := dataDir(t)
	res := draftroom(t, data, nil, "import", seed)
	if res.code != 0 || !uuidLine.MatchString(res.stdout) {
		t.Fatalf("import seed: %+v", res)
	}
	// The import says that the proposals have no proposer, names the
	// header's, and counts the suggestions it found evidence for.
	for _, want := range []string{
		`title: "Resolution 130 (Rev. Guadalajara 2010)"`,
		"language: English (en), detected",
		"proposals have no proposer",
		"the header names Brazil (BRA), RCC, Arb (ARB), Indonesia (IDN), Cuba (CUB), CEPT",
		"3 have a suggested proposer",
	} {
		if !strings.Contains(res.stderr, want) {
			t.Errorf("the import's summary lacks %q:\n%s", want, res.stderr)
		}
	}
	id := strings.TrimSpace(res.stdout)
	srv := startServer(t, data, nil)
	tok := strings.TrimSpace(draftroom(t, data, nil, "token", "create", "--role", "observer", "--document", id).stdout)
	var doc struct {
		Proposers []struct {
			Code   *string
			Name   string
			Action string
			Ref    string
		}
		Sections []struct {
			Heading    string
			Paragraphs []struct {
				Label, Text string
				Proposals   []map[string]any
			}
			Proposals []map[string]any
		}
	}
	r := call(t, "GET", srv.url+"/api/v1/documents/"+id, tok, nil)
	if r.status != 200 {
		t.Fatalf("GET seed document: %d %s", r.status, r.body)
	}
	r.decode(t, &doc)
	if len(doc.Proposers) != 6 || doc.Proposers[0].Ref != "B/75/4" || doc.Proposers[5].Ref != "EUR/80A1/14" || *doc.Proposers[5].Code != "CEPT" {
		t.Fatalf("proposers = %+v", doc.Proposers)
	}
	found := false
	for _, s := range doc.Sections {
		if s.Heading == "RESOLVES" {
			for _, p := range s.Paragraphs {
				if p.Label == "1" && p.Text == "to continue to give this work high priority within ITU, in accordance with its competences and expertise;" {
					found = true
				}
			}
		}
	}
	if !found {
		t.Fatal("RESOLVES 1 not found through the API")
	}
	// The suggestions are in the read API, and only where there is one.
	suggested, without := 0, 0
	count := func(ps []map[string]any) {
		for _, p := range ps {
			switch v, ok := p["suggested_proposer"]; {
			case !ok:
				without++
			case v == "BRA" && p["proposer"] == nil:
				suggested++
			default:
				t.Errorf("proposal %v", p)
			}
		}
	}
	for _, s := range doc.Sections {
		count(s.Proposals)
		for _, p := range s.Paragraphs {
			count(p.Proposals)
		}
	}
	if suggested != 3 || without == 0 {
		t.Errorf("%d proposals with a suggested proposer (want 3), %d without", suggested, without)
	}
}
