package e2e

// Browser tests of the session player (static/player.js), and the pieces the
// walk-mode and offline tests share: the site with a handle to stop it, a
// fake clock installed before any page script runs, and small helpers to
// drive a tab.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	stenose "github.com/stenose/stenose"
	"github.com/stenose/stenose/internal/site"
)

const (
	playerPath = "/program/5-bedste-oevelser/traening"
	walkPath   = "/gang"
)

// appServer is the real site, served in-process like startSite's, with a
// handle to stop it (the offline test cuts it off).
type appServer struct {
	URL string
	srv *httptest.Server
}

// stop cuts the server off: open connections are closed and new ones
// refused.
func (a *appServer) stop() {
	a.srv.CloseClientConnections()
	a.srv.Close()
}

// startApp serves the built-in content and checks that the pages under
// test are there.
func startApp(t *testing.T, paths ...string) *appServer {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	s, err := site.Load(stenose.Content(), site.Options{BaseURL: base})
	if err != nil {
		ts.Listener.Close()
		t.Fatalf("site.Load: %v", err)
	}
	ts.Config.Handler = s.Handler()
	ts.Start()
	t.Cleanup(ts.Close)
	for _, p := range paths {
		if resp, _ := get(t, base+p); resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d, want 200", p, resp.StatusCode)
		}
	}
	return &appServer{URL: base, srv: ts}
}

// fakeClockJS replaces the page's clock before any page script runs:
// Date, performance.now, setTimeout/setInterval (and their clear
// functions) and requestAnimationFrame become virtual, and time only moves
// when the test calls window.__clock.tick(ms), which runs the due callbacks
// in order. The virtual time is kept in sessionStorage, so it goes on
// across a reload of the tab. It also records speech (window.__spoken, with
// one Danish voice on offer), tones (window.__tones counts oscillators) and
// wake-lock requests (window.__wakeLocks).
const fakeClockJS = `(() => {
  if (window.__clock) return;
  const KEY = '__fakeClock', RealDate = Date;
  let now = 1767258000000; // 2026-01-01 09:00 UTC
  try { const s = JSON.parse(sessionStorage.getItem(KEY)); if (s && s.now) now = s.now; } catch (e) {}
  const perfBase = now;
  const save = () => { try { sessionStorage.setItem(KEY, JSON.stringify({ now })); } catch (e) {} };
  const timers = new Map();
  let seq = 1;
  const add = (fn, ms, args, every) => {
    const id = seq++, d = Math.max(0, Number(ms) || 0);
    timers.set(id, { id, at: now + d, fn, args, every: every ? Math.max(1, d) : 0 });
    return id;
  };
  const names = ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'requestAnimationFrame', 'cancelAnimationFrame'];
  const real = Object.fromEntries(names.map((k) => [k, window[k]]));
  const clear = (id) => { timers.delete(id); };
  const fake = {
    setTimeout: (fn, ms, ...args) => add(fn, ms, args, false),
    setInterval: (fn, ms, ...args) => add(fn, ms, args, true),
    clearTimeout: clear, clearInterval: clear, cancelAnimationFrame: clear,
    requestAnimationFrame: (fn) => add(() => fn(now - perfBase), 16, [], false),
  };
  Object.assign(window, fake);
  performance.now = () => now - perfBase;
  window.Date = class extends RealDate {
    constructor(...a) { if (a.length) super(...a); else super(now); }
    static now() { return now; }
  };
  window.__clock = {
    now: () => now,
    // Tools injected by the test (axe-core) need real timers for a while.
    useReal() { Object.assign(window, real); },
    useFake() { Object.assign(window, fake); },
    tick(ms) {
      const end = now + ms;
      for (;;) {
        let next = null;
        for (const t of timers.values()) {
          if (t.at <= end && (!next || t.at < next.at || (t.at === next.at && t.id < next.id))) next = t;
        }
        if (!next) break;
        now = Math.max(now, next.at);
        if (next.every) next.at += next.every; else timers.delete(next.id);
        if (typeof next.fn === 'function') next.fn(...next.args);
      }
      now = end;
      save();
      return timers.size;
    },
  };
  save();

  window.__spoken = [];
  if (window.speechSynthesis) {
    const voice = { lang: 'da-DK', name: 'Test (dansk)', voiceURI: 'test-da', localService: true, default: true };
    speechSynthesis.getVoices = () => [voice];
    speechSynthesis.speak = (u) => { window.__spoken.push(u.text); };
    speechSynthesis.cancel = () => {};
  }
  window.__tones = 0;
  if (window.AudioContext) {
    const osc = AudioContext.prototype.createOscillator;
    AudioContext.prototype.createOscillator = function () { window.__tones++; return osc.call(this); };
  }
  window.__wakeLocks = [];
  const lock = { request(type) {
    const s = { type, released: false, onrelease: null, addEventListener() {}, removeEventListener() {},
      release() { s.released = true; return Promise.resolve(); } };
    window.__wakeLocks.push(s);
    return Promise.resolve(s);
  } };
  Object.defineProperty(Navigator.prototype, 'wakeLock', { configurable: true, get: () => lock });
})();`

// longTab is newTab for a test that drives one page for longer than
// pageTimeout: a phone-sized tab bounded by d.
func longTab(t *testing.T, b *browser, d time.Duration) *tab { return b.tabFor(t, d) }

// installFakeClock makes every document the tab loads from now on start
// with fakeClockJS.
func installFakeClock(t *testing.T, tb *tab) {
	t.Helper()
	if _, err := chromedp.Call(tb.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: fakeClockJS}); err != nil {
		t.Fatalf("installing the fake clock: %v", err)
	}
}

// eval evaluates expr in the tab (awaiting a promise) and fails the test
// on error.
func eval[T any](t *testing.T, tb *tab, expr string) T {
	t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluating %s: %v", truncate(expr, 200), err)
	}
	return v
}

// do runs chromedp actions and fails the test on error.
func do(t *testing.T, tb *tab, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// tick moves the page's fake clock on.
func tick(t *testing.T, tb *tab, d time.Duration) {
	t.Helper()
	eval[int](t, tb, fmt.Sprintf("window.__clock.tick(%d)", d.Milliseconds()))
}

// text is the trimmed text of the first element matching sel, "" if none.
func text(t *testing.T, tb *tab, sel string) string {
	t.Helper()
	return eval[string](t, tb, fmt.Sprintf(`((e) => e ? e.textContent.trim() : '')(document.querySelector(%q))`, sel))
}

// load navigates with the fake clock installed (so no waiting on the
// page's timers) and waits until sel is visible.
func load(t *testing.T, tb *tab, u, sel string) {
	t.Helper()
	resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(u))
	if err != nil {
		t.Fatalf("navigating to %s: %v", u, err)
	}
	if resp == nil || resp.Status != http.StatusOK {
		t.Fatalf("navigating to %s: no 200 response (%v)", u, resp)
	}
	do(t, tb, "waiting for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
}

// checkClean fails on console errors and on requests that left the server.
func checkClean(t *testing.T, tb *tab, origin string) {
	t.Helper()
	if errs := tb.consoleErrors(); len(errs) > 0 {
		var lines []string
		for _, e := range errs {
			lines = append(lines, e.String())
		}
		t.Errorf("%d console error(s):\n  %s", len(errs), strings.Join(lines, "\n  "))
	}
	if bad := tb.foreignRequests(origin); len(bad) > 0 {
		t.Errorf("request(s) left the site:\n  %s", strings.Join(bad, "\n  "))
	}
}

// audit runs axe-core on the page as it is now.
func audit(t *testing.T, tb *tab, axeSource, when string) {
	t.Helper()
	eval[bool](t, tb, `window.__clock && window.__clock.useReal(), true`)
	defer eval[bool](t, tb, `window.__clock && window.__clock.useFake(), true`)
	vs, err := tb.runAxe(axeSource)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) > 0 {
		t.Errorf("%s: axe-core found %d WCAG A/AA violation(s):%s", when, len(vs), formatViolations(vs))
	}
}

// snapshot writes the live DOM, with a doctype, to a file for the Nu HTML
// Checker, and returns the file's path.
func snapshot(t *testing.T, tb *tab, dir, name string) string {
	t.Helper()
	html := eval[string](t, tb, `'<!DOCTYPE html>\n' + document.documentElement.outerHTML`)
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// served saves the exact bytes the server sends for u.
func served(t *testing.T, u, dir, name string) string {
	t.Helper()
	resp, body := get(t, u)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", u, resp.StatusCode)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, body, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// validate runs the Nu HTML Checker on the files and reports every error.
func validate(t *testing.T, files []string) {
	t.Helper()
	byFile := runVNU(t, files)
	for _, f := range files {
		for _, m := range byFile[f] {
			t.Errorf("vnu: %s:%d:%d: %s\n\t%s", filepath.Base(f), m.LastLine, m.FirstCol, m.Message, truncate(m.Extract, 160))
		}
		delete(byFile, f)
	}
	for f, ms := range byFile {
		for _, m := range ms {
			t.Errorf("vnu: %s: %s", f, m.Message)
		}
	}
}

// assetRef finds the stylesheets and scripts a page links (a module its
// script imports is named in a modulepreload link).
var assetRef = regexp.MustCompile(`<(?:link rel="(?:stylesheet|modulepreload)" href|script[^>]* src)="(/[^"]+)"`)

// pageWeight is the uncompressed size of the page at base+path with its
// own stylesheets and scripts (images not counted).
func pageWeight(t *testing.T, base, path string) (total int, parts []string) {
	t.Helper()
	resp, body := get(t, base+path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", path, resp.StatusCode)
	}
	total = len(body)
	parts = append(parts, fmt.Sprintf("HTML %d", len(body)))
	for _, m := range assetRef.FindAllSubmatch(body, -1) {
		_, b := get(t, base+string(m[1]))
		total += len(b)
		parts = append(parts, fmt.Sprintf("%s %d", m[1], len(b)))
	}
	return total, parts
}

// fmtLabel fills %d/%s placeholders the way player.js does.
func fmtLabel(s string, args ...any) string {
	for _, a := range args {
		i := strings.Index(s, "%d")
		if j := strings.Index(s, "%s"); j >= 0 && (i < 0 || j < i) {
			i = j
		}
		if i < 0 {
			break
		}
		s = s[:i] + fmt.Sprint(a) + s[i+2:]
	}
	return s
}

// mmss formats seconds as player.js and walk.js show them: "4:05".
func mmss(sec int) string { return fmt.Sprintf("%d:%02d", sec/60, sec%60) }

// sessionPlan is the JSON the player page carries in #session-plan.
type sessionPlan struct {
	Programme string `json:"programme"`
	Lang      string `json:"lang"`
	Steps     []struct {
		Exercise      string  `json:"exercise"`
		Name          string  `json:"name"`
		Drawing       string  `json:"drawing"`
		Kind          string  `json:"kind"`
		Seconds       int     `json:"seconds"`
		SecondsPerRep float64 `json:"secondsPerRep"`
		Sides         int     `json:"sides"`
		Reps          int     `json:"reps"`
		Sets          int     `json:"sets"`
		RestSeconds   int     `json:"restSeconds"`
	} `json:"steps"`
	Rest struct {
		Name    string `json:"name"`
		Drawing string `json:"drawing"`
		Seconds int    `json:"seconds"`
	} `json:"rest"`
	StopAdvice string            `json:"stopAdvice"`
	Labels     map[string]string `json:"labels"`
}

// playerState is what the player shows, read in one go.
type playerState struct {
	Mode   string   `json:"mode"`
	Step   int      `json:"step"`
	Phase  string   `json:"phase"`
	Name   string   `json:"name"`
	Now    string   `json:"now"`
	Big    string   `json:"big"`
	Live   string   `json:"live"`
	Alert  string   `json:"alert"`
	Pause  string   `json:"pause"`
	Next   string   `json:"next"`
	Img    string   `json:"img"`
	Spoken []string `json:"spoken"`
}

const playerStateJS = `(() => {
  const p = document.getElementById('player'), q = (s) => p.querySelector(s);
  const live = p.querySelectorAll('[aria-live]');
  const img = q('.pl-stage:not([hidden]) .pl-img');
  return {
    mode: p.dataset.mode || '', step: Number(p.dataset.step || 0), phase: p.dataset.phase || '',
    name: q('.pl-name').textContent, now: q('.pl-now').textContent, big: q('.pl-big').textContent,
    live: [...live].filter((e) => e.getAttribute('aria-live') === 'polite').map((e) => e.textContent).join(' '),
    alert: [...live].filter((e) => e.getAttribute('aria-live') === 'assertive').map((e) => e.textContent).join(' '),
    pause: q('.pl-pause').textContent, next: q('.pl-next').textContent,
    img: img ? new URL(img.src).pathname : '', spoken: window.__spoken || [],
  };
})()`

func readPlayer(t *testing.T, tb *tab) playerState {
	t.Helper()
	return eval[playerState](t, tb, playerStateJS)
}

// untilChange ticks the clock in 100 ms steps until the player shows
// something else (mode, step, phase, the phase line or a repetition count)
// and returns the virtual milliseconds that took; -1 after limit ms.
func untilChange(t *testing.T, tb *tab, limit time.Duration) int {
	t.Helper()
	return eval[int](t, tb, fmt.Sprintf(`((max) => {
  const p = document.getElementById('player');
  const key = () => [p.dataset.mode, p.dataset.step, p.dataset.phase, p.querySelector('.pl-now').textContent,
    p.dataset.phase === 'reps' ? p.querySelector('.pl-big').textContent : ''].join('|');
  const k0 = key();
  for (let ms = 100; ms <= max; ms += 100) { window.__clock.tick(100); if (key() !== k0) return ms; }
  return -1;
})(%d)`, limit.Milliseconds()))
}

// finishStep lets the clock run until the player leaves step i.
func finishStep(t *testing.T, tb *tab, i int) {
	t.Helper()
	for range 1000 {
		s := readPlayer(t, tb)
		if s.Mode != "run" || s.Step != i {
			return
		}
		if untilChange(t, tb, 20*time.Minute) < 0 {
			t.Fatalf("step %d, phase %s: nothing changed in 20 minutes", i, s.Phase)
		}
	}
	t.Fatalf("step %d never ended", i)
}

func click(t *testing.T, tb *tab, sel string) {
	t.Helper()
	do(t, tb, "clicking "+sel, chromedp.Click(chromedp.CSS(sel)))
}

func key(t *testing.T, tb *tab, k string) {
	t.Helper()
	do(t, tb, "pressing "+k, chromedp.KeyEvent(k))
}

func contains(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// TestPlayerWholeSession goes through a whole session on a phone, the way a
// user would: start; every exercise; pause and resume (by mouse and by
// Space); both sides of a hold with the "switch leg" cue; counting
// repetitions; back once; the symptoms path into the rest position and
// "continue gently"; skipping the last exercise; the summary and the record
// in localStorage. axe-core and the Nu HTML Checker check the page at the
// start, mid-session, in the symptoms path and at the summary.
func TestPlayerWholeSession(t *testing.T) {
	axeSource := loadAxe(t)
	requireJava(t)
	requireNodeFile(t, vnuPath)
	b := startBrowser(t)
	app := startApp(t, playerPath)
	tb := longTab(t, b, 3*time.Minute)
	installFakeClock(t, tb)
	dir := t.TempDir()
	var vnuFiles []string
	vnuFiles = append(vnuFiles, served(t, app.URL+playerPath, dir, "player-served.html"))
	if total, parts := pageWeight(t, app.URL, playerPath); total > 40*1024 {
		t.Errorf("the player page weighs %d bytes (HTML+CSS+JS, uncompressed), more than 40 KB: %s", total, strings.Join(parts, ", "))
	} else {
		t.Logf("player page weight: %d bytes (%s)", total, strings.Join(parts, ", "))
	}

	load(t, tb, app.URL+playerPath, "#player .pl-start")
	var plan sessionPlan
	if err := json.Unmarshal([]byte(eval[string](t, tb, `document.getElementById('session-plan').textContent`)), &plan); err != nil {
		t.Fatalf("the page's #session-plan: %v", err)
	}
	L := plan.Labels
	n := len(plan.Steps)
	durStep, holdStep, repsStep := -1, -1, -1
	for i, s := range plan.Steps {
		switch {
		case s.Kind == "duration" && durStep < 0:
			durStep = i
		case s.Kind == "hold" && s.Sides >= 2 && holdStep < 0:
			holdStep = i
		case s.Kind == "reps" && i > 0 && repsStep < 0:
			repsStep = i
		}
	}
	if durStep < 0 || holdStep < 0 || repsStep < 0 || n < 4 || repsStep == n-1 {
		t.Fatalf("the plan needs a timed step, a two-sided hold, a reps step (not the first or last) and 4+ steps to test all paths; got %+v", plan.Steps)
	}
	if !eval[bool](t, tb, `!document.getElementById('session-list').hidden`) {
		t.Error("before the start, the printable session list should still show")
	}
	vnuFiles = append(vnuFiles, snapshot(t, tb, dir, "player-start.html"))
	audit(t, tb, axeSource, "before the start")

	// Start: the first exercise's "get ready", the screen kept awake.
	click(t, tb, ".pl-start")
	s := readPlayer(t, tb)
	if s.Mode != "run" || s.Step != 0 || s.Phase != "ready" {
		t.Fatalf("after Start: mode %q step %d phase %q, want run 0 ready", s.Mode, s.Step, s.Phase)
	}
	if !strings.Contains(s.Live, L["countIn"]) || !contains(s.Spoken, plan.Steps[0].Name) {
		t.Errorf("after Start: live region %q and speech %q should say %q and the exercise", s.Live, s.Spoken, L["countIn"])
	}
	if got := eval[int](t, tb, `window.__wakeLocks.length`); got != 1 {
		t.Errorf("%d screen wake lock requests at the start, want 1", got)
	}
	// The browser drops the lock when the page is hidden; back in view,
	// the player asks again.
	if got := eval[int](t, tb, `window.__wakeLocks[0].release(), document.dispatchEvent(new Event('visibilitychange')), window.__wakeLocks.length`); got != 2 {
		t.Errorf("after the lock was released and the page shown again: %d wake lock requests, want 2", got)
	}
	if eval[bool](t, tb, `!document.getElementById('session-list').hidden`) {
		t.Error("the session list still shows while the player runs")
	}
	// Big controls, and the symptoms button in view.
	small := eval[[]string](t, tb, `[...document.querySelectorAll('#player button')].filter((b) => b.offsetParent && b.getBoundingClientRect().height < 64).map((b) => b.textContent)`)
	if len(small) > 0 {
		t.Errorf("buttons lower than 64 px: %q", small)
	}
	if !eval[bool](t, tb, `((r) => r.top >= 0 && r.bottom <= innerHeight)(document.querySelector('.pl-sym').getBoundingClientRect())`) {
		t.Error("the symptoms button is not on screen while training")
	}
	if fs := eval[float64](t, tb, `Math.min(...[...document.querySelectorAll('#player *')].filter((e) => e.offsetParent && e.childNodes.length && [...e.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim())).map((e) => parseFloat(getComputedStyle(e).fontSize)))`); fs < 18 {
		t.Errorf("smallest text in the player is %.1f px, want at least 18", fs)
	}

	for i := 0; i < n; i++ {
		st := plan.Steps[i]
		s = readPlayer(t, tb)
		if s.Step != i || s.Phase != "ready" || s.Name != st.Name {
			t.Fatalf("step %d: showing step %d %q phase %q, want %q ready", i, s.Step, s.Name, s.Phase, st.Name)
		}
		if s.Img != st.Drawing {
			t.Errorf("step %d: drawing %q, want %q", i, s.Img, st.Drawing)
		}
		switch i {
		case durStep:
			testPause(t, tb, plan, i)
		case holdStep:
			testHold(t, tb, plan, i, axeSource, dir, &vnuFiles)
		case repsStep:
			testRepsBackSymptoms(t, tb, plan, i, axeSource, dir, &vnuFiles)
		case n - 1:
			// Skip the last exercise: "Næste" ends the wait, "Spring over"
			// skips the exercise (by keyboard: →).
			if s.Next != L["next"]+" →" {
				t.Errorf("in a wait the forward button says %q, want %q", s.Next, L["next"]+" →")
			}
			click(t, tb, ".pl-next")
			s = readPlayer(t, tb)
			if s.Phase == "ready" || s.Next != L["skip"]+" →" {
				t.Fatalf("after Næste: phase %q, forward button %q; want the exercise and %q", s.Phase, s.Next, L["skip"])
			}
			key(t, tb, kb.ArrowRight)
			continue
		}
		finishStep(t, tb, i)
	}

	// The summary: all but the skipped last exercise done, one report of
	// symptoms; the same in localStorage.
	s = readPlayer(t, tb)
	if s.Mode != "summary" {
		t.Fatalf("after the last exercise: mode %q, want summary", s.Mode)
	}
	dl := eval[[]string](t, tb, `[...document.querySelectorAll('#player .pl-sum dt, #player .pl-sum dd')].map((e) => e.textContent)`)
	want := []string{L["summaryDone"], fmt.Sprint(n - 1), L["summarySkipped"], "1", L["summarySymptoms"], "1"}
	if strings.Join(dl, "|") != strings.Join(want, "|") {
		t.Errorf("summary %q, want %q", dl, want)
	}
	if !contains(s.Spoken, L["summary"]) {
		t.Errorf("the summary was not spoken: %q", s.Spoken)
	}
	if !eval[bool](t, tb, `window.__wakeLocks.every((l) => l.released)`) {
		t.Error("the screen wake lock is still held after the session")
	}
	var sessions []struct {
		Programme string `json:"programme"`
		StartedAt string `json:"startedAt"`
		EndedAt   string `json:"endedAt"`
		Steps     []struct {
			Exercise     string   `json:"exercise"`
			Status       string   `json:"status"`
			Symptoms     bool     `json:"symptoms"`
			SymptomKinds []string `json:"symptomKinds"`
		} `json:"steps"`
		Symptoms int `json:"symptoms"`
	}
	if err := json.Unmarshal([]byte(eval[string](t, tb, `localStorage.getItem('stenose.sessions') || 'null'`)), &sessions); err != nil || len(sessions) != 1 {
		t.Fatalf("localStorage stenose.sessions: %v, %d entries, want 1", err, len(sessions))
	}
	rec := sessions[0]
	if rec.Programme != plan.Programme || rec.Symptoms != 1 || len(rec.Steps) != n {
		t.Errorf("stored session %+v: want programme %q, symptoms 1, %d steps", rec, plan.Programme, n)
	}
	t0, err1 := time.Parse(time.RFC3339, rec.StartedAt)
	t1, err2 := time.Parse(time.RFC3339, rec.EndedAt)
	if err1 != nil || err2 != nil || !t1.After(t0) {
		t.Errorf("stored startedAt %q, endedAt %q: want two ISO times, the end after the start", rec.StartedAt, rec.EndedAt)
	}
	for i, st := range rec.Steps {
		wantStatus := "done"
		if i == n-1 {
			wantStatus = "skipped"
		}
		if st.Exercise != plan.Steps[i].Exercise || st.Status != wantStatus || st.Symptoms != (i == repsStep) {
			t.Errorf("stored step %d = %+v, want {%s %s symptoms:%v}", i, st, plan.Steps[i].Exercise, wantStatus, i == repsStep)
		}
		// Which symptoms: tingling named (pain chosen, then taken back).
		wantKinds := "[]"
		if i == repsStep {
			wantKinds = "[tingling]"
		}
		if fmt.Sprint(st.SymptomKinds) != wantKinds || st.SymptomKinds == nil {
			t.Errorf("stored step %d symptomKinds %#v, want %s", i, st.SymptomKinds, wantKinds)
		}
	}
	stepLines := eval[[]string](t, tb, `[...document.querySelectorAll('#player .pl-steps li')].map((e) => e.textContent)`)
	if len(stepLines) != n || !strings.HasSuffix(stepLines[repsStep], L["summarySymptoms"]+": "+L["tingling"]) {
		t.Errorf("summary steps %q: want step %d to end %q", stepLines, repsStep, L["summarySymptoms"]+": "+L["tingling"])
	}
	// Then the diary, with the symptom named during the session ticked.
	diary := eval[[]string](t, tb, `[...document.querySelectorAll('#player a.button')].filter((a) => a.offsetParent !== null).map((a) => a.textContent + "|" + a.getAttribute("href"))`)
	if want := L["diary"] + "|/dagbog/ny?tingling=1"; len(diary) != 1 || diary[0] != want {
		t.Errorf("summary links %q, want [%q]", diary, want)
	}
	vnuFiles = append(vnuFiles, snapshot(t, tb, dir, "player-summary.html"))
	checkClean(t, tb, app.URL)
	audit(t, tb, axeSource, "at the summary")
	validate(t, vnuFiles)
}

// testPause runs the first timed exercise: pause by mouse, resume by
// Space on the focused phase heading, pause with Space on the focused
// pause button; the countdown stands still while paused.
func testPause(t *testing.T, tb *tab, plan sessionPlan, i int) {
	t.Helper()
	L, st := plan.Labels, plan.Steps[i]
	if ms := untilChange(t, tb, time.Minute); ms != 10000 {
		t.Errorf("the get-ready phase took %d ms, want 10000", ms)
	}
	s := readPlayer(t, tb)
	if s.Phase != "work" || s.Big != mmss(st.Seconds) {
		t.Fatalf("step %d: phase %q, countdown %q; want work %s", i, s.Phase, s.Big, mmss(st.Seconds))
	}
	tick(t, tb, 10*time.Second)
	if s = readPlayer(t, tb); s.Big != mmss(st.Seconds-10) {
		t.Errorf("after 10 s: countdown %q, want %s", s.Big, mmss(st.Seconds-10))
	}
	click(t, tb, ".pl-pause")
	s = readPlayer(t, tb)
	if s.Pause != L["resume"] || s.Live != L["pause"] || !strings.HasPrefix(s.Now, L["pause"]) {
		t.Errorf("paused: button %q, live %q, line %q; want %q, %q", s.Pause, s.Live, s.Now, L["resume"], L["pause"])
	}
	tick(t, tb, time.Minute)
	if s = readPlayer(t, tb); s.Big != mmss(st.Seconds-10) {
		t.Errorf("a minute paused moved the countdown to %q, want %s", s.Big, mmss(st.Seconds-10))
	}
	// Keyboard only: Space on the (focused) heading resumes.
	eval[bool](t, tb, `document.querySelector('.pl-name').focus(), true`)
	key(t, tb, " ")
	if s = readPlayer(t, tb); s.Pause != L["pause"] || s.Live != L["resume"] {
		t.Errorf("Space did not resume: button %q, live %q", s.Pause, s.Live)
	}
	tick(t, tb, 5*time.Second)
	if s = readPlayer(t, tb); s.Big != mmss(st.Seconds-15) {
		t.Errorf("5 s after resuming: countdown %q, want %s", s.Big, mmss(st.Seconds-15))
	}
	// Space on the focused pause button pauses; Space again resumes.
	eval[bool](t, tb, `document.querySelector('.pl-pause').focus(), true`)
	key(t, tb, " ")
	if s = readPlayer(t, tb); s.Pause != L["resume"] {
		t.Errorf("Space on the pause button did not pause: button %q", s.Pause)
	}
	tick(t, tb, 30*time.Second)
	key(t, tb, " ")
	if s = readPlayer(t, tb); s.Pause != L["pause"] || s.Big != mmss(st.Seconds-15) {
		t.Errorf("after pause/resume by Space: button %q, countdown %q; want %q, %s", s.Pause, s.Big, L["pause"], mmss(st.Seconds-15))
	}
	// The rest of the block ends exactly on time.
	if ms := untilChange(t, tb, 20*time.Minute); ms != (st.Seconds-15)*1000 {
		t.Errorf("the rest of the timed block took %d ms, want %d", ms, (st.Seconds-15)*1000)
	}
}

// testHold runs a two-sided hold: each hold lasts its seconds, the switch
// between sides is announced and spoken; M mutes and unmutes. The page is
// audited mid-hold.
func testHold(t *testing.T, tb *tab, plan sessionPlan, i int, axeSource, dir string, vnuFiles *[]string) {
	t.Helper()
	L, st := plan.Labels, plan.Steps[i]
	untilChange(t, tb, time.Minute) // get ready
	s := readPlayer(t, tb)
	wantNow := strings.Join([]string{L["hold"], fmtLabel(L["side"], 1, st.Sides), fmtLabel(L["rep"], 1, st.Reps)}, " · ")
	if s.Phase != "hold" || s.Now != wantNow || s.Big != mmss(st.Seconds) {
		t.Fatalf("first hold: phase %q, line %q, countdown %q; want hold, %q, %s", s.Phase, s.Now, s.Big, wantNow, mmss(st.Seconds))
	}
	*vnuFiles = append(*vnuFiles, snapshot(t, tb, dir, "player-hold.html"))
	audit(t, tb, axeSource, "during a hold")
	if ms := untilChange(t, tb, time.Minute); ms != st.Seconds*1000 {
		t.Errorf("a hold took %d ms, want %d", ms, st.Seconds*1000)
	}
	// Mute (M): the next cue is shown but not spoken; M again unmutes.
	key(t, tb, "m")
	s = readPlayer(t, tb)
	if got := text(t, tb, ".pl-mute"); got != L["unmute"] {
		t.Errorf("after M the mute button says %q, want %q", got, L["unmute"])
	}
	if eval[string](t, tb, `localStorage.getItem('stenose.mute')`) != "1" {
		t.Error("mute is not remembered in localStorage stenose.mute")
	}
	spoken := len(s.Spoken)
	untilChange(t, tb, time.Minute)
	if s = readPlayer(t, tb); len(s.Spoken) != spoken {
		t.Errorf("muted, yet spoke %q", s.Spoken[spoken:])
	}
	key(t, tb, "m")
	sawSwitch := false
	for range 200 {
		s = readPlayer(t, tb)
		if s.Step != i {
			break
		}
		if s.Phase == "switch" {
			sawSwitch = true
			if !strings.Contains(s.Live, L["switchSide"]) || !contains(s.Spoken, L["switchSide"]) {
				t.Errorf("switching sides: live region %q, spoken %q; want %q in both", s.Live, s.Spoken, L["switchSide"])
			}
			if !strings.Contains(s.Now, fmtLabel(L["side"], 2, st.Sides)) {
				t.Errorf("switching sides: line %q, want %q", s.Now, fmtLabel(L["side"], 2, st.Sides))
			}
		}
		untilChange(t, tb, time.Minute)
	}
	if !sawSwitch {
		t.Errorf("no %q phase between the sides", L["switchSide"])
	}
}

// testRepsBackSymptoms counts repetitions by tapping, goes back one
// exercise with ←, redoes it, then reports symptoms in this exercise: the
// stop advice (assertive), the rest position with its own countdown, and
// "continue gently" back into the exercise.
func testRepsBackSymptoms(t *testing.T, tb *tab, plan sessionPlan, i int, axeSource, dir string, vnuFiles *[]string) {
	t.Helper()
	L, st := plan.Labels, plan.Steps[i]
	untilChange(t, tb, time.Minute) // get ready
	s := readPlayer(t, tb)
	if s.Phase != "reps" || s.Big != fmtLabel(L["rep"], 1, st.Reps) {
		t.Fatalf("reps: phase %q, counter %q; want reps, %q", s.Phase, s.Big, fmtLabel(L["rep"], 1, st.Reps))
	}
	for range 3 {
		click(t, tb, ".pl-act")
	}
	if s = readPlayer(t, tb); s.Big != fmtLabel(L["rep"], 4, st.Reps) || !contains(s.Spoken, "4") {
		t.Errorf("after 3 taps: counter %q, want %q (and \"4\" spoken)", s.Big, fmtLabel(L["rep"], 4, st.Reps))
	}
	// At the guide pace the counter moves on by itself.
	tick(t, tb, time.Duration(st.SecondsPerRep*float64(time.Second)))
	if s = readPlayer(t, tb); s.Big != fmtLabel(L["rep"], 5, st.Reps) {
		t.Errorf("after one pace: counter %q, want %q", s.Big, fmtLabel(L["rep"], 5, st.Reps))
	}

	// ← goes back to the previous exercise, which starts again.
	key(t, tb, kb.ArrowLeft)
	if s = readPlayer(t, tb); s.Step != i-1 || s.Phase != "ready" {
		t.Fatalf("after ←: step %d phase %q, want %d ready", s.Step, s.Phase, i-1)
	}
	finishStep(t, tb, i-1)
	untilChange(t, tb, time.Minute) // get ready, again
	if s = readPlayer(t, tb); s.Step != i || s.Phase != "reps" {
		t.Fatalf("back in step %d: step %d phase %q", i, s.Step, s.Phase)
	}
	tick(t, tb, 2*time.Duration(st.SecondsPerRep*float64(time.Second)))

	// Symptoms: stop, advice, the rest position with its timer.
	click(t, tb, ".pl-sym")
	s = readPlayer(t, tb)
	if s.Mode != "symptoms" || s.Alert != plan.StopAdvice {
		t.Fatalf("after %q: mode %q, assertive region %q; want symptoms and the stop advice", L["symptoms"], s.Mode, s.Alert)
	}
	if s.Img != plan.Rest.Drawing || !strings.Contains(s.Name, plan.Rest.Name) || s.Big != mmss(plan.Rest.Seconds) {
		t.Errorf("rest position: drawing %q, heading %q, timer %q; want %q, %q, %s", s.Img, s.Name, s.Big, plan.Rest.Drawing, plan.Rest.Name, mmss(plan.Rest.Seconds))
	}
	if len(plan.StopAdvice) > 20 && !contains(s.Spoken, plan.StopAdvice[:20]) {
		t.Errorf("the stop advice was not spoken: %q", s.Spoken)
	}
	if eval[bool](t, tb, `!!document.querySelector('#player .pl-ctl:not([hidden]) .pl-pause')`) {
		t.Error("the pause/skip controls still show in the symptoms path")
	}
	// Which symptoms (A3): four toggles, none pressed, in a labelled group;
	// tingling and pain chosen, pain taken back.
	kinds := func() string {
		return eval[string](t, tb, `[...document.querySelectorAll('#player .pl-which:not([hidden]) .pl-kind')].map((b) => b.dataset.kind + "=" + b.getAttribute('aria-pressed') + ":" + b.textContent).join("|")`)
	}
	wantKinds := func(on ...string) string {
		var parts []string
		for _, k := range []string{"tingling", "burning", "weakness", "pain"} {
			if slices.Contains(on, k) {
				parts = append(parts, k+"=true:✓ "+L[k])
			} else {
				parts = append(parts, k+"=false:"+L[k])
			}
		}
		return strings.Join(parts, "|")
	}
	if got := kinds(); got != wantKinds() {
		t.Errorf("symptom kinds %q, want %q", got, wantKinds())
	}
	if got := eval[string](t, tb, `((g) => g && g.getAttribute('role') + ":" + document.getElementById(g.getAttribute('aria-labelledby')).textContent)(document.querySelector('#player .pl-which'))`); got != "group:"+L["which"] {
		t.Errorf("the kinds' group is %q, want a group labelled %q", got, L["which"])
	}
	click(t, tb, `.pl-kind[data-kind="tingling"]`)
	click(t, tb, `.pl-kind[data-kind="pain"]`)
	if got := kinds(); got != wantKinds("tingling", "pain") {
		t.Errorf("after tingling and pain: %q, want %q", got, wantKinds("tingling", "pain"))
	}
	click(t, tb, `.pl-kind[data-kind="pain"]`)
	if got := kinds(); got != wantKinds("tingling") {
		t.Errorf("after pain again: %q, want %q", got, wantKinds("tingling"))
	}
	if s = readPlayer(t, tb); s.Mode != "symptoms" || s.Alert != plan.StopAdvice {
		t.Errorf("choosing a kind left the symptoms path: mode %q alert %q", s.Mode, s.Alert)
	}
	tick(t, tb, 10*time.Second)
	if s = readPlayer(t, tb); s.Big != mmss(plan.Rest.Seconds-10) {
		t.Errorf("the rest timer shows %q after 10 s, want %s", s.Big, mmss(plan.Rest.Seconds-10))
	}
	*vnuFiles = append(*vnuFiles, snapshot(t, tb, dir, "player-symptoms.html"))
	audit(t, tb, axeSource, "in the symptoms path")
	tick(t, tb, time.Duration(plan.Rest.Seconds)*time.Second)
	if s = readPlayer(t, tb); s.Mode != "symptoms" || s.Big != "0:00" {
		t.Errorf("after the rest: mode %q, timer %q; want to wait for the choice at 0:00", s.Mode, s.Big)
	}
	click(t, tb, ".pl-cont")
	if s = readPlayer(t, tb); s.Mode != "run" || s.Step != i || s.Phase != "reps" || s.Alert != "" {
		t.Fatalf("after %q: mode %q step %d phase %q alert %q; want the same exercise again", L["continueGently"], s.Mode, s.Step, s.Phase, s.Alert)
	}
}

// TestPlayerEnglish runs the English player page: English labels; with no
// English voice on offer (the fake has only a Danish one) tones instead of
// speech; S for symptoms, and ending the session from there.
func TestPlayerEnglish(t *testing.T) {
	axeSource := loadAxe(t)
	b := startBrowser(t)
	app := startApp(t, "/en"+playerPath)
	tb := longTab(t, b, time.Minute)
	installFakeClock(t, tb)
	load(t, tb, app.URL+"/en"+playerPath, "#player .pl-start")
	var plan sessionPlan
	if err := json.Unmarshal([]byte(eval[string](t, tb, `document.getElementById('session-plan').textContent`)), &plan); err != nil {
		t.Fatalf("the page's #session-plan: %v", err)
	}
	if plan.Lang != "en" {
		t.Fatalf("plan lang %q, want en", plan.Lang)
	}
	if got := text(t, tb, ".pl-start"); got != plan.Labels["start"] {
		t.Errorf("Start button %q, want %q", got, plan.Labels["start"])
	}
	click(t, tb, ".pl-start")
	s := readPlayer(t, tb)
	if !strings.HasPrefix(s.Live, plan.Labels["countIn"]) || s.Next != plan.Labels["next"]+" →" {
		t.Errorf("live region %q, forward button %q; want English labels", s.Live, s.Next)
	}
	if len(s.Spoken) > 0 {
		t.Errorf("spoke %q with the Danish voice on an English page", s.Spoken)
	}
	if n := eval[int](t, tb, `window.__tones`); n < 1 {
		t.Error("no tone for the phase change when no voice speaks the page's language")
	}
	untilChange(t, tb, time.Minute)
	if eval[int](t, tb, `window.__tones`) < 2 {
		t.Error("no tone when the exercise began")
	}
	audit(t, tb, axeSource, "the English player, running")

	// S reports symptoms; "End the session" ends it there.
	key(t, tb, "s")
	if s = readPlayer(t, tb); s.Mode != "symptoms" || s.Alert != plan.StopAdvice {
		t.Fatalf("after S: mode %q, assertive region %q; want symptoms and %q", s.Mode, s.Alert, plan.StopAdvice)
	}
	if got := text(t, tb, `.pl-kind[data-kind="weakness"]`); got != plan.Labels["weakness"] || got != "Weakness in the legs" {
		t.Errorf("the weakness toggle says %q, want %q", got, plan.Labels["weakness"])
	}
	// Focus on the toggle, then Space presses it (the player's Space
	// shortcut leaves buttons alone).
	eval[bool](t, tb, `document.querySelector('.pl-kind[data-kind="weakness"]').focus(), true`)
	key(t, tb, " ")
	if got := eval[string](t, tb, `document.querySelector('.pl-kind[data-kind="weakness"]').getAttribute('aria-pressed')`); got != "true" {
		t.Errorf("Space on the weakness toggle: aria-pressed %q, want true", got)
	}
	click(t, tb, ".pl-end")
	if s = readPlayer(t, tb); s.Mode != "summary" {
		t.Fatalf("after %q: mode %q, want summary", plan.Labels["end"], s.Mode)
	}
	// No exercise was done: no praise, the session has ended (the heading
	// has the focus).
	if got := eval[string](t, tb, `document.activeElement.textContent`); got != plan.Labels["summaryNone"] || got == plan.Labels["summary"] {
		t.Errorf("the summary of a session with nothing done says %q, want %q", got, plan.Labels["summaryNone"])
	}
	var rec []struct {
		Steps []struct {
			Status       string   `json:"status"`
			Symptoms     bool     `json:"symptoms"`
			SymptomKinds []string `json:"symptomKinds"`
		} `json:"steps"`
		Symptoms int `json:"symptoms"`
	}
	if err := json.Unmarshal([]byte(eval[string](t, tb, `localStorage.getItem('stenose.sessions') || 'null'`)), &rec); err != nil || len(rec) != 1 {
		t.Fatalf("localStorage stenose.sessions: %v, %d entries, want 1", err, len(rec))
	}
	if r := rec[0]; r.Symptoms != 1 || len(r.Steps) != len(plan.Steps) || !r.Steps[0].Symptoms || r.Steps[0].Status != "skipped" {
		t.Errorf("stored session %+v: want 1 symptom report, in the first step, which is not done", r)
	}
	// Which symptoms: English labels; weakness named with the keyboard.
	if r := rec[0]; len(r.Steps) > 0 && fmt.Sprint(r.Steps[0].SymptomKinds) != "[weakness]" {
		t.Errorf("stored kinds %v, want [weakness]", r.Steps[0].SymptomKinds)
	}
	checkClean(t, tb, app.URL)
}
