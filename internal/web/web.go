// Package web is the HTTP application around the public site: the account
// pages, sessions, CSRF protection and the route table that says who may
// use each route. Requests for anything not in the table fall through to
// the public site (internal/site), which is rendered once and the same for
// everyone; no session is loaded for those.
package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/stenose/stenose/internal/account"
	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/clinic"
	"github.com/stenose/stenose/internal/preview"
	"github.com/stenose/stenose/internal/site"
	"github.com/stenose/stenose/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/konto.css
var accountCSS []byte

// cssPath is the account stylesheet's fingerprinted address.
var cssPath = func() string {
	sum := sha256.Sum256(accountCSS)
	return "/static/konto." + hex.EncodeToString(sum[:5]) + ".css"
}()

// Config is what New needs.
type Config struct {
	Site *site.Site
	// Preview is `serve --watch`'s live preview (internal/preview), for
	// authors only: it serves the public site in place of Site.Handler()
	// (a new rendering of the content after each change), and the route
	// table gets its two routes. nil in every other case, and then those
	// routes do not exist (404).
	Preview *preview.Live
	Store   *store.Store
	// Secure marks the session cookie Secure (and names it with the
	// __Host- prefix): set it when the site is served over HTTPS.
	Secure bool
	// Logger receives errors; nil means slog.Default().
	Logger *slog.Logger
	// Now is the clock for session expiry checks and rate limits; nil
	// means time.Now.
	Now func() time.Time
	// Accounts, when not nil, is the account service to use (tests pass
	// one with cheap hash parameters); nil means one with the defaults.
	Accounts *account.Service
	// Draining reports whether the server is stopping (serve's SIGTERM):
	// /readyz then answers 503. Nil: never.
	Draining func() bool
	// Care, when not nil, is the care service to use (serve runs its
	// KeepFresh beside the pages); nil means one made from Store, Site's
	// library, Logger and Now.
	Care *care.Service
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is
	// believed for the application's routes (the sign-in limits' client
	// address; see account.ClientAddr); none means RemoteAddr is the client.
	TrustedProxies []netip.Prefix
	// SessionIdleTimeout ends a sign-in unused for that long; 0 means
	// the default SessionIdleTimeout, a negative value none (tests that
	// move the clock by weeks between one patient's requests).
	SessionIdleTimeout time.Duration
}

// SessionLifetime is how long a sign-in lasts at most: 30 days, after
// which the user signs in again, however often they use it.
const SessionLifetime = 30 * 24 * time.Hour

// SessionIdleTimeout ends a sign-in that has not been used for 12 hours
// (a shared computer, a phone left at the clinic): a day's use keeps it
// alive, a night away does not. A use moves the expiry on in the database
// at most every few minutes (sessionStore), so requests that change
// nothing mostly write nothing.
const SessionIdleTimeout = 12 * time.Hour

type app struct {
	site    *site.Site
	st      *store.Store
	acc     *account.Service
	care    *care.Service
	clinics *clinic.Service
	sm      *scs.SessionManager
	cop     *http.CrossOriginProtection
	log     *slog.Logger
	now     func() time.Time
	tmpl    map[string]*template.Template
	// drain reports whether the server is stopping (ops.go); nil: never.
	drain func() bool
	// clinicDetails caches the clinics' details for their pages (ownclinic.go).
	clinicDetails clinicCache
	cssPath       string
	lastGC        atomic.Int64 // unix seconds of the last expired-session sweep
	public        http.Handler
	preview       *preview.Live // Config.Preview
	routes        []route
	mux           *http.ServeMux
	segments      map[string]bool // first path segments the routes use
	trusted       []netip.Prefix  // Config.TrustedProxies
}

// New returns the application's handler.
func New(cfg Config) (http.Handler, error) {
	a, err := newApp(cfg, nil)
	if err != nil {
		return nil, err
	}
	return a, nil
}

func newApp(cfg Config, extra []route) (*app, error) {
	if cfg.Site == nil || cfg.Store == nil {
		return nil, errors.New("web: Config needs a Site and a Store")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Accounts == nil {
		acc, err := account.New(cfg.Store, account.Options{Now: cfg.Now})
		if err != nil {
			return nil, err
		}
		cfg.Accounts = acc
	}
	a := &app{
		site:    cfg.Site,
		st:      cfg.Store,
		acc:     cfg.Accounts,
		log:     cfg.Logger,
		now:     cfg.Now,
		preview: cfg.Preview,
		trusted: cfg.TrustedProxies,
		drain:   cfg.Draining,
	}
	a.public = cfg.Site.Handler()
	if a.preview != nil {
		a.public = a.preview.Handler()
	}
	a.care = cfg.Care
	if a.care == nil {
		a.care = care.New(care.Config{Store: cfg.Store, Library: cfg.Site.Library(), Logger: cfg.Logger, Now: cfg.Now})
	}
	a.clinics = clinic.New(cfg.Store, a.acc, cfg.Now)
	a.cssPath = cssPath

	a.sm = scs.New()
	idle := cfg.SessionIdleTimeout
	switch {
	case idle == 0:
		idle = SessionIdleTimeout
	case idle < 0:
		idle = 0
	}
	a.sm.Store = sessionStore{ss: cfg.Store.Sessions(), now: cfg.Now, idle: idle}
	a.sm.Codec = sessionCodec{}
	a.sm.Lifetime = SessionLifetime
	a.sm.HashTokenInStore = true // a copy of the table holds no live tokens
	a.sm.Cookie.Name = "stenose_session"
	if cfg.Secure {
		a.sm.Cookie.Name = "__Host-stenose_session"
	}
	a.sm.Cookie.HttpOnly = true
	a.sm.Cookie.SameSite = http.SameSiteLaxMode
	a.sm.Cookie.Secure = cfg.Secure
	a.sm.Cookie.Path = "/"
	a.sm.Cookie.Persist = true
	a.sm.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) { a.fail(w, r, err) }

	a.cop = http.NewCrossOriginProtection()
	a.cop.SetDenyHandler(http.HandlerFunc(a.crossOrigin))

	if err := a.parseTemplates(); err != nil {
		return nil, err
	}
	a.routes = append(a.table(), extra...)
	a.mux = http.NewServeMux()
	a.segments = map[string]bool{}
	for _, rt := range a.routes {
		_, path, _ := strings.Cut(rt.pattern, " ")
		a.segments[firstSegment(path)] = true
		a.mux.Handle(rt.pattern, a.wrap(rt))
	}
	a.mux.Handle("/", a.public)
	return a, nil
}

// ServeHTTP sends requests whose first path segment no route uses straight
// to the public site (the hot path: no pattern matching, no allocation);
// the rest go through the route table's ServeMux, which falls back to the
// public site too. An unclean path (//konto, /./konto) reaches the site,
// which redirects it to its clean form.
func (a *app) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !a.segments[firstSegment(r.URL.Path)] {
		if to, ok := a.englishAppPath(r); ok {
			site.SecurityHeaders(w.Header())
			http.Redirect(w, r, to, http.StatusSeeOther)
			return
		}
		a.public.ServeHTTP(w, r)
		return
	}
	if len(a.trusted) > 0 { // behind a trusted proxy: RemoteAddr becomes the client
		if c := account.ClientAddr(r.RemoteAddr, r.Header.Values("X-Forwarded-For"), a.trusted); c != r.RemoteAddr {
			r = r.WithContext(r.Context()) // a shallow copy: the caller's request is left alone
			r.RemoteAddr = c
		}
	}
	a.mux.ServeHTTP(w, r)
}

// englishAppPath answers an app page asked for under /en/ (/en/i-dag,
// /en/dagbog/ny?x=1), as the public site's English pages are: the app
// keeps one address per page, so it is the page's own address with
// ?lang=en, which shows it in English (lang.go). Only GET and HEAD, and
// never the APIs or static files.
func (a *app) englishAppPath(r *http.Request) (string, bool) {
	p := r.URL.Path
	if (r.Method != http.MethodGet && r.Method != http.MethodHead) || !strings.HasPrefix(p, "/en/") {
		return "", false
	}
	rest := p[len("/en"):]
	switch seg := firstSegment(rest); {
	case !a.segments[seg], seg == "api", seg == "static":
		return "", false
	}
	q := r.URL.Query()
	q.Set(langParam, "en")
	return rest + "?" + q.Encode(), true
}

// firstSegment is "konto" for "/konto/log-ind", "static" for "/static/x".
func firstSegment(p string) string {
	if len(p) > 0 && p[0] == '/' {
		p = p[1:]
	}
	if i := strings.IndexByte(p, '/'); i >= 0 {
		p = p[:i]
	}
	return p
}

// Routes lists the application's own routes with who may use each, for
// documentation and tests.
func Routes() []RouteInfo {
	var a app
	var out []RouteInfo
	for _, rt := range a.table() {
		out = append(out, RouteInfo{Pattern: rt.pattern, Access: rt.access})
	}
	return out
}

// RouteInfo is one route of the table.
type RouteInfo struct {
	Pattern string
	Access  Access
}
