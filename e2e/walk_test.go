package e2e

// Browser test of walk mode (static/walk.js) under the fake clock of
// player_test.go.

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// walkState is what walk mode shows, read in one go.
type walkState struct {
	Mode  string `json:"mode"`
	State string `json:"state"`
	Big   string `json:"big"`
	Label string `json:"label"`
	Total string `json:"total"`
	Main  string `json:"main"`
	Lean  bool   `json:"lean"`
	Live  string `json:"live"`
}

const walkStateJS = `(() => {
  const w = document.getElementById('walk'), q = (s) => w.querySelector(s), t = (s) => (q(s) ? q(s).textContent.trim() : '');
  return {
    mode: w.dataset.mode || '', state: t('.wk-state'), big: t('.pl-big'), label: t('.wk-label'), total: t('.wk-total'),
    main: t('.wk-main'), lean: !!(q('.wk-lean') && q('.wk-lean').offsetParent), live: t('[aria-live]'),
  };
})()`

// TestWalkThreeBoutsSurvivesReload walks three bouts that end in symptoms
// and a last one that ends with the finish, reloading the page in the
// middle of a pause: the walk goes on from the stored timestamps. The
// summary and the stored walk count 120+90+100+10 s of walking.
func TestWalkThreeBoutsSurvivesReload(t *testing.T) {
	axeSource := loadAxe(t)
	requireJava(t)
	requireNodeFile(t, vnuPath)
	b := startBrowser(t)
	app := startApp(t, walkPath)
	tb := longTab(t, b, 2*time.Minute)
	installFakeClock(t, tb)
	dir := t.TempDir()
	vnuFiles := []string{served(t, app.URL+walkPath, dir, "walk-served.html")}

	load(t, tb, app.URL+walkPath, "#walk .pl-start")
	var plan struct {
		Labels map[string]string `json:"labels"`
	}
	if err := json.Unmarshal([]byte(eval[string](t, tb, `document.getElementById('walk-plan').textContent`)), &plan); err != nil {
		t.Fatalf("the page's #walk-plan: %v", err)
	}
	L := plan.Labels
	vnuFiles = append(vnuFiles, snapshot(t, tb, dir, "walk-start.html"))
	audit(t, tb, axeSource, "walk mode before the start")

	read := func() walkState { t.Helper(); return eval[walkState](t, tb, walkStateJS) }
	walking := func(bout, boutSec, totalSec int) {
		t.Helper()
		s := read()
		wantState := L["walking"] + " · " + fmtLabel(L["bout"], bout)
		if s.Mode != "walking" || s.State != wantState || s.Big != mmss(boutSec) || s.Total != L["total"]+": "+mmss(totalSec) || s.Main != L["pause"] || s.Lean {
			t.Errorf("walking: %+v; want %q, %s, total %s, button %q, no lean prompt", s, wantState, mmss(boutSec), mmss(totalSec), L["pause"])
		}
	}
	pausing := func(bout, pauseSec, totalSec int) {
		t.Helper()
		s := read()
		wantState := L["pausing"] + " · " + fmtLabel(L["bout"], bout)
		if s.Mode != "pausing" || s.State != wantState || s.Label != L["pauseTime"] || s.Big != mmss(pauseSec) ||
			s.Total != L["total"]+": "+mmss(totalSec) || s.Main != L["resume"] || !s.Lean {
			t.Errorf("pausing: %+v; want %q, %s %s, total %s, button %q, the lean prompt", s, wantState, L["pauseTime"], mmss(pauseSec), mmss(totalSec), L["resume"])
		}
	}

	click(t, tb, ".pl-start")
	walking(1, 0, 0)
	tick(t, tb, 120*time.Second)
	walking(1, 120, 120)
	click(t, tb, ".wk-main") // symptoms: pause
	pausing(1, 0, 120)
	if s := read(); !strings.Contains(s.Live, L["leanPrompt"]) {
		t.Errorf("the pause did not announce the lean prompt: live region %q", s.Live)
	}
	tick(t, tb, 60*time.Second)
	pausing(1, 60, 120)
	click(t, tb, ".wk-main") // walk on
	walking(2, 0, 120)
	tick(t, tb, 90*time.Second)
	click(t, tb, ".wk-main")
	tick(t, tb, 30*time.Second)
	pausing(2, 30, 210)

	// A reload (or a phone that dropped the page) in the middle of the pause.
	do(t, tb, "reloading", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#walk .wk-main")))
	pausing(2, 30, 210)
	vnuFiles = append(vnuFiles, snapshot(t, tb, dir, "walk-pausing.html"))
	audit(t, tb, axeSource, "walk mode in a pause, after a reload")
	click(t, tb, ".wk-main")
	walking(3, 0, 210)
	tick(t, tb, 100*time.Second)
	click(t, tb, ".wk-main")
	tick(t, tb, 20*time.Second)
	pausing(3, 20, 310)
	click(t, tb, ".wk-main")
	tick(t, tb, 10*time.Second)
	walking(4, 10, 320)
	click(t, tb, ".wk-finish")

	dl := eval[[]string](t, tb, `[...document.querySelectorAll('#walk .pl-sum dt, #walk .pl-sum dd')].map((e) => e.textContent)`)
	want := []string{L["total"], "5:20", L["firstSymptoms"], "2:00", L["pauseTime"], "1:50"}
	if strings.Join(dl, "|") != strings.Join(want, "|") {
		t.Errorf("summary %q, want %q", dl, want)
	}
	if links := eval[[]string](t, tb, `[...document.querySelectorAll('#walk a.button')].filter((a) => a.offsetParent !== null).map((a) => a.textContent + "|" + a.getAttribute("href"))`); len(links) != 1 || links[0] != L["diary"]+"|/dagbog/ny" {
		t.Errorf("after a walk the links %q, want only the diary's", links)
	}
	if !eval[bool](t, tb, `!!document.querySelector('#walk .pl-start') && document.querySelector('#walk .pl-start').offsetParent !== null`) {
		t.Error("after the finish, a new walk cannot be started")
	}
	type bout struct {
		Walk  int  `json:"walkSeconds"`
		Pause int  `json:"pauseSeconds"`
		First *int `json:"firstSymptomsSeconds"`
	}
	var walks []struct {
		StartedAt string `json:"startedAt"`
		EndedAt   string `json:"endedAt"`
		Bouts     []bout `json:"bouts"`
		Walk      int    `json:"walkSeconds"`
		Pause     int    `json:"pauseSeconds"`
		First     *int   `json:"firstSymptomsSeconds"`
	}
	if err := json.Unmarshal([]byte(eval[string](t, tb, `localStorage.getItem('stenose.walks') || 'null'`)), &walks); err != nil || len(walks) != 1 {
		t.Fatalf("localStorage stenose.walks: %v, %d walks, want 1", err, len(walks))
	}
	w := walks[0]
	ip := func(n int) *int { return &n }
	wantBouts := []bout{{120, 60, ip(120)}, {90, 30, ip(90)}, {100, 20, ip(100)}, {10, 0, nil}}
	if len(w.Bouts) != len(wantBouts) {
		t.Fatalf("stored %d bouts, want %d", len(w.Bouts), len(wantBouts))
	}
	for i, got := range w.Bouts {
		wb := wantBouts[i]
		if got.Walk != wb.Walk || got.Pause != wb.Pause || (got.First == nil) != (wb.First == nil) || (got.First != nil && *got.First != *wb.First) {
			t.Errorf("stored bout %d: %+v, want walk %d, pause %d, first symptoms %v", i+1, got, wb.Walk, wb.Pause, wb.First)
		}
	}
	if w.Walk != 320 || w.Pause != 110 || w.First == nil || *w.First != 120 {
		t.Errorf("stored walk: walkSeconds %d, pauseSeconds %d, firstSymptomsSeconds %v; want 320, 110, 120", w.Walk, w.Pause, w.First)
	}
	t0, err1 := time.Parse(time.RFC3339, w.StartedAt)
	t1, err2 := time.Parse(time.RFC3339, w.EndedAt)
	if err1 != nil || err2 != nil || t1.Sub(t0) != 430*time.Second {
		t.Errorf("stored startedAt %q, endedAt %q: want 430 s apart", w.StartedAt, w.EndedAt)
	}
	if cur := eval[string](t, tb, `String(localStorage.getItem('stenose.walk.current'))`); cur != "null" {
		t.Errorf("the finished walk is still the current one: %s", cur)
	}
	vnuFiles = append(vnuFiles, snapshot(t, tb, dir, "walk-summary.html"))
	checkClean(t, tb, app.URL)
	audit(t, tb, axeSource, "walk mode at the summary")
	validate(t, vnuFiles)
}
