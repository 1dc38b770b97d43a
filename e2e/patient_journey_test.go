package e2e

// The patient's whole journey in one browser tab, as issue 4 asks: sign
// up → onboarding with a red-flag "yes" → the programme paused → the
// examination confirmed → the baseline → the patient's own activities (the
// PSFS) → today → the programme's session
// in the player → the session sent to the account → a diary entry after
// it → the progress page showing both.

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The journey's dates, fixed so the progress page's rows are known: the
// server's clock starts on Wednesday 4 March 2026 at 10:00 in Copenhagen
// (ISO week 10), and the player's session starts two hours earlier.
var (
	journeyServerStart = time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC)
	journeySessionAt   = time.Date(2026, 3, 4, 7, 0, 0, 0, time.UTC)
)

const (
	journeyWeek     = "uge 10, 2026"
	journeyDiaryAt  = "2026-03-04T09:30" // Copenhagen time, after the session
	journeyDiaryDay = "4. marts 2026 kl. 09.30"
)

// figureRow is one row of a progress chart's data table, as shown.
type figureRow struct {
	Period  string `json:"period"`
	Value   string `json:"value"`
	Visible bool   `json:"visible"`
}

// openFigure opens the "Se tallene" table of the progress chart titled
// caption, by clicking its summary as a user would, and returns its rows.
func openFigure(t *testing.T, tb *tab, caption string) []figureRow {
	t.Helper()
	k := eval[int](t, tb, fmt.Sprintf(`[...document.querySelectorAll('main figure.chart')].findIndex((f) => f.querySelector('figcaption').textContent.trim() === %q)`, caption))
	if k < 0 {
		t.Fatalf("the progress page has no chart %q", caption)
	}
	sel := fmt.Sprintf(`main figure.chart:nth-of-type(%d) details > summary`, k+1)
	if eval[string](t, tb, fmt.Sprintf(`document.querySelector(%q).closest('figure').querySelector('figcaption').textContent.trim()`, sel)) != caption {
		t.Fatalf("%s is not the chart %q", sel, caption)
	}
	click(t, tb, sel)
	return eval[[]figureRow](t, tb, fmt.Sprintf(`[...document.querySelector(%q).closest('figure').querySelectorAll('table tbody tr')].map((r) => ({
		period: r.querySelector('th').innerText.trim(), value: r.querySelector('td').innerText.trim(),
		visible: r.querySelector('td').checkVisibility() }))`, sel))
}

// rowFor is the row for period, or a zero row.
func rowFor(rows []figureRow, period string) figureRow {
	for _, r := range rows {
		if r.Period == period {
			return r
		}
	}
	return figureRow{}
}

// TestPatientJourney: a visitor signs up and goes through onboarding (one
// cauda equina "yes": the urgent advice, the programme paused, then the
// examination confirmed), the baseline, the patient's own activities (the
// PSFS), today, a whole session in the
// player (under the fake clock), the session sent to the account, a diary
// entry after it, and the progress page with both. Every app page is
// checked by axe-core on a phone screen, for console errors and for
// requests off the site, and its served HTML by the Nu HTML Checker.
func TestPatientJourney(t *testing.T) {
	axeSource := loadAxe(t)
	requireJava(t)
	requireNodeFile(t, vnuPath)
	b := startBrowser(t)
	began := time.Now()
	s := startAccountAppAt(t, func() time.Time { return journeyServerStart.Add(time.Since(began)) })
	tb := b.tabFor(t, 5*time.Minute)

	// pages are the served bytes of each page passed, for the Nu checker:
	// fetched again by the page itself, with its cookies.
	var pages []namedHTML
	keep := func(name string) {
		t.Helper()
		html := eval[string](t, tb, `fetch(location.href, {credentials: "same-origin"}).then((r) => r.ok ? r.text() : "status " + r.status)`)
		if !strings.HasPrefix(strings.ToLower(html), "<!doctype html>") {
			t.Fatalf("%s: fetching %s again gave %.200q", name, locationOf(t, tb), html)
		}
		pages = append(pages, namedHTML{name, []byte(html)})
	}
	check := func(what string) {
		t.Helper()
		checkAppPage(t, tb, s, axeSource, what)
		keep(what)
	}
	mainText := func() string { t.Helper(); return textOf(t, tb, "main") }

	// Sign up: a new patient lands in onboarding, on the red-flag screen.
	if _, err := tb.navigate(s.URL + "/konto/opret"); err != nil {
		t.Fatal(err)
	}
	check("sign-up")
	pw := "gå en tur hver dag"
	path, h1 := submit(t, tb, [][2]string{{"#login", "henrik"}, {"#name", "Henrik Holm"}, {"#password", pw}, {"#password2", pw}})
	if path != "/start/roede-flag" || h1 != "Tjek for faresignaler" {
		t.Fatalf("after sign-up: %s %q, want onboarding's red-flag screen", path, h1)
	}
	check("red-flag screen")

	// One "yes", to a cauda equina sign: the urgent advice, and the
	// programme paused.
	for _, k := range redFlagKeys {
		if k != "both_legs_weakness" {
			click(t, tb, "#"+k+"-nej")
		}
	}
	click(t, tb, "#both_legs_weakness-ja")
	path, h1 = submit(t, tb, nil)
	if path != "/i-dag" || h1 != "I dag" {
		t.Fatalf("after a red-flag yes: %s %q", path, h1)
	}
	txt := mainText()
	// The route is said once, with the region's numbers (the advice's own
	// words in general terms are left out here).
	if strings.Contains(txt, "lægevagten") {
		t.Errorf("the urgent advice names the out-of-hours service twice, in two ways:\n%s", txt)
	}
	for _, want := range []string{"Ring til din egen læge nu", "Du har svaret ja til", "Stop træningen.", "Ved livsfare: ring 112.",
		"Uden for lægens åbningstid: ring til Akuttelefonen på 1813.", "gule sundhedskort",
		"Træningen holder pause, indtil du har været undersøgt.", "Jeg er blevet undersøgt", "Vejledning, ikke en diagnose"} {
		if !strings.Contains(txt, want) {
			t.Errorf("the urgent advice lacks %q:\n%s", want, txt)
		}
	}
	if strings.Contains(txt, "Det skal du i dag") || eval[bool](t, tb, `!!document.querySelector('main a[href="`+playerPath+`"]')`) {
		t.Errorf("the paused today page still offers the session:\n%s", txt)
	}
	check("urgent advice")
	// Paused: the baseline's walking test is exercise, so it waits too.
	if _, err := tb.navigate(s.URL + "/start/udgangspunkt"); err != nil {
		t.Fatal(err)
	}
	if u, _ := url.Parse(locationOf(t, tb)); u.Path != "/i-dag" {
		t.Fatalf("the baseline while paused: ended at %s, want /i-dag", u.Path)
	}

	// A doctor has examined the patient: confirmed, onboarding goes on.
	path, h1 = clickThrough(t, tb, `main a[href="/start/undersoegt"]`)
	if path != "/start/undersoegt" || h1 != "Er du blevet undersøgt?" {
		t.Fatalf("the examination page: %s %q", path, h1)
	}
	check("confirm examined")
	path, h1 = confirmExamined(t, tb, journeyServerStart.Format(time.DateOnly)) // the server's day
	if path != "/start/udgangspunkt" || h1 != "Dit udgangspunkt" {
		t.Fatalf("after confirming: %s %q", path, h1)
	}
	check("baseline")

	// The baseline: the walking test's times and today's pain.
	path, h1 = submitBaseline(t, tb, baselineTimes("3", "15", "6", "30"), "6", "4")
	if path != "/start/aktiviteter" || h1 != "Dine egne aktiviteter" {
		t.Fatalf("after the baseline: %s %q, want the patient's own activities", path, h1)
	}
	check("own activities")

	// The patient's own activities (PSFS): two activities, each scored
	// (the form's errors are TestOnboardingInBrowser's).
	choose(t, tb, "#point1", "3")
	choose(t, tb, "#point2", "4")
	path, h1 = submit(t, tb, [][2]string{{"#aktivitet1", "gå til bageren"}, {"#aktivitet2", "stå og lave mad"}})
	if path != "/i-dag" || h1 != "I dag" {
		t.Fatalf("after the own activities: %s %q", path, h1)
	}
	txt = mainText()
	if !strings.Contains(txt, "Det skal du i dag") || !strings.Contains(txt, "3 minutter") || strings.Contains(txt, "Ring til din egen læge nu") {
		t.Errorf("today after onboarding shows:\n%s", txt)
	}
	check("today")

	// The session: from today's link into the player, under the fake
	// clock (started at journeySessionAt), every exercise to the end.
	eval[bool](t, tb, fmt.Sprintf(`sessionStorage.setItem('__fakeClock', JSON.stringify({now: %d})), true`, journeySessionAt.UnixMilli()))
	clock, err := chromedp.Call(tb.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: fakeClockJS})
	if err != nil {
		t.Fatalf("installing the fake clock: %v", err)
	}
	if _, err := chromedp.RunResponse(tb.ctx, chromedp.Click(chromedp.CSS(`main a[href="`+playerPath+`"]`))); err != nil {
		t.Fatalf("opening the session from today: %v", err)
	}
	do(t, tb, "waiting for the player", chromedp.WaitVisible(chromedp.CSS("#player .pl-start")))
	if u, _ := url.Parse(locationOf(t, tb)); u.Path != playerPath {
		t.Fatalf("today's session link led to %s, want %s", u.Path, playerPath)
	}
	keep("player")
	var plan sessionPlan
	if err := json.Unmarshal([]byte(eval[string](t, tb, `document.getElementById('session-plan').textContent`)), &plan); err != nil {
		t.Fatalf("the page's #session-plan: %v", err)
	}
	n := len(plan.Steps)
	if n == 0 {
		t.Fatal("the session has no exercises")
	}
	audit(t, tb, axeSource, "the player before the start")
	click(t, tb, ".pl-start")
	for i := range n {
		finishStep(t, tb, i)
	}
	if st := readPlayer(t, tb); st.Mode != "summary" {
		t.Fatalf("after the last exercise: mode %q, want summary", st.Mode)
	}
	L := plan.Labels
	dl := eval[[]string](t, tb, `[...document.querySelectorAll('#player .pl-sum dt, #player .pl-sum dd')].map((e) => e.textContent)`)
	if want := []string{L["summaryDone"], fmt.Sprint(n), L["summarySkipped"], "0", L["summarySymptoms"], "0"}; strings.Join(dl, "|") != strings.Join(want, "|") {
		t.Errorf("the summary shows %q, want %q", dl, want)
	}
	audit(t, tb, axeSource, "the player's summary")
	checkClean(t, tb, s.origin)
	var kept []struct {
		Programme string `json:"programme"`
		StartedAt string `json:"startedAt"`
		Synced    bool   `json:"synced"`
	}
	if err := json.Unmarshal([]byte(eval[string](t, tb, `localStorage.getItem('stenose.sessions') || 'null'`)), &kept); err != nil || len(kept) != 1 {
		t.Fatalf("localStorage stenose.sessions: %v, %d records, want 1", err, len(kept))
	}
	if want := journeySessionAt.Format("2006-01-02T15:04"); !strings.HasPrefix(kept[0].StartedAt, want) || kept[0].Programme != plan.Programme {
		t.Errorf("the kept session %+v: want programme %q, started %s", kept[0], plan.Programme, want)
	}
	if _, err := chromedp.Call(tb.ctx, page.RemoveScriptToEvaluateOnNewDocument, page.RemoveScriptToEvaluateOnNewDocumentParams{Identifier: clock.Identifier}); err != nil {
		t.Fatalf("removing the fake clock: %v", err)
	}

	// The diary page sends the session to the account, and says so.
	if _, err := tb.navigate(s.URL + "/dagbog"); err != nil {
		t.Fatal(err)
	}
	status := eval[string](t, tb, `new Promise((resolve) => { const end = Date.now() + 10000; (function poll() {
		const r = JSON.parse(localStorage.getItem("stenose.sessions"))[0];
		const s = document.getElementById("stenose-sync").textContent;
		if ((r.synced && s) || Date.now() > end) return resolve((r.synced ? "synced: " : "not synced: ") + s);
		setTimeout(poll, 50); })(); })`)
	if status != "synced: 1 træning eller gåtur fra denne enhed er gemt på din konto." {
		t.Fatalf("after the session, the diary page: %q", status)
	}
	var export struct {
		TrainingSessions []struct {
			Programme string    `json:"programme"`
			StartedAt time.Time `json:"startedAt"`
		} `json:"trainingSessions"`
	}
	if err := json.Unmarshal([]byte(eval[string](t, tb, `fetch("/mine-data/eksport.json").then((r) => r.text())`)), &export); err != nil {
		t.Fatalf("/mine-data/eksport.json: %v", err)
	}
	if len(export.TrainingSessions) != 1 || !export.TrainingSessions[0].StartedAt.Equal(journeySessionAt) {
		t.Errorf("the account holds %+v, want the one session started at %s", export.TrainingSessions, journeySessionAt)
	}
	check("diary after the session")

	// A diary entry after the session: leg and back pain, tingling.
	path, h1 = clickThrough(t, tb, `main a[href="/dagbog/ny"]`)
	if path != "/dagbog/ny" || h1 != "Ny dagbogsnote" {
		t.Fatalf("new entry: %s %q", path, h1)
	}
	check("new diary entry")
	path, h1 = fillEntry(t, tb, journeyDiaryAt, "3", "2", "Efter træningen: prikken i venstre fod", map[string]bool{"tingling": true})
	if path != "/dagbog?gemt=ny" || h1 != "Min dagbog" {
		t.Fatalf("after saving the entry: %s %q", path, h1)
	}
	entry := textOf(t, tb, "main article.entry")
	for _, want := range []string{journeyDiaryDay, "Smerter i benene\n3 af 10", "Smerter i ryggen\n2 af 10",
		"Prikken, brænden, svaghed\nPrikken eller snurren", "Efter træningen: prikken i venstre fod"} {
		if !strings.Contains(entry, want) {
			t.Errorf("the saved entry lacks %q:\n%s", want, entry)
		}
	}
	for _, not := range []string{"Brændende fornemmelse", "Svaghed i benene"} { // not reported: not named
		if strings.Contains(entry, not) {
			t.Errorf("the saved entry names %q, which was not reported:\n%s", not, entry)
		}
	}
	check("diary with the entry")

	// Progress, by way of today: the week's session and the diary's pain.
	if _, err := tb.navigate(s.URL + "/i-dag"); err != nil {
		t.Fatal(err)
	}
	check("today after the session")
	path, h1 = clickThrough(t, tb, `main a[href="/fremskridt"]`)
	if path != "/fremskridt" || h1 != "Dine fremskridt" {
		t.Fatalf("progress: %s %q", path, h1)
	}
	if txt := mainText(); strings.Contains(txt, "Når du træner, går og skriver i din dagbog") {
		t.Errorf("the progress page says there is no data yet:\n%s", txt)
	}
	for _, c := range []struct{ caption, value string }{
		{"Træninger pr. uge", "1"},
		{"Smerter i benene pr. uge", "3"},
		{"Smerter i ryggen pr. uge", "2"},
	} {
		rows := openFigure(t, tb, c.caption)
		r := rowFor(rows, journeyWeek)
		if r.Value != c.value || !r.Visible {
			t.Errorf("%s: the row for %s is %+v, want %s, visible; all rows %+v", c.caption, journeyWeek, r, c.value, rows)
		}
	}
	// The own activities: the onboarding's scoring in the table.
	if got := eval[[]string](t, tb, `[...document.querySelectorAll('main table.psfs-table tbody td')].map((td) => td.innerText.trim())`); strings.Join(got, "|") != "4. mar. 2026|gå til bageren: 3\nstå og lave mad: 4|3,5" {
		t.Errorf("the own activities' table shows %q", got)
	}
	check("progress")

	validateHTML(t, pages)
}
