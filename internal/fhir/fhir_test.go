package fhir

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	stenose "github.com/stenose/stenose"
	"github.com/stenose/stenose/internal/content"
	"github.com/stenose/stenose/internal/fhir/fhirtest"
	"github.com/stenose/stenose/internal/programme"
	"github.com/stenose/stenose/internal/store"
)

const base = "https://klinik.example"

func library(t testing.TB) *programme.Library {
	t.Helper()
	ix, _ := content.Load(stenose.Content())
	lib, probs := programme.Load(stenose.Content(), ix.Images)
	if len(probs) != 0 {
		t.Fatalf("built-in content: %v", probs)
	}
	return lib
}

func ip(n int) *int { return &n }

// cph is a time in Copenhagen.
func cph(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, copenhagen).UTC()
}

// patientID and clinicID are the record's patient and clinic.
const patientID, clinicID = 7, 3

// record is a realistic record: a baseline on 2 March 2026 (winter time),
// six weeks of daily diary across the change to summer time (29 March),
// walks every other day, three sessions a week (one stopped for tingling,
// one step skipped), weekly red-flag screens (one answered yes and
// examined since, one from before the screen asked one thing a question),
// two PSFS scorings, and a default programme followed by two versions from
// the clinician.
func record(t testing.TB, lang string) Record {
	t.Helper()
	return recordDays(t, lang, 42)
}

// recordDays is record with days of diary, walks and sessions.
func recordDays(t testing.TB, lang string, days int) Record {
	t.Helper()
	lib := library(t)
	u := store.User{ID: patientID, Login: "anna", Name: "Anna Holm", Email: "anna@example.com", Role: store.RolePatient,
		Lang: lang, ClinicID: clinicID, CreatedAt: cph(2026, 3, 1, 9, 0)}
	x := store.Export{User: u, Clinic: &store.Clinic{ID: clinicID, Slug: "ryg", Name: "Klinik for Ryg og Bevægelse",
		Address: "Fiolstræde 44\n1171 København K", Phone: "33 12 34 56", Email: "kontakt@klinik.dk"}}
	start := cph(2026, 3, 2, 10, 0)
	x.Baselines = []store.Baseline{{ID: 1, UserID: patientID, At: start, SPWTFirstSymptomsSeconds: ip(195), SPWTStopSeconds: 390,
		NRSLeg: 6, NRSBack: 4, CreatedAt: start.Add(time.Minute)}}
	var id int64
	for d := range days {
		day := start.AddDate(0, 0, d)
		id++
		e := store.DiaryEntry{ID: id, UserID: patientID, At: day.Add(9 * time.Hour), LegPain: max(1, 6-d/8), BackPain: 4 - d%3,
			Tingling: d%9 == 4, Burning: d%13 == 6, Weakness: d == 20, CreatedAt: day.Add(9*time.Hour + time.Minute)}
		e.UpdatedAt = e.CreatedAt
		if d == 10 { // corrected the same evening
			e.UpdatedAt = e.CreatedAt.Add(10 * time.Hour)
		}
		x.Diary = append(x.Diary, e)
		if d%2 == 0 {
			w := store.Walk{ID: int64(d/2 + 1), UserID: patientID, ClientID: fmt.Sprintf("w-%d", d), StartedAt: day.Add(5 * time.Hour),
				Bouts: []store.Bout{{WalkSeconds: 240 + d*5, PauseSeconds: 60, FirstSymptomsSeconds: ip(200 + d*4)}, {WalkSeconds: 180, PauseSeconds: 0}}}
			if d%6 == 0 {
				w.Bouts[0].FirstSymptomsSeconds = nil // no symptoms that day
			}
			w.EndedAt = w.StartedAt.Add(time.Duration(w.WalkSeconds()+w.PauseSeconds()) * time.Second)
			w.CreatedAt = w.EndedAt.Add(time.Minute)
			x.Walks = append(x.Walks, w)
		}
		if d%7 == 0 || d%7 == 2 || d%7 == 4 {
			s := store.TrainingSession{ID: int64(len(x.TrainingSessions) + 1), UserID: patientID, ClientID: fmt.Sprintf("s-%d", d),
				Programme: "5-bedste-oevelser", StartedAt: day.Add(7 * time.Hour), EndedAt: day.Add(7*time.Hour + 14*time.Minute)}
			for _, ex := range []string{"siddende-cykling", "knae-til-bryst", "kattestraek", "laendesiddende-stilling"} {
				s.Steps = append(s.Steps, store.SessionStep{Exercise: ex, Done: true})
			}
			if d == 9 {
				s.Steps[2].Done = false // skipped
			}
			if d == 16 {
				s.Symptoms = 1
				s.Steps[1].Symptoms, s.Steps[1].SymptomKinds = true, []string{"tingling", "pain"}
			}
			if d == 23 { // symptoms reported without naming them
				s.Symptoms = 1
				s.Steps[0].Symptoms = true
			}
			s.CreatedAt = s.EndedAt.Add(time.Minute)
			x.TrainingSessions = append(x.TrainingSessions, s)
		}
	}
	no := func(keys ...string) map[string]bool {
		m := map[string]bool{}
		for _, k := range []string{"bladder", "bowel", "saddle_numbness", "both_legs_weakness", "both_legs_numbness", "sexual_dysfunction",
			"major_trauma", "minor_trauma", "cancer_history", "fever", "weight_loss", "immunosuppression", "iv_drug_use", "night_pain", "progressive_weakness"} {
			m[k] = false
		}
		for _, k := range keys {
			m[k] = true
		}
		return m
	}
	old := map[string]bool{"bladder_bowel": false, "saddle_numbness": false, "both_legs_weakness": false, "minor_trauma_osteoporosis": false, "fever": false}
	x.RedFlagCheckins = []store.RedFlagCheckin{
		{ID: 1, UserID: patientID, At: start.Add(-time.Hour), Answers: old, CreatedAt: start.Add(-time.Hour)},
		{ID: 2, UserID: patientID, At: start.AddDate(0, 0, 7), Answers: no(), CreatedAt: start.AddDate(0, 0, 7)},
		{ID: 3, UserID: patientID, At: start.AddDate(0, 0, 14), Answers: no("fever"), Urgent: false, CreatedAt: start.AddDate(0, 0, 14),
			ExaminedAt: start.AddDate(0, 0, 16), Examination: store.Examination{On: "2026-03-17", By: store.ExaminedByOwnDoctor}},
		{ID: 4, UserID: patientID, At: start.AddDate(0, 0, 21), Answers: no("cancer_history"), CreatedAt: start.AddDate(0, 0, 21),
			ExaminedAt: start.AddDate(0, 0, 22), Examination: store.Examination{On: "2026-03-24", By: store.ExaminedByOther, ByOther: "Dr. Berg, rygklinikken"}},
	}
	x.PSFS = []store.PSFS{
		{ID: 1, UserID: patientID, At: start.Add(time.Hour), Activities: []store.PSFSActivity{{Name: "Gå til bageren", Score: 3}, {Name: "Stå og lave mad", Score: 4}}, CreatedAt: start.Add(time.Hour)},
		{ID: 2, UserID: patientID, At: start.AddDate(0, 0, 28), Activities: []store.PSFSActivity{{Name: "Gå til bageren", Score: 6}, {Name: "Stå og lave mad", Score: 5}, {Name: "Cykle", Score: 7}}, CreatedAt: start.AddDate(0, 0, 28)},
	}
	item := func(slug string) store.ProgrammeItem {
		e := lib.Exercise(slug)
		d := e.Dose
		return store.ProgrammeItem{Exercise: slug, Kind: string(d.Kind), Seconds: d.Seconds, SecondsPerRep: d.SecondsPerRep, Reps: d.Reps, Sides: d.Sides, Sets: d.Sets, Rest: d.Rest}
	}
	x.Programmes = []store.ProgrammeVersion{
		{ID: 11, PatientID: patientID, Version: 1, At: start.AddDate(0, 0, 10), ClinicID: clinicID, ByID: 2, ByName: "Mette Fys",
			Reason: "Færre øvelser i starten.", Base: "5-bedste-oevelser", Items: []store.ProgrammeItem{item("siddende-cykling"), item("knae-til-bryst")},
			PerWeek: 2, WalkMinutes: 5, CreatedAt: start.AddDate(0, 0, 10)},
		{ID: 12, PatientID: patientID, Version: 2, PrevID: 11, At: start.AddDate(0, 0, 30), ClinicID: clinicID, ByID: 2, ByName: "Mette Fys",
			Reason: "Kattestræk med igen.", Base: "5-bedste-oevelser", Items: []store.ProgrammeItem{item("siddende-cykling"), item("knae-til-bryst"), item("kattestraek")},
			PerWeek: 3, WalkMinutes: 8, CreatedAt: start.AddDate(0, 0, 30)},
	}
	plans := []Plan{{Programme: lib.Programme("5-bedste-oevelser"), PerWeek: 3, WalkMinutes: 3, Start: start}}
	for i := range x.Programmes {
		v := &x.Programmes[i]
		var items []programme.Item
		for _, it := range v.Items {
			items = append(items, programme.Item{Exercise: lib.Exercise(it.Exercise), Dose: programme.Dose{Kind: programme.Kind(it.Kind),
				Seconds: it.Seconds, SecondsPerRep: it.SecondsPerRep, Reps: it.Reps, Sides: it.Sides, Sets: it.Sets, Rest: it.Rest}})
		}
		plans = append(plans, Plan{Version: v, Programme: lib.Programme(v.Base).Tailored(items, v.PerWeek), PerWeek: v.PerWeek, WalkMinutes: v.WalkMinutes, Start: v.At})
	}
	return Record{Export: x, Plans: plans, WalkTarget: 8, Library: lib}
}

func encode(t *testing.T, r Record) []byte {
	t.Helper()
	b, err := JSON(r, Options{BaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// parsed is a bundle read back as plain JSON, its entries by fullUrl.
type parsed struct {
	Bundle map[string]any
	ByURL  map[string]map[string]any
	Types  map[string]int // resources per type
}

func parse(t *testing.T, b []byte) parsed {
	t.Helper()
	var p parsed
	if err := json.Unmarshal(b, &p.Bundle); err != nil {
		t.Fatal(err)
	}
	p.ByURL, p.Types = map[string]map[string]any{}, map[string]int{}
	entries, _ := p.Bundle["entry"].([]any)
	for _, e := range entries {
		e := e.(map[string]any)
		r := e["resource"].(map[string]any)
		p.ByURL[e["fullUrl"].(string)] = r
		p.Types[r["resourceType"].(string)]++
	}
	return p
}

// urlOf is the fullUrl of the resource of kind made from key.
func urlOf(kind, key string) string { return "urn:uuid:" + uuid5(nsURL, base+"/fhir/"+kind+"/"+key) }

// get is the resource of kind made from key.
func (p parsed) get(t *testing.T, kind, key string) map[string]any {
	t.Helper()
	r, ok := p.ByURL[urlOf(kind, key)]
	if !ok {
		t.Fatalf("no %s %s in the bundle", kind, key)
	}
	return r
}

// at reads a path of keys and indexes from v: at(r, "code", "coding", 0, "code").
func at(v any, path ...any) any {
	for _, k := range path {
		switch k := k.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			s, _ := v.([]any)
			if k >= len(s) {
				return nil
			}
			v = s[k]
		}
	}
	return v
}

func TestBundleValidates(t *testing.T) {
	fhirtest.Validate(t, encode(t, record(t, "da")), encode(t, record(t, "en")), encode(t, record(t, "")))
}

// TestValidatorCatches: the validators fail a bundle with one thing
// broken, each naming where — so that TestBundleValidates can fail.
func TestValidatorCatches(t *testing.T) {
	// A few of each kind of record: enough for every resource type,
	// small enough that eleven bundles validate in one quick run.
	small := record(t, "da")
	x := &small.Export
	x.Diary, x.Walks, x.TrainingSessions = x.Diary[:3], x.Walks[:2], x.TrainingSessions[:2]
	good := encode(t, small)
	painLeg := urlOf("Observation", "diary/3/leg")
	cases := []struct {
		name   string
		break_ func(p parsed)
		want   string // in the validator's output
	}{
		{"a status R4 does not have", func(p parsed) { p.ByURL[painLeg]["status"] = "done" }, "status"},
		{"a score that is not a number", func(p parsed) { p.ByURL[painLeg]["valueInteger"] = "seven" }, "valueInteger"},
		{"an element R4 does not have", func(p parsed) { p.ByURL[painLeg]["painSite"] = "leg" }, "painSite"},
		{"a required element left out", func(p parsed) { delete(p.ByURL[painLeg], "code") }, "code"},
		{"a time without its offset", func(p parsed) { p.ByURL[painLeg]["issued"] = "2026-03-04T10:15:00" }, "issued"},
		{"two choices of value", func(p parsed) { p.ByURL[painLeg]["valueString"] = "7" }, "value"},
		{"a resource type outside R4", func(p parsed) {
			p.ByURL[painLeg]["resourceType"] = "Project"
		}, "Project"},
		{"a reference to nothing", func(p parsed) {
			p.ByURL[painLeg]["subject"] = map[string]any{"reference": "urn:uuid:00000000-0000-5000-8000-000000000000"}
		}, "not an entry of the bundle"},
		{"the same fullUrl twice", func(p parsed) {
			entries := p.Bundle["entry"].([]any)
			p.Bundle["entry"] = append(entries, entries[0])
		}, "bdl-7"},
		{"a bundle type R4 does not have", func(p parsed) { p.Bundle["type"] = "archive" }, "type"},
	}
	broken := make([][]byte, len(cases))
	for i, c := range cases {
		p := parse(t, good)
		c.break_(p)
		b, err := json.Marshal(p.Bundle)
		if err != nil {
			t.Fatal(err)
		}
		broken[i] = b
	}
	results := fhirtest.Run(t, append(broken, good)...) // one run: loading the definitions takes seconds
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := results[i]
			if r.OK {
				t.Fatalf("the validators pass the broken bundle:\n%s", r.Out)
			}
			if !strings.Contains(r.Out, c.want) {
				t.Errorf("the validators' errors do not name %q:\n%s", c.want, r.Out)
			}
		})
	}
	if r := results[len(cases)]; !r.OK {
		t.Errorf("the bundle before it was broken is refused:\n%s", r.Out)
	}
}

func TestMapping(t *testing.T) {
	da := parse(t, encode(t, record(t, "da")))
	en := parse(t, encode(t, record(t, "en")))
	cases := []struct {
		name string
		p    parsed
		kind string
		key  string
		path []any
		want any
	}{
		// Pain: LOINC 72514-3, 0–10 as an integer, legs and back told apart
		// by SNOMED CT body sites; Copenhagen's offset in winter and summer.
		{"leg pain code", da, "Observation", "diary/1/leg", []any{"code", "coding", 0, "code"}, "72514-3"},
		{"leg pain system", da, "Observation", "diary/1/leg", []any{"code", "coding", 0, "system"}, "http://loinc.org"},
		{"leg pain score", da, "Observation", "diary/1/leg", []any{"valueInteger"}, 6.0},
		{"leg body site", da, "Observation", "diary/1/leg", []any{"bodySite", "coding", 0, "code"}, "61685007"},
		{"leg body site system", da, "Observation", "diary/1/leg", []any{"bodySite", "coding", 0, "system"}, "http://snomed.info/sct"},
		{"leg body site words", da, "Observation", "diary/1/leg", []any{"bodySite", "text"}, "Benene"},
		{"back body site", da, "Observation", "diary/1/back", []any{"bodySite", "coding", 0, "code"}, "37822005"},
		{"back body site words, English", en, "Observation", "diary/1/back", []any{"bodySite", "text"}, "Lower back"},
		{"back pain score", da, "Observation", "diary/2/back", []any{"valueInteger"}, 3.0},
		{"winter time", da, "Observation", "diary/1/leg", []any{"effectiveDateTime"}, "2026-03-02T19:00:00+01:00"},
		{"summer time", da, "Observation", "diary/30/leg", []any{"effectiveDateTime"}, "2026-03-31T20:00:00+02:00"},
		{"patient-reported", da, "Observation", "diary/1/leg", []any{"category", 0, "coding", 0, "code"}, "survey"},
		{"an entry as first saved", da, "Observation", "diary/10/leg", []any{"status"}, "final"},
		{"an entry corrected since", da, "Observation", "diary/11/leg", []any{"status"}, "amended"},
		{"symptoms: tingling", da, "Observation", "diary/5/symptoms", []any{"component", 0, "code", "coding", 0, "code"}, "91019004"},
		{"symptoms: tingling that day", da, "Observation", "diary/5/symptoms", []any{"component", 0, "valueBoolean"}, true},
		{"symptoms: no burning", da, "Observation", "diary/5/symptoms", []any{"component", 1, "valueBoolean"}, false},
		// The baseline: pain and the walking test, times in seconds (UCUM s).
		{"baseline leg pain", da, "Observation", "baseline/1/leg", []any{"valueInteger"}, 6.0},
		{"baseline category", da, "Observation", "baseline/1/leg", []any{"category", 1, "coding", 0, "code"}, "baseline"},
		{"SPWT first symptoms", da, "Observation", "baseline/1/first-symptoms", []any{"valueQuantity", "value"}, 195.0},
		{"SPWT first symptoms unit", da, "Observation", "baseline/1/first-symptoms", []any{"valueQuantity", "code"}, "s"},
		{"SPWT first symptoms UCUM", da, "Observation", "baseline/1/first-symptoms", []any{"valueQuantity", "system"}, "http://unitsofmeasure.org"},
		{"SPWT first symptoms code", da, "Observation", "baseline/1/first-symptoms", []any{"code", "coding", 0, "code"}, "time-to-first-symptoms"},
		{"SPWT code system", da, "Observation", "baseline/1/first-symptoms", []any{"code", "coding", 0, "system"}, base + "/fhir/CodeSystem/measures"},
		{"SPWT method", da, "Observation", "baseline/1/stop", []any{"method", "coding", 0, "code"}, "spwt"},
		{"SPWT time to stop", da, "Observation", "baseline/1/stop", []any{"valueQuantity", "value"}, 390.0},
		{"SPWT time to stop code", da, "Observation", "baseline/1/stop", []any{"code", "coding", 0, "code"}, "time-to-stop"},
		// Walks: LOINC 55411-3 exercise duration, the first symptoms and the
		// pauses as components.
		{"walk code", da, "Observation", "walk/2", []any{"code", "coding", 0, "code"}, "55411-3"},
		{"walk time", da, "Observation", "walk/2", []any{"valueQuantity", "value"}, 430.0},
		{"walk unit", da, "Observation", "walk/2", []any{"valueQuantity", "unit"}, "s"},
		{"walk first symptoms", da, "Observation", "walk/2", []any{"component", 0, "valueQuantity", "value"}, 208.0},
		{"walk pauses", da, "Observation", "walk/2", []any{"component", 1, "code", "coding", 0, "code"}, "pause-time"},
		{"walk without symptoms: pauses only", da, "Observation", "walk/1", []any{"component", 0, "code", "coding", 0, "code"}, "pause-time"},
		{"walk period", da, "Observation", "walk/2", []any{"effectivePeriod", "start"}, "2026-03-04T15:00:00+01:00"},
		// PSFS: the mean, each activity in the patient's words.
		{"PSFS mean", da, "Observation", "psfs/2", []any{"valueQuantity", "value"}, 6.0},
		{"PSFS activity", da, "Observation", "psfs/2", []any{"component", 2, "code", "text"}, "Cykle"},
		{"PSFS activity score", da, "Observation", "psfs/1", []any{"component", 1, "valueInteger"}, 4.0},
		{"PSFS mean with decimals", da, "Observation", "psfs/1", []any{"valueQuantity", "value"}, 3.5},
		// Sessions: Procedures, each step a part; based on the plan in force.
		{"session code", da, "Procedure", "session/1", []any{"code", "coding", 0, "code"}, "229065009"},
		{"session in the default plan", da, "Procedure", "session/1", []any{"basedOn", 0, "reference"}, urlOf("CarePlan", "programme/default")},
		{"session in version 1", da, "Procedure", "session/6", []any{"basedOn", 0, "reference"}, urlOf("CarePlan", "programme/11")},
		{"session in version 2", da, "Procedure", "session/18", []any{"basedOn", 0, "reference"}, urlOf("CarePlan", "programme/12")},
		{"session period", da, "Procedure", "session/1", []any{"performedPeriod", "end"}, "2026-03-02T17:14:00+01:00"},
		{"a skipped step", da, "Procedure", "session/5/step/3", []any{"status"}, "not-done"},
		{"a done step", da, "Procedure", "session/5/step/2", []any{"status"}, "completed"},
		{"a step's exercise", da, "Procedure", "session/5/step/2", []any{"code", "coding", 0, "code"}, "knae-til-bryst"},
		{"a step's exercise in Danish", da, "Procedure", "session/5/step/2", []any{"code", "text"}, "Knæ-til-bryst"},
		{"a step's exercise in English", en, "Procedure", "session/5/step/2", []any{"code", "text"}, "Knee to chest"},
		{"a step part of its session", da, "Procedure", "session/5/step/2", []any{"partOf", 0, "reference"}, urlOf("Procedure", "session/5")},
		{"tingling during a step", da, "Procedure", "session/8/step/2", []any{"complication", 0, "coding", 0, "code"}, "91019004"},
		{"pain during a step", da, "Procedure", "session/8/step/2", []any{"complication", 1, "coding", 0, "code"}, "22253000"},
		{"symptoms not named", da, "Procedure", "session/11", []any{"complication", 0, "coding", 0, "code"}, "symptoms"},
		// The programme: CarePlans, the current one active, with its goal.
		{"current plan", da, "CarePlan", "programme/12", []any{"status"}, "active"},
		{"replaced plan", da, "CarePlan", "programme/11", []any{"status"}, "revoked"},
		{"replaced default", da, "CarePlan", "programme/default", []any{"status"}, "revoked"},
		{"plan replaces", da, "CarePlan", "programme/12", []any{"replaces", 0, "reference"}, urlOf("CarePlan", "programme/11")},
		{"plan's reason", da, "CarePlan", "programme/12", []any{"description"}, "Kattestræk med igen."},
		{"plan's author", da, "CarePlan", "programme/12", []any{"author", "display"}, "Mette Fys"},
		{"plan's first exercise", da, "CarePlan", "programme/12", []any{"activity", 0, "detail", "code", "coding", 0, "code"}, "siddende-cykling"},
		{"sessions a week", da, "CarePlan", "programme/12", []any{"activity", 0, "detail", "scheduledTiming", "repeat", "frequency"}, 3.0},
		{"a week", da, "CarePlan", "programme/12", []any{"activity", 0, "detail", "scheduledTiming", "repeat", "periodUnit"}, "wk"},
		{"walking activity", da, "CarePlan", "programme/12", []any{"activity", 3, "detail", "description"}, "Gå 8 minutter ad gangen, med pauser når symptomerne kommer"},
		{"walking activity's goal", da, "CarePlan", "programme/12", []any{"activity", 3, "detail", "goal", 0, "reference"}, urlOf("Goal", "walk")},
		{"version 1 sessions a week", da, "CarePlan", "programme/11", []any{"activity", 0, "detail", "scheduledTiming", "repeat", "frequency"}, 2.0},
		{"version 1 ends when version 2 begins", da, "CarePlan", "programme/11", []any{"period", "end"}, "2026-04-01T11:00:00+02:00"},
		{"goal", da, "Goal", "walk", []any{"target", 0, "detailQuantity", "value"}, 8.0},
		{"goal unit", da, "Goal", "walk", []any{"target", 0, "detailQuantity", "code"}, "min"},
		{"goal in English", en, "Goal", "walk", []any{"description", "text"}, "Walk for 8 minutes at a time, pausing when the symptoms come"},
		// Red-flag screens: responses to the screen's questionnaire, in the
		// patient's language; a confirmed examination amends one.
		{"questionnaire title", da, "Questionnaire", "red-flags/da", []any{"title"}, "Tjek for faresignaler"},
		{"questionnaire question", da, "Questionnaire", "red-flags/da", []any{"item", 9, "text"}, "Har du haft feber, mens du har haft ondt i ryggen?"},
		{"questionnaire in English", en, "Questionnaire", "red-flags/en", []any{"item", 9, "text"}, "Have you had a fever while your back has hurt?"},
		{"a retired question", da, "Questionnaire", "red-flags/da", []any{"item", 15, "linkId"}, "bladder_bowel"},
		{"response", da, "QuestionnaireResponse", "red-flags/3", []any{"questionnaire"}, base + "/fhir/Questionnaire/red-flags"},
		{"yes to fever", da, "QuestionnaireResponse", "red-flags/3", []any{"item", 9, "answer", 0, "valueBoolean"}, true},
		{"examined: amended", da, "QuestionnaireResponse", "red-flags/3", []any{"status"}, "amended"},
		{"not examined: completed", da, "QuestionnaireResponse", "red-flags/2", []any{"status"}, "completed"},
		{"examined on", da, "QuestionnaireResponse", "red-flags/3", []any{"item", 15, "item", 1, "answer", 0, "valueDate"}, "2026-03-17"},
		{"examined by", da, "QuestionnaireResponse", "red-flags/3", []any{"item", 15, "item", 2, "answer", 0, "valueCoding", "code"}, "own_doctor"},
		{"examined by another, in their words", da, "QuestionnaireResponse", "red-flags/4", []any{"item", 15, "item", 3, "answer", 0, "valueString"}, "Dr. Berg, rygklinikken"},
		{"an old screen's retired question", da, "QuestionnaireResponse", "red-flags/1", []any{"item", 3, "linkId"}, "bladder_bowel"},
		// The patient: no CPR number, their name and language as stored.
		{"patient's name", da, "Patient", "7", []any{"name", 0, "text"}, "Anna Holm"},
		{"patient's identifier", da, "Patient", "7", []any{"identifier", 0, "system"}, base + "/fhir/sid/patient"},
		{"patient's language", en, "Patient", "7", []any{"communication", 0, "language", "coding", 0, "code"}, "en"},
		{"patient's clinic", da, "Patient", "7", []any{"managingOrganization", "reference"}, urlOf("Organization", "3")},
		{"clinic's phone", da, "Organization", "3", []any{"telecom", 0, "value"}, "33 12 34 56"},
		{"clinic's address", da, "Organization", "3", []any{"address", 0, "line", 1}, "1171 København K"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := at(c.p.get(t, c.kind, c.key), c.path...); got != c.want {
				t.Errorf("%s %s %v = %#v, want %#v", c.kind, c.key, c.path, got, c.want)
			}
		})
	}
}

// TestWhatIsLeftOut: no CPR number, no login or e-mail, no diary note.
func TestWhatIsLeftOut(t *testing.T) {
	r := record(t, "da")
	r.Export.Diary[0].Note = "Min private note"
	b := string(encode(t, r))
	for _, s := range []string{"urn:oid:1.2.208.176.1.2", "anna@example.com", `"anna"`, "Min private note"} {
		if strings.Contains(b, s) {
			t.Errorf("the bundle holds %q", s)
		}
	}
	p := parse(t, []byte(b))
	if ids := at(p.get(t, "Patient", "7"), "identifier"); len(ids.([]any)) != 1 {
		t.Errorf("the patient has identifiers %v, want only the installation's number", ids)
	}
}

func TestCounts(t *testing.T) {
	r := record(t, "da")
	p := parse(t, encode(t, r))
	x := r.Export
	steps := 0
	for _, s := range x.TrainingSessions {
		steps += len(s.Steps)
	}
	first := 0
	for _, b := range x.Baselines {
		if b.SPWTFirstSymptomsSeconds != nil {
			first++
		}
	}
	want := map[string]int{
		"Patient": 1, "Organization": 1, "Goal": 1, "CarePlan": 3, "Questionnaire": 1, "CodeSystem": 3,
		"QuestionnaireResponse": len(x.RedFlagCheckins),
		"Observation":           3*len(x.Diary) + 3*len(x.Baselines) + first + len(x.Walks) + len(x.PSFS),
		"Procedure":             len(x.TrainingSessions) + steps,
	}
	for typ, n := range want {
		if p.Types[typ] != n {
			t.Errorf("%d %s, want %d", p.Types[typ], typ, n)
		}
	}
	if len(p.Types) != len(want) {
		t.Errorf("resource types %v, want those of %v", p.Types, want)
	}
	if at(p.Bundle, "type") != "collection" || at(p.Bundle, "resourceType") != "Bundle" {
		t.Errorf("bundle type %v %v", at(p.Bundle, "resourceType"), at(p.Bundle, "type"))
	}
	// resourceType first, where a reader looks for it.
	b := encode(t, r)
	head := regexp.MustCompile(`"resource": \{\s*"resourceType"`)
	if n, want := len(head.FindAll(b, -1)), len(p.ByURL); n != want || !bytes.HasPrefix(b, []byte("{\n  \"resourceType\": \"Bundle\"")) {
		t.Errorf("%d of %d resources have their resourceType first; the bundle starts %q", n, want, b[:40])
	}
}

// TestSmallRecords: a patient who has only signed up, and one with data
// but no programme: valid bundles with only what there is.
func TestSmallRecords(t *testing.T) {
	full := record(t, "da")
	cases := []struct {
		name  string
		r     Record
		types map[string]int
	}{
		{"empty record", Record{Export: store.Export{User: full.Export.User}}, map[string]int{"Patient": 1}},
		{"empty record in a clinic", Record{Export: store.Export{User: full.Export.User, Clinic: full.Export.Clinic}}, map[string]int{"Patient": 1, "Organization": 1}},
		{"no programme", func() Record { r := full; r.Plans, r.WalkTarget = nil, 0; return r }(), nil},
		{"no library", func() Record { r := full; r.Library = nil; return r }(), nil},
		{"a plan with nothing to name it", func() Record {
			r := full
			v := store.ProgrammeVersion{ID: 99, PatientID: patientID, At: full.Plans[0].Start, WalkMinutes: 5}
			r.Plans = []Plan{{Version: &v, WalkMinutes: 5, Start: v.At}}
			return r
		}(), nil},
	}
	var all [][]byte
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := encode(t, c.r)
			all = append(all, b)
			p := parse(t, b)
			if c.types != nil && fmt.Sprint(p.Types) != fmt.Sprint(c.types) {
				t.Errorf("resources %v, want %v", p.Types, c.types)
			}
			if c.name == "no programme" {
				if p.Types["CarePlan"] != 0 || p.Types["Goal"] != 0 {
					t.Errorf("a patient without a programme has %d CarePlans and %d Goals", p.Types["CarePlan"], p.Types["Goal"])
				}
				if ref := at(p.get(t, "Procedure", "session/1"), "basedOn"); ref != nil {
					t.Errorf("a session without a programme is based on %v", ref)
				}
			}
		})
	}
	fhirtest.Validate(t, all...)
}

// TestDeterministic: the same record gives the same bytes, and the ids
// depend on the installation's address and the row alone.
func TestDeterministic(t *testing.T) {
	a := encode(t, record(t, "da"))
	b := encode(t, record(t, "da"))
	if !bytes.Equal(a, b) {
		t.Fatal("two exports of the same record differ")
	}
	other, err := JSON(record(t, "da"), Options{BaseURL: "https://andet.example"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(other), urlOf("Patient", "7")) {
		t.Error("another installation gives the patient the same id")
	}
	// RFC 9562's name-based UUID, checked against Python's uuid.uuid5.
	if got, want := uuid5(nsURL, base+"/fhir/Patient/7"), "a6ae7d37-7351-5287-88b5-e440d63c3a98"; got != want {
		t.Errorf("uuid5 = %s, want %s", got, want)
	}
}

// TestOtherPatient: a record holding a row of another patient is refused
// whole, whichever kind of row it is.
func TestOtherPatient(t *testing.T) {
	cases := []struct {
		name  string
		taint func(r *Record)
	}{
		{"diary entry", func(r *Record) { r.Export.Diary[3].UserID = 8 }},
		{"walk", func(r *Record) { r.Export.Walks[1].UserID = 8 }},
		{"session", func(r *Record) { r.Export.TrainingSessions[0].UserID = 8 }},
		{"red-flag screen", func(r *Record) { r.Export.RedFlagCheckins[2].UserID = 8 }},
		{"baseline", func(r *Record) { r.Export.Baselines[0].UserID = 8 }},
		{"PSFS", func(r *Record) { r.Export.PSFS[1].UserID = 8 }},
		{"programme version", func(r *Record) { r.Export.Programmes[0].PatientID = 8 }},
		{"plan", func(r *Record) { v := *r.Plans[1].Version; v.PatientID = 8; r.Plans[1].Version = &v }},
		{"clinic", func(r *Record) { c := *r.Export.Clinic; c.ID = 4; r.Export.Clinic = &c }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := record(t, "da")
			c.taint(&r)
			b, err := JSON(r, Options{BaseURL: base})
			if !errors.Is(err, ErrOtherPatient) || b != nil {
				t.Errorf("JSON = %d bytes, %v; want nothing and ErrOtherPatient", len(b), err)
			}
		})
	}
}

func TestBaseURL(t *testing.T) {
	for _, u := range []string{"", "https://klinik.example/"} {
		if _, err := JSON(record(t, "da"), Options{BaseURL: u}); err == nil {
			t.Errorf("BaseURL %q accepted", u)
		}
	}
}

// BenchmarkJSONYear: a year of daily diary, walks every other day and
// three sessions a week, as one bundle.
func BenchmarkJSONYear(b *testing.B) {
	r := recordDays(b, "da", 365)
	var n int
	for b.Loop() {
		out, err := JSON(r, Options{BaseURL: base})
		if err != nil {
			b.Fatal(err)
		}
		n = len(out)
	}
	b.ReportMetric(float64(n)/1e6, "MB")
}
