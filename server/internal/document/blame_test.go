package document

import (
	"fmt"
	"testing"
	"time"

	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// blameOf follows l's ops from base, each op stamped a minute after the
// one before.
func blameOf(t *testing.T, base *wire.Document, ops []wire.Op, start time.Time) *Blame {
	t.Helper()
	b := NewBlame(base, start)
	for i, op := range ops {
		op.At = start.Add(time.Duration(i+1) * time.Minute)
		if err := b.Apply(op); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

func describe(ps []Piece) string {
	s := ""
	for _, p := range ps {
		del := "-"
		if p.Del != nil {
			del = fmt.Sprintf("%s@%d", p.Del.By, p.Del.Seq)
		}
		s += fmt.Sprintf("[%q %s ins %s@%d del %s]", p.Text, p.Author, p.Ins.By, p.Ins.Seq, del)
	}
	return s
}

// A deletion is the deleter's, not the text's author's: the chair keeping
// Brazil's alternative deletes CEPT's words, and the blame says the chair.
func TestBlameCreditsTheDeleter(t *testing.T) {
	t.Parallel()
	l := newLogged(t)
	base := l.m.ToWire()
	start := time.Date(2031, 5, 4, 10, 0, 0, 0, time.UTC)
	// CEPT adds an alternative after Brazil's [yearly]: "[yearly][每年 🚀]".
	at := len([]rune("to report 进展 [yearly]"))
	if err := l.edit(t, cept, paraB, ot.Op{{Skip: at}, {Insert: "[每年 🚀]"}}); err != nil {
		t.Fatal(err)
	}
	l.must(t, theChair, wire.KindBracketsKeep, wire.ActionFields{Para: paraB, At: num(at + 2), Alternative: num(0)})
	text, _ := l.text(paraB)
	b := blameOf(t, base, l.ops, start)
	if b.Text(paraB, b.Seq()) != text || b.Text(paraB, base.Seq) != "to report 进展 [yearly] 👩🏽‍💻;" {
		t.Fatalf("blame's texts: %q then %q, model %q", b.Text(paraB, base.Seq), b.Text(paraB, b.Seq()), text)
	}
	keep := base.Seq + 2
	want := fmt.Sprintf(`[%q original ins original@7 del -]`, "to report 进展 ") +
		fmt.Sprintf(`[%q BRA ins BRA@7 del chair@%d]`, "[", keep) +
		`["yearly" BRA ins BRA@7 del -]` +
		fmt.Sprintf(`["]" BRA ins BRA@7 del chair@%d]`, keep) +
		fmt.Sprintf(`[%q CEPT ins CEPT@8 del chair@%d]`, "[每年 🚀]", keep) +
		fmt.Sprintf(`[%q original ins original@7 del -]`, " 👩🏽‍💻;")
	if got := describe(b.Pieces(paraB)); got != want {
		t.Fatalf("pieces\n got %s\nwant %s", got, want)
	}
	// Times: CEPT's insertion at its op's time, the deletion at the keep's.
	for _, p := range b.Pieces(paraB) {
		if p.Author == "CEPT" && (!p.Ins.At.Equal(start.Add(time.Minute)) || !p.Del.At.Equal(start.Add(2*time.Minute))) {
			t.Fatalf("CEPT's piece: inserted %v, deleted %v", p.Ins.At, p.Del.At)
		}
	}
	// The diff says who deleted, apart from who wrote, with the section.
	d := CompareBlame(base, l.m.ToWire(), b)
	if len(d.Changed) != 1 || d.Changed[0].Section != secOp || d.Changed[0].Heading != "RESOLVES" {
		t.Fatalf("changed: %+v", d.Changed)
	}
	deleted := 0
	for _, s := range d.Changed[0].Segments {
		if s.Op == "delete" {
			deleted++
			if len(s.DeletedBy) != 1 || s.DeletedBy[0] != "chair" || s.At != start.Add(2*time.Minute).Format(time.RFC3339) {
				t.Errorf("deleted segment %+v", s)
			}
		}
	}
	if deleted == 0 {
		t.Fatalf("no deleted segment: %+v", d.Changed[0].Segments)
	}
	// Without a blame, nobody is named as deleter.
	for _, s := range Compare(base, l.m.ToWire()).Changed[0].Segments {
		if len(s.DeletedBy) != 0 {
			t.Fatalf("deleted_by without a blame: %+v", s)
		}
	}
}
