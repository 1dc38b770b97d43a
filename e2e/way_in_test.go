package e2e

// One way in (issue 12, item 3): from the home page's buttons into the
// programme and the sign-up page; once signed up, the patient's menu on
// the app's pages and, by their scripts, in the player and walk mode,
// whose end screens lead back to today; signed out, the public menu again.

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// programmePath is the programme's page (the menu's "Træning").
const programmePath = "/program/5-bedste-oevelser"

// menuJS reads the main menu as "text → href", "*" marking the current
// page; the language switch (a button in the app) has no href.
const menuJS = `[...document.querySelectorAll('header nav li')].map((li) => {
  const a = li.querySelector('a, button');
  return a.textContent.trim() + (a.getAttribute('href') ? ' → ' + a.getAttribute('href') : '') + (a.getAttribute('aria-current') === 'page' ? ' *' : '');
})`

// visibleLink is the address of the visible link in sel whose text is
// text, "" when there is none.
func visibleLink(t *testing.T, tb *tab, sel, text string) string {
	t.Helper()
	return eval[string](t, tb, fmt.Sprintf(`(() => {
  const a = [...document.querySelectorAll(%q)].find((a) => a.textContent.trim() === %q && a.checkVisibility());
  return a ? a.getAttribute('href') : '';
})()`, sel+" a", text))
}

// TestWayInInBrowser: home → its first button → the programme; home → its
// second button → the sign-up page → signed up; the patient's menu in the
// app, in the player and in walk mode, each ending with "Tilbage til I
// dag"; after signing out the player has the public menu and no way back.
// axe-core on every page and end screen on the way.
func TestWayInInBrowser(t *testing.T) {
	axeSource := loadAxe(t)
	b := startBrowser(t)
	s := startAccountApp(t)
	tb := b.tabFor(t, 3*time.Minute)

	public := func(current string) []string {
		items := []string{"Forside → /", "Artikler → /blog/", "Øvelser → /oevelser/", "Træning → " + programmePath, "Log ind → /konto/log-ind"}
		for i, it := range items {
			if strings.HasPrefix(it, current+" ") {
				items[i] += " *"
			}
		}
		return items
	}
	patient := func(current string) []string {
		items := []string{"I dag → /i-dag", "Dagbog → /dagbog", "Fremskridt → /fremskridt", "Min konto → /konto"}
		for i, it := range items {
			if strings.HasPrefix(it, current+" ") {
				items[i] += " *"
			}
		}
		return items
	}
	// menuIs checks the menu's items before the language switch, which
	// ends every menu (a link on the public pages, a button in the app).
	menuIs := func(what string, want []string) {
		t.Helper()
		got := eval[[]string](t, tb, menuJS)
		if len(got) == 0 || !strings.HasPrefix(got[len(got)-1], "English") || !slices.Equal(got[:len(got)-1], want) {
			t.Errorf("%s: menu\n got %q\nwant %q and the language switch", what, got, want)
		}
	}

	// The home page: the way in in the menu, then the two buttons.
	if _, err := tb.navigate(s.URL + "/"); err != nil {
		t.Fatal(err)
	}
	checkAppPage(t, tb, s, axeSource, "home")
	menuIs("home", public("Forside"))
	buttons := eval[[]string](t, tb, `[...document.querySelectorAll('main a.button')].slice(0, 2).map((a) => a.textContent.trim() + ' → ' + a.getAttribute('href'))`)
	if want := []string{"Kom i gang med øvelserne → " + programmePath, "Opret en konto → /konto/opret"}; !slices.Equal(buttons, want) {
		t.Fatalf("the home page's buttons: %q, want %q", buttons, want)
	}

	// The first starts the programme.
	if path, h1 := clickThrough(t, tb, "main a.button"); path != programmePath || h1 != "5 bedste øvelser til spinalstenose" {
		t.Errorf("the first button led to %s %q", path, h1)
	}
	menuIs("programme", public("Træning"))
	checkAppPage(t, tb, s, axeSource, "programme")

	// The second signs up.
	if _, err := tb.navigate(s.URL + "/"); err != nil {
		t.Fatal(err)
	}
	if path, h1 := clickThrough(t, tb, "main a.button.secondary"); path != "/konto/opret" || h1 != "Opret konto" {
		t.Fatalf("the second button led to %s %q", path, h1)
	}
	menuIs("sign-up page", public("Log ind"))
	checkAccountPage(t, tb, s, axeSource, "sign-up page from the home page")
	pw := "gå en tur hver dag"
	if path, h1 := submit(t, tb, [][2]string{{"#login", "Ingrid"}, {"#password", pw}, {"#password2", pw}}); path != "/start/roede-flag" || h1 != "Tjek for faresignaler" {
		t.Fatalf("after signing up: %s %q", path, h1)
	}
	menuIs("onboarding", patient("I dag"))
	for path, current := range map[string]string{"/konto": "Min konto", "/dagbog": "Dagbog"} {
		if _, err := tb.navigate(s.URL + path); err != nil {
			t.Fatal(err)
		}
		menuIs(path, patient(current))
		checkAppPage(t, tb, s, axeSource, path+" with the patient's menu")
	}

	// The player, signed in: the patient's menu, and at the end the way
	// back to today (the exercises skipped: the end screen is the point).
	load(t, tb, s.URL+playerPath, "#player .pl-start")
	menuIs("player, signed in", patient(""))
	audit(t, tb, axeSource, "the player with the patient's menu")
	if got := visibleLink(t, tb, "#player", "Tilbage til I dag"); got != "" {
		t.Errorf("before the session the player already offers the way back (%s)", got)
	}
	click(t, tb, "#player .pl-start")
	for range 40 {
		if readPlayer(t, tb).Mode == "summary" {
			break
		}
		click(t, tb, "#player .pl-next")
	}
	if m := readPlayer(t, tb).Mode; m != "summary" {
		t.Fatalf("the player did not reach its end: %s", m)
	}
	if got := visibleLink(t, tb, "#player", "Tilbage til I dag"); got != "/i-dag" {
		t.Fatalf("the player's end screen: \"Tilbage til I dag\" → %q, want /i-dag", got)
	}
	audit(t, tb, axeSource, "the player's end screen, signed in")
	checkClean(t, tb, s.origin)
	path, _ := clickThrough(t, tb, `#player a[href="/i-dag"]`)
	if !strings.HasPrefix(path, "/i-dag") && !strings.HasPrefix(path, "/start") { // onboarding unfinished: today sends there
		t.Errorf("\"Tilbage til I dag\" led to %s", path)
	}
	menuIs("back from the player", patient("I dag"))

	// Walk mode, signed in.
	load(t, tb, s.URL+"/gang", "#walk .pl-start")
	menuIs("walk mode, signed in", patient(""))
	click(t, tb, "#walk .pl-start")
	click(t, tb, "#walk .wk-finish")
	if got := visibleLink(t, tb, "#walk", "Tilbage til I dag"); got != "/i-dag" {
		t.Errorf("walk mode's end screen: \"Tilbage til I dag\" → %q, want /i-dag", got)
	}
	audit(t, tb, axeSource, "walk mode's end screen, signed in")

	// In English: the English patient's menu, through /en/.
	load(t, tb, s.URL+"/en"+playerPath, "#player .pl-start")
	if got, want := eval[[]string](t, tb, menuJS), []string{"Today → /en/i-dag", "Diary → /en/dagbog", "Progress → /en/fremskridt", "My account → /en/konto", "Dansk → " + playerPath}; !slices.Equal(got, want) {
		t.Errorf("the English player, signed in: menu %q, want %q", got, want)
	}

	// Signed out: the public menu, and no way back at the end.
	signOutByForm(t, tb, s.URL)
	load(t, tb, s.URL+playerPath, "#player .pl-start")
	menuIs("player, signed out", public("Træning"))
	click(t, tb, "#player .pl-start")
	for range 40 {
		if readPlayer(t, tb).Mode == "summary" {
			break
		}
		click(t, tb, "#player .pl-next")
	}
	if got := visibleLink(t, tb, "#player", "Tilbage til I dag"); got != "" {
		t.Errorf("signed out, the player's end screen offers \"Tilbage til I dag\" → %s", got)
	}
	audit(t, tb, axeSource, "the player's end screen, signed out")
}
