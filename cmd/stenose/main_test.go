package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	brokenDir   = "../../internal/content/testdata/broken"
	articlePath = "/blog/5-bedste-oevelser-til-spinalstenose"
)

// TestMain clears the environment variables the commands read, so that a
// developer's own settings do not change the results.
func TestMain(m *testing.M) {
	for _, k := range []string{"STENOSE_ADDR", "STENOSE_CONTENT", "STENOSE_BASE_URL", "STENOSE_ACCESS_LOG", "STENOSE_METRICS_ADDR", "STENOSE_BODY_TIMEOUT"} {
		os.Unsetenv(k)
	}
	code := m.Run()
	if testDataDir != "" {
		os.RemoveAll(testDataDir)
	}
	os.Exit(code)
}

// runCmd calls run and returns the exit code and what it printed.
func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestHelp(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"no args", nil},
		{"help", []string{"help"}},
		{"-h", []string{"-h"}},
		{"--help", []string{"--help"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, _ := runCmd(t, tt.args...)
			if code != 0 {
				t.Errorf("exit %d, want 0", code)
			}
			for _, cmd := range []string{"serve", "check", "build", "help"} {
				if !regexp.MustCompile(`(?m)^\s+` + cmd + `\s`).MatchString(out) {
					t.Errorf("usage does not list %q:\n%s", cmd, out)
				}
			}
		})
	}
}

func TestCommandHelp(t *testing.T) {
	tests := []struct {
		args  []string
		flags []string
	}{
		{[]string{"help", "serve"}, []string{"-addr", "-content", "-base-url", "-access-log", "STENOSE_ADDR"}},
		{[]string{"help", "serve"}, []string{"-trusted-proxies", "STENOSE_TRUSTED_PROXIES", "X-Forwarded-For"}},
		{[]string{"serve", "-h"}, []string{"-addr", "-content", "-base-url"}},
		{[]string{"serve", "--help"}, []string{"-addr", "-content", "-base-url"}},
		{[]string{"help", "build"}, []string{"-o", "-content", "-base-url"}},
		{[]string{"build", "-h"}, []string{"-o", "-content", "-base-url"}},
		{[]string{"help", "check"}, []string{"Usage: stenose check"}},
		{[]string{"check", "-h"}, []string{"Usage: stenose check"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errs := runCmd(t, tt.args...)
			if code != 0 {
				t.Errorf("exit %d, want 0", code)
			}
			all := out + errs
			for _, f := range tt.flags {
				if !strings.Contains(all, f) {
					t.Errorf("help lacks %q:\n%s", f, all)
				}
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		code int
		msg  string // in stderr
	}{
		{[]string{"nonsense"}, 2, `unknown command "nonsense"`},
		{[]string{"help", "nonsense"}, 2, `unknown command "nonsense"`},
		{[]string{"serve", "--no-such-flag"}, 2, "no-such-flag"},
		{[]string{"serve", "extra"}, 2, "Usage"},
		{[]string{"serve", "--trusted-proxies", "10.0.0.0/8,proxy.local"}, 2, `"proxy.local" is not an address or a CIDR`},
		{[]string{"serve", "--hash-slots", "0"}, 2, "--hash-slots must be at least 1"},
		{[]string{"check", "a", "b"}, 2, "Usage"},
		{[]string{"check", "/does/not/exist"}, 1, "/does/not/exist"},
		{[]string{"check", "main.go"}, 1, "not a folder"},
		{[]string{"build"}, 1, "-o"},
		{[]string{"build", "-o", "OUT", "extra"}, 1, "-o"},
		{[]string{"build", "--content", "/does/not/exist", "-o", "OUT"}, 1, "/does/not/exist"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			args := append([]string(nil), tt.args...)
			for i, a := range args {
				if a == "OUT" {
					args[i] = t.TempDir()
				}
			}
			code, _, errs := runCmd(t, args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s", code, tt.code, errs)
			}
			if !strings.Contains(errs, tt.msg) {
				t.Errorf("stderr lacks %q:\n%s", tt.msg, errs)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runCmd(t, "version")
	if code != 0 || !strings.HasPrefix(out, "stenose ") {
		t.Errorf("version: exit %d, %q", code, out)
	}
}

func TestCheckBuiltin(t *testing.T) {
	code, out, errs := runCmd(t, "check")
	if code != 0 {
		t.Fatalf("check (built-in): exit %d\n%s%s", code, out, errs)
	}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l != "" && !strings.Contains(l, ": warning: ") {
			t.Errorf("built-in content has a problem that is not a warning: %s", l)
		}
	}
	if !strings.Contains(errs, "(built-in): 1 articles") || !strings.Contains(errs, "0 errors") {
		t.Errorf("summary = %q", errs)
	}
}

func TestCheckBroken(t *testing.T) {
	code, out, errs := runCmd(t, "check", brokenDir)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	line := regexp.MustCompile(`^` + regexp.QuoteMeta(brokenDir) + `/blog/[a-z-/]+\.md:\d+: (error|warning): .+$`)
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 9 {
		t.Errorf("%d lines, want 9:\n%s", len(lines), out)
	}
	for _, l := range lines {
		if !line.MatchString(l) {
			t.Errorf("line does not match %s:\n%s", line, l)
		}
	}
	for _, want := range []string{
		brokenDir + "/blog/umulig-dato.md:3: error:",
		brokenDir + "/blog/forkert-datoformat.md:3: error:",
		brokenDir + "/blog/ukendt-noegle.md:5: warning:",
		brokenDir + "/blog/ugyldig-yaml.md:4: error:",
	} {
		if !strings.Contains(out, "\n"+want) && !strings.HasPrefix(out, want) {
			t.Errorf("output lacks a line starting %q", want)
		}
	}
	if !strings.Contains(errs, "4 articles") || !strings.Contains(errs, "7 errors, 2 warnings") {
		t.Errorf("summary = %q", errs)
	}
}

func TestBuild(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	code, _, errs := runCmd(t, "build", "-o", dir, "--base-url", "https://klinik.example")
	if code != 0 {
		t.Fatalf("build: exit %d\n%s", code, errs)
	}
	page, err := os.ReadFile(filepath.Join(dir, "blog", "5-bedste-oevelser-til-spinalstenose.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(page, []byte(`<link rel="canonical" href="https://klinik.example`+articlePath+`">`)) {
		t.Error("built article lacks the canonical link with --base-url")
	}
	for _, f := range []string{"index.html", "404.html", "sitemap.xml", "feed.xml", "robots.txt", "en/index.html"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("build did not write %s: %v", f, err)
		}
	}
	if !strings.Contains(errs, "wrote 1 articles") {
		t.Errorf("stderr = %q", errs)
	}
}

func TestBuildEnv(t *testing.T) {
	t.Setenv("STENOSE_BASE_URL", "https://env.example")
	t.Setenv("STENOSE_CONTENT", brokenDir)
	dir := t.TempDir()
	if code, _, errs := runCmd(t, "build", "-o", dir); code != 0 {
		t.Fatalf("build: exit %d\n%s", code, errs)
	}
	sitemap, err := os.ReadFile(filepath.Join(dir, "sitemap.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(sitemap, []byte(`<loc>https://env.example/blog/god-artikel</loc>`)) {
		t.Error("STENOSE_CONTENT or STENOSE_BASE_URL is not used")
	}
}

// syncBuffer is a bytes.Buffer that serve's log goroutine and the test can
// share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs `stenose serve args…` until the test ends and returns
// the address it listens on (from the "serving" log line) and its log.
func startServe(t *testing.T, args ...string) (url string, log *syncBuffer, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	log = &syncBuffer{}
	done := make(chan int, 1)
	go func() { done <- run(ctx, append([]string{"serve", "--drain", "0s"}, args...), io.Discard, log) }()
	stopped := false
	stop = func() int {
		t.Helper()
		if stopped {
			return -1
		}
		stopped = true
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(10 * time.Second):
			t.Fatal("serve did not stop within 10 s of the context's end")
			return -1
		}
	}
	t.Cleanup(func() { stop() })

	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case code := <-done:
			stopped = true
			t.Fatalf("serve ended early with %d:\n%s", code, log.String())
		default:
		}
		sc := bufio.NewScanner(strings.NewReader(log.String()))
		for sc.Scan() {
			var rec struct {
				Msg string `json:"msg"`
				URL string `json:"url"`
			}
			if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Msg == "serving" && rec.URL != "" {
				return strings.TrimSuffix(rec.URL, "/"), log, stop
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no \"serving\" log line within 10 s:\n%s", log.String())
	return "", nil, nil
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	c := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return resp.StatusCode, string(b)
}

func TestServe(t *testing.T) {
	url, log, stop := startServe(t, "--addr", "127.0.0.1:0", "--base-url", "https://klinik.example")
	if !strings.HasPrefix(url, "http://127.0.0.1:") || strings.HasSuffix(url, ":0") {
		t.Errorf("serving url = %q", url)
	}
	if code, body := httpGet(t, url+"/healthz"); code != 200 || strings.TrimSpace(body) != "ok" {
		t.Errorf("/healthz = %d %q", code, body)
	}
	code, body := httpGet(t, url+articlePath)
	if code != 200 || !strings.Contains(body, "5 bedste øvelser til spinalstenose") {
		t.Errorf("article = %d", code)
	}
	if !strings.Contains(body, `href="https://klinik.example`+articlePath+`"`) {
		t.Error("--base-url is not used in the canonical link")
	}
	if code, _ := httpGet(t, url+"/blog/findes-ikke"); code != 404 {
		t.Errorf("/blog/findes-ikke = %d", code)
	}
	if code, _ := httpGet(t, url+"/blog"); code != 301 {
		t.Errorf("/blog = %d", code)
	}
	if code := stop(); code != 0 {
		t.Errorf("serve exit %d, want 0\n%s", code, log.String())
	}
	// Failed requests are logged (the log is flushed on the way out);
	// without --access-log, successful ones are not.
	logs := log.String()
	if !strings.Contains(logs, `"msg":"request"`) || !strings.Contains(logs, `"path":"/blog/findes-ikke"`) || !strings.Contains(logs, `"status":404`) {
		t.Errorf("no log line for the 404:\n%s", logs)
	}
	if strings.Contains(logs, `"path":"/healthz"`) {
		t.Errorf("a successful request was logged without --access-log:\n%s", logs)
	}
	if !strings.Contains(logs, `"msg":"stopped"`) {
		t.Errorf("no \"stopped\" log line:\n%s", logs)
	}
}

func TestServeAccessLog(t *testing.T) {
	url, log, stop := startServe(t, "--addr", "127.0.0.1:0", "--access-log")
	if code, _ := httpGet(t, url+"/healthz"); code != 200 {
		t.Errorf("/healthz = %d", code)
	}
	if code, _ := httpGet(t, url+"/konto/log-ind"); code != 200 { // an app route
		t.Errorf("/konto/log-ind = %d", code)
	}
	if code := stop(); code != 0 {
		t.Errorf("serve exit %d, want 0\n%s", code, log.String())
	}
	if logs := log.String(); !strings.Contains(logs, `"msg":"request"`) || !strings.Contains(logs, `"path":"/healthz"`) || !strings.Contains(logs, `"status":200`) {
		t.Errorf("no access log line for /healthz:\n%s", logs)
	}
	if logs := log.String(); !strings.Contains(logs, `"path":"/konto/log-ind","status":200`) || !strings.Contains(logs, `"client":"127.0.0.1","route":"GET /konto/log-ind"`) {
		t.Errorf("no access log line for the app's /konto/log-ind with its client and route:\n%s", logs)
	}
}

func TestServeEnv(t *testing.T) {
	t.Setenv("STENOSE_ADDR", "127.0.0.1:0")
	t.Setenv("STENOSE_ACCESS_LOG", "false")
	url, log, stop := startServe(t)
	if !strings.HasPrefix(url, "http://127.0.0.1:") || strings.HasSuffix(url, ":0") || strings.HasSuffix(url, ":8080") {
		t.Errorf("serving url = %q, want 127.0.0.1 on a free port", url)
	}
	code, body := httpGet(t, url+articlePath)
	if code != 200 {
		t.Errorf("article = %d", code)
	}
	// No --base-url: links use the listening address.
	if !strings.Contains(body, `<link rel="canonical" href="`+url+articlePath+`">`) {
		t.Errorf("canonical link does not use %s", url)
	}
	if code := stop(); code != 0 {
		t.Errorf("serve exit %d, want 0", code)
	}
	if strings.Contains(log.String(), `"msg":"request"`) {
		t.Error("STENOSE_ACCESS_LOG=false still logs requests")
	}
}

func TestServeFlagBeatsEnv(t *testing.T) {
	t.Setenv("STENOSE_ADDR", "256.0.0.1:99999") // would fail to listen
	url, _, stop := startServe(t, "-addr", "127.0.0.1:0")
	if code, _ := httpGet(t, url+"/healthz"); code != 200 {
		t.Errorf("/healthz = %d", code)
	}
	if code := stop(); code != 0 {
		t.Errorf("serve exit %d, want 0", code)
	}
}

func TestServeBadAddr(t *testing.T) {
	code, _, errs := runCmd(t, "serve", "--addr", "256.0.0.1:99999")
	if code != 1 || !strings.Contains(errs, "stenose serve:") {
		t.Errorf("exit %d, stderr %q; want 1 and an error", code, errs)
	}
}

// TestCheckRejectsExtensionInLSSProgramme: an LSS programme with an exercise
// that bends the back backwards fails the check, citing the article's rule.
func TestCheckRejectsExtensionInLSSProgramme(t *testing.T) {
	var stdout, stderr bytes.Buffer
	dir := "../../internal/content/testdata/extension"
	code := run(context.Background(), []string{"check", dir}, &stdout, &stderr)
	if code != 1 {
		t.Fatalf("check exit %d, want 1\n%s%s", code, stdout.String(), stderr.String())
	}
	want := dir + "/programmes/lss-med-svaj.md:5: error: rygbro bends the back backwards"
	if !strings.Contains(stdout.String(), want) || !strings.Contains(stdout.String(), "docs/sources.md A2") {
		t.Errorf("check output lacks %q citing A2:\n%s", want, stdout.String())
	}
}

// TestServeDrain: on SIGTERM (here: the context's end) /readyz answers 503
// for --drain while the server still answers, then the server stops;
// before it, /readyz says ready.
func TestServeDrain(t *testing.T) {
	url, log, stop := startServe(t, "--addr", "127.0.0.1:0", "--drain", "3s")
	if code, body := httpGet(t, url+"/readyz"); code != 200 || strings.TrimSpace(body) != "ready" {
		t.Fatalf("/readyz before = %d %q", code, body)
	}
	stopped := make(chan int, 1)
	go func() { stopped <- stop() }()
	deadline := time.Now().Add(2 * time.Second)
	for {
		code, body := httpGet(t, url+"/readyz")
		if code == 503 && strings.TrimSpace(body) == "draining" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz never said draining: %d %q\n%s", code, body, log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if code, _ := httpGet(t, url+"/healthz"); code != 200 {
		t.Errorf("while draining, /healthz = %d: open and new requests are still served", code)
	}
	if code := <-stopped; code != 0 {
		t.Errorf("serve exit %d\n%s", code, log.String())
	}
	if logs := log.String(); !strings.Contains(logs, `"msg":"draining"`) || !strings.Contains(logs, `"msg":"stopped"`) {
		t.Errorf("no draining and stopped lines:\n%s", logs)
	}
}

// logURL is the url field of the first log line with message msg.
func logURL(t *testing.T, log *syncBuffer, msg string) string {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(log.String()))
	for sc.Scan() {
		var rec struct {
			Msg string `json:"msg"`
			URL string `json:"url"`
		}
		if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Msg == msg {
			return rec.URL
		}
	}
	return ""
}

// TestServeMetricsAddr: /metrics is never on the public listener; with
// --metrics-addr a second listener serves it (and nothing else).
func TestServeMetricsAddr(t *testing.T) {
	t.Run("default: none", func(t *testing.T) {
		url, log, _ := startServe(t, "--addr", "127.0.0.1:0")
		if code, _ := httpGet(t, url+"/metrics"); code != 404 {
			t.Errorf("public /metrics = %d, want 404", code)
		}
		if u := logURL(t, log, "metrics"); u != "" {
			t.Errorf("a metrics listener without --metrics-addr: %s", u)
		}
	})
	t.Run("its own listener", func(t *testing.T) {
		t.Setenv("STENOSE_METRICS_ADDR", "127.0.0.1:0")
		url, log, _ := startServe(t, "--addr", "127.0.0.1:0")
		murl := logURL(t, log, "metrics")
		if !strings.HasPrefix(murl, "http://127.0.0.1:") || !strings.HasSuffix(murl, "/metrics") {
			t.Fatalf("metrics url %q\n%s", murl, log.String())
		}
		httpGet(t, url+articlePath)
		if code, _ := httpGet(t, url+"/metrics"); code != 404 {
			t.Errorf("public /metrics = %d, want 404", code)
		}
		code, body := httpGet(t, murl)
		if code != 200 || !strings.Contains(body, `stenose_http_requests_total{code="200",route="page"}`) {
			t.Errorf("metrics listener /metrics = %d:\n%.400s", code, body)
		}
		for _, want := range []string{
			`stenose_build_info{engine="sqlite",schema="`, `stenose_db_connections{pool="writer",state="idle"}`,
			`stenose_db_connections_max{pool="reader"}`, `stenose_db_waits_total{pool="writer"}`,
			`stenose_refresh_rounds_total{result="ok"}`, "stenose_refresh_last_success_time_seconds", "stenose_start_time_seconds",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("/metrics lacks %s", want)
			}
		}
		checkMetricsDocumented(t, body)
		if code, _ := httpGet(t, strings.TrimSuffix(murl, "/metrics")+articlePath); code != 404 {
			t.Errorf("metrics listener serves a page: %d", code)
		}
	})
	t.Run("address taken", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		code, _, errs := runCmd(t, "serve", "--addr", "127.0.0.1:0", "--metrics-addr", ln.Addr().String())
		if code != 1 || !strings.Contains(errs, "--metrics-addr") {
			t.Errorf("exit %d, stderr %q; want 1 naming --metrics-addr", code, errs)
		}
	})
}

// TestServeSlowBody: a client that sends its body at 1 byte a second has
// its connection closed once --body-timeout has passed, on the app's
// routes and the public site's alike (the public site never reads the
// body: the server's own read of it is bounded too). The body would take
// 40 s; the bound is 2 s.
func TestServeSlowBody(t *testing.T) {
	const bound = 2 * time.Second
	url, log, _ := startServe(t, "--addr", "127.0.0.1:0", "--body-timeout", bound.String())
	host := strings.TrimPrefix(url, "http://")
	for _, tc := range []struct{ name, method, path string }{
		{"sign-in form", "POST", "/konto/log-ind"},
		{"diary", "POST", "/dagbog"},
		{"public page", "POST", "/blog/"},
		{"healthz with a body", "GET", "/healthz"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			conn, err := net.Dial("tcp", host)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			const length = 40
			start := time.Now()
			if _, err := fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n",
				tc.method, tc.path, host, length); err != nil {
				t.Fatal(err)
			}
			closed := make(chan time.Duration, 1)
			go func() { // read whatever the server answers, until it closes
				_, _ = io.Copy(io.Discard, conn)
				closed <- time.Since(start)
			}()
			tick := time.NewTicker(time.Second)
			defer tick.Stop()
			for sent := 0; sent < length; {
				select {
				case d := <-closed:
					if d < bound {
						t.Errorf("closed after %v, before the bound of %v", d, bound)
					}
					t.Logf("closed after %v with %d of %d bytes sent", d.Round(100*time.Millisecond), sent, length)
					return
				case <-tick.C:
					if _, err := conn.Write([]byte("x")); err != nil {
						t.Logf("write after %v: %v", time.Since(start).Round(100*time.Millisecond), err)
						return // closed by the server
					}
					sent++
				}
			}
			t.Errorf("the connection stayed open for the whole body (%v) past a bound of %v\n%s", time.Since(start), bound, log.String())
		})
	}
}

// checkMetricsDocumented: every metric family /metrics serves — stenose's
// own, Go's and the process's — is in docs/operations.md's table, so an
// operator reading it knows every name they can alert on.
func checkMetricsDocumented(t *testing.T, body string) {
	t.Helper()
	doc, err := os.ReadFile("../../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(body, "\n") {
		name, ok := strings.CutPrefix(line, "# TYPE ")
		if !ok {
			continue
		}
		name, _, _ = strings.Cut(name, " ")
		documented := strings.Contains(string(doc), "`"+name+"`")
		for _, prefix := range []string{"go_", "process_", "promhttp_"} {
			if strings.HasPrefix(name, prefix) && strings.Contains(string(doc), "`"+prefix+"*`") {
				documented = true
			}
		}
		if !documented {
			t.Errorf("metric %s is not in docs/operations.md", name)
		}
	}
}
