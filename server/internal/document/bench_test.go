package document

import (
	"fmt"
	"testing"

	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// BenchmarkReplay rebuilds a document from a snapshot and 2,000 text ops,
// as DocumentAt does without the database.
func BenchmarkReplay(b *testing.B) {
	ops := make([]wire.Op, 2000)
	for i := range ops {
		ops[i] = wire.Op{Seq: int64(8 + i), Kind: wire.KindText, Para: []string{paraA, paraB}[i%2], Op: ot.Op{{Insert: "ж"}}, Author: "chair"}
	}
	snap := testDoc()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Replay(snap, ops, int64(7+len(ops))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAcceptEdit transforms a delegate's edit against 50 later ops
// on its paragraph and checks the rules, the room's work per edit.
func BenchmarkAcceptEdit(b *testing.B) {
	m := testModel(b)
	lim := testEnv().Limits
	var hist []TextOp
	for i := range 50 {
		op := ot.Op{{Insert: "中"}}
		if err := m.Apply(wire.Op{Seq: int64(8 + i), Kind: wire.KindText, Para: paraB, Op: op, Author: "chair"}); err != nil {
			b.Fatal(err)
		}
		hist = append(hist, TextOp{Seq: int64(8 + i), Op: op})
	}
	h := History{Ops: hist, Oldest: 7, Durable: 57}
	e := wire.Edit{Para: paraB, Base: 7, Op: ot.Op{{Skip: 20}, {Insert: "[новое]"}}}
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := AcceptEdit(m, h, brazil, e, &lim); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecide decides the chair's merge of a MOD (a word-level diff and
// the rules on its op), the heaviest action.
func BenchmarkDecide(b *testing.B) {
	m := testModel(b)
	env := testEnv()
	for b.Loop() {
		if _, _, err := Decide(m, theChair, wire.KindProposalMerge, wire.ActionFields{Proposal: propMOD}, env); err != nil {
			b.Fatal(fmt.Errorf("merge: %w", err))
		}
	}
}
