package care

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/calendar"
	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/store"
)

// healthWords are words about a patient's health that a calendar feed
// must never hold: every symptom word of the catalogue, in both languages
// (the diary's, the player's and the advice's), and the words of the
// condition and its measures.
func healthWords() []string {
	var out []string
	for _, l := range i18n.Langs {
		for _, prefix := range []string{"export_symptom_", "advice_symptom_"} {
			for _, w := range i18n.Prefixed(l, prefix) {
				out = append(out, strings.ToLower(w))
			}
		}
		out = append(out, strings.ToLower(l.T("diarySymptomsTerm")))
		for _, w := range strings.Split(strings.ToLower(l.T("diarySymptomsTerm")), ", ") {
			out = append(out, w)
		}
	}
	return append(out, "stenose", "stenosis", "smerte", "pain", "symptom", "lænd", "lumbar", "diagnos", "red flag", "røde flag",
		"gangtest", "walking test", "psfs", "nrs", "spwt")
}

func TestCalendarService(t *testing.T) {
	st := openSQLite(t)
	ctx := t.Context()
	now := time.Date(2026, 3, 5, 9, 0, 0, 0, Zone) // Thursday
	s := New(Config{Store: st, Now: func() time.Time { return now }})
	ann := newPatient(t, st, "ann", now.AddDate(0, 0, -10))
	bo := newPatient(t, st, "bo", now.AddDate(0, 0, -3))
	const app = "https://klinik.example/i-dag"

	// Before anything is saved: the defaults of the clinic's plan.
	c, err := s.Calendar(ctx, &ann, "")
	if err != nil {
		t.Fatal(err)
	}
	if c.Saved || c.On || c.PerWeek != PlannedPerWeek || c.Settings != calendar.DefaultSettings(PlannedPerWeek) || c.Started {
		t.Errorf("before saving: %+v", c)
	}
	// Settings the calendar cannot hold.
	var inv *calendar.Invalid
	if _, err := s.SaveCalendar(ctx, &ann, calendar.Settings{Minute: 615}); !errors.As(err, &inv) || !slices.Equal(inv.Fields, []string{calendar.FieldDays, calendar.FieldTime}) {
		t.Errorf("bad settings: %v", err)
	}
	// Only a patient has a calendar.
	doc := newPatient(t, st, "doc", now)
	doc.Role = store.RoleClinician
	if _, err := s.SaveCalendar(ctx, &doc, calendar.DefaultSettings(3)); !errors.Is(err, ErrNoAccess) {
		t.Errorf("a clinician's calendar: %v", err)
	}

	// The first save makes the link.
	mwf := calendar.DefaultSettings(3)
	secret, err := s.SaveCalendar(ctx, &ann, mwf)
	if err != nil || len(secret) != calendar.SecretLen {
		t.Fatalf("first save: %q, %v", secret, err)
	}
	feed, err := s.CalendarFeed(ctx, secret, app)
	if err != nil {
		t.Fatal(err)
	}
	body := string(feed)
	// No baseline yet: the programme counts from the account's day
	// (Tuesday 23 February), and no status consultation is known.
	if !strings.Contains(body, "SUMMARY:Træning\r\n") || strings.Contains(body, "Statussamtale") || !strings.Contains(body, "DTSTART;TZID=Europe/Copenhagen:20260223T100000") {
		t.Errorf("the feed before a baseline:\n%s", body)
	}
	if c, _ := s.Calendar(ctx, &ann, secret); c.Secret != secret || !c.On || !c.Saved || !c.LinkAt.Equal(now.Truncate(time.Second)) {
		t.Errorf("the page with the secret just made: %+v", c)
	}
	// A second save keeps the link.
	if again, err := s.SaveCalendar(ctx, &ann, calendar.Settings{Days: calendar.Day(time.Tuesday), Minute: 8 * 60}); err != nil || again != "" {
		t.Errorf("a second save: %q, %v", again, err)
	}
	if feed, err := s.CalendarFeed(ctx, secret, app); err != nil || !strings.Contains(string(feed), "BYDAY=TU;") {
		t.Errorf("after new days: %v\n%s", err, feed)
	}

	// Ann's baseline and her clinician's plan of 4 a week, in English.
	if _, err := st.AddBaseline(ctx, store.Baseline{UserID: ann.ID, At: now.AddDate(0, 0, -2), SPWTStopSeconds: 300, NRSLeg: 6, NRSBack: 3}); err != nil {
		t.Fatal(err)
	}
	cl, err := st.CreateClinic(ctx, store.Clinic{Slug: "nord", Name: "Klinik Nord"})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetUserClinic(ctx, ann.ID, cl.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SetProgramme(ctx, cl.ID, store.ProgrammeVersion{PatientID: ann.ID, At: now, ByID: 1, ByName: "Dorte", Reason: "Fire gange om ugen.",
		Base: DefaultProgramme, PerWeek: 4, WalkMinutes: 10, Items: []store.ProgrammeItem{{Exercise: "kattestraek", Kind: "reps", Reps: 8, Sets: 2, Sides: 1}}}, 0); err != nil {
		t.Fatal(err)
	}
	if err := st.SetUserLang(ctx, ann.ID, "en"); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Calendar(ctx, &ann, ""); c.PerWeek != 4 || !c.Started || c.Secret != "" {
		t.Errorf("with a baseline and a plan: %+v", c)
	}
	feed, _ = s.CalendarFeed(ctx, secret, app)
	body = string(feed)
	// The programme starts on the baseline's day (Tuesday 3 March): the
	// status weeks from 31 March and 26 May, the training from that day.
	for _, want := range []string{"SUMMARY:Training\r\n", "SUMMARY:Status consultation\r\n", "DTSTART;VALUE=DATE:20260331", "DTSTART;VALUE=DATE:20260526",
		"DTSTART;TZID=Europe/Copenhagen:20260303T080000", "DESCRIPTION:" + app} {
		if !strings.Contains(body, want) {
			t.Errorf("the feed lacks %q:\n%s", want, body)
		}
	}
	// No health words anywhere in it, though Ann has a baseline with pain.
	lower := strings.ToLower(body)
	for _, w := range healthWords() {
		if w != "" && strings.Contains(lower, w) {
			t.Errorf("the feed holds %q:\n%s", w, body)
		}
	}

	// Bo's calendar is his: his link never shows Ann's events.
	boSecret, err := s.SaveCalendar(ctx, &bo, calendar.DefaultSettings(3))
	if err != nil {
		t.Fatal(err)
	}
	annSrc, _ := st.CalendarOf(ctx, ann.ID)
	boFeed, err := s.CalendarFeed(ctx, boSecret, app)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(boFeed), annSrc.Feed.Series) || strings.Contains(string(boFeed), "SUMMARY:Training") || strings.Contains(string(boFeed), "Statussamtale") {
		t.Errorf("Bo's feed shows Ann's events:\n%s", boFeed)
	}
	if c, _ := s.Calendar(ctx, &bo, secret); c.Secret != "" {
		t.Error("Bo's page shows Ann's link")
	}

	// A new link: the old one stops at once, and the page no longer
	// shows it.
	renewed, err := s.RenewCalendar(ctx, &ann)
	if err != nil || renewed == secret || len(renewed) != calendar.SecretLen {
		t.Fatalf("renew: %q, %v", renewed, err)
	}
	if _, err := s.CalendarFeed(ctx, secret, app); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the old link after renewing: %v", err)
	}
	if c, _ := s.Calendar(ctx, &ann, secret); c.Secret != "" {
		t.Error("the page shows the old link")
	}
	newFeed, err := s.CalendarFeed(ctx, renewed, app)
	if err != nil || !strings.Contains(string(newFeed), annSrc.Feed.Series+"-training") {
		t.Errorf("the new link: %v — the same UIDs as before, so a calendar that had the old link updates", err)
	}
	if _, err := s.RenewCalendar(ctx, &doc); !errors.Is(err, ErrNoAccess) {
		t.Errorf("renew as a clinician: %v", err)
	}
	if secret, err := s.RenewCalendar(ctx, &bo); err != nil || secret == "" {
		t.Errorf("renew Bo's: %q, %v", secret, err)
	}
	if secret, err := s.RenewCalendar(ctx, &store.User{ID: 999999, Role: store.RolePatient}); err != nil || secret != "" {
		t.Errorf("renew without a calendar: %q, %v", secret, err)
	}

	// Turned off: the link stops; saving again turns it on with a new one.
	if err := s.StopCalendar(ctx, &ann); err != nil {
		t.Fatal(err)
	}
	if err := s.StopCalendar(ctx, &ann); err != nil {
		t.Errorf("turning off twice: %v", err)
	}
	if _, err := s.CalendarFeed(ctx, renewed, app); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a link turned off: %v", err)
	}
	if c, _ := s.Calendar(ctx, &ann, renewed); c.On || c.Secret != "" || !c.Saved || c.Settings.Minute != 8*60 {
		t.Errorf("the page after turning off: %+v", c)
	}
	third, err := s.SaveCalendar(ctx, &ann, mwf)
	if err != nil || third == "" || third == renewed {
		t.Errorf("on again: %q, %v", third, err)
	}

	// What is no link at all is refused the same way.
	for _, bad := range []string{"", "x", strings.Repeat("A", calendar.SecretLen), boSecret + "x", "../" + boSecret} {
		if _, err := s.CalendarFeed(ctx, bad, app); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("secret %q: %v", bad, err)
		}
	}
}

// TestCalendarPaused: while a red flag pauses the programme the feed
// announces no training — only the status consultations — and once the
// patient has been examined the training comes back under its old UID.
func TestCalendarPaused(t *testing.T) {
	st := openSQLite(t)
	ctx := t.Context()
	now := time.Date(2026, 3, 5, 9, 0, 0, 0, Zone)
	s := New(Config{Store: st, Now: func() time.Time { return now }})
	ann := newPatient(t, st, "ann", now.AddDate(0, 0, -10))
	secret, err := s.SaveCalendar(ctx, &ann, calendar.DefaultSettings(3))
	if err != nil {
		t.Fatal(err)
	}
	training := func() (string, bool) {
		t.Helper()
		feed, err := s.CalendarFeed(ctx, secret, "")
		if err != nil {
			t.Fatal(err)
		}
		body := string(feed)
		return body, strings.Contains(body, "SUMMARY:Træning\r\n")
	}
	before, ok := training()
	if !ok {
		t.Fatalf("no training before the red flag:\n%s", before)
	}
	urgent, err := s.RecordRedFlags(ctx, &ann, map[string]bool{"fever": true})
	if err != nil || !urgent {
		t.Fatalf("RecordRedFlags: urgent %v, %v", urgent, err)
	}
	if body, ok := training(); ok || !strings.Contains(body, "BEGIN:VCALENDAR") {
		t.Errorf("training announced while the programme is paused:\n%s", body)
	}
	open, err := s.Unexamined(ctx, &ann)
	if err != nil || len(open) == 0 {
		t.Fatalf("Unexamined: %v, %v", open, err)
	}
	if err := s.ConfirmExamined(ctx, &ann, open, store.Examination{On: "2026-03-05", By: store.ExaminedByOwnDoctor}); err != nil {
		t.Fatal(err)
	}
	if after, ok := training(); !ok || after != before {
		t.Errorf("after the examination the feed is not what it was before the pause:\n%s\n---\n%s", after, before)
	}
}
