package room

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/internal/store"
	"github.com/draftroom/draftroom/server/wire"
)

type commitResult struct {
	batch []*accepted
	err   error
	took  time.Duration
}

// maybeCommit starts a group commit of everything pending unless one is in
// flight; ops accepted meanwhile wait for the next one.
func (r *Room) maybeCommit() {
	if len(r.inflight) > 0 || len(r.pending) == 0 {
		return
	}
	batch := r.pending
	r.pending = nil
	r.inflight = batch
	from := batch[0].op.Seq - 1
	ops := make([]wire.Op, len(batch))
	last := map[*para]*accepted{}
	for i, a := range batch {
		ops[i] = a.op
		if a.para != nil {
			last[a.para] = a
		}
	}
	paras := make([]store.ParagraphUpdate, 0, len(last))
	for p, a := range last {
		paras = append(paras, store.ParagraphUpdate{ID: uuid.MustParse(p.w.ID), Text: a.text, Authors: toRuns(a.runs)})
	}
	st, doc, timeout := r.cfg.Store, r.doc, r.cfg.CommitTimeout
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		start := time.Now()
		err := st.CommitBatch(ctx, doc, from, ops, paras)
		r.commitDone <- commitResult{batch: batch, err: err, took: time.Since(start)}
	}()
}

// committed finishes a group commit: on success the batch becomes durable
// and is broadcast; on failure every op not yet committed is refused and
// memory is put back to what the database holds.
func (r *Room) committed(res commitResult) {
	r.inflight = nil
	st := r.state
	if res.err != nil {
		r.cfg.Logger.Warn("group commit failed", "document_id", r.doc, "ops", len(res.batch), "err", res.err)
		refused := append(res.batch, r.pending...)
		r.pending = nil
		for _, a := range refused {
			delete(r.acks, refKey{a.op.Participant, a.op.Ref})
		}
		r.rollback()
		for _, a := range refused {
			if a.sender != nil {
				if _, ok := r.members[a.sender]; ok {
					r.sendError(a.sender, a.op.Ref, wire.CodeUnavailable, "the edit could not be stored (database unavailable); it was not applied, resend it")
				}
			}
		}
		// The commit's outcome may be unknown (a lost COMMIT reply): reload
		// from the database before accepting anything else.
		r.broken = true
		return
	}
	ops := make([]wire.Op, len(res.batch))
	for i, a := range res.batch {
		ops[i] = a.op
		if a.para != nil {
			a.para.w.Text, a.para.w.Authors = a.text, toRuns(a.runs)
		}
	}
	st.durable = ops[len(ops)-1].Seq
	r.welcome = nil
	r.broadcast(encodeFrame(wire.Ops{Type: wire.TypeOps, Ops: ops}))
	st.trim(r.cfg.History, r.acks)
	r.maybeCommit()
}

// rollback discards every uncommitted op from memory.
func (r *Room) rollback() {
	st := r.state
	st.seq = st.durable
	for len(st.history) > 0 && st.history[len(st.history)-1].Seq > st.durable {
		st.history = st.history[:len(st.history)-1]
	}
	for _, p := range st.paras {
		for len(p.ops) > 0 && p.ops[len(p.ops)-1].seq > st.durable {
			p.ops = p.ops[:len(p.ops)-1]
		}
		p.text, p.runs = p.w.Text, toAuthorship(p.w.Authors)
	}
}
