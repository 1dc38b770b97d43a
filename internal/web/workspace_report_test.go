package web

import (
	"strings"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

// TestWorkspaceReport: the status report of a patient with 12 weeks of
// data on both engines — the measures with their verdicts, training
// against the plan, the clinic's alert, the programme's changes newest
// first (a long reason clipped), linked from the chart and logged as a
// look at the report —, in English too; another clinic's clinician and
// the patient get no report.
func TestWorkspaceReport(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		e := newEnv(t, st, nil)
		ctx := t.Context()
		pc := e.signUp("bodil")
		pid := userID(t, st, "bodil")
		now := e.clock.now()
		seedPatient(t, st, pid, now, 84, false)
		e.signUp("dorte")
		e.signUp("ove")
		clinics := clinicsOf(t, st, pid, "dorte", "ove")
		doc, other := e.signIn("dorte", goodPW), e.signIn("ove", goodPW)
		long := strings.Repeat("Mere gang og færre gentagelser. ", 12)
		prev := int64(0)
		for i, reason := range []string{"Færre øvelser i starten.", long} {
			v, err := st.SetProgramme(ctx, clinics[0].ID, store.ProgrammeVersion{PatientID: pid, At: now.AddDate(0, 0, -60+30*i),
				ByID: userID(t, st, "dorte"), ByName: "Dorte Behandler", Reason: reason, Base: care.DefaultProgramme,
				Items: []store.ProgrammeItem{{Exercise: "kattestraek", Reps: 10, Sets: 2, Sides: 1}}, PerWeek: 3, WalkMinutes: 10}, prev)
			if err != nil {
				t.Fatal(err)
			}
			prev = v.ID
		}
		if _, err := st.AddRedFlagCheckin(ctx, store.RedFlagCheckin{UserID: pid, At: now.Add(-time.Minute),
			Answers: map[string]bool{rules.Flags[0].Key: true}, Urgent: true}); err != nil {
			t.Fatal(err)
		}

		path := reportPath(pid)
		contains(t, "the chart links to the report", doc.get(patientPath(pid)).body, `href="`+path+`"`, "Statusrapport til udskrift")
		r := doc.get(path)
		want(t, "report", r, 200, "")
		contains(t, "report", r.body,
			"<h1>Statusrapport: Navn bodil</h1>", "Klinik dorte · ", "forløbets 13. uge",
			`<th scope="row">Tid til de første symptomer på en gåtur</th><td class="rep-num" data-label="Ved start">3 min 20 s</td>`,
			`class="rep-wide rep-better">Bedre: en meningsfuld ændring</td>`,
			"Lidt bedre, under grænsen for en meningsfuld ændring", // back pain 4 → 3
			`<th scope="row">Gåtid pr. uge</th>`, "<td class=\"rep-wide\">Mere end i de første 2 uger</td>",
			"Ikke udfyldt endnu", // no PSFS
			"Siden start (", "43 af 36 planlagte (119\u00a0%)", "Planen er nu 3 træninger om ugen.",
			"Rødt flag – ring i dag", "Ikke set endnu",
			"Færre øvelser i starten.", "Mere gang og færre gentagelser.", "…</td>",
			"Aftale ved konsultationen", "Rapporten er lavet ", " af Navn dorte.")
		if i, j := strings.Index(r.body, "Mere gang og"), strings.Index(r.body, "Færre øvelser i starten."); i > j {
			t.Error("the programme's changes are not newest first")
		}
		if strings.Contains(r.body, long) {
			t.Error("a long reason is not clipped")
		}
		looks, err := st.AccessLog(ctx, pid, 1)
		if err != nil || len(looks) != 1 || looks[0].What != care.WhatReport {
			t.Errorf("the last look: %+v, %v", looks, err)
		}

		if err := st.SetUserLang(ctx, userID(t, st, "dorte"), string(i18n.En)); err != nil {
			t.Fatal(err)
		}
		contains(t, "report in English", doc.get(path).body, "<h1>Status report: Navn bodil</h1>", "week 13 of the programme",
			"Better: a meaningful change", "43 of 36 planned (119\u00a0%)", "Changes to the programme")

		want(t, "another clinic's clinician", other.get(path), 404, "")
		want(t, "no such patient", doc.get(reportPath(pid+1000)), 404, "")
		want(t, "the patient", pc.get(path), 403, "")
	})
}
