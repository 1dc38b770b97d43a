package clinic

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/store"
)

type adminFixture struct {
	s                 *Service
	st                *store.Store
	c1, c2            store.Clinic
	root, admin1      store.User // an admin of the whole install; of clinic 1
	p1, p2, clin1, lo store.User // patients of clinics 1 and 2, a clinician of 1, a patient in none
}

func newAdminFixture(t *testing.T, now func() time.Time) adminFixture {
	t.Helper()
	s, st := newServices(t, now)
	ctx := t.Context()
	var f adminFixture
	f.s, f.st = s, st
	var err error
	if f.c1, err = s.Add(ctx, store.Clinic{Slug: "een", Name: "Klinik Et"}); err != nil {
		t.Fatal(err)
	}
	if f.c2, err = s.Add(ctx, store.Clinic{Slug: "to", Name: "Klinik To"}); err != nil {
		t.Fatal(err)
	}
	mk := func(login string, role store.Role, clinic int64) store.User {
		u, err := s.acc.CreateIn(ctx, login, "Navn "+login, "en lang sætning her", role, clinic)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.root, f.admin1 = mk("root", store.RoleAdmin, 0), mk("admin-1", store.RoleAdmin, f.c1.ID)
	f.p1, f.p2 = mk("p1", store.RolePatient, f.c1.ID), mk("p2", store.RolePatient, f.c2.ID)
	f.clin1, f.lo = mk("clin1", store.RoleClinician, f.c1.ID), mk("lo", store.RolePatient, 0)
	return f
}

// TestAdminScope: an admin of clinic 1 sees and changes only clinic 1's
// users and clinic; clinic 2's users, clinic and log are not found, and
// nothing of theirs changes. The install's admin reaches every one. No
// one but an admin reaches any of it.
func TestAdminScope(t *testing.T) {
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	f := newAdminFixture(t, func() time.Time { return now })
	s, ctx := f.s, t.Context()
	day := now
	calls := map[string]func(actor *store.User, u store.User, c store.Clinic) error{
		"User": func(a *store.User, u store.User, _ store.Clinic) error { _, err := s.User(ctx, a, u.ID); return err },
		"SetDisabled": func(a *store.User, u store.User, _ store.Clinic) error {
			return s.SetDisabled(ctx, a, u.ID, true)
		},
		"Enable":            func(a *store.User, u store.User, _ store.Clinic) error { return s.SetDisabled(ctx, a, u.ID, false) },
		"ResetSecondFactor": func(a *store.User, u store.User, _ store.Clinic) error { return s.ResetSecondFactor(ctx, a, u.ID) },
		"IssueResetCode": func(a *store.User, u store.User, _ store.Clinic) error {
			_, err := s.IssueResetCode(ctx, a, u.ID)
			return err
		},
		"MovePatient": func(a *store.User, u store.User, _ store.Clinic) error { return s.MovePatient(ctx, a, u.ID, f.c1.ID) },
		"Clinic":      func(a *store.User, _ store.User, c store.Clinic) error { _, err := s.Clinic(ctx, a, c.ID); return err },
		"UpdateClinic": func(a *store.User, _ store.User, c store.Clinic) error {
			c.Name = "Overtaget"
			_, err := s.UpdateClinic(ctx, a, c)
			return err
		},
		"AccessLog": func(a *store.User, _ store.User, c store.Clinic) error {
			_, _, err := s.AccessLog(ctx, a, c.ID, day, day, time.UTC)
			return err
		},
	}
	snapshot := func() string {
		var b []string
		for _, id := range []int64{f.p2.ID, f.lo.ID, f.root.ID} {
			u, _ := f.st.UserByID(ctx, id)
			b = append(b, fmt.Sprintf("%+v", u))
		}
		c, _ := f.st.Clinic(ctx, f.c2.ID)
		log, _ := f.st.AccessLog(ctx, f.p2.ID, 10)
		return fmt.Sprint(b, c, len(log))
	}
	before := snapshot()
	for name, call := range calls {
		for _, target := range []store.User{f.p2, f.lo, f.root} { // clinic 2's, none's, the install's admin
			if err := call(&f.admin1, target, f.c2); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s by clinic 1's admin on %s: %v, want not found", name, target.Login, err)
			}
		}
		for _, who := range []store.User{f.clin1, f.p1} {
			if err := call(&who, f.p1, f.c1); !errors.Is(err, ErrNotAdmin) {
				t.Errorf("%s by %s: %v, want ErrNotAdmin", name, who.Role, err)
			}
		}
		if err := call(nil, f.p1, f.c1); !errors.Is(err, ErrNotAdmin) {
			t.Errorf("%s by no one: %v", name, err)
		}
	}
	if after := snapshot(); after != before {
		t.Errorf("refused calls changed clinic 2's data:\n%s\n%s", before, after)
	}
	// Clinic 1's admin reaches clinic 1's users and clinic.
	if _, err := s.User(ctx, &f.admin1, f.p1.ID); err != nil {
		t.Errorf("own patient: %v", err)
	}
	if err := s.SetDisabled(ctx, &f.admin1, f.clin1.ID, true); err != nil {
		t.Errorf("own clinician: %v", err)
	}
	if _, err := s.UpdateClinic(ctx, &f.admin1, store.Clinic{ID: f.c1.ID, Name: "Klinik Et A/S", InactiveDays: 7}); err != nil {
		t.Errorf("own clinic: %v", err)
	}
	// … but moves no one: the other clinic is not theirs.
	var fe *FieldError
	if err := s.MovePatient(ctx, &f.admin1, f.p1.ID, f.c2.ID); !errors.As(err, &fe) || fe.Code != "moveNone" {
		t.Errorf("clinic 1's admin moving to clinic 2: %v", err)
	}
	// The install's admin reaches every user and clinic.
	for _, u := range []store.User{f.p1, f.p2, f.lo, f.admin1} {
		if _, err := s.User(ctx, &f.root, u.ID); err != nil {
			t.Errorf("the install's admin on %s: %v", u.Login, err)
		}
	}
	if _, err := s.Clinic(ctx, &f.root, f.c2.ID); err != nil {
		t.Errorf("the install's admin on clinic 2: %v", err)
	}
	// A disabled admin is no admin.
	off := f.root
	off.DisabledAt = now
	if _, err := s.User(ctx, &off, f.p1.ID); !errors.Is(err, ErrNotAdmin) {
		t.Errorf("a disabled admin: %v", err)
	}
}

// TestAdminUsers: the list is filtered by the admin's clinic whatever the
// query asks, by role and by a search in name or login, and paged.
func TestAdminUsers(t *testing.T) {
	f := newAdminFixture(t, time.Now)
	s, ctx := f.s, t.Context()
	logins := func(p UserPage) []string {
		var out []string
		for _, u := range p.Users {
			out = append(out, u.Login)
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		actor store.User
		q     UserQuery
		want  []string
	}{
		{"install: all", f.root, UserQuery{}, []string{"root", "admin-1", "p1", "p2", "clin1", "lo"}},
		{"install: clinic 2", f.root, UserQuery{Clinic: f.c2.ID}, []string{"p2"}},
		{"install: no clinic", f.root, UserQuery{Clinic: NoClinic}, []string{"root", "lo"}},
		{"install: patients named p", f.root, UserQuery{Role: store.RolePatient, Search: "P"}, []string{"p1", "p2"}},
		{"install: an unknown role is every role", f.root, UserQuery{Role: "boss", Clinic: f.c2.ID}, []string{"p2"}},
		{"clinic 1: all", f.admin1, UserQuery{}, []string{"admin-1", "p1", "clin1"}},
		{"clinic 1 asking for clinic 2", f.admin1, UserQuery{Clinic: f.c2.ID}, []string{"admin-1", "p1", "clin1"}},
		{"clinic 1 asking for none", f.admin1, UserQuery{Clinic: NoClinic}, []string{"admin-1", "p1", "clin1"}},
		{"clinic 1: search by name", f.admin1, UserQuery{Search: "navn clin"}, []string{"clin1"}},
	} {
		p, err := s.Users(ctx, &tc.actor, tc.q)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := logins(p); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	p, _ := s.Users(ctx, &f.admin1, UserQuery{})
	if len(p.Clinics) != 1 || p.Clinics[0].ID != f.c1.ID {
		t.Errorf("clinic 1's admin's clinics: %+v", p.Clinics)
	}
	for i := range UsersPerPage + 3 {
		if _, err := s.acc.CreateIn(ctx, fmt.Sprintf("x%02d", i), "", "en lang sætning her", store.RolePatient, f.c2.ID); err != nil {
			t.Fatal(err)
		}
	}
	p, _ = s.Users(ctx, &f.root, UserQuery{Clinic: f.c2.ID, Page: 2})
	if p.Total != UsersPerPage+4 || p.Pages != 2 || p.Page != 2 || len(p.Users) != 4 {
		t.Errorf("page 2: total %d, pages %d, page %d, %d users", p.Total, p.Pages, p.Page, len(p.Users))
	}
}

// TestAdminActions: disabling ends the sessions and an admin cannot
// disable themselves; a second factor is reset only where there is one;
// a reset code is refused for a disabled account; moving a patient logs
// the change first, refuses a non-patient and the clinic they are in.
func TestAdminActions(t *testing.T) {
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	f := newAdminFixture(t, func() time.Time { return now })
	s, st, ctx := f.s, f.st, t.Context()
	code := func(err error) string {
		var fe *FieldError
		if errors.As(err, &fe) {
			return fe.Code
		}
		return fmt.Sprint(err)
	}
	if err := st.Sessions().CommitUser(ctx, "p1-web", f.p1.ID, []byte("x"), now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.SetDisabled(ctx, &f.admin1, f.p1.ID, true); err != nil {
		t.Fatal(err)
	}
	if u, _ := st.UserByID(ctx, f.p1.ID); !u.DisabledAt.Equal(now) {
		t.Errorf("disabled at %v", u.DisabledAt)
	}
	if n, _ := st.Sessions().DeleteUser(ctx, f.p1.ID); n != 0 {
		t.Errorf("%d sessions outlived disabling", n)
	}
	if got := code(func() error { _, err := s.IssueResetCode(ctx, &f.admin1, f.p1.ID); return err }()); got != "resetDisabled" {
		t.Errorf("a reset code for a disabled account: %s", got)
	}
	if err := s.SetDisabled(ctx, &f.admin1, f.p1.ID, false); err != nil {
		t.Fatal(err)
	}
	if u, _ := st.UserByID(ctx, f.p1.ID); u.Disabled() {
		t.Error("still disabled")
	}
	if got := code(s.SetDisabled(ctx, &f.admin1, f.admin1.ID, true)); got != "disableSelf" {
		t.Errorf("disabling oneself: %s", got)
	}
	rc, err := s.IssueResetCode(ctx, &f.admin1, f.p1.ID)
	if err != nil || rc.Code == "" || !rc.ExpiresAt.Equal(now.Add(24*time.Hour)) {
		t.Errorf("reset code: %+v, %v", rc, err)
	}

	// The second factor.
	if got := code(s.ResetSecondFactor(ctx, &f.admin1, f.clin1.ID)); got != "noSecondFactor" {
		t.Errorf("a reset without a second factor: %s", got)
	}
	if err := st.EnableTOTP(ctx, f.clin1.ID, "JBSWY3DPEHPK3PXPJBSWY3DP", now, 1, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.ResetSecondFactor(ctx, &f.admin1, f.clin1.ID); err != nil {
		t.Fatal(err)
	}
	if u, _ := st.UserByID(ctx, f.clin1.ID); !u.TOTPEnabledAt.IsZero() {
		t.Error("the second factor is still there")
	}

	// The patient's account changes are on their "who has looked" page:
	// disabled, enabled, a reset code; a clinician's are no patient's.
	accountLog, _ := st.AccessLog(ctx, f.p1.ID, 10)
	if len(accountLog) != 3 {
		t.Fatalf("the patient's log after three account changes: %+v", accountLog)
	}
	for _, a := range accountLog {
		if a.What != "account" || a.Action != store.AccessChange || a.ActorID != f.admin1.ID {
			t.Errorf("log row %+v, want admin1's change of the account", a)
		}
	}
	if log, _ := st.AccessLog(ctx, f.clin1.ID, 10); len(log) != 0 {
		t.Errorf("a clinician's account change is in an access log: %+v", log)
	}

	// Moving a patient.
	for _, tc := range []struct {
		name     string
		id, to   int64
		wantCode string
	}{
		{"a clinician", f.clin1.ID, f.c2.ID, "moveRole"},
		{"no clinic", f.p1.ID, 0, "moveNone"},
		{"no such clinic", f.p1.ID, 999, "moveNone"},
		{"the same clinic", f.p1.ID, f.c1.ID, "moveSame"},
	} {
		if got := code(s.MovePatient(ctx, &f.root, tc.id, tc.to)); got != tc.wantCode {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.wantCode)
		}
	}
	if log, _ := st.AccessLog(ctx, f.p1.ID, 10); len(log) != len(accountLog) {
		t.Errorf("refused moves were logged: %+v", log)
	}
	if err := s.MovePatient(ctx, &f.root, f.p1.ID, f.c2.ID); err != nil {
		t.Fatal(err)
	}
	if u, _ := st.UserByID(ctx, f.p1.ID); u.ClinicID != f.c2.ID {
		t.Errorf("in clinic %d", u.ClinicID)
	}
	log, _ := st.AccessLog(ctx, f.p1.ID, 10)
	want := store.Access{At: now, ActorID: f.root.ID, Actor: "Navn root", ActorRole: store.RoleAdmin, ClinicID: f.c1.ID,
		PatientID: f.p1.ID, Action: store.AccessChange, What: "clinic"}
	if len(log) != len(accountLog)+1 { // newest first: the move
		t.Fatalf("log %+v", log)
	}
	log[0].ID = 0
	if log[0] != want {
		t.Errorf("logged %+v, want %+v", log[0], want)
	}
	// Into a clinic from none: logged under the clinic joined.
	if err := s.MovePatient(ctx, &f.root, f.lo.ID, f.c1.ID); err != nil {
		t.Fatal(err)
	}
	if log, _ := st.AccessLog(ctx, f.lo.ID, 10); len(log) != 1 || log[0].ClinicID != f.c1.ID {
		t.Errorf("from none: %+v", log)
	}
	// The clinic's export has the account changes, the move out and the
	// move in.
	_, got, err := s.AccessLog(ctx, &f.root, f.c1.ID, now, now, time.UTC)
	if err != nil || len(got) != len(accountLog)+2 {
		t.Errorf("clinic 1's log today: %+v, %v", got, err)
	}
	if _, _, err := s.AccessLog(ctx, &f.root, f.c1.ID, now, now.AddDate(0, 0, -1), time.UTC); code(err) != "logOrder" {
		t.Errorf("a range backwards: %v", err)
	}
	if _, _, err := s.AccessLog(ctx, &f.root, f.c1.ID, now, now.AddDate(2, 0, 0), time.UTC); code(err) != "logLong" {
		t.Errorf("two years: %v", err)
	}
	if _, got, _ := s.AccessLog(ctx, &f.root, f.c1.ID, now.AddDate(0, 0, 1), now.AddDate(0, 0, 1), time.UTC); len(got) != 0 {
		t.Errorf("tomorrow's log: %+v", got)
	}
}

// TestValidate: every problem of a clinic's details, field by field, in
// the form's order; good details are normalised.
func TestValidate(t *testing.T) {
	c := store.Clinic{Name: "  ", Phone: "12", Email: "ikke en adresse", Region: "mars", Signup: "alle", InactiveDays: 400,
		Address: string(make([]byte, 1001))}
	var got []string
	for _, e := range Validate(&c) {
		got = append(got, e.Field+":"+e.Code)
	}
	want := []string{"name:nameEmpty", "address:addressLong", "phone:phone", "email:email", "region:region", "signup:signup", "inactive-days:inactiveDays"}
	if !slices.Equal(got, want) {
		t.Errorf("problems %v, want %v", got, want)
	}
	c = store.Clinic{Name: " Klinik ", Phone: "33123456", Email: "klinik@example.dk", Address: " Gade 1 \r\n 2100 By ", Region: "hovedstaden", InactiveDays: 7}
	if es := Validate(&c); len(es) > 0 {
		t.Fatalf("good details: %v", es)
	}
	if c.Name != "Klinik" || c.Phone != "33 12 34 56" || c.Address != "Gade 1\n2100 By" {
		t.Errorf("normalised: %+v", c)
	}
}
