package web

import (
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/store"
)

var reDiaryTime = regexp.MustCompile(`<time datetime="([^"]+)">`)

// diaryTimes are the entries' times on a diary page, in order.
func diaryTimes(body string) []string {
	var out []string
	for _, m := range reDiaryTime.FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// TestDiaryPaging: a long diary is shown 20 entries a page, newest first,
// the page in the address (?side=2); "Nyere" and "Ældre" are links with
// rel=prev and rel=next, and the page says "Side 2 af 3". A page past the
// last goes to the last; an address that is no page is the 404 page.
func TestDiaryPaging(t *testing.T) {
	st := openSQLite(t)
	e := newEnv(t, st, nil)
	diaryClockAt(e)
	c := e.patientSince("anna", fixturesSince)
	id := e.userID("anna")
	first := time.Date(2026, 2, 2, 8, 0, 0, 0, care.Zone)
	var times []string // newest first
	for i := range 45 {
		at := first.Add(time.Duration(i) * 20 * time.Hour)
		if _, err := st.AddDiaryEntry(t.Context(), store.DiaryEntry{UserID: id, At: at, LegPain: i % 11}); err != nil {
			t.Fatal(err)
		}
		times = append([]string{at.Format(time.RFC3339)}, times...)
	}

	for _, tc := range []struct {
		path       string
		from, to   int // times[from:to]
		label      string
		prev, next string
	}{
		{"/dagbog", 0, 20, "Side 1 af 3", "", "/dagbog?side=2"},
		{"/dagbog?side=1", 0, 20, "Side 1 af 3", "", "/dagbog?side=2"},
		{"/dagbog?side=2", 20, 40, "Side 2 af 3", "/dagbog", "/dagbog?side=3"},
		{"/dagbog?side=3", 40, 45, "Side 3 af 3", "/dagbog?side=2", ""},
	} {
		r := c.get(tc.path)
		want(t, tc.path, r, 200, "")
		if got := diaryTimes(r.body); strings.Join(got, " ") != strings.Join(times[tc.from:tc.to], " ") {
			t.Errorf("%s: entries %q, want %q", tc.path, got, times[tc.from:tc.to])
		}
		contains(t, tc.path, r.body, tc.label, `<nav class="pager" aria-label="Sider i dagbogen">`)
		if tc.prev != "" {
			contains(t, tc.path, r.body, `<a href="`+tc.prev+`" rel="prev">`, "Nyere noter")
		} else {
			lacks(t, tc.path, r.body, `rel="prev"`, "Nyere noter")
		}
		if tc.next != "" {
			contains(t, tc.path, r.body, `<a href="`+tc.next+`" rel="next">`, "Ældre noter")
		} else {
			lacks(t, tc.path, r.body, `rel="next"`, "Ældre noter")
		}
	}
	if r := c.get("/dagbog?side=2"); !strings.Contains(r.body, "<title>Min dagbog, side 2 af 3 –") {
		t.Errorf("page 2's title: %q", regexp.MustCompile(`<title>[^<]*</title>`).FindString(r.body))
	}

	// Past the last page: the last page.
	want(t, "page 4", c.get("/dagbog?side=4"), 303, "/dagbog?side=3")
	want(t, "page 999999", c.get("/dagbog?side=999999"), 303, "/dagbog?side=3")
	// No page: the 404 page, never a crash.
	for _, q := range []string{"side=0", "side=-1", "side=x", "side=", "side=2&side=3", "side=02", "side=%2B2", "side=99999999999999999999"} {
		r := c.get("/dagbog?" + q)
		want(t, q, r, 404, "")
		contains(t, q, r.body, "Siden findes ikke", "Den side findes ikke i din dagbog.", `<a href="/dagbog">`)
	}

	// The flash of a saved entry and the English words.
	contains(t, "saved", c.get("/dagbog?gemt=ny").body, "Din note er gemt.", "Side 1 af 3")
	want(t, "switch", c.post(switchPath, "lang", "en"), 303, "")
	r := c.get("/dagbog?side=2")
	englishPage(t, "page 2, English", r, "Page 2 of 3", "Newer notes", "Older notes", `aria-label="Pages of the diary"`)

	// A short diary has no pager.
	b := e.patientSince("bo", fixturesSince)
	r = b.get("/dagbog")
	lacks(t, "empty diary", r.body, `class="pager"`, "Side 1 af 1", "Page 1 of 1")
	want(t, "empty diary, page 2", b.get("/dagbog?side=2"), 303, "/dagbog")
}

// TestDiaryEditKeepsPage: an entry edited or deleted from page 3 of the
// diary goes back to page 3, not to the first page; a page that is no
// page is left out.
func TestDiaryEditKeepsPage(t *testing.T) {
	st := openSQLite(t)
	e := newEnv(t, st, nil)
	diaryClockAt(e)
	c := e.patientSince("anna", fixturesSince)
	id := e.userID("anna")
	first := time.Date(2026, 2, 2, 8, 0, 0, 0, care.Zone)
	for i := range 45 {
		if _, err := st.AddDiaryEntry(t.Context(), store.DiaryEntry{UserID: id, At: first.Add(time.Duration(i) * 20 * time.Hour), LegPain: i % 11}); err != nil {
			t.Fatal(err)
		}
	}
	page3 := c.get("/dagbog?side=3")
	m := regexp.MustCompile(`href="(/dagbog/(\d+)/rediger\?side=3)"`).FindStringSubmatch(page3.body)
	if m == nil {
		t.Fatal("page 3's edit links do not name the page")
	}
	form := c.get(m[1])
	contains(t, "the edit form", form.body, `<input type="hidden" name="side" value="3">`)
	at := regexp.MustCompile(`id="at"[^>]*value="([^"]+)"`).FindStringSubmatch(form.body)
	if at == nil {
		t.Fatal("no time in the form")
	}
	want(t, "saved from page 3", c.post("/dagbog/"+m[2], "side", "3", "at", html.UnescapeString(at[1]), "leg", "4", "back", "2"), 303, "/dagbog?side=3&gemt=rettet")
	want(t, "deleted from page 3", c.post("/dagbog/"+m[2]+"/slet", "side", "3"), 303, "/dagbog?side=3&gemt=slettet")
	contains(t, "back on page 3", c.get("/dagbog?side=3&gemt=slettet").body, "Side 3 af 3")
	// A page that is none: the first page.
	ids := e.entryIDs("anna")
	want(t, "no page", c.post("/dagbog/"+strconv.FormatInt(ids[0], 10)+"/slet", "side", "x"), 303, "/dagbog?gemt=slettet")
}
