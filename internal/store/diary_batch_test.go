package store

// The PostgreSQL diary batcher (diary_batch.go): entries waiting together go
// in one INSERT, each gets its own id (the right one) and its own answer.

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"
)

// holdDiaryInserts makes the next diary insert wait on a table lock until
// release is called: the batcher is then busy with it, and the entries sent
// meanwhile queue up to be taken as one batch.
func holdDiaryInserts(t *testing.T, s *Store) (release func()) {
	t.Helper()
	tx, err := s.w.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`LOCK TABLE diary_entries IN EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	release = func() { once.Do(func() { _ = tx.Rollback() }) }
	t.Cleanup(release)
	return release
}

// failFor is fixedDeriver, failing for one patient.
type failFor struct{ id int64 }

func (d failFor) Derive(u User, record func(from time.Time) (CareRecord, error)) (Derived, error) {
	if u.ID == d.id {
		return Derived{}, fmt.Errorf("deriving patient %d fails", u.ID)
	}
	return fixedDeriver{}.Derive(u, record)
}

func TestDiaryBatch(t *testing.T) {
	cases := []struct {
		name string
		bad  map[int]bool // entries for a user that does not exist
		// derive: a Deriver is installed and the two patients are in a
		// clinic; failSecond: deriving the second patient fails; left:
		// the second has left the clinic, and their stale line must go.
		derive, failSecond, left bool
	}{
		{"all succeed", nil, false, false, false},
		{"one refused", map[int]bool{3: true}, false, false, false},
		{"derived", nil, true, false, false},
		{"derived, one refused", map[int]bool{3: true}, true, false, false},
		{"deriving one patient fails", nil, true, true, false},
		{"derived, one out of the clinic", nil, true, false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := openTestPostgres(t)
			if s.diaries == nil {
				t.Fatal("no diary batcher on PostgreSQL")
			}
			ctx := t.Context()
			var clinic int64
			if tc.derive {
				s.SetDeriver(fixedDeriver{})
				c, err := s.CreateClinic(ctx, Clinic{Slug: "k", Name: "K"})
				if err != nil {
					t.Fatal(err)
				}
				clinic = c.ID
			}
			u1, u2 := inClinic(t, s, "ulla", "Ulla", clinic), inClinic(t, s, "viggo", "Viggo", clinic)
			if tc.failSecond {
				s.SetDeriver(failFor{u2.ID})
			}
			if tc.left { // behind the store's back: the summary stays until the next write
				if _, err := s.w.ExecContext(ctx, `UPDATE users SET clinic_id = NULL WHERE id = $1`, u2.ID); err != nil {
					t.Fatal(err)
				}
			}
			release := holdDiaryInserts(t, s)

			// The first entry takes the batcher and waits on the lock.
			firstDone := make(chan error, 1)
			go func() {
				_, err := s.AddDiaryEntry(ctx, diaryCase(u1.ID, t0, 1, 1, "first"))
				firstDone <- err
			}()
			for len(s.diaries.q.jobs) > 0 || !waitingOnLock(t, s) {
				runtime.Gosched()
			}

			const n = 12
			got := make([]DiaryEntry, n)
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					uid := []int64{u1.ID, u2.ID}[i%2]
					if tc.bad[i] {
						uid = 1 << 40
					}
					e := diaryCase(uid, t0.Add(time.Duration(i)*time.Minute), i%11, (i*3)%11, fmt.Sprint("entry ", i))
					got[i], errs[i] = s.AddDiaryEntry(ctx, e)
				})
			}
			for len(s.diaries.q.jobs) < n {
				runtime.Gosched()
			}
			multi := s.diaries.multi.Load()
			release()
			if err := <-firstDone; err != nil {
				t.Fatalf("first entry: %v", err)
			}
			wg.Wait()

			for i := range n {
				if tc.bad[i] {
					wantCode(t, errs[i], ENOTFOUND, "")
					continue
				}
				if tc.failSecond && i%2 == 1 {
					if errs[i] == nil {
						t.Errorf("entry %d saved although deriving its patient failed", i)
					}
					continue
				}
				if errs[i] != nil {
					t.Fatalf("entry %d: %v", i, errs[i])
				}
				// The id handed back is this entry's row, not a neighbour's.
				uid := []int64{u1.ID, u2.ID}[i%2]
				back, err := s.DiaryEntry(ctx, got[i].ID, uid)
				if err != nil {
					t.Fatalf("entry %d: read back id %d: %v", i, got[i].ID, err)
				}
				if back.Note != fmt.Sprint("entry ", i) || back.LegPain != i%11 || back.BackPain != (i*3)%11 {
					t.Errorf("entry %d: id %d holds %+v", i, got[i].ID, back)
				}
			}
			want := n + 1 - len(tc.bad)
			if tc.failSecond {
				want = n/2 + 1
			}
			if c := count(t, s, `SELECT count(*) FROM diary_entries`); c != want {
				t.Errorf("%d rows, want %d", c, want)
			}
			// Without a refusal, the twelve went in one statement.
			if d := s.diaries.multi.Load() - multi; tc.bad == nil && !tc.failSecond && d != 1 {
				t.Errorf("%d multi-row inserts for %d waiting entries, want 1", d, n)
			}
			// Each patient's alerts and list line are those of their whole
			// record, as after writing the entries one by one.
			for _, u := range []User{u1, u2} {
				if !tc.derive || (tc.failSecond && u.ID == u2.ID) {
					continue
				}
				if tc.left && u.ID == u2.ID {
					if n := count(t, s, `SELECT count(*) FROM patient_summary WHERE patient_id = $1`, u.ID); n != 0 {
						t.Errorf("%s left the clinic and still has %d lines on its list", u.Login, n)
					}
					continue
				}
				rec, err := s.CareRecord(ctx, u.ID, time.Time{})
				if err != nil {
					t.Fatal(err)
				}
				whole, err := fixedDeriver{}.Derive(u, func(time.Time) (CareRecord, error) { return rec, nil })
				if err != nil {
					t.Fatal(err)
				}
				rows, _, err := s.ClinicPatients(ctx, clinic, PatientQuery{Search: u.Login, Page: 1, PerPage: 10, Now: t0})
				if err != nil {
					t.Fatal(err)
				}
				if len(rows) != 1 || rows[0].LegPain == nil || *rows[0].LegPain != *whole.Summary.LegPain ||
					!rows[0].LegPainAt.Equal(whole.Summary.LegPainAt) || rows[0].OpenAlerts != len(whole.Alerts) {
					t.Errorf("%s's line %+v, want leg pain %d at %v and %d open alerts", u.Login, rows, *whole.Summary.LegPain, whole.Summary.LegPainAt, len(whole.Alerts))
				}
			}
		})
	}
}

// waitingOnLock reports whether some session waits for a lock.
func waitingOnLock(t *testing.T, s *Store) bool {
	t.Helper()
	return count(t, s, `SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'diary_entries'::regclass`) > 0
}

func TestDiaryBatchCancelled(t *testing.T) {
	s := openTestPostgres(t)
	u := mkUser(t, s, "ulla")
	release := holdDiaryInserts(t, s)
	go func() { _, _ = s.AddDiaryEntry(t.Context(), diaryCase(u.ID, t0, 1, 1, "first")) }()
	for !waitingOnLock(t, s) {
		runtime.Gosched()
	}
	ctx, cancel := context.WithCancel(t.Context())
	res := make(chan error, 1)
	go func() {
		_, err := s.AddDiaryEntry(ctx, diaryCase(u.ID, t0, 2, 2, "cancelled"))
		res <- err
	}()
	for len(s.diaries.q.jobs) < 1 {
		runtime.Gosched()
	}
	cancel()
	release()
	if err := <-res; err == nil {
		t.Fatal("an entry cancelled before its batch was saved")
	}
	if c := count(t, s, `SELECT count(*) FROM diary_entries WHERE note = 'cancelled'`); c != 0 {
		t.Errorf("%d rows of a cancelled entry", c)
	}
}
