package e2e

import (
	"encoding/csv"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var joinLine = regexp.MustCompile(`(?m)^(\S+)\s+(\S+)\s+(.*?)\s+(https?://\S+/join#(drt_[A-Za-z0-9_-]+))$`)

// A roster through the command line: refused whole with its lines, or
// created in one go with a join link per line; the links sign in.
func TestParticipantsCommand(t *testing.T) {
	data := dataDir(t)
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	res := draftroom(t, data, nil, "import", write("t.csv", tinyCSV))
	if res.code != 0 {
		t.Fatalf("import: %+v", res)
	}
	doc := strings.TrimSpace(res.stdout)
	list := func() string {
		t.Helper()
		r := draftroom(t, data, nil, "participants", "list", "--document", doc)
		if r.code != 0 {
			t.Fatalf("participants list: %+v", r)
		}
		return r.stdout
	}

	bad := write("bad.csv", "role,delegation,name\ndelegate,BRA,Brazil\ndelegate,XYZ,Nowhere\ndelegate,bra,Again\n")
	res = draftroom(t, data, nil, "participants", "add", "--document", doc, "--roster", bad)
	if res.code != 1 || res.stdout != "" || !strings.Contains(res.stderr, `line 3: unknown delegation code "XYZ"`) ||
		!strings.Contains(res.stderr, "line 4: delegation BRA is already on line 2") || !strings.Contains(res.stderr, "nothing written") {
		t.Fatalf("bad roster: %+v", res)
	}
	if out := list(); strings.Count(out, "\n") != 1 {
		t.Fatalf("a refused roster wrote participants:\n%s", out)
	}

	roster := "role;delegation;name;expires\n" +
		"chair;;Président — الرئيس;\n" +
		"rapporteur;;Rapporteur (报告员);14d\n"
	codes := []string{"BRA", "CEPT", "ARB", "CHN", "RUS", "USA", "IND", "ATU", "CITEL", "APT"}
	for _, c := range codes {
		roster += "delegate;" + c + ";;\n"
	}
	good := write("good.csv", roster)
	res = draftroomEnv(t, data, []string{"DRAFTROOM_PUBLIC_URL=https://draft.example.org"}, nil, "participants", "add", "--document", doc, "--roster", good)
	if res.code != 0 {
		t.Fatalf("roster: %+v", res)
	}
	lines := joinLine.FindAllStringSubmatch(res.stdout, -1)
	if len(lines) != 12 || strings.Count(res.stdout, "\n") != 12 || !strings.Contains(res.stderr, "added 12 participant(s)") {
		t.Fatalf("roster output:\n%s\n%s", res.stdout, res.stderr)
	}
	tokens := map[string]string{} // delegation or role → token
	for _, m := range lines {
		if !strings.HasPrefix(m[4], "https://draft.example.org/join#drt_") {
			t.Errorf("link %q", m[4])
		}
		key := m[2]
		if key == "-" {
			key = m[1]
		}
		tokens[key] = m[5]
	}
	if lines[0][1] != "chair" || lines[0][3] != "Président — الرئيس" || lines[2][2] != "BRA" || lines[2][3] != "Brazil" {
		t.Errorf("lines %q / %q", lines[0][0], lines[2][0])
	}
	// Twice: every delegation already has a delegate; nothing written.
	res = draftroom(t, data, nil, "participants", "add", "--document", doc, "--roster", good)
	if res.code != 1 || !strings.Contains(res.stderr, "line 4: delegation BRA already has a delegate") {
		t.Fatalf("roster twice: %+v", res)
	}
	// CSV out, from standard input.
	res = draftroom(t, data, []byte("observer,,Press 📰\nobserver,,Public gallery\n"), "participants", "add", "--document", doc, "--roster", "-", "--csv", "--public-url", "http://10.0.0.5:8080")
	if res.code != 0 {
		t.Fatalf("csv roster: %+v", res)
	}
	recs, err := csv.NewReader(strings.NewReader(res.stdout)).ReadAll()
	if err != nil || len(recs) != 3 || strings.Join(recs[0], ",") != "role,delegation,name,participant_id,expires,join_link" ||
		recs[1][2] != "Press 📰" || !strings.HasPrefix(recs[2][5], "http://10.0.0.5:8080/join#drt_") {
		t.Fatalf("csv output %q: %v", res.stdout, err)
	}
	// One, with flags.
	res = draftroom(t, data, nil, "participants", "add", "--document", doc, "--role", "delegate", "--delegation", "ind", "--name", "India 2")
	if res.code != 1 || !strings.Contains(res.stderr, "IND already has a delegate") {
		t.Fatalf("a second Indian delegate: %+v", res)
	}
	out := list()
	if strings.Count(out, "\n") != 15 || strings.Count(out, " active ") != 14 {
		t.Fatalf("participants list:\n%s", out)
	}

	// The links sign in to this document only; revoking one shuts it out.
	srv := startServer(t, data, nil)
	bra := tokens["BRA"]
	if r := call(t, "GET", srv.url+"/api/v1/documents/"+doc, bra, nil); r.status != 200 {
		t.Fatalf("Brazil's token: %d %s", r.status, r.body)
	}
	var pid string
	for _, line := range strings.Split(list(), "\n") {
		if f := strings.Fields(line); len(f) > 2 && f[2] == "BRA" {
			pid = f[0]
		}
	}
	res = draftroom(t, data, nil, "participants", "revoke", "--document", doc, pid)
	if res.code != 0 || !strings.Contains(res.stderr, "revoked 1 token") {
		t.Fatalf("revoke: %+v", res)
	}
	if r := call(t, "GET", srv.url+"/api/v1/documents/"+doc, bra, nil); r.status != 401 {
		t.Fatalf("revoked token: %d", r.status)
	}
	if r := call(t, "GET", srv.url+"/api/v1/documents/"+doc, tokens["CHN"], nil); r.status != 200 {
		t.Fatalf("another delegate after the revoke: %d", r.status)
	}
}

// token create: a token that is not an admin's names its document, or
// says --all-documents; it prints the join link when the public URL is known.
func TestTokenCreateScope(t *testing.T) {
	data := dataDir(t)
	res := draftroom(t, data, nil, "token", "create", "--role", "observer")
	if res.code != 2 || res.stdout != "" || !strings.Contains(res.stderr, "--document") || !strings.Contains(res.stderr, "--all-documents") {
		t.Fatalf("observer without a document: %+v", res)
	}
	res = draftroom(t, data, nil, "token", "create", "--role", "admin", "--document", "b3f4c1e2-0000-4000-8000-000000000000")
	if res.code != 2 {
		t.Fatalf("admin with a document: %+v", res)
	}
	res = draftroomEnv(t, data, []string{"DRAFTROOM_PUBLIC_URL=https://draft.example.org/"}, nil, "token", "create", "--role", "observer", "--all-documents", "--name", "Screen at the back")
	tok := strings.TrimSpace(res.stdout)
	if res.code != 0 || !strings.HasPrefix(tok, "drt_") || !strings.Contains(res.stderr, "join link: https://draft.example.org/join#"+tok) {
		t.Fatalf("observer of every document: %+v", res)
	}
	res = draftroom(t, data, nil, "token", "create", "--role", "admin")
	if res.code != 0 || strings.Contains(res.stderr, "join link") {
		t.Fatalf("admin without a public URL: %+v", res)
	}
	admin := strings.TrimSpace(res.stdout)
	res = draftroom(t, data, nil, "token", "create", "--role", "admin", "--public-url", "ftp://x")
	if res.code != 2 {
		t.Fatalf("a bad public URL: %+v", res)
	}
	// The --all-documents observer sees every document.
	srv := startServer(t, data, nil)
	for _, title := range []string{"One", "Two"} {
		if r := call(t, "POST", srv.url+"/api/v1/documents?format=csv&title="+title, admin, strings.NewReader(tinyCSV)); r.status != 201 {
			t.Fatalf("import: %d %s", r.status, r.body)
		}
	}
	var list struct{ Documents []struct{ ID string } }
	call(t, "GET", srv.url+"/api/v1/documents", tok, nil).decode(t, &list)
	if len(list.Documents) != 2 {
		t.Fatalf("--all-documents observer sees %d documents", len(list.Documents))
	}
}

// The demo revokes the tokens of its earlier runs, and its admin link
// opens the secretariat's desk; the desk's API works against the binary.
func TestDemoLinksAndDeskAPI(t *testing.T) {
	data := dataDir(t)
	first := draftroom(t, data, nil, "demo")
	if first.code != 0 {
		t.Fatalf("demo: %+v", first)
	}
	_, old := demoTokens(t, first.stdout)
	srv := startServer(t, data, nil, "--demo")
	doc, tokens := demoTokens(t, srv.stdout.String())
	if !strings.Contains(srv.stdout.String(), "The 6 tokens of earlier demo runs were revoked") || !strings.Contains(srv.stdout.String(), srv.url+"/join#drt_") {
		t.Errorf("demo output:\n%s", srv.stdout.String())
	}
	for name, tok := range old {
		if r := call(t, "GET", srv.url+"/api/v1/session", tok, nil); r.status != 401 {
			t.Errorf("%s's token from the first run: %d", name, r.status)
		}
		if r := call(t, "GET", srv.url+"/api/v1/session", tokens[name], nil); r.status != 200 {
			t.Errorf("%s's new token: %d", name, r.status)
		}
	}
	admin := tokens["Demo secretariat"]
	if r := call(t, "GET", srv.url+"/api/v1/admin/documents", tokens["Chair"], nil); r.status != 403 {
		t.Errorf("chair on the desk: %d", r.status)
	}
	var docs struct {
		Documents []struct {
			ID           string
			Participants int
			Paragraphs   int
		}
	}
	r := call(t, "GET", srv.url+"/api/v1/admin/documents", admin, nil)
	if r.status != 200 {
		t.Fatalf("desk: %d %s", r.status, r.body)
	}
	r.decode(t, &docs)
	if len(docs.Documents) != 1 || docs.Documents[0].ID != doc || docs.Documents[0].Participants != 5 || docs.Documents[0].Paragraphs == 0 {
		t.Fatalf("desk documents: %+v", docs)
	}
	if r = call(t, "PATCH", srv.url+"/api/v1/documents/"+doc, admin, strings.NewReader(`{"title":"Demo, renamed"}`)); r.status != 200 {
		t.Fatalf("rename: %d %s", r.status, r.body)
	}
	req := strings.NewReader("role,delegation,name\ndelegate,ARB,\ndelegate,ZZZ,\n")
	if r = callCT(t, "POST", srv.url+"/api/v1/documents/"+doc+"/participants", admin, "text/csv", req); r.status != 400 || !strings.Contains(string(r.body), "line 3") {
		t.Fatalf("bad roster: %d %s", r.status, r.body)
	}
	var added struct {
		Participants []struct {
			ID      string
			Token   string
			JoinURL string `json:"join_url"`
		}
	}
	r = callCT(t, "POST", srv.url+"/api/v1/documents/"+doc+"/participants", admin, "text/csv", strings.NewReader("role,delegation,name\ndelegate,ARB,\nobserver,,Press\n"))
	if r.status != 201 {
		t.Fatalf("roster: %d %s", r.status, r.body)
	}
	r.decode(t, &added)
	if len(added.Participants) != 2 || added.Participants[0].JoinURL != srv.url+"/join#"+added.Participants[0].Token {
		t.Fatalf("added: %+v", added)
	}
	arb := added.Participants[0]
	if r = call(t, "GET", srv.url+"/api/v1/documents/"+doc, arb.Token, nil); r.status != 200 {
		t.Fatalf("new delegate: %d", r.status)
	}
	if r = call(t, "POST", srv.url+"/api/v1/documents/"+doc+"/participants/"+arb.ID+"/revoke", admin, nil); r.status != 200 {
		t.Fatalf("revoke: %d %s", r.status, r.body)
	}
	if r = call(t, "GET", srv.url+"/api/v1/documents/"+doc, arb.Token, nil); r.status != 401 {
		t.Fatalf("revoked delegate: %d", r.status)
	}
	var people struct {
		Participants []struct {
			Delegation string
			Active     bool
		}
	}
	call(t, "GET", srv.url+"/api/v1/documents/"+doc+"/participants", admin, nil).decode(t, &people)
	active := 0
	for _, p := range people.Participants {
		if p.Active {
			active++
		}
	}
	if len(people.Participants) != 7 || active != 6 {
		t.Fatalf("participants: %+v", people)
	}
	// The CLI's export takes a label or a seq apart, as the API does.
	if res := draftroom(t, data, nil, "export", doc, "--format", "txt", "--seq", "0"); res.code != 0 || !strings.Contains(res.stdout, "early warning") {
		t.Errorf("export --seq 0: %+v", res)
	}
	if res := draftroom(t, data, nil, "export", doc, "--format", "txt", "--version", "Rev.1", "--seq", "0"); res.code != 2 {
		t.Errorf("export --version and --seq: %+v", res)
	}
}

// callCT is call with a Content-Type.
func callCT(t *testing.T, method, url, token, contentType string, body io.Reader) apiResp {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return apiResp{resp.StatusCode, b}
}
