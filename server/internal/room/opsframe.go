package room

import (
	"encoding/json"

	"github.com/draftroom/draftroom/server/wire"
)

const (
	opsFrameHead = `{"type":"ops","ops":[`
	opsFrameTail = `]}`
)

// opsFrames encodes ops, in order, as ops frames of at most max bytes
// each: a client catching up on many large ops gets several bounded
// frames rather than one huge one. An op larger than max on its own goes
// in a frame by itself. Each op is encoded once.
func opsFrames(ops []wire.Op, max int) []*Frame {
	if len(ops) == 0 {
		return nil
	}
	var frames []*Frame
	var buf []byte
	n := 0 // ops in buf
	for i, op := range ops {
		b, err := json.Marshal(op)
		if err != nil {
			// Every op is built from our own types; failing to encode one is a bug.
			panic("room: encoding op: " + err.Error())
		}
		if n > 0 && len(buf)+1+len(b)+len(opsFrameTail) > max {
			frames = append(frames, NewFrame(append(buf, opsFrameTail...)))
			buf, n = nil, 0
		}
		if n == 0 {
			// Room for this op and as many more of its size as fit.
			buf = make([]byte, 0, min(max, len(opsFrameHead)+len(opsFrameTail)+(len(b)+1)*(len(ops)-i)))
			buf = append(buf, opsFrameHead...)
		} else {
			buf = append(buf, ',')
		}
		buf = append(buf, b...)
		n++
	}
	return append(frames, NewFrame(append(buf, opsFrameTail...)))
}
