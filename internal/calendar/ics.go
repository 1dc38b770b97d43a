package calendar

// The feed as iCalendar (RFC 5545), written with github.com/arran4/golang-ical
// (the stack's choice): one VCALENDAR with the patient's zone as a
// VTIMEZONE, the training as one weekly series (an RRULE, not an event a
// day) and the status consultations as all-day events.

import (
	"fmt"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
)

// ContentType is the feed's media type.
const ContentType = "text/calendar; charset=utf-8"

// RefreshHours is how often the feed asks a calendar to fetch it again
// (REFRESH-INTERVAL, X-PUBLISHED-TTL): a change of days or time reaches
// the phone within some hours. Calendars decide for themselves in the
// end; Google's fetch about daily whatever the feed says.
const RefreshHours = 6

// localLayout is a local date and time as iCalendar writes it beside a
// TZID.
const localLayout = "20060102T150405"

// Encode is the feed of p as of now: the events of Events, in the
// language of p, with the zone's VTIMEZONE. The same plan in the same
// week gives the same bytes (DTSTAMP is the later of p.Changed and the
// week's Monday), so a calendar's repeated fetches change nothing and
// an ETag holds.
func (p Plan) Encode(now time.Time) []byte {
	zone := p.zone()
	events := p.Events(now)
	name := p.Lang.T("calSummaryTraining")

	cal := ics.NewCalendar() // VERSION:2.0
	// PRODID names the writer; it says nothing of what the calendar is for.
	cal.SetProductId("-//Training calendar//golang-ical//EN")
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName(name)
	cal.SetXWRCalName(name)
	cal.SetXWRTimezone(zone.String())
	refresh := fmt.Sprintf("PT%dH", RefreshHours)
	cal.SetRefreshInterval(refresh)
	cal.SetXPublishedTTL(refresh)

	if tz := vtimezone(zone, events); tz != nil {
		cal.AddVTimezone(tz)
	}

	stamp := weekStart(now, zone)
	if p.Changed.After(stamp) {
		stamp = p.Changed
	}
	for _, e := range events {
		ev := cal.AddEvent(e.UID)
		ev.SetDtStampTime(stamp)
		ev.SetSummary(e.Summary)
		// Outlook and others hide a private event's details from those
		// the calendar is shared with.
		ev.SetClass(ics.ClassificationPrivate)
		if e.AllDay {
			ev.SetAllDayStartAt(e.Start)
			ev.SetAllDayEndAt(e.End)
			ev.SetTimeTransparency(ics.TransparencyTransparent) // a week to book in, not a busy week
		} else {
			tzid := ics.WithTZID(zone.String())
			ev.SetProperty(ics.ComponentPropertyDtStart, e.Start.In(zone).Format(localLayout), tzid)
			ev.SetProperty(ics.ComponentPropertyDtEnd, e.End.In(zone).Format(localLayout), tzid)
			ev.SetTimeTransparency(ics.TransparencyOpaque)
		}
		if e.Days != 0 {
			// UNTIL is in UTC when DTSTART has a TZID (RFC 5545 3.3.10).
			ev.AddRrule("FREQ=WEEKLY;WKST=MO;BYDAY=" + byDay(e.Days) + ";UNTIL=" + e.Until.UTC().Format(localLayout+"Z"))
		}
		if p.AppURL != "" {
			ev.SetDescription(p.AppURL)
			ev.SetURL(p.AppURL)
		}
		if e.Kind == Training {
			a := ev.AddAlarm()
			a.SetAction(ics.ActionDisplay)
			a.SetProperty(ics.ComponentPropertyDescription, e.Summary)
			a.SetTrigger(fmt.Sprintf("-PT%dM", ReminderMinutes))
		}
	}
	return []byte(cal.Serialize(ics.WithNewLineWindows)) // CRLF, as RFC 5545 says
}

// byDay is w as an RRULE's BYDAY: "MO,WE,FR".
func byDay(w Weekdays) string {
	var out []string
	for _, d := range w.Days() {
		out = append(out, strings.ToUpper(d.String()[:2]))
	}
	return strings.Join(out, ",")
}

// transition is one change of a zone's offset.
type transition struct {
	onset    time.Time // the local time it happens, in the offset before it
	from, to int       // offsets in seconds east of UTC
	name     string    // the abbreviation after it: CET, CEST
	dst      bool      // summer time after it
}

// transitions are loc's changes of offset after from and not after to, as
// the zone database embedded in the binary (time/tzdata) has them: past
// and announced rules alike, so a change of the rules reaches the feed
// with the next Go release's zone data.
func transitions(loc *time.Location, from, to time.Time) []transition {
	var out []transition
	for t := from; ; {
		_, end := t.In(loc).ZoneBounds()
		if end.IsZero() || end.After(to) || !end.After(t) {
			return out
		}
		_, before := end.Add(-time.Second).In(loc).Zone()
		after := end.In(loc)
		name, offset := after.Zone()
		out = append(out, transition{
			onset: end.In(time.FixedZone("", before)),
			from:  before, to: offset, name: name, dst: after.IsDST(),
		})
		t = end
	}
}

// vtimezone describes zone over the span the events reach, a year on
// either side (so every time of the feed has an observance before it):
// one STANDARD or DAYLIGHT observance per change of offset. nil for UTC,
// which needs none.
func vtimezone(zone *time.Location, events []Event) *ics.VTimezone {
	if zone == time.UTC || len(events) == 0 {
		return nil
	}
	first, last := events[0].Start, events[0].End
	for _, e := range events {
		if e.Start.Before(first) {
			first = e.Start
		}
		for _, t := range []time.Time{e.End, e.Until} {
			if t.After(last) {
				last = t
			}
		}
	}
	trs := transitions(zone, first.AddDate(-1, 0, 0), last.AddDate(1, 0, 0))
	tz := ics.NewTimezone(zone.String())
	if len(trs) == 0 { // no change of offset in the span: one observance
		name, offset := first.In(zone).Zone()
		trs = []transition{{onset: time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), from: offset, to: offset, name: name}}
	}
	for _, tr := range trs {
		var c *ics.ComponentBase
		if tr.dst {
			d := &ics.Daylight{}
			tz.Components = append(tz.Components, d)
			c = &d.ComponentBase
		} else {
			c = &tz.AddStandard().ComponentBase
		}
		c.SetProperty(ics.ComponentPropertyDtStart, tr.onset.Format(localLayout))
		c.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), offset(tr.from))
		c.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), offset(tr.to))
		c.SetProperty(ics.ComponentProperty(ics.PropertyTzname), tr.name)
	}
	return tz
}

// offset is an offset in seconds as iCalendar writes it: +0100, -0330.
func offset(sec int) string {
	sign := '+'
	if sec < 0 {
		sign, sec = '-', -sec
	}
	return fmt.Sprintf("%c%02d%02d", sign, sec/3600, sec%3600/60)
}
