package room

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/draftroom/draftroom/server/internal/document"
	"github.com/draftroom/draftroom/server/internal/store"
	"github.com/draftroom/draftroom/server/wire"
)

type commitResult struct {
	batch []*accepted
	err   error
	took  time.Duration
}

// maybeCommit starts a group commit of everything pending unless one is in
// flight; ops accepted meanwhile wait for the next one. The live model is
// exactly the state after the batch at this moment, so the rows to write
// are read from it now.
//
// While the room is finding which op of a refused batch the database will
// not store (singles > 0), ops are committed one at a time, in order.
func (r *Room) maybeCommit() {
	if len(r.inflight) > 0 || len(r.pending) == 0 || r.loading || r.rebasing {
		return
	}
	batch := r.pending
	r.pending = nil
	m := r.state.live
	if r.singles > 0 {
		r.singles--
		if len(batch) > 1 {
			r.pending = append([]*accepted(nil), batch[1:]...)
			batch = batch[:1:1]
			// The live model holds every pending op; this op's rows are
			// those of the durable model with it alone applied.
			m = r.state.durable.Clone()
			if err := batch[0].applyTo(m); err != nil {
				// It applied to the live model just as it was; failing now is a bug.
				r.cfg.Logger.Error("accepted op does not apply to the durable model", "document_id", r.doc, "err", err)
				m = r.state.live
				batch = append(batch, r.pending...)
				r.pending = nil
			}
		}
	}
	r.startCommit(batch, rowsFor(m, batch))
}

func (r *Room) startCommit(batch []*accepted, sync *store.Sync) {
	r.inflight = batch
	from := batch[0].op.Seq - 1
	ops := make([]wire.Op, len(batch))
	for i, a := range batch {
		ops[i] = a.op
	}
	st, doc, timeout := r.cfg.Store, r.doc, r.cfg.CommitTimeout
	r.hub.wg.Add(1)
	go func() {
		defer r.hub.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		start := time.Now()
		err := st.CommitBatch(ctx, doc, from, ops, sync)
		r.commitDone <- commitResult{batch: batch, err: err, took: time.Since(start)}
	}()
}

// rowsFor collects the rows a batch changed, from m: the model just
// after the batch.
func rowsFor(m *document.Model, batch []*accepted) *store.Sync {
	touched := make([]document.Touched, len(batch))
	s := &store.Sync{}
	for i, a := range batch {
		touched[i] = a.touch
		if a.version != nil {
			s.Versions = append(s.Versions, *a.version)
		}
	}
	s.Rows = m.Rows(touched...)
	return s
}

// committed finishes a group commit: on success the batch becomes durable
// and is broadcast. If another node committed first, the batch is worked
// out again on top of its ops. On any other failure every op not yet
// committed is refused and memory is put back to what the database holds.
func (r *Room) committed(res commitResult) {
	r.inflight = nil
	st := r.state
	var conflict *store.ConflictError
	if errors.As(res.err, &conflict) {
		r.pending = append(res.batch, r.pending...)
		r.rebase(conflict.Found)
		return
	}
	if res.err != nil && store.IsDataError(res.err) {
		r.refusedAsData(res)
		return
	}
	if res.err != nil {
		r.cfg.Logger.Warn("group commit failed", "document_id", r.doc, "ops", len(res.batch), "err", res.err)
		r.singles = 0 // the room reloads; there is nothing left to search
		r.refuseAll(r.unwind(res.batch), "the change could not be stored (database unavailable); it was not applied, resend it")
		// The commit's outcome may be unknown (a lost COMMIT reply): reload
		// from the database before accepting anything else.
		r.broken = true
		return
	}
	ops := make([]wire.Op, len(res.batch))
	for i, a := range res.batch {
		ops[i] = a.op
		if err := st.durable.Apply(a.op); err != nil {
			// The live model applied it; the durable one must too.
			r.cfg.Logger.Error("committed op does not apply to the durable model", "err", err)
			r.broken = true
		}
	}
	r.welcome = nil
	r.publish(ops)
	r.cfg.Metrics.Committed(len(ops), res.took)
	for _, a := range res.batch {
		a.finish(nil)
	}
	st.trim(r.cfg.History, r.cfg.MaxHistoryBytes, r.acks)
	// A snapshot every SnapshotEvery ops keeps rebuilding any seq cheap.
	// It is written after the commit and apart from it: a snapshot that
	// fails (or is slow) never fails or holds up ops.
	from, last := res.batch[0].op.Seq-1, res.batch[len(res.batch)-1].op.Seq
	if last/r.cfg.SnapshotEvery > from/r.cfg.SnapshotEvery {
		r.snapshotWanted = true
		r.maybeSnapshot()
	}
	r.catchUp(0) // another node's commits first, if any
	r.maybeCommit()
}

// refusedAsData handles a batch the database refused for what it holds
// (store.IsDataError): nothing of it was written, so memory goes back to
// the durable state without reloading. A single op is refused on its own;
// a larger batch is worked out again and committed one op at a time, so
// only the op at fault is refused and every other commits, in order.
func (r *Room) refusedAsData(res commitResult) {
	redo := r.unwind(res.batch)
	if len(res.batch) == 1 {
		bad := res.batch[0]
		r.cfg.Logger.Warn("the database refused an op; refusing it alone", "document_id", r.doc,
			"seq", bad.op.Seq, "kind", bad.op.Kind, "participant_id", bad.op.Participant, "err", res.err)
		err := errNotStorable
		if bad.freeze != nil && store.IsUniqueViolation(res.err) {
			// Another node froze a version under this label first.
			err = fmt.Errorf("%w: %q", ErrVersionExists, bad.info.Label)
		}
		r.refuseWith([]*accepted{bad}, wire.CodeInvalid, "the database cannot store this change; it was not applied", err)
		redo = redo[1:]
	} else {
		r.cfg.Logger.Warn("the database refused a batch; committing its ops one at a time", "document_id", r.doc, "ops", len(res.batch), "err", res.err)
		r.singles = len(res.batch)
	}
	r.redoAll(redo)
}

var errNotStorable = errors.New("the database cannot store this change")

// msgSnapshotDone reports a snapshot write.
type msgSnapshotDone struct {
	seq int64
	err error
}

// maybeSnapshot writes the durable document as a snapshot, unless one is
// being written: then it is taken when that one is done, at the seq the
// room has reached by then.
func (r *Room) maybeSnapshot() {
	if !r.snapshotWanted || r.snapshotting || r.closing {
		return
	}
	r.snapshotWanted, r.snapshotting = false, true
	doc := r.state.durable.ToWire()
	st, id, timeout := r.cfg.Store, r.doc, r.cfg.CommitTimeout
	r.async(func() any {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		return msgSnapshotDone{seq: doc.Seq, err: st.WriteSnapshot(ctx, id, doc)}
	})
}

func (r *Room) snapshotDone(m msgSnapshotDone) {
	r.snapshotting = false
	if m.err != nil {
		// Nothing is lost: the document at a later seq is rebuilt from an
		// earlier snapshot and the log.
		r.cfg.Logger.Warn("writing a snapshot failed", "document_id", r.doc, "seq", m.seq, "err", m.err)
	}
	r.maybeSnapshot()
}
