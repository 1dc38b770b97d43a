package web

import (
	"crypto/sha256"
	"encoding/base64"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/store"
)

// TestSessionIdleTimeout: a sign-in unused for SessionIdleTimeout (12
// hours) ends; one in use lives on, but never past SessionLifetime (30
// days) after the sign-in. A use writes the new expiry only when it moves
// by touchEvery or more.
func TestSessionIdleTimeout(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		expiryOf := func(e *env, c *client) time.Time {
			t.Helper()
			_, _, exp, found, err := st.Sessions().FindUserExpiry(t.Context(), hashedToken(c), e.clock.now())
			if err != nil || !found {
				t.Fatalf("the session is not in the store: %v", err)
			}
			return exp
		}

		// Used a little under every 12 hours: alive until 30 days after
		// the sign-in (scs's deadline, set at the sign-in; this clock
		// starts at the system's), then signed out however it is used.
		e := newEnv(t, st, nil, idleTimeout)
		busy := e.signUp("anna")
		start := e.clock.now()
		exp := expiryOf(e, busy)
		if d := exp.Sub(start); d < SessionIdleTimeout-time.Second || d > SessionIdleTimeout+time.Second {
			t.Errorf("after the sign-in the session expires in %v, want %v", d, SessionIdleTimeout)
		}
		e.clock.add(time.Minute)
		want(t, "a minute later", busy.get("/konto"), 200, "")
		if got := expiryOf(e, busy); !got.Equal(exp) {
			t.Errorf("a use a minute on wrote the expiry (%v → %v): want no write below %v", exp, got, touchEvery)
		}
		e.clock.add(touchEvery)
		want(t, "6 minutes later", busy.get("/konto"), 200, "")
		if got, w := expiryOf(e, busy), e.clock.now().Add(SessionIdleTimeout); !got.Equal(w) {
			t.Errorf("a use 6 minutes on: expiry %v, want %v", got, w)
		}
		for e.clock.now().Sub(start) < SessionLifetime-11*time.Hour {
			e.clock.add(11 * time.Hour)
			want(t, "in use", busy.get("/konto"), 200, "")
		}
		if got := expiryOf(e, busy); got.After(start.Add(SessionLifetime).Add(time.Minute)) {
			t.Errorf("near the end, expiry %v is past the 30 days (%v)", got, start.Add(SessionLifetime))
		}
		e.clock.add(11 * time.Hour)
		want(t, "30 days after the sign-in", busy.get("/konto"), 303, "/konto/log-ind")

		// Unused for 12 hours: signed out (a new clock, at the system's).
		e = newEnv(t, st, nil, idleTimeout)
		idle := e.signIn("anna", goodPW)
		want(t, "at once", idle.get("/konto"), 200, "")
		e.clock.add(SessionIdleTimeout - time.Minute)
		want(t, "11 h 59 min later", idle.get("/konto"), 200, "")
		e.clock.add(SessionIdleTimeout + time.Second)
		want(t, "12 h unused", idle.get("/konto"), 303, "/konto/log-ind")
		// A session of an older stenose, stored with 30 days, is brought
		// down to 12 hours at its next use.
		old := e.signIn("anna", goodPW)
		if err := st.Sessions().Touch(t.Context(), hashedToken(old), e.clock.now().Add(SessionLifetime)); err != nil {
			t.Fatal(err)
		}
		want(t, "an older session", old.get("/konto"), 200, "")
		if got, w := expiryOf(e, old), e.clock.now().Add(SessionIdleTimeout); !got.Equal(w) {
			t.Errorf("an older session's expiry after a use: %v, want %v", got, w)
		}
	})
}

// hashedToken is the key c's session cookie is stored under (scs's
// HashTokenInStore: SHA-256, base64url).
func hashedToken(c *client) string {
	ck := c.cookie()
	if ck == nil {
		c.e.t.Fatal("no session cookie")
	}
	h := sha256.Sum256([]byte(ck.Value))
	return base64.RawURLEncoding.EncodeToString(h[:])
}
