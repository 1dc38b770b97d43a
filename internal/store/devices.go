package store

// The browsers a user has signed in on (table known_devices, migration
// 00015), for the sign-in limits of internal/account: a device that has
// signed in to a login before is not held back by that login's
// login-wide limit. Only the SHA-256 of a device's token is stored.

import (
	"context"
	"database/sql"
	"errors"
	"time"
	"unicode/utf8"
)

// RememberDevice records that the device whose token hashes to tokenHash
// has signed in as userID at at (again: the time moves on).
func (s *Store) RememberDevice(ctx context.Context, userID int64, tokenHash [32]byte, at time.Time) error {
	_, err := s.exec(ctx, "remember device", `
		INSERT INTO known_devices (token_hash, user_id, last_at) VALUES ($1, $2, $3)
		ON CONFLICT (token_hash, user_id) DO UPDATE SET last_at = excluded.last_at`,
		tokenHash[:], userID, at.Unix())
	if ErrorCode(err) == EINVALID { // the user is gone
		return ErrNotFound
	}
	return err
}

// KnownDevice reports whether the device whose token hashes to tokenHash
// has signed in to the account login (its key) at or after since.
func (s *Store) KnownDevice(ctx context.Context, login string, tokenHash [32]byte, since time.Time) (bool, error) {
	var one int
	err := s.read(ctx, "known device", func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `
			SELECT 1 FROM known_devices d JOIN users u ON u.id = d.user_id
			WHERE d.token_hash = $1 AND u.login = $2 AND d.last_at >= $3`,
			tokenHash[:], login, since.Unix()).Scan(&one)
	})
	if errors.Is(err, ErrNotFound) || errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// DeviceKnown reports whether any user has signed in on the device whose
// token hashes to tokenHash at or after since (a token the server gave
// out, not one a browser made up).
func (s *Store) DeviceKnown(ctx context.Context, tokenHash [32]byte, since time.Time) (bool, error) {
	var one int
	err := s.read(ctx, "device known", func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT 1 FROM known_devices WHERE token_hash = $1 AND last_at >= $2 LIMIT 1`,
			tokenHash[:], since.Unix()).Scan(&one)
	})
	if errors.Is(err, ErrNotFound) || errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// ForgetDevices deletes every device of userID (a password reset: the
// devices signed in with the old password are trusted no more).
func (s *Store) ForgetDevices(ctx context.Context, userID int64) error {
	_, err := s.exec(ctx, "forget devices", `DELETE FROM known_devices WHERE user_id = $1`, userID)
	return err
}

// PruneDevices deletes the devices not signed in on since before and
// returns how many there were.
func (s *Store) PruneDevices(ctx context.Context, before time.Time) (int64, error) {
	return s.deleteAttempts(ctx, "prune devices", `DELETE FROM known_devices WHERE last_at < $1`, before.Unix())
}

// ClearLoginBuckets deletes every sign-in attempt of the login key: the
// bucket "login:KEY" and every bucket under it ("login:KEY" + sep + …,
// the login's per-address and per-device buckets), and returns how many
// rows there were. sep must be a character no login key holds.
func (s *Store) ClearLoginBuckets(ctx context.Context, key string, sep rune) (int64, error) {
	whole := "login:" + key
	prefix := whole + string(sep)
	res, err := s.exec(ctx, "clear login buckets",
		`DELETE FROM login_attempts WHERE bucket = $1 OR substr(bucket, 1, $3) = $2`,
		whole, prefix, utf8.RuneCountInString(prefix))
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, s.fail("clear login buckets", err)
	}
	return n, nil
}
