package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// A record as the player keeps it in localStorage ("stenose.sessions"),
// with a known clientId and no owner.
const ownerRecordJS = `{clientId: %q, programme: "5-bedste-oevelser", startedAt: %q, endedAt: %q,
	steps: [{exercise: "kattestraek", status: "done", symptoms: false}], symptoms: 0}`

func ownerRecord(id string, day int) string {
	start := time.Date(2026, 3, day, 8, 0, 0, 0, time.UTC)
	return fmt.Sprintf(ownerRecordJS, id, start.Format(time.RFC3339), start.Add(20*time.Minute).Format(time.RFC3339))
}

// addRecord appends a record to "stenose.sessions", as player.js saves one.
func addRecord(t *testing.T, tb *tab, rec string) {
	t.Helper()
	eval[bool](t, tb, `(() => { const l = JSON.parse(localStorage.getItem("stenose.sessions") || "[]");
		l.push(`+rec+`); localStorage.setItem("stenose.sessions", JSON.stringify(l)); return true; })()`)
}

// kept describes the browser's records: clientId → owner tag and state.
type keptRecord struct {
	Owner  string `json:"owner"`
	Synced bool   `json:"synced"`
}

func keptRecords(t *testing.T, tb *tab) map[string]keptRecord {
	t.Helper()
	return eval[map[string]keptRecord](t, tb, `Object.fromEntries(JSON.parse(localStorage.getItem("stenose.sessions") || "[]")
		.map((r) => [r.clientId, {owner: r.owner || "", synced: !!r.synced}]))`)
}

func accountFlag(t *testing.T, tb *tab) string {
	t.Helper()
	return eval[string](t, tb, `localStorage.getItem("stenose.account") || ""`)
}

// exportedSessions lists the clientIds of the signed-in user's sessions on
// the server, sorted.
func exportedSessions(t *testing.T, tb *tab) []string {
	t.Helper()
	ids := eval[[]string](t, tb, `fetch("/mine-data/eksport.json").then((r) => r.json()).then((x) => [
		...x.trainingSessions.map((s) => s.clientId), ...(x.walks || []).map((w) => "walk:" + w.clientId)])`)
	slices.Sort(ids)
	return ids
}

// openDiary loads /dagbog and waits until sync.js has finished sending,
// returning the page's owner tag.
func openDiary(t *testing.T, tb *tab, base string) string {
	t.Helper()
	if _, err := tb.navigate(base + "/dagbog"); err != nil {
		t.Fatal(err)
	}
	if h1 := textOf(t, tb, "h1"); h1 != "Min dagbog" {
		t.Fatalf("/dagbog: %q", h1)
	}
	owner := eval[string](t, tb, `document.getElementById("stenose-sync").dataset.owner || ""`)
	// The page's own run is under way: syncAll joins it (or finds nothing).
	eval[int](t, tb, `import("/dagbog/sync.js").then((m) => m.syncAll())`)
	return owner
}

// signOutByForm signs out with /konto's button, as a patient would, and
// waits for the sign-in page it lands on to have cleared the browser's
// account.
func signOutByForm(t *testing.T, tb *tab, base string) {
	t.Helper()
	if _, err := tb.navigate(base + "/konto"); err != nil {
		t.Fatal(err)
	}
	if p, _ := signOutHere(t, tb); !strings.HasPrefix(p, "/konto/log-ind") {
		t.Fatalf("after signing out: %s", p)
	}
	cleared := eval[bool](t, tb, `new Promise((resolve) => { const end = Date.now() + 10000; (function poll() {
		if (!localStorage.getItem("stenose.account")) return resolve(true);
		if (Date.now() > end) return resolve(false);
		setTimeout(poll, 50); })(); })`)
	if !cleared {
		t.Errorf("after signing out stenose.account = %q, want none", accountFlag(t, tb))
	}
}

func setOffline(t *testing.T, tb *tab, offline bool) {
	t.Helper()
	if _, err := chromedp.Call(tb.ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: offline, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		t.Fatalf("offline=%v: %v", offline, err)
	}
	if on := eval[bool](t, tb, `navigator.onLine`); on == offline {
		t.Fatalf("navigator.onLine = %v after offline=%v", on, offline)
	}
}

// TestSyncOwnerInBrowser: two patients share one browser. A's sessions
// made offline are kept for A when A signs out and B signs in: B's account
// gets nothing of A's, and A's arrive, once, when A is back. A session made
// before anyone signed in goes to the first account.
func TestSyncOwnerInBrowser(t *testing.T) {
	b := startBrowser(t)
	s := startAccountAppMarch(t)
	tb := b.tabFor(t, 3*time.Minute)

	// Before any sign-in: a session in the player, anonymous.
	if _, err := tb.navigate(s.URL + "/konto/log-ind"); err != nil {
		t.Fatal(err)
	}
	addRecord(t, tb, ownerRecord("anon-1", 1))

	// A signs up and opens the diary: the anonymous session is A's.
	signUpIn(t, tb, s.URL, "/konto/opret", "anna")
	annaTag := openDiary(t, tb, s.URL)
	if annaTag == "" || strings.Contains(annaTag, "anna") {
		t.Fatalf("the diary's owner tag is %q", annaTag)
	}
	if f := accountFlag(t, tb); f != annaTag {
		t.Errorf("stenose.account = %q, want the diary's tag %q", f, annaTag)
	}
	if got := exportedSessions(t, tb); !slices.Equal(got, []string{"anon-1"}) {
		t.Errorf("A's sessions after the first diary visit: %q", got)
	}

	// Offline, A finishes two sessions: one saved with the player's call
	// to syncAll (the module was loaded while online), one whose call did
	// not get through. Then A signs out.
	if _, err := tb.navigate(s.URL + "/konto"); err != nil {
		t.Fatal(err)
	}
	eval[bool](t, tb, `import("/dagbog/sync.js").then(() => true)`)
	setOffline(t, tb, true)
	addRecord(t, tb, ownerRecord("anna-1", 2))
	if n := eval[int](t, tb, `import("/dagbog/sync.js").then((m) => m.syncAll())`); n != 0 {
		t.Errorf("syncAll offline sent %d", n)
	}
	addRecord(t, tb, ownerRecord("anna-2", 3))
	setOffline(t, tb, false)
	signOutByForm(t, tb, s.URL)
	kept := keptRecords(t, tb)
	for _, id := range []string{"anna-1", "anna-2"} {
		if r := kept[id]; r.Owner != annaTag || r.Synced {
			t.Errorf("after A signed out, %s is %+v; want A's, unsent", id, r)
		}
	}

	// B signs up on the same browser and opens the diary: nothing of A's.
	signUpIn(t, tb, s.URL, "/konto/opret", "bent")
	bentTag := openDiary(t, tb, s.URL)
	if bentTag == "" || bentTag == annaTag {
		t.Fatalf("B's tag %q (A's %q)", bentTag, annaTag)
	}
	if got := exportedSessions(t, tb); len(got) != 0 {
		t.Errorf("B's account got %q", got)
	}
	if list := textOf(t, tb, "main"); strings.Contains(list, "gemt på din konto") {
		t.Errorf("B's diary says something was saved:\n%s", list)
	}
	// A page that still believes A is signed in (stenose.account is A's)
	// tries to send A's records on B's session: the server refuses (409),
	// the records are kept, and the flag is dropped.
	got := eval[string](t, tb, `(async () => {
		localStorage.setItem("stenose.account", `+jsq(annaTag)+`);
		const n = await (await import("/dagbog/sync.js")).syncAll();
		return n + " " + (localStorage.getItem("stenose.account") || "none");
	})()`)
	if got != "0 none" {
		t.Errorf("stale flag on B's session: %q, want 0 sent and the flag dropped", got)
	}
	if got := exportedSessions(t, tb); len(got) != 0 {
		t.Errorf("B's account got %q after the stale page", got)
	}
	// B's own session made now is B's.
	addRecord(t, tb, ownerRecord("bent-1", 4))
	openDiary(t, tb, s.URL)
	if got := exportedSessions(t, tb); !slices.Equal(got, []string{"bent-1"}) {
		t.Errorf("B's sessions: %q, want only bent-1", got)
	}
	kept = keptRecords(t, tb)
	for id, want := range map[string]keptRecord{"anna-1": {annaTag, false}, "anna-2": {annaTag, false}, "bent-1": {bentTag, true}} {
		if kept[id] != want {
			t.Errorf("on B's diary %s is %+v, want %+v", id, kept[id], want)
		}
	}

	// B signs out, A signs in again: A's two sessions arrive, once.
	signOutByForm(t, tb, s.URL)
	signUpIn(t, tb, s.URL, "/konto/log-ind", "anna")
	for range 2 {
		if tag := openDiary(t, tb, s.URL); tag != annaTag {
			t.Fatalf("A's tag changed: %q, was %q", tag, annaTag)
		}
	}
	if got := exportedSessions(t, tb); !slices.Equal(got, []string{"anna-1", "anna-2", "anon-1"}) {
		t.Errorf("A's sessions: %q, want anna-1, anna-2, anon-1 once each", got)
	}
	kept = keptRecords(t, tb)
	for _, id := range []string{"anna-1", "anna-2", "anon-1", "bent-1"} {
		if !kept[id].Synced {
			t.Errorf("%s not marked sent: %+v", id, kept[id])
		}
	}
}
