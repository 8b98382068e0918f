package room

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/internal/document"
	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/internal/store"
	"github.com/draftroom/draftroom/server/wire"
)

// ErrVersionExists means the label is taken.
var ErrVersionExists = errors.New("a version with that label exists")

// ErrInvalidLabel means a version label cannot be used.
var ErrInvalidLabel = errors.New("invalid version label")

type msgFreeze struct {
	who   Participant
	label string
	reply chan freezeReply
}

type freezeReply struct {
	info wire.VersionInfo
	err  error
}

// Freeze freezes the document's current state as a version. It returns
// after the version is committed, with its op in everyone's stream.
func (h *Hub) Freeze(ctx context.Context, doc uuid.UUID, who Participant, label string) (wire.VersionInfo, error) {
	if label != "" { // "" is the next free Rev.N
		// (This also refuses what the database could not store.)
		if err := draft.CheckVersionLabel(label); err != nil {
			return wire.VersionInfo{}, fmt.Errorf("%w: %w", ErrInvalidLabel, err)
		}
	}
	r, err := h.acquire(doc)
	if err != nil {
		return wire.VersionInfo{}, err
	}
	defer h.release(r)
	reply := make(chan freezeReply, 1)
	rep, err := ask(ctx, r, msgFreeze{who: who, label: label, reply: reply}, reply)
	if errors.Is(err, errRoomGone) {
		return wire.VersionInfo{}, ErrClosed
	}
	if err != nil {
		return wire.VersionInfo{}, err
	}
	return rep.info, rep.err
}

func (r *Room) onFreeze(f msgFreeze) {
	if r.closing {
		f.reply <- freezeReply{err: ErrClosed}
		return
	}
	label := f.label
	if label == "" {
		label = document.NextLabel(r.versions)
	}
	if r.versions[label] {
		f.reply <- freezeReply{err: fmt.Errorf("%w: %q", ErrVersionExists, label)}
		return
	}
	st := r.state
	now := r.cfg.Now().UTC().Truncate(time.Microsecond)
	v := st.live.Freeze(label, st.seq+1, now)
	var createdBy *uuid.UUID
	if id, err := uuid.Parse(f.who.ID); err == nil {
		createdBy = &id
	}
	raw, _ := json.Marshal(wire.OpData{Version: &v.Info})
	a := &accepted{
		op: wire.Op{Kind: wire.KindVersionFreeze, Author: f.who.actor().Author(), Delegation: f.who.Delegation,
			Participant: f.who.ID, Ref: "freeze:" + label, At: now, Data: raw},
		version: &store.VersionRow{Label: label, Seq: v.Info.Seq, Content: v.Content, SHA256: v.Info.SHA256, Counts: v.Counts, CreatedBy: createdBy, CreatedAt: now},
		freeze:  &f,
		info:    v.Info,
	}
	r.versions[label] = true
	r.push(a)
}
