package store

import (
	"crypto/sha256"
	"errors"
	"sync"
	"testing"
	"time"
)

func TestTOTP(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		u := mkUser(t, s, "dorte")
		if sec, err := s.TOTPSecret(ctx, u.ID); err != nil || sec != "" {
			t.Fatalf("before enrolment: %q, %v", sec, err)
		}
		if err := s.UseTOTPStep(ctx, u.ID, 5); !errors.Is(err, ErrReplay) {
			t.Errorf("a step without a second factor: %v", err)
		}
		codes := [][32]byte{sha256.Sum256([]byte("A")), sha256.Sum256([]byte("B"))}
		wantCode(t, s.EnableTOTP(ctx, u.ID, "short", t0, 100, codes), EINVALID, "totp_secret")
		if err := s.EnableTOTP(ctx, u.ID, "JBSWY3DPEHPK3PXPJBSWY3DP", t0, 100, codes); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.EnableTOTP(ctx, 999, "JBSWY3DPEHPK3PXPJBSWY3DP", t0, 1, nil), ENOTFOUND, "")
		got, _ := s.UserByID(ctx, u.ID)
		if !got.TOTPEnabledAt.Equal(t0) {
			t.Errorf("TOTPEnabledAt = %v", got.TOTPEnabledAt)
		}
		if sec, _ := s.TOTPSecret(ctx, u.ID); sec != "JBSWY3DPEHPK3PXPJBSWY3DP" {
			t.Errorf("secret %q", sec)
		}
		// The step that confirmed it, and any before, are used.
		for _, step := range []int64{99, 100} {
			if err := s.UseTOTPStep(ctx, u.ID, step); !errors.Is(err, ErrReplay) {
				t.Errorf("step %d: %v, want ErrReplay", step, err)
			}
		}
		if err := s.UseTOTPStep(ctx, u.ID, 101); err != nil {
			t.Fatal(err)
		}
		if err := s.UseTOTPStep(ctx, u.ID, 101); !errors.Is(err, ErrReplay) {
			t.Errorf("step 101 again: %v", err)
		}
		// Two sign-ins with one code at once: one is accepted.
		var wg sync.WaitGroup
		errs := make([]error, 6)
		for i := range errs {
			wg.Go(func() { errs[i] = s.UseTOTPStep(ctx, u.ID, 200) })
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if !errors.Is(err, ErrReplay) {
				t.Errorf("unexpected: %v", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d of 6 accepted one code", ok)
		}
		// Recovery codes: each once.
		if n, _ := s.RecoveryCodesLeft(ctx, u.ID); n != 2 {
			t.Errorf("%d recovery codes", n)
		}
		if err := s.UseRecoveryCode(ctx, u.ID, codes[0], t0); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.UseRecoveryCode(ctx, u.ID, codes[0], t0), ENOTFOUND, "")
		wantCode(t, s.UseRecoveryCode(ctx, u.ID, sha256.Sum256([]byte("C")), t0), ENOTFOUND, "")
		other := mkUser(t, s, "bo")
		wantCode(t, s.UseRecoveryCode(ctx, other.ID, codes[1], t0), ENOTFOUND, "") // another user's code
		if n, _ := s.RecoveryCodesLeft(ctx, u.ID); n != 1 {
			t.Errorf("%d recovery codes left", n)
		}
		// An admin's reset: no secret, no codes, no sessions.
		if err := s.Sessions().CommitUser(ctx, "tok", u.ID, nil, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.ResetTOTP(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if sec, _ := s.TOTPSecret(ctx, u.ID); sec != "" {
			t.Errorf("after reset: %q", sec)
		}
		if got, _ := s.UserByID(ctx, u.ID); !got.TOTPEnabledAt.IsZero() {
			t.Errorf("after reset: enabled at %v", got.TOTPEnabledAt)
		}
		if n, _ := s.RecoveryCodesLeft(ctx, u.ID); n != 0 {
			t.Errorf("after reset: %d recovery codes", n)
		}
		if _, _, ok, _ := s.Sessions().FindUser(ctx, "tok", t0); ok {
			t.Error("after reset: the session is still there")
		}
		wantCode(t, s.ResetTOTP(ctx, 999), ENOTFOUND, "")
	})
}
