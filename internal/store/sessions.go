package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Sessions keeps login sessions in the database, so that any number of
// servers can share them and nothing lives only in one server's memory.
// Expiry is unix seconds in both engines.
//
// Its methods have the shape of scs.CtxStore (github.com/alexedwards/scs/v2)
// apart from Find's explicit now, so an adapter is a few lines:
//
//	type scsStore struct{ s store.Sessions }
//	func (a scsStore) FindCtx(ctx context.Context, t string) ([]byte, bool, error) { return a.s.Find(ctx, t, time.Now()) }
//	func (a scsStore) CommitCtx(ctx context.Context, t string, b []byte, exp time.Time) error { return a.s.Commit(ctx, t, b, exp) }
//	func (a scsStore) DeleteCtx(ctx context.Context, t string) error { return a.s.Delete(ctx, t) }
//
// A session may be bound to a user (CommitUser, or Bind after a login);
// deleting the user deletes their bound sessions, and DeleteUser logs a user
// out everywhere.
type Sessions struct{ s *Store }

// Sessions returns the session store.
func (s *Store) Sessions() Sessions { return Sessions{s} }

// Find returns the session's data if the token exists and expires after now.
// An unknown or expired token is (nil, false, nil), as scs expects.
func (ss Sessions) Find(ctx context.Context, token string, now time.Time) ([]byte, bool, error) {
	b, _, found, err := ss.FindUser(ctx, token, now)
	return b, found, err
}

// FindUser is Find that also returns the user the session is bound to (nil
// when it is bound to none), read in the same query: a signed-in request
// needs both, and one round trip instead of two matters on every request.
func (ss Sessions) FindUser(ctx context.Context, token string, now time.Time) ([]byte, *User, bool, error) {
	b, u, _, found, err := ss.FindUserExpiry(ctx, token, now)
	return b, u, found, err
}

// FindUserExpiry is FindUser that also returns the session's expiry as
// stored, for a caller that moves it on with use (Touch).
func (ss Sessions) FindUserExpiry(ctx context.Context, token string, now time.Time) ([]byte, *User, time.Time, bool, error) {
	var (
		b                        []byte
		expiry                   int64
		id, created              sql.NullInt64
		clinic, disabled, totp   sql.NullInt64
		login, email, name, hash sql.NullString
		role, lang, display      sql.NullString
	)
	err := ss.s.r.QueryRowContext(ctx, `
		SELECT s.data, s.expiry, u.id, u.login, u.email, u.name, u.password_hash, u.role, u.created_at, u.lang, u.login_display,
			u.clinic_id, u.disabled_at, u.totp_enabled_at
		FROM sessions s LEFT JOIN users u ON u.id = s.user_id
		WHERE s.token = $1 AND s.expiry > $2`, token, now.Unix()).
		Scan(&b, &expiry, &id, &login, &email, &name, &hash, &role, &created, &lang, &display, &clinic, &disabled, &totp)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, time.Time{}, false, nil
	}
	if err != nil {
		return nil, nil, time.Time{}, false, ss.s.fail("find session", err)
	}
	if b == nil {
		b = []byte{}
	}
	if !id.Valid {
		return b, nil, fromUnix(expiry), true, nil
	}
	return b, &User{ID: id.Int64, Login: login.String, LoginDisplay: display.String, Email: email.String, Name: name.String,
		PasswordHash: hash.String, Role: Role(role.String), CreatedAt: fromUnix(created.Int64), Lang: lang.String,
		ClinicID: clinic.Int64, DisabledAt: fromNullUnix(disabled), TOTPEnabledAt: fromNullUnix(totp)}, fromUnix(expiry), true, nil
}

// Touch moves the session's expiry to expiry (a session in use lives on,
// up to its absolute deadline: the caller's rule). An unknown or deleted
// token is not an error: there is nothing to keep alive.
func (ss Sessions) Touch(ctx context.Context, token string, expiry time.Time) error {
	_, err := ss.s.exec(ctx, "touch session", `UPDATE sessions SET expiry = $2 WHERE token = $1`, token, expiry.Unix())
	return err
}

// Commit adds or replaces the session's data and expiry. A user the session
// is bound to stays bound.
func (ss Sessions) Commit(ctx context.Context, token string, data []byte, expiry time.Time) error {
	if data == nil {
		data = []byte{}
	}
	_, err := ss.s.exec(ctx, "commit session", `
		INSERT INTO sessions (token, data, expiry) VALUES ($1, $2, $3)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`,
		token, data, expiry.Unix())
	return err
}

// CommitUser is Commit that also binds the session to userID. An unknown
// user is ErrNotFound.
func (ss Sessions) CommitUser(ctx context.Context, token string, userID int64, data []byte, expiry time.Time) error {
	if data == nil {
		data = []byte{}
	}
	_, err := ss.s.exec(ctx, "commit session", `
		INSERT INTO sessions (token, user_id, data, expiry) VALUES ($1, $2, $3, $4)
		ON CONFLICT (token) DO UPDATE SET user_id = excluded.user_id, data = excluded.data, expiry = excluded.expiry`,
		token, userID, data, expiry.Unix())
	return err
}

// Bind binds an existing session to userID. An unknown token is ErrNotFound.
func (ss Sessions) Bind(ctx context.Context, token string, userID int64) error {
	return ss.s.execOne(ctx, "bind session", "session", "(token)",
		`UPDATE sessions SET user_id = $2 WHERE token = $1`, token, userID)
}

// Delete removes the session; an unknown token is not an error.
func (ss Sessions) Delete(ctx context.Context, token string) error {
	_, err := ss.s.exec(ctx, "delete session", `DELETE FROM sessions WHERE token = $1`, token)
	return err
}

// DeleteUser removes every session bound to userID ("log out everywhere")
// and returns how many there were.
func (ss Sessions) DeleteUser(ctx context.Context, userID int64) (int64, error) {
	res, err := ss.s.exec(ctx, "delete user sessions", `DELETE FROM sessions WHERE user_id = $1`, userID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// DeleteExpired removes the sessions that expired at or before now and
// returns how many; run it now and then (scs's cleanup interval).
func (ss Sessions) DeleteExpired(ctx context.Context, now time.Time) (int64, error) {
	res, err := ss.s.exec(ctx, "delete expired sessions", `DELETE FROM sessions WHERE expiry <= $1`, now.Unix())
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
