package web

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/stenose/stenose/internal/humancode"
	"github.com/stenose/stenose/internal/store"
)

// TestSecondFactorSignIn: a clinician's password alone signs nobody in;
// enrolment shows a QR code and the key, refuses a wrong first code and
// shows ten recovery codes once; later sign-ins take a current code or a
// recovery code, once; a sign-in left waiting too long starts again; a
// patient never sees the step.
func TestSecondFactorSignIn(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		e := newEnv(t, st, nil)
		ctx := t.Context()
		e.signUp("dorte")
		if err := st.SetRole(ctx, userID(t, st, "dorte"), store.RoleClinician); err != nil {
			t.Fatal(err)
		}
		c := e.client()
		r := c.post("/konto/log-ind", "login", "dorte", "password", goodPW)
		want(t, "password right", r, 303, enrolPath)
		want(t, "not signed in yet", c.get("/konto"), 303, "/konto/log-ind")
		want(t, "no code step before enrolment", c.get(secondFactorPath), 303, "/konto/log-ind?igen=1")

		page := c.get(enrolPath)
		want(t, "enrolment", page, 200, "")
		contains(t, "enrolment", page.body, `<figure class="qr"><svg `, `role="img" aria-label="QR-kode til godkendelses-appen"`, `autocomplete="one-time-code"`)
		secret := strings.ReplaceAll(regexp.MustCompile(`<p class="secret"><code>([A-Z2-7 ]+)</code>`).FindStringSubmatch(page.body)[1], " ", "")
		again := c.get(enrolPath)
		contains(t, "the same secret on a reload", again.body, humancode.Group(secret, 4, " "))

		r = c.post(enrolPath, "kode", "000000")
		want(t, "a wrong first code", r, 422, "")
		contains(t, "a wrong first code", r.body, "Koden passer ikke.", humancode.Group(secret, 4, " "))
		code, _ := totp.GenerateCode(secret, e.clock.now())
		r = c.post(enrolPath, "kode", code)
		want(t, "enrolled", r, 200, "")
		recovery := regexp.MustCompile(`<li><code>([0-9A-Z]{5}-[0-9A-Z]{5})</code></li>`).FindAllStringSubmatch(r.body, -1)
		if len(recovery) != 10 || !strings.Contains(r.body, "Koderne vises kun nu.") {
			t.Fatalf("recovery codes: %d\n%s", len(recovery), r.body)
		}
		want(t, "signed in after enrolment", c.get("/konto"), 200, "")

		// Later: the code from the app.
		e.clock.add(time.Minute)
		c2 := e.client()
		want(t, "second sign-in", c2.post("/konto/log-ind", "login", "dorte", "password", goodPW), 303, secondFactorPath)
		want(t, "no enrolment again", c2.get(enrolPath), 303, "/konto/log-ind?igen=1")
		r = c2.post(secondFactorPath, "kode", "123456")
		want(t, "a wrong code", r, 422, "")
		contains(t, "a wrong code", r.body, "Koden passer ikke, eller den er brugt.")
		code, _ = totp.GenerateCode(secret, e.clock.now())
		want(t, "the right code", c2.post(secondFactorPath, "kode", code), 303, "/konto")
		// The same code on another sign-in is refused.
		c3 := e.client()
		c3.post("/konto/log-ind", "login", "dorte", "password", goodPW)
		want(t, "a used code", c3.post(secondFactorPath, "kode", code), 422, "")
		// A recovery code, once.
		want(t, "a recovery code", c3.post(secondFactorPath, "kode", strings.ToLower(recovery[0][1])), 303, "/konto")
		c4 := e.client()
		c4.post("/konto/log-ind", "login", "dorte", "password", goodPW)
		want(t, "a recovery code twice", c4.post(secondFactorPath, "kode", recovery[0][1]), 422, "")
		// Waiting too long: start again.
		e.clock.add(11 * time.Minute)
		code, _ = totp.GenerateCode(secret, e.clock.now())
		want(t, "too late", c4.post(secondFactorPath, "kode", code), 303, "/konto/log-ind?igen=1")
		contains(t, "too late", c4.get("/konto/log-ind?igen=1").body, "Log ind igen")

		// A patient signs in with the password alone.
		e.signUp("anna")
		want(t, "a patient", e.client().post("/konto/log-ind", "login", "anna", "password", goodPW), 303, "/i-dag")
	})
}
