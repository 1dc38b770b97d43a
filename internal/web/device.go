package web

// The device cookie: a browser that signs in gets a random token, and the
// account a row in known_devices (internal/account), so the sign-in limits
// can tell the owner's own devices from everyone else's (a known device is
// not held to the login-wide limit that guessing from many addresses
// fills: account.Limits). The token grants nothing by itself: it is not a
// session, and it is worth something only to a browser that has signed in
// to that login with its password.

import (
	"net/http"

	"github.com/stenose/stenose/internal/account"
)

// deviceCookieName is the cookie's name; behind TLS it gets the __Host-
// prefix (Secure, Path=/, no Domain), like the session's.
func (a *app) deviceCookieName() string {
	if a.sm.Cookie.Secure {
		return "__Host-stenose_device"
	}
	return "stenose_device"
}

// deviceCookie is the device token the browser sent, "" for none.
func (a *app) deviceCookie(r *http.Request) string {
	if c, err := r.Cookie(a.deviceCookieName()); err == nil {
		return c.Value
	}
	return ""
}

// withDevice gives the request's context the browser's device token
// (account.WithDevice), for every attempt to prove who one is.
func withDevice(next http.Handler, token func(*http.Request) string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if t := token(r); t != "" {
			r = r.WithContext(account.WithDevice(r.Context(), t))
		}
		next.ServeHTTP(w, r)
	})
}

// rememberDevice marks this browser as one userID signs in on, and gives
// it (again) its device cookie for account.DeviceLifetime. Best effort: a
// browser not remembered is only held to the limits of any other.
func (a *app) rememberDevice(w http.ResponseWriter, r *http.Request, userID int64) {
	tok, err := a.acc.RememberDevice(r.Context(), userID)
	if err != nil {
		a.log.WarnContext(r.Context(), "remembering the device", "err", err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: a.deviceCookieName(), Value: tok, Path: "/", HttpOnly: true,
		Secure: a.sm.Cookie.Secure, SameSite: http.SameSiteLaxMode, MaxAge: int(account.DeviceLifetime.Seconds())})
}
