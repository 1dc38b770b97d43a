package store

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestLoginAttempts(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		at := func(sec int) time.Time { return t0.Add(time.Duration(sec) * time.Second) }

		// Two attempts at one second, one later; each under two buckets.
		var ids [][]int64
		for _, sec := range []int{0, 0, 30} {
			got, err := s.AddLoginAttempt(ctx, at(sec), "login:anna", "addr:192.0.2.1")
			if err != nil || len(got) != 2 || got[0] == got[1] {
				t.Fatalf("AddLoginAttempt = %v, %v", got, err)
			}
			ids = append(ids, got)
		}
		bent, err := s.AddLoginAttempt(ctx, at(10), "login:bent")
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"", strings.Repeat("x", maxBucket+1)} {
			_, err := s.AddLoginAttempt(ctx, at(0), "login:ok", bad)
			wantCode(t, err, EINVALID, "bucket")
		}
		if n, _ := s.CountLoginAttempts(ctx, "login:ok", time.Time{}); n != 0 {
			t.Errorf("a refused AddLoginAttempt left %d rows", n)
		}

		annRows := []LoginAttempt{{ids[0][0], at(0)}, {ids[1][0], at(0)}, {ids[2][0], at(30)}}
		for _, tc := range []struct {
			name   string
			bucket string
			since  time.Time
			limit  int
			want   []LoginAttempt
		}{
			{"all", "login:anna", time.Time{}, 0, annRows},
			{"since is inclusive", "login:anna", at(0), 0, annRows},
			{"since the last", "login:anna", at(1), 0, annRows[2:]},
			{"newest two, oldest first", "login:anna", time.Time{}, 2, annRows[1:]},
			{"the address", "addr:192.0.2.1", at(30), 0, []LoginAttempt{{ids[2][1], at(30)}}},
			{"another login", "login:bent", time.Time{}, 0, []LoginAttempt{{bent[0], at(10)}}},
			{"none", "login:nobody", time.Time{}, 0, nil},
			{"in the future", "login:anna", at(31), 0, nil},
		} {
			got, err := s.LoginAttempts(ctx, tc.bucket, tc.since, tc.limit)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s: LoginAttempts (-want +got):\n%s", tc.name, diff)
			}
			n, err := s.CountLoginAttempts(ctx, tc.bucket, tc.since)
			if tc.limit == 0 && (err != nil || n != len(tc.want)) {
				t.Errorf("%s: CountLoginAttempts = %d, %v; want %d", tc.name, n, err, len(tc.want))
			}
		}

		// Another server on the same database sees the same rows.
		s2 := reopenStore(t, s)
		if n, err := s2.CountLoginAttempts(ctx, "login:anna", time.Time{}); err != nil || n != 3 {
			t.Errorf("second store: %d, %v", n, err)
		}

		// Delete one attempt's rows (a success); unknown ids are no error.
		if err := s2.DeleteLoginAttempts(ctx, ids[1][0], ids[1][1], 1<<40); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteLoginAttempts(ctx); err != nil {
			t.Fatal(err)
		}
		for bucket, want := range map[string]int{"login:anna": 2, "addr:192.0.2.1": 2, "login:bent": 1} {
			if n, _ := s.CountLoginAttempts(ctx, bucket, time.Time{}); n != want {
				t.Errorf("after delete %s: %d rows, want %d", bucket, n, want)
			}
		}

		// Prune: strictly older than before, any bucket.
		if n, err := s.PruneLoginAttempts(ctx, at(10)); err != nil || n != 2 {
			t.Errorf("PruneLoginAttempts = %d, %v; want the 2 rows at 0", n, err)
		}
		if n, err := s.PruneLoginAttempts(ctx, at(10)); err != nil || n != 0 {
			t.Errorf("PruneLoginAttempts again = %d, %v", n, err)
		}
		// Clear: one bucket only.
		if n, err := s.ClearLoginAttempts(ctx, "login:anna"); err != nil || n != 1 {
			t.Errorf("ClearLoginAttempts = %d, %v", n, err)
		}
		for bucket, want := range map[string]int{"login:anna": 0, "addr:192.0.2.1": 1, "login:bent": 1} {
			if n, _ := s.CountLoginAttempts(ctx, bucket, time.Time{}); n != want {
				t.Errorf("after prune and clear %s: %d rows, want %d", bucket, n, want)
			}
		}
	})
}

// TestLoginAttemptsConcurrent: attempts added at once from two servers on
// one database are all kept, with distinct ids.
func TestLoginAttemptsConcurrent(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		stores := []*Store{s, reopenStore(t, s)}
		const each = 20
		var wg sync.WaitGroup
		var mu sync.Mutex
		seen := map[int64]bool{}
		for i := range 2 * each {
			wg.Go(func() {
				ids, err := stores[i%2].AddLoginAttempt(ctx, t0, "login:anna")
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				seen[ids[0]] = true
				mu.Unlock()
			})
		}
		wg.Wait()
		got, err := s.LoginAttempts(ctx, "login:anna", t0, 0)
		if err != nil || len(got) != 2*each || len(seen) != 2*each {
			t.Fatalf("%d rows (%v), %d distinct ids; want %d", len(got), err, len(seen), 2*each)
		}
		for i := 1; i < len(got); i++ {
			if got[i].ID <= got[i-1].ID {
				t.Fatalf("rows not in id order: %v", got)
			}
		}
	})
}
