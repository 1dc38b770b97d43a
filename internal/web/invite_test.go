package web

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stenose/stenose/internal/clinic"
	"github.com/stenose/stenose/internal/store"
)

// TestSignUpWithInvitation: the slip's link fills in the code and the
// name and says which clinic invites; the account joins that clinic; a
// code that cannot be used is named beside its field, in both languages;
// an invitation-only install refuses a sign-up without a code.
func TestSignUpWithInvitation(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		e := newEnv(t, st, nil)
		ctx := t.Context()
		svc := clinic.New(st, nil, nil)
		nord, err := svc.Add(ctx, store.Clinic{Slug: "nord", Name: "Klinik Nord"})
		if err != nil {
			t.Fatal(err)
		}
		inv, err := svc.Invite(ctx, nord.ID, 0, "Bent Ørsted", "", 0)
		if err != nil {
			t.Fatal(err)
		}
		c := e.client()
		r := c.get("/konto/opret?kode=" + url.QueryEscape(strings.ToLower(inv.Code)))
		want(t, "sign-up from the slip", r, 200, "")
		contains(t, "sign-up from the slip", r.body, "Du er inviteret af Klinik Nord.", `value="Bent Ørsted"`, `id="kode"`, `value="`+strings.ToLower(inv.Code)+`"`)

		// Without a code the clinic (invitation only) takes no one.
		r = c.post("/konto/opret", "login", "Carl", "password", goodPW, "password2", goodPW)
		want(t, "no code", r, 422, "")
		contains(t, "no code", r.body, "Skriv den invitationskode, du har fået af klinikken.", `id="kode-error"`, `<div class="error-summary"`, `href="#kode"`)

		for _, bad := range []struct{ code, msg string }{
			{"12345", "En invitationskode er 12 tegn"},
			{"7K2M-Q9XD-4PWA", "Vi kender ikke den kode."},
		} {
			r = c.post("/konto/opret", "kode", bad.code, "login", "Carl", "password", goodPW, "password2", goodPW)
			want(t, "code "+bad.code, r, 422, "")
			contains(t, "code "+bad.code, r.body, bad.msg, `value="`+bad.code+`"`)
		}
		r = c.post("/konto/opret", "kode", inv.Code, "login", "Bent Ø", "name", "Bent Ørsted", "password", goodPW, "password2", goodPW)
		want(t, "sign-up with the code", r, 303, "/start")
		u, err := st.UserByLogin(ctx, "bent ø")
		if err != nil || u.ClinicID != nord.ID || u.Role != store.RolePatient {
			t.Fatalf("the invited account: %+v, %v", u, err)
		}
		// The code again, in English.
		c2 := e.client()
		r = c2.get("/konto/opret?lang=en&kode=" + url.QueryEscape(inv.Code))
		want(t, "the slip's link, used", r, 200, "")
		contains(t, "the slip's link, used", r.body, "That code has been used already.")
		r = c2.post("/konto/opret", "kode", inv.Code, "login", "Dora", "password", goodPW, "password2", goodPW)
		want(t, "a used code", r, 422, "")
		contains(t, "a used code", r.body, "That code has been used already. Ask the clinic for a new one.")
	})
}

// TestClinicLinkOnAccount: a patient sees their clinic on Min konto, ends
// the link only after ticking that they mean it, and joins again with a
// code; a wrong code is named beside its field.
func TestClinicLinkOnAccount(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		e := newEnv(t, st, nil)
		ctx := t.Context()
		c := e.signUp("anna") // no clinics yet: in none
		r := c.get("/konto")
		contains(t, "no clinic", r.body, "Du er ikke knyttet til en klinik.", `action="/konto/klinik"`)
		svc := clinic.New(st, nil, nil)
		nord, err := svc.Add(ctx, store.Clinic{Slug: "nord", Name: "Klinik Nord"})
		if err != nil {
			t.Fatal(err)
		}
		r = c.post("/konto/klinik", "kode", "7K2M-Q9XD-4PWA")
		want(t, "an unknown code", r, 422, "")
		contains(t, "an unknown code", r.body, "Vi kender ikke den kode.", `<div class="error-summary"`)
		inv, err := svc.Invite(ctx, nord.ID, 0, "", "", 0)
		if err != nil {
			t.Fatal(err)
		}
		want(t, "join", c.post("/konto/klinik", "kode", inv.Code), 303, "/konto")
		r = c.get("/konto")
		contains(t, "joined", r.body, "Du er nu knyttet til klinikken.", "Du følges af Klinik Nord.", `action="/konto/klinik/afslut"`)
		if u, _ := st.UserByLogin(ctx, "anna"); u.ClinicID != nord.ID {
			t.Fatalf("in clinic %d", u.ClinicID)
		}
		r = c.post("/konto/klinik/afslut")
		want(t, "leave without ticking", r, 422, "")
		contains(t, "leave without ticking", r.body, "Sæt flueben, hvis du vil afslutte forbindelsen til klinikken.")
		if u, _ := st.UserByLogin(ctx, "anna"); u.ClinicID != nord.ID {
			t.Fatal("left without ticking")
		}
		want(t, "leave", c.post("/konto/klinik/afslut", "bekraeft", "ja"), 303, "/konto")
		contains(t, "left", c.get("/konto").body, "Forbindelsen til klinikken er afsluttet.", "Du er ikke knyttet til en klinik.")
		if u, _ := st.UserByLogin(ctx, "anna"); u.ClinicID != 0 {
			t.Fatalf("still in clinic %d", u.ClinicID)
		}
	})
}
