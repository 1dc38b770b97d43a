package main

// The metrics `stenose serve` adds to the site's (HTTP requests by route,
// Go's runtime, the process): what an operator of several instances needs
// to see before users do — the database pools, the daily re-derivation of
// the clinics' lists, and which build and schema each instance runs. Every
// metric is listed, with what to alert on, in docs/operations.md.

import (
	"database/sql"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/stenose/stenose/internal/store"
)

// refreshMetrics follow care.KeepFresh's rounds.
type refreshMetrics struct {
	rounds   *prometheus.CounterVec
	patients prometheus.Counter
	lastOK   prometheus.Gauge
}

// done is KeepFresh's callback.
func (m refreshMetrics) done(n int, err error) {
	if err != nil {
		m.rounds.WithLabelValues("error").Inc()
		return
	}
	m.rounds.WithLabelValues("ok").Inc()
	m.patients.Add(float64(n))
	m.lastOK.SetToCurrentTime()
}

// registerMetrics adds serve's metrics to reg and returns the callback for
// KeepFresh.
func registerMetrics(reg *prometheus.Registry, st *store.Store, schema int64) func(int, error) {
	info := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "stenose_build_info",
		Help: "Always 1: the instance's version, database engine and schema version as labels.",
		ConstLabels: prometheus.Labels{"version": version, "engine": st.Dialect(),
			"schema": strconv.FormatInt(schema, 10)},
	})
	info.Set(1)
	started := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "stenose_start_time_seconds", Help: "When this instance started, in Unix seconds.",
	})
	started.Set(float64(time.Now().Unix()))
	m := refreshMetrics{
		rounds: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stenose_refresh_rounds_total",
			Help: "Rounds of deriving again the clinics' lists of patients whose summary is from before today, by result (ok, error); one every 15 minutes.",
		}, []string{"result"}),
		patients: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "stenose_refresh_patients_total", Help: "Patients whose alerts and list line were derived again by those rounds.",
		}),
		lastOK: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "stenose_refresh_last_success_time_seconds", Help: "When a round last succeeded, in Unix seconds (0: not yet).",
		}),
	}
	m.rounds.WithLabelValues("ok")
	m.rounds.WithLabelValues("error")
	reg.MustRegister(info, started, m.rounds, m.patients, m.lastOK, poolCollector{st})
	return m.done
}

// poolCollector reads the database pools' figures at each scrape.
type poolCollector struct{ st *store.Store }

var (
	poolOpen     = prometheus.NewDesc("stenose_db_connections", "Connections the pool holds now, by pool (writer; reader on SQLite) and state (in_use, idle).", []string{"pool", "state"}, nil)
	poolMax      = prometheus.NewDesc("stenose_db_connections_max", "The most connections the pool may open (0: no limit).", []string{"pool"}, nil)
	poolWaits    = prometheus.NewDesc("stenose_db_waits_total", "Times a request waited for a free connection.", []string{"pool"}, nil)
	poolWaitTime = prometheus.NewDesc("stenose_db_wait_seconds_total", "Time requests spent waiting for a free connection.", []string{"pool"}, nil)
)

func (c poolCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- poolOpen
	ch <- poolMax
	ch <- poolWaits
	ch <- poolWaitTime
}

func (c poolCollector) Collect(ch chan<- prometheus.Metric) {
	w, r := c.st.PoolStats()
	emit := func(name string, s sql.DBStats) {
		ch <- prometheus.MustNewConstMetric(poolOpen, prometheus.GaugeValue, float64(s.InUse), name, "in_use")
		ch <- prometheus.MustNewConstMetric(poolOpen, prometheus.GaugeValue, float64(s.Idle), name, "idle")
		ch <- prometheus.MustNewConstMetric(poolMax, prometheus.GaugeValue, float64(s.MaxOpenConnections), name)
		ch <- prometheus.MustNewConstMetric(poolWaits, prometheus.CounterValue, float64(s.WaitCount), name)
		ch <- prometheus.MustNewConstMetric(poolWaitTime, prometheus.CounterValue, s.WaitDuration.Seconds(), name)
	}
	emit("writer", w)
	if c.st.Dialect() == "sqlite" {
		emit("reader", r)
	}
}
