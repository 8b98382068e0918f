package metrics

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestMetricsExposed(t *testing.T) {
	m := New(nil)
	m.AddConnections(3)
	m.AddRooms(1)
	m.Refused("forbidden")
	m.Committed(7, 3*time.Millisecond)
	m.Broadcast(time.Now().Add(-5 * time.Millisecond))
	m.Slow()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{
		"draftroom_connections 3", "draftroom_rooms 1", `draftroom_ops_refused_total{code="forbidden"} 1`,
		"draftroom_ops_applied_total 7", "draftroom_commit_batch_ops_count 1", "draftroom_commit_seconds_count 1",
		"draftroom_edit_to_broadcast_seconds_count 1", "draftroom_slow_disconnects_total 1", "go_goroutines",
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	// A nil *Metrics records nothing and does not panic.
	var none *Metrics
	none.Refused("x")
	none.Committed(1, time.Millisecond)
	none.Broadcast(time.Now())
	none.Slow()
	none.AddConnections(1)
	none.AddRooms(1)
}
