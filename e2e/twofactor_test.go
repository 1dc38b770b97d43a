package e2e

// The second step of a clinician's sign-in in the browser: enrolment by QR
// code, the recovery codes, and the code page, in Danish and English, on a
// 360 px phone and a 1280 px screen (issue 13: every new page axe 0 and Nu
// 0 at both widths, in both languages).

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/stenose/stenose/internal/store"
)

func TestSecondFactorPages(t *testing.T) {
	axeSource := loadAxe(t)
	b := startBrowser(t)
	s := startAccountApp(t)
	pw := "gå en tur hver dag"
	clinician := func(login string) {
		t.Helper()
		fetch := htmlFetcher(t, s)
		fetch("POST", "/konto/opret", url.Values{"login": {login}, "password": {pw}, "password2": {pw}}, nil)
		u, err := s.st.UserByLogin(t.Context(), login)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.st.SetRole(t.Context(), u.ID, store.RoleClinician); err != nil {
			t.Fatal(err)
		}
	}
	secretRE := regexp.MustCompile(`[A-Z2-7]{4}(?: [A-Z2-7]{1,4})+`)
	for _, row := range []struct {
		lang, query, h1Enrol, h1Code string
		width                        int64
	}{
		{"da", "", "Sæt kode fra telefonen op", "Kode fra din telefon", 360},
		{"da", "", "Sæt kode fra telefonen op", "Kode fra din telefon", 1280},
		{"en", "?lang=en", "Set up a code from your phone", "Code from your phone", 360},
		{"en", "?lang=en", "Set up a code from your phone", "Code from your phone", 1280},
	} {
		t.Run(row.lang+"-"+strconv.FormatInt(row.width, 10), func(t *testing.T) {
			login := "klinik-" + row.lang + "-" + map[int64]string{360: "phone", 1280: "screen"}[row.width]
			clinician(login)
			tb := b.phoneTab(t, 2*time.Minute, row.width, 800)
			check := func(what string) {
				t.Helper()
				if lang := eval[string](t, tb, `document.documentElement.lang`); lang != row.lang {
					t.Errorf("%s: <html lang=%q>", what, lang)
				}
				checkAppPage(t, tb, s, axeSource, what, "/konto")
			}
			if _, err := tb.navigate(s.URL + "/konto/log-ind" + row.query); err != nil {
				t.Fatal(err)
			}
			path, h1 := submit(t, tb, [][2]string{{"#login", login}, {"#password", pw}})
			if path != "/konto/kode/ny" || h1 != row.h1Enrol {
				t.Fatalf("after the password: %s %q", path, h1)
			}
			check("enrolment")
			if w := eval[float64](t, tb, `document.querySelector('figure.qr svg').getBoundingClientRect().width`); w < 150 {
				t.Errorf("the QR code is %.0f px wide: too small to scan", w)
			}
			path, _ = submit(t, tb, [][2]string{{"#kode", "000000"}})
			if path != "/konto/kode/ny" {
				t.Fatalf("a wrong first code went to %s", path)
			}
			check("enrolment, wrong code")
			secret := strings.ReplaceAll(secretRE.FindString(textOf(t, tb, ".secret")), " ", "")
			code, err := totp.GenerateCode(secret, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			submit(t, tb, [][2]string{{"#kode", code}})
			if n := eval[int](t, tb, `document.querySelectorAll('.recovery-codes li').length`); n != 10 {
				t.Fatalf("%d recovery codes shown", n)
			}
			check("recovery codes")
			// Signed in; out again, and the code page.
			if _, err := tb.navigate(s.URL + "/konto"); err != nil {
				t.Fatal(err)
			}
			signOutHere(t, tb)
			if _, err := tb.navigate(s.URL + "/konto/log-ind" + row.query); err != nil {
				t.Fatal(err)
			}
			path, h1 = submit(t, tb, [][2]string{{"#login", login}, {"#password", pw}})
			if path != "/konto/kode" || h1 != row.h1Code {
				t.Fatalf("second sign-in: %s %q", path, h1)
			}
			check("code page")
			submit(t, tb, [][2]string{{"#kode", "123456"}})
			check("code page, wrong code")
		})
	}
}

// TestSecondFactorValidHTML: the Nu HTML Checker on the second step's
// pages as served.
func TestSecondFactorValidHTML(t *testing.T) {
	requireJava(t)
	requireNodeFile(t, vnuPath)
	s := startAccountApp(t)
	fetch := htmlFetcher(t, s)
	pw := "gå en tur hver dag"
	fetch("POST", "/konto/opret", url.Values{"login": {"dorte"}, "password": {pw}, "password2": {pw}}, nil)
	u, _ := s.st.UserByLogin(t.Context(), "dorte")
	if err := s.st.SetRole(t.Context(), u.ID, store.RoleClinician); err != nil {
		t.Fatal(err)
	}
	fetch("POST", "/konto/log-ud", url.Values{}, nil)
	enrol := fetch("POST", "/konto/log-ind", url.Values{"login": {"dorte"}, "password": {pw}}, nil)
	code := enrolCode(t, enrol)
	pages := []namedHTML{
		{"enrolment", enrol},
		{"enrolment-wrong", fetch("POST", "/konto/kode/ny", url.Values{"kode": {"000000"}}, nil)},
		{"recovery-codes", fetch("POST", "/konto/kode/ny", url.Values{"kode": {code}}, nil)},
	}
	fetch("POST", "/konto/log-ud", url.Values{}, nil)
	pages = append(pages,
		namedHTML{"code", fetch("POST", "/konto/log-ind", url.Values{"login": {"dorte"}, "password": {pw}}, nil)},
		namedHTML{"code-wrong", fetch("POST", "/konto/kode", url.Values{"kode": {"123456"}}, nil)},
		namedHTML{"sign-in-again", fetch("GET", "/konto/log-ind?igen=1", nil, nil)},
	)
	validateHTML(t, pages)
}

// TestLooksPage: "who has looked at my data", with looks, in Danish and
// English at 360 and 1280 px: axe 0 and fits; and the Nu checker.
func TestLooksPage(t *testing.T) {
	requireJava(t)
	requireNodeFile(t, vnuPath)
	axeSource := loadAxe(t)
	b := startBrowser(t)
	s := startAccountApp(t)
	pw := "gå en tur hver dag"
	fetch := htmlFetcher(t, s)
	fetch("POST", "/konto/opret", url.Values{"login": {"anna"}, "password": {pw}, "password2": {pw}}, nil)
	u, err := s.st.UserByLogin(t.Context(), "anna")
	if err != nil {
		t.Fatal(err)
	}
	for i, what := range []string{"progress", "diary", "programme", "report"} {
		if err := s.st.LogAccess(t.Context(), store.Access{At: time.Now().Add(time.Duration(-i) * time.Hour), ActorID: 9, Actor: "Dorte Behandler",
			ActorRole: store.RoleClinician, PatientID: u.ID, Action: store.AccessView, What: what}); err != nil {
			t.Fatal(err)
		}
	}
	validateHTML(t, []namedHTML{{"looks", fetch("GET", "/mine-data/opslag", nil, nil)}, {"looks-en", fetch("GET", "/mine-data/opslag?lang=en", nil, nil)}})
	for _, row := range []struct {
		lang  string
		width int64
	}{{"da", 360}, {"da", 1280}, {"en", 360}, {"en", 1280}} {
		t.Run(row.lang+"-"+strconv.FormatInt(row.width, 10), func(t *testing.T) {
			tb := b.phoneTab(t, time.Minute, row.width, 800)
			if _, err := tb.navigate(s.URL + "/konto/log-ind?lang=" + row.lang); err != nil {
				t.Fatal(err)
			}
			submit(t, tb, [][2]string{{"#login", "anna"}, {"#password", pw}})
			if _, err := tb.navigate(s.URL + "/mine-data/opslag?lang=" + row.lang); err != nil {
				t.Fatal(err)
			}
			if n := eval[int](t, tb, `document.querySelectorAll('ol.looks li').length`); n != 4 {
				t.Errorf("%d looks shown", n)
			}
			if lang := eval[string](t, tb, `document.documentElement.lang`); lang != row.lang {
				t.Errorf("<html lang=%q>", lang)
			}
			checkAppPage(t, tb, s, axeSource, "who has looked at my data")
			if _, err := tb.navigate(s.URL + "/konto"); err != nil {
				t.Fatal(err)
			}
			signOutHere(t, tb) // the next row signs in afresh
		})
	}
}

// signInEnrolling signs login in on tb for the first time: the password,
// then the second factor enrolled from the page's key as an authenticator
// app would, then the recovery codes' page.
func signInEnrolling(t *testing.T, tb *tab, base, lang, login, pw string) {
	t.Helper()
	if _, err := tb.navigate(base + "/konto/log-ind?lang=" + lang); err != nil {
		t.Fatal(err)
	}
	if path, _ := submit(t, tb, [][2]string{{"#login", login}, {"#password", pw}}); path != "/konto/kode/ny" {
		t.Fatalf("after the password: %s", path)
	}
	code, err := totp.GenerateCode(strings.ReplaceAll(secretRE.FindString(textOf(t, tb, ".secret")), " ", ""), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	submit(t, tb, [][2]string{{"#kode", code}})
}

// enrolCode is the current code for the key on an enrolment page (HTML),
// as an authenticator app would make it.
func enrolCode(t *testing.T, enrol []byte) string {
	t.Helper()
	m := regexp.MustCompile(`<p class="secret"><code>([A-Z2-7 ]+)</code>`).FindSubmatch(enrol)
	if m == nil {
		t.Fatalf("no enrolment page:\n%.400s", enrol)
	}
	code, err := totp.GenerateCode(strings.ReplaceAll(string(m[1]), " ", ""), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return code
}
