package store

// The SQLite committer (commit.go): writes waiting together share one
// transaction, yet each succeeds or fails on its own and is answered only
// after the commit.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// A panicking write alone (no batch) is an error too, and the committer
// goes on.
func TestCommitterPanicAlone(t *testing.T) {
	s := openTestSQLite(t)
	err := s.write(t.Context(), "test", func(*sql.Tx) error { panic("boom") })
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("panicking write: %v", err)
	}
	mkUser(t, s, "after")
}

// blockWriter occupies the committer until the returned func is called, so
// that the writes sent meanwhile wait and are then taken as one batch.
func blockWriter(t *testing.T, s *Store) (release func()) {
	t.Helper()
	started, gate := make(chan struct{}), make(chan struct{})
	go func() {
		_ = s.write(context.Background(), "block", func(*sql.Tx) error {
			close(started)
			<-gate
			return nil
		})
	}()
	<-started
	var once sync.Once
	release = func() { once.Do(func() { close(gate) }) }
	t.Cleanup(release)
	return release
}

// waitQueued waits until n writes are waiting for the committer.
func waitQueued(t *testing.T, s *Store, n int) {
	t.Helper()
	for len(s.commit.q.jobs) < n {
		runtime.Gosched()
	}
}

func TestCommitterBatches(t *testing.T) {
	cases := []struct {
		name string
		// fail[i] makes write i fail after inserting its row: "fn" returns
		// an error, "constraint" violates a UNIQUE constraint, "tx" ends the
		// whole transaction under the committer's feet.
		fail map[int]string
	}{
		{"all succeed", nil},
		{"one function fails", map[int]string{3: "fn"}},
		{"one constraint fails", map[int]string{0: "constraint", 5: "constraint"}},
		{"one ends the transaction", map[int]string{4: "tx"}},
		{"one panics", map[int]string{2: "panic"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := openTestSQLite(t)
			ctx := t.Context()
			u := mkUser(t, s, "batch")
			mkUser(t, s, "taken")
			release := blockWriter(t, s)

			const n = 8
			var mu sync.Mutex
			txs := map[*sql.Tx]int{}
			errs := make([]error, n)
			var done sync.WaitGroup
			for i := range n {
				done.Go(func() {
					errs[i] = s.write(ctx, "test", func(tx *sql.Tx) error {
						mu.Lock()
						txs[tx]++
						mu.Unlock()
						if _, err := tx.ExecContext(ctx, `INSERT INTO diary_entries (user_id, at, leg_pain, back_pain, tingling, burning, weakness, note, created_at, updated_at)
							VALUES ($1, 0, 0, 0, false, false, false, $2, 0, 0)`, u.ID, fmt.Sprint("w", i)); err != nil {
							return err
						}
						switch tc.fail[i] {
						case "fn":
							return errors.New("refused")
						case "constraint":
							_, err := tx.ExecContext(ctx, `UPDATE users SET login = 'taken' WHERE id = $1`, u.ID)
							return err
						case "panic":
							panic("a bug in one write")
						case "tx":
							_, err := tx.ExecContext(ctx, `ROLLBACK`)
							return err
						}
						return nil
					})
				})
			}
			waitQueued(t, s, n)
			release()
			done.Wait()

			want := 0
			for i, err := range errs {
				switch kind := tc.fail[i]; {
				case kind == "" && err != nil:
					t.Errorf("write %d: %v, want success", i, err)
				case kind == "constraint" && ErrorCode(err) != ECONFLICT:
					t.Errorf("write %d: %v, want a conflict", i, err)
				case kind != "" && err == nil:
					t.Errorf("write %d succeeded, want its error", i)
				}
				if tc.fail[i] == "" {
					want++
				}
			}
			if got := count(t, s, `SELECT count(*) FROM diary_entries`); got != want {
				t.Errorf("%d rows stored, want %d (the failed writes' rows rolled back, the others kept)", got, want)
			}
			for i := range n {
				rows := count(t, s, `SELECT count(*) FROM diary_entries WHERE note = $1`, fmt.Sprint("w", i))
				if ok := tc.fail[i] == ""; (rows == 1) != ok {
					t.Errorf("write %d: %d rows, succeeded %v", i, rows, ok)
				}
			}
			if u2, err := s.UserByID(ctx, u.ID); err != nil || u2.Login != "batch" {
				t.Errorf("user after the batch: %+v, %v (a failed write's change kept)", u2, err)
			}
			// With no failure at all, the eight waiting writes shared one
			// transaction: that is the point of the committer.
			if tc.fail == nil && len(txs) != 1 {
				t.Errorf("%d writes ran in %d transactions, want 1", n, len(txs))
			}
		})
	}
}

func TestCommitterCancelled(t *testing.T) {
	s := openTestSQLite(t)
	u := mkUser(t, s, "gone")
	release := blockWriter(t, s)
	ctx, cancel := context.WithCancel(t.Context())
	res := make(chan error, 1)
	ran := false
	go func() {
		res <- s.write(ctx, "test", func(tx *sql.Tx) error {
			ran = true
			_, err := tx.Exec(`UPDATE users SET login = 'changed' WHERE id = $1`, u.ID)
			return err
		})
	}()
	waitQueued(t, s, 1)
	cancel()
	release()
	if err := <-res; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled write: %v, want context.Canceled", err)
	}
	if ran {
		t.Error("a write cancelled before it began still ran")
	}
	if got, _ := s.UserByID(t.Context(), u.ID); got.Login != "gone" {
		t.Errorf("login %q after a cancelled write", got.Login)
	}
}

func TestCommitterClosed(t *testing.T) {
	s := openTestSQLite(t)
	s.Close()
	if _, err := s.CreateUser(t.Context(), User{Login: "late", Role: RolePatient}); err == nil {
		t.Fatal("a write after Close succeeded")
	}
}
