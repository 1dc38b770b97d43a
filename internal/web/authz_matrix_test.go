package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stenose/stenose/internal/calendar"
	"github.com/stenose/stenose/internal/clinic"
	"github.com/stenose/stenose/internal/preview"
	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

// Who may use a route, written out by hand for every route of the live
// table: TestAuthorizationMatrix holds the table's rules against it, so a
// wrong rule in the table fails (TestAuthorization walks the table's own
// rules). A new route fails the test until it is added here.
const (
	everyone = "everyone"
	signedIn = "signed-in"
	patients = "patients"
	// clinicians: the role clinician; on a path naming a patient ({pid}),
	// an alert ({aid}) or an invitation ({iid}) of clinic 1, only clinic
	// 1's clinician — clinic 2's gets 404, as if it did not exist.
	clinicians = "clinicians"
	admins     = "admins" // an admin (of the whole install, in this test): clinicians and patients 403
	stateless  = "static" // a file: everyone, no session
	// secretLink: anyone who has the link, whose secret in the path is the
	// credential (patient A's calendar feed, {feed}): 200 for everyone,
	// no session, no cookie.
	secretLink = "secret link"
	// watchOnly: only with `serve --watch` (the live preview's script and
	// event stream): everyone, no session; without --watch the routes are
	// not in the table (TestPreviewRoutes: 404).
	watchOnly = "serve --watch only"
)

var matrix = map[string]string{
	"GET " + cssPath:                     stateless,
	"GET " + careCSSPath:                 stateless,
	"GET /readyz":                        stateless,
	"GET /dagbog/sync.js":                stateless,
	"GET /konto/opret":                   everyone,
	"POST /konto/opret":                  everyone,
	"GET /konto/log-ind":                 everyone,
	"POST /konto/log-ind":                everyone,
	"POST " + switchPath:                 everyone,
	"GET " + secondFactorPath:            everyone,
	"POST " + secondFactorPath:           everyone,
	"GET " + enrolPath:                   everyone,
	"POST " + enrolPath:                  everyone,
	"POST /konto/log-ud":                 signedIn,
	"GET /konto":                         signedIn,
	"GET /konto/adgangskode":             signedIn,
	"POST /konto/adgangskode":            signedIn,
	"GET /mine-data":                     signedIn,
	"GET /mine-data/eksport.json":        signedIn,
	"GET /mine-data/eksport.zip":         signedIn,
	"GET /mine-data/eksport.csv":         signedIn,
	"POST /mine-data/slet":               signedIn,
	"GET /mine-data/opslag":              signedIn,
	"POST /konto/klinik":                 patients,
	"POST /konto/klinik/afslut":          patients,
	"GET /start":                         patients,
	"GET /start/roede-flag":              patients,
	"POST /start/roede-flag":             patients,
	"GET /start/undersoegt":              patients,
	"POST /start/undersoegt":             patients,
	"GET /start/udgangspunkt":            patients,
	"POST /start/udgangspunkt":           patients,
	"GET " + psfsStartPath:               patients,
	"POST " + psfsStartPath:              patients,
	"GET " + psfsStatusPath:              patients,
	"POST " + psfsStatusPath:             patients,
	"GET /i-dag":                         patients,
	"GET /fremskridt":                    patients,
	"POST " + acceptTargetsPath:          patients,
	"GET /dagbog":                        patients,
	"GET /dagbog/ny":                     patients,
	"POST /dagbog":                       patients,
	"GET /dagbog/{id}/rediger":           patients,
	"POST /dagbog/{id}":                  patients,
	"POST /dagbog/{id}/slet":             patients,
	"POST /api/traening":                 patients,
	"POST /api/gang":                     patients,
	"GET /mit-program":                   patients,
	"GET /mit-program/traening":          patients,
	"GET /mit-program/udskrift":          patients,
	"GET /mit-program/gang":              patients,
	"GET " + calendarPath:                patients,
	"POST " + calendarPath:               patients,
	"POST " + calendarPath + "/nyt-link": patients,
	"POST " + calendarPath + "/sluk":     patients,
	"GET " + feedPath + "{feed}":         secretLink,

	"GET /klinik":                                 clinicians,
	"GET /klinik/patienter/{pid}":                 clinicians,
	"GET /klinik/patienter/{pid}/status":          clinicians,
	"POST /klinik/patienter/{pid}/kvitter":        clinicians,
	"POST /klinik/patienter/{pid}/noter":          clinicians,
	"POST /klinik/advarsler/{aid}/kvitter":        clinicians,
	"GET /klinik/invitationer":                    clinicians,
	"POST /klinik/invitationer":                   clinicians,
	"GET /klinik/invitationer/seddel":             clinicians,
	"POST /klinik/invitationer/{iid}/tilbagekald": clinicians,
	"GET /klinik/patienter/{pid}/program":         clinicians,
	"POST /klinik/patienter/{pid}/program":        clinicians,

	// A patient's record in FHIR (fhir.go).
	"GET /mine-data/eksport.fhir.json":              patients,
	"GET /klinik/patienter/{pid}/eksport.fhir.json": clinicians,

	"GET " + resetPath:                             everyone,
	"POST " + resetPath:                            everyone,
	"GET /admin":                                   admins,
	"GET " + adminUsersPath:                        admins,
	"GET " + adminUsersPath + "/{id}":              admins,
	"POST " + adminUsersPath + "/{id}/spaer":       admins,
	"POST " + adminUsersPath + "/{id}/aabn":        admins,
	"POST " + adminUsersPath + "/{id}/telefonkode": admins,
	"POST " + adminUsersPath + "/{id}/engangskode": admins,
	"POST " + adminUsersPath + "/{id}/klinik":      admins,
	"GET " + adminClinicsPath:                      admins,
	"GET " + adminClinicsPath + "/{id}":            admins,
	"POST " + adminClinicsPath + "/{id}":           admins,
	"GET " + adminClinicsPath + "/{id}/opslag.csv": admins,

	// The live preview (internal/preview), in the table only with --watch.
	"GET " + preview.ScriptPath: watchOnly,
	"GET " + preview.EventsPath: watchOnly,
}

// TestAuthorizationMatrix: anonymous, patients A and B (clinic 1), patient C
// (clinic 2), a clinician of each clinic and an admin, on every route and
// method of the live table: the cells the matrix allows answer, every
// other cell is refused (anonymous: to sign in; others: 403) and changes
// nothing any patient has stored (their account too: disabled, clinic,
// second factor); no one sees another patient's data.
func TestAuthorizationMatrix(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		e := newEnv(t, st, nil, withPreview(t)) // the whole table: the routes only --watch has too
		ctx := t.Context()
		svc := clinic.New(st, nil, nil)
		c1, c2 := twoOpenClinics(t, svc)
		type who struct {
			name, login string
			role        store.Role
			clinic      int64
		}
		users := []who{
			{"anonymous", "", "", 0},
			{"patient A", "patient-a", store.RolePatient, c1.ID},
			{"patient B", "patient-b", store.RolePatient, c1.ID},
			{"patient C", "patient-c", store.RolePatient, c2.ID},
			{"clinician 1", "klinik-1", store.RoleClinician, c1.ID},
			{"clinician 2", "klinik-2", store.RoleClinician, c2.ID},
			{"admin", "admin", store.RoleAdmin, 0},
		}
		for _, u := range users[1:] {
			e.signUp(u.login)
			id := userID(t, st, u.login)
			if err := st.SetUserClinic(ctx, id, u.clinic); err != nil {
				t.Fatal(err)
			}
			if u.role != store.RolePatient {
				if err := st.SetRole(ctx, id, u.role); err != nil {
					t.Fatal(err)
				}
			}
		}
		allowed := func(rule string, u who) bool {
			switch rule {
			case everyone, stateless, secretLink, watchOnly:
				return true
			case signedIn:
				return u.login != ""
			case patients:
				return u.role == store.RolePatient
			case clinicians:
				return u.role == store.RoleClinician
			case admins:
				return u.role == store.RoleAdmin
			}
			t.Fatalf("unknown rule %q", rule)
			return false
		}
		// What every patient has stored: a refused request changes none of it.
		stored := func() string {
			var b strings.Builder
			for _, u := range users[1:4] {
				x, err := st.ExportUser(ctx, userID(t, st, u.login))
				if err != nil {
					t.Fatal(err)
				}
				x.User.Lang = "" // a page in another language may keep the choice: not data
				j, _ := json.Marshal(x)
				b.Write(j)
				// The programme versions the clinic set (not in the export).
				pv, err := st.ProgrammeVersions(ctx, u.clinic, userID(t, st, u.login))
				if err != nil {
					t.Fatal(err)
				}
				j, _ = json.Marshal(pv)
				b.Write(j)
			}
			return b.String()
		}
		seen := map[string]bool{}
		for _, rt := range e.app.routes {
			if strings.HasPrefix(rt.pattern, "GET /test/") || strings.HasPrefix(rt.pattern, "POST /test/") {
				continue
			}
			rule, ok := matrix[rt.pattern]
			if !ok {
				t.Errorf("%s is in the route table but not in the matrix: write out who may use it", rt.pattern)
				continue
			}
			seen[rt.pattern] = true
			// The table's own rule must say the same as the matrix.
			for _, u := range users {
				var usr *store.User
				if u.login != "" {
					x, _ := st.UserByLogin(ctx, u.login)
					usr = &x
				}
				if got, want := rt.access.Allows(usr) || rt.stateless, allowed(rule, u); got != want {
					t.Errorf("%s as %s: the table's rule %s says %v, the matrix (%s) %v", rt.pattern, u.name, rt.access, got, rule, want)
				}
			}
			method, pattern, _ := strings.Cut(rt.pattern, " ")
			for _, u := range users {
				path := pattern
				a := userID(t, st, "patient-a")
				switch {
				case strings.HasPrefix(pattern, adminUsersPath+"/"): // patient A's account
					path = strings.ReplaceAll(pattern, "{id}", fmt.Sprint(a))
				case strings.HasPrefix(pattern, adminClinicsPath+"/"): // clinic 1
					path = strings.ReplaceAll(pattern, "{id}", fmt.Sprint(c1.ID))
				case strings.Contains(pattern, "{id}"):
					de, err := st.AddDiaryEntry(ctx, store.DiaryEntry{UserID: a, LegPain: 3, Note: "A's note"})
					if err != nil {
						t.Fatal(err)
					}
					path = strings.ReplaceAll(pattern, "{id}", fmt.Sprint(de.ID))
				}
				path = strings.ReplaceAll(path, "{pid}", fmt.Sprint(a))
				if strings.Contains(pattern, "{aid}") { // a new open alert of A's: a red flag
					if _, err := st.AddRedFlagCheckin(ctx, store.RedFlagCheckin{UserID: a, At: e.clock.now(), Answers: map[string]bool{rules.Flags[0].Key: true}, Urgent: true}); err != nil {
						t.Fatal(err)
					}
					as, err := st.PatientAlerts(ctx, c1.ID, a)
					if err != nil || len(as) == 0 || !as[0].Open() {
						t.Fatalf("no open alert of A's to try: %+v, %v", as, err)
					}
					path = strings.ReplaceAll(path, "{aid}", fmt.Sprint(as[0].ID))
				}
				if strings.Contains(pattern, "{feed}") { // patient A's calendar, with a link made now
					ua, err := st.UserByID(ctx, a)
					if err != nil {
						t.Fatal(err)
					}
					secret, err := e.app.care.RenewCalendar(ctx, &ua)
					if err == nil && secret == "" {
						secret, err = e.app.care.SaveCalendar(ctx, &ua, calendar.DefaultSettings(3))
					}
					if err != nil {
						t.Fatal(err)
					}
					path = strings.ReplaceAll(path, "{feed}", secret+".ics")
				}
				if strings.Contains(pattern, "{iid}") { // an open invitation of clinic 1
					inv, err := svc.Invite(ctx, c1.ID, 0, "Ny patient", "", 3)
					if err != nil {
						t.Fatal(err)
					}
					path = strings.ReplaceAll(path, "{iid}", fmt.Sprint(inv.ID))
				}
				c := e.client()
				if u.login != "" {
					c = e.signIn(u.login, goodPW)
				}
				before := stored()
				var r resp
				switch {
				case method == "POST" && rule == clinicians:
					// A valid change from A's current version: only the
					// access check can stop it.
					cur, err := st.CurrentProgramme(ctx, userID(t, st, "patient-a"))
					if err != nil && !errors.Is(err, store.ErrNotFound) {
						t.Fatal(err)
					}
					r = c.do("POST", path, url.Values{
						"fra": {fmt.Sprint(cur.ID)}, "med": {"kattestraek"}, "nr-kattestraek": {"1"},
						"kattestraek-reps": {"8"}, "kattestraek-secondsPerRep": {"6"}, "kattestraek-sides": {"1"},
						"kattestraek-sets": {"2"}, "kattestraek-rest": {"30"}, "gange": {"3"}, "gaa": {"10"},
						"begrundelse": {"Færre øvelser i starten."},
					})
				case method == "POST":
					r = c.do("POST", path, url.Values{})
				default:
					r = c.get(path)
				}
				what := fmt.Sprintf("%s %s as %s", method, path, u.name)
				if u.login != "patient-a" && strings.Contains(r.body, "A's note") { // allowed cells too
					t.Errorf("%s: shows patient A's diary", what)
				}
				toSignIn := r.status == http.StatusSeeOther && (r.location() == "/konto/log-ind" || strings.HasPrefix(r.location(), "/konto/log-ind?naeste="))
				diary := strings.HasPrefix(pattern, "/dagbog/{id}")
				ownEntry := diary && u.login == "patient-a"
				clinic1Thing := strings.Contains(pattern, "{pid}") || strings.Contains(pattern, "{aid}") || strings.Contains(pattern, "{iid}")
				switch {
				case rule == secretLink:
					if r.status != http.StatusOK || r.header.Get("Content-Type") != calendar.ContentType || len(r.header.Values("Set-Cookie")) > 0 {
						t.Errorf("%s: %d %q, cookies %v; want A's feed, and no cookie", what, r.status, r.header.Get("Content-Type"), r.header.Values("Set-Cookie"))
					}
					continue
				case clinic1Thing && u.role == store.RoleClinician && u.clinic != c1.ID:
					if r.status != http.StatusNotFound { // another clinic's patient, alert or invitation: as if missing
						t.Errorf("%s: %d, want 404", what, r.status)
					}
				case diary && u.role == store.RolePatient && !ownEntry:
					if r.status != http.StatusNotFound { // another patient's entry: as if missing
						t.Errorf("%s: %d, want 404", what, r.status)
					}
				case allowed(rule, u):
					if r.status == http.StatusForbidden || toSignIn || r.status >= 500 {
						t.Errorf("%s: refused (%d %s)", what, r.status, r.location())
					}
					continue
				case u.login == "":
					if !toSignIn {
						t.Errorf("%s: %d %q, want a redirect to sign in", what, r.status, r.location())
					}
				default:
					if r.status != http.StatusForbidden {
						t.Errorf("%s: %d, want 403", what, r.status)
					}
				}
				if after := stored(); after != before {
					t.Errorf("%s: refused, yet a patient's stored data changed", what)
				}
			}
		}
		for p := range matrix {
			if !seen[p] {
				t.Errorf("the matrix lists %s, which the route table does not have", p)
			}
		}
	})
}
