package store

import (
	"testing"
	"time"
)

// TestSessionTouch: FindUserExpiry returns the expiry as stored, Touch
// moves it (an idle timeout's use), and a session past it is not found.
func TestSessionTouch(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		ss := s.Sessions()
		u := mkUser(t, s, "ann")
		if err := ss.CommitUser(ctx, "tok", u.ID, []byte("x"), t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		b, su, exp, found, err := ss.FindUserExpiry(ctx, "tok", t0)
		if err != nil || !found || string(b) != "x" || su == nil || su.ID != u.ID || !exp.Equal(t0.Add(time.Hour)) {
			t.Fatalf("FindUserExpiry = %q, %v, %v, %v, %v", b, su, exp, found, err)
		}
		if err := ss.Touch(ctx, "tok", t0.Add(3*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, _, exp, found, _ := ss.FindUserExpiry(ctx, "tok", t0.Add(2*time.Hour)); !found || !exp.Equal(t0.Add(3*time.Hour)) {
			t.Errorf("after Touch: found %v, expiry %v", found, exp)
		}
		if _, _, _, found, _ := ss.FindUserExpiry(ctx, "tok", t0.Add(3*time.Hour)); found {
			t.Error("found at its expiry")
		}
		if err := ss.Touch(ctx, "no such token", t0); err != nil {
			t.Errorf("Touch of an unknown token: %v", err)
		}
	})
}
