package account

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/stenose/stenose/internal/store"
)

func codeAt(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestSecondFactor: enrolment by a first code; at sign-in a current code
// once, a code of the step before or after (a phone's clock a little
// off), never an old or reused one; recovery codes once each, typed
// however; wrong codes count against the sign-in limit.
func TestSecondFactor(t *testing.T) {
	clk := newClock()
	s, st := newService(t, clk)
	ctx := t.Context()
	u, err := s.Create(ctx, "Dorte Behandler", "Dorte", "en lang sætning her", store.RoleClinician)
	if err != nil {
		t.Fatal(err)
	}
	if !NeedsSecondFactor(u) {
		t.Fatal("a clinician signs in with a second factor")
	}
	if NeedsSecondFactor(store.User{Role: store.RolePatient}) {
		t.Fatal("a patient keeps the password alone")
	}
	en, err := s.BeginTOTP(u)
	if err != nil || len(en.Secret) < 16 || !strings.HasPrefix(en.URL, "otpauth://totp/stenose:Dorte%20Behandler?") || !strings.Contains(en.URL, "issuer=stenose") {
		t.Fatalf("BeginTOTP = %+v, %v", en, err)
	}
	if _, err := s.ConfirmTOTP(ctx, u.ID, en.Secret, "000000"); !errors.Is(err, ErrSecondFactor) {
		t.Errorf("a wrong first code: %v", err)
	}
	recovery, err := s.ConfirmTOTP(ctx, u.ID, en.Secret, codeAt(t, en.Secret, clk.now()))
	if err != nil || len(recovery) != 10 {
		t.Fatalf("ConfirmTOTP = %v, %v", recovery, err)
	}
	addr := "192.0.2.7:1"
	// The code that confirmed the enrolment is used.
	if err := s.VerifySecondFactor(ctx, u, codeAt(t, en.Secret, clk.now()), addr); !errors.Is(err, ErrSecondFactor) {
		t.Errorf("the enrolment's code again: %v", err)
	}
	clk.add(2 * time.Minute)
	now := clk.now()
	for _, tc := range []struct {
		name string
		at   time.Time
		ok   bool
	}{
		{"30 s ahead (the phone's clock)", now.Add(30 * time.Second), true},
		{"the current step, after a later one", now, false}, // steps only go forward
		{"two minutes late", now.Add(-2 * time.Minute), false},
	} {
		err := s.VerifySecondFactor(ctx, u, codeAt(t, en.Secret, tc.at), addr)
		if (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	clk.add(time.Minute)
	c := codeAt(t, en.Secret, clk.now())
	if err := s.VerifySecondFactor(ctx, u, c[:3]+" "+c[3:], addr); err != nil {
		t.Errorf("a current code with a space: %v", err)
	}
	if err := s.VerifySecondFactor(ctx, u, c, addr); !errors.Is(err, ErrSecondFactor) {
		t.Errorf("the same code twice: %v", err)
	}
	// Recovery codes, as typed.
	rc := strings.ToLower(strings.ReplaceAll(recovery[0], "-", " "))
	if err := s.VerifySecondFactor(ctx, u, rc, addr); err != nil {
		t.Errorf("recovery code %q: %v", rc, err)
	}
	if err := s.VerifySecondFactor(ctx, u, recovery[0], addr); !errors.Is(err, ErrSecondFactor) {
		t.Errorf("a recovery code twice: %v", err)
	}
	if n, _ := st.RecoveryCodesLeft(ctx, u.ID); n != 9 {
		t.Errorf("%d recovery codes left", n)
	}
	// Guessing is limited like passwords.
	limited := false
	for range 30 {
		var rl *RateLimitedError
		if err := s.VerifySecondFactor(ctx, u, "123456", addr); errors.As(err, &rl) {
			limited = true
			break
		}
	}
	if !limited {
		t.Error("30 wrong codes in a row were not limited")
	}
	// A user without a second factor has no code that works.
	p, _ := s.Create(ctx, "Anna", "", "en lang sætning her", store.RolePatient)
	if err := s.VerifySecondFactor(ctx, p, "123456", "192.0.2.8:1"); !errors.Is(err, ErrSecondFactor) {
		t.Errorf("no second factor: %v", err)
	}
}
