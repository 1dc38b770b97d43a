// Package calendar is the patient's training calendar (issue 14): the
// planned training days and the 4- and 12-week status consultations as
// events a phone's calendar subscribes to, encoded as iCalendar (RFC 5545)
// with github.com/arran4/golang-ical.
//
// Everything here is pure: a Plan and a clock in, events or bytes out. The
// caller (internal/care) reads what the plan needs from the store — the
// programme start, the days and time the patient chose, their language —
// and hands the secret link's hash to the store; this package makes and
// checks the secrets but stores nothing.
//
// A calendar is often shared with a partner or a family, so the feed holds
// no health details: the events are called "Træning" and "Statussamtale"
// ("Training", "Status consultation" in English) and nothing else, the
// calendar's name is "Træning", and a description holds at most a link to
// the app.
package calendar

import (
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Copenhagen without a system zone database: the binary is self-contained

	"github.com/stenose/stenose/internal/i18n"
)

// Weekdays is a set of days of the week: bit 0 is Monday … bit 6 Sunday
// (a Danish week starts on Monday).
type Weekdays uint8

// AllDays is every day of the week.
const AllDays Weekdays = 1<<7 - 1

// Day is the set holding d alone.
func Day(d time.Weekday) Weekdays { return 1 << ((int(d) + 6) % 7) }

// Has reports whether d is in w.
func (w Weekdays) Has(d time.Weekday) bool { return w&Day(d) != 0 }

// Valid reports whether w holds at least one day and nothing else.
func (w Weekdays) Valid() bool { return w != 0 && w&^AllDays == 0 }

// Count is how many days w holds.
func (w Weekdays) Count() int {
	n := 0
	for _, d := range Week {
		if w.Has(d) {
			n++
		}
	}
	return n
}

// Week is the days of the week, Monday first.
var Week = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// Days are w's days, Monday first.
func (w Weekdays) Days() []time.Weekday {
	var out []time.Weekday
	for _, d := range Week {
		if w.Has(d) {
			out = append(out, d)
		}
	}
	return out
}

// ISO are w's days as ISO 8601 numbers (1 Monday … 7 Sunday), Monday
// first: how the store and the exports write them.
func (w Weekdays) ISO() []int {
	out := []int{}
	for i, d := range Week {
		if w.Has(d) {
			out = append(out, i+1)
		}
	}
	return out
}

// FromISO is the set of the ISO day numbers ns (1 Monday … 7 Sunday);
// a number outside 1–7 makes the set invalid.
func FromISO(ns []int) Weekdays {
	var w Weekdays
	for _, n := range ns {
		if n < 1 || n > 7 {
			return 1 << 7 // not Valid
		}
		w |= 1 << (n - 1)
	}
	return w
}

// DefaultDays are the training days offered for a plan of perWeek
// sessions a week, spread over the week with a day of rest between where
// there is room: 1 Wednesday; 2 Monday and Thursday; 3 Monday, Wednesday
// and Friday; 4 Monday, Tuesday, Thursday and Friday; 5 Monday to Friday;
// 6 Monday to Saturday; 7 or more every day (a plan of more sessions than
// days — a clinician may set up to 14 — trains twice on some days; the
// calendar holds one time a day).
func DefaultDays(perWeek int) Weekdays {
	switch {
	case perWeek <= 1:
		return Day(time.Wednesday)
	case perWeek == 2:
		return Day(time.Monday) | Day(time.Thursday)
	case perWeek == 3:
		return Day(time.Monday) | Day(time.Wednesday) | Day(time.Friday)
	case perWeek == 4:
		return Day(time.Monday) | Day(time.Tuesday) | Day(time.Thursday) | Day(time.Friday)
	case perWeek == 5:
		return AllDays &^ (Day(time.Saturday) | Day(time.Sunday))
	case perWeek == 6:
		return AllDays &^ Day(time.Sunday)
	}
	return AllDays
}

// The times of day a patient can choose: from 6.00 to 21.00 on the hour
// and the half hour, 10.00 unless they choose another. None of them falls
// in the hour the clocks skip or repeat (2–3 at night, late March and late
// October), so a training time means the same local time every day of the
// year.
const (
	FirstMinute   = 6 * 60
	LastMinute    = 21 * 60
	MinuteStep    = 30
	DefaultMinute = 10 * 60
)

// Times are the times of day a patient can choose, in minutes after
// midnight.
func Times() []int {
	var out []int
	for m := FirstMinute; m <= LastMinute; m += MinuteStep {
		out = append(out, m)
	}
	return out
}

// Settings are what the patient chose: the days of the week they train
// and the time of day (minutes after midnight, local time).
type Settings struct {
	Days   Weekdays
	Minute int
}

// DefaultSettings are the settings offered for a plan of perWeek sessions
// a week before the patient has chosen.
func DefaultSettings(perWeek int) Settings {
	return Settings{Days: DefaultDays(perWeek), Minute: DefaultMinute}
}

// What is wrong with Settings (Invalid's fields).
const (
	FieldDays = "days" // no day chosen
	FieldTime = "time" // not one of Times
)

// Invalid is settings the calendar cannot hold: Fields names each field
// to correct, in the order of the form; the words are the caller's.
type Invalid struct{ Fields []string }

func (e *Invalid) Error() string {
	return "calendar: invalid settings: " + strings.Join(e.Fields, ", ")
}

// Check returns an *Invalid naming what is wrong with s, or nil.
func (s Settings) Check() error {
	var bad []string
	if !s.Days.Valid() {
		bad = append(bad, FieldDays)
	}
	if s.Minute < FirstMinute || s.Minute > LastMinute || s.Minute%MinuteStep != 0 {
		bad = append(bad, FieldTime)
	}
	if bad != nil {
		return &Invalid{Fields: bad}
	}
	return nil
}

// The programme's plan in time (see Events).
const (
	// SessionMinutes is how long a training event lasts: the programme's
	// session takes 15–30 minutes with the walk apart, and half an hour
	// holds it without filling the patient's day.
	SessionMinutes = 30
	// ReminderMinutes: a calendar that keeps the feed's alarms reminds
	// the patient this long before a training.
	ReminderMinutes = 30
	// HorizonWeeks: the training series runs to the end of the week this
	// many weeks after today, and moves on as the weeks pass (a rolling
	// horizon). The programme has no last day — after the 12-week status
	// consultation most patients train on — so a fixed end would stop
	// the reminders just as training should become a habit; a horizon
	// keeps a calendar that is no longer fetched from filling up with
	// reminders for years.
	HorizonWeeks = 12
)

// The status consultations (docs/sources.md, "Review points and
// referral": the Danish chiropractors' LSS care package holds them at 4
// and 12 weeks): the weeks in which the app advises one —
// internal/rules' STATUS_4_WEEKS on days 28–34 after the programme start
// (day 0) and STATUS_12_WEEKS on days 84–90 (TestStatusWeeksAreTheRules').
// Each is an all-day event over that week, so that it reads as "the
// consultation is due this week" rather than as a booked time.
const (
	status4FirstDay  = 4 * 7
	status12FirstDay = 12 * 7
	statusDays       = 7
)

// Plan is what a patient's calendar is made from.
type Plan struct {
	// Series is the feed's stable id (NewSeries): every event's UID is
	// built from it, so a calendar that fetches the feed again updates
	// its events instead of adding them twice.
	Series string
	// Start is the programme's first day (its date in Zone): the day of
	// the first baseline, else the day the account was made — as the
	// rules' history has it (care.buildHistory).
	Start time.Time
	// Started: the patient has a baseline, so the programme has begun and
	// its status consultations are known (the rules give no status
	// advice without one).
	Started  bool
	Settings Settings
	// Lang is the language of the events' names.
	Lang i18n.Lang
	// AppURL, when not "", is the app's page the events' description
	// links to.
	AppURL string
	// Changed is when the settings were last saved: the events' DTSTAMP
	// (with the week of now; see Encode).
	Changed time.Time
	// Zone is the patient's time zone (care.Zone: Europe/Copenhagen).
	Zone *time.Location
	// Paused: the programme is paused (a red flag answered yes and not
	// yet examined): the calendar holds no training, only the status
	// consultations, until the pause ends and the series comes back under
	// its old UID.
	Paused bool
}

// Kind is a kind of event.
type Kind string

const (
	Training Kind = "training"
	Status4  Kind = "status-4"
	Status12 Kind = "status-12"
)

// Event is one event of the calendar: a weekly series (Days not 0) or a
// single event.
type Event struct {
	UID     string
	Kind    Kind
	Summary string
	// Start and End are the (first) occurrence's bounds in Zone; for an
	// all-day event, midnight of its first day and of the day after its
	// last.
	Start, End time.Time
	AllDay     bool
	// Days: a weekly series on these days, from Start until Until (the
	// last moment an occurrence may start).
	Days  Weekdays
	Until time.Time
}

// Occurrence is one occurrence of an event.
type Occurrence struct {
	UID        string
	Kind       Kind
	Summary    string
	Start, End time.Time
	AllDay     bool
}

// date is t's date at midnight in loc.
func date(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// addDays is the date n days after the date d (midnight in d's location).
func addDays(d time.Time, n int) time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd+n, 0, 0, 0, 0, d.Location())
}

// Horizon is the last day (midnight in zone) of the training series as of
// now: the Sunday that ends the week HorizonWeeks after now's week.
func Horizon(now time.Time, zone *time.Location) time.Time {
	today := date(now, zone)
	toSunday := (7 - int(today.Weekday())) % 7
	return addDays(today, toSunday+HorizonWeeks*7)
}

// weekStart is the Monday of now's week, at midnight in zone.
func weekStart(now time.Time, zone *time.Location) time.Time {
	today := date(now, zone)
	return addDays(today, -((int(today.Weekday()) + 6) % 7))
}

// Events are p's events as of now: the training series — on the chosen
// days at the chosen time, SessionMinutes long, from the programme's first
// day to the Horizon — and, once the programme has started, the two status
// consultation weeks. While the programme is paused there is no training.
// Pure: the same plan and week give the same events.
func (p Plan) Events(now time.Time) []Event {
	zone := p.zone()
	start := date(p.Start, zone)
	var out []Event
	if p.Settings.Days.Valid() && !p.Paused {
		first := start
		for !p.Settings.Days.Has(first.Weekday()) {
			first = addDays(first, 1)
		}
		at := time.Date(first.Year(), first.Month(), first.Day(), p.Settings.Minute/60, p.Settings.Minute%60, 0, 0, zone)
		last := Horizon(now, zone)
		until := time.Date(last.Year(), last.Month(), last.Day(), 23, 59, 59, 0, zone)
		if !at.After(until) {
			out = append(out, Event{
				UID: p.uid(Training), Kind: Training, Summary: p.Lang.T("calSummaryTraining"),
				Start: at, End: at.Add(SessionMinutes * time.Minute), Days: p.Settings.Days, Until: until,
			})
		}
	}
	if p.Started {
		for _, s := range []struct {
			kind  Kind
			first int
		}{{Status4, status4FirstDay}, {Status12, status12FirstDay}} {
			out = append(out, Event{
				UID: p.uid(s.kind), Kind: s.kind, Summary: p.Lang.T("calSummaryStatus"),
				Start: addDays(start, s.first), End: addDays(start, s.first+statusDays), AllDay: true,
			})
		}
	}
	return out
}

func (p Plan) zone() *time.Location {
	if p.Zone != nil {
		return p.Zone
	}
	return time.UTC
}

// uid is the stable UID of p's event of kind k.
func (p Plan) uid(k Kind) string { return p.Series + "-" + string(k) }

// Occurrences are the occurrences of events that overlap [from, to),
// ordered by start: the domain's own reading of the series, which the
// tests hold an independent iCalendar parser's expansion against.
func Occurrences(events []Event, from, to time.Time) []Occurrence {
	var out []Occurrence
	for _, e := range events {
		add := func(s, t time.Time) {
			if s.Before(to) && t.After(from) {
				out = append(out, Occurrence{UID: e.UID, Kind: e.Kind, Summary: e.Summary, Start: s, End: t, AllDay: e.AllDay})
			}
		}
		if e.Days == 0 {
			add(e.Start, e.End)
			continue
		}
		length := e.End.Sub(e.Start)
		loc := e.Start.Location()
		for d := date(e.Start, loc); !d.After(e.Until) && d.Before(to); d = addDays(d, 1) {
			if !e.Days.Has(d.Weekday()) {
				continue
			}
			s := time.Date(d.Year(), d.Month(), d.Day(), e.Start.Hour(), e.Start.Minute(), 0, 0, loc)
			if s.Before(e.Start) || s.After(e.Until) {
				continue
			}
			add(s, s.Add(length))
		}
	}
	slices.SortStableFunc(out, func(a, b Occurrence) int { return a.Start.Compare(b.Start) })
	return out
}
