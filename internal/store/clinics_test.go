package store

import (
	"crypto/sha256"
	"errors"
	"sync"
	"testing"
	"time"
)

func TestClinics(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		c, err := s.CreateClinic(ctx, Clinic{Slug: "nord", Name: "Klinik Nord", Address: "Nørregade 1\n8000 Aarhus C", Phone: "86 12 34 56", Region: "midtjylland"})
		if err != nil {
			t.Fatal(err)
		}
		if c.ID == 0 || c.Signup != SignupInvite || c.InactiveDays != 7 || !c.CreatedAt.Equal(t0) {
			t.Errorf("created %+v", c)
		}
		_, err = s.CreateClinic(ctx, Clinic{Slug: "nord", Name: "Another"})
		wantCode(t, err, ECONFLICT, "")
		for _, bad := range []struct {
			c     Clinic
			field string
		}{
			{Clinic{Slug: "Nord", Name: "x"}, "slug"},
			{Clinic{Slug: "-nord", Name: "x"}, "slug"},
			{Clinic{Slug: "syd", Name: " "}, "name"},
			{Clinic{Slug: "syd", Name: "x", Signup: "closed"}, "signup"},
			{Clinic{Slug: "syd", Name: "x", InactiveDays: 400}, "inactive_days"},
			{Clinic{Slug: "syd", Name: "x", Phone: "123456789012345678901234567890123456789012"}, "phone"},
		} {
			_, err := s.CreateClinic(ctx, bad.c)
			wantCode(t, err, EINVALID, bad.field)
		}
		syd, err := s.CreateClinic(ctx, Clinic{Slug: "syd", Name: "Klinik Syd", Signup: SignupInvite, InactiveDays: 14})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.ClinicBySlug(ctx, "syd")
		if err != nil || got != syd {
			t.Errorf("ClinicBySlug = %+v, %v; want %+v", got, err, syd)
		}
		c.Phone, c.Signup = "86 00 00 00", SignupOpen
		if err := s.UpdateClinic(ctx, c); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Clinic(ctx, c.ID); err != nil || got.Phone != "86 00 00 00" || got.Signup != SignupOpen || got.Slug != "nord" {
			t.Errorf("after update: %+v, %v", got, err)
		}
		_, err = s.Clinic(ctx, 999)
		wantCode(t, err, ENOTFOUND, "")
		all, err := s.ListClinics(ctx)
		if err != nil || len(all) != 2 || all[0].Slug != "nord" || all[1].Slug != "syd" {
			t.Errorf("ListClinics = %+v, %v", all, err)
		}

		// Membership: a user in a clinic, moved, taken out; the session
		// reads it with the user.
		u := mkUser(t, s, "ann")
		if u.ClinicID != 0 {
			t.Errorf("a new user is in clinic %d", u.ClinicID)
		}
		if err := s.SetUserClinic(ctx, u.ID, c.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.Sessions().Commit(ctx, "tok", []byte("x"), t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.Sessions().Bind(ctx, "tok", u.ID); err != nil {
			t.Fatal(err)
		}
		if _, su, ok, err := s.Sessions().FindUser(ctx, "tok", t0); err != nil || !ok || su == nil || su.ClinicID != c.ID {
			t.Errorf("FindUser = %+v, %v, %v", su, ok, err)
		}
		if err := s.SetUserClinic(ctx, u.ID, syd.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.UserByID(ctx, u.ID); got.ClinicID != syd.ID {
			t.Errorf("moved to %d, want %d", got.ClinicID, syd.ID)
		}
		wantCode(t, s.SetUserClinic(ctx, u.ID, 999), ENOTFOUND, "")
		wantCode(t, s.SetUserClinic(ctx, 999, syd.ID), ENOTFOUND, "")
		if err := s.SetUserClinic(ctx, u.ID, 0); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.UserByID(ctx, u.ID); got.ClinicID != 0 {
			t.Errorf("out of the clinic: %d", got.ClinicID)
		}

		// Disabling ends the sessions; enabling again keeps the account.
		if err := s.SetUserDisabled(ctx, u.ID, t0); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.UserByID(ctx, u.ID); !got.Disabled() || !got.DisabledAt.Equal(t0) {
			t.Errorf("disabled: %+v", got)
		}
		if _, _, ok, err := s.Sessions().FindUser(ctx, "tok", t0); ok || err != nil {
			t.Errorf("the disabled user's session is still there (%v, %v)", ok, err)
		}
		if err := s.SetUserDisabled(ctx, u.ID, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.UserByID(ctx, u.ID); got.Disabled() {
			t.Errorf("enabled again: %+v", got)
		}
		wantCode(t, s.SetUserDisabled(ctx, 999, t0), ENOTFOUND, "")
	})
}

func TestInvitations(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		c, err := s.CreateClinic(ctx, Clinic{Slug: "nord", Name: "Klinik Nord", Signup: SignupInvite})
		if err != nil {
			t.Fatal(err)
		}
		other, err := s.CreateClinic(ctx, Clinic{Slug: "syd", Name: "Klinik Syd"})
		if err != nil {
			t.Fatal(err)
		}
		clin := mkUser(t, s, "klinikeren")
		code := func(s string) [32]byte { return sha256.Sum256([]byte(s)) }
		inv, err := s.CreateInvitation(ctx, Invitation{ClinicID: c.ID, CreatedBy: clin.ID, Name: "Bent Ø", Programme: "5-bedste-oevelser",
			ExpiresAt: t0.Add(14 * 24 * time.Hour)}, code("A"))
		if err != nil {
			t.Fatal(err)
		}
		if inv.ID == 0 || inv.State(t0) != InvitationOpen || inv.State(t0.Add(14*24*time.Hour)) != InvitationExpired {
			t.Errorf("created %+v", inv)
		}
		_, err = s.CreateInvitation(ctx, Invitation{ClinicID: c.ID, ExpiresAt: t0.Add(time.Hour)}, code("A"))
		wantCode(t, err, ECONFLICT, "")
		_, err = s.CreateInvitation(ctx, Invitation{ClinicID: c.ID, ExpiresAt: t0}, code("B"))
		wantCode(t, err, EINVALID, "expires_at")

		// Signing up with it: the patient lands in its clinic, the
		// invitation is used; the same code again is refused.
		u, used, err := s.CreateInvitedUser(ctx, User{Login: "bent", Name: "Bent Ø", Role: RolePatient}, code("A"), t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if u.ClinicID != c.ID || used.UsedBy != u.ID || used.State(t0.Add(time.Hour)) != InvitationUsed {
			t.Errorf("invited user %+v, invitation %+v", u, used)
		}
		if got, err := s.InvitationByCode(ctx, code("A")); err != nil || got.UsedBy != u.ID || !got.UsedAt.Equal(t0.Add(time.Hour)) {
			t.Errorf("InvitationByCode = %+v, %v", got, err)
		}
		for _, tc := range []struct {
			name  string
			code  [32]byte
			now   time.Time
			state InvitationState
		}{
			{"used", code("A"), t0.Add(2 * time.Hour), InvitationUsed},
			{"unknown", code("nope"), t0, ""},
		} {
			_, _, err := s.CreateInvitedUser(ctx, User{Login: "x" + tc.name, Role: RolePatient}, tc.code, tc.now)
			var ie *InvitationError
			if !errors.As(err, &ie) || ie.State != tc.state {
				t.Errorf("%s: err = %v, want state %q", tc.name, err, tc.state)
			}
		}
		// Expired and revoked.
		if _, err := s.CreateInvitation(ctx, Invitation{ClinicID: c.ID, ExpiresAt: t0.Add(time.Hour)}, code("C")); err != nil {
			t.Fatal(err)
		}
		_, _, err = s.CreateInvitedUser(ctx, User{Login: "carl", Role: RolePatient}, code("C"), t0.Add(time.Hour))
		if ie := (*InvitationError)(nil); !errors.As(err, &ie) || ie.State != InvitationExpired {
			t.Errorf("expired: %v", err)
		}
		d, err := s.CreateInvitation(ctx, Invitation{ClinicID: c.ID, ExpiresAt: t0.Add(time.Hour)}, code("D"))
		if err != nil {
			t.Fatal(err)
		}
		// Another clinic cannot revoke it.
		wantCode(t, s.RevokeInvitation(ctx, other.ID, d.ID, t0), ENOTFOUND, "")
		if err := s.RevokeInvitation(ctx, c.ID, d.ID, t0); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.RevokeInvitation(ctx, c.ID, d.ID, t0), ENOTFOUND, "") // revoked already
		_, _, err = s.CreateInvitedUser(ctx, User{Login: "dora", Role: RolePatient}, code("D"), t0)
		if ie := (*InvitationError)(nil); !errors.As(err, &ie) || ie.State != InvitationRevoked {
			t.Errorf("revoked: %v", err)
		}
		if _, err := s.UserByLogin(ctx, "dora"); !errors.Is(err, ErrNotFound) {
			t.Errorf("a refused invitation made an account: %v", err)
		}
		// A taken login leaves the invitation open.
		if _, err := s.CreateInvitation(ctx, Invitation{ClinicID: c.ID, ExpiresAt: t0.Add(time.Hour)}, code("E")); err != nil {
			t.Fatal(err)
		}
		_, _, err = s.CreateInvitedUser(ctx, User{Login: "bent", Role: RolePatient}, code("E"), t0)
		wantCode(t, err, ECONFLICT, "login")
		if got, _ := s.InvitationByCode(ctx, code("E")); got.State(t0) != InvitationOpen {
			t.Errorf("the invitation was used by a refused sign-up: %+v", got)
		}
		_, _, err = s.CreateInvitedUser(ctx, User{Login: "eva", Role: RoleClinician}, code("E"), t0)
		wantCode(t, err, EINVALID, "role")

		// An existing patient joins with a code; a clinician cannot.
		if _, err := s.CreateInvitation(ctx, Invitation{ClinicID: other.ID, ExpiresAt: t0.Add(time.Hour)}, code("F")); err != nil {
			t.Fatal(err)
		}
		_, err = s.UseInvitation(ctx, clin.ID, code("F"), t0) // mkUser makes patients; make it a clinician
		if err != nil {
			t.Fatal(err) // a patient: fine
		}
		if got, _ := s.UserByID(ctx, clin.ID); got.ClinicID != other.ID {
			t.Errorf("UseInvitation: in clinic %d, want %d", got.ClinicID, other.ID)
		}
		_, err = s.UseInvitation(ctx, clin.ID, code("F"), t0)
		if ie := (*InvitationError)(nil); !errors.As(err, &ie) || ie.State != InvitationUsed {
			t.Errorf("used twice: %v", err)
		}
		staff, err := s.CreateUser(ctx, User{Login: "staff", Role: RoleClinician})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateInvitation(ctx, Invitation{ClinicID: other.ID, ExpiresAt: t0.Add(time.Hour)}, code("G")); err != nil {
			t.Fatal(err)
		}
		_, err = s.UseInvitation(ctx, staff.ID, code("G"), t0)
		wantCode(t, err, EINVALID, "role")
		_, err = s.UseInvitation(ctx, 999, code("G"), t0)
		wantCode(t, err, ENOTFOUND, "")

		// Lists are the clinic's own, newest first.
		list, err := s.ListInvitations(ctx, c.ID, 10)
		if err != nil || len(list) != 4 || list[len(list)-1].ID != inv.ID {
			t.Errorf("ListInvitations = %+v, %v", list, err)
		}
		if list, err := s.ListInvitations(ctx, other.ID, 10); err != nil || len(list) != 2 {
			t.Errorf("the other clinic sees %+v, %v", list, err)
		}
	})
}

// TestInvitationOnce: two sign-ups at once with one code make one account.
func TestInvitationOnce(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		c, err := s.CreateClinic(ctx, Clinic{Slug: "nord", Name: "Klinik Nord"})
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.Sum256([]byte("once"))
		if _, err := s.CreateInvitation(ctx, Invitation{ClinicID: c.ID, ExpiresAt: t0.Add(time.Hour)}, h); err != nil {
			t.Fatal(err)
		}
		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				_, _, errs[i] = s.CreateInvitedUser(ctx, User{Login: "p" + string(rune('a'+i)), Role: RolePatient}, h, t0)
			})
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			var ie *InvitationError
			switch {
			case err == nil:
				ok++
			case errors.As(err, &ie) && ie.State == InvitationUsed:
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if ok != 1 || count(t, s, `SELECT count(*) FROM users WHERE clinic_id = $1`, c.ID) != 1 {
			t.Errorf("%d sign-ups succeeded", ok)
		}
	})
}
