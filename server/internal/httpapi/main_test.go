package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"

	"github.com/draftroom/draftroom/server/internal/compile"
	"github.com/draftroom/draftroom/server/internal/delegation"
	"github.com/draftroom/draftroom/server/internal/pgtest"
	"github.com/draftroom/draftroom/server/internal/room"
	"github.com/draftroom/draftroom/server/internal/store"
	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// env is a running API on a fresh database with one document.
type env struct {
	t     *testing.T
	st    *store.Store
	srv   *httptest.Server
	doc   uuid.UUID
	paras map[string]string // label → id, in the first operative section
	secs  []string
}

func newEnv(t *testing.T, cfg room.Config) *env {
	t.Helper()
	return newEnvWith(t, cfg, testCompilation())
}

func testCompilation() *compile.Compilation {
	return &compile.Compilation{
		Title: "Test resolution on rural connectivity",
		Sections: []compile.Section{
			{Heading: "CONSIDERING", Kind: "preamble", Paragraphs: []compile.Paragraph{
				{Label: "a)", Text: "that connectivity matters;"},
			}},
			{Heading: "RESOLVES", Kind: "operative", Paragraphs: []compile.Paragraph{
				{Label: "1", Text: "to strengthen cooperation among Member States;",
					Proposals: []compile.Proposal{{Proposer: "BRA", Action: "MOD", Ref: "B/1/1", Text: "to enhance international cooperation among Member States;"}}},
				{Label: "2", Text: "to study the matter;", Proposals: []compile.Proposal{{Proposer: "CEPT", Action: "SUP", Ref: "EUR/1/1"}}},
				{Label: "3", Text: "to report back;"},
			}, Proposals: []compile.Proposal{{Proposer: "ARB", Action: "ADD", Ref: "ARB/1/1", Label: "4", Text: "to support developing countries;"}}},
		},
	}
}

// newEnvWith is newEnv on the document imported from c.
func newEnvWith(t *testing.T, cfg room.Config, c *compile.Compilation) *env {
	t.Helper()
	st := pgtest.NewStore(t)
	id, _, err := st.ImportCompilation(context.Background(), c, "")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Store = st
	hub := room.NewHub(cfg)
	api := New(Config{Store: st, Registry: delegation.Default(), Hub: hub})
	srv := httptest.NewServer(api)
	t.Cleanup(func() {
		srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		hub.Close(ctx)
		api.WaitConnections(ctx)
	})
	e := &env{t: t, st: st, srv: srv, doc: id, paras: map[string]string{}}
	d := e.document()
	for _, s := range d.Sections {
		e.secs = append(e.secs, s.ID)
	}
	for _, p := range d.Sections[1].Paragraphs {
		e.paras[p.Label] = p.ID
	}
	return e
}

// hub makes another hub on the env's store, closed when the test ends.
func (e *env) hub(cfg room.Config) *room.Hub {
	cfg.Store = e.st
	h := room.NewHub(cfg)
	e.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := h.Close(ctx); err != nil {
			e.t.Errorf("closing a hub: %v", err)
		}
	})
	return h
}

func (e *env) token(role, delegation string) string {
	e.t.Helper()
	ctx := context.Background()
	p := store.Participant{Role: role, Delegation: delegation}
	if role != "admin" {
		p.DocumentID = &e.doc
	}
	p, err := e.st.CreateParticipant(ctx, p)
	if err != nil {
		e.t.Fatal(err)
	}
	tok, _, err := e.st.CreateToken(ctx, p.ID, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

func (e *env) document() *wire.Document {
	e.t.Helper()
	d, err := e.st.GetDocument(context.Background(), e.doc)
	if err != nil {
		e.t.Fatal(err)
	}
	return d
}

func (e *env) para(label string) wire.Paragraph {
	e.t.Helper()
	for _, s := range e.document().Sections {
		for _, p := range s.Paragraphs {
			if p.ID == e.paras[label] || (e.paras[label] == "" && p.Label == label) {
				return p
			}
		}
	}
	e.t.Fatalf("no paragraph %s", label)
	return wire.Paragraph{}
}

// conn is a websocket test client.
type conn struct {
	t     *testing.T
	ws    *websocket.Conn
	seq   int64
	n     int
	table wire.Table // the handles, as a client keeps them
}

type frame struct {
	Type     string          `json:"type"`
	Seq      int64           `json:"seq"`
	Paras    []string        `json:"paras"`
	People   []wire.Person   `json:"people"`
	Live     []wire.LiveOp   `json:"ops"`
	Ops      []wire.Op       `json:"-"` // Live, resolved
	Ref      string          `json:"ref"`
	Code     string          `json:"code"`
	Message  string          `json:"message"`
	Document *wire.Document  `json:"document"`
	Raw      json.RawMessage `json:"-"`
}

func (e *env) dial(token string) *conn {
	e.t.Helper()
	url := "ws" + strings.TrimPrefix(e.srv.URL, "http") + "/api/v1/documents/" + e.doc.String() + "/live"
	ws, resp, err := websocket.DefaultDialer.Dial(url, http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		e.t.Fatalf("dial: %v (%v)", err, resp)
	}
	c := &conn{t: e.t, ws: ws}
	e.t.Cleanup(func() { ws.Close() })
	w := c.read()
	if w.Type != wire.TypeWelcome {
		e.t.Fatalf("first frame %+v", w)
	}
	c.seq = w.Seq
	return c
}

func (c *conn) read() frame {
	c.t.Helper()
	c.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, data, err := c.ws.ReadMessage()
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	var f frame
	if err := json.Unmarshal(data, &f); err != nil {
		c.t.Fatalf("bad frame %s", data)
	}
	f.Raw = data
	if f.Type == wire.TypeWelcome {
		c.table.Reset(f.Paras, f.People)
	}
	for i := range f.Live {
		op, err := c.table.Resolve(&f.Live[i])
		if err != nil {
			c.t.Fatalf("frame %s: %v", data, err)
		}
		f.Ops = append(f.Ops, op)
		c.seq = max(c.seq, op.Seq)
	}
	return f
}

// res is the server's answer to one edit or action.
type res struct {
	op *wire.Op
	f  *frame
}

// await reads until the op or error for ref arrives.
func (c *conn) await(ref string) res {
	c.t.Helper()
	for {
		f := c.read()
		switch f.Type {
		case wire.TypeError:
			if f.Ref == ref {
				return res{f: &f}
			}
			c.t.Fatalf("unexpected error frame %s", f.Raw)
		case wire.TypeOps:
			for i := range f.Ops {
				if f.Ops[i].Ref == ref {
					return res{op: &f.Ops[i]}
				}
			}
		}
	}
}

func (c *conn) edit(para string, op string) res {
	c.t.Helper()
	c.n++
	ref := "e" + string(rune('a'+c.n%26)) + uuid.NewString()[:8]
	o, err := ot.Decode([]byte(op))
	if err != nil {
		c.t.Fatal(err)
	}
	if err := c.ws.WriteJSON(wire.Edit{Type: wire.TypeEdit, RefID: ref, Para: para, Base: c.seq, Op: o}); err != nil {
		c.t.Fatal(err)
	}
	return c.await(ref)
}

func (c *conn) action(kind string, fields map[string]any) res {
	c.t.Helper()
	ref := "a" + uuid.NewString()[:8]
	msg := map[string]any{"type": "action", "ref": ref, "kind": kind}
	for k, v := range fields {
		msg[k] = v
	}
	if err := c.ws.WriteJSON(msg); err != nil {
		c.t.Fatal(err)
	}
	return c.await(ref)
}

// refused asserts a refusal with the code and a message containing want.
func refused(t *testing.T, what string, r res, code, want string) {
	t.Helper()
	if r.op != nil {
		t.Errorf("%s: accepted as seq %d, want refusal", what, r.op.Seq)
		return
	}
	f := r.f
	if f.Code != code || !strings.Contains(f.Message, want) {
		t.Errorf("%s: %s %q, want %s containing %q", what, f.Code, f.Message, code, want)
	}
}

func accepted(t *testing.T, what string, r res) *wire.Op {
	t.Helper()
	if r.op == nil {
		t.Fatalf("%s: refused: %s %s", what, r.f.Code, r.f.Message)
	}
	return r.op
}

func opData(t *testing.T, op *wire.Op) wire.OpData {
	t.Helper()
	var d wire.OpData
	if err := json.Unmarshal(op.Data, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

func applyJSON(text string, op ot.Op) (string, error) { return ot.Apply(text, op) }
