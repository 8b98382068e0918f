package httpapi

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/draftroom/draftroom/server/internal/delegation"
	"github.com/draftroom/draftroom/server/internal/room"
	"github.com/draftroom/draftroom/server/wire"
)

// dialWelcome connects to srv (since ≥ 0: with ?since=) and returns the
// connection and its welcome.
func (e *env) dialWelcome(srv *httptest.Server, token string, since int64) (*conn, frame) {
	e.t.Helper()
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/api/v1/documents/" + e.doc.String() + "/live"
	if since >= 0 {
		url += fmt.Sprintf("?since=%d", since)
	}
	ws, resp, err := websocket.DefaultDialer.Dial(url, http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		e.t.Fatalf("dial: %v (%v)", err, resp)
	}
	e.t.Cleanup(func() { ws.Close() })
	c := &conn{t: e.t, ws: ws}
	w := c.read()
	if w.Type != wire.TypeWelcome {
		e.t.Fatalf("first frame %s", w.Raw)
	}
	c.seq = w.Seq
	return c, w
}

// node starts another server node on the env's database: a hub of its
// own, loading rooms from PostgreSQL and hearing other nodes' commits.
func (e *env) node() *httptest.Server {
	api := New(Config{Store: e.st, Registry: delegation.Default(), Hub: e.hub(room.Config{})})
	srv := httptest.NewServer(api)
	e.t.Cleanup(srv.Close)
	return srv
}

// floorString is a floor in short: "speaking | queue… | only".
func floorString(f *wire.Floor) string {
	if f == nil {
		return "no floor"
	}
	var q []string
	for _, r := range f.Queue {
		s := r.Delegation
		if r.Para != "" {
			s += "@" + r.Para[:4]
		}
		q = append(q, s)
	}
	sp := "-"
	if f.Speaking != nil {
		sp = *f.Speaking
	}
	return sp + " | " + strings.Join(q, " ") + " | " + map[bool]string{true: "only", false: "open"}[f.Only]
}

// The floor over the websocket against PostgreSQL: requests, the floor
// given, floor-only typing enforced; a reconnecting client catches up with
// since= or gets it in the welcome; a second node and a restarted one
// (hubs loading the room from the database) see the same floor, and a
// change made on one node reaches the other's members.
func TestFloorLive(t *testing.T) {
	t.Parallel()
	e := newEnv(t, room.Config{})
	chair := e.dial(e.token("chair", ""))
	braTok := e.token("delegate", "BRA")
	bra := e.dial(braTok)
	cept := e.dial(e.token("delegate", "CEPT"))
	obsTok := e.token("observer", "")
	p3, p1 := e.paras["3"], e.paras["1"]

	since := accepted(t, "BRA asks on paragraph 3", bra.action(wire.KindFloorRequest, map[string]any{"para": p3})).Seq
	accepted(t, "CEPT asks", cept.action(wire.KindFloorRequest, nil))
	refused(t, "BRA asks twice", bra.action(wire.KindFloorRequest, nil), wire.CodeInvalid, "BRA has already asked for the floor (number 1")
	refused(t, "an observer asks", e.dial(obsTok).action(wire.KindFloorRequest, nil), wire.CodeForbidden, "only delegations ask for the floor")
	refused(t, "BRA gives itself the floor", bra.action(wire.KindFloorGive, map[string]any{"delegation": "BRA"}), wire.CodeForbidden, "only the chair may give the floor")

	// A client reconnecting with since= gets the request it missed as an op…
	late, w := e.dialWelcome(e.srv, obsTok, since)
	if w.Document != nil {
		t.Fatalf("catch-up welcome carries a document")
	}
	f := late.read()
	if len(f.Ops) != 1 || f.Ops[0].Kind != wire.KindFloorRequest || opData(t, &f.Ops[0]).Delegation != "CEPT" {
		t.Fatalf("catch-up %s", f.Raw)
	}
	// …and one without since= finds the list in the welcome's document.
	if _, w := e.dialWelcome(e.srv, obsTok, -1); floorString(w.Document.Floor) != "- | BRA@"+p3[:4]+" CEPT | open" {
		t.Fatalf("welcome floor %s", floorString(w.Document.Floor))
	}

	accepted(t, "the chair gives BRA the floor", chair.action(wire.KindFloorGive, map[string]any{"delegation": "BRA"}))
	accepted(t, "floor-only typing", chair.action(wire.KindFloorMode, map[string]any{"only": true}))
	r := cept.edit(p3, `[3,"[promptly] "]`)
	refused(t, "CEPT types without the floor", r, wire.CodeForbidden, "Only the delegation that has the floor may change the text now: BRA has it.")
	if r.f == nil || !strings.Contains(string(r.f.Raw), `"rule":"floor-only"`) {
		t.Fatalf("refusal without its rule: %s", r.f.Raw)
	}
	accepted(t, "BRA types with the floor", bra.edit(p3, `[3,"[promptly] "]`))
	accepted(t, "the chair types", chair.edit(p1, `[3,"duly "]`))
	accepted(t, "CEPT still tables a proposal", cept.action(wire.KindProposalTable, map[string]any{"para": p3, "action": "MOD", "text": "to report back yearly;", "doc_ref": "EUR/2/1"}))
	want := "BRA | CEPT | only"
	if got := floorString(e.document().Floor); got != want {
		t.Fatalf("stored floor %q, want %q", got, want)
	}

	// A second node loads the room from PostgreSQL.
	node2 := e.node()
	chair2, w := e.dialWelcome(node2, e.token("chair", ""), -1)
	if got := floorString(w.Document.Floor); got != want {
		t.Fatalf("second node's welcome floor %q, want %q", got, want)
	}
	// A change made there reaches this node's members and the database.
	accepted(t, "the chair closes the floor on node 2", chair2.action(wire.KindFloorClose, nil))
	for {
		if f := bra.read(); len(f.Ops) > 0 && f.Ops[len(f.Ops)-1].Kind == wire.KindFloorClose {
			break
		}
	}
	r = bra.edit(p3, `[12,"and fully"]`)
	refused(t, "BRA types after the floor closed", r, wire.CodeForbidden, "nobody has the floor")
	accepted(t, "CEPT withdraws its request", cept.action(wire.KindFloorWithdraw, nil))
	want = "- |  | only"

	// A node started now (as after a restart) reads the same floor.
	node3 := e.node()
	if _, w := e.dialWelcome(node3, obsTok, -1); floorString(w.Document.Floor) != want {
		t.Fatalf("restarted node's welcome floor %s, want %s", floorString(w.Document.Floor), want)
	}
	if got := floorString(e.document().Floor); got != want {
		t.Fatalf("stored floor %q, want %q", got, want)
	}
}

// The chair puts a proposal on the screen with the focus; the focus op
// carries it, and so do the stored document and a late welcome.
func TestFocusWithProposalLive(t *testing.T) {
	t.Parallel()
	e := newEnv(t, room.Config{})
	chair := e.dial(e.token("chair", ""))
	d := e.document()
	p1 := d.Sections[1].Paragraphs[0]
	mod := p1.Proposals[0].ID
	add := d.Sections[1].Proposals[0].ID
	op := accepted(t, "focus with a proposal", chair.action(wire.KindFocus, map[string]any{"para": p1.ID, "proposal": mod}))
	if got := opData(t, op); got.Para != p1.ID || got.FocusProposal != mod {
		t.Fatalf("focus data %s", op.Data)
	}
	if got := e.document(); got.Focus != p1.ID || got.FocusProposal != mod {
		t.Fatalf("stored focus %q %q", got.Focus, got.FocusProposal)
	}
	refused(t, "a proposal of another paragraph", chair.action(wire.KindFocus, map[string]any{"para": e.paras["3"], "proposal": mod}), wire.CodeInvalid, "is not about paragraph 3")
	accepted(t, "the section's ADD beside paragraph 3", chair.action(wire.KindFocus, map[string]any{"para": e.paras["3"], "proposal": add}))
	if _, w := e.dialWelcome(e.node(), e.token("observer", ""), -1); w.Document.Focus != e.paras["3"] || w.Document.FocusProposal != add {
		t.Fatalf("late welcome focus %q %q", w.Document.Focus, w.Document.FocusProposal)
	}
	// Deleting the paragraph takes the focus and its proposal off the screen, in the database too.
	accepted(t, "delete it", chair.action(wire.KindParagraphDelete, map[string]any{"para": e.paras["3"]}))
	if got := e.document(); got.Focus != "" || got.FocusProposal != "" {
		t.Fatalf("stored focus after delete %q %q", got.Focus, got.FocusProposal)
	}
}
