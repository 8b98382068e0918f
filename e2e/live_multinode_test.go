package e2e

import (
	"context"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/draftroom/draftroom/client"
	"github.com/draftroom/draftroom/server/ot"
)

// Two servers share one database; clients start on either, each with the
// other as failover. Both nodes take edits to the same paragraphs, then one
// is SIGKILLed and its clients move to the survivor. Everyone converges on
// the database's log.
func TestLiveTwoNodesAndFailover(t *testing.T) {
	const clients, edits = 6, 150
	data := dataDir(t)
	a := startServer(t, data, nil)
	b := startServer(t, data, nil) // joins the cluster a started
	doc := importLive(t, data, liveCSV)
	tokens := chairTokens(t, data, doc, clients)
	start := getDocument(t, b.url, tokens[0], doc)
	var paras []string
	for _, p := range paragraphs(start) {
		if p.Text != "" && len(paras) < 2 {
			paras = append(paras, p.ID)
		}
	}

	var ev eventCounts
	cs := make([]*client.Client, clients)
	for i := range cs {
		urls := []string{a.url, b.url}
		if i%2 == 1 {
			urls = []string{b.url, a.url}
		}
		cs[i] = dialLive(t, urls, tokens[i], doc, &ev)
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	var done sync.WaitGroup
	halfway := make(chan struct{}, clients)
	for i, c := range cs {
		done.Add(1)
		go func() {
			defer done.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(i)))
			for j := range edits {
				if j == edits/2 {
					halfway <- struct{}{}
				}
				time.Sleep(time.Duration(rng.IntN(6000)) * time.Microsecond) // workload pacing
				para := paras[rng.IntN(len(paras))]
				if _, err := c.SubmitFunc(para, func(text string) ot.Op { return randomEdit(rng, text) }); err != nil {
					t.Errorf("client %d: %v", i, err)
					return
				}
			}
		}()
	}
	for range clients {
		<-halfway
	}
	// Both nodes have been committing concurrently; now lose one.
	if err := a.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-a.exited
	done.Wait()

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for i, c := range cs {
		if err := c.WaitConnected(ctx); err != nil {
			t.Fatalf("client %d did not fail over: %v", i, err)
		}
	}
	final := settleLive(t, b.url, tokens[0], doc, cs)
	replayed := replayLog(t, data, doc, start, final.Seq)
	for _, p := range paragraphs(final) {
		if replayed[p.ID] != p.Text {
			t.Errorf("replay of %s:\n replay %q\n server %q", p.ID, replayed[p.ID], p.Text)
		}
	}
	if n := ev.get(client.EventRefused); n != 0 {
		t.Errorf("%d edits refused", n)
	}
	// No acknowledged op was lost with the node that died: each is in the
	// log at the seq it was acknowledged with.
	logged := loggedRefs(t, data, doc)
	acked := 0
	for i, c := range cs {
		for _, a := range c.Acked() {
			acked++
			if seq, ok := logged[a.Ref]; !ok || seq != a.Seq {
				t.Errorf("client %d: acknowledged ref %s (seq %d) is in the log at %d (present %v)", i, a.Ref, a.Seq, seq, ok)
			}
		}
	}
	if acked == 0 {
		t.Error("no acknowledgements recorded")
	}
	t.Logf("%d acknowledged ops all in the log", acked)
	t.Logf("%d ops, %d reconnections, %d edits discarded by resyncs", final.Seq-start.Seq, ev.get(client.EventDisconnected), ev.get(client.EventDiscarded))
}
