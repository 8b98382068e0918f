package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/draftroom/draftroom/server/internal/room"
	"github.com/draftroom/draftroom/server/wire"
)

// Regression tests for issue 15 ("Hardening II"), websocket side.
// docs/security.md maps the items to these tests.

// sendRaw writes a frame as is and returns the answer to ref.
func (c *conn) sendRaw(frame, ref string) res {
	c.t.Helper()
	if err := c.ws.WriteMessage(websocket.TextMessage, []byte(frame)); err != nil {
		c.t.Fatal(err)
	}
	return c.await(ref)
}

// Item 3: a character PostgreSQL cannot store is refused at decode with
// invalid, wherever it is, and breaks nothing for anyone else.
func TestUnstorableTextIsRefusedAtDecode(t *testing.T) {
	t.Parallel()
	e := newEnv(t, room.Config{})
	chair := e.dial(e.token("chair", ""))
	other := e.dial(e.token("chair", ""))
	bra := e.dial(e.token("delegate", "BRA"))
	p1, p3 := e.paras["1"], e.paras["3"]
	for _, c := range []struct{ what, frame, ref string }{
		{"an edit", `{"type":"edit","ref":"n1","para":"` + p3 + `","base":0,"op":["a\u0000b"]}`, "n1"},
		{"an edit's para", `{"type":"edit","ref":"n2","para":"` + p3 + `\u0000","base":0,"op":["a"]}`, "n2"},
		{"a proposal", `{"type":"action","ref":"n3","kind":"proposal.table","para":"` + p1 + `","action":"MOD","text":"[x\u0000]"}`, "n3"},
		{"a note", `{"type":"action","ref":"n4","kind":"note.add","text":"\u0000"}`, "n4"},
		{"a label", `{"type":"action","ref":"n5","kind":"paragraph.relabel","para":"` + p1 + `","label":"1\u0000"}`, "n5"},
		{"a lone surrogate", `{"type":"action","ref":"n6","kind":"note.add","text":"x\ud800"}`, "n6"},
		{"invalid UTF-8", "{\"type\":\"action\",\"ref\":\"n7\",\"kind\":\"note.add\",\"text\":\"\xff\"}", "n7"},
	} {
		r := chair.sendRaw(c.frame, c.ref)
		if r.op != nil || r.f.Code != wire.CodeInvalid {
			t.Errorf("%s: %+v %+v, want invalid", c.what, r.op, r.f)
		}
	}
	// A ref holding U+0000 cannot be named back; the error carries none.
	if err := chair.ws.WriteMessage(websocket.TextMessage, []byte(`{"type":"edit","ref":"r\u0000","para":"`+p3+`","base":0,"op":["a"]}`)); err != nil {
		t.Fatal(err)
	}
	for {
		f := chair.read()
		if f.Type == wire.TypePresence {
			continue
		}
		if f.Type != wire.TypeError || f.Code != wire.CodeInvalid || f.Ref != "" {
			t.Errorf("ref with U+0000: %s", f.Raw)
		}
		break
	}
	// Everyone's edits carry on, the refused sender's too.
	accepted(t, "the other chair's edit", other.edit(p3, `["مرحبا "]`))
	accepted(t, "the refused chair's next edit", chair.edit(p3, `["中文 "]`))
	accepted(t, "a delegate's edit", bra.edit(p3, `["[Мир] "]`))
	// A version label arrives over HTTP: refused with 400 before the room.
	code := e.do("POST", e.token("rapporteur", ""), "/api/v1/documents/"+e.doc.String()+"/versions", `{"label":"Rev\u0000"}`, nil)
	if code != http.StatusBadRequest {
		t.Errorf("version label with U+0000: %d, want 400", code)
	}
	if got := e.para("3").Text; got != "[Мир] 中文 مرحبا to report back;" {
		t.Errorf("text %q", got)
	}
}

// Item 9: one token holds at most 8 live websockets (by default); the next
// upgrade is refused with 429 and a JSON error.
func TestConnectionsPerToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t, room.Config{})
	tok := e.token("observer", "")
	var conns []*conn
	for range 8 {
		conns = append(conns, e.dial(tok))
	}
	url := "ws" + strings.TrimPrefix(e.srv.URL, "http") + "/api/v1/documents/" + e.doc.String() + "/live"
	dial := func() (*websocket.Conn, *http.Response, error) {
		return websocket.DefaultDialer.Dial(url, http.Header{"Authorization": {"Bearer " + tok}})
	}
	ws, resp, err := dial()
	if err == nil {
		ws.Close()
		t.Fatal("a ninth connection on one token was accepted")
	}
	if resp == nil || resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("ninth connection: %v, %+v", err, resp)
	}
	var body wire.ErrorBody
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.Error.Code != wire.CodeRateLimited || !strings.Contains(body.Error.Message, "8 live connections") {
		t.Fatalf("ninth connection's answer: %+v, %v", body, err)
	}
	// Other tokens are not affected.
	e.dial(e.token("observer", ""))
	// A closed connection frees its place once the server has seen it go.
	conns[0].ws.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ws, _, err := dial()
		if err == nil {
			ws.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a place never came free: %v", err)
		}
		time.Sleep(10 * time.Millisecond) // no event to wait on from outside the server
	}
}

// Item 12: a burst over the rate limit is told to wait (rate_limited, with
// retry_after_ms), not closed as invalid; once the client waits, its
// resends are applied.
func TestBurstIsToldToWait(t *testing.T) {
	t.Parallel()
	e := newEnv(t, room.Config{})
	c := e.dial(e.token("chair", ""))
	p3 := e.paras["3"]
	base := c.seq
	const n = 400
	for i := range n {
		frame := fmt.Sprintf(`{"type":"edit","ref":"b%d","para":"%s","base":%d,"op":["x"]}`, i, p3, base)
		if err := c.ws.WriteMessage(websocket.TextMessage, []byte(frame)); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	answered := map[string]bool{}
	var limited []string
	applied, retry := 0, int64(0)
	for len(answered) < n {
		f := c.read()
		switch f.Type {
		case wire.TypeOps:
			for _, op := range f.Ops {
				if strings.HasPrefix(op.Ref, "b") && !answered[op.Ref] {
					answered[op.Ref] = true
					applied++
				}
			}
		case wire.TypeError:
			var ef wire.ErrorFrame
			json.Unmarshal(f.Raw, &ef)
			if ef.Code != wire.CodeRateLimited || ef.RetryAfterMs <= 0 {
				t.Fatalf("burst answered with %s", f.Raw)
			}
			answered[ef.Ref] = true
			limited = append(limited, ef.Ref)
			retry = ef.RetryAfterMs
		}
	}
	if len(limited) == 0 || applied < 100 {
		t.Fatalf("%d applied, %d rate limited: want the burst of 100 applied and the rest limited", applied, len(limited))
	}
	// The client does as told: it waits, then resends one under its ref.
	ref := limited[0]
	for attempt := 0; ; attempt++ {
		time.Sleep(time.Duration(retry) * time.Millisecond) // the server's retry hint
		frame := fmt.Sprintf(`{"type":"edit","ref":"%s","para":"%s","base":%d,"op":["x"]}`, ref, p3, base)
		r := c.sendRaw(frame, ref)
		if r.op != nil {
			break
		}
		if r.f.Code != wire.CodeRateLimited || attempt > 20 {
			t.Fatalf("resend after waiting: %s", r.f.Raw)
		}
		var ef wire.ErrorFrame
		json.Unmarshal(r.f.Raw, &ef)
		retry = ef.RetryAfterMs
	}
}

// Item 12: only a sustained flood closes the connection, with 4029 ("too
// fast"), not 4009 (invalid messages).
func TestSustainedFloodClosesTooFast(t *testing.T) {
	t.Parallel()
	e := newEnv(t, room.Config{})
	c := e.dial(e.token("chair", ""))
	closed := make(chan int, 1)
	go func() {
		for {
			c.ws.SetReadDeadline(time.Now().Add(30 * time.Second))
			if _, _, err := c.ws.ReadMessage(); err != nil {
				var ce *websocket.CloseError
				if errors.As(err, &ce) {
					closed <- ce.Code
				} else {
					closed <- -1
				}
				return
			}
		}
	}()
	frame := []byte(`{"type":"presence","para":"` + e.paras["1"] + `"}`)
	for i := 0; i < 100_000; i++ {
		select {
		case code := <-closed:
			if code != wire.CloseTooFast {
				t.Fatalf("closed with %d after %d frames, want %d", code, i, wire.CloseTooFast)
			}
			if i < 600 {
				t.Fatalf("closed after only %d frames: a burst is not a flood", i)
			}
			return
		default:
		}
		if err := c.ws.WriteMessage(websocket.TextMessage, frame); err != nil {
			break // the server hung up; the reader reports how
		}
	}
	if code := <-closed; code != wire.CloseTooFast {
		t.Fatalf("closed with %d, want %d", code, wire.CloseTooFast)
	}
}
