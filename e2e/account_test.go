package e2e

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/chromedp/chromedp"

	stenose "github.com/stenose/stenose"
	"github.com/stenose/stenose/internal/account"
	"github.com/stenose/stenose/internal/site"
	"github.com/stenose/stenose/internal/store"
	"github.com/stenose/stenose/internal/web"
)

// startAccountApp serves the whole application (public site and account pages)
// over a fresh SQLite database in a temporary folder.
func startAccountApp(t *testing.T) *testSite {
	t.Helper()
	return startAccountAppAt(t, nil)
}

// marchStart is the server's clock for the tests that write records on
// fixed days early in March 2026: Thursday 5 March 2026, 10:00 in
// Copenhagen. A record may date from at most 28 days before its account
// (docs/rules.md, "What a history may hold"), and the account is made on
// the server's clock, so the records' days must be near it.
var marchStart = time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC)

// startAccountAppMarch is startAccountApp on a clock that starts at
// marchStart and runs on from there.
func startAccountAppMarch(t *testing.T) *testSite {
	t.Helper()
	began := time.Now()
	return startAccountAppAt(t, func() time.Time { return marchStart.Add(time.Since(began)) })
}

// startAccountAppAt is startAccountApp with the server's clock now (nil:
// time.Now), for a test whose dates must be known in advance.
func startAccountAppAt(t *testing.T, now func() time.Time) *testSite {
	t.Helper()
	return startAppOn(t, "", now)
}

// startAppOn is startAccountAppAt on the database dsn names (store.Open's
// first argument: "" for SQLite in a temporary folder, or a PostgreSQL
// URL, see pgtest.URL).
func startAppOn(t *testing.T, dsn string, now func() time.Time) *testSite {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	quiet := slog.New(slog.DiscardHandler)
	s, err := site.Load(stenose.Content(), site.Options{BaseURL: base, Logger: quiet})
	if err != nil {
		ts.Listener.Close()
		t.Fatalf("site.Load: %v", err)
	}
	st, err := store.Open(t.Context(), dsn, filepath.Join(t.TempDir(), "data"))
	if err != nil {
		ts.Listener.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	acc, err := account.New(st, account.Options{Now: now, Params: &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}})
	if err != nil {
		t.Fatal(err)
	}
	h, err := web.New(web.Config{Site: s, Store: st, Accounts: acc, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = h
	ts.Start()
	t.Cleanup(ts.Close)
	return &testSite{URL: base, origin: base, st: st}
}

// checkAccountPage checks an account page; see checkAppPage.
func checkAccountPage(t *testing.T, tb *tab, s *testSite, axeSource, what string) {
	t.Helper()
	checkAppPage(t, tb, s, axeSource, what, "/konto")
}

// checkAppPage checks the page loaded in tb: no console errors, nothing
// requested from elsewhere, fits the phone, zero axe violations. A form
// under one of formPaths answered with 4xx on purpose is logged by the
// browser as a failed load; that is not an error.
func checkAppPage(t *testing.T, tb *tab, s *testSite, axeSource, what string, formPaths ...string) {
	t.Helper()
	checkPageQuick(t, tb, s, what, formPaths...)
	vs, err := tb.runAxe(axeSource)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) > 0 {
		t.Errorf("%s: axe-core found %d WCAG A/AA violation(s):%s", what, len(vs), formatViolations(vs))
	}
	if small := smallTargets(t, tb); len(small) > 0 {
		t.Errorf("%s: tap targets under 44 × 44 px: %v", what, small)
	}
}

// checkPageQuick is checkAppPage without axe-core and the tap targets: no
// console errors, nothing requested from elsewhere, fits the screen; for
// a page whose accessibility other tests check.
func checkPageQuick(t *testing.T, tb *tab, s *testSite, what string, formPaths ...string) {
	t.Helper()
	for _, e := range tb.consoleErrors() {
		if e.Kind == "log/network" && slices.ContainsFunc(formPaths, func(p string) bool { return strings.HasPrefix(e.URL, s.URL+p) }) {
			continue
		}
		t.Errorf("%s: console: %s", what, e)
	}
	if bad := tb.foreignRequests(s.origin); len(bad) > 0 {
		t.Errorf("%s: requests left the site: %v", what, bad)
	}
	l, err := tb.layoutOf()
	if err != nil {
		t.Fatal(err)
	}
	if l.InnerWidth != tb.width || l.ScrollWidth > l.InnerWidth {
		t.Errorf("%s: does not fit the phone: inner %d, scroll %d: %v", what, l.InnerWidth, l.ScrollWidth, l.Widest)
	}
}

// smallTargets lists the radio buttons and check boxes (with their
// labels: the label is what a finger hits) and the links in and under a
// form that are less than 44 × 44 px: "Fortryd 40×30".
func smallTargets(t *testing.T, tb *tab) []string {
	t.Helper()
	return eval[[]string](t, tb, `[...document.querySelectorAll("main form input[type=radio], main form input[type=checkbox], main form a, main .form ~ p > a")]
		.map((i) => i.closest("label") || i).filter((e) => e.offsetParent !== null)
		.map((e) => [e, e.getBoundingClientRect()]).filter(([e, r]) => r.width < 44 || r.height < 44)
		.map(([e, r]) => e.textContent.trim().slice(0, 40) + " " + Math.round(r.width) + "×" + Math.round(r.height))`)
}

// htmlFetcher returns a function that sends a request (a form when form is
// not nil) with one cookie jar, checks the answer is HTML, and returns its
// body: for the Nu checker's pages.
func htmlFetcher(t *testing.T, s *testSite) func(method, path string, form url.Values, hdr ...http.Header) []byte {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 15 * time.Second}
	return func(method, path string, form url.Values, hdr ...http.Header) []byte {
		t.Helper()
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequest(method, s.URL+path, body)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		for _, h := range hdr {
			for k, v := range h {
				req.Header[k] = v
			}
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("%s %s: Content-Type %q", method, path, ct)
		}
		return b
	}
}

// signUpIn signs up (path /konto/opret: the patient lands on the red-flag
// screen) or signs in (/konto/log-ind: anywhere but the account forms) as
// login with the tests' password.
func signUpIn(t *testing.T, tb *tab, base, path, login string) {
	t.Helper()
	if _, err := tb.navigate(base + path); err != nil {
		t.Fatal(err)
	}
	fields := [][2]string{{"#login", login}, {"#password", "gå en tur hver dag"}}
	if path == "/konto/opret" {
		fields = append(fields, [2]string{"#password2", "gå en tur hver dag"})
	}
	p, h1 := submit(t, tb, fields)
	if path == "/konto/opret" && p != "/start/roede-flag" || strings.HasPrefix(p, "/konto/") {
		t.Fatalf("%s as %s: at %s (%q)", path, login, p, h1)
	}
}

// submit fills the form's fields (CSS selector → text), clicks its submit
// button and waits for the page the answer leads to; it returns that
// page's path and the text of its <h1>.
func submit(t *testing.T, tb *tab, fields [][2]string) (path, h1 string) {
	t.Helper()
	return submitWith(t, tb, `main button[type="submit"]`, fields)
}

// signOutHere clicks the sign-out button of the page loaded in tb (Min
// konto has other forms above it) and returns the page it leads to.
func signOutHere(t *testing.T, tb *tab) (path, h1 string) {
	t.Helper()
	return submitWith(t, tb, `form[action="/konto/log-ud"] button[type="submit"]`, nil)
}

// submitWith is submit with the button to click.
func submitWith(t *testing.T, tb *tab, button string, fields [][2]string) (path, h1 string) {
	t.Helper()
	var acts []chromedp.Action[chromedp.Void]
	for _, f := range fields {
		clear := chromedp.Evaluate[bool](`(document.querySelector(` + strconv.Quote(f[0]) + `).value = "") === ""`)
		acts = append(acts, func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			_, err := clear(ctx, tg)
			return chromedp.Void{}, err
		}, chromedp.SendKeys(chromedp.CSS(f[0]), f[1]))
	}
	if err := chromedp.Do(tb.ctx, acts...); err != nil {
		t.Fatalf("filling the form: %v", err)
	}
	if _, err := chromedp.RunResponse(tb.ctx, chromedp.Click(chromedp.CSS(button))); err != nil {
		t.Fatalf("submitting the form: %v", err)
	}
	if err := chromedp.Do(tb.ctx, chromedp.WaitReady(chromedp.CSS("h1"))); err != nil {
		t.Fatalf("after submitting: %v", err)
	}
	loc := locationOf(t, tb)
	h1 = textOf(t, tb, "h1")
	u, _ := url.Parse(loc)
	return u.RequestURI(), strings.TrimSpace(h1)
}

func locationOf(t *testing.T, tb *tab) string {
	t.Helper()
	loc, err := chromedp.Run(tb.ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func textOf(t *testing.T, tb *tab, sel string) string {
	t.Helper()
	s, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// TestAccountInBrowser: sign up (first with mistakes), land signed in on
// the onboarding's red-flag screen, see /konto, open the password page,
// sign out; every page and error state checked by axe-core on a phone
// screen.
func TestAccountInBrowser(t *testing.T) {
	axeSource := loadAxe(t)
	b := startBrowser(t)
	s := startAccountApp(t)
	tb := b.tabFor(t, 2*time.Minute)

	if status, err := tb.navigate(s.URL + "/konto"); err != nil || status != 200 {
		t.Fatalf("/konto as a visitor: %d %v", status, err)
	}
	if loc := locationOf(t, tb); !strings.HasSuffix(loc, "/konto/log-ind") {
		t.Fatalf("/konto as a visitor ended at %q, want the sign-in page", loc)
	}
	checkAccountPage(t, tb, s, axeSource, "sign-in page")

	if _, err := tb.navigate(s.URL + "/konto/opret"); err != nil {
		t.Fatal(err)
	}
	checkAccountPage(t, tb, s, axeSource, "sign-up page")

	// Mistakes: shown beside the fields, what was typed kept.
	path, h1 := submit(t, tb, [][2]string{{"#login", "Søren"}, {"#name", "Søren Hansen"}, {"#password", "kort"}, {"#password2", "kort"}})
	if path != "/konto/opret" || h1 != "Opret konto" {
		t.Fatalf("after a bad sign-up: %s %q", path, h1)
	}
	login, err := chromedp.Run(tb.ctx, chromedp.Value(chromedp.CSS("#login")))
	if err != nil {
		t.Fatal(err)
	}
	errText := textOf(t, tb, "#password-error")
	if login != "Søren" || !strings.Contains(errText, "mindst 10 tegn") {
		t.Errorf("bad sign-up: login field %q, password error %q", login, errText)
	}
	checkAccountPage(t, tb, s, axeSource, "sign-up page with errors")

	path, h1 = submit(t, tb, [][2]string{{"#login", "soeren"}, {"#password", "gå en tur hver dag"}, {"#password2", "gå en tur hver dag"}})
	if path != "/start/roede-flag" || h1 != "Tjek for faresignaler" {
		t.Fatalf("after sign-up: %s %q, want onboarding's /start/roede-flag", path, h1)
	}
	checkAccountPage(t, tb, s, axeSource, "landing after sign-up")
	if _, err := tb.navigate(s.URL + "/konto"); err != nil {
		t.Fatal(err)
	}
	if h1 := textOf(t, tb, "h1"); h1 != "Min konto" {
		t.Fatalf("/konto signed in: %q", h1)
	}
	dl := textOf(t, tb, "dl")
	if !strings.Contains(dl, "soeren") || !strings.Contains(dl, "Søren Hansen") || strings.Contains(dl, "Patient") || strings.Contains(dl, "Rolle") { // a patient is not told their role
		t.Errorf("/konto shows %q", dl)
	}
	checkAccountPage(t, tb, s, axeSource, "/konto")

	if _, err := tb.navigate(s.URL + "/konto/adgangskode"); err != nil {
		t.Fatal(err)
	}
	checkAccountPage(t, tb, s, axeSource, "password page")
	path, _ = submit(t, tb, [][2]string{{"#current", "forkert kode"}, {"#password", "en ny og lang kode"}, {"#password2", "en ny og lang kode"}})
	if path != "/konto/adgangskode" {
		t.Fatalf("wrong current password went to %s", path)
	}
	checkAccountPage(t, tb, s, axeSource, "password page with errors")

	if _, err := tb.navigate(s.URL + "/konto"); err != nil {
		t.Fatal(err)
	}
	path, h1 = signOutHere(t, tb)
	if path != "/konto/log-ind?ud=1" || h1 != "Log ind" {
		t.Fatalf("after sign-out: %s %q", path, h1)
	}
	checkAccountPage(t, tb, s, axeSource, "signed out")
	if _, err := tb.navigate(s.URL + "/konto"); err != nil {
		t.Fatal(err)
	}
	if loc := locationOf(t, tb); !strings.HasSuffix(loc, "/konto/log-ind") {
		t.Errorf("/konto after sign-out ended at %q", loc)
	}
}

// TestAccountValidHTML runs every account page, and its error states,
// through the Nu HTML Checker: the exact bytes the server sends.
func TestAccountValidHTML(t *testing.T) {
	requireJava(t)
	requireNodeFile(t, vnuPath)
	s := startAccountApp(t)
	fetch := htmlFetcher(t, s)
	pw := "gå en tur hver dag"
	pages := []namedHTML{
		{"sign-in", fetch("GET", "/konto/log-ind", nil, nil)},
		{"sign-in-error", fetch("POST", "/konto/log-ind", url.Values{"login": {"x"}, "password": {"forkert kode"}}, nil)},
		{"signed-out", fetch("GET", "/konto/log-ind?ud=1&naeste=%2Fkonto", nil, nil)},
		{"sign-up", fetch("GET", "/konto/opret", nil, nil)},
		{"sign-up-errors", fetch("POST", "/konto/opret", url.Values{"login": {"ø"}, "name": {"<b>x</b>"}, "password": {"kort"}}, nil)},
		{"cross-origin", fetch("POST", "/konto/opret", url.Values{}, http.Header{"Sec-Fetch-Site": {"cross-site"}})},
		{"sign-up-landing", fetch("POST", "/konto/opret", url.Values{"login": {"anna"}, "name": {"Anna"}, "password": {pw}, "password2": {pw}}, nil)},
		{"account", fetch("GET", "/konto", nil, nil)},
		{"password", fetch("GET", "/konto/adgangskode", nil, nil)},
		{"password-errors", fetch("POST", "/konto/adgangskode", url.Values{"current": {""}, "password": {"kort"}}, nil)},
	}
	if !strings.Contains(string(pages[6].body), "<h1>Tjek for faresignaler</h1>") {
		t.Fatalf("sign-up did not end on onboarding's red-flag screen:\n%.400s", pages[6].body)
	}
	if !strings.Contains(string(pages[7].body), "<h1>Min konto</h1>") {
		t.Fatalf("/konto is not the account page:\n%.400s", pages[7].body)
	}
	validateHTML(t, pages)
}
