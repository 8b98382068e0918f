// Package room runs one live room per open document: it orders edits and
// actions, transforms them and has the document package decide them,
// commits them in groups, broadcasts them and keeps the room's members.
package room

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/internal/document"
	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/internal/metrics"
	"github.com/draftroom/draftroom/server/internal/store"
	"github.com/draftroom/draftroom/server/internal/syncx"
	"github.com/draftroom/draftroom/server/wire"
)

// ErrClosed means the hub or room is shutting down.
var ErrClosed = errors.New("room: shutting down")

// Config tunes the hub.
type Config struct {
	Store  *store.Store
	Logger *slog.Logger
	Now    func() time.Time // nil: time.Now
	// IdleClose is how long a room stays open after its last member leaves.
	IdleClose time.Duration
	// History is how many recent ops a room keeps in memory for transforms,
	// catch-up and idempotency.
	History int
	// PollEvery is how often an open room checks the log for commits made
	// by other nodes whose notification it missed.
	PollEvery time.Duration
	// PresenceEvery throttles presence frames.
	PresenceEvery time.Duration
	// CommitTimeout bounds one group commit, and one read of the database
	// (loading the room, catching up with other nodes).
	CommitTimeout time.Duration
	// SnapshotEvery is how many ops apart document snapshots are taken.
	SnapshotEvery int64

	// Limits bound what a document grows to (document.Limits).
	document.Limits
	// MaxHistoryBytes bounds the recent ops a room keeps in memory, by the
	// bytes of their text and data, as History bounds their number.
	MaxHistoryBytes int
	// MaxFrameBytes is the size ops frames are split at (catch-up after a
	// reconnection, broadcasts); an op larger than it goes alone.
	MaxFrameBytes int
	// Metrics records what rooms do (nil: nothing).
	Metrics *metrics.Metrics
}

func (c *Config) defaults() {
	def(&c.Logger, slog.New(slog.DiscardHandler))
	if c.Now == nil {
		c.Now = time.Now
	}
	def(&c.IdleClose, 30*time.Second)
	def(&c.PresenceEvery, 100*time.Millisecond)
	def(&c.PollEvery, 2*time.Second)
	def(&c.CommitTimeout, 10*time.Second)
	def(&c.History, 10000)
	def(&c.SnapshotEvery, 500)
	def(&c.MaxHistoryBytes, 16<<20)
	def(&c.MaxFrameBytes, 1<<20)
	c.Limits.Defaults()
}

// def sets *v to d when it is the zero value.
func def[T comparable](v *T, d T) {
	var zero T
	if *v == zero {
		*v = d
	}
}

// Validate reports the first setting that makes no sense, after defaults.
func (c *Config) Validate() error {
	if c.Store == nil {
		return errors.New("room: config: no store")
	}
	for _, v := range []struct {
		name string
		n    int64
	}{
		{"History", int64(c.History)}, {"SnapshotEvery", c.SnapshotEvery},
		{"MaxHistoryBytes", int64(c.MaxHistoryBytes)}, {"MaxFrameBytes", int64(c.MaxFrameBytes)},
		{"IdleClose", int64(c.IdleClose)}, {"PollEvery", int64(c.PollEvery)},
		{"PresenceEvery", int64(c.PresenceEvery)}, {"CommitTimeout", int64(c.CommitTimeout)},
	} {
		if v.n <= 0 {
			return fmt.Errorf("room: config: %s must be positive, not %d", v.name, v.n)
		}
	}
	if err := c.Limits.Validate(); err != nil {
		return fmt.Errorf("room: config: %w", err)
	}
	return nil
}

// Hub owns the open rooms.
type Hub struct {
	cfg    Config
	env    document.Env // what deciding an action needs
	mu     sync.Mutex
	rooms  map[uuid.UUID]*Room
	closed bool
	wg     sync.WaitGroup

	stopListen context.CancelFunc
	listenDone chan struct{}
}

// NewHub makes a hub and starts listening for other nodes' commits. It
// panics on a Config that Validate refuses: the settings are the
// program's, not the user's.
func NewHub(cfg Config) *Hub {
	cfg.defaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}
	h := &Hub{cfg: cfg, rooms: map[uuid.UUID]*Room{}, listenDone: make(chan struct{}),
		env: document.Env{Limits: cfg.Limits, Now: cfg.Now}}
	ctx, cancel := context.WithCancel(context.Background())
	h.stopListen = cancel
	go func() {
		defer close(h.listenDone)
		cfg.Store.Listen(ctx, h.remoteCommit, h.resyncAll, func(err error) {
			cfg.Logger.Warn("listening for other nodes' commits", "err", err)
		})
	}()
	return h
}

// remoteCommit tells the document's room (if open here) that the log has
// reached seq. It never blocks the listener: a room too busy to take the
// message catches up at its next poll.
func (h *Hub) remoteCommit(doc uuid.UUID, seq int64) {
	if r := h.open(doc); r != nil {
		select {
		case r.in <- msgRemote{seq: seq}:
		default:
		}
	}
}

// open is the document's room if it is open on this node, or nil.
func (h *Hub) open(doc uuid.UUID) *Room {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.rooms[doc]
}

// resyncAll makes every room check the log, after the listener
// (re)connected and may have missed notifications.
func (h *Hub) resyncAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, r := range h.rooms {
		r.poll()
	}
}

// Participant is who a member is.
type Participant struct {
	ID         string
	Name       string
	Role       string
	Delegation string
}

func (p Participant) actor() document.Actor {
	return document.Actor{Role: draft.Role(p.Role), Delegation: p.Delegation, Name: p.Name}
}

// person is who the participant's ops are made by, as handles name it.
func (p Participant) person() wire.Person {
	return wire.Person{Participant: p.ID, Author: p.actor().Author()}
}

// Join adds a peer to the document's room, creating and loading the room on
// first join. since < 0 asks for the whole document in the welcome frame.
func (h *Hub) Join(ctx context.Context, doc uuid.UUID, who Participant, peer Peer, since int64) (*Member, error) {
	for {
		r, err := h.acquire(doc)
		if err != nil {
			return nil, err
		}
		m, err := r.join(ctx, who, peer, since)
		if errors.Is(err, errRoomGone) {
			continue // it closed between acquire and join; make a new one
		}
		if err != nil {
			h.release(r)
			return nil, err
		}
		return m, nil
	}
}

var errRoomGone = errors.New("room closed")

func (h *Hub) acquire(doc uuid.UUID) (*Room, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, ErrClosed
	}
	r := h.rooms[doc]
	if r == nil {
		r = newRoom(h, doc)
		h.rooms[doc] = r
		h.cfg.Metrics.AddRooms(1)
		h.wg.Add(1)
		go func() {
			defer h.wg.Done()
			defer h.cfg.Metrics.AddRooms(-1)
			r.run()
		}()
	}
	r.refs++
	return r, nil
}

func (h *Hub) release(r *Room) {
	h.mu.Lock()
	r.refs--
	idle := r.refs == 0
	h.mu.Unlock()
	if idle {
		r.post(msgIdle{})
	}
}

// tryRemove removes an idle room; it reports false if someone joined since.
func (h *Hub) tryRemove(r *Room) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if r.refs > 0 {
		return false
	}
	if h.rooms[r.doc] == r {
		delete(h.rooms, r.doc)
	}
	return true
}

// Close stops every room: each commits what it has accepted, then closes its
// members with 1001 (going away). It returns when all rooms have stopped or
// ctx is done.
func (h *Hub) Close(ctx context.Context) error {
	h.stopListen()
	<-h.listenDone
	h.mu.Lock()
	h.closed = true
	rooms := make([]*Room, 0, len(h.rooms))
	for _, r := range h.rooms {
		rooms = append(rooms, r)
	}
	h.mu.Unlock()
	for _, r := range rooms {
		r.shutdown()
	}
	return syncx.Wait(ctx, &h.wg)
}

// msgRename tells an open room its document's new title.
type msgRename struct{ title string }

// Rename sets a document's title in the database and in its room, if the
// room is open on this node, so that welcome frames and versions frozen
// from now on carry it. Rooms open on other nodes take it when they next
// load the document.
func (h *Hub) Rename(ctx context.Context, doc uuid.UUID, title string) error {
	title = strings.TrimSpace(title)
	if err := h.cfg.Store.RenameDocument(ctx, doc, title); err != nil {
		return err
	}
	if r := h.open(doc); r != nil {
		r.post(msgRename{title: title})
	}
	return nil
}

func (r *Room) onRename(m msgRename) {
	if r.state == nil {
		return // not loaded yet: the load reads the new title
	}
	r.state.live.SetTitle(m.title)
	r.state.durable.SetTitle(m.title)
	r.welcome = nil
}
