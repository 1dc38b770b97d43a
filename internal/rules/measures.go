package rules

import (
	"math"
	"sort"
)

// The measures the rules follow over weeks (docs/rules.md, "Measures and
// meaningful change"; docs/sources.md, "Meaningful change").
type measure int

const (
	mLeg   measure = iota // NRS leg pain: lower is better
	mBack                 // NRS back pain: lower is better
	mFirst                // time to first symptoms on a walk: higher is better
	mStop                 // time to stop on a walk: higher is better
	mPSFS                 // PSFS average: higher is better
)

var measures = []measure{mLeg, mBack, mFirst, mStop, mPSFS}

// item is the measure's name in an advice's items; key its prefix in data.
func (m measure) item() string {
	return [...]string{"legPain", "backPain", "firstSymptoms", "stop", "psfs"}[m]
}

func (m measure) key() string {
	return [...]string{"legPain", "backPain", "firstSymptomsSeconds", "stopSeconds", "psfs"}[m]
}

func (m measure) walking() bool { return m == mFirst || m == mStop }

// The windows and data points (docs/rules.md, "Measures and meaningful
// change").
const (
	recentDays     = 14 // the recent level: the last 14 days
	minPainDays    = 3  // pain: days with an entry needed in a window
	minWalks       = 2  // walking: walks needed in a window
	psfsRecentDays = 28 // PSFS is scored at onboarding and the status consultations
	bestDays       = 28 // the best earlier period: a 28-day window …
	bestStepDays   = 7  // … ending 14, 21, 28, … days before today
	meaningfulPain = 2  // NRS: 2 points …
	meaningfulPct  = 30 // … or 30 % (and 30 % for walking times)
	minPainStep    = 1  // … but never less than one step of the scale
	meaningfulPSFS = 2  // PSFS: 2 points of the average
)

type change int

const (
	same change = iota
	better
	worse
)

// meaningful decides, for every rule, whether a measure moved meaningfully
// from ref to now (docs/sources.md, "Meaningful change"): pain by 2 NRS
// points or 30 % of ref, whichever comes first, but at least 1 point;
// walking times by 30 % of ref; PSFS by 2 points. Levels are compared in
// tenths (pain, PSFS) or whole seconds (walking), so the arithmetic is
// exact.
func meaningful(m measure, ref, now float64) change {
	var r, n int64
	if m.walking() {
		r, n = int64(math.Round(ref)), int64(math.Round(now))
	} else {
		r, n = int64(math.Round(ref*10)), int64(math.Round(now*10))
	}
	d := n - r // > 0: now is higher
	dir := better
	if (d > 0) != (m.walking() || m == mPSFS) {
		dir = worse
	}
	if d < 0 {
		d = -d
	}
	ok := false
	switch m {
	case mLeg, mBack:
		ok = d >= minPainStep*10 && (d >= meaningfulPain*10 || d*100 >= meaningfulPct*r)
	case mFirst, mStop:
		ok = r > 0 && d*100 >= meaningfulPct*r
	case mPSFS:
		ok = d >= meaningfulPSFS*10
	}
	if !ok || d == 0 {
		return same
	}
	return dir
}

// point is one data point: a day and its value.
type point struct {
	day int64
	v   float64
}

// series are the data points of each measure, in day order: pain as one
// point a day (the mean of the day's entries), walking one point a walk,
// PSFS one point a scoring (the mean of its activities).
func (v *view) buildSeries() {
	for _, back := range []bool{false, true} {
		sums := map[int64][2]int{}
		for _, e := range v.entries {
			val, ok := e.leg, e.legOK
			if back {
				val, ok = e.back, e.backOK
			}
			if ok {
				s := sums[e.day]
				sums[e.day] = [2]int{s[0] + val, s[1] + 1}
			}
		}
		m := mLeg
		if back {
			m = mBack
		}
		for d, s := range sums {
			v.series[m] = append(v.series[m], point{d, float64(s[0]) / float64(s[1])})
		}
	}
	for _, w := range v.walks {
		if w.firstOK {
			v.series[mFirst] = append(v.series[mFirst], point{w.day, w.first})
			v.series[mStop] = append(v.series[mStop], point{w.day, w.stop})
		}
	}
	for _, p := range v.psfs {
		v.series[mPSFS] = append(v.series[mPSFS], point{p.day, p.mean})
	}
	for m := range v.series {
		sort.SliceStable(v.series[m], func(i, j int) bool { return v.series[m][i].day < v.series[m][j].day })
	}
}

// level is m's level in [from, to] and whether there are enough data
// points: the mean of the pain days (≥ 3), the median of the walks (≥ 2),
// the latest PSFS scoring (≥ 1). Pain and PSFS are rounded to 0.1, walking
// to whole seconds.
func (v *view) level(m measure, from, to int64) (float64, bool) {
	var xs []float64
	for _, p := range v.series[m] {
		if in(p.day, from, to) {
			xs = append(xs, p.v)
		}
	}
	switch m {
	case mLeg, mBack:
		if len(xs) < minPainDays {
			return 0, false
		}
		sum := 0.0
		for _, x := range xs {
			sum += x
		}
		return round1(sum / float64(len(xs))), true
	case mFirst, mStop:
		if len(xs) < minWalks {
			return 0, false
		}
		return math.Round(median(xs)), true
	}
	if len(xs) == 0 {
		return 0, false
	}
	return round1(xs[len(xs)-1]), true
}

// weekLevel is m's level in one week of the recent window: as level, with
// at least 2 pain days or 1 walk.
func (v *view) weekLevel(m measure, from, to int64) (float64, bool) {
	var xs []float64
	for _, p := range v.series[m] {
		if in(p.day, from, to) {
			xs = append(xs, p.v)
		}
	}
	switch {
	case (m == mLeg || m == mBack) && len(xs) >= 2:
		sum := 0.0
		for _, x := range xs {
			sum += x
		}
		return round1(sum / float64(len(xs))), true
	case m.walking() && len(xs) >= 1:
		return math.Round(median(xs)), true
	}
	return 0, false
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

// assessment is one measure judged: its recent level against the baseline
// and against the patient's best earlier period.
type assessment struct {
	now, base, best       float64
	nowOK, baseOK, bestOK bool
	vsBase, vsBest        change
}

func (a assessment) worse() bool  { return a.vsBase == worse || a.vsBest == worse }
func (a assessment) better() bool { return a.vsBase == better && !a.worse() }

// assess judges m today.
func (v *view) assess(m measure) assessment {
	var a assessment
	if m == mPSFS {
		return v.assessPSFS()
	}
	a.now, a.nowOK = v.level(m, v.today-recentDays+1, v.today)
	if !a.nowOK {
		return a
	}
	if b := v.base; b != nil {
		switch m {
		case mLeg:
			a.base, a.baseOK = float64(b.LegPain), true
		case mBack:
			a.base, a.baseOK = float64(b.BackPain), true
		case mFirst:
			a.base, a.baseOK = float64(b.SPWT.FirstSymptomsSeconds), b.SPWT.FirstSymptomsSeconds > 0
		case mStop:
			// Not compared with the baseline: the SPWT walks until symptoms
			// force a stop, a walk with pauses pauses when they come (A5),
			// so its first bout is shorter by design. Time to stop is
			// compared with the patient's own walks only (the best period).
		}
	}
	if a.baseOK {
		a.vsBase = meaningful(m, a.base, a.now)
		if a.vsBase == worse && !v.bothWeeksWorse(m, a.base) {
			a.vsBase = same
		}
	}
	// The best earlier period: the 14-day windows ending 14, 21, 28, …
	// days before today, each wholly on or after the programme start.
	if v.started {
		for end := v.today - recentDays; end-bestDays+1 >= v.start; end -= bestStepDays {
			l, ok := v.level(m, end-bestDays+1, end)
			if !ok {
				continue
			}
			if !a.bestOK || meaningfulOrder(m, l, a.best) {
				a.best, a.bestOK = l, true
			}
		}
	}
	if a.bestOK {
		a.vsBest = meaningful(m, a.best, a.now)
		if a.vsBest == worse && !v.bothWeeksWorse(m, a.best) {
			a.vsBest = same
		}
	}
	return a
}

// bothWeeksWorse reports whether each week of the recent window, on its
// own, is meaningfully worse than ref — a worsening that lasts, not one
// bad week pulling the fortnight's mean.
func (v *view) bothWeeksWorse(m measure, ref float64) bool {
	for _, end := range []int64{v.today, v.today - 7} {
		l, ok := v.weekLevel(m, end-6, end)
		if !ok || meaningful(m, ref, l) != worse {
			return false
		}
	}
	return true
}

// meaningfulOrder reports whether x is a better level than y for m.
func meaningfulOrder(m measure, x, y float64) bool {
	if m.walking() || m == mPSFS {
		return x > y
	}
	return x < y
}

// assessPSFS: the latest scoring of the last 28 days against the first
// scoring (the baseline) and the best scoring between them.
func (v *view) assessPSFS() assessment {
	var a assessment
	s := v.series[mPSFS]
	if len(s) == 0 {
		return a
	}
	last := s[len(s)-1]
	if last.day < v.today-psfsRecentDays+1 {
		return a
	}
	a.now, a.nowOK = round1(last.v), true
	if len(s) < 2 {
		return a
	}
	a.base, a.baseOK = round1(s[0].v), true
	a.vsBase = meaningful(mPSFS, a.base, a.now)
	for _, p := range s[:len(s)-1] {
		if !a.bestOK || p.v > a.best {
			a.best, a.bestOK = round1(p.v), true
		}
	}
	a.vsBest = meaningful(mPSFS, a.best, a.now)
	return a
}

// walkingJudged reports whether the walking measures have a recent level.
func (v *view) walkingJudged() bool {
	_, ok := v.level(mFirst, v.today-recentDays+1, v.today)
	return ok
}

// phrase says how m moved from one level to another, for the texts; ref
// names the level it moved from ("ref_start", "ref_best"; "" for none).
func (m measure) phrase(dir change, from, to float64, ref string) Phrase {
	way := "up"
	if (dir == better) != (m.walking() || m == mPSFS) {
		way = "down"
	}
	var refP any = ""
	if ref != "" {
		refP = say(ref)
	}
	key := "change_" + m.item() + "_" + way
	if !m.walking() {
		return say(key, from, refP, to)
	}
	from, to = from/60, to/60
	unit := say("unitMinutes")
	if round1(to) == 1 { // "til 1 minut"
		unit = say("unitMinute")
	}
	return say(key, from, refP, to, unit)
}
