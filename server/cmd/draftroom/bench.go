package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"runtime/pprof"
	"strings"
	"sync"
	"time"

	"github.com/draftroom/draftroom/client"
)

// urlList is a repeatable --url.
type urlList []string

func (u *urlList) String() string     { return strings.Join(*u, ",") }
func (u *urlList) Set(v string) error { *u = append(*u, v); return nil }

// benchResult is the --json output; its keys are a contract with scripts.
type benchResult struct {
	Participants    int            `json:"participants"`
	Typists         int            `json:"typists"`
	Rate            float64        `json:"rate"`
	DurationS       float64        `json:"duration_s"`
	EditsSent       int64          `json:"edits_sent"`
	EditsApplied    int64          `json:"edits_applied"`
	EditsAppliedPer float64        `json:"edits_applied_per_s"`
	LatencyMS       benchLatencies `json:"latency_ms"`
	ServerCPUS      float64        `json:"server_cpu_s"`
	ServerRSSMB     float64        `json:"server_rss_mb"`
	RSSPerConnKB    float64        `json:"rss_per_conn_kb"`
	// Nodes breaks CPU and peak RSS down per server process; --json keeps
	// to the keys above, so they go to stderr there.
	Nodes []benchNode `json:"-"`
}

type benchNode struct {
	PID       int     `json:"pid"`
	CPUS      float64 `json:"cpu_s"`
	PeakRSSMB float64 `json:"peak_rss_mb"`
}

type benchLatencies struct {
	P50 float64 `json:"p50"`
	P95 float64 `json:"p95"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

func runBench(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "bench", "[flags]", `Simulates N participants in one document, K of whom type R edits per second
each for a duration, and reports throughput, the latency from an edit's
submission to its receipt by the last participant (every client is in this
process, so one clock times both ends), the server's CPU time from the first
edit until every participant has every op, its peak RSS, and its RSS growth
per connection; with several servers, CPU and peak RSS per server process
too. A progress line goes to stderr every second.

Without --url it starts its own server (this binary's serve) on a scratch
managed cluster, with a document of 10 paragraphs and a token per typist,
and removes it all at the end. With --url (repeatable; participants are
spread across the URLs) it targets running servers on this machine, and
needs --token (a chair's, bound to the document or not) and --document;
every participant uses that token, so start those servers with
--conns-per-token at least N. Only loopback addresses are accepted.`)
	n := fs.Int("n", 200, "participants (connections)")
	k := fs.Int("k", 20, "typists among them")
	rate := fs.Float64("rate", 5, "edits per second per typist")
	dur := fs.Duration("duration", 20*time.Second, "how long the typists type")
	var urls urlList
	fs.Var(&urls, "url", "base URL of a running server on loopback (repeatable)")
	token := fs.String("token", "", "with --url: the token every participant uses")
	doc := fs.String("document", "", "with --url: the document id")
	paraCount := fs.Int("paragraphs", 10, "paragraphs the typists spread over (own server only)")
	asJSON := fs.Bool("json", false, "print one JSON object instead of a table")
	light := fs.Bool("light", false, "typists keep no replica: each inserts at the start of a paragraph from a bare connection, leaving transforms to the server, so the load generator costs little (to measure the server at high rates on one machine)")
	cpuProfile := fs.String("cpuprofile", "", "write the bench's own CPU profile (the simulated clients) to this file")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return usagef("unexpected arguments %q", fs.Args())
	case *n < 1 || *k < 0 || *k > *n:
		return usagef("need 1 <= n and 0 <= k <= n")
	case *rate <= 0 || *dur <= 0:
		return usagef("-rate and -duration must be positive")
	case *paraCount < 1:
		return usagef("-paragraphs must be positive")
	case len(urls) > 0 && (*token == "" || *doc == ""):
		return usagef("--url needs --token and --document")
	case len(urls) == 0 && (*token != "" || *doc != ""):
		return usagef("--token and --document go with --url")
	}
	for _, u := range urls {
		if err := loopbackURL(u); err != nil {
			return usageError{err}
		}
	}
	if err := raiseNofile(); err != nil {
		fmt.Fprintf(e.stderr, "bench: could not raise the open-file limit: %v\n", err)
	}

	var pids []int
	tokenFor := func(int) string { return *token }
	if len(urls) == 0 {
		fmt.Fprintln(e.stderr, "bench: starting a server on a scratch cluster…")
		srv, err := startBenchServer(ctx, *n)
		if err != nil {
			return err
		}
		defer srv.stop()
		urls = urlList{srv.url}
		pids = []int{srv.pid()}
		if *doc, err = srv.importDocument(ctx, *paraCount); err != nil {
			return err
		}
		// Typists get a chair token each (chairs may edit anything); the
		// audience shares an observer's.
		chairs, err := srv.tokens(ctx, *doc, "chair", max(*k, 1))
		if err != nil {
			return err
		}
		observer, err := srv.tokens(ctx, *doc, "observer", 1)
		if err != nil {
			return err
		}
		tokenFor = func(i int) string {
			if i < *k {
				return chairs[i]
			}
			return observer[0]
		}
	} else if pids = listenerPIDs(urls); len(pids) == 0 {
		fmt.Fprintln(e.stderr, "bench: cannot find the server processes in /proc; CPU and memory will read 0")
	}

	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	tr := newTracker(*n)
	before := readProc(pids)
	fmt.Fprintf(e.stderr, "bench: connecting %d participants to %s…\n", *n, strings.Join(urls, ", "))
	t0 := time.Now()
	// Typists keep a replica (they need the text to make their edits); the
	// audience only listens (see watcher). With -light, one replica remains
	// (to read the paragraph ids) and every typist is a bare connection.
	full := max(*k, 1)
	if *light {
		full = 1
	}
	clients, err := dialAll(ctx, full, urls, tokenFor, *doc, tr)
	if err != nil {
		return fmt.Errorf("connecting: %w", err)
	}
	// With -light the first k watchers type, under refs of their own; their
	// tokens are the typists' (chairs), the rest the audience's.
	prefixFor := func(i int) string {
		if *light && i < *k {
			return fmt.Sprintf("l%d-", i)
		}
		return ""
	}
	watcherToken := tokenFor
	if *light {
		watcherToken = func(i int) string { return tokenFor(i - full) }
	}
	watchers, err := dialWatchers(ctx, *n-full, urls, watcherToken, prefixFor, full, *doc, tr)
	if err != nil {
		closeAll(clients)
		return fmt.Errorf("connecting: %w", err)
	}
	defer func() {
		t0 := time.Now()
		closeAll(clients)
		for _, w := range watchers {
			w.close()
		}
		fmt.Fprintf(e.stderr, "bench: disconnected in %s\n", time.Since(t0).Round(time.Millisecond))
	}()
	connected := readProc(pids)
	fmt.Fprintf(e.stderr, "bench: connected in %s\n", time.Since(t0).Round(time.Millisecond))
	paras := benchParagraphs(clients[0], *paraCount)

	typing := readProc(pids)
	typingEach := make([]procStats, len(pids))
	for i, pid := range pids {
		typingEach[i] = readProc([]int{pid})
	}
	runCtx, stopTyping := context.WithTimeout(ctx, *dur)
	start := time.Now()
	var wg sync.WaitGroup
	if *light {
		for i, w := range watchers[:min(*k, len(watchers))] {
			wg.Add(1)
			go func() {
				defer wg.Done()
				w.lightTypist(runCtx, paras, *rate, tr, uint64(i+1)*0x9e3779b97f4a7c15^uint64(start.UnixNano()))
			}()
		}
	} else {
		for i, c := range clients[:*k] {
			wg.Add(1)
			go func() {
				defer wg.Done()
				typist(runCtx, c, paras, *rate, tr, uint64(i+1)*0x9e3779b97f4a7c15^uint64(start.UnixNano()))
			}()
		}
	}
	progressDone := make(chan struct{})
	go func() {
		defer close(progressDone)
		progress(runCtx, e, tr, start)
	}()
	wg.Wait()
	typed := time.Since(start)
	stopTyping()
	<-progressDone
	if ctx.Err() != nil {
		return ctx.Err()
	}
	t0 = time.Now()
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	if *light && len(watchers) > 0 {
		waitAcked(dctx, tr, watchers[0])
	}
	drain(dctx, clients, min(*k, len(clients)))
	var top int64
	for _, c := range clients {
		top = max(top, c.Seq())
	}
	for _, w := range watchers {
		w.waitSeq(dctx, top)
	}
	cancel()
	fmt.Fprintf(e.stderr, "bench: drained in %s; %d reconnections\n", time.Since(t0).Round(time.Millisecond), tr.drops.Load())
	after := readProc(pids)

	lat := tr.latencies()
	ms := func(d time.Duration) float64 { return math.Round(float64(d)/1e4) / 100 }
	res := benchResult{
		Participants: *n, Typists: *k, Rate: *rate, DurationS: dur.Seconds(),
		EditsSent: tr.sent.Load(), EditsApplied: tr.applied.Load(),
		EditsAppliedPer: math.Round(float64(tr.applied.Load())/typed.Seconds()*10) / 10,
		LatencyMS:       benchLatencies{P50: ms(percentile(lat, 50)), P95: ms(percentile(lat, 95)), P99: ms(percentile(lat, 99)), Max: ms(percentile(lat, 100))},
		ServerCPUS:      math.Round((after.cpu-typing.cpu)*100) / 100,
		ServerRSSMB:     math.Round(float64(after.hwmKB)/1024*10) / 10,
		RSSPerConnKB:    math.Round(float64(connected.rssKB-before.rssKB)/float64(*n)*10) / 10,
	}
	for i, pid := range pids {
		a := readProc([]int{pid})
		res.Nodes = append(res.Nodes, benchNode{PID: pid, CPUS: math.Round((a.cpu-typingEach[i].cpu)*100) / 100, PeakRSSMB: math.Round(float64(a.hwmKB)/1024*10) / 10})
	}
	if n := tr.refused.Load() + tr.discarded.Load() + tr.localErrs.Load(); n > 0 {
		fmt.Fprintf(e.stderr, "bench: %d edits refused, %d discarded by resyncs, %d failed locally\n", tr.refused.Load(), tr.discarded.Load(), tr.localErrs.Load())
	}
	if acked := tr.ackedOps.Load(); int64(len(lat)) < acked {
		fmt.Fprintf(e.stderr, "bench: latency covers %d of %d ops; the others did not reach every participant in time\n", len(lat), acked)
	}
	if *asJSON {
		for _, n := range res.Nodes {
			fmt.Fprintf(e.stderr, "bench: node pid %d: CPU %.2f s, peak RSS %.1f MB\n", n.PID, n.CPUS, n.PeakRSSMB)
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	printBench(e, res, len(lat))
	return nil
}

// benchParagraphs picks the document's last want paragraphs: in the
// bench's own document, the operative ones after the heading.
func benchParagraphs(c *client.Client, want int) []string {
	var ids []string
	for _, p := range c.Paragraphs() {
		ids = append(ids, p.ID)
	}
	if len(ids) > want {
		ids = ids[len(ids)-want:]
	}
	return ids
}

func progress(ctx context.Context, e *env, tr *tracker, start time.Time) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			p95, count := tr.takeRecent()
			fmt.Fprintf(e.stderr, "%5.0fs  sent %7d  applied %7d  p95 %8.1f ms (%d ops)\n",
				time.Since(start).Seconds(), tr.sent.Load(), tr.applied.Load(), float64(p95)/1e6, count)
		}
	}
}

func printBench(e *env, r benchResult, latCount int) {
	w := e.stdout
	fmt.Fprintf(w, "%-22s %d\n", "participants", r.Participants)
	fmt.Fprintf(w, "%-22s %d at %g edits/s each\n", "typists", r.Typists, r.Rate)
	fmt.Fprintf(w, "%-22s %gs\n", "duration", r.DurationS)
	fmt.Fprintf(w, "%-22s %d\n", "edits sent", r.EditsSent)
	fmt.Fprintf(w, "%-22s %d (%.1f/s)\n", "edits applied", r.EditsApplied, r.EditsAppliedPer)
	fmt.Fprintf(w, "%-22s p50 %.2f  p95 %.2f  p99 %.2f  max %.2f ms (%d ops)\n", "latency to all", r.LatencyMS.P50, r.LatencyMS.P95, r.LatencyMS.P99, r.LatencyMS.Max, latCount)
	fmt.Fprintf(w, "%-22s %.2f s\n", "server CPU", r.ServerCPUS)
	fmt.Fprintf(w, "%-22s %.1f MB\n", "server peak RSS", r.ServerRSSMB)
	fmt.Fprintf(w, "%-22s %.1f KB\n", "RSS per connection", r.RSSPerConnKB)
	for _, n := range r.Nodes {
		fmt.Fprintf(w, "%-22s CPU %.2f s, peak RSS %.1f MB\n", fmt.Sprintf("node (pid %d)", n.PID), n.CPUS, n.PeakRSSMB)
	}
}
