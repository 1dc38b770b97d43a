package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/stenose/stenose/internal/site"
	"github.com/stenose/stenose/internal/store"
)

// Access is who may use a route. Each rule lets in exactly who it names:
// admin is not a super-role that passes the clinician or patient rules.
type Access int

const (
	Anyone    Access = iota // anonymous visitors and signed-in users alike
	SignedIn                // any signed-in user, whatever the role
	Patient                 // signed-in users with the role patient
	Clinician               // signed-in users with the role clinician
	Admin                   // signed-in users with the role admin
)

func (a Access) String() string {
	switch a {
	case Anyone:
		return "anyone"
	case SignedIn:
		return "signed-in"
	case Patient:
		return "patient"
	case Clinician:
		return "clinician"
	case Admin:
		return "admin"
	}
	return "unknown"
}

// Allows reports whether u (nil: anonymous) may use a route with rule a.
func (a Access) Allows(u *store.User) bool {
	switch a {
	case Anyone:
		return true
	case SignedIn:
		return u != nil
	case Patient:
		return u != nil && u.Role == store.RolePatient
	case Clinician:
		return u != nil && u.Role == store.RoleClinician
	case Admin:
		return u != nil && u.Role == store.RoleAdmin
	}
	return false
}

// route is one entry of the route table.
type route struct {
	pattern string // a ServeMux pattern with its method: "GET /konto"
	access  Access
	// stateless routes (static files) load no session.
	stateless bool
	// secretPath: the address itself is the credential (the calendar
	// feed's link): the request log shows the route's pattern instead.
	secretPath bool
	handler    http.HandlerFunc
}

type ctxKey struct{}

// userFrom returns the signed-in user, or nil.
func userFrom(ctx context.Context) *store.User {
	u, _ := ctx.Value(ctxKey{}).(*store.User)
	return u
}

const sessionUserKey = "uid"

// wrap puts a route's handler behind the middleware every route gets:
// the request log and metrics (accesslog.go), security headers, CSRF
// protection for state changes, the session, and the route's access rule.
func (a *app) wrap(rt route) http.Handler {
	h := http.Handler(rt.handler)
	if rt.stateless {
		return a.observe(rt, headers(h, false))
	}
	h = a.authorize(rt.access, h)
	h = withDevice(h, a.deviceCookie)
	h = a.sm.LoadAndSave(h)
	h = withSessionUser(h)
	h = a.cop.Handler(h) // refuses cross-origin POST, PUT, DELETE, PATCH
	return a.observe(rt, headers(h, true))
}

func headers(h http.Handler, private bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		site.SecurityHeaders(w.Header())
		if private {
			w.Header().Set("Cache-Control", "no-store")
		}
		h.ServeHTTP(w, r)
	})
}

// authorize loads the signed-in user (if any), settles the request's
// language (resolveLang, lang.go) and applies the rule:
// anonymous visitors are sent to sign in, signed-in users without the
// role get 403.
func (a *app) authorize(rule Access, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var u *store.User
		if id := a.sm.GetInt64(ctx, sessionUserKey); id != 0 {
			// Usually read along with the session (sessionStore.FindCtx);
			// a session not yet bound to its user is looked up here.
			u = preloaded(ctx, id)
			if u == nil {
				user, err := a.st.UserByID(ctx, id)
				switch {
				case err == nil:
					u = &user
				case errors.Is(err, store.ErrNotFound):
					_ = a.sm.Destroy(ctx) // the account is gone
				default:
					a.fail(w, r, err)
					return
				}
			}
		}
		ctx = withLang(ctx, a.resolveLang(w, r, u))
		r = r.WithContext(ctx)
		if u != nil {
			noteUser(ctx, u.ID)
		}
		if !rule.Allows(u) {
			if u == nil {
				target := "/konto/log-ind"
				if r.Method == http.MethodGet && r.URL.Path != "/konto" {
					target += "?naeste=" + url.QueryEscape(r.URL.RequestURI())
				}
				http.Redirect(w, r, target, http.StatusSeeOther)
				return
			}
			noteEvent(r, "forbidden")
			a.forbidden(w, r, u)
			return
		}
		if u != nil {
			ctx = context.WithValue(ctx, ctxKey{}, u)
			r = r.WithContext(ctx)
		}
		next.ServeHTTP(w, r)
	})
}

// safeNext returns p if it is a path on this site to go to after signing
// in, else "".
func safeNext(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n\t") {
		return ""
	}
	u, err := url.Parse(p)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return ""
	}
	return p
}
