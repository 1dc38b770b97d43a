package clinic

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"

	"github.com/stenose/stenose/internal/account"
	"github.com/stenose/stenose/internal/store"
)

func newServices(t *testing.T, now func() time.Time) (*Service, *store.Store) {
	t.Helper()
	st, err := store.Open(t.Context(), "sqlite:"+filepath.Join(t.TempDir(), "s.db"), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	acc, err := account.New(st, account.Options{Now: now, Params: &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}})
	if err != nil {
		t.Fatal(err)
	}
	return New(st, acc, now), st
}

// TestSignUp: who a patient who signs up joins, with a code and without;
// codes that cannot be used say why.
func TestSignUp(t *testing.T) {
	t0 := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	now := t0
	s, st := newServices(t, func() time.Time { return now })
	ctx := t.Context()
	pw := "en lang sætning her"

	// No clinics: open, in none (a one-clinic install).
	u, err := s.SignUp(ctx, "Anna", "", pw, "", "192.0.2.1:1")
	if err != nil || u.ClinicID != 0 {
		t.Fatalf("no clinics: %+v, %v", u, err)
	}
	nord, err := s.Add(ctx, store.Clinic{Slug: "nord", Name: "Klinik Nord"}) // invitation only, the default
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SignUp(ctx, "Bo", "", pw, "", "192.0.2.1:1"); !errors.Is(err, ErrInviteOnly) {
		t.Errorf("invitation only, no code: %v", err)
	}
	syd, err := s.Add(ctx, store.Clinic{Slug: "syd", Name: "Klinik Syd", Signup: store.SignupOpen})
	if err != nil {
		t.Fatal(err)
	}
	if u, err := s.SignUp(ctx, "Bo", "", pw, "", "192.0.2.1:1"); err != nil || u.ClinicID != syd.ID {
		t.Errorf("one open clinic: %+v, %v", u, err)
	}

	inv, err := s.Invite(ctx, nord.ID, 0, "Carl Ø", "5-bedste-oevelser", 3)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Lookup(ctx, inv.Code)
	if err != nil || got.Clinic.ID != nord.ID || got.Name != "Carl Ø" {
		t.Errorf("Lookup = %+v, %v", got, err)
	}
	u, err = s.SignUp(ctx, "Carl", "Carl Ø", pw, " "+inv.Code+" ", "192.0.2.2:1")
	if err != nil || u.ClinicID != nord.ID {
		t.Fatalf("with the code: %+v, %v", u, err)
	}
	for _, tc := range []struct {
		name, code string
		want       CodeError
		at         time.Time
	}{
		{"used", inv.Code, CodeError{State: store.InvitationUsed}, t0},
		{"not a code", "12345", CodeError{Form: true}, t0},
		{"unknown", "7K2M-Q9XD-4PWA", CodeError{}, t0},
	} {
		now = tc.at
		_, err := s.SignUp(ctx, "Dora "+tc.name, "", pw, tc.code, "192.0.2.3:1")
		var ce *CodeError
		if !errors.As(err, &ce) || *ce != tc.want {
			t.Errorf("%s: %v, want %+v", tc.name, err, tc.want)
		}
		if _, err := s.Lookup(ctx, tc.code); !errors.As(err, &ce) || *ce != tc.want {
			t.Errorf("Lookup %s: %v", tc.name, err)
		}
	}
	old, err := s.Invite(ctx, nord.ID, 0, "", "", 1)
	if err != nil {
		t.Fatal(err)
	}
	now = t0.Add(25 * time.Hour)
	var ce *CodeError
	if _, err := s.SignUp(ctx, "Eva", "", pw, old.Code, "192.0.2.4:1"); !errors.As(err, &ce) || ce.State != store.InvitationExpired {
		t.Errorf("expired: %v", err)
	}
	if _, err := st.UserByLogin(ctx, "eva"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an expired code made an account: %v", err)
	}
	// Guessing codes is limited like sign-in, per address.
	limited := false
	for i := range 40 {
		code, _ := NewCode()
		_, err := s.SignUp(ctx, "Gæt", "", pw, code, "198.51.100.9:1")
		var rl *account.RateLimitedError
		if errors.As(err, &rl) {
			limited = i > 0
			break
		}
	}
	if !limited {
		t.Error("40 guessed codes from one address were not limited")
	}
	// Another address is not held up by it.
	fresh, _ := s.Invite(ctx, nord.ID, 0, "", "", 0)
	if _, err := s.SignUp(ctx, "Frida", "", pw, fresh.Code, "192.0.2.5:1"); err != nil {
		t.Errorf("another address: %v", err)
	}
	// A field error is the account service's, and uses nothing.
	fresh2, _ := s.Invite(ctx, nord.ID, 0, "", "", 0)
	var fe *account.Error
	if _, err := s.SignUp(ctx, "Anna", "", pw, fresh2.Code, "192.0.2.6:1"); !errors.As(err, &fe) || fe.Field != "login" {
		t.Errorf("a taken login: %v", err)
	}
	if got, err := s.Lookup(ctx, fresh2.Code); err != nil || got.Clinic.ID != nord.ID {
		t.Errorf("the code after a refused sign-up: %v", err)
	}
	if _, err := s.Invite(ctx, nord.ID, 0, "", "", 91); err == nil {
		t.Error("an invitation for 91 days")
	}
}
