package cluster

// The pieces the tests share: the stenose binary built once, instances of
// `stenose serve` as child processes, HAProxy in front of them, and a
// browser-like HTTP client that fills in the real forms.

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/stenose/stenose/internal/store/pgtest"
	"github.com/stenose/stenose/internal/testenv"
)

// password is every test account's password.
const password = "gå en tur hver dag"

// startTimeout bounds how long a process may take to become ready.
const startTimeout = 60 * time.Second

var built struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// repoRoot is the folder holding go.mod.
var repoRoot = testenv.RepoRoot

// stenoseBinary builds cmd/stenose once for the package's tests (pure Go,
// as it ships) and returns its path.
func stenoseBinary(t testing.TB) string {
	t.Helper()
	root := repoRoot(t)
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "stenose-cluster-bin-")
		if built.err != nil {
			return
		}
		built.path = filepath.Join(built.dir, "stenose")
		gobin, err := exec.LookPath("go")
		if err != nil {
			built.err = fmt.Errorf("the go command is not on PATH: %w", err)
			return
		}
		cmd := exec.Command(gobin, "build", "-o", built.path, "./cmd/stenose")
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			built.err = fmt.Errorf("go build ./cmd/stenose: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.path
}

// haproxyBinary is HAProxy's path, or the test is skipped (failed in CI).
func haproxyBinary(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("haproxy")
	if err != nil {
		if _, serr := os.Stat("/usr/sbin/haproxy"); serr == nil {
			p, err = "/usr/sbin/haproxy", nil
		}
	}
	testenv.Need(t, err == nil, "haproxy is not installed (Debian: apt-get install haproxy)")
	return p
}

// freePort is a loopback port nothing listens on now. Another process
// could take it before it is used; on this machine that is rare enough.
func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// childEnv is this process's environment without stenose's own variables,
// so a developer's settings do not change what the children do.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "STENOSE_") {
			env = append(env, kv)
		}
	}
	return env
}

// database is a fresh, empty PostgreSQL schema for the test (dropped when
// it ends): its name and the URL stenose gets for it, with a small pool per
// instance.
func database(t *testing.T) (schema, dsn string) {
	t.Helper()
	schema = pgtest.NewSchema(t)
	u, err := url.Parse(pgtest.InSchema(t, schema))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("pool_max_conns", "4")
	u.RawQuery = q.Encode()
	return schema, u.String()
}

// process is a child process whose output goes to a log file.
type process struct {
	name string
	args []string
	log  string // its stdout and stderr

	cmd  *exec.Cmd
	done chan struct{} // closed when it has exited
}

func (p *process) start(t testing.TB) {
	t.Helper()
	f, err := os.OpenFile(p.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(p.args[0], p.args[1:]...)
	cmd.Env = childEnv()
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		t.Fatalf("%s: %v", p.name, err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); f.Close(); close(done) }()
	p.cmd, p.done = cmd, done
}

// exited reports whether the process has ended.
func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// kill sends SIGKILL and waits for the process to be gone.
func (p *process) kill() {
	if p.cmd == nil || p.exited() {
		return
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// stop sends SIGTERM and waits up to 15 s, then kills.
func (p *process) stop() {
	if p.cmd == nil || p.exited() {
		return
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		p.kill()
	}
}

// logText is the process's whole log as written so far.
func (p *process) logText() string {
	b, _ := os.ReadFile(p.log)
	return string(b)
}

// tail is the end of the process's log, for a failure message.
func (p *process) tail() string {
	b, _ := os.ReadFile(p.log)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// instance is one `stenose serve` on a loopback port.
type instance struct {
	process
	port int
}

// URL is the instance's own address, past the proxy.
func (in *instance) URL() string { return "http://127.0.0.1:" + strconv.Itoa(in.port) }

// newInstance prepares (does not start) `stenose serve` named name on the
// database dsn, behind a proxy at publicURL on this machine.
func newInstance(t *testing.T, name, dsn, publicURL string) *instance {
	t.Helper()
	dir := t.TempDir()
	in := &instance{port: freePort(t)}
	in.name = name
	in.log = filepath.Join(dir, name+".log")
	in.args = []string{stenoseBinary(t), "serve",
		"--addr", "127.0.0.1:" + strconv.Itoa(in.port),
		"--db", dsn,
		"--data", filepath.Join(dir, "data"),
		"--base-url", publicURL,
		"--trusted-proxies", "127.0.0.1",
		"--drain", "0s",
	}
	t.Cleanup(in.stop)
	return in
}

// waitReady polls the instance's /readyz until it answers 200; it fails
// the test when the process exits first or takes too long.
func (in *instance) waitReady(t testing.TB) {
	t.Helper()
	c := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(startTimeout)
	for {
		res, err := c.Get(in.URL() + "/readyz")
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		if in.exited() {
			t.Fatalf("%s exited before it was ready:\n%s", in.name, in.tail())
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not ready after %s (last: %v):\n%s", in.name, startTimeout, err, in.tail())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// proxy is HAProxy in front of the instances.
type proxy struct {
	process
	port int
	cfg  string
}

// URL is the proxy's address: the one the users have.
func (p *proxy) URL() string { return "http://127.0.0.1:" + strconv.Itoa(p.port) }

// servedByHeader names, on every answer through the proxy, the instance
// that gave it (HAProxy's server name), so a test can tell.
const servedByHeader = "X-Served-By"

// haproxyConfig is the proxy's whole configuration: round robin over the
// instances, each checked with GET /readyz every 200 ms (down after 2
// failures, up after 2 successes, so a draining instance is left out); a
// request whose connection to an instance fails (refused: the instance is
// gone) is sent to the other — retry-on conn-failure retries only when the
// request could not be sent, so a POST is never sent twice by the proxy.
// X-Forwarded-For carries the client's address (the instances trust
// 127.0.0.1), and every answer says which instance served it. Requests are
// logged to stderr, one line each with the retries (%rc, "+" when
// redispatched).
const haproxyConfig = `global
	nbthread 1
	log stderr format raw local0 info

defaults
	mode http
	log global
	log-format "req %HM %HU server=%s status=%ST retries=%rc term=%ts"
	option forwardfor
	timeout connect 1s
	timeout client 30s
	timeout server 30s
	timeout check 1s
	retries 3
	retry-on conn-failure
	option redispatch 1

frontend web
	bind 127.0.0.1:{{port}}
	default_backend stenose

backend stenose
	balance roundrobin
	option httpchk GET /readyz
	http-check expect status 200
	default-server inter 200ms fall 2 rise 2
	http-response set-header ` + servedByHeader + ` %s
{{servers}}`

// startProxy writes the configuration into the test's temporary folder and
// starts HAProxy in the foreground (-db) as this test's child; it returns
// once every instance has answered through it.
func startProxy(t *testing.T, port int, backends ...*instance) *proxy {
	t.Helper()
	bin := haproxyBinary(t)
	dir := t.TempDir()
	var servers strings.Builder
	for _, in := range backends {
		fmt.Fprintf(&servers, "\tserver %s 127.0.0.1:%d check\n", in.name, in.port)
	}
	cfg := strings.NewReplacer("{{port}}", strconv.Itoa(port), "{{servers}}", servers.String()).Replace(haproxyConfig)
	p := &proxy{port: port, cfg: filepath.Join(dir, "haproxy.cfg")}
	if err := os.WriteFile(p.cfg, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "-c", "-q", "-f", p.cfg).CombinedOutput(); err != nil {
		t.Fatalf("haproxy -c: %v\n%s", err, out)
	}
	p.name = "haproxy"
	p.log = filepath.Join(dir, "haproxy.log")
	p.args = []string{bin, "-db", "-f", p.cfg}
	p.start(t)
	t.Cleanup(p.stop)
	for _, in := range backends {
		p.waitServing(t, in)
	}
	return p
}

// waitServing sends requests through the proxy until in has answered one
// (round robin: within a few requests once the proxy sees it up).
func (p *proxy) waitServing(t testing.TB, in *instance) {
	t.Helper()
	c := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(startTimeout)
	for {
		res, err := c.Get(p.URL() + "/readyz")
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK && res.Header.Get(servedByHeader) == in.name {
				return
			}
		}
		if p.exited() {
			t.Fatalf("haproxy exited:\n%s", p.tail())
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s does not answer through the proxy after %s (last: %v)\n%s", in.name, startTimeout, err, p.tail())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// retries reads the proxy's log: how many requests it sent again after a
// connection failed, how many of those went to another instance, and the
// lines of the requests it answered with an error of its own (5xx, or no
// answer).
func (p *proxy) retries(t testing.TB) (retried, redispatched int, failed []string) {
	t.Helper()
	f, err := os.Open(p.log)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		_, rc, ok := strings.Cut(line, " retries=")
		if !ok {
			continue
		}
		rc, _, _ = strings.Cut(rc, " ")
		if rc != "0" {
			retried++
			if strings.HasPrefix(rc, "+") {
				redispatched++
			}
		}
		if strings.Contains(line, " status=5") || strings.Contains(line, " status=-1") {
			failed = append(failed, line)
		}
	}
	return retried, redispatched, failed
}

// browser is one person's browser: its own cookie jar (cookies are kept
// per host, not per port, so one jar serves the proxy and the instances
// alike, as one site), no redirects followed, and the client address the
// proxy is told (X-Forwarded-For), so that each person is a different
// address to the sign-in and sign-up limits.
type browser struct {
	t    testing.TB
	jar  *cookiejar.Jar
	hc   *http.Client
	addr string
}

// sharedTransport keeps connections open between a test's requests.
var sharedTransport = &http.Transport{MaxIdleConnsPerHost: 32, IdleConnTimeout: 30 * time.Second}

func newBrowser(t testing.TB, addr string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, jar: jar, addr: addr, hc: &http.Client{
		Jar:           jar,
		Transport:     sharedTransport,
		Timeout:       20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

type resp struct {
	status   int
	header   http.Header
	body     string
	servedBy string // which instance answered through the proxy; "" past it
}

func (r resp) location() string { return r.header.Get("Location") }

// send makes one request and returns the answer or the transport's error.
func (b *browser) send(ctx context.Context, method, u string, body []byte, header http.Header) (resp, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return resp{}, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if b.addr != "" {
		req.Header.Set("X-Forwarded-For", b.addr)
	}
	res, err := b.hc.Do(req)
	if err != nil {
		return resp{}, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return resp{}, err
	}
	return resp{res.StatusCode, res.Header, string(data), res.Header.Get(servedByHeader)}, nil
}

func (b *browser) get(base, path string) resp {
	b.t.Helper()
	r, err := b.send(context.Background(), "GET", base+path, nil, nil)
	if err != nil {
		b.t.Fatalf("GET %s%s: %v", base, path, err)
	}
	return r
}

func (b *browser) post(base, path string, form url.Values) resp {
	b.t.Helper()
	r, err := b.send(context.Background(), "POST", base+path, []byte(form.Encode()),
		http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
	if err != nil {
		b.t.Fatalf("POST %s%s: %v", base, path, err)
	}
	return r
}

// submit opens page on base, fills in its form that posts to action with
// kv (name, value, …: every name must be a field of the form), keeps the
// form's other fields as the page gave them, and posts it to base.
func (b *browser) submit(base, page, action string, kv ...string) resp {
	b.t.Helper()
	r := b.get(base, page)
	if r.status != http.StatusOK {
		b.t.Fatalf("GET %s%s: status %d, want 200\n%.400s", base, page, r.status, r.body)
	}
	f := parseForm(b.t, r.body, action)
	for i := 0; i+1 < len(kv); i += 2 {
		f.set(b.t, kv[i], kv[i+1])
	}
	return b.post(base, action, f.values)
}

// session is the browser's session cookie's value, or "".
func (b *browser) session(base string) string {
	u, _ := url.Parse(base)
	for _, c := range b.jar.Cookies(u) {
		if strings.HasSuffix(c.Name, "stenose_session") {
			return c.Value
		}
	}
	return ""
}

// form is an HTML form as a browser would send it: its fields with the
// values the page gave them, and for each radio group its choices.
type form struct {
	action string
	values url.Values
	fields map[string]bool     // every field's name
	radios map[string][]string // a radio group's values
}

// parseForm finds the form on page that posts to action.
func parseForm(t testing.TB, page, action string) *form {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var found *html.Node
	var find func(n *html.Node)
	find = func(n *html.Node) {
		if found != nil {
			return
		}
		if n.Type == html.ElementNode && n.Data == "form" && attr(n, "action") == action {
			found = n
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	if found == nil {
		t.Fatalf("no form posting to %s on the page:\n%.600s", action, page)
	}
	f := &form{action: action, values: url.Values{}, fields: map[string]bool{}, radios: map[string][]string{}}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			name := attr(n, "name")
			switch n.Data {
			case "input":
				if name == "" {
					break
				}
				f.fields[name] = true
				_, checked := hasAttr(n, "checked")
				switch attr(n, "type") {
				case "radio":
					f.radios[name] = append(f.radios[name], attr(n, "value"))
					if checked {
						f.values.Set(name, attr(n, "value"))
					}
				case "checkbox":
					if checked {
						f.values.Add(name, attr(n, "value"))
					}
				case "submit", "button", "reset", "image", "file":
				default:
					f.values.Set(name, attr(n, "value"))
				}
			case "textarea":
				if name != "" {
					f.fields[name] = true
					var text strings.Builder
					for c := n.FirstChild; c != nil; c = c.NextSibling {
						text.WriteString(c.Data)
					}
					f.values.Set(name, text.String())
				}
			case "select":
				if name != "" {
					f.fields[name] = true
					for o := n.FirstChild; o != nil; o = o.NextSibling {
						if _, sel := hasAttr(o, "selected"); o.Type == html.ElementNode && o.Data == "option" && sel {
							f.values.Set(name, attr(o, "value"))
						}
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(found)
	return f
}

// set fills in one field; a name the form lacks, or a radio value it does
// not offer, fails the test (the form has changed under the test).
func (f *form) set(t testing.TB, name, value string) {
	t.Helper()
	if !f.fields[name] {
		t.Fatalf("the form posting to %s has no field %q", f.action, name)
	}
	if vals, ok := f.radios[name]; ok && !containsString(vals, value) {
		t.Fatalf("the form posting to %s offers %q only %v, not %q", f.action, name, vals, value)
	}
	f.values.Set(name, value)
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func attr(n *html.Node, key string) string {
	v, _ := hasAttr(n, key)
	return v
}

func hasAttr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// want fails the test unless r has status (and, when location is not "",
// that Location).
func want(t testing.TB, what string, r resp, status int, location string) {
	t.Helper()
	if r.status != status || (location != "" && r.location() != location) {
		t.Fatalf("%s: status %d, Location %q (served by %q); want %d %q\n%.600s", what, r.status, r.location(), r.servedBy, status, location, r.body)
	}
}

// signUp makes a patient account through the sign-up form on base and
// returns the browser, signed in.
func signUp(t testing.TB, base, login, addr string) *browser {
	t.Helper()
	b := newBrowser(t, addr)
	r := b.submit(base, "/konto/opret", "/konto/opret", "login", login, "name", "Navn "+login, "password", password, "password2", password)
	want(t, "sign up "+login, r, http.StatusSeeOther, "/start")
	if b.session(base) == "" {
		t.Fatalf("sign up %s: no session cookie", login)
	}
	return b
}

// signIn signs login in through the sign-in form on base in a new browser.
func signIn(t testing.TB, base, login, pw, addr string) *browser {
	t.Helper()
	b := newBrowser(t, addr)
	r := b.submit(base, "/konto/log-ind", "/konto/log-ind", "login", login, "password", pw)
	if r.status != http.StatusSeeOther {
		t.Fatalf("sign in %s: status %d, want 303\n%.400s", login, r.status, r.body)
	}
	return b
}
