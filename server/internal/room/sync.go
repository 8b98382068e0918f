package room

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/internal/document"
	"github.com/draftroom/draftroom/server/internal/store"
	"github.com/draftroom/draftroom/server/wire"
)

// Keeping memory in step with the database, off the loop: loading the
// room, and catching up with commits other nodes made.

// msgLoaded reports a load of the room from the database.
type msgLoaded struct {
	st       *docState
	versions []string
	err      error
}

// startLoad reads the document and its recent ops from the database, off
// the loop: on first use, and after a failed commit (whose outcome may be
// unknown) or anything else that left memory in doubt.
func (r *Room) startLoad() {
	r.loading = true
	st, doc, cfg := r.cfg.Store, r.doc, r.cfg
	r.async(func() any {
		res := load(st, doc, cfg)
		if res.err != nil && !errors.Is(res.err, store.ErrNotFound) {
			// A restarted database leaves dead connections in the pool; the
			// failed one is discarded, so one more try uses a fresh one.
			res = load(st, doc, cfg)
		}
		return res
	})
}

func load(st *store.Store, doc uuid.UUID, cfg *Config) msgLoaded {
	ctx, cancel := context.WithTimeout(context.Background(), cfg.CommitTimeout)
	defer cancel()
	rs, err := st.LoadRoom(ctx, doc, cfg.History)
	if err != nil {
		return msgLoaded{err: err}
	}
	state, err := newDocState(rs)
	if err != nil {
		return msgLoaded{err: err}
	}
	return msgLoaded{st: state, versions: rs.Versions}
}

// loaded installs a load's result and handles what waited for it. Ops the
// database has that members have not seen are broadcast: a commit whose
// outcome was unknown may have succeeded.
func (r *Room) loaded(res msgLoaded) {
	r.loading = false
	if res.err != nil {
		r.broken = true
		err := res.err
		if !errors.Is(err, store.ErrNotFound) {
			err = fmt.Errorf("%w: %v", errUnavailable, err)
		}
		r.failDeferred(err, "the database is unavailable; your change was not applied, resend it")
		return
	}
	var before int64 = -1
	if r.state != nil {
		before = r.state.durableSeq()
	}
	st := res.st
	st.trim(r.cfg.History, r.cfg.MaxHistoryBytes, map[refKey]int64{})
	r.state = st
	r.acks = map[refKey]int64{}
	for _, op := range st.history {
		r.ack(op)
	}
	r.versions = map[string]bool{}
	for _, l := range res.versions {
		r.versions[l] = true
	}
	r.welcome = nil
	r.broken = false
	if before >= 0 && st.durableSeq() > before {
		if ops, ok := st.committedSince(before); ok && len(ops) > 0 {
			r.publish(ops)
		}
	}
	r.catchUp(0)
	r.resume()
}

// catchUp is called when another node has committed up to seq, and
// (with 0) whenever what was under way is done.
func (r *Room) catchUp(seq int64) {
	r.behind = max(r.behind, seq)
	if r.state == nil || r.behind <= r.state.durableSeq() {
		return
	}
	switch {
	case r.loading || r.rebasing || len(r.inflight) > 0:
		// loaded, rebased or committed calls again when it is done.
	case r.broken:
		if !r.closing {
			r.startLoad() // the load reads their ops too
		}
	default:
		r.rebase(r.behind)
	}
}

// msgRemoteOps reports the read of other nodes' ops.
type msgRemoteOps struct {
	ops []wire.Op
	err error
}

// rebase reads the ops other nodes committed after our durable seq, up
// to seq to, off the loop; rebased goes on from there. Nothing is
// committed meanwhile, and new work waits.
func (r *Room) rebase(to int64) {
	r.rebasing = true
	st, doc, from, timeout := r.cfg.Store, r.doc, r.state.durableSeq(), r.cfg.CommitTimeout
	r.async(func() any {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		ops, err := st.OpsBetween(ctx, doc, from, to)
		return msgRemoteOps{ops: ops, err: err}
	})
}

// rebased applies the other nodes' ops, sends them to our members, and
// works out again every op we accepted but have not committed, on top of
// them, in the same order: as if ours had arrived after theirs, which in
// the log they do. Then what waited is handled.
func (r *Room) rebased(res msgRemoteOps) {
	r.rebasing = false
	redo := r.unwind(nil)
	err := res.err
	if err == nil {
		err = r.applyRemote(res.ops)
	}
	if err != nil {
		r.cfg.Logger.Warn("catching up with other nodes failed", "document_id", r.doc, "err", err)
		r.refuseAll(redo, "the change could not be stored; it was not applied, resend it")
		r.broken = true
		r.resume()
		return
	}
	r.redoAll(redo)
	r.catchUp(0) // more may have come meanwhile
	r.resume()
}

// applyRemote applies committed ops from the log to both models.
func (r *Room) applyRemote(ops []wire.Op) error {
	st := r.state
	for _, op := range ops {
		if op.Seq != st.durableSeq()+1 {
			return fmt.Errorf("op log gap: got seq %d after %d", op.Seq, st.durableSeq())
		}
		if err := st.durable.Apply(op); err != nil {
			return err
		}
		st.record(op)
		r.ack(op)
		if op.Kind == wire.KindVersionFreeze {
			if d, err := document.Data(op); err == nil && d.Version != nil {
				r.versions[d.Version.Label] = true
			}
		}
	}
	st.seq = st.durableSeq()
	st.live = st.durable.Clone()
	if len(ops) > 0 {
		r.welcome = nil
		r.publish(ops)
	}
	return nil
}

// redo works an accepted op out again against the current live model, for
// whichever of its connections is still here.
func (r *Room) redo(a *accepted) {
	if a.sender == nil || !r.isMember(a.sender) {
		for _, m := range a.waiters {
			if r.isMember(m) {
				a.sender = m
				break
			}
		}
	}
	switch {
	case a.freeze != nil:
		r.handle(*a.freeze)
	case a.sender == nil:
		a.finish(errUnavailable)
	case !r.isMember(a.sender):
		// Gone: it will resend under the same ref when it reconnects.
	default:
		r.do(a.sender, a.req)
	}
}

// unwind takes back every op not committed (batch, then the pending
// ones): memory goes back to the durable state, what accepting them
// recorded is forgotten, and they are returned to be redone or refused.
func (r *Room) unwind(batch []*accepted) []*accepted {
	list := append(append(make([]*accepted, 0, len(batch)+len(r.pending)), batch...), r.pending...)
	r.pending = nil
	for _, a := range list {
		delete(r.acks, refKey{a.op.Participant, a.op.Ref})
		if a.freeze != nil {
			delete(r.versions, a.info.Label)
		}
	}
	r.state.rollback()
	return list
}

// redoAll works list out again, in order, and commits what it can.
func (r *Room) redoAll(list []*accepted) {
	for _, a := range list {
		r.redo(a)
	}
	r.maybeCommit()
}

// refuseAll answers every op of list with unavailable, on every
// connection that is waiting for it.
func (r *Room) refuseAll(list []*accepted, msg string) {
	r.refuseWith(list, wire.CodeUnavailable, msg, errUnavailable)
}

// refuseWith answers every op of list with an error frame of code, on
// every connection waiting for it, and a server-made op's requester with
// err.
func (r *Room) refuseWith(list []*accepted, code, msg string, err error) {
	for _, a := range list {
		a.finish(err)
		for _, m := range append([]*Member{a.sender}, a.waiters...) {
			if m != nil && r.isMember(m) {
				r.sendError(m, a.op.Ref, code, msg)
			}
		}
	}
}
