package room

import (
	"encoding/json"
	"time"

	"github.com/draftroom/draftroom/server/internal/document"
	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/wire"
)

// Membership: joins and their welcome, presence, and the frames sent to
// one member or all.

func (r *Room) onJoin(j msgJoin) {
	if r.closing {
		j.reply <- joinReply{err: ErrClosed}
		return
	}
	if err := j.ctx.Err(); err != nil {
		j.reply <- joinReply{err: err} // the caller has gone (see join)
		return
	}
	if r.idleTimer != nil {
		r.idleTimer.Stop()
		r.idleTimer = nil
	}
	// Everything committed has been broadcast already (publish sends at
	// once), so the welcome is cut at the durable seq and nobody is sent
	// an op twice.
	m := &Member{room: r, who: j.who, peer: j.peer, h: -1}
	if draft.Role(j.who.Role) != draft.RoleObserver {
		m.h = r.handles.Person(j.who.person())
	}
	st := r.state
	you := wire.You{Participant: j.who.ID, Role: j.who.Role, Delegation: j.who.Delegation, Name: j.who.Name}
	catchUp, ok := st.committedSince(j.since)
	if ok {
		// The catch-up is encoded first: it may give handles to paragraphs
		// and authors of old ops, which the welcome's table must then hold.
		frames := r.opsFrames(catchUp, false)
		m.peer.Send(r.welcomeFrame(you, false))
		for _, f := range frames {
			m.peer.Send(f)
		}
	} else {
		m.peer.Send(r.welcomeFrame(you, true))
	}
	r.members[m] = struct{}{}
	r.markPresence()
	j.reply <- joinReply{m: m}
}

// welcomeFrame encodes the durable document once per seq, and the handles
// once per size of their table; only "you" differs between members, so it
// is spliced in. Without withDoc the welcome promises a catch-up instead.
func (r *Room) welcomeFrame(you wire.You, withDoc bool) *wire.Frame {
	var doc []byte
	if withDoc {
		if r.welcome == nil {
			d := r.state.durable.ToWire()
			// Every paragraph gets its handle before the table is cut.
			for _, s := range d.Sections {
				for _, p := range s.Paragraphs {
					r.handles.Paragraph(p.ID)
				}
			}
			r.welcome = encodeFrame(d)
		}
		doc = r.welcome.Data()
	}
	if r.table == nil || r.tableSize != r.handles.Size() {
		r.table, r.tableSize = wire.WelcomeTable(r.handles.Table()), r.handles.Size()
	}
	return wire.NewFrame(wire.WelcomeFrame(r.state.durableSeq(), encodeFrame(you).Data(), r.table, doc))
}

// onPresence records which paragraph a member is in: null, or a paragraph
// of this document (anything else would go to every member, unchecked).
func (r *Room) onPresence(m *Member, para *string) {
	if para != nil && (r.state == nil || !r.state.live.HasParagraph(*para)) {
		r.sendError(m, "", wire.CodeNotFound, "presence: no paragraph with that id in this document")
		return
	}
	m.para = para
	r.markPresence()
}

// onAbandon removes the member a join made for a caller that stopped
// waiting, if it made one; a join still waiting for a load is refused
// when its turn comes, its caller's context being done.
func (r *Room) onAbandon(a msgAbandon) {
	select {
	case rep := <-a.reply:
		if rep.m != nil {
			r.remove(rep.m)
		}
	default:
	}
}

func (r *Room) isMember(m *Member) bool {
	_, ok := r.members[m]
	return ok
}

func (r *Room) remove(m *Member) {
	if r.isMember(m) {
		delete(r.members, m)
		r.markPresence()
	}
}

// drop removes a member that cannot keep up and closes it as slow.
func (r *Room) drop(m *Member) {
	r.cfg.Metrics.Slow()
	m.peer.Close(wire.CloseSlow, "slow: reconnect with since=")
	r.remove(m)
}

func (r *Room) send(m *Member, f *wire.Frame) {
	if !m.peer.Send(f) {
		r.drop(m)
	}
}

func (r *Room) broadcast(f *wire.Frame) {
	for m := range r.members {
		r.send(m, f) // a member dropped meanwhile leaves the map; ranging on is safe
	}
}

func (r *Room) sendError(m *Member, ref, code, msg string) {
	r.refuse(m, ref, &document.Error{Code: code, Message: msg})
}

// refuse answers a request with the refusal err (document.Refusal).
func (r *Room) refuse(m *Member, ref string, err error) {
	f := document.Refusal(ref, err)
	r.cfg.Metrics.Refused(f.Code)
	r.send(m, encodeFrame(f))
}

// markPresence schedules a presence frame. Each frame lists every member
// but observers, and goes to every member, so its cost grows with the
// square of the room: large rooms get them less often (100 ms up to 100
// members, 1 s at 1,000).
func (r *Room) markPresence() {
	r.presenceDirty = true
	if r.presenceTimer == nil {
		r.presenceTimer = time.NewTimer(r.cfg.PresenceEvery * time.Duration(max(1, len(r.members)/100)))
	}
}

func (r *Room) sendPresence() {
	if !r.presenceDirty {
		return
	}
	r.presenceDirty = false
	list := make([]wire.PresenceEntry, 0, min(len(r.members), 256))
	observers := 0
	for m := range r.members {
		if draft.Role(m.who.Role) == draft.RoleObserver {
			observers++
			continue
		}
		list = append(list, wire.PresenceEntry{H: m.h, Participant: m.who.ID, Name: m.who.Name, Role: m.who.Role, Delegation: m.who.Delegation, Para: m.para})
	}
	r.broadcast(encodeFrame(wire.Presence{Type: wire.TypePresence, Participants: list, Observers: observers}))
}

// publish broadcasts committed ops at once, as one ops frame (or more, of
// at most MaxFrameBytes each) encoded once for every member. There is no
// clock: a member whose connection is busy writing gets the frames queued
// meanwhile in one write (the transport joins queued ops frames), so
// batching grows with load instead of waiting on a timer.
func (r *Room) publish(ops []wire.Op) {
	for _, f := range r.opsFrames(ops, true) {
		r.broadcast(f)
	}
	for _, op := range ops {
		r.cfg.Metrics.Broadcast(op.At)
	}
}

// opsFrames encodes ops as ops frames of at most MaxFrameBytes each
// (wire.OpsFrames), with the room's handles: broadcast says they go to
// every member (see wire.Handles.Live).
func (r *Room) opsFrames(ops []wire.Op, broadcast bool) []*wire.Frame {
	live := make([]wire.LiveOp, len(ops))
	for i, op := range ops {
		live[i] = r.handles.Live(op, broadcast)
	}
	enc := wire.OpsFrames(live, r.cfg.MaxFrameBytes)
	out := make([]*wire.Frame, len(enc))
	for i, b := range enc {
		out[i] = wire.NewOpsFrame(b)
	}
	return out
}

func encodeFrame(v any) *wire.Frame {
	b, err := json.Marshal(v)
	if err != nil {
		// Every frame is built from our own types; failing to encode one is a bug.
		panic("room: encoding frame: " + err.Error())
	}
	return wire.NewFrame(b)
}

// Peer is the transport under a room member: a websocket connection in
// production, a channel in tests. Send must not block: it reports false
// when the peer's bounded queue is full, and the room then drops the peer.
type Peer interface {
	Send(f *wire.Frame) bool
	// Close closes the connection with a close code and reason. It must not
	// block and may be called more than once.
	Close(code int, reason string)
}
