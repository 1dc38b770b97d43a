package web

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/clinic"
	"github.com/stenose/stenose/internal/store"
)

// adminEnv is two clinics, a patient in each, a clinician of clinic 1, an
// admin of the whole install and one of clinic 1, each signed in.
type adminEnv struct {
	e                *env
	c1, c2           store.Clinic
	root, admin1     *client
	anna, bo, dorte  int64 // patient of 1, patient of 2, clinician of 1
	rootID, admin1ID int64
}

func newAdminEnv(t *testing.T, st *store.Store) adminEnv {
	t.Helper()
	e := newEnv(t, st, nil)
	ctx := t.Context()
	svc := clinic.New(st, nil, nil)
	c1, c2 := twoOpenClinics(t, svc)
	ae := adminEnv{e: e, c1: c1, c2: c2}
	for _, u := range []struct {
		login  string
		role   store.Role
		clinic int64
		id     *int64
	}{
		{"anna", store.RolePatient, c1.ID, &ae.anna}, {"bo", store.RolePatient, c2.ID, &ae.bo},
		{"dorte", store.RoleClinician, c1.ID, &ae.dorte}, {"root", store.RoleAdmin, 0, &ae.rootID},
		{"admin-1", store.RoleAdmin, c1.ID, &ae.admin1ID},
	} {
		e.signUp(u.login)
		*u.id = userID(t, st, u.login)
		if err := st.SetUserClinic(ctx, *u.id, u.clinic); err != nil {
			t.Fatal(err)
		}
		if err := st.SetRole(ctx, *u.id, u.role); err != nil {
			t.Fatal(err)
		}
	}
	ae.root, ae.admin1 = e.signIn("root", goodPW), e.signIn("admin-1", goodPW)
	return ae
}

func idPath(p string, id int64) string { return strings.ReplaceAll(p, "{id}", itoa64(id)) }

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// TestAdminUsersPage: the list shows what the admin manages, filtered and
// searched; an admin of one clinic sees that clinic's users only, whatever
// the address asks, and no clinic choice; pages link to each other.
func TestAdminUsersPage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		ae := newAdminEnv(t, st)
		r := ae.root.get("/admin")
		want(t, "/admin", r, 303, adminUsersPath)
		r = ae.root.get(adminUsersPath)
		want(t, "the list", r, 200, "")
		contains(t, "the list", r.body, "<h1>Brugere</h1>", "5 brugere", ">Navn anna</a>", ">Navn bo</a>", "Klinik: Klinik To",
			`<option value="ingen">Ingen klinik</option>`, `aria-current="page">Administration</a>`, "Kode fra telefonen: sat op")
		r = ae.root.get(adminUsersPath + "?klinik=" + itoa64(ae.c2.ID))
		contains(t, "clinic 2", r.body, "1 bruger<", ">Navn bo</a>")
		lacks(t, "clinic 2", r.body, ">Navn anna</a>")
		r = ae.root.get(adminUsersPath + "?rolle=clinician&lang=en")
		contains(t, "clinicians, in English", r.body, "1 user<", ">Navn dorte</a>", `<option value="clinician" selected>Clinician</option>`)
		r = ae.root.get(adminUsersPath + "?q=ANN&lang=da")
		contains(t, "search", r.body, "1 bruger<", ">Navn anna</a>", `value="ANN"`)
		// Clinic 1's admin: clinic 1 only, even when asked for clinic 2.
		r = ae.admin1.get(adminUsersPath + "?klinik=" + itoa64(ae.c2.ID))
		want(t, "clinic 1's admin", r, 200, "")
		contains(t, "clinic 1's admin", r.body, "3 brugere", ">Navn anna</a>", ">Navn dorte</a>")
		lacks(t, "clinic 1's admin", r.body, ">Navn bo</a>", ">Navn root</a>", `id="klinik"`)
		// Pages.
		for i := range clinic.UsersPerPage {
			if _, err := st.CreateUser(t.Context(), store.User{Login: "x" + itoa64(int64(i)), Role: store.RolePatient, ClinicID: ae.c2.ID}); err != nil {
				t.Fatal(err)
			}
		}
		r = ae.root.get(adminUsersPath + "?klinik=" + itoa64(ae.c2.ID))
		contains(t, "page 1", r.body, "26 brugere · Side 1 af 2", `rel="next"`, "side=2")
		lacks(t, "page 1", r.body, `rel="prev"`)
		r = ae.root.get(adminUsersPath + "?klinik=" + itoa64(ae.c2.ID) + "&side=2")
		contains(t, "page 2", r.body, "Side 2 af 2", `rel="prev"`)
	})
}

// TestAdminUserActions: disabling (after ticking) ends the user's
// sessions and enabling lets them in again; a second factor reset makes a
// clinician enrol again; a reset code is shown once and works once on
// /konto/nulstil; moving a patient logs the change on their "who has
// looked" page; clinic 1's admin cannot reach clinic 2's users (404) and
// changes nothing of theirs.
func TestAdminUserActions(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		ae := newAdminEnv(t, st)
		e, ctx := ae.e, t.Context()
		annaC := e.signIn("anna", goodPW)
		page := idPath(adminUsersPath+"/{id}", ae.anna)

		// Disable: only when ticked; not oneself.
		r := ae.root.post(page + "/spaer")
		want(t, "disable unticked", r, 422, "")
		contains(t, "disable unticked", r.body, "Sæt kryds, hvis du vil spærre kontoen.", `href="#bekraeft"`)
		want(t, "disable", ae.root.post(page+"/spaer", "bekraeft", "ja"), 303, page)
		contains(t, "after disabling", ae.root.get(page).body, "Kontoen er spærret, og brugeren er logget ud.", "Åbn kontoen igen")
		want(t, "anna's session ended", annaC.get("/i-dag"), 303, "/konto/log-ind?naeste=%2Fi-dag")
		want(t, "anna cannot sign in", e.client().post("/konto/log-ind", "login", "anna", "password", goodPW), 403, "")
		want(t, "enable", ae.root.post(page+"/aabn"), 303, page)
		e.signIn("anna", goodPW)
		r = ae.root.post(idPath(adminUsersPath+"/{id}/spaer", ae.rootID), "bekraeft", "ja")
		want(t, "disabling oneself", r, 422, "")
		contains(t, "disabling oneself", r.body, "Du kan ikke spærre din egen konto.")

		// The second factor: dorte enrols again.
		e.signIn("dorte", goodPW)
		dpage := idPath(adminUsersPath+"/{id}", ae.dorte)
		contains(t, "dorte's page", ae.root.get(dpage).body, "Nulstil koden fra telefonen")
		want(t, "reset the second factor", ae.root.post(dpage+"/telefonkode"), 303, dpage)
		want(t, "dorte enrols again", e.client().post("/konto/log-ind", "login", "dorte", "password", goodPW), 303, enrolPath)

		// A one-time code: shown once, used once.
		r = ae.root.post(page + "/engangskode")
		want(t, "a reset code", r, 200, "")
		m := regexp.MustCompile(`<p class="code"><code>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})</code></p>`).FindStringSubmatch(r.body)
		if m == nil {
			t.Fatalf("no code shown:\n%s", r.body)
		}
		contains(t, "a reset code", r.body, "Koden vises kun nu.", `href="/konto/nulstil"`)
		lacks(t, "the page again", ae.root.get(page).body, m[1])
		anon := e.client()
		want(t, "the reset page", anon.get(resetPath), 200, "")
		r = anon.post(resetPath, "login", "anna", "kode", "AAAA-AAAA-AAAA", "password", "en helt ny kode", "password2", "en helt ny kode")
		want(t, "a wrong code", r, 422, "")
		contains(t, "a wrong code", r.body, "Koden passer ikke til brugernavnet.", `value="anna"`)
		lacks(t, "a wrong code", r.body, "en helt ny kode")
		r = anon.post(resetPath, "login", "anna", "kode", "hej", "password", "en helt ny kode", "password2", "en helt ny kode")
		contains(t, "not a code", r.body, "Det ligner ikke en engangskode.")
		r = anon.post(resetPath, "login", "anna", "kode", m[1], "password", "en helt ny kode", "password2", "en anden kode her")
		contains(t, "passwords differ", r.body, `id="password2-error"`)
		r = anon.post(resetPath, "login", "anna", "kode", strings.ToLower(m[1]), "password", "en helt ny kode", "password2", "en helt ny kode")
		want(t, "the right code", r, 303, "/konto/log-ind?nulstillet=1")
		contains(t, "signed-in page says so", anon.get("/konto/log-ind?nulstillet=1").body, "Din adgangskode er skiftet.")
		e.signIn("anna", "en helt ny kode")
		r = anon.post(resetPath, "login", "anna", "kode", m[1], "password", "endnu en ny kode", "password2", "endnu en ny kode")
		contains(t, "the code again", r.body, "Koden er allerede brugt.")
		// Expired: 24 hours.
		r = ae.root.post(page + "/engangskode")
		code := regexp.MustCompile(`<code>([0-9A-Z-]{14})</code>`).FindStringSubmatch(r.body)[1]
		e.clock.add(24 * time.Hour)
		r = anon.post(resetPath, "login", "anna", "kode", code, "password", "endnu en ny kode", "password2", "endnu en ny kode")
		contains(t, "expired", r.body, "Koden gælder ikke længere.")
		// Guessing is limited like sign-in.
		var last resp
		for range 6 {
			last = e.client().post(resetPath, "login", "anna", "kode", "BBBB-BBBB-BBBB", "password", "endnu en ny kode", "password2", "endnu en ny kode")
		}
		want(t, "guessing", last, 429, "")
		if last.header.Get("Retry-After") == "" {
			t.Error("no Retry-After")
		}
		e.clock.add(10 * time.Minute) // the limit lifts

		// Moving anna to clinic 2: logged, shown to her.
		r = ae.root.post(page+"/klinik", "klinik", "")
		want(t, "move nowhere", r, 422, "")
		contains(t, "move nowhere", r.body, "Vælg den klinik, patienten skal flyttes til.")
		want(t, "move", ae.root.post(page+"/klinik", "klinik", itoa64(ae.c2.ID)), 303, page)
		if u, _ := st.UserByID(ctx, ae.anna); u.ClinicID != ae.c2.ID {
			t.Errorf("anna in clinic %d", u.ClinicID)
		}
		looks := e.signIn("anna", "en helt ny kode").get("/mine-data/opslag").body
		contains(t, "anna's looks", looks, "Navn root (administrator) ændrede")
		lacks(t, "clinic 1's admin has no move form", ae.admin1.get(idPath(adminUsersPath+"/{id}", ae.dorte)).body, "Flyt patienten")

		// Clinic 1's admin and clinic 2's patient bo: not found, unchanged.
		before, _ := st.UserByID(ctx, ae.bo)
		bpage := idPath(adminUsersPath+"/{id}", ae.bo)
		want(t, "bo's page", ae.admin1.get(bpage), 404, "")
		for _, p := range []string{"/spaer", "/aabn", "/telefonkode", "/engangskode", "/klinik"} {
			r := ae.admin1.post(bpage+p, "bekraeft", "ja", "klinik", itoa64(ae.c1.ID))
			want(t, "clinic 1's admin: bo"+p, r, 404, "")
		}
		if after, _ := st.UserByID(ctx, ae.bo); after != before {
			t.Errorf("bo changed: %+v → %+v", before, after)
		}
		if log, _ := st.AccessLog(ctx, ae.bo, 10); len(log) != 0 {
			t.Errorf("bo's log: %+v", log)
		}
	})
}

// TestAdminClinic: an admin changes their clinic's details with an error
// beside every field that needs one; another clinic's page is not found;
// the access log comes as a named UTF-8 CSV file with a header row.
func TestAdminClinic(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		ae := newAdminEnv(t, st)
		ctx := t.Context()
		c1 := idPath(adminClinicsPath+"/{id}", ae.c1.ID)
		c2 := idPath(adminClinicsPath+"/{id}", ae.c2.ID)
		contains(t, "clinics", ae.root.get(adminClinicsPath).body, ">Klinik Et</a>", ">Klinik To</a>")
		r := ae.admin1.get(adminClinicsPath)
		contains(t, "clinic 1's clinics", r.body, ">Klinik Et</a>")
		lacks(t, "clinic 1's clinics", r.body, "Klinik To")
		want(t, "clinic 2 for clinic 1's admin", ae.admin1.get(c2), 404, "")
		want(t, "saving clinic 2 for clinic 1's admin", ae.admin1.post(c2, "name", "Overtaget", "inactive-days", "7"), 404, "")
		if c, _ := st.Clinic(ctx, ae.c2.ID); c.Name != "Klinik To" {
			t.Errorf("clinic 2 renamed %q", c.Name)
		}
		r = ae.admin1.get(c1)
		want(t, "clinic 1", r, 200, "")
		contains(t, "clinic 1", r.body, `value="Klinik Et"`, `name="signup" value="open" checked`, `value="7"`, `type="date"`)
		r = ae.admin1.post(c1, "name", "", "phone", "12", "email", "nej", "region", "mars", "signup", "alle", "inactive-days", "nul")
		want(t, "bad details", r, 422, "")
		contains(t, "bad details", r.body, "Skriv klinikkens navn.", "Skriv et dansk telefonnummer", "Skriv en e-mailadresse",
			"Vælg en af regionerne.", "Vælg, hvem der kan oprette en patientkonto.", "Skriv et helt antal dage fra 1 til 365.",
			`href="#name"`, `href="#inactive-days"`, `value="12"`, `value="nul"`)
		r = ae.admin1.post(c1, "name", "Klinik Et A/S", "address", "Gade 1\r\n2100 By", "phone", "33123456", "email", "et@example.dk",
			"hours", "Man–tor 8–16", "region", "hovedstaden", "signup", "invite", "inactive-days", "14")
		want(t, "good details", r, 303, c1)
		contains(t, "saved", ae.admin1.get(c1).body, "Klinikkens oplysninger er gemt.", `value="33 12 34 56"`)
		c, _ := st.Clinic(ctx, ae.c1.ID)
		if c.Name != "Klinik Et A/S" || c.Address != "Gade 1\n2100 By" || c.Signup != store.SignupInvite || c.InactiveDays != 14 || c.Region != "hovedstaden" || c.Slug != "een" {
			t.Errorf("saved %+v", c)
		}

		// The access log.
		day := ae.e.clock.now()
		if err := st.LogAccess(ctx, store.Access{At: day, ActorID: ae.dorte, Actor: "=Dorte", ActorRole: store.RoleClinician, ClinicID: ae.c1.ID,
			PatientID: ae.anna, Action: store.AccessView, What: "diary"}); err != nil {
			t.Fatal(err)
		}
		if err := st.LogAccess(ctx, store.Access{At: day, ActorID: 99, Actor: "Anden", ActorRole: store.RoleClinician, ClinicID: ae.c2.ID,
			PatientID: ae.bo, Action: store.AccessView, What: "diary"}); err != nil {
			t.Fatal(err)
		}
		today := day.In(care.Zone).Format(time.DateOnly)
		r = ae.admin1.get(c1 + "/opslag.csv?fra=" + today + "&til=" + today)
		want(t, "the log", r, 200, "")
		if ct := r.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		if cd := r.header.Get("Content-Disposition"); cd != `attachment; filename="stenose-opslag-een-`+today+"-"+today+`.csv"` {
			t.Errorf("Content-Disposition %q", cd)
		}
		lines := strings.Split(r.body, "\r\n")
		if lines[0] != "\ufefftidspunkt;hvem;hvem (id);rolle;handling;hvad;patient (id)" || len(lines) != 3 {
			t.Fatalf("the file:\n%q", r.body)
		}
		if !strings.Contains(lines[1], ";'=Dorte;"+itoa64(ae.dorte)+";behandler;så;dagbog;"+itoa64(ae.anna)) {
			t.Errorf("row %q", lines[1])
		}
		r = ae.admin1.get(c1 + "/opslag.csv?fra=i+morgen&til=" + today)
		want(t, "a bad date", r, 422, "")
		contains(t, "a bad date", r.body, "Skriv en dato, fx 1.3.2026.", `href="#fra"`)
		want(t, "clinic 2's log for clinic 1's admin", ae.admin1.get(c2+"/opslag.csv?fra="+today+"&til="+today), 404, "")
	})
}
