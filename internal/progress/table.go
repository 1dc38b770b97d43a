package progress

import (
	"html"
	"html/template"
	"strings"
)

// Table is the data table of a chart, for screen readers and anyone who
// prefers numbers: a <caption>, a header row, the Start point's row
// ("Start (25. nov. 2026)", the date's spaces no-break ones) when there is
// one, and one row per point (a
// gap says "ingen data"; the running period without data yet "endnu
// ingen"), with the numbers the chart draws, rounded to one decimal. Put
// it in a <details> under the chart, or use Figure.
func Table(s Series, o Options) template.HTML {
	l := labelsFor(s, o)
	var b strings.Builder
	b.Grow(512 + 64*len(s.Points))
	b.WriteString(`<table class="chart-data"><caption>`)
	b.WriteString(html.EscapeString(l.title))
	b.WriteString(`</caption><thead><tr><th scope="col">`)
	b.WriteString(html.EscapeString(l.v.col[periodIx(s.Period)]))
	b.WriteString(`</th><th scope="col">`)
	b.WriteString(html.EscapeString(l.v.nameUnit[l.measure]))
	b.WriteString(`</th></tr></thead><tbody>`)
	buf := make([]byte, 0, 48)
	if s.Start.OK {
		// The date held together (no-break spaces): on a phone the
		// label breaks after "Start" only.
		date := strings.ReplaceAll(string(appendPeriod(buf[:0], dayOf(s.Start.Start), Daily, l.v)), " ", "\u00a0")
		b.WriteString(`<tr><th scope="row">`)
		b.WriteString(html.EscapeString(l.lang.Tf("progress_startOn", date)))
		b.WriteString(`</th><td>`)
		b.Write(appendNum(buf[:0], s.Start.Value, l.lang))
		b.WriteString(`</td></tr>`)
	}
	for i, p := range s.Points {
		b.WriteString(`<tr><th scope="row">`)
		buf = appendPeriod(buf[:0], dayOf(p.Start), s.Period, l.v)
		if l.v.periodHTML {
			b.Write(buf)
		} else {
			b.WriteString(html.EscapeString(string(buf)))
		}
		b.WriteString(`</th><td>`)
		switch {
		case p.OK:
			buf = appendNum(buf[:0], p.Value, l.lang)
			b.Write(buf)
		case s.pending(i):
			b.WriteString(l.v.notYetHTML)
		default:
			b.WriteString(l.v.noDataHTML)
		}
		b.WriteString(`</td></tr>`)
	}
	b.WriteString(`</tbody></table>`)
	return template.HTML(b.String())
}

// Figure is the chart and its table in a <figure> with the title as its
// <figcaption>, the table inside a <details> ("Se tallene" / "Show the
// numbers").
func Figure(s Series, o Options) template.HTML {
	chart, table := Chart(s, o), Table(s, o)
	var b strings.Builder
	b.Grow(len(chart) + len(table) + 200)
	b.WriteString(`<figure class="chart"><figcaption>`)
	b.WriteString(html.EscapeString(labelsFor(s, o).title))
	b.WriteString(`</figcaption>`)
	b.WriteString(string(chart))
	b.WriteString(`<details><summary>`)
	b.WriteString(html.EscapeString(vocabOf(o.Lang).showNumbers))
	b.WriteString(`</summary>`)
	b.WriteString(string(table))
	b.WriteString(`</details></figure>`)
	return template.HTML(b.String())
}
