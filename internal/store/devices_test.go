package store

import (
	"crypto/sha256"
	"testing"
	"time"
)

// TestKnownDevices: a device is known for the logins signed in on it,
// within the time asked; a password reset forgets a user's devices,
// pruning old ones, and deleting the user deletes theirs.
func TestKnownDevices(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		ann, bo := mkUser(t, s, "ann"), mkUser(t, s, "bo")
		tablet, phone := sha256.Sum256([]byte("tablet")), sha256.Sum256([]byte("phone"))
		for _, d := range []struct {
			user int64
			tok  [32]byte
			at   time.Time
		}{{ann.ID, tablet, t0}, {bo.ID, tablet, t0}, {ann.ID, phone, t0.Add(-48 * time.Hour)}, {ann.ID, phone, t0.Add(-24 * time.Hour)}} {
			if err := s.RememberDevice(ctx, d.user, d.tok, d.at); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.RememberDevice(ctx, 999999, phone, t0); err != ErrNotFound && ErrorCode(err) != ENOTFOUND {
			t.Errorf("a device of no user: %v, want not found", err)
		}
		known := func(login string, tok [32]byte, since time.Time) bool {
			t.Helper()
			ok, err := s.KnownDevice(ctx, login, tok, since)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		for _, tt := range []struct {
			login string
			tok   [32]byte
			since time.Time
			want  bool
		}{
			{"ann", tablet, t0, true}, {"bo", tablet, t0, true}, {"ann", phone, t0.Add(-24 * time.Hour), true},
			{"ann", phone, t0.Add(-23 * time.Hour), false}, {"bo", phone, time.Time{}, false}, {"cara", tablet, time.Time{}, false},
		} {
			if got := known(tt.login, tt.tok, tt.since); got != tt.want {
				t.Errorf("KnownDevice(%s, since %v) = %v, want %v", tt.login, tt.since, got, tt.want)
			}
		}
		if ok, err := s.DeviceKnown(ctx, phone, time.Time{}); !ok || err != nil {
			t.Errorf("DeviceKnown(phone) = %v, %v", ok, err)
		}
		if ok, err := s.DeviceKnown(ctx, sha256.Sum256([]byte("made up")), time.Time{}); ok || err != nil {
			t.Errorf("DeviceKnown(made up) = %v, %v", ok, err)
		}
		if n, err := s.PruneDevices(ctx, t0.Add(-time.Hour)); n != 1 || err != nil {
			t.Errorf("PruneDevices = %d, %v; want ann's phone", n, err)
		}
		if err := s.ForgetDevices(ctx, bo.ID); err != nil {
			t.Fatal(err)
		}
		if known("bo", tablet, time.Time{}) || !known("ann", tablet, time.Time{}) {
			t.Error("ForgetDevices(bo) forgot the wrong devices")
		}
		if err := s.DeleteUser(ctx, ann.ID); err != nil {
			t.Fatal(err)
		}
		if n := count(t, s, `SELECT count(*) FROM known_devices`); n != 0 {
			t.Errorf("%d devices left after the last user went", n)
		}
	})
}

// TestClearLoginBuckets: a login's buckets go, with every bucket under
// it, and nobody else's — a login that begins like it included.
func TestClearLoginBuckets(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		const sep = '\x1f'
		for _, b := range []string{"login:ann", "login:ann\x1faddr:192.0.2.1", "login:ann\x1fdevice:abcd",
			"login:anna", "login:anna\x1faddr:192.0.2.1", "login:ann addr", "addr:192.0.2.1", "login:æøå\x1faddr:x"} {
			if _, err := s.AddLoginAttempt(ctx, t0, b); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := s.ClearLoginBuckets(ctx, "ann", sep); n != 3 || err != nil {
			t.Errorf("ClearLoginBuckets(ann) = %d, %v; want 3", n, err)
		}
		if n, err := s.ClearLoginBuckets(ctx, "æøå", sep); n != 1 || err != nil {
			t.Errorf("ClearLoginBuckets(æøå) = %d, %v; want 1", n, err)
		}
		if n := count(t, s, `SELECT count(*) FROM login_attempts`); n != 4 {
			t.Errorf("%d rows left, want 4", n)
		}
	})
}
