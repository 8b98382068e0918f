package bench

import (
	"context"
	"math"
	"runtime/metrics"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/draftroom/draftroom/client"
	"github.com/draftroom/draftroom/server/wire"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func ms(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }

func TestTrackerTimesToTheLastProbeAndToTheAck(t *testing.T) {
	t.Parallel()
	tr := newTracker(3)
	// "a": two edits composed into one op, received in order.
	tr.submitted("a", ms(0))
	tr.submitted("a", ms(5))
	tr.acked("a", ms(12))
	tr.probeReceived("a", ms(10))
	tr.probeReceived("a", ms(30))
	tr.probeReceived("a", ms(20)) // the last to arrive is not the latest
	// "b": the writer sent it, the server answered and the probes got it
	// before Submit returned.
	tr.probeReceived("b", ms(104))
	tr.acked("b", ms(103))
	tr.probeReceived("b", ms(106))
	tr.probeReceived("b", ms(105))
	tr.submitted("b", ms(100))
	// "c": acknowledged, but one probe never got it.
	tr.submitted("c", ms(200))
	tr.acked("c", ms(207))
	tr.probeReceived("c", ms(209))
	tr.probeReceived("c", ms(211))
	// A second ack of "c" (a resend answered twice) changes nothing.
	tr.acked("c", ms(300))

	toProbes, toAck := tr.latencies()
	if want := []time.Duration{6 * time.Millisecond, 30 * time.Millisecond}; !slices.Equal(toProbes, want) {
		t.Errorf("to probes %v, want %v", toProbes, want)
	}
	if want := []time.Duration{3 * time.Millisecond, 7 * time.Millisecond, 12 * time.Millisecond}; !slices.Equal(toAck, want) {
		t.Errorf("to ack %v, want %v", toAck, want)
	}
	if s, a, o, p := tr.sent.Load(), tr.applied.Load(), tr.ackedOps.Load(), tr.toProbes.Load(); s != 4 || a != 4 || o != 3 || p != 2 {
		t.Errorf("sent %d applied %d ops %d to all probes %d; want 4 4 3 2", s, a, o, p)
	}
	if p95, n := tr.takeRecent(); p95 != 30*time.Millisecond || n != 2 {
		t.Errorf("takeRecent = %v, %d", p95, n)
	}
	if _, n := tr.takeRecent(); n != 0 {
		t.Errorf("takeRecent twice gave %d again", n)
	}
}

func TestTrackerWithoutProbesReportsAcks(t *testing.T) {
	t.Parallel()
	tr := newTracker(0)
	tr.submitted("a", ms(0))
	tr.acked("a", ms(8))
	if toProbes, toAck := tr.latencies(); len(toProbes) != 0 || !slices.Equal(toAck, []time.Duration{8 * time.Millisecond}) {
		t.Errorf("latencies %v %v", toProbes, toAck)
	}
	if p95, n := tr.takeRecent(); p95 != 8*time.Millisecond || n != 1 {
		t.Errorf("takeRecent = %v, %d", p95, n)
	}
}

func TestTrackerEvents(t *testing.T) {
	t.Parallel()
	tr := newTracker(1)
	op := &wire.Op{Seq: 3, Kind: wire.KindText, Ref: "x"}
	tr.submitted("x", ms(0))
	tr.onTypist(client.Event{Kind: client.EventRemote, Ref: "y", Op: &wire.Op{Kind: wire.KindText, Ref: "y"}, Time: ms(1)})
	tr.onTypist(client.Event{Kind: client.EventAck, Ref: "x", Op: op, Time: ms(2)})
	tr.onProbe(client.Event{Kind: client.EventRemote, Ref: "z", Op: &wire.Op{Kind: "status", Ref: "z"}, Time: ms(3)})
	tr.onProbe(client.Event{Kind: client.EventRemote, Ref: "x", Op: op, Time: ms(4)})
	tr.onTypist(client.Event{Kind: client.EventRefused})
	tr.onTypist(client.Event{Kind: client.EventDiscarded})
	tr.onTypist(client.Event{Kind: client.EventDisconnected})
	tr.onProbe(client.Event{Kind: client.EventDisconnected})
	toProbes, toAck := tr.latencies()
	if !slices.Equal(toProbes, []time.Duration{4 * time.Millisecond}) || !slices.Equal(toAck, []time.Duration{2 * time.Millisecond}) {
		t.Errorf("latencies %v %v", toProbes, toAck)
	}
	if r, d, x := tr.refused.Load(), tr.discarded.Load(), tr.drops.Load(); r != 1 || d != 1 || x != 2 {
		t.Errorf("refused %d discarded %d drops %d", r, d, x)
	}
}

func TestWaitSettledWakesOnAcksAndRefusals(t *testing.T) {
	t.Parallel()
	tr := newTracker(0)
	tr.submitted("a", ms(0))
	tr.submitted("b", ms(0))
	done := make(chan struct{})
	go func() {
		defer close(done)
		tr.waitSettled(context.Background())
	}()
	tr.acked("a", ms(1))
	select {
	case <-done:
		t.Fatal("waitSettled returned with an edit unanswered")
	default:
	}
	tr.refusedOne()
	<-done
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tr.submitted("c", ms(2))
	tr.waitSettled(ctx) // returns: ctx is done
}

func TestPercentile(t *testing.T) {
	t.Parallel()
	var d []time.Duration
	for i := 1; i <= 200; i++ {
		d = append(d, time.Duration(i))
	}
	for p, want := range map[float64]time.Duration{50: 100, 95: 190, 99: 198, 100: 200} {
		if got := percentile(d, p); got != want {
			t.Errorf("p%g = %d, want %d", p, got, want)
		}
	}
	if percentile(nil, 50) != 0 {
		t.Error("percentile of nothing")
	}
}

func TestSchedQuantile(t *testing.T) {
	t.Parallel()
	inf := math.Inf(1)
	before := &metrics.Float64Histogram{Counts: []uint64{5, 5, 0, 0}, Buckets: []float64{0, 1e-6, 1e-3, 1e-2, inf}}
	after := &metrics.Float64Histogram{Counts: []uint64{5, 104, 1, 0}, Buckets: before.Buckets}
	// Each answer is the upper bound of a bucket: bucket i is [Buckets[i], Buckets[i+1]).
	if got := schedQuantile(before, after, 0.99); got != time.Millisecond {
		t.Errorf("p99 of 99 fast and 1 slow = %v, want 1ms", got)
	}
	after.Counts[2] = 3
	if got := schedQuantile(before, after, 0.99); got != 10*time.Millisecond {
		t.Errorf("p99 of 99 fast and 3 slow = %v, want 10ms", got)
	}
	after.Counts[3] = 1000
	if got := schedQuantile(before, after, 0.99); got != 10*time.Millisecond {
		t.Errorf("p99 in the last bucket = %v, want its lower bound", got)
	}
	if got := schedQuantile(before, before, 0.99); got != 0 {
		t.Errorf("no samples: %v", got)
	}
	if h := schedLatencies(); h == nil || len(h.Buckets) != len(h.Counts)+1 {
		t.Errorf("the runtime's %s: %+v", schedMetric, h)
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	ok := Config{Participants: 200, Typists: 20, Probes: -1, Rate: 5, Duration: time.Second, Paragraphs: 10, Binary: "draftroom"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	if c := ok.withDefaults(); c.Probes != DefaultProbes {
		t.Errorf("default probes: %d", c.Probes)
	}
	few := ok
	few.Participants = 30
	if c := few.withDefaults(); c.Probes != 10 {
		t.Errorf("default probes with 10 left: %d", c.Probes)
	}
	for name, change := range map[string]func(c *Config){
		"no participants":  func(c *Config) { c.Participants, c.Typists = 0, 0 },
		"k > n":            func(c *Config) { c.Typists = 201 },
		"negative typists": func(c *Config) { c.Typists = -1 },
		"too many probes":  func(c *Config) { c.Probes = 181 },
		"no rate":          func(c *Config) { c.Rate = 0 },
		"negative rate":    func(c *Config) { c.Rate = -1 },
		"no duration":      func(c *Config) { c.Duration = 0 },
		"no paragraph":     func(c *Config) { c.Paragraphs = 0 },
		"url, no token":    func(c *Config) { c.URLs, c.Document = []string{"http://127.0.0.1:1"}, "d" },
		"token, no url":    func(c *Config) { c.Token, c.Document = "t", "d" },
		"no binary":        func(c *Config) { c.Binary = "" },
		"remote":           func(c *Config) { c.URLs, c.Token, c.Document = []string{"http://192.0.2.1:8080"}, "t", "d" },
		"not http":         func(c *Config) { c.URLs, c.Token, c.Document = []string{"ftp://127.0.0.1"}, "t", "d" },
	} {
		c := ok
		change(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("%s: %+v accepted", name, c)
		}
	}
	for _, u := range []string{"http://127.0.0.1:8080", "http://[::1]:80", "https://localhost:8443", "http://127.8.9.10"} {
		c := ok
		c.URLs, c.Token, c.Document, c.Binary = []string{u}, "t", "d", ""
		if err := c.Validate(); err != nil {
			t.Errorf("%s refused: %v", u, err)
		}
	}
}

func TestWarnings(t *testing.T) {
	t.Parallel()
	calm := Result{Typists: 20, Rate: 5, EditsSentPer: 99.6, Probes: 50, OpsApplied: 1900, OpsToAllProbes: 1900,
		GeneratorCores: 0.3, GeneratorMaxCores: 2, GeneratorSchedP99MS: 0.2, MachineBusyPct: 60}
	for _, tc := range []struct {
		name      string
		change    func(r *Result)
		saturated bool
		says      string
	}{
		{"calm", func(*Result) {}, false, ""},
		{"busy generator", func(r *Result) { r.GeneratorCores = 1.7 }, true, "used 1.70 of the 2 cores"},
		{"starved generator", func(r *Result) { r.GeneratorSchedP99MS = 12 }, true, "waited up to 12.0 ms"},
		{"late typists", func(r *Result) { r.EditsSentPer = 76.2 }, true, "76.2 edits/s of the 100 asked"},
		{"busy machine", func(r *Result) { r.MachineBusyPct = 97 }, false, "97% busy"},
		{"no probes", func(r *Result) { r.Probes, r.OpsToAllProbes = 0, 0 }, false, "no probes"},
		{"ops missed", func(r *Result) { r.OpsToAllProbes = 1890 }, false, "covers 1890 of 1900"},
		{"refusals", func(r *Result) { r.EditsRefused = 3 }, false, "3 edits refused"},
	} {
		r := calm
		tc.change(&r)
		warn(&r)
		joined := strings.Join(r.Warnings, "\n")
		if r.GeneratorSaturated != tc.saturated || (tc.says == "") != (len(r.Warnings) == 0) || !strings.Contains(joined, tc.says) {
			t.Errorf("%s: saturated %v, warnings %q", tc.name, r.GeneratorSaturated, r.Warnings)
		}
	}
}
