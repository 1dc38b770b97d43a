package care

// The patient's training calendar (issue 14): the days and time they
// train, as a secret link their phone's calendar subscribes to. The plan
// is the record's — the programme's first day as the rules count it
// (buildHistory: the first baseline, else the day the account was made)
// and the sessions a week of the clinician's version, else the clinic's
// default — and internal/calendar makes the events and the iCalendar
// bytes from it.
//
// The link's secret is shown once: this package returns it to the caller
// when it is made, the store keeps only its SHA-256, and a caller that
// kept the secret (the page, for an hour, in a cookie on the patient's
// own browser) learns from Calendar whether it is still the link.

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"time"

	"github.com/stenose/stenose/internal/calendar"
	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/store"
)

// Calendar is a patient's calendar as their page shows it.
type Calendar struct {
	// Settings are the days and time saved, or, before the patient has
	// saved any, those offered for their plan (calendar.DefaultSettings).
	Settings calendar.Settings
	Saved    bool
	// On: the link works; LinkAt is when it was made.
	On     bool
	LinkAt time.Time
	// PerWeek is the sessions a week of the patient's plan.
	PerWeek int
	// Started: the programme has begun (a baseline), so the status
	// consultations are in the calendar.
	Started bool
	// Secret is the secret the caller gave Calendar, when it is the
	// link's; "" otherwise (a renewed or turned-off link, another
	// patient's, none).
	Secret string
}

// calendarPlan is what internal/calendar makes u's calendar from.
func calendarPlan(src store.CalendarSource, appURL string) (calendar.Plan, int) {
	perWeek := PlannedPerWeek
	if src.PerWeek > 0 {
		perWeek = src.PerWeek
	}
	p := calendar.Plan{
		Series: src.Feed.Series, Start: src.AccountCreated, Lang: langOf(src.Lang), AppURL: appURL,
		Changed: src.Feed.UpdatedAt, Zone: Zone,
		Settings: calendar.Settings{Days: calendar.FromISO(src.Feed.Weekdays), Minute: src.Feed.Minute},
	}
	if !src.FirstBaseline.IsZero() {
		p.Start, p.Started = src.FirstBaseline, true
	}
	return p, perWeek
}

func langOf(s string) i18n.Lang {
	if s == string(i18n.En) {
		return i18n.En
	}
	return i18n.Da
}

func patientOnly(u *store.User) error {
	if u == nil || u.Role != store.RolePatient {
		return ErrNoAccess
	}
	return nil
}

// Calendar returns u's calendar; shown is a secret the caller kept from
// when it was made ("" for none), returned in Calendar.Secret only when it
// is still the calendar's link.
func (s *Service) Calendar(ctx context.Context, u *store.User, shown string) (Calendar, error) {
	if err := patientOnly(u); err != nil {
		return Calendar{}, err
	}
	src, err := s.st.CalendarOf(ctx, u.ID)
	if err != nil {
		return Calendar{}, err
	}
	p, perWeek := calendarPlan(src, "")
	c := Calendar{Settings: p.Settings, PerWeek: perWeek, Started: p.Started, On: src.Feed.On(), LinkAt: src.Feed.LinkAt}
	if c.Saved = src.Feed.Series != ""; !c.Saved {
		c.Settings = calendar.DefaultSettings(perWeek)
	}
	if h, ok := calendar.HashSecret(shown); ok && c.On && subtle.ConstantTimeCompare(h[:], src.Feed.TokenHash) == 1 {
		c.Secret = shown
	}
	return c, nil
}

// SaveCalendar stores the days and time set for u and, when u's calendar
// has no working link (the first save, or after it was turned off), makes
// one and returns its secret ("" when the link stays as it was). Settings
// the calendar cannot hold are a *calendar.Invalid.
func (s *Service) SaveCalendar(ctx context.Context, u *store.User, set calendar.Settings) (secret string, err error) {
	if err := patientOnly(u); err != nil {
		return "", err
	}
	if err := set.Check(); err != nil {
		return "", err
	}
	cur, err := s.st.CalendarFeed(ctx, u.ID)
	switch {
	case err == nil:
	case errors.Is(err, store.ErrNotFound):
		cur.Series = calendar.NewSeries()
	default:
		return "", err
	}
	var token *[32]byte
	if !cur.On() {
		var h [32]byte
		secret, h = calendar.NewSecret()
		token = &h
	}
	_, err = s.st.SaveCalendarFeed(ctx, store.CalendarFeed{UserID: u.ID, Weekdays: set.Days.ISO(), Minute: set.Minute, Series: cur.Series}, token, s.now())
	if err != nil {
		return "", err
	}
	return secret, nil
}

// RenewCalendar gives u's calendar a new link and returns its secret: the
// old link stops at once. A calendar that is off is turned on with it.
// When u has no calendar there is nothing to renew: "" and no error (the
// page offers to make one, with the days and time it needs).
func (s *Service) RenewCalendar(ctx context.Context, u *store.User) (string, error) {
	if err := patientOnly(u); err != nil {
		return "", err
	}
	secret, h := calendar.NewSecret()
	switch err := s.st.SetCalendarToken(ctx, u.ID, &h, s.now()); {
	case errors.Is(err, store.ErrNotFound):
		return "", nil
	case err != nil:
		return "", err
	}
	return secret, nil
}

// StopCalendar turns u's calendar off: its link stops at once; the days
// and time are kept for when it is turned on again. Turning off a calendar
// that is off, or that u never made, changes nothing.
func (s *Service) StopCalendar(ctx context.Context, u *store.User) error {
	if err := patientOnly(u); err != nil {
		return err
	}
	if err := s.st.SetCalendarToken(ctx, u.ID, nil, s.now()); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return nil
}

// CalendarFeed is the iCalendar feed of the calendar whose link has the
// secret, as of now, its events' description linking to appURL. Any
// secret that is no calendar's working link — malformed, never made,
// renewed, turned off, a disabled account's — is the same ErrNotFound.
func (s *Service) CalendarFeed(ctx context.Context, secret, appURL string) ([]byte, error) {
	h, ok := calendar.HashSecret(secret)
	if !ok {
		return nil, fmt.Errorf("care: calendar: %w", store.ErrNotFound)
	}
	src, err := s.st.CalendarByToken(ctx, h)
	if err != nil {
		return nil, err
	}
	p, _ := calendarPlan(src, appURL)
	// A red flag pauses the programme (today's page says stop and call the
	// clinic): the calendar must not go on announcing training. The rules
	// decide, over the patient's record, as for every page.
	u, err := s.st.UserByID(ctx, src.UserID)
	if err != nil {
		return nil, err
	}
	pt, err := s.Load(ctx, &u)
	if err != nil {
		return nil, err
	}
	p.Paused = UrgentAdvice(pt.Advice()) != nil
	return p.Encode(s.Now()), nil
}
