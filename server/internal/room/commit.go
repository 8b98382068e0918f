package room

import (
	"context"
	"errors"
	"fmt"
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
// flight; ops accepted meanwhile wait for the next one. The live model is
// exactly the state after the batch at this moment, so the rows to write
// are read from it now.
//
// While the room is finding which op of a refused batch the database will
// not store (singles > 0), ops are committed one at a time, in order.
func (r *Room) maybeCommit() {
	if len(r.inflight) > 0 || len(r.pending) == 0 {
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
			m = r.state.durable.clone()
			if err := applyAccepted(m, batch[0]); err != nil {
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

// applyAccepted applies an accepted op to a model, as push does.
func applyAccepted(m *model, a *accepted) error {
	if a.after != nil {
		return m.setText(a.op, a.after.Text, a.after.Authors)
	}
	return m.apply(a.op)
}

func (r *Room) startCommit(batch []*accepted, sync *store.Sync) {
	r.inflight = batch
	from := batch[0].op.Seq - 1
	ops := make([]wire.Op, len(batch))
	for i, a := range batch {
		ops[i] = a.op
	}
	st, doc, timeout := r.cfg.Store, r.doc, r.cfg.CommitTimeout
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		start := time.Now()
		err := st.CommitBatch(ctx, doc, from, ops, sync)
		r.commitDone <- commitResult{batch: batch, err: err, took: time.Since(start)}
	}()
}

// rowsFor collects the rows a batch changed, from live: the model just
// after the batch.
func rowsFor(live *model, batch []*accepted) *store.Sync {
	s := &store.Sync{}
	paras := map[string]bool{}
	secs := map[string]bool{}
	props := map[string]bool{}
	notes := map[string]bool{}
	for _, a := range batch {
		t := a.touch
		for _, id := range t.paras {
			paras[id] = true
		}
		for _, id := range t.sections {
			secs[id] = true
		}
		for _, id := range t.proposals {
			props[id] = true
		}
		for _, id := range t.notes {
			notes[id] = true
		}
		for _, id := range t.deleted {
			s.DeletedParagraphs = append(s.DeletedParagraphs, uuid.MustParse(id))
		}
		if t.version != nil {
			s.Versions = append(s.Versions, *t.version)
		}
		if a.op.Kind == wire.KindFocus {
			f := live.focus
			s.Focus = &f
		}
	}
	for i, sec := range live.sections {
		if secs[sec.id] {
			s.Sections = append(s.Sections, store.SectionRow{ID: uuid.MustParse(sec.id), Position: i, Heading: sec.heading, Kind: sec.kind})
			for _, p := range sec.paras {
				paras[p.id] = true
			}
		}
	}
	for id := range paras {
		p := live.paras[id]
		if p == nil {
			continue // deleted later in the batch
		}
		pos := 0
		for i, q := range p.sec.paras {
			if q == p {
				pos = i
			}
		}
		s.Paragraphs = append(s.Paragraphs, store.ParagraphRow{
			ID: uuid.MustParse(p.id), Section: uuid.MustParse(p.sec.id), Position: pos,
			Label: p.label, Text: p.text, BaseText: p.baseText, Status: string(p.status), Authors: toRuns(p.runs),
		})
	}
	for id := range props {
		if pr := live.proposals[id]; pr != nil {
			pos := 0
			for i, pid := range live.propOrder {
				if pid == id {
					pos = i
				}
			}
			s.Proposals = append(s.Proposals, store.ProposalRow{Proposal: pr.p, Section: pr.section, Paragraph: pr.paragraph, Position: pos})
		}
	}
	for i, n := range live.notes {
		if notes[n.ID] {
			s.Notes = append(s.Notes, store.NoteRow{Note: n, Position: i})
		}
	}
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
		refused := append(res.batch, r.pending...)
		r.pending = nil
		r.singles = 0 // the room reloads; there is nothing left to search
		r.forget(refused)
		st.rollback()
		r.refuseAll(refused, "the change could not be stored (database unavailable); it was not applied, resend it")
		// The commit's outcome may be unknown (a lost COMMIT reply): reload
		// from the database before accepting anything else.
		r.broken = true
		return
	}
	ops := make([]wire.Op, len(res.batch))
	for i, a := range res.batch {
		ops[i] = a.op
		if err := st.durable.apply(a.op); err != nil {
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
	if r.behind > st.durableSeq() {
		r.rebase(r.behind)
		return
	}
	r.maybeCommit()
}

// refusedAsData handles a batch the database refused for what it holds
// (store.IsDataError): nothing of it was written, so memory goes back to
// the durable state without reloading. A single op is refused on its own;
// a larger batch is worked out again and committed one op at a time, so
// only the op at fault is refused and every other commits, in order.
func (r *Room) refusedAsData(res commitResult) {
	st := r.state
	redo := make([]*accepted, 0, len(res.batch)+len(r.pending))
	redo = append(append(redo, res.batch...), r.pending...)
	r.pending = nil
	r.forget(redo)
	st.rollback()
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
	for _, a := range redo {
		r.redo(a)
	}
	r.maybeCommit()
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
	doc := r.state.durable.toWire()
	// toWire shares these slices with the model, which the writer must not
	// see change.
	doc.Notes = append([]wire.Note{}, doc.Notes...)
	doc.Proposers = append([]wire.Proposer{}, doc.Proposers...)
	st, id, timeout := r.cfg.Store, r.doc, r.cfg.CommitTimeout
	r.hub.wg.Add(1)
	go func() {
		defer r.hub.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		err := st.WriteSnapshot(ctx, id, doc)
		cancel()
		r.post(msgSnapshotDone{seq: doc.Seq, err: err})
	}()
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

// catchUp is called when another node has committed up to seq.
func (r *Room) catchUp(seq int64) {
	if r.state == nil || seq <= r.state.durableSeq() {
		return
	}
	r.behind = max(r.behind, seq)
	if len(r.inflight) > 0 {
		return // committed() rebases once the commit in flight is done
	}
	r.rebase(r.behind)
}

// rebase loads the ops other nodes committed after our durable seq, applies
// them, sends them to our members, and works out again every op we
// accepted but have not committed, on top of them, in the same order: as
// if ours had arrived after theirs, which in the log they do.
func (r *Room) rebase(to int64) {
	st := r.state
	redo := r.pending
	r.pending = nil
	r.forget(redo)
	st.rollback()
	ctx, cancel := context.WithTimeout(context.Background(), r.cfg.CommitTimeout)
	ops, err := r.cfg.Store.OpsBetween(ctx, r.doc, st.durableSeq(), to)
	cancel()
	if err == nil {
		err = r.applyRemote(ops)
	}
	if err != nil {
		r.cfg.Logger.Warn("catching up with other nodes failed", "document_id", r.doc, "err", err)
		r.refuseAll(redo, "the change could not be stored; it was not applied, resend it")
		r.broken = true
		return
	}
	if r.behind <= st.durableSeq() {
		r.behind = 0
	}
	for _, a := range redo {
		r.redo(a)
	}
	r.maybeCommit()
}

// applyRemote applies committed ops from the log to both models.
func (r *Room) applyRemote(ops []wire.Op) error {
	st := r.state
	for _, op := range ops {
		if op.Seq != st.durableSeq()+1 {
			return fmt.Errorf("op log gap: got seq %d after %d", op.Seq, st.durableSeq())
		}
		if err := st.durable.apply(op); err != nil {
			return err
		}
		st.record(op)
		if op.Participant != "" && op.Ref != "" {
			r.acks[refKey{op.Participant, op.Ref}] = op.Seq
		}
		if op.Kind == wire.KindVersionFreeze {
			if d, err := opData(op); err == nil && d.Version != nil {
				r.versions[d.Version.Label] = true
			}
		}
	}
	st.seq = st.durableSeq()
	st.live = st.durable.clone()
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
		r.onFreeze(*a.freeze)
	case a.sender == nil:
		a.finish(errUnavailable)
	case !r.isMember(a.sender):
		// Gone: it will resend under the same ref when it reconnects.
	case a.edit != nil:
		r.doEdit(a.sender, *a.edit)
	case a.action != nil:
		r.doAction(a.sender, *a.action)
	}
}

func (r *Room) isMember(m *Member) bool {
	_, ok := r.members[m]
	return ok
}

// forget drops what accepting ops recorded, before they are redone or
// refused.
func (r *Room) forget(list []*accepted) {
	for _, a := range list {
		delete(r.acks, refKey{a.op.Participant, a.op.Ref})
		if a.freeze != nil {
			delete(r.versions, a.info.Label)
		}
	}
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
