package client

import (
	"errors"
	"maps"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"pgregory.net/rapid"

	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

var epoch = time.Unix(1_700_000_000, 0)

func now0(int) time.Time { return epoch }

func loadedMachine(t *testing.T, s *sequencer, prefix string) *machine {
	t.Helper()
	m := newMachine(prefix)
	if _, err := m.welcome(&wire.Welcome{Type: wire.TypeWelcome, Seq: s.seq(), Document: s.document()}); err != nil {
		t.Fatal(err)
	}
	return m
}

func mustLocal(t *testing.T, m *machine, para string, op ot.Op) string {
	t.Helper()
	ref, err := m.local(para, op)
	if err != nil {
		t.Fatalf("local %v: %v", op, err)
	}
	return ref
}

func ins(pos int, s string) ot.Op { return ot.Op{{Skip: pos}, {Insert: s}} }
func del(pos, n int) ot.Op        { return ot.Op{{Skip: pos}, {Delete: n}} }

func TestConcurrentInsertsTieBreakLikeTheServer(t *testing.T) {
	s := newSequencer("p", "مرحبا 世界")
	a, b := loadedMachine(t, s, "a-"), loadedMachine(t, s, "b-")
	mustLocal(t, a, "p", ins(6, "👩🏽‍💻"))
	mustLocal(t, b, "p", ins(6, "决议"))
	ea, _ := a.next(epoch)
	eb, _ := b.next(epoch)
	// b's edit reaches the server first; a's is transformed against it.
	opB, _, _ := s.submit(eb)
	opA, _, _ := s.submit(ea)
	for _, m := range []*machine{a, b} {
		if _, err := m.receive([]wire.Op{*opB, *opA}); err != nil {
			t.Fatal(err)
		}
		if got := m.paras["p"].Text; got != s.texts["p"] {
			t.Errorf("replica %q, server %q", got, s.texts["p"])
		}
		if !m.idle() {
			t.Error("not idle after both acks")
		}
	}
	if want := "مرحبا 👩🏽‍💻决议世界"; s.texts["p"] != want {
		t.Errorf("server text %q, want %q (the later edit transformed Left goes first)", s.texts["p"], want)
	}
}

func TestBufferComposesAndAckPromotes(t *testing.T) {
	s := newSequencer("p", "abc", "q", "xyz")
	m := loadedMachine(t, s, "m-")
	r1 := mustLocal(t, m, "p", ins(0, "1"))
	e1, _ := m.next(epoch)
	r2 := mustLocal(t, m, "p", ins(1, "2"))
	r3 := mustLocal(t, m, "q", ins(0, "Q"))
	r4 := mustLocal(t, m, "p", ins(2, "3")) // composes with r2 across the q edit
	if r1 == r2 || r2 != r4 || r3 == r2 {
		t.Fatalf("refs %s %s %s %s", r1, r2, r3, r4)
	}
	if e, _ := m.next(epoch); e != nil {
		t.Fatal("a second op was sent while one is in flight")
	}
	op, _, _ := s.submit(e1)
	m.receive([]wire.Op{*op})
	e2, _ := m.next(epoch)
	if e2 == nil || e2.Ref != r2 || e2.Base != 1 || m.paras["p"].Text != "123abc" {
		t.Fatalf("after ack: %+v, text %q", e2, m.paras["p"].Text)
	}
	op, _, _ = s.submit(e2)
	m.receive([]wire.Op{*op})
	e3, _ := m.next(epoch)
	op, _, _ = s.submit(e3)
	m.receive([]wire.Op{*op})
	if !m.idle() || !maps.Equal(machineTexts(m), s.texts) {
		t.Fatalf("replica %v, server %v", machineTexts(m), s.texts)
	}
	if got := m.acked; len(got) != 3 || got[0].Ref != r1 || got[1].Ref != r2 || got[2].Ref != r3 {
		t.Fatalf("acked %v", got)
	}
}

func TestRefusalRollsBackAndKeepsBuffer(t *testing.T) {
	s := newSequencer("p", "Recalling 决议 ١٢")
	m := loadedMachine(t, s, "m-")
	// In flight: delete "Recalling " (with its text, so it can be undone).
	r1 := mustLocal(t, m, "p", del(0, 10))
	m.next(epoch)
	// Buffered on top of it: an insert inside what remains.
	mustLocal(t, m, "p", ins(2, "👍"))
	// Meanwhile someone else edited the same paragraph.
	other := loadedMachine(t, s, "o-")
	mustLocal(t, other, "p", ins(15, "!"))
	eo, _ := other.next(epoch)
	opO, _, _ := s.submit(eo)
	if _, err := m.receive([]wire.Op{*opO}); err != nil {
		t.Fatal(err)
	}
	if got := m.refused(&wire.ErrorFrame{Ref: r1, Code: wire.CodeForbidden}, now0); got != refusalRolledBack {
		t.Fatalf("refused: %v", got)
	}
	if want := "Recalling 决议👍 ١٢!"; m.paras["p"].Text != want {
		t.Fatalf("after rollback %q, want %q", m.paras["p"].Text, want)
	}
	e, _ := m.next(epoch)
	op, _, code := s.submit(e)
	if code != "" {
		t.Fatal(code)
	}
	m.receive([]wire.Op{*op})
	if s.texts["p"] != m.paras["p"].Text || !m.idle() {
		t.Fatalf("server %q, replica %q", s.texts["p"], m.paras["p"].Text)
	}
}

func TestUnavailableHoldsAndResendsSameRef(t *testing.T) {
	s := newSequencer("p", "abc")
	m := loadedMachine(t, s, "m-")
	r := mustLocal(t, m, "p", ins(3, "d"))
	m.next(epoch)
	later := epoch.Add(time.Second)
	if got := m.refused(&wire.ErrorFrame{Ref: r, Code: wire.CodeUnavailable}, func(int) time.Time { return later }); got != refusalRetry {
		t.Fatalf("refused: %v", got)
	}
	if e, due := m.next(epoch); e != nil || !due.Equal(later) {
		t.Fatalf("sent before the hold: %v %v", e, due)
	}
	if e, _ := m.next(later); e == nil || e.Ref != r {
		t.Fatalf("resend: %+v", e)
	}
	if m.paras["p"].Text != "abcd" {
		t.Fatal("held op was undone")
	}
}

func TestUnansweredOpIsResentAfterTimeout(t *testing.T) {
	s := newSequencer("p", "abc")
	m := loadedMachine(t, s, "m-")
	m.ackTimeout = time.Second
	r := mustLocal(t, m, "p", ins(0, "x"))
	m.next(epoch)
	if e, due := m.next(epoch.Add(time.Second / 2)); e != nil || !due.Equal(epoch.Add(time.Second)) {
		t.Fatalf("before the timeout: %v, due %v", e, due)
	}
	if e, _ := m.next(epoch.Add(time.Second)); e == nil || e.Ref != r {
		t.Fatalf("no resend after the timeout: %v", e)
	}
}

func TestReconnectResendsAfterCatchUpAndServerDedups(t *testing.T) {
	s := newSequencer("p", "abc")
	m := loadedMachine(t, s, "m-")
	r := mustLocal(t, m, "p", ins(0, "x"))
	e, _ := m.next(epoch)
	op, _, _ := s.submit(e) // applied, but the ack is lost with the connection
	m.disconnected()
	if _, err := m.welcome(&wire.Welcome{Seq: s.seq()}); err != nil {
		t.Fatal(err)
	}
	if e, _ := m.next(epoch); e != nil {
		t.Fatal("resent before the catch-up arrived")
	}
	m.receive([]wire.Op{*op})
	if !m.idle() || len(m.acked) != 1 || m.acked[0].Ref != r {
		t.Fatalf("catch-up did not ack: %+v", m.acked)
	}
	// And a resend that does reach the server is answered with the original.
	if op2, dup, _ := s.submit(e); !dup || op2.Seq != op.Seq {
		t.Fatal("server applied a resend twice")
	}
}

func TestStreamProblemsAskForResync(t *testing.T) {
	s := newSequencer("p", "abc")
	m := loadedMachine(t, s, "m-")
	var rs *errResync
	if _, err := m.receive([]wire.Op{{Seq: 2, Kind: wire.KindText, Para: "p"}}); !errors.As(err, &rs) || rs.full {
		t.Fatalf("gap: %v", err)
	}
	if _, err := m.receive([]wire.Op{{Seq: 1, Kind: wire.KindText, Para: "p", Op: del(5, 1)}}); !errors.As(err, &rs) || !rs.full {
		t.Fatalf("op past the end: %v", err)
	}
	if _, err := m.receive([]wire.Op{{Seq: 1, Kind: "focus.set", Data: []byte(`{}`)}}); err != nil || m.seq != 1 {
		t.Fatalf("unknown kind: %v, seq %d", err, m.seq)
	}
	if _, err := m.welcome(&wire.Welcome{Seq: 0}); !errors.As(err, &rs) || !rs.full {
		t.Fatalf("welcome behind the replica: %v", err)
	}
	mustLocal(t, m, "p", ins(0, "lost"))
	discarded, err := m.welcome(&wire.Welcome{Seq: 1, Document: s.document()})
	if err != nil || len(discarded) != 1 || m.paras["p"].Text != "abc" {
		t.Fatalf("full welcome: %v %v %q", discarded, err, m.paras["p"].Text)
	}
}

func TestLocalRejectsBadEdits(t *testing.T) {
	s := newSequencer("p", "👍a")
	m := loadedMachine(t, s, "m-")
	for _, op := range []ot.Op{del(2, 1), ins(3, "x"), {{Insert: "\xff"}}} {
		if _, err := m.local("p", op); err == nil {
			t.Errorf("local %v accepted", op)
		}
	}
	if _, err := m.local("nope", ins(0, "x")); !errors.Is(err, ErrUnknownParagraph) {
		t.Errorf("unknown paragraph: %v", err)
	}
	if _, err := m.local("p", ins(0, strings.Repeat("<", maxOpBytes/5))); !errors.Is(err, ErrTooLarge) {
		t.Errorf("huge op: %v", err)
	}
	if ref, err := m.local("p", ot.Op{{Skip: 1}}); ref != "" || err != nil || !m.idle() {
		t.Errorf("no-op edit: %q %v", ref, err)
	}
}

// simClient is a client machine with its two network directions.
type simClient struct {
	m         *machine
	connected bool
	up        []*editFrame // to the server, in order
	down      []any        // *wire.Welcome, []wire.Op or *wire.ErrorFrame
}

func (c *simClient) pump() {
	if !c.connected {
		return
	}
	if e, _ := c.m.next(epoch); e != nil {
		c.up = append(c.up, e)
	}
}

func randomOp(t *rapid.T, text string) ot.Op {
	n := utf8.RuneCountInString(text)
	if n > 0 && rapid.IntRange(0, 2).Draw(t, "delete?") == 0 {
		pos := rapid.IntRange(0, n-1).Draw(t, "pos")
		return del(pos, rapid.IntRange(1, min(4, n-pos)).Draw(t, "n"))
	}
	var b strings.Builder
	for range rapid.IntRange(1, 3).Draw(t, "pieces") {
		b.WriteString(rapid.SampledFrom(pieces).Draw(t, "piece"))
	}
	return ins(rapid.IntRange(0, n).Draw(t, "pos"), b.String())
}

// Clients and a sequencer converge whatever the interleaving of edits,
// deliveries, refusals and reconnections.
func TestRapidConvergence(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := newSequencer("p", "Recalling 决议 ١٢ 👍", "q", "")
		clients := make([]*simClient, rapid.IntRange(2, 4).Draw(t, "clients"))
		for i := range clients {
			m := newMachine(string(rune('a'+i)) + "-")
			m.welcome(&wire.Welcome{Seq: 0, Document: s.document()})
			clients[i] = &simClient{m: m, connected: true}
		}
		deliverUp := func(c *simClient, refuse string) {
			e := c.up[0]
			c.up = c.up[1:]
			if refuse != "" {
				c.down = append(c.down, &wire.ErrorFrame{Ref: e.Ref, Code: refuse})
				return
			}
			op, dup, code := s.submit(e)
			switch {
			case code != "":
				t.Fatalf("server refused %+v: %s", e, code)
			case dup:
				c.down = append(c.down, []wire.Op{*op})
			default:
				for _, o := range clients {
					if o.connected {
						o.down = append(o.down, []wire.Op{*op})
					}
				}
			}
		}
		deliverDown := func(c *simClient) {
			f := c.down[0]
			c.down = c.down[1:]
			var err error
			switch f := f.(type) {
			case *wire.Welcome:
				_, err = c.m.welcome(f)
			case []wire.Op:
				_, err = c.m.receive(f)
			case *wire.ErrorFrame:
				if c.m.refused(f, now0) == refusalResync {
					err = &errResync{full: true}
				}
			}
			if err != nil {
				t.Fatalf("client %s: %v", c.m.refPrefix, err)
			}
			c.pump()
		}
		reconnect := func(c *simClient, full bool) {
			c.connected = true
			if full {
				c.down = append(c.down, &wire.Welcome{Seq: s.seq(), Document: s.document()})
				return
			}
			c.down = append(c.down, &wire.Welcome{Seq: s.seq()})
			if c.m.seq < s.seq() {
				c.down = append(c.down, append([]wire.Op(nil), s.log[c.m.seq:]...))
			}
		}
		steps := rapid.IntRange(10, 200).Draw(t, "steps")
		for range steps {
			c := clients[rapid.IntRange(0, len(clients)-1).Draw(t, "client")]
			switch rapid.IntRange(0, 9).Draw(t, "action") {
			case 0, 1, 2:
				para := rapid.SampledFrom([]string{"p", "q"}).Draw(t, "para")
				if _, err := c.m.local(para, randomOp(t, c.m.paras[para].Text)); err != nil {
					t.Fatal(err)
				}
				c.pump()
			case 3, 4:
				if len(c.up) > 0 {
					refuse := rapid.SampledFrom([]string{"", "", "", "", wire.CodeInvalid, wire.CodeForbidden, wire.CodeUnavailable, wire.CodeRateLimited}).Draw(t, "refuse")
					deliverUp(c, refuse)
				}
			case 5, 6, 7:
				if len(c.down) > 0 {
					deliverDown(c)
				}
			case 8:
				s.note()
				for _, o := range clients {
					if o.connected {
						o.down = append(o.down, []wire.Op{s.log[len(s.log)-1]})
					}
				}
			case 9:
				if c.connected {
					// Frames in flight both ways are lost with the connection.
					c.connected, c.up, c.down = false, nil, nil
					c.m.disconnected()
				} else {
					reconnect(c, rapid.IntRange(0, 4).Draw(t, "full") == 0)
				}
			}
			// A client that has nothing pending and has read everything
			// holds exactly the server's text at its seq.
			for _, o := range clients {
				if o.m.idle() && !maps.Equal(machineTexts(o.m), s.snaps[o.m.seq]) {
					t.Fatalf("idle client %s at seq %d: %v, server had %v", o.m.refPrefix, o.m.seq, machineTexts(o.m), s.snaps[o.m.seq])
				}
			}
		}
		for _, c := range clients {
			if !c.connected {
				reconnect(c, false)
			}
			c.pump()
		}
		for busy := true; busy; {
			busy = false
			for _, c := range clients {
				for len(c.up) > 0 {
					deliverUp(c, "")
					busy = true
				}
				for len(c.down) > 0 {
					deliverDown(c)
					busy = true
				}
			}
		}
		replayed, err := s.replay()
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(replayed, s.texts) {
			t.Fatalf("replay %v, server %v", replayed, s.texts)
		}
		seen := map[string]bool{}
		for _, op := range s.log {
			if op.Ref != "" && seen[op.Ref] {
				t.Fatalf("ref %s applied twice", op.Ref)
			}
			seen[op.Ref] = true
		}
		for _, c := range clients {
			if !c.m.idle() || c.m.seq != s.seq() {
				t.Fatalf("client %s not done: seq %d of %d", c.m.refPrefix, c.m.seq, s.seq())
			}
			if !maps.Equal(machineTexts(c.m), s.texts) {
				t.Fatalf("client %s diverged: %v, server %v", c.m.refPrefix, machineTexts(c.m), s.texts)
			}
			for _, a := range c.m.acked {
				if s.log[a.Seq-1].Ref != a.Ref {
					t.Fatalf("client %s: ack %v is not in the log", c.m.refPrefix, a)
				}
			}
		}
	})
}
