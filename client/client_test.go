package client

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"go.uber.org/goleak"

	"github.com/draftroom/draftroom/server/wire"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fakeServer speaks the live protocol over a sequencer.
type fakeServer struct {
	t   *testing.T
	srv *httptest.Server

	mu      sync.Mutex
	seq     *sequencer
	handles *wire.Handles // nil until the first join
	conns   map[*fakeConn]bool
	// Test knobs.
	refuse    []string // codes for the next edits
	swallow   int      // edits to ignore without an answer
	loseAck   bool     // apply the next edit, then hang up before acking it
	closeWith int      // close code for the next join
	sinces    []string // since= of each join
}

type fakeConn struct {
	ws   *websocket.Conn
	out  chan []byte
	once sync.Once
}

func (c *fakeConn) send(v any) {
	b, _ := json.Marshal(v)
	select {
	case c.out <- b:
	default: // a fake server has no patience for slow clients
	}
}

func newFakeServer(t *testing.T, paras ...string) *fakeServer {
	f := &fakeServer{t: t, seq: newSequencer(paras...), conns: map[*fakeConn]bool{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.live))
	t.Cleanup(func() {
		f.srv.CloseClientConnections()
		f.srv.Close()
	})
	return f
}

func (f *fakeServer) live(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer tok" {
		http.Error(w, `{"error":{"code":"unauthorized","message":"no"}}`, http.StatusUnauthorized)
		return
	}
	if r.URL.Path != "/api/v1/documents/doc/live" {
		http.NotFound(w, r)
		return
	}
	ws, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &fakeConn{ws: ws, out: make(chan []byte, 1024)}
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		for b := range c.out {
			if b == nil {
				ws.Close()
				return
			}
			if code, err := strconv.Atoi(string(b)); err == nil {
				ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, "test"), time.Now().Add(time.Second))
				ws.Close()
				return
			}
			if ws.WriteMessage(websocket.TextMessage, b) != nil {
				return
			}
		}
	}()
	f.mu.Lock()
	since := r.URL.Query().Get("since")
	f.sinces = append(f.sinces, since)
	if code := f.closeWith; code != 0 {
		f.closeWith = 0
		f.mu.Unlock()
		c.out <- []byte(strconv.Itoa(code))
		<-writerDone
		return
	}
	if f.handles == nil {
		f.handles = wire.NewHandles()
	}
	k, err := strconv.ParseInt(since, 10, 64)
	if err != nil || k > f.seq.seq() {
		paras, people := f.handles.Table()
		c.send(wire.Welcome{Type: wire.TypeWelcome, Seq: f.seq.seq(), Paras: paras, People: people, Document: f.seq.document()})
	} else {
		catchUp := f.liveOps(f.seq.log[k:]...)
		paras, people := f.handles.Table()
		c.send(wire.Welcome{Type: wire.TypeWelcome, Seq: f.seq.seq(), Paras: paras, People: people})
		if k < f.seq.seq() {
			c.send(catchUp)
		}
	}
	c.send(wire.Presence{Type: wire.TypePresence, Participants: []wire.PresenceEntry{{Participant: "x", Name: "Ana", Role: "chair"}}})
	f.conns[c] = true
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		delete(f.conns, c)
		f.mu.Unlock()
		c.once.Do(func() { close(c.out) })
		<-writerDone
		ws.Close()
	}()
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var e editFrame
		if json.Unmarshal(data, &e) != nil || e.Type != wire.TypeEdit {
			continue
		}
		f.edit(c, &e)
	}
}

func (f *fakeServer) edit(c *fakeConn, e *editFrame) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.swallow > 0 {
		f.swallow--
		return
	}
	if len(f.refuse) > 0 {
		code := f.refuse[0]
		f.refuse = f.refuse[1:]
		c.send(wire.ErrorFrame{Type: wire.TypeError, Ref: e.Ref, Code: code, Message: "test refusal"})
		return
	}
	op, dup, code := f.seq.submit(e)
	switch {
	case code != "":
		c.send(wire.ErrorFrame{Type: wire.TypeError, Ref: e.Ref, Code: code, Message: "refused"})
	case dup:
		c.send(f.liveOps(*op))
	default:
		lose := f.loseAck
		f.loseAck = false
		for o := range f.conns {
			if o == c && lose {
				o.once.Do(func() { o.out <- nil })
				continue
			}
			o.send(f.liveOps(*op))
		}
	}
}

// liveOps is an ops frame of ops with the fake's handles; every op defines
// the handles it uses, which a client must take as well as the welcome's.
func (f *fakeServer) liveOps(ops ...wire.Op) wire.Ops {
	out := wire.Ops{Type: wire.TypeOps}
	for _, op := range ops {
		out.Ops = append(out.Ops, f.handles.Live(op, false))
	}
	return out
}

func (f *fakeServer) texts() map[string]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return maps.Clone(f.seq.texts)
}

func (f *fakeServer) dial(t *testing.T, urls ...string) *Client {
	t.Helper()
	return f.dialWith(t, nil, urls...)
}

func (f *fakeServer) dialWith(t *testing.T, onEvent func(Event), urls ...string) *Client {
	t.Helper()
	if len(urls) == 0 {
		urls = []string{f.srv.URL}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := Dial(ctx, Options{URLs: urls, Token: "tok", Document: "doc", MinBackoff: time.Millisecond, MaxBackoff: 20 * time.Millisecond, OnEvent: onEvent})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func settle(t *testing.T, f *fakeServer, cs ...*Client) {
	t.Helper()
	ctx := testCtx(t)
	for _, c := range cs {
		if err := c.WaitIdle(ctx); err != nil {
			t.Fatal(err)
		}
	}
	f.mu.Lock()
	seq := f.seq.seq()
	f.mu.Unlock()
	for _, c := range cs {
		if err := c.WaitSeq(ctx, seq); err != nil {
			t.Fatal(err)
		}
	}
	want := f.texts()
	for i, c := range cs {
		got := map[string]string{}
		for _, p := range c.Paragraphs() {
			got[p.ID] = p.Text
		}
		if !maps.Equal(got, want) {
			t.Fatalf("client %d: %v, server %v", i, got, want)
		}
	}
}

func TestClientsConvergeOverWebsocket(t *testing.T) {
	f := newFakeServer(t, "p", "الأمم المتحدة", "q", "决议")
	a, b := f.dial(t), f.dial(t)
	for i := range 30 {
		if _, err := a.Insert("p", 0, "👩🏽‍💻"); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Insert("p", b.Len("p"), strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Delete("q", 0, 1); err == nil {
			b.Insert("q", 0, "世")
		}
	}
	settle(t, f, a, b)
	if n := len(a.Acked()); n == 0 || n > 30 {
		t.Errorf("a has %d acks for 30 edits", n)
	}
}

func TestReconnectResendsAndIsAppliedOnce(t *testing.T) {
	f := newFakeServer(t, "p", "abc")
	a := f.dial(t)
	f.mu.Lock()
	f.loseAck = true
	f.mu.Unlock()
	ref, _ := a.Insert("p", 0, "x")
	a.Insert("p", 1, "y") // buffered behind the lost ack
	settle(t, f, a)
	if got := f.texts()["p"]; got != "xyabc" {
		t.Fatalf("server text %q", got)
	}
	if acks := a.Acked(); len(acks) != 2 || acks[0].Ref != ref {
		t.Fatalf("acks %v", acks)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.sinces) != 2 || f.sinces[0] != "" || f.sinces[1] == "" {
		t.Fatalf("joins asked for since=%q", f.sinces)
	}
}

func TestRefusals(t *testing.T) {
	f := newFakeServer(t, "p", "Recalling")
	var mu sync.Mutex
	var seen []string
	a := f.dialWith(t, func(e Event) {
		if e.Kind == EventRetry || e.Kind == EventRefused {
			mu.Lock()
			seen = append(seen, e.Code)
			mu.Unlock()
		}
	})
	f.mu.Lock()
	f.refuse = []string{wire.CodeUnavailable, wire.CodeRateLimited}
	f.mu.Unlock()
	kept, _ := a.Insert("p", 0, "ب") // held twice, then applied
	settle(t, f, a)
	f.mu.Lock()
	f.refuse = []string{wire.CodeForbidden}
	f.mu.Unlock()
	a.Insert("p", 0, "👍") // refused and rolled back
	settle(t, f, a)
	if got := f.texts()["p"]; got != "بRecalling" {
		t.Fatalf("server text %q", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(seen, ",") != "unavailable,rate_limited,forbidden" {
		t.Errorf("events %v", seen)
	}
	if acks := a.Acked(); len(acks) != 1 || acks[0].Ref != kept {
		t.Errorf("acks %v", acks)
	}
}

func TestDroppedConnections(t *testing.T) {
	f := newFakeServer(t, "p", "Recalling", "q", "")
	var mu sync.Mutex
	kinds := map[EventKind]int{}
	count := func(e Event) { mu.Lock(); kinds[e.Kind]++; mu.Unlock() }
	cs := []*Client{f.dialWith(t, count), f.dialWith(t, count), f.dialWith(t, count)}
	for i := range 90 {
		cl := cs[i%3]
		para := []string{"p", "q"}[i%2]
		cl.Insert(para, cl.Len(para)/2, "ب👍")
		if i%7 == 0 {
			cl.DropConnection()
		}
	}
	settle(t, f, cs...)
	mu.Lock()
	defer mu.Unlock()
	if kinds[EventDisconnected] == 0 || kinds[EventConnected] < 4 {
		t.Errorf("events %v", kinds)
	}
}

func TestPermanentFailures(t *testing.T) {
	f := newFakeServer(t, "p", "")
	_, err := Dial(testCtx(t), Options{URLs: []string{f.srv.URL}, Token: "bad", Document: "doc"})
	if err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("bad token: %v", err)
	}
	a := f.dial(t)
	f.mu.Lock()
	f.closeWith = wire.CloseRevoked
	f.mu.Unlock()
	a.DropConnection()
	select {
	case <-a.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("client kept reconnecting with a revoked token")
	}
	var pe *permanentError
	if !errors.As(a.Err(), &pe) || !strings.Contains(a.Err().Error(), "4010") {
		t.Fatalf("err %v", a.Err())
	}
	if _, err := a.Insert("p", 0, "x"); !errors.Is(err, ErrClosed) {
		t.Fatalf("edit after stop: %v", err)
	}
}

func TestFailoverAndGoingAway(t *testing.T) {
	f := newFakeServer(t, "p", "abc")
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()
	a := f.dial(t, deadURL, f.srv.URL)
	f.mu.Lock()
	for c := range f.conns {
		c.out <- []byte(strconv.Itoa(websocket.CloseGoingAway))
	}
	f.mu.Unlock()
	a.Insert("p", 3, "d")
	if err := a.WaitConnected(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	settle(t, f, a)
}

func TestFocusIsSentAndCloseIsClean(t *testing.T) {
	f := newFakeServer(t, "p", "abc")
	a := f.dial(t)
	a.SetFocus("p")
	a.Insert("p", 0, "z")
	settle(t, f, a)
	if p := a.Presence(); len(p) != 1 || p[0].Name != "Ana" {
		t.Errorf("presence %+v", p)
	}
	a.Close()
	a.Close()
	if _, err := a.Insert("p", 0, "x"); !errors.Is(err, ErrClosed) {
		t.Fatalf("edit after close: %v", err)
	}
	if err := a.WaitIdle(testCtx(t)); err != nil {
		t.Fatalf("wait on a closed idle client: %v", err)
	}
}

func TestUnansweredEditIsResent(t *testing.T) {
	f := newFakeServer(t, "p", "abc")
	f.mu.Lock()
	f.swallow = 2
	f.mu.Unlock()
	c, err := Dial(testCtx(t), Options{URLs: []string{f.srv.URL}, Token: "tok", Document: "doc", AckTimeout: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ref, _ := c.Insert("p", 0, "决")
	settle(t, f, c)
	if acks := c.Acked(); len(acks) != 1 || acks[0].Ref != ref {
		t.Fatalf("acks %v", acks)
	}
}
