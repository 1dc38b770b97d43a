package main

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/store/pgtest"
)

func TestHumanDuration(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"},
		{999, "999ns"},
		{83_417 * time.Nanosecond, "83µs"},
		{1_234_567 * time.Nanosecond, "1.23ms"},
		{12_345_678 * time.Nanosecond, "12.3ms"},
		{312 * time.Millisecond, "312ms"},
		{312_456_789 * time.Nanosecond, "312ms"},
		{2500 * time.Millisecond, "2.5s"},
		{12_345 * time.Millisecond, "12.3s"},
		{90_400 * time.Millisecond, "1m30s"},
		{-5 * time.Millisecond, "-5ms"},
	} {
		if got := humanDuration(tc.d); got != tc.want {
			t.Errorf("humanDuration(%d) = %q, want %q", int64(tc.d), got, tc.want)
		}
	}
}

// TestLoggerDurations: the JSON log writes a duration as a string in human
// units, not as nanoseconds, in a group too.
func TestLoggerDurations(t *testing.T) {
	var b bytes.Buffer
	log := newLogger(&b, &b)
	log.Info("serving", "ready_in", 312*time.Millisecond, slog.Group("req", slog.Duration("duration", 1500*time.Microsecond)), "n", 3)
	var rec struct {
		ReadyIn any `json:"ready_in"`
		Req     struct {
			Duration any `json:"duration"`
		} `json:"req"`
		N any `json:"n"`
	}
	if err := json.Unmarshal(b.Bytes(), &rec); err != nil {
		t.Fatalf("%v: %s", err, b.String())
	}
	if rec.ReadyIn != "312ms" || rec.Req.Duration != "1.5ms" || rec.N != 3.0 {
		t.Errorf("logged %s", b.String())
	}
}

// logLines are serve's JSON log lines.
func logLines(t *testing.T, log string) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(log))
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("a log line that is not JSON: %s", sc.Text())
		}
		out = append(out, rec)
	}
	return out
}

var humanRE = regexp.MustCompile(`^-?([0-9]+(\.[0-9]+)?(ns|µs|ms|s|m|h))+$`)

// checkServeLog checks serve's log: the database line once, with where the
// database is, and every duration in human units.
func checkServeLog(t *testing.T, log, db, at string, secret string) {
	t.Helper()
	if secret != "" && strings.Contains(log, secret) {
		t.Errorf("the log holds the password:\n%s", log)
	}
	var databases, requests int
	for _, rec := range logLines(t, log) {
		for _, k := range []string{"ready_in", "open_in", "duration"} {
			if v, ok := rec[k]; ok {
				if s, isString := v.(string); !isString || !humanRE.MatchString(s) {
					t.Errorf("%s: %s = %v, want a duration in human units", rec["msg"], k, v)
				}
			}
		}
		switch rec["msg"] {
		case "database":
			databases++
			if rec["db"] != db || rec["at"] != at {
				t.Errorf("database line: db %v at %v; want %s at %s", rec["db"], rec["at"], db, at)
			}
			if v, ok := rec["schema_version"].(float64); !ok || v < 1 {
				t.Errorf("database line: schema_version %v", rec["schema_version"])
			}
		case "serving":
			if _, ok := rec["ready_in"]; !ok {
				t.Error("no ready_in in the serving line")
			}
		case "request":
			requests++
		}
	}
	if databases != 1 {
		t.Errorf("%d database lines, want 1:\n%s", databases, log)
	}
	if requests == 0 {
		t.Errorf("no request line with --access-log:\n%s", log)
	}
}

// TestServeLogs: serve logs where its database is (SQLite: the file; on
// PostgreSQL the server and database, never the password) once at start,
// and every duration — ready_in, the access log's — in human units.
func TestServeLogs(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "data")
		url, log, stop := startServe(t, "--addr", "127.0.0.1:0", "--data", dir, "--access-log")
		httpGet(t, url+"/healthz")
		if code := stop(); code != 0 {
			t.Fatalf("serve exit %d\n%s", code, log.String())
		}
		abs, _ := filepath.Abs(filepath.Join(dir, "stenose.db"))
		checkServeLog(t, log.String(), "sqlite", abs, "")
	})
	t.Run("postgres", func(t *testing.T) {
		base := pgtest.Base(t)
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close()
		var b [6]byte
		rand.Read(b[:])
		schema := "cmd_" + hex.EncodeToString(b[:])
		if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`) })
		u, err := url.Parse(base)
		if err != nil {
			t.Fatal(err)
		}
		// The test server trusts every local connection, so any password
		// gets in: the point is that it never reaches the log.
		const secret = "hemmelig-adgangskode"
		u.User = url.UserPassword(u.User.Username(), secret)
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		srv, log, stop := startServe(t, "--addr", "127.0.0.1:0", "--db", u.String(), "--access-log")
		httpGet(t, srv+"/healthz")
		if code := stop(); code != 0 {
			t.Fatalf("serve exit %d\n%s", code, log.String())
		}
		at := u.User.Username() + "@" + u.Host + u.Path + " (search_path " + schema + ")"
		checkServeLog(t, log.String(), "postgres", at, secret)
	})
}
