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
	c.start()
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
		if !c.sendWait(wire.NewFrame(mustJSON(f))) {
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
		if err != nil || c.closing() {
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

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
