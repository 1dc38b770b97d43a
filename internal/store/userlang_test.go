package store

import (
	"testing"
	"time"
)

// TestUserLang: the app's language choice kept on the account, on both
// engines (forEachStore, store_test.go), and read with the user wherever a
// user is read: by id, by login, and with a session.
func TestUserLang(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		ann, bo := mkUser(t, s, "ann"), mkUser(t, s, "bo")
		if err := s.Sessions().CommitUser(ctx, "ann-tok", ann.ID, []byte("x"), t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		langs := func(t *testing.T, u User) []string {
			t.Helper()
			byID, err := s.UserByID(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			byLogin, err := s.UserByLogin(ctx, u.Login)
			if err != nil {
				t.Fatal(err)
			}
			out := []string{byID.Lang, byLogin.Lang}
			if u.ID == ann.ID {
				_, su, _, err := s.Sessions().FindUser(ctx, "ann-tok", t0)
				if err != nil || su == nil {
					t.Fatalf("FindUser: %+v, %v", su, err)
				}
				out = append(out, su.Lang)
			}
			return out
		}
		same := func(got []string, want string) bool {
			for _, g := range got {
				if g != want {
					return false
				}
			}
			return true
		}

		if got := langs(t, ann); !same(got, "") {
			t.Fatalf("Lang before any choice = %q; want \"\"", got)
		}
		for _, tc := range []struct {
			set, want string
		}{
			{"en", "en"},
			{"da", "da"},
			{"en", "en"},
			{"", ""}, // forgets the choice
		} {
			if err := s.SetUserLang(ctx, ann.ID, tc.set); err != nil {
				t.Fatalf("SetUserLang(%q): %v", tc.set, err)
			}
			if got := langs(t, ann); !same(got, tc.want) {
				t.Errorf("after SetUserLang(%q): Lang = %q; want %q", tc.set, got, tc.want)
			}
			if got := langs(t, bo); !same(got, "") {
				t.Errorf("after ann's SetUserLang(%q): bo's Lang = %q; want \"\"", tc.set, got)
			}
		}

		for _, bad := range []string{"de", "EN", "english", "da "} {
			wantCode(t, s.SetUserLang(ctx, ann.ID, bad), EINVALID, "lang")
		}
		wantCode(t, s.SetUserLang(ctx, 1<<40, "en"), ENOTFOUND, "")

		// The rest of the account is untouched, and the choice is in the export.
		if err := s.SetUserLang(ctx, bo.ID, "en"); err != nil {
			t.Fatal(err)
		}
		if u, err := s.UserByID(ctx, bo.ID); err != nil || u.Login != bo.Login || u.Name != bo.Name || u.Role != bo.Role || u.Lang != "en" {
			t.Errorf("UserByID after SetUserLang = %+v, %v; want %+v with lang en", u, err, bo)
		}
		if x, err := s.ExportUser(ctx, bo.ID); err != nil || x.User.Lang != "en" {
			t.Errorf("export's user after SetUserLang: %+v, %v", x.User, err)
		}
	})
}
