package e2e

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestAcceptTargetInBrowser: a stable first week (sessions, walks and
// diary entries sent as the browser sends them) → /i-dag advises a longer
// walk with a button → the patient taps it → the new target shows and the
// advice no longer says up. Both states of the page pass axe-core on a
// phone screen and the Nu HTML Checker.
func TestAcceptTargetInBrowser(t *testing.T) {
	axeSource := loadAxe(t)
	requireJava(t)
	requireNodeFile(t, vnuPath)
	var mu sync.Mutex
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s := startAccountAppAt(t, clock)

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 15 * time.Second}
	send := func(method, path, ctype, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, s.URL+path, strings.NewReader(body))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode >= 400 {
			t.Fatalf("%s %s: %d\n%.400s", method, path, res.StatusCode, b)
		}
		return res.StatusCode, string(b)
	}
	form := func(path string, v url.Values) string {
		t.Helper()
		_, b := send("POST", path, "application/x-www-form-urlencoded", v.Encode())
		return b
	}
	pw := "gå en tur hver dag"
	form("/konto/opret", url.Values{"login": {"inger"}, "password": {pw}, "password2": {pw}})
	answers := url.Values{}
	for _, k := range redFlagKeys {
		answers.Set(k, "nej")
	}
	form("/start/roede-flag", answers)
	form("/start/udgangspunkt", url.Values{"first": {"3:15"}, "stop": {"6:30"}, "leg": {"6"}, "back": {"4"}})

	// A week later: 3 sessions, 3 walks of 5 minutes, 3 diary entries in
	// the last 7 days, no symptoms.
	mu.Lock()
	now = now.AddDate(0, 0, 8)
	mu.Unlock()
	// A sign-in ends after 12 hours unused: she signs in again.
	form("/konto/log-ind", url.Values{"login": {"inger"}, "password": {pw}})
	for k := range 7 {
		at := clock().AddDate(0, 0, -k)
		iso := func(d time.Duration) string { return at.Add(d).Format(time.RFC3339) }
		switch k {
		case 0, 2, 4:
			send("POST", "/api/traening", "application/json", fmt.Sprintf(`{"clientId":"s%d","programme":"5-bedste-oevelser","startedAt":%q,"endedAt":%q,
"steps":[{"exercise":"knae-til-bryst","status":"done","symptoms":false,"symptomKinds":[]}],"symptoms":0}`, k, iso(-time.Hour), iso(-40*time.Minute)))
		}
		switch k {
		case 1, 3, 5:
			send("POST", "/api/gang", "application/json", fmt.Sprintf(`{"clientId":"w%d","startedAt":%q,"endedAt":%q,
"bouts":[{"walkSeconds":300,"pauseSeconds":60,"firstSymptomsSeconds":null}]}`, k, iso(-time.Hour), iso(-50*time.Minute)))
		}
		switch k {
		case 0, 3, 6:
			form("/dagbog", url.Values{"at": {at.Add(-2 * time.Hour).In(cph(t)).Format("2006-01-02T15:04")}, "leg": {"4"}, "back": {"3"}, "note": {""}})
		}
	}
	_, before := send("GET", "/i-dag", "", "")
	for _, want := range []string{"Du har haft en stabil uge", "gå 4 minutter pr. tur (før 3)", "Ja, øg mine mål", "<strong>3 minutter</strong>"} {
		if !strings.Contains(before, want) {
			t.Fatalf("/i-dag lacks %q:\n%s", want, before)
		}
	}

	b := startBrowser(t)
	tb := b.tabFor(t, 2*time.Minute)
	if _, err := tb.navigate(s.URL + "/konto/log-ind"); err != nil {
		t.Fatal(err)
	}
	submit(t, tb, [][2]string{{"#login", "inger"}, {"#password", pw}})
	if _, err := tb.navigate(s.URL + "/i-dag"); err != nil {
		t.Fatal(err)
	}
	checkCarePage(t, tb, s, axeSource, "today with a new target")
	if path, h1 := submit(t, tb, nil); path != "/i-dag" || h1 != "I dag" {
		t.Fatalf("after accepting: %s %q", path, h1)
	}
	txt := textOf(t, tb, "main")
	for _, want := range []string{"Dine nye mål er gemt.", "4 minutter gang i alt", "Behold dine nuværende mål"} {
		if !strings.Contains(txt, want) {
			t.Errorf("after accepting, today lacks %q: %s", want, txt)
		}
	}
	if strings.Contains(txt, "Ja, øg mine mål") || strings.Contains(txt, "Du har haft en stabil uge") {
		t.Errorf("after accepting, today still advises up: %s", txt)
	}
	checkCarePage(t, tb, s, axeSource, "today after accepting")

	_, after := send("GET", "/i-dag", "", "")
	validateHTML(t, []namedHTML{{"today-target-offer", []byte(before)}, {"today-target-accepted", []byte(after)}})
}

func cph(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
