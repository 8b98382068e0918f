// Package room runs one live room per open document: it sequences edits,
// enforces the drafting rules, commits in groups and broadcasts.
package room

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/internal/delegation"
	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/internal/metrics"
	"github.com/draftroom/draftroom/server/internal/store"
	"github.com/draftroom/draftroom/server/ot"
)

// ErrClosed means the hub or room is shutting down.
var ErrClosed = errors.New("room: shutting down")

// Rules decides whether an actor may apply op (already transformed to the
// current text) to a paragraph, and if so returns the paragraph after it.
// It is the seam the drafting rules plug into.
type Rules func(actor draft.Actor, p draft.Paragraph, op ot.Op) (draft.Paragraph, error)

// Config tunes the hub.
type Config struct {
	Store  *store.Store
	Logger *slog.Logger
	Rules  Rules            // nil: draft.CheckEdit
	Now    func() time.Time // nil: time.Now
	// IdleClose is how long a room stays open after its last member leaves.
	IdleClose time.Duration
	// History is how many recent ops a room keeps in memory for transforms,
	// catch-up and idempotency.
	History int
	// PollEvery is how often an open room checks the log for commits made
	// by other nodes whose notification it missed.
	PollEvery time.Duration
	// BroadcastEvery is the least time between two ops frames to a member;
	// ops committed in between go out together.
	BroadcastEvery time.Duration
	// PresenceEvery throttles presence frames.
	PresenceEvery time.Duration
	// CommitTimeout bounds one group commit.
	CommitTimeout time.Duration
	// SnapshotEvery is how many ops apart document snapshots are taken.
	SnapshotEvery int64

	// Limits. Each is documented in docs/protocol.md ("Limits and
	// closing"); zero takes the default. They bound what a document grows
	// to: an action that would pass one is refused with invalid and a
	// message naming it, while whatever does not grow the document
	// (deleting, withdrawing, rejecting, changing a status) is always
	// allowed, so the chair can clean up a document at its limits.

	// MaxParagraph is the longest paragraph text, in code points.
	MaxParagraph int
	// MaxParagraphs is the most paragraphs a document may have.
	MaxParagraphs int
	// MaxLabel, MaxHeading, MaxNote and MaxDocRef are the longest
	// paragraph or proposal label, section heading, note and proposal
	// document reference, in code points.
	MaxLabel, MaxHeading, MaxNote, MaxDocRef int
	// MaxDocumentBytes caps the document's size (see model.size): the
	// UTF-8 bytes of every text it holds plus ItemOverhead per section,
	// paragraph, proposal and note.
	MaxDocumentBytes int
	// MaxProposals and MaxProposalBytes cap a document's proposals (of any
	// status) and the bytes of their texts.
	MaxProposals, MaxProposalBytes int
	// MaxProposalsPerDelegation and MaxProposalBytesPerDelegation cap what
	// one delegation's delegates table. The chair, tabling for a
	// delegation, is held only to the document's limits.
	MaxProposalsPerDelegation, MaxProposalBytesPerDelegation int
	// MaxNotes and MaxNoteBytes cap a document's notes and their text.
	MaxNotes, MaxNoteBytes int
	// MaxNotesPerAuthor and MaxNoteBytesPerAuthor cap the notes one author
	// other than the chair (a rapporteur) adds.
	MaxNotesPerAuthor, MaxNoteBytesPerAuthor int
	// MaxHistoryBytes bounds the recent ops a room keeps in memory, by the
	// bytes of their text and data, as History bounds their number.
	MaxHistoryBytes int
	// MaxFrameBytes is the size ops frames are split at (catch-up after a
	// reconnection, broadcasts); an op larger than it goes alone.
	MaxFrameBytes int
	// Metrics records what rooms do (nil: nothing).
	Metrics *metrics.Metrics
	// Delegation resolves a delegation code to its name (nil: the registry).
	Delegation func(code string) (string, bool)
}

func (c *Config) defaults() {
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Rules == nil {
		c.Rules = draft.ApplyEdit
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.IdleClose == 0 {
		c.IdleClose = 30 * time.Second
	}
	if c.History == 0 {
		c.History = 10000
	}
	if c.PresenceEvery == 0 {
		c.PresenceEvery = 100 * time.Millisecond
	}
	if c.BroadcastEvery == 0 {
		c.BroadcastEvery = 20 * time.Millisecond
	}
	if c.PollEvery == 0 {
		c.PollEvery = 2 * time.Second
	}
	if c.CommitTimeout == 0 {
		c.CommitTimeout = 10 * time.Second
	}
	if c.MaxParagraph == 0 {
		c.MaxParagraph = 100_000
	}
	if c.MaxParagraphs == 0 {
		c.MaxParagraphs = 5_000
	}
	// The real compilation this is made for (70 paragraphs, 53 proposals)
	// measures 80 KB as model.size counts it, its proposals 21 KB: every
	// default is about 100 times what it uses or more
	// (TestRealCompilationFitsTheLimits).
	setDefault(&c.MaxLabel, 32)
	setDefault(&c.MaxHeading, 500)
	setDefault(&c.MaxNote, 10_000)
	setDefault(&c.MaxDocRef, 64)
	setDefault(&c.MaxDocumentBytes, 8<<20)
	setDefault(&c.MaxProposals, 2_000)
	setDefault(&c.MaxProposalBytes, 4<<20)
	setDefault(&c.MaxProposalsPerDelegation, 200)
	setDefault(&c.MaxProposalBytesPerDelegation, 1<<20)
	setDefault(&c.MaxNotes, 2_000)
	setDefault(&c.MaxNoteBytes, 2<<20)
	setDefault(&c.MaxNotesPerAuthor, 500)
	setDefault(&c.MaxNoteBytesPerAuthor, 1<<20)
	setDefault(&c.MaxHistoryBytes, 16<<20)
	setDefault(&c.MaxFrameBytes, 1<<20)
	if c.SnapshotEvery == 0 {
		c.SnapshotEvery = 500
	}
	if c.Delegation == nil {
		reg := delegation.Default()
		c.Delegation = func(code string) (string, bool) {
			d, ok := reg.Get(code)
			return d.Name, ok
		}
	}
}

func setDefault(v *int, def int) {
	if *v == 0 {
		*v = def
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
		{"MaxParagraph", int64(c.MaxParagraph)}, {"MaxParagraphs", int64(c.MaxParagraphs)},
		{"MaxLabel", int64(c.MaxLabel)}, {"MaxHeading", int64(c.MaxHeading)}, {"MaxNote", int64(c.MaxNote)}, {"MaxDocRef", int64(c.MaxDocRef)},
		{"MaxDocumentBytes", int64(c.MaxDocumentBytes)},
		{"MaxProposals", int64(c.MaxProposals)}, {"MaxProposalBytes", int64(c.MaxProposalBytes)},
		{"MaxProposalsPerDelegation", int64(c.MaxProposalsPerDelegation)}, {"MaxProposalBytesPerDelegation", int64(c.MaxProposalBytesPerDelegation)},
		{"MaxNotes", int64(c.MaxNotes)}, {"MaxNoteBytes", int64(c.MaxNoteBytes)},
		{"MaxNotesPerAuthor", int64(c.MaxNotesPerAuthor)}, {"MaxNoteBytesPerAuthor", int64(c.MaxNoteBytesPerAuthor)},
		{"MaxHistoryBytes", int64(c.MaxHistoryBytes)}, {"MaxFrameBytes", int64(c.MaxFrameBytes)},
		{"IdleClose", int64(c.IdleClose)}, {"PollEvery", int64(c.PollEvery)}, {"BroadcastEvery", int64(c.BroadcastEvery)},
		{"PresenceEvery", int64(c.PresenceEvery)}, {"CommitTimeout", int64(c.CommitTimeout)},
	} {
		if v.n <= 0 {
			return fmt.Errorf("room: config: %s must be positive, not %d", v.name, v.n)
		}
	}
	switch {
	case c.MaxProposalsPerDelegation > c.MaxProposals || c.MaxProposalBytesPerDelegation > c.MaxProposalBytes:
		return errors.New("room: config: a delegation's proposal limits exceed the document's")
	case c.MaxNotesPerAuthor > c.MaxNotes || c.MaxNoteBytesPerAuthor > c.MaxNoteBytes:
		return errors.New("room: config: an author's note limits exceed the document's")
	case c.MaxProposalBytes > c.MaxDocumentBytes || c.MaxNoteBytes > c.MaxDocumentBytes:
		return errors.New("room: config: proposal or note bytes exceed the document's size limit")
	}
	return nil
}

// Hub owns the open rooms.
type Hub struct {
	cfg    Config
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
	h := &Hub{cfg: cfg, rooms: map[uuid.UUID]*Room{}, listenDone: make(chan struct{})}
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
	h.mu.Lock()
	r := h.rooms[doc]
	h.mu.Unlock()
	if r == nil {
		return
	}
	select {
	case r.in <- msgRemote{seq: seq}:
	default:
	}
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

func (p Participant) actor() draft.Actor {
	return draft.Actor{Role: draft.Role(p.Role), Delegation: p.Delegation}
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

// Rooms reports how many rooms are open.
func (h *Hub) Rooms() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.rooms)
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
	done := make(chan struct{})
	go func() {
		h.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
