package e2e

// The offline test: after one visit, the session player and walk mode work
// without network (static/sw.js).

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// neededJS lists the paths a page needs offline: itself, its scripts,
// stylesheets, icon and images, and the drawings of its session plan.
const neededJS = `(() => {
  const u = new Set([location.pathname]);
  for (const e of document.querySelectorAll('script[src], link[rel~=modulepreload], link[rel~=stylesheet], link[rel~=icon], img[src]')) u.add(new URL(e.src || e.href).pathname);
  const plan = document.getElementById('session-plan');
  if (plan) {
    const p = JSON.parse(plan.textContent);
    for (const s of [...p.steps, p.rest]) if (s && s.drawing) u.add(s.drawing);
  }
  return [...u];
})()`

// missingJS returns the paths of want that no cache of the page's origin
// holds.
const missingJS = `(async (want) => {
  const have = new Set();
  for (const k of await caches.keys()) for (const r of await (await caches.open(k)).keys()) have.add(new URL(r.url).pathname);
  return want.filter((p) => !have.has(p));
})(%s)`

// loadedJS lists the images of the page that did not load (or are not
// done yet).
const loadedJS = `[...document.images].filter((i) => i.offsetParent && !(i.complete && i.naturalWidth > 0)).map((i) => i.src)`

// visitOnline loads u, waits for the service worker to be active and for
// everything the page needs to be in its cache, then loads u again so the
// worker controls it.
func visitOnline(t *testing.T, tb *tab, u string) {
	t.Helper()
	if status, err := tb.navigate(u); err != nil || status != 200 {
		t.Fatalf("first visit to %s: status %d, %v", u, status, err)
	}
	if !eval[bool](t, tb, `navigator.serviceWorker.ready.then((r) => !!r.active)`) {
		t.Fatalf("%s: no active service worker", u)
	}
	want := eval[[]string](t, tb, neededJS)
	var missing []string
	for deadline := time.Now().Add(15 * time.Second); ; {
		missing = eval[[]string](t, tb, fmt.Sprintf(missingJS, jsonList(want)))
		if len(missing) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(missing) > 0 {
		t.Fatalf("%s: after a visit the service worker has not cached %q", u, missing)
	}
	if status, err := tb.navigate(u); err != nil || status != 200 {
		t.Fatalf("second visit to %s: status %d, %v", u, status, err)
	}
	if !eval[bool](t, tb, `!!navigator.serviceWorker.controller`) {
		t.Fatalf("%s: the service worker does not control the page after a reload", u)
	}
}

func jsonList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ",") + "]"
}

// waitImages waits (real time) until every visible image of the page has
// loaded, and fails naming the ones that did not.
func waitImages(t *testing.T, tb *tab, where string) {
	t.Helper()
	var bad []string
	for deadline := time.Now().Add(5 * time.Second); ; {
		bad = eval[[]string](t, tb, loadedJS)
		if len(bad) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(bad) > 0 {
		t.Errorf("%s: images did not load offline: %q", where, bad)
	}
}

// TestOfflineAfterOneVisit visits the player and the walk page once, then
// stops the server and takes the browser offline (with its HTTP cache
// cleared, so only the service worker can answer) and loads both pages
// again: they render, their scripts run, their styles apply and their
// drawings show.
func TestOfflineAfterOneVisit(t *testing.T) {
	b := startBrowser(t)
	app := startApp(t, playerPath, walkPath)
	tb := longTab(t, b, 2*time.Minute)

	visitOnline(t, tb, app.URL+playerPath)
	visitOnline(t, tb, app.URL+walkPath)
	checkClean(t, tb, app.URL)
	online := len(tb.consoleErrors())

	// Cut the network, every way there is.
	app.stop()
	offline := true
	if _, err := chromedp.Call(tb.ctx, network.ClearBrowserCache, struct{}{}); err != nil {
		t.Fatalf("clearing the HTTP cache: %v", err)
	}
	if _, err := chromedp.Call(tb.ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		t.Fatalf("going offline: %v", err)
	}
	if _, err := chromedp.Call(tb.ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		EmulateOfflineServiceWorker: &offline,
		MatchedNetworkConditions:    []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}},
	}); err != nil {
		t.Fatalf("going offline: %v", err)
	}
	if got := eval[string](t, tb, `fetch('/healthz?' + Math.random()).then(() => 'reached the server', () => 'offline')`); got != "offline" {
		t.Fatalf("the network is not cut: a fetch %s", got)
	}

	// The player: page, style, script, drawings; it starts.
	if status, err := tb.navigate(app.URL + playerPath); err != nil || status != 200 {
		t.Fatalf("offline: the player page: status %d, %v", status, err)
	}
	if !eval[bool](t, tb, `!document.getElementById('player').hidden && !!document.querySelector('#player .pl-start')`) {
		t.Fatal("offline: the player did not start up (is player.js cached?)")
	}
	if h := eval[string](t, tb, `getComputedStyle(document.querySelector('#player .pl-start')).minHeight`); h != "64px" {
		t.Errorf("offline: player.css is not applied (the Start button's min-height is %q)", h)
	}
	waitImages(t, tb, "the player page")
	do(t, tb, "starting the session offline", chromedp.Click(chromedp.CSS("#player .pl-start")), chromedp.WaitVisible(chromedp.CSS("#player .pl-pause")))
	waitImages(t, tb, "the running player")

	// Walk mode.
	if status, err := tb.navigate(app.URL + walkPath); err != nil || status != 200 {
		t.Fatalf("offline: the walk page: status %d, %v", status, err)
	}
	if !eval[bool](t, tb, `!document.getElementById('walk').hidden && !!document.querySelector('#walk .pl-start')`) {
		t.Fatal("offline: walk mode did not start up (is walk.js cached?)")
	}
	waitImages(t, tb, "the walk page")
	do(t, tb, "starting a walk offline", chromedp.Click(chromedp.CSS("#walk .pl-start")), chromedp.WaitVisible(chromedp.CSS("#walk .wk-main")))

	// Offline, only failed network requests may be logged.
	for _, e := range tb.consoleErrors()[online:] {
		if strings.Contains(e.Text, "ERR_INTERNET_DISCONNECTED") || strings.Contains(e.Text, "ERR_CONNECTION_REFUSED") {
			t.Logf("offline, as expected: %s", e)
			continue
		}
		t.Errorf("offline: %s", e)
	}
	if bad := tb.foreignRequests(app.URL); len(bad) > 0 {
		t.Errorf("request(s) left the site:\n  %s", strings.Join(bad, "\n  "))
	}
}
