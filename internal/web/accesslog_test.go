package web

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"testing"

	stenose "github.com/stenose/stenose"
	"github.com/stenose/stenose/internal/account"
	"github.com/stenose/stenose/internal/calendar"
	"github.com/stenose/stenose/internal/site"
)

// logBuffer collects JSON log lines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// take returns the request lines written since the last take, and their
// raw text.
func (l *logBuffer) take(t *testing.T) ([]map[string]any, string) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	raw := l.b.String()
	l.b.Reset()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(raw), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not a JSON log line: %q", line)
		}
		if m["msg"] == "request" {
			out = append(out, m)
		}
	}
	return out, raw
}

// logged runs the app with a site of its own whose request log (with or
// without --access-log) goes to the returned buffer, behind a trusted
// proxy on loopback.
func logged(accessLog bool) (option, *logBuffer) {
	buf := &logBuffer{}
	return func(c *Config) {
		log := slog.New(slog.NewJSONHandler(buf, nil))
		trusted := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
		s, err := site.Load(stenose.Content(), site.Options{BaseURL: "http://example.test", Logger: log, AccessLog: accessLog,
			ClientAddr: func(r *http.Request) string {
				return account.ClientAddr(r.RemoteAddr, r.Header.Values("X-Forwarded-For"), trusted)
			}})
		if err != nil {
			panic(err)
		}
		c.Site, c.Logger, c.TrustedProxies = s, log, trusted
	}, buf
}

// wantLine checks that lines hold exactly one request line with each of
// the fields in want (JSON numbers as float64).
func wantLine(t *testing.T, what string, lines []map[string]any, want map[string]any) {
	t.Helper()
	n := 0
	for _, l := range lines {
		ok := true
		for k, v := range want {
			if l[k] != v {
				ok = false
			}
		}
		if ok {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%s: %d request lines with %v, want 1; lines: %v", what, n, want, lines)
	}
}

// TestRequestLog: without --access-log, the app's refusals and failed
// sign-ins are still logged — 401, 403, 422 of a wrong code, 429 — with
// the client's address (the one a trusted proxy names), the route and
// what happened; with it, every route is. No line holds a password, a
// code, a session cookie or a form's text.
func TestRequestLog(t *testing.T) {
	const secretPW, secretNote = "hemmelig-kode-123", "min helt private note"
	t.Run("refusals always", func(t *testing.T) {
		opt, buf := logged(false)
		e := newEnv(t, openSQLite(t), nil, opt)
		anna := e.signUp("anna")
		annaID := e.userID("anna")
		c := e.client()
		c.hdr.Set("X-Forwarded-For", "192.0.2.7")
		buf.take(t)

		want(t, "sign-in page", c.get("/konto/log-ind"), 200, "")
		if lines, _ := buf.take(t); len(lines) != 0 {
			t.Errorf("a 200 logged without --access-log: %v", lines)
		}
		want(t, "wrong password", c.post("/konto/log-ind", "login", "anna", "password", secretPW), 401, "")
		lines, raw := buf.take(t)
		wantLine(t, "wrong password", lines, map[string]any{"status": 401.0, "client": "192.0.2.7", "route": "POST /konto/log-ind",
			"path": "/konto/log-ind", "method": "POST", "event": "signin_failed"})
		var last resp
		for range account.DefaultLimits.PairBurst {
			last = c.post("/konto/log-ind", "login", "anna", "password", secretPW)
		}
		want(t, "limited", last, 429, "")
		lines, r2 := buf.take(t)
		raw += r2
		wantLine(t, "limited", lines, map[string]any{"status": 429.0, "client": "192.0.2.7", "event": "signin_limited"})

		anna.hdr.Set("X-Forwarded-For", "198.51.100.4")
		want(t, "a clinician's page", anna.get("/klinik"), 403, "")
		lines, r2 = buf.take(t)
		raw += r2
		wantLine(t, "forbidden", lines, map[string]any{"status": 403.0, "client": "198.51.100.4", "route": "GET /klinik",
			"event": "forbidden", "user": float64(annaID)})

		cross := e.client()
		cross.hdr.Set("Sec-Fetch-Site", "cross-site")
		want(t, "cross-origin", cross.post("/konto/log-ind", "login", "anna", "password", secretPW), 403, "")
		lines, r2 = buf.take(t)
		raw += r2
		wantLine(t, "cross-origin", lines, map[string]any{"status": 403.0, "client": "127.0.0.1", "event": "cross_origin"})

		want(t, "a wrong reset code", c.post(resetPath, "login", "bo", "kode", "BBBB-BBBB-BBBB", "password", secretPW, "password2", secretPW), 422, "")
		lines, r2 = buf.take(t)
		raw += r2
		wantLine(t, "reset code", lines, map[string]any{"status": 422.0, "client": "192.0.2.7", "event": "reset_failed"})

		for _, leak := range []string{secretPW, "BBBB", anna.cookie().Value, "password", "kode="} {
			if strings.Contains(raw, leak) {
				t.Errorf("the log holds %q:\n%s", leak, raw)
			}
		}
	})
	t.Run("every route with --access-log", func(t *testing.T) {
		opt, buf := logged(true)
		e := newEnv(t, openSQLite(t), nil, opt)
		anna := e.patientSince("anna", fixturesSince)
		annaID := e.userID("anna")
		anna.hdr.Set("X-Forwarded-For", "203.0.113.9")
		buf.take(t)
		want(t, "account", anna.get("/konto"), 200, "")
		want(t, "diary", anna.post("/dagbog", entryForm("2026-03-02T18:05", "7", "4", secretNote)...), 303, "/dagbog?gemt=ny")
		want(t, "a public page", anna.get("/blog/5-bedste-oevelser-til-spinalstenose?utm=x"), 200, "")
		want(t, "the app's stylesheet", anna.get(cssPath), 200, "")
		// The calendar's link is its own credential: logged by its
		// pattern, never the address with the secret in it.
		want(t, "calendar", anna.post(calendarPath, "dag", "1", "tid", "600"), 303, calendarPath)
		var feed string
		for _, ck := range anna.jar.Cookies(mustURL(e.srv.URL + calendarPath)) {
			if len(ck.Value) == calendar.SecretLen {
				feed = ck.Value
			}
		}
		if feed == "" {
			t.Fatal("no calendar link in the page's cookie")
		}
		want(t, "the feed", e.client().get(feedPath+feed+".ics"), 200, "")
		want(t, "a dead feed", e.client().get(feedPath+strings.Repeat("A", calendar.SecretLen)+".ics"), 404, "")
		lines, raw := buf.take(t)
		wantLine(t, "feed", lines, map[string]any{"status": 200.0, "route": "GET " + feedPath + "{feed}", "path": feedPath + "{feed}"})
		wantLine(t, "dead feed", lines, map[string]any{"status": 404.0, "route": "GET " + feedPath + "{feed}", "path": feedPath + "{feed}"})
		wantLine(t, "account", lines, map[string]any{"status": 200.0, "route": "GET /konto", "client": "203.0.113.9", "user": float64(annaID)})
		wantLine(t, "diary", lines, map[string]any{"status": 303.0, "route": "POST /dagbog", "client": "203.0.113.9", "user": float64(annaID)})
		wantLine(t, "public page", lines, map[string]any{"status": 200.0, "path": "/blog/5-bedste-oevelser-til-spinalstenose", "client": "203.0.113.9"})
		wantLine(t, "stylesheet", lines, map[string]any{"status": 200.0, "route": "GET " + cssPath})
		for _, leak := range []string{secretNote, "utm", anna.cookie().Value, feed, strings.Repeat("A", calendar.SecretLen)} {
			if strings.Contains(raw, leak) {
				t.Errorf("the log holds %q:\n%s", leak, raw)
			}
		}
	})
}
