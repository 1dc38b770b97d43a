package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stenose/stenose/internal/calendar"
	"github.com/stenose/stenose/internal/store"
)

// feedLink is the https link the calendar page shows, as a path on the
// test server, or "" when the page shows none.
func feedLink(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`<textarea id="link"[^>]*>([^<]+)</textarea>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	u, err := url.Parse(m[1])
	if err != nil {
		t.Fatal(err)
	}
	return u.Path
}

// TestCalendarPage: a patient chooses days and a time, makes the link,
// sees it (the webcal link and the one to copy) and the feed answers it;
// a new link stops the old one; turned off, the feed is gone; the link is
// shown only to the browser that made it, and only while it works.
func TestCalendarPage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		e := newEnv(t, open(t), nil)
		ann := e.signUp("ann")

		// Min konto leads here.
		contains(t, "/konto", ann.get("/konto").body, `href="/konto/kalender"`)
		r := ann.get(calendarPath)
		want(t, "the page", r, 200, "")
		// The plan's days (3 a week: Monday, Wednesday, Friday) at 10.00.
		contains(t, "the page", r.body, "Træning i din kalender", "Din plan er 3 træninger om ugen.",
			`value="1" checked> Mandag`, `value="2"> Tirsdag`, `value="3" checked> Onsdag`, `value="5" checked> Fredag`,
			`<option value="600" selected>kl. 10.00</option>`, `<option value="360">kl. 6.00</option>`, `<option value="1260">kl. 21.00</option>`,
			"Lav kalenderlink", "kun »Træning« og »Statussamtale«")
		if feedLink(t, r.body) != "" || strings.Contains(r.body, "webcal:") || strings.Contains(r.body, "/nyt-link") {
			t.Error("a link, or a new link's form, before any is made")
		}

		// Nothing chosen: the form again, the error beside the field and
		// in the summary, nothing stored.
		r = ann.post(calendarPath, "tid", "615")
		want(t, "no days", r, 422, "")
		contains(t, "no days", r.body, `<div class="error-summary"`, `href="#dag"`, `href="#tid"`, `id="dag-error"`, "Vælg mindst én dag.",
			"Vælg et tidspunkt på listen.", `aria-invalid="true"`, `value="1"> Mandag`)
		if _, err := e.st.CalendarFeed(t.Context(), userID(t, e.st, "ann")); err == nil {
			t.Error("a calendar was stored from a form with mistakes")
		}

		// Tuesday and Thursday at 17.30: the link is made and shown.
		r = ann.post(calendarPath, "dag", "2", "dag", "4", "tid", "1050")
		want(t, "make the link", r, 303, calendarPath)
		var kept *http.Cookie
		for _, c := range (&http.Response{Header: r.header}).Cookies() {
			if c.Name == calendarCookie {
				kept = c
			}
		}
		if kept == nil || kept.Path != calendarPath || !kept.HttpOnly || kept.SameSite != http.SameSiteStrictMode || kept.MaxAge != 3600 || len(kept.Value) != calendar.SecretLen {
			t.Fatalf("the link's cookie: %+v", kept)
		}
		r = ann.get(calendarPath)
		link := feedLink(t, r.body)
		if link != feedPath+kept.Value+".ics" {
			t.Fatalf("the link shown: %q", link)
		}
		contains(t, "the link", r.body, "Dit kalenderlink er klar", `href="webcal://example.test/kalender/`+kept.Value+`.ics"`,
			`>http://example.test/kalender/`+kept.Value+`.ics</textarea>`, "iPhone", "Android", "Fra webadresse", "Slå kalenderen fra",
			`value="2" checked> Tirsdag`, `<option value="1050" selected>kl. 17.30</option>`, "Gem dage og tidspunkt")

		// The feed: anyone with the link, no session, no cookie.
		anon := e.client()
		f := anon.get(link)
		want(t, "the feed", f, 200, "")
		for k, v := range map[string]string{"Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "private, no-cache", "X-Robots-Tag": "noindex, nofollow"} {
			if got := f.header.Get(k); got != v {
				t.Errorf("the feed's %s: %q, want %q", k, got, v)
			}
		}
		if sc := f.header.Values("Set-Cookie"); len(sc) > 0 {
			t.Errorf("the feed sets cookies: %v", sc)
		}
		contains(t, "the feed", f.body, "BEGIN:VCALENDAR", "SUMMARY:Træning", "BYDAY=TU,TH;", "T173000\r\n", "DESCRIPTION:http://example.test/i-dag")
		// A calendar's next fetch of an unchanged feed: 304.
		anon.hdr.Set("If-None-Match", f.header.Get("ETag"))
		if r := anon.get(link); r.status != http.StatusNotModified {
			t.Errorf("If-None-Match: %d", r.status)
		}
		anon.hdr.Del("If-None-Match")
		if r := anon.do("HEAD", link, nil); r.status != 200 || r.header.Get("Content-Type") != calendar.ContentType {
			t.Errorf("HEAD: %d %q", r.status, r.header.Get("Content-Type"))
		}

		// Another browser of Ann's, and Bo with Ann's cookie: no link shown.
		other := e.signIn("ann", goodPW)
		if feedLink(t, other.get(calendarPath).body) != "" {
			t.Error("the link is shown on another browser")
		}
		bo := e.signUp("bo")
		u, _ := url.Parse(e.srv.URL + calendarPath)
		bo.jar.SetCookies(u, []*http.Cookie{{Name: calendarCookie, Value: kept.Value, Path: calendarPath}})
		if body := bo.get(calendarPath).body; feedLink(t, body) != "" || strings.Contains(body, kept.Value) {
			t.Error("Bo's page shows Ann's link")
		}

		// A second save keeps the link; the page says it is on.
		want(t, "save", ann.post(calendarPath, "dag", "1", "dag", "3", "dag", "5", "tid", "600"), 303, calendarPath)
		r = ann.get(calendarPath)
		contains(t, "saved", r.body, "Dagene og tidspunktet er gemt.", "Dit kalenderlink er klar") // still the hour the link is shown
		contains(t, "on, elsewhere", other.get(calendarPath).body, "Din kalender er slået til. Linket blev lavet", "Lav et nyt link")
		if f := anon.get(link); f.status != 200 || !strings.Contains(f.body, "BYDAY=MO,WE,FR;") {
			t.Errorf("the feed after the save: %d", f.status)
		}

		// A new link: the old one stops at once.
		r = other.post(calendarPath + "/nyt-link")
		want(t, "a new link", r, 303, calendarPath)
		newLink := feedLink(t, other.get(calendarPath).body)
		if newLink == "" || newLink == link {
			t.Fatalf("the new link: %q (old %q)", newLink, link)
		}
		gone := anon.get(link)
		unknown := anon.get(feedPath + strings.Repeat("A", calendar.SecretLen) + ".ics")
		if gone.status != 404 || unknown.status != 404 || gone.body != unknown.body || len(gone.header.Values("Set-Cookie")) > 0 {
			t.Errorf("the old link: %d %q; an unknown one: %d %q — the same 404", gone.status, gone.body, unknown.status, unknown.body)
		}
		for _, bad := range []string{feedPath + "x", feedPath + strings.TrimPrefix(newLink, feedPath)[:10] + ".ics", strings.TrimSuffix(newLink, ".ics"), newLink + ".ics"} {
			if r := anon.get(bad); r.status != 404 || r.body != unknown.body {
				t.Errorf("%s: %d %q", bad, r.status, r.body)
			}
		}
		if feedLink(t, ann.get(calendarPath).body) != "" {
			t.Error("the first browser still shows the old link")
		}
		want(t, "the new link", anon.get(newLink), 200, "")

		// Turned off: the feed is gone; making a link turns it on again.
		r = other.post(calendarPath + "/sluk")
		want(t, "turn off", r, 303, calendarPath)
		want(t, "the link turned off", anon.get(newLink), 404, "")
		r = other.get(calendarPath)
		contains(t, "turned off", r.body, "Kalenderen er slået fra.", "Lav kalenderlink")
		if feedLink(t, r.body) != "" || strings.Contains(r.body, "Slå kalenderen fra</button>") {
			t.Error("turned off, the page still shows the link or the button")
		}
		r = other.post(calendarPath, "dag", "3", "tid", "900")
		want(t, "on again", r, 303, calendarPath)
		third := feedLink(t, other.get(calendarPath).body)
		want(t, "on again", anon.get(third), 200, "")

		// Signing out takes the link's cookie with it.
		r = other.post("/konto/log-ud")
		if !strings.Contains(strings.Join(r.header.Values("Set-Cookie"), "\n"), calendarCookie+"=; Path="+calendarPath+"; Max-Age=0") {
			t.Errorf("sign-out leaves the calendar cookie: %v", r.header.Values("Set-Cookie"))
		}

		// Deleting the account deletes the calendar.
		want(t, "delete", ann.post("/mine-data/slet", "confirm", "ann"), 200, "")
		want(t, "the feed of a deleted account", anon.get(third), 404, "")
	})
}

// TestCalendarInEnglish: the page and the feed in the patient's language.
func TestCalendarInEnglish(t *testing.T) {
	e := newEnv(t, openSQLite(t), nil)
	c := e.signUp("emma")
	if err := e.st.SetUserLang(t.Context(), userID(t, e.st, "emma"), "en"); err != nil {
		t.Fatal(err)
	}
	r := c.get(calendarPath)
	contains(t, "English page", r.body, `<html lang="en">`, "Training in your calendar", "Your plan is 3 sessions a week.", `value="1" checked> Monday`,
		`<option value="600" selected>10:00</option>`, "Make a calendar link")
	want(t, "make", c.post(calendarPath, "dag", "6", "tid", "480"), 303, calendarPath)
	r = c.get(calendarPath)
	contains(t, "English link", r.body, "Your calendar link is ready", "From URL", "Subscribe")
	f := e.client().get(feedLink(t, r.body))
	contains(t, "English feed", f.body, "SUMMARY:Training\r\n", "X-WR-CALNAME:Training\r\n", "BYDAY=SA;")
}
