package bench

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// fakeLive serves the live endpoint of document "D" with serve, which has
// the connection to itself; it fails the test on a wrong path or token.
func fakeLive(t *testing.T, serve func(ws *websocket.Conn)) string {
	t.Helper()
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/documents/D/live" || r.Header.Get("Authorization") != "Bearer tok" {
			t.Errorf("request %s with %q", r.URL.Path, r.Header.Get("Authorization"))
			http.NotFound(w, r)
			return
		}
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		serve(ws)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// readUntilClosed reads (and so answers control frames) until the peer goes.
func readUntilClosed(ws *websocket.Conn, each func(data []byte)) {
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return
		}
		if each != nil {
			each(data)
		}
	}
}

func TestSinkCountsFramesAndAnswersPings(t *testing.T) {
	t.Parallel()
	ponged, counted := make(chan struct{}), make(chan struct{})
	base := fakeLive(t, func(ws *websocket.Conn) {
		ws.SetPongHandler(func(string) error { close(ponged); return nil })
		ws.WriteMessage(websocket.TextMessage, []byte(`{"type":"welcome","seq":0}`))
		<-counted
		for _, n := range []int{10, 20, 30} {
			ws.WriteMessage(websocket.TextMessage, []byte(strings.Repeat("x", n)))
		}
		ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(time.Second))
		readUntilClosed(ws, nil)
	})
	tr := newTracker(0)
	s, err := dialSink(context.Background(), base, "tok", "D", tr)
	if err != nil {
		t.Fatal(err)
	}
	start := countSinks([]*sink{s}) // after the handshake and the welcome
	close(counted)
	// The sink answers the ping after reading the frames sent before it.
	<-ponged
	waitSinksQuiet(context.Background(), []*sink{s}, 10*time.Millisecond)
	got := countSinks([]*sink{s})
	if got.frames != 3 || got.bytes != 60 {
		t.Errorf("frames %d bytes %d; want 3, 60", got.frames, got.bytes)
	}
	// Each frame has a 2-byte header from the server; the ping has 2 more.
	if wire := got.wire - start.wire; wire != 60+3*2+2 {
		t.Errorf("wire bytes %d, want %d", wire, 60+3*2+2)
	}
	s.close()
	if n := tr.drops.Load(); n != 0 {
		t.Errorf("closing the sink counted %d drops", n)
	}
}

func TestSinkCountsADrop(t *testing.T) {
	t.Parallel()
	base := fakeLive(t, func(ws *websocket.Conn) {
		ws.WriteMessage(websocket.TextMessage, []byte(`{"type":"welcome","seq":0}`))
	})
	tr := newTracker(0)
	s, err := dialSink(context.Background(), base, "tok", "D", tr)
	if err != nil {
		t.Fatal(err)
	}
	<-s.done
	if n := tr.drops.Load(); n != 1 {
		t.Errorf("drops %d, want 1", n)
	}
	s.close()
}

// A light typist edits against the last seq it saw, recognises its own
// acknowledgements among the room's ops, and counts refusals.
func TestLightTypist(t *testing.T) {
	t.Parallel()
	welcome := marshal(t, wire.Welcome{Type: wire.TypeWelcome, Seq: 4, Document: &wire.Document{Sections: []wire.Section{
		{Paragraphs: []wire.Paragraph{{ID: "heading"}, {ID: "p1"}, {ID: "p2"}}},
	}}})
	edits := make(chan wire.Edit, 100)
	ponged := make(chan struct{})
	base := fakeLive(t, func(ws *websocket.Conn) {
		ws.SetPongHandler(func(string) error { close(ponged); return nil })
		ws.WriteMessage(websocket.TextMessage, welcome)
		// Another typist's op, then the light typist's first two edits
		// (acknowledged as they arrive), then a refusal of the third.
		ws.WriteMessage(websocket.TextMessage, liveFrame(t, wire.Op{Seq: 5, Kind: wire.KindText, Para: "p1", Op: ot.Op{{Insert: "x"}}, Ref: "l10-0"}))
		n := 0
		readUntilClosed(ws, func(data []byte) {
			msg, err := wire.DecodeClientMessage(data)
			e, ok := msg.(wire.Edit)
			if err != nil || !ok {
				t.Errorf("the light typist sent %s: %v", data, err)
				return
			}
			select {
			case edits <- e:
			default:
			}
			n++
			switch n {
			case 1, 2:
				ws.WriteMessage(websocket.TextMessage, liveFrame(t, wire.Op{Seq: int64(5 + n), Kind: wire.KindText, Para: e.Para, Op: e.Op, Ref: e.RefID}))
			case 3:
				ws.WriteMessage(websocket.TextMessage, marshal(t, wire.ErrorFrame{Type: wire.TypeError, Ref: e.RefID, Code: wire.CodeForbidden}))
				ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(time.Second))
			}
		})
	})
	tr := newTracker(0)
	l, err := dialLight(context.Background(), base, "tok", "D", "l1-", tr)
	if err != nil {
		t.Fatal(err)
	}
	defer l.close()
	ctx, cancel := context.WithCancel(context.Background())
	typed := make(chan struct{})
	go func() {
		defer close(typed)
		l.typeAt(ctx, 2, 1000, tr, rand.New(rand.NewPCG(1, 2)))
	}()
	var got []wire.Edit
	for len(got) < 3 {
		got = append(got, <-edits)
	}
	cancel()
	<-typed
	<-ponged // the frames before the ping have been read
	for i, e := range got {
		if e.RefID != "l1-"+string(rune('0'+i)) || (e.Para != "p1" && e.Para != "p2") || len(e.Op) != 1 || e.Op[0].Insert == "" {
			t.Errorf("edit %d: %+v", i, e)
		}
	}
	// Each edit is made against the last seq seen: the welcome's, the
	// other typist's op, or an acknowledgement.
	for i, e := range got {
		if e.Base < 4 || e.Base > 7 || (i > 0 && e.Base < got[i-1].Base) {
			t.Errorf("bases %d %d %d", got[0].Base, got[1].Base, got[2].Base)
		}
	}
	if seq := l.seq.Load(); seq != 7 {
		t.Errorf("the light typist's seq is %d, want 7", seq)
	}
	if a, r, o := tr.applied.Load(), tr.refused.Load(), tr.ackedOps.Load(); a != 2 || r != 1 || o != 2 {
		t.Errorf("applied %d refused %d ops %d; want 2 1 2", a, r, o)
	}
}
