package room

import (
	"encoding/json"

	"github.com/draftroom/draftroom/server/internal/document"
	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/internal/store"
	"github.com/draftroom/draftroom/server/wire"
)

// accepted is an op applied to the live model and waiting for its commit.
type accepted struct {
	op     wire.Op
	sender *Member // nil for ops made by the server (HTTP requests)
	touch  document.Touched
	// version is the version a freeze writes with its op.
	version *store.VersionRow
	// What was asked, kept so the op can be worked out again on top of
	// another node's commits (see rebase): an edit or action, or a freeze.
	req    wire.ClientMessage
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

// applyTo applies the op to a model, as push does.
func (a *accepted) applyTo(m *document.Model) error {
	if a.after != nil {
		return m.SetText(a.op, *a.after)
	}
	return m.Apply(a.op)
}

// onRequest handles an edit or an action, unless the room cannot take it
// now or it is the resend of one already accepted.
func (r *Room) onRequest(m *Member, req wire.ClientMessage) {
	if r.ready(m, req.Ref()) && !r.resent(m, req.Ref()) {
		r.do(m, req)
	}
}

// do works out an edit or action against the live model and pushes it.
func (r *Room) do(m *Member, req wire.ClientMessage) {
	switch v := req.(type) {
	case wire.Edit:
		r.doEdit(m, v)
	case wire.Action:
		r.doAction(m, v)
	}
}

// doEdit transforms an edit to the current text and has the document
// rules check it (document.AcceptEdit), which also gives the paragraph
// after it.
func (r *Room) doEdit(m *Member, e wire.Edit) {
	st := r.state
	h := document.History{Ops: st.paraOps[e.Para], Oldest: st.oldest(), Durable: st.durableSeq()}
	who := m.who.actor()
	op, after, err := document.AcceptEdit(st.live, h, who, e, &r.cfg.Limits)
	if err != nil {
		r.refuse(m, e.RefID, err)
		return
	}
	w := wire.Op{Kind: wire.KindText, Para: e.Para, Op: op,
		Author: who.Author(), Delegation: m.who.Delegation, Participant: m.who.ID, Ref: e.RefID}
	r.push(&accepted{op: w, sender: m, touch: document.Touched{Paras: []string{e.Para}}, req: e, after: &after})
}

// doAction has the document rules decide an action (document.Decide).
func (r *Room) doAction(m *Member, a wire.Action) {
	env := r.hub.env
	// Undoing a merge looks for it, and the edits after it, in history.
	env.Recent = func() []wire.Op { return r.state.history }
	data, t, err := document.Decide(r.state.live, m.who.actor(), a.Kind, a.Fields, &env)
	if err != nil {
		r.refuse(m, a.RefID, err)
		return
	}
	raw, _ := json.Marshal(data)
	op := wire.Op{Kind: a.Kind, Para: data.Para, Author: m.who.actor().Author(), Delegation: m.who.Delegation,
		Participant: m.who.ID, Ref: a.RefID, Data: raw}
	r.push(&accepted{op: op, sender: m, touch: t, req: a})
}

// ack records an op's (participant, ref), so a resend gets it again.
func (r *Room) ack(op wire.Op) {
	if op.Participant != "" && op.Ref != "" {
		r.acks[refKey{op.Participant, op.Ref}] = op.Seq
	}
}

// ready refuses work while the room cannot take it.
func (r *Room) ready(m *Member, ref string) bool {
	if r.closing {
		r.sendError(m, ref, wire.CodeUnavailable, "the server is shutting down; resend after reconnecting")
		return false
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
		// Committed, so broadcast already: this member has it, or will by
		// its catch-up; the answer repeats it for the resend.
		for _, f := range r.opsFrames([]wire.Op{r.state.opAt(seq)}, false) {
			r.send(m, f)
		}
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

// push gives an op the next seq, applies it to the live model and queues it
// for the next group commit.
func (r *Room) push(a *accepted) {
	st := r.state
	a.op.Seq = st.seq + 1
	if a.op.At.IsZero() {
		a.op.At = r.cfg.Now().UTC()
	}
	if err := a.applyTo(st.live); err != nil {
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
	r.ack(a.op)
	r.pending = append(r.pending, a)
	r.maybeCommit()
}
