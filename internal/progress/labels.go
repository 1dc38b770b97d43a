package progress

import (
	"math"
	"strconv"
	"strings"

	"github.com/stenose/stenose/internal/i18n"
)

var (
	monthsDa = [12]string{"jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."}
	monthsEn = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	titleDa  = [NumMeasures]string{"Tid til første symptomer", "Gang i alt", "Smerter i benene", "Smerter i ryggen", "Træninger gennemført"}
	titleEn  = [NumMeasures]string{"Time to first symptoms", "Total walking", "Leg pain", "Back pain", "Sessions done"}
	unitDa   = [NumMeasures]string{"minutter", "minutter", "0–10", "0–10", "antal"}
	unitEn   = [NumMeasures]string{"minutes", "minutes", "0–10", "0–10", "number"}
	saidDa   = [NumMeasures]string{"minutter", "minutter", "på skalaen 0–10", "på skalaen 0–10", "træninger"}
	saidEn   = [NumMeasures]string{"minutes", "minutes", "on the 0–10 scale", "on the 0–10 scale", "sessions"}
	// The same for a value of exactly 1 (CLDR's "one": "1 minut", "1 session").
	saidDaOne = [NumMeasures]string{"minut", "minut", "på skalaen 0–10", "på skalaen 0–10", "træning"}
	saidEnOne = [NumMeasures]string{"minute", "minute", "on the 0–10 scale", "on the 0–10 scale", "session"}
)

type labels struct {
	en                  bool
	name, title         string
	unit, said, saidOne string
	axisY, axisX, noVal string
	period              Period
	measure             Measure
}

func labelsFor(s Series, o Options) labels {
	m := s.Measure
	if m < 0 || m >= NumMeasures {
		m = FirstSymptoms
	}
	l := labels{en: o.Lang == "en", period: s.Period, measure: m}
	if l.en {
		l.name, l.unit, l.said, l.saidOne, l.noVal = titleEn[m], unitEn[m], saidEn[m], saidEnOne[m], "no data"
		l.title = l.name + pick(s.Period == Weekly, " per week", " per day")
		l.axisX = pick(s.Period == Weekly, "Week", "Date")
	} else {
		l.name, l.unit, l.said, l.saidOne, l.noVal = titleDa[m], unitDa[m], saidDa[m], saidDaOne[m], "ingen data"
		l.title = l.name + pick(s.Period == Weekly, " pr. uge", " pr. dag")
		l.axisX = pick(s.Period == Weekly, "Uge", "Dato")
	}
	l.axisY = l.unit
	if m == LegPain || m == BackPain {
		l.axisY = pick(l.en, "pain 0–10", "smerte 0–10")
	}
	if o.Title != "" {
		l.title = o.Title
	}
	return l
}

// saidOf is what a value v is said in: "1 minut", "2 minutter", "1,5
// minutter" (a whole 1 takes the singular, in Danish and English alike).
func (l labels) saidOf(v float64) string {
	lang := i18n.Da
	if l.en {
		lang = i18n.En
	}
	if v == math.Trunc(v) && math.Abs(v) < 1e9 && lang.One(int(v)) {
		return l.saidOne
	}
	return l.said
}

// summary is the chart's one-line description.
func summary(s Series, l labels) string {
	var b strings.Builder
	b.WriteString(l.title)
	n := len(s.Points)
	if n == 0 {
		if l.en {
			return b.String() + ": no data yet."
		}
		return b.String() + ": ingen data endnu."
	}
	buf := make([]byte, 0, 48)
	b.WriteString(", ")
	b.Write(appendPeriod(buf[:0], dayOf(s.Points[0].Start), s.Period, l.en))
	b.WriteString(pick(l.en, " to ", " til "))
	b.Write(appendPeriod(buf[:0], dayOf(s.Points[n-1].Start), s.Period, l.en))
	lo, hi, last, lastI, okN := math.Inf(1), math.Inf(-1), 0.0, -1, 0
	for i, p := range s.Points {
		if p.OK {
			lo, hi, last, lastI = min(lo, p.Value), max(hi, p.Value), p.Value, i
			okN++
		}
	}
	w := func(v float64) { b.Write(appendNum(buf[:0], v, l.en)) }
	if s.Start.OK {
		b.WriteString(". Start (")
		b.Write(appendPeriod(buf[:0], dayOf(s.Start.Start), Daily, l.en))
		b.WriteString("): ")
		w(s.Start.Value)
		b.WriteString(" " + l.saidOf(s.Start.Value))
		if okN == 0 {
			b.WriteString(pick(l.en, ". No measurements since the start yet.", ". Endnu ingen målinger efter start."))
			return b.String()
		}
	}
	if okN == 0 {
		if l.en {
			return b.String() + ": no data yet."
		}
		return b.String() + ": ingen data endnu."
	}
	if l.en {
		b.WriteString(". Latest: ")
		w(last)
		b.WriteString(" " + l.saidOf(last) + " (")
		b.Write(appendPeriod(buf[:0], dayOf(s.Points[lastI].Start), s.Period, true))
		b.WriteString("); lowest ")
		w(lo)
		b.WriteString(", highest ")
		w(hi)
		b.WriteString(".")
	} else {
		b.WriteString(". Seneste: ")
		w(last)
		b.WriteString(" " + l.saidOf(last) + " (")
		b.Write(appendPeriod(buf[:0], dayOf(s.Points[lastI].Start), s.Period, false))
		b.WriteString("); laveste ")
		w(lo)
		b.WriteString(", højeste ")
		w(hi)
		b.WriteString(".")
	}
	if g := s.Gaps(); g > 0 {
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(g))
		switch {
		case l.en && s.Period == Weekly:
			b.WriteString(pick(g == 1, " week", " weeks") + " without data.")
		case l.en:
			b.WriteString(pick(g == 1, " day", " days") + " without data.")
		case s.Period == Weekly:
			b.WriteString(pick(g == 1, " uge", " uger") + " uden data.")
		default:
			b.WriteString(pick(g == 1, " dag", " dage") + " uden data.")
		}
	}
	return b.String()
}

// axisLabel is the short x label of point i.
func axisLabel(s Series, i int, l labels) string {
	d := dayOf(s.Points[i].Start)
	buf := make([]byte, 0, 24)
	if s.Period == Weekly {
		if len(s.Points) > 60 { // years: the month
			y, m, _ := civil(d)
			if l.en {
				buf = append(buf, monthsEn[m-1]...)
			} else {
				buf = append(buf, monthsDa[m-1]...)
			}
			buf = append(buf, ' ')
			return string(strconv.AppendInt(buf, y, 10))
		}
		_, w := isoWeek(d)
		buf = append(buf, pick(l.en, "week ", "uge ")...)
		return string(strconv.AppendInt(buf, w, 10))
	}
	_, m, dd := civil(d)
	if l.en {
		buf = strconv.AppendInt(buf, dd, 10)
		buf = append(buf, ' ')
		return string(append(buf, monthsEn[m-1]...))
	}
	buf = strconv.AppendInt(buf, dd, 10)
	buf = append(buf, ". "...)
	return string(append(buf, monthsDa[m-1]...))
}

// appendPeriod writes day d's period in full: "2. sep. 2026" or
// "uge 36, 2026" (English: "2 Sep 2026", "week 36, 2026").
func appendPeriod(buf []byte, d int64, p Period, en bool) []byte {
	if p == Weekly {
		y, w := isoWeek(d)
		if en {
			buf = append(buf, "week "...)
		} else {
			buf = append(buf, "uge "...)
		}
		buf = strconv.AppendInt(buf, w, 10)
		buf = append(buf, ", "...)
		return strconv.AppendInt(buf, y, 10)
	}
	y, m, dd := civil(d)
	buf = strconv.AppendInt(buf, dd, 10)
	if en {
		buf = append(buf, ' ')
		buf = append(buf, monthsEn[m-1]...)
	} else {
		buf = append(buf, ". "...)
		buf = append(buf, monthsDa[m-1]...)
	}
	buf = append(buf, ' ')
	return strconv.AppendInt(buf, y, 10)
}

// pick is a when c, else b.
func pick(c bool, a, b string) string {
	if c {
		return a
	}
	return b
}
