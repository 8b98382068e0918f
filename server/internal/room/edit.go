package room

import (
	"errors"
	"fmt"
	"sort"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// accepted is an op applied in memory and waiting for its commit.
type accepted struct {
	op     wire.Op
	sender *Member // nil for server-made ops
	para   *para
	text   string // the paragraph after this op
	runs   draft.Authorship
}

func (r *Room) onEdit(m *Member, e wire.Edit) {
	if r.closing {
		r.sendError(m, e.RefID, wire.CodeUnavailable, "the server is shutting down; resend after reconnecting")
		return
	}
	if r.broken {
		if err := r.recover(); err != nil {
			r.sendError(m, e.RefID, wire.CodeUnavailable, "the database is unavailable; your edit was not applied, resend it")
			return
		}
	}
	if e.RefID == "" {
		r.sendError(m, e.RefID, wire.CodeInvalid, "an edit needs a ref")
		return
	}
	// A resend of an op already applied gets the original result.
	if seq, ok := r.acks[refKey{m.who.ID, e.RefID}]; ok {
		if seq <= r.state.durable {
			r.send(m, encodeFrame(wire.Ops{Type: wire.TypeOps, Ops: []wire.Op{r.state.opAt(seq)}}))
		}
		// Otherwise its commit is under way and the broadcast will ack it.
		return
	}
	op, err := r.accept(m, e)
	if err != nil {
		code := wire.CodeInvalid
		var re *draft.RuleError
		var ce *codeError
		switch {
		case errors.As(err, &re):
			code = re.Code
		case errors.As(err, &ce):
			code = ce.code
		}
		r.sendError(m, e.RefID, code, err.Error())
		return
	}
	r.pending = append(r.pending, op)
	r.maybeCommit()
}

type codeError struct {
	code string
	msg  string
}

func (e *codeError) Error() string { return e.msg }

func errCode(code, format string, a ...any) error {
	return &codeError{code: code, msg: fmt.Sprintf(format, a...)}
}

// accept transforms an edit to the current text, checks the rules and
// applies it in memory.
func (r *Room) accept(m *Member, e wire.Edit) (*accepted, error) {
	st := r.state
	p := st.paras[e.Para]
	if p == nil {
		return nil, errCode(wire.CodeNotFound, "no paragraph %q in this document", e.Para)
	}
	if e.Base > st.durable || e.Base < 0 {
		return nil, errCode(wire.CodeInvalid, "base %d is not a seq you can have seen (the document is at %d)", e.Base, st.durable)
	}
	if e.Base < st.oldest() {
		return nil, errCode(wire.CodeStale, "base %d is too old to transform against (oldest kept is %d); reload the document", e.Base, st.oldest())
	}
	// Check the op against the paragraph as the client saw it at base: its
	// length now, less what later ops changed.
	i := sort.Search(len(p.ops), func(i int) bool { return p.ops[i].seq > e.Base })
	baseLen := utf8.RuneCountInString(p.text)
	for _, h := range p.ops[i:] {
		baseLen -= lenDelta(h.op)
	}
	if err := ot.CheckFits(e.Op, baseLen); err != nil {
		return nil, errCode(wire.CodeInvalid, "op does not fit paragraph %s at base %d: %v", e.Para, e.Base, err)
	}
	// One op at a time, never their composition: that is how clients do it,
	// and compose can break ties differently.
	op := e.Op
	for _, h := range p.ops[i:] {
		op = ot.Transform(op, h.op, ot.Left)
	}
	actor := actorOf(m.who)
	if err := r.cfg.Rules(actor, draft.Paragraph{Text: p.text, Authors: p.runs, Status: p.status}, op); err != nil {
		return nil, err
	}
	text, err := ot.Apply(p.text, op)
	if err != nil {
		return nil, errCode(wire.CodeInvalid, "op does not apply: %v", err)
	}
	if n := utf8.RuneCountInString(text); n > r.cfg.MaxParagraph {
		return nil, errCode(wire.CodeInvalid, "the paragraph would be %d characters long; the limit is %d", n, r.cfg.MaxParagraph)
	}
	runs, err := p.runs.Apply(op, actor.Author())
	if err != nil {
		return nil, fmt.Errorf("authorship out of step with text: %w", err)
	}
	st.seq++
	w := wire.Op{
		Seq: st.seq, Kind: wire.KindText, Para: e.Para, Op: op,
		Author: actor.Author(), Delegation: m.who.Delegation, Participant: m.who.ID,
		Ref: e.RefID, At: r.cfg.Now().UTC(),
	}
	p.text, p.runs = text, runs
	p.ops = append(p.ops, textOp{w.Seq, op})
	st.history = append(st.history, w)
	r.acks[refKey{m.who.ID, e.RefID}] = w.Seq
	return &accepted{op: w, sender: m, para: p, text: text, runs: runs}, nil
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

// opAt returns the op with the given seq from history.
func (st *docState) opAt(seq int64) wire.Op {
	i := sort.Search(len(st.history), func(i int) bool { return st.history[i].Seq >= seq })
	return st.history[i]
}
