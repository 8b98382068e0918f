package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/draftroom/draftroom/server/wire"
)

// rawLive is a bare websocket on the live endpoint, for protocol cases a
// well-behaved client never produces.
type rawLive struct {
	t  *testing.T
	ws *websocket.Conn
}

func openRaw(t *testing.T, base, token, doc, query string) *rawLive {
	t.Helper()
	u := "ws" + strings.TrimPrefix(base, "http") + "/api/v1/documents/" + doc + "/live" + query
	h := http.Header{}
	h.Set("Authorization", "Bearer "+token)
	ws, resp, err := websocket.DefaultDialer.Dial(u, h)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial %s: %v (status %d)", u, err, status)
	}
	t.Cleanup(func() { ws.Close() })
	return &rawLive{t: t, ws: ws}
}

func (r *rawLive) send(v any) {
	r.t.Helper()
	if err := r.ws.WriteJSON(v); err != nil {
		r.t.Fatal(err)
	}
}

// next reads the next frame that is not a presence list.
func (r *rawLive) next() map[string]json.RawMessage {
	r.t.Helper()
	for {
		r.ws.SetReadDeadline(time.Now().Add(30 * time.Second))
		_, data, err := r.ws.ReadMessage()
		if err != nil {
			r.t.Fatalf("read: %v", err)
		}
		var f map[string]json.RawMessage
		if err := json.Unmarshal(data, &f); err != nil {
			r.t.Fatalf("frame %s: %v", data, err)
		}
		if string(f["type"]) != `"presence"` {
			return f
		}
	}
}

func (r *rawLive) welcome() wire.Welcome {
	r.t.Helper()
	f := r.next()
	var w wire.Welcome
	if string(f["type"]) != `"welcome"` {
		r.t.Fatalf("first frame %v, want a welcome", f)
	}
	raw, _ := json.Marshal(f)
	json.Unmarshal(raw, &w)
	return w
}

// expectOps reads an ops frame and returns its ops.
func (r *rawLive) expectOps() []wire.LiveOp {
	r.t.Helper()
	f := r.next()
	if string(f["type"]) != `"ops"` {
		r.t.Fatalf("got %v, want ops", f)
	}
	var ops []wire.LiveOp
	if err := json.Unmarshal(f["ops"], &ops); err != nil {
		r.t.Fatal(err)
	}
	return ops
}

func (r *rawLive) expectError(ref, code string) {
	r.t.Helper()
	f := r.next()
	var e wire.ErrorFrame
	raw, _ := json.Marshal(f)
	json.Unmarshal(raw, &e)
	if e.Type != wire.TypeError || e.Ref != ref || e.Code != code || e.Message == "" {
		r.t.Fatalf("got %v, want error %s for ref %s", f, code, ref)
	}
}

type rawEdit struct {
	Type string `json:"type"`
	Ref  string `json:"ref"`
	Para string `json:"para"`
	Base int64  `json:"base"`
	Op   any    `json:"op"`
}

func TestLiveProtocolEdgeCases(t *testing.T) {
	data := dataDir(t)
	srv := startServer(t, data, nil)
	doc := importLive(t, data, liveCSV)
	tok := chairTokens(t, data, doc, 1)[0]
	start := getDocument(t, srv.url, tok, doc)
	para := paragraphs(start)[1].ID

	a := openRaw(t, srv.url, tok, doc, "")
	if w := a.welcome(); w.Document == nil || w.Seq != start.Seq {
		t.Fatalf("welcome %+v", w)
	}
	// Refusals name the ref and leave seq alone.
	a.send(rawEdit{"edit", "r-unknown", "00000000-0000-0000-0000-000000000000", 0, []any{"x"}})
	a.expectError("r-unknown", wire.CodeNotFound)
	a.send(rawEdit{"edit", "r-future", para, start.Seq + 5, []any{"x"}})
	a.expectError("r-future", wire.CodeInvalid)
	a.send(rawEdit{"edit", "r-long", para, 0, []any{100000, "x"}})
	a.expectError("r-long", wire.CodeInvalid)
	a.send(rawEdit{"edit", "r-bracket", para, 0, []any{"[open "}})
	a.expectError("r-bracket", wire.CodeInvalid)

	// The same ref twice, back to back, then another edit from the same old
	// base: r-twice is applied once (a resend may be answered with a copy
	// of its op), and r-old-base is transformed past it.
	a.send(rawEdit{"edit", "r-twice", para, 0, []any{"«"}})
	a.send(rawEdit{"edit", "r-twice", para, 0, []any{"«"}})
	a.send(rawEdit{"edit", "r-old-base", para, 0, []any{"»"}})
	seqs := map[string][]int64{}
	for len(seqs["r-old-base"]) == 0 {
		for _, op := range a.expectOps() {
			seqs[op.Ref] = append(seqs[op.Ref], op.Seq)
		}
	}
	for _, s := range seqs["r-twice"] {
		if s != 1 {
			t.Fatalf("r-twice applied at seqs %v", seqs["r-twice"])
		}
	}
	if len(seqs["r-twice"]) == 0 || seqs["r-old-base"][0] != 2 {
		t.Fatalf("acks %v", seqs)
	}

	// Reconnecting with since: a resend of an applied ref is answered with
	// the original op, and the catch-up holds exactly the ops after since.
	a.ws.Close()
	b := openRaw(t, srv.url, tok, doc, "?since=1")
	if w := b.welcome(); w.Document != nil || w.Seq != 2 {
		t.Fatalf("since welcome %+v", w)
	}
	if ops := b.expectOps(); len(ops) != 1 || ops[0].Seq != 2 {
		t.Fatalf("catch-up %+v", ops)
	}
	b.send(rawEdit{"edit", "r-twice", para, 2, []any{"«"}})
	if ops := b.expectOps(); len(ops) != 1 || ops[0].Seq != 1 || ops[0].Ref != "r-twice" {
		t.Fatalf("resend ack %+v", ops)
	}
	d := getDocument(t, srv.url, tok, doc)
	if d.Seq != 2 || !strings.HasPrefix(paragraphs(d)[1].Text, "»«") {
		t.Fatalf("document at seq %d: %q", d.Seq, paragraphs(d)[1].Text)
	}

	// A since the server cannot serve gets the whole document.
	c := openRaw(t, srv.url, tok, doc, "?since=99")
	if w := c.welcome(); w.Document == nil || w.Seq != 2 {
		t.Fatalf("welcome for a future since: %+v", w)
	}

	// A frame over 64 KiB closes the connection with 1009.
	c.send(rawEdit{"edit", "r-huge", para, 2, []any{strings.Repeat("a", 70<<10)}})
	for {
		c.ws.SetReadDeadline(time.Now().Add(30 * time.Second))
		if _, _, err := c.ws.ReadMessage(); err != nil {
			if !websocket.IsCloseError(err, websocket.CloseMessageTooBig) {
				t.Fatalf("after a huge frame: %v, want close 1009", err)
			}
			break
		}
	}
}
