package bench

import (
	"context"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// sink is a participant that costs the server what any member costs (the
// handshake, the welcome, every frame of the room, pings) and the
// generator almost nothing: it reads each frame to the end without
// looking inside it, and counts it. It knows no frame format, so it never
// has to change when the protocol does.
type sink struct {
	ws      *websocket.Conn
	conn    *countingConn
	frames  atomic.Int64
	bytes   atomic.Int64 // message payloads, as the application sees them
	closing atomic.Bool
	done    chan struct{}
}

// countingConn counts the bytes read from the socket: frames with their
// websocket headers, as they travel (after compression, if any).
type countingConn struct {
	net.Conn
	n atomic.Int64
}

func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func dialSink(ctx context.Context, base, token, doc string, tr *tracker) (*sink, error) {
	s := &sink{done: make(chan struct{})}
	d := websocket.Dialer{
		ReadBufferSize: 4096, WriteBufferSize: 256, HandshakeTimeout: 30 * time.Second,
		NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			s.conn = &countingConn{Conn: c}
			return s.conn, nil
		},
	}
	ws, _, err := d.DialContext(ctx, liveURL(base, doc), http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		return nil, err
	}
	s.ws = ws
	// The welcome: the server has made this a member.
	if _, r, err := ws.NextReader(); err != nil {
		ws.Close()
		return nil, err
	} else if _, err := io.Copy(io.Discard, r); err != nil {
		ws.Close()
		return nil, err
	}
	go s.read(tr)
	return s, nil
}

// read discards every frame; gorilla answers pings while it reads.
func (s *sink) read(tr *tracker) {
	defer close(s.done)
	for {
		_, r, err := s.ws.NextReader()
		var n int64
		if err == nil {
			n, err = io.Copy(io.Discard, r)
		}
		if err != nil {
			if !s.closing.Load() {
				tr.drops.Add(1)
			}
			return
		}
		s.bytes.Add(n)
		s.frames.Add(1)
	}
}

func (s *sink) close() {
	s.closing.Store(true)
	s.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	s.ws.Close()
	<-s.done
}

// sinkCounts are the sinks' totals.
type sinkCounts struct{ frames, bytes, wire int64 }

func countSinks(sinks []*sink) sinkCounts {
	var c sinkCounts
	for _, s := range sinks {
		c.frames += s.frames.Load()
		c.bytes += s.bytes.Load()
		c.wire += s.conn.n.Load()
	}
	return c
}

// waitSinksQuiet waits until no sink has received a frame for quiet (or
// ctx ends). Sinks cannot tell which op a frame carries, so this is how
// the drain knows they have read the last ops: the probes have them all,
// and nothing else is being sent.
func waitSinksQuiet(ctx context.Context, sinks []*sink, quiet time.Duration) {
	if len(sinks) == 0 {
		return
	}
	t := time.NewTimer(quiet)
	defer t.Stop()
	last := countSinks(sinks).frames
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := countSinks(sinks).frames
		if now == last {
			return
		}
		last = now
		t.Reset(quiet)
	}
}
