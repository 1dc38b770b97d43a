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
	"math"
	"slices"
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

// Limits of Compute.
const (
	// DefaultWeeks is the span Compute uses when weeks ≤ 0.
	DefaultWeeks = 12
	// MaxWeeks caps the weeks argument (10 years).
	MaxWeeks = 520
	// MaxSpanWeeks caps how far back AllWeeks goes (20 years); older data
	// is ignored.
	MaxSpanWeeks = 20 * 53
)

// Comparison windows and minimum data (docs/sources.md "Meaningful change";
// the same windows and minimums as the rules' WORSENING_CONTACT).
const (
	windowDays  = 14 // "now": today and the 13 days before
	agoDays     = 28 // "4 weeks ago": the 14 days ending 28 days before today
	minEntries  = 4  // diary entries needed in a window for a pain mean
	minWalks    = 2  // walks needed in a window for a walking median
	meaningPct  = 30 // meaningful change in time to first symptoms: 30 %
	meaningNRS  = 20 // meaningful change in pain: 2 NRS points, in tenths
	maxNRS      = 10
	maxSteps    = 100
	maxBoutSecs = 4 * 3600
	maxSPWTSecs = 30 * 60
)

const skip = math.MinInt64 // a record that does not count

// acc is one day's sums.
type acc struct {
	leg, legN, back, backN, sess, walkN int32
	walkSec                             int64
}

// first is one walk's time to first symptoms (first bout), in seconds.
type first struct {
	day int64
	sec int32
}

// Compute builds the report for h on the day of now, with the daily view
// and RecentWeeks spanning weeks weeks (DefaultWeeks when weeks ≤ 0, at most
// MaxWeeks). It reads every record once; it never fails.
func Compute(h rules.History, now time.Time, weeks int) Report {
	if weeks <= 0 {
		weeks = DefaultWeeks
	}
	weeks = min(weeks, MaxWeeks)
	y, m, d := now.Date()
	today := daysFromCivil(int64(y), int64(m), int64(d))
	todayMon := monday(today)
	oldest := todayMon - 7*int64(MaxSpanWeeks-1)
	in := func(n int64) bool { return n >= oldest && n <= today }

	// Parse every date once and find the first day with data.
	days := make([]int64, len(h.Entries)+len(h.Sessions)+len(h.Walks))
	active := int64(skip)
	var dn dayParser
	note := func(i int, d rules.Day) {
		n, ok := dn.num(d)
		if !ok || !in(n) {
			days[i] = skip
			return
		}
		days[i] = n
		if active == skip || n < active {
			active = n
		}
	}
	for i := range h.Entries {
		note(i, h.Entries[i].At)
	}
	off := len(h.Entries)
	for i := range h.Sessions {
		note(off+i, h.Sessions[i].Date)
	}
	off += len(h.Sessions)
	for i := range h.Walks {
		note(off+i, h.Walks[i].Date)
	}
	if n, ok := dayNum(h.ProgrammeStart); ok && in(n) && (active == skip || n < active) {
		active = n
	}
	if active == skip {
		active = today + 1 // no data at all: sessions are gaps too
	}

	dayFrom := today - 7*int64(weeks) + 1
	weekFrom := min(monday(min(active, today)), todayMon-7*int64(weeks-1))
	accFrom := min(dayFrom, weekFrom, today-agoDays-windowDays+1)
	accs := make([]acc, today-accFrom+1)
	firsts := make([]first, 0, len(h.Walks))

	for i := range h.Entries {
		n := days[i]
		if n < accFrom {
			continue
		}
		e := &h.Entries[i]
		a := &accs[n-accFrom]
		if nrsOK(e.LegPain) {
			a.leg += int32(e.LegPain)
			a.legN++
		}
		if nrsOK(e.BackPain) {
			a.back += int32(e.BackPain)
			a.backN++
		}
	}
	off = len(h.Entries)
	for i := range h.Sessions {
		n := days[off+i]
		if n < accFrom {
			continue
		}
		if c := h.Sessions[i].CompletedSteps; c >= 1 && c <= maxSteps {
			accs[n-accFrom].sess++
		}
	}
	off += len(h.Sessions)
	for i := range h.Walks {
		n := days[off+i]
		w := &h.Walks[i]
		if n < accFrom || len(w.Bouts) == 0 {
			continue
		}
		if b := w.Bouts[0]; boutOK(b) {
			s := b.WalkSeconds
			if b.FirstSymptomsSeconds > 0 {
				s = b.FirstSymptomsSeconds
			}
			firsts = append(firsts, first{n, int32(s)})
		}
		var total int64
		for _, b := range w.Bouts {
			if boutOK(b) {
				total += int64(b.WalkSeconds)
			}
		}
		if total > 0 {
			a := &accs[n-accFrom]
			a.walkSec += total
			a.walkN++
		}
	}
	slices.SortFunc(firsts, func(a, b first) int {
		if a.day != b.day {
			if a.day < b.day {
				return -1
			}
			return 1
		}
		return int(a.sec) - int(b.sec)
	})

	r := Report{Today: dayTime(today), Weeks: weeks}
	c := calc{accs: accs, from: accFrom, firsts: firsts, active: active, today: today}
	r.Days = c.daily(dayFrom, 7*weeks)
	r.AllWeeks = c.weekly(weekFrom, int((todayMon-weekFrom)/7)+1)
	r.Changes = c.changes(h.Baseline)
	r.PSFS = scorings(h.PSFS, today)
	r.PSFSChange = scoreChange(r.PSFS)
	r.From = dayTime(min(active, today))
	if baselineOK(h.Baseline, today) {
		b := *h.Baseline
		r.Baseline = &b
		n, _ := dayNum(b.Date)
		first := b.SPWT.FirstSymptomsSeconds
		if first == 0 {
			first = b.SPWT.StopSeconds // no symptoms: the test's length, as for walks
		}
		at := dayTime(n)
		r.Start[FirstSymptoms] = Point{Start: at, Value: float64(first) / 60, N: 1, OK: true}
		r.Start[WalkMinutes] = Point{Start: at, Value: float64(b.SPWT.StopSeconds) / 60, N: 1, OK: true}
		r.Start[LegPain] = Point{Start: at, Value: float64(b.LegPain), N: 1, OK: true}
		r.Start[BackPain] = Point{Start: at, Value: float64(b.BackPain), N: 1, OK: true}
	}
	return r
}

type calc struct {
	accs    []acc
	from    int64 // the day of accs[0]
	firsts  []first
	active  int64 // the first day sessions count (0 from here on)
	today   int64
	scratch []int32
}

func newSet(p Period, n int) Set {
	var s Set
	for i := range s {
		s[i] = Series{Measure: Measure(i), Period: p, Points: make([]Point, n)}
	}
	return s
}

// sums adds up the days [lo, hi] (clipped to the data).
func (c *calc) sums(lo, hi int64) acc {
	var t acc
	lo, hi = max(lo, c.from), min(hi, c.today)
	for d := lo; d <= hi; d++ {
		a := &c.accs[d-c.from]
		t.leg += a.leg
		t.legN += a.legN
		t.back += a.back
		t.backN += a.backN
		t.sess += a.sess
		t.walkN += a.walkN
		t.walkSec += a.walkSec
	}
	return t
}

// median returns the median seconds to first symptoms of the walks in
// [lo, hi] and how many there are; j is where to start looking in
// c.firsts (sorted by day), and next is the index after the run.
func (c *calc) median(lo, hi int64, j int) (med float64, n, next int) {
	for j < len(c.firsts) && c.firsts[j].day < lo {
		j++
	}
	k := j
	for k < len(c.firsts) && c.firsts[k].day <= hi {
		k++
	}
	n = k - j
	if n == 0 {
		return 0, 0, k
	}
	run := c.firsts[j:k]
	sorted := lo == hi // one day's run is sorted by seconds already
	if !sorted {
		c.scratch = c.scratch[:0]
		for _, f := range run {
			c.scratch = append(c.scratch, f.sec)
		}
		slices.Sort(c.scratch)
	}
	at := func(i int) float64 {
		if sorted {
			return float64(run[i].sec)
		}
		return float64(c.scratch[i])
	}
	if n%2 == 1 {
		return at(n / 2), n, k
	}
	return (at(n/2-1) + at(n/2)) / 2, n, k
}

// fill sets the points i of s for the period [lo, hi] from its sums.
func (c *calc) fill(s *Set, i int, lo, hi int64, t acc, med float64, nWalks int) {
	start := dayTime(lo)
	set := func(m Measure, v float64, n int, ok bool) {
		s[m].Points[i] = Point{Start: start, Value: v, N: n, OK: ok}
	}
	set(FirstSymptoms, med/60, nWalks, nWalks > 0)
	set(WalkMinutes, float64(t.walkSec)/60, int(t.walkN), t.walkN > 0)
	set(LegPain, mean(t.leg, t.legN), int(t.legN), t.legN > 0)
	set(BackPain, mean(t.back, t.backN), int(t.backN), t.backN > 0)
	set(Sessions, float64(t.sess), int(t.sess), min(hi, c.today) >= c.active)
}

func (c *calc) daily(from int64, n int) Set {
	s := newSet(Daily, n)
	j := 0
	for i := range n {
		d := from + int64(i)
		med, nw, next := c.median(d, d, j)
		j = next
		c.fill(&s, i, d, d, c.sums(d, d), med, nw)
	}
	return s
}

func (c *calc) weekly(from int64, n int) Set {
	s := newSet(Weekly, n)
	j := 0
	for i := range n {
		lo := from + 7*int64(i)
		med, nw, next := c.median(lo, lo+6, j)
		j = next
		c.fill(&s, i, lo, lo+6, c.sums(lo, lo+6), med, nw)
	}
	return s
}

func mean(sum, n int32) float64 {
	if n == 0 {
		return 0
	}
	return float64(sum) / float64(n)
}

func nrsOK(v int) bool { return v >= 0 && v <= maxNRS }

func boutOK(b rules.Bout) bool {
	return b.WalkSeconds >= 1 && b.WalkSeconds <= maxBoutSecs &&
		b.PauseSeconds >= 0 && b.PauseSeconds <= maxBoutSecs &&
		b.FirstSymptomsSeconds >= 0 && b.FirstSymptomsSeconds <= b.WalkSeconds
}

// dayParser is dayNum with a memory of the last day, since histories are
// mostly in order, a day or a few records at a time: a day equal to the
// last one, or to the day after it, needs no formatting and parsing.
type dayParser struct {
	last, next rules.Day
	n          int64
}

func (p *dayParser) num(d rules.Day) (int64, bool) {
	switch {
	case !d.Valid():
		return 0, false
	case d == p.last && p.last.Valid():
		return p.n, true
	case d == p.next && p.next.Valid():
		p.last, p.next, p.n = d, d.AddDays(1), p.n+1
		return p.n, true
	}
	n, ok := dayNum(d)
	if ok {
		p.last, p.next, p.n = d, d.AddDays(1), n
	}
	return n, ok
}

// dayNum is d as days since 1970-01-01.
func dayNum(d rules.Day) (int64, bool) {
	if !d.Valid() {
		return 0, false
	}
	s := d.String()
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	var v [3]int64
	for k, r := range [3][2]int{{0, 4}, {5, 7}, {8, 10}} {
		for _, ch := range []byte(s[r[0]:r[1]]) {
			if ch < '0' || ch > '9' {
				return 0, false
			}
			v[k] = v[k]*10 + int64(ch-'0')
		}
	}
	return daysFromCivil(v[0], v[1], v[2]), true
}

// dayTime is day n as midnight UTC.
func dayTime(n int64) time.Time { return time.Unix(n*86400, 0).UTC() }

// dayOf is t's calendar date as days since 1970-01-01 (t as stored by a
// Point: midnight UTC).
func dayOf(t time.Time) int64 { return floorDiv(t.Unix(), 86400) }

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// monday is the Monday of day n's ISO week (1970-01-01 was a Thursday).
func monday(n int64) int64 { return n - (n + 3 - 7*floorDiv(n+3, 7)) }

// isoWeek is the ISO year and week of day n.
func isoWeek(n int64) (year, week int64) {
	thu := monday(n) + 3
	year, _, _ = civil(thu)
	return year, (thu-daysFromCivil(year, 1, 1))/7 + 1
}

// daysFromCivil and civil convert between dates of the proleptic Gregorian
// calendar and days since 1970-01-01 (H. Hinnant's algorithms).
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func civil(z int64) (y, m, d int64) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}
