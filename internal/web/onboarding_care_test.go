package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/progress"
	"github.com/stenose/stenose/internal/store"
)

// allNo is a red-flag form with every question answered no, then the
// given overrides (key, "ja", …).
func allNo(kv ...string) []string {
	var out []string
	over := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		over[kv[i]] = kv[i+1]
	}
	for _, q := range questions {
		ans := "nej"
		if v, ok := over[q.Key]; ok {
			ans = v
		}
		out = append(out, q.Key, ans)
	}
	return out
}

func userID(t *testing.T, st *store.Store, login string) int64 {
	t.Helper()
	u, err := st.UserByLogin(t.Context(), login)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

func lacks(t *testing.T, what, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(body, s) {
			t.Errorf("%s: body has %q", what, s)
		}
	}
}

const regNote = "Vejledning, ikke en diagnose"

// todaySession is the link to the programme's session on today's page.
const todaySession = "/program/5-bedste-oevelser/traening"

// TestOnboardingCare: sign up → red flags with a cauda equina yes → urgent
// advice stored and today paused → confirm examined → baseline → today;
// the weekly re-check after 7 days on the clock; a doctor-assessed flag
// carried over to the next check-in.
func TestOnboardingCare(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		e := newEnv(t, st, nil)
		c := e.signUp("anna")
		id := userID(t, st, "anna")
		ctx := t.Context()

		want(t, "/start without a check-in", c.get("/start"), 303, "/start/roede-flag")
		want(t, "/i-dag without a check-in", c.get("/i-dag"), 303, "/start/roede-flag")
		want(t, "baseline before the red flags", c.get("/start/udgangspunkt"), 303, "/start/roede-flag")
		r := c.get("/start/roede-flag")
		want(t, "red-flag form", r, 200, "")
		contains(t, "red-flag form", r.body, regNote, `action="/start/roede-flag"`, careCSSPath)
		for _, q := range questions {
			contains(t, "red-flag form", r.body, template.HTMLEscapeString(q.Text), `id="`+q.Key+`-ja"`, `id="`+q.Key+`-nej"`)
		}
		// A missing answer: beside its question, what was answered kept.
		r = c.post("/start/roede-flag", "bladder", "nej", "fever", "ja")
		want(t, "incomplete red flags", r, 422, "")
		contains(t, "incomplete red flags", r.body, `id="saddle_numbness-error"`, `href="#bowel-ja"`, `value="nej" checked`, `value="ja" checked`)
		if cs, _ := st.ListRedFlagCheckins(ctx, id); len(cs) != 0 {
			t.Fatalf("an incomplete screen was stored: %+v", cs)
		}

		// A cauda equina sign: urgent, stored, the programme paused.
		want(t, "red flag yes", c.post("/start/roede-flag", allNo("saddle_numbness", "ja")...), 303, "/i-dag")
		cs, err := st.ListRedFlagCheckins(ctx, id)
		if err != nil || len(cs) != 1 || !cs[0].Urgent || !cs[0].Answers["saddle_numbness"] || cs[0].Answers["fever"] || len(cs[0].Answers) != len(questions) {
			t.Fatalf("stored check-ins %+v %v", cs, err)
		}
		r = c.get("/i-dag")
		want(t, "paused today", r, 200, "")
		// One route, said once: the heading and the list with the region's
		// numbers, every number a link (the built-in clinic is in Region
		// Hovedstaden: 1813); the advice's text does not say it again in
		// other words.
		contains(t, "paused today", r.body, "<h2 id=\"haster\">Ring til din egen læge nu</h2>", "Stop træningen. Fortæl, hvad du har svaret.",
			`Uden for lægens åbningstid: ring til Akuttelefonen på <span class="nowrap"><a class="tel" href="tel:1813">1813</a>.</span>`,
			`Ved livsfare: ring <span class="nowrap"><a class="tel" href="tel:112">112</a>.</span>`, "gule sundhedskort",
			"Du har svaret ja til", "Kilde", "BMJ Best Practice", regNote, `href="/start/undersoegt"`)
		lacks(t, "paused today", r.body, todaySession, "Det skal du i dag", "skadestue", "hvis det haster", "lægevagten")
		want(t, "/start while paused", c.get("/start"), 303, "/i-dag")
		want(t, "baseline while paused", c.get("/start/udgangspunkt"), 303, "/i-dag")
		want(t, "baseline posted while paused", c.post("/start/udgangspunkt", "first", "3:15", "stop", "6:30", "leg", "6", "back", "4"), 303, "/i-dag")

		// Confirming needs the day, who and the box ticked
		// (TestExaminedForm has every refusal).
		want(t, "examined form", c.get("/start/undersoegt"), 200, "")
		r = c.post("/start/undersoegt")
		want(t, "examined unticked", r, 422, "")
		contains(t, "examined unticked", r.body, `id="undersoegt-error"`, `id="dato-error"`, `id="hvem-error"`)
		today := care.DayIn(e.clock.now()).String()
		want(t, "examined", c.post("/start/undersoegt", "dato", today, "hvem", "own_doctor", "undersoegt", "ja"), 303, "/start/udgangspunkt")
		cs, _ = st.ListRedFlagCheckins(ctx, id)
		if cs[0].ExaminedAt.IsZero() || cs[0].Examination != (store.Examination{On: today, By: store.ExaminedByOwnDoctor}) {
			t.Fatalf("ConfirmExamined not stored: %+v", cs[0])
		}
		want(t, "/start after the examination", c.get("/start"), 303, "/start/udgangspunkt")
		want(t, "/i-dag without a baseline", c.get("/i-dag"), 303, "/start/udgangspunkt")

		// The baseline.
		r = c.get("/start/udgangspunkt")
		want(t, "baseline form", r, 200, "")
		contains(t, "baseline form", r.body, "30 minutter", `href="/gang?gangtest=1"`, "Start gangtesten", regNote)
		r = c.post("/start/udgangspunkt", "first", "7:00", "stop", "6:30", "leg", "11", "back", "")
		want(t, "bad baseline", r, 422, "")
		contains(t, "bad baseline", r.body, append(timeValues("first", "7", "0", "stop", "6", "30"), `id="first-error"`, `id="leg-error"`, `id="back-error"`)...)
		if got := checkedPain(r.body, "leg"); got != "" { // 11 is not on the scale
			t.Errorf("bad baseline: leg %q checked", got)
		}
		if _, err := st.LatestBaseline(ctx, id); err == nil {
			t.Fatal("a bad baseline was stored")
		}
		want(t, "baseline", c.post("/start/udgangspunkt", "first", "3:15", "stop", "6:30", "leg", "6", "back", "4"), 303, "/start")
		b, err := st.LatestBaseline(ctx, id)
		if err != nil || b.SPWTFirstSymptomsSeconds == nil || *b.SPWTFirstSymptomsSeconds != 195 || b.SPWTStopSeconds != 390 || b.NRSLeg != 6 || b.NRSBack != 4 {
			t.Fatalf("baseline %+v %v", b, err)
		}

		// The patient's own activities (the PSFS), then today.
		want(t, "/start after the baseline", c.get("/start"), 303, psfsStartPath)
		want(t, "PSFS", c.post(psfsStartPath, "aktivitet1", "gå til bageren", "point1", "3"), 303, "/start")

		// Today: the session, the walking target (3 minutes: the baseline's
		// time to first symptoms), the rules' advice.
		r = c.get("/i-dag")
		want(t, "today", r, 200, "")
		contains(t, "today", r.body, todaySession, "<strong>3 minutter</strong>", regNote, "Behold dine nuværende mål", "Kilde")
		lacks(t, "today", r.body, "Ring 112", "Ugens tjek")
		want(t, "/start when done", c.get("/start"), 303, "/i-dag")

		// The weekly re-check: not after 6 days, due after 7.
		e.clock.add(6 * 24 * time.Hour)
		lacks(t, "today after 6 days", c.get("/i-dag").body, "Ugens tjek")
		e.clock.add(24 * time.Hour)
		r = c.get("/i-dag")
		contains(t, "today after 7 days", r.body, "Ugens tjek for faresignaler", `href="/start/roede-flag"`)
		want(t, "/start after 7 days", c.get("/start"), 303, "/start/roede-flag")
		want(t, "weekly check", c.post("/start/roede-flag", allNo()...), 303, "/start")
		want(t, "/start after the weekly check", c.get("/start"), 303, "/i-dag")
		lacks(t, "today after the weekly check", c.get("/i-dag").body, "Ugens tjek", "Ring 112")

		// Another flag: own doctor first; once examined, the same flag in the
		// next check-in does not pause the programme again, a new one does.
		want(t, "cancer yes", c.post("/start/roede-flag", allNo("cancer_history", "ja")...), 303, "/i-dag")
		r = c.get("/i-dag")
		// Not the urgent route: a doctor before training, and why.
		contains(t, "other flag", r.body, `class="advice doctor"`, "Tal med din egen læge, før du træner",
			"bør undersøge dig, før du træner, fordi smerterne i sjældne tilfælde kan have en anden årsag", "NBK52120")
		lacks(t, "other flag", r.body, "Ring til din egen læge nu", "tel:112", "tel:1813", todaySession)
		want(t, "examined again", c.post("/start/undersoegt", "dato", care.DayIn(e.clock.now()).String(), "hvem", "other", "hvem-andet", "Onkolog på Herlev", "undersoegt", "ja"), 303, "/i-dag")
		contains(t, "the examination recorded", c.get("/i-dag").body, "Tak. Vi har gemt, at Onkolog på Herlev undersøgte dig den ")
		e.clock.add(7 * 24 * time.Hour)
		want(t, "cancer yes, examined", c.post("/start/roede-flag", allNo("cancer_history", "ja")...), 303, "/start")
		contains(t, "today, cancer examined", c.get("/i-dag").body, todaySession)
		want(t, "fever new", c.post("/start/roede-flag", allNo("cancer_history", "ja", "fever", "ja")...), 303, "/i-dag")
		lacks(t, "today, fever new", c.get("/i-dag").body, todaySession)
		cs, _ = st.ListRedFlagCheckins(ctx, id)
		if got := len(cs); got != 5 || cs[3].Urgent || !cs[4].Urgent {
			t.Errorf("check-ins: %d, urgent %v %v", got, cs[3].Urgent, cs[4].Urgent)
		}
	})
}

// seedPatient gives the patient login 6 weeks of history up to now: a
// baseline, a clear check-in, diary entries, walks and sessions; leg pain
// falls from 6 to 3 and the time to first symptoms rises.
func seedPatient(t testing.TB, st *store.Store, id int64, now time.Time, days int, tingling bool) {
	t.Helper()
	ctx := t.Context()
	start := now.AddDate(0, 0, -days)
	first := 200
	if _, err := st.AddBaseline(ctx, store.Baseline{UserID: id, At: start, SPWTFirstSymptomsSeconds: &first, SPWTStopSeconds: 400, NRSLeg: 6, NRSBack: 4}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddRedFlagCheckin(ctx, store.RedFlagCheckin{UserID: id, At: now.Add(-time.Hour), Answers: map[string]bool{"fever": false}}); err != nil {
		t.Fatal(err)
	}
	for d := 0; d <= days; d++ {
		at := start.AddDate(0, 0, d)
		frac := float64(d) / float64(max(1, days))
		leg := 6 - int(3*frac+0.5)
		if _, err := st.AddDiaryEntry(ctx, store.DiaryEntry{UserID: id, At: at, LegPain: leg, BackPain: 3, Tingling: tingling && d == days}); err != nil {
			t.Fatal(err)
		}
		fs := 200 + int(200*frac)
		ws := []store.Bout{{WalkSeconds: fs + 60, PauseSeconds: 90, FirstSymptomsSeconds: &fs}, {WalkSeconds: 300, PauseSeconds: 0}}
		cid := at.Format(time.RFC3339)
		if _, _, err := st.AddWalk(ctx, store.Walk{UserID: id, ClientID: "w" + cid, StartedAt: at, EndedAt: at.Add(15 * time.Minute), Bouts: ws}); err != nil {
			t.Fatal(err)
		}
		if d%2 == 0 {
			steps := []store.SessionStep{{Exercise: "cykling", Done: true}, {Exercise: "knae-til-bryst", Done: true}, {Exercise: "kattestraek", Done: true}}
			// 10 minutes: today's session, begun now, may not end after now
			// and the rules' clock skew (15 minutes).
			if _, _, err := st.AddTrainingSession(ctx, store.TrainingSession{UserID: id, ClientID: "s" + cid, Programme: care.DefaultProgramme, StartedAt: at, EndedAt: at.Add(10 * time.Minute), Steps: steps}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestTodayAndProgressCare: the rules' advice with its source, and the
// progress page's sentences and charts for a seeded history.
func TestTodayAndProgressCare(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		e := newEnv(t, st, nil)
		c := e.signUp("bodil")
		id := userID(t, st, "bodil")
		now := e.clock.now()
		seedPatient(t, st, id, now, 42, true)

		r := c.get("/i-dag")
		want(t, "today", r, 200, "")
		contains(t, "today", r.body, "Du har meldt snurren i benene i dag", "Vigtigt", "<summary>Kilde</summary>", `href="/blog/5-bedste-oevelser-til-spinalstenose"`,
			"Artiklen »5 bedste øvelser til spinalstenose«, afsnittet »Hvad skal man være opmærksom på under træning med spinalstenose«", regNote, todaySession)

		u, _ := st.UserByID(t.Context(), id)
		p, err := e.app.care.Load(t.Context(), &u)
		if err != nil {
			t.Fatal(err)
		}
		rep := progress.Compute(p.History, p.AsOf, progressWeeks)
		sentences := rep.Sentences("da")
		if len(rep.Changes) == 0 {
			t.Fatalf("the seeded history gives no change: %v", sentences)
		}
		r = c.get("/fremskridt")
		want(t, "progress", r, 200, "")
		for _, s := range sentences {
			contains(t, "progress", r.body, "<li>"+template.HTMLEscapeString(s)+"</li>")
		}
		contains(t, "progress", r.body, regNote, "Gangtid til de første symptomer pr. uge", "Minutter gået pr. dag", "Minutter gået pr. uge",
			"Smerter i benene pr. uge", "Smerter i ryggen pr. uge", "Træninger pr. uge", `role="img"`, `<table class="chart-data">`, "<summary>Se tallene</summary>")
		if n := strings.Count(r.body, `<figure class="chart">`); n != 6 {
			t.Errorf("progress: %d figures, want 6", n)
		}
		if !strings.Contains(strings.Join(sentences, " "), "længere") {
			t.Errorf("sentences do not say the walking time grew: %v", sentences)
		}
	})
}

// TestCareIsolation: patient A never sees or changes B's check-ins,
// baseline, advice or progress.
func TestCareIsolation(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		e := newEnv(t, st, nil)
		a := e.signUp("patient-a")
		b := e.signUp("patient-b")
		idA, idB := userID(t, st, "patient-a"), userID(t, st, "patient-b")
		seedPatient(t, st, idB, e.clock.now(), 42, true)
		// B answers yes to a cauda equina sign: B is paused, A is not.
		want(t, "B red flag", b.post("/start/roede-flag", allNo("bladder", "ja")...), 303, "/i-dag")
		want(t, "A red flags", a.post("/start/roede-flag", allNo()...), 303, "/start")
		want(t, "A goes on to the baseline", a.get("/start"), 303, "/start/udgangspunkt")
		want(t, "A baseline", a.post("/start/udgangspunkt", "ingen", "ja", "stop", "30:00", "leg", "1", "back", "2"), 303, "/start")

		ra := a.get("/i-dag")
		want(t, "A today", ra, 200, "")
		lacks(t, "A today", ra.body, "Ring 112", "snurren i benene i dag", "patient-b")
		contains(t, "A today", ra.body, "<strong>30 minutter</strong>")
		rb := b.get("/i-dag")
		contains(t, "B today", rb.body, "Ring til din egen læge nu")
		lacks(t, "B today", rb.body, "patient-a")

		// A's confirmation does not clear B's check-in.
		want(t, "A examined", a.post("/start/undersoegt", "dato", care.DayIn(e.clock.now()).String(), "hvem", "own_doctor", "undersoegt", "ja"), 303, "/start")
		cs, _ := st.ListRedFlagCheckins(t.Context(), idB)
		for _, c := range cs {
			if c.Answers["bladder"] && !c.ExaminedAt.IsZero() {
				t.Error("A's confirmation cleared B's check-in")
			}
		}
		contains(t, "B still paused", b.get("/i-dag").body, "Ring til din egen læge nu")
		if bs, _ := st.ListBaselines(t.Context(), idB); len(bs) != 1 {
			t.Errorf("B has %d baselines", len(bs))
		}
		if bs, _ := st.ListBaselines(t.Context(), idA); len(bs) != 1 || bs[0].SPWTFirstSymptomsSeconds != nil || bs[0].SPWTStopSeconds != 1800 {
			t.Errorf("A's baselines %+v", bs)
		}

		// Progress: A has no data; B's sentences are B's.
		pa := a.get("/fremskridt").body
		contains(t, "A progress", pa, "Der er endnu for få målinger")
		pb := b.get("/fremskridt").body
		lacks(t, "B progress", pb, "Der er endnu for få målinger", "patient-a")
		lacks(t, "A progress", pa, "patient-b", "længere, før symptomerne")
	})
}

// TestCareRoutesAccess walks the care routes as anonymous (sent to sign
// in), clinician and admin (403) and a patient (allowed).
func TestCareRoutesAccess(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		e := newEnv(t, st, nil)
		e.signUp("pat")
		for _, login := range []string{"klinik", "admin"} {
			e.signUp(login)
		}
		if err := st.SetRole(t.Context(), userID(t, st, "klinik"), store.RoleClinician); err != nil {
			t.Fatal(err)
		}
		if err := st.SetRole(t.Context(), userID(t, st, "admin"), store.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		var a app
		// The onboarding, today and progress pages' routes (the table's
		// group of them, without /i-dag/maal: TestAcceptTargets).
		var routes []route
		for _, rt := range a.table() {
			_, path, _ := strings.Cut(rt.pattern, " ")
			if path == careCSSPath || strings.HasPrefix(path, "/start") || path == psfsStatusPath || path == "/i-dag" || path == "/fremskridt" {
				routes = append(routes, rt)
			}
		}
		if len(routes) != 14 {
			t.Fatalf("%d care routes", len(routes))
		}
		for _, rt := range routes {
			method, path, _ := strings.Cut(rt.pattern, " ")
			if path == careCSSPath {
				r := e.client().get(path)
				want(t, "care.css", r, 200, "")
				if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") || !strings.Contains(r.body, ".reg-note") || !strings.Contains(r.body, ".error-summary") {
					t.Errorf("care.css: %q", ct)
				}
				continue
			}
			if rt.access != Patient {
				t.Errorf("%s: access %s, want patient", rt.pattern, rt.access)
			}
			do := func(c *client) resp {
				if method == "POST" {
					return c.do("POST", path, url.Values{})
				}
				return c.get(path)
			}
			r := do(e.client())
			wantLoc := "/konto/log-ind"
			if method == "GET" {
				wantLoc += "?naeste=" + url.QueryEscape(path)
			}
			want(t, rt.pattern+" anonymous", r, http.StatusSeeOther, wantLoc)
			for _, login := range []string{"klinik", "admin"} {
				want(t, rt.pattern+" as "+login, do(e.signIn(login, goodPW)), http.StatusForbidden, "")
			}
			r = do(e.signIn("pat", goodPW))
			if r.status == http.StatusForbidden || r.status >= 500 || strings.HasPrefix(r.location(), "/konto/log-ind") {
				t.Errorf("%s as a patient: %d %s", rt.pattern, r.status, r.location())
			}
		}
	})
}

// TestBaselinePrefill: walk mode's walking-test link pre-fills the baseline
// form only with values that fit the form; anything else gives the empty
// form, never an error.
func TestBaselinePrefill(t *testing.T) {
	tests := []struct {
		name, query string
		first, stop int // first -1: no symptoms marked
		ok          bool
	}{
		{"both", "foerste=195&stop=390", 195, 390, true},
		{"symptoms at once", "foerste=0&stop=5", 0, 5, true},
		{"symptoms at the stop", "foerste=390&stop=390", 390, 390, true},
		{"the ceiling", "foerste=1799&stop=1800", 1799, 1800, true},
		{"no symptoms marked", "stop=1800&ingen=ja", -1, 1800, true},
		{"padded", "foerste=0060&stop=0120", 60, 120, true},
		{"nothing", "", 0, 0, false},
		{"only the first", "foerste=195", 0, 0, false},
		{"no first, no ingen", "stop=390", 0, 0, false},
		{"first after the stop", "foerste=391&stop=390", 0, 0, false},
		{"stop zero", "foerste=0&stop=0", 0, 0, false},
		{"stop over 30 min", "foerste=100&stop=1801", 0, 0, false},
		{"huge", "foerste=195&stop=99999999999999999999", 0, 0, false},
		{"five digits", "foerste=195&stop=00390", 0, 0, false},
		{"negative stop", "foerste=1&stop=-390", 0, 0, false},
		{"negative first", "foerste=-1&stop=390", 0, 0, false},
		{"plus sign", "foerste=%2B1&stop=390", 0, 0, false},
		{"minutes:seconds", "foerste=3:15&stop=6:30", 0, 0, false},
		{"decimal", "foerste=1.5&stop=390", 0, 0, false},
		{"garbage", "foerste=abc&stop=%3Cscript%3E", 0, 0, false},
		{"empty values", "foerste=&stop=", 0, 0, false},
		{"twice", "foerste=195&stop=390&stop=400", 0, 0, false},
		{"ingen and first", "foerste=195&stop=390&ingen=ja", 0, 0, false},
		{"ingen not ja", "stop=390&ingen=1", 0, 0, false},
		{"spaces", "foerste=%20195&stop=390", 0, 0, false},
	}
	for _, tt := range tests {
		q, err := url.ParseQuery(tt.query)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		first, stop, ok := baselinePrefill(q)
		if first != tt.first || stop != tt.stop || ok != tt.ok {
			t.Errorf("%s (%q): %d %d %v; want %d %d %v", tt.name, tt.query, first, stop, ok, tt.first, tt.stop, tt.ok)
		}
		// What pre-fills the form, the form takes back as the same seconds.
		if ok {
			form := map[string]string{}
			setTime(form, "stop", stop)
			if first >= 0 {
				setTime(form, "first", first)
			}
			posted := url.Values{}
			for k, v := range form {
				posted.Set(k, v)
			}
			if s, st, _, _ := readTime(posted, "stop"); st != timeOK || s != stop {
				t.Errorf("%s: stop %q does not read back as %d s", tt.name, form, stop)
			}
			if f, st, _, _ := readTime(posted, "first"); first >= 0 && (st != timeOK || f != first) {
				t.Errorf("%s: first %q does not read back as %d s", tt.name, form, first)
			}
		}
	}
}

// TestBaselineFromWalkingTest: the walking test's link pre-fills the form
// (also through sign-in for a patient who was signed out), garbage gives
// the plain form, the patient submits with pain scores, and the test walk
// synced from walk mode is saved like any walk.
func TestBaselineFromWalkingTest(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		e := newEnv(t, st, nil)
		c := e.signUp("anna")
		id := userID(t, st, "anna")
		want(t, "red flags", c.post("/start/roede-flag", allNo()...), 303, "/start")

		const link = "/start/udgangspunkt?foerste=195&stop=390"
		const note = "Tiderne fra gangtesten er sat ind"
		r := c.get(link)
		want(t, "prefilled", r, 200, "")
		contains(t, "prefilled", r.body, append(timeValues("first", "3", "15", "stop", "6", "30"), note, `role="status"`, `href="/gang?gangtest=1"`)...)
		lacks(t, "prefilled", r.body, `value="ja" checked`, "Start gangtesten", `class="error-summary"`, `aria-invalid`)

		r = c.get("/start/udgangspunkt?stop=1800&ingen=ja")
		want(t, "prefilled, no symptoms", r, 200, "")
		contains(t, "prefilled, no symptoms", r.body, append(timeValues("first", "", "", "stop", "30", "0"), `value="ja" checked`, note)...)

		for _, q := range []string{"foerste=391&stop=390", "foerste=-5&stop=390", "foerste=195&stop=99999", "foerste=%3Cb%3E&stop=%22%3E%3Cscript%3E", "stop=abc&ingen=ja"} {
			r = c.get("/start/udgangspunkt?" + q)
			want(t, "ignored "+q, r, 200, "")
			contains(t, "ignored "+q, r.body, `value=""`, "Start gangtesten")
			contains(t, "ignored "+q, r.body, timeValues("first", "", "", "stop", "", "")...)
			lacks(t, "ignored "+q, r.body, note, "<script>", `aria-invalid`, `class="error-summary"`)
		}

		// Signed out: the link goes through sign-in and back to the filled form.
		anon := e.client()
		want(t, "anonymous link", anon.get(link), 303, "/konto/log-ind?naeste="+url.QueryEscape(link))
		r = anon.get("/konto/log-ind?naeste=" + url.QueryEscape(link))
		want(t, "sign-in form", r, 200, "")
		contains(t, "sign-in form", r.body, `name="naeste" value="`+template.HTMLEscapeString(link)+`"`)
		want(t, "sign in", anon.post("/konto/log-ind", "login", "anna", "password", goodPW, "naeste", link), 303, link)
		contains(t, "prefilled after sign-in", anon.get(link).body, append(timeValues("first", "3", "15", "stop", "6", "30"), note)...)

		// The patient submits the pre-filled times with the pain scores.
		want(t, "baseline", anon.post("/start/udgangspunkt", "first", "3:15", "stop", "6:30", "leg", "6", "back", "4"), 303, "/start")
		b, err := st.LatestBaseline(t.Context(), id)
		if err != nil || b.SPWTFirstSymptomsSeconds == nil || *b.SPWTFirstSymptomsSeconds != 195 || b.SPWTStopSeconds != 390 || b.NRSLeg != 6 || b.NRSBack != 4 {
			t.Fatalf("baseline %+v %v", b, err)
		}

		// The test walk as walk.js keeps and syncs it: one bout, the first
		// symptoms inside it, test "spwt" (not read by the server). Walked
		// today: the rules refuse a walk from before the account was made.
		walked := e.clock.now().UTC()
		walk := `{"clientId":"test-walk","startedAt":"` + walked.Format(time.RFC3339) + `","endedAt":"` + walked.Add(390*time.Second).Format(time.RFC3339) +
			`","bouts":[{"walkSeconds":390,"pauseSeconds":0,"firstSymptomsSeconds":195}],"walkSeconds":390,"pauseSeconds":0,"firstSymptomsSeconds":195,"test":"spwt"}`
		want(t, "test walk synced", anon.doJSON("/api/gang", walk), 201, "")
		ws, err := st.ListWalks(t.Context(), id, time.Time{}, time.Time{})
		if err != nil || len(ws) != 1 || ws[0].WalkSeconds() != 390 || ws[0].PauseSeconds() != 0 || ws[0].FirstSymptomsSeconds() == nil || *ws[0].FirstSymptomsSeconds() != 195 {
			t.Fatalf("stored walks %+v %v", ws, err)
		}
	})
}
