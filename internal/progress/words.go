package progress

import (
	"html"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/stenose/stenose/internal/i18n"
)

// Every word of the package is in the catalogue,
// internal/i18n/locales/{da,en}/progress.yaml, under keys that start with
// "progress_". The sentences look their words up as they are built; the
// charts and tables, which write a date per point, take theirs from a
// vocab looked up once per language.

// langOf is l when it is English, else Danish (the default: "" too).
func langOf(l i18n.Lang) i18n.Lang {
	if l == i18n.En {
		return i18n.En
	}
	return i18n.Da
}

// Keys by measure.
var (
	nameKeys = [NumMeasures]string{"progress_nameFirstSymptoms", "progress_nameWalkMinutes", "progress_nameLegPain", "progress_nameBackPain", "progress_nameSessions"}
	unitKeys = [NumMeasures]string{"progress_unitMinutes", "progress_unitMinutes", "progress_unitPain", "progress_unitPain", "progress_unitSessions"}
	// valueKeys say a value with its unit ("1 minut", "3 på skalaen
	// 0–10"): a plural text for whole numbers, or a plain one with %s;
	// valueDecimalKeys for a number with decimals.
	valueKeys        = [NumMeasures]string{"progress_valueMinutes", "progress_valueMinutes", "progress_valuePain", "progress_valuePain", "progress_valueSessions"}
	valueDecimalKeys = [NumMeasures]string{"progress_valueMinutesDecimal", "progress_valueMinutesDecimal", "progress_valuePain", "progress_valuePain", "progress_valueSessionsDecimal"}
	monthKeys        = [12]string{"progress_monthJan", "progress_monthFeb", "progress_monthMar", "progress_monthApr", "progress_monthMay", "progress_monthJun",
		"progress_monthJul", "progress_monthAug", "progress_monthSep", "progress_monthOct", "progress_monthNov", "progress_monthDec"}
)

// vocab is one language's words of the charts and tables.
type vocab struct {
	lang i18n.Lang
	// name, unit and the y axis's label of each measure; title by measure
	// and Period (Daily, Weekly).
	name, unit, axisY [NumMeasures]string
	title             [NumMeasures][2]string
	// axisX is under the x axis, col heads the table's first column, by
	// Period.
	axisX, col [2]string
	months     [12]string
	// Dates: "2. nov.", "2. nov. 2026", "nov. 2026", "uge 45", "uge 45,
	// 2026".
	dayMonth, date, monthYear, weekNum, weekYear tmpl
	// periodHTML: a period as appendPeriod writes it needs no
	// HTML-escaping (no <, >, &, ' or " in the months and the texts), so a
	// table writes it as it is.
	periodHTML bool
	// nameUnit is the heading of a table's value column, by measure:
	// "Gang i alt (minutter)".
	nameUnit [NumMeasures]string
	// The description of a chart (summary).
	descNoData, descSpan, descSpanNoData, descStart, descLatest tmpl
	descNoneSinceStart                                          string
	start, showNumbers, noData                                  string
	// noDataHTML and notYetHTML are written into a table's every gap,
	// HTML-escaped once.
	noDataHTML, notYetHTML string
}

var vocabs = sync.OnceValue(func() [2]*vocab {
	return [2]*vocab{newVocab(i18n.Da), newVocab(i18n.En)}
})

// vocabOf is l's vocab (Danish for any language but English).
func vocabOf(l i18n.Lang) *vocab {
	if l == i18n.En {
		return vocabs()[1]
	}
	return vocabs()[0]
}

func newVocab(l i18n.Lang) *vocab {
	v := &vocab{lang: l}
	for m := range NumMeasures {
		v.name[m], v.unit[m] = l.T(nameKeys[m]), l.T(unitKeys[m])
		v.axisY[m] = v.unit[m]
		if m == LegPain || m == BackPain {
			v.axisY[m] = l.T("progress_axisPain")
		}
		v.title[m] = [2]string{l.Tf("progress_perDay", v.name[m]), l.Tf("progress_perWeek", v.name[m])}
		v.nameUnit[m] = l.Tf("progress_nameUnit", v.name[m], v.unit[m])
	}
	v.axisX = [2]string{l.T("progress_axisDate"), l.T("progress_week")}
	v.col = [2]string{l.T("progress_colDay"), l.T("progress_week")}
	for i, k := range monthKeys {
		v.months[i] = l.T(k)
	}
	v.dayMonth, v.date, v.monthYear = parseTmpl(l.T("progress_dayMonth")), parseTmpl(l.T("progress_date")), parseTmpl(l.T("progress_monthYear"))
	v.weekNum, v.weekYear = parseTmpl(l.T("progress_weekNum")), parseTmpl(l.T("progress_weekYear"))
	v.descNoData, v.descSpan, v.descSpanNoData = parseTmpl(l.T("progress_descNoData")), parseTmpl(l.T("progress_descSpan")), parseTmpl(l.T("progress_descSpanNoData"))
	v.descStart, v.descLatest = parseTmpl(l.T("progress_descStart")), parseTmpl(l.T("progress_descLatest"))
	v.descNoneSinceStart = l.T("progress_descNoneSinceStart")
	v.periodHTML = !strings.ContainsAny(strings.Join(slices.Concat(v.months[:], v.date.lits, v.weekYear.lits), ""), `<>&'"`)
	v.start, v.showNumbers, v.noData = l.T("progress_start"), l.T("progress_showNumbers"), l.T("progress_noData")
	v.noDataHTML, v.notYetHTML = html.EscapeString(v.noData), html.EscapeString(l.T("progress_notYet"))
	return v
}

// periodIx is p as an index of the vocab's arrays by Period.
func periodIx(p Period) int {
	if p == Weekly {
		return 1
	}
	return 0
}

// tmpl is a catalogue text with %s and %[n]s verbs, split once so that a
// table can fill in a date per row without fmt: lits[i] comes before the
// argument args[i], and the last lit after the last argument.
type tmpl struct {
	lits []string
	args []int
}

// parseTmpl splits s as fmt.Sprintf reads it, for verbs %s, %[n]s and %%
// (any other % is kept as it is).
func parseTmpl(s string) tmpl {
	var t tmpl
	var lit strings.Builder
	next := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '%' || i+1 == len(s) {
			lit.WriteByte(c)
			continue
		}
		switch rest := s[i+1:]; {
		case rest[0] == '%':
			lit.WriteByte('%')
			i++
		case rest[0] == 's':
			t.lits, t.args = append(t.lits, lit.String()), append(t.args, next)
			lit.Reset()
			next++
			i++
		case rest[0] == '[':
			end := strings.Index(rest, "]s")
			n, err := strconv.Atoi(rest[1:max(end, 1)])
			if end < 0 || err != nil || n < 1 {
				lit.WriteByte(c)
				continue
			}
			t.lits, t.args = append(t.lits, lit.String()), append(t.args, n-1)
			lit.Reset()
			next = n
			i += end + 2
		default:
			lit.WriteByte(c)
		}
	}
	t.lits = append(t.lits, lit.String())
	return t
}

// arg is an argument of a tmpl: a text (s or b), or a whole number
// written in digits only (a day, a week, a year: never grouped).
type arg struct {
	s     string
	b     []byte
	n     int64
	isNum bool
}

func text(s string) arg   { return arg{s: s} }
func textOf(b []byte) arg { return arg{b: b} }
func digits(n int64) arg  { return arg{n: n, isNum: true} }

// append writes t with args filled in (an argument t names that is not
// given is left out).
func (t tmpl) append(b []byte, args ...arg) []byte {
	for i, a := range t.args {
		b = append(b, t.lits[i]...)
		if a < len(args) {
			if x := &args[a]; x.isNum {
				b = strconv.AppendInt(b, x.n, 10)
			} else {
				b = append(append(b, x.s...), x.b...)
			}
		}
	}
	return append(b, t.lits[len(t.lits)-1]...)
}

// num writes x with at most one decimal, the language's way: "4", "4,5",
// "2.000" (Danish), "4.5", "2,000" (English).
func num(x float64, l i18n.Lang) string {
	return string(appendNum(nil, x, l))
}

func appendNum(b []byte, x float64, l i18n.Lang) []byte {
	thousands, decimal := byte('.'), byte(',')
	if l == i18n.En {
		thousands, decimal = ',', '.'
	}
	t := int64(math.Round(x * 10))
	if t < 0 {
		b = append(b, '-')
		t = -t
	}
	b = appendGrouped(b, t/10, thousands)
	if t%10 != 0 {
		b = append(b, decimal, byte('0'+t%10))
	}
	return b
}

// appendGrouped writes n ≥ 0 with sep between each group of three digits.
func appendGrouped(b []byte, n int64, sep byte) []byte {
	if n < 1000 {
		return strconv.AppendInt(b, n, 10)
	}
	b = appendGrouped(b, n/1000, sep)
	r := n % 1000
	return append(b, sep, byte('0'+r/100), byte('0'+r/10%10), byte('0'+r%10))
}

// appendCoord writes a coordinate with one decimal at most, "12.5" or "12"
// (SVG's numbers: no grouping, a decimal point).
func appendCoord(b []byte, x float64) []byte {
	t := int64(math.Round(x * 10))
	if t < 0 {
		b = append(b, '-')
		t = -t
	}
	b = strconv.AppendInt(b, t/10, 10)
	if t%10 != 0 {
		b = append(b, '.', byte('0'+t%10))
	}
	return b
}
