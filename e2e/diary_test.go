package e2e

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// checkDiaryPage is checkAccountPage for the diary and my-data pages: a
// form answered with 4xx on purpose is logged as a failed load there too.
func checkDiaryPage(t *testing.T, tb *tab, s *testSite, axeSource, what string) {
	t.Helper()
	checkAppPage(t, tb, s, axeSource, what, "/konto", "/dagbog", "/mine-data")
}

// fillEntry fills the diary form and saves it. The date and the note are
// set by script (a datetime-local input takes no typed text reliably);
// the rest is done by keyboard, as a patient without a mouse does it: Tab
// from the date into the legs' tap scale, arrow keys to the value (leg ""
// leaves the scale as it is), Tab to the back's scale and the arrows
// again, Tab through the symptom boxes (space ticks or unticks one), Tab
// past the note to the save button, Enter.
func fillEntry(t *testing.T, tb *tab, at, leg, back, note string, checks map[string]bool) (path, h1 string) {
	t.Helper()
	if _, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`(() => { const f = (id, v) => { document.getElementById(id).value = v; };
f("at", `+jsq(at)+`); f("note", `+jsq(note)+`); document.getElementById("at").focus(); return true; })()`)); err != nil {
		t.Fatalf("filling the diary form: %v", err)
	}
	focused := func() string {
		return eval[string](t, tb, `(() => { const e = document.activeElement; return (e.name || e.id || e.tagName) + (e.type === "radio" ? "=" + e.value : ""); })()`)
	}
	// The date field's parts take Tabs of their own: Tab until the scale.
	for i := 0; !strings.HasPrefix(focused(), "leg="); i++ {
		if i == 8 {
			t.Fatalf("Tab from the date never reached the legs' scale: at %s", focused())
		}
		key(t, tb, kb.Tab)
	}
	for _, sc := range []struct{ name, value string }{{"leg", leg}, {"back", back}} {
		if sc.name == "back" {
			key(t, tb, kb.Tab)
		}
		now, ok := strings.CutPrefix(focused(), sc.name+"=")
		if !ok {
			t.Fatalf("Tab to the %s scale: at %s", sc.name, focused())
		}
		if sc.value == "" {
			continue
		}
		from, _ := strconv.Atoi(now)
		to, _ := strconv.Atoi(sc.value)
		for ; from < to; from++ {
			key(t, tb, kb.ArrowRight)
		}
		for ; from > to; from-- {
			key(t, tb, kb.ArrowLeft)
		}
		key(t, tb, " ") // checks the focused button if the arrows did not (the value the Tab landed on)
		if got := eval[string](t, tb, `(document.querySelector('input[name="`+sc.name+`"]:checked') || {}).value || ""`); got != sc.value {
			t.Fatalf("%s scale: %q checked by keyboard, want %q", sc.name, got, sc.value)
		}
	}
	for _, c := range []string{"tingling", "burning", "weakness"} {
		key(t, tb, kb.Tab)
		if f := focused(); f != c {
			t.Fatalf("Tab to the %s box: at %s", c, f)
		}
		if eval[bool](t, tb, `document.activeElement.checked`) != checks[c] {
			key(t, tb, " ")
		}
	}
	key(t, tb, kb.Tab)
	key(t, tb, kb.Tab)
	if f := eval[string](t, tb, `document.activeElement.textContent`); f != "Gem noten" && f != "Save the note" {
		t.Fatalf("Tab to the save button: at %q", f)
	}
	if _, err := chromedp.RunResponse(tb.ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatalf("saving by Enter: %v", err)
	}
	if err := chromedp.Do(tb.ctx, chromedp.WaitReady(chromedp.CSS("h1"))); err != nil {
		t.Fatalf("after saving: %v", err)
	}
	u, _ := url.Parse(locationOf(t, tb))
	return u.RequestURI(), strings.TrimSpace(textOf(t, tb, "h1"))
}

func jsq(s string) string {
	return "`" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "`", "\\`") + "`"
}

// clickThrough clicks sel and waits for the page it leads to.
func clickThrough(t *testing.T, tb *tab, sel string) (path, h1 string) {
	t.Helper()
	if _, err := chromedp.RunResponse(tb.ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		t.Fatalf("clicking %s: %v", sel, err)
	}
	if err := chromedp.Do(tb.ctx, chromedp.WaitReady(chromedp.CSS("h1"))); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(locationOf(t, tb))
	return u.RequestURI(), strings.TrimSpace(textOf(t, tb, "h1"))
}

// TestDiaryInBrowser: sign up, write a diary entry (first with a mistake),
// see it in the list, edit it, delete it; a session kept in the browser is
// sent to the account exactly once; the my-data page. axe-core on each.
func TestDiaryInBrowser(t *testing.T) {
	axeSource := loadAxe(t)
	b := startBrowser(t)
	s := startAccountAppMarch(t)
	tb := b.tabFor(t, 3*time.Minute)

	signUpIn(t, tb, s.URL, "/konto/opret", "dorte")

	if _, err := tb.navigate(s.URL + "/dagbog"); err != nil {
		t.Fatal(err)
	}
	if h1 := textOf(t, tb, "h1"); h1 != "Min dagbog" {
		t.Fatalf("/dagbog: %q", h1)
	}
	checkDiaryPage(t, tb, s, axeSource, "empty diary")

	path, h1 := clickThrough(t, tb, `a[href="/dagbog/ny"]`)
	if path != "/dagbog/ny" || h1 != "Ny dagbogsnote" {
		t.Fatalf("new entry: %s %q", path, h1)
	}
	checkDiaryPage(t, tb, s, axeSource, "new entry form")

	// The legs' scale left unanswered: the error summary at the top has
	// the focus, its link leads to the scale, and what was given is kept.
	path, _ = fillEntry(t, tb, "2026-03-02T18:05", "", "3", "Gik <b>20</b> minutter", map[string]bool{"tingling": true})
	if path != "/dagbog" || !strings.Contains(textOf(t, tb, "#leg-error"), "0 til 10") {
		t.Fatalf("bad entry: %s", path)
	}
	if f := eval[string](t, tb, `document.activeElement.className`); f != "error-summary" {
		t.Errorf("after an error the focus is on %q, not the error summary", f)
	}
	if got := eval[string](t, tb, `[...document.querySelectorAll(".error-summary a")].map((a) => a.getAttribute("href") + " " + document.querySelector(a.getAttribute("href")).type).join()`); got != "#leg radio" {
		t.Errorf("the summary's links: %q", got)
	}
	if note, _ := chromedp.Run(tb.ctx, chromedp.Value(chromedp.CSS("#note"))); note != "Gik <b>20</b> minutter" {
		t.Errorf("the note was not kept: %q", note)
	}
	if kept := eval[string](t, tb, `[...document.querySelectorAll("input:checked")].map((i) => i.name + "=" + i.value).join()`); kept != "back=3,tingling=1" {
		t.Errorf("kept after the error: %q", kept)
	}
	checkDiaryPage(t, tb, s, axeSource, "new entry with errors")
	// Every radio button and check box, and the links in the form, are
	// 44 × 44 px or more to tap (checkAppPage), and the note is the
	// form's width in the body's font.
	if n := eval[int](t, tb, `document.querySelectorAll("main form input[type=radio], main form input[type=checkbox]").length`); n != 25 {
		t.Errorf("%d radio buttons and check boxes, want 2 × 11 + 3", n)
	}
	if got := eval[string](t, tb, `(() => { const n = getComputedStyle(document.getElementById("note")), b = getComputedStyle(document.body);
		return (n.fontSize === b.fontSize) + " " + (n.fontFamily === b.fontFamily) + " " + (document.getElementById("note").offsetWidth >= document.querySelector("main form").clientWidth - 24); })()`); got != "true true true" {
		t.Errorf("the note field (font size, font, full width): %s", got)
	}

	path, h1 = fillEntry(t, tb, "2026-03-02T18:05", "6", "3", "Gik <b>20</b> minutter", map[string]bool{"tingling": true})
	if path != "/dagbog?gemt=ny" || h1 != "Min dagbog" {
		t.Fatalf("after saving: %s %q", path, h1)
	}
	list := textOf(t, tb, "main")
	for _, want := range []string{"Din note er gemt.", "2. marts 2026 kl. 18.05", "6 af 10", "3 af 10", "Gik <b>20</b> minutter"} {
		if !strings.Contains(list, want) {
			t.Errorf("the list lacks %q:\n%s", want, list)
		}
	}
	checkDiaryPage(t, tb, s, axeSource, "diary with an entry")

	path, h1 = clickThrough(t, tb, `a[href$="/rediger"]`)
	if !strings.HasSuffix(path, "/rediger") || h1 != "Ret dagbogsnote" {
		t.Fatalf("edit: %s %q", path, h1)
	}
	checkDiaryPage(t, tb, s, axeSource, "edit form")
	path, _ = fillEntry(t, tb, "2026-03-02T19:30", "2", "1", "Bedre i dag", map[string]bool{"weakness": true})
	if path != "/dagbog?gemt=rettet" {
		t.Fatalf("after editing: %s", path)
	}
	list = textOf(t, tb, "main")
	if !strings.Contains(list, "Din note er rettet.") || !strings.Contains(list, "kl. 19.30") || !strings.Contains(list, "Bedre i dag") || strings.Contains(list, "Gik") {
		t.Errorf("after editing the list shows:\n%s", list)
	}

	clickThrough(t, tb, `a[href$="/rediger"]`)
	path, _ = clickThrough(t, tb, "#slet")
	if path != "/dagbog?gemt=slettet" {
		t.Fatalf("after deleting: %s", path)
	}
	list = textOf(t, tb, "main")
	if !strings.Contains(list, "Noten er slettet.") || !strings.Contains(list, "ikke skrevet noget") {
		t.Errorf("after deleting the list shows:\n%s", list)
	}

	// A session finished in this browser (an old record without a
	// clientId) is sent once the diary page loads, and only once.
	eval[bool](t, tb, `localStorage.setItem("stenose.sessions", JSON.stringify([{programme: "5-bedste-oevelser",
		startedAt: "2026-03-02T08:00:00.000Z", endedAt: "2026-03-02T08:20:00.000Z",
		steps: [{exercise: "kattestraek", status: "done", symptoms: false}], symptoms: 0}])) === undefined`)
	for range 2 {
		if _, err := tb.navigate(s.URL + "/dagbog"); err != nil {
			t.Fatal(err)
		}
		synced := eval[bool](t, tb, `new Promise((resolve) => { const end = Date.now() + 10000; (function poll() {
			const r = JSON.parse(localStorage.getItem("stenose.sessions"))[0];
			if (r.synced) return resolve(true);
			if (Date.now() > end) return resolve(false);
			setTimeout(poll, 50); })(); })`)
		if !synced {
			t.Fatal("the session was not marked as sent")
		}
	}
	n := eval[int](t, tb, `fetch("/mine-data/eksport.json").then((r) => r.json()).then((x) => x.trainingSessions.length)`)
	if n != 1 {
		t.Errorf("%d sessions on the server, want 1", n)
	}
	// The browser's account is the diary's opaque owner tag (sync_owner_test.go).
	ownerTag := eval[string](t, tb, `document.getElementById("stenose-sync").dataset.owner || ""`)
	if flag := eval[string](t, tb, `localStorage.getItem("stenose.account") || ""`); flag == "" || flag != ownerTag {
		t.Errorf("stenose.account = %q, want the diary's owner tag %q", flag, ownerTag)
	}

	if _, err := tb.navigate(s.URL + "/mine-data"); err != nil {
		t.Fatal(err)
	}
	checkDiaryPage(t, tb, s, axeSource, "my data")
	path, _ = submit(t, tb, [][2]string{{"#confirm", "nogen-anden"}})
	if path != "/mine-data/slet" || !strings.Contains(textOf(t, tb, "#confirm-error"), "ikke dit brugernavn") {
		t.Fatalf("wrong confirmation: %s", path)
	}
	checkDiaryPage(t, tb, s, axeSource, "my data with an error")
	path, h1 = submit(t, tb, [][2]string{{"#confirm", "dorte"}})
	if h1 != "Farvel" {
		t.Fatalf("after deleting the account: %s %q", path, h1)
	}
	checkDiaryPage(t, tb, s, axeSource, "goodbye")

	// Signed out: a waiting record is kept, not marked, and the browser
	// stops trying until a diary page is seen again.
	kept := eval[string](t, tb, `(async () => {
		localStorage.setItem("stenose.account", `+jsq(ownerTag)+`);
		localStorage.setItem("stenose.walks", JSON.stringify([{startedAt: "2026-03-03T10:00:00.000Z", endedAt: "2026-03-03T10:10:00.000Z", bouts: []}]));
		localStorage.setItem("stenose.sessions", "[]");
		const m = await import("/dagbog/sync.js");
		const n = await m.syncAll();
		const w = JSON.parse(localStorage.getItem("stenose.walks"))[0];
		return n + " " + !!w.synced + " " + !!w.clientId + " " + localStorage.getItem("stenose.account");
	})()`)
	if kept != "0 false true null" {
		t.Errorf("sync when signed out: %q, want 0 sent, kept unsynced with a clientId, flag cleared", kept)
	}
	if _, err := tb.navigate(s.URL + "/dagbog"); err != nil {
		t.Fatal(err)
	}
	if loc := locationOf(t, tb); !strings.Contains(loc, "/konto/log-ind") {
		t.Errorf("/dagbog after deleting the account: %s", loc)
	}
}

// TestDiaryValidHTML runs the diary and my-data pages, and their error
// states, through the Nu HTML Checker.
func TestDiaryValidHTML(t *testing.T) {
	requireJava(t)
	requireNodeFile(t, vnuPath)
	s := startAccountAppMarch(t)
	fetch := htmlFetcher(t, s)
	pw := "gå en tur hver dag"
	fetch("POST", "/konto/opret", url.Values{"login": {"dorte"}, "password": {pw}, "password2": {pw}})
	entry := url.Values{"at": {"2026-03-02T18:05"}, "leg": {"6"}, "back": {"3"}, "tingling": {"1"}, "note": {"Gik <b>20</b> minutter\nog hvilede"}}
	pages := []namedHTML{
		{"diary-empty", fetch("GET", "/dagbog", nil)},
		{"diary-new", fetch("GET", "/dagbog/ny", nil)},
		{"diary-errors", fetch("POST", "/dagbog", url.Values{"at": {"x"}, "leg": {"11"}, "note": {strings.Repeat("x", 2001)}})},
		{"diary-list", fetch("POST", "/dagbog", entry)},
		{"diary-edit", fetch("GET", "/dagbog/1/rediger", nil)},
		{"diary-edit-errors", fetch("POST", "/dagbog/1", url.Values{"leg": {"x"}})},
		{"diary-date-unread", fetch("POST", "/dagbog", url.Values{"at": {"14/3/2026 kl"}, "leg": {"4"}, "back": {"2"}})},
		{"diary-date-later-today", fetch("POST", "/dagbog", url.Values{"at": {"i dag kl. 23.30"}, "leg": {"4"}})},
		{"diary-date-tomorrow", fetch("POST", "/dagbog", url.Values{"at": {"6.3.2026 kl. 9.00"}, "leg": {"4"}, "back": {"2"}})},
		{"diary-oversized", fetch("POST", "/dagbog", url.Values{"at": {"2.3.2026 kl. 18.05"}, "leg": {"6"}, "back": {"3"}, "note": {strings.Repeat("æ", 12000)}})},
		{"diary-404", fetch("GET", "/dagbog/999/rediger", nil)},
		{"mydata", fetch("GET", "/mine-data", nil)},
		{"mydata-error", fetch("POST", "/mine-data/slet", url.Values{"confirm": {""}})},
		{"goodbye", fetch("POST", "/mine-data/slet", url.Values{"confirm": {"dorte"}})},
	}
	if !strings.Contains(string(pages[3].body), "6 af 10") || !strings.Contains(string(pages[4].body), "Ret dagbogsnote") ||
		!strings.Contains(string(pages[6].body), `type="text"`) || !strings.Contains(string(pages[8].body), "ikke kommet endnu") ||
		!strings.Contains(string(pages[9].body), "højst 2.000 tegn") || !strings.Contains(string(pages[13].body), "Farvel") {
		t.Fatalf("the pages are not what the test means to check")
	}
	validateHTML(t, pages)
}
