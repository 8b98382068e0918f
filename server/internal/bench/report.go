package bench

import (
	"fmt"
	"io"
	"time"
)

// Result is a run's report; its JSON is `draftroom bench --json`. Keys are a
// contract with scripts: add new ones, never rename.
type Result struct {
	Participants int     `json:"participants"`
	Typists      int     `json:"typists"`
	Probes       int     `json:"probes"`
	Sinks        int     `json:"sinks"`
	Light        bool    `json:"light"`
	Rate         float64 `json:"rate"`
	DurationS    float64 `json:"duration_s"`

	EditsSent       int64   `json:"edits_sent"`
	EditsSentPer    float64 `json:"edits_sent_per_s"`
	EditsApplied    int64   `json:"edits_applied"`
	EditsAppliedPer float64 `json:"edits_applied_per_s"`
	// OpsApplied counts acknowledged ops: a full typist composes the edits
	// it makes while an op is in flight into one op.
	OpsApplied     int64 `json:"ops_applied"`
	OpsToAllProbes int64 `json:"ops_to_all_probes"`
	EditsRefused   int64 `json:"edits_refused"`
	EditsDiscarded int64 `json:"edits_discarded"` // dropped by a resync
	EditsFailed    int64 `json:"edits_failed"`    // failed in the generator
	Reconnections  int64 `json:"reconnections"`

	// LatencyMS is from an op's submission to its receipt by the last
	// probe; AckLatencyMS to its acknowledgement to the sender.
	LatencyMS    Latencies `json:"latency_ms"`
	AckLatencyMS Latencies `json:"ack_latency_ms"`

	// The server's CPU time (every node) from the first edit to the end of
	// the drain, and per delivery: an op sent to one participant.
	ServerCPUS             float64 `json:"server_cpu_s"`
	Deliveries             int64   `json:"deliveries"`
	ServerCPUUSPerDelivery float64 `json:"server_cpu_us_per_delivery"`
	// DBCPUS is PostgreSQL's CPU time over the same window; null when the
	// bench did not start the server.
	DBCPUS       *float64 `json:"db_cpu_s"`
	ServerRSSMB  float64  `json:"server_rss_mb"`
	RSSPerConnKB float64  `json:"rss_per_conn_kb"`

	// What a sink received per op over the window: message payloads
	// (BytesPerOp) and bytes off the socket, websocket headers included
	// (WireBytesPerOp); presence frames are in both. OpsPerFrame shows the
	// server's batching.
	BytesPerOp     float64 `json:"bytes_per_op"`
	WireBytesPerOp float64 `json:"wire_bytes_per_op"`
	OpsPerFrame    float64 `json:"ops_per_frame"`

	// The generator (this process) over the same window: CPU time, in
	// cores, against the cores it may use, and the p99 of the time its
	// goroutines waited to run. Saturated says its figures are in doubt.
	GeneratorCPUS       float64 `json:"generator_cpu_s"`
	GeneratorCores      float64 `json:"generator_cores"`
	GeneratorMaxCores   int     `json:"generator_max_cores"`
	GeneratorSchedP99MS float64 `json:"generator_sched_p99_ms"`
	GeneratorSaturated  bool    `json:"generator_saturated"`
	// MachineBusyPct is how busy the machine's CPUs were, for everyone.
	MachineBusyPct float64 `json:"machine_busy_pct"`

	Nodes    []Node   `json:"nodes"`
	Warnings []string `json:"warnings"`
}

// Latencies in milliseconds.
type Latencies struct {
	P50 float64 `json:"p50"`
	P95 float64 `json:"p95"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// Node is one server process.
type Node struct {
	PID       int     `json:"pid"`
	CPUS      float64 `json:"cpu_s"`
	PeakRSSMB float64 `json:"peak_rss_mb"`
}

// The generator is saturated when it uses more than saturatedShare of the
// cores it may use: its goroutines then queue for a CPU, and the delay
// lands in the latencies it measures. Its own scheduling delay shows the
// same thing directly, also when other processes take the CPUs: past
// saturatedSchedP99, one wake-up in a hundred waits longer than a
// broadcast takes on an idle machine. A third sign is the typists falling
// behind: fewer than lateShare of the edits asked for were sent.
const (
	saturatedShare    = 0.8
	saturatedSchedP99 = 5 * time.Millisecond
	lateShare         = 0.95
	busyMachinePct    = 90
)

func latencies(sorted []time.Duration) Latencies {
	ms := func(d time.Duration) float64 { return round(float64(d)/1e6, 2) }
	return Latencies{P50: ms(percentile(sorted, 50)), P95: ms(percentile(sorted, 95)), P99: ms(percentile(sorted, 99)), Max: ms(percentile(sorted, 100))}
}

func (r *run) result(m measurement) Result {
	c, tr := r.cfg, r.tr
	toProbes, toAck := tr.latencies()
	window := m.end.at.Sub(m.start.at).Seconds()
	res := Result{
		Participants: c.Participants, Typists: c.Typists, Probes: c.Probes, Sinks: len(r.sinks),
		Light: c.Light, Rate: c.Rate, DurationS: c.Duration.Seconds(),
		EditsSent: tr.sent.Load(), EditsApplied: tr.applied.Load(),
		EditsSentPer:    round(float64(tr.sent.Load())/m.typed.Seconds(), 1),
		EditsAppliedPer: round(float64(tr.applied.Load())/m.typed.Seconds(), 1),
		OpsApplied:      tr.ackedOps.Load(), OpsToAllProbes: tr.toProbes.Load(),
		EditsRefused: tr.refused.Load(), EditsDiscarded: tr.discarded.Load(), EditsFailed: tr.localErrs.Load(),
		Reconnections: tr.drops.Load(),
		LatencyMS:     latencies(toProbes), AckLatencyMS: latencies(toAck),
		ServerCPUS:        round(m.end.server.cpu-m.start.server.cpu, 2),
		ServerRSSMB:       round(float64(m.end.server.hwmKB)/1024, 1),
		RSSPerConnKB:      round(float64(m.connected.rssKB-m.before.rssKB)/float64(c.Participants), 1),
		GeneratorCPUS:     round((m.end.self - m.start.self).Seconds(), 2),
		GeneratorMaxCores: maxCores(),
		Warnings:          []string{},
	}
	res.Deliveries = res.OpsApplied * int64(c.Participants)
	if res.Deliveries > 0 {
		res.ServerCPUUSPerDelivery = round((m.end.server.cpu-m.start.server.cpu)*1e6/float64(res.Deliveries), 2)
	}
	if r.dataDir != "" {
		db := round(m.end.db.cpu-m.start.db.cpu, 2)
		res.DBCPUS = &db
	}
	sinks := m.end.sinks
	sinks.frames -= m.start.sinks.frames
	sinks.bytes -= m.start.sinks.bytes
	sinks.wire -= m.start.sinks.wire
	if per := float64(res.OpsApplied) * float64(len(r.sinks)); per > 0 {
		res.BytesPerOp = round(float64(sinks.bytes)/per, 1)
		res.WireBytesPerOp = round(float64(sinks.wire)/per, 1)
		if sinks.frames > 0 {
			res.OpsPerFrame = round(per/float64(sinks.frames), 2)
		}
	}
	if window > 0 {
		res.GeneratorCores = round((m.end.self-m.start.self).Seconds()/window, 2)
	}
	res.GeneratorSchedP99MS = round(float64(schedQuantile(m.start.sched, m.end.sched, 0.99))/1e6, 2)
	if total := m.end.total - m.start.total; total > 0 {
		res.MachineBusyPct = round(float64(m.end.busy-m.start.busy)*100/float64(total), 1)
	}
	for i, pid := range r.pids {
		res.Nodes = append(res.Nodes, Node{PID: pid,
			CPUS:      round(m.end.nodes[i].cpu-m.start.nodes[i].cpu, 2),
			PeakRSSMB: round(float64(m.end.nodes[i].hwmKB)/1024, 1)})
	}
	warn(&res)
	return res
}

// warn adds the warnings that say how far to trust res.
func warn(res *Result) {
	add := func(format string, a ...any) {
		res.Warnings = append(res.Warnings, fmt.Sprintf(format, a...))
	}
	if res.GeneratorCores > saturatedShare*float64(res.GeneratorMaxCores) {
		res.GeneratorSaturated = true
		add("the generator is saturated: it used %.2f of the %d cores it may use; latencies include its own backlog", res.GeneratorCores, res.GeneratorMaxCores)
	}
	if d := time.Duration(res.GeneratorSchedP99MS * 1e6); d > saturatedSchedP99 {
		res.GeneratorSaturated = true
		add("the generator's goroutines waited up to %.1f ms (p99) for a CPU; latencies include that wait", res.GeneratorSchedP99MS)
	}
	if asked := float64(res.Typists) * res.Rate; asked > 0 && res.EditsSentPer < lateShare*asked {
		res.GeneratorSaturated = true
		add("the typists sent %.1f edits/s of the %g asked: the generator fell behind its own schedule", res.EditsSentPer, asked)
	}
	if res.MachineBusyPct > busyMachinePct {
		add("the machine's CPUs were %.0f%% busy: the generator, the server and PostgreSQL (and anything else running) competed for them", res.MachineBusyPct)
	}
	if res.Probes == 0 {
		add("no probes: latency_ms is empty; ack_latency_ms times the acknowledgements")
	} else if res.OpsToAllProbes < res.OpsApplied {
		add("latency covers %d of %d ops; the others did not reach every probe in time", res.OpsToAllProbes, res.OpsApplied)
	}
	if n := res.EditsRefused + res.EditsDiscarded + res.EditsFailed; n > 0 {
		add("%d edits refused, %d discarded by resyncs, %d failed in the generator", res.EditsRefused, res.EditsDiscarded, res.EditsFailed)
	}
}

// WriteText writes res as a table.
func (res Result) WriteText(w io.Writer) {
	line := func(label, format string, a ...any) {
		fmt.Fprintf(w, "%-24s %s\n", label, fmt.Sprintf(format, a...))
	}
	lat := func(l Latencies) string {
		return fmt.Sprintf("p50 %.2f  p95 %.2f  p99 %.2f  max %.2f ms", l.P50, l.P95, l.P99, l.Max)
	}
	kind := "full"
	if res.Light {
		kind = "light"
	}
	line("participants", "%d: %d typists, %d probes, %d sinks", res.Participants, res.Typists, res.Probes, res.Sinks)
	line("typists", "%d %s at %g edits/s each", res.Typists, kind, res.Rate)
	line("duration", "%gs", res.DurationS)
	line("edits sent", "%d (%.1f/s)", res.EditsSent, res.EditsSentPer)
	line("edits applied", "%d (%.1f/s) in %d ops", res.EditsApplied, res.EditsAppliedPer, res.OpsApplied)
	line("latency to all probes", "%s (%d ops)", lat(res.LatencyMS), res.OpsToAllProbes)
	line("latency to the ack", "%s", lat(res.AckLatencyMS))
	line("server CPU", "%.2f s, %.2f µs per delivery (%d)", res.ServerCPUS, res.ServerCPUUSPerDelivery, res.Deliveries)
	if res.DBCPUS != nil {
		line("PostgreSQL CPU", "%.2f s", *res.DBCPUS)
	}
	line("server peak RSS", "%.1f MB", res.ServerRSSMB)
	line("RSS per connection", "%.1f KB", res.RSSPerConnKB)
	if res.Sinks > 0 {
		line("bytes per op", "%.1f in frames, %.1f on the wire (%.2f ops per frame)", res.BytesPerOp, res.WireBytesPerOp, res.OpsPerFrame)
	} else {
		line("bytes per op", "not counted: no sinks")
	}
	line("generator CPU", "%.2f s: %.2f of %d cores; scheduling delay p99 %.2f ms", res.GeneratorCPUS, res.GeneratorCores, res.GeneratorMaxCores, res.GeneratorSchedP99MS)
	line("machine CPU busy", "%.1f%%", res.MachineBusyPct)
	for _, n := range res.Nodes {
		line(fmt.Sprintf("node (pid %d)", n.PID), "CPU %.2f s, peak RSS %.1f MB", n.CPUS, n.PeakRSSMB)
	}
	for _, warning := range res.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warning)
	}
}
