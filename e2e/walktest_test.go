package e2e

// Browser test of the walking test (the Self-Paced Walking Test in walk
// mode, /gang?gangtest=1, static/walk.js) from the baseline page through to
// the pre-filled baseline form, on the fake clock of player_test.go.

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// walkTestPath is walk mode in test mode, as the baseline page links it.
const walkTestPath = "/gang?gangtest=1"

// walkPageBudget is the most the walk page may weigh with its own
// stylesheets and scripts, uncompressed (images not counted): a phone on a
// slow connection outdoors; the session player's budget too.
const walkPageBudget = 40 * 1024

// walkTestState is what the walking test shows, read in one go.
type walkTestState struct {
	Mode       string `json:"mode"`
	State      string `json:"state"`
	Big        string `json:"big"`
	Total      string `json:"total"`
	Main       string `json:"main"`
	MainShown  bool   `json:"mainShown"`
	Finish     string `json:"finish"`
	FinishFull bool   `json:"finishFull"`
	Lean       bool   `json:"lean"`
	Live       string `json:"live"`
	Focus      string `json:"focus"`
	H1         string `json:"h1"`
}

const walkTestStateJS = `(() => {
  const w = document.getElementById('walk'), q = (s) => w.querySelector(s), t = (s) => (q(s) ? q(s).textContent.trim() : '');
  const shown = (s) => !!(q(s) && q(s).offsetParent);
  const f = document.activeElement;
  return {
    mode: w.dataset.mode || '', state: t('.wk-state'), big: t('.pl-big'), total: t('.wk-total'),
    main: t('.wk-main'), mainShown: shown('.wk-main'), finish: t('.wk-finish'),
    finishFull: !!(q('.wk-finish') && q('.wk-finish').classList.contains('pl-act')),
    lean: shown('.wk-lean'), live: t('[aria-live]'), focus: f ? (f.className || f.tagName) : '',
    h1: document.querySelector('h1').textContent.trim(),
  };
})()`

// walkTestSummary is the summary at the end of a test.
type walkTestSummary struct {
	Shown  bool     `json:"shown"`
	Head   string   `json:"head"`
	Result string   `json:"result"`
	List   []string `json:"list"`
	Href   string   `json:"href"`
	Use    string   `json:"use"`
	Bouts  bool     `json:"bouts"`
	Intro  bool     `json:"intro"`
	Start  string   `json:"start"`
}

const walkTestSummaryJS = `(() => {
  const w = document.getElementById('walk'), q = (s) => w.querySelector(s);
  const shown = (s) => !!(q(s) && q(s).offsetParent);
  return {
    shown: shown('.wk-sum'), head: q('.wk-sum h2').textContent.trim(), result: shown('.wk-result') ? q('.wk-result').textContent.trim() : '',
    list: [...w.querySelectorAll('.pl-sum dt, .pl-sum dd')].map((e) => e.textContent),
    href: shown('a.wk-use') ? q('a.wk-use').getAttribute('href') : '', use: shown('a.wk-use') ? q('a.wk-use').textContent.trim() : '',
    bouts: shown('.wk-sum .pl-steps'), intro: shown('.wk-intro'), start: shown('.pl-start') ? q('.pl-start').textContent.trim() : '',
  };
})()`

// storedWalk is a walk as walk.js keeps it in localStorage.
type storedWalk struct {
	StartedAt string `json:"startedAt"`
	EndedAt   string `json:"endedAt"`
	Bouts     []struct {
		Walk  int  `json:"walkSeconds"`
		Pause int  `json:"pauseSeconds"`
		First *int `json:"firstSymptomsSeconds"`
	} `json:"bouts"`
	Walk  int    `json:"walkSeconds"`
	Pause int    `json:"pauseSeconds"`
	First *int   `json:"firstSymptomsSeconds"`
	Test  string `json:"test"`
}

func storedWalks(t *testing.T, tb *tab) []storedWalk {
	t.Helper()
	var ws []storedWalk
	if err := json.Unmarshal([]byte(eval[string](t, tb, `localStorage.getItem('stenose.walks') || '[]'`)), &ws); err != nil {
		t.Fatalf("localStorage stenose.walks: %v", err)
	}
	return ws
}

// checkFaked is checkAppPage on a tab with the fake clock: axe-core needs
// real timers while it runs.
func checkFaked(t *testing.T, tb *tab, s *testSite, axeSource, what string) {
	t.Helper()
	eval[bool](t, tb, `window.__clock && window.__clock.useReal(), true`)
	defer eval[bool](t, tb, `window.__clock && window.__clock.useFake(), true`)
	checkAppPage(t, tb, s, axeSource, what, "/start", "/konto")
}

// checkWalk checks one stored walking test: one bout with no pause, ended
// stop seconds after its start, first symptoms at first (nil: none).
func checkWalk(t *testing.T, w storedWalk, stop int, first *int) {
	t.Helper()
	eq := func(a, b *int) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	if w.Test != "spwt" || len(w.Bouts) != 1 || w.Bouts[0].Walk != stop || w.Bouts[0].Pause != 0 || !eq(w.Bouts[0].First, first) ||
		w.Walk != stop || w.Pause != 0 || !eq(w.First, first) {
		t.Errorf("stored test walk %+v; want test spwt, one bout of %d s, no pause, first symptoms %v", w, stop, first)
	}
	t0, err1 := time.Parse(time.RFC3339, w.StartedAt)
	t1, err2 := time.Parse(time.RFC3339, w.EndedAt)
	if err1 != nil || err2 != nil || t1.Sub(t0) != time.Duration(stop)*time.Second {
		t.Errorf("stored startedAt %q, endedAt %q: want %d s apart", w.StartedAt, w.EndedAt, stop)
	}
}

// TestWalkingTestToBaseline: a new patient opens the walking test from the
// baseline page, marks the first symptoms, reloads mid-test, stops; the
// result in plain words and "Brug som mit udgangspunkt" fill in the
// baseline form, which she submits with her pain scores. Signed out later,
// she sees the result again, takes a test that runs into the 30-minute
// ceiling while the phone is locked, and the link takes her through
// sign-in to the form filled with 30:00 and no symptoms marked. axe-core,
// the phone's width and the console on every page; the Nu checker on the
// test's states.
func TestWalkingTestToBaseline(t *testing.T) {
	axeSource := loadAxe(t)
	requireJava(t)
	requireNodeFile(t, vnuPath)
	b := startBrowser(t)
	s := startAccountApp(t)
	tb := b.tabFor(t, 4*time.Minute)
	installFakeClock(t, tb)
	dir := t.TempDir()
	var vnuFiles []string

	if total, parts := pageWeight(t, s.URL, "/gang"); total > walkPageBudget {
		t.Errorf("the walk page weighs %d bytes, budget %d: %s", total, walkPageBudget, strings.Join(parts, ", "))
	} else {
		t.Logf("the walk page weighs %d bytes (budget %d): %s", total, walkPageBudget, strings.Join(parts, ", "))
	}

	// Sign up, pass the red-flag screen: the baseline page.
	load(t, tb, s.URL+"/konto/opret", "#password2") // (tb.navigate waits on timers the fake clock holds)
	if path, _ := submit(t, tb, [][2]string{{"#login", "karen"}, {"#password", "gå en tur hver dag"}, {"#password2", "gå en tur hver dag"}}); path != "/start/roede-flag" {
		t.Fatalf("after sign-up: %s", path)
	}
	for _, k := range redFlagKeys {
		click(t, tb, "#"+k+"-nej")
	}
	if path, h1 := submit(t, tb, nil); path != "/start/udgangspunkt" || h1 != "Dit udgangspunkt" {
		t.Fatalf("after the red-flag screen: %s %q", path, h1)
	}
	startLink := `main a[href="` + walkTestPath + `"]`
	if txt := text(t, tb, startLink); txt != "Start gangtesten" {
		t.Fatalf("the baseline page's link to the test: %q", txt)
	}

	// The test's start page.
	if path, _ := clickThrough(t, tb, startLink); path != walkTestPath {
		t.Fatalf("Start gangtesten opened %s", path)
	}
	do(t, tb, "waiting for the walking test", chromedp.WaitVisible(chromedp.CSS("#walk .pl-start")))
	var plan struct {
		Labels map[string]string `json:"labels"`
	}
	if err := json.Unmarshal([]byte(eval[string](t, tb, `document.getElementById('walk-plan').textContent`)), &plan); err != nil {
		t.Fatalf("the page's #walk-plan: %v", err)
	}
	L := plan.Labels
	for _, k := range []string{"testTitle", "testLead", "testStep1", "testStep4", "testStart", "testSymptoms", "testStop", "testUse", "testResult"} {
		if L[k] == "" {
			t.Fatalf("label %q missing from #walk-plan", k)
		}
	}
	intro := eval[struct {
		H1, Lead, Title, Start string
		Steps                  int
		Intro, NoJS            bool
	}](t, tb, `({H1: document.querySelector('h1').textContent, Lead: document.querySelector('.lead').textContent, Title: document.title,
	  Start: document.querySelector('#walk .pl-start').textContent, Steps: document.querySelectorAll('#walk .wk-intro li').length,
	  Intro: !!document.querySelector('#walk .wk-intro').offsetParent, NoJS: !!document.querySelector('.no-player').offsetParent})`)
	if intro.H1 != L["testTitle"] || intro.Lead != L["testLead"] || !strings.HasPrefix(intro.Title, L["testTitle"]+" – ") ||
		intro.Start != L["testStart"] || intro.Steps != 4 || !intro.Intro || intro.NoJS {
		t.Errorf("the test's start: %+v", intro)
	}
	vnuFiles = append(vnuFiles, snapshot(t, tb, dir, "walktest-start.html"))
	checkFaked(t, tb, s, axeSource, "walking test before the start")

	read := func() walkTestState { t.Helper(); return eval[walkTestState](t, tb, walkTestStateJS) }
	walkingState := L["testTitle"] + " · " + L["walking"]

	click(t, tb, "#walk .pl-start")
	if st := read(); st.Mode != "test-walking" || st.State != walkingState || st.Big != "0:00" || st.Total != L["testCeiling"] ||
		st.Main != L["testSymptoms"] || !st.MainShown || st.Finish != L["testStop"] || st.FinishFull || st.Lean ||
		st.Live != L["testStarted"] || !strings.Contains(st.Focus, "wk-main") || st.H1 != L["testTitle"] {
		t.Errorf("test started: %+v", st)
	}
	tick(t, tb, 195*time.Second)
	if st := read(); st.Big != "3:15" || st.Mode != "test-walking" {
		t.Errorf("after 195 s: %+v", st)
	}
	click(t, tb, "#walk .wk-main") // the first symptoms: the walk goes on
	walkOn := fmtLabel(L["testWalkOn"], "3:15")
	marked := func(big string) {
		t.Helper()
		if st := read(); st.Mode != "test-symptoms" || st.State != walkingState || st.Big != big || st.Total != walkOn ||
			st.MainShown || st.Finish != L["testStop"] || !st.FinishFull || st.Lean {
			t.Errorf("walking on after the first symptoms: %+v; want %s, %q", st, big, walkOn)
		}
	}
	marked("3:15")
	if st := read(); st.Live != walkOn || !strings.Contains(st.Focus, "wk-finish") {
		t.Errorf("marking the symptoms: live %q, focus on %q; want %q, the stop button", st.Live, st.Focus, walkOn)
	}
	tick(t, tb, 100*time.Second)
	marked("4:55")

	// A reload (or a phone that dropped the page) mid-test.
	do(t, tb, "reloading", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#walk .wk-finish")))
	marked("4:55")
	vnuFiles = append(vnuFiles, snapshot(t, tb, dir, "walktest-running.html"))
	checkFaked(t, tb, s, axeSource, "walking test after the first symptoms, after a reload")
	tick(t, tb, 95*time.Second)
	marked("6:30")
	click(t, tb, "#walk .wk-finish")

	sum := eval[walkTestSummary](t, tb, walkTestSummaryJS)
	wantResult := fmtLabel(L["testResult"], "3 minutter og 15 sekunder", "6 minutter og 30 sekunder")
	wantList := []string{L["firstSymptoms"], "3:15", L["testStopTime"], "6:30"}
	if !sum.Shown || sum.Head != L["testDone"] || sum.Result != wantResult || strings.Join(sum.List, "|") != strings.Join(wantList, "|") ||
		sum.Href != "/start/udgangspunkt?foerste=195&stop=390" || sum.Use != "Brug som mit udgangspunkt" || sum.Bouts || sum.Intro || sum.Start != L["testStart"] {
		t.Errorf("the test's result: %+v; want %q, %q", sum, wantResult, wantList)
	}
	if st := read(); !strings.Contains(st.Live, wantResult) || st.Focus == "" || eval[string](t, tb, `document.activeElement.textContent`) != L["testDone"] {
		t.Errorf("the result: live %q, focus %q", st.Live, st.Focus)
	}
	ws := storedWalks(t, tb)
	if len(ws) != 1 {
		t.Fatalf("%d walks stored, want 1", len(ws))
	}
	first := 195
	checkWalk(t, ws[0], 390, &first)
	if cur := eval[string](t, tb, `String(localStorage.getItem('stenose.walk.current'))`); cur != "null" {
		t.Errorf("the finished test is still the current walk: %s", cur)
	}
	vnuFiles = append(vnuFiles, snapshot(t, tb, dir, "walktest-result.html"))
	checkFaked(t, tb, s, axeSource, "walking test result")

	// "Brug som mit udgangspunkt": the form, filled in.
	if path, h1 := clickThrough(t, tb, "#walk a.wk-use"); path != "/start/udgangspunkt?foerste=195&stop=390" || h1 != "Dit udgangspunkt" {
		t.Fatalf("Brug som mit udgangspunkt: %s %q", path, h1)
	}
	formValues := func() [5]string {
		t.Helper()
		return eval[[5]string](t, tb, `["first", "first-sec", "stop", "stop-sec"].map((id) => document.getElementById(id).value).concat(String(document.getElementById('ingen').checked))`)
	}
	if got := formValues(); got != [5]string{"3", "15", "6", "30", "false"} {
		t.Errorf("pre-filled form: first (min, s), stop (min, s), none = %q", got)
	}
	if note := textOf(t, tb, "main .note"); !strings.Contains(note, "Tiderne fra gangtesten er sat ind") {
		t.Errorf("pre-filled form's note %q", note)
	}
	vnuFiles = append(vnuFiles, snapshot(t, tb, dir, "baseline-prefilled.html"))
	checkFaked(t, tb, s, axeSource, "baseline form pre-filled from the test")
	if path, h1 := submitBaseline(t, tb, nil, "6", "4"); path != "/start/aktiviteter" || h1 != "Dine egne aktiviteter" {
		t.Fatalf("after the baseline: %s %q, want the own activities (PSFS) next", path, h1)
	}
	load(t, tb, s.URL+"/i-dag", "main h2") // today needs no PSFS first
	if txt := textOf(t, tb, "main"); !strings.Contains(txt, "3 minutter") {
		t.Errorf("today does not show the walking target from the test's 3:15: %q", truncate(txt, 400))
	}

	// Signed out (the session is gone): the last result is shown again.
	if _, err := chromedp.Call(tb.ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	load(t, tb, s.URL+walkTestPath, "#walk .pl-start")
	if sum := eval[walkTestSummary](t, tb, walkTestSummaryJS); !sum.Shown || sum.Href != "/start/udgangspunkt?foerste=195&stop=390" || sum.Intro {
		t.Errorf("the last result, on coming back: %+v", sum)
	}

	// A new test into the ceiling while the phone is locked: no timer runs,
	// the clock jumps past 30 minutes, the page comes back.
	click(t, tb, "#walk .pl-start")
	tick(t, tb, 60*time.Second)
	eval[bool](t, tb, `sessionStorage.setItem('__fakeClock', JSON.stringify({now: window.__clock.now() + 40 * 60 * 1000})), true`)
	do(t, tb, "coming back to the page", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#walk .wk-sum")))
	sum = eval[walkTestSummary](t, tb, walkTestSummaryJS)
	wantResult = fmtLabel(L["testResultNone"], "30 minutter") + " " + L["testReachedMax"]
	wantList = []string{L["firstSymptoms"], L["testNotMarked"], L["testStopTime"], "30:00"}
	if sum.Result != wantResult || strings.Join(sum.List, "|") != strings.Join(wantList, "|") || sum.Href != "/start/udgangspunkt?stop=1800&ingen=ja" {
		t.Errorf("the test at the ceiling: %+v; want %q, %q", sum, wantResult, wantList)
	}
	if ws = storedWalks(t, tb); len(ws) != 2 {
		t.Fatalf("%d walks stored, want 2", len(ws))
	}
	checkWalk(t, ws[1], 1800, nil)
	checkFaked(t, tb, s, axeSource, "walking test result at the ceiling")
	validate(t, vnuFiles)

	// Through sign-in to the form.
	link := "/start/udgangspunkt?stop=1800&ingen=ja"
	if path, h1 := clickThrough(t, tb, "#walk a.wk-use"); path != "/konto/log-ind?naeste="+url.QueryEscape(link) || h1 != "Log ind" {
		t.Fatalf("Brug som mit udgangspunkt, signed out: %s %q", path, h1)
	}
	if path, h1 := submit(t, tb, [][2]string{{"#login", "karen"}, {"#password", "gå en tur hver dag"}}); path != link || h1 != "Dit udgangspunkt" {
		t.Fatalf("after signing in: %s %q", path, h1)
	}
	if got := formValues(); got != [5]string{"", "", "30", "0", "true"} {
		t.Errorf("pre-filled form after sign-in: first (min, s), stop (min, s), none = %q", got)
	}
	checkFaked(t, tb, s, axeSource, "baseline form pre-filled after sign-in")
	if path, h1 := submitBaseline(t, tb, nil, "5", "3"); path != "/start/aktiviteter" || h1 != "Dine egne aktiviteter" {
		t.Fatalf("after the second baseline: %s %q", path, h1)
	}
}
