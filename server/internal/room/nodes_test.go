package room

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// collect reads a member's ops until it has seen seq want, checking that
// seqs arrive in order without gaps, and returns them.
func collect(t testing.TB, p *fakePeer, from, want int64) []wire.Op {
	t.Helper()
	var out []wire.Op
	next := from + 1
	deadline := time.After(30 * time.Second)
	for next <= want {
		select {
		case f := <-p.ch:
			fr := p.decode(t, f)
			if fr.Type == wire.TypeError {
				t.Fatalf("error frame: %s", f.Data())
			}
			for _, op := range fr.Ops {
				if op.Seq != next {
					t.Fatalf("got seq %d, want %d", op.Seq, next)
				}
				next++
				out = append(out, op)
			}
		case <-deadline:
			t.Fatalf("saw up to seq %d of %d", next-1, want)
		}
	}
	return out
}

// Two nodes (hubs) on one database: edits made on both are ordered by
// PostgreSQL, each node learns the other's through LISTEN/NOTIFY (or its
// poll), and both sides see the same ops in the same order.
func TestTwoNodesConverge(t *testing.T) {
	t.Parallel()
	f := setup(t, Config{PollEvery: 200 * time.Millisecond})
	other := NewHub(Config{Store: f.st, PollEvery: 200 * time.Millisecond})
	t.Cleanup(func() { other.Close(context.Background()) })

	ca, cb := f.person(t, "chair", ""), f.person(t, "chair", "")
	a, pa, _ := f.join(t, ca, 4096, -1)
	pb := newPeer(4096)
	b, err := other.Join(context.Background(), f.doc, cb, pb, -1)
	if err != nil {
		t.Fatal(err)
	}
	pb.next(t, wire.TypeWelcome)

	const each = 40
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < each; i++ {
			b.Edit(wire.Edit{RefID: fmt.Sprintf("b%d", i), Para: f.paras[1], Base: 0, Op: ot.Op{{Insert: "ب"}}})
		}
	}()
	for i := 0; i < each; i++ {
		a.Edit(wire.Edit{RefID: fmt.Sprintf("a%d", i), Para: f.paras[1], Base: 0, Op: ot.Op{{Insert: "a"}}})
	}
	<-done
	opsA := collect(t, pa, 0, 2*each)
	opsB := collect(t, pb, 0, 2*each)
	start := "to report 进展 👩🏽‍💻 yearly;"
	replay := func(ops []wire.Op) string {
		text := start
		for _, op := range ops {
			var err error
			if text, err = ot.Apply(text, op.Op); err != nil {
				t.Fatal(err)
			}
		}
		return text
	}
	ta, tb := replay(opsA), replay(opsB)
	if ta != tb {
		t.Fatalf("nodes diverge:\n%q\n%q", ta, tb)
	}
	if got := f.text(t, 1); got != ta {
		t.Fatalf("database %q, members %q", got, ta)
	}
	refs := map[string]bool{}
	for _, op := range opsA {
		refs[op.Ref] = true
	}
	if len(refs) != 2*each {
		t.Fatalf("%d distinct refs, want %d", len(refs), 2*each)
	}
}
