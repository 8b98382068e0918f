package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

// benchKeys are the --json keys scripts may rely on: the first eleven were
// the first contract; later ones were added. Keys are added, never renamed.
var benchKeys = []string{"participants", "typists", "rate", "duration_s", "edits_sent", "edits_applied",
	"edits_applied_per_s", "latency_ms", "server_cpu_s", "server_rss_mb", "rss_per_conn_kb",
	"probes", "sinks", "light", "edits_sent_per_s", "ops_applied", "ops_to_all_probes", "edits_refused",
	"edits_discarded", "edits_failed", "reconnections", "ack_latency_ms", "deliveries",
	"server_cpu_us_per_delivery", "db_cpu_s", "bytes_per_op", "wire_bytes_per_op", "ops_per_frame",
	"generator_cpu_s", "generator_cores", "generator_max_cores", "generator_sched_p99_ms",
	"generator_saturated", "machine_busy_pct", "nodes", "warnings"}

type benchJSON struct {
	Participants, Typists, Probes, Sinks int
	Light                                bool
	EditsSent                            int64              `json:"edits_sent"`
	EditsApplied                         int64              `json:"edits_applied"`
	OpsApplied                           int64              `json:"ops_applied"`
	OpsToAllProbes                       int64              `json:"ops_to_all_probes"`
	Deliveries                           int64              `json:"deliveries"`
	LatencyMS                            map[string]float64 `json:"latency_ms"`
	AckLatencyMS                         map[string]float64 `json:"ack_latency_ms"`
	BytesPerOp                           float64            `json:"bytes_per_op"`
	WireBytesPerOp                       float64            `json:"wire_bytes_per_op"`
	GeneratorMaxCores                    int                `json:"generator_max_cores"`
	DBCPUS                               *float64           `json:"db_cpu_s"`
	Nodes                                []struct{ PID int }
}

// A small bench run on its own scratch server, with typists, probes and
// sinks, reports every key; every edit it sent was applied and reached
// every probe, and the sinks counted bytes. Figures are not checked:
// machines differ.
func TestLiveBenchSmoke(t *testing.T) {
	t.Parallel()
	for _, light := range []bool{false, true} {
		name := "full typists"
		args := []string{"bench", "-n", "20", "-k", "4", "-probes", "3", "-duration", "3s", "--json"}
		if light {
			name, args = "light typists", append(args, "-light")
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res := draftroom(t, t.TempDir(), nil, args...)
			if res.code != 0 {
				t.Fatalf("bench: %+v", res)
			}
			var raw map[string]json.RawMessage
			if err := json.Unmarshal([]byte(res.stdout), &raw); err != nil {
				t.Fatalf("bench output is not one JSON object: %v\n%s", err, res.stdout)
			}
			for _, k := range benchKeys {
				if _, ok := raw[k]; !ok {
					t.Errorf("no %q in\n%s", k, res.stdout)
				}
			}
			var r benchJSON
			if err := json.Unmarshal([]byte(res.stdout), &r); err != nil {
				t.Fatal(err)
			}
			for _, l := range []map[string]float64{r.LatencyMS, r.AckLatencyMS} {
				for _, k := range []string{"p50", "p95", "p99", "max"} {
					if _, ok := l[k]; !ok || len(l) != 4 {
						t.Errorf("latencies %v: want p50, p95, p99 and max", l)
					}
				}
			}
			if r.Participants != 20 || r.Typists != 4 || r.Probes != 3 || r.Sinks != 13 || r.Light != light {
				t.Errorf("participants %d typists %d probes %d sinks %d light %v", r.Participants, r.Typists, r.Probes, r.Sinks, r.Light)
			}
			if r.EditsApplied <= 0 || r.EditsApplied != r.EditsSent {
				t.Errorf("sent %d, applied %d: want all applied", r.EditsSent, r.EditsApplied)
			}
			if r.OpsApplied <= 0 || r.OpsToAllProbes != r.OpsApplied || r.Deliveries != r.OpsApplied*20 {
				t.Errorf("ops applied %d, to every probe %d, deliveries %d", r.OpsApplied, r.OpsToAllProbes, r.Deliveries)
			}
			if r.BytesPerOp <= 0 || r.WireBytesPerOp < r.BytesPerOp {
				t.Errorf("bytes per op %v, on the wire %v", r.BytesPerOp, r.WireBytesPerOp)
			}
			if r.GeneratorMaxCores < 1 || r.DBCPUS == nil || len(r.Nodes) != 1 || r.Nodes[0].PID <= 0 {
				t.Errorf("generator cores %d, db CPU %v, nodes %v", r.GeneratorMaxCores, r.DBCPUS, r.Nodes)
			}
			if !strings.Contains(res.stderr, "sent") || !strings.Contains(res.stderr, "3 probes, 13 sinks") {
				t.Errorf("no progress lines on stderr:\n%s", res.stderr)
			}
		})
	}
}

func TestLiveBenchRefusesRemoteTargets(t *testing.T) {
	t.Parallel()
	res := draftroom(t, t.TempDir(), nil, "bench", "--url", "http://192.0.2.1:8080", "--token", "drt_x", "--document", "00000000-0000-0000-0000-000000000000")
	if res.code != 2 || !strings.Contains(res.stderr, "loopback") {
		t.Fatalf("bench against a remote address: %+v", res)
	}
	res = draftroom(t, t.TempDir(), nil, "bench", "-n", "10", "-k", "5", "-probes", "6")
	if res.code != 2 || !strings.Contains(res.stderr, "probes") {
		t.Fatalf("bench with more probes than fit: %+v", res)
	}
}
