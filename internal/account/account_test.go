package account

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"

	"github.com/stenose/stenose/internal/store"
)

// cheap are argon2id parameters that keep tests fast.
var cheap = &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time      { return c.t }
func (c *fakeClock) add(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *fakeClock               { return &fakeClock{time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)} }

func newService(t *testing.T, clk *fakeClock) (*Service, *store.Store) {
	t.Helper()
	st, err := store.Open(t.Context(), "", filepath.Join(t.TempDir(), "data"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s, err := New(st, Options{Now: clk.now, Params: cheap})
	if err != nil {
		t.Fatal(err)
	}
	return s, st
}

func fieldOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

func TestCheckPassword(t *testing.T) {
	for _, tc := range []struct {
		pw string
		ok bool
	}{
		{"kort", false},
		{"123456789", false}, // 9 characters
		{"æøåæøåæøå", false}, // 9 runes, 18 bytes
		{"æøåæøåæøåæ", true}, // 10 runes
		{"ti tegn ok", true},
		{"lang nok adgangskode", true},
		{"1234567890", false},  // common
		{"Password123", false}, // common, any case
		{"ADGANGSKODE", false},
		{strings.Repeat("x", MaxPassword), true},
		{strings.Repeat("x", MaxPassword+1), false},
		{"\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6", false},
	} {
		err := CheckPassword("password", tc.pw)
		if (err == nil) != tc.ok {
			t.Errorf("CheckPassword(%.20q) = %v, want ok=%v", tc.pw, err, tc.ok)
		}
		if err != nil && fieldOf(err) != "password" {
			t.Errorf("CheckPassword(%.20q): field %q", tc.pw, fieldOf(err))
		}
	}
	for p := range common {
		if len([]rune(p)) < MinPassword {
			t.Errorf("block list entry %q is shorter than the minimum: it can never match", p)
		}
	}
}

func TestHashRoundTrip(t *testing.T) {
	s, _ := newService(t, newClock())
	h, err := s.Hash(t.Context(), "en rigtig god kode")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("hash %q is not an argon2id PHC string with the given parameters", h)
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{{"en rigtig god kode", true}, {"en rigtig god kodE", false}, {"", false}} {
		ok, _, err := s.verify(t.Context(), tc.pw, h)
		if err != nil || ok != tc.want {
			t.Errorf("verify(%q) = %v, %v; want %v", tc.pw, ok, err, tc.want)
		}
	}
	h2, _ := s.Hash(t.Context(), "en rigtig god kode")
	if h2 == h {
		t.Error("two hashes of one password are equal: no salt?")
	}
	if ok, _, _ := s.verify(t.Context(), "", ""); ok {
		t.Error("an empty hash matched")
	}
	if DefaultParams.Memory < 46*1024 {
		t.Errorf("DefaultParams.Memory = %d KiB, below OWASP's minimum", DefaultParams.Memory)
	}
}

func TestSignUpAndIn(t *testing.T) {
	clk := newClock()
	s, _ := newService(t, clk)
	ctx := t.Context()
	u, err := s.SignUp(ctx, " Anna.H ", "Anna Hansen", "gå en tur hver dag")
	if err != nil {
		t.Fatal(err)
	}
	if u.Login != "anna.h" || u.Role != store.RolePatient || u.Name != "Anna Hansen" {
		t.Fatalf("SignUp = %+v", u)
	}
	for _, tc := range []struct {
		login, pw, field string
	}{
		{"ANNA.H", "gå en tur hver dag", "login"},   // taken, whatever the case
		{"  anna.ｈ", "gå en tur hver dag", "login"}, // taken, whatever the width
		{"", "gå en tur hver dag", "login"},
		{"bo\x00", "gå en tur hver dag", "login"},
		{strings.Repeat("b", MaxLogin+1), "gå en tur hver dag", "login"},
		{"bent", "kort", "password"},
		{"bent", "1234567890", "password"},
	} {
		if _, err := s.SignUp(ctx, tc.login, "", tc.pw); fieldOf(err) != tc.field {
			t.Errorf("SignUp(%q, %q) = %v, want an error on %s", tc.login, tc.pw, err, tc.field)
		}
	}
	if _, err := s.Create(ctx, "carl", "", "gå en tur hver dag", "boss"); fieldOf(err) != "role" {
		t.Errorf("Create with an unknown role: %v", err)
	}

	got, err := s.SignIn(ctx, "Anna.H", "gå en tur hver dag", "192.0.2.1:1234")
	if err != nil || got.ID != u.ID {
		t.Fatalf("SignIn = %+v, %v", got, err)
	}
	for _, tc := range []struct{ login, pw string }{
		{"anna.h", "gå en tur hver dag!"},
		{"nobody", "gå en tur hver dag"},
		{"ø", "gå en tur hver dag"},
		{"anna.h", strings.Repeat("x", 5000)},
	} {
		if _, err := s.SignIn(ctx, tc.login, tc.pw, "192.0.2.2:1"); !errors.Is(err, ErrBadCredentials) {
			t.Errorf("SignIn(%q, %.10q) = %v, want ErrBadCredentials", tc.login, tc.pw, err)
		}
	}

	// Change password: the current one is checked, the policy applies.
	if err := s.ChangePassword(ctx, u.ID, "forkert kode her", "en helt ny kode", "192.0.2.3:1"); fieldOf(err) != "current" {
		t.Errorf("ChangePassword with a wrong current password: %v", err)
	}
	if err := s.ChangePassword(ctx, u.ID, "gå en tur hver dag", "kort", "192.0.2.3:1"); fieldOf(err) != "password" {
		t.Errorf("ChangePassword to a short password: %v", err)
	}
	if err := s.ChangePassword(ctx, u.ID, "gå en tur hver dag", "en helt ny kode", "192.0.2.3:1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SignIn(ctx, "anna.h", "gå en tur hver dag", "192.0.2.4:1"); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("old password still works: %v", err)
	}
	if _, err := s.SignIn(ctx, "anna.h", "en helt ny kode", "192.0.2.4:1"); err != nil {
		t.Errorf("new password: %v", err)
	}
}

func TestRehashOnSignIn(t *testing.T) {
	clk := newClock()
	s, st := newService(t, clk)
	old := *cheap
	old.Memory = 512
	h, _ := argon2id.CreateHash("gamle parametre her", &old)
	u, err := st.CreateUser(t.Context(), store.User{Login: "old", PasswordHash: h, Role: store.RolePatient})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SignIn(t.Context(), "old", "gamle parametre her", "192.0.2.1:1"); err != nil {
		t.Fatal(err)
	}
	u, _ = st.UserByID(t.Context(), u.ID)
	if !strings.Contains(u.PasswordHash, "m=1024,") {
		t.Errorf("hash not upgraded: %s", u.PasswordHash)
	}
}

// TestSignInRateLimit: per login from one address, 5 failures, then even
// the right password waits there — but not from another address (the
// owner's own); the bucket refills one a minute, and a success takes
// nothing.
func TestSignInRateLimit(t *testing.T) {
	clk := newClock()
	s, _ := newService(t, clk)
	ctx := t.Context()
	if _, err := s.SignUp(ctx, "anna", "", "gå en tur hver dag"); err != nil {
		t.Fatal(err)
	}
	const guesser, owner = "192.0.2.1:1", "198.51.100.9:1"
	for i := range DefaultLimits.PairBurst {
		if _, err := s.SignIn(ctx, "anna", "forkert kode", guesser); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	var rl *RateLimitedError
	if _, err := s.SignIn(ctx, "anna", "gå en tur hver dag", guesser); !errors.As(err, &rl) {
		t.Fatalf("6th attempt from the same address: %v, want RateLimitedError", err)
	}
	if rl.RetryAfter <= 0 || rl.RetryAfter > time.Minute || rl.SignUp {
		t.Errorf("RateLimitedError = %+v", rl)
	}
	// The owner, from their own address, is not locked out.
	if _, err := s.SignIn(ctx, "anna", "gå en tur hver dag", owner); err != nil {
		t.Errorf("the right password from another address: %v", err)
	}
	// Another account is not affected.
	if _, err := s.SignIn(ctx, "bent", "forkert kode", guesser); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("other account: %v", err)
	}
	clk.add(time.Minute) // one token back
	if _, err := s.SignIn(ctx, "anna", "gå en tur hver dag", guesser); err != nil {
		t.Errorf("after a minute: %v", err)
	}
	// A success takes no token: the next failure is allowed, the one
	// after it is not.
	if _, err := s.SignIn(ctx, "anna", "forkert kode", guesser); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("after success: %v", err)
	}
	if _, err := s.SignIn(ctx, "anna", "forkert kode", guesser); !errors.As(err, &rl) {
		t.Errorf("bucket empty again: %v", err)
	}
}

func TestLimiterPerAddress(t *testing.T) {
	clk := newClock()
	l := NewLimiter()
	r := rulesOf(Limits{PairBurst: 100, LoginBurst: 100, AddrBurst: 3, AddrEvery: 10 * time.Second})
	for i := range 3 {
		bs := r.fromAddr("user"+string(rune('a'+i)), "[2001:db8::1]:443")
		if w := l.Wait(bs, clk.now()); w != 0 {
			t.Fatalf("attempt %d waits %v", i, w)
		}
		l.Fail(bs, clk.now())
	}
	// The same /64, another login: limited.
	if w := l.Wait(r.fromAddr("userz", "[2001:db8::ffff]:80"), clk.now()); w != 10*time.Second {
		t.Errorf("same /64: wait %v, want 10s", w)
	}
	// Another /64 and an IPv4 address: free.
	if w := l.Wait(r.fromAddr("userz", "[2001:db8:0:1::1]:80"), clk.now()); w != 0 {
		t.Errorf("other /64: wait %v", w)
	}
	if w := l.Wait(r.fromAddr("userz", "192.0.2.1:80"), clk.now()); w != 0 {
		t.Errorf("IPv4: wait %v", w)
	}
	clk.add(5 * time.Second)
	if w := l.Wait(r.fromAddr("userz", "[2001:db8::2]:1"), clk.now()); w != 5*time.Second {
		t.Errorf("half refilled: wait %v, want 5s", w)
	}
	clk.add(5 * time.Second)
	if w := l.Wait(r.fromAddr("userz", "[2001:db8::2]:1"), clk.now()); w != 0 {
		t.Errorf("refilled: wait %v", w)
	}
	// Buckets past their window are forgotten.
	clk.add(7 * time.Hour)
	l.mu.Lock()
	l.sweep(clk.now())
	l.mu.Unlock()
	if n := l.size(); n != 0 {
		t.Errorf("after sweep %d buckets left", n)
	}
}

func TestAddrKey(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.1:8080":          "192.0.2.1",
		"192.0.2.1":               "192.0.2.1",
		"[::ffff:192.0.2.1]:80":   "192.0.2.1",
		"[2001:db8:1:2:3::4]:443": "2001:db8:1:2::/64",
		"garbage":                 "garbage",
	} {
		if got := AddrKey(in); got != want {
			t.Errorf("AddrKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestChangePasswordRateLimited(t *testing.T) {
	clk := newClock()
	s, _ := newService(t, clk)
	ctx := t.Context()
	u, err := s.SignUp(ctx, "anna", "", "gå en tur hver dag")
	if err != nil {
		t.Fatal(err)
	}
	for i := range DefaultLimits.PairBurst {
		if err := s.ChangePassword(ctx, u.ID, "forkert kode", "en helt ny kode", "192.0.2.1:1"); fieldOf(err) != "current" {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	var rl *RateLimitedError
	if err := s.ChangePassword(ctx, u.ID, "gå en tur hver dag", "en helt ny kode", "192.0.2.1:1"); !errors.As(err, &rl) {
		t.Fatalf("after %d wrong current passwords: %v", DefaultLimits.PairBurst, err)
	}
	// The same buckets guard sign-in: guessing through this form does not
	// get around the sign-in limit.
	if _, err := s.SignIn(ctx, "anna", "gå en tur hver dag", "192.0.2.1:1"); !errors.As(err, &rl) {
		t.Errorf("sign-in after the limit: %v", err)
	}
	clk.add(time.Minute)
	if err := s.ChangePassword(ctx, u.ID, "gå en tur hver dag", "en helt ny kode", "192.0.2.1:1"); err != nil {
		t.Errorf("after a minute: %v", err)
	}
}

// TestSharedLimitAcrossInstances: two services on one database (two
// `stenose serve` instances behind a load balancer) share the limits; each
// one's in-memory gate alone would have allowed more.
func TestSharedLimitAcrossInstances(t *testing.T) {
	clk := newClock()
	lim := Limits{LoginBurst: 12}
	_, st := newService(t, clk)
	var svc [2]*Service
	for i := range svc {
		s, err := New(st, Options{Now: clk.now, Params: cheap, Limits: lim})
		if err != nil {
			t.Fatal(err)
		}
		svc[i] = s
	}
	a, b := svc[0], svc[1]
	ctx := t.Context()
	if _, err := a.SignUp(ctx, "anna", "", "gå en tur hver dag"); err != nil {
		t.Fatal(err)
	}
	// Per login from one address: 5 failures spread over the two instances.
	for i := range DefaultLimits.PairBurst {
		if _, err := svc[i%2].SignIn(ctx, "anna", "forkert kode", "192.0.2.1:1"); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	var rl *RateLimitedError
	for name, s := range map[string]*Service{"a": a, "b": b} {
		if _, err := s.SignIn(ctx, "anna", "gå en tur hver dag", "192.0.2.1:1"); !errors.As(err, &rl) {
			t.Errorf("instance %s after 5 failures in all: %v, want RateLimitedError", name, err)
		} else if rl.RetryAfter != time.Minute {
			t.Errorf("instance %s: RetryAfter = %v, want 1m", name, rl.RetryAfter)
		}
	}
	clk.add(time.Minute)
	if _, err := b.SignIn(ctx, "anna", "gå en tur hver dag", "192.0.2.1:1"); err != nil {
		t.Errorf("after a minute: %v", err)
	}

	// Per login from everywhere: 12 failures from 12 addresses over both
	// instances; then a 13th address is refused on either.
	clk.add(time.Hour)
	for i := range lim.LoginBurst {
		if _, err := svc[i%2].SignIn(ctx, "anna", "forkert kode", fmt.Sprintf("203.0.113.%d:1", i+1)); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("spread attempt %d: %v", i+1, err)
		}
	}
	for name, s := range map[string]*Service{"a": a, "b": b} {
		if _, err := s.SignIn(ctx, "anna", "gå en tur hver dag", "198.51.100.1:1"); !errors.As(err, &rl) {
			t.Errorf("instance %s, a new address after %d failures from many: %v", name, lim.LoginBurst, err)
		}
	}

	// Per address: 20 failures on different logins from one /64, spread
	// over both instances; then the 21st is refused on either.
	clk.add(time.Hour)
	for i := range DefaultLimits.AddrBurst {
		if _, err := svc[i%2].SignIn(ctx, fmt.Sprintf("user%d", i), "forkert kode", fmt.Sprintf("[2001:db8::%x]:1", i+1)); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("address attempt %d: %v", i+1, err)
		}
	}
	for name, s := range map[string]*Service{"a": a, "b": b} {
		if _, err := s.SignIn(ctx, "anna", "gå en tur hver dag", "[2001:db8::ffff]:1"); !errors.As(err, &rl) {
			t.Errorf("instance %s, same /64 after 20 failures: %v", name, err)
		}
	}
	if _, err := a.SignIn(ctx, "anna", "gå en tur hver dag", "[2001:db8:0:1::1]:1"); err != nil {
		t.Errorf("another /64: %v", err)
	}
}

// TestSharedLimitRows: what the shared log keeps. A failure keeps its rows
// (one per bucket), a success and a refused attempt delete theirs, a
// password reset clears the login's, and rows older than every window are
// pruned.
func TestSharedLimitRows(t *testing.T) {
	clk := newClock()
	s, st := newService(t, clk)
	ctx := t.Context()
	u, err := s.SignUp(ctx, "anna", "", "gå en tur hver dag")
	if err != nil {
		t.Fatal(err)
	}
	rows := func(bucket string) int {
		t.Helper()
		n, err := st.CountLoginAttempts(ctx, bucket, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	check := func(step string, login, addr int) {
		t.Helper()
		if l, a := rows("login:anna"), rows("addr:192.0.2.1"); l != login || a != addr {
			t.Errorf("%s: %d login rows, %d address rows; want %d, %d", step, l, a, login, addr)
		}
	}
	if _, err := s.SignIn(ctx, "anna", "gå en tur hver dag", "192.0.2.1:1"); err != nil {
		t.Fatal(err)
	}
	check("after a success", 0, 0)
	for range DefaultLimits.PairBurst {
		_, _ = s.SignIn(ctx, "anna", "forkert kode", "192.0.2.1:1")
	}
	check("after 5 failures", 5, 5)
	if n := rows("login:anna\x1faddr:192.0.2.1"); n != 5 {
		t.Errorf("after 5 failures: %d rows for anna from 192.0.2.1, want 5", n)
	}
	// Past the in-memory gate (a fresh instance): refused by the shared
	// log, which keeps no row for the refusal.
	other, err := New(st, Options{Now: clk.now, Params: cheap})
	if err != nil {
		t.Fatal(err)
	}
	var rl *RateLimitedError
	if _, err := other.SignIn(ctx, "anna", "forkert kode", "192.0.2.1:1"); !errors.As(err, &rl) {
		t.Fatalf("6th failure on another instance: %v", err)
	}
	check("after a refusal", 5, 5)
	if err := other.SetPassword(ctx, u.ID, "en helt ny kode"); err != nil {
		t.Fatal(err)
	}
	check("after a password reset", 0, 5)
	if n := rows("login:anna\x1faddr:192.0.2.1"); n != 0 {
		t.Errorf("after a password reset: %d rows for anna from 192.0.2.1, want 0", n)
	}
	if _, err := other.SignIn(ctx, "anna", "en helt ny kode", "192.0.2.1:1"); err != nil {
		t.Errorf("sign-in after the reset: %v", err)
	}
	// Past the longest window (the login's: 4 × 100 minutes) the next
	// attempt prunes what no window reaches.
	clk.add(7 * time.Hour)
	if _, err := other.SignIn(ctx, "bent", "forkert kode", "198.51.100.7:1"); !errors.Is(err, ErrBadCredentials) {
		t.Fatal(err)
	}
	check("after pruning", 0, 0)
	if n := rows("login:bent"); n != 1 {
		t.Errorf("the new failure: %d rows", n)
	}
}

// TestSharedLimitConcurrent: many guesses at once all pass the in-memory
// gate (none has failed yet), but the shared log is written before the
// password is checked, so exactly Burst of them are tried: PairBurst from
// one address, LoginBurst from as many addresses as there are guesses.
func TestSharedLimitConcurrent(t *testing.T) {
	for _, tc := range []struct {
		name  string
		addr  func(i int) string
		tried int
	}{
		{"one address", func(int) string { return "192.0.2.1:1" }, DefaultLimits.PairBurst},
		{"every guess its own address", func(i int) string { return fmt.Sprintf("10.0.%d.%d:1", i/250, i%250+1) }, 12},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := newClock()
			_, st := newService(t, clk)
			s, err := New(st, Options{Now: clk.now, Params: cheap, Limits: Limits{LoginBurst: 12}})
			if err != nil {
				t.Fatal(err)
			}
			ctx := t.Context()
			if _, err := s.SignUp(ctx, "anna", "", "gå en tur hver dag"); err != nil {
				t.Fatal(err)
			}
			const n = 30
			var wg sync.WaitGroup
			var bad, limited atomic.Int32
			for i := range n {
				wg.Go(func() {
					_, err := s.SignIn(ctx, "anna", "forkert kode", tc.addr(i))
					var rl *RateLimitedError
					switch {
					case errors.Is(err, ErrBadCredentials):
						bad.Add(1)
					case errors.As(err, &rl):
						limited.Add(1)
					default:
						t.Errorf("guess %d: %v", i, err)
					}
				})
			}
			wg.Wait()
			if int(bad.Load()) != tc.tried || limited.Load() != n-int32(tc.tried) {
				t.Errorf("%d guesses tried, %d refused; want %d tried", bad.Load(), limited.Load(), tc.tried)
			}
		})
	}
}

func TestReplay(t *testing.T) {
	at := func(sec int) time.Time { return time.Unix(1_800_000_000+int64(sec), 0) }
	rows := func(secs ...int) []store.LoginAttempt {
		var out []store.LoginAttempt
		for i, s := range secs {
			out = append(out, store.LoginAttempt{ID: int64(i + 1), At: at(s)})
		}
		return out
	}
	for _, tc := range []struct {
		name string
		rows []store.LoginAttempt
		mine int64
		ok   bool
		wait time.Duration
	}{
		{"first", rows(0), 1, true, 0},
		{"third of a burst of 3", rows(0, 0, 0), 3, true, 0},
		{"fourth of a burst of 3", rows(0, 0, 0, 0), 4, false, time.Minute},
		{"fourth, 30 s later", rows(0, 0, 0, 30), 4, false, 30 * time.Second},
		{"fourth, a minute later", rows(0, 0, 0, 60), 4, true, 0},
		{"a refused row takes nothing", rows(0, 0, 0, 0, 60), 5, true, 0},
		{"refill stops at the burst", rows(0, 0, 0, 3600, 3600, 3600, 3600), 7, false, time.Minute},
		{"wait at least a second", rows(0, 0, 0, 59), 4, false, time.Second},
		{"mine not there", rows(0, 0, 0, 0), 99, true, 0},
		{"none", nil, 1, true, 0},
	} {
		ok, wait := replay(tc.rows, tc.mine, 3, time.Minute)
		if ok != tc.ok || wait != tc.wait {
			t.Errorf("%s: replay = %v, %v; want %v, %v", tc.name, ok, wait, tc.ok, tc.wait)
		}
	}
}

// TestInvitedAndDisabled: an invitation makes a patient account in its
// clinic, once; an expired code makes none; a clinician made in a clinic
// belongs to it; a disabled account is told so only with its password.
func TestInvitedAndDisabled(t *testing.T) {
	clk := newClock()
	s, st := newService(t, clk)
	ctx := t.Context()
	c, err := st.CreateClinic(ctx, store.Clinic{Slug: "nord", Name: "Klinik Nord"})
	if err != nil {
		t.Fatal(err)
	}
	code := sha256.Sum256([]byte("K"))
	if _, err := st.CreateInvitation(ctx, store.Invitation{ClinicID: c.ID, CreatedAt: clk.now(), ExpiresAt: clk.now().Add(time.Hour)}, code); err != nil {
		t.Fatal(err)
	}
	u, inv, err := s.SignUpInvited(ctx, "Bent Ø", "Bent", "en lang sætning her", code, "192.0.2.9:1")
	if err != nil || u.ClinicID != c.ID || u.Role != store.RolePatient || inv.UsedBy != u.ID || !u.CreatedAt.Equal(clk.now()) {
		t.Fatalf("SignUpInvited = %+v, %+v, %v", u, inv, err)
	}
	_, _, err = s.SignUpInvited(ctx, "Carl", "", "en lang sætning her", code, "192.0.2.9:1")
	var ie *store.InvitationError
	if !errors.As(err, &ie) || ie.State != store.InvitationUsed {
		t.Errorf("a used code: %v", err)
	}
	if _, _, err := s.SignUpInvited(ctx, "Carl", "", "kort", code, "192.0.2.9:1"); fieldOf(err) != "password" {
		t.Errorf("a short password is checked first: %v", err)
	}
	clin, err := s.CreateIn(ctx, "Dorte Behandler", "Dorte", "en lang sætning her", store.RoleClinician, c.ID)
	if err != nil || clin.ClinicID != c.ID || clin.Role != store.RoleClinician {
		t.Fatalf("CreateIn = %+v, %v", clin, err)
	}

	if err := st.SetUserDisabled(ctx, u.ID, clk.now()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SignIn(ctx, "bent ø", "forkert adgangskode", "192.0.2.1:1"); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("disabled, wrong password: %v (the account's state is not told)", err)
	}
	if _, err := s.SignIn(ctx, "bent ø", "en lang sætning her", "192.0.2.1:1"); !errors.Is(err, ErrDisabled) {
		t.Errorf("disabled, right password: %v", err)
	}
	if err := st.SetUserDisabled(ctx, u.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SignIn(ctx, "bent ø", "en lang sætning her", "192.0.2.1:1"); err != nil {
		t.Errorf("enabled again: %v", err)
	}
}

// TestDefaultParamsFixed: the parameters of a new hash do not depend on
// the machine (the library's defaults take the CPU count as lanes), so
// two instances on machines of different sizes agree and never rehash
// each other's passwords; a hash made with another machine's lanes is
// rehashed once, at the next sign-in, and then stays.
func TestDefaultParamsFixed(t *testing.T) {
	want := argon2id.Params{Memory: 64 * 1024, Iterations: 1, Parallelism: 2, SaltLength: 16, KeyLength: 32}
	if *DefaultParams != want {
		t.Errorf("DefaultParams = %+v, want %+v", *DefaultParams, want)
	}
	if DefaultParams == argon2id.DefaultParams { // equal on a 2-core machine, but it follows the CPU count
		t.Error("DefaultParams is the library's, whose lanes are the machine's CPU count")
	}
	clk := newClock()
	_, st := newService(t, clk)
	s, err := New(st, Options{Now: clk.now}) // DefaultParams
	if err != nil {
		t.Fatal(err)
	}
	other := want
	other.Parallelism = 8 // an 8-core machine's library default
	h, _ := argon2id.CreateHash("gå en tur hver dag", &other)
	u, err := st.CreateUser(t.Context(), store.User{Login: "anna", PasswordHash: h, Role: store.RolePatient})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if _, err := s.SignIn(t.Context(), "anna", "gå en tur hver dag", "192.0.2.1:1"); err != nil {
			t.Fatal(err)
		}
		got, _ := st.UserByID(t.Context(), u.ID)
		if !strings.Contains(got.PasswordHash, "m=65536,t=1,p=2$") {
			t.Fatalf("sign-in %d: hash %s, want the fixed parameters", i+1, got.PasswordHash)
		}
		if i == 0 {
			h = got.PasswordHash
		} else if got.PasswordHash != h {
			t.Error("the second sign-in rehashed a hash already at the fixed parameters")
		}
	}
}
