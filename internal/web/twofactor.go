package web

// The second step of a clinician's or an admin's sign-in (issue 13): after
// the password, a one-time code from an authenticator app, or a recovery
// code; the first time, enrolment by QR code. Until the step is done the
// session holds only who is signing in (pendingKey), never a signed-in
// user.

import (
	"errors"
	"html/template"
	"net/http"
	"time"

	"github.com/stenose/stenose/internal/account"
	"github.com/stenose/stenose/internal/humancode"
	"github.com/stenose/stenose/internal/qr"
	"github.com/stenose/stenose/internal/store"
)

const (
	secondFactorPath = "/konto/kode"
	enrolPath        = "/konto/kode/ny"
	pendingKey       = "pending"     // the user whose password was right (int64)
	pendingAtKey     = "pendingAt"   // when (unix seconds); the step must follow within pendingFor
	pendingNextKey   = "pendingNext" // where the sign-in was going
	pendingKeepKey   = "pendingKeep" // the box "Forbliv logget ind" was ticked (bool)
	enrolKey         = "enrol"       // the otpauth URL offered, until a first code confirms it
	pendingFor       = 10 * time.Minute
)

// beginSecondFactor answers a right password of a user who signs in with
// a second factor: the session remembers them as pending (a new token, as
// at any sign-in) and the browser goes to the code, or to enrolment. The
// choice to stay signed in goes along to the sign-in the step finishes
// (where startSession applies the rule: today no role with a second
// factor keeps a sign-in past the idle timeout).
func (a *app) beginSecondFactor(w http.ResponseWriter, r *http.Request, u store.User, next string, keep bool) {
	ctx := r.Context()
	if err := a.sm.RenewToken(ctx); err != nil {
		a.fail(w, r, err)
		return
	}
	a.sm.Put(ctx, pendingKey, u.ID)
	a.sm.Put(ctx, pendingAtKey, a.now().Unix())
	a.sm.Put(ctx, pendingNextKey, next)
	if keep {
		a.sm.Put(ctx, pendingKeepKey, true)
	} else {
		a.sm.Remove(ctx, pendingKeepKey)
	}
	a.sm.Remove(ctx, enrolKey)
	to := secondFactorPath
	if u.TOTPEnabledAt.IsZero() {
		to = enrolPath
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// pending is the user signing in, or false when there is none (or the
// step came too late): the caller sends the browser back to sign in.
func (a *app) pending(r *http.Request) (store.User, bool) {
	ctx := r.Context()
	id, at := a.sm.GetInt64(ctx, pendingKey), a.sm.GetInt64(ctx, pendingAtKey)
	if id == 0 || a.now().Sub(time.Unix(at, 0)) > pendingFor {
		return store.User{}, false
	}
	u, err := a.st.UserByID(ctx, id)
	if err != nil || u.Disabled() || !account.NeedsSecondFactor(u) {
		return store.User{}, false
	}
	return u, true
}

// finishSignIn ends the pending state and signs u in for real.
func (a *app) finishSignIn(w http.ResponseWriter, r *http.Request, u store.User) (next string, err error) {
	ctx := r.Context()
	next = a.sm.PopString(ctx, pendingNextKey)
	keep := a.sm.PopBool(ctx, pendingKeepKey)
	for _, k := range []string{pendingKey, pendingAtKey, enrolKey} {
		a.sm.Remove(ctx, k)
	}
	if next == "" {
		next = landing(u)
	}
	return next, a.startSession(w, r, u, keep)
}

// signInAgain sends a browser without a sign-in waiting for its second
// step back to the sign-in page, saying why.
func (a *app) signInAgain(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/konto/log-ind?igen=1", http.StatusSeeOther)
}

// twoFactorView is the code page's and the enrolment page's.
type twoFactorView struct {
	*view
	QR       template.HTML // enrolment: the otpauth URL as a QR code
	Secret   string        // enrolment: the secret in groups of four, to type
	Recovery []string      // after enrolment: the recovery codes, shown once
	Next     string
}

func (v *twoFactorView) page() *view { return v.view }

func (a *app) secondFactorForm(w http.ResponseWriter, r *http.Request) {
	u, ok := a.pending(r)
	if !ok || u.TOTPEnabledAt.IsZero() {
		a.signInAgain(w, r)
		return
	}
	a.render(w, r, http.StatusOK, "twofactor.html", &twoFactorView{view: a.newView(r, "twofaTitle")})
}

func (a *app) secondFactor(w http.ResponseWriter, r *http.Request) {
	if !form(w, r) {
		return
	}
	u, ok := a.pending(r)
	if !ok || u.TOTPEnabledAt.IsZero() {
		a.signInAgain(w, r)
		return
	}
	v := &twoFactorView{view: a.newView(r, "twofaTitle")}
	err := a.acc.VerifySecondFactor(r.Context(), u, r.PostForm.Get("kode"), r.RemoteAddr)
	switch {
	case err == nil:
		next, err := a.finishSignIn(w, r, u)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	case errors.Is(err, account.ErrSecondFactor):
		noteEvent(r, "second_factor_failed")
		v.fail("kode", v.T("errTwofaWrong"))
	case v.tooMany(w, err, "kode"):
		noteEvent(r, "second_factor_limited")
		v.summarise()
		a.render(w, r, http.StatusTooManyRequests, "twofactor.html", v)
		return
	default:
		a.fail(w, r, err)
		return
	}
	v.summarise()
	a.render(w, r, http.StatusUnprocessableEntity, "twofactor.html", v)
}

// enrolView offers a secret: the one kept in the session, or a new one.
func (a *app) enrolView(r *http.Request, u store.User) (*twoFactorView, error) {
	v := &twoFactorView{view: a.newView(r, "enrolTitle")}
	en, err := a.enrolment(r, u)
	if err != nil {
		return nil, err
	}
	svg, err := qr.SVG(en.URL, v.T("enrolQRLabel"))
	if err != nil {
		return nil, err
	}
	v.QR, v.Secret = svg, humancode.Group(en.Secret, 4, " ")
	return v, nil
}

// enrolment is the second factor offered to u: the one kept in the
// session, or a new one (then kept).
func (a *app) enrolment(r *http.Request, u store.User) (account.Enrolment, error) {
	ctx := r.Context()
	if kept := a.sm.GetString(ctx, enrolKey); kept != "" {
		return account.EnrolmentOf(kept)
	}
	en, err := a.acc.BeginTOTP(u)
	if err != nil {
		return en, err
	}
	a.sm.Put(ctx, enrolKey, en.URL)
	return en, nil
}

func (a *app) enrolForm(w http.ResponseWriter, r *http.Request) {
	u, ok := a.pending(r)
	if !ok || !u.TOTPEnabledAt.IsZero() {
		a.signInAgain(w, r)
		return
	}
	v, err := a.enrolView(r, u)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.render(w, r, http.StatusOK, "twofactor_enrol.html", v)
}

func (a *app) enrol(w http.ResponseWriter, r *http.Request) {
	if !form(w, r) {
		return
	}
	u, ok := a.pending(r)
	if !ok || !u.TOTPEnabledAt.IsZero() || a.sm.GetString(r.Context(), enrolKey) == "" {
		a.signInAgain(w, r)
		return
	}
	en, err := a.enrolment(r, u)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	codes, err := a.acc.ConfirmTOTP(r.Context(), u.ID, en.Secret, r.PostForm.Get("kode"))
	if errors.Is(err, account.ErrSecondFactor) {
		noteEvent(r, "enrol_failed")
		v, err := a.enrolView(r, u)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		v.fail("kode", v.T("errEnrolWrong"))
		v.summarise()
		a.render(w, r, http.StatusUnprocessableEntity, "twofactor_enrol.html", v)
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	next, err := a.finishSignIn(w, r, u)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	// Signed in now; the recovery codes are shown this once.
	v := &twoFactorView{view: a.newView(r, "recoveryTitle"), Recovery: codes, Next: next}
	v.User = &u
	a.render(w, r, http.StatusOK, "twofactor_recovery.html", v)
}
