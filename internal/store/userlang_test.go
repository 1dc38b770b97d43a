package store

import "testing"

// TestUserLang: the app's language choice kept on the account, on both
// engines (forEachStore, store_test.go).
func TestUserLang(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		ann, bo := mkUser(t, s, "ann"), mkUser(t, s, "bo")

		if got, err := s.UserLang(ctx, ann.ID); err != nil || got != "" {
			t.Fatalf("UserLang before any choice = %q, %v; want \"\"", got, err)
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
			if got, err := s.UserLang(ctx, ann.ID); err != nil || got != tc.want {
				t.Errorf("after SetUserLang(%q): UserLang = %q, %v; want %q", tc.set, got, err, tc.want)
			}
			if got, err := s.UserLang(ctx, bo.ID); err != nil || got != "" {
				t.Errorf("after ann's SetUserLang(%q): bo's UserLang = %q, %v; want \"\"", tc.set, got, err)
			}
		}

		for _, bad := range []string{"de", "EN", "english", "da "} {
			wantCode(t, s.SetUserLang(ctx, ann.ID, bad), EINVALID, "lang")
		}
		wantCode(t, s.SetUserLang(ctx, 1<<40, "en"), ENOTFOUND, "")
		_, err := s.UserLang(ctx, 1<<40)
		wantCode(t, err, ENOTFOUND, "")

		// The rest of the account is untouched, and the choice goes with it.
		if err := s.SetUserLang(ctx, bo.ID, "en"); err != nil {
			t.Fatal(err)
		}
		if u, err := s.UserByID(ctx, bo.ID); err != nil || u.Login != bo.Login || u.Name != bo.Name || u.Role != bo.Role {
			t.Errorf("UserByID after SetUserLang = %+v, %v; want %+v", u, err, bo)
		}
		if err := s.DeleteUser(ctx, bo.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.UserLang(ctx, bo.ID)
		wantCode(t, err, ENOTFOUND, "")
	})
}
