package account

// A second factor for the clinic's side (issue 13): a clinician or an admin
// opens many patients' records, so their account signs in with a password
// and a time-based one-time code (TOTP, RFC 6238: 6 digits, 30 seconds,
// SHA-1 — what every authenticator app reads from the enrolment QR code),
// or one of ten recovery codes shown once at enrolment. Patients keep the
// password alone. The codes are checked with github.com/pquerna/otp.

import (
	"context"
	"crypto/sha256"
	"errors"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/stenose/stenose/internal/humancode"
	"github.com/stenose/stenose/internal/store"
)

// Issuer names stenose in the authenticator app, beside the login.
const Issuer = "stenose"

const (
	totpPeriod    = 30 // seconds a code lives
	recoveryCount = 10
	recoveryLen   = 10 // symbols of Crockford's base 32 (internal/humancode): 50 bits each
)

// ErrSecondFactor is a one-time code or recovery code that is wrong, used
// before, or for another moment.
var ErrSecondFactor = errors.New("account: wrong or used one-time code")

// NeedsSecondFactor reports whether u's role signs in with a second factor.
func NeedsSecondFactor(u store.User) bool {
	return u.Role == store.RoleClinician || u.Role == store.RoleAdmin
}

// Enrolment is a second factor offered to a user, not yet confirmed: the
// secret (to keep in the sign-in session until confirmed) and the otpauth
// URL the QR code carries.
type Enrolment struct {
	Secret string
	URL    string
}

// BeginTOTP makes a new secret for u, to show as a QR code (and as text,
// for typing it in).
func (s *Service) BeginTOTP(u store.User) (Enrolment, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: Issuer, AccountName: u.ShownLogin(), Period: totpPeriod, SecretSize: 20})
	if err != nil {
		return Enrolment{}, err
	}
	return Enrolment{Secret: key.Secret(), URL: key.URL()}, nil
}

// EnrolmentOf reads back an enrolment from its otpauth URL (kept while
// the user enrols), with pquerna/otp's own parser.
func EnrolmentOf(u string) (Enrolment, error) {
	key, err := otp.NewKeyFromURL(u)
	if err != nil {
		return Enrolment{}, err
	}
	return Enrolment{Secret: key.Secret(), URL: u}, nil
}

// step is the TOTP step that code is valid for at now (this step or the
// one before or after, for a phone's clock a little off), or ok false.
func step(secret, code string, now time.Time) (int64, bool) {
	code = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, code)
	if len(code) != 6 {
		return 0, false
	}
	opts := totp.ValidateOpts{Period: totpPeriod, Skew: 0, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	for _, d := range []int64{0, -1, 1} {
		at := now.Add(time.Duration(d*totpPeriod) * time.Second)
		if ok, err := totp.ValidateCustom(code, secret, at, opts); err == nil && ok {
			return at.Unix() / totpPeriod, true
		}
	}
	return 0, false
}

// ConfirmTOTP turns an enrolment into u's second factor when code is one
// of its current codes, and returns the recovery codes, to show once.
func (s *Service) ConfirmTOTP(ctx context.Context, userID int64, secret, code string) ([]string, error) {
	now := s.now()
	st, ok := step(secret, code, now)
	if !ok {
		return nil, ErrSecondFactor
	}
	codes := make([]string, recoveryCount)
	hashes := make([][32]byte, recoveryCount)
	for i := range codes {
		codes[i] = newRecoveryCode()
		hashes[i] = recoveryHash(codes[i])
	}
	if err := s.st.EnableTOTP(ctx, userID, secret, now, st, hashes); err != nil {
		return nil, err
	}
	return codes, nil
}

// VerifySecondFactor checks the second step of u's sign-in: a current
// one-time code not used before, or an unused recovery code (spent now).
// Wrong codes count against the account's and the address's sign-in
// limits like wrong passwords.
func (s *Service) VerifySecondFactor(ctx context.Context, u store.User, code, addr string) error {
	now := s.now()
	bs, err := s.signInBuckets(ctx, u.Login, addr, now)
	if err != nil {
		return err
	}
	res, err := s.admit(ctx, bs, now)
	if err != nil {
		return err
	}
	err = s.secondFactor(ctx, u, code, now)
	if errors.Is(err, ErrSecondFactor) {
		s.limiter.Fail(bs, now) // the reservation stays: it is the failure
		return err
	}
	s.cancel(ctx, res)
	return err
}

func (s *Service) secondFactor(ctx context.Context, u store.User, code string, now time.Time) error {
	secret, err := s.st.TOTPSecret(ctx, u.ID)
	if err != nil {
		return err
	}
	if secret == "" {
		return ErrSecondFactor
	}
	if st, ok := step(secret, code, now); ok {
		if err := s.st.UseTOTPStep(ctx, u.ID, st); errors.Is(err, store.ErrReplay) {
			return ErrSecondFactor
		} else if err != nil {
			return err
		}
		return nil
	}
	if raw, ok := normRecovery(code); ok {
		err := s.st.UseRecoveryCode(ctx, u.ID, sha256.Sum256([]byte(raw)), now)
		if errors.Is(err, store.ErrNotFound) {
			return ErrSecondFactor
		}
		return err
	}
	return ErrSecondFactor
}

func newRecoveryCode() string { return humancode.Group(humancode.New(recoveryLen), 5, "-") }

// normRecovery reads a recovery code as typed (humancode.Read).
func normRecovery(s string) (string, bool) { return humancode.Read(s, recoveryLen) }

func recoveryHash(code string) [32]byte {
	raw, _ := normRecovery(code)
	return sha256.Sum256([]byte(raw))
}
