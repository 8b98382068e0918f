package document

import (
	"sort"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// TextOp is an op that changed a paragraph's text, at its seq.
type TextOp struct {
	Seq int64
	Op  ot.Op
}

// History is what a text edit is transformed against: the recent ops on
// its paragraph's text, and the range of seqs they cover. The room keeps
// history; the algorithm is here.
type History struct {
	// Ops are the paragraph's text ops after Oldest, in seq order.
	Ops []TextOp
	// Oldest is the lowest base an edit may have: every op after it is
	// known. Durable is the highest: the last seq a client can have seen.
	Oldest, Durable int64
}

// AcceptEdit transforms an edit, made against the document at e.Base, to
// the current text, one op after another as clients do, then checks it
// against the drafting rules and the limits. It returns the op as it
// applies now and the paragraph after it.
func AcceptEdit(m *Model, h History, who Actor, e wire.Edit, lim *Limits) (ot.Op, draft.Paragraph, error) {
	p := m.paras[e.Para]
	if p == nil {
		return nil, draft.Paragraph{}, notFound("no paragraph %q in this document", e.Para)
	}
	if e.Base > h.Durable || e.Base < 0 {
		return nil, draft.Paragraph{}, invalid("base %d is not a seq you can have seen (the document is at %d)", e.Base, h.Durable)
	}
	if e.Base < h.Oldest {
		return nil, draft.Paragraph{}, errCode(wire.CodeStale, "base %d is too old to transform against (oldest kept is %d); reload the document", e.Base, h.Oldest)
	}
	ops := h.Ops
	i := sort.Search(len(ops), func(i int) bool { return ops[i].Seq > e.Base })
	// Check the op against the paragraph as the client saw it at base: its
	// length now (the authorship runs know it), less what later ops changed.
	baseLen := p.runs.Len()
	for _, o := range ops[i:] {
		baseLen -= lenDelta(o.Op)
	}
	if err := m.floor.mayType(who); err != nil {
		return nil, draft.Paragraph{}, err
	}
	if err := ot.CheckFits(e.Op, baseLen); err != nil {
		return nil, draft.Paragraph{}, invalid("op does not fit paragraph %s at base %d: %v", e.Para, e.Base, err)
	}
	// One op at a time, never their composition: that is how clients do it,
	// and compose can break ties differently.
	op := e.Op
	for _, o := range ops[i:] {
		op = ot.Transform(op, o.Op, ot.Left)
	}
	after, err := draft.ApplyEdit(who.Draft(), p.draft(), op)
	if err != nil {
		return nil, draft.Paragraph{}, err
	}
	if n := after.Authors.Len(); n > lim.MaxParagraph {
		return nil, draft.Paragraph{}, invalid("the paragraph would be %d characters long; the limit is %d", n, lim.MaxParagraph)
	}
	if err := lim.checkGrowth(m, len(after.Text)-len(p.text)); err != nil {
		return nil, draft.Paragraph{}, err
	}
	if op == nil {
		op = ot.Op{} // transformed to nothing: still "op":[] on the wire
	}
	return op, after, nil
}

// insertedBytes is how many bytes an op of skips and inserts adds (a
// merge's op; deletes are not counted, so it is an upper bound).
func insertedBytes(op ot.Op) int {
	n := 0
	for _, c := range op {
		n += len(c.Insert)
	}
	return n
}

// lenDelta is how many code points an op adds (negative: removes).
func lenDelta(op ot.Op) int {
	n := 0
	for _, c := range op {
		switch {
		case c.Insert != "":
			n += utf8.RuneCountInString(c.Insert)
		case c.Delete > 0:
			n -= c.Delete
		}
	}
	return n
}
