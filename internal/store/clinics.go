package store

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"strings"
	"time"
)

// Clinic is a tenant: a clinic with its clinicians and patients
// (migration 8). Its details are what the clinic's patients see in the
// footer, on the handout and beside advice; Signup says who may make a
// patient account in it.
type Clinic struct {
	ID      int64  `json:"id"`
	Slug    string `json:"slug"` // the operator's short name: a–z, 0–9, "-"
	Name    string `json:"name"`
	Address string `json:"address,omitempty"` // lines separated by "\n"
	Phone   string `json:"phone,omitempty"`
	Email   string `json:"email,omitempty"`
	Hours   string `json:"hours,omitempty"`  // opening hours, lines separated by "\n"
	Region  string `json:"region,omitempty"` // a content.Regions key, e.g. "hovedstaden"
	Signup  Signup `json:"signup"`
	// InactiveDays is N of the patient list's "N days without activity".
	InactiveDays int       `json:"inactiveDays"`
	CreatedAt    time.Time `json:"createdAt"`
}

// Signup is who may make a patient account in a clinic.
type Signup string

const (
	SignupInvite Signup = "invite" // only with an invitation (the default)
	SignupOpen   Signup = "open"   // anyone
)

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,59}$`)

func (c *Clinic) check() error {
	if !slugRE.MatchString(c.Slug) {
		return invalid("slug", "slug %q: use 1–60 of a–z, 0–9 and -, starting with a letter or digit", c.Slug)
	}
	for _, f := range []struct {
		field, v string
		min, max int
	}{{"name", c.Name, 1, 200}, {"address", c.Address, 0, 1000}, {"phone", c.Phone, 0, 40},
		{"email", c.Email, 0, 320}, {"hours", c.Hours, 0, 1000}, {"region", c.Region, 0, 60}} {
		if err := checkText(f.field, f.v, f.min, f.max); err != nil {
			return err
		}
	}
	if strings.TrimSpace(c.Name) == "" {
		return invalid("name", "name is required")
	}
	if c.Signup == "" {
		c.Signup = SignupInvite
	}
	if c.Signup != SignupOpen && c.Signup != SignupInvite {
		return invalid("signup", "signup %q: use open or invite", string(c.Signup))
	}
	if c.InactiveDays == 0 {
		c.InactiveDays = 7
	}
	if c.InactiveDays < 1 || c.InactiveDays > 365 {
		return invalid("inactive_days", "inactive_days %d is out of range 1–365", c.InactiveDays)
	}
	return nil
}

const clinicColumns = `id, slug, name, address, phone, email, hours, region, signup, inactive_days, created_at`

func scanClinic(row scanner) (Clinic, error) {
	var c Clinic
	var created int64
	err := row.Scan(&c.ID, &c.Slug, &c.Name, &c.Address, &c.Phone, &c.Email, &c.Hours, &c.Region, &c.Signup, &c.InactiveDays, &created)
	c.CreatedAt = fromUnix(created)
	return c, err
}

// CreateClinic adds c and returns it with its ID. A slug in use is an
// ErrConflict.
func (s *Store) CreateClinic(ctx context.Context, c Clinic) (Clinic, error) {
	if err := c.check(); err != nil {
		return Clinic{}, err
	}
	c.CreatedAt = s.orNow(c.CreatedAt)
	err := s.write(ctx, "create clinic", func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `
			INSERT INTO clinics (slug, name, address, phone, email, hours, region, signup, inactive_days, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			c.Slug, c.Name, c.Address, c.Phone, c.Email, c.Hours, c.Region, string(c.Signup), c.InactiveDays, c.CreatedAt.Unix(),
		).Scan(&c.ID)
	})
	if err != nil {
		return Clinic{}, err
	}
	return c, nil
}

// UpdateClinic changes the clinic's details, sign-up mode and inactive
// days (not its slug or ID).
func (s *Store) UpdateClinic(ctx context.Context, c Clinic) error {
	if err := c.check(); err != nil {
		return err
	}
	return s.execOne(ctx, "update clinic", "clinic", c.ID, `
		UPDATE clinics SET name = $2, address = $3, phone = $4, email = $5, hours = $6, region = $7,
			signup = $8, inactive_days = $9
		WHERE id = $1`,
		c.ID, c.Name, c.Address, c.Phone, c.Email, c.Hours, c.Region, string(c.Signup), c.InactiveDays)
}

func (s *Store) clinicBy(ctx context.Context, what string, key any, query string) (Clinic, error) {
	c, err := scanClinic(s.r.QueryRowContext(ctx, query, key))
	if errors.Is(err, sql.ErrNoRows) {
		return Clinic{}, notFound(what, key)
	}
	if err != nil {
		return Clinic{}, s.fail("get clinic", err)
	}
	return c, nil
}

// Clinic returns the clinic with the ID.
func (s *Store) Clinic(ctx context.Context, id int64) (Clinic, error) {
	return s.clinicBy(ctx, "clinic", id, `SELECT `+clinicColumns+` FROM clinics WHERE id = $1`)
}

// ClinicBySlug returns the clinic with the slug.
func (s *Store) ClinicBySlug(ctx context.Context, slug string) (Clinic, error) {
	return s.clinicBy(ctx, "clinic", slug, `SELECT `+clinicColumns+` FROM clinics WHERE slug = $1`)
}

// ListClinics returns every clinic, by slug.
func (s *Store) ListClinics(ctx context.Context) ([]Clinic, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+clinicColumns+` FROM clinics ORDER BY slug`)
	if err != nil {
		return nil, s.fail("list clinics", err)
	}
	out, err := collect(rows, scanClinic)
	if err != nil {
		return nil, s.fail("list clinics", err)
	}
	return out, nil
}

// SetUserClinic puts the user in the clinic (0: in none) — an admin
// moving a patient between clinics, or a clinician joining one.
func (s *Store) SetUserClinic(ctx context.Context, userID, clinicID int64) error {
	err := s.execPatient(ctx, "set user clinic", "user", userID, userID,
		`UPDATE users SET clinic_id = $2 WHERE id = $1`, userID, nullID(clinicID))
	if err != nil && ErrorCode(err) == EINTERNAL && clinicID != 0 {
		if _, cerr := s.Clinic(ctx, clinicID); errors.Is(cerr, ErrNotFound) {
			return notFound("clinic", clinicID)
		}
	}
	return err
}

// SetUserDisabled disables the account at t, or enables it (t zero). A
// disabled account's sessions are ended in the same transaction.
func (s *Store) SetUserDisabled(ctx context.Context, userID int64, t time.Time) error {
	return s.write(ctx, "set user disabled", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET disabled_at = $2 WHERE id = $1`, userID, nullUnix(t))
		if err != nil {
			return err
		}
		if err := changedOne(res, "user", userID); err != nil {
			return err
		}
		if t.IsZero() {
			return nil
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
		return err
	})
}

// nullID stores the ID 0 as NULL.
func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// Invitation is a single-use way into a clinic for a new patient. The code
// itself is never stored: CodeHash is its SHA-256 (internal/clinic makes
// and normalises codes).
type Invitation struct {
	ID        int64     `json:"id"`
	ClinicID  int64     `json:"clinicId"`
	CreatedBy int64     `json:"createdBy,omitempty"` // 0: the user is gone, or the command line
	Name      string    `json:"name,omitempty"`      // the patient's name, to fill in the sign-up
	Programme string    `json:"programme,omitempty"` // the programme's slug, to start the patient on
	CreatedAt time.Time `json:"createdAt"`
	ExpiresAt time.Time `json:"expiresAt"`
	UsedAt    time.Time `json:"usedAt,omitzero"`
	UsedBy    int64     `json:"usedBy,omitempty"`
	RevokedAt time.Time `json:"revokedAt,omitzero"`
}

// InvitationState is where an invitation stands at a moment.
type InvitationState string

const (
	InvitationOpen    InvitationState = "open"
	InvitationUsed    InvitationState = "used"
	InvitationRevoked InvitationState = "revoked"
	InvitationExpired InvitationState = "expired"
)

// State is the invitation's state at now: used and revoked first, then
// expired.
func (inv Invitation) State(now time.Time) InvitationState {
	switch {
	case !inv.UsedAt.IsZero():
		return InvitationUsed
	case !inv.RevokedAt.IsZero():
		return InvitationRevoked
	case !now.Before(inv.ExpiresAt):
		return InvitationExpired
	}
	return InvitationOpen
}

// InvitationError is a sign-up with an invitation that cannot be used:
// State says why (used, revoked, expired), or "" for a code no invitation
// has.
type InvitationError struct{ State InvitationState }

func (e *InvitationError) Error() string {
	if e.State == "" {
		return "store: no invitation has that code"
	}
	return "store: the invitation is " + string(e.State)
}

const invitationColumns = `id, clinic_id, created_by, name, programme, created_at, expires_at, used_at, used_by, revoked_at`

func scanInvitation(row scanner) (Invitation, error) {
	var inv Invitation
	var by, usedBy, usedAt, revokedAt sql.NullInt64
	var created, expires int64
	err := row.Scan(&inv.ID, &inv.ClinicID, &by, &inv.Name, &inv.Programme, &created, &expires, &usedAt, &usedBy, &revokedAt)
	inv.CreatedBy, inv.UsedBy = by.Int64, usedBy.Int64
	inv.CreatedAt, inv.ExpiresAt = fromUnix(created), fromUnix(expires)
	inv.UsedAt, inv.RevokedAt = fromNullUnix(usedAt), fromNullUnix(revokedAt)
	return inv, err
}

// CreateInvitation adds inv under the code's hash and returns it with its
// ID. A hash in use is an ErrConflict (the caller draws a new code).
func (s *Store) CreateInvitation(ctx context.Context, inv Invitation, codeHash [32]byte) (Invitation, error) {
	if err := checkText("name", inv.Name, 0, 200); err != nil {
		return Invitation{}, err
	}
	if err := checkText("programme", inv.Programme, 0, 100); err != nil {
		return Invitation{}, err
	}
	inv.CreatedAt = s.orNow(inv.CreatedAt)
	if !inv.ExpiresAt.After(inv.CreatedAt) {
		return Invitation{}, invalid("expires_at", "an invitation must expire after it is made")
	}
	err := s.write(ctx, "create invitation", func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `
			INSERT INTO invitations (clinic_id, code_hash, created_by, name, programme, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			inv.ClinicID, codeHash[:], nullID(inv.CreatedBy), inv.Name, inv.Programme, inv.CreatedAt.Unix(), inv.ExpiresAt.Unix(),
		).Scan(&inv.ID)
	})
	if err != nil {
		return Invitation{}, err
	}
	return inv, nil
}

// ListInvitations returns the clinic's invitations, newest first, at most
// limit.
func (s *Store) ListInvitations(ctx context.Context, clinicID int64, limit int) ([]Invitation, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+invitationColumns+` FROM invitations
		WHERE clinic_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`, clinicID, limit)
	if err != nil {
		return nil, s.fail("list invitations", err)
	}
	out, err := collect(rows, scanInvitation)
	if err != nil {
		return nil, s.fail("list invitations", err)
	}
	return out, nil
}

// InvitationByCode returns the invitation with the code's hash, whatever
// its state.
func (s *Store) InvitationByCode(ctx context.Context, codeHash [32]byte) (Invitation, error) {
	inv, err := scanInvitation(s.r.QueryRowContext(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE code_hash = $1`, codeHash[:]))
	if errors.Is(err, sql.ErrNoRows) {
		return Invitation{}, notFound("invitation", "with that code")
	}
	if err != nil {
		return Invitation{}, s.fail("get invitation", err)
	}
	return inv, nil
}

// RevokeInvitation ends the clinic's open invitation id at t. Another
// clinic's invitation is not found, whatever its ID: the clinic is part of
// the query.
func (s *Store) RevokeInvitation(ctx context.Context, clinicID, id int64, t time.Time) error {
	return s.execOne(ctx, "revoke invitation", "invitation", id, `
		UPDATE invitations SET revoked_at = $3
		WHERE id = $1 AND clinic_id = $2 AND used_at IS NULL AND revoked_at IS NULL`,
		id, clinicID, t.Unix())
}

// CreateInvitedUser makes the patient account u in the clinic of the open
// invitation with the code's hash, and marks the invitation used by it, in
// one transaction: two sign-ups with one code make one account. A code
// that cannot be used is an *InvitationError. now is the moment of the
// sign-up (the expiry is checked against it).
func (s *Store) CreateInvitedUser(ctx context.Context, u User, codeHash [32]byte, now time.Time) (User, Invitation, error) {
	var inv Invitation
	if u.Role != RolePatient {
		return User{}, inv, invalid("role", "an invitation makes a patient account")
	}
	if err := u.check(); err != nil {
		return User{}, inv, err
	}
	u.CreatedAt = s.orNow(u.CreatedAt)
	err := s.write(ctx, "create invited user", func(tx *sql.Tx) error {
		var err error
		if inv, err = s.takeInvitation(ctx, tx, codeHash, now); err != nil {
			return err
		}
		u.ClinicID = inv.ClinicID
		if err := insertUser(ctx, tx, &u); err != nil {
			return err
		}
		if err := useInvitation(ctx, tx, &inv, u.ID, now); err != nil {
			return err
		}
		return s.derive(ctx, tx, u.ID) // on the clinic's list at once
	})
	if err != nil {
		var ie *InvitationError
		if errors.As(err, &ie) {
			return User{}, inv, ie
		}
		return User{}, inv, err
	}
	return u, inv, nil
}

// UseInvitation links the existing patient account userID to the clinic of
// the open invitation with the code's hash, and marks the invitation used
// by it, in one transaction — a patient who made an account before their
// clinic invited them. A code that cannot be used is an *InvitationError;
// an account that is not a patient's is EINVALID.
func (s *Store) UseInvitation(ctx context.Context, userID int64, codeHash [32]byte, now time.Time) (Invitation, error) {
	var inv Invitation
	err := s.writePatient(ctx, "use invitation", userID, func(tx *sql.Tx) error {
		var role Role
		if err := tx.QueryRowContext(ctx, `SELECT role FROM users WHERE id = $1`, userID).Scan(&role); errors.Is(err, sql.ErrNoRows) {
			return notFound("user", userID)
		} else if err != nil {
			return err
		}
		if role != RolePatient {
			return invalid("role", "an invitation is for a patient account")
		}
		var err error
		if inv, err = s.takeInvitation(ctx, tx, codeHash, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET clinic_id = $2 WHERE id = $1`, userID, inv.ClinicID); err != nil {
			return err
		}
		return useInvitation(ctx, tx, &inv, userID, now)
	})
	if err != nil {
		var ie *InvitationError
		if errors.As(err, &ie) {
			return inv, ie
		}
		return inv, err
	}
	return inv, nil
}

// takeInvitation reads and locks, in the write transaction tx, the
// invitation with the code's hash, when it is open at now; otherwise an
// *InvitationError says why not.
func (s *Store) takeInvitation(ctx context.Context, tx *sql.Tx, codeHash [32]byte, now time.Time) (Invitation, error) {
	inv, err := scanInvitation(tx.QueryRowContext(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE code_hash = $1`+s.d.forUpdate, codeHash[:]))
	if errors.Is(err, sql.ErrNoRows) {
		return inv, &InvitationError{}
	}
	if err != nil {
		return inv, err
	}
	if st := inv.State(now); st != InvitationOpen {
		return inv, &InvitationError{State: st}
	}
	return inv, nil
}

// useInvitation marks inv used by the user at now, in tx.
func useInvitation(ctx context.Context, tx *sql.Tx, inv *Invitation, userID int64, now time.Time) error {
	inv.UsedAt, inv.UsedBy = now.UTC().Truncate(time.Second), userID
	_, err := tx.ExecContext(ctx, `UPDATE invitations SET used_at = $2, used_by = $3 WHERE id = $1`, inv.ID, now.Unix(), userID)
	return err
}
