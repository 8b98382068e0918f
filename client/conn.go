package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/websocket"

	"github.com/draftroom/draftroom/server/wire"
)

const (
	writeWait = 10 * time.Second
	// The server pings every 54s; our own pings every pingEvery keep
	// proxies from idling the connection out and detect a dead peer.
	pingEvery = 25 * time.Second
	readWait  = 75 * time.Second
	// A welcome carries the whole document, so the read limit is far
	// above the 64 KiB the server accepts from clients.
	maxReadBytes = 256 << 20
)

// permanentError ends the client: retrying cannot help.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// run is the supervisor, and the reader of each connection it makes: it
// dials, reads until the connection fails, and reconnects with backoff.
func (c *Client) run() {
	defer close(c.done)
	defer c.cancel()
	attempt, next := 0, 0
	for c.ctx.Err() == nil {
		var ws *websocket.Conn
		var u string
		var err error
		// One pass over the URLs before backing off, so failover to a
		// live server is immediate.
		for i := 0; i < len(c.opts.URLs) && c.ctx.Err() == nil; i++ {
			u = c.opts.URLs[(next+i)%len(c.opts.URLs)]
			if ws, err = c.dial(u); err == nil {
				next = (next + i) % len(c.opts.URLs)
				break
			}
			c.log.Debug("dial failed", "url", u, "err", err)
			if errors.As(err, new(*permanentError)) {
				c.stop(err)
				return
			}
		}
		if ws == nil {
			if c.ctx.Err() != nil {
				return
			}
			next = (next + 1) % len(c.opts.URLs)
			attempt++
			if !c.sleep(c.backoff(attempt)) {
				return
			}
			continue
		}
		welcomed, err := c.serve(ws, u)
		if c.ctx.Err() != nil {
			return
		}
		c.log.Debug("disconnected", "url", u, "err", err)
		c.emit([]Event{{Kind: EventDisconnected, URL: u, Err: err, Time: time.Now()}})
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			switch ce.Code {
			case wire.CloseNotFound, wire.CloseRevoked, wire.CloseAbuse:
				c.stop(&permanentError{fmt.Errorf("client: server closed the connection: %d %s", ce.Code, ce.Text)})
				return
			}
		}
		if welcomed {
			attempt = 0
		}
		attempt++
		if !c.sleep(c.backoff(attempt)) {
			return
		}
	}
}

// stop records why the client ended by itself.
func (c *Client) stop(err error) {
	c.mu.Lock()
	c.err = err
	c.notifyLocked()
	c.mu.Unlock()
}

// backoff is the delay before attempt (1, 2, …): exponential from
// MinBackoff, capped at MaxBackoff, jittered over its upper half so that
// clients dropped together do not reconnect together.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.opts.MinBackoff
	for i := 1; i < attempt && d < c.opts.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, c.opts.MaxBackoff)
	return d/2 + rand.N(d/2+1)
}

func (c *Client) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-c.ctx.Done():
		return false
	}
}

// dial opens the websocket, asking for the ops since our seq when the
// replica can be caught up.
func (c *Client) dial(base string) (*websocket.Conn, error) {
	u, err := url.Parse(strings.TrimRight(base, "/") + "/api/v1/documents/" + url.PathEscape(c.opts.Document) + "/live")
	if err != nil {
		return nil, &permanentError{fmt.Errorf("client: bad URL %q: %w", base, err)}
	}
	switch u.Scheme {
	case "http":
		u.Scheme = "ws"
	case "https":
		u.Scheme = "wss"
	}
	c.mu.Lock()
	if c.m.loaded && !c.fullSync {
		u.RawQuery = "since=" + strconv.FormatInt(c.m.seq, 10)
	}
	c.mu.Unlock()
	h := http.Header{}
	h.Set("Authorization", "Bearer "+c.opts.Token)
	ws, resp, err := c.dialer.DialContext(c.ctx, u.String(), h)
	if err != nil {
		if resp != nil {
			// The body says why; the status says whether to retry.
			switch resp.StatusCode {
			case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusBadRequest:
				return nil, &permanentError{fmt.Errorf("client: %s: %s", u.Redacted(), resp.Status)}
			}
			return nil, fmt.Errorf("client: %s: %s", u.Redacted(), resp.Status)
		}
		return nil, err
	}
	return ws, nil
}

// serve runs one connection: the writer in a goroutine, the reader here.
// It reports whether a welcome was applied.
func (c *Client) serve(ws *websocket.Conn, u string) (welcomed bool, err error) {
	c.mu.Lock()
	c.conn, c.connURL = ws, u
	c.focusDirty = c.focus != nil // a new connection starts with no focus
	c.mu.Unlock()
	connCtx, stop := context.WithCancel(c.ctx)
	writerDone := make(chan struct{})
	go c.writer(connCtx, ws, writerDone)

	welcomed, err = c.read(ws)

	ws.Close()
	stop()
	<-writerDone
	c.mu.Lock()
	c.conn = nil
	c.m.disconnected()
	c.notifyLocked()
	c.mu.Unlock()
	return welcomed, err
}

func (c *Client) read(ws *websocket.Conn) (welcomed bool, err error) {
	ws.SetReadLimit(maxReadBytes)
	extend := func(string) error { return ws.SetReadDeadline(time.Now().Add(readWait)) }
	extend("")
	ws.SetPongHandler(extend)
	ws.SetPingHandler(func(data string) error {
		extend(data)
		err := ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(writeWait))
		if errors.Is(err, websocket.ErrCloseSent) {
			return nil
		}
		return err
	})
	// One buffer for the connection's frames: handle copies what it keeps.
	var buf bytes.Buffer
	for {
		_, r, err := ws.NextReader()
		if err != nil {
			return welcomed, err
		}
		buf.Reset()
		if _, err := buf.ReadFrom(r); err != nil {
			return welcomed, err
		}
		extend("")
		w, err := c.handle(buf.Bytes())
		if buf.Cap() > 1<<20 {
			buf = bytes.Buffer{} // don't hold on to a welcome-sized buffer
		}
		welcomed = welcomed || w
		if err != nil {
			return welcomed, err
		}
	}
}

// inFrame is every server → client frame's fields, so each frame is
// decoded once whatever its type.
type inFrame struct {
	Type     string         `json:"type"`
	Seq      int64          `json:"seq"`
	You      wire.You       `json:"you"`
	Paras    []string       `json:"paras"`
	People   []wire.Person  `json:"people"`
	Document *wire.Document `json:"document"`
	Ops      []wire.LiveOp  `json:"ops"`
	Ref      string         `json:"ref"`
	Code     string         `json:"code"`
	Message  string         `json:"message"`
	// RetryAfterMs is rate_limited's hint: resend no sooner.
	RetryAfterMs int64 `json:"retry_after_ms"`
}

// presencePrefix is how the server's presence frames start (it encodes
// structs, type first); frames that start otherwise are decoded in full.
var presencePrefix = []byte(`{"type":"presence",`)

// handle applies one frame, whose bytes it must not keep: they are reused.
// An error ends the connection; an *errResync says how to reconnect.
func (c *Client) handle(data []byte) (welcomed bool, err error) {
	now := time.Now()
	// A presence list grows with the room and every member gets every one,
	// so it is kept as it came and decoded only if someone asks for it.
	if bytes.HasPrefix(data, presencePrefix) {
		c.mu.Lock()
		c.presence = bytes.Clone(data)
		c.mu.Unlock()
		c.emit([]Event{{Kind: EventPresence, Time: now}})
		return false, nil
	}
	var f inFrame
	decoded := false
	if bytes.HasPrefix(data, opsPrefix) {
		f.Type = wire.TypeOps
		f.Ops, decoded = decodeOps(data, c.intern)
	}
	if !decoded {
		f = inFrame{}
		if err := json.Unmarshal(data, &f); err != nil {
			return false, fmt.Errorf("client: bad frame from server: %w", err)
		}
	}
	var evs []Event
	c.mu.Lock()
	switch f.Type {
	case wire.TypeWelcome:
		var discarded []string
		discarded, err = c.m.welcome(&wire.Welcome{Type: f.Type, Seq: f.Seq, You: f.You, Document: f.Document})
		c.table.Reset(f.Paras, f.People)
		if err == nil {
			welcomed = true
			c.you = f.You
			c.fullSync = false
			for _, ref := range discarded {
				evs = append(evs, Event{Kind: EventDiscarded, Ref: ref, Seq: f.Seq, Time: now})
			}
			evs = append(evs, Event{Kind: EventConnected, Seq: f.Seq, URL: c.connURL, Time: now})
		}
	case wire.TypeOps:
		var res []opResult
		var ops []wire.Op
		if ops, err = c.resolve(f.Ops); err == nil {
			res, err = c.m.receive(ops)
		}
		for _, r := range res {
			e := Event{Kind: EventRemote, Seq: r.op.Seq, Ref: r.op.Ref, Op: r.op, Time: now}
			if r.ack {
				e.Kind = EventAck
			}
			evs = append(evs, e)
		}
	case wire.TypeError:
		e := &wire.ErrorFrame{Type: f.Type, Ref: f.Ref, Code: f.Code, Message: f.Message, RetryAfterMs: f.RetryAfterMs}
		retryAt := func(tries int) time.Time {
			return now.Add(max(c.backoff(tries), time.Duration(e.RetryAfterMs)*time.Millisecond))
		}
		switch c.m.refused(e, retryAt) {
		case refusalIgnored:
			evs = append(evs, Event{Kind: EventError, Ref: f.Ref, Code: f.Code, Err: errors.New(f.Message), Time: now})
		case refusalRetry:
			evs = append(evs, Event{Kind: EventRetry, Ref: f.Ref, Code: f.Code, Err: errors.New(f.Message), Time: now})
		case refusalRolledBack:
			evs = append(evs, Event{Kind: EventRefused, Ref: f.Ref, Code: f.Code, Err: errors.New(f.Message), Time: now})
		case refusalResync:
			err = &errResync{full: true, reason: f.Code + ": " + f.Message}
		}
		if f.Code != wire.CodeRateLimited && f.Code != wire.CodeUnavailable {
			c.log.Debug("server error frame", "ref", f.Ref, "code", f.Code, "message", f.Message)
		}
	case wire.TypePresence:
		c.presence = bytes.Clone(data)
		evs = append(evs, Event{Kind: EventPresence, Time: now})
	}
	var rs *errResync
	if errors.As(err, &rs) && rs.full {
		c.fullSync = true
	}
	c.notifyLocked()
	c.mu.Unlock()
	if welcomed {
		c.readyOnce.Do(func() { close(c.ready) })
	}
	c.emit(evs)
	c.kick()
	return welcomed, err
}

// resolve gives the ops of a frame in full, with the connection's handles
// (wire.Table). An op naming a handle the server never gave this
// connection cannot be applied: the replica is reloaded.
func (c *Client) resolve(live []wire.LiveOp) ([]wire.Op, error) {
	ops := make([]wire.Op, len(live))
	for i := range live {
		op, err := c.table.Resolve(&live[i])
		if err != nil {
			return nil, &errResync{full: true, reason: err.Error()}
		}
		ops[i] = op
	}
	return ops, nil
}

// writer sends queued frames and pings. It is the connection's only
// writer, as gorilla/websocket requires (control frames excepted).
func (c *Client) writer(ctx context.Context, ws *websocket.Conn, done chan<- struct{}) {
	defer close(done)
	ping := time.NewTicker(pingEvery)
	defer ping.Stop()
	retry := time.NewTimer(time.Hour)
	retry.Stop()
	defer retry.Stop()
	for {
		frames, due := c.outgoing()
		for _, f := range frames {
			ws.SetWriteDeadline(time.Now().Add(writeWait))
			if err := ws.WriteMessage(websocket.TextMessage, f); err != nil {
				c.log.Debug("write failed", "err", err)
				ws.Close() // the reader sees it and reconnects
				return
			}
		}
		if !due.IsZero() {
			retry.Reset(time.Until(due))
		}
		select {
		case <-ctx.Done():
			if c.ctx.Err() != nil {
				// Close() was called: say goodbye, then hang up.
				ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
				ws.Close()
			}
			return
		case <-c.wake:
		case <-retry.C:
		case <-ping.C:
			if err := ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait)); err != nil {
				ws.Close()
				return
			}
		}
	}
}

// outgoing takes the frames to write now and, if the op in flight is held,
// when to look again.
func (c *Client) outgoing() ([][]byte, time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out [][]byte
	if c.focusDirty && c.m.synced {
		b, _ := json.Marshal(wire.PresenceUpdate{Type: wire.TypePresence, Para: c.focus})
		out = append(out, b)
		c.focusDirty = false
	}
	e, due := c.m.next(time.Now())
	if e != nil {
		b, err := json.Marshal(e)
		if err != nil {
			// local() only queues ops that encode; this is a bug.
			panic("client: encoding edit: " + err.Error())
		}
		out = append(out, b)
	}
	return out, due
}
