package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/draftroom/draftroom/server/internal/bench"
)

// urlList is a repeatable --url.
type urlList []string

func (u *urlList) String() string     { return strings.Join(*u, ",") }
func (u *urlList) Set(v string) error { *u = append(*u, v); return nil }

// optionalInt is an int flag whose absence differs from any value (and
// whose --help shows no default of its own).
type optionalInt struct {
	v   int
	set bool
}

func (o *optionalInt) String() string {
	if o == nil || !o.set {
		return ""
	}
	return strconv.Itoa(o.v)
}

func (o *optionalInt) Set(s string) error {
	n, err := strconv.Atoi(s)
	o.v, o.set = n, true
	return err
}

func runBench(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "bench", "[flags]", `Simulates N participants in one document, K of whom type R edits per second
each for a duration, and reports what the server did with it: edits sent and
applied, the latency from an edit's submission to its receipt by the last
probe and to its acknowledgement, the server's CPU time in all and per
delivery (an op sent to one participant), bytes per op on the wire, the
server's peak RSS and RSS per connection, and the generator's own CPU with a
warning when it is saturated. A progress line goes to stderr every second.

Participants other than the typists are probes or sinks. A probe keeps a
replica of the document, as a browser would, and times every op it receives.
A sink completes the handshake and reads every frame without decoding it.
The server does the same work for both; sinks only spare the generator, so
that one machine can load a server with many participants.

Without --url it starts its own server (this binary's serve) on a scratch
managed cluster, with a document of 10 paragraphs and a token per typist,
and removes it all at the end. With --url (repeatable; participants are
spread across the URLs) it targets running servers on this machine, and
needs --token (a chair's, bound to the document or not) and --document;
every participant uses that token, so start those servers with
--conns-per-token at least N. Only loopback addresses are accepted.
docs/performance.md explains the figures.`)
	n := fs.Int("n", 200, "participants (connections), typists included")
	k := fs.Int("k", 20, "typists among them")
	var probes optionalInt
	fs.Var(&probes, "probes", fmt.Sprintf("probes among the others: participants that keep a replica and time every op (default %d, or n-k if fewer); the rest are sinks", bench.DefaultProbes))
	rate := fs.Float64("rate", 5, "edits per second per typist")
	dur := fs.Duration("duration", 20*time.Second, "how long the typists type")
	var urls urlList
	fs.Var(&urls, "url", "base URL of a running server on loopback (repeatable)")
	token := fs.String("token", "", "with --url: the token every participant uses")
	doc := fs.String("document", "", "with --url: the document id")
	paras := fs.Int("paragraphs", 10, "paragraphs the typists spread over (the last ones of the document)")
	asJSON := fs.Bool("json", false, "print one JSON object instead of a table (warnings go to stderr too)")
	light := fs.Bool("light", false, "typists keep no replica: each inserts at the start of a paragraph from a bare connection, leaving transforms to the server, so the load generator costs little (to measure the server at high rates on one machine)")
	cpuProfile := fs.String("cpuprofile", "", "write the bench's own CPU profile (the simulated clients) to this file")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected arguments %q", fs.Args())
	}
	if !probes.set {
		probes.v = -1 // the package's default
	}
	cfg := bench.Config{
		Participants: *n, Typists: *k, Probes: probes.v, Rate: *rate, Duration: *dur, Light: *light,
		Paragraphs: *paras, URLs: urls, Token: *token, Document: *doc,
		Progress: func(p bench.Progress) {
			fmt.Fprintf(e.stderr, "%5.0fs  sent %7d  applied %7d  p95 %8.1f ms (%d ops)  generator %.2f cores\n",
				p.Elapsed.Seconds(), p.Sent, p.Applied, float64(p.P95)/1e6, p.Ops, p.GeneratorCores)
		},
		Note: func(s string) { fmt.Fprintln(e.stderr, "bench:", s) },
	}
	if len(urls) == 0 {
		self, err := os.Executable()
		if err != nil {
			return err
		}
		cfg.Binary = self
	}
	if err := cfg.Validate(); err != nil {
		return usageError{err}
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
	res, err := bench.Run(ctx, cfg)
	if err != nil {
		return err
	}
	if !*asJSON {
		res.WriteText(e.stdout)
		return nil
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(e.stderr, "bench: warning:", w)
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}
