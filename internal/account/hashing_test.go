package account

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/alexedwards/argon2id"
)

// TestHashSlotsQueue: hashes beyond the slots wait for one, they do not
// run (each running hash holds Params.Memory): with 6 at once and 2
// slots, 2 run and 4 wait until those end.
func TestHashSlotsQueue(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		most := 0
		started := make(chan struct{})
		release := make(chan struct{})
		s, err := New(nil, Options{Params: cheap, HashHook: func(start bool, running int) {
			if !start {
				return
			}
			mu.Lock()
			most = max(most, running)
			mu.Unlock()
			started <- struct{}{}
			<-release // the hash holds its slot until the test lets it go
		}})
		if err != nil {
			t.Fatal(err)
		}
		var done atomic.Int32
		var wg sync.WaitGroup
		for i := range 6 {
			wg.Go(func() {
				if _, err := s.Hash(t.Context(), fmt.Sprint("adgangskode ", i)); err != nil {
					t.Error(err)
				}
				done.Add(1)
			})
		}
		for range DefaultHashSlots {
			<-started
		}
		synctest.Wait() // every goroutine blocked: the slots' holders in the hook, the rest queued
		if n := int(s.running.Load()); n != DefaultHashSlots || done.Load() != 0 {
			t.Fatalf("%d hashes running, %d done; want %d running and the rest waiting", n, done.Load(), DefaultHashSlots)
		}
		go func() {
			for range 6 - DefaultHashSlots {
				<-started
			}
		}()
		close(release)
		wg.Wait()
		if most != DefaultHashSlots {
			t.Errorf("at most %d hashes ran at once, want %d", most, DefaultHashSlots)
		}
	})
}

// TestConcurrentSignInsQueue: 24 sign-ins at once (each its own user and
// address, so no limit refuses them) all succeed, and never more than the
// slots' number of hashes run at once.
func TestConcurrentSignInsQueue(t *testing.T) {
	clk := newClock()
	_, st := newService(t, clk)
	var most atomic.Int32
	s, err := New(st, Options{Now: clk.now, Params: cheap, HashHook: func(start bool, running int) {
		for m := most.Load(); start && int32(running) > m && !most.CompareAndSwap(m, int32(running)); m = most.Load() {
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	for i := range 24 {
		if _, err := s.SignUp(ctx, fmt.Sprintf("u%02d", i), "", "gå en tur hver dag"); err != nil {
			t.Fatal(err)
		}
	}
	most.Store(0)
	var wg sync.WaitGroup
	for i := range 24 {
		wg.Go(func() {
			if _, err := s.SignIn(ctx, fmt.Sprintf("u%02d", i), "gå en tur hver dag", fmt.Sprintf("192.0.2.%d:1", i+1)); err != nil {
				t.Errorf("sign-in %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if m := most.Load(); m < 1 || int(m) > DefaultHashSlots {
		t.Errorf("at most %d hashes ran at once, want 1–%d", m, DefaultHashSlots)
	}
}

// TestDummyHash: an unknown login's password is checked against a hash
// with the service's own parameters (so it costs what a wrong password of
// a real login costs), which no password matches; and a sign-in as an
// unknown login runs one hash through a slot, as a wrong password does.
// The dummy is not computed at start-up (it used to take 64 MiB there):
// it is made of the parameters, a random salt and a random key.
func TestDummyHash(t *testing.T) {
	for _, tc := range []struct {
		name   string
		params *argon2id.Params
		check  bool // CheckHash against it (64 MiB and a few tens of ms for the defaults)
	}{
		{"cheap", cheap, true},
		{"defaults", DefaultParams, true},
		{"other lanes", &argon2id.Params{Memory: 32 * 1024, Iterations: 3, Parallelism: 4, SaltLength: 8, KeyLength: 64}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := New(nil, Options{Params: tc.params})
			if err != nil {
				t.Fatal(err)
			}
			p, salt, key, err := argon2id.DecodeHash(s.dummy)
			if err != nil {
				t.Fatalf("DecodeHash(%q): %v", s.dummy, err)
			}
			if *p != *tc.params {
				t.Errorf("dummy's parameters %+v, want the service's %+v", *p, *tc.params)
			}
			if len(salt) != int(tc.params.SaltLength) || len(key) != int(tc.params.KeyLength) {
				t.Errorf("salt %d and key %d bytes", len(salt), len(key))
			}
			if other, _ := New(nil, Options{Params: tc.params}); other.dummy == s.dummy {
				t.Error("two services made the same dummy: not random")
			}
			if !tc.check {
				return
			}
			for _, pw := range []string{"", "stenose: no such user", "gå en tur hver dag"} {
				ok, cp, err := argon2id.CheckHash(pw, s.dummy)
				if ok || err != nil || *cp != *tc.params {
					t.Errorf("CheckHash(%q, dummy) = %v, %+v, %v; want false with the service's parameters", pw, ok, cp, err)
				}
				if tc.params == DefaultParams {
					break // one is enough: each takes 64 MiB
				}
			}
		})
	}

	// The same work: one hash for an unknown login, as for a wrong password.
	clk := newClock()
	_, st := newService(t, clk)
	var hashes atomic.Int32
	s, err := New(st, Options{Now: clk.now, Params: cheap, HashHook: func(start bool, _ int) {
		if start {
			hashes.Add(1)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SignUp(t.Context(), "anna", "", "gå en tur hver dag"); err != nil {
		t.Fatal(err)
	}
	for i, login := range []string{"anna", "bent"} {
		hashes.Store(0)
		if _, err := s.SignIn(t.Context(), login, "forkert kode", fmt.Sprintf("192.0.2.%d:1", i+1)); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("SignIn(%s) = %v", login, err)
		}
		if n := hashes.Load(); n != 1 {
			t.Errorf("SignIn(%s, wrong password): %d hashes, want 1", login, n)
		}
	}
}

// TestNewHashesNothing: making a Service with the default parameters
// allocates no argon2id memory (64 MiB): `stenose serve` makes one at
// start, before any sign-in, and public traffic never needs it.
func TestNewHashesNothing(t *testing.T) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := New(nil, Options{}); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if d := after.TotalAlloc - before.TotalAlloc; d > 1<<20 {
		t.Errorf("New allocated %d KiB, want well under the %d KiB of one hash", d>>10, DefaultParams.Memory)
	}
}
