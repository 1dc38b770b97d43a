package e2e

// Reusable pieces of the browser tests: locating the repo and the tools,
// starting the site in-process, driving one shared Chromium, collecting a
// tab's console errors and requests, and running axe-core and the Nu HTML
// Checker. Page-specific tests live in other files (see pages_test.go).

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/store"
	"github.com/stenose/stenose/internal/testenv"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	stenose "github.com/stenose/stenose"
	"github.com/stenose/stenose/internal/headless"
	"github.com/stenose/stenose/internal/site"
)

const (
	chromiumPath = "/usr/bin/chromium"
	axePath      = "node_modules/axe-core/axe.min.js"
	vnuPath      = "node_modules/vnu-jar/build/dist/vnu.jar"

	// The phone the pages must fit: an iPhone 12–15 sized viewport.
	viewportWidth  = 390
	viewportHeight = 844

	// pageTimeout bounds everything the browser does for one page, so a
	// hang fails that page instead of eating the CI budget.
	pageTimeout = 30 * time.Second
)

// axeTags are the rule sets axe-core runs: WCAG 2.0, 2.1 and 2.2, levels A
// and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// need skips the test when ok is false, or fails it in CI.
var need = testenv.Need

// repoRoot is the folder holding go.mod.
var repoRoot = testenv.RepoRoot

// requireChromium returns the browser's path, or skips/fails without it.
func requireChromium(t testing.TB) string {
	t.Helper()
	info, err := os.Stat(chromiumPath)
	need(t, err == nil && !info.IsDir() && info.Mode()&0o111 != 0,
		"%s is not installed (apt-get install chromium)", chromiumPath)
	return chromiumPath
}

// requireJava returns the java binary, or skips/fails without it.
func requireJava(t testing.TB) string {
	t.Helper()
	java, err := exec.LookPath("java")
	need(t, err == nil, "java is not installed (apt-get install openjdk-17-jre-headless)")
	return java
}

// requireNodeFile returns the absolute path of a file that `npm ci` puts
// under node_modules, or skips/fails without it.
func requireNodeFile(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(repoRoot(t), filepath.FromSlash(rel))
	_, err := os.Stat(p)
	need(t, err == nil, "%s is missing (run `npm ci --ignore-scripts` in the repo root)", rel)
	return p
}

var problemsOnce sync.Once

// testSite is the app served in-process on a loopback port.
type testSite struct {
	URL    string       // "http://127.0.0.1:PORT", no trailing slash
	origin string       // same as URL; compared with request origins
	st     *store.Store // the app's store (the account app's tests), for what no page does yet
}

// startSite loads the built-in content with the server's real URL as
// BaseURL and serves it until the test ends.
func startSite(t testing.TB) *testSite {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	s, err := site.Load(stenose.Content(), site.Options{BaseURL: base})
	if err != nil {
		ts.Listener.Close()
		t.Fatalf("site.Load: %v", err)
	}
	problemsOnce.Do(func() { // the same for every test; say it once
		for _, p := range s.Problems() {
			t.Logf("content problem: %v", p)
		}
	})
	ts.Config.Handler = s.Handler()
	ts.Start()
	t.Cleanup(ts.Close)
	return &testSite{URL: base, origin: base}
}

// get fetches a URL with a bounded plain HTTP client and returns the exact
// served bytes.
func get(t testing.TB, u string) (*http.Response, []byte) {
	t.Helper()
	c := &http.Client{Timeout: 15 * time.Second}
	resp, err := c.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading body: %v", u, err)
	}
	return resp, body
}

// pageCase is one URL under test and the status it must be served with.
type pageCase struct {
	Path   string // path (and query) on the test site, e.g. "/blog/x"
	Status int
}

// notFoundPath is a URL that no content can have.
const notFoundPath = "/blog/findes-ikke"

// sitemapPages reads /sitemap.xml and returns every <loc> as a path on the
// test site (the host is rewritten to the test server), in sitemap order,
// followed by notFoundPath expecting 404.
func sitemapPages(t testing.TB, s *testSite) []pageCase {
	t.Helper()
	resp, body := get(t, s.URL+"/sitemap.xml")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /sitemap.xml: status %d, want 200", resp.StatusCode)
	}
	var set struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(body, &set); err != nil {
		t.Fatalf("parsing /sitemap.xml: %v\n%s", err, body)
	}
	if len(set.URLs) == 0 {
		t.Fatalf("/sitemap.xml lists no pages:\n%s", body)
	}
	var pages []pageCase
	seen := map[string]bool{}
	for _, u := range set.URLs {
		loc, err := url.Parse(strings.TrimSpace(u.Loc))
		if err != nil || !loc.IsAbs() {
			t.Errorf("/sitemap.xml: <loc>%s</loc> is not an absolute URL", u.Loc)
			continue
		}
		if got := loc.Scheme + "://" + loc.Host; got != s.origin {
			t.Logf("/sitemap.xml: <loc>%s</loc> is not on the test server %s; testing its path there", u.Loc, s.origin)
		}
		p := loc.EscapedPath()
		if p == "" {
			p = "/"
		}
		if loc.RawQuery != "" {
			p += "?" + loc.RawQuery
		}
		if seen[p] {
			t.Errorf("/sitemap.xml lists %s twice", p)
			continue
		}
		seen[p] = true
		pages = append(pages, pageCase{Path: p, Status: http.StatusOK})
	}
	return append(pages, pageCase{Path: notFoundPath, Status: http.StatusNotFound})
}

// browser is one headless Chromium shared by all pages of a test; each page
// gets a tab of its own.
type browser struct {
	ctx context.Context // chromedp context of the first tab; parent of new tabs
}

// startBrowser starts Chromium with a fresh profile and the flags that keep
// it off the network, and stops it when the test ends.
func startBrowser(t testing.TB) *browser {
	t.Helper()
	exe := requireChromium(t)
	profile := t.TempDir() // removed after the browser exits (cleanups run LIFO)

	opts := headless.Options(exe, profile)
	// A watchdog for the whole browser: whatever happens, it is killed
	// after 10 minutes.
	life, cancelLife := context.WithTimeout(context.Background(), 10*time.Minute)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(life, opts...)
	ctx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelBrowser() // closes the browser gracefully
		cancelAlloc()   // and waits for the process to end
		cancelLife()
	})

	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("starting %s: %v", exe, err)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("starting %s: no answer after 60 s", exe)
	}
	return &browser{ctx: ctx}
}

// tab is one browser tab with everything it logged and requested.
type tab struct {
	ctx   context.Context // chromedp context of the tab, bounded by pageTimeout
	width int             // the emulated phone's width in CSS pixels

	mu       sync.Mutex
	console  []consoleEntry
	requests []string
}

// consoleEntry is one error the page reported: a console.error call, an
// uncaught exception, or an error entry of the browser log (failed loads,
// CSP violations).
type consoleEntry struct {
	Kind string // "console.error", "exception", "log/<source>"
	Text string
	URL  string
	Line int64 // 1-based; 0 when unknown
}

func (e consoleEntry) String() string {
	s := e.Kind + ": " + e.Text
	if e.URL != "" {
		s += " (" + e.URL
		if e.Line > 0 {
			s += ":" + strconv.FormatInt(e.Line, 10)
		}
		s += ")"
	}
	return s
}

// newTab opens a tab on b, emulating a 390×844 phone, and starts recording
// its console errors and requests. The tab closes when the test ends, or
// after pageTimeout.
func (b *browser) newTab(t testing.TB) *tab { return b.tabFor(t, pageTimeout) }

// tabFor is newTab for a tab that may live for d.
func (b *browser) tabFor(t testing.TB, d time.Duration) *tab {
	t.Helper()
	return b.phoneTab(t, d, viewportWidth, viewportHeight)
}

// phoneTab is tabFor on a phone w × h CSS pixels large (e.g. phoneWidth,
// the narrowest phone the pages must fit): the layout check holds the
// page to that width.
func (b *browser) phoneTab(t testing.TB, d time.Duration, w, h int64) *tab {
	t.Helper()
	return b.openTab(t, d, w, h)
}

// privateTab is phoneTab in a browser context of its own (as a private
// window is): its cookies and storage are shared with no other tab, so two
// people can be signed in at once in one browser.
func (b *browser) privateTab(t testing.TB, d time.Duration, w, h int64) *tab {
	t.Helper()
	return b.openTab(t, d, w, h, chromedp.WithNewBrowserContext())
}

func (b *browser) openTab(t testing.TB, d time.Duration, w, h int64, opts ...chromedp.ContextOption) *tab {
	t.Helper()
	bounded, cancelBound := context.WithTimeout(b.ctx, d)
	ctx, cancelTab := chromedp.NewContext(bounded, opts...)
	t.Cleanup(func() {
		cancelTab()
		cancelBound()
	})
	tb := &tab{ctx: ctx, width: int(w)}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, h,
		chromedp.EmulateMobile, chromedp.EmulatePortrait, chromedp.EmulateTouch)); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	if err := chromedp.Listen(ctx, tb.record); err != nil {
		t.Fatalf("listening to the tab: %v", err)
	}
	return tb
}

// record runs in chromedp's read loop: keep it fast, no commands.
func (tb *tab) record(ev any) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		if ev.Request != nil {
			tb.requests = append(tb.requests, ev.Request.URL)
		}
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		e := consoleEntry{Kind: "console." + string(ev.Type), Text: remoteArgs(ev.Args)}
		if ev.StackTrace != nil && len(ev.StackTrace.CallFrames) > 0 {
			f := ev.StackTrace.CallFrames[0]
			e.URL, e.Line = f.URL, f.LineNumber+1
		}
		tb.console = append(tb.console, e)
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		if d == nil {
			return
		}
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			text += " " + d.Exception.Description
		}
		tb.console = append(tb.console, consoleEntry{Kind: "exception", Text: text, URL: d.URL, Line: d.LineNumber + 1})
	case *log.EventEntryAdded:
		e := ev.Entry
		if e == nil || e.Level != log.EntryLevelError {
			return
		}
		line := e.LineNumber
		if line > 0 {
			line++
		}
		tb.console = append(tb.console, consoleEntry{Kind: "log/" + string(e.Source), Text: e.Text, URL: e.URL, Line: line})
	}
}

// remoteArgs renders console arguments roughly as DevTools shows them.
func remoteArgs(args []*runtime.RemoteObject) string {
	var parts []string
	for _, a := range args {
		switch {
		case a == nil:
		case len(a.Value) > 0:
			var s string
			if json.Unmarshal(a.Value, &s) == nil {
				parts = append(parts, s)
			} else {
				parts = append(parts, string(a.Value))
			}
		case a.Description != "":
			parts = append(parts, a.Description)
		default:
			parts = append(parts, string(a.Type))
		}
	}
	return strings.Join(parts, " ")
}

// consoleErrors returns the errors recorded so far.
func (tb *tab) consoleErrors() []consoleEntry {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return append([]consoleEntry(nil), tb.console...)
}

// foreignRequests returns every recorded request that did not go to origin
// (data:, blob: and about: URLs are local and allowed).
func (tb *tab) foreignRequests(origin string) []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	var bad []string
	for _, r := range tb.requests {
		u, err := url.Parse(r)
		if err != nil {
			bad = append(bad, r+" (unparsable)")
			continue
		}
		switch u.Scheme {
		case "data", "blob", "about":
			continue
		}
		if u.Scheme+"://"+u.Host != origin {
			bad = append(bad, r)
		}
	}
	return bad
}

// navigate loads u in the tab, waits for the load event and two animation
// frames, and returns the HTTP status of the document.
func (tb *tab) navigate(u string) (int64, error) {
	resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(u))
	if err != nil {
		return 0, fmt.Errorf("navigating to %s: %w", u, err)
	}
	if resp == nil {
		return 0, fmt.Errorf("navigating to %s: no response for the document", u)
	}
	// Let module scripts and the first layout settle.
	const settle = `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => r(true), 50))))`
	if _, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](settle, chromedp.EvalAwaitPromise)); err != nil {
		return 0, fmt.Errorf("waiting for %s to settle: %w", u, err)
	}
	return resp.Status, nil
}

// layout is what decides whether a page fits the phone's screen.
type layout struct {
	ScrollWidth int    `json:"scrollWidth"`
	InnerWidth  int    `json:"innerWidth"`
	Lang        string `json:"lang"`
	// Widest names the innermost elements that stick out past the
	// phone's right edge, for failure messages.
	Widest []string `json:"widest"`
}

// layoutJS measures the page; %d is the phone's width in CSS pixels. Its
// "widest" list holds the innermost elements whose box or content reaches
// past that width and that no scroll/clip container holds in.
const layoutJS = `((phone) => {
  const hits = [];
  const walk = (el) => {
    for (const c of el.children) {
      const cs = getComputedStyle(c);
      if (cs.display === 'none') continue;
      const r = c.getBoundingClientRect();
      const clips = cs.overflowX !== 'visible';
      const right = clips ? r.right : Math.max(r.right, r.left + c.scrollWidth);
      const before = hits.length;
      if (!clips) walk(c);
      if (hits.length === before && right > phone + 0.5) hits.push([c, right]);
    }
  };
  if (document.body) walk(document.body);
  const describe = ([el, right]) => {
    let d = el.tagName.toLowerCase();
    if (el.id) d += '#' + el.id;
    if (el.classList.length) d += '.' + [...el.classList].join('.');
    return d + ' (right edge at ' + Math.round(right) + ' px)';
  };
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    lang: document.documentElement.lang,
    widest: hits.slice(0, 10).map(describe),
  };
})(%d)`

// layoutOf measures the loaded page.
func (tb *tab) layoutOf() (layout, error) {
	return chromedp.Run(tb.ctx, chromedp.Evaluate[layout](fmt.Sprintf(layoutJS, tb.width)))
}

// axeViolation is one failed axe-core rule with the nodes that fail it.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	URL    string `json:"helpUrl"`
	Nodes  []struct {
		Target         json.RawMessage `json:"target"`
		HTML           string          `json:"html"`
		FailureSummary string          `json:"failureSummary"`
	} `json:"nodes"`
}

// loadAxe reads axe-core's source from node_modules.
func loadAxe(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(requireNodeFile(t, axePath))
	if err != nil {
		t.Fatalf("reading axe-core: %v", err)
	}
	return string(b)
}

// runAxe injects axe-core into the loaded page through DevTools (which the
// page's Content-Security-Policy does not restrict) and returns the
// violations of the WCAG 2.x A and AA rules.
func (tb *tab) runAxe(axeSource string) ([]axeViolation, error) {
	ok, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](axeSource+"\n;typeof window.axe === 'object' && typeof window.axe.run === 'function'"))
	if err != nil {
		return nil, fmt.Errorf("injecting axe-core: %w", err)
	}
	if !ok {
		return nil, errors.New("injecting axe-core: window.axe is missing after evaluating axe.min.js")
	}
	tags, _ := json.Marshal(axeTags)
	expr := `axe.run(document, {runOnly: {type: 'tag', values: ` + string(tags) + `}, resultTypes: ['violations']})
  .then(r => JSON.stringify(r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target, html: n.html, failureSummary: n.failureSummary})),
  }))))`
	raw, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("running axe-core: %w", err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		return nil, fmt.Errorf("decoding axe-core's result: %w\n%s", err, raw)
	}
	return vs, nil
}

// formatViolations renders axe violations for a failure message.
func formatViolations(vs []axeViolation) string {
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "\n  [%s] %s: %s\n    %s", v.Impact, v.ID, v.Help, v.URL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n    - %s\n      %s", n.Target, truncate(n.HTML, 200))
			for _, line := range strings.Split(strings.TrimSpace(n.FailureSummary), "\n") {
				fmt.Fprintf(&b, "\n      %s", line)
			}
		}
	}
	return b.String()
}

func truncate(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// vnuMessage is one message of the Nu HTML Checker's JSON output.
type vnuMessage struct {
	Type     string `json:"type"`
	SubType  string `json:"subType"`
	URL      string `json:"url"`
	LastLine int    `json:"lastLine"`
	FirstCol int    `json:"firstColumn"`
	Message  string `json:"message"`
	Extract  string `json:"extract"`
}

// runVNU validates the files in one java invocation and returns the errors
// per file (absolute path as key). Only errors are reported.
func runVNU(t testing.TB, files []string) map[string][]vnuMessage {
	t.Helper()
	java := requireJava(t)
	jar := requireNodeFile(t, vnuPath)
	if len(files) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	args := append([]string{"-Xss4m", "-jar", jar, "--format", "json", "--errors-only", "--exit-zero-always"}, files...)
	cmd := exec.CommandContext(ctx, java, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("vnu.jar: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	// vnu writes its JSON report to stderr.
	out := stderr.Bytes()
	if len(bytes.TrimSpace(out)) == 0 {
		out = stdout.Bytes()
	}
	var report struct {
		Messages []vnuMessage `json:"messages"`
	}
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("vnu.jar: decoding its JSON: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	byFile := map[string][]vnuMessage{}
	for _, m := range report.Messages {
		if m.Type == "info" { // warnings; not requested with --errors-only anyway
			continue
		}
		key := m.URL
		if u, err := url.Parse(m.URL); err == nil && u.Scheme == "file" {
			key = filepath.Clean(u.Path)
		}
		byFile[key] = append(byFile[key], m)
	}
	return byFile
}

// fileNameFor turns a URL path into a readable, unique .html file name.
// namedHTML is a page's served bytes and the name its errors are reported under.
type namedHTML struct {
	name string
	body []byte
}

// validateHTML runs the pages through the Nu HTML Checker in one Java run
// and reports every error as name:line:column.
func validateHTML(t *testing.T, pages []namedHTML) {
	t.Helper()
	dir := t.TempDir()
	files := make([]string, len(pages))
	for i, p := range pages {
		files[i] = filepath.Join(dir, fileNameFor(i, p.name))
		if err := os.WriteFile(files[i], p.body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	byFile := runVNU(t, files)
	for i, p := range pages {
		for _, m := range byFile[files[i]] {
			t.Errorf("%s:%d:%d: %s\n\t%s", p.name, m.LastLine, m.FirstCol, m.Message, truncate(m.Extract, 160))
		}
	}
}

func fileNameFor(i int, path string) string {
	name := strings.Trim(path, "/")
	if name == "" {
		name = "index"
	}
	name = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '_'
	}, name)
	return fmt.Sprintf("%02d-%s.html", i, name)
}
