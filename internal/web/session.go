package web

import (
	"context"
	"errors"
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

func (s sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	return s.ss.Find(ctx, token, s.now())
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

// userOf reads the signed-in user's id from encoded session data (scs's
// default gob codec), 0 when there is none.
func userOf(b []byte) int64 {
	_, values, err := scs.GobCodec{}.Decode(b)
	if err != nil {
		return 0
	}
	id, _ := values[sessionUserKey].(int64)
	return id
}
