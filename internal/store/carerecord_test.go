package store

import (
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestCareRecord: a patient's care record holds what the single lists hold
// (the diary, sessions and walks from `from` on), the current targets, and
// nothing of another patient's; an empty record is no error. Runs on both
// engines (forEachStore, store_test.go).
func TestCareRecord(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		ann, bo := fill(t, s, "ann"), fill(t, s, "bo")
		sessions, err := s.ListTrainingSessions(ctx, ann.user.ID, time.Time{}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		walks, err := s.ListWalks(ctx, ann.user.ID, time.Time{}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		current := ann.targets[len(ann.targets)-1]
		programme := ann.programmes[len(ann.programmes)-1]
		want := CareRecord{
			Programme:        &programme,
			RedFlagCheckins:  ann.checkins,
			Baselines:        ann.baselines,
			Diary:            ann.diary,
			TrainingSessions: sessions,
			Walks:            walks,
			PSFS:             ann.psfs,
			Targets:          &current,
		}
		got, err := s.CareRecord(ctx, ann.user.ID, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("whole record (-want +got):\n%s", diff)
		}

		// From 90 minutes ago: the diary (days ago) is left out, and of the
		// sessions and walks (2 h and 1 h ago) the later one stays; the
		// check-ins, baselines, PSFS and targets are read whole.
		from := t0.Add(-90 * time.Minute)
		want.Diary, want.TrainingSessions, want.Walks = nil, sessions[1:], walks[1:]
		got, err = s.CareRecord(ctx, ann.user.ID, from)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("record from %v (-want +got):\n%s", from, diff)
		}

		// bo's record is bo's alone.
		got, err = s.CareRecord(ctx, bo.user.ID, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Diary) != len(bo.diary) || got.Targets == nil || got.Targets.UserID != bo.user.ID {
			t.Errorf("bo's record %+v", got)
		}
		for _, e := range got.Diary {
			if e.UserID != bo.user.ID {
				t.Errorf("bo's record holds %+v", e)
			}
		}

		// No records, or no such user: an empty record.
		cara := mkUser(t, s, "cara")
		for _, id := range []int64{cara.ID, 999999} {
			got, err := s.CareRecord(ctx, id, time.Time{})
			if err != nil {
				t.Fatalf("user %d: %v", id, err)
			}
			if diff := cmp.Diff(CareRecord{}, got); diff != "" {
				t.Errorf("user %d: empty record (-want +got):\n%s", id, diff)
			}
		}
	})
}

// TestCareRecordSnapshot: the record is read in one snapshot. A writer
// adds diary entry k and then sets the walking target to k minutes; a
// record read alongside, which reads the diary before the targets, never
// holds a target from a later write than its diary.
func TestCareRecordSnapshot(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		u := mkUser(t, s, "ann")
		const writes = 40
		done := make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() {
			defer close(done)
			var prev int64
			for k := 1; k <= writes; k++ {
				if _, err := s.AddDiaryEntry(ctx, diaryCase(u.ID, t0.Add(-time.Duration(k)*time.Minute), 3, 2, "")); err != nil {
					t.Error(err)
					return
				}
				tg, err := s.SetTargets(ctx, Targets{UserID: u.ID, At: t0, WalkMinutes: k, SetBy: SetByRules}, prev)
				if err != nil {
					t.Error(err)
					return
				}
				prev = tg.ID
			}
		})
		reads := 0
	read:
		for {
			select {
			case <-done:
				break read
			default:
			}
			r, err := s.CareRecord(ctx, u.ID, time.Time{})
			if err != nil {
				t.Error(err)
				break
			}
			reads++
			if r.Targets != nil && r.Targets.WalkMinutes > len(r.Diary) {
				t.Errorf("read %d: targets of write %d beside a diary of %d entries: not one snapshot", reads, r.Targets.WalkMinutes, len(r.Diary))
				break
			}
		}
		wg.Wait()
		if reads == 0 {
			t.Log("the writer finished before the first read")
		}
	})
}
