package store

import (
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestTargets: versions of a patient's targets, the current one, the
// history, and a change saved only from the version it was made from.
// Runs on both engines (forEachStore, store_test.go).
func TestTargets(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		ann, bo := mkUser(t, s, "ann"), mkUser(t, s, "bo")

		_, err := s.CurrentTargets(ctx, ann.ID)
		wantCode(t, err, ENOTFOUND, "")
		if got, err := s.ListTargets(ctx, ann.ID); err != nil || len(got) != 0 {
			t.Fatalf("ListTargets with none = %v, %v", got, err)
		}

		first, err := s.SetTargets(ctx, Targets{UserID: ann.ID, At: t0.Add(-48 * time.Hour), WalkMinutes: 5, SetBy: SetByClinician}, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := Targets{ID: first.ID, UserID: ann.ID, At: t0.Add(-48 * time.Hour), WalkMinutes: 5, Reps: map[string]int{},
			SetBy: SetByClinician, CreatedAt: t0}
		if diff := cmp.Diff(want, first); diff != "" {
			t.Errorf("SetTargets (-want +got):\n%s", diff)
		}
		up := Targets{UserID: ann.ID, WalkMinutes: 6, Reps: map[string]int{"kattestraek": 11, "knae-til-bryst": 6},
			SetBy: SetByRules, Advice: "PROGRESS_TARGET_UP"}
		second, err := s.SetTargets(ctx, up, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !second.At.Equal(t0) || second.PrevID != first.ID || second.ID == first.ID {
			t.Errorf("second version = %+v: want At = the store's clock, PrevID %d", second, first.ID)
		}

		tests := []struct {
			name   string
			t      Targets
			prevID int64
			code   string
			field  string
		}{
			{"from a replaced version", up, first.ID, ECONFLICT, "targets"},
			{"as if there were none", up, 0, ECONFLICT, "targets"},
			{"from another user's version", Targets{UserID: bo.ID, WalkMinutes: 3, SetBy: SetByPatient}, second.ID, ECONFLICT, "targets"},
			{"unknown user", Targets{UserID: 999999, WalkMinutes: 3, SetBy: SetByPatient}, 0, ENOTFOUND, ""},
			{"no setter", Targets{UserID: ann.ID, WalkMinutes: 3}, second.ID, EINVALID, "set_by"},
			{"unknown setter", Targets{UserID: ann.ID, WalkMinutes: 3, SetBy: "robot"}, second.ID, EINVALID, "set_by"},
			{"walk minutes negative", Targets{UserID: ann.ID, WalkMinutes: -1, SetBy: SetByPatient}, second.ID, EINVALID, "walk_minutes"},
			{"walk minutes above 120", Targets{UserID: ann.ID, WalkMinutes: 121, SetBy: SetByPatient}, second.ID, EINVALID, "walk_minutes"},
			{"reps 0", Targets{UserID: ann.ID, Reps: map[string]int{"kattestraek": 0}, SetBy: SetByPatient}, second.ID, EINVALID, "reps"},
			{"reps above 100", Targets{UserID: ann.ID, Reps: map[string]int{"kattestraek": 101}, SetBy: SetByPatient}, second.ID, EINVALID, "reps"},
			{"reps without a slug", Targets{UserID: ann.ID, Reps: map[string]int{"": 5}, SetBy: SetByPatient}, second.ID, EINVALID, "reps"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := s.SetTargets(ctx, tt.t, tt.prevID)
				wantCode(t, err, tt.code, tt.field)
			})
		}

		cur, err := s.CurrentTargets(ctx, ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(second, cur); diff != "" {
			t.Errorf("CurrentTargets (-want +got):\n%s", diff)
		}
		hist, err := s.ListTargets(ctx, ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]Targets{first, second}, hist); diff != "" {
			t.Errorf("ListTargets (-want +got):\n%s", diff)
		}
		// Bo's first targets are his own chain, from 0.
		if _, err := s.SetTargets(ctx, Targets{UserID: bo.ID, WalkMinutes: 3, SetBy: SetByPatient}, 0); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.ListTargets(ctx, ann.ID); len(got) != 2 {
			t.Errorf("ann has %d versions after bo's change, want 2", len(got))
		}
		if got, _ := s.CurrentTargets(ctx, bo.ID); got.WalkMinutes != 3 || got.UserID != bo.ID {
			t.Errorf("bo's targets = %+v", got)
		}
	})
}

// TestTargetsConcurrent: many changes from the same version at once (taps
// on two phones): exactly one is saved, the others are ECONFLICT.
func TestTargetsConcurrent(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		ann := mkUser(t, s, "ann")
		s2 := reopenStore(t, s)
		base, err := s.SetTargets(ctx, Targets{UserID: ann.ID, WalkMinutes: 5, SetBy: SetByPatient}, 0)
		if err != nil {
			t.Fatal(err)
		}
		const workers = 16
		var wg sync.WaitGroup
		var mu sync.Mutex
		codes := map[string]int{}
		for i := range workers {
			wg.Go(func() {
				st := []*Store{s, s2}[i%2]
				_, err := st.SetTargets(ctx, Targets{UserID: ann.ID, WalkMinutes: 6, SetBy: SetByRules, Advice: "PROGRESS_TARGET_UP"}, base.ID)
				mu.Lock()
				codes[ErrorCode(err)]++
				mu.Unlock()
			})
		}
		wg.Wait()
		if codes[""] != 1 || codes[ECONFLICT] != workers-1 {
			t.Errorf("outcomes %v: want 1 saved and %d conflicts", codes, workers-1)
		}
		if n := count(t, s, `SELECT count(*) FROM targets WHERE user_id = $1`, ann.ID); n != 2 {
			t.Errorf("%d versions stored, want 2", n)
		}
	})
}

// TestSessionSymptomKinds: which symptoms were named in a step are kept in
// order, each once; unknown kinds are refused; a step without them (every
// record from before the player asked) reads back without them.
func TestSessionSymptomKinds(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		ann := mkUser(t, s, "ann")
		ts := TrainingSession{
			UserID: ann.ID, ClientID: "kinds-1", Programme: "p", StartedAt: t0.Add(-time.Hour), EndedAt: t0,
			Symptoms: 2,
			Steps: []SessionStep{
				{Exercise: "a", Done: true},
				{Exercise: "b", Done: false, Symptoms: true, SymptomKinds: []string{"pain", "burning", "pain", "weakness"}},
				{Exercise: "c", Done: true, Symptoms: true},
				{Exercise: "d", Done: true, Symptoms: true, SymptomKinds: []string{"tingling"}},
			},
		}
		if _, _, err := s.AddTrainingSession(ctx, ts); err != nil {
			t.Fatal(err)
		}
		got, err := s.ListTrainingSessions(ctx, ann.ID, time.Time{}, time.Time{})
		if err != nil || len(got) != 1 {
			t.Fatalf("ListTrainingSessions = %v, %v", got, err)
		}
		wantKinds := [][]string{nil, {"burning", "weakness", "pain"}, nil, {"tingling"}}
		for i, st := range got[0].Steps {
			if !cmp.Equal(st.SymptomKinds, wantKinds[i]) {
				t.Errorf("step %d kinds = %#v, want %#v", i, st.SymptomKinds, wantKinds[i])
			}
		}
		if k := got[0].SymptomKinds(); !cmp.Equal(k, []string{"tingling", "burning", "weakness", "pain"}) {
			t.Errorf("session kinds = %v", k)
		}

		bad := ts
		bad.ClientID = "kinds-2"
		bad.Steps = []SessionStep{{Exercise: "a", Symptoms: true, SymptomKinds: []string{"itching"}}}
		_, _, err = s.AddTrainingSession(ctx, bad)
		wantCode(t, err, EINVALID, "symptom_kinds")
	})
}
