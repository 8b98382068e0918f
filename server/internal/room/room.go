package room

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/wire"
)

// Room is one document's live room. One goroutine (run) owns everything
// below the channels, so edits to a document are handled one at a time.
// It never waits on I/O: commits, loads, catch-up reads, snapshots and
// polls run in goroutines of their own and report back as messages.
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
	welcome    *wire.Frame // cached full-document welcome body for the durable seq
	// handles are the short names ops frames give paragraphs and authors,
	// for the room's life (wire.Handles); table caches their encoding
	// for welcomes, at tableSize handles.
	handles   *wire.Handles
	table     []byte
	tableSize int
	versions  map[string]bool // labels of frozen versions
	closing   bool
	behind    int64 // another node committed up to this seq; catch up
	// singles > 0: commit that many more ops one at a time (a batch the
	// database refused is being searched for the op at fault).
	singles int
	// A snapshot is due (snapshotWanted) or being written (snapshotting).
	snapshotWanted, snapshotting bool
	// loading: the document is being read from the database; rebasing:
	// other nodes' ops are. Meanwhile joins, edits, actions and freezes
	// wait in deferred, in order, and are handled when the read is done.
	loading, rebasing bool
	deferred          []any

	presenceDirty bool
	presenceTimer *time.Timer
	idleTimer     *time.Timer
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
		handles:    wire.NewHandles(),
	}
}

// Messages into the room.
type (
	msgJoin struct {
		ctx   context.Context // the caller's: done, it no longer waits
		who   Participant
		peer  Peer
		since int64
		reply chan joinReply
	}
	// msgAbandon: the caller of a join stopped waiting for its reply.
	msgAbandon struct{ reply chan joinReply }
	joinReply  struct {
		m   *Member
		err error
	}
	msgLeave struct{ m *Member }
	// msgRequest is an edit or an action.
	msgRequest struct {
		m   *Member
		req wire.ClientMessage
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

// async runs fn in a goroutine the hub waits for when it closes, and
// posts its result to the room.
func (r *Room) async(fn func() any) {
	r.hub.wg.Add(1)
	go func() {
		defer r.hub.wg.Done()
		r.post(fn())
	}()
}

func (r *Room) shutdown() { r.quitOnce.Do(func() { close(r.quit) }) }

func (r *Room) join(ctx context.Context, who Participant, peer Peer, since int64) (*Member, error) {
	reply := make(chan joinReply, 1)
	rep, err := ask(ctx, r, msgJoin{ctx: ctx, who: who, peer: peer, since: since, reply: reply}, reply)
	if err != nil && ctx.Err() != nil {
		// The room may have added the member meanwhile, or may still:
		// nobody will use it, so it must go (onAbandon, onJoin).
		r.post(msgAbandon{reply: reply})
	}
	if err != nil {
		return nil, err
	}
	return rep.m, rep.err
}

// ask posts msg to the room and waits for its answer on reply, the room's
// end (errRoomGone) or ctx.
func ask[T any](ctx context.Context, r *Room, msg any, reply chan T) (T, error) {
	var zero T
	select {
	case r.in <- msg:
	case <-r.done:
		return zero, errRoomGone
	case <-ctx.Done():
		return zero, ctx.Err()
	}
	select {
	case rep := <-reply:
		return rep, nil
	case <-r.done:
		select {
		case rep := <-reply: // answered just before the end
			return rep, nil
		default:
			return zero, errRoomGone
		}
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}

// poll reads the document's seq from the database without blocking the
// room, and posts it back unless the room is too busy to take it.
func (r *Room) poll() {
	st, doc := r.cfg.Store, r.doc
	r.hub.wg.Add(1)
	go func() {
		defer r.hub.wg.Done()
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
		select {
		case msg := <-r.in:
			r.handle(msg)
		case res := <-r.commitDone:
			r.committed(res)
		case <-timerC(r.presenceTimer):
			r.presenceTimer = nil
			r.sendPresence()
		case <-timerC(r.idleTimer):
			r.idleTimer = nil
			if r.idle() && r.hub.tryRemove(r) {
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
		if r.closing && r.settled() {
			r.close()
			log.Debug("room closed: shutdown")
			return
		}
	}
}

func timerC(t *time.Timer) <-chan time.Time {
	if t == nil {
		return nil
	}
	return t.C
}

// settled reports whether nothing is under way: no op waits for its
// commit and no read of the database is out.
func (r *Room) settled() bool {
	return len(r.inflight) == 0 && len(r.pending) == 0 && !r.loading && !r.rebasing
}

// idle reports whether the room may close for want of members; if work is
// still under way, it looks again later.
func (r *Room) idle() bool {
	if len(r.members) > 0 {
		return false
	}
	if !r.settled() {
		r.idleTimer = time.NewTimer(r.cfg.IdleClose)
		return false
	}
	return true
}

// close ends the room at shutdown: what is committed goes out, then every
// member is closed with 1001 (going away).
func (r *Room) close() {
	r.hub.tryRemove(r)
	r.failDeferred(ErrClosed, "the server is shutting down; resend after reconnecting")
	for m := range r.members {
		m.peer.Close(closeGoingAway, "server shutting down")
	}
	r.members = nil
	r.drain()
}

const closeGoingAway = 1001 // RFC 6455's "going away"

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
		if !r.waits(m) {
			r.onJoin(m)
		}
	case msgLeave:
		r.remove(m.m)
	case msgAbandon:
		r.onAbandon(m)
	case msgRequest:
		if !r.waits(m) && r.isMember(m.m) {
			r.onRequest(m.m, m.req)
		}
	case msgFreeze:
		if !r.waits(m) {
			r.onFreeze(m)
		}
	case msgPresence:
		if r.isMember(m.m) {
			r.onPresence(m.m, m.para)
		}
	case msgRemote:
		r.catchUp(m.seq)
	case msgLoaded:
		r.loaded(m)
	case msgRemoteOps:
		r.rebased(m)
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

// waits defers msg while the room reads the database, starting a load
// first when its memory cannot be trusted, and reports whether it did.
func (r *Room) waits(msg any) bool {
	if !r.loading && !r.rebasing && !r.closing && (r.state == nil || r.broken) {
		r.startLoad()
	}
	if r.loading || r.rebasing {
		r.deferred = append(r.deferred, msg)
		return true
	}
	return false
}

// resume handles the messages that waited for a read, in order (any of
// them may make the next ones wait again).
func (r *Room) resume() {
	q := r.deferred
	r.deferred = nil
	for _, msg := range q {
		r.handle(msg)
	}
}

// failDeferred answers every waiting message: joins and freezes with err,
// edits and actions with an unavailable refusal saying msg.
func (r *Room) failDeferred(err error, msg string) {
	q := r.deferred
	r.deferred = nil
	for _, d := range q {
		switch m := d.(type) {
		case msgJoin:
			m.reply <- joinReply{err: err}
		case msgFreeze:
			m.reply <- freezeReply{err: err}
		case msgRequest:
			if r.isMember(m.m) {
				r.sendError(m.m, m.req.Ref(), wire.CodeUnavailable, msg)
			}
		}
	}
}

var errUnavailable = errors.New("the database is unavailable")

// Member is one connection in a room.
type Member struct {
	room      *Room
	who       Participant
	peer      Peer
	para      *string // presence; owned by the room
	h         int     // its handle (wire.Handles), for presence; -1 for observers
	leaveOnce sync.Once
}

// Edit hands an edit to the room.
func (m *Member) Edit(e wire.Edit) { m.room.post(msgRequest{m: m, req: e}) }

// Action hands an action (status, focus, structure, proposals, notes) to
// the room.
func (m *Member) Action(a wire.Action) { m.room.post(msgRequest{m: m, req: a}) }

// Presence tells the room which paragraph the member is in.
func (m *Member) Presence(para *string) { m.room.post(msgPresence{m: m, para: para}) }

// Leave removes the member. It is safe to call more than once.
func (m *Member) Leave() {
	m.leaveOnce.Do(func() {
		m.room.post(msgLeave{m: m})
		m.room.hub.release(m.room)
	})
}
