package store

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestPSFS: PSFS scorings saved and listed oldest first, each patient's
// own; what a scoring may hold. Runs on both engines (forEachStore,
// store_test.go).
func TestPSFS(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		ann, bo := mkUser(t, s, "ann"), mkUser(t, s, "bo")

		if got, err := s.ListPSFS(ctx, ann.ID); err != nil || len(got) != 0 {
			t.Fatalf("ListPSFS with none = %v, %v", got, err)
		}

		base := []PSFSActivity{{"gå til bageren", 3}, {"stå og lave mad", 4}}
		// Added out of order: the list is by time, not by insertion.
		week4, err := s.AddPSFS(ctx, ann.ID, t0.Add(-2*time.Hour), []PSFSActivity{{"gå til bageren", 6}, {"stå og lave mad", 5}, {"<b>cykle</b> \"ud\" & hjem", 7}})
		if err != nil {
			t.Fatal(err)
		}
		first, err := s.AddPSFS(ctx, ann.ID, t0.Add(-28*24*time.Hour), base)
		if err != nil {
			t.Fatal(err)
		}
		want := PSFS{ID: first.ID, UserID: ann.ID, At: t0.Add(-28 * 24 * time.Hour), Activities: base, CreatedAt: t0}
		if diff := cmp.Diff(want, first); diff != "" {
			t.Errorf("AddPSFS (-want +got):\n%s", diff)
		}
		now, err := s.AddPSFS(ctx, ann.ID, time.Time{}, []PSFSActivity{{strings.Repeat("æ", 80), 10}})
		if err != nil {
			t.Fatal(err)
		}
		if !now.At.Equal(t0) {
			t.Errorf("At without a time = %v, want the store's clock %v", now.At, t0)
		}
		if _, err := s.AddPSFS(ctx, bo.ID, t0, []PSFSActivity{{"bos aktivitet", 0}}); err != nil {
			t.Fatal(err)
		}

		got, err := s.ListPSFS(ctx, ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]PSFS{first, week4, now}, got); diff != "" {
			t.Errorf("ListPSFS (-want +got):\n%s", diff)
		}
		if m := got[1].Mean(); m != 6 {
			t.Errorf("Mean = %v, want 6", m)
		}

		tests := []struct {
			name        string
			user        int64
			as          []PSFSActivity
			code, field string
		}{
			{"no activity", ann.ID, nil, EINVALID, "activities"},
			{"four activities", ann.ID, []PSFSActivity{{"a", 1}, {"b", 1}, {"c", 1}, {"d", 1}}, EINVALID, "activities"},
			{"blank name", ann.ID, []PSFSActivity{{"  ", 1}}, EINVALID, "name"},
			{"name of 81 characters", ann.ID, []PSFSActivity{{strings.Repeat("æ", 81), 1}}, EINVALID, "name"},
			{"control character", ann.ID, []PSFSActivity{{"gå\x00", 1}}, EINVALID, "name"},
			{"invalid UTF-8", ann.ID, []PSFSActivity{{"g\xffå", 1}}, EINVALID, "name"},
			{"score 11", ann.ID, []PSFSActivity{{"gå", 11}}, EINVALID, "score"},
			{"score -1", ann.ID, []PSFSActivity{{"gå", -1}}, EINVALID, "score"},
			{"unknown user", 999999, []PSFSActivity{{"gå", 5}}, ENOTFOUND, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := s.AddPSFS(ctx, tt.user, t0, tt.as)
				wantCode(t, err, tt.code, tt.field)
			})
		}
		if got, _ := s.ListPSFS(ctx, ann.ID); len(got) != 3 {
			t.Errorf("after the refused scorings ann has %d, want 3", len(got))
		}
		if got, _ := s.ListPSFS(ctx, bo.ID); len(got) != 1 || got[0].Activities[0].Name != "bos aktivitet" {
			t.Errorf("bo's scorings = %+v", got)
		}
	})
}
