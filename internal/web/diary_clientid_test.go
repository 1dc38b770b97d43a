package web

// The diary form's client id: a new entry's form carries a fresh id each
// time it is shown, and the same form sent again — the browser resending
// it, a retry through a proxy, a double tap — is stored once and answered
// as the first time. On SQLite and PostgreSQL.

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/store"
)

var reClientID = regexp.MustCompile(`<input type="hidden" name="client_id" value="([^"]*)">`)

// formClientID is the client id the diary form on body carries, or "".
func formClientID(t *testing.T, body string) string {
	t.Helper()
	m := reClientID.FindAllStringSubmatch(body, -1)
	if len(m) > 1 {
		t.Fatalf("%d client ids on the form", len(m))
	}
	if m == nil {
		return ""
	}
	return m[0][1]
}

// diaryEntries is login's entries, oldest first.
func (e *env) diaryEntries(login string) []store.DiaryEntry {
	e.t.Helper()
	es, err := e.st.ListDiaryEntries(e.t.Context(), e.userID(login), time.Time{}, time.Time{})
	if err != nil {
		e.t.Fatal(err)
	}
	return es
}

func TestDiaryFormClientID(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		e := newEnv(t, open(t), nil)
		a := e.patientSince("anna", fixturesSince)

		// A fresh id each time the form is shown: 22 URL-safe characters.
		seen := map[string]bool{}
		for range 3 {
			r := a.get("/dagbog/ny")
			want(t, "new form", r, 200, "")
			id := formClientID(t, r.body)
			if !regexp.MustCompile(`^[A-Za-z0-9_-]{22}$`).MatchString(id) || seen[id] {
				t.Fatalf("the form's client id %q (seen before: %v)", id, seen[id])
			}
			seen[id] = true
			// Sent before the note, so a body cut at its limit keeps it.
			if i, j := strings.Index(r.body, `name="client_id"`), strings.Index(r.body, `name="note"`); i < 0 || i > j {
				t.Errorf("the client id comes after the note")
			}
		}

		form := func(id, leg, note string) []string {
			kv := entryForm("2026-03-02T18:05", leg, "2", note, "tingling")
			if id != "" {
				kv = append([]string{"client_id", id}, kv...)
			}
			return kv
		}
		id := formClientID(t, a.get("/dagbog/ny").body)
		tests := []struct {
			name     string
			kv       []string
			status   int
			location string
			// entries: anna's entries after the send; stored: how many
			// of them have the form's id (by id)
			entries int
			stored  map[string]int
		}{
			{"the form", form(id, "4", "første"), 303, "/dagbog?gemt=ny", 1, map[string]int{id: 1}},
			{"sent again: answered alike, nothing new", form(id, "4", "første"), 303, "/dagbog?gemt=ny", 1, map[string]int{id: 1}},
			{"and again", form(id, "4", "første"), 303, "/dagbog?gemt=ny", 1, map[string]int{id: 1}},
			// The back button shows the form again, and another entry is
			// written on it: stored, nothing dropped.
			{"the same form, something else written", form(id, "6", "en ny note"), 303, "/dagbog?gemt=ny", 2, map[string]int{id: 1}},
			{"that sent again", form(id, "6", "en ny note"), 303, "/dagbog?gemt=ny", 2, map[string]int{id: 1}},
			// A form shown before there were ids: stored, each time.
			{"no id", form("", "4", "gammel formular"), 303, "/dagbog?gemt=ny", 3, nil},
			{"no id, again", form("", "4", "gammel formular"), 303, "/dagbog?gemt=ny", 4, nil},
			// An id the server cannot have made: refused, nothing stored.
			{"an id too short", form("kort", "4", ""), 400, "", 4, nil},
			{"an id too long", form(strings.Repeat("a", 65), "4", ""), 400, "", 4, nil},
			{"an id with other characters", form("ikke et id, men tekst!", "4", ""), 400, "", 4, nil},
			{"an id of other letters", form("æøåæøåæøåæøåæøåæøåæøå", "4", ""), 400, "", 4, nil},
			{"two ids: the first counts", append(form(id, "4", "første"), "client_id", "ABCDEFGHIJKLMNOPQRSTUV"), 303, "/dagbog?gemt=ny", 4, map[string]int{id: 1}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := a.post("/dagbog", tt.kv...)
				want(t, tt.name, r, tt.status, tt.location)
				es := e.diaryEntries("anna")
				if len(es) != tt.entries {
					t.Errorf("%d entries, want %d", len(es), tt.entries)
				}
				got := map[string]int{}
				for _, x := range es {
					if x.ClientID == id {
						got[x.ClientID]++
					}
				}
				for cid, n := range tt.stored {
					if got[cid] != n {
						t.Errorf("%d entries under %s, want %d", got[cid], cid, n)
					}
				}
			})
		}
		es := e.diaryEntries("anna")
		if es[0].ClientID != id || es[0].LegPain != 4 || es[0].Note != "første" || es[1].LegPain != 6 || !strings.HasPrefix(es[1].ClientID, id+".") {
			t.Errorf("stored %+v", es[:2])
		}
		if es[2].ClientID != "" || es[3].ClientID != "" {
			t.Errorf("entries of a form without an id stored with %q, %q", es[2].ClientID, es[3].ClientID)
		}

		// Put right after an error: the same id again, so the entry is
		// still stored once; a form without one gets one.
		id2 := formClientID(t, a.get("/dagbog/ny").body)
		r := a.post("/dagbog", form(id2, "11", "for meget")...)
		want(t, "an error", r, 422, "")
		if got := formClientID(t, r.body); got != id2 {
			t.Errorf("the form shown again carries %q, want %q", got, id2)
		}
		r = a.post("/dagbog", form("", "11", "for meget")...)
		want(t, "an error, no id", r, 422, "")
		if got := formClientID(t, r.body); !diaryClientRE.MatchString(got) {
			t.Errorf("the form without an id shown again carries %q", got)
		}
		want(t, "put right", a.post("/dagbog", form(id2, "5", "rettet")...), 303, "/dagbog?gemt=ny")
		want(t, "put right, sent again", a.post("/dagbog", form(id2, "5", "rettet")...), 303, "/dagbog?gemt=ny")
		if n := len(e.diaryEntries("anna")); n != 5 {
			t.Errorf("%d entries, want 5", n)
		}

		// Editing carries no id and changes none.
		first := e.diaryEntries("anna")[0]
		edit := "/dagbog/" + strconv.FormatInt(first.ID, 10)
		r = a.get(edit + "/rediger")
		want(t, "edit form", r, 200, "")
		if got := formClientID(t, r.body); got != "" {
			t.Errorf("the edit form carries a client id %q", got)
		}
		want(t, "edit", a.post(edit, form("ABCDEFGHIJKLMNOPQRSTUV", "3", "rettet")...), 303, "/dagbog?gemt=rettet")
		after, err := e.st.DiaryEntry(t.Context(), first.ID, e.userID("anna"))
		if err != nil {
			t.Fatal(err)
		}
		if after.ClientID != id || after.LegPain != 3 {
			t.Errorf("after the edit: %+v", after)
		}
	})
}

// TestDiaryFormDoubleTap: the same form sent 16 times at once (a double
// tap, retries crossing) is stored once, and every send is answered with
// the same redirect.
func TestDiaryFormDoubleTap(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		e := newEnv(t, open(t), nil)
		a := e.patientSince("anna", fixturesSince)
		id := formClientID(t, a.get("/dagbog/ny").body)
		body := url.Values{"client_id": {id}, "at": {"2026-03-02T18:05"}, "leg": {"4"}, "back": {"2"}, "note": {"dobbelt"}}.Encode()
		const sends = 16
		answers := make([]string, sends)
		var wg sync.WaitGroup
		for i := range sends {
			wg.Go(func() {
				req, err := http.NewRequest("POST", e.srv.URL+"/dagbog", strings.NewReader(body))
				if err != nil {
					answers[i] = err.Error()
					return
				}
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				res, err := a.c.Do(req)
				if err != nil {
					answers[i] = err.Error()
					return
				}
				res.Body.Close()
				answers[i] = res.Status + " " + res.Header.Get("Location")
			})
		}
		wg.Wait()
		for i, got := range answers {
			if got != "303 See Other /dagbog?gemt=ny" {
				t.Errorf("send %d: %s", i, got)
			}
		}
		if es := e.diaryEntries("anna"); len(es) != 1 || es[0].ClientID != id {
			t.Errorf("stored %+v, want one entry under %s", es, id)
		}
	})
}
