package account

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
)

const newPW = "en helt ny kode"

func resetState(err error) string {
	var re *ResetCodeError
	switch {
	case err == nil:
		return "ok"
	case !errors.As(err, &re):
		return "other: " + err.Error()
	case re.Form:
		return "form"
	case re.State == "":
		return "wrong"
	}
	return string(re.State)
}

// TestResetPassword: a code shown once in groups of four, typed however
// (any case, spaces), sets the password once, before it expires, for its
// own login only; the old password and every session stop working; a
// newer code replaces an older; a bad new password costs no attempt.
func TestResetPassword(t *testing.T) {
	clk := newClock()
	s, st := newService(t, clk)
	ctx := t.Context()
	anna, err := s.SignUp(ctx, "Anna", "", "gå en tur hver dag")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SignUp(ctx, "bent", "", "gå en tur hver dag"); err != nil {
		t.Fatal(err)
	}
	rc, err := s.IssueResetCode(ctx, anna.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$`).MatchString(rc.Code) {
		t.Errorf("code %q", rc.Code)
	}
	if !rc.ExpiresAt.Equal(clk.now().Add(24 * time.Hour)) {
		t.Errorf("expires %v", rc.ExpiresAt)
	}
	if err := st.Sessions().CommitUser(ctx, "anna-web", anna.ID, []byte("x"), clk.now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	typed := strings.ToLower(strings.ReplaceAll(rc.Code, "-", " "))
	addr := "192.0.2.1:1"
	for _, tc := range []struct {
		name, login, code, pw, want string
	}{
		{"a weak new password", "anna", rc.Code, "kort", "other: account: password: " + CheckPassword("password", "kort").(*Error).Message},
		{"not a code", "anna", "hej", newPW, "form"},
		{"another login's", "bent", rc.Code, newPW, "wrong"},
		{"no such login", "ingen", rc.Code, newPW, "wrong"},
		{"a wrong code", "anna", "7K2M-Q9XD-4PWA", newPW, "wrong"},
	} {
		if got := resetState(s.ResetPassword(ctx, tc.login, tc.code, tc.pw, addr)); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
	if err := s.ResetPassword(ctx, " ANNA ", typed, newPW, addr); err != nil {
		t.Fatalf("the right code, typed loosely: %v", err)
	}
	if _, err := s.SignIn(ctx, "anna", newPW, "198.51.100.1:1"); err != nil {
		t.Errorf("sign in with the new password: %v", err)
	}
	if _, err := s.SignIn(ctx, "anna", "gå en tur hver dag", "198.51.100.1:1"); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("the old password: %v", err)
	}
	if n, _ := st.Sessions().DeleteUser(ctx, anna.ID); n != 0 {
		t.Errorf("%d sessions outlived the reset", n)
	}
	if got := resetState(s.ResetPassword(ctx, "anna", rc.Code, "endnu en ny kode", "198.51.100.2:1")); got != "used" {
		t.Errorf("used twice: %s", got)
	}

	// Expiry: valid until its 24 hours are up.
	rc, _ = s.IssueResetCode(ctx, anna.ID, 0)
	clk.add(24 * time.Hour)
	if got := resetState(s.ResetPassword(ctx, "anna", rc.Code, newPW, "198.51.100.3:1")); got != "expired" {
		t.Errorf("after 24 hours: %s", got)
	}
	// A newer code replaces the older.
	old, _ := s.IssueResetCode(ctx, anna.ID, 0)
	clk.add(time.Hour)
	newer, _ := s.IssueResetCode(ctx, anna.ID, 0)
	if got := resetState(s.ResetPassword(ctx, "anna", old.Code, newPW, "198.51.100.4:1")); got != "wrong" {
		t.Errorf("the replaced code: %s", got)
	}
	clk.add(23*time.Hour - time.Second)
	if got := resetState(s.ResetPassword(ctx, "anna", newer.Code, newPW, "198.51.100.4:1")); got != "ok" {
		t.Errorf("the newer code a second before it expires: %s", got)
	}
}

// TestResetPasswordLimited: guessing codes is limited like signing in —
// per login (the account's burst, then one a minute) and per address — and
// the right code waits too; a failure lifts with time.
func TestResetPasswordLimited(t *testing.T) {
	clk := newClock()
	s, _ := newService(t, clk)
	ctx := t.Context()
	anna, err := s.SignUp(ctx, "anna", "", "gå en tur hver dag")
	if err != nil {
		t.Fatal(err)
	}
	rc, err := s.IssueResetCode(ctx, anna.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range DefaultLimits.PairBurst {
		if got := resetState(s.ResetPassword(ctx, "anna", "0000-0000-0000", newPW, "192.0.2.1:1")); got != "wrong" {
			t.Fatalf("guess %d: %s", i+1, got)
		}
	}
	var rl *RateLimitedError
	if err := s.ResetPassword(ctx, "anna", rc.Code, newPW, "192.0.2.1:1"); !errors.As(err, &rl) {
		t.Fatalf("after %d wrong codes from one address: %v, want a wait", DefaultLimits.PairBurst, err)
	}
	// The same buckets guard sign-in.
	if _, err := s.SignIn(ctx, "anna", "gå en tur hver dag", "192.0.2.1:1"); !errors.As(err, &rl) {
		t.Errorf("sign-in after the limit: %v", err)
	}
	// Per address: many logins from one address.
	for i := range DefaultLimits.AddrBurst {
		s.ResetPassword(ctx, "gæt"+string(rune('a'+i)), "0000-0000-0000", newPW, "203.0.113.9:1")
	}
	if err := s.ResetPassword(ctx, "bent", "0000-0000-0000", newPW, "203.0.113.9:1"); !errors.As(err, &rl) {
		t.Errorf("after %d guesses from one address: %v, want a wait", DefaultLimits.AddrBurst, err)
	}
	clk.add(time.Minute)
	if err := s.ResetPassword(ctx, "anna", rc.Code, newPW, "192.0.2.1:1"); err != nil {
		t.Errorf("after a minute, the right code: %v", err)
	}
	if _, err := s.SignIn(ctx, "anna", newPW, "192.0.2.1:1"); err != nil {
		t.Errorf("the limit of the old password's failures is lifted: %v", err)
	}
}
