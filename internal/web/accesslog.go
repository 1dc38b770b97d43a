package web

// The request log of the application's routes: every route is counted in
// the metrics by its pattern, and logged like the public site's requests
// (site.Observe) — always when it was refused or failed (status 400 and
// up: a wrong password 401, a missing role 403, a limit 429), every
// request with --access-log. The line names the client's IP (the TCP
// peer, or the client a trusted proxy names: ServeHTTP has put it in
// RemoteAddr), the route's pattern, the signed-in user's id when there is
// one, and for the attempts to prove who one is an event ("signin_failed",
// "signin_limited", …). Never a password, a code, a session cookie or any
// other part of a form or a query.

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// reqNote is what a handler adds to its request's log line.
type reqNote struct {
	event string
	user  int64
}

type reqNoteKey struct{}

// noteEvent names what happened for the request's log line (a failed or
// limited sign-in, a refusal); the line is written when the request ends.
func noteEvent(r *http.Request, event string) {
	if n, ok := r.Context().Value(reqNoteKey{}).(*reqNote); ok {
		n.event = event
	}
}

// noteUser puts the signed-in user's id on the request's log line.
func noteUser(ctx context.Context, id int64) {
	if n, ok := ctx.Value(reqNoteKey{}).(*reqNote); ok {
		n.user = id
	}
}

// observe counts and logs each request of the route. A route whose address
// is a credential (secretPath) is logged by its pattern, never its path.
func (a *app) observe(rt route, h http.Handler) http.Handler {
	pattern := rt.pattern
	_, hidden, _ := strings.Cut(pattern, " ")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		note := &reqNote{}
		rec := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), reqNoteKey{}, note)))
		attrs := []slog.Attr{slog.String("route", pattern)}
		if note.user != 0 {
			attrs = append(attrs, slog.Int64("user", note.user))
		}
		if note.event != "" {
			attrs = append(attrs, slog.String("event", note.event))
		}
		if rt.secretPath {
			u := *r.URL
			u.Path, u.RawPath = hidden, ""
			r = r.Clone(r.Context())
			r.URL = &u
		}
		a.site.Observe(r, pattern, rec.status, rec.n, start, attrs...)
	})
}

// statusWriter records the status and the bytes written.
type statusWriter struct {
	http.ResponseWriter
	status int
	n      int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	n, err := w.ResponseWriter.Write(b)
	w.n += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
