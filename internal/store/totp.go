package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// ErrReplay is a one-time code for a step at or before the last one
// accepted: a code seen before (or an older one).
var ErrReplay = errors.New("store: that one-time code was used already")

// EnableTOTP sets the user's second factor: its secret, when it was
// confirmed, and the recovery codes (their hashes; any old ones are
// replaced), in one transaction. step is the step of the code that
// confirmed it, so that code is not accepted again.
func (s *Store) EnableTOTP(ctx context.Context, userID int64, secret string, at time.Time, step int64, recovery [][32]byte) error {
	if len(secret) < 16 || len(secret) > 128 {
		return invalid("totp_secret", "a TOTP secret is 16 to 128 characters of base 32")
	}
	return s.write(ctx, "enable totp", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = $2, totp_enabled_at = $3, totp_last_step = $4 WHERE id = $1`,
			userID, secret, at.Unix(), step)
		if err != nil {
			return err
		}
		if err := changedOne(res, "user", userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, userID); err != nil {
			return err
		}
		for _, h := range recovery {
			if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)`, userID, h[:]); err != nil {
				return err
			}
		}
		return nil
	})
}

// ResetTOTP removes the user's second factor and recovery codes and ends
// their sessions (an admin's reset for a lost phone): they enrol again at
// their next sign-in.
func (s *Store) ResetTOTP(ctx context.Context, userID int64) error {
	return s.write(ctx, "reset totp", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = $1`, userID)
		if err != nil {
			return err
		}
		if err := changedOne(res, "user", userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, userID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
		return err
	})
}

// TOTPSecret returns the user's second-factor secret, "" when they have
// none.
func (s *Store) TOTPSecret(ctx context.Context, userID int64) (string, error) {
	var secret sql.NullString
	err := s.r.QueryRowContext(ctx, `SELECT totp_secret FROM users WHERE id = $1`, userID).Scan(&secret)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("user", userID)
	}
	if err != nil {
		return "", s.fail("totp secret", err)
	}
	return secret.String, nil
}

// UseTOTPStep accepts a code of the 30-second step for the user once:
// ErrReplay when that step, or a later one, was accepted before. Two
// sign-ins racing with one code: one wins.
func (s *Store) UseTOTPStep(ctx context.Context, userID, step int64) error {
	res, err := s.exec(ctx, "use totp step", `
		UPDATE users SET totp_last_step = $2
		WHERE id = $1 AND totp_secret IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < $2)`, userID, step)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return s.fail("use totp step", err)
	} else if n == 0 {
		return ErrReplay
	}
	return nil
}

// UseRecoveryCode spends the user's unused recovery code with the hash at
// t: ErrNotFound when there is none (wrong, or used before).
func (s *Store) UseRecoveryCode(ctx context.Context, userID int64, hash [32]byte, t time.Time) error {
	return s.execOne(ctx, "use recovery code", "recovery code", "for the user", `
		UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL`, userID, hash[:], t.Unix())
}

// RecoveryCodesLeft is how many of the user's recovery codes are unused.
func (s *Store) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`, userID).Scan(&n); err != nil {
		return 0, s.fail("recovery codes left", err)
	}
	return n, nil
}
