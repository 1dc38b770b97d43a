package e2e

// The patient's training calendar in the browser (issue 14): from Min
// konto to the calendar page, a form with a mistake, the link made and
// shown (the webcal button, the link to copy, the steps for iPhone and
// Android), the feed it names, and turning it off — axe 0 and Nu 0, in
// Danish and English, at 360 and 1280 px. With STENOSE_E2E_SHOTS set to a
// folder, each page is saved there as a PNG.

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestCalendarPages(t *testing.T) {
	axeSource := loadAxe(t)
	b := startBrowser(t)
	s := startAccountApp(t)
	for _, row := range []struct {
		lang, query, h1, ready, off string
		width                       int64
	}{
		{"da", "", "Træning i din kalender", "Dit kalenderlink er klar", "Kalenderen er slået fra.", 360},
		{"da", "", "Træning i din kalender", "Dit kalenderlink er klar", "Kalenderen er slået fra.", 1280},
		{"en", "?lang=en", "Training in your calendar", "Your calendar link is ready", "The calendar is turned off.", 360},
		{"en", "?lang=en", "Training in your calendar", "Your calendar link is ready", "The calendar is turned off.", 1280},
	} {
		name := row.lang + "-" + strconv.FormatInt(row.width, 10)
		t.Run(name, func(t *testing.T) {
			tb := b.privateTab(t, 3*time.Minute, row.width, 800)
			check := func(what string) {
				t.Helper()
				if l := langOf(t, tb); l != row.lang {
					t.Errorf("%s: <html lang=%q>", what, l)
				}
				checkAppPage(t, tb, s, axeSource, what, "/konto/kalender")
				shot(t, tb, "calendar-"+name+"-"+strings.ReplaceAll(what, " ", "-"))
			}
			signUpIn(t, tb, s.URL, "/konto/opret", "kalender-"+name)
			if _, err := tb.navigate(s.URL + "/konto" + row.query); err != nil {
				t.Fatal(err)
			}
			if path, h1 := clickThrough(t, tb, `main a[href="/konto/kalender"]`); path != "/konto/kalender" || h1 != row.h1 {
				t.Fatalf("Min konto's link: %s %q", path, h1)
			}
			// The plan's three days are chosen, at 10.00.
			if n := eval[int](t, tb, `document.querySelectorAll('input[name="dag"]:checked').length`); n != 3 {
				t.Errorf("%d days chosen at first, want 3", n)
			}
			check("page")

			// No day: the error, at the top and beside the days.
			eval[bool](t, tb, `(document.querySelectorAll('input[name="dag"]').forEach((c) => { c.checked = false; }), true)`)
			if path, _ := submit(t, tb, nil); path != "/konto/kalender" {
				t.Fatalf("no days: at %s", path)
			}
			if n := eval[int](t, tb, `document.querySelectorAll('.error-summary a[href="#dag"], #dag-error').length`); n != 2 {
				t.Errorf("no days: %d of the summary's link and the error beside the days", n)
			}
			check("no days")

			// Tuesday and Thursday at 17.30: the link.
			click(t, tb, "#dag-2")
			click(t, tb, "#dag-4")
			eval[bool](t, tb, `(document.querySelector('#tid').value = "1050") === "1050"`)
			if path, _ := submit(t, tb, nil); path != "/konto/kalender" {
				t.Fatalf("make the link: at %s", path)
			}
			if got := textOf(t, tb, "#link-title"); got != row.ready {
				t.Errorf("the link's heading: %q", got)
			}
			webcal := eval[string](t, tb, `document.querySelector('main a[href^="webcal://"]').getAttribute("href")`)
			https := eval[string](t, tb, `document.querySelector('#link').value`)
			if !strings.HasPrefix(https, s.URL+"/kalender/") || webcal != "webcal://"+strings.TrimPrefix(https, "http://") {
				t.Errorf("the links: %q, %q", webcal, https)
			}
			check("link")

			// The feed the link names: a calendar, no cookie.
			resp, body := get(t, https)
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/calendar; charset=utf-8" || len(resp.Cookies()) > 0 {
				t.Errorf("the feed: %d %q %v", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Cookies())
			}
			if !strings.Contains(string(body), "BYDAY=TU,TH;") || !strings.Contains(string(body), "T173000\r\n") {
				t.Errorf("the feed lacks the days and time:\n%s", body)
			}

			// Off: the link stops.
			submitWith(t, tb, `form[action="/konto/kalender/sluk"] button[type="submit"]`, nil)
			if got := textOf(t, tb, `p[role="status"]`); !strings.HasPrefix(got, row.off) {
				t.Errorf("turned off: %q", got)
			}
			check("off")
			if resp, _ := get(t, https); resp.StatusCode != http.StatusNotFound {
				t.Errorf("the feed turned off: %d", resp.StatusCode)
			}
		})
	}
}

// TestCalendarValidHTML runs the calendar page in each of its states,
// in both languages, through the Nu HTML Checker.
func TestCalendarValidHTML(t *testing.T) {
	requireJava(t)
	requireNodeFile(t, vnuPath)
	s := startAccountApp(t)
	var pages []namedHTML
	for _, q := range []string{"", "?lang=en"} {
		fetch := htmlFetcher(t, s)
		login := "nu" + strings.TrimPrefix(q, "?lang=")
		pw := "gå en tur hver dag"
		fetch("POST", "/konto/opret", url.Values{"login": {login}, "password": {pw}, "password2": {pw}})
		pages = append(pages,
			namedHTML{"calendar" + q, fetch("GET", "/konto/kalender"+q, nil)},
			namedHTML{"calendar-errors" + q, fetch("POST", "/konto/kalender", url.Values{"tid": {"7"}})},
			namedHTML{"calendar-link" + q, fetch("POST", "/konto/kalender", url.Values{"dag": {"1", "7"}, "tid": {"360"}})},
		)
		other := htmlFetcher(t, s) // another browser: the calendar is on, its link not shown
		other("POST", "/konto/log-ind", url.Values{"login": {login}, "password": {pw}})
		pages = append(pages, namedHTML{"calendar-on" + q, other("GET", "/konto/kalender", nil)})
	}
	validateHTML(t, pages)
}
