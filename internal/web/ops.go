package web

// /readyz: whether a load balancer should send this instance requests —
// beside the site's /healthz (the process answers), it says the database
// answers and the server is not stopping.

import (
	"context"
	"net/http"
	"time"
)

// readyTimeout bounds the database's answer to a readiness check.
const readyTimeout = 2 * time.Second

// ready answers 200 "ready" when the database answers within readyTimeout
// and the server is not draining (Config.Draining), else 503 with the
// reason. The schema is current by construction: the store migrates it
// when the server starts, under a lock (store.Open).
func (a *app) ready(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if a.drain != nil && a.drain() {
		http.Error(w, "draining", http.StatusServiceUnavailable)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	if err := a.st.Ping(ctx); err != nil {
		a.log.WarnContext(r.Context(), "not ready: the database does not answer", "err", err)
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}
