package web

// /readyz: whether a load balancer should send this instance requests —
// beside the site's /healthz (the process answers), it says the database
// answers and the server is not stopping.

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/stenose/stenose/internal/store"
)

// readyTimeout bounds the database's answer to a readiness check.
const readyTimeout = 2 * time.Second

// ready answers 200 "ready" when the database answers within readyTimeout
// with the schema this program knows, and the server is not draining
// (Config.Draining); else 503 with the reason. The store migrates the
// schema when the server starts, under a lock (store.Open); an instance
// that finds it migrated further later — by a newer stenose in a rolling
// upgrade — stops being ready, so the balancer moves its traffic to the
// new instances.
func (a *app) ready(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if a.drain != nil && a.drain() {
		http.Error(w, "draining", http.StatusServiceUnavailable)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	switch err := a.st.Ready(ctx); {
	case errors.Is(err, store.ErrSchema):
		a.log.WarnContext(r.Context(), "not ready: the database's schema has changed since this instance started", "err", err)
		http.Error(w, "database schema is not this version's", http.StatusServiceUnavailable)
		return
	case err != nil:
		a.log.WarnContext(r.Context(), "not ready: the database does not answer", "err", err)
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}
