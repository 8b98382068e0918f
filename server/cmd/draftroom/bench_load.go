package main

import (
	"context"
	"errors"
	"hash/maphash"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/draftroom/draftroom/client"
	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// tracker follows each bench edit from its submission to its receipt by
// every participant. All clients are in this process, so one clock serves.
type tracker struct {
	receivers int // participants: the sender's ack counts as its receipt
	seed      maphash.Seed
	shards    [64]trackShard

	sent, applied, ackedOps, refused, discarded, localErrs, drops atomic.Int64

	mu       sync.Mutex
	lat      []time.Duration // per completed op
	recent   []time.Duration // since the last progress line
	complete int
}

type trackShard struct {
	mu  sync.Mutex
	ops map[string]*trackedOp
}

type trackedOp struct {
	sent  time.Time // first edit composed into this ref
	edits int
	recv  int
	acked bool
	done  bool
}

func newTracker(receivers int) *tracker {
	t := &tracker{receivers: receivers, seed: maphash.MakeSeed()}
	for i := range t.shards {
		t.shards[i].ops = map[string]*trackedOp{}
	}
	return t
}

func (t *tracker) shard(ref string) *trackShard {
	return &t.shards[maphash.String(t.seed, ref)%uint64(len(t.shards))]
}

// submitted records an edit. Its ref may already have been seen: the
// writer can send it, and others receive it, before Submit returns.
func (t *tracker) submitted(ref string, at time.Time) {
	t.sent.Add(1)
	s := t.shard(ref)
	s.mu.Lock()
	op := s.ops[ref]
	if op == nil {
		op = &trackedOp{}
		s.ops[ref] = op
	}
	if op.sent.IsZero() {
		op.sent = at
	}
	op.edits++
	if op.acked {
		t.applied.Add(1)
	}
	lat, done := t.finish(op, at)
	s.mu.Unlock()
	if done {
		t.record(lat)
	}
}

// received records one participant's receipt of a committed op.
func (t *tracker) received(ref string, ack bool, at time.Time) {
	s := t.shard(ref)
	s.mu.Lock()
	op := s.ops[ref]
	if op == nil {
		op = &trackedOp{}
		s.ops[ref] = op
	}
	op.recv++
	if ack && !op.acked {
		op.acked = true
		t.applied.Add(int64(op.edits))
		t.ackedOps.Add(1)
	}
	lat, done := t.finish(op, at)
	s.mu.Unlock()
	if done {
		t.record(lat)
	}
}

func (t *tracker) finish(op *trackedOp, at time.Time) (time.Duration, bool) {
	if op.done || op.recv < t.receivers || op.sent.IsZero() {
		return 0, false
	}
	op.done = true
	return max(at.Sub(op.sent), 0), true
}

func (t *tracker) record(d time.Duration) {
	t.mu.Lock()
	t.lat = append(t.lat, d)
	t.recent = append(t.recent, d)
	t.complete++
	t.mu.Unlock()
}

// takeRecent returns the p95 of latencies completed since the last call.
func (t *tracker) takeRecent() (time.Duration, int) {
	t.mu.Lock()
	r := t.recent
	t.recent = nil
	t.mu.Unlock()
	slices.Sort(r)
	return percentile(r, 95), len(r)
}

func (t *tracker) latencies() []time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := slices.Clone(t.lat)
	slices.Sort(out)
	return out
}

// onEvent is every bench client's event hook.
func (t *tracker) onEvent(e client.Event) {
	switch e.Kind {
	case client.EventAck, client.EventRemote:
		if e.Op != nil && e.Op.Kind == wire.KindText && e.Ref != "" {
			t.received(e.Ref, e.Kind == client.EventAck, e.Time)
		}
	case client.EventRefused:
		t.refused.Add(1)
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

// benchPieces make up typed text: several scripts and emoji, no brackets
// (the drafting rules want them balanced).
var benchPieces = []string{"a", "e", "t", " ", "of ", "the ", "ب", "م", "决", "议", "👍", "ñ", ","}

// maxBenchPara keeps paragraphs short: every client applies every op, and
// applying costs the paragraph's length.
const maxBenchPara = 400

// typist edits at rate per second until ctx ends: short inserts at random
// positions, and a deletion now and then to keep paragraphs bounded.
func typist(ctx context.Context, c *client.Client, paras []string, rate float64, tr *tracker, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	interval := time.Duration(float64(time.Second) / rate)
	// A random phase, so that typists do not all type in step.
	timer := time.NewTimer(time.Duration(rng.Int64N(int64(interval) + 1)))
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		timer.Reset(interval)
		para := paras[rng.IntN(len(paras))]
		at := time.Now()
		ref, err := c.SubmitFunc(para, func(text string) ot.Op {
			n := utf8.RuneCountInString(text)
			if n > maxBenchPara {
				pos := rng.IntN(n - 20)
				return ot.Op{{Skip: pos}, {Delete: 5 + rng.IntN(15)}}
			}
			var b strings.Builder
			for range 2 + rng.IntN(5) {
				b.WriteString(benchPieces[rng.IntN(len(benchPieces))])
			}
			return ot.Op{{Skip: rng.IntN(n + 1)}, {Insert: b.String()}}
		})
		if err != nil {
			tr.localErrs.Add(1)
			continue
		}
		if ref != "" {
			tr.submitted(ref, at)
		}
	}
}

// forEach runs fn(0) … fn(n-1), at most limit at a time, and returns
// their errors joined.
func forEach(n, limit int, fn func(i int) error) error {
	errs := make([]error, n)
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			errs[i] = fn(i)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// dialAll connects n participants, spread over the URLs round-robin (each
// with the others as failover), a few at a time.
func dialAll(ctx context.Context, n int, urls []string, tokenFor func(i int) string, doc string, tr *tracker) ([]*client.Client, error) {
	clients := make([]*client.Client, n)
	err := forEach(n, 32, func(i int) error {
		rot := append(slices.Clone(urls[i%len(urls):]), urls[:i%len(urls)]...)
		dctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		c, err := client.Dial(dctx, client.Options{
			URLs: rot, Token: tokenFor(i), Document: doc,
			MinBackoff: 100 * time.Millisecond, MaxBackoff: 2 * time.Second,
			OnEvent: tr.onEvent,
		})
		clients[i] = c
		return err
	})
	if err != nil {
		closeAll(clients)
		return nil, err
	}
	return clients, nil
}

func closeAll(clients []*client.Client) {
	var wg sync.WaitGroup
	for _, c := range clients {
		if c != nil {
			wg.Add(1)
			go func() { defer wg.Done(); c.Close() }()
		}
	}
	wg.Wait()
}

// drain waits for the typists' edits to be acknowledged and for every
// client to have received everything, so late latencies are counted.
func drain(ctx context.Context, clients []*client.Client, typists int) {
	for _, c := range clients[:typists] {
		c.WaitIdle(ctx)
	}
	var top int64
	for _, c := range clients {
		top = max(top, c.Seq())
	}
	for _, c := range clients {
		c.WaitSeq(ctx, top)
	}
}
