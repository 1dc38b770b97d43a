package e2e

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// redFlagKeys are the red-flag screen's questions (internal/rules.Flags).
var redFlagKeys = []string{
	"bladder", "bowel", "saddle_numbness", "both_legs_weakness", "both_legs_numbness", "sexual_dysfunction",
	"major_trauma", "minor_trauma", "cancer_history", "fever", "weight_loss",
	"immunosuppression", "iv_drug_use", "night_pain", "progressive_weakness",
}

// todayInCopenhagen is the server's day (a server on the real clock) as a
// date field holds it.
func todayInCopenhagen(t *testing.T) string {
	t.Helper()
	cph, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	return time.Now().In(cph).Format(time.DateOnly)
}

// confirmExamined fills the form that lifts a red-flag pause — the
// examination's day, the own doctor, the confirmation — and submits it.
func confirmExamined(t *testing.T, tb *tab, day string) (path, h1 string) {
	t.Helper()
	do(t, tb, "the examination's day", chromedp.SetValue(chromedp.CSS("#dato"), day))
	click(t, tb, "#hvem-own_doctor")
	click(t, tb, "#undersoegt")
	return submit(t, tb, nil)
}

// checkCarePage is checkAccountPage for the care pages, whose forms answer
// 422 on purpose when an answer is missing.
func checkCarePage(t *testing.T, tb *tab, s *testSite, axeSource, what string) {
	t.Helper()
	checkAppPage(t, tb, s, axeSource, what, "/start", "/konto")
}

// choose taps value on the 0–10 tap scale whose first button is sel (a
// PSFS score, "#point1").
func choose(t *testing.T, tb *tab, sel, value string) {
	t.Helper()
	click(t, tb, scaleButton(strings.TrimPrefix(sel, "#"), value))
}

// baselineTimes are the baseline form's fields of the walking test's two
// times, each as minutes and seconds, to type.
func baselineTimes(firstMin, firstSec, stopMin, stopSec string) [][2]string {
	return [][2]string{{"#first", firstMin}, {"#first-sec", firstSec}, {"#stop", stopMin}, {"#stop-sec", stopSec}}
}

// submitBaseline fills the baseline form — the times typed (nil: as they
// are), the pain in the legs and the back tapped on their 0–10 scales —
// and submits it.
func submitBaseline(t *testing.T, tb *tab, times [][2]string, leg, back string) (path, h1 string) {
	t.Helper()
	click(t, tb, scaleButton("leg", leg))
	click(t, tb, scaleButton("back", back))
	return submit(t, tb, times)
}

// scaleButton is the radio button of n on a 0–10 tap scale: the first's
// id is the field's own.
func scaleButton(field, n string) string {
	if n == "0" {
		return "#" + field
	}
	return "#" + field + "-" + n
}

// TestOnboardingInBrowser: sign up → the red-flag screen (first with an
// answer missing, then with a cauda equina "yes") → the urgent advice →
// confirm the examination → the baseline → the patient's own activities
// → today → progress; every page
// checked by axe-core on a phone screen.
func TestOnboardingInBrowser(t *testing.T) {
	axeSource := loadAxe(t)
	b := startBrowser(t)
	s := startAccountApp(t)
	tb := b.tabFor(t, 3*time.Minute)

	signUpIn(t, tb, s.URL, "/konto/opret", "karen")

	if _, err := tb.navigate(s.URL + "/start"); err != nil {
		t.Fatal(err)
	}
	if loc := locationOf(t, tb); !strings.HasSuffix(loc, "/start/roede-flag") {
		t.Fatalf("/start ended at %s", loc)
	}
	checkCarePage(t, tb, s, axeSource, "red-flag screen")

	// One answer missing: the error beside it.
	for _, k := range redFlagKeys[1:] {
		click(t, tb, "#"+k+"-nej")
	}
	if path, h1 := submit(t, tb, nil); path != "/start/roede-flag" || h1 != "Tjek for faresignaler" {
		t.Fatalf("incomplete red flags: %s %q", path, h1)
	}
	if txt := textOf(t, tb, "#bladder-error"); !strings.Contains(txt, "Svar ja eller nej") {
		t.Errorf("missing-answer error %q", txt)
	}
	checkCarePage(t, tb, s, axeSource, "red-flag screen with an error")

	click(t, tb, "#bladder-nej")
	click(t, tb, "#saddle_numbness-ja")
	path, h1 := submit(t, tb, nil)
	if path != "/i-dag" || h1 != "I dag" {
		t.Fatalf("after a red-flag yes: %s %q", path, h1)
	}
	// One route, the same in heading and text; the region's number and
	// 112 as tap-to-call links.
	if txt := textOf(t, tb, "main"); !strings.Contains(txt, "Ring til din egen læge nu") || !strings.Contains(txt, "Uden for lægens åbningstid: ring til Akuttelefonen på 1813.") ||
		!strings.Contains(txt, "Vejledning, ikke en diagnose") || strings.Contains(txt, "Det skal du i dag") || strings.Contains(txt, "skadestue") {
		t.Errorf("urgent advice page shows %q", txt)
	}
	if !eval[bool](t, tb, `!!document.querySelector('main a[href="tel:1813"]') && !!document.querySelector('main a[href="tel:112"]')`) {
		t.Error("the urgent advice's numbers are not tap-to-call links")
	}
	checkCarePage(t, tb, s, axeSource, "urgent advice")

	if _, err := tb.navigate(s.URL + "/start/undersoegt"); err != nil {
		t.Fatal(err)
	}
	checkCarePage(t, tb, s, axeSource, "confirm examined")
	// Nothing filled in: every field's error, the summary first.
	if path, h1 = submit(t, tb, nil); path != "/start/undersoegt" || h1 != "Er du blevet undersøgt?" {
		t.Fatalf("an empty examination: %s %q", path, h1)
	}
	if txt := textOf(t, tb, ".error-summary"); !strings.Contains(txt, "Skriv den dag, lægen undersøgte dig") || !strings.Contains(txt, "Vælg, hvem der undersøgte dig") {
		t.Errorf("the examination's errors %q", txt)
	}
	checkCarePage(t, tb, s, axeSource, "confirm examined with errors")
	path, h1 = confirmExamined(t, tb, todayInCopenhagen(t))
	if path != "/start/udgangspunkt" || h1 != "Dit udgangspunkt" {
		t.Fatalf("after confirming: %s %q", path, h1)
	}
	checkCarePage(t, tb, s, axeSource, "baseline")

	path, h1 = submitBaseline(t, tb, baselineTimes("3", "15", "6", "30"), "6", "4")
	if path != "/start/aktiviteter" || h1 != "Dine egne aktiviteter" {
		t.Fatalf("after the baseline: %s %q", path, h1)
	}
	checkCarePage(t, tb, s, axeSource, "own activities")
	if path, _ = submit(t, tb, nil); path != "/start/aktiviteter" {
		t.Fatalf("own activities, none: %s", path)
	}
	if txt := textOf(t, tb, "#aktivitet1-error"); !strings.Contains(txt, "Skriv mindst én aktivitet") {
		t.Errorf("no-activity error %q", txt)
	}
	checkCarePage(t, tb, s, axeSource, "own activities with an error")
	choose(t, tb, "#point1", "2")
	path, h1 = submit(t, tb, [][2]string{{"#aktivitet1", "gå til bageren"}})
	if path != "/i-dag" || h1 != "I dag" {
		t.Fatalf("after the own activities: %s %q", path, h1)
	}
	if txt := textOf(t, tb, "main"); !strings.Contains(txt, "Det skal du i dag") || !strings.Contains(txt, "3 minutter") || strings.Contains(txt, "Ring til din egen læge nu") {
		t.Errorf("today shows %q", txt)
	}
	checkCarePage(t, tb, s, axeSource, "today")

	if _, err := tb.navigate(s.URL + "/fremskridt"); err != nil {
		t.Fatal(err)
	}
	if h := textOf(t, tb, "h1"); h != "Dine fremskridt" {
		t.Fatalf("progress h1 %q", h)
	}
	checkCarePage(t, tb, s, axeSource, "progress")
}

// TestOnboardingValidHTML runs the onboarding, today, status and progress
// pages, and their error states, through the Nu HTML Checker.
func TestOnboardingValidHTML(t *testing.T) {
	requireJava(t)
	requireNodeFile(t, vnuPath)
	s := startAccountApp(t)
	fetch := htmlFetcher(t, s)
	pw := "gå en tur hver dag"
	fetch("POST", "/konto/opret", url.Values{"login": {"karen"}, "password": {pw}, "password2": {pw}})
	answers := url.Values{}
	for _, k := range redFlagKeys {
		answers.Set(k, "nej")
	}
	answers.Set("fever", "ja")
	pages := []namedHTML{
		{"red-flags", fetch("GET", "/start/roede-flag", nil)},
		{"red-flags-errors", fetch("POST", "/start/roede-flag", url.Values{"fever": {"ja"}})},
		{"today-paused", fetch("POST", "/start/roede-flag", answers)},
		{"examined", fetch("GET", "/start/undersoegt", nil)},
		{"examined-errors", fetch("POST", "/start/undersoegt", url.Values{"dato": {"1.1.2020"}, "hvem": {"other"}})},
		{"baseline", fetch("POST", "/start/undersoegt", url.Values{"dato": {todayInCopenhagen(t)}, "hvem": {"own_doctor"}, "undersoegt": {"ja"}})},
		{"baseline-errors", fetch("POST", "/start/udgangspunkt", url.Values{"first": {"9:99"}, "stop": {"31:00"}, "leg": {"x"}})},
		{"psfs", fetch("POST", "/start/udgangspunkt", url.Values{"first": {"3:15"}, "stop": {"6:30"}, "leg": {"6"}, "back": {"4"}})},
		{"psfs-errors", fetch("POST", "/start/aktiviteter", url.Values{"aktivitet1": {"gå til bageren"}, "aktivitet2": {"gå til bageren"}, "point2": {"4"}, "point3": {"5"}})},
		{"today", fetch("POST", "/start/aktiviteter", url.Values{"aktivitet1": {"gå til bageren"}, "point1": {"3"}, "aktivitet2": {"stå og lave mad"}, "point2": {"4"}})},
		{"status", fetch("GET", "/status", nil)},
		{"progress", fetch("GET", "/fremskridt", nil)},
	}
	checks := map[string]string{
		"today-paused": "Tal med din egen læge, før du træner",
		"examined":     `type="date"`,
		"baseline":     "<h1>Dit udgangspunkt</h1>",
		"psfs":         "<h1>Dine egne aktiviteter</h1>",
		"psfs-errors":  `id="point1-error"`,
		"today":        "Det skal du i dag",
		"status":       `value="stå og lave mad"`,
		"progress":     `<table class="psfs-table"`,
	}
	for _, p := range pages {
		if want, ok := checks[p.name]; ok && !strings.Contains(string(p.body), want) {
			t.Fatalf("%s lacks %q:\n%.500s", p.name, want, p.body)
		}
	}
	validateHTML(t, pages)
}
