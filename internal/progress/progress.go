// Package progress turns a patient's history (the same rules.History the
// rules read) into the series, charts, data tables and plain sentences of
// the progress page (issue 4, "Today and progress").
//
// Days: every date is the calendar day it carries, in its own UTC offset,
// exactly as internal/rules reads it (rules.Day); "today" is now's date in
// now's location, so the caller passes now in the patient's zone
// (Europe/Copenhagen). Nothing is converted between zones. Weeks are ISO
// weeks: Monday to Sunday. As in the rules, anything dated after today is
// ignored, and so is each value the rules' Validate would reject (pain
// outside 0–10, a bout outside its limits, a session without a completed
// step).
//
// Gaps: a day or week without a measurement is a gap (Point.OK false), never
// a zero. Sessions are the exception: they are recorded by the app itself,
// so from the first day with any data (or the programme start) a day
// without a session is a real 0; before it, a gap.
package progress

import (
	"time"

	"github.com/stenose/stenose/internal/rules"
)

// Measure is one of the series of the progress page.
type Measure int

const (
	// FirstSymptoms is the time to first symptoms in the first bout of a
	// walk, in minutes (the bout's length when symptoms did not come, as in
	// the rules); a period's value is the median of its walks.
	FirstSymptoms Measure = iota
	// WalkMinutes is the time walked, pauses not counted, in minutes; a
	// period's value is its total.
	WalkMinutes
	// LegPain is the diary's leg pain, NRS 0–10; a period's value is the
	// mean of its entries.
	LegPain
	// BackPain is the diary's back pain, NRS 0–10, as LegPain.
	BackPain
	// Sessions is the number of sessions done (at least one completed
	// step) in the period.
	Sessions
	// NumMeasures is the number of measures: the length of a Set.
	NumMeasures
)

// Period is the length of one point of a series.
type Period int

const (
	// Daily points are one calendar day each.
	Daily Period = iota
	// Weekly points are one ISO week each, Monday to Sunday.
	Weekly
)

// Point is one day or week of a series.
type Point struct {
	// Start is the first day of the period (a Monday for a week), as
	// midnight UTC of that calendar date.
	Start time.Time
	// Value is the measure for the period; meaningless when !OK.
	Value float64
	// N is how many measurements Value is based on (diary entries, walks,
	// sessions).
	N int
	// OK is false for a gap: no data for the period.
	OK bool
}

// Series is one measure over consecutive periods, oldest first, the last
// one containing today.
type Series struct {
	Measure Measure
	Period  Period
	Points  []Point
	// Start is the baseline as its own point, drawn and listed before the
	// periods and labelled "Start" (OK false: none). Its Start is the
	// baseline's date. Only the programme views (Report.ProgrammeWeeks,
	// Report.ProgrammeDays) set it.
	Start Point
	// Running marks the last point as the period still in progress (today,
	// or this week): a gap there is "not yet", not a missing measurement.
	// Only the programme views set it.
	Running bool
}

// Gaps is the number of points without data (a running last point
// without data is not a gap: see Running).
func (s Series) Gaps() int {
	n := 0
	for i, p := range s.Points {
		if !p.OK && !s.pending(i) {
			n++
		}
	}
	return n
}

// pending reports whether point i is the running period without data yet.
func (s Series) pending(i int) bool {
	return s.Running && i == len(s.Points)-1 && !s.Points[i].OK
}

// Last returns the series of its last n points (all when fewer).
func (s Series) Last(n int) Series {
	if n < len(s.Points) && n >= 0 {
		s.Points = s.Points[len(s.Points)-n:]
	}
	return s
}

// Set is one series per measure, indexed by Measure.
type Set [NumMeasures]Series

// Last returns the set of the last n points of each series.
func (s Set) Last(n int) Set {
	for i := range s {
		s[i] = s[i].Last(n)
	}
	return s
}

// Report is everything the progress page shows.
type Report struct {
	// Today is the day of now (midnight UTC of its calendar date).
	Today time.Time
	// Weeks is the span of the daily view and of RecentWeeks.
	Weeks int
	// Days has one point per day for the last Weeks×7 days, today last.
	Days Set
	// AllWeeks has one point per ISO week, from the week of the first data
	// (or the programme start), at most MaxSpanWeeks back, and at least the
	// last Weeks weeks, to this week.
	AllWeeks Set
	// Changes compares now with 4 weeks ago and with the baseline, for the
	// measures that have enough data; see Sentences.
	Changes []Change
	// PSFS are the Patient-Specific Functional Scale scorings up to today,
	// oldest first (the first is the baseline).
	PSFS []Scoring
	// PSFSChange compares the latest scoring with the first; nil with
	// fewer than two.
	PSFSChange *ScoreChange
	// From is the first day of the programme views: the programme start,
	// or the first day with data when that is earlier (today when there is
	// neither).
	From time.Time
	// Baseline is the history's baseline when the rules would accept it and
	// it is not after today; else nil.
	Baseline *rules.Baseline
	// Start is the baseline of each measure as a point (see Series.Start):
	// the walking test's time to first symptoms (its length when symptoms
	// did not come, as for walks) and its length in minutes, leg and back
	// pain. Sessions has none; none is OK without a Baseline.
	Start [NumMeasures]Point
}

// RecentWeeks returns the last Weeks weeks of AllWeeks.
func (r Report) RecentWeeks() Set { return r.AllWeeks.Last(r.Weeks) }

// ProgrammeWeeks is what the progress page charts week by week: one point
// per ISO week from the week of From to this week — no empty weeks before
// the programme began — the last most of them when there are more (all of
// AllWeeks' when most ≤ 0), each series with its Start point and its last
// week marked Running. A patient on the programme's first day gets one
// week and the Start point.
func (r Report) ProgrammeWeeks(most int) Set {
	return r.programme(r.AllWeeks, most)
}

// ProgrammeDays is ProgrammeWeeks by day: from From to today, the last most
// days at most (and at most the 7×Weeks days of Days).
func (r Report) ProgrammeDays(most int) Set {
	return r.programme(r.Days, most)
}

func (r Report) programme(all Set, most int) Set {
	from := dayOf(r.From)
	for m := range all {
		s := all[m]
		skip := 0
		for skip < len(s.Points)-1 && dayOf(s.Points[skip+1].Start) <= from {
			skip++ // the period containing From stays
		}
		s.Points = s.Points[skip:]
		if most > 0 {
			s = s.Last(most)
		}
		s.Start = r.Start[m]
		s.Running = true
		all[m] = s
	}
	return all
}
