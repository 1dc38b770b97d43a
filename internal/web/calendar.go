package web

// The patient's training calendar (issue 14): the page where they choose
// their training days and time and make the secret link
// (/konto/kalender), and the feed a phone's calendar fetches with it
// (/kalender/SECRET.ics). internal/care holds the calendar;
// internal/calendar makes the events and the iCalendar bytes.
//
// The secret is shown once. The answer to the form that made it carries it
// to the page in a cookie (calendarCookie): on the patient's own browser
// only, for an hour, sent to that page alone and never to a script; the
// server keeps only its SHA-256. Care shows it only while it is still the
// calendar's link, so a cookie from before a new link, or another
// patient's on a shared computer, shows nothing. After the hour the page
// says the link is on and offers a new one.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/stenose/stenose/internal/calendar"
	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/store"
)

const (
	calendarPath = "/konto/kalender"
	// feedPath is the feed's address without the secret: /kalender/SECRET.ics.
	feedPath = "/kalender/"
	// calendarCookie carries a link just made from the form's answer to
	// the page, for calendarLinkShown.
	calendarCookie    = "stenose_kalender"
	calendarLinkShown = time.Hour
)

// calendarView is the calendar page.
type calendarView struct {
	*view
	Cal   care.Calendar
	Plan  string // "Din plan er 3 træninger om ugen."
	Days  []calendarDay
	Times []calendarTime
	// OnSince says when the working link was made; "" while off.
	OnSince string
	// Link is the link just made, nil when it is not shown.
	Link *calendarLink
}

type calendarDay struct {
	ID, Label string
	ISO       int
	Checked   bool
}

type calendarTime struct {
	Minute   int
	Label    string
	Selected bool
}

// calendarLink is a link just made: webcal:// (a scheme html/template
// does not know, so marked as a URL this package built) and https.
type calendarLink struct {
	Webcal template.URL
	HTTPS  string
}

func (v *calendarView) page() *view { return v.view }

// newCalendarView is the page for c, with set as the days and time shown
// (c's, or what a form with mistakes sent).
func (a *app) newCalendarView(r *http.Request, c care.Calendar, set calendar.Settings) *calendarView {
	v := &calendarView{view: a.newView(r, "calTitle"), Cal: c}
	l := v.Lang
	v.Plan = l.N("calPlan", c.PerWeek)
	for i, d := range calendar.Week {
		id := "dag-" + strconv.Itoa(i+1)
		if i == 0 {
			id = "dag" // the error summary's link
		}
		v.Days = append(v.Days, calendarDay{ID: id, ISO: i + 1, Label: l.T("calDay" + strconv.Itoa(i+1)), Checked: set.Days.Has(d)})
	}
	for _, m := range calendar.Times() {
		v.Times = append(v.Times, calendarTime{Minute: m, Label: l.Tf("calTimeOption", timeOfDay(l, m/60, m%60)), Selected: m == set.Minute})
	}
	if c.On {
		v.OnSince = l.Tf("calOn", l.Date(c.LinkAt.In(care.Zone)))
	}
	if c.Secret != "" {
		https := a.site.BaseURL() + feedPath + c.Secret + ".ics"
		webcal := "webcal://" + strings.TrimPrefix(strings.TrimPrefix(https, "https://"), "http://")
		v.Link = &calendarLink{Webcal: template.URL(webcal), HTTPS: https} //nolint:gosec // the base URL and a secret of the URL-safe alphabet
	}
	return v
}

// shownSecret is the secret the calendar cookie carries, "" for none.
func shownSecret(r *http.Request) string {
	if c, err := r.Cookie(calendarCookie); err == nil {
		return c.Value
	}
	return ""
}

// keepCalendarLink puts a new link's secret in the calendar cookie.
func (a *app) keepCalendarLink(w http.ResponseWriter, secret string) {
	http.SetCookie(w, &http.Cookie{
		Name: calendarCookie, Value: secret, Path: calendarPath, MaxAge: int(calendarLinkShown / time.Second),
		HttpOnly: true, Secure: a.sm.Cookie.Secure, SameSite: http.SameSiteStrictMode,
	})
}

// dropCalendarLink removes the calendar cookie (turned off, signed out).
// The browser sends it to the calendar page alone, so a page elsewhere
// (the sign-out) cannot tell whether there is one: it is always removed.
func (a *app) dropCalendarLink(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: calendarCookie, Path: calendarPath, MaxAge: -1, HttpOnly: true, Secure: a.sm.Cookie.Secure, SameSite: http.SameSiteStrictMode})
}

func (a *app) calendarPage(w http.ResponseWriter, r *http.Request) {
	c, err := a.care.Calendar(r.Context(), userFrom(r.Context()), shownSecret(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v := a.newCalendarView(r, c, c.Settings)
	v.Flash = v.T(a.sm.PopString(r.Context(), "flash"))
	a.render(w, r, http.StatusOK, "calendar.html", v)
}

// calendarForm reads the days (dag: ISO numbers, 1 Monday … 7 Sunday) and
// the time (tid: minutes after midnight) of the page's form; what is no
// number is read as nothing chosen.
func calendarForm(f url.Values) calendar.Settings {
	var days []int
	for _, s := range f["dag"] {
		n, err := strconv.Atoi(s)
		if err != nil {
			n = 0
		}
		days = append(days, n)
	}
	set := calendar.Settings{Days: calendar.FromISO(days), Minute: -1}
	if len(days) == 0 {
		set.Days = 0
	}
	if m, err := strconv.Atoi(f.Get("tid")); err == nil {
		set.Minute = m
	}
	return set
}

// calendarSave stores the days and time; the first time (or after the
// calendar was turned off) it makes the link, which the page then shows.
func (a *app) calendarSave(w http.ResponseWriter, r *http.Request) {
	if !form(w, r) {
		return
	}
	ctx := r.Context()
	u := userFrom(ctx)
	set := calendarForm(r.PostForm)
	secret, err := a.care.SaveCalendar(ctx, u, set)
	var inv *calendar.Invalid
	switch {
	case err == nil:
	case errors.As(err, &inv):
		c, cerr := a.care.Calendar(ctx, u, shownSecret(r))
		if cerr != nil {
			a.fail(w, r, cerr)
			return
		}
		v := a.newCalendarView(r, c, set)
		for _, f := range inv.Fields {
			switch f {
			case calendar.FieldDays:
				v.fail("dag", v.T("calErrDays"))
			case calendar.FieldTime:
				v.fail("tid", v.T("calErrTime"))
			}
		}
		v.summarise()
		a.render(w, r, statusOf(err), "calendar.html", v)
		return
	default:
		a.fail(w, r, err)
		return
	}
	if secret != "" {
		a.keepCalendarLink(w, secret)
	} else {
		a.sm.Put(ctx, "flash", "calSaved")
	}
	http.Redirect(w, r, calendarPath, http.StatusSeeOther)
}

// calendarRenew makes a new link; the old one stops at once. Without a
// calendar there is nothing to renew: back to the page, which offers to
// make one.
func (a *app) calendarRenew(w http.ResponseWriter, r *http.Request) {
	secret, err := a.care.RenewCalendar(r.Context(), userFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if secret != "" {
		a.keepCalendarLink(w, secret)
	}
	http.Redirect(w, r, calendarPath, http.StatusSeeOther)
}

// calendarStop turns the calendar off.
func (a *app) calendarStop(w http.ResponseWriter, r *http.Request) {
	if err := a.care.StopCalendar(r.Context(), userFrom(r.Context())); err != nil {
		a.fail(w, r, err)
		return
	}
	a.dropCalendarLink(w)
	a.sm.Put(r.Context(), "flash", "calStopped")
	http.Redirect(w, r, calendarPath, http.StatusSeeOther)
}

// calendarFeed is the feed: the secret in the address is the credential
// (a calendar app cannot sign in), so the route loads no session and sets
// no cookie. Any secret that is no working link gets the same bare 404.
// The answer is private to the one calendar that fetches it, and its
// ETag lets a calendar's next fetch of an unchanged feed be a 304.
func (a *app) calendarFeed(w http.ResponseWriter, r *http.Request) {
	secret, ok := strings.CutSuffix(r.PathValue("feed"), ".ics")
	var body []byte
	var err error = store.ErrNotFound // an address that is no feed's
	if ok {
		body, err = a.care.CalendarFeed(r.Context(), secret, a.site.BaseURL()+patientLanding)
	}
	if err != nil {
		if statusOf(err) == http.StatusNotFound {
			http.NotFound(w, r)
			return
		}
		a.fail(w, r, err)
		return
	}
	sum := sha256.Sum256(body)
	h := w.Header()
	h.Set("Content-Type", calendar.ContentType)
	h.Set("Cache-Control", "private, no-cache")
	h.Set("X-Robots-Tag", "noindex, nofollow")
	h.Set("ETag", `"`+hex.EncodeToString(sum[:12])+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}
