package store

import (
	"strings"
	"testing"
	"time"
)

// TestLoginDisplay: a login's shown form is kept beside its key and read
// back wherever the user is read (by id, by login, with a session, in the
// export); only the key is unique and looked up.
func TestLoginDisplay(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		soren, err := s.CreateUser(ctx, User{Login: "søren hansen", LoginDisplay: "Søren Hansen", Role: RolePatient})
		if err != nil {
			t.Fatal(err)
		}
		plain := mkUser(t, s, "anna")

		tests := []struct {
			name      string
			get       func() (User, error)
			key, show string
		}{
			{"by id", func() (User, error) { return s.UserByID(ctx, soren.ID) }, "søren hansen", "Søren Hansen"},
			{"by login", func() (User, error) { return s.UserByLogin(ctx, "søren hansen") }, "søren hansen", "Søren Hansen"},
			{"with the session", func() (User, error) {
				if err := s.Sessions().CommitUser(ctx, "tok-søren", soren.ID, nil, t0.Add(time.Hour)); err != nil {
					return User{}, err
				}
				_, u, _, err := s.Sessions().FindUser(ctx, "tok-søren", t0)
				if u == nil {
					return User{}, err
				}
				return *u, err
			}, "søren hansen", "Søren Hansen"},
			{"in the export", func() (User, error) {
				x, err := s.ExportUser(ctx, soren.ID)
				return x.User, err
			}, "søren hansen", "Søren Hansen"},
			{"no shown form", func() (User, error) { return s.UserByID(ctx, plain.ID) }, "anna", "anna"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				u, err := tt.get()
				if err != nil || u.Login != tt.key || u.ShownLogin() != tt.show {
					t.Fatalf("got %q shown as %q, %v; want %q shown as %q", u.Login, u.ShownLogin(), err, tt.key, tt.show)
				}
			})
		}
		// The shown form is looked up by nothing and unique in nothing:
		// only the key is.
		_, err = s.UserByLogin(ctx, "Søren Hansen")
		wantCode(t, err, ENOTFOUND, "")
		_, err = s.CreateUser(ctx, User{Login: "søren hansen", LoginDisplay: "SØREN HANSEN", Role: RolePatient})
		wantCode(t, err, ECONFLICT, "login")
		if _, err := s.CreateUser(ctx, User{Login: "søren", LoginDisplay: "Søren Hansen", Role: RolePatient}); err != nil {
			t.Errorf("a second shown form that is the same: %v", err)
		}
		for i, bad := range []string{strings.Repeat("ø", maxLogin), "\xff"} {
			_, err = s.CreateUser(ctx, User{Login: "x" + string(rune('0'+i)), LoginDisplay: bad, Role: RolePatient})
			wantCode(t, err, EINVALID, "login_display")
		}
		// A key of 100 four-byte characters fits, and so does its
		// sign-in limit's bucket.
		long := strings.Repeat("𝒜", 100)
		if _, err := s.CreateUser(ctx, User{Login: long, Role: RolePatient}); err != nil {
			t.Errorf("a 100-character key of 4-byte characters: %v", err)
		}
		if _, err := s.AddLoginAttempt(ctx, t0, "login:"+long); err != nil {
			t.Errorf("its bucket: %v", err)
		}
	})
}

// TestLoginDisplayMigration: accounts made before the shown form existed
// (schema step 5) keep their login and sign in by it after the migration.
func TestLoginDisplayMigration(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		p, err := s.provider(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.DownTo(ctx, 5); err != nil {
			t.Fatal(err)
		}
		if _, err := s.w.ExecContext(ctx, `INSERT INTO users (login, name, password_hash, role, created_at)
			VALUES ('anna.h', 'Anna Hansen', 'h', 'patient', 1)`); err != nil {
			t.Fatal(err)
		}
		if n, err := s.Migrate(ctx); err != nil || n < 1 {
			t.Fatalf("Migrate = %d, %v", n, err)
		}
		u, err := s.UserByLogin(ctx, "anna.h")
		if err != nil || u.Name != "Anna Hansen" || u.LoginDisplay != "" || u.ShownLogin() != "anna.h" {
			t.Fatalf("after the migration: %+v, %v", u, err)
		}
	})
}
