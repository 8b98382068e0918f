package e2e

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/draftroom/draftroom/client"
	"github.com/draftroom/draftroom/server/ot"
)

// The server is SIGKILLed in the middle of a burst of edits and restarted
// on the same address and data. Every edit a client saw acknowledged
// survives, none is applied twice, and the clients converge.
func TestLiveCrashKeepsAcknowledgedEdits(t *testing.T) {
	restartMidBurst(t, 1, restartWith(syscall.SIGKILL))
}

// Killed again and again during group commits: after each restart the log
// and the paragraph texts agree, every acknowledged op is there once, and
// nothing was applied twice.
func TestLiveRepeatedKills(t *testing.T) {
	restartMidBurst(t, 3, restartWith(syscall.SIGKILL))
}

// PostgreSQL itself restarts under load while the server keeps running:
// edits meet unavailable, clients hold and resend them, and the server
// recovers by itself.
func TestLiveDatabaseRestart(t *testing.T) {
	restartMidBurst(t, 1, func(t *testing.T, s *server, data, addr string) *server {
		if res := draftroom(t, data, nil, "db", "stop"); res.code != 0 {
			t.Fatalf("db stop: %+v", res)
		}
		if res := draftroom(t, data, nil, "db", "start"); res.code != 0 {
			t.Fatalf("db start: %+v", res)
		}
		return s
	})
}

func restartWith(sig syscall.Signal) func(*testing.T, *server, string, string) *server {
	return func(t *testing.T, s *server, data, addr string) *server {
		if err := s.cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		<-s.exited
		// The clients keep typing into their buffers while the server is down.
		s2 := startServer(t, data, nil, "--addr", addr)
		if s2.url != s.url {
			t.Fatalf("restarted on %s, want %s", s2.url, s.url)
		}
		return s2
	}
}

// The same with a graceful restart: SIGTERM commits what was accepted and
// sends the clients away with 1001.
func TestLiveRestartKeepsAcknowledgedEdits(t *testing.T) {
	restartMidBurst(t, 1, restartWith(syscall.SIGTERM))
}

func restartMidBurst(t *testing.T, rounds int, disrupt func(t *testing.T, s *server, data, addr string) *server) {
	const clients = 5
	data := dataDir(t)
	addr := freeAddr(t)
	srv := startServer(t, data, nil, "--addr", addr)
	doc := importLive(t, data, liveCSV)
	tokens := chairTokens(t, data, doc, clients)
	start := getDocument(t, srv.url, tokens[0], doc)
	para := paragraphs(start)[1].ID

	var ev eventCounts
	cs := make([]*client.Client, clients)
	bursts := make([]*markerBurst, clients)
	for i := range cs {
		cs[i] = dialLive(t, []string{srv.url}, tokens[i], doc, &ev)
		bursts[i] = &markerBurst{c: cs[i], para: para, name: fmt.Sprintf("c%d", i), refs: map[string][]string{}}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i, b := range bursts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b.run(t, rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(i))), stop)
		}()
	}

	// Kill once a fair number of edits are durable, while more are in
	// flight.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := cs[0].WaitSeq(ctx, start.Seq+40); err != nil {
		t.Fatalf("burst did not get going: %v", err)
	}
	var killedAt []int64
	srv2 := srv
	for round := 0; round < rounds; round++ {
		if round > 0 {
			// Let the burst make progress again before the next blow.
			if err := cs[0].WaitSeq(ctx, cs[0].Seq()+30); err != nil {
				t.Fatalf("round %d: no progress: %v", round, err)
			}
		}
		srv2 = disrupt(t, srv2, data, addr)
		killedAt = append(killedAt, cs[0].Seq())
		for _, c := range cs {
			if err := c.WaitConnected(ctx); err != nil {
				t.Fatalf("client did not reconnect: %v", err)
			}
		}
		if err := cs[0].WaitSeq(ctx, cs[0].Seq()+20); err != nil {
			t.Fatalf("no progress after the restart: %v", err)
		}
	}
	close(stop)
	wg.Wait()

	final := settleLive(t, srv2.url, tokens[0], doc, cs)
	text := ""
	for _, p := range paragraphs(final) {
		if p.ID == para {
			text = p.Text
		}
	}
	ackedMarkers := 0
	for i, b := range bursts {
		for _, a := range cs[i].Acked() {
			for _, m := range b.refs[a.Ref] {
				ackedMarkers++
				if strings.Count(text, m) != 1 {
					t.Errorf("acknowledged marker %s (ref %s, seq %d) appears %d times", m, a.Ref, a.Seq, strings.Count(text, m))
				}
			}
		}
		for _, ms := range b.refs {
			for _, m := range ms {
				if strings.Count(text, m) > 1 {
					t.Errorf("marker %s applied %d times", m, strings.Count(text, m))
				}
			}
		}
	}
	replayed := replayLog(t, data, doc, start, final.Seq)
	if replayed[para] != text {
		t.Errorf("replay differs from the server:\n replay %q\n server %q", replayed[para], text)
	}
	if n := ev.get(client.EventRefused); n != 0 {
		t.Errorf("%d edits refused", n)
	}
	t.Logf("disrupted at seqs %v; %d acknowledged markers kept; final seq %d; %d discarded by resyncs", killedAt, ackedMarkers, final.Seq, ev.get(client.EventDiscarded))
}

// markerBurst inserts unique markers like {c3n17}, only between markers
// or in the original text, so none is ever split and each can be found.
type markerBurst struct {
	c    *client.Client
	para string
	name string
	n    atomic.Int64
	refs map[string][]string // ref → markers composed into it; owned by run until it returns
}

func (b *markerBurst) run(t *testing.T, rng *rand.Rand, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		time.Sleep(time.Duration(rng.IntN(3000)) * time.Microsecond) // workload pacing
		marker := fmt.Sprintf("{%sn%d}", b.name, b.n.Add(1))
		ref, err := b.c.SubmitFunc(b.para, func(text string) ot.Op {
			spots := markerBoundaries(text)
			return ot.Op{{Skip: spots[rng.IntN(len(spots))]}, {Insert: marker}}
		})
		if err != nil {
			t.Errorf("%s: %v", b.name, err)
			return
		}
		b.refs[ref] = append(b.refs[ref], marker)
	}
}

// markerBoundaries lists the code point positions not inside a marker.
func markerBoundaries(text string) []int {
	var out []int
	depth, pos := 0, 0
	for _, r := range text {
		if depth == 0 {
			out = append(out, pos)
		}
		switch r {
		case '{':
			depth++
		case '}':
			depth--
		}
		pos++
	}
	if depth == 0 {
		out = append(out, utf8.RuneCountInString(text))
	}
	return out
}
