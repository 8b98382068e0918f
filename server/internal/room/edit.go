package room

import (
	"errors"
	"fmt"
	"sort"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/internal/store"
	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// accepted is an op applied to the live model and waiting for its commit.
type accepted struct {
	op     wire.Op
	sender *Member // nil for ops made by the server (HTTP requests)
	touch  touched
	// What was asked, kept so the op can be worked out again on top of
	// another node's commits (see rebase). One is set.
	edit   *wire.Edit
	action *wire.Action
	freeze *msgFreeze
	info   wire.VersionInfo // for freeze: the reply on commit
	// after is a text edit's paragraph once applied, as the rules worked
	// it out, so push need not apply the op again.
	after *draft.Paragraph
	// waiters are other connections of the same participant that resent
	// the op while it was being committed: a refusal must reach them too.
	waiters []*Member
}

// finish tells a server-made op's requester how its commit went.
func (a *accepted) finish(err error) {
	if a.freeze != nil {
		a.freeze.reply <- freezeReply{info: a.info, err: err}
	}
}

// touched names what an op changed, so the commit writes just that.
type touched struct {
	paras     []string // text, label, status or position
	sections  []string // the section itself and its paragraphs' positions
	proposals []string
	notes     []string
	deleted   []string // paragraphs
	version   *store.VersionRow
}

func (r *Room) onEdit(m *Member, e wire.Edit) {
	if !r.ready(m, e.RefID) || r.resent(m, e.RefID) {
		return
	}
	r.doEdit(m, e)
}

func (r *Room) doEdit(m *Member, e wire.Edit) {
	op, after, err := r.acceptText(m, e)
	if err != nil {
		r.refuse(m, e.RefID, err)
		return
	}
	r.push(&accepted{op: op, sender: m, touch: touched{paras: []string{e.Para}}, edit: &e, after: &after})
}

// ready refuses work while the room cannot take it.
func (r *Room) ready(m *Member, ref string) bool {
	if r.closing {
		r.sendError(m, ref, wire.CodeUnavailable, "the server is shutting down; resend after reconnecting")
		return false
	}
	if r.broken {
		if err := r.recover(); err != nil {
			r.sendError(m, ref, wire.CodeUnavailable, "the database is unavailable; your change was not applied, resend it")
			return false
		}
	}
	if ref == "" {
		r.sendError(m, ref, wire.CodeInvalid, "a ref is required")
		return false
	}
	return true
}

// resent answers a resend of an op already accepted with the original
// result, and reports whether it was one.
func (r *Room) resent(m *Member, ref string) bool {
	seq, ok := r.acks[refKey{m.who.ID, ref}]
	if !ok {
		return false
	}
	if seq <= r.state.durableSeq() {
		if len(r.outbox) == 0 || seq < r.outbox[0].Seq {
			r.send(m, encodeFrame(wire.Ops{Type: wire.TypeOps, Ops: []wire.Op{r.state.opAt(seq)}}))
		}
		// Otherwise it is in the outbox, and this member will get it there.
		return true
	}
	// Its commit is under way: the broadcast will ack it, and if the commit
	// fails this connection must hear so, even if the one that sent it left.
	for _, list := range [][]*accepted{r.inflight, r.pending} {
		for _, a := range list {
			if a.op.Seq == seq {
				a.waiters = append(a.waiters, m)
			}
		}
	}
	return true
}

func (r *Room) refuse(m *Member, ref string, err error) {
	code := wire.CodeInvalid
	var re *draft.RuleError
	var ce *codeError
	switch {
	case errors.As(err, &re):
		code = re.Code
	case errors.As(err, &ce):
		code = ce.code
	}
	r.sendError(m, ref, code, err.Error())
}

type codeError struct {
	code string
	msg  string
}

func (e *codeError) Error() string { return e.msg }

func errCode(code, format string, a ...any) error {
	return &codeError{code: code, msg: fmt.Sprintf(format, a...)}
}

// push gives an op the next seq, applies it to the live model and queues it
// for the next group commit.
func (r *Room) push(a *accepted) {
	st := r.state
	a.op.Seq = st.seq + 1
	if a.op.At.IsZero() {
		a.op.At = r.cfg.Now().UTC()
	}
	var err error
	if a.after != nil {
		err = st.live.setText(a.op, a.after.Text, a.after.Authors)
	} else {
		err = st.live.apply(a.op)
	}
	if err != nil {
		// Ops are checked before they are pushed; failing here is a bug.
		// Refuse rather than let memory drift from what will be stored.
		r.cfg.Logger.Error("accepted op does not apply", "document_id", r.doc, "err", err)
		if a.sender != nil {
			r.sendError(a.sender, a.op.Ref, wire.CodeInvalid, "internal error applying the change")
		}
		a.finish(err)
		st.rollback()
		r.pending = nil
		r.broken = true
		return
	}
	st.seq = a.op.Seq
	st.record(a.op)
	if a.op.Participant != "" && a.op.Ref != "" {
		r.acks[refKey{a.op.Participant, a.op.Ref}] = a.op.Seq
	}
	r.pending = append(r.pending, a)
	r.maybeCommit()
}

// acceptText transforms an edit to the current text and checks the rules,
// which also give the paragraph after it.
func (r *Room) acceptText(m *Member, e wire.Edit) (wire.Op, draft.Paragraph, error) {
	st := r.state
	p := st.live.paras[e.Para]
	if p == nil {
		return wire.Op{}, draft.Paragraph{}, errCode(wire.CodeNotFound, "no paragraph %q in this document", e.Para)
	}
	durable := st.durableSeq()
	if e.Base > durable || e.Base < 0 {
		return wire.Op{}, draft.Paragraph{}, errCode(wire.CodeInvalid, "base %d is not a seq you can have seen (the document is at %d)", e.Base, durable)
	}
	if e.Base < st.oldest() {
		return wire.Op{}, draft.Paragraph{}, errCode(wire.CodeStale, "base %d is too old to transform against (oldest kept is %d); reload the document", e.Base, st.oldest())
	}
	ops := st.paraOps[e.Para]
	i := sort.Search(len(ops), func(i int) bool { return ops[i].seq > e.Base })
	// Check the op against the paragraph as the client saw it at base: its
	// length now (the authorship runs know it), less what later ops changed.
	baseLen := p.runs.Len()
	for _, h := range ops[i:] {
		baseLen -= lenDelta(h.op)
	}
	if err := ot.CheckFits(e.Op, baseLen); err != nil {
		return wire.Op{}, draft.Paragraph{}, errCode(wire.CodeInvalid, "op does not fit paragraph %s at base %d: %v", e.Para, e.Base, err)
	}
	// One op at a time, never their composition: that is how clients do it,
	// and compose can break ties differently.
	op := e.Op
	for _, h := range ops[i:] {
		op = ot.Transform(op, h.op, ot.Left)
	}
	actor := actorOf(m.who)
	after, err := r.cfg.Rules(actor, draft.Paragraph{Text: p.text, Authors: p.runs, Status: p.status}, op)
	if err != nil {
		return wire.Op{}, draft.Paragraph{}, err
	}
	if n := after.Authors.Len(); n > r.cfg.MaxParagraph {
		return wire.Op{}, draft.Paragraph{}, errCode(wire.CodeInvalid, "the paragraph would be %d characters long; the limit is %d", n, r.cfg.MaxParagraph)
	}
	if err := r.checkGrowth(len(after.Text) - len(p.text)); err != nil {
		return wire.Op{}, draft.Paragraph{}, err
	}
	if op == nil {
		op = ot.Op{} // transformed to nothing: still "op":[] on the wire
	}
	w := wire.Op{
		Kind: wire.KindText, Para: e.Para, Op: op,
		Author: actor.Author(), Delegation: m.who.Delegation, Participant: m.who.ID, Ref: e.RefID,
	}
	return w, after, nil
}

// lenBytesDelta is how many bytes an op of skips and inserts adds (a
// merge's op; deletes are not counted, so it is an upper bound).
func lenBytesDelta(op ot.Op) int {
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
