package progress

import (
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stenose/stenose/internal/rules"
)

// Wednesday 25 November 2026 in Copenhagen (CET, +01:00).
var (
	cph = func() *time.Location {
		l, err := time.LoadLocation("Europe/Copenhagen")
		if err != nil {
			return time.FixedZone("CET", 3600)
		}
		return l
	}()
	now = time.Date(2026, 11, 25, 18, 0, 0, 0, cph)
)

func day(s string) rules.Day { return rules.ParseDay(s) }

func walk(d string, bouts ...rules.Bout) rules.Walk { return rules.Walk{Date: day(d), Bouts: bouts} }

// bout is a bout of w seconds walked with symptoms after f seconds (0: none).
func bout(w, f int) rules.Bout {
	return rules.Bout{WalkSeconds: w, PauseSeconds: 60, FirstSymptomsSeconds: f}
}

// pt is a point's value and N, or "gap".
type pt struct {
	V  float64
	N  int
	OK bool
}

func pts(s Series) []pt {
	out := make([]pt, len(s.Points))
	for i, p := range s.Points {
		out[i] = pt{math.Round(p.Value*1000) / 1000, p.N, p.OK}
		if !p.OK {
			out[i] = pt{}
		}
	}
	return out
}

func gap() pt                   { return pt{} }
func val(v float64, n int) pt   { return pt{math.Round(v*1000) / 1000, n, true} }
func last(s Series, n int) []pt { return pts(s.Last(n)) }

func TestDaily(t *testing.T) {
	tests := []struct {
		name    string
		h       rules.History
		measure Measure
		want    []pt // the last len(want) days, today last
	}{{
		name: "median of an odd number of walks a day",
		h: rules.History{Walks: []rules.Walk{
			walk("2026-11-25", bout(600, 300)), walk("2026-11-25", bout(600, 120)), walk("2026-11-25", bout(600, 180)),
		}},
		measure: FirstSymptoms,
		want:    []pt{val(3, 3)},
	}, {
		name: "median of an even number, only the first bout counts",
		h: rules.History{Walks: []rules.Walk{
			walk("2026-11-24", bout(600, 120), bout(600, 30)), walk("2026-11-24", bout(600, 240), bout(600, 30)),
		}},
		measure: FirstSymptoms,
		want:    []pt{val(3, 2), gap()},
	}, {
		name:    "no symptoms in the first bout: its length, as the rules",
		h:       rules.History{Walks: []rules.Walk{walk("2026-11-25", bout(900, 0))}},
		measure: FirstSymptoms,
		want:    []pt{val(15, 1)},
	}, {
		name:    "an invalid first bout has no time to first symptoms",
		h:       rules.History{Walks: []rules.Walk{walk("2026-11-25", bout(0, 0), bout(300, 100))}},
		measure: FirstSymptoms,
		want:    []pt{gap()},
	}, {
		name: "total walking: valid bouts of every walk, pauses not counted",
		h: rules.History{Walks: []rules.Walk{
			walk("2026-11-25", bout(300, 100), bout(240, 0), bout(-5, 0)), walk("2026-11-25", bout(60, 0)),
			walk("2026-11-23", bout(0, 0)), walk("2026-11-23"),
		}},
		measure: WalkMinutes,
		want:    []pt{gap(), gap(), val(10, 2)},
	}, {
		name: "pain: mean per day, invalid values ignored one at a time, gaps not zero",
		h: rules.History{Entries: []rules.Entry{
			{At: day("2026-11-23"), LegPain: 6, BackPain: 2}, {At: day("2026-11-23"), LegPain: 3, BackPain: 11},
			{At: day("2026-11-25"), LegPain: -1, BackPain: 4},
		}},
		measure: LegPain,
		want:    []pt{val(4.5, 2), gap(), gap()},
	}, {
		name: "back pain",
		h: rules.History{Entries: []rules.Entry{
			{At: day("2026-11-23"), LegPain: 6, BackPain: 2}, {At: day("2026-11-23"), LegPain: 3, BackPain: 11},
		}},
		measure: BackPain,
		want:    []pt{val(2, 1), gap(), gap()},
	}, {
		name: "sessions: 0 from the programme start, gaps before; not done ones do not count",
		h: rules.History{ProgrammeStart: day("2026-11-23"), Sessions: []rules.Session{
			{Date: day("2026-11-23"), CompletedSteps: 5}, {Date: day("2026-11-23"), CompletedSteps: 1},
			{Date: day("2026-11-25"), CompletedSteps: 0}, {Date: day("2026-11-25"), CompletedSteps: 101},
		}},
		measure: Sessions,
		want:    []pt{gap(), val(2, 2), {0, 0, true}, {0, 0, true}},
	}, {
		name: "sessions start counting at the first data when it is before the programme start",
		h: rules.History{ProgrammeStart: day("2026-12-01"), Entries: []rules.Entry{{At: day("2026-11-24"), LegPain: 1}},
			Sessions: []rules.Session{{Date: day("2026-11-25"), CompletedSteps: 3}}},
		measure: Sessions,
		want:    []pt{gap(), {0, 0, true}, val(1, 1)},
	}, {
		name:    "no data at all: sessions are gaps too",
		h:       rules.History{},
		measure: Sessions,
		want:    []pt{gap(), gap()},
	}, {
		name: "anything after today is ignored",
		h: rules.History{Entries: []rules.Entry{{At: day("2026-11-26"), LegPain: 9}, {At: day("2026-11-25T23:59:00+01:00"), LegPain: 2}},
			Walks: []rules.Walk{walk("2026-11-26", bout(60, 0))}},
		measure: LegPain,
		want:    []pt{val(2, 1)},
	}, {
		name:    "invalid dates are ignored",
		h:       rules.History{Entries: []rules.Entry{{At: day("25/11/2026"), LegPain: 9}, {LegPain: 8}}},
		measure: LegPain,
		want:    []pt{gap()},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Compute(tc.h, now, 12)
			s := r.Days[tc.measure]
			if len(s.Points) != 84 || s.Period != Daily || s.Measure != tc.measure {
				t.Fatalf("series %v/%v with %d points, want %v/Daily with 84", s.Measure, s.Period, len(s.Points), tc.measure)
			}
			if got := s.Points[83].Start; !got.Equal(time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("last point starts %v, want 2026-11-25", got)
			}
			if got := s.Points[0].Start; !got.Equal(time.Date(2026, 9, 3, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("first point starts %v, want 2026-09-03 (84 days)", got)
			}
			if diff := cmp.Diff(tc.want, last(s, len(tc.want))); diff != "" {
				t.Errorf("last %d days (-want +got):\n%s", len(tc.want), diff)
			}
		})
	}
}

func TestWeekly(t *testing.T) {
	h := rules.History{
		ProgrammeStart: day("2026-11-02"), // a Monday, 4 weeks before this week
		Entries: []rules.Entry{
			{At: day("2026-11-22"), LegPain: 8, BackPain: 1}, // Sunday: the week before
			{At: day("2026-11-23"), LegPain: 2, BackPain: 3}, // Monday: this week
			{At: day("2026-11-25"), LegPain: 5, BackPain: 3},
		},
		Sessions: []rules.Session{
			{Date: day("2026-11-16"), CompletedSteps: 4}, {Date: day("2026-11-22"), CompletedSteps: 4},
			{Date: day("2026-11-23"), CompletedSteps: 4},
		},
		Walks: []rules.Walk{ // this week: 300, 60, 180, 120 s → median 150 s
			walk("2026-11-23", bout(600, 300)), walk("2026-11-24", bout(600, 60)), walk("2026-11-24", bout(600, 180)),
			walk("2026-11-25", bout(120, 0)),
			walk("2026-11-22", bout(600, 600)), // the week before
		},
	}
	r := Compute(h, now, 12)
	for _, set := range []Set{r.AllWeeks, r.RecentWeeks()} {
		if n := len(set[LegPain].Points); n != 12 {
			t.Errorf("%d weeks, want 12 (the programme started 4 weeks ago, but at least 12)", n)
		}
		for m, s := range set {
			if s.Period != Weekly || s.Measure != Measure(m) {
				t.Errorf("series %d is %v/%v", m, s.Measure, s.Period)
			}
			for i, p := range s.Points {
				if want := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 7*(i-11)); !p.Start.Equal(want) || p.Start.Weekday() != time.Monday {
					t.Errorf("%v week %d starts %v, want Monday %v", s.Measure, i, p.Start, want)
				}
			}
		}
	}
	w := r.AllWeeks
	for _, tc := range []struct {
		m    Measure
		want []pt // the last 5 weeks
	}{
		{FirstSymptoms, []pt{gap(), gap(), gap(), val(10, 1), val(2.5, 4)}},
		{WalkMinutes, []pt{gap(), gap(), gap(), val(10, 1), val(32, 4)}}, // 600+600+600+120 s
		{LegPain, []pt{gap(), gap(), gap(), val(8, 1), val(3.5, 2)}},
		{BackPain, []pt{gap(), gap(), gap(), val(1, 1), val(3, 2)}},
		{Sessions, []pt{gap(), {0, 0, true}, {0, 0, true}, val(2, 2), val(1, 1)}},
	} {
		if diff := cmp.Diff(tc.want, last(w[tc.m], 5)); diff != "" {
			t.Errorf("%v, last 5 weeks (-want +got):\n%s", tc.m, diff)
		}
	}
}

func TestSpan(t *testing.T) {
	tests := []struct {
		name              string
		h                 rules.History
		weeks             int
		wantDays, wantAll int
	}{
		{"empty, default weeks", rules.History{}, 0, 84, 12},
		{"negative weeks", rules.History{}, -3, 84, 12},
		{"4 weeks", rules.History{}, 4, 28, 4},
		{"capped", rules.History{}, 10000, 7 * MaxWeeks, MaxWeeks},
		{"data 30 weeks back", rules.History{Entries: []rules.Entry{{At: day("2026-04-28"), LegPain: 3}}}, 12, 84, 31},
		{"programme start 20 weeks back", rules.History{ProgrammeStart: day("2026-07-10")}, 12, 84, 21},
		{"data older than the span is ignored", rules.History{Entries: []rules.Entry{{At: day("1900-01-01"), LegPain: 3}}}, 12, 84, 12},
		{"year 0 and 9999", rules.History{ProgrammeStart: day("0000-01-01"), Walks: []rules.Walk{walk("9999-12-31", bout(60, 0))}}, 12, 84, 12},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Compute(tc.h, now, tc.weeks)
			for m := range NumMeasures {
				if n := len(r.Days[m].Points); n != tc.wantDays {
					t.Errorf("%v: %d days, want %d", m, n, tc.wantDays)
				}
				if n := len(r.AllWeeks[m].Points); n != tc.wantAll {
					t.Errorf("%v: %d weeks, want %d", m, n, tc.wantAll)
				}
			}
			if want := min(max(tc.weeks, 0), MaxWeeks); want > 0 && r.Weeks != want || want == 0 && r.Weeks != DefaultWeeks {
				t.Errorf("Weeks = %d", r.Weeks)
			}
			if n := len(r.RecentWeeks()[LegPain].Points); n != r.Weeks {
				t.Errorf("RecentWeeks has %d weeks, want %d", n, r.Weeks)
			}
		})
	}
}

// TestTimeZones: a date counts on the day it carries in its own offset, and
// today is now's date in now's location — as in internal/rules.
func TestTimeZones(t *testing.T) {
	h := rules.History{Entries: []rules.Entry{
		// Monday 00:30 in Copenhagen is Sunday 23:30 UTC: it is Monday's.
		{At: day("2026-11-23T00:30:00+01:00"), LegPain: 4},
		// Sunday 23:30 in Copenhagen.
		{At: day("2026-11-22T23:30:00+01:00"), LegPain: 8},
		// Summer time: 30 March 2026 00:15 CEST is 29 March 22:15 UTC.
		{At: day("2026-03-30T00:15:00+02:00"), LegPain: 1},
	}}
	tests := []struct {
		name      string
		now       time.Time
		today     string
		wantToday pt
	}{
		{"Monday 00:30 in Copenhagen is Monday", time.Date(2026, 11, 23, 0, 30, 0, 0, cph), "2026-11-23", val(4, 1)},
		{"the same instant in UTC is still Sunday", time.Date(2026, 11, 23, 0, 30, 0, 0, cph).UTC(), "2026-11-22", val(8, 1)},
		{"the summer-time entry is Monday's", time.Date(2026, 3, 30, 9, 0, 0, 0, cph), "2026-03-30", val(1, 1)},
		{"a fixed zone works as well", time.Date(2026, 3, 30, 1, 0, 0, 0, time.FixedZone("", 2*3600)), "2026-03-30", val(1, 1)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Compute(h, tc.now, 12)
			if got := r.Today.Format(time.DateOnly); got != tc.today {
				t.Errorf("Today = %s, want %s", got, tc.today)
			}
			if diff := cmp.Diff([]pt{tc.wantToday}, last(r.Days[LegPain], 1)); diff != "" {
				t.Errorf("today's leg pain (-want +got):\n%s", diff)
			}
			// Today's week starts on the Monday of today's date.
			wk := r.AllWeeks[LegPain].Points
			if s := wk[len(wk)-1].Start; s.Weekday() != time.Monday || r.Today.Sub(s) < 0 || r.Today.Sub(s) > 6*24*time.Hour {
				t.Errorf("this week starts %v, today %v", s, r.Today)
			}
		})
	}
}

func TestCalendar(t *testing.T) {
	for _, tc := range []struct {
		date       string
		year, week int64
	}{
		{"2026-11-25", 2026, 48}, {"2026-12-31", 2026, 53}, {"2027-01-03", 2026, 53}, {"2027-01-04", 2027, 1},
		{"2024-12-30", 2025, 1}, {"2021-01-03", 2020, 53}, {"1970-01-01", 1970, 1}, {"1969-12-28", 1969, 52},
	} {
		n, ok := dayNum(day(tc.date))
		if !ok {
			t.Fatalf("%s is not a day", tc.date)
		}
		y, w := isoWeek(n)
		ty, tw := time.Unix(n*86400, 0).UTC().ISOWeek()
		if y != tc.year || w != tc.week || int64(ty) != y || int64(tw) != w {
			t.Errorf("isoWeek(%s) = %d-W%d, want %d-W%d (time: %d-W%d)", tc.date, y, w, tc.year, tc.week, ty, tw)
		}
	}
	// The memo of dayParser gives what dayNum gives, in and out of order.
	var p dayParser
	for _, s := range []string{"2026-11-25", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-26", "2026-11-28T23:00:00-05:00",
		"2026-11-29", "bad", "2026-11-30", "2026-12-31", "2027-01-01", "2027-01-01", "1999-01-01", "1999-01-02"} {
		d := day(s)
		gn, gok := p.num(d)
		wn, wok := dayNum(d)
		if gn != wn || gok != wok {
			t.Errorf("dayParser(%s) = %d, %v; dayNum: %d, %v", s, gn, gok, wn, wok)
		}
	}
	// Round trips over 800 years, against the time package.
	for n := int64(-200000); n < 100000; n += 37 {
		tm := time.Unix(n*86400, 0).UTC()
		y, m, d := civil(n)
		if int(y) != tm.Year() || time.Month(m) != tm.Month() || int(d) != tm.Day() {
			t.Fatalf("civil(%d) = %d-%d-%d, want %s", n, y, m, d, tm.Format(time.DateOnly))
		}
		if back := daysFromCivil(y, m, d); back != n {
			t.Fatalf("daysFromCivil(civil(%d)) = %d", n, back)
		}
		if mo := monday(n); time.Unix(mo*86400, 0).UTC().Weekday() != time.Monday || n-mo < 0 || n-mo > 6 {
			t.Fatalf("monday(%d) = %d", n, mo)
		}
	}
}

// TestProgrammeViews: the page's charts start at the programme start (or
// the first data before it), never weeks before, run to today, and carry
// the baseline as their Start point.
func TestProgrammeViews(t *testing.T) {
	base := func(d string, first, stop, leg, back int) *rules.Baseline {
		return &rules.Baseline{Date: day(d), SPWT: rules.SPWT{FirstSymptomsSeconds: first, StopSeconds: stop}, LegPain: leg, BackPain: back}
	}
	const thisMonday = "2026-11-23" // now is Wednesday 25 November 2026
	tests := []struct {
		name          string
		h             rules.History
		most          int
		from          string     // Report.From
		weeks         int        // ProgrammeWeeks(most): how many
		firstWeek     string     // … and the Monday of the first
		days          int        // ProgrammeDays(28): how many
		start         [4]float64 // Start values of FirstSymptoms, WalkMinutes, LegPain, BackPain
		noStart       bool
		sessionsToday pt
	}{{
		name: "day 0: the baseline today, one week, one day",
		h:    rules.History{ProgrammeStart: day("2026-11-25"), Baseline: base("2026-11-25", 195, 390, 5, 4)},
		most: 12,
		from: "2026-11-25", weeks: 1, firstWeek: thisMonday, days: 1,
		start:         [4]float64{3.25, 6.5, 5, 4},
		sessionsToday: pt{0, 0, true},
	}, {
		name: "4 weeks in: the first week is the programme start's week",
		h:    rules.History{ProgrammeStart: day("2026-10-28"), Baseline: base("2026-10-28", 120, 600, 7, 2)},
		most: 12,
		from: "2026-10-28", weeks: 5, firstWeek: "2026-10-26", days: 28,
		start:         [4]float64{2, 10, 7, 2},
		sessionsToday: pt{0, 0, true},
	}, {
		name: "a record before the programme start: its week comes first",
		h: rules.History{ProgrammeStart: day("2026-11-16"), Baseline: base("2026-11-16", 60, 60, 0, 10),
			Entries: []rules.Entry{{At: day("2026-11-10"), LegPain: 3}}},
		most: 12,
		from: "2026-11-10", weeks: 3, firstWeek: "2026-11-09", days: 16,
		start:         [4]float64{1, 1, 0, 10},
		sessionsToday: pt{0, 0, true},
	}, {
		name: "30 weeks in: the last 12 weeks",
		h:    rules.History{ProgrammeStart: day("2026-04-28"), Baseline: base("2026-04-28", 30, 90, 1, 1)},
		most: 12,
		from: "2026-04-28", weeks: 12, firstWeek: "2026-09-07", days: 28,
		start:         [4]float64{0.5, 1.5, 1, 1},
		sessionsToday: pt{0, 0, true},
	}, {
		name: "30 weeks in, all of them",
		h:    rules.History{ProgrammeStart: day("2026-04-28")},
		most: 0,
		from: "2026-04-28", weeks: 31, firstWeek: "2026-04-27", days: 28,
		noStart:       true,
		sessionsToday: pt{0, 0, true},
	}, {
		name: "no symptoms in the walking test: the test's length, as for walks",
		h:    rules.History{ProgrammeStart: day("2026-11-24"), Baseline: base("2026-11-24", 0, 1800, 2, 3)},
		most: 12,
		from: "2026-11-24", weeks: 1, firstWeek: thisMonday, days: 2,
		start:         [4]float64{30, 30, 2, 3},
		sessionsToday: pt{0, 0, true},
	}, {
		name: "a baseline the rules refuse is no Start",
		h:    rules.History{ProgrammeStart: day("2026-11-24"), Baseline: base("2026-11-24", 100, 60, 2, 3)},
		most: 12,
		from: "2026-11-24", weeks: 1, firstWeek: thisMonday, days: 2,
		noStart:       true,
		sessionsToday: pt{0, 0, true},
	}, {
		name: "a baseline after today is no Start",
		h:    rules.History{ProgrammeStart: day("2026-11-24"), Baseline: base("2026-11-26", 100, 200, 2, 3)},
		most: 12,
		from: "2026-11-24", weeks: 1, firstWeek: thisMonday, days: 2,
		noStart:       true,
		sessionsToday: pt{0, 0, true},
	}, {
		name: "nothing at all: this week and today, sessions a gap",
		most: 12,
		from: "2026-11-25", weeks: 1, firstWeek: thisMonday, days: 1,
		noStart: true,
	}, {
		name: "a programme start after today is ignored",
		h:    rules.History{ProgrammeStart: day("2026-12-01")},
		most: 12,
		from: "2026-11-25", weeks: 1, firstWeek: thisMonday, days: 1,
		noStart: true,
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Compute(tc.h, now, 12)
			if got := r.From.Format(time.DateOnly); got != tc.from {
				t.Errorf("From = %s, want %s", got, tc.from)
			}
			weeks, days := r.ProgrammeWeeks(tc.most), r.ProgrammeDays(28)
			for m := range NumMeasures {
				w, d := weeks[m], days[m]
				if len(w.Points) != tc.weeks || w.Period != Weekly || w.Measure != m || !w.Running {
					t.Fatalf("%v: %d weeks (%v, running %v), want %d", m, len(w.Points), w.Period, w.Running, tc.weeks)
				}
				if got := w.Points[0].Start.Format(time.DateOnly); got != tc.firstWeek {
					t.Errorf("%v: the first week starts %s, want %s", m, got, tc.firstWeek)
				}
				if got := w.Points[len(w.Points)-1].Start.Format(time.DateOnly); got != thisMonday {
					t.Errorf("%v: the last week starts %s, want this week, %s", m, got, thisMonday)
				}
				if len(d.Points) != tc.days || d.Period != Daily || !d.Running {
					t.Fatalf("%v: %d days, want %d", m, len(d.Points), tc.days)
				}
				if got := d.Points[len(d.Points)-1].Start.Format(time.DateOnly); got != "2026-11-25" {
					t.Errorf("%v: the last day is %s, want today", m, got)
				}
				if tc.days < 28 && d.Points[0].Start.Format(time.DateOnly) != tc.from {
					t.Errorf("%v: the first day is %s, want %s", m, d.Points[0].Start.Format(time.DateOnly), tc.from)
				}
				wantOK := !tc.noStart && m != Sessions
				for _, s := range []Series{w, d} {
					if s.Start.OK != wantOK {
						t.Errorf("%v/%v: Start.OK = %v, want %v", m, s.Period, s.Start.OK, wantOK)
					}
					if wantOK && (math.Abs(s.Start.Value-tc.start[m]) > 1e-9 || s.Start.Start.Format(time.DateOnly) != tc.h.Baseline.Date.String()[:10]) {
						t.Errorf("%v/%v: Start = %+v, want %v on %s", m, s.Period, s.Start, tc.start[m], tc.h.Baseline.Date)
					}
				}
			}
			if diff := cmp.Diff([]pt{tc.sessionsToday}, last(days[Sessions], 1)); diff != "" {
				t.Errorf("sessions today (-want +got):\n%s", diff)
			}
			// The raw views are unchanged: at least Weeks weeks, no Start.
			if n := len(r.AllWeeks[LegPain].Points); n < r.Weeks || r.AllWeeks[LegPain].Start.OK || r.Days[LegPain].Running {
				t.Errorf("AllWeeks changed: %d weeks, Start %v", n, r.AllWeeks[LegPain].Start.OK)
			}
		})
	}
}

// rulesDay0 is a patient who has just done the baseline, today.
func rulesDay0() rules.History {
	return rules.History{ProgrammeStart: day("2026-11-25"), PlannedPerWeek: 3,
		Baseline: &rules.Baseline{Date: day("2026-11-25"), SPWT: rules.SPWT{FirstSymptomsSeconds: 195, StopSeconds: 390}, LegPain: 5, BackPain: 4}}
}
