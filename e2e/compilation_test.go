package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Compilations in French (flattened text), Spanish (CSV) and Arabic
// (flattened text), and the real one when it is beside the repository,
// import through the command line with their language, round-trip
// through the CSV and XLSX exports without losing or moving anything,
// and export as the compilation table in Word, which a real word
// processor opens (LibreOffice to PDF, read back with pdftotext).
func TestCompilationsInAndOut(t *testing.T) {
	data := dataDir(t)
	// A running server keeps the managed cluster up for the commands.
	srv := startServer(t, data, nil)
	admin := strings.TrimSpace(draftroom(t, data, nil, "token", "create", "--role", "admin").stdout)
	dir := t.TempDir()

	fixtures := []struct{ file, lang, heading string }{
		{"../server/internal/compile/testdata/connectivite_fr.txt", "fr", "CONSIDÉRANT"},
		{"../server/internal/compile/testdata/conectividad_es.csv", "es", "RESUELVE"},
		{"../server/internal/compile/testdata/conectividad_ar.txt", "ar", "يقرر"},
	}
	if m, _ := filepath.Glob("../../shared/seeds/*.txt"); len(m) > 0 {
		fixtures = append(fixtures, struct{ file, lang, heading string }{m[0], "en", "RESOLVES"})
	}
	ids := map[string]string{}
	for _, fx := range fixtures {
		res := draftroom(t, data, nil, "import", fx.file)
		if res.code != 0 || !uuidLine.MatchString(res.stdout) {
			t.Fatalf("import %s: %+v", fx.file, res)
		}
		id := strings.TrimSpace(res.stdout)
		ids[fx.file] = id
		before := docJSON(t, srv.url, admin, id)
		if before["lang"] != fx.lang {
			t.Errorf("%s: lang %v, want %s", fx.file, before["lang"], fx.lang)
		}
		for _, f := range []string{"csv", "xlsx"} {
			out := filepath.Join(dir, filepath.Base(fx.file)+"."+f)
			if res := draftroom(t, data, nil, "export", id, "-o", out); res.code != 0 {
				t.Fatalf("export %s: %+v", f, res)
			}
			res := draftroom(t, data, nil, "import", out)
			if res.code != 0 {
				t.Fatalf("re-import %s: %+v", out, res)
			}
			after := docJSON(t, srv.url, admin, strings.TrimSpace(res.stdout))
			if diffs := jsonDiff("", stripIDs(before), stripIDs(after)); len(diffs) > 0 {
				t.Errorf("%s round trip through %s: %d differences:\n%s", filepath.Base(fx.file), f, len(diffs), strings.Join(diffs, "\n"))
			}
		}
	}

	// The language can be given instead of detected.
	res := draftroom(t, data, nil, "import", "--lang", "Spanish", fixtures[0].file)
	if res.code != 0 || !strings.Contains(res.stderr, "language: Spanish (es), given") {
		t.Fatalf("import --lang: %+v", res)
	}
	if d := docJSON(t, srv.url, admin, strings.TrimSpace(res.stdout)); d["lang"] != "es" {
		t.Errorf("--lang: the document's lang is %v", d["lang"])
	}
	if res := draftroom(t, data, nil, "import", "--lang", "klingon", fixtures[0].file); res.code != 2 || !strings.Contains(res.stderr, "unknown --lang") {
		t.Errorf("import --lang klingon: %+v", res)
	}

	// The compilation as a Word document, from the command line and the
	// API alike.
	fr := ids[fixtures[0].file]
	docx := filepath.Join(dir, "compilation.docx")
	if res := draftroom(t, data, nil, "export", fr, "--compilation", "-o", docx); res.code != 0 {
		t.Fatalf("export --compilation: %+v", res)
	}
	cli, err := os.ReadFile(docx)
	if err != nil {
		t.Fatal(err)
	}
	r := call(t, "GET", srv.url+"/api/v1/documents/"+fr+"/export?format=docx&compilation=true", admin, nil)
	if r.status != 200 || string(r.body) != string(cli) {
		t.Errorf("the API's compilation (%d, %d bytes) differs from the command's (%d bytes)", r.status, len(r.body), len(cli))
	}
	for _, bad := range []struct{ args []string }{
		{[]string{"export", fr, "--format", "md", "--compilation"}},
		{[]string{"export", fr, "--format", "docx", "--compilation", "--redline", "0"}},
	} {
		if res := draftroom(t, data, nil, bad.args...); res.code != 2 || !strings.Contains(res.stderr, "--compilation") {
			t.Errorf("%v: %+v", bad.args, res)
		}
	}
	if r := call(t, "GET", srv.url+"/api/v1/documents/"+fr+"/export?format=csv&compilation=true", admin, nil); r.status != 400 {
		t.Errorf("csv compilation through the API: %d %s", r.status, r.body)
	}

	// Raw order, not layout: a table's cells then come out one after the
	// other rather than side by side.
	text := renderedText(docxToText(t, docx, "-raw"))
	for _, want := range []string{
		"Projet de révision de la Résolution 139 (Rév. Busan, 2014)",
		"Original (Rév. Busan 2014)",
		"Brésil", "MOD B/75/4", "Union africaine des télécommunications", "MOD AFCP/12/3", "CEPT", "MOD EUR/80A1/14",
		"Proposer unknown", "Notes", "RAPPELANT", "CONSIDÉRANT", "DÉCIDE",
		"charge le Directeur du Bureau de développement des télécommunications, en étroite collaboration avec les Directeurs des deux autres Bureaux",
		// The MOD of CONSIDÉRANT a), as a redline: the words it adds are
		// there beside the original's.
		"reste très inégal",
		"SUP", "NOC",
		"voir la proposition du Brésil sous décide",
		"Reasons", "Motifs: La connectivité rurale a beaucoup progressé",
	} {
		if !strings.Contains(text, renderedText(want)) {
			t.Errorf("the PDF of the compilation lacks %q", want)
		}
	}
}

func docJSON(t *testing.T, url, token, id string) map[string]any {
	t.Helper()
	r := call(t, "GET", url+"/api/v1/documents/"+id, token, nil)
	if r.status != 200 {
		t.Fatalf("GET document %s: %d %s", id, r.status, r.body)
	}
	var d map[string]any
	if err := json.Unmarshal(r.body, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// stripIDs removes what a round trip may change: ids (notes keep their
// anchor as a position), seq, focus, source rows, authorship.
func stripIDs(d map[string]any) map[string]any {
	where := map[string]string{}
	secs, _ := d["sections"].([]any)
	for i, s := range secs {
		sm := s.(map[string]any)
		where[fmt.Sprint(sm["id"])] = fmt.Sprint("section ", i)
		paras, _ := sm["paragraphs"].([]any)
		for j, p := range paras {
			where[fmt.Sprint(p.(map[string]any)["id"])] = fmt.Sprint("section ", i, " paragraph ", j)
		}
	}
	var strip func(v any) any
	strip = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			out := map[string]any{}
			for k, val := range x {
				switch k {
				case "id", "seq", "focus", "row", "authors":
				case "section", "paragraph":
					if s, ok := val.(string); ok {
						out[k] = where[s]
					} else {
						out[k] = val
					}
				default:
					out[k] = strip(val)
				}
			}
			return out
		case []any:
			out := make([]any, len(x))
			for i := range x {
				out[i] = strip(x[i])
			}
			return out
		}
		return v
	}
	return strip(d).(map[string]any)
}

// jsonDiff lists where two decoded JSON values differ.
func jsonDiff(path string, a, b any) []string {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: %v != %v", path, a, b)}
		}
		keys := map[string]bool{}
		for k := range x {
			keys[k] = true
		}
		for k := range y {
			keys[k] = true
		}
		var names []string
		for k := range keys {
			names = append(names, k)
		}
		sort.Strings(names)
		var out []string
		for _, k := range names {
			out = append(out, jsonDiff(path+"."+k, x[k], y[k])...)
		}
		return out
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return []string{fmt.Sprintf("%s: %d items != %v", path, len(x), b)}
		}
		var out []string
		for i := range x {
			out = append(out, jsonDiff(fmt.Sprintf("%s[%d]", path, i), x[i], y[i])...)
		}
		return out
	}
	if fmt.Sprint(a) != fmt.Sprint(b) {
		return []string{fmt.Sprintf("%s: %q != %q", path, fmt.Sprint(a), fmt.Sprint(b))}
	}
	return nil
}
