package web

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/stenose/stenose/internal/store"
)

// sessionStore adapts store.Sessions to scs.CtxStore. A session whose data
// holds a signed-in user is committed bound to that user, so deleting the
// user (or "log out everywhere") deletes the session.
type sessionStore struct {
	ss  store.Sessions
	now func() time.Time
}

var _ scs.CtxStore = sessionStore{}

// FindCtx loads the session and, in the same query, the user it is bound
// to, which it leaves in the request's sessionUser (if any) for authorize.
func (s sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	b, u, found, err := s.ss.FindUser(ctx, token, s.now())
	if h, ok := ctx.Value(sessionUserCtx{}).(*sessionUser); ok && u != nil {
		h.u = u
	}
	return b, found, err
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

func (s sessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	if uid := userOf(b); uid != 0 {
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
