package e2e

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// `draftroom export` and GET …/export give the same file; the DOCX opens
// in a real word processor (LibreOffice converts it to PDF, pdftotext reads
// it back); the XLSX imports again; bad arguments fail clearly.
func TestExportCommand(t *testing.T) {
	data := dataDir(t)
	srv := startServer(t, data, nil, "--demo")
	docID, tokens := demoTokens(t, srv.stdout.String())
	if r := call(t, "POST", srv.url+"/api/v1/documents/"+docID+"/versions", tokens["Chair"], strings.NewReader(`{"label":"Rev.1"}`)); r.status != 201 {
		t.Fatalf("freeze: %d %s", r.status, r.body)
	}
	dir := t.TempDir()
	path := func(name string) string { return filepath.Join(dir, name) }

	// Another process exports from the cluster the server is running.
	res := draftroom(t, data, nil, "export", docID, "--format", "docx", "-o", path("demo.docx"))
	if res.code != 0 || res.stdout != "" || !strings.Contains(res.stderr, "wrote "+path("demo.docx")) {
		t.Fatalf("export docx: %+v", res)
	}
	cliDocx, err := os.ReadFile(path("demo.docx"))
	if err != nil {
		t.Fatal(err)
	}
	r := call(t, "GET", srv.url+"/api/v1/documents/"+docID+"/export?format=docx", tokens["Observer"], nil)
	if r.status != 200 || !bytes.Equal(r.body, cliDocx) {
		t.Errorf("the API's docx (%d, %d bytes) differs from the command's (%d bytes)", r.status, len(r.body), len(cliDocx))
	}

	// Flags after or before the id; stdout without -o; the format from
	// the file name.
	res = draftroom(t, data, nil, "export", "--format", "txt", docID, "--version", "Rev.1")
	if res.code != 0 || !strings.Contains(res.stdout, "DEMO — Draft new Resolution") || !strings.Contains(res.stdout, "Rev.1 (seq 1") ||
		!strings.Contains(res.stdout, "\nb) that networks must be [restored][strengthened] quickly after a disaster;\n") {
		t.Errorf("export txt: %+v", res)
	}
	res = draftroom(t, data, nil, "export", docID, "--redline", "Rev.1", "-o", path("changes.md"))
	if md, _ := os.ReadFile(path("changes.md")); res.code != 0 || !strings.Contains(string(md), "Changes since Rev.1 (seq 1)") {
		t.Errorf("export md redline: %+v\n%s", res, md)
	}
	res = draftroom(t, data, nil, "export", docID, "-o", path("table.xlsx"))
	if res.code != 0 {
		t.Fatalf("export xlsx: %+v", res)
	}
	res = draftroom(t, data, nil, "import", path("table.xlsx"))
	if res.code != 0 || !strings.Contains(res.stderr, "5 sections, 10 paragraphs") {
		t.Errorf("import of the exported xlsx: %+v", res)
	}

	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown format", []string{docID, "--format", "pdf"}, 2, "unknown format"},
		{"no format", []string{docID}, 2, "a format is required"},
		{"redline on csv", []string{docID, "--format", "csv", "--redline", "Rev.1"}, 2, "--redline applies to docx, html and md"},
		{"unknown version", []string{docID, "--format", "md", "--version", "Rev.9"}, 1, `--version: version "Rev.9": not found`},
		{"negative seq", []string{docID, "--format", "md", "--version", "-3"}, 2, "bad version"},
		{"not an id", []string{"resolution-1", "--format", "md"}, 2, "not a document id"},
		{"two ids", []string{docID, docID, "--format", "md"}, 2, "exactly one DOCUMENT_ID"},
	} {
		res := draftroom(t, data, nil, append([]string{"export"}, c.args...)...)
		if res.code != c.code || !strings.Contains(res.stderr, c.want) || res.stdout != "" {
			t.Errorf("%s: %+v, want exit %d and %q", c.name, res, c.code, c.want)
		}
	}
	res = draftroom(t, data, nil, "export", "--help")
	for _, want := range []string{"Usage: draftroom export DOCUMENT_ID", "docx", "html", "md", "txt", "akn", "csv", "xlsx", "--redline", "-o"} {
		if res.code != 0 || !strings.Contains(res.stdout, want) {
			t.Errorf("export --help lacks %q: %+v", want, res)
		}
	}

	checkDocxReadsBack(t, path("demo.docx"))
}

// checkDocxReadsBack converts a DOCX to PDF with LibreOffice and checks the
// text pdftotext finds in it.
func checkDocxReadsBack(t *testing.T, docx string) {
	t.Helper()
	out := docxToText(t, docx, "-layout")
	text := renderedText(out)
	for _, want := range []string{
		"DEMO — Draft new Resolution: Telecommunications for early warning and disaster relief",
		"Base text: Demo draft, Rev. 0",
		"RECALLING", "CONSIDERING", "RESOLVES",
		"instructs the Director of the Telecommunication Development Bureau",
		"b) that networks must be [restored][strengthened] quickly after a disaster;",
		"1 to encourage Member States to [adopt][consider adopting] national early-warning systems",
		"2 to report to the next conference on the implementation of this resolution.",
	} {
		if !strings.Contains(text, renderedText(want)) {
			t.Errorf("the PDF of the DOCX lacks %q:\n%s", want, out)
		}
	}
}

// renderedText normalises what a renderer may change in text it lays out,
// so a check does not depend on the machine's fonts: a line may break at a
// hyphen (LibreOffice breaks "early-warning" after the hyphen with some
// fonts, and may hyphenate a long word itself), and white space runs vary.
// Hyphens followed by white space are removed and white space collapsed; the
// expected text goes through the same function, so "early-warning" and
// "early-\n warning" compare equal.
func renderedText(s string) string {
	s = hyphenBreak.ReplaceAllString(s, "")
	return strings.Join(strings.Fields(s), " ")
}

var hyphenBreak = regexp.MustCompile(`[-\x{00AD}\x{2010}]\s*`)

// docxToText converts a DOCX to PDF with LibreOffice and returns the text
// pdftotext (run with args, e.g. -layout or -raw) finds in it. Without the
// tools it skips, except in CI.
func docxToText(t *testing.T, docx string, args ...string) string {
	t.Helper()
	office, err := exec.LookPath("soffice")
	if err != nil {
		office, err = exec.LookPath("libreoffice")
	}
	pdftotext, err2 := exec.LookPath("pdftotext")
	if err != nil || err2 != nil {
		if os.Getenv("CI") == "" {
			t.Skip("LibreOffice or pdftotext is not installed (Debian: apt-get install libreoffice-writer-nogui poppler-utils); skipping the real-reader check")
		}
		t.Fatal("CI needs LibreOffice and pdftotext for the DOCX check: apt-get install libreoffice-writer-nogui poppler-utils")
	}
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// A fresh profile: LibreOffice refuses a shared one, and as root it
	// needs one it can write.
	cmd := exec.CommandContext(ctx, office, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--headless", "--norestore", "--convert-to", "pdf", "--outdir", dir, docx)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("libreoffice: %v\n%s", err, out)
	}
	pdf := filepath.Join(dir, strings.TrimSuffix(filepath.Base(docx), ".docx")+".pdf")
	out, err := exec.CommandContext(ctx, pdftotext, append(args, pdf, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
