package web

// Tests of the diary's form for older hands: the 0–10 tap scales, the
// date typed the Danish ways, a time not yet come, the error summary that
// takes focus, and a body over the limit answered with the form itself.

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/store"
)

var reCheckedPain = regexp.MustCompile(`<input id="[a-z0-9-]+" type="radio" name="(leg|back)" value="(\d+)" checked`)

// checkedPain is the value checked on field's tap scale in body, or "".
func checkedPain(body, field string) string {
	got := ""
	for _, m := range reCheckedPain.FindAllStringSubmatch(body, -1) {
		if m[1] == field {
			if got != "" {
				return "more than one: " + got + " " + m[2]
			}
			got = m[2]
		}
	}
	return got
}

// diaryClockAt sets e's clock to 5 March 2026 at 10:05:30, Danish time.
func diaryClockAt(e *env) time.Time {
	now := time.Date(2026, 3, 5, 10, 5, 30, 0, care.Zone)
	e.clock.add(now.Sub(e.clock.now()))
	return now
}

// TestDiaryPainScale: each pain is a fieldset with a legend, 11 radio
// buttons 0–10, the ends named; the first button carries the field's id
// (the summary's link); a value chosen is kept checked after an error.
func TestDiaryPainScale(t *testing.T) {
	e := newEnv(t, openSQLite(t), nil)
	diaryClockAt(e)
	a := e.patientSince("anna", fixturesSince)

	r := a.get("/dagbog/ny")
	want(t, "new form", r, 200, "")
	for _, tc := range []struct{ field, legend string }{{"leg", "Smerter i benene (0–10)"}, {"back", "Smerter i ryggen (0–10)"}} {
		fs := regexp.MustCompile(`(?s)<fieldset class="scale" aria-describedby="` + tc.field + `-ends">\n<legend>([^<]*)</legend>(.*?)</fieldset>`).FindStringSubmatch(r.body)
		if fs == nil {
			t.Fatalf("no fieldset for %s:\n%s", tc.field, r.body)
		}
		if fs[1] != tc.legend {
			t.Errorf("%s: legend %q, want %q", tc.field, fs[1], tc.legend)
		}
		radios := regexp.MustCompile(`<label for="([a-z0-9-]+)"><span>(\d+)</span><input id="([a-z0-9-]+)" type="radio" name="`+tc.field+`" value="(\d+)"`).FindAllStringSubmatch(fs[2], -1)
		if len(radios) != 11 {
			t.Fatalf("%s: %d radio buttons, want 11", tc.field, len(radios))
		}
		for n, m := range radios {
			id := fmt.Sprintf("%s-%d", tc.field, n)
			if n == 0 {
				id = tc.field
			}
			if m[1] != id || m[3] != id || m[2] != fmt.Sprint(n) || m[4] != fmt.Sprint(n) {
				t.Errorf("%s: radio %d is %q", tc.field, n, m[0])
			}
		}
		contains(t, tc.field, fs[2], `<p class="scale-ends" id="`+tc.field+`-ends"><span>0 = ingen smerter</span> <span>10 = værst tænkelige</span></p>`)
		if got := checkedPain(r.body, tc.field); got != "" {
			t.Errorf("%s: %q checked on a new form", tc.field, got)
		}
	}

	// Errors: the chosen value stays checked, the other scale names its
	// error, and the summary's link goes to the scale's first button.
	for _, tc := range []struct {
		what, leg, back, wantLeg, wantBack, errField string
	}{
		{"back missing", "7", "", "7", "", "back"},
		{"leg missing", "", "0", "", "0", "leg"},
		{"leg out of range", "11", "10", "", "10", "leg"},
		{"leg not a number", "x", "3", "", "3", "leg"},
	} {
		r := a.post("/dagbog", entryForm("2026-03-04T09:30", tc.leg, tc.back, "")...)
		want(t, tc.what, r, 422, "")
		if leg, back := checkedPain(r.body, "leg"), checkedPain(r.body, "back"); leg != tc.wantLeg || back != tc.wantBack {
			t.Errorf("%s: checked %q %q, want %q %q", tc.what, leg, back, tc.wantLeg, tc.wantBack)
		}
		f := tc.errField
		contains(t, tc.what, r.body, `<fieldset class="scale has-error" aria-describedby="`+f+`-ends `+f+`-error">`,
			`id="`+f+`-error"`, `<a href="#`+f+`">`, `<input id="`+f+`" type="radio" name="`+f+`" value="0"`)
	}
	// A new form taken from the player's summary ticks no pain.
	if r := a.get("/dagbog/ny?leg=5"); checkedPain(r.body, "leg") != "" {
		t.Error("/dagbog/ny?leg=5 checked a pain")
	}
	want(t, "saved by the scales", a.post("/dagbog", entryForm("2026-03-04T09:30", "0", "10", "")...), 303, "/dagbog?gemt=ny")
	es, err := e.st.ListDiaryEntries(t.Context(), e.userID("anna"), time.Time{}, time.Time{})
	if err != nil || len(es) != 1 || es[0].LegPain != 0 || es[0].BackPain != 10 {
		t.Fatalf("stored %+v %v", es, err)
	}
}

// TestDiaryErrorSummaryFocus: the summary is above the form and takes the
// focus when the page loads (autofocus: no script), its links to the fields.
func TestDiaryErrorSummaryFocus(t *testing.T) {
	e := newEnv(t, openSQLite(t), nil)
	diaryClockAt(e)
	a := e.patientSince("anna", fixturesSince)
	r := a.post("/dagbog", entryForm("", "", "", "")...)
	want(t, "empty entry", r, 422, "")
	summary := strings.Index(r.body, `<div class="error-summary" role="alert" aria-labelledby="fejl-titel" tabindex="-1" autofocus>`)
	form := strings.Index(r.body, `<form class="form"`)
	if summary < 0 || form < 0 || summary > form {
		t.Fatalf("the summary is not a focusable box above the form (%d, %d):\n%s", summary, form, r.body)
	}
	contains(t, "summary", r.body[summary:form], "Ret disse 3 ting, og prøv igen",
		`<a href="#at">Skriv dato og klokkeslæt, fx 14.3.2026 kl. 9.30.</a>`,
		`<a href="#leg">Vælg, hvor ondt du har haft i benene, fra 0 til 10.</a>`,
		`<a href="#back">Vælg, hvor ondt du har haft i ryggen, fra 0 til 10.</a>`)
	if n := strings.Count(r.body, "autofocus"); n != 1 {
		t.Errorf("%d autofocus attributes, want 1", n)
	}
	if r := a.get("/dagbog/ny"); strings.Contains(r.body, "error-summary") || strings.Contains(r.body, "autofocus") {
		t.Error("a new form has a summary or takes the focus")
	}
}

// TestDiaryDates: the date and time typed each usual Danish way is read
// (and stored as that Danish wall-clock time); one that cannot be read, is
// not yet come, or is a day the rules refuse is refused with a message
// that says what to do, beside the field and in the summary, and what was
// typed is kept.
func TestDiaryDates(t *testing.T) {
	e := newEnv(t, openSQLite(t), nil)
	diaryClockAt(e) // 5 March 2026 10:05:30
	a := e.patientSince("anna", fixturesSince)
	at := func(mo time.Month, d, hh, mm int) time.Time { return time.Date(2026, mo, d, hh, mm, 0, 0, care.Zone) }

	for _, tc := range []struct {
		typed string
		want  time.Time
	}{
		{"2026-03-04T09:30", at(3, 4, 9, 30)},
		{"2026-03-04 kl. 09:30", at(3, 4, 9, 30)},
		{"2026-03-04 09:30", at(3, 4, 9, 30)},
		{"4.3.2026 kl. 9.30", at(3, 4, 9, 30)},
		{"4.3.2026 9.30", at(3, 4, 9, 30)},
		{"5.2.2026 kl. 10.00", at(2, 5, 10, 0)},
		{"05-02-2026 10:00", at(2, 5, 10, 0)},
		{"5/2-2026 10.00", at(2, 5, 10, 0)},
		{"2. marts 2026 kl. 18.05", at(3, 2, 18, 5)},
		{"i dag 10:00", at(3, 5, 10, 0)},
		{"i dag kl. 10.05", at(3, 5, 10, 5)}, // now, to the minute
		{"i går kl. 21.15", at(3, 4, 21, 15)},
	} {
		had := map[int64]bool{}
		for _, id := range e.entryIDs("anna") {
			had[id] = true
		}
		r := a.post("/dagbog", entryForm(tc.typed, "3", "2", "")...)
		want(t, tc.typed, r, 303, "/dagbog?gemt=ny")
		var added []int64
		for _, id := range e.entryIDs("anna") {
			if !had[id] {
				added = append(added, id)
			}
		}
		if len(added) != 1 {
			t.Fatalf("%q: %d entries added, want 1", tc.typed, len(added))
		}
		got, err := e.st.DiaryEntry(t.Context(), added[0], e.userID("anna"))
		if err != nil || !got.At.Equal(tc.want) {
			t.Errorf("%q: stored %v (%v), want %v", tc.typed, got.At.In(care.Zone), err, tc.want)
		}
	}
	saved := len(e.entryIDs("anna"))

	unread := "Skriv dato og klokkeslæt på en af disse måder: 14.3.2026 kl.\u00a09.30, 14\u201103\u20112026 9.30, 14. marts 2026 kl.\u00a09.30 eller i dag kl.\u00a09.30."
	notYet := "Det tidspunkt er ikke kommet endnu. Skriv et tidspunkt, der ikke er senere end nu: 5. marts 2026 kl. 10.05."
	for _, tc := range []struct {
		typed, msg string
		// shown is the field as the form shows it again: what was typed
		// in a text field when it could not be read, else the date field.
		shown string
	}{
		{"", "Skriv dato og klokkeslæt, fx 14.3.2026 kl. 9.30.", `type="text" required value=""`},
		{"14/3/2026 kl", unread, `type="text" required value="14/3/2026 kl"`},
		{"31.2.2026 10.00", unread, `type="text" required value="31.2.2026 10.00"`},
		{"4.3.2026", unread, `type="text" required value="4.3.2026"`},
		{"i dag 10:06", notYet, `type="datetime-local" required value="2026-03-05T10:06" max="2026-03-05T10:05"`},
		{"6.3.2026 kl. 9", notYet, `type="datetime-local" required value="2026-03-06T09:00"`},
		{"5.3.2027 9.00", notYet, `type="datetime-local" required value="2027-03-05T09:00"`},
		// 28 days before the account (fixturesSince, 1 February 2026).
		{"1.1.2026 10.00", "Din dagbog kan gå tilbage til den 4. januar 2026. Skriv en dato fra den dag eller senere.", `type="datetime-local" required value="2026-01-01T10:00"`},
	} {
		r := a.post("/dagbog", entryForm(tc.typed, "3", "2", "Gik en tur", "tingling")...)
		want(t, tc.typed, r, 422, "")
		contains(t, tc.typed, r.body, `id="at-error"`, tc.msg, `<a href="#at">`, `<input id="at" name="at" `+tc.shown,
			`aria-describedby="at-error" aria-invalid="true"`, ">Gik en tur</textarea>", `name="tingling" type="checkbox" value="1" checked`)
		if leg, back := checkedPain(r.body, "leg"), checkedPain(r.body, "back"); leg != "3" || back != "2" {
			t.Errorf("%q: pain %q %q kept, want 3 2", tc.typed, leg, back)
		}
	}
	if n := len(e.entryIDs("anna")); n != saved {
		t.Errorf("refused dates were stored: %d entries, want %d", n, saved)
	}

	// The edit form reads the same, and refuses a time not yet come in
	// English for an English patient.
	id := e.entryIDs("anna")[0]
	edit := fmt.Sprintf("/dagbog/%d", id)
	want(t, "edit", a.post(edit, entryForm("3.3.2026 kl. 8.15", "4", "1", "")...), 303, "/dagbog?gemt=rettet")
	if got, _ := e.st.DiaryEntry(t.Context(), id, e.userID("anna")); !got.At.Equal(at(3, 3, 8, 15)) {
		t.Errorf("edited to %v", got.At)
	}
	want(t, "english", a.post(switchPath, "lang", "en"), 303, "/konto")
	r := a.post(edit, entryForm("today 11:00", "4", "1", "")...)
	want(t, "edit to later today", r, 422, "")
	contains(t, "edit to later today", r.body, "That time has not come yet. Enter a time no later than now: 5 March 2026 at 10:05.")
	r = a.post(edit, entryForm("3/14/2026 9:30", "4", "1", "")...)
	contains(t, "edit to a month-first date", r.body, "Type the date and time in one of these ways: 14 March 2026 at 9:30, 14/3/2026 9:30 or today at 9:30.")
}

// postBig posts body as a form, its fields in the order given.
func (c *client) postBig(path, body string) resp {
	c.e.t.Helper()
	if len(body) <= diaryBodyMax {
		c.e.t.Fatalf("the body is only %d bytes", len(body))
	}
	req, err := http.NewRequest("POST", c.e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		c.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.c.Do(req)
	if err != nil {
		c.e.t.Fatalf("POST %s: %v", path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{res.StatusCode, res.Header, string(b)}
}

// TestDiaryOversized: a form whose body is over the limit (a note of some
// 70 KB) is answered with the diary's own page, 422, in the patient's
// language: the note's error beside it and in the summary, every other
// field as typed, the note cut to its first 2,000 characters; nothing is
// stored.
func TestDiaryOversized(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		e := newEnv(t, open(t), nil)
		diaryClockAt(e)
		a := e.patientSince("anna", fixturesSince)
		want(t, "create", a.post("/dagbog", entryForm("2026-03-04T09:30", "1", "1", "kort")...), 303, "/dagbog?gemt=ny")
		id := e.entryIDs("anna")[0]

		for _, tc := range []struct {
			what, path, note string
		}{
			{"new, æ", "/dagbog", strings.Repeat("æ", 12000)},                         // 72 KB encoded; cut inside an escape
			{"new, ASCII", "/dagbog", "Gik en tur. " + strings.Repeat("a b ", 20000)}, // 80 KB; '+' for spaces
			{"new, emoji", "/dagbog", strings.Repeat("😀", 6000)},                      // a character cut in two
			{"edit", fmt.Sprintf("/dagbog/%d", id), strings.Repeat("ø", 12000)},
		} {
			// The fields in the form's order, as a browser sends them
			// (url.Values.Encode would sort them).
			var body []string
			for _, kv := range [][2]string{{"at", "4.3.2026 kl. 18.05"}, {"leg", "6"}, {"back", "3"}, {"burning", "1"}, {"weakness", "1"}, {"note", tc.note}} {
				body = append(body, url.QueryEscape(kv[0])+"="+url.QueryEscape(kv[1]))
			}
			r := a.postBig(tc.path, strings.Join(body, "&"))
			want(t, tc.what, r, 422, "")
			kept := strings.TrimSpace(string([]rune(tc.note)[:diaryMaxNote]))
			contains(t, tc.what, r.body, `<html lang="da">`, `<link rel="stylesheet" href="`, "<h1>", `<form class="form"`,
				`<a href="#note">Noten er for lang: højst 2.000 tegn. Kun de første 2.000 tegn er med her. Ret noten, og gem igen.</a>`,
				`id="note-error"`, `value="2026-03-04T18:05"`, `name="burning" type="checkbox" value="1" checked`,
				`name="weakness" type="checkbox" value="1" checked`, ">"+kept+"</textarea>")
			if strings.Contains(r.body, `name="tingling" type="checkbox" value="1" checked`) {
				t.Errorf("%s: tingling checked", tc.what)
			}
			if leg, back := checkedPain(r.body, "leg"), checkedPain(r.body, "back"); leg != "6" || back != "3" {
				t.Errorf("%s: pain %q %q kept, want 6 3", tc.what, leg, back)
			}
			if strings.Count(r.body, "Noten er for lang") != 2 {
				t.Errorf("%s: the note's error is not both in the summary and beside the field", tc.what)
			}
		}
		if ids := e.entryIDs("anna"); len(ids) != 1 {
			t.Errorf("an oversized form was stored: %v", ids)
		}
		if got, _ := e.st.DiaryEntry(t.Context(), id, e.userID("anna")); got.Note != "kort" || got.LegPain != 1 {
			t.Errorf("an oversized edit changed the entry: %+v", got)
		}

		// In English for an English patient.
		want(t, "english", a.post(switchPath, "lang", "en"), 303, "/konto")
		r := a.postBig("/dagbog", "at=2026-03-04T09%3A30&leg=2&back=2&note="+strings.Repeat("x", 70000))
		want(t, "english oversized", r, 422, "")
		contains(t, "english oversized", r.body, `<html lang="en">`,
			"The note is too long: at most 2,000 characters. Only the first 2,000 characters are kept here.")
	})
}
