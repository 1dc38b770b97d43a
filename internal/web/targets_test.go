package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/store"
)

// targetsOf is userID's stored versions of targets, oldest first.
func targetsOf(t *testing.T, st *store.Store, userID int64) []store.Targets {
	t.Helper()
	ts, err := st.ListTargets(t.Context(), userID)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

const (
	upText     = "Du har haft en stabil uge"
	upButton   = "Ja, øg mine mål"
	downText   = "Skru lidt ned"
	downButton = "Ja, sæt mine mål ned"
	holdText   = "Behold dine nuværende mål"
)

// TestAcceptTargetUp: the rules say up → the patient accepts on /i-dag →
// the new target is stored and shown → the advice no longer says up, that
// day or the next; a second tap or a stale form changes nothing.
func TestAcceptTargetUp(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		e := newEnv(t, st, nil)
		c := e.signUp("bodil")
		id := userID(t, st, "bodil")
		seedPatient(t, st, id, e.clock.now(), 42, false)

		r := c.get("/i-dag")
		want(t, "today", r, 200, "")
		// Baseline: first symptoms after 200 s, so 3 minutes; 10 %, at
		// least 1 minute, up: 4.
		contains(t, "today before", r.body, upText, "gå 4 minutter pr. tur (før 3)", upButton,
			`action="/i-dag/maal"`, `name="raad" value="PROGRESS_TARGET_UP"`, `name="fra" value="0"`, "<strong>3 minutter</strong>")
		if got := targetsOf(t, st, id); len(got) != 0 {
			t.Fatalf("targets stored before any accept: %+v", got)
		}

		want(t, "accept", c.post("/i-dag/maal", "raad", "PROGRESS_TARGET_UP", "fra", "0"), 303, "/i-dag")
		got := targetsOf(t, st, id)
		if len(got) != 1 {
			t.Fatalf("%d versions stored, want 1", len(got))
		}
		tg := got[0]
		if tg.WalkMinutes != 4 || tg.SetBy != store.SetByRules || tg.Advice != "PROGRESS_TARGET_UP" || len(tg.Reps) != 0 ||
			care.DayIn(tg.At) != care.DayIn(e.clock.now()) {
			t.Errorf("stored targets %+v: want 4 minutes, set by the rules today", tg)
		}

		r = c.get("/i-dag")
		contains(t, "today after", r.body, targetsSaved, "<strong>4 minutter</strong>", holdText, "du har fået nye mål i dag")
		lacks(t, "today after", r.body, upText, upButton)
		if r = c.get("/i-dag"); strings.Contains(r.body, targetsSaved) {
			t.Error("the saved message shows twice")
		}

		// A second tap (the page's old form) and a replay with the new
		// version: nothing more is stored.
		want(t, "second tap", c.post("/i-dag/maal", "raad", "PROGRESS_TARGET_UP", "fra", "0"), 303, "/i-dag")
		contains(t, "after the second tap", c.get("/i-dag").body, targetsChanged)
		want(t, "replay", c.post("/i-dag/maal", "raad", "PROGRESS_TARGET_UP", "fra", fmt.Sprint(tg.ID)), 303, "/i-dag")
		contains(t, "after the replay", c.get("/i-dag").body, targetsStale)
		for _, f := range [][]string{
			{"raad", "TARGET_DOWN", "fra", fmt.Sprint(tg.ID)},
			{"raad", "HOLD_TARGET", "fra", fmt.Sprint(tg.ID)},
			{"raad", "", "fra", ""},
			{"raad", "PROGRESS_TARGET_UP", "fra", "x"},
		} {
			want(t, fmt.Sprint("form ", f), c.post("/i-dag/maal", f...), 303, "/i-dag")
		}
		if got := targetsOf(t, st, id); len(got) != 1 {
			t.Fatalf("%d versions stored after the repeats, want 1", len(got))
		}

		// The next day: still the new target, and no "up" (a stable week
		// at it is needed first).
		e.clock.add(24 * time.Hour)
		r = c.get("/i-dag")
		contains(t, "next day", r.body, "<strong>4 minutter</strong>", holdText, "i 1 dag")
		lacks(t, "next day", r.body, upText, upButton)
	})
}

// TestAcceptTargetDown: neurological symptoms on 2 of the last 7 days →
// TARGET_DOWN with a button → accepted, stored → that day and the next the
// symptom days that brought it no longer count, so the advice is to hold
// the new targets and no second step down is offered or stored → new
// symptoms at the lowered targets bring TARGET_DOWN back, with its button.
func TestAcceptTargetDown(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		e := newEnv(t, st, nil)
		c := e.signUp("bodil")
		id := userID(t, st, "bodil")
		now := e.clock.now()
		seedPatient(t, st, id, now, 42, true) // tingling today
		if _, err := st.AddDiaryEntry(t.Context(), store.DiaryEntry{UserID: id, At: now.AddDate(0, 0, -2), LegPain: 4, BackPain: 3, Burning: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SetTargets(t.Context(), store.Targets{UserID: id, At: now.AddDate(0, 0, -20), WalkMinutes: 10,
			Reps: map[string]int{"kattestraek": 8}, SetBy: store.SetByClinician}, 0); err != nil {
			t.Fatal(err)
		}
		prev := targetsOf(t, st, id)[0]

		r := c.get("/i-dag")
		contains(t, "today", r.body, downText, "gå 9 minutter pr. tur (før 10)", downButton, "<strong>10 minutter</strong>",
			fmt.Sprintf(`name="fra" value="%d"`, prev.ID))
		want(t, "accept", c.post("/i-dag/maal", "raad", "TARGET_DOWN", "fra", fmt.Sprint(prev.ID)), 303, "/i-dag")
		got := targetsOf(t, st, id)
		if len(got) != 2 || got[1].WalkMinutes != 9 || got[1].Reps["kattestraek"] != 7 || got[1].Advice != "TARGET_DOWN" || got[1].PrevID != prev.ID {
			t.Fatalf("stored versions %+v: want a second one, 9 minutes and 7 repetitions", got)
		}

		for _, when := range []string{"same day", "next day"} {
			r = c.get("/i-dag")
			contains(t, when, r.body, "<strong>9 minutter</strong>", holdText, "svaghed i benene den sidste uge")
			lacks(t, when, r.body, downText, downButton)
			want(t, when+": second step down", c.post("/i-dag/maal", "raad", "TARGET_DOWN", "fra", fmt.Sprint(got[1].ID)), 303, "/i-dag")
			contains(t, when+": second step down", c.get("/i-dag").body, targetsStale)
			if n := len(targetsOf(t, st, id)); n != 2 {
				t.Errorf("%s: %d versions after a second step down for the same symptoms, want 2", when, n)
			}
			e.clock.add(24 * time.Hour)
		}

		// Two days later, weakness again: with today's tingling on the
		// day of the step down, 2 neuro days at the new targets (the
		// burning before it does not count).
		if _, err := st.AddDiaryEntry(t.Context(), store.DiaryEntry{UserID: id, At: e.clock.now(), LegPain: 4, BackPain: 3, Weakness: true}); err != nil {
			t.Fatal(err)
		}
		r = c.get("/i-dag")
		contains(t, "new symptoms", r.body, downText, "på 2 af de sidste 7 dage", "gå 8 minutter pr. tur (før 9)", downButton,
			fmt.Sprintf(`name="fra" value="%d"`, got[1].ID))
		want(t, "accept again", c.post("/i-dag/maal", "raad", "TARGET_DOWN", "fra", fmt.Sprint(got[1].ID)), 303, "/i-dag")
		if got := targetsOf(t, st, id); len(got) != 3 || got[2].WalkMinutes != 8 || got[2].Reps["kattestraek"] != 6 {
			t.Errorf("stored versions %+v: want a third one, 8 minutes and 6 repetitions", got)
		}
	})
}

// TestTargetsIsolation: patient B never reads or changes A's targets: B's
// page shows B's own, and B's accepts (with A's version number or not)
// touch only B's.
func TestTargetsIsolation(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		e := newEnv(t, st, nil)
		e.signUp("patient-a")
		b := e.signUp("patient-b")
		idA, idB := userID(t, st, "patient-a"), userID(t, st, "patient-b")
		now := e.clock.now()
		seedPatient(t, st, idA, now, 42, false)
		seedPatient(t, st, idB, now, 42, false)
		ta, err := st.SetTargets(t.Context(), store.Targets{UserID: idA, At: now.AddDate(0, 0, -14), WalkMinutes: 17, SetBy: store.SetByClinician}, 0)
		if err != nil {
			t.Fatal(err)
		}

		r := b.get("/i-dag")
		lacks(t, "B's today", r.body, "17 minutter", fmt.Sprintf(`name="fra" value="%d"`, ta.ID))
		contains(t, "B's today", r.body, "<strong>3 minutter</strong>", upButton)
		want(t, "B with A's version", b.post("/i-dag/maal", "raad", "PROGRESS_TARGET_UP", "fra", fmt.Sprint(ta.ID)), 303, "/i-dag")
		want(t, "B's own accept", b.post("/i-dag/maal", "raad", "PROGRESS_TARGET_UP", "fra", "0"), 303, "/i-dag")

		if got := targetsOf(t, st, idA); len(got) != 1 || got[0].WalkMinutes != 17 || got[0].ID != ta.ID {
			t.Errorf("A's targets changed by B: %+v", got)
		}
		if got := targetsOf(t, st, idB); len(got) != 1 || got[0].WalkMinutes != 4 || got[0].PrevID != 0 {
			t.Errorf("B's targets = %+v, want B's own step up to 4 minutes", got)
		}
	})
}

// TestSyncSymptomKinds: the player's named symptoms are synced, stored and
// read by the rules; an old record without them still syncs; a kind the
// server does not know is left out rather than refused.
func TestSyncSymptomKinds(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		e := newEnv(t, open(t), nil)
		a := e.patientSince("anna", e.clock.now().AddDate(0, 0, -30)) // records an hour ago are on a day of the account's
		a.hdr = http.Header{"Sec-Fetch-Site": {"same-origin"}, "Origin": {e.srv.URL}}
		start := e.clock.now().Add(-time.Hour).UTC().Format(time.RFC3339)
		end := e.clock.now().Add(-40 * time.Minute).UTC().Format(time.RFC3339)
		rec := `{"clientId":"%s","programme":"5-bedste-oevelser","startedAt":"` + start + `","endedAt":"` + end + `",
"steps":[{"exercise":"knae-til-bryst","status":"done","symptoms":false},
{"exercise":"kattestraek","status":"skipped","symptoms":true%s}],"symptoms":1}`
		want(t, "new record", a.doJSON("/api/traening", fmt.Sprintf(rec, "k-1", `,"symptomKinds":["pain","tingling","itching","tingling"]`)), 201, "")
		want(t, "old record", a.doJSON("/api/traening", fmt.Sprintf(rec, "k-2", "")), 201, "")
		ts, err := e.st.ListTrainingSessions(t.Context(), e.userID("anna"), time.Time{}, time.Time{})
		if err != nil || len(ts) != 2 {
			t.Fatalf("sessions %v %v", ts, err)
		}
		byID := map[string]store.TrainingSession{ts[0].ClientID: ts[0], ts[1].ClientID: ts[1]}
		if k := byID["k-1"].Steps[1].SymptomKinds; !slices.Equal(k, []string{"tingling", "pain"}) {
			t.Errorf("stored kinds %v, want [tingling pain]", k)
		}
		if k := byID["k-2"].Steps[1].SymptomKinds; k != nil || !byID["k-2"].Steps[1].Symptoms {
			t.Errorf("old record's step %+v: want symptoms without kinds", byID["k-2"].Steps[1])
		}
		u, _ := e.st.UserByID(t.Context(), e.userID("anna"))
		p, err := e.app.care.Load(t.Context(), &u)
		if err != nil {
			t.Fatal(err)
		}
		var got [][]string
		for _, s := range p.History.Sessions {
			got = append(got, s.Symptoms)
		}
		if fmt.Sprint(got) != "[[tingling] [weakness]]" && fmt.Sprint(got) != "[[weakness] [tingling]]" {
			t.Errorf("the rules read %v, want tingling for the new record and weakness for the old", got)
		}
		// Exported as JSON.
		r := a.get("/mine-data/eksport.json")
		want(t, "export", r, 200, "")
		if compact := strings.Join(strings.Fields(r.body), ""); !strings.Contains(compact, `"symptomKinds":["tingling","pain"]`) {
			t.Errorf("the JSON export lacks the kinds: %.400s", r.body)
		}
	})
}
