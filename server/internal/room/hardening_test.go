package room

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/draftroom/draftroom/server/internal/document"
	"github.com/draftroom/draftroom/server/internal/store"
	"github.com/draftroom/draftroom/server/wire"
)

// Regression tests for issue 15 ("Hardening II"), room side. Each names
// the item it covers; docs/security.md maps the items to these tests.

// nextOwn reads p's frames until the op or error for ref; it fails on any
// unavailable refusal, which is what a broken room used to answer.
func nextOwn(t *testing.T, p *fakePeer, ref string) (op *wire.Op, errFrame *frame) {
	t.Helper()
	for {
		fr := p.next(t, wire.TypeOps, wire.TypeError)
		if fr.Type == wire.TypeError {
			if fr.Code == wire.CodeUnavailable {
				t.Fatalf("ref %s: got unavailable (%s)", ref, fr.Message)
			}
			if fr.Ref == ref {
				return nil, &fr
			}
			continue
		}
		for i := range fr.Ops {
			if fr.Ops[i].Ref == ref {
				return &fr.Ops[i], nil
			}
		}
	}
}

// Item 3: whatever makes one op fail at commit refuses that op alone; the
// others in its group commit, in order, without the room reloading. The
// failing op is made real by a CHECK constraint on the op log, and the
// batch is made by holding the document's row lock while the ops arrive.
func TestDataErrorRefusesOnlyTheOpAtFault(t *testing.T) {
	t.Parallel()
	f := setup(t, Config{})
	ctx := context.Background()
	pool := f.st.Pool()
	if _, err := pool.Exec(ctx, `ALTER TABLE ops ADD CONSTRAINT no_poison CHECK (ref <> 'poison')`); err != nil {
		t.Fatal(err)
	}
	a, pa, _ := f.join(t, f.person(t, "chair", ""), 256, -1)
	b, pb, _ := f.join(t, f.person(t, "chair", ""), 256, -1)
	x, px, _ := f.join(t, f.person(t, "chair", ""), 256, -1)
	c, pc, _ := f.join(t, f.person(t, "chair", ""), 256, -1)
	// (Made now: storing a participant takes a key lock on the document.)
	late := f.person(t, "observer", "")

	lock, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lock.Exec(ctx, `SELECT seq FROM documents WHERE id = $1 FOR UPDATE`, f.doc); err != nil {
		t.Fatal(err)
	}
	// a0 is committed first, and waits on the lock; the other three pile
	// up behind it and go to the database as one batch.
	a.Edit(wire.Edit{RefID: "a0", Para: f.paras[0], Base: 0, Op: mustOp(t, `["Ж "]`)})
	b.Edit(wire.Edit{RefID: "b1", Para: f.paras[1], Base: 0, Op: mustOp(t, `[3,"中"]`)})
	x.Edit(wire.Edit{RefID: "poison", Para: f.paras[1], Base: 0, Op: mustOp(t, `["☠ "]`)})
	c.Edit(wire.Edit{RefID: "c1", Para: f.paras[1], Base: 0, Op: mustOp(t, `[10,"👩🏽‍💻"]`)})
	// A join is answered after every message posted before it is handled.
	f.join(t, late, 256, -1)
	if err := lock.Rollback(ctx); err != nil {
		t.Fatal(err)
	}

	if op, e := nextOwn(t, pa, "a0"); op == nil || op.Seq != 1 {
		t.Fatalf("a0: op %v, error %+v", op, e)
	}
	b1, e := nextOwn(t, pb, "b1")
	if b1 == nil || b1.Seq != 2 {
		t.Fatalf("b1: op %v, error %+v", b1, e)
	}
	if op, e := nextOwn(t, px, "poison"); op != nil || e.Code != wire.CodeInvalid || !strings.Contains(e.Message, "cannot store") {
		t.Fatalf("poison: op %v, error %+v; want invalid", op, e)
	}
	c1, e := nextOwn(t, pc, "c1")
	if c1 == nil || c1.Seq != 3 {
		t.Fatalf("c1: op %v, error %+v", c1, e)
	}
	// c1 was made against seq 0; without the refused insert before it,
	// it is transformed against b1 alone.
	if got, _ := json.Marshal(c1.Op); string(got) != `[11,"👩🏽‍💻"]` {
		t.Errorf("c1 committed as %s", got)
	}
	if got, want := f.text(t, 1), "to 中report 👩🏽‍💻进展 👩🏽‍💻 yearly;"; got != want {
		t.Errorf("text %q, want %q", got, want)
	}
	ops, err := f.st.OpsBetween(ctx, f.doc, 0, 100)
	if err != nil || len(ops) != 3 {
		t.Fatalf("log: %d ops, %v", len(ops), err)
	}
	// The room carries on: the refused participant can edit again.
	x.Edit(wire.Edit{RefID: "x2", Para: f.paras[2], Base: 3, Op: mustOp(t, `["ok "]`)})
	if op, e := nextOwn(t, px, "x2"); op == nil || op.Seq != 4 {
		t.Fatalf("x2: op %v, error %+v", op, e)
	}
}

// Item 1: a snapshot failure never fails or blocks ops. Snapshots are
// written apart from the batch; a constraint makes every one fail.
func TestSnapshotFailureDoesNotFailOps(t *testing.T) {
	t.Parallel()
	f := setup(t, Config{SnapshotEvery: 2})
	ctx := context.Background()
	pool := f.st.Pool()
	if _, err := pool.Exec(ctx, `ALTER TABLE snapshots ADD CONSTRAINT no_snapshots CHECK (seq < 1) NOT VALID`); err != nil {
		t.Fatal(err)
	}
	a, pa, _ := f.join(t, f.person(t, "chair", ""), 256, -1)
	for i := range 6 {
		ref := fmt.Sprintf("s%d", i)
		a.Edit(wire.Edit{RefID: ref, Para: f.paras[1], Base: int64(i), Op: mustOp(t, `["ب"]`)})
		if op, e := nextOwn(t, pa, ref); op == nil || op.Seq != int64(i+1) {
			t.Fatalf("%s: op %v, error %+v", ref, op, e)
		}
	}
	// With the constraint gone, snapshots are written again, and the
	// document at a seq is rebuilt from one.
	if _, err := pool.Exec(ctx, `ALTER TABLE snapshots DROP CONSTRAINT no_snapshots`); err != nil {
		t.Fatal(err)
	}
	for i := 6; i < 8; i++ {
		ref := fmt.Sprintf("s%d", i)
		a.Edit(wire.Edit{RefID: ref, Para: f.paras[1], Base: int64(i), Op: mustOp(t, `["ب"]`)})
		nextOwn(t, pa, ref)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		snap, err := f.st.SnapshotAtOrBefore(ctx, f.doc, 8)
		if err != nil {
			t.Fatal(err)
		}
		if snap.Seq > 0 {
			if got := snap.Doc.Sections[0].Paragraphs[1].Text; !strings.HasPrefix(got, strings.Repeat("ب", int(snap.Seq))) {
				t.Fatalf("snapshot at %d holds %q", snap.Seq, got)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no snapshot written after the constraint was dropped")
		}
		time.Sleep(20 * time.Millisecond) // polling the database: no event to wait on
	}
	d, err := f.st.DocumentAt(ctx, f.doc, 5)
	if err != nil || d.Sections[0].Paragraphs[1].Text != "بببببto report 进展 👩🏽‍💻 yearly;" {
		t.Fatalf("document at 5: %v", err)
	}
}

// Item 1, the repro scaled down: a delegate tabling 64 KB proposals one
// after another is stopped by the per-delegation limit (default 1 MiB),
// and the chair can still act.
func TestProposalFloodIsBounded(t *testing.T) {
	t.Parallel()
	f := setup(t, Config{})
	d, pd, _ := f.join(t, f.person(t, "delegate", "BRA"), 256, -1)
	chair, pc, _ := f.join(t, f.person(t, "chair", ""), 4096, -1)
	big := "[" + strings.Repeat("ж", 32_000) + "]" // 64 KB
	accepted := 0
	var refusal *frame
	for i := 0; i < 100 && refusal == nil; i++ {
		ref := fmt.Sprintf("p%d", i)
		d.Action(wire.Action{RefID: ref, Kind: wire.KindProposalTable, Fields: actionFields(t, map[string]any{
			"para": f.paras[0], "action": "MOD", "text": big, "doc_ref": "B/1/" + fmt.Sprint(i)})})
		op, e := nextOwn(t, pd, ref)
		if op != nil {
			accepted++
		}
		refusal = e
	}
	if refusal == nil || refusal.Code != wire.CodeInvalid || !strings.Contains(refusal.Message, "limit of 1048576 bytes for a delegation") {
		t.Fatalf("after %d proposals of 64 KB: refusal %+v", accepted, refusal)
	}
	if accepted != 16 {
		t.Errorf("%d proposals of 64 KB accepted, want 16 (1 MiB)", accepted)
	}
	chair.Edit(wire.Edit{RefID: "c", Para: f.paras[0], Base: int64(accepted), Op: mustOp(t, `["Chair: "]`)})
	if op, e := nextOwn(t, pc, "c"); op == nil {
		t.Fatalf("chair's edit refused: %+v", e)
	}
}

// fields are an action's fields as a client would send them.
func actionFields(t testing.TB, v map[string]any) wire.ActionFields {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var f wire.ActionFields
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// Item 1: every limit refuses growth with a message naming it, while the
// chair (and delegates, for their own) can still delete, withdraw, reject
// and change statuses on a document at its limits.
func TestDocumentLimits(t *testing.T) {
	t.Parallel()
	f := setup(t, Config{Limits: document.Limits{
		MaxProposals: 5, MaxProposalBytes: 2000, MaxProposalsPerDelegation: 3, MaxProposalBytesPerDelegation: 300,
		MaxNotes: 3, MaxNoteBytes: 1000, MaxNotesPerAuthor: 2, MaxNoteBytesPerAuthor: 500,
		MaxDocumentBytes: 3000,
	}})
	bra, pb, _ := f.join(t, f.person(t, "delegate", "BRA"), 256, -1)
	cept, pe, _ := f.join(t, f.person(t, "delegate", "CEPT"), 256, -1)
	chair, pc, _ := f.join(t, f.person(t, "chair", ""), 1024, -1)
	rap, pr, _ := f.join(t, f.person(t, "rapporteur", ""), 256, -1)
	n := 0
	act := func(m *Member, p *fakePeer, kind string, fields map[string]any) (*wire.Op, *frame) {
		t.Helper()
		n++
		ref := fmt.Sprintf("r%d", n)
		m.Action(wire.Action{RefID: ref, Kind: kind, Fields: actionFields(t, fields)})
		return nextOwn(t, p, ref)
	}
	ok := func(what string) func(op *wire.Op, e *frame) *wire.Op {
		return func(op *wire.Op, e *frame) *wire.Op {
			t.Helper()
			if op == nil {
				t.Fatalf("%s refused: %+v", what, e)
			}
			return op
		}
	}
	no := func(what string, op *wire.Op, e *frame, want string) {
		t.Helper()
		if op != nil {
			t.Fatalf("%s accepted as seq %d", what, op.Seq)
		}
		if e.Code != wire.CodeInvalid || !strings.Contains(e.Message, want) {
			t.Fatalf("%s: %s %q, want invalid with %q", what, e.Code, e.Message, want)
		}
	}
	text := func(n int) string { return "[" + strings.Repeat("é", (n-2)/2) + "]" } // n bytes
	table := func(m *Member, p *fakePeer, size int, extra map[string]any) (*wire.Op, *frame) {
		fields := map[string]any{"para": f.paras[0], "action": "MOD", "text": text(size)}
		for k, v := range extra {
			fields[k] = v
		}
		return act(m, p, wire.KindProposalTable, fields)
	}
	var braIDs []string
	for i := range 3 {
		op := ok(fmt.Sprintf("BRA proposal %d", i))(table(bra, pb, 80, nil))
		var d wire.OpData
		json.Unmarshal(op.Data, &d)
		braIDs = append(braIDs, d.Proposal.ID)
	}
	op, e := table(bra, pb, 10, nil)
	no("BRA's fourth proposal", op, e, "BRA already has 3 proposals in this document, the limit for a delegation")
	op, e = act(bra, pb, wire.KindProposalEdit, map[string]any{"proposal": braIDs[0], "text": text(200)})
	no("BRA growing a proposal past its bytes", op, e, "BRA's proposals would hold 360 bytes, over the limit of 300 bytes for a delegation")
	ok("BRA shrinking a proposal")(act(bra, pb, wire.KindProposalEdit, map[string]any{"proposal": braIDs[0], "text": text(20)}))
	// The chair tables for BRA past BRA's own limit, but not past the
	// document's.
	ok("the chair tabling for BRA")(table(chair, pc, 80, map[string]any{"proposer": "BRA"}))
	ok("CEPT's proposal")(table(cept, pe, 80, nil))
	op, e = table(cept, pe, 80, nil)
	no("a sixth proposal", op, e, "the document already has 5 proposals, its limit")

	ok("a rapporteur's note")(act(rap, pr, wire.KindNoteAdd, map[string]any{"text": strings.Repeat("n", 100)}))
	ok("a second")(act(rap, pr, wire.KindNoteAdd, map[string]any{"text": strings.Repeat("n", 100)}))
	op, e = act(rap, pr, wire.KindNoteAdd, map[string]any{"text": "n"})
	no("a third note by one author", op, e, "you already have 2 notes in this document, the limit for one author")
	ok("the chair's note")(act(chair, pc, wire.KindNoteAdd, map[string]any{"text": "c"}))
	op, e = act(chair, pc, wire.KindNoteAdd, map[string]any{"text": "c"})
	no("a fourth note", op, e, "the document already has 3 notes, its limit")

	// The document is now about 2.5 KB of its 3,000 bytes: a paragraph of
	// 600 bytes would pass the limit, even for the chair.
	op, e = act(chair, pc, wire.KindParagraphInsert, map[string]any{"section": mustSection(t, f), "after": nil, "label": "9", "text": strings.Repeat("x", 600)})
	no("a paragraph past the document's size", op, e, "over its limit of 3000 bytes")
	chair.Edit(wire.Edit{RefID: "grow", Para: f.paras[1], Base: 0, Op: mustOp(t, `["`+strings.Repeat("y", 700)+`"]`)})
	op, e = nextOwn(t, pc, "grow")
	no("the chair's edit past the document's size", op, e, "over its limit of 3000 bytes")

	// What does not grow the document always works.
	seq := int64(0)
	last := func(op *wire.Op) { seq = op.Seq }
	last(ok("BRA withdrawing")(act(bra, pb, wire.KindProposalWithdraw, map[string]any{"proposal": braIDs[1]})))
	last(ok("the chair rejecting")(act(chair, pc, wire.KindProposalReject, map[string]any{"proposal": braIDs[2]})))
	chair.Edit(wire.Edit{RefID: "shrink", Para: f.paras[1], Base: seq, Op: mustOp(t, `[{"d":3}]`)})
	last(ok("the chair deleting text")(nextOwn(t, pc, "shrink")))
	last(ok("a status change")(act(chair, pc, wire.KindStatus, map[string]any{"para": f.paras[1], "status": "agreed_ad_ref"})))
	last(ok("the chair deleting a paragraph")(act(chair, pc, wire.KindParagraphDelete, map[string]any{"para": f.paras[0]})))

	// The size kept along the way is the size counted from scratch.
	f.hub.mu.Lock()
	r := f.hub.rooms[f.doc]
	f.hub.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := f.hub.Close(ctx); err != nil {
		t.Fatal(err)
	}
	for name, m := range map[string]*document.Model{"live": r.state.live, "durable": r.state.durable} {
		if m.Size() != m.Recount() {
			t.Errorf("%s model: size %d, counted %d", name, m.Size(), m.Recount())
		}
	}
	if r.state.durable.Size() > 3000 {
		t.Errorf("document size %d over its limit", r.state.durable.Size())
	}
}

func mustSection(t *testing.T, f *fixture) string {
	t.Helper()
	d, err := f.st.GetDocument(context.Background(), f.doc)
	if err != nil {
		t.Fatal(err)
	}
	return d.Sections[0].ID
}

// Item 9: presence must name a paragraph of the document (or none): a
// 60 KB para is not sent to every member.
func TestPresenceMustNameAParagraph(t *testing.T) {
	t.Parallel()
	f := setup(t, Config{PresenceEvery: time.Millisecond})
	a, pa, _ := f.join(t, f.person(t, "delegate", "BRA"), 256, -1)
	_, pb, _ := f.join(t, f.person(t, "chair", ""), 256, -1)
	huge := strings.Repeat("p", 60_000)
	for _, bad := range []string{huge, "1b0e0000-0000-0000-0000-000000000000"} {
		a.Presence(&bad)
		if e := pa.next(t, wire.TypeError); e.Code != wire.CodeNotFound || !strings.Contains(e.Message, "presence") {
			t.Fatalf("presence %.20s…: %+v", bad, e)
		}
	}
	a.Presence(&f.paras[2])
	for {
		fr := pb.next(t, wire.TypePresence)
		if strings.Contains(string(fr.Participants), "ppppp") {
			t.Fatal("a presence frame carries the refused para")
		}
		if strings.Contains(string(fr.Participants), f.paras[2]) {
			break
		}
	}
}

// typeChunks has the chair insert 60 KB into a paragraph and delete it
// again until the document is at seq n, and returns the seq reached.
func typeChunks(t *testing.T, f *fixture, a *Member, pa *fakePeer, n int64) int64 {
	t.Helper()
	chunk := strings.Repeat("中文", 10_000) // 60 KB, 20,000 code points
	var seq int64
	for i := 0; seq < n; i++ {
		op := `["` + chunk + `"]`
		if i%2 == 1 {
			op = `[{"d":20000}]`
		}
		ref := fmt.Sprintf("h%d", i)
		a.Edit(wire.Edit{RefID: ref, Para: f.paras[1], Base: seq, Op: mustOp(t, op)})
		got, e := nextOwn(t, pa, ref)
		if got == nil {
			t.Fatalf("%s refused: %+v", ref, e)
		}
		seq = got.Seq
	}
	return seq
}

// Item 9: in-memory history is bounded by bytes (16 MiB by default) as
// well as by count.
func TestHistoryIsBoundedByBytes(t *testing.T) {
	t.Parallel()
	f := setup(t, Config{})
	a, pa, _ := f.join(t, f.person(t, "chair", ""), 4096, -1)
	seq := typeChunks(t, f, a, pa, 620)
	// 310 inserts of 60 KB: over 16 MiB, so the oldest have left memory
	// and a client that saw seq 0 gets the whole document.
	_, _, w := f.join(t, f.person(t, "observer", ""), 4096, 0)
	if w.Document == nil {
		t.Fatal("since=0 was answered from history holding 18 MB of ops")
	}
	// Recent ops are still there for catch-up.
	if _, _, w := f.join(t, f.person(t, "observer", ""), 4096, seq-100); w.Document != nil {
		t.Fatal("since=seq-100 (6 MB ago) got the whole document")
	}
}

// Item 9: catch-up arrives in frames of at most 1 MiB (an op larger than
// that alone), so reconnecting never asks for one huge frame.
func TestCatchUpComesInBoundedFrames(t *testing.T) {
	t.Parallel()
	f := setup(t, Config{})
	a, pa, _ := f.join(t, f.person(t, "chair", ""), 4096, -1)
	seq := typeChunks(t, f, a, pa, 42)
	p := newPeer(4096)
	if _, err := f.hub.Join(context.Background(), f.doc, f.person(t, "observer", ""), p, 1); err != nil {
		t.Fatal(err)
	}
	if w := p.next(t, wire.TypeWelcome); w.Document != nil {
		t.Fatal("catch-up of 41 ops sent the whole document")
	}
	next, frames := int64(2), 0
	for next <= seq {
		raw := <-p.ch
		fr := p.decode(t, raw)
		if fr.Type != wire.TypeOps {
			continue
		}
		frames++
		if len(raw.Data()) > 1<<20 && len(fr.Ops) > 1 {
			t.Fatalf("an ops frame of %d bytes holds %d ops", len(raw.Data()), len(fr.Ops))
		}
		for _, op := range fr.Ops {
			if op.Seq != next {
				t.Fatalf("catch-up seq %d, want %d", op.Seq, next)
			}
			next++
		}
	}
	if frames < 2 {
		t.Fatalf("1.2 MB of catch-up came in %d frame", frames)
	}
	// One op over the limit goes alone.
	r := &Room{cfg: &Config{MaxFrameBytes: 1000}, handles: wire.NewHandles()}
	frs := r.opsFrames([]wire.Op{{Seq: 1, Kind: wire.KindText, Para: f.paras[0], Op: mustOp(t, `["`+strings.Repeat("x", 3000)+`"]`)}, {Seq: 2, Kind: wire.KindText, Para: f.paras[0], Op: mustOp(t, `["y"]`)}}, true)
	if len(frs) != 2 || !strings.Contains(string(frs[1].Data()), `"seq":2`) {
		t.Fatalf("an op over the limit: %d frames", len(frs))
	}
	for _, fr := range frs {
		var o wire.Ops
		if err := json.Unmarshal(fr.Data(), &o); err != nil || o.Type != wire.TypeOps || len(o.Ops) != 1 {
			t.Fatalf("frame %.80s: %v", fr.Data(), err)
		}
	}
}

// Protocol conformance: a text op that a transform emptied (two people
// deleting the same words) still carries "op":[], live and from the log.
func TestEmptiedTextOpCarriesOp(t *testing.T) {
	t.Parallel()
	f := setup(t, Config{})
	ctx := context.Background()
	a, pa, _ := f.join(t, f.person(t, "chair", ""), 256, -1)
	b, pb, _ := f.join(t, f.person(t, "chair", ""), 256, -1)
	a.Edit(wire.Edit{RefID: "d1", Para: f.paras[0], Base: 0, Op: mustOp(t, `[3,{"d":7}]`)})
	nextOwn(t, pa, "d1")
	b.Edit(wire.Edit{RefID: "d2", Para: f.paras[0], Base: 0, Op: mustOp(t, `[3,{"d":7}]`)})
	for {
		raw := <-pb.ch
		if !strings.Contains(string(raw.Data()), `"ref":"d2"`) {
			continue
		}
		if !strings.Contains(string(raw.Data()), `"ref":"d2","op":[]`) {
			t.Fatalf("emptied op sent as %s", raw.Data())
		}
		break
	}
	ops, err := f.st.OpsBetween(ctx, f.doc, 1, 2)
	if err != nil || len(ops) != 1 {
		t.Fatalf("log: %v %v", ops, err)
	}
	if b, _ := json.Marshal(ops[0]); !strings.Contains(string(b), `"op":[]`) {
		t.Fatalf("emptied op from the log encodes as %s", b)
	}
	// Other kinds carry no op at all.
	if b, _ := json.Marshal(wire.Op{Kind: wire.KindStatus}); strings.Contains(string(b), `"op"`) {
		t.Fatalf("a status op encodes as %s", b)
	}
}

// The limits are one validated struct.
func TestConfigValidate(t *testing.T) {
	t.Parallel()
	none := Config{}
	none.defaults()
	if err := none.Validate(); err == nil || !strings.Contains(err.Error(), "store") {
		t.Fatalf("no store: %v", err)
	}
	for name, mod := range map[string]func(*Config){
		"negative":             func(c *Config) { c.MaxDocumentBytes = -1 },
		"delegation over doc":  func(c *Config) { c.MaxProposalsPerDelegation = c.MaxProposals + 1 },
		"author over doc":      func(c *Config) { c.MaxNoteBytesPerAuthor = c.MaxNoteBytes + 1 },
		"proposals over doc":   func(c *Config) { c.MaxProposalBytes = c.MaxDocumentBytes + 1 },
		"no history in memory": func(c *Config) { c.MaxHistoryBytes = -5 },
	} {
		c := Config{Store: new(store.Store)}
		c.defaults()
		mod(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	c := Config{Store: new(store.Store)}
	c.defaults()
	if err := c.Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
}

// Item 3: a freeze the database refuses (another node took the label
// first) is refused alone, as a taken label, and the room carries on.
func TestFreezeOfALabelTakenElsewhere(t *testing.T) {
	t.Parallel()
	f := setup(t, Config{})
	ctx := context.Background()
	chair := f.person(t, "chair", "")
	a, pa, _ := f.join(t, chair, 256, -1) // the room is loaded now
	if _, err := f.st.Pool().Exec(ctx, `INSERT INTO versions (document_id, label, seq, content, sha256, counts)
VALUES ($1, 'Rev.A', 0, '{}', repeat('0', 64), '{}')`, f.doc); err != nil {
		t.Fatal(err)
	}
	if _, err := f.hub.Freeze(ctx, f.doc, chair, "Rev.A"); !errors.Is(err, ErrVersionExists) {
		t.Fatalf("freeze of a label taken by another node: %v", err)
	}
	a.Edit(wire.Edit{RefID: "after", Para: f.paras[0], Base: 0, Op: mustOp(t, `["Ok "]`)})
	if op, e := nextOwn(t, pa, "after"); op == nil || op.Seq != 1 {
		t.Fatalf("edit after the refused freeze: %v %+v", op, e)
	}
	if info, err := f.hub.Freeze(ctx, f.doc, chair, "Rev.B"); err != nil || info.Seq != 2 {
		t.Fatalf("next freeze: %+v, %v", info, err)
	}
}
