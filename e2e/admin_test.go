package e2e

// The admin's pages and the public reset page in the browser (issue 13:
// every new page axe 0 and Nu 0, in Danish and English, at 360 and 1280
// px), and the list of users used by keyboard alone.

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/clinic"
	"github.com/stenose/stenose/internal/store"
)

// adminSite is an app with two clinics, two patients of clinic 1 and one
// of clinic 2, and makeAdmin, which makes an admin of the whole install.
func adminSite(t *testing.T) (*testSite, store.Clinic, int64, func(login string)) {
	t.Helper()
	s := startAccountApp(t)
	pw := "gå en tur hver dag"
	ctx := t.Context()
	svc := clinic.New(s.st, nil, nil)
	c1, err := svc.Add(ctx, store.Clinic{Slug: "een", Name: "Klinik Et", Phone: "33123456", Signup: store.SignupOpen})
	if err != nil {
		t.Fatal(err)
	}
	c2, err := svc.Add(ctx, store.Clinic{Slug: "to", Name: "Klinik To", Signup: store.SignupOpen})
	if err != nil {
		t.Fatal(err)
	}
	var patient int64
	for i, p := range []struct {
		login, name string
		clinic      int64
	}{{"anna", "Anna Ærø", c1.ID}, {"bo", "Bo Hansen", c1.ID}, {"cai", "Cai Jensen", c2.ID}} {
		u, err := s.st.CreateUser(ctx, store.User{Login: p.login, Name: p.name, Role: store.RolePatient, ClinicID: p.clinic, PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			patient = u.ID
		}
	}
	makeAdmin := func(login string) {
		t.Helper()
		fetch := htmlFetcher(t, s)
		fetch("POST", "/konto/opret", url.Values{"login": {login}, "name": {"Admin " + login}, "password": {pw}, "password2": {pw}}, nil)
		u, err := s.st.UserByLogin(ctx, login)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.st.SetRole(ctx, u.ID, store.RoleAdmin); err != nil {
			t.Fatal(err)
		}
	}
	return s, c1, patient, makeAdmin
}

var secretRE = regexp.MustCompile(`[A-Z2-7]{4}(?: [A-Z2-7]{1,4})+`)

func TestAdminPages(t *testing.T) {
	axeSource := loadAxe(t)
	b := startBrowser(t)
	s, c1, anna, makeAdmin := adminSite(t)
	pw := "gå en tur hver dag"
	for _, row := range []struct {
		lang, h1Users, h1Reset string
		width                  int64
	}{
		{"da", "Brugere", "Ny adgangskode", 360},
		{"da", "Brugere", "Ny adgangskode", 1280},
		{"en", "Users", "New password", 360},
		{"en", "Users", "New password", 1280},
	} {
		t.Run(row.lang+"-"+strconv.FormatInt(row.width, 10), func(t *testing.T) {
			login := "admin-" + row.lang + "-" + strconv.FormatInt(row.width, 10)
			makeAdmin(login)
			tb := b.phoneTab(t, 3*time.Minute, row.width, 800)
			check := func(what string) {
				t.Helper()
				if lang := eval[string](t, tb, `document.documentElement.lang`); lang != row.lang {
					t.Errorf("%s: <html lang=%q>", what, lang)
				}
				checkAppPage(t, tb, s, axeSource, what, "/admin", "/konto")
			}
			open := func(path string) {
				t.Helper()
				if _, err := tb.navigate(s.URL + path); err != nil {
					t.Fatal(err)
				}
			}
			// Signed out: the reset page, and its errors.
			open("/konto/nulstil?lang=" + row.lang)
			check("reset page")
			if path, h1 := submit(t, tb, [][2]string{{"#login", "anna"}, {"#kode", "hej"}, {"#password", "kort"}}); path != "/konto/nulstil" || h1 != row.h1Reset {
				t.Fatalf("reset with mistakes: %s %q", path, h1)
			}
			check("reset page with mistakes")

			// Sign in with the second factor, enrolled now.
			signInEnrolling(t, tb, s.URL, row.lang, login, pw)

			// The list, by keyboard alone: the menu's Administration, the
			// search, and a user's page.
			open("/konto")
			path, h1 := tabAndEnter(t, tb, "the menu's Administration", `e.matches('nav a[href="/admin/brugere"]')`)
			if path != "/admin/brugere" || h1 != row.h1Users {
				t.Fatalf("Administration led to %s %q", path, h1)
			}
			check("users")
			tabTo(t, tb, "the search field", `e.id === "q"`)
			key(t, tb, "a")
			key(t, tb, "n")
			key(t, tb, "n")
			path, _ = tabAndEnter(t, tb, "the Show button", `e.matches('form.filter button')`)
			if !strings.Contains(path, "q=ann") {
				t.Fatalf("the search went to %s", path)
			}
			if n := eval[int](t, tb, `document.querySelectorAll('ul.users li').length`); n != 1 {
				t.Errorf("%d users found by »ann«", n)
			}
			check("users, searched")
			path, h1 = tabAndEnter(t, tb, "Anna's link", `e.matches('ul.users a')`)
			if path != "/admin/brugere/"+strconv.FormatInt(anna, 10) || h1 != "Anna Ærø" {
				t.Fatalf("the user's link led to %s %q", path, h1)
			}
			check("a user")
			submitWith(t, tb, `#nulstil`, nil)
			if c := textOf(t, tb, ".code-shown code"); !regexp.MustCompile(`^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$`).MatchString(c) {
				t.Errorf("the one-time code shown: %q", c)
			}
			check("a user with a new one-time code")
			submitWith(t, tb, `form[action$="/spaer"] button`, nil)
			check("a user, disabling not ticked")

			// The clinic: its details, with mistakes; the log's dates.
			open("/admin/klinikker")
			check("clinics")
			open("/admin/klinikker/" + strconv.FormatInt(c1.ID, 10))
			check("a clinic")
			submitWith(t, tb, `main form[method="post"] button[type="submit"]`, [][2]string{{"#name", " "}, {"#phone", "12"}, {"#inactive-days", "nul"}})
			if n := eval[int](t, tb, `document.querySelectorAll('.error-summary li').length`); n != 3 {
				t.Errorf("%d errors in the summary, want 3", n)
			}
			check("a clinic with mistakes")
			open("/admin/klinikker/" + strconv.FormatInt(c1.ID, 10) + "/opslag.csv?fra=nej&til=nej")
			check("a clinic, the log's dates wrong")
			open("/konto")
			signOutHere(t, tb)
		})
	}
}

// TestAdminValidHTML: the Nu HTML Checker on the admin's pages and the
// reset page as served, in Danish and English.
func TestAdminValidHTML(t *testing.T) {
	requireJava(t)
	requireNodeFile(t, vnuPath)
	s, c1, anna, makeAdmin := adminSite(t)
	makeAdmin("root")
	fetch := htmlFetcher(t, s)
	pw := "gå en tur hver dag"
	enrol := fetch("POST", "/konto/log-ind", url.Values{"login": {"root"}, "password": {pw}}, nil)
	fetch("POST", "/konto/kode/ny", url.Values{"kode": {enrolCode(t, enrol)}}, nil)
	user := "/admin/brugere/" + strconv.FormatInt(anna, 10)
	cl := "/admin/klinikker/" + strconv.FormatInt(c1.ID, 10)
	var pages []namedHTML
	for _, l := range []string{"da", "en"} {
		pages = append(pages,
			namedHTML{"users-" + l, fetch("GET", "/admin/brugere?lang="+l, nil, nil)},
			namedHTML{"users-filtered-" + l, fetch("GET", "/admin/brugere?klinik="+strconv.FormatInt(c1.ID, 10)+"&rolle=patient&q=a", nil, nil)},
			namedHTML{"user-" + l, fetch("GET", user, nil, nil)},
			namedHTML{"user-code-" + l, fetch("POST", user+"/engangskode", url.Values{}, nil)},
			namedHTML{"user-unticked-" + l, fetch("POST", user+"/spaer", url.Values{}, nil)},
			namedHTML{"user-move-none-" + l, fetch("POST", user+"/klinik", url.Values{"klinik": {""}}, nil)},
			namedHTML{"clinics-" + l, fetch("GET", "/admin/klinikker", nil, nil)},
			namedHTML{"clinic-" + l, fetch("GET", cl, nil, nil)},
			namedHTML{"clinic-errors-" + l, fetch("POST", cl, url.Values{"name": {""}, "phone": {"1"}, "email": {"x"}, "region": {"x"}, "signup": {"x"}, "inactive-days": {"x"}}, nil)},
			namedHTML{"clinic-log-dates-" + l, fetch("GET", cl+"/opslag.csv?fra=x&til=y", nil, nil)},
			namedHTML{"reset-" + l, fetch("GET", "/konto/nulstil", nil, nil)},
			namedHTML{"reset-errors-" + l, fetch("POST", "/konto/nulstil", url.Values{"login": {""}, "kode": {"x"}, "password": {"kort"}}, nil)},
		)
	}
	validateHTML(t, pages)
}
