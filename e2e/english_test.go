package e2e

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// langOf is the <html lang> of the page loaded in tb.
func langOf(t *testing.T, tb *tab) string {
	t.Helper()
	return eval[string](t, tb, `document.documentElement.lang`)
}

// checkEnglishDiaryPage is checkDiaryPage for a tab that went through the
// onboarding's forms (answered 422 on purpose) first.
func checkEnglishDiaryPage(t *testing.T, tb *tab, s *testSite, axeSource, what string) {
	t.Helper()
	checkAppPage(t, tb, s, axeSource, what, "/konto", "/start", "/dagbog")
}

// TestEnglishInBrowser: a visitor switches the app to English with the
// menu's switch, then signs up → the red-flag screen → the baseline →
// today → the diary, all in English (<html lang="en">, English headings),
// every page checked by axe-core on a phone screen; the switch back to
// Danish.
func TestEnglishInBrowser(t *testing.T) {
	axeSource := loadAxe(t)
	b := startBrowser(t)
	s := startAccountAppMarch(t)
	tb := b.tabFor(t, 3*time.Minute)

	if _, err := tb.navigate(s.URL + "/konto/opret"); err != nil {
		t.Fatal(err)
	}
	if l := langOf(t, tb); l != "da" {
		t.Fatalf("the sign-up page starts in %q, want da", l)
	}
	path, h1 := clickThrough(t, tb, ".lang-switch button")
	if path != "/konto/opret" || h1 != "Create an account" || langOf(t, tb) != "en" {
		t.Fatalf("after the switch: %s %q lang %q", path, h1, langOf(t, tb))
	}
	checkAccountPage(t, tb, s, axeSource, "sign-up (English)")

	pw := "a walk every day"
	path, _ = submit(t, tb, [][2]string{{"#login", "karen"}, {"#password", pw}, {"#password2", pw + "!"}})
	if path != "/konto/opret" || !strings.Contains(textOf(t, tb, "#password2-error"), "The two passwords are not the same") {
		t.Fatalf("sign-up with a mistake: %s", path)
	}
	checkAccountPage(t, tb, s, axeSource, "sign-up with an error (English)")

	path, h1 = submit(t, tb, [][2]string{{"#login", "karen"}, {"#password", pw}, {"#password2", pw}})
	if path != "/start/roede-flag" || h1 != "Check for warning signs" || langOf(t, tb) != "en" {
		t.Fatalf("after sign-up: %s %q", path, h1)
	}
	if txt := textOf(t, tb, "main"); !strings.Contains(txt, "Have you ever had cancer?") || !strings.Contains(txt, "Guidance, not a diagnosis.") {
		t.Errorf("red-flag screen shows %q", txt)
	}
	checkCarePage(t, tb, s, axeSource, "red-flag screen (English)")

	for _, k := range redFlagKeys[1:] {
		click(t, tb, "#"+k+"-nej")
	}
	if path, h1 := submit(t, tb, nil); path != "/start/roede-flag" || h1 != "Check for warning signs" {
		t.Fatalf("incomplete red flags: %s %q", path, h1)
	}
	if txt := textOf(t, tb, "#bladder-error"); !strings.Contains(txt, "Answer yes or no") {
		t.Errorf("missing-answer error %q", txt)
	}
	checkCarePage(t, tb, s, axeSource, "red-flag screen with an error (English)")

	click(t, tb, "#bladder-nej")
	path, h1 = submit(t, tb, nil)
	if path != "/start/udgangspunkt" || h1 != "Your starting point" {
		t.Fatalf("after the red flags: %s %q", path, h1)
	}
	checkCarePage(t, tb, s, axeSource, "baseline (English)")

	path, h1 = submitBaseline(t, tb, baselineTimes("3", "15", "6", "30"), "6", "4")
	if path != "/start/aktiviteter" || h1 != "Your own activities" || langOf(t, tb) != "en" {
		t.Fatalf("after the baseline: %s %q", path, h1)
	}
	checkCarePage(t, tb, s, axeSource, "own activities (English)")
	choose(t, tb, "#point1", "3")
	path, h1 = submit(t, tb, [][2]string{{"#aktivitet1", "walk to the baker's"}})
	if path != "/i-dag" || h1 != "Today" || langOf(t, tb) != "en" {
		t.Fatalf("after the own activities: %s %q", path, h1)
	}
	if txt := textOf(t, tb, "main"); !strings.Contains(txt, "What to do today") || !strings.Contains(txt, "3 minutes") {
		t.Errorf("today shows %q", txt)
	}
	checkCarePage(t, tb, s, axeSource, "today (English)")

	if _, err := tb.navigate(s.URL + "/dagbog"); err != nil {
		t.Fatal(err)
	}
	if h := textOf(t, tb, "h1"); h != "My diary" {
		t.Fatalf("/dagbog: %q", h)
	}
	checkEnglishDiaryPage(t, tb, s, axeSource, "empty diary (English)")
	path, h1 = clickThrough(t, tb, `a[href="/dagbog/ny"]`)
	if path != "/dagbog/ny" || h1 != "New diary note" {
		t.Fatalf("new entry: %s %q", path, h1)
	}
	checkEnglishDiaryPage(t, tb, s, axeSource, "new entry form (English)")
	path, _ = fillEntry(t, tb, "2026-03-02T18:05", "", "3", "", nil) // no leg value chosen
	if path != "/dagbog" || !strings.Contains(textOf(t, tb, "#leg-error"), "0 to 10") {
		t.Fatalf("bad entry: %s", path)
	}
	checkEnglishDiaryPage(t, tb, s, axeSource, "new entry with errors (English)")
	path, h1 = fillEntry(t, tb, "2026-03-02T18:05", "6", "3", "Walked 20 minutes", map[string]bool{"tingling": true})
	if path != "/dagbog?gemt=ny" || h1 != "My diary" {
		t.Fatalf("after saving: %s %q", path, h1)
	}
	list := textOf(t, tb, "main")
	for _, want := range []string{"Your note has been saved.", "2 March 2026 at 18:05", "6 out of 10", "Walked 20 minutes"} {
		if !strings.Contains(list, want) {
			t.Errorf("the list lacks %q:\n%s", want, list)
		}
	}
	checkEnglishDiaryPage(t, tb, s, axeSource, "diary with an entry (English)")

	// Back to Danish, on the same page.
	path, h1 = clickThrough(t, tb, ".lang-switch button")
	if path != "/dagbog?gemt=ny" || h1 != "Min dagbog" || langOf(t, tb) != "da" {
		t.Fatalf("after switching back: %s %q lang %q", path, h1, langOf(t, tb))
	}
	checkEnglishDiaryPage(t, tb, s, axeSource, "diary (Danish again)")
}

// TestEnglishValidHTML runs the English app pages, and their error states,
// through the Nu HTML Checker.
func TestEnglishValidHTML(t *testing.T) {
	requireJava(t)
	requireNodeFile(t, vnuPath)
	s := startAccountAppMarch(t)
	fetch := htmlFetcher(t, s)
	pw := "a walk every day"
	fetch("POST", "/sprog", url.Values{"lang": {"en"}, "naeste": {"/konto/opret"}})
	answers := url.Values{}
	for _, k := range redFlagKeys {
		answers.Set(k, "nej")
	}
	pages := []namedHTML{
		{"en-sign-up", fetch("GET", "/konto/opret", nil)},
		{"en-sign-up-errors", fetch("POST", "/konto/opret", url.Values{"login": {"Æ"}, "password": {"kort"}})},
		{"en-red-flags", fetch("POST", "/konto/opret", url.Values{"login": {"karen"}, "password": {pw}, "password2": {pw}})},
		{"en-red-flags-errors", fetch("POST", "/start/roede-flag", url.Values{"fever": {"nej"}})},
		{"en-baseline", fetch("POST", "/start/roede-flag", answers)},
		{"en-baseline-errors", fetch("POST", "/start/udgangspunkt", url.Values{"first": {"9:99"}, "stop": {"31:00"}, "leg": {"x"}})},
		{"en-psfs", fetch("POST", "/start/udgangspunkt", url.Values{"first": {"3:15"}, "stop": {"6:30"}, "leg": {"6"}, "back": {"4"}})},
		{"en-psfs-errors", fetch("POST", "/start/aktiviteter", url.Values{"aktivitet1": {"walk"}, "point1": {"11"}})},
		{"en-today", fetch("POST", "/start/aktiviteter", url.Values{"aktivitet1": {"walk to the baker's"}, "point1": {"3"}})},
		{"en-diary-new", fetch("GET", "/dagbog/ny", nil)},
		{"en-diary-errors", fetch("POST", "/dagbog", url.Values{"at": {"x"}, "leg": {"11"}})},
		{"en-diary", fetch("POST", "/dagbog", url.Values{"at": {"2026-03-02T18:05"}, "leg": {"6"}, "back": {"3"}, "note": {"Walked"}})},
		{"en-progress", fetch("GET", "/fremskridt", nil)},
		{"en-account", fetch("GET", "/konto", nil)},
		{"en-my-data", fetch("GET", "/mine-data", nil)},
		{"en-diary-404", fetch("GET", "/dagbog/999999/rediger", nil)},
	}
	checks := map[string]string{
		"en-red-flags": "<h1>Check for warning signs</h1>",
		"en-baseline":  "<h1>Your starting point</h1>",
		"en-psfs":      "<h1>Your own activities</h1>",
		"en-today":     "What to do today",
		"en-diary":     "Your note has been saved.",
		"en-progress":  `<figure class="chart">`,
	}
	for _, p := range pages {
		if !strings.Contains(string(p.body), `<html lang="en">`) {
			t.Errorf("%s is not in English:\n%.300s", p.name, p.body)
		}
		if want, ok := checks[p.name]; ok && !strings.Contains(string(p.body), want) {
			t.Fatalf("%s lacks %q:\n%.500s", p.name, want, p.body)
		}
	}
	validateHTML(t, pages)
}
