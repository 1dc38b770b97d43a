package web

// The one place where the domain packages' errors become HTTP answers.
// A handler that gets an error from a domain call it has no answer of its
// own for (a form's field error, a flash) hands it to fail; the sync APIs
// take their status from statusOf. Nothing else in this package decides
// which status an error of the store, the account service or care is.

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/stenose/stenose/internal/account"
	"github.com/stenose/stenose/internal/calendar"
	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/clinic"
	"github.com/stenose/stenose/internal/store"
)

// statusOf is the HTTP status of a domain error.
func statusOf(err error) int {
	var (
		rl *account.RateLimitedError
		ie *store.InvitationError
		fe *account.Error
		ci *calendar.Invalid
	)
	switch {
	case err == nil:
		return http.StatusOK
	case errors.Is(err, store.ErrNotFound), errors.Is(err, care.ErrNoAccess):
		return http.StatusNotFound // also another user's row, another clinic's patient: not told apart
	case errors.Is(err, store.ErrConflict), errors.Is(err, care.ErrTargetsChanged):
		return http.StatusConflict
	case errors.Is(err, store.ErrInvalid), errors.As(err, &ie), errors.As(err, &fe), errors.Is(err, care.ErrTargetNotOffered), errors.As(err, &ci):
		return http.StatusUnprocessableEntity
	case errors.As(err, &rl):
		return http.StatusTooManyRequests
	case errors.Is(err, account.ErrDisabled), errors.Is(err, care.ErrNoClinic), errors.Is(err, clinic.ErrNotMember):
		return http.StatusForbidden
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable // the client left, or the server is stopping
	}
	return http.StatusInternalServerError
}

// fail answers a page request that a domain call failed for, by statusOf:
// a not-found page, a forbidden page, a wait (Retry-After), or the server
// error (logged); a request its client gave up is not logged as an error.
func (a *app) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch status := statusOf(err); status {
	case http.StatusNotFound:
		a.notFound(w, r)
	case http.StatusForbidden:
		a.forbidden(w, r, userFrom(r.Context()))
	case http.StatusTooManyRequests:
		var rl *account.RateLimitedError
		errors.As(err, &rl)
		w.Header().Set("Retry-After", retryAfter(rl))
		http.Error(w, reqLang(r).Tf("errTooMany", waitTextIn(reqLang(r), rl.RetryAfter)), status)
	case http.StatusServiceUnavailable:
		a.log.InfoContext(r.Context(), "request ended early", "method", r.Method, "path", r.URL.Path, "err", err)
		http.Error(w, reqLang(r).T("errServer"), status)
	default:
		a.serverError(w, r, err)
	}
}

// tooMany puts a sign-in limit's refusal on a form: the Retry-After
// header, and the wait beside field in the page's words. It reports
// whether err was such a refusal (the caller answers 429).
func (v *view) tooMany(w http.ResponseWriter, err error, field string) bool {
	var rl *account.RateLimitedError
	if !errors.As(err, &rl) {
		return false
	}
	w.Header().Set("Retry-After", retryAfter(rl))
	v.fail(field, v.Lang.Tf("errTooMany", waitTextIn(v.Lang, rl.RetryAfter)))
	return true
}

// signUpLimited puts the sign-up limit's refusal on the sign-up form: the
// Retry-After header, and the wait beside the login in the page's words.
// It reports whether err was that refusal (the caller answers 429).
func (v *view) signUpLimited(w http.ResponseWriter, err error) bool {
	var rl *account.RateLimitedError
	if !errors.As(err, &rl) || !rl.SignUp {
		return false
	}
	w.Header().Set("Retry-After", retryAfter(rl))
	v.fail("login", v.Lang.Tf("errSignUpTooMany", waitTextIn(v.Lang, rl.RetryAfter)))
	return true
}

// retryAfter is the Retry-After header of a sign-in limit's refusal, in
// whole seconds.
func retryAfter(rl *account.RateLimitedError) string {
	return strconv.Itoa(int(rl.RetryAfter.Round(time.Second) / time.Second))
}

// notFound is the app's page for something that is not there (or not the
// user's: the answer is the same).
func (a *app) notFound(w http.ResponseWriter, r *http.Request) {
	a.diaryMissing(w, r, "notfoundLead")
}
