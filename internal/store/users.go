package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is what a user may do.
type Role string

const (
	RolePatient   Role = "patient"
	RoleClinician Role = "clinician"
	RoleAdmin     Role = "admin"
)

// Valid reports whether r is one of the three roles.
func (r Role) Valid() bool {
	return r == RolePatient || r == RoleClinician || r == RoleAdmin
}

// User is an account. Login and Email are unique, compared exactly as given:
// the caller normalises them (case, Unicode form) before they get here.
type User struct {
	ID    int64  `json:"id"`
	Login string `json:"login"`
	// LoginDisplay is the login as the person typed it ("Søren Hansen")
	// when that differs from Login, its normalised key ("søren hansen");
	// "" when it does not. Pages show ShownLogin; everything that compares
	// or looks up uses Login.
	LoginDisplay string `json:"loginDisplay,omitempty"`
	Email        string `json:"email,omitempty"` // "" for none
	Name         string `json:"name,omitempty"`
	// PasswordHash is an argon2id PHC string, "" while no password is set.
	// It is never exported as JSON.
	PasswordHash string    `json:"-"`
	Role         Role      `json:"role"`
	CreatedAt    time.Time `json:"createdAt"`
	// Lang is the language the user chose for the app, "da" or "en"; ""
	// when they never chose (Danish). It is read with the user on every
	// request, so a choice made on one device shows on all of them at once.
	// CreateUser ignores it: SetUserLang sets it.
	Lang string `json:"lang,omitempty"`
	// ClinicID is the clinic the user belongs to (migration 8); 0 for
	// none: an install without clinics, or an admin of the whole install.
	ClinicID int64 `json:"clinicId,omitempty"`
	// DisabledAt is when an admin disabled the account; zero while it is
	// enabled. A disabled account cannot sign in.
	DisabledAt time.Time `json:"disabledAt,omitzero"`
	// TOTPEnabledAt is when the user confirmed a second factor (migration
	// 10); zero while they have none. The secret is never read with the
	// user: store.TOTPSecret reads it for a check.
	TOTPEnabledAt time.Time `json:"totpEnabledAt,omitzero"`
}

// Disabled reports whether an admin has disabled the account.
func (u User) Disabled() bool { return !u.DisabledAt.IsZero() }

// ShownName is how a log or a list names the user: their name, else the
// login they type.
func (u User) ShownName() string {
	if u.Name != "" {
		return u.Name
	}
	return u.ShownLogin()
}

// ShownLogin is the login as the person typed it: LoginDisplay, else Login.
func (u User) ShownLogin() string {
	if u.LoginDisplay != "" {
		return u.LoginDisplay
	}
	return u.Login
}

// maxLogin bounds a login's bytes (both forms): internal/account allows
// 100 characters, of up to 4 bytes each.
const maxLogin = 400

const maxText = 10_000 // a free-text field's limit, in bytes

func checkText(field, s string, min, max int) error {
	if len(s) < min {
		return invalid(field, "%s is required", field)
	}
	if len(s) > max {
		return invalid(field, "%s is longer than %d bytes", field, max)
	}
	if !utf8.ValidString(s) {
		return invalid(field, "%s is not valid UTF-8", field)
	}
	return nil
}

func checkRole(r Role) error {
	if !r.Valid() {
		return invalid("role", "unknown role %q", string(r))
	}
	return nil
}

func nullText(s string) sql.NullString {
	return sql.NullString{String: s, Valid: s != ""}
}

const userColumns = `id, login, email, name, password_hash, role, created_at, lang, login_display, clinic_id, disabled_at, totp_enabled_at`

func scanUser(row scanner) (User, error) {
	var u User
	var email, lang, display sql.NullString
	var created int64
	var clinic, disabled, totp sql.NullInt64
	if err := row.Scan(&u.ID, &u.Login, &email, &u.Name, &u.PasswordHash, &u.Role, &created, &lang, &display, &clinic, &disabled, &totp); err != nil {
		return User{}, err
	}
	u.Email = email.String
	u.LoginDisplay = display.String
	u.Lang = lang.String
	u.CreatedAt = fromUnix(created)
	u.ClinicID = clinic.Int64
	u.DisabledAt = fromNullUnix(disabled)
	u.TOTPEnabledAt = fromNullUnix(totp)
	return u, nil
}

// CreateUser adds u and returns it with its ID (and CreatedAt, from the
// store's clock when zero). A login or email already in use is an ErrConflict
// whose Field says which.
func (s *Store) CreateUser(ctx context.Context, u User) (User, error) {
	if err := u.check(); err != nil {
		return User{}, err
	}
	u.CreatedAt = s.orNow(u.CreatedAt)
	err := s.write(ctx, "create user", func(tx *sql.Tx) error {
		if err := insertUser(ctx, tx, &u); err != nil {
			return err
		}
		return s.derive(ctx, tx, u.ID) // a patient made in a clinic is on its list at once
	})
	if err != nil {
		return User{}, err
	}
	return u, nil
}

// check applies the columns' limits to a new user.
func (u User) check() error {
	for _, f := range []struct {
		field, v string
		min, max int
	}{{"login", u.Login, 1, maxLogin}, {"login_display", u.LoginDisplay, 0, maxLogin}, {"email", u.Email, 0, 320},
		{"name", u.Name, 0, 200}, {"password_hash", u.PasswordHash, 0, 1000}} {
		if err := checkText(f.field, f.v, f.min, f.max); err != nil {
			return err
		}
	}
	return checkRole(u.Role)
}

// insertUser adds u in tx and sets its ID.
func insertUser(ctx context.Context, tx *sql.Tx, u *User) error {
	return tx.QueryRowContext(ctx, `
		INSERT INTO users (login, email, name, password_hash, role, created_at, login_display, clinic_id, name_fold)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		RETURNING id`,
		u.Login, nullText(u.Email), u.Name, u.PasswordHash, string(u.Role), u.CreatedAt.Unix(), nullText(u.LoginDisplay), nullID(u.ClinicID),
		foldText(u.Name),
	).Scan(&u.ID)
}

// foldText is a text as a search by name compares it: lower case by
// Unicode's rules (Æ, Ø, Å too), which neither engine's lower() does.
func foldText(s string) string { return strings.ToLower(s) }

// foldNames fills in the folded name of users from before migration 17
// (name_fold NULL), once: a later start finds none.
func (s *Store) foldNames(ctx context.Context) error {
	rows, err := s.w.QueryContext(ctx, `SELECT id, name FROM users WHERE name_fold IS NULL`)
	if err != nil {
		return err
	}
	type named struct {
		id   int64
		name string
	}
	us, err := collect(rows, func(r scanner) (named, error) {
		var n named
		return n, r.Scan(&n.id, &n.name)
	})
	if err != nil || len(us) == 0 {
		return err
	}
	return s.write(ctx, "fold names", func(tx *sql.Tx) error {
		for _, u := range us {
			if _, err := tx.ExecContext(ctx, `UPDATE users SET name_fold = $2 WHERE id = $1 AND name_fold IS NULL`, u.id, foldText(u.name)); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *Store) userBy(ctx context.Context, op, what string, key any, query string, args ...any) (User, error) {
	if args == nil {
		args = []any{key}
	}
	u, err := scanUser(s.r.QueryRowContext(ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, notFound(what, key)
	}
	if err != nil {
		return User{}, s.fail(op, err)
	}
	return u, nil
}

// UserByID returns the user with that id, or ErrNotFound.
func (s *Store) UserByID(ctx context.Context, id int64) (User, error) {
	return s.userBy(ctx, "user by id", "user", id,
		`SELECT `+userColumns+` FROM users WHERE id = $1`)
}

// UserByLogin returns the user with that login name, or ErrNotFound.
func (s *Store) UserByLogin(ctx context.Context, login string) (User, error) {
	return s.userBy(ctx, "user by login", "user", login,
		`SELECT `+userColumns+` FROM users WHERE login = $1`)
}

// UserByEmail returns the user with that email address, or ErrNotFound.
func (s *Store) UserByEmail(ctx context.Context, email string) (User, error) {
	if email == "" {
		return User{}, notFound("user", `""`)
	}
	return s.userBy(ctx, "user by email", "user", email,
		`SELECT `+userColumns+` FROM users WHERE email = $1`)
}

// ListUsers returns the users with role r (all users when r is ""), by id.
func (s *Store) ListUsers(ctx context.Context, r Role) ([]User, error) {
	rows, err := s.r.QueryContext(ctx,
		`SELECT `+userColumns+` FROM users WHERE $1 = '' OR role = $1 ORDER BY id`, string(r))
	if err != nil {
		return nil, s.fail("list users", err)
	}
	defer rows.Close()
	var us []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, s.fail("list users", err)
		}
		us = append(us, u)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail("list users", err)
	}
	return us, nil
}

// SetPassword replaces the user's password hash (a PHC string).
func (s *Store) SetPassword(ctx context.Context, userID int64, hash string) error {
	if err := checkText("password_hash", hash, 0, 1000); err != nil {
		return err
	}
	return s.execOne(ctx, "set password", "user", userID,
		`UPDATE users SET password_hash = $2 WHERE id = $1`, userID, hash)
}

// SetRole changes the user's role.
func (s *Store) SetRole(ctx context.Context, userID int64, r Role) error {
	if err := checkRole(r); err != nil {
		return err
	}
	return s.execPatient(ctx, "set role", "user", userID, userID, // a clinician is not on the patient list
		`UPDATE users SET role = $2 WHERE id = $1`, userID, string(r))
}

// DeleteUser deletes the user and, through ON DELETE CASCADE, every row of
// theirs in every table: sessions, diary, training sessions and their steps,
// walks and their bouts, red-flag check-ins, baselines, targets, PSFS
// scorings.
func (s *Store) DeleteUser(ctx context.Context, userID int64) error {
	return s.write(ctx, "delete user", func(tx *sql.Tx) error {
		// An invitation the user signed up with stays with the clinic
		// (used, by nobody now: used_by is set to NULL), without the name
		// it was made out to.
		if _, err := tx.ExecContext(ctx, `UPDATE invitations SET name = '' WHERE used_by = $1`, userID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM users WHERE id = $1`, userID)
		if err != nil {
			return err
		}
		return changedOne(res, "user", userID)
	})
}

// ClinicPatient returns the patient patientID when they belong to clinicID,
// else ErrNotFound — the same answer as for no such patient, so that a
// clinician cannot learn that another clinic's patient exists. The
// membership is part of the query: a caller that forgets its own check
// still cannot read another clinic's patient.
func (s *Store) ClinicPatient(ctx context.Context, clinicID, patientID int64) (User, error) {
	return s.userBy(ctx, "clinic patient", "patient", patientID,
		`SELECT `+userColumns+` FROM users WHERE id = $1 AND clinic_id = $2 AND role = 'patient'`, patientID, clinicID)
}
