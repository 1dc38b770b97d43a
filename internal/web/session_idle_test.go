package web

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"regexp"
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

// TestStaySignedIn: the box "Forbliv logget ind på denne enhed". A
// patient who ticks it at sign-in or sign-up has no idle timeout: alive
// after 13 hours and after 20 days unused, signed out 30 days after the
// sign-in (SessionLifetime) — and a kept session costs no write on use.
// Unticked, and for a clinician whether ticked or not, 12 hours unused
// ends the sign-in. The choice goes along through the second step's
// renewal and a password change.
func TestStaySignedIn(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		e := newEnv(t, st, nil, idleTimeout)
		ctx := t.Context()
		stored := func(c *client) (map[string]any, time.Time) {
			t.Helper()
			b, _, exp, found, err := st.Sessions().FindUserExpiry(ctx, hashedToken(c), e.clock.now())
			if err != nil || !found {
				t.Fatalf("the session is not in the store: %v", err)
			}
			_, values, err := sessionCodec{}.Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			return values, exp
		}
		near := func(what string, got, want time.Time) {
			t.Helper()
			// scs sets the deadline on its own clock (the system's), a
			// moment after this test's clock started.
			if d := got.Sub(want); d < -time.Second || d > time.Minute {
				t.Errorf("%s: expiry %v, want %v", what, got, want)
			}
		}
		e.signUp("anna").post("/konto/log-ud")
		e.signUp("bo").post("/konto/log-ud")
		e.signUp("dorte").post("/konto/log-ud")
		if err := st.SetRole(ctx, e.userID("dorte"), store.RoleClinician); err != nil {
			t.Fatal(err)
		}

		// Ticked at sign-in: 30 days however rarely used.
		start := e.clock.now()
		kept := e.signIn("anna", goodPW, "forbliv", "ja")
		values, exp := stored(kept)
		if values[sessionKeepKey] != true {
			t.Errorf("a ticked sign-in's session holds %v", values)
		}
		near("ticked, after the sign-in", exp, start.Add(SessionLifetime))
		// Ticked at sign-up (a new patient on their own phone).
		c := e.client()
		want(t, "sign up, ticked", c.post("/konto/opret", "login", "cecilie", "password", goodPW, "password2", goodPW, "forbliv", "ja"), 303, "/start")
		_, exp = stored(c)
		near("ticked at sign-up", exp, start.Add(SessionLifetime))
		// Unticked, for contrast; and a clinician who ticks, through the
		// second step (enrolment): the choice goes along the renewal, and
		// the rule then refuses it.
		plain := e.signIn("bo", goodPW)
		doc := e.client()
		r := doc.post("/konto/log-ind", "login", "dorte", "password", goodPW, "forbliv", "ja")
		want(t, "a clinician's password", r, 303, enrolPath)
		if values, _ := stored(doc); values[pendingKeepKey] != true || values[pendingKey] == nil {
			t.Errorf("after the second step's renewal the session holds %v: the choice is lost", values)
		}
		e.secondStep(doc, "dorte", true, "/konto")
		values, exp = stored(doc)
		if _, ok := values[sessionKeepKey]; ok || values[pendingKeepKey] != nil {
			t.Errorf("a clinician's session holds %v", values)
		}
		near("a clinician who ticked", exp, e.clock.now().Add(SessionIdleTimeout))

		e.clock.add(13 * time.Hour)
		want(t, "ticked, 13 hours unused", kept.get("/konto"), 200, "")
		want(t, "ticked at sign-up, 13 hours unused", c.get("/konto"), 200, "")
		want(t, "unticked, 13 hours unused", plain.get("/konto"), 303, "/konto/log-ind")
		want(t, "a clinician who ticked, 13 hours unused", doc.get("/konto"), 303, "/konto/log-ind")
		_, before := stored(kept)
		want(t, "ticked, in use", kept.get("/konto"), 200, "")
		if _, after := stored(kept); !after.Equal(before) {
			t.Errorf("a use of a kept session wrote its expiry (%v → %v)", before, after)
		}

		e.clock.add(20*24*time.Hour - 13*time.Hour)
		want(t, "ticked, 20 days after the sign-in, a week unused", kept.get("/konto"), 200, "")
		e.clock.add(SessionLifetime - 20*24*time.Hour - time.Hour)
		want(t, "ticked, an hour before the 30 days", kept.get("/konto"), 200, "")
		e.clock.add(2 * time.Hour)
		want(t, "ticked, 30 days after the sign-in", kept.get("/konto"), 303, "/konto/log-ind")
		want(t, "ticked at sign-up, 30 days after", c.get("/konto"), 303, "/konto/log-ind")
	})
}

// TestStaySignedInRenewed: a password change keeps the changer's choice
// for their own renewed session (ticked: still alive 13 hours unused;
// unticked: 12 hours end it) while every other session of theirs ends;
// and a kept session whose user has become a clinician since (a role
// changed behind the sign-in's back) ends after 12 hours unused.
func TestStaySignedInRenewed(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		e := newEnv(t, st, nil, idleTimeout)
		const newPW = "en ny og lang adgangskode"
		for _, tc := range []struct {
			login string
			kv    []string
			alive bool // 13 hours after the change, unused
		}{
			{"anna", []string{"forbliv", "ja"}, true},
			{"bo", nil, false},
		} {
			e.signUp(tc.login).post("/konto/log-ud")
			c := e.signIn(tc.login, goodPW, tc.kv...)
			other := e.signIn(tc.login, goodPW, tc.kv...)
			old := c.cookie().Value
			r := c.post("/konto/adgangskode", "current", goodPW, "password", newPW, "password2", newPW)
			want(t, tc.login+": change the password", r, 303, "/konto")
			if c.cookie().Value == old {
				t.Fatalf("%s: the session was not renewed", tc.login)
			}
			want(t, tc.login+": the other session", other.get("/konto"), 303, "/konto/log-ind")
			e.clock.add(13 * time.Hour)
			if tc.alive {
				want(t, tc.login+": kept, 13 hours after the change", c.get("/konto"), 200, "")
			} else {
				want(t, tc.login+": not kept, 13 hours after the change", c.get("/konto"), 303, "/konto/log-ind")
			}
		}

		// Kept as a patient, a clinician now: the next use brings the
		// expiry down to 12 hours, and the session is not saved kept.
		e.signUp("carl").post("/konto/log-ud")
		c := e.signIn("carl", goodPW, "forbliv", "ja")
		if err := st.SetRole(t.Context(), e.userID("carl"), store.RoleClinician); err != nil {
			t.Fatal(err)
		}
		want(t, "a clinician now", c.get("/konto"), 200, "")
		e.clock.add(SessionIdleTimeout + time.Second)
		want(t, "a clinician now, 12 hours unused", c.get("/konto"), 303, "/konto/log-ind")

		// Saving a kept session: its deadline, unless the user read with
		// the request's session may not keep it.
		ss := sessionStore{ss: st.Sessions(), now: e.clock.now, idle: SessionIdleTimeout}
		carl, err := st.UserByID(t.Context(), e.userID("carl"))
		if err != nil {
			t.Fatal(err)
		}
		deadline := e.clock.now().Add(SessionLifetime)
		b, err := sessionCodec{}.Encode(deadline, map[string]any{sessionUserKey: carl.ID, sessionKeepKey: true})
		if err != nil {
			t.Fatal(err)
		}
		patient := carl
		patient.Role = store.RolePatient
		for _, tc := range []struct {
			name string
			read *store.User // the user FindCtx read with the session
			want time.Time
		}{
			{"at the sign-in (no user read yet)", nil, deadline},
			{"a patient", &patient, deadline},
			{"a clinician", &carl, e.clock.now().Add(SessionIdleTimeout)},
		} {
			ctx := context.WithValue(t.Context(), sessionUserCtx{}, &sessionUser{u: tc.read})
			if err := ss.CommitCtx(ctx, "token-"+tc.name, b, deadline); err != nil {
				t.Fatal(err)
			}
			_, _, exp, found, err := st.Sessions().FindUserExpiry(t.Context(), "token-"+tc.name, e.clock.now())
			if err != nil || !found || !exp.Equal(tc.want) {
				t.Errorf("%s: saved with expiry %v (%v %v), want %v", tc.name, exp, found, err, tc.want)
			}
		}
	})
}

// TestStaySignedInForm: the box on the sign-in and sign-up forms, unticked
// at first, and as the person left it when the form comes back with a
// mistake (422, 401, 429).
func TestStaySignedInForm(t *testing.T) {
	e := newEnv(t, openSQLite(t), nil)
	box := regexp.MustCompile(`<input id="forbliv" name="forbliv" type="checkbox" value="ja" aria-describedby="forbliv-hint"( checked)?>`)
	ticked := func(what string, r resp, status int, want bool) {
		t.Helper()
		if r.status != status {
			t.Fatalf("%s: status %d, want %d", what, r.status, status)
		}
		m := box.FindStringSubmatch(r.body)
		switch {
		case m == nil:
			t.Errorf("%s: no box", what)
		case (m[1] != "") != want:
			t.Errorf("%s: ticked %v, want %v", what, m[1] != "", want)
		}
		contains(t, what, r.body, `<label for="forbliv">`, `id="forbliv-hint"`)
	}
	e.signUp("anna").post("/konto/log-ud")
	c := e.client()
	ticked("the sign-in form", c.get("/konto/log-ind"), 200, false)
	ticked("the sign-up form", c.get("/konto/opret"), 200, false)
	contains(t, "the sign-in form", c.get("/konto/log-ind").body, "Forbliv logget ind på denne enhed",
		"Kun på din egen telefon eller computer – ikke på en fælles computer.")
	contains(t, "in English", c.get("/konto/log-ind?lang=en").body, "Stay signed in on this device",
		"Only on your own phone or computer – not on a shared one.")
	for _, f := range [][]string{nil, {"forbliv", "ja"}} {
		on := f != nil
		ticked("no password", c.post("/konto/log-ind", append([]string{"login", "anna", "password", ""}, f...)...), 422, on)
		ticked("a wrong password", c.post("/konto/log-ind", append([]string{"login", "anna", "password", "forkert"}, f...)...), 401, on)
		ticked("a sign-up with mistakes", c.post("/konto/opret", append([]string{"login", "bo", "password", "kort", "password2", "kort"}, f...)...), 422, on)
	}
	for range 10 {
		c.post("/konto/log-ind", "login", "anna", "password", "forkert")
	}
	ticked("too many tries", c.post("/konto/log-ind", "login", "anna", "password", "forkert", "forbliv", "ja"), 429, true)
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
