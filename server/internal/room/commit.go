package room

import (
	"context"
	"encoding/json"
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
func (r *Room) maybeCommit() {
	if len(r.inflight) > 0 || len(r.pending) == 0 {
		return
	}
	batch := r.pending
	r.pending = nil
	r.inflight = batch
	from := batch[0].op.Seq - 1
	ops := make([]wire.Op, len(batch))
	for i, a := range batch {
		ops[i] = a.op
	}
	sync := r.rowsFor(batch)
	// A snapshot every SnapshotEvery ops keeps rebuilding any seq cheap.
	last := batch[len(batch)-1].op.Seq
	if last/r.cfg.SnapshotEvery > from/r.cfg.SnapshotEvery {
		sync.Snapshot = r.state.live.toWire()
		sync.Snapshot.Seq = last
		b, err := json.Marshal(sync.Snapshot)
		if err == nil {
			sync.SnapshotJSON = b
		}
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

// rowsFor collects the rows a batch changed, from the live model.
func (r *Room) rowsFor(batch []*accepted) *store.Sync {
	live := r.state.live
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
	if res.err != nil {
		r.cfg.Logger.Warn("group commit failed", "document_id", r.doc, "ops", len(res.batch), "err", res.err)
		refused := append(res.batch, r.pending...)
		r.pending = nil
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
	st.trim(r.cfg.History, r.acks)
	if r.behind > st.durableSeq() {
		r.rebase(r.behind)
		return
	}
	r.maybeCommit()
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
		st.history = append(st.history, op)
		st.recordText(op)
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
	for _, a := range list {
		a.finish(errUnavailable)
		for _, m := range append([]*Member{a.sender}, a.waiters...) {
			if m != nil && r.isMember(m) {
				r.sendError(m, a.op.Ref, wire.CodeUnavailable, msg)
			}
		}
	}
}
