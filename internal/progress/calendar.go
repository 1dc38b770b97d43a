package progress

import (
	"time"

	"github.com/stenose/stenose/internal/rules"
)

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
