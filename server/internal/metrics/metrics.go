// Package metrics defines Draftroom's Prometheus metrics. A nil *Metrics is
// valid and records nothing, so tests and tools need not set one up.
package metrics

import (
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds every metric the server records.
type Metrics struct {
	reg             *prometheus.Registry
	Connections     prometheus.Gauge
	Rooms           prometheus.Gauge
	OpsApplied      prometheus.Counter
	OpsRefused      *prometheus.CounterVec
	CommitBatch     prometheus.Histogram
	CommitLatency   prometheus.Histogram
	EditToBroadcast prometheus.Histogram
	SlowDisconnects prometheus.Counter
}

// New registers the metrics, the Go runtime's, and the pool's.
func New(pool *pgxpool.Pool) *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		reg:         reg,
		Connections: prometheus.NewGauge(prometheus.GaugeOpts{Name: "draftroom_connections", Help: "Open websocket connections."}),
		Rooms:       prometheus.NewGauge(prometheus.GaugeOpts{Name: "draftroom_rooms", Help: "Open document rooms."}),
		OpsApplied:  prometheus.NewCounter(prometheus.CounterOpts{Name: "draftroom_ops_applied_total", Help: "Ops committed and broadcast."}),
		OpsRefused:  prometheus.NewCounterVec(prometheus.CounterOpts{Name: "draftroom_ops_refused_total", Help: "Edits and actions refused, by error code."}, []string{"code"}),
		CommitBatch: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "draftroom_commit_batch_ops", Help: "Ops per group commit.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 12)}),
		CommitLatency: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "draftroom_commit_seconds", Help: "Group commit transaction time.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14)}),
		EditToBroadcast: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "draftroom_edit_to_broadcast_seconds", Help: "From accepting an op to broadcasting it after its commit.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14)}),
		SlowDisconnects: prometheus.NewCounter(prometheus.CounterOpts{Name: "draftroom_slow_disconnects_total", Help: "Connections closed with 4008 for not reading."}),
	}
	reg.MustRegister(m.Connections, m.Rooms, m.OpsApplied, m.OpsRefused, m.CommitBatch, m.CommitLatency, m.EditToBroadcast, m.SlowDisconnects,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if pool != nil {
		reg.MustRegister(poolCollector{pool})
	}
	return m
}

// Handler serves the metrics in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Refused counts a refusal.
func (m *Metrics) Refused(code string) {
	if m != nil {
		m.OpsRefused.WithLabelValues(code).Inc()
	}
}

// Committed records one group commit.
func (m *Metrics) Committed(ops int, took time.Duration) {
	if m == nil {
		return
	}
	m.OpsApplied.Add(float64(ops))
	m.CommitBatch.Observe(float64(ops))
	m.CommitLatency.Observe(took.Seconds())
}

// Broadcast records the time from accepting an op to broadcasting it.
func (m *Metrics) Broadcast(accepted time.Time) {
	if m != nil {
		m.EditToBroadcast.Observe(time.Since(accepted).Seconds())
	}
}

// Slow counts a slow-client disconnect.
func (m *Metrics) Slow() {
	if m != nil {
		m.SlowDisconnects.Inc()
	}
}

// AddConnections moves the connection gauge.
func (m *Metrics) AddConnections(n int) {
	if m != nil {
		m.Connections.Add(float64(n))
	}
}

// AddRooms moves the room gauge.
func (m *Metrics) AddRooms(n int) {
	if m != nil {
		m.Rooms.Add(float64(n))
	}
}

var (
	poolTotal    = prometheus.NewDesc("draftroom_db_pool_connections", "Database pool connections by state.", []string{"state"}, nil)
	poolAcquires = prometheus.NewDesc("draftroom_db_pool_acquires_total", "Connections acquired from the pool.", nil, nil)
	poolWait     = prometheus.NewDesc("draftroom_db_pool_acquire_wait_seconds_total", "Time spent waiting for a pool connection.", nil, nil)
)

type poolCollector struct{ pool *pgxpool.Pool }

func (c poolCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- poolTotal
	ch <- poolAcquires
	ch <- poolWait
}

func (c poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.pool.Stat()
	ch <- prometheus.MustNewConstMetric(poolTotal, prometheus.GaugeValue, float64(s.AcquiredConns()), "acquired")
	ch <- prometheus.MustNewConstMetric(poolTotal, prometheus.GaugeValue, float64(s.IdleConns()), "idle")
	ch <- prometheus.MustNewConstMetric(poolTotal, prometheus.GaugeValue, float64(s.MaxConns()), "max")
	ch <- prometheus.MustNewConstMetric(poolAcquires, prometheus.CounterValue, float64(s.AcquireCount()))
	ch <- prometheus.MustNewConstMetric(poolWait, prometheus.CounterValue, s.AcquireDuration().Seconds())
}
