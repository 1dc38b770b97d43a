package clinic

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stenose/stenose/internal/account"
	"github.com/stenose/stenose/internal/content"
	"github.com/stenose/stenose/internal/store"
)

// How long an invitation is valid: DefaultValidDays unless the clinician
// says otherwise, never more than MaxValidDays (CodeLen's entropy is
// sized for it).
const (
	DefaultValidDays = 14
	MaxValidDays     = 90
)

// Service is the clinics' domain over the store and the accounts, with
// the clock every invitation is dated and checked by.
type Service struct {
	st  *store.Store
	acc *account.Service // nil: no sign-ups (the command line's clinic commands)
	now func() time.Time
}

// New returns a Service over st and acc; now nil is time.Now.
func New(st *store.Store, acc *account.Service, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{st: st, acc: acc, now: now}
}

// FieldError is a clinic's detail (or an admin's request) that cannot be
// used, named by its field: Message in English for the command line, Code
// a stable name of the problem whose words are the catalogue's
// "admin_err_"+Code (internal/i18n).
type FieldError struct {
	Field, Code, Message string
}

func (e *FieldError) Error() string { return "clinic: " + e.Field + ": " + e.Message }

// FieldErrors are every problem of a form, in the form's order.
type FieldErrors []*FieldError

func (es FieldErrors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}

// Check normalises c's details as the store keeps them — the phone number
// written the Danish way, the region one of content.Regions — and returns
// the first problem as a *FieldError (Validate has them all).
func Check(c *store.Clinic) error {
	if es := Validate(c); len(es) > 0 {
		return es[0]
	}
	return nil
}

// Validate normalises c's details like Check and returns every problem,
// field by field in the clinic form's order: the name (required, at most
// 200 characters), address, phone (a Danish number), e-mail (an address),
// opening hours, region (one of content.Regions), sign-up mode, and the
// days without activity (1–365; 0 is the default, 7).
func Validate(c *store.Clinic) FieldErrors {
	var es FieldErrors
	bad := func(field, code, msg string) { es = append(es, &FieldError{Field: field, Code: code, Message: msg}) }
	long := func(field, v string, max int) {
		if utf8.RuneCountInString(v) > max || !utf8.ValidString(v) {
			bad(field, field+"Long", fmt.Sprintf("at most %d characters", max))
		}
	}
	c.Name = strings.TrimSpace(c.Name)
	c.Address, c.Hours = lines(c.Address), lines(c.Hours)
	c.Phone, c.Email = strings.TrimSpace(c.Phone), strings.TrimSpace(c.Email)
	if c.Name == "" {
		bad("name", "nameEmpty", "a clinic needs a name")
	} else {
		long("name", c.Name, 200)
	}
	long("address", c.Address, 1000)
	if c.Phone != "" {
		if p, err := content.ParsePhone(c.Phone, false); err != nil {
			bad("phone", "phone", err.Error())
		} else {
			c.Phone = p.Text
		}
	}
	if c.Email != "" {
		if a, err := mail.ParseAddress(c.Email); err != nil || a.Address != c.Email || len(c.Email) > 320 {
			bad("email", "email", "not an e-mail address")
		}
	}
	long("hours", c.Hours, 1000)
	if c.Region != "" {
		if _, ok := content.RegionByKey(c.Region); !ok {
			bad("region", "region", fmt.Sprintf("%q is no Danish region: use %s", c.Region, content.RegionKeys()))
		}
	}
	if c.Signup != "" && c.Signup != store.SignupOpen && c.Signup != store.SignupInvite {
		bad("signup", "signup", "use open or invite")
	}
	if c.InactiveDays < 0 || c.InactiveDays > 365 {
		bad("inactive-days", "inactiveDays", "use 1 to 365 days")
	}
	return es
}

// lines trims each line of s and the whole, with "\n" between lines
// (a browser sends "\r\n").
func lines(s string) string {
	ls := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range ls {
		ls[i] = strings.TrimSpace(l)
	}
	return strings.TrimSpace(strings.Join(ls, "\n"))
}

// Add makes the clinic c.
func (s *Service) Add(ctx context.Context, c store.Clinic) (store.Clinic, error) {
	if err := Check(&c); err != nil {
		return store.Clinic{}, err
	}
	c.CreatedAt = s.now()
	return s.st.CreateClinic(ctx, c)
}

// Invitation is a new invitation with its code, which is shown once.
type Invitation struct {
	store.Invitation
	Code string // as shown: "7K2M-Q9XD-4PWA"
}

// Invite makes an invitation into the clinic, valid for days (0:
// DefaultValidDays), optionally made out to a name and a programme.
func (s *Service) Invite(ctx context.Context, clinicID, by int64, name, programme string, days int) (Invitation, error) {
	if days == 0 {
		days = DefaultValidDays
	}
	if days < 1 || days > MaxValidDays {
		return Invitation{}, &FieldError{Field: "days", Code: "days", Message: fmt.Sprintf("an invitation is valid for 1 to %d days", MaxValidDays)}
	}
	now := s.now()
	inv := store.Invitation{ClinicID: clinicID, CreatedBy: by, Name: strings.TrimSpace(name), Programme: programme,
		CreatedAt: now, ExpiresAt: now.Add(time.Duration(days) * 24 * time.Hour)}
	for range 3 { // a second draw of the same 60 bits would be news
		code, hash := NewCode()
		got, err := s.st.CreateInvitation(ctx, inv, hash)
		if errors.Is(err, store.ErrConflict) {
			continue
		}
		if err != nil {
			return Invitation{}, err
		}
		return Invitation{Invitation: got, Code: code}, nil
	}
	return Invitation{}, errors.New("clinic: three invitation codes in a row were taken")
}

// Sign-up

// ErrInviteOnly is a sign-up without an invitation code where the clinics
// take patients only with one.
var ErrInviteOnly = errors.New("clinic: sign-up needs an invitation code")

// CodeError is an invitation code that cannot be used: State says why
// (store.InvitationUsed, …), "" for a code no invitation has, and Form for
// one that cannot be a code at all.
type CodeError struct {
	State store.InvitationState
	Form  bool
}

func (e *CodeError) Error() string {
	switch {
	case e.Form:
		return "clinic: not an invitation code"
	case e.State == "":
		return "clinic: no invitation has that code"
	}
	return "clinic: the invitation is " + string(e.State)
}

// Invited is what an invitation code tells a sign-up page before the
// account is made: the clinic that invites, and the name it was made out
// to.
type Invited struct {
	Clinic store.Clinic
	Name   string
}

// Lookup reads code for a sign-up page ("Du er inviteret af …"): a
// *CodeError when it cannot be used now.
func (s *Service) Lookup(ctx context.Context, code string) (Invited, error) {
	_, hash, err := ParseCode(code)
	if err != nil {
		return Invited{}, &CodeError{Form: true}
	}
	inv, err := s.st.InvitationByCode(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return Invited{}, &CodeError{}
	} else if err != nil {
		return Invited{}, err
	}
	if st := inv.State(s.now()); st != store.InvitationOpen {
		return Invited{}, &CodeError{State: st}
	}
	c, err := s.st.Clinic(ctx, inv.ClinicID)
	if err != nil {
		return Invited{}, err
	}
	return Invited{Clinic: c, Name: inv.Name}, nil
}

// OpenClinic is the clinic a patient who signs up without a code joins:
// with no clinics (a one-clinic install), none, and sign-up is open; with
// one clinic that takes patients without invitations, that one; with
// several, none (the patient can join theirs later with a code). When
// every clinic takes patients only with an invitation, ErrInviteOnly.
func (s *Service) OpenClinic(ctx context.Context) (int64, error) {
	cs, err := s.st.ListClinics(ctx)
	if err != nil {
		return 0, err
	}
	var open []store.Clinic
	for _, c := range cs {
		if c.Signup == store.SignupOpen {
			open = append(open, c)
		}
	}
	switch {
	case len(cs) == 0:
		return 0, nil
	case len(open) == 0:
		return 0, ErrInviteOnly
	case len(open) == 1:
		return open[0].ID, nil
	}
	return 0, nil
}

// SignUp makes a patient account: with an invitation code in the code's
// clinic (a *CodeError when the code cannot be used; guessing is limited
// like sign-in), without one in OpenClinic's (ErrInviteOnly when the
// clinics take patients only with a code). Field errors are the account
// service's (*account.Error). addr is the client's address: every sign-up
// counts against its sign-up limit (a *account.RateLimitedError with
// SignUp set when it is used up).
func (s *Service) SignUp(ctx context.Context, login, name, password, code, addr string) (store.User, error) {
	if err := s.acc.AdmitSignUp(ctx, addr); err != nil {
		return store.User{}, err
	}
	if strings.TrimSpace(code) == "" {
		clinicID, err := s.OpenClinic(ctx)
		if err != nil {
			return store.User{}, err
		}
		return s.acc.CreateIn(ctx, login, name, password, store.RolePatient, clinicID)
	}
	_, hash, err := ParseCode(code)
	if err != nil {
		return store.User{}, &CodeError{Form: true}
	}
	u, _, err := s.acc.SignUpInvited(ctx, login, name, password, hash, addr)
	var ie *store.InvitationError
	if errors.As(err, &ie) {
		return store.User{}, &CodeError{State: ie.State}
	}
	return u, err
}

// Of is the clinic the user belongs to, nil for none.
func (s *Service) Of(ctx context.Context, u store.User) (*store.Clinic, error) {
	if u.ClinicID == 0 {
		return nil, nil
	}
	c, err := s.st.Clinic(ctx, u.ClinicID)
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// Join links the patient u to the clinic of the invitation code (a
// *CodeError when it cannot be used; guessing is limited like sign-in).
func (s *Service) Join(ctx context.Context, u store.User, code, addr string) (store.Clinic, error) {
	_, hash, err := ParseCode(code)
	if err != nil {
		return store.Clinic{}, &CodeError{Form: true}
	}
	inv, err := s.acc.JoinClinic(ctx, u.ID, hash, addr)
	var ie *store.InvitationError
	if errors.As(err, &ie) {
		return store.Clinic{}, &CodeError{State: ie.State}
	}
	if err != nil {
		return store.Clinic{}, err
	}
	return s.st.Clinic(ctx, inv.ClinicID)
}

// Leave ends the patient's link to their clinic: its clinicians no longer
// see them. What they looked at before stays in the access log.
func (s *Service) Leave(ctx context.Context, u store.User) error {
	if u.Role != store.RolePatient {
		return &FieldError{Field: "role", Code: "role", Message: "only a patient leaves a clinic this way; an admin moves clinicians"}
	}
	return s.st.SetUserClinic(ctx, u.ID, 0)
}

// The clinician's invitations: made, listed and revoked in the clinician's
// own clinic only.

// ErrNotMember is an action on a clinic's invitations by someone who is
// not one of its clinicians.
var ErrNotMember = errors.New("clinic: only the clinic's clinicians may do this")

func member(actor *store.User) (*store.User, error) {
	if actor == nil || actor.Role != store.RoleClinician || actor.ClinicID == 0 || actor.Disabled() {
		return nil, ErrNotMember
	}
	return actor, nil
}

// InviteAs makes an invitation into actor's clinic (Invite), made by them.
func (s *Service) InviteAs(ctx context.Context, actor *store.User, name, programme string, days int) (Invitation, error) {
	c, err := member(actor)
	if err != nil {
		return Invitation{}, err
	}
	return s.Invite(ctx, c.ClinicID, c.ID, name, programme, days)
}

// MaxListed is how many invitations the clinician's page lists: the newest.
const MaxListed = 50

// Invitations are actor's clinic's newest invitations, newest first.
func (s *Service) Invitations(ctx context.Context, actor *store.User) ([]store.Invitation, error) {
	c, err := member(actor)
	if err != nil {
		return nil, err
	}
	return s.st.ListInvitations(ctx, c.ClinicID, MaxListed)
}

// Revoke ends the invitation id of actor's clinic; another clinic's is
// store.ErrNotFound.
func (s *Service) Revoke(ctx context.Context, actor *store.User, id int64) error {
	c, err := member(actor)
	if err != nil {
		return err
	}
	return s.st.RevokeInvitation(ctx, c.ClinicID, id, s.now())
}
