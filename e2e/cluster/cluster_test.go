package cluster

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/store/pgtest"
)

// cluster is two `stenose serve` instances on one fresh PostgreSQL schema
// with HAProxy in front.
type cluster struct {
	schema string
	s1, s2 *instance
	px     *proxy
}

// startCluster starts both instances at once on the empty schema (so they
// migrate it together, under the store's advisory lock), then the proxy.
func startCluster(t *testing.T) *cluster {
	t.Helper()
	haproxyBinary(t) // skip (or fail in CI) before building anything
	pgtest.Base(t)
	schema, dsn := database(t)
	pport := freePort(t)
	public := fmt.Sprintf("http://127.0.0.1:%d", pport)
	c := &cluster{schema: schema, s1: newInstance(t, "s1", dsn, public), s2: newInstance(t, "s2", dsn, public)}
	c.s1.start(t)
	c.s2.start(t)
	c.s1.waitReady(t)
	c.s2.waitReady(t)
	c.px = startProxy(t, pport, c.s1, c.s2)
	return c
}

// TestTwoInstances: two instances behind a round-robin proxy are one
// application to its users. Each step is done on one instance directly and
// checked on the other directly, so that which instance did what is known,
// and through the proxy, as users reach it.
func TestTwoInstances(t *testing.T) {
	began := time.Now()
	c := startCluster(t)
	t.Logf("two instances and the proxy ready in %s (the binary built in that time the first time)", time.Since(began).Round(time.Millisecond))
	s1, s2, px := c.s1.URL(), c.s2.URL(), c.px.URL()
	served := map[string]int{} // answers through the proxy, per instance

	t.Run("sign up on one, write through both, read back on both", func(t *testing.T) {
		anna := signUp(t, s1, "anna", "198.51.100.1")
		r := anna.get(s2, "/konto")
		want(t, "the account page on s2", r, http.StatusOK, "")
		if !strings.Contains(r.body, "<dd>anna</dd>") {
			t.Errorf("s2's account page does not name anna:\n%.600s", r.body)
		}
		// A diary entry through each instance and two through the proxy,
		// each by the diary's own form (the time and pain as a patient
		// would leave or choose them).
		var notes []string
		for i, base := range []string{s1, s2, px, px} {
			note := fmt.Sprintf("note%d", i)
			r := anna.submit(base, "/dagbog/ny", "/dagbog", "leg", "3", "back", "2", "note", note)
			if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/dagbog?") {
				t.Fatalf("diary entry %s on %s: status %d, Location %q; want 303 to the diary\n%.400s", note, base, r.status, r.location(), r.body)
			}
			if r.servedBy != "" {
				served[r.servedBy]++
			}
			notes = append(notes, note)
		}
		for _, base := range []string{s1, s2, px, px} {
			r := anna.get(base, "/dagbog")
			want(t, "the diary", r, http.StatusOK, "")
			for _, n := range notes {
				if !strings.Contains(r.body, n) {
					t.Errorf("the diary on %s (served by %q) lacks %s", base, r.servedBy, n)
				}
			}
			if r.servedBy != "" {
				served[r.servedBy]++
			}
		}
		// A walk sent to s1 and sent again to s2 (the phone lost s1's
		// answer) is stored once: s2 answers with s1's id.
		owner := ownerTag(t, anna, px)
		walk := walkJSON("walk-1", time.Now())
		first := postWalk(t, anna, s1, owner, walk)
		want(t, "a walk on s1", first, http.StatusCreated, "")
		again := postWalk(t, anna, s2, owner, walk)
		want(t, "the same walk again on s2", again, http.StatusOK, "")
		if a, b := walkID(t, first), walkID(t, again); a != b {
			t.Errorf("s2 answered the resent walk with id %d, s1 stored it as %d", b, a)
		}
	})

	t.Run("sign-out on one ends the session on the other", func(t *testing.T) {
		bo := signUp(t, px, "bo", "198.51.100.2")
		token := bo.session(px)
		want(t, "/konto on s2", bo.get(s2, "/konto"), http.StatusOK, "")
		r := bo.submit(s1, "/konto", "/konto/log-ud")
		want(t, "sign out on s1", r, http.StatusSeeOther, "/konto/log-ind?ud=1")
		// The old cookie, replayed to the other instance, is worth nothing.
		replay := newBrowser(t, "198.51.100.2")
		replay.jar.SetCookies(mustURL(t, s2), []*http.Cookie{{Name: "stenose_session", Value: token, Path: "/"}})
		want(t, "the signed-out session on s2", replay.get(s2, "/konto"), http.StatusSeeOther, "/konto/log-ind")
		want(t, "the signed-out session through the proxy", replay.get(px, "/konto"), http.StatusSeeOther, "/konto/log-ind")
	})

	t.Run("a password change on one ends the other sessions on the other", func(t *testing.T) {
		phone := signUp(t, px, "carl", "198.51.100.3")
		laptop := signIn(t, px, "carl", password, "198.51.100.4")
		want(t, "the laptop on s2", laptop.get(s2, "/konto"), http.StatusOK, "")
		const next = "en ny og lang kode"
		r := phone.submit(s1, "/konto/adgangskode", "/konto/adgangskode", "current", password, "password", next, "password2", next)
		want(t, "password change on s1", r, http.StatusSeeOther, "/konto")
		want(t, "the laptop's session on s2", laptop.get(s2, "/konto"), http.StatusSeeOther, "/konto/log-ind")
		want(t, "the laptop's session on s1", laptop.get(s1, "/konto"), http.StatusSeeOther, "/konto/log-ind")
		want(t, "the phone's renewed session on s2", phone.get(s2, "/konto"), http.StatusOK, "")
		old := newBrowser(t, "198.51.100.4").submit(s2, "/konto/log-ind", "/konto/log-ind", "login", "carl", "password", password)
		want(t, "the old password on s2", old, http.StatusUnauthorized, "")
		signIn(t, s2, "carl", next, "198.51.100.4")
	})

	t.Run("the sign-in limit counts on both", func(t *testing.T) {
		// Wrong passwords for one account from one address, first all to
		// s1 (the limit one instance alone would apply), then for another
		// account from another address, alternately to s1 and s2: if each
		// instance counted only its own guesses, the second run would need
		// about twice as many guesses; counted together it needs as many.
		signUp(t, px, "dora", "198.51.100.5")
		signUp(t, px, "erik", "198.51.100.6")
		alone, _ := guessUntilRefused(t, "dora", "203.0.113.1", s1)
		both, last := guessUntilRefused(t, "erik", "203.0.113.2", s1, s2)
		t.Logf("wrong passwords until 429: %d on one instance, %d alternating between two", alone, both)
		if both > alone+1 {
			t.Errorf("alternating between the instances took %d guesses to be refused, one instance alone %d: the instances do not count together", both, alone)
		}
		// Refused on one, refused on the other too: the next guess (on the
		// instance that did not refuse the last one) is refused as well.
		other := s1
		if last == s1 {
			other = s2
		}
		r := newBrowser(t, "203.0.113.2").submit(other, "/konto/log-ind", "/konto/log-ind", "login", "erik", "password", "forkert kode 0")
		want(t, "the next guess on the other instance", r, http.StatusTooManyRequests, "")
	})

	t.Run("a red-flag pause shows on both at once", func(t *testing.T) {
		fie := signUp(t, px, "fie", "198.51.100.7")
		for _, base := range []string{s1, s2} {
			want(t, "today before the screen", fie.get(base, "/i-dag"), http.StatusSeeOther, "/start/roede-flag")
		}
		// The screen answered on s2: no to everything but fever.
		page := fie.get(s2, "/start/roede-flag")
		want(t, "the red-flag screen", page, http.StatusOK, "")
		f := parseForm(t, page.body, "/start/roede-flag")
		for q := range f.radios {
			f.set(t, q, "nej")
		}
		f.set(t, "fever", "ja")
		want(t, "a fever on s2", fie.post(s2, "/start/roede-flag", f.values), http.StatusSeeOther, "/i-dag")
		pause := html.EscapeString(i18n.Lang("da").T("todayCallDoctor"))
		for _, base := range []string{s1, s2, px, px} {
			r := fie.get(base, "/i-dag")
			want(t, "today, paused", r, http.StatusOK, "")
			if !strings.Contains(r.body, pause) {
				t.Errorf("/i-dag on %s (served by %q) does not show the pause %q", base, r.servedBy, pause)
			}
			if r.servedBy != "" {
				served[r.servedBy]++
			}
			want(t, "onboarding, paused", fie.get(base, "/start"), http.StatusSeeOther, "/i-dag")
		}
	})

	t.Logf("answers through the proxy: %v", served)
	if served["s1"] == 0 || served["s2"] == 0 {
		t.Errorf("the proxy sent every request to one instance: %v", served)
	}
}

// guessUntilRefused signs in as login with wrong passwords from addr, on
// the instances in turn, until one answers 429; it returns how many guesses
// that took (the refused one included) and the instance that refused.
func guessUntilRefused(t *testing.T, login, addr string, bases ...string) (int, string) {
	t.Helper()
	b := newBrowser(t, addr)
	for i := 1; i <= 100; i++ {
		base := bases[(i-1)%len(bases)]
		r := b.submit(base, "/konto/log-ind", "/konto/log-ind", "login", login, "password", fmt.Sprintf("forkert kode %d", i))
		switch r.status {
		case http.StatusTooManyRequests:
			return i, base
		case http.StatusUnauthorized:
		default:
			t.Fatalf("guess %d on %s: status %d, want 401 or 429\n%.400s", i, base, r.status, r.body)
		}
	}
	t.Fatalf("100 wrong passwords for %s from %s and never refused", login, addr)
	return 0, ""
}

var ownerRE = regexp.MustCompile(`data-owner="([0-9a-f]+)"`)

// ownerTag is the owner tag the diary page gives sync.js for the signed-in
// patient, which it sends with every record.
func ownerTag(t testing.TB, b *browser, base string) string {
	t.Helper()
	r := b.get(base, "/dagbog")
	want(t, "the diary", r, http.StatusOK, "")
	m := ownerRE.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no data-owner on the diary page:\n%.600s", r.body)
	}
	return m[1]
}

// walkJSON is a finished one-minute walk as walk mode keeps it, started at
// start.
func walkJSON(clientID string, start time.Time) []byte {
	start = start.UTC().Truncate(time.Second)
	b, _ := json.Marshal(map[string]any{
		"clientId":  clientID,
		"startedAt": start,
		"endedAt":   start.Add(time.Minute),
		"bouts":     []map[string]any{{"walkSeconds": 60, "pauseSeconds": 0}},
	})
	return b
}

// postWalk sends a walk as sync.js does.
func postWalk(t testing.TB, b *browser, base, owner string, body []byte) resp {
	t.Helper()
	r, err := b.send(t.Context(), "POST", base+"/api/gang", body, walkHeader(owner))
	if err != nil {
		t.Fatalf("POST %s/api/gang: %v", base, err)
	}
	return r
}

func walkHeader(owner string) http.Header {
	return http.Header{"Content-Type": {"application/json"}, "X-Stenose-Owner": {owner}}
}

// walkID is the id in a sync answer.
func walkID(t testing.TB, r resp) int64 {
	t.Helper()
	var v struct{ ID int64 }
	if err := json.Unmarshal([]byte(r.body), &v); err != nil || v.ID == 0 {
		t.Fatalf("the answer %q has no id: %v", r.body, err)
	}
	return v.ID
}

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
