// Package account is who a user is and how they prove it: login names,
// the password policy, argon2id hashing, sign-up, sign-in with rate
// limiting, and changing a password. It keeps nothing itself: users live in
// internal/store, and so do the sign-in rate limits' counters (see
// shared.go), which every instance on one database shares; the only state
// here is an in-memory first gate in front of them (see Limiter).
package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"

	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/store"
)

// A login is what a person types to sign in: their name ("Søren Hansen"),
// an e-mail address, a nickname — letters of any script, digits, spaces,
// punctuation and symbols. Two spellings of one login are one account: logins
// are compared by their key (see ParseLogin), made with Unicode
// normalisation (NFKC) and case folding, and shown as the person typed them.
// After normalisation a login is MinLogin–MaxLogin characters.
const (
	MinLogin = 1
	MaxLogin = 100
	// MinPassword is the password policy's only rule besides "not one of
	// the most common passwords" (NIST SP 800-63B: length, a block list,
	// no composition rules).
	MinPassword = 10
	// MaxPassword bounds the bytes hashed, so a huge password cannot make
	// the server work hard.
	MaxPassword = 1024
)

// Error is a problem with what a user typed, for the form to show beside
// Field ("login", "password", "name", "current"): Message in plain Danish
// (the command line shows it as it is), Code a stable name of the problem
// for a page in another language to say in its own words.
type Error struct {
	Field   string
	Code    string
	Args    []any // the values Message fills in (limits), for other languages
	Message string
}

func (e *Error) Error() string { return "account: " + e.Field + ": " + e.Message }

// fieldErr is the error code on field; its words are the catalogue's
// "account_"+code (internal/i18n), Danish in Message.
func fieldErr(field, code string, args ...any) *Error {
	return &Error{Field: field, Code: code, Args: args, Message: i18n.Da.Tf("account_"+code, args...)}
}

// Text is the error's message in l.
func (e *Error) Text(l i18n.Lang) string { return l.Tf("account_"+e.Code, e.Args...) }

// ErrDisabled is a sign-in with the right password to an account an admin
// has disabled.
var ErrDisabled = errors.New("account: the account is disabled")

// ErrBadCredentials is a sign-in with an unknown login or a wrong password;
// which of the two is never told.
var ErrBadCredentials = errors.New("account: wrong login or password")

// RateLimitedError is an attempt refused by a limit (Limits): too many
// failed sign-ins or codes, or, with SignUp, too many sign-ups from one
// address. RetryAfter says when the next attempt is allowed.
type RateLimitedError struct {
	RetryAfter time.Duration
	SignUp     bool
}

func (e *RateLimitedError) Error() string {
	what := "failed sign-ins"
	if e.SignUp {
		what = "sign-ups from this address"
	}
	return fmt.Sprintf("account: too many %s; retry in %s", what, e.RetryAfter.Round(time.Second))
}

// NormalizeLogin returns the key of the login s (ParseLogin's Key): what
// logins are stored under, looked up and rate-limited by. The error is an
// *Error for the "login" field.
func NormalizeLogin(s string) (string, error) {
	l, err := ParseLogin(s)
	return l.Key, err
}

// CheckPassword applies the password policy: at least MinPassword
// characters, at most MaxPassword bytes, not one of the most common
// passwords. field is the form field to report on.
func CheckPassword(field, pw string) error {
	if !utf8.ValidString(pw) {
		return fieldErr(field, "passwordChars")
	}
	if utf8.RuneCountInString(pw) < MinPassword {
		return fieldErr(field, "passwordShort", MinPassword)
	}
	if len(pw) > MaxPassword {
		return fieldErr(field, "passwordLong", MaxPassword)
	}
	if IsCommonPassword(pw) {
		return fieldErr(field, "passwordCommon")
	}
	return nil
}

// Options configure a Service.
type Options struct {
	// Now is the clock for rate limiting; nil means time.Now.
	Now func() time.Time
	// Params are the argon2id parameters for new hashes; nil means
	// DefaultParams. Tests pass cheaper ones.
	Params *argon2id.Params
	// Limits for sign-in attempts and sign-ups; zero values mean
	// DefaultLimits'.
	Limits Limits
	// HashSlots is how many argon2id hashes may run at once; 0 means
	// DefaultHashSlots.
	HashSlots int
	// HashHook, when not nil, is called as each hash starts (running: how
	// many run now, this one included) and ends (tests count them).
	HashHook func(start bool, running int)
}

// DefaultParams: argon2id with 64 MiB, one pass, two lanes — above
// OWASP's minimum of 46 MiB, t=1, p=1 — fixed here, not taken from the
// library's defaults, whose lanes are the machine's CPU count: a sign-in
// rehashes a password whose parameters differ from these, so instances on
// machines of different sizes would rehash each other's passwords at
// every sign-in. Two lanes is what the library's defaults gave on the
// 2-core machines stenose has run on, so existing hashes stay as they are.
var DefaultParams = &argon2id.Params{Memory: 64 * 1024, Iterations: 1, Parallelism: 2, SaltLength: 16, KeyLength: 32}

// DefaultHashSlots is how many argon2id hashes run at once: 2 × 64 MiB
// (DefaultParams.Memory) = 128 MiB, which with the rest of the process
// fits the memory budget the README gives. More sign-ins at once wait for a
// slot. Two slots of two lanes keep two cores busy; a bigger machine gains
// little from more, since a hash takes about 60 ms.
const DefaultHashSlots = 2

// Service signs users up and in. It is safe for concurrent use.
type Service struct {
	st        *store.Store
	now       func() time.Time
	params    *argon2id.Params
	limiter   *Limiter      // the cheap first gate: this instance's failures
	rules     rules         // the limits' buckets (limit.go), shared and in memory
	dummy     string        // a hash to check against for unknown logins (dummyHash)
	lastPrune atomic.Int64  // unix seconds of this instance's last prune of old attempts
	hashing   chan struct{} // bounds concurrent hashes: each takes Params.Memory
	running   atomic.Int32  // hashes running now (HashHook)
	hook      func(start bool, running int)
}

// New returns a Service over st.
func New(st *store.Store, opts Options) (*Service, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Params == nil {
		opts.Params = DefaultParams
	}
	slots := opts.HashSlots
	if slots <= 0 {
		slots = DefaultHashSlots
	}
	dummy, err := dummyHash(opts.Params)
	if err != nil {
		return nil, err
	}
	return &Service{
		st:      st,
		now:     opts.Now,
		params:  opts.Params,
		limiter: NewLimiter(),
		rules:   rulesOf(opts.Limits),
		dummy:   dummy,
		hashing: make(chan struct{}, slots),
		hook:    opts.HashHook,
	}, nil
}

// dummyHash is what an unknown login's password is checked against, so
// that it costs what a wrong password for a real login costs (the same
// answer after the same work). Checking a password against a PHC string
// derives a key with the string's parameters and salt and compares it with
// the string's key: the work depends on the parameters alone, not on
// whether the key came from a password. So the string is made of the
// parameters, a random salt and a random key, with no hash computed — it
// used to be argon2id.CreateHash at start-up, which took Params.Memory
// (64 MiB) of heap before the server answered its first request, and the
// Go runtime then let the heap grow to twice that under public traffic.
// No password derives a random key (but with the chance of guessing 32
// random bytes).
func dummyHash(p *argon2id.Params) (string, error) {
	salt := make([]byte, p.SaltLength)
	key := make([]byte, p.KeyLength)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	if _, err := rand.Read(key); err != nil {
		return "", err
	}
	b64 := base64.RawStdEncoding
	// v=19 is argon2 1.3 (RFC 9106), the only version the library reads.
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", p.Memory, p.Iterations, p.Parallelism,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Hash returns the argon2id PHC string of pw.
func (s *Service) Hash(ctx context.Context, pw string) (string, error) {
	if err := s.acquire(ctx); err != nil {
		return "", err
	}
	defer s.release()
	return argon2id.CreateHash(pw, s.params)
}

// verify reports whether pw matches hash and whether the hash should be
// remade with the current parameters. An empty hash (no password set)
// never matches, but takes as long as one that does.
func (s *Service) verify(ctx context.Context, pw, hash string) (ok, rehash bool, err error) {
	if err := s.acquire(ctx); err != nil {
		return false, false, err
	}
	defer s.release()
	if hash == "" {
		_, _, _ = argon2id.CheckHash(pw, s.dummy)
		return false, false, nil
	}
	ok, p, err := argon2id.CheckHash(pw, hash)
	if err != nil {
		return false, false, err
	}
	return ok, ok && *p != *s.params, nil
}

// acquire waits for a hashing slot (or the request's end). A request
// waiting holds its goroutine and its form, a few kilobytes, never a
// hash's memory: the queue does not grow the process.
func (s *Service) acquire(ctx context.Context) error {
	select {
	case s.hashing <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	if s.hook != nil {
		s.hook(true, int(s.running.Add(1)))
	}
	return nil
}

func (s *Service) release() {
	if s.hook != nil {
		s.hook(false, int(s.running.Add(-1)))
	}
	<-s.hashing
}

// SignUp creates a patient account. Errors about the input are *Error.
func (s *Service) SignUp(ctx context.Context, login, name, password string) (store.User, error) {
	return s.Create(ctx, login, name, password, store.RolePatient)
}

// AdmitSignUp counts a sign-up from addr against the address's sign-up
// limit (Limits.SignUpBurst, SignUpEvery), or refuses it with a
// *RateLimitedError (SignUp set). Every sign-up counts, whatever comes of
// it: a new account, a login taken, a code that cannot be used. The form
// must say when a login is taken (a person choosing one has to know),
// and the limit bounds how many logins one address can try that way.
func (s *Service) AdmitSignUp(ctx context.Context, addr string) error {
	now := s.now()
	bs := s.rules.signUpFrom(addr)
	_, err := s.admit(ctx, bs, now) // the reservation stays: every sign-up counts
	var rl *RateLimitedError
	if errors.As(err, &rl) {
		rl.SignUp = true
		return rl
	}
	if err == nil {
		s.limiter.Fail(bs, now)
	}
	return err
}

// RememberDevice records that the browser whose device token is ctx's
// (WithDevice) has signed in as userID, and returns the token for its
// cookie: the same one when the server gave it out before (a browser
// shared by several users keeps one token), else a new one — a token a
// browser made up is never taken.
func (s *Service) RememberDevice(ctx context.Context, userID int64) (string, error) {
	now := s.now()
	tok, _ := ctx.Value(deviceKey{}).(string)
	h, ok := deviceHash(ctx)
	if ok {
		known, err := s.st.DeviceKnown(ctx, h, now.Add(-DeviceLifetime))
		if err != nil {
			return "", err
		}
		ok = known
	}
	if !ok {
		tok = newDeviceToken()
		h = sha256.Sum256([]byte(tok))
	}
	if err := s.st.RememberDevice(ctx, userID, h, now); err != nil {
		return "", err
	}
	return tok, nil
}

// deviceTokenLen is a device token's length: 32 random bytes, base64url.
const deviceTokenLen = 43

func newDeviceToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// Create creates an account with the given role (the command line's
// `stenose user add`).
func (s *Service) Create(ctx context.Context, login, name, password string, role store.Role) (store.User, error) {
	return s.CreateIn(ctx, login, name, password, role, 0)
}

// CreateIn is Create in the clinic clinicID (0: in none).
func (s *Service) CreateIn(ctx context.Context, login, name, password string, role store.Role, clinicID int64) (store.User, error) {
	u, err := s.newUser(ctx, login, name, password, role)
	if err != nil {
		return store.User{}, err
	}
	u.ClinicID = clinicID
	u, err = s.st.CreateUser(ctx, u)
	if errors.Is(err, store.ErrConflict) {
		return store.User{}, fieldErr("login", "loginTaken")
	}
	return u, err
}

// SignUpInvited creates a patient account with the invitation whose code
// hashes to codeHash (internal/clinic reads the code): the account is in
// the invitation's clinic and the invitation is used, at once. A code that
// cannot be used is a *store.InvitationError, and counts against the
// address's sign-in limit like a wrong password: codes cannot be guessed
// faster than passwords. addr is the client's address.
func (s *Service) SignUpInvited(ctx context.Context, login, name, password string, codeHash [32]byte, addr string) (store.User, store.Invitation, error) {
	u, err := s.newUser(ctx, login, name, password, store.RolePatient)
	if err != nil {
		return store.User{}, store.Invitation{}, err
	}
	var inv store.Invitation
	err = s.redeem(ctx, addr, func(now time.Time) (err error) {
		u, inv, err = s.st.CreateInvitedUser(ctx, u, codeHash, now)
		return err
	})
	switch {
	case errors.Is(err, store.ErrConflict):
		return store.User{}, inv, fieldErr("login", "loginTaken")
	case err != nil:
		return store.User{}, inv, err
	}
	return u, inv, nil
}

// redeem runs use, a use of an invitation code at now, under the
// address's limits: a code that cannot be used (a *store.InvitationError)
// counts as a failure. Both of its buckets are the address's
// (rules.invitation): a login bucket would let one guesser lock everyone
// out of invitations.
func (s *Service) redeem(ctx context.Context, addr string, use func(now time.Time) error) error {
	now := s.now()
	bs := s.rules.invitation(addr)
	res, err := s.admit(ctx, bs, now)
	if err != nil {
		return err
	}
	err = use(now)
	var ie *store.InvitationError
	if errors.As(err, &ie) {
		s.limiter.Fail(bs, now) // the reservation stays: it is the failure
		return err
	}
	s.cancel(ctx, res)
	return err
}

// JoinClinic links the existing patient account to the clinic of the
// invitation whose code hashes to codeHash (a patient whose clinic invited
// them after they made their account). Like SignUpInvited, an unusable code
// is a *store.InvitationError and counts against the address's limit.
func (s *Service) JoinClinic(ctx context.Context, userID int64, codeHash [32]byte, addr string) (store.Invitation, error) {
	var inv store.Invitation
	err := s.redeem(ctx, addr, func(now time.Time) (err error) {
		inv, err = s.st.UseInvitation(ctx, userID, codeHash, now)
		return err
	})
	return inv, err
}

// newUser checks and hashes what a new account is made of. The account's
// time is the service's clock, the one every record of the patient is
// dated by (a record may not date from long before it).
func (s *Service) newUser(ctx context.Context, login, name, password string, role store.Role) (store.User, error) {
	l, err := ParseLogin(login)
	if err != nil {
		return store.User{}, err
	}
	name = strings.TrimSpace(name)
	if len(name) > 200 || !utf8.ValidString(name) {
		return store.User{}, fieldErr("name", "nameLong", 200)
	}
	if !role.Valid() {
		return store.User{}, fieldErr("role", "roleUnknown", string(role))
	}
	if err := CheckPassword("password", password); err != nil {
		return store.User{}, err
	}
	hash, err := s.Hash(ctx, password)
	if err != nil {
		return store.User{}, err
	}
	return store.User{Login: l.Key, LoginDisplay: l.Display(), Name: name, PasswordHash: hash, Role: role, CreatedAt: s.now()}, nil
}

// SignIn checks login and password. addr is the client's address, and
// ctx may carry the browser's device token (WithDevice), for the limits
// (Limits). It returns ErrBadCredentials for an unknown login or a wrong
// password (after the same work either way: an unknown login is checked
// against a dummy hash), or a *RateLimitedError.
func (s *Service) SignIn(ctx context.Context, login, password, addr string) (store.User, error) {
	now := s.now()
	norm, nerr := NormalizeLogin(login)
	if nerr != nil {
		norm = looseLoginKey(login) // still limited, by what was typed
	}
	bs, err := s.signInBuckets(ctx, norm, addr, now)
	if err != nil {
		return store.User{}, err
	}
	res, err := s.admit(ctx, bs, now)
	if err != nil {
		return store.User{}, err
	}
	var u store.User
	hash := s.dummy
	found := false
	if nerr == nil && len(password) <= MaxPassword {
		var err error
		u, err = s.st.UserByLogin(ctx, norm)
		switch {
		case err == nil:
			hash, found = u.PasswordHash, true
		case !errors.Is(err, store.ErrNotFound):
			s.cancel(ctx, res)
			return store.User{}, err
		}
	}
	if len(password) > MaxPassword {
		password = password[:MaxPassword]
	}
	ok, rehash, err := s.verify(ctx, password, hash)
	if err != nil {
		s.cancel(ctx, res)
		return store.User{}, err
	}
	if !ok || !found {
		s.limiter.Fail(bs, now) // the reservation stays: it is the failure
		return store.User{}, ErrBadCredentials
	}
	s.cancel(ctx, res) // a success costs nothing
	if u.Disabled() {
		// Told only to whoever knows the password: the account exists,
		// and an admin has closed it.
		return store.User{}, ErrDisabled
	}
	if rehash {
		if h, err := s.Hash(ctx, password); err == nil {
			_ = s.st.SetPassword(ctx, u.ID, h) // best effort: the old hash still works
		}
	}
	return u, nil
}

// signInBuckets are the limits an attempt to prove who one is as login
// (its key) from addr is held to (Limits): its device's own bucket when
// ctx's device (WithDevice) has signed in to login before, else the login
// from this address, the address, and the login from everywhere.
func (s *Service) signInBuckets(ctx context.Context, login, addr string, now time.Time) ([]bucket, error) {
	if h, ok := deviceHash(ctx); ok {
		known, err := s.st.KnownDevice(ctx, login, h, now.Add(-DeviceLifetime))
		if err != nil {
			return nil, err
		}
		if known {
			return s.rules.fromDevice(login, h), nil
		}
	}
	return s.rules.fromAddr(login, addr), nil
}

// admit lets an attempt held to the buckets bs (a password, a one-time
// code, a sign-up) go ahead: this instance's first gate, then the shared
// limits, which reserve the attempt (cancel it on success; a failure keeps
// it). A *RateLimitedError says how long to wait.
func (s *Service) admit(ctx context.Context, bs []bucket, now time.Time) (reservation, error) {
	if wait := s.limiter.Wait(bs, now); wait > 0 {
		return reservation{}, &RateLimitedError{RetryAfter: wait}
	}
	res, wait, err := s.reserve(ctx, bs, now)
	if err != nil {
		return res, err
	}
	if wait > 0 {
		return res, &RateLimitedError{RetryAfter: wait}
	}
	return res, nil
}

// ChangePassword replaces the user's password after checking the current
// one (counted against the account's and the address's sign-in limits).
// A wrong current password is an *Error for the "current" field.
func (s *Service) ChangePassword(ctx context.Context, userID int64, current, next, addr string) error {
	u, err := s.st.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	now := s.now()
	bs, err := s.signInBuckets(ctx, u.Login, addr, now)
	if err != nil {
		return err
	}
	res, err := s.admit(ctx, bs, now)
	if err != nil {
		return err
	}
	if len(current) > MaxPassword {
		current = current[:MaxPassword]
	}
	ok, _, err := s.verify(ctx, current, u.PasswordHash)
	if err != nil {
		s.cancel(ctx, res)
		return err
	}
	if !ok {
		s.limiter.Fail(bs, now) // the reservation stays: it is the failure
		return fieldErr("current", "currentWrong")
	}
	s.cancel(ctx, res)
	if err := CheckPassword("password", next); err != nil {
		return err
	}
	return s.SetPassword(ctx, userID, next)
}

// SetPassword sets a new password (the command line's reset-password, a
// change of password); it applies the policy. The login's shared sign-in
// limits are lifted: the failures counted were against the old password.
// (Another instance's in-memory first gate may still ask for a short wait,
// at most one Every per failure it saw itself.) The devices signed in
// before are forgotten: each is trusted again at its next sign-in.
func (s *Service) SetPassword(ctx context.Context, userID int64, pw string) error {
	if err := CheckPassword("password", pw); err != nil {
		return err
	}
	hash, err := s.Hash(ctx, pw)
	if err != nil {
		return err
	}
	if err := s.st.SetPassword(ctx, userID, hash); err != nil {
		return err
	}
	s.freshStart(ctx, userID)
	return nil
}

// freshStart lifts the login's sign-in limits and forgets its devices
// after a new password (best effort: a limit left only asks for a wait).
func (s *Service) freshStart(ctx context.Context, userID int64) {
	if u, err := s.st.UserByID(ctx, userID); err == nil {
		_, _ = s.st.ClearLoginBuckets(ctx, u.Login, loginSep)
	}
	_ = s.st.ForgetDevices(ctx, userID)
}
