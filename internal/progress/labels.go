package progress

import (
	"math"

	"github.com/stenose/stenose/internal/i18n"
)

// labels are the words of one chart or table: its language's vocab, picked
// for the series' measure and period.
type labels struct {
	lang               i18n.Lang
	v                  *vocab
	name, title        string
	unit, axisY, axisX string
	period             Period
	measure            Measure
}

func labelsFor(s Series, o Options) labels {
	m := s.Measure
	if m < 0 || m >= NumMeasures {
		m = FirstSymptoms
	}
	v := vocabOf(o.Lang)
	p := periodIx(s.Period)
	l := labels{lang: v.lang, v: v, period: s.Period, measure: m,
		name: v.name[m], title: v.title[m][p], unit: v.unit[m], axisY: v.axisY[m], axisX: v.axisX[p]}
	if o.Title != "" {
		l.title = o.Title
	}
	return l
}

// value is v with its unit, as a sentence says it: "1 minut", "2
// minutter", "1,5 minutter", "3 på skalaen 0–10". The number is rounded
// to one decimal first, so a whole number takes its plural form (CLDR) from
// the catalogue: "1 minut", never "1 minutter".
func (l labels) value(v float64) string {
	t := math.Round(v * 10)
	if math.Mod(t, 10) == 0 && math.Abs(t) < 1e10 {
		return l.lang.N(valueKeys[l.measure], int(t/10))
	}
	return l.lang.Tf(valueDecimalKeys[l.measure], num(v, l.lang))
}

// summary is the chart's one-line description.
func summary(s Series, l labels) string {
	v := l.v
	b := make([]byte, 0, 256)
	n := len(s.Points)
	if n == 0 {
		return string(v.descNoData.append(b, text(l.title)))
	}
	var p1, p2 [48]byte
	from := appendPeriod(p1[:0], dayOf(s.Points[0].Start), s.Period, v)
	to := appendPeriod(p2[:0], dayOf(s.Points[n-1].Start), s.Period, v)
	lo, hi, last, lastI, okN := math.Inf(1), math.Inf(-1), 0.0, -1, 0
	for i, p := range s.Points {
		if p.OK {
			lo, hi, last, lastI = min(lo, p.Value), max(hi, p.Value), p.Value, i
			okN++
		}
	}
	if okN == 0 && !s.Start.OK {
		return string(v.descSpanNoData.append(b, text(l.title), textOf(from), textOf(to)))
	}
	b = v.descSpan.append(b, text(l.title), textOf(from), textOf(to))
	if s.Start.OK {
		at := appendPeriod(p1[:0], dayOf(s.Start.Start), Daily, v)
		b = v.descStart.append(append(b, ' '), textOf(at), text(l.value(s.Start.Value)))
		if okN == 0 {
			return string(append(append(b, ' '), v.descNoneSinceStart...))
		}
	}
	at := appendPeriod(p1[:0], dayOf(s.Points[lastI].Start), s.Period, v)
	var n1, n2 [32]byte
	b = v.descLatest.append(append(b, ' '), text(l.value(last)), textOf(at),
		textOf(appendNum(n1[:0], lo, l.lang)), textOf(appendNum(n2[:0], hi, l.lang)))
	if g := s.Gaps(); g > 0 {
		b = append(append(b, ' '), l.lang.N(pick(s.Period == Weekly, "progress_descGapsWeeks", "progress_descGapsDays"), g)...)
	}
	return string(b)
}

// axisLabel is the short x label of point i: "2. nov.", "uge 45", or over
// years "nov. 2026".
func axisLabel(s Series, i int, l labels) string {
	d := dayOf(s.Points[i].Start)
	buf := make([]byte, 0, 24)
	if s.Period == Weekly {
		if len(s.Points) > 60 { // years: the month
			y, m, _ := civil(d)
			return string(l.v.monthYear.append(buf, text(l.v.months[m-1]), digits(y)))
		}
		_, w := isoWeek(d)
		return string(l.v.weekNum.append(buf, digits(w)))
	}
	_, m, dd := civil(d)
	return string(l.v.dayMonth.append(buf, digits(dd), text(l.v.months[m-1])))
}

// appendPeriod writes day d's period in full: "2. sep. 2026" or
// "uge 36, 2026" (English: "2 Sep 2026", "week 36, 2026").
func appendPeriod(buf []byte, d int64, p Period, v *vocab) []byte {
	if p == Weekly {
		y, w := isoWeek(d)
		return v.weekYear.append(buf, digits(w), digits(y))
	}
	y, m, dd := civil(d)
	return v.date.append(buf, digits(dd), text(v.months[m-1]), digits(y))
}

// pick is a when c, else b.
func pick(c bool, a, b string) string {
	if c {
		return a
	}
	return b
}
