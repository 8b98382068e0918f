package bench

import (
	"context"
	"hash/maphash"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/draftroom/draftroom/client"
	"github.com/draftroom/draftroom/server/wire"
)

// tracker follows each bench op from its submission to its acknowledgement
// and to its receipt by every probe. Every client is in this process, so
// one clock times both ends.
type tracker struct {
	probes int
	seed   maphash.Seed
	shards [64]trackShard

	sent, applied, ackedOps, toProbes    atomic.Int64
	refused, discarded, localErrs, drops atomic.Int64

	mu      sync.Mutex
	lat     []time.Duration // submission → the last probe's receipt, per op
	ackLat  []time.Duration // submission → the sender's acknowledgement, per op
	recent  []time.Duration // completed since the last progress line
	settled chan struct{}   // closed on the next acknowledgement or refusal, if someone waits
}

type trackShard struct {
	mu  sync.Mutex
	ops map[string]*trackedOp
}

// trackedOp is one ref: the full client composes edits made while an op is
// in flight into one op, so a ref may carry several edits.
type trackedOp struct {
	sent   time.Time // the first edit composed into this ref
	edits  int
	recv   int       // probes that have it
	last   time.Time // the latest probe's receipt
	ackAt  time.Time
	acked  bool
	timed  bool // its latency to the probes is recorded
	ackRec bool // its latency to the ack is recorded
}

func newTracker(probes int) *tracker {
	t := &tracker{probes: probes, seed: maphash.MakeSeed()}
	for i := range t.shards {
		t.shards[i].ops = map[string]*trackedOp{}
	}
	return t
}

// op finds or makes ref's entry; the caller holds s.mu.
func (s *trackShard) op(ref string) *trackedOp {
	op := s.ops[ref]
	if op == nil {
		op = &trackedOp{}
		s.ops[ref] = op
	}
	return op
}

// with runs fn on ref's entry under its shard's lock, then records the
// latencies fn completed.
func (t *tracker) with(ref string, fn func(op *trackedOp)) {
	s := &t.shards[maphash.String(t.seed, ref)%uint64(len(t.shards))]
	s.mu.Lock()
	op := s.op(ref)
	fn(op)
	var toProbes, toAck time.Duration
	var probesDone, ackDone bool
	if !op.sent.IsZero() {
		if !op.timed && t.probes > 0 && op.recv >= t.probes {
			op.timed, probesDone = true, true
			toProbes = max(op.last.Sub(op.sent), 0)
		}
		if !op.ackRec && op.acked {
			op.ackRec, ackDone = true, true
			toAck = max(op.ackAt.Sub(op.sent), 0)
		}
	}
	s.mu.Unlock()
	if probesDone || ackDone {
		t.record(toProbes, probesDone, toAck, ackDone)
	}
}

// submitted records an edit. Its ref may already have been seen: the
// client's writer can send it, and the server answer, before Submit
// returns.
func (t *tracker) submitted(ref string, at time.Time) {
	t.sent.Add(1)
	t.with(ref, func(op *trackedOp) {
		if op.sent.IsZero() {
			op.sent = at
		}
		op.edits++
		if op.acked {
			t.applied.Add(1)
		}
	})
}

// probeReceived records one probe's receipt of a committed op.
func (t *tracker) probeReceived(ref string, at time.Time) {
	t.with(ref, func(op *trackedOp) {
		op.recv++
		if at.After(op.last) {
			op.last = at
		}
	})
}

// acked records the sender's acknowledgement of its op.
func (t *tracker) acked(ref string, at time.Time) {
	first := false
	t.with(ref, func(op *trackedOp) {
		if !op.acked {
			op.acked, op.ackAt, first = true, at, true
			t.applied.Add(int64(op.edits))
			t.ackedOps.Add(1)
		}
	})
	if first {
		t.wake()
	}
}

// refusedOne counts an edit the server refused.
func (t *tracker) refusedOne() {
	t.refused.Add(1)
	t.wake()
}

func (t *tracker) record(toProbes time.Duration, probesDone bool, toAck time.Duration, ackDone bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if probesDone {
		t.toProbes.Add(1)
		t.lat = append(t.lat, toProbes)
	}
	if ackDone {
		t.ackLat = append(t.ackLat, toAck)
	}
	// Progress reports the probes' latency, or the ack's when there are none.
	if probesDone {
		t.recent = append(t.recent, toProbes)
	} else if t.probes == 0 && ackDone {
		t.recent = append(t.recent, toAck)
	}
}

func (t *tracker) wake() {
	t.mu.Lock()
	if t.settled != nil {
		close(t.settled)
		t.settled = nil
	}
	t.mu.Unlock()
}

// waitSettled waits until every edit sent has been acknowledged or
// refused, or ctx ends. Only light typists need it: full ones have
// client.WaitIdle.
func (t *tracker) waitSettled(ctx context.Context) {
	for {
		t.mu.Lock()
		if t.applied.Load()+t.refused.Load() >= t.sent.Load() {
			t.mu.Unlock()
			return
		}
		if t.settled == nil {
			t.settled = make(chan struct{})
		}
		ch := t.settled
		t.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return
		}
	}
}

// takeRecent returns the p95 of the latencies completed since its last call.
func (t *tracker) takeRecent() (time.Duration, int) {
	t.mu.Lock()
	r := t.recent
	t.recent = nil
	t.mu.Unlock()
	slices.Sort(r)
	return percentile(r, 95), len(r)
}

// latencies returns the latencies to the probes and to the ack, sorted.
func (t *tracker) latencies() (toProbes, toAck []time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	toProbes, toAck = slices.Clone(t.lat), slices.Clone(t.ackLat)
	slices.Sort(toProbes)
	slices.Sort(toAck)
	return toProbes, toAck
}

// onProbe is every probe's event hook.
func (t *tracker) onProbe(e client.Event) {
	switch e.Kind {
	case client.EventRemote:
		if e.Op != nil && e.Op.Kind == wire.KindText && e.Ref != "" {
			t.probeReceived(e.Ref, e.Time)
		}
	case client.EventDisconnected:
		t.drops.Add(1)
	}
}

// onTypist is every full typist's event hook; the ops of others it
// receives are not timed (probes do that).
func (t *tracker) onTypist(e client.Event) {
	switch e.Kind {
	case client.EventAck:
		if e.Ref != "" {
			t.acked(e.Ref, e.Time)
		}
	case client.EventRefused:
		t.refusedOne()
	case client.EventDiscarded:
		t.discarded.Add(1)
	case client.EventDisconnected:
		t.drops.Add(1)
	}
}

// percentile of sorted durations, nearest rank.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.999999) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}
