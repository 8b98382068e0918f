package room

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/internal/compile"
	"github.com/draftroom/draftroom/server/internal/pgtest"
	"github.com/draftroom/draftroom/server/internal/store"
	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// TestMain checks for goroutines left running after all tests
// (pgtest.Main), so tests may run in parallel.
func TestMain(m *testing.M) { pgtest.Main(m) }

// fakePeer is a member's transport in tests: a bounded queue. table is
// the handles its frames defined, as a client keeps them (decode).
type fakePeer struct {
	ch        chan *wire.Frame
	closed    chan int
	closeOnce sync.Once
	table     wire.Table
}

func newPeer(queue int) *fakePeer {
	return &fakePeer{ch: make(chan *wire.Frame, queue), closed: make(chan int, 1)}
}

func (p *fakePeer) Send(f *wire.Frame) bool {
	select {
	case p.ch <- f:
		return true
	default:
		return false
	}
}

func (p *fakePeer) Close(code int, reason string) {
	p.closeOnce.Do(func() { p.closed <- code })
}

type frame struct {
	Type         string          `json:"type"`
	Seq          int64           `json:"seq"`
	Document     *wire.Document  `json:"document"`
	Paras        []string        `json:"paras"`
	People       []wire.Person   `json:"people"`
	Live         []wire.LiveOp   `json:"ops"`
	Ops          []wire.Op       `json:"-"` // Live, resolved
	Ref          string          `json:"ref"`
	Code         string          `json:"code"`
	Message      string          `json:"message"`
	Rule         string          `json:"rule"`
	Offset       *int            `json:"offset"`
	Participants json.RawMessage `json:"participants"`
}

// next waits for the peer's next frame of one of the given types, skipping
// presence frames unless asked for.
func (p *fakePeer) next(t testing.TB, types ...string) frame {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case f := <-p.ch:
			fr := p.decode(t, f)
			for _, typ := range types {
				if fr.Type == typ {
					return fr
				}
			}
			if fr.Type != wire.TypePresence {
				t.Fatalf("got %s frame %s, want %v", fr.Type, f.Data(), types)
			}
		case <-timeout:
			t.Fatalf("no %v frame within 10s", types)
		}
	}
}

// decode reads one of the peer's frames as a client would: a welcome
// replaces its handles, and an ops frame's ops are resolved with them.
func (p *fakePeer) decode(t testing.TB, f *wire.Frame) frame {
	t.Helper()
	var fr frame
	if err := json.Unmarshal(f.Data(), &fr); err != nil {
		t.Fatalf("bad frame %s: %v", f.Data(), err)
	}
	switch fr.Type {
	case wire.TypeWelcome:
		if fr.Paras == nil || fr.People == nil {
			t.Fatalf("a welcome without its handles: %.200s", f.Data())
		}
		p.table.Reset(fr.Paras, fr.People)
	case wire.TypeOps:
		for i := range fr.Live {
			op, err := p.table.Resolve(&fr.Live[i])
			if err != nil {
				t.Fatalf("frame %s: %v", f.Data(), err)
			}
			fr.Ops = append(fr.Ops, op)
		}
	}
	return fr
}

type fixture struct {
	st    *store.Store
	hub   *Hub
	doc   uuid.UUID
	paras []string // paragraph ids in order
}

func setup(t testing.TB, cfg Config) *fixture {
	t.Helper()
	st := pgtest.NewStore(t)
	c := &compile.Compilation{
		Title: "Room test resolution", Lang: "en",
		Sections: []compile.Section{{Heading: "RESOLVES", Kind: "operative", Paragraphs: []compile.Paragraph{
			{Label: "1", Text: "to ensure that every مدرسة has a link;"},
			{Label: "2", Text: "to report 进展 👩🏽‍💻 yearly;"},
			{Label: "3", Text: "to [consider][adopt] guidelines;"},
		}}},
	}
	id, _, err := st.ImportCompilation(context.Background(), c, "")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := st.GetDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{st: st, doc: id}
	for _, p := range doc.Sections[0].Paragraphs {
		f.paras = append(f.paras, p.ID)
	}
	cfg.Store = st
	f.hub = NewHub(cfg)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := f.hub.Close(ctx); err != nil {
			t.Errorf("hub close: %v", err)
		}
	})
	return f
}

// person stores a participant, as the op log references it.
func (f *fixture) person(t testing.TB, role, delegation string) Participant {
	t.Helper()
	p, err := f.st.CreateParticipant(context.Background(), store.Participant{Role: role, Delegation: delegation, DocumentID: &f.doc})
	if err != nil {
		t.Fatal(err)
	}
	return Participant{ID: p.ID.String(), Name: p.Name, Role: role, Delegation: delegation}
}

func (f *fixture) join(t testing.TB, who Participant, queue int, since int64) (*Member, *fakePeer, frame) {
	t.Helper()
	p := newPeer(queue)
	m, err := f.hub.Join(context.Background(), f.doc, who, p, since)
	if err != nil {
		t.Fatal(err)
	}
	return m, p, p.next(t, wire.TypeWelcome)
}

func mustOp(t testing.TB, js string) ot.Op {
	t.Helper()
	op, err := ot.Decode([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	return op
}

func (f *fixture) text(t testing.TB, i int) string {
	t.Helper()
	doc, err := f.st.GetDocument(context.Background(), f.doc)
	if err != nil {
		t.Fatal(err)
	}
	return doc.Sections[0].Paragraphs[i].Text
}

// Two members edit the same paragraph against the same base: the server
// transforms the second, both see the same ops, and the database agrees.
func TestConcurrentEditsConverge(t *testing.T) {
	t.Parallel()
	f := setup(t, Config{})
	a, pa, wa := f.join(t, f.person(t, "chair", ""), 64, -1)
	b, pb, _ := f.join(t, f.person(t, "chair", ""), 64, -1)
	if wa.Document == nil || wa.Seq != 0 || len(wa.Document.Sections[0].Paragraphs) != 3 {
		t.Fatalf("welcome = %+v", wa)
	}
	if wa.Document.Lang != "en" {
		t.Errorf("the welcome's document has lang %q, want en", wa.Document.Lang)
	}
	// "to ensure that every مدرسة has a link;": both insert two code points
	// into the Arabic word.
	a.Edit(wire.Edit{RefID: "a1", Para: f.paras[0], Base: 0, Op: mustOp(t, `[23,"X"]`)})
	opsA := pa.next(t, wire.TypeOps)
	b.Edit(wire.Edit{RefID: "b1", Para: f.paras[0], Base: 0, Op: mustOp(t, `[23,"Y"]`)})
	opsB := pb.next(t, wire.TypeOps) // a1 first
	if opsA.Ops[0].Ref != "a1" || opsB.Ops[0].Ref != "a1" || opsA.Ops[0].Seq != 1 {
		t.Fatalf("first ops: %+v / %+v", opsA.Ops, opsB.Ops)
	}
	second := pb.next(t, wire.TypeOps)
	if second.Ops[0].Ref != "b1" || second.Ops[0].Seq != 2 {
		t.Fatalf("second op: %+v", second.Ops)
	}
	// Left: the later op's insert goes before the earlier one's at a tie.
	if got, _ := json.Marshal(second.Ops[0].Op); string(got) != `[23,"Y"]` {
		t.Errorf("transformed op %s, want [23,\"Y\"]", got)
	}
	pa.next(t, wire.TypeOps)
	want := "to ensure that every مدYXرسة has a link;"
	if got := f.text(t, 0); got != want {
		t.Fatalf("stored text %q, want %q", got, want)
	}
	if second.Ops[0].Author != "chair" {
		t.Errorf("author %q", second.Ops[0].Author)
	}
}

// A resend of the same ref is applied once and answered with the original op.
func TestResendIsIdempotent(t *testing.T) {
	t.Parallel()
	f := setup(t, Config{})
	chair := f.person(t, "chair", "")
	a, pa, _ := f.join(t, chair, 64, -1)
	e := wire.Edit{RefID: "same", Para: f.paras[1], Base: 0, Op: mustOp(t, `["¡"]`)}
	a.Edit(e)
	first := pa.next(t, wire.TypeOps)
	a.Edit(e)
	again := pa.next(t, wire.TypeOps)
	if again.Ops[0].Seq != first.Ops[0].Seq || again.Ops[0].Ref != "same" {
		t.Fatalf("resend answered %+v, want seq %d", again.Ops, first.Ops[0].Seq)
	}
	// The resend also survives the room being reloaded from the database.
	a.Leave()
	f.hub.Close(context.Background())
	f.hub = NewHub(Config{Store: f.st})
	b, pb, w := f.join(t, chair, 64, -1)
	if w.Seq != 1 {
		t.Fatalf("seq after reload = %d", w.Seq)
	}
	b.Edit(e)
	if re := pb.next(t, wire.TypeOps); re.Ops[0].Seq != 1 {
		t.Fatalf("resend after reload answered %+v", re.Ops)
	}
	if got := f.text(t, 1); got != "¡to report 进展 👩🏽‍💻 yearly;" {
		t.Fatalf("text %q", got)
	}
}

// Catch-up: a member joining with since=K gets no document and the ops
// after K.
func TestJoinSince(t *testing.T) {
	t.Parallel()
	f := setup(t, Config{})
	chair := f.person(t, "chair", "")
	a, pa, _ := f.join(t, chair, 64, -1)
	for i, js := range []string{`["a"]`, `["b"]`, `["c"]`} {
		a.Edit(wire.Edit{RefID: "r" + js, Para: f.paras[1], Base: int64(i), Op: mustOp(t, js)})
		pa.next(t, wire.TypeOps)
	}
	_, pb, w := f.join(t, f.person(t, "observer", ""), 64, 1)
	if w.Document != nil || w.Seq != 3 {
		t.Fatalf("welcome since=1: seq %d, document %v", w.Seq, w.Document != nil)
	}
	ops := pb.next(t, wire.TypeOps)
	if len(ops.Ops) != 2 || ops.Ops[0].Seq != 2 || ops.Ops[1].Seq != 3 {
		t.Fatalf("catch-up ops = %+v", ops.Ops)
	}
	// A since the server cannot serve gets the whole document instead.
	_, _, w = f.join(t, chair, 64, 99)
	if w.Document == nil || w.Document.Sections[0].Paragraphs[1].Text != "cbato report 进展 👩🏽‍💻 yearly;" {
		t.Fatalf("welcome since=99 should carry the document")
	}
}

// The rules seam refuses with the rule's code and message, and changes nothing.
func TestRulesRefuse(t *testing.T) {
	t.Parallel()
	f := setup(t, Config{})
	deleg := f.person(t, "delegate", "BRA")
	d, pd, _ := f.join(t, deleg, 64, -1)
	d.Edit(wire.Edit{RefID: "out", Para: f.paras[0], Base: 0, Op: mustOp(t, `[3,"really "]`)})
	e := pd.next(t, wire.TypeError)
	if e.Ref != "out" || e.Code != wire.CodeForbidden || !strings.Contains(e.Message, "inside brackets") {
		t.Fatalf("error = %+v", e)
	}
	d.Edit(wire.Edit{RefID: "in", Para: f.paras[0], Base: 0, Op: mustOp(t, `[3,"[really] "]`)})
	ok := pd.next(t, wire.TypeOps)
	if ok.Ops[0].Seq != 1 || ok.Ops[0].Author != "BRA" {
		t.Fatalf("allowed edit = %+v", ok.Ops)
	}
	obs := f.person(t, "observer", "")
	o, po, _ := f.join(t, obs, 64, -1)
	o.Edit(wire.Edit{RefID: "o", Para: f.paras[0], Base: 1, Op: mustOp(t, `["x"]`)})
	if e := po.next(t, wire.TypeError); e.Code != wire.CodeForbidden {
		t.Fatalf("observer edit: %+v", e)
	}
	for _, bad := range []wire.Edit{
		{RefID: "p", Para: uuid.NewString(), Base: 1, Op: mustOp(t, `["x"]`)},
		{RefID: "b", Para: f.paras[0], Base: 7, Op: mustOp(t, `["x"]`)},
		{RefID: "l", Para: f.paras[0], Base: 1, Op: mustOp(t, `[500,"x"]`)},
	} {
		d.Edit(bad)
		if e := pd.next(t, wire.TypeError); e.Ref != bad.RefID || e.Message == "" {
			t.Fatalf("bad edit %s: %+v", bad.RefID, e)
		}
	}
	if got := f.text(t, 0); got != "to [really] ensure that every مدرسة has a link;" {
		t.Fatalf("text %q", got)
	}
}

// A member that stops reading is closed as slow; the others carry on.
func TestSlowMemberIsDropped(t *testing.T) {
	t.Parallel()
	f := setup(t, Config{})
	chair := f.person(t, "chair", "")
	a, pa, _ := f.join(t, chair, 1024, -1)
	_, slow, _ := f.join(t, f.person(t, "observer", ""), 2, -1)
	for i := 0; i < 20; i++ {
		a.Edit(wire.Edit{RefID: "s" + string(rune('a'+i)), Para: f.paras[1], Base: int64(i), Op: mustOp(t, `["z"]`)})
		pa.next(t, wire.TypeOps)
	}
	select {
	case code := <-slow.closed:
		if code != wire.CloseSlow {
			t.Fatalf("closed with %d, want %d", code, wire.CloseSlow)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("slow member was not closed")
	}
}

// With the database down, edits are refused as unavailable and nothing
// changes; when it returns, the room recovers by itself. Not parallel: it
// stops the cluster every test of this binary uses (the parallel tests
// start after the sequential ones are done).
func TestDatabaseOutage(t *testing.T) {
	f := setup(t, Config{CommitTimeout: 3 * time.Second})
	chair := f.person(t, "chair", "")
	a, pa, _ := f.join(t, chair, 64, -1)
	a.Edit(wire.Edit{RefID: "before", Para: f.paras[1], Base: 0, Op: mustOp(t, `["1"]`)})
	pa.next(t, wire.TypeOps)
	cl := pgtest.Cluster()
	if err := cl.ForceStop(context.Background()); err != nil {
		t.Fatal(err)
	}
	restarted := false
	defer func() {
		if !restarted {
			cl.Restart(context.Background())
		}
	}()
	a.Edit(wire.Edit{RefID: "during", Para: f.paras[1], Base: 1, Op: mustOp(t, `["2"]`)})
	if e := pa.next(t, wire.TypeError); e.Code != wire.CodeUnavailable || e.Ref != "during" {
		t.Fatalf("edit during outage: %+v", e)
	}
	if err := cl.Restart(context.Background()); err != nil {
		t.Fatal(err)
	}
	restarted = true
	// The client resends under the same ref; it is applied exactly once.
	a.Edit(wire.Edit{RefID: "during", Para: f.paras[1], Base: 1, Op: mustOp(t, `["2"]`)})
	ok := pa.next(t, wire.TypeOps)
	if ok.Ops[0].Ref != "during" || ok.Ops[0].Seq != 2 {
		t.Fatalf("after recovery: %+v", ok.Ops)
	}
	if got := f.text(t, 1); got != "21to report 进展 👩🏽‍💻 yearly;" {
		t.Fatalf("text %q", got)
	}
}
