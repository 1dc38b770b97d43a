package clinic

// The admin's side (issue 13): the list of users, disabling and enabling
// an account, resetting a second factor, a one-time password reset code,
// moving a patient to another clinic, the clinic's details and the
// export of its access log. An admin whose account has a clinic manages
// that clinic only — every read of a user or a clinic passes the clinic
// to the store, which filters by it in SQL — and an admin in no clinic
// manages the whole install. Anything outside the admin's reach is
// store.ErrNotFound: the same answer as for nothing there.

import (
	"context"
	"errors"
	"time"

	"github.com/stenose/stenose/internal/account"
	"github.com/stenose/stenose/internal/store"
)

// ErrNotAdmin is a call to the admin's side by anyone but an enabled
// admin (the route table already keeps them out: this is the second lock).
var ErrNotAdmin = errors.New("clinic: only an admin may do that")

// UsersPerPage is the length of a page of the admin's list.
const UsersPerPage = 25

// UserQuery is what an admin asks the list for.
type UserQuery struct {
	Clinic int64 // 0: every clinic (an admin of one clinic: always theirs); NoClinic: -1
	Role   store.Role
	Search string
	Page   int // from 1
}

// NoClinic as UserQuery.Clinic asks for the users in no clinic.
const NoClinic = -1

// UserPage is one page of the admin's list.
type UserPage struct {
	Users       []store.User
	Total       int
	Page, Pages int
	Clinics     []store.Clinic // the clinics the admin manages, by slug
}

// admin checks that actor may use the admin's side.
func admin(actor *store.User) error {
	if actor == nil || actor.Role != store.RoleAdmin || actor.Disabled() {
		return ErrNotAdmin
	}
	return nil
}

// Users returns the page of users q asks for, among those actor manages.
func (s *Service) Users(ctx context.Context, actor *store.User, q UserQuery) (UserPage, error) {
	if err := admin(actor); err != nil {
		return UserPage{}, err
	}
	f := store.UserFilter{Role: q.Role, Search: q.Search, Limit: UsersPerPage}
	if !q.Role.Valid() {
		f.Role = ""
	}
	if key, err := account.NormalizeLogin(q.Search); err == nil {
		f.SearchKey = key
	}
	switch {
	case actor.ClinicID != 0:
		f.Clinic = actor.ClinicID
	case q.Clinic == NoClinic:
		f.NoClinic = true
	case q.Clinic > 0:
		f.Clinic = q.Clinic
	}
	page := max(q.Page, 1)
	f.Offset = (page - 1) * UsersPerPage
	us, total, err := s.st.ListUsersPage(ctx, f)
	if err != nil {
		return UserPage{}, err
	}
	cs, err := s.Clinics(ctx, actor)
	if err != nil {
		return UserPage{}, err
	}
	return UserPage{Users: us, Total: total, Page: page, Pages: max(1, (total+UsersPerPage-1)/UsersPerPage), Clinics: cs}, nil
}

// User returns the user id when actor manages them.
func (s *Service) User(ctx context.Context, actor *store.User, id int64) (store.User, error) {
	if err := admin(actor); err != nil {
		return store.User{}, err
	}
	if actor.ClinicID != 0 {
		return s.st.ClinicUser(ctx, actor.ClinicID, id)
	}
	return s.st.UserByID(ctx, id)
}

// Managed returns the user id when actor manages them, with the clinics
// actor manages (the user's page names the user's clinic and offers the
// others to move a patient to).
func (s *Service) Managed(ctx context.Context, actor *store.User, id int64) (store.User, []store.Clinic, error) {
	u, err := s.User(ctx, actor, id)
	if err != nil {
		return store.User{}, nil, err
	}
	cs, err := s.Clinics(ctx, actor)
	return u, cs, err
}

// SetDisabled disables the account id (ending its sessions) or enables
// it. An admin cannot disable their own account.
func (s *Service) SetDisabled(ctx context.Context, actor *store.User, id int64, disabled bool) error {
	u, err := s.User(ctx, actor, id)
	if err != nil {
		return err
	}
	if !disabled {
		if err := s.logAccount(ctx, actor, u); err != nil {
			return err
		}
		return s.st.SetUserDisabled(ctx, u.ID, time.Time{})
	}
	if u.ID == actor.ID {
		return &FieldError{Field: "bekraeft", Code: "disableSelf", Message: "an admin cannot disable their own account"}
	}
	if err := s.logAccount(ctx, actor, u); err != nil {
		return err
	}
	return s.st.SetUserDisabled(ctx, u.ID, s.now())
}

// ResetSecondFactor removes the second factor of the account id and ends
// its sessions: they enrol again at their next sign-in.
func (s *Service) ResetSecondFactor(ctx context.Context, actor *store.User, id int64) error {
	u, err := s.User(ctx, actor, id)
	if err != nil {
		return err
	}
	if u.TOTPEnabledAt.IsZero() {
		return &FieldError{Field: "totp", Code: "noSecondFactor", Message: "the account has no second factor"}
	}
	if err := s.logAccount(ctx, actor, u); err != nil {
		return err
	}
	return s.st.ResetTOTP(ctx, u.ID)
}

// IssueResetCode makes a one-time password reset code for the account id
// (account.IssueResetCode), to read out to them once.
func (s *Service) IssueResetCode(ctx context.Context, actor *store.User, id int64) (account.ResetCode, error) {
	u, err := s.User(ctx, actor, id)
	if err != nil {
		return account.ResetCode{}, err
	}
	if u.Disabled() {
		return account.ResetCode{}, &FieldError{Field: "nulstil", Code: "resetDisabled", Message: "the account is disabled: enable it first"}
	}
	if err := s.logAccount(ctx, actor, u); err != nil {
		return account.ResetCode{}, err
	}
	return s.acc.IssueResetCode(ctx, u.ID, actor.ID)
}

// MovePatient puts the patient id in the clinic clinicID, and records the
// change in the access log first (a change of the patient's data: "who
// has looked at my data" lists it), under the clinic the patient leaves
// (or joins, when they were in none). Both clinics must be the admin's:
// an admin of one clinic moves no one.
func (s *Service) MovePatient(ctx context.Context, actor *store.User, id, clinicID int64) error {
	p, err := s.User(ctx, actor, id)
	if err != nil {
		return err
	}
	if p.Role != store.RolePatient {
		return &FieldError{Field: "klinik", Code: "moveRole", Message: "only a patient is moved between clinics"}
	}
	if clinicID == 0 {
		return &FieldError{Field: "klinik", Code: "moveNone", Message: "choose the clinic to move the patient to"}
	}
	to, err := s.Clinic(ctx, actor, clinicID)
	if errors.Is(err, store.ErrNotFound) {
		return &FieldError{Field: "klinik", Code: "moveNone", Message: "choose the clinic to move the patient to"}
	} else if err != nil {
		return err
	}
	if to.ID == p.ClinicID {
		return &FieldError{Field: "klinik", Code: "moveSame", Message: "the patient is in that clinic already"}
	}
	if actor.ClinicID != 0 { // the patient would leave the admin's clinic
		return store.ErrNotFound
	}
	under := p.ClinicID
	if under == 0 {
		under = to.ID
	}
	err = s.st.LogAccess(ctx, store.Access{At: s.now(), ActorID: actor.ID, Actor: actor.ShownName(), ActorRole: actor.Role,
		ClinicID: under, PatientID: p.ID, Action: store.AccessChange, What: "clinic"})
	if err != nil {
		return err
	}
	return s.st.SetUserClinic(ctx, p.ID, to.ID)
}

// Clinics returns the clinics actor manages, by slug.
func (s *Service) Clinics(ctx context.Context, actor *store.User) ([]store.Clinic, error) {
	if err := admin(actor); err != nil {
		return nil, err
	}
	if actor.ClinicID != 0 {
		c, err := s.st.Clinic(ctx, actor.ClinicID)
		if err != nil {
			return nil, err
		}
		return []store.Clinic{c}, nil
	}
	return s.st.ListClinics(ctx)
}

// Clinic returns the clinic id when actor manages it.
func (s *Service) Clinic(ctx context.Context, actor *store.User, id int64) (store.Clinic, error) {
	if err := admin(actor); err != nil {
		return store.Clinic{}, err
	}
	if actor.ClinicID != 0 && actor.ClinicID != id {
		return store.Clinic{}, store.ErrNotFound
	}
	return s.st.Clinic(ctx, id)
}

// UpdateClinic changes the details of the clinic c.ID (not its slug), when
// actor manages it. Every problem of the details is in a FieldErrors.
func (s *Service) UpdateClinic(ctx context.Context, actor *store.User, c store.Clinic) (store.Clinic, error) {
	old, err := s.Clinic(ctx, actor, c.ID)
	if err != nil {
		return store.Clinic{}, err
	}
	c.Slug, c.CreatedAt = old.Slug, old.CreatedAt
	if c.InactiveDays == 0 {
		c.InactiveDays = -1 // the form requires a number: 0 is not "the default" here
	}
	if es := Validate(&c); len(es) > 0 {
		return c, es
	}
	if err := s.st.UpdateClinic(ctx, c); err != nil {
		return c, err
	}
	return c, nil
}

// MaxLogDays bounds one export of the access log.
const MaxLogDays = 366

// AccessLog returns the access log of the clinic id for the days from to
// to (both included, in zone), oldest first, when actor manages it.
func (s *Service) AccessLog(ctx context.Context, actor *store.User, id int64, from, to time.Time, zone *time.Location) (store.Clinic, []store.Access, error) {
	c, err := s.Clinic(ctx, actor, id)
	if err != nil {
		return store.Clinic{}, nil, err
	}
	y, m, d := from.Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, zone)
	y, m, d = to.Date()
	end := time.Date(y, m, d+1, 0, 0, 0, 0, zone)
	switch {
	case !end.After(start):
		return c, nil, &FieldError{Field: "til", Code: "logOrder", Message: "the last day is before the first"}
	case end.Sub(start) > MaxLogDays*24*time.Hour+time.Hour: // an hour for summer time
		return c, nil, &FieldError{Field: "til", Code: "logLong", Message: "at most a year at a time"}
	}
	log, err := s.st.ClinicAccessLog(ctx, c.ID, start, end)
	return c, log, err
}

// logAccount records an admin's change of a patient's account (disabled,
// enabled, second factor reset, a reset code issued) in the access log,
// before it is made: the patient's "who has looked at my data" lists it.
// Other accounts' changes are no patient's data.
func (s *Service) logAccount(ctx context.Context, actor *store.User, u store.User) error {
	if u.Role != store.RolePatient {
		return nil
	}
	return s.st.LogAccess(ctx, store.Access{At: s.now(), ActorID: actor.ID, Actor: actor.ShownName(), ActorRole: actor.Role,
		ClinicID: u.ClinicID, PatientID: u.ID, Action: store.AccessChange, What: "account"})
}
