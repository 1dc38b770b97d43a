package e2e

// The programme per patient (issue 13) in the browser: the clinician's
// editor (as it opens, with mistakes, after a change) and the patient's
// own programme page, player, handout and walk mode, in Danish and
// English, on a 360 px phone and a 1280 px screen — axe 0, fits, the
// page's language — and every one through the Nu checker.

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/store"
)

// programmeSetup is a clinic with patient anna in it; clinician makes a
// clinician of the clinic from a fresh account.
type programmeSetup struct {
	s      *testSite
	clinic store.Clinic
	pid    int64
}

const programmePW = "gå en tur hver dag"

func newProgrammeSetup(t *testing.T) programmeSetup {
	t.Helper()
	s := startAccountApp(t)
	c, err := s.st.CreateClinic(t.Context(), store.Clinic{Slug: "klinikken", Name: "Klinikken", Signup: store.SignupOpen})
	if err != nil {
		t.Fatal(err)
	}
	htmlFetcher(t, s)("POST", "/konto/opret", url.Values{"login": {"anna"}, "name": {"Anna Hansen"}, "password": {programmePW}, "password2": {programmePW}}, nil)
	u, err := s.st.UserByLogin(t.Context(), "anna")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.st.SetUserClinic(t.Context(), u.ID, c.ID); err != nil {
		t.Fatal(err)
	}
	return programmeSetup{s: s, clinic: c, pid: u.ID}
}

// clinician makes login a clinician of the clinic.
func (p programmeSetup) clinician(t *testing.T, login string) {
	t.Helper()
	u, err := p.s.st.UserByLogin(t.Context(), login)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.s.st.SetUserClinic(t.Context(), u.ID, p.clinic.ID); err != nil {
		t.Fatal(err)
	}
	if err := p.s.st.SetRole(t.Context(), u.ID, store.RoleClinician); err != nil {
		t.Fatal(err)
	}
}

func (p programmeSetup) editor() string { return fmt.Sprintf("/klinik/patienter/%d/program", p.pid) }

// myProgrammePages are the patient's own programme's pages.
var myProgrammePages = []string{"/mit-program", "/mit-program/traening", "/mit-program/udskrift", "/mit-program/gang"}

func TestProgrammePages(t *testing.T) {
	axeSource := loadAxe(t)
	b := startBrowser(t)
	p := newProgrammeSetup(t)
	s := p.s
	for _, row := range []struct {
		lang  string
		width int64
	}{{"da", 360}, {"da", 1280}, {"en", 360}, {"en", 1280}} {
		t.Run(row.lang+"-"+strconv.FormatInt(row.width, 10), func(t *testing.T) {
			tb := b.phoneTab(t, 2*time.Minute, row.width, 800)
			q := "?lang=" + row.lang
			login := "klinik-" + row.lang + "-" + strconv.FormatInt(row.width, 10)
			signUpIn(t, tb, s.URL, "/konto/opret", login)
			p.clinician(t, login)

			if _, err := tb.navigate(s.URL + p.editor() + q); err != nil {
				t.Fatal(err)
			}
			if lang := eval[string](t, tb, `document.documentElement.lang`); lang != row.lang {
				t.Errorf("<html lang=%q>", lang)
			}
			checkAppPage(t, tb, s, axeSource, "the programme editor")
			// With mistakes: a dose out of range, no reason.
			path, _ := submit(t, tb, [][2]string{{"#kattestraek-reps", "200"}, {"#gaa", "45"}})
			if !strings.HasPrefix(path, p.editor()) || eval[int](t, tb, `document.querySelectorAll(".error-summary li").length`) < 3 {
				t.Errorf("with mistakes: at %s, summary %d", path, eval[int](t, tb, `document.querySelectorAll(".error-summary li").length`))
			}
			checkAppPage(t, tb, s, axeSource, "the programme editor with mistakes", p.editor())
			reason := map[string]string{"da": "Færre gentagelser i starten.", "en": "Fewer repetitions to begin with."}[row.lang]
			path, _ = submit(t, tb, [][2]string{{"#kattestraek-reps", "6"}, {"#gaa", "8"}, {"#begrundelse", reason}})
			if path != p.editor() || !strings.Contains(textOf(t, tb, ".prog-versions"), reason) {
				t.Errorf("after a change: at %s", path)
			}
			checkAppPage(t, tb, s, axeSource, "the programme editor after a change", p.editor())
			if _, err := tb.navigate(s.URL + "/konto"); err != nil {
				t.Fatal(err)
			}
			signOutHere(t, tb)

			signUpIn(t, tb, s.URL, "/konto/log-ind", "anna")
			for _, page := range myProgrammePages {
				if _, err := tb.navigate(s.URL + page + q); err != nil {
					t.Fatal(err)
				}
				if lang := eval[string](t, tb, `document.documentElement.lang`); lang != row.lang {
					t.Errorf("%s: <html lang=%q>", page, lang)
				}
				// The patient's menu with the language switch, also where the
				// player's and walk mode's script put the menu in place.
				if !eval[bool](t, tb, `!!document.querySelector(".site-header .lang-switch button") && !!document.querySelector('.site-header a[href$="/i-dag"]')`) {
					t.Errorf("%s: the patient's menu or the language switch is missing", page)
				}
				if got := textOf(t, tb, ".changed"); !strings.Contains(got, reason) {
					t.Errorf("%s: the change's note %q", page, got)
				}
				checkAppPage(t, tb, s, axeSource, page, p.editor()) // the form answered 422 above, in this tab
			}
			if _, err := tb.navigate(s.URL + "/konto"); err != nil {
				t.Fatal(err)
			}
			signOutHere(t, tb)
		})
	}
}

// TestProgrammeValidHTML: the Nu HTML Checker on the editor (as it opens,
// with mistakes, after a change) and the patient's own programme pages, in
// both languages.
func TestProgrammeValidHTML(t *testing.T) {
	requireJava(t)
	requireNodeFile(t, vnuPath)
	p := newProgrammeSetup(t)
	s := p.s
	doc := htmlFetcher(t, s)
	doc("POST", "/konto/opret", url.Values{"login": {"dorte"}, "password": {programmePW}, "password2": {programmePW}}, nil)
	p.clinician(t, "dorte")
	form := url.Values{
		"fra": {"0"}, "med": {"kattestraek", "knae-til-bryst"}, "nr-kattestraek": {"1"}, "nr-knae-til-bryst": {"2"},
		"kattestraek-reps": {"8"}, "kattestraek-secondsPerRep": {"6"}, "kattestraek-sides": {"1"}, "kattestraek-sets": {"2"}, "kattestraek-rest": {"30"},
		"knae-til-bryst-seconds": {"20"}, "knae-til-bryst-reps": {"3"}, "knae-til-bryst-sides": {"2"}, "knae-til-bryst-sets": {"1"}, "knae-til-bryst-rest": {"10"},
		"gange": {"2"}, "gaa": {"8"}, "begrundelse": {"Færre øvelser i starten."},
	}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad["kattestraek-sides"], bad["gange"], bad["begrundelse"] = []string{"3"}, []string{"0"}, []string{""}
	var pages []namedHTML
	for _, q := range []string{"", "?lang=en"} {
		pages = append(pages, namedHTML{"editor" + q, doc("GET", p.editor()+q, nil)})
	}
	pages = append(pages, namedHTML{"editor-mistakes", doc("POST", p.editor(), bad)})
	doc("POST", p.editor(), form)
	pages = append(pages, namedHTML{"editor-changed", doc("GET", p.editor(), nil)})
	anna := htmlFetcher(t, s)
	anna("POST", "/konto/log-ind", url.Values{"login": {"anna"}, "password": {programmePW}}, nil)
	for _, q := range []string{"", "?lang=en"} {
		for _, page := range myProgrammePages {
			pages = append(pages, namedHTML{strings.ReplaceAll(strings.TrimPrefix(page, "/"), "/", "-") + q, anna("GET", page+q, nil)})
		}
	}
	validateHTML(t, pages)
}
