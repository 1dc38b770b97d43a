package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestDiaryFormBackInBrowser: the diary form's client id in Chromium's own
// history. After an entry is saved, the back button shows the form again
// (from the back/forward cache, or fetched anew with the fields the browser
// restores): saving it again as it is must not store the entry twice when
// the form kept its id, and another entry written on it must be stored —
// a form shown again never drops what the patient wrote.
func TestDiaryFormBackInBrowser(t *testing.T) {
	b := startBrowser(t)
	s := startAccountAppMarch(t)
	tb := b.tabFor(t, 2*time.Minute)
	signUpIn(t, tb, s.URL, "/konto/opret", "erik")

	formID := func() string {
		return eval[string](t, tb, `(document.querySelector('input[name="client_id"]') || {}).value || ""`)
	}
	entries := func() []string {
		return eval[[]string](t, tb, `fetch("/mine-data/eksport.json").then((r) => r.json()).then((x) => x.diary.map((e) => e.note + " " + (e.clientId || "")))`)
	}
	// mark notes, on the form's page, whether it is later shown again from
	// the back/forward cache (the same window, its pageshow persisted).
	mark := func() {
		eval[bool](t, tb, `(addEventListener("pageshow", (e) => { window.restored = e.persisted; }), true)`)
	}
	var bfcache bool
	back := func() {
		t.Helper()
		// history.back(), not chromedp.NavigateBack: a page restored from
		// the back/forward cache fires no load event for it to wait on.
		if _, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`history.back(), true`)); err != nil {
			t.Fatalf("back: %v", err)
		}
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			loc, err := chromedp.Run(tb.ctx, chromedp.Location())
			if err == nil && strings.HasSuffix(loc, "/dagbog/ny") {
				if ok, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`document.readyState === "complete" && !!document.querySelector("main form")`)); err == nil && ok {
					break
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("back does not reach the form (at %s, %v)", loc, err)
			}
		}
		bfcache = eval[bool](t, tb, `window.restored === true`)
	}

	if _, err := tb.navigate(s.URL + "/dagbog/ny"); err != nil {
		t.Fatal(err)
	}
	first := formID()
	if len(first) != 22 {
		t.Fatalf("the form's client id %q", first)
	}
	mark()
	if path, _ := fillEntry(t, tb, "2026-03-02T18:05", "6", "3", "Første", nil); path != "/dagbog?gemt=ny" {
		t.Fatalf("saving: %s", path)
	}

	// Back, and saved again as it was.
	back()
	again := formID()
	t.Logf("the form shown again by the back button (from the back/forward cache: %v) carries %s id", bfcache, map[bool]string{true: "the same", false: "a new"}[again == first])
	if path, _ := fillEntry(t, tb, "2026-03-02T18:05", "6", "3", "Første", nil); path != "/dagbog?gemt=ny" {
		t.Fatalf("saving again: %s", path)
	}
	want := 1 // the same form: stored once
	if again != first {
		want = 2 // a new form: a new entry
	}
	if es := entries(); len(es) != want {
		t.Errorf("after saving the form again: %q, want %d entries", es, want)
	}

	// Back, and another entry written on the form.
	back()
	if path, _ := fillEntry(t, tb, "2026-03-02T19:30", "2", "1", "Anden", nil); path != "/dagbog?gemt=ny" {
		t.Fatalf("saving another entry: %s", path)
	}
	es := entries()
	if len(es) != want+1 || !strings.HasPrefix(es[len(es)-1], "Anden ") {
		t.Errorf("after another entry on the form shown again: %q, want %d entries, the last Anden", es, want+1)
	}
}
