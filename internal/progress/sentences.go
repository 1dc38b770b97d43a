package progress

import (
	"math"

	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/rules"
)

// Ref is what a Change compares with.
type Ref int

const (
	// FourWeeksAgo is the 14 days that ended 4 weeks (28 days) before
	// today.
	FourWeeksAgo Ref = iota
	// Baseline is the onboarding baseline (SPWT time to first symptoms,
	// leg and back pain).
	Baseline
)

// Direction is which way a measure moved.
type Direction int

const (
	// Same: the change is not meaningful (docs/sources.md, "Meaningful
	// change").
	Same Direction = iota
	// Up: a meaningful rise (longer walking time: better; more pain: worse).
	Up
	// Down: a meaningful fall.
	Down
)

// Change compares "now" — the last 14 days, today included — with 4 weeks
// ago or with the baseline, for FirstSymptoms, LegPain or BackPain.
//
// Meaningful is docs/sources.md, "Meaningful change": for the time to first
// symptoms (median of the first bouts, ≥ 2 walks in each window) 30 % longer
// or shorter; for pain (mean of ≥ 4 diary entries in each window) 2 NRS
// points, judged on the means rounded to one decimal, the numbers the
// sentence shows. (docs/sources.md also allows 30 % for pain; the rules, and
// so this page, use the stricter 2 points, so that the page never claims an
// improvement the rules would not see.)
type Change struct {
	Measure   Measure
	Ref       Ref
	Then, Now float64 // minutes (FirstSymptoms) or NRS rounded to 0.1
	// Percent is the change in time to first symptoms, rounded towards
	// zero and always ≥ 0 (Direction says which way); 0 for pain.
	Percent   int
	Direction Direction
}

// changes compares now with 4 weeks ago and with the baseline.
func (c *calc) changes(b *rules.Baseline) []Change {
	nowLo, nowHi := c.today-windowDays+1, c.today
	agoLo, agoHi := c.today-agoDays-windowDays+1, c.today-agoDays
	base := baselineOK(b, c.today)
	var out []Change

	now, n, _ := c.median(nowLo, nowHi, 0)
	if n >= minWalks {
		if ago, m, _ := c.median(agoLo, agoHi, 0); m >= minWalks {
			out = append(out, walkChange(FourWeeksAgo, ago, now))
		}
		if base && b.SPWT.FirstSymptomsSeconds > 0 {
			out = append(out, walkChange(Baseline, float64(b.SPWT.FirstSymptomsSeconds), now))
		}
	}
	tNow, tAgo := c.sums(nowLo, nowHi), c.sums(agoLo, agoHi)
	for _, p := range []struct {
		m              Measure
		sNow, nNow     int32
		sAgo, nAgo     int32
		baseline       int
		hasBaselineNRS bool
	}{
		{LegPain, tNow.leg, tNow.legN, tAgo.leg, tAgo.legN, baseLeg(b), base},
		{BackPain, tNow.back, tNow.backN, tAgo.back, tAgo.backN, baseBack(b), base},
	} {
		if p.nNow < minEntries {
			continue
		}
		now := tenths(mean(p.sNow, p.nNow))
		if p.nAgo >= minEntries {
			out = append(out, painChange(p.m, FourWeeksAgo, tenths(mean(p.sAgo, p.nAgo)), now))
		}
		if p.hasBaselineNRS {
			out = append(out, painChange(p.m, Baseline, 10*p.baseline, now))
		}
	}
	return out
}

func baselineOK(b *rules.Baseline, today int64) bool {
	if b == nil {
		return false
	}
	n, ok := dayNum(b.Date)
	return ok && n <= today && nrsOK(b.LegPain) && nrsOK(b.BackPain) &&
		b.SPWT.StopSeconds >= 1 && b.SPWT.StopSeconds <= maxSPWTSecs &&
		b.SPWT.FirstSymptomsSeconds >= 0 && b.SPWT.FirstSymptomsSeconds <= b.SPWT.StopSeconds
}

func baseLeg(b *rules.Baseline) int {
	if b == nil {
		return 0
	}
	return b.LegPain
}

func baseBack(b *rules.Baseline) int {
	if b == nil {
		return 0
	}
	return b.BackPain
}

func tenths(x float64) int { return int(math.Round(x * 10)) }

// walkChange compares seconds to first symptoms.
func walkChange(ref Ref, then, now float64) Change {
	c := Change{Measure: FirstSymptoms, Ref: ref, Then: then / 60, Now: now / 60}
	switch {
	case now*100 >= then*(100+meaningPct):
		c.Direction, c.Percent = Up, int(math.Floor((now-then)*100/then+1e-9))
	case now*100 <= then*(100-meaningPct):
		c.Direction, c.Percent = Down, int(math.Floor((then-now)*100/then+1e-9))
	}
	return c
}

// painChange compares pain in tenths of an NRS point.
func painChange(m Measure, ref Ref, then, now int) Change {
	c := Change{Measure: m, Ref: ref, Then: float64(then) / 10, Now: float64(now) / 10}
	switch {
	case now-then >= meaningNRS:
		c.Direction = Up
	case then-now >= meaningNRS:
		c.Direction = Down
	}
	return c
}

// Sentences are plain sentences of what changed, in l (Danish for any
// language but English): one per measure that has a Change — the time to
// first symptoms, then leg and back pain — naming both comparisons when
// there are both, the baseline first ("Smerterne i benene er faldet fra 6
// til 4, siden du startede, og er omtrent de samme som for 4 uger siden."),
// and last the PSFS (PSFSChange). With too little data for any
// comparison, the baseline's two sentences (BaselineSentences) come first,
// then one sentence says that there is too little data yet, or the PSFS
// one.
func (r Report) Sentences(l i18n.Lang) []string {
	l = langOf(l)
	if len(r.Changes) == 0 {
		out := r.BaselineSentences(l)
		if r.PSFSChange != nil {
			return append(out, r.PSFSChange.Sentence(l))
		}
		return append(out, l.T("progress_tooFew"))
	}
	out := make([]string, 0, 4)
	for _, m := range []Measure{FirstSymptoms, LegPain, BackPain} {
		var start, ago *Change
		for i := range r.Changes {
			switch c := &r.Changes[i]; {
			case c.Measure != m:
			case c.Ref == Baseline:
				start = c
			default:
				ago = c
			}
		}
		if start != nil || ago != nil {
			out = append(out, sentence(l, m, start, ago))
		}
	}
	if r.PSFSChange != nil {
		out = append(out, r.PSFSChange.Sentence(l))
	}
	return out
}

// BaselineSentences say where the patient started, in l: the walking test,
// "Dit udgangspunkt: symptomerne kom efter 3 min 15 s, og du måtte stoppe
// efter 6 min 30 s.", and the pain, "Ved start var smerterne i benene 5 og
// i ryggen 4 på en skala fra 0 til 10." None without a Baseline.
func (r Report) BaselineSentences(l i18n.Lang) []string {
	b := r.Baseline
	if b == nil {
		return nil
	}
	l = langOf(l)
	first, stop := b.SPWT.FirstSymptomsSeconds, b.SPWT.StopSeconds
	walk := l.Tf("progress_baselineWalkNoSymptoms", Duration(stop, l))
	if first > 0 && first < stop {
		walk = l.Tf("progress_baselineWalk", Duration(first, l), Duration(stop, l))
	}
	return []string{walk, l.Tf("progress_baselinePain", l.Int(b.LegPain), l.Int(b.BackPain))}
}

// Duration is seconds as "3 min 15 s", "6 min" or "45 s".
func Duration(sec int, l i18n.Lang) string {
	m, s := sec/60, sec%60
	switch {
	case m == 0:
		return l.Tf("progress_sec", l.Int(s))
	case s == 0:
		return l.Tf("progress_min", l.Int(m))
	}
	return l.Tf("progress_minSec", l.Int(m), l.Int(s))
}

// Sentence is c alone as a plain sentence, in l. Report.Sentences says a
// measure's two Changes in one sentence instead.
func (c Change) Sentence(l i18n.Lang) string {
	if c.Ref == Baseline {
		return sentence(langOf(l), c.Measure, &c, nil)
	}
	return sentence(langOf(l), c.Measure, nil, &c)
}

// The sentences' keys by how the measure compares with the baseline
// (start) and with 4 weeks ago (ago): index 0 when there is no such
// Change, else 1 + its Direction (Same, Up, Down).
var (
	walkKeys = [4][4]string{
		{"", "progress_walkAgoSame", "progress_walkAgoUp", "progress_walkAgoDown"},
		{"progress_walkStartSame", "progress_walkStartSameAgoSame", "progress_walkStartSameAgoUp", "progress_walkStartSameAgoDown"},
		{"progress_walkStartUp", "progress_walkStartUpAgoSame", "progress_walkStartUpAgoUp", "progress_walkStartUpAgoDown"},
		{"progress_walkStartDown", "progress_walkStartDownAgoSame", "progress_walkStartDownAgoUp", "progress_walkStartDownAgoDown"},
	}
	painKeys = [4][4]string{
		{"", "progress_painAgoSame", "progress_painAgoUp", "progress_painAgoDown"},
		{"progress_painStartSame", "progress_painStartSameAgoSame", "progress_painStartSameAgoUp", "progress_painStartSameAgoDown"},
		{"progress_painStartUp", "progress_painStartUpAgoSame", "progress_painStartUpAgoUp", "progress_painStartUpAgoDown"},
		{"progress_painStartDown", "progress_painStartDownAgoSame", "progress_painStartDownAgoUp", "progress_painStartDownAgoDown"},
	}
)

// state is c's index in walkKeys and painKeys.
func state(c *Change) int {
	if c == nil {
		return 0
	}
	return 1 + int(c.Direction)
}

// sentence says how measure m compares with the baseline (start) and with
// 4 weeks ago (ago), either of which may be nil but not both. The
// catalogue's text fills in, for each comparison that moved (the start's
// first), the percent (time to first symptoms) or where the pain was and
// where it is now; for pain that moved in neither, where it is now.
func sentence(l i18n.Lang, m Measure, start, ago *Change) string {
	args := make([]any, 0, 5)
	if m == FirstSymptoms {
		for _, c := range []*Change{start, ago} {
			if c != nil && c.Direction != Same {
				args = append(args, l.Int(c.Percent))
			}
		}
		return l.Tf(walkKeys[state(start)][state(ago)], args...)
	}
	args = append(args, l.T(pick(m == BackPain, "progress_painBack", "progress_painLegs")))
	var now float64
	for _, c := range []*Change{start, ago} {
		if c == nil {
			continue
		}
		now = c.Now
		if c.Direction != Same {
			args = append(args, num(c.Then, l), num(c.Now, l))
		}
	}
	if len(args) == 1 {
		args = append(args, num(now, l))
	}
	return l.Tf(painKeys[state(start)][state(ago)], args...)
}
