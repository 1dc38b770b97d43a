package web

import (
	"html/template"
	"slices"
	"strings"
	"testing"

	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

// psfsForm is the PSFS form's fields: name, score pairs for the rows 1, 2,
// 3 ("" leaves a field empty).
func psfsForm(pairs ...string) []string {
	var out []string
	for i := 0; i+1 < len(pairs); i += 2 {
		n := string(rune('1' + i/2))
		out = append(out, "aktivitet"+n, pairs[i], "point"+n, pairs[i+1])
	}
	return out
}

func psfsOf(t *testing.T, st *store.Store, id int64) []store.PSFS {
	t.Helper()
	ps, err := st.ListPSFS(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// esc is s as html/template writes it in a page.
func esc(s string) string { return template.HTMLEscapeString(s) }

// TestPSFSOnboarding: after the baseline, /start leads to the patient's own
// activities; the form refuses what the rules refuse, in words beside the
// field, keeping everything typed; a valid scoring is stored and /start
// goes on to today; the step is not offered twice.
func TestPSFSOnboarding(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		e := newEnv(t, st, nil)
		c := e.signUp("anna")
		id := userID(t, st, "anna")

		want(t, "PSFS before the red flags", c.get(psfsStartPath), 303, "/start/roede-flag")
		want(t, "red flags", c.post("/start/roede-flag", allNo()...), 303, "/start")
		want(t, "PSFS before the baseline", c.get(psfsStartPath), 303, "/start/udgangspunkt")
		want(t, "PSFS posted before the baseline", c.post(psfsStartPath, psfsForm("gå til bageren", "3")...), 303, "/start/udgangspunkt")
		want(t, "baseline", c.post("/start/udgangspunkt", "first", "3:15", "stop", "6:30", "leg", "6", "back", "4"), 303, "/start")
		want(t, "/start after the baseline", c.get("/start"), 303, psfsStartPath)

		r := c.get(psfsStartPath)
		want(t, "PSFS form", r, 200, "")
		contains(t, "PSFS form", r.body, "<h1>Dine egne aktiviteter</h1>", regNote, `action="/start/aktiviteter"`, careCSSPath,
			`id="aktivitet1"`, `id="point1"`, `id="aktivitet3"`, `id="point3"`, "gå til bageren", "Aktivitet 2 <span class=\"optional\">(valgfrit)</span>",
			`<fieldset class="scale" aria-describedby="point1-ends">`, "<legend>Hvor godt kan du gøre det i dag?</legend>",
			`<input id="point1" type="radio" name="point1" value="0" required>`, `<input id="point3-10" type="radio" name="point3" value="10">`,
			`<span>0 = kan slet ikke</span> <span>10 = som før</span>`, "Stratford 1995")
		lacks(t, "PSFS form", r.body, "<select", "<option", `-none"`, "Intet tal")
		if n := strings.Count(r.body, `type="radio" name="point`); n != 3*11 {
			t.Errorf("PSFS form: %d radio buttons, want 3 × 11", n)
		}
		if n := strings.Count(r.body, `value="0" required>`); n != 1 { // row 1's scale; rows 2 and 3 are optional
			t.Errorf("PSFS form: %d scales required, want 1", n)
		}

		// Nothing: at least one activity, beside the first.
		r = c.post(psfsStartPath, psfsForm("", "", "  ", "", "", "")...)
		want(t, "PSFS empty", r, 422, "")
		contains(t, "PSFS empty", r.body, `id="aktivitet1-error"`, "Skriv mindst én aktivitet.", `href="#aktivitet1"`, `aria-invalid="true"`)

		// A score missing, a name twice (the rules' words), a score without
		// a name, a name too long; what was typed is kept.
		long := strings.Repeat("gå", 40) + "!" // 81 characters
		r = c.post(psfsStartPath, psfsForm("Gå til bageren", "", "gå til bageren", "4", "", "7")...)
		want(t, "PSFS invalid", r, 422, "")
		contains(t, "PSFS invalid", r.body,
			`id="point1-error"`, "Vælg et tal fra 0 til 10 for, hvor godt du kan gøre det i dag.",
			`id="aktivitet2-error"`, esc(`"gå til bageren" står der to gange.`),
			`id="aktivitet3-error"`, esc("Skriv, hvilken aktivitet tallet gælder – eller vælg »Intet tal«."),
			`value="Gå til bageren"`, `value="gå til bageren"`, `<input id="point2-4" type="radio" name="point2" value="4" checked>`, `<input id="point3-7" type="radio" name="point3" value="7" checked>`,
			// A number without its activity can be taken back: "Intet tal".
			`<input id="point3-none" type="radio" name="point3" value=""> Intet tal</label>`,
			`href="#point1"`, `href="#aktivitet2"`, `href="#aktivitet3"`, "Ret disse 3 ting")
		if n := strings.Count(r.body, "Intet tal</label>"); n != 1 { // "Intet tal" sends point3="": an empty row, left out (below)
			t.Errorf("PSFS invalid: %d choices of no number, want 1 (row 3's)", n)
		}
		r = c.post(psfsStartPath, psfsForm(long, "5", "stå og lave mad", "11")...)
		want(t, "PSFS too long", r, 422, "")
		contains(t, "PSFS too long", r.body, `id="aktivitet1-error"`, "81 tegn er mere end 80.", `id="point2-error"`, "11 er uden for 0–10.")
		r = c.post(psfsStartPath, psfsForm("gå", "x")...)
		contains(t, "PSFS score not a number", r.body, `id="point1-error"`, "Vælg et tal fra 0 til 10.")
		if ps := psfsOf(t, st, id); len(ps) != 0 {
			t.Fatalf("a refused scoring was stored: %+v", ps)
		}

		// Valid: rows 1 and 3 (an empty row between is left out).
		want(t, "PSFS", c.post(psfsStartPath, psfsForm(" Gå til bageren ", "3", "", "", "Stå og lave mad", "4")...), 303, "/start")
		ps := psfsOf(t, st, id)
		if len(ps) != 1 || len(ps[0].Activities) != 2 || ps[0].Activities[0] != (store.PSFSActivity{Name: "Gå til bageren", Score: 3}) ||
			ps[0].Activities[1] != (store.PSFSActivity{Name: "Stå og lave mad", Score: 4}) || !ps[0].At.Equal(e.clock.now()) {
			t.Fatalf("stored %+v", ps)
		}
		want(t, "/start when done", c.get("/start"), 303, "/i-dag")
		want(t, "PSFS again", c.get(psfsStartPath), 303, "/i-dag")
		want(t, "PSFS posted again", c.post(psfsStartPath, psfsForm("gå", "5")...), 303, "/i-dag")
		if ps := psfsOf(t, st, id); len(ps) != 1 {
			t.Errorf("%d scorings after posting the onboarding step again", len(ps))
		}
		want(t, "today", c.get("/i-dag"), 200, "")

		// The rules read it: the history has the scoring, on today's day.
		u, _ := st.UserByID(t.Context(), id)
		p, err := e.app.care.Load(t.Context(), &u)
		if err != nil {
			t.Fatal(err)
		}
		wantH := []rules.PSFS{{Date: care.DayIn(e.clock.now()), Activities: []rules.Activity{{Name: "Gå til bageren", Score: 3}, {Name: "Stå og lave mad", Score: 4}}}}
		if len(p.History.PSFS) != 1 || p.History.PSFS[0].Date != wantH[0].Date || len(p.History.PSFS[0].Activities) != 2 || p.History.PSFS[0].Activities[1] != wantH[0].Activities[1] {
			t.Errorf("History.PSFS = %+v, want %+v", p.History.PSFS, wantH)
		}

		// Progress: one scoring, a row in the table, no sentence yet.
		r = c.get("/fremskridt")
		contains(t, "progress", r.body, `<h2 id="aktiviteter">Dine egne aktiviteter</h2>`, "Gå til bageren: 3<br>Stå og lave mad: 4", "<td>3,5</td>")
		lacks(t, "progress", r.body, "Dine egne aktiviteter: fra")
	})
}

// TestPSFSStatus: at the 4-week status consultation /i-dag links to /status,
// which has the last scoring's activities filled in; the new scoring is
// checked, stored, and the progress page compares it with the first. The
// export has it. Another patient sees none of it.
func TestPSFSStatus(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		e := newEnv(t, st, nil)
		c := e.signUp("bodil")
		id := userID(t, st, "bodil")
		now := e.clock.now()
		// Before onboarding the status page is not the place: the first
		// scoring belongs to onboarding, after the screen and the baseline.
		want(t, "status before the red-flag screen", c.get(psfsStatusPath), 303, "/start/roede-flag")
		want(t, "status sent before the screen", c.post(psfsStatusPath, "aktivitet1", "gå", "point1", "3"), 303, "/start/roede-flag")
		seedPatient(t, st, id, now, 30, false) // day 30 of the programme: STATUS_4_WEEKS
		if _, err := st.AddPSFS(t.Context(), id, now.AddDate(0, 0, -30), []store.PSFSActivity{{Name: "Gå til bageren", Score: 3}, {Name: "Stå & lave <mad>", Score: 4}}); err != nil {
			t.Fatal(err)
		}

		r := c.get("/i-dag")
		want(t, "today at 4 weeks", r, 200, "")
		contains(t, "today at 4 weeks", r.body, "statussamtale", `<a class="button" href="/status">Giv dine aktiviteter et tal</a>`)
		if n := strings.Count(r.body, `href="/status"`); n != 1 {
			t.Errorf("today at 4 weeks: %d links to /status, want 1", n)
		}

		r = c.get(psfsStatusPath)
		want(t, "status form", r, 200, "")
		contains(t, "status form", r.body, "<h1>Giv dine aktiviteter et tal igen</h1>", `action="/status"`, "Dine aktiviteter fra sidst",
			`value="Gå til bageren"`, `value="Stå &amp; lave &lt;mad&gt;"`, regNote)
		lacks(t, "status form", r.body, " checked>", "<script")

		// A score outside 0–10 (a tampered form): the rules' words beside it.
		r = c.post(psfsStatusPath, psfsForm("Gå til bageren og hjem", "6", "Stå & lave <mad>", "12")...)
		want(t, "status invalid", r, 422, "")
		contains(t, "status invalid", r.body, `id="point2-error"`, "12 er uden for 0–10.", `value="Gå til bageren og hjem"`, `<input id="point1-6" type="radio" name="point1" value="6" checked>`)
		if ps := psfsOf(t, st, id); len(ps) != 1 {
			t.Fatalf("a refused status scoring was stored: %d", len(ps))
		}

		want(t, "status", c.post(psfsStatusPath, psfsForm("Gå til bageren og hjem", "6", "Stå & lave <mad>", "6")...), 303, "/i-dag")
		ps := psfsOf(t, st, id)
		if len(ps) != 2 || ps[1].Activities[0].Name != "Gå til bageren og hjem" || ps[1].Mean() != 6 {
			t.Fatalf("stored %+v", ps)
		}
		contains(t, "today after the status scoring", c.get("/i-dag").body, "Dine tal for dine aktiviteter er gemt.")
		lacks(t, "today, the flash once", c.get("/i-dag").body, "Dine tal for dine aktiviteter er gemt.")

		// The status form now has the new names.
		contains(t, "status form again", c.get(psfsStatusPath).body, `value="Gå til bageren og hjem"`)

		// Progress: the series and the sentence.
		r = c.get("/fremskridt")
		contains(t, "progress", r.body, "Dine egne aktiviteter: fra 3,5 til 6 (af 10), siden du startede. De er blevet tydeligt lettere.",
			"<td>3,5</td>", "<td>6</td>", esc("Stå & lave <mad>")+": 4", "Gå til bageren og hjem: 6")
		lacks(t, "progress", r.body, "Stå & lave <mad>")
		if strings.Count(r.body, "<tr><td>") != 2 {
			t.Errorf("progress: want 2 PSFS rows")
		}

		// The export: JSON and the ZIP's psfs.csv.
		contains(t, "JSON export", c.get("/mine-data/eksport.json").body, `"psfs": [`, `"name": "Gå til bageren og hjem"`, `"score": 6`)
		_, files := zipCSV(t, c.get("/mine-data/eksport.zip").body)
		psfs := files["psfs.csv"]
		if len(psfs) == 0 || !slices.Equal(psfs[0], []string{"id", "tidspunkt", "nr.", "aktivitet", "point (0–10)", "gemt"}) {
			t.Errorf("psfs.csv header: %q", psfs)
		}
		for _, cells := range [][]string{{"1", "Gå til bageren", "3"}, {"2", "Stå & lave <mad>", "4"}, {"1", "Gå til bageren og hjem", "6"}} {
			if rowsWith(psfs, cells...) != 1 {
				t.Errorf("psfs.csv lacks %q:\n%q", cells, psfs)
			}
		}

		// English.
		want(t, "switch", c.post(switchPath, "lang", "en"), 303, "/konto")
		englishPage(t, "status, English", c.get(psfsStatusPath), "Give your activities a number again", "Your activities from last time", "10 = as before")
		r = c.post(psfsStatusPath, psfsForm("Walk the dog", "", strings.Repeat("x", 81), "2")...)
		want(t, "status errors, English", r, 422, "")
		contains(t, "status errors, English", r.body, "Choose a number from 0 to 10 for how well you can do it today.", "81 characters is longer than 80.")
		contains(t, "progress, English", c.get("/fremskridt").body, "Your own activities: from 3.5 to 6 (out of 10) since you started. They have become clearly easier.", "Average (out of 10)")

		// Another patient: no link at day 0, an empty status form, none of
		// bodil's activities.
		o := e.signUp("olga")
		want(t, "olga red flags", o.post("/start/roede-flag", allNo()...), 303, "/start")
		want(t, "olga baseline", o.post("/start/udgangspunkt", "first", "3:15", "stop", "6:30", "leg", "6", "back", "4"), 303, "/start")
		lacks(t, "olga today", o.get("/i-dag").body, `href="/status"`)
		// Her status page waits for onboarding's first scoring, and that
		// form holds none of bodil's activities.
		want(t, "olga status form", o.get(psfsStatusPath), 303, psfsStartPath)
		lacks(t, "olga activities form", o.get(psfsStartPath).body, "Gå til bageren", "Dine aktiviteter fra sidst", " checked>")
		lacks(t, "olga progress", o.get("/fremskridt").body, "Gå til bageren", "Dine egne aktiviteter")
	})
}
