package room

import (
	"encoding/json"
	"sync"

	"github.com/gorilla/websocket"
)

// Frame is one outgoing message, encoded once however many connections
// receive it. The websocket form (with its framing and, if negotiated,
// compression) is also prepared once, by whichever writer needs it first.
type Frame struct {
	data []byte
	once sync.Once
	pm   *websocket.PreparedMessage
	err  error
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

// Prepared returns the frame as a websocket prepared message.
func (f *Frame) Prepared() (*websocket.PreparedMessage, error) {
	f.once.Do(func() { f.pm, f.err = websocket.NewPreparedMessage(websocket.TextMessage, f.data) })
	return f.pm, f.err
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
