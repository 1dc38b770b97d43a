package account

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func codeOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func TestParseLogin(t *testing.T) {
	for _, tc := range []struct {
		name       string
		in         string
		key, shown string
		code       string // "": accepted
	}{
		{"plain", "anna", "anna", "anna", ""},
		{"old style", "  Anna.Hansen ", "anna.hansen", "Anna.Hansen", ""},
		{"one letter", "x", "x", "x", ""},
		{"Danish letters", "Søren", "søren", "Søren", ""},
		// ø and æ have no decomposition (their NFC and NFD are the same
		// bytes); å has: a + combining ring above.
		{"å composed (NFC)", "\u00c5se S\u00f8rensen", "\u00e5se s\u00f8rensen", "\u00c5se S\u00f8rensen", ""},
		{"å decomposed (NFD)", "A\u030ase So\u0308rensen", "\u00e5se s\u00f6rensen", "\u00c5se S\u00f6rensen", ""},
		{"Ångström sign", "\u212bse", "\u00e5se", "\u00c5se", ""}, // NFC already maps it to Å
		{"spaces and case", "ANNA  Hansen ", "anna hansen", "ANNA Hansen", ""},
		{"no-break space", "anna\u00a0hansen", "anna hansen", "anna hansen", ""},
		{"tab and new line", "\tanna\r\nhansen\n", "anna hansen", "anna hansen", ""},
		{"ideographic space", "anna\u3000hansen", "anna hansen", "anna hansen", ""},
		{"full-width letters", "Ｓøren Ｈansen", "søren hansen", "Ｓøren Ｈansen", ""},
		{"e-mail", "Anna@Example.DK", "anna@example.dk", "Anna@Example.DK", ""},
		{"e-mail, lower", "anna@example.dk", "anna@example.dk", "anna@example.dk", ""},
		{"sharp s folds to ss", "Straße", "strasse", "Straße", ""},
		{"capital sharp s", "STRAẞE", "strasse", "STRAẞE", ""},
		{"ligature", "ﬁsk", "fisk", "ﬁsk", ""},
		{"capitals inside a compatibility character", "㎒", "mhz", "㎒", ""},
		// Language-neutral folding: the Turkish dotted capital İ is i with
		// a combining dot, so it is not "i"; the dotless ı stays itself.
		{"Turkish dotted İ", "İstanbul", "i\u0307stanbul", "İstanbul", ""},
		{"Latin I", "ISTANBUL", "istanbul", "ISTANBUL", ""},
		{"Turkish dotless ı", "ılık", "ılık", "ılık", ""},
		{"Greek final sigma", "ΟΔΥΣΣΕΥΣ", "οδυσσευσ", "ΟΔΥΣΣΕΥΣ", ""},
		{"emoji", "Bo 🌻", "bo 🌻", "Bo 🌻", ""},
		{"100 characters", strings.Repeat("ø", MaxLogin), strings.Repeat("ø", MaxLogin), strings.Repeat("ø", MaxLogin), ""},

		{"empty", "", "", "", "loginEmpty"},
		{"only spaces", "  \t\u00a0\n ", "", "", "loginEmpty"},
		{"NUL", "anna\x00", "", "", "loginChars"},
		{"escape sequence", "anna\x1b[31m", "", "", "loginChars"},
		{"DEL", "anna\x7f", "", "", "loginChars"},
		{"C1 control", "anna\u0090", "", "", "loginChars"},
		{"zero-width space", "anna\u200bhansen", "", "", "loginChars"},
		{"right-to-left override", "\u202eanna", "", "", "loginChars"},
		{"soft hyphen", "an\u00adna", "", "", "loginChars"},
		{"private use", "anna\ue000", "", "", "loginChars"},
		{"invalid UTF-8", "anna\xff", "", "", "loginChars"},
		{"101 characters", strings.Repeat("a", MaxLogin+1), "", "", "loginLength"},
		{"101 with the spaces", strings.Repeat("a ", 51), "", "", "loginLength"},
		{"long only as its key", strings.Repeat("ﷺ", 6), "", "", "loginLength"}, // each is 18 characters in NFKC
		{"huge", strings.Repeat("a", 1<<20), "", "", "loginLength"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := ParseLogin(tc.in)
			if codeOf(err) != tc.code || (err != nil) != (tc.code != "") {
				t.Fatalf("ParseLogin(%.40q) = %+q, %v; want code %q", tc.in, l, err, tc.code)
			}
			if err != nil {
				if fieldOf(err) != "login" {
					t.Errorf("error field %q, want login", fieldOf(err))
				}
				if l != (Login{}) {
					t.Errorf("a refused login has forms %+q", l)
				}
				return
			}
			if l.Key != tc.key || l.Shown != tc.shown {
				t.Errorf("ParseLogin(%.40q) = key %+q shown %+q; want %+q, %+q", tc.in, l.Key, l.Shown, tc.key, tc.shown)
			}
			if key, err := NormalizeLogin(tc.in); key != l.Key || err != nil {
				t.Errorf("NormalizeLogin = %q, %v; want ParseLogin's key", key, err)
			}
			checkLoginForms(t, l)
		})
	}
}

// checkLoginForms checks what holds for every accepted login: the key of
// the key and of the shown form is the key itself; the shown form parses to
// itself; Display is "" exactly when the two forms are the same.
func checkLoginForms(t *testing.T, l Login) {
	t.Helper()
	for _, f := range []string{l.Key, l.Shown} {
		again, err := ParseLogin(f)
		if err != nil || again.Key != l.Key {
			t.Errorf("ParseLogin(%+q) = %+q, %v; want key %+q", f, again, err, l.Key)
		}
	}
	if again, _ := ParseLogin(l.Shown); again.Shown != l.Shown {
		t.Errorf("the shown form %+q is shown as %+q", l.Shown, again.Shown)
	}
	if (l.Display() == "") != (l.Shown == l.Key) || (l.Display() != "" && l.Display() != l.Shown) {
		t.Errorf("Display() = %q for %+q", l.Display(), l)
	}
	for _, f := range []string{l.Key, l.Shown} {
		if f != strings.TrimSpace(f) || strings.Contains(f, "  ") {
			t.Errorf("%+q is not trimmed or has a run of spaces", f)
		}
		if n := utf8.RuneCountInString(f); n < MinLogin || n > MaxLogin {
			t.Errorf("%+q has %d characters", f, n)
		}
	}
}

// TestLooseLoginKey: a login ParseLogin refuses still has a bounded key
// for the sign-in limit, the same key as ParseLogin's wherever that has
// one.
func TestLooseLoginKey(t *testing.T) {
	for _, in := range []string{"Anna  Hansen", "anna\x00", "\xff\xfe", strings.Repeat("Ø", 5000), strings.Repeat("ﷺ", 200)} {
		k := looseLoginKey(in)
		if n := utf8.RuneCountInString(k); n > MaxLogin || !utf8.ValidString(k) || strings.ContainsRune(k, 0) {
			t.Errorf("looseLoginKey(%.20q) = %d characters, valid UTF-8 %v", in, n, utf8.ValidString(k))
		}
		if key, err := NormalizeLogin(in); err == nil && key != k {
			t.Errorf("looseLoginKey(%q) = %q, NormalizeLogin %q", in, k, key)
		}
	}
}

func FuzzParseLogin(f *testing.F) {
	for _, s := range []string{"anna", "Søren Hansen", "A\u030ase", "Ｓøren", "Anna@Example.DK", "İstanbul", "㎒", "ﷺ", "a\u00a8", "\u0345", "anna\x00", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseLogin(s)
		if err != nil {
			if fieldOf(err) != "login" || codeOf(err) == "" {
				t.Fatalf("ParseLogin(%+q): error %v is not a login field error with a code", s, err)
			}
		} else {
			checkLoginForms(t, l)
		}
		if k := looseLoginKey(s); utf8.RuneCountInString(k) > MaxLogin || !utf8.ValidString(k) || strings.ContainsRune(k, 0) {
			t.Fatalf("looseLoginKey(%+q) = %+q", s, k)
		}
	})
}

// TestSignInByKey: an account made as "Søren Hansen" signs in however its
// login is spelt; it is shown as typed; every spelling counts against one
// per-login limit, named by the key; an unknown or unusable login gets the
// answer a wrong password gets.
func TestSignInByKey(t *testing.T) {
	clk := newClock()
	s, st := newService(t, clk)
	ctx := t.Context()
	const pw = "gå en tur hver dag"
	u, err := s.SignUp(ctx, "  Søren   Hansen ", "", pw)
	if err != nil {
		t.Fatal(err)
	}
	if u.Login != "søren hansen" || u.LoginDisplay != "Søren Hansen" || u.ShownLogin() != "Søren Hansen" {
		t.Fatalf("SignUp = login %q, shown %q", u.Login, u.ShownLogin())
	}
	spellings := []string{"Søren Hansen", "søren hansen", "SØREN  HANSEN", "Ｓøren Ｈansen", " søren\u00a0hansen\n"}
	for i, login := range spellings {
		got, err := s.SignIn(ctx, login, pw, "192.0.2.1:1")
		if err != nil || got.ID != u.ID || got.ShownLogin() != "Søren Hansen" {
			t.Errorf("SignIn(%q) = %q, %v", login, got.ShownLogin(), err)
		}
		if _, err := s.SignUp(ctx, login, "", pw); codeOf(err) != "loginTaken" {
			t.Errorf("spelling %d: SignUp(%q) = %v, want loginTaken", i, login, err)
		}
	}
	// An e-mail address as the login, in any case.
	e, err := s.SignUp(ctx, "Anna.Hansen@Example.DK", "", pw)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.SignIn(ctx, "anna.hansen@example.dk", pw, "192.0.2.1:1"); err != nil || got.ID != e.ID {
		t.Errorf("e-mail in lower case: %v", err)
	}

	// Unknown, unusable and absurd logins: the wrong-password answer.
	for _, login := range []string{"Bent Hansen", "søren\x00hansen", "\u202esøren", "\xff", strings.Repeat("Ø", 5000)} {
		if _, err := s.SignIn(ctx, login, pw, "198.51.100.1:1"); !errors.Is(err, ErrBadCredentials) {
			t.Errorf("SignIn(%.20q) = %v, want ErrBadCredentials", login, err)
		}
	}

	// Five failures under five spellings from one address: then the
	// right password waits there, under a sixth spelling; the login's
	// bucket from everywhere counts them all under the key.
	clk.add(time.Hour)
	for i := range DefaultLimits.PairBurst {
		if _, err := s.SignIn(ctx, spellings[i%len(spellings)], "forkert kode", fmt.Sprintf("203.0.113.9:%d", i+1)); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	n, err := st.CountLoginAttempts(ctx, "login:søren hansen", clk.now().Add(-time.Minute))
	if err != nil || n != DefaultLimits.PairBurst {
		t.Errorf("rows under login:søren hansen = %d, %v; want %d", n, err, DefaultLimits.PairBurst)
	}
	var rl *RateLimitedError
	if _, err := s.SignIn(ctx, "SØREN hansen", pw, "203.0.113.9:50"); !errors.As(err, &rl) {
		t.Errorf("after %d failures in other spellings: %v, want RateLimitedError", DefaultLimits.PairBurst, err)
	}
	// The per-login buckets of an unusable login are bounded and counted.
	clk.add(time.Hour)
	long := strings.Repeat("Ø", 5000)
	for range DefaultLimits.PairBurst {
		_, _ = s.SignIn(ctx, long, pw, "198.51.100.60:1")
	}
	if n, err := st.CountLoginAttempts(ctx, "login:"+strings.Repeat("ø", MaxLogin), clk.now().Add(-time.Minute)); err != nil || n != DefaultLimits.PairBurst {
		t.Errorf("rows under the long login's bucket = %d, %v", n, err)
	}
}
