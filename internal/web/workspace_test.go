package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/clinic"
	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

// TestWorkspace: a clinician's day on both engines — the list with the
// patient who reported a red flag first, their chart, the alert
// acknowledged with a remark, a note, an invitation's slip shown once —
// and every look in the patient's "who has looked" log.
func TestWorkspace(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		e := newEnv(t, st, nil)
		ctx := t.Context()
		c1, err := clinic.New(st, nil, nil).Add(ctx, store.Clinic{Slug: "een", Name: "Klinik Et", Phone: "33 12 34 56", Signup: store.SignupOpen})
		if err != nil {
			t.Fatal(err)
		}
		for _, login := range []string{"aase", "bo", "dorte"} {
			e.signUp(login)
			if err := st.SetUserClinic(ctx, userID(t, st, login), c1.ID); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.SetRole(ctx, userID(t, st, "dorte"), store.RoleClinician); err != nil {
			t.Fatal(err)
		}
		bo := userID(t, st, "bo")
		if _, err := st.AddRedFlagCheckin(ctx, store.RedFlagCheckin{UserID: bo, At: e.clock.now().Add(-time.Hour),
			Answers: map[string]bool{rules.Flags[0].Key: true}, Urgent: true}); err != nil {
			t.Fatal(err)
		}
		k := e.signIn("dorte", goodPW)

		// The list: Bo (an urgent alert) before Aase (nothing yet).
		r := k.get(workspacePath)
		want(t, "list", r, 200, "")
		if i, j := strings.Index(r.body, "Navn bo"), strings.Index(r.body, "Navn aase"); i < 0 || j < 0 || i > j {
			t.Errorf("Bo (a red flag) is not above Aase on the list")
		}
		contains(t, "list", r.body, `class="ws-urgent"`, "Haster: Rødt flag – ring i dag")

		// His chart, the alert acknowledged with a remark.
		chart := patientPath(bo)
		r = k.get(chart)
		want(t, "chart", r, 200, "")
		contains(t, "chart", r.body, "Rødt flag – ring i dag", `action="/klinik/advarsler/`)
		alerts, err := st.PatientAlerts(ctx, c1.ID, bo)
		if err != nil || len(alerts) != 1 {
			t.Fatalf("alerts = %+v, %v", alerts, err)
		}
		ack := "/klinik/advarsler/" + strconv.FormatInt(alerts[0].ID, 10) + "/kvitter"
		want(t, "acknowledge", k.post(ack, "note", "Ringet; egen læge i dag.", "patient", strconv.FormatInt(bo, 10)), 303, chart+"#advarsler")
		r = k.get(chart)
		contains(t, "after acknowledging", r.body, "Advarslen er kvitteret.", "Ringet; egen læge i dag.", "Ingen åbne advarsler.")
		want(t, "acknowledge twice", k.post(ack, "note", "igen"), 303, chart+"#advarsler")
		contains(t, "twice", k.get(chart).body, "allerede kvitteret")
		// A remark too long: the chart again, with the error, nothing kept.
		long := strings.Repeat("x", 2001)
		if _, err := st.AddRedFlagCheckin(ctx, store.RedFlagCheckin{UserID: bo, At: e.clock.now(), Answers: map[string]bool{rules.Flags[0].Key: true}, Urgent: true}); err != nil {
			t.Fatal(err)
		}
		alerts, _ = st.PatientAlerts(ctx, c1.ID, bo)
		r = k.post("/klinik/advarsler/"+strconv.FormatInt(alerts[0].ID, 10)+"/kvitter", "note", long, "patient", strconv.FormatInt(bo, 10))
		want(t, "a long remark", r, http.StatusUnprocessableEntity, "")
		contains(t, "a long remark", r.body, "Teksten er for lang.")
		if as, _ := st.PatientAlerts(ctx, c1.ID, bo); !as[0].Open() {
			t.Error("a refused acknowledgement acknowledged the alert")
		}
		want(t, "acknowledge all", k.post(chart+"/kvitter", "note", "Set."), 303, chart+"#advarsler")

		// A note: empty refused; written kept, newest first.
		r = k.post(chart+"/noter", "body", "  ")
		want(t, "empty note", r, http.StatusUnprocessableEntity, "")
		contains(t, "empty note", r.body, "Skriv notatet.")
		want(t, "note", k.post(chart+"/noter", "body", "Aftalt kontrol om en uge."), 303, chart+"#notater")
		contains(t, "note", k.get(chart).body, "Aftalt kontrol om en uge.", "Notatet er gemt.")

		// The invitation's slip: its code once, in the clinician's session.
		want(t, "invite", k.post(invitationsPath, "name", "Ole Ærø", "days", "7"), 303, slipPath)
		r = k.get(slipPath)
		contains(t, "slip", r.body, "Til Ole Ærø", "Invitation til Klinik Et", "33 12 34 56", "<svg", `/konto/opret?kode=`)
		m := strings.Index(r.body, `class="slip-code">`)
		if m < 0 {
			t.Fatal("no code on the slip")
		}
		code := r.body[m+len(`class="slip-code">`):][:14]
		// The patient signs up with it, into the clinic.
		p := e.client()
		want(t, "sign up with the slip's code", p.post("/konto/opret", "kode", code, "login", "ole", "name", "Ole Ærø", "password", goodPW, "password2", goodPW), 303, "/start")
		if u, err := st.UserByLogin(ctx, "ole"); err != nil || u.ClinicID != c1.ID {
			t.Errorf("Ole after signing up: %+v, %v", u, err)
		}
		contains(t, "invitations", k.get(invitationsPath).body, "Brugt")
		other := e.client()
		lacks(t, "someone else's slip", other.get(slipPath).body, code)

		// Every look and change of Bo's is in his log, by name.
		log, err := st.AccessLog(ctx, bo, 50)
		if err != nil {
			t.Fatal(err)
		}
		whats := map[string]int{}
		for _, a := range log {
			if a.Actor != "Navn dorte" || a.ClinicID != c1.ID {
				t.Errorf("log row %+v", a)
			}
			whats[a.Action+" "+a.What]++
		}
		for _, w := range []string{"view list", "view patient", "change alerts", "change notes"} {
			if whats[w] == 0 {
				t.Errorf("no %q in Bo's access log: %v", w, whats)
			}
		}
		bob := e.signIn("bo", goodPW)
		contains(t, "Bo's who-has-looked page", bob.get("/mine-data/opslag").body, "Navn dorte")
	})
}

// clinicsOf makes a clinic for each of the signed-up clinicians (their
// role set, "Klinik LOGIN", open sign-up), puts the patient pid in the
// first, and returns the clinics in the clinicians' order.
func clinicsOf(t *testing.T, st *store.Store, pid int64, clinicians ...string) []store.Clinic {
	t.Helper()
	ctx := t.Context()
	var clinics []store.Clinic
	for i, login := range clinicians {
		c, err := st.CreateClinic(ctx, store.Clinic{Slug: fmt.Sprintf("k%d", i), Name: "Klinik " + login, Signup: store.SignupOpen})
		if err != nil {
			t.Fatal(err)
		}
		clinics = append(clinics, c)
		id := userID(t, st, login)
		if err := st.SetUserClinic(ctx, id, c.ID); err != nil {
			t.Fatal(err)
		}
		if err := st.SetRole(ctx, id, store.RoleClinician); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.SetUserClinic(ctx, pid, clinics[0].ID); err != nil {
		t.Fatal(err)
	}
	return clinics
}

// twoOpenClinics adds "Klinik Et" and "Klinik To", both taking patients
// openly: the two tenants of the authorization and admin tests.
func twoOpenClinics(t *testing.T, svc *clinic.Service) (c1, c2 store.Clinic) {
	t.Helper()
	var err error
	if c1, err = svc.Add(t.Context(), store.Clinic{Slug: "een", Name: "Klinik Et", Signup: store.SignupOpen}); err != nil {
		t.Fatal(err)
	}
	if c2, err = svc.Add(t.Context(), store.Clinic{Slug: "to", Name: "Klinik To", Signup: store.SignupOpen}); err != nil {
		t.Fatal(err)
	}
	return c1, c2
}
