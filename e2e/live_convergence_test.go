package e2e

import (
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/draftroom/draftroom/client"
	"github.com/draftroom/draftroom/server/ot"
)

// Eight chairs edit the same two paragraphs at random, multi-script text
// and all, while their connections are cut at random. At the end every
// replica, the server's document and a replay of the op log agree.
func TestLiveConvergence(t *testing.T) {
	const clients, edits = 8, 200
	data := dataDir(t)
	srv := startServer(t, data, nil)
	doc := importLive(t, data, liveCSV)
	tokens := chairTokens(t, data, doc, clients)
	start := getDocument(t, srv.url, tokens[0], doc)
	var paras []string
	for _, p := range paragraphs(start) {
		if p.Text != "" && len(paras) < 2 {
			paras = append(paras, p.ID)
		}
	}
	if len(paras) != 2 {
		t.Fatalf("want two paragraphs with text in %+v", start)
	}

	var ev eventCounts
	cs := make([]*client.Client, clients)
	for i := range cs {
		cs[i] = dialLive(t, []string{srv.url}, tokens[i], doc, &ev)
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	var wg sync.WaitGroup
	for i, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(i)))
			for range edits {
				time.Sleep(time.Duration(rng.IntN(8000)) * time.Microsecond) // workload pacing, not synchronization
				para := paras[rng.IntN(len(paras))]
				if _, err := c.SubmitFunc(para, func(text string) ot.Op { return randomEdit(rng, text) }); err != nil {
					t.Errorf("client %d: %v", i, err)
					return
				}
				if rng.IntN(40) == 0 {
					c.DropConnection()
				}
			}
		}()
	}
	wg.Wait()
	final := settleLive(t, srv.url, tokens[0], doc, cs)
	replayed := replayLog(t, data, doc, start, final.Seq)
	for _, p := range paragraphs(final) {
		if replayed[p.ID] != p.Text {
			t.Errorf("replay of %s:\n replay %q\n server %q", p.ID, replayed[p.ID], p.Text)
		}
	}
	var acked int
	for _, c := range cs {
		acked += len(c.Acked())
	}
	if int64(acked) != final.Seq-start.Seq {
		t.Errorf("%d acknowledged ops, but the log grew by %d", acked, final.Seq-start.Seq)
	}
	if n := ev.get(client.EventRefused) + ev.get(client.EventDiscarded); n != 0 {
		t.Errorf("%d edits refused or discarded; chairs' bracket-free edits should all apply", n)
	}
	if ev.get(client.EventDisconnected) == 0 {
		t.Error("no connection was ever dropped")
	}
	t.Logf("%d ops committed, %d reconnections", final.Seq-start.Seq, ev.get(client.EventDisconnected))
}
