package web

import (
	"sync/atomic"
	"testing"
)

// TestReady: /readyz says ready while the database answers and the server
// is not draining; draining, or a database that is gone, is a 503 with the
// reason — what a load balancer's health check reads.
func TestReady(t *testing.T) {
	st := openSQLite(t)
	var draining atomic.Bool
	e := newEnv(t, st, nil, func(c *Config) { c.Draining = draining.Load })
	c := e.client()
	r := c.get("/readyz")
	want(t, "ready", r, 200, "")
	contains(t, "ready", r.body, "ready")
	if got := r.header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control %q", got)
	}
	draining.Store(true)
	r = c.get("/readyz")
	want(t, "draining", r, 503, "")
	contains(t, "draining", r.body, "draining")
	draining.Store(false)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	r = c.get("/readyz")
	want(t, "database gone", r, 503, "")
	contains(t, "database gone", r.body, "database unavailable")
}
