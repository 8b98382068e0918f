package wire

import (
	"bytes"
	"compress/flate"
	"fmt"
	"testing"

	"github.com/draftroom/draftroom/server/ot"
)

// BenchmarkDeflateOpsFrame measures what permessage-deflate would do to
// ops frames as gorilla/websocket compresses them: each message on its own
// (it supports no context takeover), at flate level 1 (its default), the
// 4-byte tail stripped. It reports the payload bytes with and without, and
// the CPU of compressing once (a PreparedMessage compresses once per frame
// for every connection that negotiated it). docs/performance.md has the
// figures and the decision.
//
//	go test -run '^$' -bench DeflateOpsFrame ./server/wire
func BenchmarkDeflateOpsFrame(b *testing.B) {
	for _, n := range []int{1, 5, 20, 100} {
		h := NewHandles()
		var live []LiveOp
		for i := range n {
			op := Op{Seq: int64(100000 + i), Kind: KindText, Para: fmt.Sprintf("1b0e2f4a-9c41-4d2e-8f00-%012d", i%10), Op: ot.Op{{Skip: 10 + 7*i}, {Insert: "hello"}},
				Author: "BRA", Participant: fmt.Sprintf("6f1c0000-9c41-4d2e-8f00-%012d", i%20), Ref: fmt.Sprintf("c%d-%d", i%20, 1000+i)}
			h.Live(op, true) // handles known: the steady state
			op.Seq += 1000
			live = append(live, h.Live(op, true))
		}
		frame := OpsFrames(live, 1<<20)[0]
		b.Run(fmt.Sprintf("ops=%d", n), func(b *testing.B) {
			var buf bytes.Buffer
			w, _ := flate.NewWriter(&buf, 1)
			size := 0
			for b.Loop() {
				buf.Reset()
				w.Reset(&buf)
				w.Write(frame)
				w.Flush()
				size = buf.Len() - 4
			}
			b.ReportMetric(float64(len(frame)), "raw-B")
			b.ReportMetric(float64(size), "deflate-B")
		})
	}
}
