package account

// One-time reset codes (issue 13): there is no e-mail server, so a user
// who forgot their password calls the clinic, and an admin gives them a
// code over the phone (internal/clinic checks that the admin may). The
// user types their login, the code and a new password on a public page.
// A code is ResetCodeLen symbols of Crockford's base 32
// (internal/humancode), shown in groups of four; only its SHA-256 is
// stored; it is valid for ResetCodeValid and used once; a newer code
// replaces an older one. Trying codes is limited like signing in: by the
// login and by the address, and a wrong, used or expired code is a failed
// attempt.

import (
	"context"
	"crypto/sha256"
	"errors"
	"time"

	"github.com/stenose/stenose/internal/humancode"
	"github.com/stenose/stenose/internal/store"
)

// ResetCodeLen symbols give 60 bits: at the sign-in limits' pace (from
// every address together, 100 tries, then one a minute per login) a
// guesser gets about 1,540 tries in a code's 24 hours, a chance of about
// one in 10^15.
const (
	ResetCodeLen   = 12
	ResetCodeValid = 24 * time.Hour
	resetGroup     = 4
)

// ResetCode is a new reset code, to show once ("7K2M-Q9XD-4PWA").
type ResetCode struct {
	Code      string
	ExpiresAt time.Time
}

// ResetCodeError is a reset code that cannot be used: State says why
// (store.ResetCodeUsed, store.ResetCodeExpired), "" for a code that is
// wrong (no such code for the login, or no such login: not told apart),
// and Form for a text that cannot be a code at all.
type ResetCodeError struct {
	State store.ResetCodeState
	Form  bool
}

func (e *ResetCodeError) Error() string {
	switch {
	case e.Form:
		return "account: not a reset code"
	case e.State == "":
		return "account: wrong reset code"
	}
	return "account: the reset code is " + string(e.State)
}

// IssueResetCode makes a new reset code for the user, by the admin by (0:
// the command line), valid for ResetCodeValid; it replaces any code of
// theirs not yet used. The caller has checked that by may.
func (s *Service) IssueResetCode(ctx context.Context, userID, by int64) (ResetCode, error) {
	now := s.now()
	for range 3 { // a second draw of the same 60 bits would be news
		raw := humancode.New(ResetCodeLen)
		rc, err := s.st.CreateResetCode(ctx, store.ResetCode{UserID: userID, CreatedBy: by, CreatedAt: now, ExpiresAt: now.Add(ResetCodeValid)},
			sha256.Sum256([]byte(raw)))
		if errors.Is(err, store.ErrConflict) {
			continue
		}
		if err != nil {
			return ResetCode{}, err
		}
		return ResetCode{Code: humancode.Group(raw, resetGroup, "-"), ExpiresAt: rc.ExpiresAt}, nil
	}
	return ResetCode{}, errors.New("account: three reset codes in a row were taken")
}

// ResetPassword sets the password of login to password with the login's
// reset code, as typed, and ends every session of theirs. The password
// policy comes first (an *Error for "password": no attempt is counted);
// then the attempt is limited like a sign-in (a *RateLimitedError), and a
// code that cannot be used is a *ResetCodeError and a failed attempt. addr
// is the client's address (and ctx may carry its device: WithDevice).
func (s *Service) ResetPassword(ctx context.Context, login, code, password, addr string) error {
	if err := CheckPassword("password", password); err != nil {
		return err
	}
	now := s.now()
	key, nerr := NormalizeLogin(login)
	if nerr != nil {
		key = looseLoginKey(login) // still limited, by what was typed
	}
	bs, err := s.signInBuckets(ctx, key, addr, now)
	if err != nil {
		return err
	}
	res, err := s.admit(ctx, bs, now)
	if err != nil {
		return err
	}
	failed := func(e *ResetCodeError) error {
		s.limiter.Fail(bs, now) // the reservation stays: it is the failure
		return e
	}
	raw, ok := humancode.Read(code, ResetCodeLen)
	if !ok {
		return failed(&ResetCodeError{Form: true})
	}
	var u store.User
	if nerr == nil {
		u, err = s.st.UserByLogin(ctx, key)
	}
	switch {
	case nerr != nil, errors.Is(err, store.ErrNotFound):
		return failed(&ResetCodeError{})
	case err != nil:
		s.cancel(ctx, res)
		return err
	}
	hash, err := s.Hash(ctx, password)
	if err != nil {
		s.cancel(ctx, res)
		return err
	}
	err = s.st.UseResetCode(ctx, u.ID, sha256.Sum256([]byte(raw)), hash, now)
	var re *store.ResetCodeError
	if errors.As(err, &re) {
		return failed(&ResetCodeError{State: re.State})
	}
	if err != nil {
		s.cancel(ctx, res)
		return err
	}
	s.cancel(ctx, res)
	// The failures counted were against the old password (as SetPassword).
	s.freshStart(ctx, u.ID)
	return nil
}
