package e2e

// The "done when" path of issue 12: a new patient on a 360 px phone goes
// from the home page's sign-up button through the red flags, the walking
// test into the baseline, today, a whole session and back to today, a
// diary entry made by keyboard only, to the progress page with the
// baseline point; in Danish and in English. Every page and every state on
// the way is checked: axe-core, the phone's width, tap targets, console,
// requests off the site, <html lang>, and the Nu HTML Checker.

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// pathServerStart is the server's clock at the start of the path: Tuesday
// 10 March 2026, 10:00 in Copenhagen; it runs on from there. The browser's
// fake clock (the walking test and the session) starts two hours earlier,
// so what the phone records lies before the server's now.
var (
	pathServerStart = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	pathPhoneStart  = pathServerStart.Add(-2 * time.Hour)
)

// patientPath is one language's row: where the path starts and the words a
// patient reads and follows on the way.
type patientPath struct {
	lang       string // <html lang> of every page on the way
	home       string // the home page
	prefix     string // the public site's pages' prefix: "" or "/en"
	signUp     string // the home page's sign-up button
	signUpH1   string
	login      string
	redFlags   string // h1 of each page
	baseline   string
	psfs       string
	today      string
	diary      string
	newEntry   string
	progress   string
	walkTest   string // the baseline page's link to the walking test
	session    string // today's link to the session
	menuDiary  string // the patient menu's items
	menuProg   string
	writeNote  string // the diary's link to a new note
	save       string // the diary form's button
	saved      string // the diary's word after saving
	of10       string // a pain value as the diary shows it
	note       string // the note, typed
	firstChart string // the chart of the walking time to the first symptoms
	legChart   string // the chart of the legs' pain
	sessions   string // the chart of the sessions a week
	week       string // the week of the path, as a chart's table names it
	start      string // the baseline's row in a chart's table (the date's spaces no-break ones)
	first      string // the walking test's 3:15 in that row, in minutes
	menu       []string
}

var patientPaths = []patientPath{
	{
		lang: "da", home: "/", signUp: "Opret en konto", signUpH1: "Opret konto", login: "birthe",
		redFlags: "Tjek for faresignaler", baseline: "Dit udgangspunkt", psfs: "Dine egne aktiviteter", today: "I dag",
		diary: "Min dagbog", newEntry: "Ny dagbogsnote", progress: "Dine fremskridt",
		walkTest: "Start gangtesten", session: "Tag dagens træning: 5 bedste øvelser til spinalstenose",
		menuDiary: "Dagbog", menuProg: "Fremskridt", writeNote: "Skriv en ny note", save: "Gem noten",
		saved: "Din note er gemt.", of10: "%d af 10", note: "Godt efter træningen",
		firstChart: "Gangtid til de første symptomer pr. uge", legChart: "Smerter i benene pr. uge",
		sessions: "Træninger pr. uge", week: "uge 11, 2026",
		start: "Start (10.\u00a0mar.\u00a02026)", first: "3,3", menu: []string{"I dag", "Dagbog", "Fremskridt", "Min konto"},
	},
	{
		lang: "en", home: "/en/", prefix: "/en", signUp: "Create an account", signUpH1: "Create an account", login: "margaret",
		redFlags: "Check for warning signs", baseline: "Your starting point", psfs: "Your own activities", today: "Today",
		diary: "My diary", newEntry: "New diary note", progress: "Your progress",
		walkTest: "Start the walking test", session: "Do today's session: 5 best exercises for spinal stenosis",
		menuDiary: "Diary", menuProg: "Progress", writeNote: "Write a new note", save: "Save the note",
		saved: "Your note has been saved.", of10: "%d out of 10", note: "Fine after the session",
		firstChart: "Walking time to the first symptoms per week", legChart: "Pain in the legs per week",
		sessions: "Sessions per week", week: "week 11, 2026",
		start: "Start (10\u00a0Mar\u00a02026)", first: "3.3", menu: []string{"Today", "Diary", "Progress", "My account"},
	},
}

// TestPatientPathOnPhone: issue 12's "done when" path, one row a language,
// as a new visitor on a 360 px phone.
func TestPatientPathOnPhone(t *testing.T) {
	axeSource := loadAxe(t)
	requireJava(t)
	requireNodeFile(t, vnuPath)
	b := startBrowser(t)
	for _, row := range patientPaths {
		t.Run(row.lang, func(t *testing.T) { walkPatientPath(t, b, axeSource, row) })
	}
}

func walkPatientPath(t *testing.T, b *browser, axeSource string, row patientPath) {
	began := time.Now()
	s := startAccountAppAt(t, func() time.Time { return pathServerStart.Add(time.Since(began)) })
	tb := b.phoneTab(t, 5*time.Minute, phoneWidth, 780)

	// pages are the served bytes of every page on the way, fetched again
	// by the page itself with its cookies, and the live DOM of the states
	// a script builds (the walking test, the session): for the Nu checker.
	var pages []namedHTML
	signedIn := false
	// check checks the page as it is now; served says whether its HTML
	// as served goes to the Nu checker (else the live DOM does).
	check := func(what string, served bool) {
		t.Helper()
		if menu := eval[[]string](t, tb, `[...document.querySelectorAll('header nav li a')].map((a) => a.textContent.trim())`); signedIn &&
			(len(menu) < len(row.menu) || strings.Join(menu[:len(row.menu)], "|") != strings.Join(row.menu, "|")) {
			t.Errorf("%s: the menu is %q, want the patient's %q first", what, menu, row.menu)
		}
		if l := langOf(t, tb); l != row.lang {
			t.Errorf("%s (%s): <html lang=%q>, want %q", what, locationOf(t, tb), l, row.lang)
		}
		checkFaked(t, tb, s, axeSource, what) // real timers for axe-core while the fake clock is in
		var html string
		if served {
			html = eval[string](t, tb, `fetch(location.href, {credentials: "same-origin"}).then((r) => r.ok ? r.text() : "status " + r.status)`)
		} else {
			html = eval[string](t, tb, `'<!DOCTYPE html>\n' + document.documentElement.outerHTML`)
		}
		if !strings.HasPrefix(strings.ToLower(html), "<!doctype html>") {
			t.Fatalf("%s: the page's HTML at %s is %.200q", what, locationOf(t, tb), html)
		}
		if !strings.Contains(html, `<html lang="`+row.lang+`"`) {
			t.Errorf("%s: the page's HTML is not <html lang=%q>: %.200q", what, row.lang, html)
		}
		pages = append(pages, namedHTML{row.lang + "-" + what, []byte(html)})
	}
	at := func(what, wantPath, wantH1, path, h1 string) {
		t.Helper()
		if u, _ := url.Parse(path); u.Path != wantPath || h1 != wantH1 {
			t.Fatalf("%s: at %s %q, want %s %q", what, path, h1, wantPath, wantH1)
		}
	}

	// 1. The home page, and its sign-up button, found by its words.
	if _, err := tb.navigate(s.URL + row.home); err != nil {
		t.Fatal(err)
	}
	check("home", true)
	path, h1 := clickText(t, tb, "main", row.signUp)
	at("the home page's sign-up button", "/konto/opret", row.signUpH1, path, h1)
	check("sign-up", true)
	pw := "gå en tur hver dag"
	path, h1 = submit(t, tb, [][2]string{{"#login", row.login}, {"#password", pw}, {"#password2", pw}})
	at("after signing up", "/start/roede-flag", row.redFlags, path, h1)
	signedIn = true
	check("red flags", true)

	// 2. The red flags, all "no".
	for _, k := range redFlagKeys {
		click(t, tb, "#"+k+"-nej")
	}
	path, h1 = submit(t, tb, nil)
	at("after the red flags", "/start/udgangspunkt", row.baseline, path, h1)
	check("baseline", true)

	// 3. The walking test in walk mode, on the phone's fake clock from
	// here to the end of the session.
	eval[bool](t, tb, fmt.Sprintf(`sessionStorage.setItem('__fakeClock', JSON.stringify({now: %d})), true`, pathPhoneStart.UnixMilli()))
	clock, err := chromedp.Call(tb.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: fakeClockJS})
	if err != nil {
		t.Fatalf("installing the fake clock: %v", err)
	}
	clickText(t, tb, "main", row.walkTest)
	do(t, tb, "waiting for the walking test", chromedp.WaitVisible(chromedp.CSS("#walk .pl-start")))
	if u, _ := url.Parse(locationOf(t, tb)); u.Path != row.prefix+walkPath || u.Query().Get("gangtest") != "1" {
		t.Fatalf("%q opened %s", row.walkTest, u)
	}
	var walkPlan struct {
		Labels map[string]string `json:"labels"`
	}
	if err := json.Unmarshal([]byte(eval[string](t, tb, `document.getElementById('walk-plan').textContent`)), &walkPlan); err != nil {
		t.Fatalf("the page's #walk-plan: %v", err)
	}
	check("walking test", true)
	click(t, tb, "#walk .pl-start")
	tick(t, tb, 195*time.Second)
	click(t, tb, "#walk .wk-main") // the first symptoms
	check("walking test after the first symptoms", false)
	tick(t, tb, 195*time.Second)
	click(t, tb, "#walk .wk-finish")
	if sum := eval[walkTestSummary](t, tb, walkTestSummaryJS); !sum.Shown || sum.Use != walkPlan.Labels["testUse"] {
		t.Fatalf("the walking test's result: %+v", sum)
	}
	check("walking test result", false)
	path, h1 = clickText(t, tb, "#walk", walkPlan.Labels["testUse"])
	at("the result into the baseline", "/start/udgangspunkt", row.baseline, path, h1)
	// Each time as minutes and seconds (the form's two number fields).
	if got := eval[[4]string](t, tb, `["first", "first-sec", "stop", "stop-sec"].map((id) => document.getElementById(id).value)`); got != [4]string{"3", "15", "6", "30"} {
		t.Errorf("the baseline form after the walking test: first symptoms, stop = %q, want 3 min 15 s, 6 min 30 s", got)
	}
	check("baseline from the walking test", true)
	choose(t, tb, "#leg", "5")
	choose(t, tb, "#back", "3")
	path, h1 = submit(t, tb, nil)
	at("after the baseline", "/start/aktiviteter", row.psfs, path, h1)
	check("own activities", true)
	choose(t, tb, "#point1", "4")
	path, h1 = submit(t, tb, [][2]string{{"#aktivitet1", map[string]string{"da": "gå til bageren", "en": "walk to the baker's"}[row.lang]}})

	// 4. Today, and the whole session from its link.
	at("after the own activities", "/i-dag", row.today, path, h1)
	check("today", true)
	clickText(t, tb, "main", row.session)
	do(t, tb, "waiting for the player", chromedp.WaitVisible(chromedp.CSS("#player .pl-start")))
	if u, _ := url.Parse(locationOf(t, tb)); u.Path != row.prefix+playerPath {
		t.Fatalf("today's session link led to %s, want %s", u, row.prefix+playerPath)
	}
	var plan sessionPlan
	if err := json.Unmarshal([]byte(eval[string](t, tb, `document.getElementById('session-plan').textContent`)), &plan); err != nil {
		t.Fatalf("the page's #session-plan: %v", err)
	}
	if len(plan.Steps) == 0 {
		t.Fatal("the session has no exercises")
	}
	check("player", true)
	click(t, tb, "#player .pl-start")
	for i := range plan.Steps {
		finishStep(t, tb, i)
	}
	if st := readPlayer(t, tb); st.Mode != "summary" {
		t.Fatalf("after the last exercise: mode %q, want summary", st.Mode)
	}
	dl := eval[[]string](t, tb, `[...document.querySelectorAll('#player .pl-sum dt, #player .pl-sum dd')].map((e) => e.textContent)`)
	if want := []string{plan.Labels["summaryDone"], fmt.Sprint(len(plan.Steps))}; len(dl) < 2 || dl[0] != want[0] || dl[1] != want[1] {
		t.Errorf("the session's summary shows %q, want %q first", dl, want)
	}
	check("the session's end", false)
	// The way back to today, without the fake clock from here on.
	if _, err := chromedp.Call(tb.ctx, page.RemoveScriptToEvaluateOnNewDocument, page.RemoveScriptToEvaluateOnNewDocumentParams{Identifier: clock.Identifier}); err != nil {
		t.Fatalf("removing the fake clock: %v", err)
	}
	path, h1 = clickText(t, tb, "#player", plan.Labels["today"])
	at("the session's way back", "/i-dag", row.today, path, h1)
	check("today after the session", true)

	// 5. A diary entry, by keyboard only: Tab to the menu's diary, Enter;
	// Tab to the new note, Enter; the tap scales by arrow keys, the note
	// typed, Enter on the save button.
	path, h1 = tabAndEnter(t, tb, "the menu's "+row.menuDiary, linkNamed(row.menuDiary))
	at("the menu's diary, by keyboard", "/dagbog", row.diary, path, h1)
	check("diary", true)
	path, h1 = tabAndEnter(t, tb, row.writeNote, linkNamed(row.writeNote))
	at("a new note, by keyboard", "/dagbog/ny", row.newEntry, path, h1)
	check("new diary entry", true)
	tabTo(t, tb, "the legs' scale", `e.name === "leg" && e.type === "radio"`)
	chooseByArrows(t, tb, "leg", 4)
	tabTo(t, tb, "the back's scale", `e.name === "back" && e.type === "radio"`)
	chooseByArrows(t, tb, "back", 2)
	tabTo(t, tb, "the note", `e.id === "note"`)
	key(t, tb, row.note)
	path, h1 = tabAndEnter(t, tb, row.save, `e.tagName === "BUTTON" && e.type === "submit" && e.textContent.trim() === `+jsq(row.save))
	at("the entry saved by keyboard", "/dagbog", row.diary, path, h1)
	entry := textOf(t, tb, "main article.entry")
	for _, want := range []string{fmt.Sprintf(row.of10, 4), fmt.Sprintf(row.of10, 2), row.note} {
		if !strings.Contains(entry, want) {
			t.Errorf("the saved entry lacks %q:\n%s", want, entry)
		}
	}
	if txt := textOf(t, tb, "main"); !strings.Contains(txt, row.saved) {
		t.Errorf("the diary does not say %q:\n%s", row.saved, txt)
	}
	check("diary with the entry", true)

	// 6. Progress: the baseline point.
	path, h1 = clickText(t, tb, "header nav", row.menuProg)
	at("the menu's progress", "/fremskridt", row.progress, path, h1)
	check("progress", true)
	for _, c := range []struct{ caption, value string }{{row.firstChart, row.first}, {row.legChart, "5"}} {
		rows := openFigure(t, tb, c.caption)
		r := rowFor(rows, row.start)
		if r.Value != c.value || !r.Visible {
			t.Errorf("%s: the baseline's row is %+v, want %s, visible; all rows %+v", c.caption, r, c.value, rows)
		}
	}
	// The session reached the account (the diary page sent it).
	if r := rowFor(openFigure(t, tb, row.sessions), row.week); r.Value != "1" || !r.Visible {
		t.Errorf("%s: the row for %s is %+v, want 1 session, visible", row.sessions, row.week, r)
	}
	check("progress with the figures open", false)

	names := make([]string, len(pages))
	for i, p := range pages {
		names[i] = p.name
	}
	t.Logf("%d pages and states checked: %s", len(pages), strings.Join(names, ", "))
	validateHTML(t, pages)
}

// clickText clicks the visible link or button under scope whose words are
// text, as a person finds it, and waits for the page it leads to.
func clickText(t *testing.T, tb *tab, scope, text string) (path, h1 string) {
	t.Helper()
	all := fmt.Sprintf(`[...document.querySelectorAll(%q)].filter((e) => e.textContent.trim() === %s && e.checkVisibility())`,
		scope+" a, "+scope+" button", jsq(text))
	if n := eval[int](t, tb, all+".length"); n != 1 {
		t.Fatalf("%d visible links or buttons %q under %s, want 1", n, text, scope)
	}
	if _, err := chromedp.RunResponse(tb.ctx, chromedp.Click(chromedp.JSPath(all+"[0]"))); err != nil {
		t.Fatalf("clicking %q: %v", text, err)
	}
	if err := chromedp.Do(tb.ctx, chromedp.WaitReady(chromedp.CSS("h1"))); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(locationOf(t, tb))
	return u.RequestURI(), strings.TrimSpace(textOf(t, tb, "h1"))
}

// linkNamed is a tabTo predicate: the focused element is a link whose
// words are text.
func linkNamed(text string) string {
	return `e.tagName === "A" && e.textContent.trim() === ` + jsq(text)
}

// tabTo presses Tab until the focused element e meets the JavaScript
// condition pred, and fails after 60 presses; the element reached must
// show that it has the focus (an outline of 2 px or more).
func tabTo(t *testing.T, tb *tab, what, pred string) {
	t.Helper()
	focused := `(() => { const e = document.activeElement; return !!e && (` + pred + `); })()`
	var trail []string
	for range 60 {
		if eval[bool](t, tb, focused) {
			if ring := eval[string](t, tb, `(() => { const e = document.activeElement, cs = getComputedStyle(e);
				return e.matches(":focus-visible") && cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 2 ? "" : cs.outlineStyle + " " + cs.outlineWidth; })()`); ring != "" {
				t.Errorf("%s has the focus but shows no focus ring (outline %s)", what, ring)
			}
			return
		}
		key(t, tb, kb.Tab)
		trail = append(trail, eval[string](t, tb, `(() => { const e = document.activeElement; return e ? e.tagName + (e.id ? "#" + e.id : "") + (e.name ? "[" + e.name + "=" + e.value + "]" : "") + " " + e.textContent.trim().slice(0, 30) : "none"; })()`))
	}
	t.Fatalf("Tab never reached %s; the focus went:\n  %s", what, strings.Join(trail, "\n  "))
}

// tabAndEnter tabs to what and presses Enter, and waits for the page that
// leads to.
func tabAndEnter(t *testing.T, tb *tab, what, pred string) (path, h1 string) {
	t.Helper()
	tabTo(t, tb, what, pred)
	if _, err := chromedp.RunResponse(tb.ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatalf("Enter on %s: %v", what, err)
	}
	if err := chromedp.Do(tb.ctx, chromedp.WaitReady(chromedp.CSS("h1"))); err != nil {
		t.Fatalf("after Enter on %s: %v", what, err)
	}
	u, _ := url.Parse(locationOf(t, tb))
	return u.RequestURI(), strings.TrimSpace(textOf(t, tb, "h1"))
}

// chooseByArrows chooses value on the focused tap scale name by arrow
// keys (and Space for the value the focus is on), and checks it is chosen.
func chooseByArrows(t *testing.T, tb *tab, name string, value int) {
	t.Helper()
	var from int
	fmt.Sscan(eval[string](t, tb, `document.activeElement.value`), &from)
	for ; from < value; from++ {
		key(t, tb, kb.ArrowRight)
	}
	for ; from > value; from-- {
		key(t, tb, kb.ArrowLeft)
	}
	if eval[string](t, tb, `(document.querySelector('input[name="`+name+`"]:checked') || {}).value || ""`) == "" {
		key(t, tb, " ") // the value Tab landed on, not yet chosen
	}
	if got := eval[string](t, tb, `(document.querySelector('input[name="`+name+`"]:checked') || {}).value || ""`); got != fmt.Sprint(value) {
		t.Fatalf("the %s scale: %q chosen by keyboard, want %d", name, got, value)
	}
}
