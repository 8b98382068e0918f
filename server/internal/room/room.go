package room

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"

	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/internal/store"
	"github.com/draftroom/draftroom/server/wire"
)

// Room is one document's live room. One goroutine (run) owns everything
// below the channels, so edits to a document are handled one at a time.
type Room struct {
	hub  *Hub
	cfg  *Config
	doc  uuid.UUID
	refs int // members plus joins in progress; guarded by hub.mu

	in       chan any
	quit     chan struct{}
	quitOnce sync.Once
	done     chan struct{}

	// Owned by run.
	state      *docState
	broken     bool // memory may differ from the database: reload before the next edit
	members    map[*Member]struct{}
	acks       map[refKey]int64 // (participant, ref) → seq, for ops in history
	pending    []*accepted      // accepted, waiting for the next commit
	inflight   []*accepted      // being committed
	commitDone chan commitResult
	welcome    *Frame          // cached full-document welcome body for the durable seq
	versions   map[string]bool // labels of frozen versions
	closing    bool
	behind     int64 // another node committed up to this seq; catch up
	// singles > 0: commit that many more ops one at a time (a batch the
	// database refused is being searched for the op at fault).
	singles int
	// A snapshot is due (snapshotWanted) or being written (snapshotting).
	snapshotWanted, snapshotting bool

	presenceDirty bool
	presenceTimer *time.Timer
	idleTimer     *time.Timer

	// Committed ops waiting to go out: at most one ops frame per member per
	// BroadcastEvery, however many group commits land in between.
	outbox     []wire.Op
	lastFlush  time.Time
	flushTimer *time.Timer
}

type refKey struct{ participant, ref string }

func newRoom(h *Hub, doc uuid.UUID) *Room {
	return &Room{
		hub: h, cfg: &h.cfg, doc: doc,
		in:         make(chan any, 4096),
		quit:       make(chan struct{}),
		done:       make(chan struct{}),
		members:    map[*Member]struct{}{},
		acks:       map[refKey]int64{},
		commitDone: make(chan commitResult, 1),
	}
}

// Messages into the room.
type (
	msgJoin struct {
		who   Participant
		peer  Peer
		since int64
		reply chan joinReply
	}
	joinReply struct {
		m   *Member
		err error
	}
	msgLeave struct{ m *Member }
	msgEdit  struct {
		m *Member
		e wire.Edit
	}
	msgAction struct {
		m *Member
		a wire.Action
	}
	msgPresence struct {
		m    *Member
		para *string
	}
	msgIdle   struct{}
	msgRemote struct{ seq int64 }
)

// post hands a message to the room; it drops it if the room has stopped.
func (r *Room) post(msg any) {
	select {
	case r.in <- msg:
	case <-r.done:
	}
}

func (r *Room) shutdown() { r.quitOnce.Do(func() { close(r.quit) }) }

func (r *Room) join(ctx context.Context, who Participant, peer Peer, since int64) (*Member, error) {
	reply := make(chan joinReply, 1)
	select {
	case r.in <- msgJoin{who: who, peer: peer, since: since, reply: reply}:
	case <-r.done:
		return nil, errRoomGone
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case rep := <-reply:
		return rep.m, rep.err
	case <-r.done:
		return nil, errRoomGone
	case <-ctx.Done():
		// The room may still add the member; it will be removed when the
		// peer's Send fails or the caller closes it.
		return nil, ctx.Err()
	}
}

// poll reads the document's seq from the database without blocking the
// room, and posts it back.
func (r *Room) poll() {
	st, doc := r.cfg.Store, r.doc
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if seq, err := st.DocumentSeq(ctx, doc); err == nil {
			select {
			case r.in <- msgRemote{seq: seq}:
			case <-r.done:
			default:
			}
		}
	}()
}

func (r *Room) run() {
	defer close(r.done)
	log := r.cfg.Logger.With("document_id", r.doc)
	quit := r.quit
	pollTicker := time.NewTicker(r.cfg.PollEvery)
	defer pollTicker.Stop()
	for {
		var presence, idle, flush <-chan time.Time
		if r.presenceTimer != nil {
			presence = r.presenceTimer.C
		}
		if r.flushTimer != nil {
			flush = r.flushTimer.C
		}
		if r.idleTimer != nil {
			idle = r.idleTimer.C
		}
		select {
		case msg := <-r.in:
			r.handle(msg)
		case res := <-r.commitDone:
			r.committed(res)
		case <-presence:
			r.presenceTimer = nil
			r.sendPresence()
		case <-flush:
			r.flushTimer = nil
			r.flush()
		case <-idle:
			r.idleTimer = nil
			if len(r.members) == 0 && r.hub.tryRemove(r) {
				log.Debug("room closed: idle")
				r.drain()
				return
			}
		case <-pollTicker.C:
			if r.state != nil && !r.closing {
				r.poll()
			}
		case <-quit:
			quit = nil
			r.closing = true
		}
		if r.closing && len(r.inflight) == 0 && len(r.pending) == 0 {
			r.flush()
			r.hub.tryRemove(r)
			for m := range r.members {
				m.peer.Close(websocket.CloseGoingAway, "server shutting down")
			}
			r.members = nil
			r.drain()
			log.Debug("room closed: shutdown")
			return
		}
	}
}

// drain answers joins that raced with the room's end, so no caller waits.
func (r *Room) drain() {
	for {
		select {
		case msg := <-r.in:
			if j, ok := msg.(msgJoin); ok {
				j.reply <- joinReply{err: errRoomGone}
			}
		default:
			return
		}
	}
}

func (r *Room) handle(msg any) {
	switch m := msg.(type) {
	case msgJoin:
		r.onJoin(m)
	case msgLeave:
		r.remove(m.m)
	case msgEdit:
		if _, ok := r.members[m.m]; ok {
			r.onEdit(m.m, m.e)
		}
	case msgAction:
		if _, ok := r.members[m.m]; ok {
			r.onAction(m.m, m.a)
		}
	case msgPresence:
		if _, ok := r.members[m.m]; ok {
			r.onPresence(m.m, m.para)
		}
	case msgFreeze:
		r.onFreeze(m)
	case msgRemote:
		r.catchUp(m.seq)
	case msgRename:
		r.onRename(m)
	case msgSnapshotDone:
		r.snapshotDone(m)
	case msgIdle:
		if len(r.members) == 0 && r.idleTimer == nil {
			r.idleTimer = time.NewTimer(r.cfg.IdleClose)
		}
	}
}

// load reads the document and its recent ops from the database.
func (r *Room) load() error {
	ctx, cancel := context.WithTimeout(context.Background(), r.cfg.CommitTimeout)
	defer cancel()
	rs, err := r.cfg.Store.LoadRoom(ctx, r.doc, r.cfg.History)
	if err != nil {
		return err
	}
	st, err := newDocState(rs)
	if err != nil {
		return err
	}
	st.trim(r.cfg.History, r.cfg.MaxHistoryBytes, map[refKey]int64{})
	r.state = st
	r.acks = map[refKey]int64{}
	for _, op := range st.history {
		if op.Ref != "" && op.Participant != "" {
			r.acks[refKey{op.Participant, op.Ref}] = op.Seq
		}
	}
	r.versions = map[string]bool{}
	for _, l := range rs.Versions {
		r.versions[l] = true
	}
	r.welcome = nil
	r.broken = false
	return nil
}

func (r *Room) onJoin(j msgJoin) {
	if r.closing {
		j.reply <- joinReply{err: ErrClosed}
		return
	}
	if r.state == nil || r.broken {
		if err := r.recover(); err != nil {
			j.reply <- joinReply{err: err}
			return
		}
	}
	if r.idleTimer != nil {
		r.idleTimer.Stop()
		r.idleTimer = nil
	}
	// Everyone already here gets what is committed before the newcomer's
	// welcome is cut, so nobody is sent an op twice.
	r.flush()
	m := &Member{room: r, who: j.who, peer: j.peer}
	st := r.state
	you := wire.You{Participant: j.who.ID, Role: j.who.Role, Delegation: j.who.Delegation, Name: j.who.Name}
	catchUp, ok := st.committedSince(j.since)
	if ok {
		m.peer.Send(encodeFrame(wire.Welcome{Type: wire.TypeWelcome, Seq: st.durableSeq(), You: you}))
		for _, f := range opsFrames(catchUp, r.cfg.MaxFrameBytes) {
			m.peer.Send(f)
		}
	} else {
		m.peer.Send(r.welcomeFrame(you))
	}
	r.members[m] = struct{}{}
	r.markPresence()
	j.reply <- joinReply{m: m}
}

// welcomeFrame encodes the durable document once per seq; only "you"
// differs between members, so it is spliced in.
func (r *Room) welcomeFrame(you wire.You) *Frame {
	if r.welcome == nil {
		r.welcome = encodeFrame(r.state.durable.toWire())
	}
	youJSON := encodeFrame(you).Data()
	b := make([]byte, 0, len(r.welcome.Data())+len(youJSON)+64)
	b = fmt.Appendf(b, `{"type":"welcome","seq":%d,"you":`, r.state.durableSeq())
	b = append(b, youJSON...)
	b = append(b, `,"document":`...)
	b = append(b, r.welcome.Data()...)
	b = append(b, '}')
	return NewFrame(b)
}

// onPresence records which paragraph a member is in: null, or a paragraph
// of this document (anything else would go to every member, unchecked).
func (r *Room) onPresence(m *Member, para *string) {
	if para != nil && (r.state == nil || r.state.live.paras[*para] == nil) {
		r.sendError(m, "", wire.CodeNotFound, "presence: no paragraph with that id in this document")
		return
	}
	m.para = para
	r.markPresence()
}

func (r *Room) remove(m *Member) {
	if _, ok := r.members[m]; !ok {
		return
	}
	delete(r.members, m)
	r.markPresence()
}

// drop removes a member that cannot keep up and closes it as slow.
func (r *Room) drop(m *Member) {
	r.cfg.Metrics.Slow()
	m.peer.Close(wire.CloseSlow, "slow: reconnect with since=")
	r.remove(m)
}

func (r *Room) send(m *Member, f *Frame) {
	if !m.peer.Send(f) {
		r.drop(m)
	}
}

func (r *Room) broadcast(f *Frame) {
	for m := range r.members {
		if !m.peer.Send(f) {
			r.drop(m)
		}
	}
}

func (r *Room) sendError(m *Member, ref, code, msg string) {
	r.cfg.Metrics.Refused(code)
	r.send(m, encodeFrame(wire.ErrorFrame{Type: wire.TypeError, Ref: ref, Code: code, Message: msg}))
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
		if m.who.Role == "observer" {
			observers++
			continue
		}
		list = append(list, wire.PresenceEntry{Participant: m.who.ID, Name: m.who.Name, Role: m.who.Role, Delegation: m.who.Delegation, Para: m.para})
	}
	r.broadcast(encodeFrame(wire.Presence{Type: wire.TypePresence, Participants: list, Observers: observers}))
}

// recover reloads the room from the database after a failed commit (or
// on first use), and broadcasts any ops the database has that members have
// not seen: a commit whose outcome was unknown may have succeeded.
func (r *Room) recover() error {
	var before int64 = -1
	if r.state != nil {
		before = r.state.durableSeq()
	}
	err := r.load()
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		// A restarted database leaves dead connections in the pool; the
		// failed one is discarded, so one more try uses a fresh one.
		err = r.load()
	}
	if err != nil {
		r.broken = true
		if errors.Is(err, store.ErrNotFound) {
			return err
		}
		return fmt.Errorf("%w: %v", errUnavailable, err)
	}
	if before >= 0 && r.state.durableSeq() > before {
		if ops, ok := r.state.committedSince(before); ok && len(ops) > 0 {
			r.publish(ops)
		}
	}
	return nil
}

var errUnavailable = errors.New("the database is unavailable")

// Member is one connection in a room.
type Member struct {
	room      *Room
	who       Participant
	peer      Peer
	para      *string // presence; owned by the room
	leaveOnce sync.Once
}

// Edit hands an edit to the room.
func (m *Member) Edit(e wire.Edit) { m.room.post(msgEdit{m: m, e: e}) }

// Action hands an action (status, focus, structure, proposals, notes) to
// the room.
func (m *Member) Action(a wire.Action) { m.room.post(msgAction{m: m, a: a}) }

// Presence tells the room which paragraph the member is in.
func (m *Member) Presence(para *string) { m.room.post(msgPresence{m: m, para: para}) }

// Leave removes the member. It is safe to call more than once.
func (m *Member) Leave() {
	m.leaveOnce.Do(func() {
		m.room.post(msgLeave{m: m})
		m.room.hub.release(m.room)
	})
}

func actorOf(who Participant) draft.Actor { return who.actor() }

// publish queues committed ops for broadcast. A quiet room sends them at
// once; a busy one gathers what commits within BroadcastEvery into one
// frame, so each member gets one write per tick instead of one per commit.
func (r *Room) publish(ops []wire.Op) {
	r.outbox = append(r.outbox, ops...)
	since := time.Since(r.lastFlush)
	if since >= r.cfg.BroadcastEvery {
		r.flush()
		return
	}
	if r.flushTimer == nil {
		r.flushTimer = time.NewTimer(r.cfg.BroadcastEvery - since)
	}
}

// flush sends the outbox as one ops frame, encoded once.
func (r *Room) flush() {
	if r.flushTimer != nil {
		r.flushTimer.Stop()
		r.flushTimer = nil
	}
	if len(r.outbox) == 0 {
		return
	}
	for _, f := range opsFrames(r.outbox, r.cfg.MaxFrameBytes) {
		r.broadcast(f)
	}
	for _, op := range r.outbox {
		r.cfg.Metrics.Broadcast(op.At)
	}
	r.outbox = nil
	r.lastFlush = time.Now()
}
