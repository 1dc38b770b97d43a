package web

// Signing up, in and out: the forms, the session they start, the limits'
// waits in words (the account page and the rest of the account's forms are
// in pages.go).

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/stenose/stenose/internal/account"
	"github.com/stenose/stenose/internal/clinic"
	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/store"
)

// startSession signs u in on this session: a new token (so a token known
// before the sign-in is worthless), bound to the user. keep is the box
// "Forbliv logget ind på denne enhed": a patient who ticked it has no idle
// timeout (sessionStore), anyone else does.
func (a *app) startSession(w http.ResponseWriter, r *http.Request, u store.User, keep bool) error {
	ctx := r.Context()
	if err := a.sm.RenewToken(ctx); err != nil {
		return err
	}
	a.sm.Put(ctx, sessionUserKey, u.ID)
	if keep && account.MayStaySignedIn(u) {
		a.sm.Put(ctx, sessionKeepKey, true)
	} else {
		a.sm.Remove(ctx, sessionKeepKey)
	}
	a.rememberDevice(w, r, u.ID)
	a.patientHint(w, r, u.Role == store.RolePatient)
	if err := a.signedInLang(w, r, u); err != nil {
		return err
	}
	a.collectExpired(r)
	return nil
}

// collectExpired deletes expired sessions at most once an hour, on a
// sign-in, so no background goroutine is needed.
func (a *app) collectExpired(r *http.Request) {
	now := a.now()
	last := a.lastGC.Load()
	if now.Unix()-last < int64(time.Hour/time.Second) || !a.lastGC.CompareAndSwap(last, now.Unix()) {
		return
	}
	if _, err := a.st.Sessions().DeleteExpired(r.Context(), now); err != nil {
		a.log.WarnContext(r.Context(), "deleting expired sessions", "err", err)
	}
}

// Where a sign-in lands when no page asked for it (no safe naeste).
const (
	// signUpLanding is a new patient's first page: onboarding, which
	// starts with the red-flag screen and then the baseline.
	signUpLanding = "/start"
	// patientLanding is today's page, which itself sends a patient who
	// has not finished onboarding there.
	patientLanding = "/i-dag"
)

// landing is where u goes after signing in with no page to return to: a
// patient to today, a clinician of a clinic to the patient list, an
// administrator (or a clinician in no clinic yet) to the account page.
func landing(u store.User) string {
	switch {
	case u.Role == store.RolePatient:
		return patientLanding
	case u.Role == store.RoleClinician && u.ClinicID != 0:
		return workspacePath
	}
	return "/konto"
}

func (a *app) signUpForm(w http.ResponseWriter, r *http.Request) {
	if userFrom(r.Context()) != nil {
		http.Redirect(w, r, "/konto", http.StatusSeeOther)
		return
	}
	v := a.newView(r, "signupTitle")
	// The link on an invitation slip (and its QR code) carries the code:
	// the page says who invites and fills in the name.
	if code := r.URL.Query().Get("kode"); code != "" {
		v.Form["kode"] = code
		if inv, err := a.clinics.Lookup(r.Context(), code); err == nil {
			v.Invited = inv.Clinic.Name
			v.Form["name"] = inv.Name
		} else if !v.codeError(err) {
			a.fail(w, r, err)
			return
		}
	}
	v.summarise()
	a.render(w, r, http.StatusOK, "signup.html", v)
}

// codeError puts an invitation code's problem beside the code's field,
// in the page's language; false when err is no such problem.
func (v *view) codeError(err error) bool {
	var ce *clinic.CodeError
	switch {
	case errors.Is(err, clinic.ErrInviteOnly):
		v.fail("kode", v.T("errCodeRequired"))
	case !errors.As(err, &ce):
		return false
	case ce.Form:
		v.fail("kode", v.T("errCodeForm"))
	case ce.State == "":
		v.fail("kode", v.T("errCodeUnknown"))
	default:
		v.fail("kode", v.T("errCode_"+string(ce.State)))
	}
	return true
}

func (a *app) signUp(w http.ResponseWriter, r *http.Request) {
	if userFrom(r.Context()) != nil {
		http.Redirect(w, r, "/konto", http.StatusSeeOther)
		return
	}
	if !form(w, r) {
		return
	}
	v := a.newView(r, "signupTitle")
	login, name, code := r.PostForm.Get("login"), r.PostForm.Get("name"), r.PostForm.Get("kode")
	pw, pw2 := r.PostForm.Get("password"), r.PostForm.Get("password2")
	v.Form["login"], v.Form["name"], v.Form["kode"] = typedLogin(login), strings.TrimSpace(name), strings.TrimSpace(code)
	keep := v.keepBox(r)
	if _, err := account.NormalizeLogin(login); err != nil {
		v.fieldError(err)
	}
	if err := account.CheckPassword("password", pw); err != nil {
		v.fieldError(err)
	} else if pw != pw2 {
		v.fail("password2", v.T("errPassword2"))
	}
	if len(v.Errors) == 0 {
		u, err := a.clinics.SignUp(r.Context(), login, name, pw, code, r.RemoteAddr)
		if v.signUpLimited(w, err) {
			noteEvent(r, "signup_limited")
			v.summarise()
			a.render(w, r, http.StatusTooManyRequests, "signup.html", v)
			return
		}
		if v.tooMany(w, err, "kode") {
			noteEvent(r, "invitation_limited")
			v.summarise()
			a.render(w, r, http.StatusTooManyRequests, "signup.html", v)
			return
		}
		if err == nil {
			if err := a.startSession(w, r, u, keep); err != nil {
				a.fail(w, r, err)
				return
			}
			http.Redirect(w, r, signUpLanding, http.StatusSeeOther)
			return
		}
		if v.codeError(err) {
			noteEvent(r, "invitation_failed")
		} else if !v.fieldError(err) {
			a.fail(w, r, err)
			return
		}
	}
	v.summarise()
	a.render(w, r, http.StatusUnprocessableEntity, "signup.html", v)
}

func (a *app) signInForm(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("naeste"))
	if u := userFrom(r.Context()); u != nil {
		if next == "" {
			next = landing(*u)
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	v := a.newView(r, "signinTitle")
	v.Next = next
	if r.URL.Query().Get("ud") == "1" {
		v.Flash = v.T("flashSignedOut")
	}
	if r.URL.Query().Get("nulstillet") == "1" { // a new password with a one-time code (admin.go)
		v.Flash = v.T("resetDone")
	}
	if r.URL.Query().Get("igen") == "1" { // a second step without a sign-in waiting for it (twofactor.go)
		v.Flash = v.T("twofaAgain")
	}
	a.render(w, r, http.StatusOK, "signin.html", v)
}

func (a *app) signIn(w http.ResponseWriter, r *http.Request) {
	if !form(w, r) {
		return
	}
	next := safeNext(r.PostForm.Get("naeste"))
	v := a.newView(r, "signinTitle")
	v.Next = safeNext(r.PostForm.Get("naeste"))
	login, pw := r.PostForm.Get("login"), r.PostForm.Get("password")
	v.Form["login"] = typedLogin(login)
	keep := v.keepBox(r)
	status := http.StatusUnauthorized
	switch {
	case strings.TrimSpace(login) == "":
		v.fail("login", v.T("errLoginEmpty"))
		if pw == "" {
			v.fail("password", v.T("errPasswordEmpty"))
		}
		status = http.StatusUnprocessableEntity
	case pw == "":
		v.fail("password", v.T("errPasswordEmpty"))
		status = http.StatusUnprocessableEntity
	default:
		u, err := a.acc.SignIn(r.Context(), login, pw, r.RemoteAddr)
		switch {
		case err == nil && account.NeedsSecondFactor(u):
			a.beginSecondFactor(w, r, u, next, keep)
			return
		case err == nil:
			if err := a.startSession(w, r, u, keep); err != nil {
				a.fail(w, r, err)
				return
			}
			if next == "" {
				next = landing(u)
			}
			http.Redirect(w, r, next, http.StatusSeeOther)
			return
		case errors.Is(err, account.ErrBadCredentials):
			noteEvent(r, "signin_failed")
			v.fail("password", v.T("errBadCredentials"))
		case errors.Is(err, account.ErrDisabled):
			noteEvent(r, "signin_disabled")
			v.fail("login", v.T("errDisabled"))
			status = http.StatusForbidden
		case v.tooMany(w, err, "password"):
			noteEvent(r, "signin_limited")
			status = http.StatusTooManyRequests
		default:
			a.fail(w, r, err)
			return
		}
	}
	v.summarise()
	a.render(w, r, status, "signin.html", v)
}

// keepField is the box "Forbliv logget ind på denne enhed" on the sign-in
// and sign-up forms; unticked unless the person ticks it.
const keepField = "forbliv"

// keepBox reads the box from the posted form and keeps its state for the
// form shown again.
func (v *view) keepBox(r *http.Request) bool {
	if r.PostForm.Get(keepField) != "ja" {
		return false
	}
	v.Form[keepField] = "ja"
	return true
}

// waitText says a wait in plain Danish: "1 minut", "3 minutter", "20 sekunder".
func waitText(d time.Duration) string { return waitTextIn(i18n.Da, d) }

// waitTextIn says a wait in plain words in l ("3 minutes" in English).
func waitTextIn(l i18n.Lang, d time.Duration) string {
	if d >= time.Minute {
		m := int((d + time.Minute - 1) / time.Minute)
		if m == 1 {
			return l.T("waitMinute")
		}
		return l.Tf("waitMinutes", m)
	}
	s := int((d + time.Second - 1) / time.Second)
	if s == 1 {
		return l.T("waitSecond")
	}
	return l.Tf("waitSeconds", s)
}

func (a *app) signOut(w http.ResponseWriter, r *http.Request) {
	if err := a.sm.Destroy(r.Context()); err != nil {
		a.fail(w, r, err)
		return
	}
	a.patientHint(w, r, false)
	a.dropCalendarLink(w) // a calendar link just made is not left on a shared computer
	http.Redirect(w, r, "/konto/log-ind?ud=1", http.StatusSeeOther)
}
