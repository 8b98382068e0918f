package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"golang.org/x/time/rate"

	"github.com/draftroom/draftroom/server/internal/room"
	"github.com/draftroom/draftroom/server/wire"
)

const (
	writeWait      = 10 * time.Second  // time allowed to write a frame
	pongWait       = 60 * time.Second  // time allowed to read the next pong
	pingPeriod     = pongWait * 9 / 10 // must be less than pongWait
	maxMessageSize = 64 << 10          // larger frames are closed with 1009
	sendQueue      = 256               // frames queued per connection before it counts as slow
	sendQueueBytes = 1 << 20           // bytes queued per connection before it counts as slow
	abuseWindow    = 10 * time.Second  // invalid frames are counted over this window
	abuseLimit     = 50                // invalid frames per window before the connection is closed
	closeGrace     = time.Second       // how long a close frame waits for the client's answer
	replyQueue     = 32                // the reader's own answers queued before it waits
)

// writeBufferPool shares write buffers among connections that are not
// writing right now, which is most of them.
var writeBufferPool = &sync.Pool{}

func (s *Server) upgrader() *websocket.Upgrader {
	return &websocket.Upgrader{
		ReadBufferSize:  1024,
		WriteBufferSize: 4096,
		WriteBufferPool: writeBufferPool,
		CheckOrigin:     s.checkOrigin,
	}
}

// checkOrigin allows clients that send no Origin (not browsers), the
// server's own origin, and the configured ones.
func (s *Server) checkOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	// The server's own origin: same host, and the scheme the browser used
	// to reach it (https only when it came over TLS, directly or through a
	// trusted proxy), so a page served over http cannot speak for https.
	scheme := "http"
	if s.proxies.secure(r) {
		scheme = "https"
	}
	if strings.EqualFold(u.Scheme, scheme) && strings.EqualFold(u.Host, r.Host) {
		return true
	}
	for _, o := range s.origins {
		if strings.EqualFold(o, trimOrigin(origin)) {
			return true
		}
	}
	return false
}

func (s *Server) live(w http.ResponseWriter, r *http.Request) {
	id, err := documentID(r)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	since := int64(-1)
	if v := r.URL.Query().Get("since"); v != "" {
		if since, err = strconv.ParseInt(v, 10, 64); err != nil || since < 0 {
			writeError(w, s.log, errBadRequest("since must be a seq (a non-negative integer)"))
			return
		}
	}
	if ok, err := s.store.DocumentExists(r.Context(), id); err != nil {
		writeError(w, s.log, &apiError{http.StatusServiceUnavailable, wire.CodeUnavailable, "the database is unavailable"})
		return
	} else if !ok {
		writeError(w, s.log, errNotFound("no document "+id.String()))
		return
	}
	p := participantFrom(r.Context())
	if !s.slots.take(p.TokenID) {
		writeError(w, s.log, &apiError{http.StatusTooManyRequests, wire.CodeRateLimited,
			fmt.Sprintf("this token already has %d live connections, its limit; close one first", s.slots.max)})
		return
	}
	// Counted before the upgrade: until it hijacks the connection this is
	// an active request, which the HTTP server's shutdown waits for, so the
	// count is up before WaitConnections can start waiting.
	s.conns.Add(1)
	ws, err := s.upgrader().Upgrade(w, r, nil)
	if err != nil {
		s.slots.give(p.TokenID)
		s.conns.Done()
		return // the upgrader has answered
	}
	s.metrics.AddConnections(1)
	c := newWSConn(ws)
	go c.writer()
	// Registered before the join, so that a revocation while it joins
	// closes it too.
	unregister := s.register(c, p)
	member, err := s.hub.Join(r.Context(), id, room.Participant{ID: p.ID.String(), Name: p.Name, Role: p.Role, Delegation: p.Delegation}, c, since)
	if err != nil {
		code, msg := websocket.CloseInternalServerErr, "the database is unavailable; reconnect later"
		if errors.Is(err, room.ErrClosed) {
			code, msg = websocket.CloseGoingAway, "server shutting down"
		}
		s.log.Warn("join failed", "document_id", id, "err", err)
		c.Close(code, msg)
		c.wait()
		unregister()
		s.slots.give(p.TokenID)
		s.metrics.AddConnections(-1)
		s.conns.Done()
		return
	}
	tokenLimit := s.track(p.TokenID, c)
	// The reader gets a goroutine of its own and the handler returns: the
	// handler's stack has grown through authentication and the database,
	// and an idle connection should not keep it (net/http leaves a
	// hijacked connection alone once the handler returns).
	go func() {
		defer s.conns.Done()
		defer s.slots.give(p.TokenID)
		defer s.metrics.AddConnections(-1)
		defer unregister()
		defer s.untrack(p.TokenID, c)
		defer member.Leave()
		c.reader(member, rate.NewLimiter(s.perConn, int(2*s.perConn)), tokenLimit)
		c.wait()
	}()
}

// wsConn is one websocket connection: exactly one reader goroutine and one
// writer goroutine.
type wsConn struct {
	ws   *websocket.Conn
	send chan *room.Frame // from the room
	// replies holds the reader's own answers (refusals of frames that never
	// reached the room), apart from send: a client flooding refusals fills
	// this queue and is slowed down by it, never the room's.
	replies   chan *room.Frame
	closeReq  chan closeMsg
	closeOnce sync.Once
	done      chan struct{} // the reader has stopped
	doneOnce  sync.Once
	exited    chan struct{} // the writer has stopped
	closing   atomic.Bool   // Close was called: read no more
	queued    atomic.Int64  // bytes of the frames in send
}

type closeMsg struct {
	code   int
	reason string
}

func newWSConn(ws *websocket.Conn) *wsConn {
	return &wsConn{ws: ws, send: make(chan *room.Frame, sendQueue), replies: make(chan *room.Frame, replyQueue), closeReq: make(chan closeMsg, 1), done: make(chan struct{}), exited: make(chan struct{})}
}

// Send queues a frame without blocking; false means the queue is full:
// sendQueue frames, or sendQueueBytes bytes (a larger frame is let
// through alone, so a big welcome still goes out).
func (c *wsConn) Send(f *room.Frame) bool {
	n := int64(len(f.Data()))
	if q := c.queued.Load(); q > 0 && q+n > sendQueueBytes {
		return c.isDone()
	}
	c.queued.Add(n)
	select {
	case c.send <- f:
		return true
	case <-c.done:
		return true // going away anyway
	default:
		c.queued.Add(-n)
		return false
	}
}

func (c *wsConn) isDone() bool {
	select {
	case <-c.done:
		return true // going away anyway
	default:
		return false
	}
}

// prepared is a frame as gorilla/websocket sends it, framed (and, if
// negotiated, compressed) once for every connection: Frame.Cached keeps it.
type prepared struct {
	pm  *websocket.PreparedMessage
	err error
}

func prepare(data []byte) any {
	pm, err := websocket.NewPreparedMessage(websocket.TextMessage, data)
	return prepared{pm, err}
}

// Close asks the writer to send a close frame and hang up. From then on
// the reader passes nothing more to the room.
func (c *wsConn) Close(code int, reason string) {
	c.closeOnce.Do(func() {
		c.closing.Store(true)
		c.closeReq <- closeMsg{code, reason}
	})
}

func (c *wsConn) stop() { c.doneOnce.Do(func() { close(c.done) }) }

func (c *wsConn) wait() {
	c.stop()
	<-c.exited
}

func (c *wsConn) writer() {
	ticker := time.NewTicker(pingPeriod)
	defer func() {
		ticker.Stop()
		c.ws.Close()
		close(c.exited)
	}()
	write := func(f *room.Frame) bool {
		p := f.Cached(prepare).(prepared)
		if p.err != nil {
			return false
		}
		c.ws.SetWriteDeadline(time.Now().Add(writeWait))
		return c.ws.WritePreparedMessage(p.pm) == nil
	}
	// queued frames leave the byte count as they leave the queue.
	queued := func(f *room.Frame) bool {
		c.queued.Add(-int64(len(f.Data())))
		return write(f)
	}
	for {
		select {
		case f := <-c.send:
			if !queued(f) {
				return
			}
		case f := <-c.replies:
			if !write(f) {
				return
			}
		case m := <-c.closeReq:
			// Flush what is queued first, so a client told to go away has
			// every frame sent before it.
			for more := true; more; {
				var f *room.Frame
				select {
				case f = <-c.send:
					c.queued.Add(-int64(len(f.Data())))
				case f = <-c.replies:
				default:
					more = false
				}
				if f != nil && !write(f) {
					return
				}
			}
			c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(m.code, m.reason), time.Now().Add(writeWait))
			// Hang up once the client has answered the close (the reader
			// then stops) or after closeGrace: closing the socket while
			// the client is still sending makes TCP reset the connection,
			// and the client may never read the close frame and its code.
			t := time.NewTimer(closeGrace)
			select {
			case <-c.done:
			case <-t.C:
			}
			t.Stop()
			return
		case <-ticker.C:
			if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait)); err != nil {
				return
			}
		case <-c.done:
			return
		}
	}
}

func (c *wsConn) reader(m *room.Member, connLimit, tokenLimit *rate.Limiter) {
	defer c.stop()
	c.ws.SetReadLimit(maxMessageSize)
	c.ws.SetReadDeadline(time.Now().Add(pongWait))
	c.ws.SetPongHandler(func(string) error { return c.ws.SetReadDeadline(time.Now().Add(pongWait)) })
	var bad int
	windowStart := time.Now()
	// flood refills at the connection's rate: see floodBurst.
	flood := rate.NewLimiter(connLimit.Limit(), floodBurst)
	answer := func(f wire.ErrorFrame) bool {
		if !c.sendWait(room.NewFrame(mustJSON(f))) {
			c.Close(wire.CloseSlow, "slow: reconnect with since=")
			return false
		}
		return true
	}
	refuse := func(ref, code, msg string) (closed bool) {
		if time.Since(windowStart) > abuseWindow {
			windowStart, bad = time.Now(), 0
		}
		bad++
		if bad > abuseLimit {
			c.hangUp(wire.CloseAbuse, "too many invalid messages")
			return true
		}
		return !answer(wire.ErrorFrame{Type: wire.TypeError, Ref: ref, Code: code, Message: msg})
	}
	for {
		typ, data, err := c.ws.ReadMessage()
		if err != nil || c.closing.Load() {
			return
		}
		c.ws.SetReadDeadline(time.Now().Add(pongWait))
		if typ != websocket.TextMessage {
			if refuse("", wire.CodeInvalid, "frames must be JSON text messages") {
				return
			}
			continue
		}
		msg, err := wire.DecodeClientMessage(data)
		if err != nil {
			if refuse(msg.Ref(), wire.CodeInvalid, err.Error()) {
				return
			}
			continue
		}
		if now := time.Now(); !connLimit.AllowN(now, 1) || !tokenLimit.AllowN(now, 1) {
			// Not applied, and not invalid: the client waits and resends
			// under the same ref. Only a sustained flood closes.
			if !flood.AllowN(now, 1) {
				c.hangUp(wire.CloseTooFast, "too fast: sustained flood of messages over the rate limit")
				return
			}
			wait := retryAfter(now, connLimit, tokenLimit)
			if !answer(wire.ErrorFrame{Type: wire.TypeError, Ref: msg.Ref(), Code: wire.CodeRateLimited,
				Message: "too many messages; wait retry_after_ms, then resend", RetryAfterMs: int64((wait + time.Millisecond - 1) / time.Millisecond)}) {
				return
			}
			continue
		}
		switch v := msg.(type) {
		case wire.Edit:
			m.Edit(v)
		case wire.PresenceUpdate:
			m.Presence(v.Para)
		case wire.Action:
			m.Action(v)
		}
	}
}

// hangUp asks the writer to close with code, then reads and drops
// whatever the client still sends until the connection is gone, so that
// nothing more reaches the room and the close frame is not cut short.
func (c *wsConn) hangUp(code int, reason string) {
	c.Close(code, reason)
	for {
		if _, _, err := c.ws.ReadMessage(); err != nil {
			return
		}
	}
}

// sendWait queues a frame the reader itself answers with, waiting up to
// writeWait for room in the replies queue: a client that sends faster than
// it reads is slowed down (the reader stops reading) rather than closed at
// once. It reports false when the queue stayed full.
func (c *wsConn) sendWait(f *room.Frame) bool {
	select {
	case c.replies <- f:
		return true
	case <-c.done:
		return true
	default:
	}
	t := time.NewTimer(writeWait)
	defer t.Stop()
	select {
	case c.replies <- f:
		return true
	case <-c.done:
		return true
	case <-t.C:
		return false
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
