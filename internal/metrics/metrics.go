// Package metrics is O2Sound's operator view in Prometheus form: HTTP requests by
// route and status with latency, tasks by state, stage durations and failures, render
// speed and queue depth. It owns one registry (not the global one), so tests and
// several servers in one process do not collide, and knows nothing of HTTP routing or
// River beyond the small Source interface it reads at scrape time.
package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Source answers the gauges that live in the database: read at scrape time, so every
// API process reports the same numbers whichever process did the work.
type Source interface {
	TaskCounts(ctx context.Context) (map[string]int, error)  // by task state
	QueueCounts(ctx context.Context) (map[string]int, error) // River jobs by state
}

// Metrics holds the collectors. The zero value is not usable; call New.
type Metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	stageTime *prometheus.HistogramVec
	failures  *prometheus.CounterVec
	renderFPS prometheus.Histogram
}

// New makes the registry, with the Go runtime and process collectors, and reads the
// database gauges from src (nil: none).
func New(src Source, log *slog.Logger) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "o2sound", Name: "http_requests_total", Help: "HTTP requests answered, by route pattern, method and status.",
	}, []string{"route", "method", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: "o2sound", Name: "http_request_duration_seconds", Help: "Time to answer an HTTP request, by route pattern and method.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route", "method"})
	m.stageTime = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: "o2sound", Name: "stage_duration_seconds", Help: "Wall time of a finished stage run, by stage.",
		Buckets: []float64{.1, .25, .5, 1, 2, 4, 8, 15, 30, 60, 120, 300, 600},
	}, []string{"stage"})
	m.failures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "o2sound", Name: "stage_failures_total", Help: "Stage runs that failed, by stage and error code (retried ones too).",
	}, []string{"stage", "code"})
	m.renderFPS = prometheus.NewHistogram(prometheus.HistogramOpts{
		Namespace: "o2sound", Name: "render_frames_per_second", Help: "Frames per second of each finished slideshow render.",
		Buckets: []float64{5, 10, 20, 30, 45, 60, 90, 120, 180, 240},
	})
	m.reg.MustRegister(m.requests, m.latency, m.stageTime, m.failures, m.renderFPS,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if src != nil {
		m.reg.MustRegister(&dbCollector{src: src, log: log,
			tasks: prometheus.NewDesc("o2sound_tasks", "Tasks by state.", []string{"state"}, nil),
			queue: prometheus.NewDesc("o2sound_queue_jobs", "Jobs in the queue by state.", []string{"state"}, nil),
		})
	}
	return m
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Registry exposes the registry (tests gather from it).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// ObserveRequest records one answered request. route is the mux pattern that served
// it ("POST /user/profile"), never the raw path: raw paths would make a label per
// video or task id.
func (m *Metrics) ObserveRequest(route, method string, status int, took time.Duration) {
	if m == nil {
		return
	}
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route, method).Observe(took.Seconds())
}

// ObserveStage records a finished stage run.
func (m *Metrics) ObserveStage(stage string, took time.Duration) {
	if m == nil {
		return
	}
	m.stageTime.WithLabelValues(stage).Observe(took.Seconds())
}

// StageFailed records a failed stage run with its error code.
func (m *Metrics) StageFailed(stage, code string) {
	if m == nil {
		return
	}
	m.failures.WithLabelValues(stage, code).Inc()
}

// ObserveRender records a finished render's speed.
func (m *Metrics) ObserveRender(frames int, took time.Duration) {
	if m == nil || took <= 0 || frames <= 0 {
		return
	}
	m.renderFPS.Observe(float64(frames) / took.Seconds())
}

// dbCollector reads the database gauges when Prometheus scrapes.
type dbCollector struct {
	src          Source
	log          *slog.Logger
	tasks, queue *prometheus.Desc
}

func (c *dbCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.tasks
	ch <- c.queue
}

func (c *dbCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	emit := func(desc *prometheus.Desc, counts map[string]int, err error) {
		if err != nil {
			if c.log != nil {
				c.log.Warn("metrics: read counts", "err", err)
			}
			ch <- prometheus.NewInvalidMetric(desc, err)
			return
		}
		for state, n := range counts {
			ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, float64(n), state)
		}
	}
	tasks, err := c.src.TaskCounts(ctx)
	emit(c.tasks, tasks, err)
	queue, err := c.src.QueueCounts(ctx)
	emit(c.queue, queue, err)
}
