package httpapi

import (
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/draftroom/draftroom/server/wire"
)

// wsConn is one websocket connection: one reader goroutine for its life,
// and at most one writer goroutine at a time, started when there is
// something to write and gone when the queues are empty. An idle
// connection (most of a large room's viewers) thus holds no writer and
// no stack for one, and its queues are nil until a frame arrives.
//
// The room's frames are sent as soon as the writer can: a connection
// that is idle sends a frame the moment it is queued. Ops frames queued
// while a write is in flight go out together, as one message, so that a
// busy connection makes fewer and larger writes: batching grows with
// load and never waits on a clock.
type wsConn struct {
	ws *websocket.Conn

	mu      sync.Mutex
	queue   []*wire.Frame // from the room, in order; nil when empty
	queued  int           // bytes in queue
	replies []*wire.Frame // the reader's own answers (see sendWait)
	close   *closeMsg     // Close was called: flush, then send it
	pingDue bool
	started bool // writers may run (false in tests of the queue alone)
	writing bool // a writer goroutine is running
	over    bool // the socket is closed: write nothing more

	ping      *time.Timer
	space     chan struct{} // a writer took the replies: there is room again
	closeOnce sync.Once
	done      chan struct{} // the reader has stopped
	doneOnce  sync.Once
	exited    chan struct{} // the last writer has closed the socket
}

type closeMsg struct {
	code   int
	reason string
}

func newWSConn(ws *websocket.Conn) *wsConn {
	return &wsConn{ws: ws, space: make(chan struct{}, 1), done: make(chan struct{}), exited: make(chan struct{})}
}

// start lets writers run and starts the ping clock.
func (c *wsConn) start() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.started = true
	c.ping = time.AfterFunc(pingPeriod, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.pingDue = true
		c.kick()
	})
	c.kick()
}

// kick starts a writer if there is none. Called with mu held.
func (c *wsConn) kick() {
	if c.started && !c.writing && !c.over {
		c.writing = true
		go c.writer()
	}
}

// Send queues a frame without blocking; false means the queue is full:
// sendQueue frames, or sendQueueBytes bytes (a larger frame is let
// through alone, so a big welcome still goes out).
func (c *wsConn) Send(f *wire.Frame) bool {
	n := len(f.Data())
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.over || c.isDone() {
		return true // going away anyway
	}
	if len(c.queue) >= sendQueue || (c.queued > 0 && c.queued+n > sendQueueBytes) {
		return false
	}
	c.queue = append(c.queue, f)
	c.queued += n
	c.kick()
	return true
}

// queuedBytes is what waits in the room's queue, in bytes.
func (c *wsConn) queuedBytes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.queued
}

func (c *wsConn) isDone() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// Close asks the writer to send what is queued, then a close frame, and
// hang up. From then on the reader passes nothing more to the room.
func (c *wsConn) Close(code int, reason string) {
	c.closeOnce.Do(func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.close = &closeMsg{code, reason}
		c.kick()
	})
}

// closing reports whether Close was called.
func (c *wsConn) closing() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.close != nil
}

// stop says the reader has stopped: a writer closes the socket.
func (c *wsConn) stop() {
	c.doneOnce.Do(func() {
		close(c.done)
		c.mu.Lock()
		defer c.mu.Unlock()
		c.kick()
	})
}

// wait stops the connection and waits until its socket is closed.
func (c *wsConn) wait() {
	c.stop()
	<-c.exited
}

// sendWait queues a frame the reader itself answers with, waiting up to
// writeWait for room in the replies queue: a client that sends faster than
// it reads is slowed down (the reader stops reading) rather than closed at
// once. It reports false when the queue stayed full.
func (c *wsConn) sendWait(f *wire.Frame) bool {
	var t *time.Timer
	for {
		c.mu.Lock()
		if c.over || c.isDone() {
			c.mu.Unlock()
			return true
		}
		if len(c.replies) < replyQueue {
			c.replies = append(c.replies, f)
			c.kick()
			c.mu.Unlock()
			return true
		}
		c.mu.Unlock()
		if t == nil {
			t = time.NewTimer(writeWait)
			defer t.Stop()
		}
		select {
		case <-c.space:
		case <-c.done:
			return true
		case <-t.C:
			return false
		}
	}
}

// work is what a writer takes from the connection in one go.
type work struct {
	queue, replies []*wire.Frame
	close          *closeMsg
	ping, stop     bool
}

// take hands the writer everything waiting, or tells it to exit (ok ==
// false) when there is nothing.
func (c *wsConn) take() (w work, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.isDone() {
		return work{stop: true}, true
	}
	w = work{queue: c.queue, replies: c.replies, close: c.close, ping: c.pingDue}
	if len(w.queue) == 0 && len(w.replies) == 0 && w.close == nil && !w.ping {
		c.writing = false
		return w, false
	}
	c.queue, c.queued, c.replies, c.pingDue = nil, 0, nil, false
	if len(w.replies) > 0 {
		select {
		case c.space <- struct{}{}:
		default:
		}
	}
	return w, true
}

func (c *wsConn) writer() {
	for {
		w, ok := c.take()
		if !ok {
			return
		}
		if w.stop || !c.writeAll(w.replies) || !c.writeAll(w.queue) {
			c.finish()
			return
		}
		if w.ping {
			if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait)); err != nil {
				c.finish()
				return
			}
			c.ping.Reset(pingPeriod)
		}
		if w.close != nil {
			c.goodbye(w.close)
			return
		}
	}
}

// goodbye sends what the room queued before the close, then the close
// frame, and hangs up once the client has answered the close (the reader
// then stops) or after closeGrace: closing the socket while the client is
// still sending makes TCP reset the connection, and the client may never
// read the close frame and its code.
func (c *wsConn) goodbye(m *closeMsg) {
	c.mu.Lock()
	q := c.queue
	c.queue, c.queued = nil, 0
	c.mu.Unlock()
	if c.writeAll(q) {
		c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(m.code, m.reason), time.Now().Add(writeWait))
		t := time.NewTimer(closeGrace)
		select {
		case <-c.done:
		case <-t.C:
		}
		t.Stop()
	}
	c.finish()
}

// finish closes the socket; no writer runs after it.
func (c *wsConn) finish() {
	c.mu.Lock()
	c.over, c.writing = true, false
	c.queue, c.queued, c.replies = nil, 0, nil
	if c.ping != nil {
		c.ping.Stop()
	}
	c.mu.Unlock()
	c.ws.Close()
	close(c.exited)
}

// writeAll writes frames in order. Consecutive ops frames become one
// message (their ops in one array, wire.OpsBody) of at most maxJoined
// bytes; a frame sent alone goes in the form prepared once for every
// connection (Frame.Cached).
func (c *wsConn) writeAll(frames []*wire.Frame) bool {
	for i := 0; i < len(frames); {
		j := i + 1
		if frames[i].IsOps() {
			size := len(frames[i].Data())
			for j < len(frames) && frames[j].IsOps() && size+len(frames[j].Data()) <= maxJoined {
				size += len(frames[j].Data())
				j++
			}
		}
		var err error
		c.ws.SetWriteDeadline(time.Now().Add(writeWait))
		if j == i+1 {
			p := frames[i].Cached(prepare).(prepared)
			if p.err != nil {
				return false
			}
			err = c.ws.WritePreparedMessage(p.pm)
		} else {
			err = c.writeJoined(frames[i:j])
		}
		if err != nil {
			return false
		}
		i = j
	}
	return true
}

// maxJoined bounds a message of joined ops frames, as the room bounds one
// ops frame (room.Config.MaxFrameBytes).
const maxJoined = 1 << 20

var joinBuffers = sync.Pool{New: func() any { return new([]byte) }}

// writeJoined sends the ops of several ops frames as one ops frame.
func (c *wsConn) writeJoined(frames []*wire.Frame) error {
	bp := joinBuffers.Get().(*[]byte)
	b := append((*bp)[:0], wire.OpsFrameHead...)
	for k, f := range frames {
		if k > 0 {
			b = append(b, ',')
		}
		b = append(b, wire.OpsBody(f.Data())...)
	}
	b = append(b, wire.OpsFrameTail...)
	err := c.ws.WriteMessage(websocket.TextMessage, b)
	if cap(b) <= 64<<10 {
		*bp = b
		joinBuffers.Put(bp)
	}
	return err
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
