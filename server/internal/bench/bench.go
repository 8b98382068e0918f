// Package bench is Draftroom's load generator: N participants in one
// document, K of whom type, measured from the generator's side. It is the
// engine of `draftroom bench`; docs/performance.md says what it measures.
//
// Participants come in four kinds:
//   - full typists keep a replica (the Go client) and type anywhere;
//   - light typists (Config.Light) keep none: bare connections that insert
//     at the start of a paragraph and leave transforms to the server;
//   - probes keep a replica and time the arrival of every op;
//   - sinks read every frame to its end without decoding it.
//
// The server does the same work for each of them; only the generator's
// work differs, so that one machine can load a server with many
// participants without measuring its own backlog.
package bench

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net"
	"net/url"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"time"

	"github.com/draftroom/draftroom/client"
)

// DefaultProbes is how many probes a run has unless told otherwise (fewer
// when fewer participants are left after the typists).
const DefaultProbes = 50

// Config is one run. `draftroom bench` uses N=200, K=20, 5 edits/s, 20 s
// and 10 paragraphs unless told otherwise.
type Config struct {
	Participants int // N: connections, typists included
	Typists      int // K: of the N, how many type
	// Probes (P) of the others time every op; < 0 means DefaultProbes, or
	// all of the others if fewer.
	Probes     int
	Rate       float64 // edits per second per typist
	Duration   time.Duration
	Light      bool // typists keep no replica (see package doc)
	Paragraphs int  // paragraphs typists spread over: the document's last ones

	// URLs of running servers on loopback; participants are spread over
	// them round-robin. With none, Run starts Binary's serve on a scratch
	// managed cluster, with a document of Paragraphs paragraphs, a chair's
	// token per typist and an observer's for the others.
	URLs     []string
	Token    string // with URLs: the token every participant uses
	Document string // with URLs: the document's id
	Binary   string // without URLs: the draftroom binary to run

	// Progress, if set, is called about once a second while typists type.
	Progress func(Progress)
	// Note, if set, receives what the run is doing and warnings, as lines.
	Note func(string)
}

// Progress is a snapshot of a running bench.
type Progress struct {
	Elapsed       time.Duration
	Sent, Applied int64
	// P95 of the ops that reached every probe since the last snapshot (of
	// acknowledgements, with no probes), and how many there were.
	P95 time.Duration
	Ops int
	// GeneratorCores is the CPU this process used since the last snapshot,
	// in cores.
	GeneratorCores float64
}

// withDefaults gives Probes its default.
func (c Config) withDefaults() Config {
	if c.Probes < 0 {
		c.Probes = max(0, min(DefaultProbes, c.Participants-c.Typists))
	}
	return c
}

// Validate says what is wrong with c, after defaults, if anything.
func (c Config) Validate() error {
	c = c.withDefaults()
	switch {
	case c.Participants < 1 || c.Typists < 0 || c.Typists > c.Participants:
		return errors.New("need 1 <= n and 0 <= k <= n")
	case c.Probes > c.Participants-c.Typists:
		return fmt.Errorf("%d probes do not fit: n - k leaves %d participants", c.Probes, c.Participants-c.Typists)
	case c.Rate <= 0 || c.Duration <= 0:
		return errors.New("the rate and the duration must be positive")
	case c.Paragraphs < 1:
		return errors.New("the paragraphs must be positive")
	case len(c.URLs) > 0 && (c.Token == "" || c.Document == ""):
		return errors.New("a URL needs a token and a document")
	case len(c.URLs) == 0 && (c.Token != "" || c.Document != ""):
		return errors.New("a token and a document go with a URL")
	case len(c.URLs) == 0 && c.Binary == "":
		return errors.New("without a URL, the draftroom binary to start is needed")
	}
	for _, u := range c.URLs {
		if err := loopbackURL(u); err != nil {
			return err
		}
	}
	return nil
}

// loopbackURL refuses anything but a loopback http(s) URL: the bench is
// for measuring one's own server, not for loading someone else's.
func loopbackURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q: want an http:// or https:// URL", raw)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("%q is not a loopback address; the bench only targets 127.0.0.0/8, ::1 or localhost", raw)
}

// run is one bench in progress: its participants and what they share.
type run struct {
	cfg      Config
	tr       *tracker
	urls     []string
	pids     []int  // the server processes
	dataDir  string // own server: its scratch directory (for PostgreSQL's pids)
	tokenFor func(i int) string

	full   []*client.Client // full typists
	lights []*light
	probes []*client.Client
	sinks  []*sink
}

// Run runs one bench and reports it. It returns ctx's error if ctx ends
// first.
func Run(ctx context.Context, cfg Config) (Result, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	r := &run{cfg: cfg, tr: newTracker(cfg.Probes), urls: cfg.URLs}
	if err := raiseNofile(); err != nil {
		r.note("could not raise the open-file limit: %v", err)
	}
	if len(r.urls) == 0 {
		srv, err := r.startServer(ctx)
		if err != nil {
			return Result{}, err
		}
		defer srv.stop()
	} else {
		r.tokenFor = func(int) string { return cfg.Token }
		if r.pids = listenerPIDs(r.urls); len(r.pids) == 0 {
			r.note("cannot find the server processes in /proc; CPU and memory will read 0")
		}
	}

	before := readProc(r.pids)
	sinks := cfg.Participants - cfg.Typists - cfg.Probes
	r.note("connecting %d participants (%d typists, %d probes, %d sinks) to %s…",
		cfg.Participants, cfg.Typists, cfg.Probes, sinks, strings.Join(r.urls, ", "))
	t0 := time.Now()
	err := r.connect(ctx)
	defer r.disconnect()
	if err != nil {
		return Result{}, fmt.Errorf("connecting: %w", err)
	}
	connected := readProc(r.pids)
	r.note("connected in %s", time.Since(t0).Round(time.Millisecond))

	m, err := r.measure(ctx)
	if err != nil {
		return Result{}, err
	}
	m.before, m.connected = before, connected
	return r.result(m), nil
}

// startServer starts the scratch server and makes its document and tokens.
func (r *run) startServer(ctx context.Context) (*scratchServer, error) {
	r.note("starting a server on a scratch cluster…")
	srv, err := startServer(ctx, r.cfg.Binary, r.cfg.Participants)
	if err != nil {
		return nil, err
	}
	if err := r.prepare(ctx, srv); err != nil {
		srv.stop()
		return nil, err
	}
	return srv, nil
}

// prepare imports the document into the scratch server and makes the
// tokens: a chair's for each typist (chairs may edit anything) and one
// observer's that the others share.
func (r *run) prepare(ctx context.Context, srv *scratchServer) error {
	r.urls, r.pids, r.dataDir = []string{srv.url}, []int{srv.pid()}, srv.data
	doc, err := srv.importDocument(ctx, r.cfg.Paragraphs)
	if err != nil {
		return err
	}
	chairs, err := srv.tokens(ctx, doc, "chair", max(r.cfg.Typists, 1))
	if err != nil {
		return err
	}
	observer, err := srv.tokens(ctx, doc, "observer", 1)
	if err != nil {
		return err
	}
	k := r.cfg.Typists
	r.cfg.Document = doc
	r.tokenFor = func(i int) string {
		if i < k {
			return chairs[i]
		}
		return observer[0]
	}
	return nil
}

// connect dials the typists, then the probes, then the sinks; participant
// i goes to urls[i % len(urls)].
func (r *run) connect(ctx context.Context) error {
	c, tr, urls, doc := r.cfg, r.tr, r.urls, r.cfg.Document
	k, p := c.Typists, c.Probes
	var err error
	if c.Light {
		r.lights, err = dialN(k, 64, func(i int) (*light, error) {
			return dialLight(ctx, urls[i%len(urls)], r.tokenFor(i), doc, fmt.Sprintf("l%d-", i), tr)
		}, closeLight)
	} else {
		r.full, err = dialClients(ctx, k, 0, urls, r.tokenFor, doc, tr.onTypist)
	}
	if err != nil {
		return err
	}
	if r.probes, err = dialClients(ctx, p, k, urls, func(i int) string { return r.tokenFor(k + i) }, doc, tr.onProbe); err != nil {
		return err
	}
	r.sinks, err = dialN(c.Participants-k-p, 64, func(i int) (*sink, error) {
		return dialSink(ctx, urls[(k+p+i)%len(urls)], r.tokenFor(k+p+i), doc, tr)
	}, closeSink)
	return err
}

func (r *run) disconnect() {
	t0 := time.Now()
	var wg sync.WaitGroup
	wg.Add(4)
	go func() { defer wg.Done(); closeEach(r.full, closeClient) }()
	go func() { defer wg.Done(); closeEach(r.lights, closeLight) }()
	go func() { defer wg.Done(); closeEach(r.probes, closeClient) }()
	go func() { defer wg.Done(); closeEach(r.sinks, closeSink) }()
	wg.Wait()
	r.note("disconnected in %s", time.Since(t0).Round(time.Millisecond))
}

// sample is what is read at the start and at the end of the measured
// window (typing and draining).
type sample struct {
	at     time.Time
	server procStats
	nodes  []procStats
	db     procStats
	self   time.Duration
	busy   int64
	total  int64
	sinks  sinkCounts
	sched  *metrics.Float64Histogram
}

func (r *run) sample() sample {
	s := sample{at: time.Now(), server: readProc(r.pids), self: selfCPU(), sinks: countSinks(r.sinks), sched: schedLatencies()}
	for _, pid := range r.pids {
		s.nodes = append(s.nodes, readProc([]int{pid}))
	}
	if r.dataDir != "" {
		s.db = readProc(postgresPIDs(r.dataDir))
	}
	s.busy, s.total = machineCPU()
	return s
}

// measurement is a run's raw figures, for result.
type measurement struct {
	before, connected procStats
	start, end        sample
	typed             time.Duration
}

// measure lets the typists type for the configured duration, then drains:
// waits until every edit is acknowledged, every probe has every op and the
// sinks have gone quiet.
func (r *run) measure(ctx context.Context) (measurement, error) {
	c := r.cfg
	var m measurement
	runCtx, stopTyping := context.WithTimeout(ctx, c.Duration)
	defer stopTyping()
	m.start = r.sample()
	seed := uint64(m.start.at.UnixNano())
	rng := func(i int) *rand.Rand {
		s := uint64(i+1)*0x9e3779b97f4a7c15 ^ seed
		return rand.New(rand.NewPCG(s, s^0x9e3779b97f4a7c15))
	}
	paras := make([][]string, len(r.full))
	for i, cl := range r.full {
		var ids []string
		for _, p := range cl.Paragraphs() {
			ids = append(ids, p.ID)
		}
		if paras[i] = pickParagraphs(ids, c.Paragraphs); len(paras[i]) == 0 {
			return m, errors.New("the document has no paragraph to type in")
		}
	}
	var wg sync.WaitGroup
	for i, l := range r.lights {
		wg.Go(func() { l.typeAt(runCtx, c.Paragraphs, c.Rate, r.tr, rng(i)) })
	}
	for i, cl := range r.full {
		wg.Go(func() { fullType(runCtx, cl, paras[i], c.Rate, r.tr, rng(i)) })
	}
	progressDone := make(chan struct{})
	go func() {
		defer close(progressDone)
		r.progress(runCtx, m.start.at)
	}()
	wg.Wait()
	m.typed = time.Since(m.start.at)
	stopTyping()
	<-progressDone
	if ctx.Err() != nil {
		return m, ctx.Err()
	}

	t0 := time.Now()
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	r.drain(dctx)
	m.end = r.sample()
	r.note("drained in %s; %d reconnections", time.Since(t0).Round(time.Millisecond), r.tr.drops.Load())
	return m, ctx.Err()
}

// drain waits for the acknowledgements, then for every probe to reach the
// last seq anyone has seen, then for the sinks to go quiet.
func (r *run) drain(ctx context.Context) {
	if len(r.lights) > 0 {
		r.tr.waitSettled(ctx)
	}
	for _, c := range r.full {
		c.WaitIdle(ctx)
	}
	var top int64
	for _, cs := range [][]*client.Client{r.full, r.probes} {
		for _, c := range cs {
			top = max(top, c.Seq())
		}
	}
	for _, l := range r.lights {
		top = max(top, l.seq.Load())
	}
	for _, c := range r.probes {
		c.WaitSeq(ctx, top)
	}
	waitSinksQuiet(ctx, r.sinks, sinkQuiet)
}

// sinkQuiet is how long the sinks must receive nothing before the drain
// counts them done: far above a broadcast's spread across members.
const sinkQuiet = 300 * time.Millisecond

func (r *run) progress(ctx context.Context, start time.Time) {
	if r.cfg.Progress == nil {
		return
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	lastAt, lastCPU := start, selfCPU()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			cpu := selfCPU()
			p95, n := r.tr.takeRecent()
			r.cfg.Progress(Progress{
				Elapsed: now.Sub(start), Sent: r.tr.sent.Load(), Applied: r.tr.applied.Load(),
				P95: p95, Ops: n, GeneratorCores: (cpu - lastCPU).Seconds() / now.Sub(lastAt).Seconds(),
			})
			lastAt, lastCPU = now, cpu
		}
	}
}

func (r *run) note(format string, a ...any) {
	if r.cfg.Note != nil {
		r.cfg.Note(fmt.Sprintf(format, a...))
	}
}

// maxCores is how many cores this process may run Go code on at once:
// GOMAXPROCS, which follows the CPU affinity and any cgroup CPU limit.
func maxCores() int { return runtime.GOMAXPROCS(0) }

func round(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(x*p) / p
}
