package site

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the site's Prometheus metrics, in a registry of its own so
// that several sites (tests) never collide.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	pageOK   prometheus.Counter // the hot path's counters, looked up once
	page304  prometheus.Counter
	pageDur  prometheus.Observer
}

func newMetrics() *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "stenose_http_requests_total",
		Help: "HTTP requests by route (page, healthz or other on the public site; the app's route pattern, e.g. \"POST /konto/log-ind\") and status code.",
	}, []string{"route", "code"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "stenose_http_request_duration_seconds",
		Help:    "Time to answer HTTP requests, by route (as stenose_http_requests_total).",
		Buckets: []float64{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1},
	}, []string{"route"})
	m.reg.MustRegister(m.requests, m.duration,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.pageOK = m.requests.WithLabelValues("page", "200")
	m.page304 = m.requests.WithLabelValues("page", "304")
	m.pageDur = m.duration.WithLabelValues("page")
	return m
}

// Registry lets other parts of the program add their own metrics.
func (s *Site) Registry() *prometheus.Registry { return s.metrics.reg }

func (m *metrics) observe(route string, status int, d time.Duration) {
	if route == "page" {
		switch status {
		case 200:
			m.pageOK.Inc()
		case 304:
			m.page304.Inc()
		default:
			m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
		}
		m.pageDur.Observe(d.Seconds())
		return
	}
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(d.Seconds())
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}
