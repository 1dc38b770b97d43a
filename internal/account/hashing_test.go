package account

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
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
