package store

// Diary entries with a client id (migration 16): the form's id makes an
// entry stored once however often the form is sent, on both engines, one
// after another and all at once, and through the PostgreSQL batcher.

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// formEntry is an entry as the diary form sends it, with client id cid.
func formEntry(userID int64, cid string, leg int, note string) DiaryEntry {
	e := diaryCase(userID, t0.Add(-time.Hour), leg, 2, note)
	e.ClientID = cid
	return e
}

// diaryRows counts userID's entries stored under clientID.
func diaryRows(t *testing.T, s *Store, userID int64, clientID string) int {
	t.Helper()
	return count(t, s, `SELECT count(*) FROM diary_entries WHERE user_id = $1 AND client_id = $2`, userID, clientID)
}

func TestDiaryClientID(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		ann, bo := mkUser(t, s, "ann"), mkUser(t, s, "bo")

		type send struct {
			e DiaryEntry
			// created: this send stores a new entry; else it answers
			// with the entry of send number same (from 0).
			created bool
			same    int
		}
		noAt := formEntry(ann.ID, "uden-tid", 3, "")
		noAt.At = time.Time{}
		tests := []struct {
			name  string
			sends []send
			// rows: ann's and bo's entries stored in all, after the sends
			rows int
		}{
			{"the same form twice", []send{
				{formEntry(ann.ID, "form-1", 4, "gik til bageren"), true, 0},
				{formEntry(ann.ID, "form-1", 4, "gik til bageren"), false, 0},
			}, 1},
			{"three times", []send{
				{formEntry(ann.ID, "form-3", 4, ""), true, 0},
				{formEntry(ann.ID, "form-3", 4, ""), false, 0},
				{formEntry(ann.ID, "form-3", 4, ""), false, 0},
			}, 1},
			{"different ids", []send{
				{formEntry(ann.ID, "form-a", 4, "x"), true, 0},
				{formEntry(ann.ID, "form-b", 4, "x"), true, 1},
			}, 2},
			{"another user's id", []send{
				{formEntry(ann.ID, "form-c", 4, "x"), true, 0},
				{formEntry(bo.ID, "form-c", 4, "x"), true, 1},
			}, 2},
			{"no id: stored each time", []send{
				{formEntry(ann.ID, "", 4, "x"), true, 0},
				{formEntry(ann.ID, "", 4, "x"), true, 1},
			}, 2},
			{"no time given: the store's clock", []send{
				{noAt, true, 0},
				{noAt, false, 0},
			}, 1},
			// The form shown again by the back button, another entry
			// written on it: stored, under the id and a digest; that one
			// sent again is a repeat of it.
			{"the same id with something else written", []send{
				{formEntry(ann.ID, "form-d", 4, "først"), true, 0},
				{formEntry(ann.ID, "form-d", 7, "bagefter"), true, 1},
				{formEntry(ann.ID, "form-d", 7, "bagefter"), false, 1},
				{formEntry(ann.ID, "form-d", 4, "først"), false, 0},
			}, 2},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := count(t, s, `SELECT count(*) FROM diary_entries`)
				var got []DiaryEntry
				for i, sd := range tt.sends {
					e, created, err := s.AddDiaryEntryOnce(ctx, sd.e)
					if err != nil {
						t.Fatalf("send %d: %v", i, err)
					}
					if created != sd.created {
						t.Errorf("send %d: created %v, want %v", i, created, sd.created)
					}
					back, err := s.DiaryEntry(ctx, e.ID, sd.e.UserID)
					if err != nil {
						t.Fatalf("send %d: read back %d: %v", i, e.ID, err)
					}
					if diff := cmp.Diff(back, e); diff != "" {
						t.Errorf("send %d: answered with an entry other than the stored one (-stored +answer):\n%s", i, diff)
					}
					if sd.created {
						if back.LegPain != sd.e.LegPain || back.Note != sd.e.Note || !strings.HasPrefix(back.ClientID, sd.e.ClientID) {
							t.Errorf("send %d: stored %+v for %+v", i, back, sd.e)
						}
					} else if e.ID != got[sd.same].ID {
						t.Errorf("send %d: answered entry %d, want send %d's %d", i, e.ID, sd.same, got[sd.same].ID)
					}
					got = append(got, e)
				}
				if n := count(t, s, `SELECT count(*) FROM diary_entries`) - before; n != tt.rows {
					t.Errorf("%d entries stored, want %d", n, tt.rows)
				}
			})
		}

		t.Run("the id is kept by an edit and in the export", func(t *testing.T) {
			e, err := s.AddDiaryEntry(ctx, formEntry(ann.ID, "form-edit", 4, "før"))
			if err != nil {
				t.Fatal(err)
			}
			e.Note = "efter"
			if _, err := s.UpdateDiaryEntry(ctx, e); err != nil {
				t.Fatal(err)
			}
			back, _ := s.DiaryEntry(ctx, e.ID, ann.ID)
			if back.ClientID != "form-edit" || back.Note != "efter" {
				t.Errorf("after the edit: %+v", back)
			}
			x, err := s.ExportUser(ctx, ann.ID)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, d := range x.Diary {
				ids = append(ids, d.ClientID)
			}
			if !strings.Contains(strings.Join(ids, " "), "form-edit") {
				t.Errorf("the export's client ids %q lack form-edit", ids)
			}
		})

		t.Run("deleted, then sent again", func(t *testing.T) {
			e, err := s.AddDiaryEntry(ctx, formEntry(ann.ID, "form-del", 4, ""))
			if err != nil {
				t.Fatal(err)
			}
			if err := s.DeleteDiaryEntry(ctx, e.ID, ann.ID); err != nil {
				t.Fatal(err)
			}
			again, created, err := s.AddDiaryEntryOnce(ctx, formEntry(ann.ID, "form-del", 4, ""))
			if err != nil || !created || again.ID == e.ID {
				t.Errorf("sent again after its deletion: %+v, created %v, %v; want a new entry", again, created, err)
			}
		})

		t.Run("refused ids", func(t *testing.T) {
			for _, cid := range []string{strings.Repeat("x", maxClientID+1), "bad\xff"} {
				_, err := s.AddDiaryEntry(ctx, formEntry(ann.ID, cid, 4, ""))
				wantCode(t, err, EINVALID, "client_id")
			}
		})
	})
}

// TestDiaryClientIDConcurrent: 16 sends of one form at once, half of them
// through a second Store on the same database (two instances), store one
// entry, and all 16 are answered with it; exactly one of them stored it.
func TestDiaryClientIDConcurrent(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		s2 := reopenStore(t, s)
		ann, bo := mkUser(t, s, "ann"), mkUser(t, s, "bo")
		const sends = 16
		for _, u := range []User{ann, bo} {
			ids := make([]int64, sends)
			created := make([]bool, sends)
			errs := make([]error, sends)
			var wg sync.WaitGroup
			for i := range sends {
				wg.Go(func() {
					st := []*Store{s, s2}[i%2]
					var e DiaryEntry
					e, created[i], errs[i] = st.AddDiaryEntryOnce(ctx, formEntry(u.ID, "dobbelt-tryk", 6, "samme formular"))
					ids[i] = e.ID
				})
			}
			wg.Wait()
			made := 0
			for i := range sends {
				if errs[i] != nil {
					t.Fatalf("%s, send %d: %v", u.Login, i, errs[i])
				}
				if ids[i] != ids[0] {
					t.Errorf("%s, send %d: entry %d, send 0: %d", u.Login, i, ids[i], ids[0])
				}
				if created[i] {
					made++
				}
			}
			if made != 1 {
				t.Errorf("%s: %d sends stored the entry, want 1", u.Login, made)
			}
			if n := diaryRows(t, s, u.ID, "dobbelt-tryk"); n != 1 {
				t.Errorf("%s: %d rows, want 1", u.Login, n)
			}
		}
		// Different ids at once: each its own row.
		var wg sync.WaitGroup
		errs := make(chan error, sends)
		for i := range sends {
			wg.Go(func() {
				if _, err := []*Store{s, s2}[i%2].AddDiaryEntry(ctx, formEntry(ann.ID, fmt.Sprint("form-", i), 6, "")); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if n := count(t, s, `SELECT count(*) FROM diary_entries WHERE user_id = $1 AND client_id LIKE 'form-%'`, ann.ID); n != sends {
			t.Errorf("%d entries of %d different ids", n, sends)
		}
	})
}

// TestDiaryBatchClientIDs: on PostgreSQL, entries waiting together go in
// one INSERT, and their client ids are honoured within the batch and
// against rows stored before it: each job gets the right entry and
// created, with and without a Deriver.
func TestDiaryBatchClientIDs(t *testing.T) {
	for _, derive := range []bool{false, true} {
		t.Run(fmt.Sprint("derive=", derive), func(t *testing.T) {
			s := openTestPostgres(t)
			ctx := t.Context()
			var clinic int64
			if derive {
				s.SetDeriver(fixedDeriver{})
				c, err := s.CreateClinic(ctx, Clinic{Slug: "k", Name: "K"})
				if err != nil {
					t.Fatal(err)
				}
				clinic = c.ID
			}
			u1, u2 := inClinic(t, s, "ulla", "Ulla", clinic), inClinic(t, s, "viggo", "Viggo", clinic)
			before, err := s.AddDiaryEntry(ctx, formEntry(u1.ID, "gemt", 5, "gemt før"))
			if err != nil {
				t.Fatal(err)
			}
			other, err := s.AddDiaryEntry(ctx, formEntry(u1.ID, "gemt-andet", 5, "gemt før"))
			if err != nil {
				t.Fatal(err)
			}

			release := holdDiaryInserts(t, s)
			firstDone := make(chan error, 1)
			go func() {
				_, err := s.AddDiaryEntry(ctx, diaryCase(u1.ID, t0, 1, 1, "first"))
				firstDone <- err
			}()
			for len(s.diaries.q.jobs) > 0 || !waitingOnLock(t, s) {
				runtime.Gosched()
			}

			// The batch, and what each job must get: a new entry, or the
			// entry of job same (-1: before, -2: other).
			type job struct {
				e       DiaryEntry
				created bool
				same    int
			}
			jobs := []job{
				0:  {formEntry(u1.ID, "a", 3, "a"), true, 0},
				1:  {formEntry(u1.ID, "a", 3, "a"), false, 0},            // repeated in the batch
				2:  {formEntry(u1.ID, "a", 3, "a"), false, 0},            // and again
				3:  {formEntry(u1.ID, "b", 3, "a"), true, 3},             // another id
				4:  {formEntry(u2.ID, "a", 3, "a"), true, 4},             // another user's same id
				5:  {formEntry(u1.ID, "gemt", 5, "gemt før"), false, -1}, // stored before the batch
				6:  {formEntry(u1.ID, "", 3, "uden id"), true, 6},        // no id
				7:  {formEntry(u1.ID, "", 3, "uden id"), true, 7},        // no id, again: another entry
				8:  {formEntry(u2.ID, "a", 3, "a"), false, 4},            // u2's repeat
				9:  {formEntry(u1.ID, "gemt-andet", 8, "ny"), true, 9},   // the id stored with something else
				10: {formEntry(u1.ID, "a", 9, "ny på a"), true, 10},      // the batch's id with something else
			}
			n := len(jobs)
			got := make([]DiaryEntry, n)
			created := make([]bool, n)
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				// Queued in order, so the batch holds them in this order.
				wg.Go(func() { got[i], created[i], errs[i] = s.AddDiaryEntryOnce(ctx, jobs[i].e) })
				for len(s.diaries.q.jobs) < i+1 {
					runtime.Gosched()
				}
			}
			multi := s.diaries.multi.Load()
			release()
			if err := <-firstDone; err != nil {
				t.Fatalf("first entry: %v", err)
			}
			wg.Wait()
			if d := s.diaries.multi.Load() - multi; d != 1 {
				t.Errorf("%d multi-row inserts for %d waiting entries, want 1", d, n)
			}
			for i, j := range jobs {
				if errs[i] != nil {
					t.Fatalf("job %d: %v", i, errs[i])
				}
				if created[i] != j.created {
					t.Errorf("job %d: created %v, want %v", i, created[i], j.created)
				}
				var wantID int64
				switch j.same {
				case -1:
					wantID = before.ID
				case -2:
					wantID = other.ID
				default:
					wantID = got[j.same].ID
				}
				if got[i].ID != wantID {
					t.Errorf("job %d: entry %d, want %d", i, got[i].ID, wantID)
				}
				back, err := s.DiaryEntry(ctx, got[i].ID, j.e.UserID)
				if err != nil {
					t.Fatalf("job %d: read back %d: %v", i, got[i].ID, err)
				}
				if diff := cmp.Diff(back, got[i]); diff != "" {
					t.Errorf("job %d: answered with an entry other than the stored one (-stored +answer):\n%s", i, diff)
				}
				if back.LegPain != j.e.LegPain || back.Note != j.e.Note {
					t.Errorf("job %d: entry %d holds %+v, want what %+v says", i, got[i].ID, back, j.e)
				}
			}
			for _, c := range []struct {
				user      int64
				cid, like string
				want      int
			}{
				{u1.ID, "a", "a", 1}, {u1.ID, "a", "a.%", 1}, {u1.ID, "b", "b", 1}, {u2.ID, "a", "a", 1},
				{u1.ID, "gemt", "gemt", 1}, {u1.ID, "gemt-andet", "gemt-andet", 1}, {u1.ID, "gemt-andet", "gemt-andet.%", 1},
			} {
				if k := count(t, s, `SELECT count(*) FROM diary_entries WHERE user_id = $1 AND client_id LIKE $2`, c.user, c.like); k != c.want {
					t.Errorf("user %d: %d rows with a client id like %q, want %d", c.user, k, c.like, c.want)
				}
			}
			// first, before, other, and the new ones: 0, 3, 4, 6, 7, 9, 10.
			if k := count(t, s, `SELECT count(*) FROM diary_entries`); k != 3+7 {
				t.Errorf("%d rows, want %d", k, 3+7)
			}
		})
	}
}
