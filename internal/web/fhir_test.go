package web

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/export"
	"github.com/stenose/stenose/internal/fhir"
	"github.com/stenose/stenose/internal/fhir/fhirtest"
	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

// seedFHIR gives the patient id what the FHIR export sends beyond
// seedPatient's 12 weeks of diary, walks and sessions: weekly red-flag
// screens (one answered yes, and examined since), two PSFS scorings and
// two programme versions from the clinician by.
func seedFHIR(t *testing.T, st *store.Store, id, clinicID, by int64, now time.Time) {
	t.Helper()
	ctx := t.Context()
	seedPatient(t, st, id, now, 84, true)
	for w := 12; w >= 1; w-- {
		answers := map[string]bool{}
		for _, f := range rules.Flags {
			answers[f.Key] = w == 6 && f.Key == "fever"
		}
		c, err := st.AddRedFlagCheckin(ctx, store.RedFlagCheckin{UserID: id, At: now.AddDate(0, 0, -7*w), Answers: answers, Urgent: w == 6})
		if err != nil {
			t.Fatal(err)
		}
		if w == 6 {
			on := now.AddDate(0, 0, -7*w+1).In(care.Zone).Format(time.DateOnly)
			if err := st.ConfirmExamined(ctx, c.ID, id, now.AddDate(0, 0, -7*w+2), store.Examination{On: on, By: store.ExaminedByOwnDoctor}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i, score := range []int{3, 6} {
		if _, err := st.AddPSFS(ctx, id, now.AddDate(0, 0, -80+70*i), []store.PSFSActivity{{Name: "Gå til bageren", Score: score}, {Name: "Cykle", Score: score + 1}}); err != nil {
			t.Fatal(err)
		}
	}
	prev := int64(0)
	for i, reason := range []string{"Færre øvelser i starten.", "Kattestræk med igen."} {
		v, err := st.SetProgramme(ctx, clinicID, store.ProgrammeVersion{PatientID: id, At: now.AddDate(0, 0, -60+30*i), ByID: by,
			ByName: "Dorte Behandler", Reason: reason, Base: care.DefaultProgramme,
			Items: []store.ProgrammeItem{{Exercise: "knae-til-bryst", Kind: "hold", Seconds: 20, Reps: 3, Sides: 2, Sets: 1, Rest: 10},
				{Exercise: "kattestraek", Kind: "reps", SecondsPerRep: 6, Reps: 8 + 2*i, Sides: 1, Sets: 2, Rest: 30}},
			PerWeek: 2 + i, WalkMinutes: 6 + 2*i}, prev)
		if err != nil {
			t.Fatal(err)
		}
		prev = v.ID
	}
}

// TestFHIRExport: a patient with 12 weeks of records downloads their
// record as a FHIR R4 bundle, which the registry's validators accept; their
// clinician downloads the same bytes through the access policy, the look
// logged on the patient's page; another clinic's clinician gets a 404 and
// nothing is logged; another patient's data is never in it. Both engines.
func TestFHIRExport(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		e := newEnv(t, st, nil)
		ctx := t.Context()
		now := e.clock.now()
		bodil := e.signUp("bodil")
		pid := userID(t, st, "bodil")
		carl := e.signUp("carl")
		cid := userID(t, st, "carl")
		e.signUp("dorte")
		e.signUp("ove")
		clinics := clinicsOf(t, st, pid, "dorte", "ove")
		if err := st.SetUserClinic(ctx, cid, clinics[0].ID); err != nil {
			t.Fatal(err)
		}
		seedFHIR(t, st, pid, clinics[0].ID, userID(t, st, "dorte"), now)
		if _, err := st.AddDiaryEntry(ctx, store.DiaryEntry{UserID: cid, At: now.Add(-time.Hour), LegPain: 9, BackPain: 9, Note: "Carls note"}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.AddBaseline(ctx, store.Baseline{UserID: cid, At: now.AddDate(0, 0, -3), SPWTStopSeconds: 777, NRSLeg: 8, NRSBack: 7}); err != nil {
			t.Fatal(err)
		}
		doc, other := e.signIn("dorte", goodPW), e.signIn("ove", goodPW)

		// The patient's own download, linked from "My data".
		contains(t, "my data", bodil.get("/mine-data").body, `href="/mine-data/eksport.fhir.json"`, "Hent til din læge eller et hospital (FHIR)")
		if strings.Contains(doc.get("/mine-data").body, "eksport.fhir.json") {
			t.Error("a clinician's own My data page offers a FHIR record")
		}
		r := bodil.get("/mine-data/eksport.fhir.json")
		want(t, "the patient's FHIR export", r, 200, "")
		if ct := r.header.Get("Content-Type"); ct != fhir.ContentType {
			t.Errorf("Content-Type %q, want %q", ct, fhir.ContentType)
		}
		if cd, wantCD := r.header.Get("Content-Disposition"), export.Disposition("bodil", now, "fhir.json"); cd != wantCD || !strings.Contains(cd, ".fhir.json") {
			t.Errorf("Content-Disposition %q, want %q", cd, wantCD)
		}
		mine := r.body
		x, err := st.ExportUser(ctx, pid)
		if err != nil {
			t.Fatal(err)
		}
		var b struct {
			ResourceType, Type string
			Entry              []struct {
				FullURL  string          `json:"fullUrl"`
				Resource json.RawMessage `json:"resource"`
			}
		}
		if err := json.Unmarshal([]byte(mine), &b); err != nil {
			t.Fatal(err)
		}
		types := map[string]int{}
		for _, en := range b.Entry {
			var h struct{ ResourceType string }
			_ = json.Unmarshal(en.Resource, &h)
			types[h.ResourceType]++
		}
		steps := 0
		for _, s := range x.TrainingSessions {
			steps += len(s.Steps)
		}
		wantTypes := map[string]int{
			"Patient": 1, "Organization": 1, "Goal": 1, "Questionnaire": 1, "CodeSystem": 3,
			"CarePlan":              3, // the default programme from the baseline, then two versions
			"QuestionnaireResponse": len(x.RedFlagCheckins),
			"Observation":           3*len(x.Diary) + 4*len(x.Baselines) + len(x.Walks) + len(x.PSFS),
			"Procedure":             len(x.TrainingSessions) + steps,
		}
		if b.ResourceType != "Bundle" || b.Type != "collection" || fmt.Sprint(types) != fmt.Sprint(wantTypes) {
			t.Errorf("%s %s of %v, want a collection of %v", b.ResourceType, b.Type, types, wantTypes)
		}
		contains(t, "the patient's bundle", mine, `"text": "Navn bodil"`, `"72514-3"`, `"61685007"`, `"37822005"`, `"code": "s"`,
			"Kattestræk med igen.", `"status": "amended"`, `"Dorte Behandler"`, "+01:00")
		for _, s := range []string{"Navn carl", "Carls note", `"value": 777`} {
			if strings.Contains(mine, s) {
				t.Errorf("the patient's bundle holds another patient's %q", s)
			}
		}

		// The clinician: the chart links to it; the same bytes; the look
		// is logged.
		chart := patientPath(pid)
		contains(t, "the chart links to the export", doc.get(chart).body, `href="`+chart+`/eksport.fhir.json"`, "Hent patientens data som FHIR-fil")
		r = doc.get(chart + "/eksport.fhir.json")
		want(t, "the clinician's FHIR export", r, 200, "")
		if r.body != mine {
			t.Error("the clinician's download differs from the patient's own")
		}
		if ct := r.header.Get("Content-Type"); ct != fhir.ContentType {
			t.Errorf("clinician: Content-Type %q", ct)
		}
		looks, err := st.AccessLog(ctx, pid, 1)
		if err != nil || len(looks) != 1 || looks[0].What != care.WhatFHIR || looks[0].ActorID != userID(t, st, "dorte") {
			t.Errorf("the last look: %+v, %v", looks, err)
		}
		contains(t, "who has looked", bodil.get("/mine-data/opslag").body, "dine data som FHIR-fil til et andet sundhedssystem")

		// Another clinic's clinician: as if there were no such patient.
		n := len(mustLooks(t, st, pid))
		want(t, "another clinic's clinician", other.get(chart+"/eksport.fhir.json"), 404, "")
		if len(mustLooks(t, st, pid)) != n {
			t.Error("a refused export was logged as a look")
		}

		// Carl's record: his data, none of Bodil's.
		theirs := carl.get("/mine-data/eksport.fhir.json").body
		for _, s := range []string{"Navn bodil", "Kattestræk med igen.", b.Entry[0].FullURL} {
			if strings.Contains(theirs, s) {
				t.Errorf("Carl's bundle holds Bodil's %q", s)
			}
		}
		contains(t, "Carl's bundle", theirs, "Navn carl", `"value": 777`)
		if strings.Contains(theirs, "Carls note") {
			t.Error("the diary's free-text note is in the bundle")
		}

		fhirtest.Validate(t, []byte(mine), []byte(theirs))
	})
}

func mustLooks(t *testing.T, st *store.Store, pid int64) []store.Access {
	t.Helper()
	l, err := st.AccessLog(t.Context(), pid, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return l
}
