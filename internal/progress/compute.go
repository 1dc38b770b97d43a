package progress

import (
	"math"
	"slices"
	"time"

	"github.com/stenose/stenose/internal/rules"
)

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
