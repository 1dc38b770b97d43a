package care

import (
	"bytes"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

// openSQLite is a fresh store in a temporary folder.
func openSQLite(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(t.Context(), "", filepath.Join(t.TempDir(), "data"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// newPatient makes a patient whose account was created at since.
func newPatient(t *testing.T, st *store.Store, login string, since time.Time) store.User {
	t.Helper()
	u, err := st.CreateUser(t.Context(), store.User{Login: login, Name: "Navn " + login, Role: store.RolePatient, CreatedAt: since})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestBuildHistory: the store's records as the rules read them, days in
// Copenhagen.
func TestBuildHistory(t *testing.T) {
	first := 195
	late := time.Date(2026, 6, 1, 22, 30, 0, 0, time.UTC) // 2 June 00:30 in Copenhagen
	u := &store.User{CreatedAt: late.AddDate(0, 0, -10)}
	h := buildHistory(u, store.CareRecord{
		RedFlagCheckins:  []store.RedFlagCheckin{{At: late, Answers: map[string]bool{"fever": true}, ExaminedAt: late}},
		Baselines:        []store.Baseline{{At: late, SPWTFirstSymptomsSeconds: &first, SPWTStopSeconds: 390, NRSLeg: 6, NRSBack: 4}},
		Diary:            []store.DiaryEntry{{At: late, LegPain: 5, Tingling: true}},
		TrainingSessions: []store.TrainingSession{{StartedAt: late, Symptoms: 1, Steps: []store.SessionStep{{Done: true}, {Done: false}}}},
		Walks:            []store.Walk{{StartedAt: late, Bouts: []store.Bout{{WalkSeconds: 300, PauseSeconds: 60, FirstSymptomsSeconds: &first}, {WalkSeconds: 120}}}},
	})
	if errs := h.Check(rules.Check{Now: late.In(Zone).Add(time.Hour)}); errs != nil {
		t.Fatalf("invalid history: %v", errs)
	}
	day := "2026-06-02"
	if h.ProgrammeStart.String() != day || h.Baseline.Date.String() != day || h.Entries[0].At.String() != day ||
		h.Sessions[0].Date.String() != day || h.Walks[0].Date.String() != day || h.RedFlagChecks[0].Date.String() != day ||
		h.RedFlagChecks[0].ExaminedSince.String() != day {
		t.Errorf("days not in Copenhagen: %+v", h)
	}
	if h.Baseline.SPWT != (rules.SPWT{FirstSymptomsSeconds: 195, StopSeconds: 390}) || h.Targets.WalkMinutes != 3 || h.PlannedPerWeek != PlannedPerWeek {
		t.Errorf("baseline %+v targets %+v", h.Baseline, h.Targets)
	}
	if s := h.Sessions[0]; s.CompletedSteps != 1 || s.SkippedSteps != 1 || len(s.Symptoms) != 1 {
		t.Errorf("session %+v", s)
	}
	if w := h.Walks[0]; len(w.Bouts) != 2 || w.Bouts[0].FirstSymptomsSeconds != 195 || w.Bouts[1].FirstSymptomsSeconds != 0 {
		t.Errorf("walk %+v", w)
	}
	// No baseline: the account's day and the default walking target.
	h = buildHistory(u, store.CareRecord{})
	if h.Baseline != nil || h.Targets.WalkMinutes != DefaultWalkMinutes || h.ProgrammeStart.String() != "2026-05-23" {
		t.Errorf("without a baseline: %+v", h)
	}
}

// TestPSFSHistory: the store's scorings as the rules read them, each on its
// day in Copenhagen.
func TestPSFSHistory(t *testing.T) {
	late := time.Date(2026, 6, 1, 22, 30, 0, 0, time.UTC) // 2 June 00:30 in Copenhagen
	h := psfsHistory([]store.PSFS{{At: late, Activities: []store.PSFSActivity{{Name: "gå", Score: 4}, {Name: "stå", Score: 10}}}})
	if len(h) != 1 || h[0].Date.String() != "2026-06-02" || len(h[0].Activities) != 2 || h[0].Activities[1] != (rules.Activity{Name: "stå", Score: 10}) {
		t.Errorf("psfsHistory = %+v", h)
	}
	if ps := rules.CheckPSFS(h[0], "psfs", rules.Check{Now: late.In(Zone)}, rules.Day{}); len(ps) != 0 {
		t.Errorf("the rules refuse it: %v", ps)
	}
	if h := psfsHistory(nil); h == nil || len(h) != 0 {
		t.Errorf("psfsHistory(nil) = %#v, want empty", h)
	}
}

// TestExaminationDayIsTheRules: the rules read the examination's day, not
// the day it was confirmed: a cauda equina sign examined before a newer
// yes to it stays urgent; an old confirmation without a day counts from
// its own day.
func TestExaminationDayIsTheRules(t *testing.T) {
	at := time.Date(2026, 3, 10, 11, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name string
		c    store.RedFlagCheckin
		want string
	}{
		{"not examined", store.RedFlagCheckin{At: at}, ""},
		{"the day given", store.RedFlagCheckin{At: at, ExaminedAt: at.AddDate(0, 0, 3), Examination: store.Examination{On: "2026-03-11", By: store.ExaminedByOwnDoctor}}, "2026-03-11"},
		{"confirmed before the form asked", store.RedFlagCheckin{At: at, ExaminedAt: at.AddDate(0, 0, 3)}, "2026-03-13"},
	} {
		if got := ExaminedSince(tt.c); got.String() != tt.want || got.Valid() != (tt.want != "") {
			t.Errorf("%s: examinedSince = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestSessionSymptoms: the player's named symptoms reach the rules (A3's
// three; pain does not), and a report without a name still counts.
func TestSessionSymptoms(t *testing.T) {
	step := func(sym bool, kinds ...string) store.SessionStep {
		return store.SessionStep{Exercise: "x", Done: true, Symptoms: sym, SymptomKinds: kinds}
	}
	tests := []struct {
		name  string
		count int
		steps []store.SessionStep
		want  []string
	}{
		{"no symptoms", 0, []store.SessionStep{step(false)}, nil},
		{"an old record: reported, none named", 1, []store.SessionStep{step(true)}, []string{"weakness"}},
		{"named tingling and burning", 2, []store.SessionStep{step(true, "tingling"), step(true, "burning", "pain")}, []string{"tingling", "burning"}},
		{"pain only", 1, []store.SessionStep{step(true, "pain")}, nil},
		{"pain, and a report unnamed", 2, []store.SessionStep{step(true, "pain"), step(true)}, []string{"weakness"}},
		{"weakness named, and a report unnamed", 2, []store.SessionStep{step(true, "weakness"), step(true)}, []string{"weakness"}},
		{"tingling named, and a report unnamed", 2, []store.SessionStep{step(true, "tingling"), step(true)}, []string{"tingling"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SessionSymptoms(store.TrainingSession{Symptoms: tt.count, Steps: tt.steps})
			if !slices.Equal(got, tt.want) {
				t.Errorf("sessionSymptoms = %v, want %v", got, tt.want)
			}
			h := rules.History{ProgrammeStart: rules.ParseDay("2026-01-01"), PlannedPerWeek: 3,
				Sessions: []rules.Session{{Date: rules.ParseDay("2026-01-02"), CompletedSteps: 1, Symptoms: got}}}
			if errs := h.Check(rules.Check{Now: time.Date(2026, 1, 3, 12, 0, 0, 0, time.UTC)}); errs != nil {
				t.Errorf("the rules refuse it: %v", errs)
			}
		})
	}
}

// TestHistoryLeavesOutRefused: a record stored behind the checks (through
// the store, which checks less) is left out of the history the rules read,
// with one log line naming the user and the path; the good ones stay.
func TestHistoryLeavesOutRefused(t *testing.T) {
	st := openSQLite(t)
	var logs bytes.Buffer
	now := time.Now().UTC().Truncate(time.Second)
	s := New(Config{Store: st, Logger: slog.New(slog.NewTextHandler(&logs, nil)), Now: func() time.Time { return now }})
	u := newPatient(t, st, "anna", now.AddDate(0, 0, -30))
	ctx := t.Context()
	var err error
	first := 30
	at := now.Add(-2 * time.Hour)
	mustAdd := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err = st.AddDiaryEntry(ctx, store.DiaryEntry{UserID: u.ID, At: at, LegPain: 4, BackPain: 2})
	mustAdd(err)
	_, err = st.AddDiaryEntry(ctx, store.DiaryEntry{UserID: u.ID, At: time.Date(9999, 12, 31, 10, 0, 0, 0, time.UTC), LegPain: 9, BackPain: 9})
	mustAdd(err)
	_, _, err = st.AddWalk(ctx, store.Walk{UserID: u.ID, ClientID: "good", StartedAt: at, EndedAt: at.Add(15 * time.Minute),
		Bouts: []store.Bout{{WalkSeconds: 600, PauseSeconds: 60, FirstSymptomsSeconds: &first}}})
	mustAdd(err)
	_, _, err = st.AddWalk(ctx, store.Walk{UserID: u.ID, ClientID: "huge", StartedAt: at.Add(time.Minute), EndedAt: at.Add(16 * time.Minute),
		Bouts: []store.Bout{{WalkSeconds: 1 << 40}}})
	mustAdd(err)
	_, err = st.AddRedFlagCheckin(ctx, store.RedFlagCheckin{UserID: u.ID, At: at, Answers: map[string]bool{"fever": true, "gone_flag": true}})
	mustAdd(err)

	p, err := s.Load(ctx, &u)
	if err != nil {
		t.Fatal(err)
	}
	h := p.History
	if len(h.Entries) != 1 || h.Entries[0].LegPain != 4 || len(h.Walks) != 1 || h.Walks[0].Bouts[0].WalkSeconds != 600 {
		t.Errorf("history kept %+v and %+v", h.Entries, h.Walks)
	}
	// A check-in keeps its known answers (a "yes" is never dropped); the
	// flag the rules do not know is left out of it, not of the store.
	if len(h.RedFlagChecks) != 1 || !h.RedFlagChecks[0].Answers["fever"] || len(h.RedFlagChecks[0].Answers) != 1 || len(p.Checkins[0].Answers) != 2 {
		t.Errorf("red-flag check-ins %+v (stored %+v)", h.RedFlagChecks, p.Checkins)
	}
	out := logs.String()
	for _, s := range []string{
		fmt.Sprintf("user=%d path=entries[1].at", u.ID),
		fmt.Sprintf("user=%d path=walks[1].bouts[0].walkSeconds", u.ID),
		fmt.Sprintf("user=%d path=redFlagChecks[0].answers.gone_flag", u.ID),
	} {
		if !strings.Contains(out, s) {
			t.Errorf("the log lacks %q:\n%s", s, out)
		}
	}
	if n := strings.Count(out, "left out"); n != 3 {
		t.Errorf("%d log lines, want 3:\n%s", n, out)
	}
}
