package store

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestListUsersPage: the admin's list filters by clinic (or none), role
// and a search in name or login, in SQL, pages by id and counts the whole.
func TestListUsersPage(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		c1, err := s.CreateClinic(ctx, Clinic{Slug: "een", Name: "Et"})
		if err != nil {
			t.Fatal(err)
		}
		c2, err := s.CreateClinic(ctx, Clinic{Slug: "to", Name: "To"})
		if err != nil {
			t.Fatal(err)
		}
		mk := func(login, name string, role Role, clinic int64) int64 {
			u, err := s.CreateUser(ctx, User{Login: login, Name: name, Role: role, ClinicID: clinic})
			if err != nil {
				t.Fatal(err)
			}
			return u.ID
		}
		ann := mk("ann", "Ann Ærø", RolePatient, c1.ID)
		bo := mk("bo", "Bo Hansen", RolePatient, c1.ID)
		dorte := mk("dorte", "Dorte Behandler", RoleClinician, c1.ID)
		cai := mk("cai", "Cai 100%_sikker", RolePatient, c2.ID)
		root := mk("root", "", RoleAdmin, 0)
		ids := func(us []User) []int64 {
			out := []int64{}
			for _, u := range us {
				out = append(out, u.ID)
			}
			return out
		}
		for _, tc := range []struct {
			name  string
			f     UserFilter
			want  []int64
			total int
		}{
			{"all", UserFilter{Limit: 10}, []int64{ann, bo, dorte, cai, root}, 5},
			{"clinic 1", UserFilter{Clinic: c1.ID, Limit: 10}, []int64{ann, bo, dorte}, 3},
			{"clinic 2", UserFilter{Clinic: c2.ID, Limit: 10}, []int64{cai}, 1},
			{"no clinic", UserFilter{NoClinic: true, Limit: 10}, []int64{root}, 1},
			{"clinicians of 1", UserFilter{Clinic: c1.ID, Role: RoleClinician, Limit: 10}, []int64{dorte}, 1},
			{"patients", UserFilter{Role: RolePatient, Limit: 10}, []int64{ann, bo, cai}, 3},
			{"search a name", UserFilter{Search: "hansen", Limit: 10}, []int64{bo}, 1},
			{"search as written", UserFilter{Search: "Ærø", Limit: 10}, []int64{ann}, 1},
			// Neither engine's lower() folds æ, ø, å (SQLite's is ASCII,
			// PostgreSQL's in the C locale too): users.name_fold does.
			{"search Danish letters in lower case", UserFilter{Search: "ærø", Limit: 10}, []int64{ann}, 1},
			{"search Danish letters in upper case", UserFilter{Search: "ANN ÆRØ", Limit: 10}, []int64{ann}, 1},
			{"search a login key", UserFilter{Search: "DORTE", SearchKey: "dorte", Limit: 10}, []int64{dorte}, 1},
			{"a search's % and _ are letters", UserFilter{Search: "0%_", Limit: 10}, []int64{cai}, 1},
			{"a % alone finds no one without one", UserFilter{Search: "%", Clinic: c1.ID, Limit: 10}, []int64{}, 0},
			{"search in another clinic", UserFilter{Clinic: c2.ID, Search: "hansen", Limit: 10}, []int64{}, 0},
			{"page 1", UserFilter{Limit: 2}, []int64{ann, bo}, 5},
			{"page 3", UserFilter{Limit: 2, Offset: 4}, []int64{root}, 5},
			{"past the end", UserFilter{Limit: 2, Offset: 6}, []int64{}, 5},
		} {
			us, total, err := s.ListUsersPage(ctx, tc.f)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if got := ids(us); fmt.Sprint(got) != fmt.Sprint(tc.want) || total != tc.total {
				t.Errorf("%s: %v of %d, want %v of %d", tc.name, got, total, tc.want, tc.total)
			}
		}
		_, _, err = s.ListUsersPage(ctx, UserFilter{})
		wantCode(t, err, EINVALID, "limit")
		_, _, err = s.ListUsersPage(ctx, UserFilter{Limit: 5, Role: "boss"})
		wantCode(t, err, EINVALID, "role")

		// One clinic's user, the clinic in the query.
		if u, err := s.ClinicUser(ctx, c1.ID, ann); err != nil || u.Login != "ann" {
			t.Errorf("ClinicUser(c1, ann) = %+v, %v", u, err)
		}
		_, err = s.ClinicUser(ctx, c2.ID, ann)
		wantCode(t, err, ENOTFOUND, "")
		_, err = s.ClinicUser(ctx, c1.ID, root)
		wantCode(t, err, ENOTFOUND, "")
		_, err = s.ClinicUser(ctx, 0, ann)
		wantCode(t, err, EINVALID, "clinic_id")
	})
}

// TestResetCodes: a reset code is used once, before it expires, by its own
// user; using it sets the password and ends the sessions; a new code
// replaces the user's open one.
func TestResetCodes(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		ann, bo := mkUser(t, s, "ann"), mkUser(t, s, "bo")
		admin := mkUser(t, s, "admin")
		h1, h2, h3 := sha256.Sum256([]byte("1")), sha256.Sum256([]byte("2")), sha256.Sum256([]byte("3"))
		rc, err := s.CreateResetCode(ctx, ResetCode{UserID: ann.ID, CreatedBy: admin.ID, CreatedAt: t0, ExpiresAt: t0.Add(24 * time.Hour)}, h1)
		if err != nil {
			t.Fatal(err)
		}
		if rc.ID == 0 || !rc.ExpiresAt.Equal(t0.Add(24*time.Hour)) {
			t.Errorf("created %+v", rc)
		}
		_, err = s.CreateResetCode(ctx, ResetCode{UserID: ann.ID, CreatedAt: t0, ExpiresAt: t0}, h2)
		wantCode(t, err, EINVALID, "expires_at")
		_, err = s.CreateResetCode(ctx, ResetCode{UserID: 999, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}, h2)
		wantCode(t, err, ENOTFOUND, "")
		_, err = s.CreateResetCode(ctx, ResetCode{UserID: bo.ID, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}, h1)
		wantCode(t, err, ECONFLICT, "")

		if err := s.Sessions().CommitUser(ctx, "ann-web", ann.ID, []byte("x"), t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		state := func(err error) string {
			var re *ResetCodeError
			if !errors.As(err, &re) {
				return fmt.Sprintf("not a ResetCodeError: %v", err)
			}
			return "state " + string(re.State)
		}
		// Another user's code, or a wrong one: none.
		if got := state(s.UseResetCode(ctx, bo.ID, h1, "$argon2id$x", t0)); got != "state " {
			t.Errorf("bo with ann's code: %s", got)
		}
		if got := state(s.UseResetCode(ctx, ann.ID, h3, "$argon2id$x", t0)); got != "state " {
			t.Errorf("a wrong code: %s", got)
		}
		if err := s.UseResetCode(ctx, ann.ID, h1, "", t0); ErrorCode(err) != EINVALID {
			t.Errorf("an empty hash: %v", err)
		}
		// Used within its time: the password is set, the sessions end.
		if err := s.UseResetCode(ctx, ann.ID, h1, "$argon2id$new", t0.Add(23*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if u, _ := s.UserByID(ctx, ann.ID); u.PasswordHash != "$argon2id$new" {
			t.Errorf("password hash %q", u.PasswordHash)
		}
		if n, err := s.Sessions().DeleteUser(ctx, ann.ID); err != nil || n != 0 {
			t.Errorf("sessions left: %d, %v", n, err)
		}
		if got := state(s.UseResetCode(ctx, ann.ID, h1, "$argon2id$again", t0.Add(23*time.Hour))); got != "state used" {
			t.Errorf("used twice: %s", got)
		}
		if u, _ := s.UserByID(ctx, ann.ID); u.PasswordHash != "$argon2id$new" {
			t.Errorf("a used code changed the password: %q", u.PasswordHash)
		}
		// Expired at its expiry.
		if _, err := s.CreateResetCode(ctx, ResetCode{UserID: bo.ID, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}, h2); err != nil {
			t.Fatal(err)
		}
		if got := state(s.UseResetCode(ctx, bo.ID, h2, "$argon2id$x", t0.Add(time.Hour))); got != "state expired" {
			t.Errorf("at its expiry: %s", got)
		}
		// A new code replaces the open one.
		if _, err := s.CreateResetCode(ctx, ResetCode{UserID: bo.ID, CreatedAt: t0, ExpiresAt: t0.Add(2 * time.Hour)}, h3); err != nil {
			t.Fatal(err)
		}
		if got := state(s.UseResetCode(ctx, bo.ID, h2, "$argon2id$x", t0)); got != "state " {
			t.Errorf("the replaced code: %s", got)
		}
		// Two uses at once: one wins.
		var wg sync.WaitGroup
		errs := make([]error, 5)
		for i := range errs {
			wg.Go(func() { errs[i] = s.UseResetCode(ctx, bo.ID, h3, fmt.Sprintf("$argon2id$%d", i), t0) })
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if got := state(err); got != "state used" {
				t.Errorf("a racing use: %s", got)
			}
		}
		if ok != 1 {
			t.Errorf("%d racing uses succeeded, want 1", ok)
		}
	})
}

// TestFoldNames: users from before migration 17 have no folded name; the
// next Open fills it in, so the search by Danish letters finds them too.
func TestFoldNames(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		u, err := s.CreateUser(ctx, User{Login: "oe", Name: "Øjvind Østergård", Role: RolePatient})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.w.ExecContext(ctx, `UPDATE users SET name_fold = NULL WHERE id = $1`, u.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.foldNames(ctx); err != nil {
			t.Fatal(err)
		}
		var got string
		if err := s.w.QueryRowContext(ctx, `SELECT name_fold FROM users WHERE id = $1`, u.ID).Scan(&got); err != nil || got != "øjvind østergård" {
			t.Fatalf("name_fold = %q, %v", got, err)
		}
		us, n, err := s.ListUsersPage(ctx, UserFilter{Search: "ØSTERGÅRD", Limit: 5})
		if err != nil || n != 1 || us[0].ID != u.ID {
			t.Errorf("search after folding: %v of %d, %v", us, n, err)
		}
	})
}
