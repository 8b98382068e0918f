package wire

import (
	"encoding/json"
	"fmt"
)

// Frames the server builds from parts it has already encoded, so that
// what goes to many members is encoded once.

const (
	opsFrameHead = `{"type":"ops","ops":[`
	opsFrameTail = `]}`
)

// OpsFrames encodes ops, in order, as ops frames of at most max bytes
// each: a client catching up on many large ops gets several bounded
// frames rather than one huge one. An op larger than max on its own goes
// in a frame by itself. Each op is encoded once.
func OpsFrames(ops []Op, max int) [][]byte {
	if len(ops) == 0 {
		return nil
	}
	var frames [][]byte
	var buf []byte
	n := 0 // ops in buf
	for i, op := range ops {
		b, err := json.Marshal(op)
		if err != nil {
			// Every op is built from our own types; failing to encode one is a bug.
			panic("wire: encoding op: " + err.Error())
		}
		if n > 0 && len(buf)+1+len(b)+len(opsFrameTail) > max {
			frames = append(frames, append(buf, opsFrameTail...))
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
	return append(frames, append(buf, opsFrameTail...))
}

// WelcomeFrame is a welcome frame around a document already encoded
// (shared by every member who joins at that seq) and the joiner's own
// "you".
func WelcomeFrame(seq int64, you, document []byte) []byte {
	b := make([]byte, 0, len(document)+len(you)+64)
	b = fmt.Appendf(b, `{"type":"welcome","seq":%d,"you":`, seq)
	b = append(b, you...)
	b = append(b, `,"document":`...)
	b = append(b, document...)
	return append(b, '}')
}
