package web

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/store"
)

// tailor gives patient id a programme version set by a clinician of a new
// clinic (straight in the store): two exercises, twice a week, 8 minutes
// of walking.
func tailor(t *testing.T, st *store.Store, id int64, at time.Time) store.ProgrammeVersion {
	t.Helper()
	ctx := t.Context()
	c, err := st.CreateClinic(ctx, store.Clinic{Slug: fmt.Sprintf("klinik-%d", id), Name: "Klinikken", Signup: store.SignupOpen})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetUserClinic(ctx, id, c.ID); err != nil {
		t.Fatal(err)
	}
	v, err := st.SetProgramme(ctx, c.ID, store.ProgrammeVersion{
		PatientID: id, At: at, ByID: 999, ByName: "Dorte Fys", Reason: "Færre øvelser, så du kan nå dem.", Base: "5-bedste-oevelser",
		Items: []store.ProgrammeItem{
			{Exercise: "kattestraek", Kind: "reps", Reps: 12, SecondsPerRep: 6, Sides: 1, Sets: 3, Rest: 30},
			{Exercise: "knae-til-bryst", Kind: "hold", Seconds: 20, Reps: 3, Sides: 2, Sets: 1, Rest: 10},
		},
		PerWeek: 2, WalkMinutes: 8,
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// editorForm is a valid editor form: cat stretch alone, 10 repetitions.
func editorForm(from int64, kv ...string) url.Values {
	f := url.Values{
		"fra": {fmt.Sprint(from)}, "med": {"kattestraek"}, "nr-kattestraek": {"1"},
		"kattestraek-reps": {"10"}, "kattestraek-secondsPerRep": {"6"}, "kattestraek-sides": {"1"},
		"kattestraek-sets": {"2"}, "kattestraek-rest": {"30"}, "gange": {"4"}, "gaa": {"12"},
		"begrundelse": {"Du klarer kattestrækket godt: nu 10 gentagelser."},
	}
	for i := 0; i+1 < len(kv); i += 2 {
		f[kv[i]] = []string{kv[i+1]}
	}
	return f
}

// TestMyProgramme: without a version the patient is sent to the public
// pages; with one, their own programme page, player, handout and walk mode
// show the clinician's exercises, doses, walking target, who changed it
// and why — in Danish and English — and /i-dag leads there.
func TestMyProgramme(t *testing.T) {
	st := openSQLite(t)
	e := newEnv(t, st, nil)
	c := e.signUp("bodil")
	id := userID(t, st, "bodil")
	seedPatient(t, st, id, e.clock.now(), 42, false)

	for path, to := range map[string]string{
		myProgrammePath:               "/program/5-bedste-oevelser",
		myProgrammePath + "/traening": "/program/5-bedste-oevelser/traening",
		myProgrammePath + "/udskrift": "/program/5-bedste-oevelser/udskrift",
		myProgrammePath + "/gang":     "/gang",
	} {
		want(t, path+" without a version", c.get(path), 303, to)
	}
	if body := c.get("/i-dag").body; strings.Contains(body, myProgrammePath) || !strings.Contains(body, `href="/program/5-bedste-oevelser/traening"`) {
		t.Error("/i-dag without a version leads to the patient's own programme")
	}

	now := e.clock.now()
	tailor(t, st, id, now)
	changed := "Ændret den " + i18n.Da.Date(now.In(care.Zone)) + " af Dorte Fys."
	for _, tt := range []struct {
		path string
		want []string
		not  []string
	}{
		{myProgrammePath, []string{changed, "Færre øvelser, så du kan nå dem.", "2 gange om ugen", `href="/mit-program/traening"`, `href="/mit-program/udskrift"`, `href="/mit-program/gang"`, "3 sæt", `aria-current="page">I dag`}, []string{"Siddende cykling"}},
		{myProgrammePath + "/traening", []string{changed, `"reps":12`, `"sets":3`, `"exercise":"knae-til-bryst"`}, []string{`"exercise":"siddende-cykling"`}},
		{myProgrammePath + "/udskrift", []string{changed, "Kattestræk", "Hold 20 sekunder, 3 gange på hvert ben"}, []string{"Siddende cykling"}},
		{myProgrammePath + "/gang", []string{changed, "Dit mål for gåturen: 8 minutter pr. tur"}, nil},
	} {
		r := c.get(tt.path)
		if r.status != 200 || r.header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: %d, Cache-Control %q", tt.path, r.status, r.header.Get("Cache-Control"))
		}
		for _, w := range tt.want {
			if !strings.Contains(r.body, w) {
				t.Errorf("%s: no %q", tt.path, w)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(r.body, n) {
				t.Errorf("%s: shows %q, which the programme does not hold", tt.path, n)
			}
		}
	}
	today := c.get("/i-dag").body
	for _, w := range []string{`href="/mit-program/traening"`, `href="/mit-program/gang"`, `href="/mit-program"`, "<strong>8 minutter</strong>"} {
		if !strings.Contains(today, w) {
			t.Errorf("/i-dag with a version: no %q", w)
		}
	}
	if err := st.SetUserLang(t.Context(), id, "en"); err != nil {
		t.Fatal(err)
	}
	if r := c.get(myProgrammePath + "/udskrift"); !strings.Contains(r.body, "Changed on "+i18n.En.Date(now.In(care.Zone))+" by Dorte Fys.") || !strings.Contains(r.body, `lang="en"`) {
		t.Errorf("the English handout: %.300s", r.body)
	}
	// The public programme stays the content's.
	if r := c.get("/program/5-bedste-oevelser/traening"); !strings.Contains(r.body, `"exercise":"siddende-cykling"`) || strings.Contains(r.body, "Dorte") {
		t.Error("the public player changed")
	}
}
