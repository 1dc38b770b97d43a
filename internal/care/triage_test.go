package care

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

// TestTriage: the clinic's alerts come from the rules' advice on the same
// record the patient's pages read, in the write that changes it: one per
// episode, none for the patient's own guidance, none for a patient outside
// a clinic; the list's figures follow.
func TestTriage(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, Zone)
	st := openSQLite(t)
	New(Config{Store: st, Now: func() time.Time { return now }})
	ctx := t.Context()
	c, err := st.CreateClinic(ctx, store.Clinic{Slug: "k", Name: "Klinik"})
	if err != nil {
		t.Fatal(err)
	}
	since := now.AddDate(0, 0, -20)
	mk := func(login string, clinic int64) store.User {
		u, err := st.CreateUser(ctx, store.User{Login: login, Name: strings.ToUpper(login), Role: store.RolePatient, CreatedAt: since, ClinicID: clinic})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.AddBaseline(ctx, store.Baseline{UserID: u.ID, At: since, SPWTFirstSymptomsSeconds: new(240), SPWTStopSeconds: 600, NRSLeg: 6, NRSBack: 4}); err != nil {
			t.Fatal(err)
		}
		return u
	}
	ann, solo := mk("ann", c.ID), mk("solo", 0)
	codes := func(u store.User) map[string]store.Alert {
		t.Helper()
		as, err := st.PatientAlerts(ctx, c.ID, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]store.Alert{}
		for _, a := range as {
			if _, dup := out[a.Code]; dup && a.Code != string(rules.AdherenceLow) {
				t.Errorf("%s raised twice: %+v", a.Code, as)
			}
			out[a.Code] = a
		}
		return out
	}

	// Three sessions in the last two weeks; the last stopped for tingling.
	for i, day := range []int{-12, -5, -1} {
		ts := store.TrainingSession{UserID: ann.ID, ClientID: "s" + string(rune('a'+i)), Programme: DefaultProgramme,
			StartedAt: now.AddDate(0, 0, day), EndedAt: now.AddDate(0, 0, day).Add(15 * time.Minute),
			Steps: []store.SessionStep{{Exercise: "knae-til-bryst", Done: true}}}
		if day == -1 {
			ts.Steps = append(ts.Steps, store.SessionStep{Exercise: "kattestraek", Symptoms: true, SymptomKinds: []string{"tingling"}})
			ts.Symptoms = 1
		}
		if _, _, err := st.AddTrainingSession(ctx, ts); err != nil {
			t.Fatal(err)
		}
	}
	got := codes(ann)
	stop, ok := got[string(rules.StopNeuroSymptoms)]
	if !ok {
		t.Fatalf("no STOP_NEURO_SYMPTOMS alert after a session stopped for tingling: %v", got)
	}
	if stop.Rank != store.RankWarning || stop.Episode != "day-"+now.AddDate(0, 0, -1).Format(time.DateOnly) {
		t.Errorf("stop alert = %+v", stop)
	}
	for _, own := range []rules.Code{rules.ProgressTargetUp, rules.HoldTarget, rules.RestPosition, rules.LogWalk, rules.TargetDown} {
		if _, ok := got[string(own)]; ok {
			t.Errorf("%s is the patient's own guidance, yet raised an alert", own)
		}
	}

	// A later write in the same episode raises nothing new.
	before := len(got)
	if _, err := st.AddDiaryEntry(ctx, store.DiaryEntry{UserID: ann.ID, At: now.Add(-time.Hour), LegPain: 4}); err != nil {
		t.Fatal(err)
	}
	if n := len(codes(ann)); n != before {
		t.Errorf("%d alerts after a diary entry, want the %d before", n, before)
	}

	// A red flag: urgent, one per check-in; examined: its own alert.
	ck, err := st.AddRedFlagCheckin(ctx, store.RedFlagCheckin{UserID: ann.ID, At: now.Add(-30 * time.Minute),
		Answers: map[string]bool{rules.Flags[0].Key: true}, Urgent: true})
	if err != nil {
		t.Fatal(err)
	}
	red := codes(ann)[string(rules.UrgentRedFlag)]
	if red.Rank != store.RankUrgent || red.Episode != "check-"+itoa(ck.ID) {
		t.Errorf("red-flag alert = %+v", red)
	}
	if err := st.ConfirmExamined(ctx, ck.ID, ann.ID, now.Add(-10*time.Minute), store.Examination{On: now.Format(time.DateOnly), By: store.ExaminedByOwnDoctor}); err != nil {
		t.Fatal(err)
	}
	ex := codes(ann)[AlertExamined]
	if ex.Episode != "check-"+itoa(ck.ID) || len(ex.Items) != 2 || ex.Items[1] != store.ExaminedByOwnDoctor {
		t.Errorf("examined alert = %+v", ex)
	}

	// The list's figures: 3 sessions of 6 planned in two weeks; the
	// latest leg pain; the last activity.
	rows, n, err := st.ClinicPatients(ctx, c.ID, store.PatientQuery{Page: 1, PerPage: 10, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if n.All != 1 || len(rows) != 1 {
		t.Fatalf("list = %+v (%+v): only ann is in the clinic", rows, n)
	}
	r := rows[0]
	if r.Adherence2w == nil || *r.Adherence2w != 3*100/(2*PlannedPerWeek) {
		t.Errorf("adherence 2 weeks = %v, want %d", r.Adherence2w, 3*100/(2*PlannedPerWeek))
	}
	if r.LegPain == nil || *r.LegPain != 4 || !r.LastActivity.Equal(now.Add(-time.Hour).UTC().Truncate(time.Second)) {
		t.Errorf("leg pain %v, last activity %v", r.LegPain, r.LastActivity)
	}
	if r.TopRank != store.RankUrgent {
		t.Errorf("top rank %d, want urgent", r.TopRank)
	}

	// Outside a clinic: nothing for any clinic to read.
	if _, err := st.AddRedFlagCheckin(ctx, store.RedFlagCheckin{UserID: solo.ID, At: now.Add(-time.Minute),
		Answers: map[string]bool{rules.Flags[0].Key: true}, Urgent: true}); err != nil {
		t.Fatal(err)
	}
	if as, _ := st.PatientAlerts(ctx, c.ID, solo.ID); len(as) != 0 {
		t.Errorf("a patient outside the clinic: %+v", as)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
