package e2e

// The box "Forbliv logget ind på denne enhed" on the sign-in and sign-up
// forms, in Danish and English on a 360 px phone and a 1280 px screen:
// unticked at first, a tap anywhere on its line ticks it (the label holds
// the box: no script), the hint is the box's description, the form shown
// again after a wrong password keeps it ticked, and a ticked sign-in gets
// in; every page axe 0, tap targets ≥ 44 px, fits; and the Nu checker.

import (
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestStaySignedInBox(t *testing.T) {
	axeSource := loadAxe(t)
	b := startBrowser(t)
	s := startAccountApp(t)
	pw := "gå en tur hver dag"
	fetch := htmlFetcher(t, s)
	fetch("POST", "/konto/opret", url.Values{"login": {"anna"}, "password": {pw}, "password2": {pw}}, nil)
	fetch("POST", "/konto/log-ud", url.Values{}, nil)
	for _, row := range []struct {
		lang, label, hint string
		width             int64
	}{
		{"da", "Forbliv logget ind på denne enhed", "Kun på din egen telefon eller computer – ikke på en fælles computer.", 360},
		{"da", "Forbliv logget ind på denne enhed", "Kun på din egen telefon eller computer – ikke på en fælles computer.", 1280},
		{"en", "Stay signed in on this device", "Only on your own phone or computer – not on a shared one.", 360},
		{"en", "Stay signed in on this device", "Only on your own phone or computer – not on a shared one.", 1280},
	} {
		t.Run(row.lang+"-"+strconv.FormatInt(row.width, 10), func(t *testing.T) {
			tb := b.phoneTab(t, 2*time.Minute, row.width, 800)
			box := func(what string, wantTicked bool) {
				t.Helper()
				if lang := eval[string](t, tb, `document.documentElement.lang`); lang != row.lang {
					t.Errorf("%s: <html lang=%q>", what, lang)
				}
				type state struct {
					Tied, Ticked    bool
					Label, Hint     string
					Height, Width   float64
					DescribedByHint bool
				}
				st := eval[state](t, tb, `(() => {
					const i = document.querySelector('input#forbliv[type=checkbox]'), l = i && i.closest('label');
					if (!i || !l) return {};
					const r = l.getBoundingClientRect(), h = document.getElementById(i.getAttribute('aria-describedby'));
					return {Tied: l.control === i && l.htmlFor === 'forbliv', Ticked: i.checked, Label: l.textContent.trim(),
						Hint: h ? h.textContent.trim() : '', Height: r.height, Width: r.width, DescribedByHint: !!h};
				})()`)
				switch {
				case !st.Tied:
					t.Fatalf("%s: no box tied to its label", what)
				case st.Ticked != wantTicked:
					t.Errorf("%s: ticked %v, want %v", what, st.Ticked, wantTicked)
				}
				if st.Label != row.label || st.Hint != row.hint || !st.DescribedByHint {
					t.Errorf("%s: label %q, hint %q", what, st.Label, st.Hint)
				}
				if st.Height < 44 || st.Width < 44 {
					t.Errorf("%s: the box's line is %.0f × %.0f px, under 44", what, st.Width, st.Height)
				}
				checkAppPage(t, tb, s, axeSource, what, "/konto")
			}

			if _, err := tb.navigate(s.URL + "/konto/opret?lang=" + row.lang); err != nil {
				t.Fatal(err)
			}
			box("sign-up", false)
			if _, err := tb.navigate(s.URL + "/konto/log-ind?lang=" + row.lang); err != nil {
				t.Fatal(err)
			}
			box("sign-in", false)
			// A tap on the words ticks the box, and another unticks it.
			do(t, tb, "tapping the words", chromedp.Click(chromedp.CSS(`label[for="forbliv"]`)))
			if !eval[bool](t, tb, `document.getElementById('forbliv').checked`) {
				t.Fatal("a tap on the box's words did not tick it")
			}
			path, _ := submit(t, tb, [][2]string{{"#login", "anna"}, {"#password", "forkert kode"}})
			if path != "/konto/log-ind" {
				t.Fatalf("a wrong password went to %s", path)
			}
			box("sign-in, wrong password", true)
			path, _ = submit(t, tb, [][2]string{{"#login", "anna"}, {"#password", pw}})
			if path != "/start/roede-flag" && path != "/i-dag" {
				t.Fatalf("a ticked sign-in went to %s", path)
			}
			if _, err := tb.navigate(s.URL + "/konto"); err != nil {
				t.Fatal(err)
			}
			signOutHere(t, tb) // the next row signs in afresh
		})
	}

	requireJava(t)
	requireNodeFile(t, vnuPath)
	var pages []namedHTML
	for _, l := range []string{"da", "en"} {
		pages = append(pages,
			namedHTML{"sign-in-" + l, fetch("GET", "/konto/log-ind?lang="+l, nil)},
			namedHTML{"sign-in-ticked-wrong-" + l, fetch("POST", "/konto/log-ind", url.Values{"login": {"anna"}, "password": {"forkert"}, "forbliv": {"ja"}})},
			namedHTML{"sign-in-ticked-empty-" + l, fetch("POST", "/konto/log-ind", url.Values{"login": {""}, "password": {""}, "forbliv": {"ja"}})},
			namedHTML{"sign-up-" + l, fetch("GET", "/konto/opret?lang="+l, nil)},
			namedHTML{"sign-up-ticked-errors-" + l, fetch("POST", "/konto/opret", url.Values{"login": {"ø"}, "password": {"kort"}, "forbliv": {"ja"}})},
		)
	}
	validateHTML(t, pages)
}
