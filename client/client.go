// Package client is a Go client for Draftroom's live protocol: it keeps a
// replica of a document, applies local edits at once and sends them one at
// a time, transforms remote edits against its pending ones (ShareDB's
// client state machine), and reconnects on its own with ?since=.
//
// # Consistency
//
// One op is in flight per connection; later local edits wait in a buffer,
// composed per paragraph. A refused op (invalid, forbidden, not_found…) is
// rolled back by applying its inverse rebased through the buffer, so the
// buffered edits survive. unavailable and rate_limited hold the op and
// resend it under the same ref after a backoff. A full resync — a welcome
// that carries the whole document because the server cannot replay the ops
// since our seq, a stale refusal, or a replica that no longer fits the op
// stream — drops every unacknowledged local edit (EventDiscarded names
// them): without the ops in between there is nothing to rebase them onto.
package client

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"

	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// Options configure a Client.
type Options struct {
	// URLs are base URLs of servers sharing the document's database, such as
	// http://127.0.0.1:8080; (re)connections try them in turn.
	URLs     []string
	Token    string
	Document string
	Logger   *slog.Logger
	// MinBackoff and MaxBackoff bound the jittered exponential delay
	// between reconnection attempts (defaults 100ms and 5s). Retries of an
	// op the server could not store use the same bounds.
	MinBackoff, MaxBackoff time.Duration
	// AckTimeout is how long an edit may go unanswered before it is resent
	// under the same ref (default 30s; negative: never). The server applies
	// a ref once, so this only costs a frame, and it unsticks an edit whose
	// answer was lost.
	AckTimeout time.Duration
	// OnEvent, if set, is called for every event, in order, from the
	// client's reader goroutine: frames wait while it runs. It may call
	// the client's other methods, but not Close or the Wait methods, which
	// would wait for the reader itself.
	OnEvent func(Event)
	// Dialer defaults to a websocket dialer with a 10s handshake timeout.
	Dialer *websocket.Dialer
}

// EventKind says what an Event reports.
type EventKind int

const (
	EventConnected    EventKind = iota // a welcome was applied; URL says where
	EventDisconnected                  // the connection ended; Err says why
	EventRemote                        // an op from the server applied (Op)
	EventAck                           // one of our ops acknowledged (Op, Ref, Seq)
	EventRefused                       // our op in flight refused and rolled back (Ref, Code)
	EventRetry                         // our op will be resent after a backoff (Ref, Code)
	EventDiscarded                     // unacknowledged edits dropped by a full resync (Ref)
	EventPresence                      // a new presence list (see Presence)
	EventError                         // an error frame not about our op in flight
)

// Event is something that happened to the client.
type Event struct {
	Kind EventKind
	Seq  int64
	Ref  string
	Op   *wire.Op // the committed op, for EventRemote and EventAck
	Code string   // an error code, for refusals
	URL  string
	Err  error
	Time time.Time
}

// ErrClosed is returned by methods of a closed client.
var ErrClosed = errors.New("client: closed")

// Client is a live connection to one document. Its methods are safe for
// concurrent use.
type Client struct {
	opts   Options
	log    *slog.Logger
	dialer *websocket.Dialer

	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}     // the supervisor has exited
	ready  chan struct{}     // the first document has been loaded
	wake   chan struct{}     // something may be ready to send
	intern map[string]string // for decodeOps; used by the reader only
	table  wire.Table        // the room's handles; used by the reader only

	mu         sync.Mutex
	m          *machine
	changed    chan struct{}
	waiting    bool // someone holds changed; close it on the next change
	conn       *websocket.Conn
	connURL    string
	you        wire.You
	presence   []byte // the last presence frame, undecoded
	focus      *string
	focusDirty bool  // focus changed since it was last sent
	fullSync   bool  // the next connection asks for the whole document
	err        error // why the client stopped, if it did
	readyOnce  sync.Once
}

// Dial connects to the document and returns once the replica is loaded.
// It keeps retrying transient failures (a server still starting, a
// database down) until ctx is done; a refused token or a missing document
// fails at once.
func Dial(ctx context.Context, o Options) (*Client, error) {
	if len(o.URLs) == 0 || o.Document == "" {
		return nil, errors.New("client: Options need URLs and a Document")
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = 100 * time.Millisecond
	}
	if o.MaxBackoff < o.MinBackoff {
		o.MaxBackoff = max(5*time.Second, o.MinBackoff)
	}
	c := &Client{
		opts:    o,
		log:     o.Logger,
		dialer:  o.Dialer,
		done:    make(chan struct{}),
		ready:   make(chan struct{}),
		wake:    make(chan struct{}, 1),
		intern:  map[string]string{},
		changed: make(chan struct{}),
		m:       newMachine(newRefPrefix()),
	}
	switch {
	case o.AckTimeout == 0:
		c.m.ackTimeout = 30 * time.Second
	case o.AckTimeout > 0:
		c.m.ackTimeout = o.AckTimeout
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.dialer == nil {
		c.dialer = &websocket.Dialer{HandshakeTimeout: 10 * time.Second, ReadBufferSize: 4096, WriteBufferSize: 4096}
	}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	go c.run()
	select {
	case <-c.ready:
		return c, nil
	case <-c.done:
		c.Close()
		return nil, c.Err()
	case <-ctx.Done():
		c.Close()
		return nil, ctx.Err()
	}
}

// newRefPrefix makes refs unique across clients sharing a participant: the
// server deduplicates resends by (participant, ref).
func newRefPrefix() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:]) + "-"
}

// Close disconnects (with a close frame when connected) and stops
// reconnecting. Unacknowledged edits are lost. It waits for the client's
// goroutines to exit.
func (c *Client) Close() error {
	c.cancel()
	<-c.done
	return nil
}

// Done is closed when the client has stopped: after Close, or after a
// permanent failure (see Err).
func (c *Client) Done() <-chan struct{} { return c.done }

// Err is why the client stopped on its own (a revoked token, a deleted
// document…), or nil.
func (c *Client) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Edit applies op to the paragraph locally and queues it for the server.
func (c *Client) Edit(para string, op ot.Op) error {
	_, err := c.Submit(para, op)
	return err
}

// Submit is Edit that also returns the ref the edit will be acknowledged
// under (shared with edits composed with it; "" if op changes nothing).
func (c *Client) Submit(para string, op ot.Op) (string, error) {
	return c.SubmitFunc(para, func(string) ot.Op { return op })
}

// SubmitFunc submits the op build makes from the paragraph's current text,
// with no remote op applied in between, so the op always fits. build runs
// under the client's lock and must not call the client; a nil op submits
// nothing.
func (c *Client) SubmitFunc(para string, build func(text string) ot.Op) (string, error) {
	c.mu.Lock()
	if c.ctx.Err() != nil {
		c.mu.Unlock()
		return "", ErrClosed
	}
	p := c.m.paras[para]
	if p == nil {
		c.mu.Unlock()
		return "", fmt.Errorf("%w: %q", ErrUnknownParagraph, para)
	}
	ref, err := c.m.local(para, build(p.Text))
	if err == nil {
		c.notifyLocked()
	}
	c.mu.Unlock()
	if err == nil {
		c.kick()
	}
	return ref, err
}

// Insert inserts text at code point pos of the paragraph.
func (c *Client) Insert(para string, pos int, text string) (string, error) {
	return c.Submit(para, ot.Op{{Skip: pos}, {Insert: text}})
}

// Delete deletes n code points at pos of the paragraph.
func (c *Client) Delete(para string, pos, n int) (string, error) {
	return c.Submit(para, ot.Op{{Skip: pos}, {Delete: n}})
}

// Text is a paragraph's text in the replica, local edits included.
func (c *Client) Text(para string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.m.paras[para]
	if p == nil {
		return "", false
	}
	return p.Text, true
}

// Len is a paragraph's length in code points (-1 if it does not exist).
func (c *Client) Len(para string) int {
	t, ok := c.Text(para)
	if !ok {
		return -1
	}
	return utf8.RuneCountInString(t)
}

// Paragraphs lists the replica's paragraphs in document order.
func (c *Client) Paragraphs() []Paragraph {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m.paragraphs()
}

// Seq is the last seq applied to the replica.
func (c *Client) Seq() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m.seq
}

// You is the participant the server says this client is.
func (c *Client) You() wire.You {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.you
}

// Acked lists this client's acknowledged edits in order.
func (c *Client) Acked() []Ack {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Ack(nil), c.m.acked...)
}

// Idle reports whether no local edit awaits acknowledgement.
func (c *Client) Idle() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m.idle()
}

// Connected reports whether a connection is up and caught up.
func (c *Client) Connected() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.conn != nil && c.m.synced
}

// Presence is the last presence list the server sent.
func (c *Client) Presence() []wire.PresenceEntry {
	c.mu.Lock()
	data := c.presence
	c.mu.Unlock()
	var p wire.Presence
	if json.Unmarshal(data, &p) != nil {
		return nil
	}
	return p.Participants
}

// SetFocus tells the server which paragraph this participant is in ("" for
// none); it is resent after reconnecting.
func (c *Client) SetFocus(para string) {
	c.mu.Lock()
	if para == "" {
		c.focus = nil
	} else {
		c.focus = &para
	}
	c.focusDirty = true
	c.mu.Unlock()
	c.kick()
}

// DropConnection closes the current connection abruptly, without a close
// frame, as a network failure would; the client reconnects by itself.
func (c *Client) DropConnection() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn != nil {
		c.conn.Close()
	}
}

// WaitSeq waits until the replica has applied seq.
func (c *Client) WaitSeq(ctx context.Context, seq int64) error {
	return c.wait(ctx, func() bool { return c.m.seq >= seq })
}

// WaitIdle waits until every local edit has been acknowledged (or
// rolled back, or discarded).
func (c *Client) WaitIdle(ctx context.Context) error {
	return c.wait(ctx, c.m.idle)
}

// WaitConnected waits until a connection is up and caught up.
func (c *Client) WaitConnected(ctx context.Context) error {
	return c.wait(ctx, func() bool { return c.conn != nil && c.m.synced })
}

func (c *Client) wait(ctx context.Context, cond func() bool) error {
	for {
		c.mu.Lock()
		if cond() {
			c.mu.Unlock()
			return nil
		}
		c.waiting = true
		ch := c.changed
		c.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		case <-c.done:
			if err := c.Err(); err != nil {
				return err
			}
			return ErrClosed
		}
	}
}

// notifyLocked wakes waiters; the channel is only replaced when someone
// holds it, since state changes far outnumber waits.
func (c *Client) notifyLocked() {
	if c.waiting {
		close(c.changed)
		c.changed = make(chan struct{})
		c.waiting = false
	}
}

// kick tells the writer to look for something to send.
func (c *Client) kick() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

func (c *Client) emit(evs []Event) {
	if c.opts.OnEvent == nil {
		return
	}
	for _, e := range evs {
		c.opts.OnEvent(e)
	}
}
