package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/internal/room"
	"github.com/draftroom/draftroom/server/wire"
)

// post sends a body with a content type and decodes a 2xx JSON answer.
func (e *env) post(method, token, path, contentType string, body []byte, v any) (int, string) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode < 300 && v != nil {
		if err := json.Unmarshal(b, v); err != nil {
			e.t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
	return resp.StatusCode, string(b)
}

type issued struct {
	ID, Name, Role, Delegation, Token string
	TokenID                           string  `json:"token_id"`
	JoinURL                           string  `json:"join_url"`
	ExpiresAt                         *string `json:"expires_at"`
}

type listedParticipant struct {
	ID, Name, Role, Delegation string
	LastSeenAt                 *string `json:"last_seen_at"`
	Online, Active             bool
	Tokens                     []struct {
		ID        string
		RevokedAt *string `json:"revoked_at"`
	}
}

// The secretariat's desk over HTTP: documents with counts, rename, a
// roster in one transaction with a link each, the list with online now,
// revoking one (its websocket closes), a new link; admins only.
func TestSecretariatDesk(t *testing.T) {
	t.Parallel()
	e := newEnv(t, room.Config{})
	e.serve(Config{PublicURL: "https://draft.example.org/"})
	admin := e.token("admin", "")
	chair := e.token("chair", "")
	doc := "/api/v1/documents/" + e.doc.String()

	// Admins only, everywhere.
	for _, c := range []struct{ method, path, body string }{
		{"GET", "/api/v1/admin/documents", ""},
		{"PATCH", doc, `{"title":"x"}`},
		{"GET", doc + "/participants", ""},
		{"POST", doc + "/participants", `{"role":"observer"}`},
		{"POST", doc + "/participants/" + uuid.NewString() + "/revoke", ""},
		{"POST", doc + "/participants/" + uuid.NewString() + "/tokens", ""},
		{"POST", "/api/v1/documents", "a,b"},
	} {
		if code, body := e.post(c.method, chair, c.path, "application/json", []byte(c.body), nil); code != 403 {
			t.Errorf("chair %s %s: %d %s, want 403", c.method, c.path, code, body)
		}
	}

	var docs struct {
		Documents []adminDocumentJSON `json:"documents"`
	}
	if code, body := e.post("GET", admin, "/api/v1/admin/documents", "", nil, &docs); code != 200 || len(docs.Documents) != 1 {
		t.Fatalf("admin documents: %d %s", code, body)
	}
	d := docs.Documents[0]
	if d.ID != e.doc.String() || d.Paragraphs != 4 || d.Proposals != 3 || d.Participants != 1 || d.Sections != 2 || d.LastActivity == "" {
		t.Errorf("document stats = %+v", d)
	}

	// Rename, with a live room open: its welcome frames take the new title.
	c := e.dial(chair)
	title := "Projet de résolution — 草案 — مشروع قرار 📄"
	if code, body := e.post("PATCH", admin, doc, "application/json", []byte(`{"title":"  `+title+`  "}`), nil); code != 200 {
		t.Fatalf("rename: %d %s", code, body)
	}
	if got := e.document().Title; got != title {
		t.Errorf("title = %q", got)
	}
	// A version frozen now, from the open room, carries the new title.
	accepted(t, "edit in the open room", c.edit(e.paras["3"], `[3,"!"]`))
	if code := e.do("POST", chair, doc+"/versions", `{"label":"Rev.1"}`, nil); code != 201 {
		t.Fatalf("freeze: %d", code)
	}
	var v struct {
		Document struct{ Title string } `json:"document"`
	}
	if code := e.get(chair, doc+"/versions/Rev.1", &v); code != 200 || v.Document.Title != title {
		t.Errorf("version frozen after the rename has title %q (%d)", v.Document.Title, code)
	}
	for _, bad := range []string{`{"title":""}`, `{"title":"a\u0000b"}`, `{}`, `nope`} {
		if code, _ := e.post("PATCH", admin, doc, "application/json", []byte(bad), nil); code != 400 {
			t.Errorf("rename with %s: %d", bad, code)
		}
	}
	if code, _ := e.post("PATCH", admin, "/api/v1/documents/"+uuid.NewString(), "application/json", []byte(`{"title":"x"}`), nil); code != 404 {
		t.Errorf("rename of an unknown document: %d", code)
	}

	// A roster with an error writes nothing and says which line.
	count := func() int {
		var n int
		e.st.Pool().QueryRow(context.Background(), `SELECT count(*) FROM participants`).Scan(&n)
		return n
	}
	before := count()
	code, body := e.post("POST", admin, doc+"/participants", "text/csv", []byte("role,delegation,name\ndelegate,BRA,Brazil\ndelegate,XYZ,Nowhere\ndelegate,bra,Again\n"), nil)
	if code != 400 || !strings.Contains(body, "line 3: unknown delegation code") || !strings.Contains(body, "line 4: delegation BRA is already on line 2") {
		t.Errorf("bad roster: %d %s", code, body)
	}
	if n := count(); n != before {
		t.Fatalf("a refused roster wrote %d participants", n-before)
	}

	// A roster of ten delegations and a rapporteur, in one go.
	codes := []string{"BRA", "CEPT", "ARB", "CHN", "RUS", "USA", "IND", "ATU", "CITEL", "APT"}
	var csv strings.Builder
	csv.WriteString("role;delegation;name;expires\n")
	for i, code := range codes {
		exp := ""
		if i == 3 {
			exp = "14d"
		}
		fmt.Fprintf(&csv, "delegate;%s;;%s\n", code, exp)
	}
	csv.WriteString("rapporteur;;Rapporteur — المقرر;\n")
	var added struct{ Participants []issued }
	if code, body := e.post("POST", admin, doc+"/participants", "text/csv; charset=utf-8", []byte(csv.String()), &added); code != 201 || len(added.Participants) != 11 {
		t.Fatalf("roster: %d %s", code, body)
	}
	for i, p := range added.Participants[:10] {
		if p.Delegation != codes[i] || p.Role != "delegate" || p.JoinURL != "https://draft.example.org/join#"+p.Token || !strings.HasPrefix(p.Token, "drt_") {
			t.Errorf("issued %d = %+v", i, p)
		}
	}
	if added.Participants[3].ExpiresAt == nil || added.Participants[0].ExpiresAt != nil || added.Participants[0].Name != "Brazil" {
		t.Errorf("issued = %+v / %+v", added.Participants[0], added.Participants[3])
	}
	// The same roster again: every delegation already has a delegate.
	if code, body := e.post("POST", admin, doc+"/participants", "text/csv", []byte(csv.String()), nil); code != 400 || !strings.Contains(body, "line 2: delegation BRA already has a delegate") {
		t.Errorf("roster twice: %d %s", code, body)
	}
	// One more, as JSON.
	var one struct{ Participants []issued }
	if code, body := e.post("POST", admin, doc+"/participants", "application/json", []byte(`{"role":"observer","name":"Press 📰"}`), &one); code != 201 || len(one.Participants) != 1 {
		t.Fatalf("add one: %d %s", code, body)
	}
	for _, bad := range []string{`{"role":"emperor"}`, `{"participants":[]}`, `{"role":"delegate","delegation":"ZZZ"}`, `{"role":"chair","expires":"yesterday"}`, `{"role":"chair","extra":1}`} {
		if code, body := e.post("POST", admin, doc+"/participants", "application/json", []byte(bad), nil); code != 400 {
			t.Errorf("add %s: %d %s", bad, code, body)
		}
	}

	// Brazil joins; the list shows it online.
	bra := added.Participants[0]
	ws := e.dial(bra.Token)
	var list struct{ Participants []listedParticipant }
	deadline := time.Now().Add(30 * time.Second)
	for {
		if code, body := e.post("GET", admin, doc+"/participants", "", nil, &list); code != 200 {
			t.Fatalf("list: %d %s", code, body)
		}
		var p listedParticipant
		for _, x := range list.Participants {
			if x.ID == bra.ID {
				p = x
			}
		}
		if p.Online && p.LastSeenAt != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Brazil connected but not listed online: %+v", p)
		}
		// Presence is written a moment after a join; ask again (each
		// question is a request, not a sleep).
	}
	if len(list.Participants) != 13 || list.Participants[0].Role != "chair" {
		t.Errorf("%d participants listed, first %+v", len(list.Participants), list.Participants[0])
	}

	// Revoke Brazil: its websocket closes, its token is refused.
	if code, body := e.post("POST", admin, doc+"/participants/"+bra.ID+"/revoke", "", nil, nil); code != 200 {
		t.Fatalf("revoke: %d %s", code, body)
	}
	if code := awaitClose(t, ws.ws); code != wire.CloseRevoked {
		t.Fatalf("revoked delegate's websocket closed with %d", code)
	}
	if code := e.get(bra.Token, "/api/v1/documents", nil); code != 401 {
		t.Errorf("revoked token: %d", code)
	}
	if code, _ := e.post("POST", admin, doc+"/participants/"+uuid.NewString()+"/revoke", "", nil, nil); code != 404 {
		t.Errorf("revoke an unknown participant: %d", code)
	}
	for _, path := range []string{doc + "/participants/not-a-uuid/revoke", doc + "/participants/not-a-uuid/tokens",
		"/api/v1/documents/not-a-uuid/participants/" + bra.ID + "/revoke"} {
		if code, body := e.post("POST", admin, path, "", nil, nil); code != 400 || !strings.Contains(body, "want a UUID") {
			t.Errorf("POST %s: %d %s, want 400", path, code, body)
		}
	}
	// A new link for Brazil works; the old one stays revoked.
	var fresh issued
	if code, body := e.post("POST", admin, doc+"/participants/"+bra.ID+"/tokens", "application/json", []byte(`{"expires":"72h"}`), &fresh); code != 201 || fresh.ID != bra.ID || fresh.ExpiresAt == nil {
		t.Fatalf("new link: %d %s", code, body)
	}
	if code := e.get(fresh.Token, "/api/v1/documents/"+e.doc.String(), nil); code != 200 {
		t.Errorf("new token: %d", code)
	}

	// Import through the desk: the same importer as the CLI.
	csvTable := "Row,Original text,Brazil --- MOD B/9/1\n1,RESOLVES,\n2,1 to act;,1 to act now;\n"
	var imp struct {
		ID      string
		Summary struct{ Paragraphs int }
	}
	if code, body := e.post("POST", admin, "/api/v1/documents?format=csv&filename=t.csv&title=Imported", "text/csv", []byte(csvTable), &imp); code != 201 || imp.Summary.Paragraphs != 1 {
		t.Fatalf("import: %d %s", code, body)
	}
	if code, _ := e.post("GET", admin, "/api/v1/admin/documents", "", nil, &docs); code != 200 || len(docs.Documents) != 2 {
		t.Fatalf("documents after import: %+v", docs)
	}
}
