package httpapi

import (
	"bytes"
	"testing"

	"github.com/draftroom/draftroom/server/wire"
)

// A connection's queue is bounded in bytes as well as in frames: a member
// that does not read is dropped as slow once 1 MiB waits for it, however
// few frames that is; a frame larger than that still goes alone.
func TestSendQueueIsBoundedInBytes(t *testing.T) {
	t.Parallel()
	c := newWSConn(nil)                                      // no writer: nothing leaves the queue
	big := wire.NewFrame(bytes.Repeat([]byte("ж"), 100_000)) // 200 KB
	sent := 0
	for c.Send(big) {
		sent++
		if sent > sendQueue {
			t.Fatal("the queue took more frames than it holds")
		}
	}
	if sent != 5 || c.queuedBytes() != 5*200_000 {
		t.Fatalf("%d frames of 200 KB queued (%d bytes), want 5 (1 MiB)", sent, c.queuedBytes())
	}
	// Small frames are bounded by count.
	small := newWSConn(nil)
	n := 0
	for small.Send(wire.NewFrame([]byte(`{"type":"ops","ops":[]}`))) {
		n++
	}
	if n != sendQueue {
		t.Fatalf("%d small frames queued, want %d", n, sendQueue)
	}
	// One frame over 1 MiB goes when nothing else waits.
	alone := newWSConn(nil)
	huge := wire.NewFrame(bytes.Repeat([]byte("x"), 3<<20))
	if !alone.Send(huge) || alone.Send(wire.NewFrame([]byte("{}"))) {
		t.Fatal("a frame over 1 MiB must go alone, and nothing after it while it waits")
	}
}
