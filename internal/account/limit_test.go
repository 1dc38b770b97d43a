package account

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/store"
)

// deviceOf signs the user in on a new browser and returns the context
// that browser's requests carry (its device cookie).
func deviceOf(t *testing.T, s *Service, userID int64) context.Context {
	t.Helper()
	tok, err := s.RememberDevice(t.Context(), userID)
	if err != nil || len(tok) != deviceTokenLen {
		t.Fatalf("RememberDevice = %q, %v", tok, err)
	}
	return WithDevice(t.Context(), tok)
}

// TestTargetedLockOut: guesses at a login from elsewhere never lock its
// owner out. Six wrong guesses from another address, then one a minute:
// the owner signs in from their own address. Guessing spread over many
// addresses fills the login's bucket from everywhere: then a new device
// waits, but the owner's own device (one that has signed in before) gets
// in from any address. The guessers stay bounded: per address 5, then one
// a minute; from everywhere 100 in the first hour and one a minute after.
func TestTargetedLockOut(t *testing.T) {
	clk := newClock()
	s, _ := newService(t, clk)
	ctx := t.Context()
	const pw = "gå en tur hver dag"
	anna, err := s.SignUp(ctx, "anna", "", pw)
	if err != nil {
		t.Fatal(err)
	}
	phone := deviceOf(t, s, anna.ID) // the owner's phone, signed in once
	const home = "198.51.100.9:1"
	var rl *RateLimitedError

	// One guesser, six wrong guesses, then one a minute for an hour.
	allowed := 0
	for i := range 66 {
		if i >= 6 {
			clk.add(time.Minute)
		}
		_, err := s.SignIn(ctx, "anna", fmt.Sprintf("gæt %d", i), "203.0.113.7:1")
		switch {
		case errors.Is(err, ErrBadCredentials):
			allowed++
		case !errors.As(err, &rl):
			t.Fatalf("guess %d: %v", i+1, err)
		}
		if i == 5 && allowed != DefaultLimits.PairBurst {
			t.Fatalf("six guesses at once: %d tried, want %d", allowed, DefaultLimits.PairBurst)
		}
		if i == 5 || i == 35 {
			if _, err := s.SignIn(ctx, "anna", pw, home); err != nil {
				t.Fatalf("after %d guesses from elsewhere, the owner from home, without the device: %v", i+1, err)
			}
			if _, err := s.SignIn(phone, "anna", pw, home); err != nil {
				t.Fatalf("after %d guesses from elsewhere, the owner on the phone: %v", i+1, err)
			}
		}
	}
	if allowed > DefaultLimits.PairBurst+60 {
		t.Errorf("one address tried %d guesses in an hour, want at most %d", allowed, DefaultLimits.PairBurst+60)
	}
	t.Logf("one address, an hour: %d guesses tried", allowed)

	// Many addresses, a guess every 10 seconds from the next of 40, for
	// two hours: the login's bucket from everywhere bounds them.
	clk.add(3 * time.Hour)
	perHour := [2]int{}
	perAddr := map[int]int{}
	for i := range 720 {
		clk.add(10 * time.Second)
		_, err := s.SignIn(ctx, "anna", fmt.Sprintf("gæt %d", i), fmt.Sprintf("192.0.2.%d:1", i%40+1))
		switch {
		case errors.Is(err, ErrBadCredentials):
			perHour[i/360]++
			perAddr[i%40]++
		case !errors.As(err, &rl):
			t.Fatalf("spread guess %d: %v", i+1, err)
		}
	}
	if perHour[0] > DefaultLimits.LoginBurst+60 || perHour[1] > 61 {
		t.Errorf("spread over 40 addresses: %v guesses tried in two hours, want at most %d and 61", perHour, DefaultLimits.LoginBurst+60)
	}
	for a, n := range perAddr {
		if n > DefaultLimits.PairBurst+120 {
			t.Errorf("address %d tried %d guesses in two hours", a, n)
		}
	}
	t.Logf("40 addresses, two hours: %v guesses tried", perHour)
	// The login's bucket is empty now: a device that never signed in to
	// it waits, from anywhere; the owner's phone gets in, from anywhere.
	if _, err := s.SignIn(ctx, "anna", pw, home); !errors.As(err, &rl) {
		t.Errorf("a new device during a spread attack: %v, want a wait", err)
	}
	for _, from := range []string{home, "192.0.2.1:1"} {
		if _, err := s.SignIn(phone, "anna", pw, from); err != nil {
			t.Errorf("the owner's phone from %s during a spread attack: %v", from, err)
		}
	}
	// The phone's own bucket: 5 wrong, then it waits too (a stolen
	// device cookie is worth 5 guesses and one a minute).
	for i := range DefaultLimits.PairBurst {
		if _, err := s.SignIn(phone, "anna", "forkert", home); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("phone, wrong %d: %v", i+1, err)
		}
	}
	if _, err := s.SignIn(phone, "anna", pw, home); !errors.As(err, &rl) {
		t.Errorf("phone after 5 wrong: %v, want a wait", err)
	}
	// The phone is another login's stranger.
	if _, err := s.SignUp(ctx, "bent", "", pw); err != nil {
		t.Fatal(err)
	}
	if bs, err := s.signInBuckets(phone, "bent", home, clk.now()); err != nil || len(bs) != 3 {
		t.Errorf("anna's phone at bent's login: %v, %v; want the buckets of any device", bs, err)
	}
}

// TestRememberDevice: a browser gets a new token the first time, keeps
// the one the server gave it, and never has one it made up taken; a new
// password forgets the devices.
func TestRememberDevice(t *testing.T) {
	clk := newClock()
	s, st := newService(t, clk)
	ctx := t.Context()
	anna, _ := s.SignUp(ctx, "anna", "", "gå en tur hver dag")
	bent, _ := s.SignUp(ctx, "bent", "", "gå en tur hver dag")
	t1, err := s.RememberDevice(ctx, anna.ID)
	if err != nil {
		t.Fatal(err)
	}
	if t2, _ := s.RememberDevice(WithDevice(ctx, t1), bent.ID); t2 != t1 { // a shared tablet
		t.Errorf("a known token was replaced: %q → %q", t1, t2)
	}
	madeUp := "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	if t3, _ := s.RememberDevice(WithDevice(ctx, madeUp), anna.ID); t3 == madeUp || len(t3) != deviceTokenLen {
		t.Errorf("a made-up token was taken: %q", t3)
	}
	for _, who := range []string{"anna", "bent"} {
		if bs, _ := s.signInBuckets(WithDevice(ctx, t1), who, "192.0.2.1:1", clk.now()); len(bs) != 1 {
			t.Errorf("the tablet at %s: %d buckets, want its own", who, len(bs))
		}
	}
	if err := s.SetPassword(ctx, anna.ID, "en helt ny kode"); err != nil {
		t.Fatal(err)
	}
	if bs, _ := s.signInBuckets(WithDevice(ctx, t1), "anna", "192.0.2.1:1", clk.now()); len(bs) != 3 {
		t.Errorf("after a new password the tablet is still anna's known device")
	}
	// A year unused: unknown.
	clk.add(DeviceLifetime + time.Hour)
	if ok, _ := st.KnownDevice(ctx, "bent", [32]byte{}, clk.now()); ok {
		t.Error("a zero token is known")
	}
	if bs, _ := s.signInBuckets(WithDevice(ctx, t1), "bent", "192.0.2.1:1", clk.now()); len(bs) != 3 {
		t.Errorf("a device unused for a year is still known")
	}
}

// TestSignUpLimit: every sign-up from one address counts, whatever comes
// of it; after SignUpBurst the next waits SignUpEvery, on every instance;
// another address is not affected.
func TestSignUpLimit(t *testing.T) {
	clk := newClock()
	a, st := newService(t, clk)
	b, err := New(st, Options{Now: clk.now, Params: cheap})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	for i := range DefaultLimits.SignUpBurst {
		if err := []*Service{a, b}[i%2].AdmitSignUp(ctx, "192.0.2.1:1"); err != nil {
			t.Fatalf("sign-up %d: %v", i+1, err)
		}
	}
	var rl *RateLimitedError
	for name, s := range map[string]*Service{"a": a, "b": b} {
		if err := s.AdmitSignUp(ctx, "192.0.2.1:2"); !errors.As(err, &rl) || !rl.SignUp || rl.RetryAfter != DefaultLimits.SignUpEvery {
			t.Errorf("instance %s, sign-up %d: %v, want a sign-up wait of %v", name, DefaultLimits.SignUpBurst+1, err, DefaultLimits.SignUpEvery)
		}
	}
	if err := a.AdmitSignUp(ctx, "198.51.100.1:1"); err != nil {
		t.Errorf("another address: %v", err)
	}
	clk.add(DefaultLimits.SignUpEvery)
	if err := b.AdmitSignUp(ctx, "192.0.2.1:1"); err != nil {
		t.Errorf("after %v: %v", DefaultLimits.SignUpEvery, err)
	}
	if err := a.AdmitSignUp(ctx, "192.0.2.1:1"); !errors.As(err, &rl) {
		t.Errorf("and then: %v, want a wait", err)
	}
}

// TestFirstGateNeverStricter: the in-memory gate of each of two instances
// never refuses an attempt the shared log would let through. Random
// attempts — logins, addresses, known devices, right and wrong passwords,
// sign-ups — go to either instance; before each, the gate's answer is
// compared with the shared log's replay of the same buckets.
func TestFirstGateNeverStricter(t *testing.T) {
	for seed := range uint64(3) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) { firstGate(t, seed) })
	}
}

func firstGate(t *testing.T, seed uint64) {
	clk := newClock()
	_, st := newService(t, clk)
	lim := Limits{PairBurst: 3, PairEvery: time.Minute, AddrBurst: 5, AddrEvery: 30 * time.Second,
		LoginBurst: 6, LoginEvery: time.Minute, SignUpBurst: 2, SignUpEvery: time.Minute}
	var svc [2]*Service
	for i := range svc {
		s, err := New(st, Options{Now: clk.now, Params: cheap, Limits: lim})
		if err != nil {
			t.Fatal(err)
		}
		svc[i] = s
	}
	ctx := t.Context()
	logins := []string{"anna", "bent", "cara"}
	var devices []context.Context
	for _, l := range logins {
		u, err := svc[0].SignUp(ctx, l, "", "gå en tur hver dag")
		if err != nil {
			t.Fatal(err)
		}
		devices = append(devices, deviceOf(t, svc[0], u.ID))
	}
	addrs := []string{"192.0.2.1:1", "192.0.2.2:1", "[2001:db8::1]:1"}
	rng := rand.New(rand.NewPCG(seed, 2))
	sharedWait := func(bs []bucket, now time.Time) bool {
		for _, b := range bs {
			rows, err := st.LoginAttempts(ctx, b.key, now.Add(-b.window()), maxReplay)
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, store.LoginAttempt{ID: 1 << 60, At: now})
			if ok, _ := replay(rows, 1<<60, b.burst, b.every); !ok {
				return true
			}
		}
		return false
	}
	refused, gated := 0, 0
	for i := range 600 {
		clk.add(time.Duration(rng.IntN(3)) * time.Second)
		s := svc[rng.IntN(2)]
		li, addr := rng.IntN(len(logins)), addrs[rng.IntN(len(addrs))]
		actx := ctx
		if rng.IntN(4) == 0 {
			actx = devices[li]
		}
		now := clk.now()
		var bs []bucket
		signUp := rng.IntN(6) == 0
		if signUp {
			bs = s.rules.signUpFrom(addr)
		} else {
			var err error
			if bs, err = s.signInBuckets(actx, logins[li], addr, now); err != nil {
				t.Fatal(err)
			}
		}
		if s.limiter.Wait(bs, now) > 0 {
			gated++
			if !sharedWait(bs, now) {
				for _, b := range bs {
					rows, _ := st.LoginAttempts(ctx, b.key, time.Time{}, 0)
					for _, r := range rows {
						t.Logf("row %d at %v", r.ID, r.At.Sub(newClock().now()))
					}
					s.limiter.mu.Lock()
					t.Logf("now %v, in memory %v", now.Sub(newClock().now()), s.limiter.m[b.key].times)
					s.limiter.mu.Unlock()
				}
				t.Fatalf("step %d: the first gate refuses %v, the shared log would not", i, bs)
			}
		}
		var err error
		if signUp {
			err = s.AdmitSignUp(actx, addr)
		} else {
			pw := "forkert kode"
			if rng.IntN(3) == 0 {
				pw = "gå en tur hver dag"
			}
			_, err = s.SignIn(actx, logins[li], pw, addr)
		}
		var rl *RateLimitedError
		switch {
		case errors.As(err, &rl):
			refused++
		case err != nil && !errors.Is(err, ErrBadCredentials):
			t.Fatalf("step %d: %v", i, err)
		}
	}
	t.Logf("600 attempts: %d refused, %d of them by the first gate", refused, gated)
	if refused == 0 || gated == 0 {
		t.Errorf("%d refused, %d by the first gate: the limits were never reached, the test proves nothing", refused, gated)
	}
}
