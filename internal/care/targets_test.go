package care

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

func TestNewTargets(t *testing.T) {
	h := rules.History{Targets: rules.Targets{WalkMinutes: 10, Reps: map[string]int{"a": 5, "b": 15}}}
	tests := []struct {
		name string
		ad   rules.Advice
		walk int
		reps map[string]int
		ok   bool
	}{
		{"up, walk and one exercise", rules.Advice{Code: rules.ProgressTargetUp, Data: map[string]float64{
			"walkMinutes.from": 10, "walkMinutes.to": 11, "reps.a.from": 5, "reps.a.to": 6, "walkMinutes": 10}}, 11, map[string]int{"a": 6, "b": 15}, true},
		{"down, reps only", rules.Advice{Code: rules.TargetDown, Data: map[string]float64{"reps.a.to": 4, "reps.b.to": 14}}, 10, map[string]int{"a": 4, "b": 14}, true},
		{"up without a step", rules.Advice{Code: rules.ProgressTargetUp, Data: map[string]float64{"walkMinutes": 10}}, 10, map[string]int{"a": 5, "b": 15}, false},
		{"hold", rules.Advice{Code: rules.HoldTarget, Data: map[string]float64{"walkMinutes.to": 11}}, 0, nil, false},
		{"nonsense data", rules.Advice{Code: rules.ProgressTargetUp, Data: map[string]float64{"walkMinutes.to": 0, "reps..to": 3, "reps.a.to": 0}}, 10, map[string]int{"a": 5, "b": 15}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			walk, reps, ok := NewTargets(h, tt.ad)
			if walk != tt.walk || ok != tt.ok || fmt.Sprint(reps) != fmt.Sprint(tt.reps) {
				t.Errorf("NewTargets = %d, %v, %v; want %d, %v, %v", walk, reps, ok, tt.walk, tt.reps, tt.ok)
			}
		})
	}
	if h.Targets.Reps["a"] != 5 {
		t.Error("NewTargets changed the history's targets")
	}
}

// seedImproving gives u a baseline days ago (first symptoms after 200 s:
// a 3-minute walking target), a red-flag check-in an hour ago with every
// answer no, and every day since a diary entry with less leg pain and a
// walk with later first symptoms, and a session every other day: a stable
// week at the target.
func seedImproving(t *testing.T, st *store.Store, u store.User, now time.Time, days int) {
	t.Helper()
	ctx := t.Context()
	start := now.AddDate(0, 0, -days)
	first := 200
	if _, err := st.AddBaseline(ctx, store.Baseline{UserID: u.ID, At: start, SPWTFirstSymptomsSeconds: &first, SPWTStopSeconds: 400, NRSLeg: 6, NRSBack: 4}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddRedFlagCheckin(ctx, store.RedFlagCheckin{UserID: u.ID, At: now.Add(-time.Hour), Answers: map[string]bool{"fever": false}}); err != nil {
		t.Fatal(err)
	}
	for d := 0; d <= days; d++ {
		at := start.AddDate(0, 0, d)
		frac := float64(d) / float64(days)
		if _, err := st.AddDiaryEntry(ctx, store.DiaryEntry{UserID: u.ID, At: at, LegPain: 6 - int(3*frac+0.5), BackPain: 3}); err != nil {
			t.Fatal(err)
		}
		fs := 200 + int(200*frac)
		bouts := []store.Bout{{WalkSeconds: fs + 60, PauseSeconds: 90, FirstSymptomsSeconds: &fs}, {WalkSeconds: 300}}
		if _, _, err := st.AddWalk(ctx, store.Walk{UserID: u.ID, ClientID: fmt.Sprint("w", d), StartedAt: at, EndedAt: at.Add(15 * time.Minute), Bouts: bouts}); err != nil {
			t.Fatal(err)
		}
		if d%2 == 0 {
			steps := []store.SessionStep{{Exercise: "knae-til-bryst", Done: true}, {Exercise: "kattestraek", Done: true}}
			if _, _, err := st.AddTrainingSession(ctx, store.TrainingSession{UserID: u.ID, ClientID: fmt.Sprint("s", d), Programme: DefaultProgramme,
				StartedAt: at, EndedAt: at.Add(10 * time.Minute), Steps: steps}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestAcceptTargets: a new target the rules give now is stored from the
// rules' numbers, as of now, once; an advice that moves no target, targets
// other than those shown, a second accept and a replay store nothing and
// say why.
func TestAcceptTargets(t *testing.T) {
	st := openSQLite(t)
	now := time.Date(2026, 6, 10, 10, 0, 0, 0, time.UTC)
	s := New(Config{Store: st, Now: func() time.Time { return now }})
	u := newPatient(t, st, "bodil", now.AddDate(0, 0, -50))
	seedImproving(t, st, u, now, 42)
	ctx := t.Context()

	p, err := s.Load(ctx, &u)
	if err != nil {
		t.Fatal(err)
	}
	var up *rules.Advice
	for _, ad := range p.Advice() {
		if ad.Code == rules.ProgressTargetUp {
			up = &ad
		}
	}
	if up == nil || p.TargetsID() != 0 || p.WalkTarget() != 3 {
		t.Fatalf("the seeded history: targets %d, %d minutes, advice %v; want the defaults, 3 minutes and PROGRESS_TARGET_UP", p.TargetsID(), p.WalkTarget(), p.Advice())
	}
	stored := func() []store.Targets {
		t.Helper()
		ts, err := st.ListTargets(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return ts
	}
	for _, tt := range []struct {
		name string
		code rules.Code
		from int64
		want error
	}{
		{"an advice that moves no target", rules.HoldTarget, 0, ErrTargetNotOffered},
		{"a code the rules do not give", rules.TargetDown, 0, ErrTargetNotOffered},
		{"targets other than those shown", rules.ProgressTargetUp, 7, ErrTargetsChanged},
	} {
		if _, err := s.AcceptTargets(ctx, &u, tt.code, tt.from); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	if ts := stored(); len(ts) != 0 {
		t.Fatalf("stored %+v before any accept", ts)
	}

	tg, err := s.AcceptTargets(ctx, &u, rules.ProgressTargetUp, 0)
	if err != nil {
		t.Fatal(err)
	}
	if tg.WalkMinutes != 4 || tg.SetBy != store.SetByRules || tg.Advice != string(rules.ProgressTargetUp) || !tg.At.Equal(now) || tg.PrevID != 0 {
		t.Errorf("stored %+v: want 4 minutes, set by the rules now", tg)
	}
	if _, err := s.AcceptTargets(ctx, &u, rules.ProgressTargetUp, 0); !errors.Is(err, ErrTargetsChanged) {
		t.Errorf("a second accept from the defaults: %v, want ErrTargetsChanged", err)
	}
	if _, err := s.AcceptTargets(ctx, &u, rules.ProgressTargetUp, tg.ID); !errors.Is(err, ErrTargetNotOffered) {
		t.Errorf("a replay from the new targets: %v, want ErrTargetNotOffered (a stable week at them comes first)", err)
	}
	if ts := stored(); len(ts) != 1 {
		t.Errorf("%d versions stored, want 1", len(ts))
	}
	if p, err := s.Load(ctx, &u); err != nil || p.WalkTarget() != 4 || p.TargetsID() != tg.ID {
		t.Errorf("after the accept: %d minutes, targets %d, %v; want 4 and %d", p.WalkTarget(), p.TargetsID(), err, tg.ID)
	}
}
