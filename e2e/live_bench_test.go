package e2e

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// A small bench run on its own scratch server reports every key, and every
// edit it sent was applied. Figures are not checked: machines differ.
func TestLiveBenchSmoke(t *testing.T) {
	res := draftroom(t, t.TempDir(), nil, "bench", "-n", "20", "-k", "4", "-duration", "3s", "--json")
	if res.code != 0 {
		t.Fatalf("bench: %+v", res)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(res.stdout), &raw); err != nil {
		t.Fatalf("bench output is not one JSON object: %v\n%s", err, res.stdout)
	}
	want := []string{"participants", "typists", "rate", "duration_s", "edits_sent", "edits_applied",
		"edits_applied_per_s", "latency_ms", "server_cpu_s", "server_rss_mb", "rss_per_conn_kb"}
	var got []string
	for k := range raw {
		got = append(got, k)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("keys %v, want %v", got, want)
	}
	var r struct {
		Participants int                `json:"participants"`
		Typists      int                `json:"typists"`
		EditsSent    int64              `json:"edits_sent"`
		EditsApplied int64              `json:"edits_applied"`
		LatencyMS    map[string]float64 `json:"latency_ms"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &r); err != nil {
		t.Fatal(err)
	}
	for k := range r.LatencyMS {
		if !slices.Contains([]string{"p50", "p95", "p99", "max"}, k) {
			t.Errorf("unexpected latency key %q", k)
		}
	}
	if len(r.LatencyMS) != 4 {
		t.Errorf("latency_ms = %v", r.LatencyMS)
	}
	if r.Participants != 20 || r.Typists != 4 {
		t.Errorf("participants %d typists %d", r.Participants, r.Typists)
	}
	if r.EditsApplied <= 0 || r.EditsApplied != r.EditsSent {
		t.Errorf("sent %d, applied %d: want all applied", r.EditsSent, r.EditsApplied)
	}
	if !strings.Contains(res.stderr, "sent") {
		t.Errorf("no progress lines on stderr:\n%s", res.stderr)
	}
}

func TestLiveBenchRefusesRemoteTargets(t *testing.T) {
	res := draftroom(t, t.TempDir(), nil, "bench", "--url", "http://192.0.2.1:8080", "--token", "drt_x", "--document", "00000000-0000-0000-0000-000000000000")
	if res.code != 2 || !strings.Contains(res.stderr, "loopback") {
		t.Fatalf("bench against a remote address: %+v", res)
	}
}
