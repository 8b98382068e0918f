package room

import (
	"encoding/json"
	"sync"
)

// Frame is one outgoing message, encoded once however many connections
// receive it. A transport that sends it in a form of its own (a websocket
// frame, compressed or not) prepares that once too, in the frame's cache
// slot, by whichever connection needs it first.
type Frame struct {
	data   []byte
	once   sync.Once
	cached any
}

// NewFrame wraps encoded JSON.
func NewFrame(data []byte) *Frame { return &Frame{data: data} }

func encodeFrame(v any) *Frame {
	b, err := json.Marshal(v)
	if err != nil {
		// Every frame is built from our own types; failing to encode one is a bug.
		panic("room: encoding frame: " + err.Error())
	}
	return NewFrame(b)
}

// Data is the frame's JSON.
func (f *Frame) Data() []byte { return f.data }

// Cached returns the transport's form of the frame, made by prepare from
// its JSON the first time it is asked for. A process has one transport,
// so one slot is enough.
func (f *Frame) Cached(prepare func(data []byte) any) any {
	f.once.Do(func() { f.cached = prepare(f.data) })
	return f.cached
}

// Peer is the transport under a room member: a websocket connection in
// production, a channel in tests. Send must not block: it reports false
// when the peer's bounded queue is full, and the room then drops the peer.
type Peer interface {
	Send(f *Frame) bool
	// Close closes the connection with a close code and reason. It must not
	// block and may be called more than once.
	Close(code int, reason string)
}
