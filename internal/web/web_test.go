package web

// The web tests run against a real database: SQLite in t.TempDir() always,
// and PostgreSQL in a fresh schema when STENOSE_TEST_POSTGRES holds a
// connection URL (the approach of internal/store's suite; under CI=true a
// missing URL fails the PostgreSQL half instead of skipping it).

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
	"github.com/stenose/stenose/internal/store/pgtest"

	"github.com/alexedwards/argon2id"
	_ "github.com/jackc/pgx/v5/stdlib"

	stenose "github.com/stenose/stenose"
	"github.com/stenose/stenose/internal/account"
	"github.com/stenose/stenose/internal/site"
	"github.com/stenose/stenose/internal/store"
)

var cheap = &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

var (
	siteOnce sync.Once
	theSite  *site.Site
	siteErr  error
)

func loadSite(t testing.TB) *site.Site {
	t.Helper()
	siteOnce.Do(func() {
		theSite, siteErr = site.Load(stenose.Content(), site.Options{BaseURL: "http://example.test", Logger: slog.New(slog.DiscardHandler)})
	})
	if siteErr != nil {
		t.Fatal(siteErr)
	}
	return theSite
}

// clock is a settable clock shared by the app and its account service.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// env is one running app on one engine.
type env struct {
	t     *testing.T
	st    *store.Store
	app   *app
	srv   *httptest.Server
	clock *clock
}

type option func(*Config)

func secure(c *Config) { c.Secure = true }

// idleTimeout runs the app with the production idle timeout.
func idleTimeout(c *Config) { c.SessionIdleTimeout = 0 }

func forEachEngine(t *testing.T, fn func(t *testing.T, open func(t *testing.T) *store.Store)) {
	t.Helper()
	for _, e := range []struct {
		name string
		open func(t *testing.T) *store.Store
	}{{"sqlite", func(t *testing.T) *store.Store { return openSQLite(t) }}, {"postgres", openPostgres}} {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			fn(t, e.open)
		})
	}
}

func openSQLite(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(t.Context(), "", filepath.Join(t.TempDir(), "data"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// openPostgres opens a store on a fresh schema of the test database
// (internal/store/pgtest), dropped after the test.
func openPostgres(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(t.Context(), pgtest.URL(t), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func newEnv(t *testing.T, st *store.Store, extra []route, opts ...option) *env {
	t.Helper()
	clk := &clock{t: time.Now().UTC().Truncate(time.Second)}
	acc, err := account.New(st, account.Options{Now: clk.now, Params: cheap})
	if err != nil {
		t.Fatal(err)
	}
	// No idle timeout by default: most tests move the clock by days or
	// weeks between one patient's requests, as the patient's weeks go by
	// (in life they would sign in again each day). The idle timeout has
	// its own tests (idleTimeout: TestSessionIdleTimeout, TestPromisedHeaders).
	cfg := Config{Site: loadSite(t), Store: st, Now: clk.now, Accounts: acc, SessionIdleTimeout: -1}
	for _, o := range opts {
		o(&cfg)
	}
	a, err := newApp(cfg, extra)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a)
	t.Cleanup(srv.Close)
	return &env{t: t, st: st, app: a, srv: srv, clock: clk}
}

// client is a browser-like client with its own cookie jar that does not
// follow redirects.
type client struct {
	e   *env
	c   *http.Client
	jar *cookiejar.Jar
	hdr http.Header // extra headers on every request
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, jar: jar, hdr: http.Header{}, c: &http.Client{
		Jar:           jar,
		Timeout:       20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

type resp struct {
	status int
	header http.Header
	body   string
}

func (r resp) location() string { return r.header.Get("Location") }

func (c *client) do(method, path string, form url.Values) resp {
	c.e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.e.srv.URL+path, body)
	if err != nil {
		c.e.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range c.hdr {
		req.Header[k] = v
	}
	res, err := c.c.Do(req)
	if err != nil {
		c.e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{res.StatusCode, res.Header, string(b)}
}

func (c *client) get(path string) resp { return c.do("GET", path, nil) }

func (c *client) post(path string, kv ...string) resp {
	f := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Add(kv[i], kv[i+1])
	}
	return c.do("POST", path, f)
}

func (c *client) cookie() *http.Cookie {
	u, _ := url.Parse(c.e.srv.URL)
	for _, ck := range c.jar.Cookies(u) {
		if strings.HasSuffix(ck.Name, "stenose_session") {
			return ck
		}
	}
	return nil
}

func want(t *testing.T, what string, r resp, status int, location string) {
	t.Helper()
	if r.status != status || (location != "" && r.location() != location) {
		t.Fatalf("%s: status %d, Location %q; want %d %q\n%.600s", what, r.status, r.location(), status, location, r.body)
	}
}

func contains(t *testing.T, what, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(body, s) {
			t.Errorf("%s: body lacks %q", what, s)
		}
	}
}

const goodPW = "gå en tur hver dag"

// signUp creates login through the form and returns its signed-in client.
func (e *env) signUp(login string) *client {
	e.t.Helper()
	c := e.client()
	r := c.post("/konto/opret", "login", login, "name", "Navn "+login, "password", goodPW, "password2", goodPW)
	want(e.t, "sign up "+login, r, 303, "/start")
	return c
}

// signIn signs an existing user in on a new client, with the form's other
// fields in kv (name, value, …: "forbliv", "ja"). With no page to go
// back to, a patient lands on today, a clinician on their patient list and
// anyone else on /konto.
func (e *env) signIn(login, pw string, kv ...string) *client {
	e.t.Helper()
	c := e.client()
	r := c.post("/konto/log-ind", append([]string{"login", login, "password", pw}, kv...)...)
	land := "/konto" // an admin, or a clinician in no clinic
	if u, err := e.st.UserByLogin(e.t.Context(), login); err == nil {
		switch {
		case u.Role == store.RolePatient:
			land = "/i-dag"
		case u.Role == store.RoleClinician && u.ClinicID != 0:
			land = "/klinik" // their patients
		}
	}
	switch r.location() {
	case enrolPath: // a clinician's or admin's first sign-in
		e.secondStep(c, login, true, land)
		return c
	case secondFactorPath:
		e.secondStep(c, login, false, land)
		return c
	}
	want(e.t, "sign in "+login, r, 303, land)
	return c
}

// secondStep does the second step of a clinician's or admin's sign-in as
// an authenticator app would: the first time it enrols with the page's
// secret, later it types the current code. The clock moves on 30 s first,
// so that a code is never one the account used before.
func (e *env) secondStep(c *client, login string, enrol bool, land string) {
	e.t.Helper()
	e.clock.add(30 * time.Second)
	ctx := e.t.Context()
	if enrol {
		page := c.get(enrolPath)
		want(e.t, "enrol "+login, page, 200, "")
		m := regexp.MustCompile(`<p class="secret"><code>([A-Z2-7 ]+)</code>`).FindStringSubmatch(page.body)
		if m == nil {
			e.t.Fatalf("enrol %s: no secret on the page", login)
		}
		code, err := totp.GenerateCode(strings.ReplaceAll(m[1], " ", ""), e.clock.now())
		if err != nil {
			e.t.Fatal(err)
		}
		r := c.post(enrolPath, "kode", code)
		want(e.t, "enrol "+login+": the recovery codes", r, 200, "")
		contains(e.t, "enrol "+login+": the recovery codes", r.body, `href="`+land+`"`)
		return
	}
	u, err := e.st.UserByLogin(ctx, login)
	if err != nil {
		e.t.Fatal(err)
	}
	secret, err := e.st.TOTPSecret(ctx, u.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	code, err := totp.GenerateCode(secret, e.clock.now())
	if err != nil {
		e.t.Fatal(err)
	}
	r := c.post(secondFactorPath, "kode", code)
	want(e.t, "second step "+login, r, 303, land)
}

func TestSignUpInOut(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		e := newEnv(t, open(t), nil)
		c := e.client()
		want(t, "anonymous /konto", c.get("/konto"), 303, "/konto/log-ind")

		r := c.get("/konto/opret")
		want(t, "sign-up form", r, 200, "")
		contains(t, "sign-up form", r.body, `action="/konto/opret"`, `autocomplete="new-password"`, `<html lang="da">`, cssPath)

		// Errors beside the fields, what was typed kept, never a password.
		// (A control character is refused, and left out of what is put back.)
		r = c.post("/konto/opret", "login", "Søren\x07 H", "name", "Søren Hansen", "password", "kort kode", "password2", "kort kode")
		want(t, "bad sign-up", r, 422, "")
		contains(t, "bad sign-up", r.body, `value="Søren H"`, `value="Søren Hansen"`, "styretegn",
			"mindst 10 tegn", `aria-invalid="true"`, `id="login-error"`, `href="#login"`, `href="#password"`)
		if strings.Contains(r.body, "kort kode") {
			t.Error("the password was echoed back")
		}
		r = c.post("/konto/opret", "login", "anna", "password", goodPW, "password2", goodPW+"x")
		want(t, "mismatch", r, 422, "")
		contains(t, "mismatch", r.body, "ikke ens", `id="password2-error"`)
		if strings.Contains(r.body, goodPW) {
			t.Error("the password was echoed back")
		}
		if c.cookie() != nil {
			t.Error("a failed sign-up left a session cookie")
		}

		a := e.signUp("Anna") // shown as typed, signed in as anna
		r = a.get("/konto")
		want(t, "signed in /konto", r, 200, "")
		contains(t, "/konto", r.body, "<dd>Anna</dd>", "<dd>Navn Anna</dd>", `action="/konto/log-ud"`, "Min konto")
		want(t, "sign-up form when signed in", a.get("/konto/opret"), 303, "/konto")
		want(t, "sign-in form when signed in", a.get("/konto/log-ind"), 303, "/i-dag")
		u, err := e.st.UserByLogin(t.Context(), "anna")
		if err != nil || u.Role != store.RolePatient {
			t.Fatalf("user anna: %+v %v", u, err)
		}
		if !strings.HasPrefix(u.PasswordHash, "$argon2id$") {
			t.Errorf("stored hash %q", u.PasswordHash)
		}

		// The login is taken, whatever its case.
		r = e.client().post("/konto/opret", "login", "ANNA", "password", goodPW, "password2", goodPW)
		want(t, "taken", r, 422, "")
		contains(t, "taken", r.body, "allerede i brug", `value="ANNA"`)

		// Sign out: the session is gone from the database too.
		old := a.cookie()
		want(t, "sign out", a.post("/konto/log-ud"), 303, "/konto/log-ind?ud=1")
		want(t, "after sign-out", a.get("/konto"), 303, "/konto/log-ind")
		contains(t, "signed-out notice", a.get("/konto/log-ind?ud=1").body, "Du er logget ud.")
		replay := e.client()
		replay.jar.SetCookies(mustURL(e.srv.URL), []*http.Cookie{old})
		want(t, "replayed cookie after sign-out", replay.get("/konto"), 303, "/konto/log-ind")

		// Wrong password, unknown login: the same answer.
		for _, tc := range [][2]string{{"anna", goodPW + "!"}, {"nobody", goodPW}} {
			r = e.client().post("/konto/log-ind", "login", tc[0], "password", tc[1])
			want(t, "wrong "+tc[0], r, 401, "")
			contains(t, "wrong", r.body, "Brugernavnet eller adgangskoden er forkert", `value="`+tc[0]+`"`)
			if strings.Contains(r.body, tc[1]) {
				t.Error("the password was echoed back")
			}
		}
		r = e.client().post("/konto/log-ind", "login", "", "password", "")
		want(t, "empty sign-in", r, 422, "")
		contains(t, "empty sign-in", r.body, "Skriv dit brugernavn.", "Skriv din adgangskode.")

		// Sign in again, by way of a page that needed it.
		c = e.client()
		want(t, "anonymous password page", c.get("/konto/adgangskode"), 303, "/konto/log-ind?naeste=%2Fkonto%2Fadgangskode")
		r = c.get("/konto/log-ind?naeste=%2Fkonto%2Fadgangskode")
		contains(t, "next kept", r.body, `name="naeste" value="/konto/adgangskode"`)
		want(t, "sign in with next", c.post("/konto/log-ind", "login", " Anna ", "password", goodPW, "naeste", "/konto/adgangskode"), 303, "/konto/adgangskode")
		// No open redirect.
		for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"} {
			want(t, "next "+next, e.client().post("/konto/log-ind", "login", "anna", "password", goodPW, "naeste", next), 303, "/i-dag")
		}
	})
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

func TestChangePassword(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		e := newEnv(t, open(t), nil)
		a := e.signUp("anna")
		other := e.signIn("anna", goodPW) // the same user on another device
		r := a.get("/konto/adgangskode")
		want(t, "form", r, 200, "")
		contains(t, "form", r.body, `autocomplete="current-password"`, `autocomplete="new-password"`)

		const next = "en ny og lang kode"
		r = a.post("/konto/adgangskode", "current", "forkert kode", "password", next, "password2", next)
		want(t, "wrong current", r, 422, "")
		contains(t, "wrong current", r.body, "nuværende adgangskode er forkert", `id="current-error"`)
		r = a.post("/konto/adgangskode", "current", goodPW, "password", "kort", "password2", "kort")
		want(t, "short", r, 422, "")
		contains(t, "short", r.body, "mindst 10 tegn")
		r = a.post("/konto/adgangskode", "current", goodPW, "password", next, "password2", next+"!")
		want(t, "mismatch", r, 422, "")
		for _, pw := range []string{goodPW, next, "forkert kode"} {
			if strings.Contains(r.body, pw) {
				t.Errorf("password %q echoed back", pw)
			}
		}

		before := a.cookie().Value
		want(t, "change", a.post("/konto/adgangskode", "current", goodPW, "password", next, "password2", next), 303, "/konto")
		if a.cookie().Value == before {
			t.Error("the session token was not renewed on a password change")
		}
		r = a.get("/konto")
		want(t, "after change", r, 200, "")
		contains(t, "flash", r.body, "Din adgangskode er skiftet")
		if strings.Contains(a.get("/konto").body, "Din adgangskode er skiftet") {
			t.Error("the notice shows twice")
		}
		want(t, "other device signed out", other.get("/konto"), 303, "/konto/log-ind")
		want(t, "old password", e.client().post("/konto/log-ind", "login", "anna", "password", goodPW), 401, "")
		e.signIn("anna", next)
	})
}

func TestRateLimit(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		e := newEnv(t, open(t), nil)
		e.signUp("anna")
		c := e.client()
		for i := range account.DefaultLimits.PairBurst {
			want(t, "wrong password", c.post("/konto/log-ind", "login", "anna", "password", "forkert kode "+string(rune('a'+i))), 401, "")
		}
		r := c.post("/konto/log-ind", "login", "anna", "password", goodPW)
		want(t, "limited", r, 429, "")
		contains(t, "limited", r.body, "for mange forkerte forsøg", "1 minut")
		if r.header.Get("Retry-After") == "" {
			t.Error("no Retry-After")
		}
		e.clock.add(time.Minute)
		want(t, "after a minute", c.post("/konto/log-ind", "login", "anna", "password", goodPW), 303, "/i-dag")
	})
}

func TestCSRF(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		e := newEnv(t, open(t), nil)
		a := e.signUp("anna")
		for _, h := range []http.Header{
			{"Sec-Fetch-Site": {"cross-site"}},
			{"Sec-Fetch-Site": {"same-site"}},
			{"Origin": {"http://evil.example"}},
		} {
			a.hdr = h
			r := a.post("/konto/log-ud")
			want(t, "cross-origin sign-out", r, 403, "")
			contains(t, "cross-origin", r.body, "Ingen adgang")
			r = a.post("/konto/adgangskode", "current", goodPW, "password", "en ny og lang kode", "password2", "en ny og lang kode")
			want(t, "cross-origin password change", r, 403, "")
			anon := e.client()
			anon.hdr = h
			want(t, "cross-origin sign-up", anon.post("/konto/opret", "login", "mallory", "password", goodPW, "password2", goodPW), 403, "")
			want(t, "cross-origin sign-in", anon.post("/konto/log-ind", "login", "anna", "password", goodPW), 403, "")
		}
		a.hdr = http.Header{}
		want(t, "still signed in", a.get("/konto"), 200, "")
		if _, err := e.st.UserByLogin(t.Context(), "mallory"); err == nil {
			t.Error("a cross-site sign-up created a user")
		}
		e.signIn("anna", goodPW) // the password did not change
		// Same-origin requests, as browsers send them, pass.
		a.hdr = http.Header{"Sec-Fetch-Site": {"same-origin"}, "Origin": {e.srv.URL}}
		want(t, "same-origin sign-out", a.post("/konto/log-ud"), 303, "/konto/log-ind?ud=1")
	})
}

func TestCookieFlags(t *testing.T) {
	for _, tc := range []struct {
		name   string
		opts   []option
		cookie string
		secure bool
	}{
		{"plain", nil, "stenose_session", false},
		{"secure", []option{secure}, "__Host-stenose_session", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
				e := newEnv(t, open(t), nil, tc.opts...)
				c := e.client()
				r := c.post("/konto/opret", "login", "anna", "password", goodPW, "password2", goodPW)
				want(t, "sign up", r, 303, "/start")
				var ck *http.Cookie
				for _, x := range (&http.Response{Header: r.header}).Cookies() {
					if x.Name == tc.cookie {
						ck = x
					}
				}
				if ck == nil {
					t.Fatalf("no %s cookie in %q", tc.cookie, r.header.Values("Set-Cookie"))
				}
				if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure != tc.secure || ck.Path != "/" || ck.Domain != "" {
					t.Errorf("cookie %+v: want HttpOnly, SameSite=Lax, Secure=%v, Path=/, no Domain", ck, tc.secure)
				}
				if ck.MaxAge <= 0 || time.Duration(ck.MaxAge)*time.Second > SessionLifetime {
					t.Errorf("MaxAge %d", ck.MaxAge)
				}
				if tc.secure {
					return // the test server is plain HTTP: the browser-side jar would not send it back
				}
				// A token is renewed on sign-in: the old one is worthless.
				before := c.cookie()
				want(t, "sign in again", c.post("/konto/log-ind", "login", "anna", "password", goodPW), 303, "/i-dag")
				if c.cookie().Value == before.Value {
					t.Error("token not renewed on sign-in")
				}
				replay := e.client()
				replay.jar.SetCookies(mustURL(e.srv.URL), []*http.Cookie{before})
				want(t, "old token", replay.get("/konto"), 303, "/konto/log-ind")
				// A token planted before sign-in is not kept (session fixation).
				planted := e.client()
				planted.jar.SetCookies(mustURL(e.srv.URL), []*http.Cookie{{Name: tc.cookie, Value: "plantedtokenplantedtokenplanted1", Path: "/"}})
				want(t, "sign in with planted token", planted.post("/konto/log-ind", "login", "anna", "password", goodPW), 303, "/i-dag")
				if planted.cookie().Value == "plantedtokenplantedtokenplanted1" {
					t.Error("planted token kept")
				}
			})
		})
	}
}

// TestSessionBoundToUser: a signed-in session is stored bound to its user
// (the adapter commits it with the user's id), so "log out everywhere"
// reaches it; an anonymous session is not bound.
func TestSessionBoundToUser(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		e := newEnv(t, open(t), nil)
		a := e.signUp("anna")
		b := e.signIn("anna", goodPW)
		u, _ := e.st.UserByLogin(t.Context(), "anna")
		n, err := e.st.Sessions().DeleteUser(t.Context(), u.ID)
		if err != nil || n != 2 {
			t.Fatalf("DeleteUser = %d, %v; want the 2 sessions", n, err)
		}
		want(t, "a after log-out-everywhere", a.get("/konto"), 303, "/konto/log-ind")
		want(t, "b after log-out-everywhere", b.get("/konto"), 303, "/konto/log-ind")
		if got := userOf([]byte("not gob")); got != 0 {
			t.Errorf("userOf(garbage) = %d", got)
		}
	})
}

func TestHeadersAndPublicPages(t *testing.T) {
	e := newEnv(t, openSQLite(t), nil)
	a := e.signUp("anna")
	r := a.get("/konto")
	for k, v := range map[string]string{"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"} {
		if got := r.header.Values(k); len(got) == 0 || got[0] != v {
			t.Errorf("/konto %s = %q, want %q", k, got, v)
		}
	}
	if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q", csp)
	}
	if strings.Contains(r.body, "<script") || strings.Contains(r.body, "style=") {
		t.Error("inline script or style on /konto")
	}
	// Public pages: the site's bytes, the same for everyone, no session.
	path := "/blog/5-bedste-oevelser-til-spinalstenose"
	pub := a.get(path)
	anon := e.client().get(path)
	want(t, "article", pub, 200, "")
	if pub.body != anon.body {
		t.Error("a public page differs between a signed-in and an anonymous visitor")
	}
	if pub.header.Get("Set-Cookie") != "" || pub.header.Get("Vary") == "Cookie" {
		t.Errorf("public page touched the session: %v", pub.header)
	}
	rec := httptest.NewRecorder()
	loadSite(t).Handler().ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	if rec.Body.String() != pub.body {
		t.Error("the article is not the site's own bytes")
	}
	want(t, "404 falls through", e.client().get("/findes-ikke"), 404, "")
	want(t, "unclean path", e.client().get("//konto"), 301, "/konto")
	// The site's stylesheet shares /static with ours: it still comes from the site.
	m := regexp.MustCompile(`href="(/static/style\.[0-9a-f]+\.css)"`).FindStringSubmatch(pub.body)
	if m == nil {
		t.Fatal("no site stylesheet link on the article")
	}
	if r := e.client().get(m[1]); r.status != 200 || r.header.Get("Content-Type") != "text/css; charset=utf-8" {
		t.Errorf("site stylesheet %s: %d %s", m[1], r.status, r.header.Get("Content-Type"))
	}
	css := e.client().get(cssPath)
	want(t, "css", css, 200, "")
	if css.header.Get("Content-Type") != "text/css; charset=utf-8" || !strings.Contains(css.header.Get("Cache-Control"), "immutable") {
		t.Errorf("css headers %v", css.header)
	}
	want(t, "old css fingerprint", e.client().get("/static/konto.0000000000.css"), 404, "")
	want(t, "GET sign-out (only POST exists)", a.get("/konto/log-ud"), 404, "")
}

func TestDeletedUserIsSignedOut(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		e := newEnv(t, open(t), nil)
		a := e.signUp("anna")
		u, _ := e.st.UserByLogin(t.Context(), "anna")
		if err := e.st.DeleteUser(t.Context(), u.ID); err != nil {
			t.Fatal(err)
		}
		want(t, "deleted user", a.get("/konto"), 303, "/konto/log-ind")
	})
}

// TestLanding: with no page to go back to, a new patient lands in
// onboarding after signing up, a patient on today after signing in (which
// sends an unfinished onboarding on to the red-flag screen), a clinician or
// an administrator on /konto; a safe naeste still wins, an unsafe one is
// ignored.
func TestLanding(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		e := newEnv(t, st, nil)
		c := e.client()
		want(t, "sign up", c.post("/konto/opret", "login", "karen", "password", goodPW, "password2", goodPW), 303, "/start")
		want(t, "after sign-up", c.get("/start"), 303, "/start/roede-flag")
		for _, tc := range []struct {
			login string
			role  store.Role
			land  string
		}{
			{"pat", store.RolePatient, "/i-dag"},
			{"klinik", store.RoleClinician, "/konto"},
			{"admin", store.RoleAdmin, "/konto"},
		} {
			e.signUp(tc.login)
			if tc.role != store.RolePatient {
				if err := st.SetRole(t.Context(), userID(t, st, tc.login), tc.role); err != nil {
					t.Fatal(err)
				}
			}
			c := e.client()
			// A clinician or admin takes the second step (enrolment the
			// first time) before landing; a patient lands at once.
			signIn := func(c *client, next, land string) {
				t.Helper()
				r := c.post("/konto/log-ind", "login", tc.login, "password", goodPW, "naeste", next)
				switch {
				case tc.role == store.RolePatient:
					want(t, tc.login+" signs in, naeste "+next, r, 303, land)
				case r.location() == enrolPath:
					e.secondStep(c, tc.login, true, land)
				default:
					want(t, tc.login+" signs in, naeste "+next, r, 303, secondFactorPath)
					e.secondStep(c, tc.login, false, land)
				}
			}
			signIn(c, "", tc.land)
			want(t, tc.login+" on the sign-in form", c.get("/konto/log-ind"), 303, tc.land)
			want(t, tc.login+" on the sign-in form with naeste", c.get("/konto/log-ind?naeste=%2Fkonto%2Fadgangskode"), 303, "/konto/adgangskode")
			signIn(e.client(), "//evil.example/", tc.land)
			signIn(e.client(), "/konto/adgangskode", "/konto/adgangskode")
			if tc.role == store.RolePatient {
				want(t, "a patient's landing before onboarding", c.get(tc.land), 303, "/start/roede-flag")
			} else {
				want(t, tc.login+"'s landing", c.get(tc.land), 200, "")
			}
		}
	})
}

func TestRoleChangeTakesEffect(t *testing.T) {
	e := newEnv(t, openSQLite(t), nil)
	a := e.signUp("anna")
	u, _ := e.st.UserByLogin(t.Context(), "anna")
	if err := e.st.SetRole(t.Context(), u.ID, store.RoleClinician); err != nil {
		t.Fatal(err)
	}
	contains(t, "role", a.get("/konto").body, "<dd>Behandler</dd>")
}

func TestAccessAllows(t *testing.T) {
	p := &store.User{Role: store.RolePatient}
	c := &store.User{Role: store.RoleClinician}
	ad := &store.User{Role: store.RoleAdmin}
	for _, tc := range []struct {
		a    Access
		want [4]bool // anonymous, patient, clinician, admin
	}{
		{Anyone, [4]bool{true, true, true, true}},
		{SignedIn, [4]bool{false, true, true, true}},
		{Patient, [4]bool{false, true, false, false}},
		{Clinician, [4]bool{false, false, true, false}},
		{Admin, [4]bool{false, false, false, true}},
		{Access(99), [4]bool{}},
	} {
		for i, u := range []*store.User{nil, p, c, ad} {
			if got := tc.a.Allows(u); got != tc.want[i] {
				t.Errorf("%v.Allows(%v) = %v", tc.a, u, got)
			}
		}
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/konto": "/konto", "/blog/x?y=1": "/blog/x?y=1", "": "", "konto": "",
		"//evil.example": "", "/\\evil.example": "", "https://evil.example/": "", "/a\nb": "",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWaitText(t *testing.T) {
	for d, want := range map[time.Duration]string{
		time.Second: "1 sekund", 20 * time.Second: "20 sekunder", 59500 * time.Millisecond: "60 sekunder",
		time.Minute: "1 minut", 61 * time.Second: "2 minutter",
	} {
		if got := waitText(d); got != want {
			t.Errorf("waitText(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestRoutesListed(t *testing.T) {
	rs := Routes()
	if len(rs) == 0 {
		t.Fatal("no routes")
	}
	seen := map[string]bool{}
	for _, r := range rs {
		if seen[r.Pattern] {
			t.Errorf("route %s twice", r.Pattern)
		}
		seen[r.Pattern] = true
		if !strings.HasPrefix(r.Pattern, "GET ") && !strings.HasPrefix(r.Pattern, "POST ") {
			t.Errorf("route %s names no method", r.Pattern)
		}
	}
}

func TestFirstSegment(t *testing.T) {
	for in, want := range map[string]string{"/konto/log-ind": "konto", "/konto": "konto", "/": "", "": "", "/static/x.css": "static", "//konto": "", "konto/x": "konto"} {
		if got := firstSegment(in); got != want {
			t.Errorf("firstSegment(%q) = %q, want %q", in, got, want)
		}
	}
}
