package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stenose/stenose/internal/calendar"
	"github.com/stenose/stenose/internal/clinic"
	"github.com/stenose/stenose/internal/store"
)

// testRoutes add one route per role rule to the real table, so that the
// middleware's enforcement of every rule is walked even before later parts
// add patient, clinician and admin pages.
func testRoutes() []route {
	h := func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "ok %s", userFrom(r.Context()).Login)
	}
	return []route{
		{pattern: "GET /test/patient", access: Patient, handler: h},
		{pattern: "POST /test/patient", access: Patient, handler: h},
		{pattern: "GET /test/clinician", access: Clinician, handler: h},
		{pattern: "POST /test/clinician", access: Clinician, handler: h},
		{pattern: "GET /test/admin", access: Admin, handler: h},
		{pattern: "POST /test/admin", access: Admin, handler: h},
		{pattern: "GET /test/signed-in", access: SignedIn, handler: h},
	}
}

// TestAuthorization walks every route of the table as anonymous, patient
// A, patient B, a clinician and an admin, each on a fresh sign-in, and
// checks the route's declared rule: allowed users get the page, anonymous
// users are sent to sign in, others get 403. It also checks that A and B
// see only their own account.
func TestAuthorization(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		e := newEnv(t, st, testRoutes())
		users := []struct {
			name, login string
			role        store.Role
		}{
			{"anonymous", "", ""},
			{"patient A", "patient-a", store.RolePatient},
			{"patient B", "patient-b", store.RolePatient},
			{"clinician", "klinik", store.RoleClinician},
			{"admin", "admin", store.RoleAdmin},
		}
		for _, u := range users[1:] {
			e.signUp(u.login)
			if u.role != store.RolePatient {
				usr, _ := st.UserByLogin(t.Context(), u.login)
				if err := st.SetRole(t.Context(), usr.ID, u.role); err != nil {
					t.Fatal(err)
				}
			}
		}
		// Patient A and the clinician in one clinic: a {pid} route names A.
		ua, _ := st.UserByLogin(t.Context(), "patient-a")
		kl, _ := st.UserByLogin(t.Context(), "klinik")
		cl, err := clinic.New(st, nil, nil).Add(t.Context(), store.Clinic{Slug: "klinik", Name: "Klinikken"})
		if err != nil {
			t.Fatal(err)
		}
		clinicID := cl.ID
		for _, id := range []int64{ua.ID, kl.ID} {
			if err := st.SetUserClinic(t.Context(), id, cl.ID); err != nil {
				t.Fatal(err)
			}
		}
		// Patient A's stored targets: no one else's request may change them.
		targetsA, err := st.SetTargets(t.Context(), store.Targets{UserID: ua.ID, WalkMinutes: 17, SetBy: store.SetByClinician}, 0)
		if err != nil {
			t.Fatal(err)
		}
		tested := 0
		for _, rt := range e.app.routes {
			method, pattern, _ := strings.Cut(rt.pattern, " ")
			for _, u := range users {
				// A diary route's {id} is a fresh entry of patient A's: A
				// reaches it, patient B gets 404 as for a missing one.
				path, entry := pattern, int64(0)
				switch {
				case strings.HasPrefix(pattern, adminUsersPath+"/{id}"): // the admin's own account
					admin, _ := st.UserByLogin(t.Context(), "admin")
					path = strings.ReplaceAll(pattern, "{id}", fmt.Sprint(admin.ID))
				case strings.HasPrefix(pattern, adminClinicsPath+"/{id}"):
					path = strings.ReplaceAll(pattern, "{id}", fmt.Sprint(clinicID))
				case strings.HasPrefix(pattern, "/dagbog/{id}"):
					ua, _ := st.UserByLogin(t.Context(), "patient-a")
					de, err := st.AddDiaryEntry(t.Context(), store.DiaryEntry{UserID: ua.ID, LegPain: 3, Note: "a's note"})
					if err != nil {
						t.Fatal(err)
					}
					entry = de.ID
					path = strings.ReplaceAll(pattern, "{id}", fmt.Sprint(entry))
				}
				path = strings.ReplaceAll(path, "{pid}", fmt.Sprint(ua.ID))
				if strings.Contains(pattern, "{feed}") { // patient A's calendar feed, by a link made now
					secret, err := e.app.care.RenewCalendar(t.Context(), &ua)
					if err == nil && secret == "" {
						secret, err = e.app.care.SaveCalendar(t.Context(), &ua, calendar.DefaultSettings(3))
					}
					if err != nil {
						t.Fatal(err)
					}
					path = strings.ReplaceAll(path, "{feed}", secret+".ics")
				}
				var c *client
				var user *store.User
				if u.login == "" {
					c = e.client()
				} else {
					c = e.signIn(u.login, goodPW)
					usr, err := st.UserByLogin(t.Context(), u.login)
					if err != nil {
						t.Fatal(err)
					}
					user = &usr
				}
				var r resp
				switch {
				case method == "POST" && pattern == acceptTargetsPath:
					// The form as A's page has it, with A's version.
					r = c.do("POST", path, url.Values{"raad": {"PROGRESS_TARGET_UP"}, "fra": {fmt.Sprint(targetsA.ID)}})
				case method == "POST":
					r = c.do("POST", path, url.Values{})
				default:
					r = c.get(path)
				}
				what := fmt.Sprintf("%s %s as %s (rule %s)", method, path, u.name, rt.access)
				if u.login != "patient-a" {
					if cur, err := st.CurrentTargets(t.Context(), ua.ID); err != nil || cur.ID != targetsA.ID || cur.WalkMinutes != 17 {
						t.Errorf("%s: patient A's targets changed: %+v %v", what, cur, err)
					}
					if strings.Contains(r.body, "17 minutter") {
						t.Errorf("%s: shows patient A's walking target", what)
					}
				}
				// The middleware's refusal for anonymous users (sign-out's own
				// redirect to /konto/log-ind?ud=1 is not one).
				toSignIn := r.status == http.StatusSeeOther &&
					(r.location() == "/konto/log-ind" || strings.HasPrefix(r.location(), "/konto/log-ind?naeste="))
				switch {
				case entry != 0 && u.login == "patient-b":
					if r.status != http.StatusNotFound {
						t.Errorf("%s: status %d, want 404 for patient A's entry", what, r.status)
					}
					ua, _ := st.UserByLogin(t.Context(), "patient-a")
					if de, err := st.DiaryEntry(t.Context(), entry, ua.ID); err != nil || de.Note != "a's note" || de.LegPain != 3 {
						t.Errorf("%s: patient A's entry changed: %+v %v", what, de, err)
					}
				case user != nil && user.Role == store.RoleClinician && (strings.Contains(pattern, "{aid}") || strings.Contains(pattern, "{iid}")):
					// No alert or invitation has the path's literal id: as
					// if missing (TestAuthorizationMatrix walks real ones).
					if r.status != http.StatusNotFound {
						t.Errorf("%s: status %d, want 404", what, r.status)
					}
				case rt.access.Allows(user):
					if r.status == http.StatusForbidden || toSignIn || r.status >= 500 || r.status == 404 {
						t.Errorf("%s: refused (%d %s)", what, r.status, r.location())
					}
				case user == nil:
					if !toSignIn {
						t.Errorf("%s: status %d %q, want a redirect to sign in", what, r.status, r.location())
					}
				default:
					if r.status != http.StatusForbidden {
						t.Errorf("%s: status %d, want 403", what, r.status)
					}
				}
				// No user ever sees another's login — but a clinician sees
				// their own clinic's patient A's.
				for _, other := range users[1:] {
					if u.role == store.RoleClinician && other.login == "patient-a" {
						continue
					}
					if other.login != u.login && strings.Contains(r.body, ">"+other.login+"<") || other.login != u.login && strings.Contains(r.body, "ok "+other.login) {
						t.Errorf("%s: shows %s's login", what, other.name)
					}
				}
				tested++
			}
		}
		if want := len(e.app.routes) * len(users); tested != want {
			t.Errorf("walked %d route×user pairs, want %d", tested, want)
		}
		// A and B on /konto: each sees only their own login.
		for _, pair := range [][2]string{{"patient-a", "patient-b"}, {"patient-b", "patient-a"}} {
			body := e.signIn(pair[0], goodPW).get("/konto").body
			if !strings.Contains(body, "<dd>"+pair[0]+"</dd>") || strings.Contains(body, pair[1]) {
				t.Errorf("/konto for %s shows the wrong account", pair[0])
			}
		}
	})
}
