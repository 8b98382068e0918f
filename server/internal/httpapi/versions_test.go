package httpapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/draftroom/draftroom/server/internal/document"
	"github.com/draftroom/draftroom/server/internal/room"
	"github.com/draftroom/draftroom/server/wire"
)

func (e *env) get(token, path string, v any) int {
	e.t.Helper()
	return e.do("GET", token, path, "", v)
}

func (e *env) do(method, token, path, body string, v any) int {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if v != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(b, v); err != nil {
			e.t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
	if resp.StatusCode >= 300 && v != nil {
		e.t.Logf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	return resp.StatusCode
}

func runsString(r wire.Runs) string {
	var b strings.Builder
	for _, x := range r {
		b.WriteString(strconv.Itoa(x.Len) + ":" + x.Author + " ")
	}
	return strings.TrimSpace(b.String())
}

// Merging MOD, ADD and SUP proposals: the resulting text, brackets and
// authorship.
func TestMergeProposals(t *testing.T) {
	t.Parallel()
	e := newEnv(t, room.Config{})
	chair := e.dial(e.token("chair", ""))
	watcher := e.dial(e.token("observer", ""))
	d := e.document()
	mod := d.Sections[1].Paragraphs[0].Proposals[0]
	sup := d.Sections[1].Paragraphs[1].Proposals[0]
	add := d.Sections[1].Proposals[0]

	op := accepted(t, "merge MOD", chair.action(wire.KindProposalMerge, map[string]any{"proposal": mod.ID}))
	if op.Kind != wire.KindProposalMerge || opData(t, op).Proposal.Status != "merged" || len(opData(t, op).Op) == 0 {
		t.Fatalf("merge op = %+v %s", op, op.Data)
	}
	p1 := e.para("1")
	if want := "to [strengthen][enhance international] cooperation among Member States;"; p1.Text != want {
		t.Fatalf("MOD merge: %q, want %q", p1.Text, want)
	}
	// The proposed alternative and its brackets are Brazil's; the rest keeps its authors.
	if got := runsString(p1.Authors); got != "3:original 1:BRA 10:original 24:BRA 33:original" {
		t.Fatalf("MOD authorship = %s", got)
	}

	accepted(t, "merge SUP", chair.action(wire.KindProposalMerge, map[string]any{"proposal": sup.ID}))
	p2 := e.para("2")
	if p2.Text != "[to study the matter;]" || runsString(p2.Authors) != "1:CEPT 20:original 1:CEPT" {
		t.Fatalf("SUP merge: %q %s", p2.Text, runsString(p2.Authors))
	}
	notes := e.document().Notes
	if len(notes) == 0 || !strings.Contains(notes[len(notes)-1].Text, "suppress") || *notes[len(notes)-1].Paragraph != p2.ID {
		t.Fatalf("SUP note = %+v", notes)
	}

	accepted(t, "merge ADD", chair.action(wire.KindProposalMerge, map[string]any{"proposal": add.ID}))
	ps := e.document().Sections[1].Paragraphs
	last := ps[len(ps)-1]
	if len(ps) != 4 || last.Label != "4" || last.Text != "[to support developing countries;]" || runsString(last.Authors) != "34:ARB" {
		t.Fatalf("ADD merge: %+v", last)
	}
	r := chair.action(wire.KindProposalMerge, map[string]any{"proposal": mod.ID})
	refused(t, "merge twice", r, wire.CodeInvalid, "not tabled")

	// Everyone saw the same merges: the watcher's stream carries all three.
	var kinds []string
	for len(kinds) < 3 {
		f := watcher.read()
		for _, op := range f.Ops {
			kinds = append(kinds, op.Kind)
		}
	}
	if strings.Join(kinds, ",") != "proposal.merge,proposal.merge,proposal.merge" {
		t.Fatalf("watcher saw %v", kinds)
	}
}

// Freeze a version, try to alter it through SQL, verify its hash.
func TestVersions(t *testing.T) {
	t.Parallel()
	e := newEnv(t, room.Config{})
	rap := e.token("rapporteur", "")
	bra := e.token("delegate", "BRA")
	chairTok := e.token("chair", "")
	watcher := e.dial(e.token("observer", ""))

	if code := e.do("POST", bra, "/api/v1/documents/"+e.doc.String()+"/versions", "", nil); code != 403 {
		t.Fatalf("delegate freeze: %d", code)
	}
	var v1 struct {
		Label, SHA256, CreatedAt string
		Seq                      int64
		Counts                   wire.VersionCounts
	}
	if code := e.do("POST", rap, "/api/v1/documents/"+e.doc.String()+"/versions", "", &v1); code != 201 {
		t.Fatalf("freeze: %d", code)
	}
	if v1.Label != "Rev.1" || len(v1.SHA256) != 64 || v1.Seq != 1 || v1.Counts.Paragraphs != 4 {
		t.Fatalf("v1 = %+v", v1)
	}
	f := watcher.read()
	for f.Type != wire.TypeOps {
		f = watcher.read()
	}
	if f.Ops[0].Kind != wire.KindVersionFreeze {
		t.Fatalf("watcher got %+v", f.Ops)
	}

	c := e.dial(e.token("delegate", "CEPT"))
	accepted(t, "bracket", c.edit(e.paras["3"], `[3,"[promptly] "]`))
	var v2 struct {
		Label  string
		Counts wire.VersionCounts
	}
	if code := e.do("POST", chairTok, "/api/v1/documents/"+e.doc.String()+"/versions", `{}`, &v2); code != 201 || v2.Label != "Rev.2" {
		t.Fatalf("second freeze: %d %+v", code, v2)
	}
	if v2.Counts.OpenBrackets != 1 || v2.Counts.BracketsByAuthor["CEPT"] != 1 {
		t.Fatalf("v2 counts = %+v", v2.Counts)
	}
	if code := e.do("POST", rap, "/api/v1/documents/"+e.doc.String()+"/versions", `{"label":"Rev.2"}`, nil); code != 409 {
		t.Fatalf("duplicate label: %d", code)
	}
	if code := e.do("POST", rap, "/api/v1/documents/"+e.doc.String()+"/versions", `{"label":"a/b"}`, nil); code != 400 {
		t.Fatalf("bad label: %d", code)
	}

	// Nobody changes a frozen version, not even the database owner.
	ctx := context.Background()
	if _, err := e.st.Pool().Exec(ctx, `UPDATE versions SET content = replace(content, 'report', 'ignore') WHERE label = 'Rev.1'`); err == nil {
		t.Fatal("UPDATE on versions succeeded")
	}
	if _, err := e.st.Pool().Exec(ctx, `DELETE FROM versions WHERE label = 'Rev.1'`); err == nil {
		t.Fatal("DELETE on versions succeeded")
	}
	var verify struct {
		Valid  bool
		SHA256 string
	}
	e.get(rap, "/api/v1/documents/"+e.doc.String()+"/versions/Rev.1/verify", &verify)
	if !verify.Valid || verify.SHA256 != v1.SHA256 {
		t.Fatalf("verify = %+v, want valid %s", verify, v1.SHA256)
	}
	var one struct {
		Label    string
		Document wire.Document
	}
	e.get(rap, "/api/v1/documents/"+e.doc.String()+"/versions/Rev.1", &one)
	if one.Document.Seq != 1 || one.Document.Sections[1].Paragraphs[2].Text != "to report back;" {
		t.Fatalf("Rev.1 content = %+v", one.Document)
	}
	var list struct{ Versions []struct{ Label string } }
	e.get(rap, "/api/v1/documents/"+e.doc.String()+"/versions", &list)
	if len(list.Versions) != 2 || list.Versions[0].Label != "Rev.1" || list.Versions[1].Label != "Rev.2" {
		t.Fatalf("list = %+v", list)
	}

	// The diff between the two versions shows CEPT's insertion.
	var diff document.Diff
	e.get(rap, "/api/v1/documents/"+e.doc.String()+"/diff?from=Rev.1&to=Rev.2", &diff)
	if len(diff.Changed) != 1 || diff.Changed[0].Para != e.paras["3"] {
		t.Fatalf("diff = %+v", diff)
	}
	var ins []string
	for _, s := range diff.Changed[0].Segments {
		if s.Op == "insert" {
			ins = append(ins, s.Text)
			if len(s.Authors) != 1 || s.Authors[0] != "CEPT" {
				t.Errorf("insert %q authors %v", s.Text, s.Authors)
			}
		}
	}
	if strings.Join(ins, "") != "[promptly] " {
		t.Fatalf("inserted %q", ins)
	}
}

// The document at any seq equals what a client saw at that seq.
func TestHistoryAt(t *testing.T) {
	t.Parallel()
	e := newEnv(t, room.Config{SnapshotEvery: 3})
	chair := e.dial(e.token("chair", ""))
	tok := e.token("observer", "")
	seen := map[int64]string{0: e.para("3").Text}
	text := seen[0]
	for i, op := range []string{`[3,"a"]`, `[4,"b"]`, `[{"d":2}]`, `["Ж"]`, `[1,"🇧🇷"]`, `[2,"中"]`, `[5,{"d":1}]`} {
		o := accepted(t, "edit", chair.edit(e.paras["3"], op))
		var err error
		text, err = applyJSON(text, o.Op)
		if err != nil {
			t.Fatal(err)
		}
		seen[o.Seq] = text
		if i == 3 {
			accepted(t, "status", chair.action(wire.KindStatus, map[string]any{"para": e.paras["1"], "status": "agreed_ad_ref"}))
		}
	}
	for seq, want := range seen {
		var d wire.Document
		if code := e.get(tok, "/api/v1/documents/"+e.doc.String()+"/at/"+strconv.FormatInt(seq, 10), &d); code != 200 {
			t.Fatalf("at/%d: %d", seq, code)
		}
		if got := d.Sections[1].Paragraphs[2].Text; got != want || d.Seq != seq {
			t.Errorf("at/%d: %q (seq %d), want %q", seq, got, d.Seq, want)
		}
	}
	// Snapshots are written after their commits, apart from them.
	var n int
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		e.st.Pool().QueryRow(context.Background(), `SELECT count(*) FROM snapshots WHERE document_id = $1`, e.doc).Scan(&n)
		if n >= 3 || time.Now().After(deadline) {
			break
		}
	}
	if n < 3 {
		t.Errorf("%d snapshots, want at least 3 (seq 0 and every 3 ops)", n)
	}
	var h struct {
		Ops  []wire.Op
		Next int64
	}
	e.get(tok, "/api/v1/documents/"+e.doc.String()+"/history?from=2&limit=3", &h)
	if len(h.Ops) != 3 || h.Ops[0].Seq != 3 || h.Next != 5 || h.Ops[0].Author != "chair" || h.Ops[0].At.IsZero() {
		t.Fatalf("history = %+v", h)
	}
	if code := e.get(tok, "/api/v1/documents/"+e.doc.String()+"/at/999", nil); code != 404 {
		t.Fatalf("at a future seq: %d", code)
	}
}
