package web

import (
	"database/sql"
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
	// A newer stenose migrated the schema (a rolling upgrade): this
	// instance steps aside.
	known, err := st.SchemaVersion(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+st.Path()+"?_pragma=busy_timeout(5000)") // behind the store's back, as another instance would
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(t.Context(), `INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, 1)`, known+1); err != nil {
		t.Fatal(err)
	}
	r = c.get("/readyz")
	want(t, "newer schema", r, 503, "")
	contains(t, "newer schema", r.body, "database schema is not this version's")
	if _, err := db.ExecContext(t.Context(), `DELETE FROM goose_db_version WHERE version_id = ?`, known+1); err != nil {
		t.Fatal(err)
	}
	want(t, "schema back", c.get("/readyz"), 200, "")
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	r = c.get("/readyz")
	want(t, "database gone", r, 503, "")
	contains(t, "database gone", r.body, "database unavailable")
}
