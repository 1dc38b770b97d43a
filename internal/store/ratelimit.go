package store

// The sign-in rate limits' log (table login_attempts, migration 00003): a
// row per attempt per bucket ("login:anna", "addr:192.0.2.1"), so every
// instance on one database sees the same attempts. What the rows mean (a
// token bucket replayed over them) is internal/account's business; the
// store only adds, lists, deletes and prunes them.

import (
	"context"
	"database/sql"
	"slices"
	"time"
)

// LoginAttempt is one row of the sign-in log: an attempt under one bucket.
type LoginAttempt struct {
	ID int64
	At time.Time // unix seconds
}

// maxBucket bounds a bucket name: a login's key (maxLogin bytes) or an
// address, with a prefix.
const maxBucket = maxLogin + 100

// AddLoginAttempt records one attempt at time at under each of buckets and
// returns the new rows' ids, in the order of buckets. It commits before it
// returns, so another instance's LoginAttempts sees the rows.
func (s *Store) AddLoginAttempt(ctx context.Context, at time.Time, buckets ...string) ([]int64, error) {
	for _, b := range buckets {
		if b == "" || len(b) > maxBucket {
			return nil, invalid("bucket", "bucket name empty or longer than 200 bytes")
		}
	}
	ids := make([]int64, 0, len(buckets))
	err := s.write(ctx, "add login attempt", func(tx *sql.Tx) error {
		for _, b := range buckets {
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO login_attempts (bucket, at) VALUES ($1, $2) RETURNING id`,
				b, at.Unix()).Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// LoginAttempts returns bucket's attempts at or after since, oldest first
// (ties in id order). When there are more than limit, it returns the newest
// limit of them; limit <= 0 means no limit.
func (s *Store) LoginAttempts(ctx context.Context, bucket string, since time.Time, limit int) ([]LoginAttempt, error) {
	q := `SELECT id, at FROM login_attempts WHERE bucket = $1 AND at >= $2 ORDER BY at DESC, id DESC`
	args := []any{bucket, since.Unix()}
	if limit > 0 {
		q += ` LIMIT $3`
		args = append(args, limit)
	}
	var out []LoginAttempt
	err := s.read(ctx, "login attempts", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var a LoginAttempt
			var at int64
			if err := rows.Scan(&a.ID, &at); err != nil {
				return err
			}
			a.At = fromUnix(at)
			out = append(out, a)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	slices.Reverse(out)
	return out, nil
}

// CountLoginAttempts returns how many attempts bucket has at or after since.
func (s *Store) CountLoginAttempts(ctx context.Context, bucket string, since time.Time) (int, error) {
	var n int
	err := s.read(ctx, "count login attempts", func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM login_attempts WHERE bucket = $1 AND at >= $2`,
			bucket, since.Unix()).Scan(&n)
	})
	return n, err
}

// DeleteLoginAttempts deletes the rows with the given ids (an attempt that
// succeeded, or one refused before it was tried). Ids already gone are no
// error.
func (s *Store) DeleteLoginAttempts(ctx context.Context, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	return s.write(ctx, "delete login attempts", func(tx *sql.Tx) error {
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `DELETE FROM login_attempts WHERE id = $1`, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// ClearLoginAttempts deletes every attempt under bucket (a password reset
// lifts the account's limit) and returns how many there were.
func (s *Store) ClearLoginAttempts(ctx context.Context, bucket string) (int64, error) {
	return s.deleteAttempts(ctx, "clear login attempts", `DELETE FROM login_attempts WHERE bucket = $1`, bucket)
}

// PruneLoginAttempts deletes every attempt older than before (in any
// bucket) and returns how many there were.
func (s *Store) PruneLoginAttempts(ctx context.Context, before time.Time) (int64, error) {
	return s.deleteAttempts(ctx, "prune login attempts", `DELETE FROM login_attempts WHERE at < $1`, before.Unix())
}

func (s *Store) deleteAttempts(ctx context.Context, op, query string, arg any) (int64, error) {
	res, err := s.exec(ctx, op, query, arg)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, s.fail(op, err)
	}
	return n, nil
}
