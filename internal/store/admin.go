package store

// What the admin pages read and write (issue 13): the list of users,
// filtered by clinic in SQL, and one-time password reset codes
// (migration 13).

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"
)

// UserFilter chooses users for an admin's list.
type UserFilter struct {
	// Clinic: the users of that clinic only; 0 every clinic's and none.
	// An admin of one clinic always passes their own (internal/clinic).
	Clinic int64
	// NoClinic: only the users in no clinic (Clinic must be 0).
	NoClinic bool
	Role     Role // "" for every role
	// Search finds users whose name or login holds it: compared with the
	// name lower-cased by Unicode's rules (æ finds Æ: users.name_fold,
	// migration 17), and with the login's key (which is case-folded: the
	// caller passes the search folded the same way in SearchKey).
	Search, SearchKey string
	Limit, Offset     int
}

// likePattern is s for LIKE … ESCAPE '\': its own %, _ and \ matched
// literally.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

// ListUsersPage returns one page of the users f chooses, by id, and how
// many it chooses in all.
func (s *Store) ListUsersPage(ctx context.Context, f UserFilter) ([]User, int, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		return nil, 0, invalid("limit", "a page holds 1 to 500 users")
	}
	if f.Offset < 0 {
		return nil, 0, invalid("offset", "offset %d is negative", f.Offset)
	}
	if f.Role != "" {
		if err := checkRole(f.Role); err != nil {
			return nil, 0, err
		}
	}
	where := []string{"1 = 1"}
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	switch {
	case f.Clinic != 0:
		where = append(where, "clinic_id = "+arg(f.Clinic))
	case f.NoClinic:
		where = append(where, "clinic_id IS NULL")
	}
	if f.Role != "" {
		where = append(where, "role = "+arg(string(f.Role)))
	}
	if q := strings.TrimSpace(f.Search); q != "" {
		key := f.SearchKey
		if key == "" {
			key = strings.ToLower(q)
		}
		pf, pk := arg(likePattern(foldText(q))), arg(likePattern(key))
		where = append(where, "(COALESCE(name_fold, lower(name)) LIKE "+pf+` ESCAPE '\' OR login LIKE `+pk+` ESCAPE '\')`)
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, s.fail("list users", err)
	}
	lim, off := arg(f.Limit), arg(f.Offset)
	rows, err := s.r.QueryContext(ctx, `SELECT `+userColumns+` FROM users WHERE `+cond+` ORDER BY id LIMIT `+lim+` OFFSET `+off, args...)
	if err != nil {
		return nil, 0, s.fail("list users", err)
	}
	us, err := collect(rows, scanUser)
	if err != nil {
		return nil, 0, s.fail("list users", err)
	}
	return us, total, nil
}

// ClinicUser returns the user userID when they belong to clinicID, else
// ErrNotFound — the same answer as for no such user: an admin of one
// clinic cannot learn of another clinic's accounts. clinicID 0 is
// refused (an admin of the whole install reads with UserByID).
func (s *Store) ClinicUser(ctx context.Context, clinicID, userID int64) (User, error) {
	if clinicID == 0 {
		return User{}, invalid("clinic_id", "a clinic's user needs the clinic")
	}
	return s.userBy(ctx, "clinic user", "user", userID,
		`SELECT `+userColumns+` FROM users WHERE id = $1 AND clinic_id = $2`, userID, clinicID)
}

// ResetCode is a one-time code an admin gives a user who forgot their
// password (migration 13). The code itself is never stored: only its
// SHA-256 (internal/account makes and reads codes).
type ResetCode struct {
	ID        int64
	UserID    int64
	CreatedBy int64 // 0: the admin's account is gone
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    time.Time
}

// ResetCodeState is where a reset code stands.
type ResetCodeState string

const (
	ResetCodeUsed    ResetCodeState = "used"
	ResetCodeExpired ResetCodeState = "expired"
)

// ResetCodeError is a reset code that cannot be used: State says why
// (used, expired), "" for a code the user has none of.
type ResetCodeError struct{ State ResetCodeState }

func (e *ResetCodeError) Error() string {
	if e.State == "" {
		return "store: the user has no reset code like that"
	}
	return "store: the reset code is " + string(e.State)
}

// CreateResetCode adds rc under the code's hash, in place of the user's
// codes not yet used (a user has one open code: the newest). A hash in
// use is an ErrConflict (the caller draws a new code).
func (s *Store) CreateResetCode(ctx context.Context, rc ResetCode, codeHash [32]byte) (ResetCode, error) {
	rc.CreatedAt = s.orNow(rc.CreatedAt)
	if !rc.ExpiresAt.After(rc.CreatedAt) {
		return ResetCode{}, invalid("expires_at", "a reset code must expire after it is made")
	}
	err := s.write(ctx, "create reset code", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM reset_codes WHERE user_id = $1 AND used_at IS NULL`, rc.UserID); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `
			INSERT INTO reset_codes (user_id, code_hash, created_by, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			rc.UserID, codeHash[:], nullID(rc.CreatedBy), rc.CreatedAt.Unix(), rc.ExpiresAt.Unix(),
		).Scan(&rc.ID)
	})
	if err != nil {
		if ErrorCode(err) == EINTERNAL {
			if _, uerr := s.UserByID(ctx, rc.UserID); errors.Is(uerr, ErrNotFound) {
				return ResetCode{}, notFound("user", rc.UserID)
			}
		}
		return ResetCode{}, err
	}
	rc.CreatedAt, rc.ExpiresAt = rc.CreatedAt.UTC().Truncate(time.Second), rc.ExpiresAt.UTC().Truncate(time.Second)
	return rc, nil
}

// UseResetCode spends the user's reset code with the hash at now and sets
// their password hash, ending every session of theirs, in one
// transaction: two uses of one code set one password. A code that cannot
// be used is a *ResetCodeError.
func (s *Store) UseResetCode(ctx context.Context, userID int64, codeHash [32]byte, passwordHash string, now time.Time) error {
	if err := checkText("password_hash", passwordHash, 1, 1000); err != nil {
		return err
	}
	err := s.write(ctx, "use reset code", func(tx *sql.Tx) error {
		var id, expires int64
		var used sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT id, expires_at, used_at FROM reset_codes WHERE user_id = $1 AND code_hash = $2`+s.d.forUpdate,
			userID, codeHash[:]).Scan(&id, &expires, &used)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return &ResetCodeError{}
		case err != nil:
			return err
		case used.Valid:
			return &ResetCodeError{State: ResetCodeUsed}
		case now.Unix() >= expires:
			return &ResetCodeError{State: ResetCodeExpired}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE reset_codes SET used_at = $2 WHERE id = $1`, id, now.Unix()); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $2 WHERE id = $1`, userID, passwordHash); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
		return err
	})
	var re *ResetCodeError
	if errors.As(err, &re) {
		return re
	}
	return err
}
