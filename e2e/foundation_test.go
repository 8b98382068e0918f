package e2e

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// The newcomer's path: serve --demo on the managed cluster, then read the
// demo through the API with each role's token.
func TestServeDemoAndReadAPI(t *testing.T) {
	data := dataDir(t)
	srv := startServer(t, data, nil, "--demo")
	docID, tokens := demoTokens(t, srv.stdout.String())

	r := call(t, "GET", srv.url+"/healthz", "", nil)
	if r.status != 200 {
		t.Fatalf("healthz: %d %s", r.status, r.body)
	}
	if r = call(t, "GET", srv.url+"/readyz", "", nil); r.status != 200 {
		t.Fatalf("readyz: %d %s", r.status, r.body)
	}
	// Until the web client is built, / says how to build it.
	if r = call(t, "GET", srv.url+"/", "", nil); r.status != 200 || !bytes.Contains(r.body, []byte("Draftroom")) {
		t.Fatalf("/: %d %s", r.status, r.body)
	}

	var list struct {
		Documents []struct{ ID, Title string } `json:"documents"`
	}
	call(t, "GET", srv.url+"/api/v1/documents", tokens["Chair"], nil).decode(t, &list)
	if len(list.Documents) != 1 || list.Documents[0].ID != docID {
		t.Fatalf("chair's list = %+v, want the demo %s", list, docID)
	}
	var doc struct {
		ID        string
		Proposers []struct{ Code *string }
		Sections  []struct {
			Heading    string
			Kind       string
			Paragraphs []struct {
				Label, Text, Status string
				Proposals           []struct{ Proposer *string }
			}
		}
	}
	r = call(t, "GET", srv.url+"/api/v1/documents/"+docID, tokens["Observer"], nil)
	if r.status != 200 {
		t.Fatalf("observer GET document: %d %s", r.status, r.body)
	}
	r.decode(t, &doc)
	var pre, op, brackets int
	proposers := map[string]bool{}
	for _, s := range doc.Sections {
		if s.Kind == "preamble" {
			pre++
		} else {
			op++
		}
		for _, p := range s.Paragraphs {
			brackets += strings.Count(p.Text, "[")
			for _, pr := range p.Proposals {
				if pr.Proposer != nil {
					proposers[*pr.Proposer] = true
				}
			}
		}
	}
	for _, p := range doc.Proposers {
		if p.Code != nil {
			proposers[*p.Code] = true
		}
	}
	if pre < 3 || op < 2 || brackets == 0 || len(proposers) < 3 {
		t.Fatalf("demo has %d preambular, %d operative sections, %d brackets, proposers %v", pre, op, brackets, proposers)
	}

	// Errors: 401, 403, 404, 400, all as JSON.
	cases := []struct {
		name, token, path string
		status            int
		code              string
	}{
		{"no token", "", "/api/v1/documents", 401, "unauthorized"},
		{"unknown token", "drt_bogus", "/api/v1/documents", 401, "unauthorized"},
		{"other document", tokens["Chair"], "/api/v1/documents/" + uuid.NewString(), 403, "forbidden"},
		{"malformed id", tokens["Chair"], "/api/v1/documents/not-a-uuid", 400, "invalid"},
		{"unknown route", tokens["Chair"], "/api/v1/nothing", 404, "not_found"},
	}
	for _, c := range cases {
		r := call(t, "GET", srv.url+c.path, c.token, nil)
		if r.status != c.status || r.errorCode(t) != c.code {
			t.Errorf("%s: %d %s, want %d %s", c.name, r.status, r.body, c.status, c.code)
		}
	}
	// Only admins import.
	r = call(t, "POST", srv.url+"/api/v1/documents?format=csv", tokens["Chair"], strings.NewReader("Original\nRECALLING\n"))
	if r.status != 403 {
		t.Errorf("chair import: %d %s, want 403", r.status, r.body)
	}

	// An admin token, made by another process sharing the running cluster.
	res := draftroom(t, data, nil, "token", "create", "--role", "admin", "--name", "Secretariat")
	if res.code != 0 || !strings.HasPrefix(strings.TrimSpace(res.stdout), "drt_") || strings.Count(res.stdout, "\n") != 1 {
		t.Fatalf("token create: %+v", res)
	}
	admin := strings.TrimSpace(res.stdout)
	if r = call(t, "GET", srv.url+"/api/v1/documents/"+uuid.NewString(), admin, nil); r.status != 404 || r.errorCode(t) != "not_found" {
		t.Errorf("admin unknown document: %d %s", r.status, r.body)
	}
	r = call(t, "POST", srv.url+"/api/v1/documents?format=csv&filename=t.csv", admin, strings.NewReader(tinyCSV))
	if r.status != 201 {
		t.Fatalf("admin import: %d %s", r.status, r.body)
	}
	var created struct{ ID string }
	r.decode(t, &created)
	if r = call(t, "GET", srv.url+"/api/v1/documents/"+created.ID, admin, nil); r.status != 200 {
		t.Fatalf("imported document: %d %s", r.status, r.body)
	}
	call(t, "GET", srv.url+"/api/v1/documents", admin, nil).decode(t, &list)
	if len(list.Documents) != 2 {
		t.Fatalf("admin sees %d documents, want 2", len(list.Documents))
	}
	// Bad uploads are refused with a message and write nothing.
	for _, bad := range []string{"", "\x00\x01\x02binary", "Name,Brazil\nx,y\n"} {
		r := call(t, "POST", srv.url+"/api/v1/documents?format=auto", admin, strings.NewReader(bad))
		if r.status != 400 || r.errorCode(t) != "invalid" {
			t.Errorf("bad upload %q: %d %s", bad, r.status, r.body)
		}
	}
	call(t, "GET", srv.url+"/api/v1/documents", admin, nil).decode(t, &list)
	if len(list.Documents) != 2 {
		t.Fatalf("bad uploads wrote documents: %d", len(list.Documents))
	}

	// SIGTERM: a clean exit, and the cluster it started is stopped.
	if err := srv.stop(t); err != nil {
		t.Fatalf("serve exit: %v", err)
	}
	if _, err := os.Stat(filepath.Join(data, "pgdata", "postmaster.pid")); !os.IsNotExist(err) {
		t.Errorf("cluster still running after serve stopped (postmaster.pid: %v)", err)
	}
}

const tinyCSV = `Row,Original (Rev. Testville 2020),Brazil --- MOD B/1/2,Türkiye
1,RECALLING,,
2,a) the first recalled text;,the first recalled text as amended;,NOC
3,resolves,,
4,1 to act;,,SUP
5,,2 to act again;,
`

// serve --migrate=false refuses a schema that is behind; migrate up fixes it.
func TestMigrateCommandsAndSchemaCheck(t *testing.T) {
	data := dataDir(t)
	latest, previous := schemaVersions(t)
	res := draftroom(t, data, nil, "migrate", "up")
	if res.code != 0 || !strings.Contains(res.stdout, fmt.Sprintf("schema version %d", latest)) {
		t.Fatalf("migrate up: %+v", res)
	}
	if res = draftroom(t, data, nil, "migrate", "down", "1"); res.code != 0 || !strings.Contains(res.stdout, fmt.Sprintf("schema version %d", previous)) {
		t.Fatalf("migrate down 1: %+v", res)
	}
	res = draftroom(t, data, nil, "serve", "--migrate=false", "--addr", "127.0.0.1:0")
	if res.code == 0 || !strings.Contains(res.stderr, "schema is behind") || !strings.Contains(res.stderr, "migrate up") {
		t.Fatalf("serve on a behind schema: %+v", res)
	}
	if res = draftroom(t, data, nil, "migrate", "version"); !strings.Contains(res.stdout, fmt.Sprintf("schema version %d", previous)) {
		t.Fatalf("version: %+v", res)
	}
	if res = draftroom(t, data, nil, "migrate", "sideways"); res.code != 2 {
		t.Fatalf("bad action: %+v", res)
	}
	if res = draftroom(t, data, nil, "migrate", "up"); res.code != 0 {
		t.Fatalf("migrate up again: %+v", res)
	}
	srv := startServer(t, data, nil, "--migrate=false")
	if r := call(t, "GET", srv.url+"/readyz", "", nil); r.status != http.StatusOK {
		t.Fatalf("readyz: %d %s", r.status, r.body)
	}
	res = draftroom(t, data, nil, "db", "url")
	if res.code != 0 || !strings.HasPrefix(res.stdout, "postgres://") || !strings.Contains(res.stdout, "host=") {
		t.Fatalf("db url: %+v", res)
	}
}

func TestEveryCommandHasHelp(t *testing.T) {
	data := dataDir(t)
	for _, args := range [][]string{
		{"--help"}, {"serve", "--help"}, {"demo", "--help"}, {"import", "--help"}, {"migrate", "--help"},
		{"token", "--help"}, {"token", "create", "--help"}, {"db", "--help"}, {"healthcheck", "--help"},
		{"participants", "--help"}, {"participants", "add", "--help"}, {"participants", "list", "--help"}, {"participants", "revoke", "--help"},
	} {
		res := draftroom(t, data, nil, args...)
		if res.code != 0 || !strings.Contains(res.stdout, "Usage: draftroom") {
			t.Errorf("draftroom %v: code %d\n%s%s", args, res.code, res.stdout, res.stderr)
		}
	}
	if res := draftroom(t, data, nil, "frobnicate"); res.code != 2 || !strings.Contains(res.stderr, "unknown command") {
		t.Errorf("unknown command: %+v", res)
	}
}

// schemaVersions returns the highest migration in schema/ and the one
// before it (numbers may have gaps).
func schemaVersions(t *testing.T) (latest, previous int) {
	t.Helper()
	files, err := filepath.Glob("../schema/*.up.sql")
	if err != nil || len(files) < 2 {
		t.Fatalf("migrations: %v %v", files, err)
	}
	var vs []int
	for _, f := range files {
		num, _, _ := strings.Cut(filepath.Base(f), "_")
		v, err := strconv.Atoi(num)
		if err != nil {
			t.Fatalf("migration %s: %v", f, err)
		}
		vs = append(vs, v)
	}
	sort.Ints(vs)
	return vs[len(vs)-1], vs[len(vs)-2]
}
