package web

import (
	"fmt"
	"strings"
	"testing"
)

// TestProgrammeEditor: the clinician's editor — a valid change saved as a
// new version the patient sees in their player and handout, every wrong
// field named beside it and in the summary with the form kept, a stale
// edit shown again without saving, and another clinic's clinician
// answered 404 without a change.
func TestProgrammeEditor(t *testing.T) {
	st := openSQLite(t)
	e := newEnv(t, st, nil)
	ctx := t.Context()
	pc := e.signUp("bodil")
	pid := userID(t, st, "bodil")
	seedPatient(t, st, pid, e.clock.now(), 42, false)
	doc, other := e.signUp("dorte"), e.signUp("ove")
	clinics := clinicsOf(t, st, pid, "dorte", "ove")
	ed := programmeEditorPath(pid)
	versions := func() int {
		vs, err := st.ProgrammeVersions(ctx, clinics[0].ID, pid)
		if err != nil {
			t.Fatal(err)
		}
		return len(vs)
	}

	// As it opens: the content's programme, every exercise chosen in order.
	r := doc.get(ed)
	want(t, "the editor", r, 200, "")
	for _, w := range []string{`name="fra" value="0"`, `id="med-siddende-cykling" name="med" type="checkbox" value="siddende-cykling" checked`,
		`id="nr-gaaende-med-pauser" name="nr-gaaende-med-pauser" type="text" inputmode="numeric" autocomplete="off" value="5"`,
		`id="gange" name="gange" type="text" inputmode="numeric" autocomplete="off" value="3"`, "Patienten følger klinikkens standardprogram"} {
		if !strings.Contains(r.body, w) {
			t.Errorf("the editor as it opens: no %q", w)
		}
	}

	// Another clinic's clinician: 404 for both, nothing saved.
	want(t, "another clinic's GET", other.get(ed), 404, "")
	want(t, "another clinic's POST", other.do("POST", ed, editorForm(0)), 404, "")
	want(t, "no such patient", doc.get(programmeEditorPath(pid+1000)), 404, "")
	want(t, "not a number", doc.get("/klinik/patienter/x1/program"), 404, "")
	if n := versions(); n != 0 {
		t.Fatalf("refused requests saved %d versions", n)
	}

	// Every field wrong: each named beside it and in the summary, the form kept.
	r = doc.do("POST", ed, editorForm(0, "kattestraek-reps", "tolv", "kattestraek-sides", "3", "kattestraek-rest", "601",
		"gange", "15", "gaa", "0", "begrundelse", "  "))
	want(t, "every field wrong", r, 422, "")
	for _, tt := range []struct{ field, msg string }{
		{"kattestraek-reps", "Skriv et helt tal fra 1 til 100."},
		{"kattestraek-sides", "Skriv 1, eller 2 for højre og venstre side."},
		{"kattestraek-rest", "Skriv et helt tal fra 0 til 600."},
		{"gange", "Skriv et helt tal fra 1 til 14."},
		{"gaa", "Skriv et helt tal fra 1 til 30."},
		{"begrundelse", "Skriv en begrundelse til patienten."},
	} {
		if !strings.Contains(r.body, `id="`+tt.field+`-error">`) || !strings.Contains(r.body, `<a href="#`+tt.field+`">`) || !strings.Contains(r.body, tt.msg) {
			t.Errorf("%s: not named beside the field and in the summary with %q", tt.field, tt.msg)
		}
	}
	for _, kept := range []string{`value="tolv"`, `value="601"`, `value="15"`} {
		if !strings.Contains(r.body, kept) {
			t.Errorf("the form lost %s", kept)
		}
	}
	if strings.Contains(r.body, `value="siddende-cykling" checked`) {
		t.Error("an exercise left out is shown chosen again")
	}
	r = doc.do("POST", ed, editorForm(0, "med", "", "begrundelse", "Ingen øvelser"))
	want(t, "no exercise", r, 422, "")
	if !strings.Contains(r.body, "Vælg mindst én øvelse.") || !strings.Contains(r.body, `<a href="#exercises">`) {
		t.Error("no exercise chosen: not said")
	}
	if n := versions(); n != 0 {
		t.Fatalf("invalid forms saved %d versions", n)
	}

	// A valid change: version 1, the patient sees it.
	want(t, "a valid change", doc.do("POST", ed, editorForm(0)), 303, ed)
	r = doc.get(ed)
	for _, w := range []string{"Programmet er gemt som en ny version.", "Version 1, ændret den", "af Navn dorte",
		"Du klarer kattestrækket godt: nu 10 gentagelser.", "1 øvelse · 4 gange om ugen · gåture på 12 minutter", `name="fra" value="`} {
		if !strings.Contains(r.body, w) {
			t.Errorf("after the change: no %q", w)
		}
	}
	if n := versions(); n != 1 {
		t.Fatalf("%d versions after a change, want 1", n)
	}
	for path, w := range map[string]string{
		myProgrammePath + "/traening": `"reps":10`,
		myProgrammePath + "/udskrift": "10 gentagelser, 2 sæt",
	} {
		body := pc.get(path).body
		if !strings.Contains(body, w) || !strings.Contains(body, "af Navn dorte.") || !strings.Contains(body, "Du klarer kattestrækket godt") || strings.Contains(body, "Siddende cykling") {
			t.Errorf("%s: the patient does not see the change", path)
		}
	}

	// A stale edit (from no version, while version 1 stands): shown again, not saved.
	r = doc.do("POST", ed, editorForm(0, "gaa", "20"))
	want(t, "a stale edit", r, 409, "")
	if !strings.Contains(r.body, "Programmet er ændret af en anden, mens du skrev.") || !strings.Contains(r.body, `value="20"`) {
		t.Error("the stale edit: not said, or the form lost")
	}
	if n := versions(); n != 1 {
		t.Errorf("a stale edit saved: %d versions", n)
	}
	// The page shown again carries the new version: saving it again is deliberate.
	cur, err := st.CurrentProgramme(ctx, pid)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.body, fmt.Sprintf(`name="fra" value="%d"`, cur.ID)) {
		t.Error("the form shown again is not from the current version")
	}
}
