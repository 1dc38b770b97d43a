package web

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/stenose/stenose/internal/account"
	"github.com/stenose/stenose/internal/store"
)

// sessionStore adapts store.Sessions to scs.CtxStore. A session whose data
// holds a signed-in user is committed bound to that user, so deleting the
// user (or "log out everywhere") deletes the session.
//
// It also keeps the idle timeout (SessionIdleTimeout): a session's stored
// expiry is the earlier of its absolute deadline (scs's, SessionLifetime
// after the sign-in, kept in the session's data) and idle after its last
// use. scs's own IdleTimeout would do the same with a write on every
// request (and its own clock); here a use moves the expiry on only when it
// would move by touchEvery or more, so an active session costs a write at
// most every few minutes, and a session left alone ends between
// idle − touchEvery and idle after its last use.
//
// A patient who ticked "Forbliv logget ind på denne enhed" at sign-in
// (sessionKeepKey in the session's data, put only for a role that
// account.MayStaySignedIn) has no idle timeout: the expiry is the absolute
// deadline, however rarely the session is used. The store reads the
// choice from the stored bytes (headOf, codec.go), beside the deadline, so
// it costs no query; and it checks the role again against the user read
// with the session, so a session whose user has become a clinician or an
// admin ends after the idle timeout whatever it holds.
type sessionStore struct {
	ss   store.Sessions
	now  func() time.Time
	idle time.Duration // SessionIdleTimeout; 0: none
}

// touchEvery is how far a use must move a session's expiry before it is
// written.
const touchEvery = 5 * time.Minute

var _ scs.CtxStore = sessionStore{}

// FindCtx loads the session and, in the same query, the user it is bound
// to, which it leaves in the request's sessionUser (if any) for authorize.
// A session found is in use: its idle expiry moves on (touch).
func (s sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	now := s.now()
	b, u, expiry, found, err := s.ss.FindUserExpiry(ctx, token, now)
	if h, ok := ctx.Value(sessionUserCtx{}).(*sessionUser); ok && u != nil {
		h.u = u
	}
	if found && err == nil && s.idle > 0 {
		if deadline, keep, ok := headOf(b); ok {
			want := s.expiry(deadline, now, keep && u != nil && account.MayStaySignedIn(*u))
			if want.Before(expiry) || want.Sub(expiry) >= touchEvery {
				// Best effort: a failed touch only shortens this session.
				_ = s.ss.Touch(ctx, token, want)
			}
		}
	}
	return b, found, err
}

// sessionKeepKey holds true in the session of a patient who chose to stay
// signed in on this device (startSession): no idle timeout, only the
// absolute deadline.
const sessionKeepKey = "keep"

// expiry is when a session with the absolute deadline ends if it is not
// used again after now; a kept session ends at its deadline.
func (s sessionStore) expiry(deadline, now time.Time, keep bool) time.Time {
	if s.idle > 0 && !keep {
		if idle := now.Add(s.idle); idle.Before(deadline) {
			return idle
		}
	}
	return deadline
}

// sessionUser carries the user read along with the session from the
// session store to authorize, so a signed-in request reads the database
// once, not twice.
type sessionUser struct{ u *store.User }

type sessionUserCtx struct{}

// withSessionUser gives the request a sessionUser for FindCtx to fill.
func withSessionUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sessionUserCtx{}, &sessionUser{})))
	})
}

// preloaded returns the user FindCtx read with the session if it is the
// user with that id, else nil.
func preloaded(ctx context.Context, id int64) *store.User {
	if h, ok := ctx.Value(sessionUserCtx{}).(*sessionUser); ok && h.u != nil && h.u.ID == id {
		return h.u
	}
	return nil
}

// CommitCtx stores the session; expiry is scs's absolute deadline, which
// the idle timeout brings forward unless the session is kept. The choice
// is put only for a patient (startSession); a user read with this
// request's session who may not keep it (a role changed since) does not.
func (s sessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	uid := userOf(b)
	_, keep, _ := headOf(b)
	if h, ok := ctx.Value(sessionUserCtx{}).(*sessionUser); ok && h.u != nil && h.u.ID == uid && !account.MayStaySignedIn(*h.u) {
		keep = false
	}
	expiry = s.expiry(expiry, s.now(), keep)
	if uid != 0 {
		err := s.ss.CommitUser(ctx, token, uid, b, expiry)
		if errors.Is(err, store.ErrNotFound) || store.ErrorCode(err) == store.EINVALID {
			return s.ss.Commit(ctx, token, []byte{}, expiry) // the user is gone: keep nothing of theirs
		}
		return err
	}
	return s.ss.Commit(ctx, token, b, expiry)
}

func (s sessionStore) DeleteCtx(ctx context.Context, token string) error {
	return s.ss.Delete(ctx, token)
}

func (s sessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

func (s sessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

func (s sessionStore) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }

// userOf reads the signed-in user's id from encoded session data
// (sessionCodec), 0 when there is none.
func userOf(b []byte) int64 {
	_, values, err := sessionCodec{}.Decode(b)
	if err != nil {
		return 0
	}
	id, _ := values[sessionUserKey].(int64)
	return id
}
