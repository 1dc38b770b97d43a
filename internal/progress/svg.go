package progress

import (
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"

	"github.com/stenose/stenose/internal/i18n"
)

// Kind is the form of a chart.
type Kind int

const (
	// Auto draws bars for totals and counts (WalkMinutes, Sessions) and a
	// line for the rest.
	Auto Kind = iota
	// Line draws a line, broken at gaps (an isolated point is a dot).
	Line
	// Bar draws a bar per point; a gap has none.
	Bar
)

// Options shape a chart or table.
type Options struct {
	// Lang is the language of the words: i18n.Da (the default, also for
	// any other value) or i18n.En.
	Lang i18n.Lang
	// ID prefixes the ids of the chart's <title> and <desc>; it must be
	// unique on the page. Default: "chart-<measure>-<days|weeks>-<points>",
	// e.g. "chart-leg-pain-weeks-12": set it when one page shows the same
	// series twice.
	ID string
	// Title replaces the default title ("Smerter i benene pr. dag").
	Title string
	// Kind is the form; Auto by default.
	Kind Kind
}

// The chart's geometry in viewBox units. The SVG scales to its container
// (width 100 %), so its text is fontSize units × the scale: on a 360 px
// phone the page's column is 328 px (1 rem margins), a unit is 0.82 px
// and the 21-unit text renders at about 17 px — labels at least 16 px at
// 360 px wide (the voice's "labels ≥ 16 px"; e2e TestProgressChartLabels
// measures it in Chromium). A column narrower than 305 px would take it
// under 16 px. The left margin fits the widest y tick (padFor).
const (
	vbW, vbH   = 400, 250
	padR       = 8
	padT, padB = 40, 64
	plotH      = vbH - padT - padB
	fontSize   = 21
	// startMin is the least width of the Start column, so that its label
	// fits under it however many periods follow.
	startMin = 66
	// barMax is the widest a bar gets (a few periods on a wide chart).
	barMax = 48
)

// Colours from style.css (--ink, --muted, --brand, --line), all on the page's
// --paper (#fffdf8): the line and bars (--brand) have a contrast of about
// 9:1, the axes (--muted) about 9.5:1; the grid lines are decoration.
const (
	colInk   = "#1b1b1b"
	colMuted = "#464646"
	colData  = "#1f4e5f"
	colGrid  = "#cfc7b4"
)

// Chart draws s as an inline SVG: role="img" with a <title> and a one-line
// <desc> (aria-labelledby both), a y axis with its unit and an x axis with
// dates, in Danish (or English). With a Start point (the baseline) it is
// drawn first, in its own column labelled "Start" and set apart by a
// dashed line, and is never joined to the periods. It has no scripts, no
// style attributes or elements (colours are presentation attributes) and
// no width or height: the viewBox makes it scale to its container (give it
// a class or CSS width of 100 %). All text is escaped.
func Chart(s Series, o Options) template.HTML {
	l := labelsFor(s, o)
	id := chartID(s, o)
	n := len(s.Points)
	start := s.Start.OK
	var b strings.Builder
	b.Grow(2048 + 48*n)
	num := make([]byte, 0, 32)
	coord := func(x float64) {
		b.Write(appendCoord(num[:0], x))
	}
	attr := func(name string, x float64) {
		b.WriteByte(' ')
		b.WriteString(name)
		b.WriteString(`="`)
		coord(x)
		b.WriteByte('"')
	}

	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 400 250" role="img" aria-labelledby="`)
	b.WriteString(id + `-title ` + id + `-desc"><title id="` + id + `-title">`)
	b.WriteString(html.EscapeString(l.title))
	b.WriteString(`</title><desc id="` + id + `-desc">`)
	b.WriteString(html.EscapeString(summary(s, l)))
	b.WriteString(`</desc>`)

	// Scale.
	top, okN := 0.0, 0
	for _, p := range s.Points {
		if p.OK {
			okN++
			top = max(top, p.Value)
		}
	}
	if start {
		okN++
		// Room above the Start point for its value.
		top = max(top, s.Start.Value*1.12)
	}
	top = niceTop(l.measure, top)
	yAt := func(v float64) float64 {
		v = min(max(v, 0), top)
		return padT + plotH*(1-v/top)
	}
	var ticks [3]string
	for k, v := range []float64{0, top / 2, top} {
		if l.measure == Sessions && v != math.Trunc(v) {
			continue // no half sessions
		}
		ticks[k] = string(appendNum(nil, v, l.lang))
	}
	padL := 28.0
	for _, t := range ticks {
		padL = max(padL, math.Ceil(textWidth(t))+12)
	}
	// Columns: the Start column and a gap, then one slot per period.
	plotW := vbW - padR - padL
	left, slot := padL, plotW/float64(max(n, 1))
	var startX, sepX float64
	if start {
		startW := plotW / (float64(n) + 1.6)
		gapW := 0.6 * startW
		if startW < startMin {
			startW, gapW = startMin, 16
		}
		startX, sepX = padL+startW/2, padL+startW+gapW/2
		left = padL + startW + gapW
		slot = (vbW - padR - left) / float64(max(n, 1))
	}
	xAt := func(i int) float64 { return left + (float64(i)+0.5)*slot }

	// Grid, y ticks and the unit.
	b.WriteString(`<g font-size="` + strconv.Itoa(fontSize) + `" fill="` + colInk + `">`)
	b.WriteString(`<text x="4" y="24">` + html.EscapeString(l.axisY) + `</text>`)
	for k, v := range []float64{0, top / 2, top} {
		if ticks[k] == "" {
			continue
		}
		y := yAt(v)
		b.WriteString(`<line`)
		attr("x1", padL)
		b.WriteString(` x2="` + strconv.Itoa(vbW-padR) + `"`)
		attr("y1", y)
		attr("y2", y)
		b.WriteString(` stroke="` + colGrid + `" stroke-width="1"/>`)
		b.WriteString(`<text text-anchor="end"`)
		attr("x", padL-8)
		attr("y", y+7)
		b.WriteByte('>')
		b.WriteString(ticks[k])
		b.WriteString(`</text>`)
	}
	// Axes, and the line between the Start column and the periods.
	b.WriteString(`<path d="M`)
	coord(padL)
	b.WriteString(` ` + strconv.Itoa(padT) + `V` + strconv.Itoa(padT+plotH) + `H` + strconv.Itoa(vbW-padR) +
		`" fill="none" stroke="` + colMuted + `" stroke-width="1.5"/>`)
	if start {
		b.WriteString(`<line`)
		attr("x1", sepX)
		attr("x2", sepX)
		b.WriteString(` y1="` + strconv.Itoa(padT) + `" y2="` + strconv.Itoa(padT+plotH) + `" stroke="` + colMuted + `" stroke-width="1.5" stroke-dasharray="5 5"/>`)
	}
	// X labels: Start, the last and the first period, then the middle one,
	// each only where it does not run into one already placed: centred
	// under its point, or else (the first and the last) beginning at the
	// left edge of its slot or ending at the right edge.
	var placed [][2]float64 // centre and width
	label := func(text string, xs ...float64) {
		w := textWidth(text)
	try:
		for _, x := range xs {
			x = min(max(x, 2+w/2), vbW-2-w/2)
			for _, p := range placed {
				if math.Abs(p[0]-x) < (p[1]+w)/2+10 {
					continue try
				}
			}
			placed = append(placed, [2]float64{x, w})
			b.WriteString(`<text text-anchor="middle"`)
			attr("x", x)
			b.WriteString(` y="` + strconv.Itoa(padT+plotH+28) + `">`)
			b.WriteString(html.EscapeString(text))
			b.WriteString(`</text>`)
			return
		}
	}
	if start {
		label(l.v.start, startX)
	}
	if n > 0 {
		last, first := axisLabel(s, n-1, l), axisLabel(s, 0, l)
		label(last, xAt(n-1), xAt(n-1)+slot/2-textWidth(last)/2)
		if n > 1 { // one period is its own first and last: one label
			label(first, xAt(0), xAt(0)-slot/2+textWidth(first)/2)
		}
		if n > 2 {
			label(axisLabel(s, n/2, l), xAt(n/2))
		}
	}
	b.WriteString(`<text text-anchor="middle"`)
	attr("x", padL+plotW/2)
	b.WriteString(` y="` + strconv.Itoa(vbH-8) + `">` + html.EscapeString(l.axisX) + `</text>`)
	if okN == 0 {
		b.WriteString(`<text text-anchor="middle"`)
		attr("x", padL+plotW/2)
		b.WriteString(` y="` + strconv.Itoa(padT+plotH/2) + `">` + html.EscapeString(l.v.noData) + `</text>`)
	}
	b.WriteString(`</g>`)

	kind := o.Kind
	if kind == Auto {
		kind = Line
		if l.measure == WalkMinutes || l.measure == Sessions {
			kind = Bar
		}
	}
	if okN > 0 && kind == Bar {
		w := min(slot*0.7, barMax)
		bar := func(x, v float64) {
			y := yAt(v)
			b.WriteString(`<rect`)
			attr("x", x-w/2)
			attr("y", y)
			attr("width", w)
			attr("height", padT+plotH-y)
			b.WriteString(`/>`)
		}
		b.WriteString(`<g fill="` + colData + `">`)
		if start {
			bar(startX, s.Start.Value)
		}
		for i, p := range s.Points {
			if p.OK {
				bar(xAt(i), p.Value)
			}
		}
		b.WriteString(`</g>`)
		if start {
			startValue(&b, startX, yAt(s.Start.Value), 8, true, s.Start.Value, l.lang)
		}
	} else if okN > 0 {
		if start {
			b.WriteString(`<circle r="7" fill="` + colData + `"`)
			attr("cx", startX)
			attr("cy", yAt(s.Start.Value))
			b.WriteString(`/>`)
			startValue(&b, startX, yAt(s.Start.Value), 14, false, s.Start.Value, l.lang)
		}
		if okN > 1 || !start {
			b.WriteString(`<path fill="none" stroke="` + colData + `" stroke-width="3" stroke-linejoin="round" stroke-linecap="round" d="`)
			prev := false
			for i, p := range s.Points {
				if p.OK {
					if prev {
						b.WriteByte('L')
					} else {
						b.WriteByte('M')
					}
					coord(xAt(i))
					b.WriteByte(' ')
					coord(yAt(p.Value))
				}
				prev = p.OK
			}
			b.WriteString(`"/>`)
		}
		for i, p := range s.Points {
			if p.OK && (i == 0 || !s.Points[i-1].OK) && (i == n-1 || !s.Points[i+1].OK) {
				b.WriteString(`<circle r="3.5" fill="` + colData + `"`)
				attr("cx", xAt(i))
				attr("cy", yAt(p.Value))
				b.WriteString(`/>`)
			}
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// startValue writes the Start point's value above its dot or bar at
// (x, y), gap units up — or, without room under the top of the chart
// (the unit's label is there), below the dot, or inside the top of the bar
// in white.
func startValue(b *strings.Builder, x, y, gap float64, bar bool, v float64, l i18n.Lang) {
	fill, yl := colInk, y-gap
	if yl < padT+6 {
		yl = y + 30
		if bar {
			fill, yl = "#ffffff", y+24
		}
	}
	b.WriteString(`<text text-anchor="middle" font-size="` + strconv.Itoa(fontSize) + `" font-weight="700" fill="` + fill + `" x="`)
	b.Write(appendCoord(nil, x))
	b.WriteString(`" y="`)
	b.Write(appendCoord(nil, yl))
	b.WriteString(`">`)
	b.Write(appendNum(nil, v, l))
	b.WriteString(`</text>`)
}

// textWidth is about how wide text is at fontSize in a sans-serif (DejaVu
// Sans, the widest of the usual ones), for keeping labels apart.
func textWidth(text string) float64 {
	w := 0.0
	for _, r := range text {
		switch {
		case r == ' ' || r == '.' || r == ',':
			w += 0.34
		case r >= 'A' && r <= 'Z':
			w += 0.72
		default:
			w += 0.64
		}
	}
	return w * fontSize
}

// keys name the measures in the charts' default ids.
var keys = [NumMeasures]string{"first-symptoms", "walk-minutes", "leg-pain", "back-pain", "sessions"}

func chartID(s Series, o Options) string {
	id := o.ID
	if id == "" {
		m := s.Measure
		if m < 0 || m >= NumMeasures {
			m = FirstSymptoms
		}
		id = "chart-" + keys[m] + pick(s.Period == Weekly, "-weeks-", "-days-") + strconv.Itoa(len(s.Points))
	}
	ok := true
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			ok = false
			break
		}
	}
	if ok {
		return id
	}
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, id)
}

// niceTop is the top of the y axis: 10 for pain, else a round number at or
// above the largest value (at least 1).
func niceTop(m Measure, v float64) float64 {
	if m == LegPain || m == BackPain {
		return 10
	}
	if !(v > 1) || math.IsInf(v, 0) { // also NaN
		return 1
	}
	mag := math.Pow(10, math.Floor(math.Log10(v)))
	for _, f := range []float64{1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if f*mag >= v {
			return f * mag
		}
	}
	return 10 * mag
}
