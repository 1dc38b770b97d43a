package progress

import (
	"encoding/xml"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stenose/stenose/internal/i18n"
)

// node is a decoded XML element.
type node struct {
	Name     string
	Attr     map[string]string
	Text     string
	Children []*node
}

// parse decodes s strictly as XML (the SVG and the table must be well
// formed) into a tree.
func parse(t *testing.T, s string) *node {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = true
	var stack []*node
	var root *node
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, s)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			n := &node{Name: x.Name.Local, Attr: map[string]string{}}
			for _, a := range x.Attr {
				n.Attr[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, n)
			} else if root != nil {
				t.Fatalf("more than one root element")
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].Text += string(x)
			}
		}
	}
	if root == nil {
		t.Fatalf("no element in %q", s)
	}
	return root
}

func (n *node) walk(f func(*node)) {
	f(n)
	for _, c := range n.Children {
		c.walk(f)
	}
}

func (n *node) all(name string) []*node {
	var out []*node
	n.walk(func(c *node) {
		if c.Name == name {
			out = append(out, c)
		}
	})
	return out
}

// series is a test series of the given values; NaN is a gap.
func series(m Measure, p Period, vals ...float64) Series {
	s := Series{Measure: m, Period: p}
	start := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC) // a Monday
	for i, v := range vals {
		step := 1
		if p == Weekly {
			step = 7
		}
		pt := Point{Start: start.AddDate(0, 0, i*step), Value: v, N: 1, OK: !math.IsNaN(v)}
		if !pt.OK {
			pt.Value, pt.N = 0, 0
		}
		s.Points = append(s.Points, pt)
	}
	return s
}

var nan = math.NaN()

func TestChart(t *testing.T) {
	tests := []struct {
		name                 string
		s                    Series
		o                    Options
		title                string
		desc                 string // a part of the desc
		paths, rects, circle int    // data paths' "M" moves, bars, dots
	}{{
		name:  "line with a gap: two pieces",
		s:     series(LegPain, Daily, 6, 5.5, nan, 4, 3),
		title: "Smerter i benene pr. dag",
		desc:  "Smerter i benene pr. dag, 2. nov. 2026 til 6. nov. 2026. Seneste: 3 på skalaen 0–10 (6. nov. 2026); laveste 3, højeste 6. 1 dag uden data.",
		paths: 2,
	}, {
		name:   "an isolated point is a dot",
		s:      series(FirstSymptoms, Weekly, 4, nan, 5.25, nan, nan, 6, 7),
		title:  "Tid til første symptomer pr. uge",
		desc:   "uge 45, 2026 til uge 51, 2026. Seneste: 7 minutter (uge 51, 2026); laveste 4, højeste 7. 3 uger uden data.",
		paths:  3,
		circle: 2,
	}, {
		name:  "bars for sessions, none for a gap, in English",
		s:     series(Sessions, Weekly, nan, 0, 3, 2),
		o:     Options{Lang: "en"},
		title: "Sessions done per week",
		desc:  "Sessions done per week, week 45, 2026 to week 48, 2026. Latest: 2 sessions (week 48, 2026); lowest 0, highest 3. 1 week without data.",
		rects: 3,
	}, {
		name:  "one session: the singular",
		s:     series(Sessions, Weekly, 2, 1),
		title: "Træninger gennemført pr. uge",
		desc:  "Seneste: 1 træning (uge 46, 2026)",
		rects: 2,
	}, {
		name:  "one session in English, one minute",
		s:     series(Sessions, Weekly, 2, 1),
		o:     Options{Lang: "en"},
		title: "Sessions done per week",
		desc:  "Latest: 1 session (week 46, 2026)",
		rects: 2,
	}, {
		name:  "one minute, 1.5 minutes",
		s:     series(FirstSymptoms, Daily, 1.5, 1),
		title: "Tid til første symptomer pr. dag",
		desc:  "Seneste: 1 minut (3. nov. 2026); laveste 1, højeste 1,5.",
		paths: 1,
	}, {
		name:  "bars for walking minutes",
		s:     series(WalkMinutes, Daily, 12.5, 30, 47.25),
		title: "Gang i alt pr. dag",
		desc:  "Seneste: 47,3 minutter",
		rects: 3,
	}, {
		name:  "forced line",
		s:     series(WalkMinutes, Daily, 12.5, 30, 47.25),
		o:     Options{Kind: Line},
		title: "Gang i alt pr. dag",
		paths: 1,
	}, {
		name:  "no data",
		s:     series(BackPain, Daily, nan, nan),
		title: "Smerter i ryggen pr. dag",
		desc:  "Smerter i ryggen pr. dag, 2. nov. 2026 til 3. nov. 2026: ingen data endnu.",
	}, {
		name:  "no points",
		s:     Series{Measure: BackPain, Period: Weekly},
		title: "Smerter i ryggen pr. uge",
		desc:  "Smerter i ryggen pr. uge: ingen data endnu.",
	}, {
		name:  "a given title is escaped",
		s:     series(LegPain, Daily, 1),
		o:     Options{Title: `<script>alert("x")</script> & "ben"`, ID: `a"b c`},
		title: `<script>alert("x")</script> & "ben"`,
		paths: 1, circle: 1,
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := string(Chart(tc.s, tc.o))
			for _, bad := range []string{"style", "<script", "javascript:", "NaN", "Inf"} {
				if strings.Contains(out, bad) {
					t.Errorf("chart contains %q:\n%s", bad, out)
				}
			}
			root := parse(t, out)
			if root.Name != "svg" || root.Attr["role"] != "img" || root.Attr["viewBox"] != "0 0 400 250" {
				t.Errorf("root is <%s role=%q viewBox=%q>", root.Name, root.Attr["role"], root.Attr["viewBox"])
			}
			if _, ok := root.Attr["width"]; ok {
				t.Errorf("a fixed width does not scale")
			}
			if len(root.Children) < 2 || root.Children[0].Name != "title" || root.Children[1].Name != "desc" {
				t.Fatalf("the first children are not <title> and <desc>")
			}
			title, desc := root.Children[0], root.Children[1]
			if title.Text != tc.title {
				t.Errorf("title = %q, want %q", title.Text, tc.title)
			}
			if !strings.Contains(desc.Text, tc.desc) || desc.Text == "" || strings.Contains(desc.Text, "\n") {
				t.Errorf("desc = %q, want one line containing %q", desc.Text, tc.desc)
			}
			if want := title.Attr["id"] + " " + desc.Attr["id"]; root.Attr["aria-labelledby"] != want || strings.ContainsAny(want, `"<&`) {
				t.Errorf("aria-labelledby = %q, ids %q", root.Attr["aria-labelledby"], want)
			}
			root.walk(func(n *node) {
				if n.Name == "style" || n.Name == "script" || n.Name == "foreignObject" {
					t.Errorf("<%s> in the chart", n.Name)
				}
				for k := range n.Attr {
					if k == "style" || strings.HasPrefix(k, "on") {
						t.Errorf("attribute %s on <%s>", k, n.Name)
					}
				}
			})
			moves := 0
			for _, p := range root.all("path") {
				if p.Attr["stroke"] == colData {
					moves += strings.Count(p.Attr["d"], "M")
				}
			}
			if moves != tc.paths {
				t.Errorf("%d line pieces, want %d", moves, tc.paths)
			}
			if n := len(root.all("rect")); n != tc.rects {
				t.Errorf("%d bars, want %d", n, tc.rects)
			}
			if n := len(root.all("circle")); n != tc.circle {
				t.Errorf("%d dots, want %d", n, tc.circle)
			}
			// Axis labels in the chart's language.
			var texts []string
			for _, x := range root.all("text") {
				texts = append(texts, x.Text)
			}
			joined := strings.Join(texts, "|")
			wantAxis := map[bool]string{false: "Dato", true: "Uge"}[tc.s.Period == Weekly]
			if tc.o.Lang == "en" {
				wantAxis = map[bool]string{false: "Date", true: "Week"}[tc.s.Period == Weekly]
			}
			if !strings.Contains(joined, wantAxis) {
				t.Errorf("no x axis label %q in %q", wantAxis, joined)
			}
		})
	}
}

func TestDefaultIDsDiffer(t *testing.T) {
	r := Compute(fiveYears(now), now, 12)
	seen := map[string]bool{}
	for _, set := range []Set{r.Days, r.RecentWeeks(), r.AllWeeks} {
		for _, s := range set {
			id := parse(t, string(Chart(s, Options{}))).Children[0].Attr["id"]
			if seen[id] {
				t.Errorf("id %q twice on the page", id)
			}
			seen[id] = true
		}
	}
}

// TestContrast: the data and axis colours against the page (--paper) reach
// 3:1 (WCAG 1.4.11, non-text contrast); text reaches 4.5:1.
func TestContrast(t *testing.T) {
	lum := func(hex string) float64 {
		var c [3]float64
		for i := range c {
			v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
			x := float64(v) / 255
			if x <= 0.04045 {
				c[i] = x / 12.92
			} else {
				c[i] = math.Pow((x+0.055)/1.055, 2.4)
			}
		}
		return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
	}
	paper := lum("#fffdf8")
	for _, tc := range []struct {
		col  string
		want float64
	}{{colData, 3}, {colMuted, 3}, {colInk, 4.5}} {
		if r := (paper + 0.05) / (lum(tc.col) + 0.05); r < tc.want {
			t.Errorf("%s on the paper: %.1f:1, want ≥ %.1f:1", tc.col, r, tc.want)
		}
	}
}

func TestNiceTop(t *testing.T) {
	for _, tc := range []struct {
		m    Measure
		v    float64
		want float64
	}{
		{LegPain, 3, 10}, {BackPain, 0, 10}, {Sessions, 0, 1}, {Sessions, 1, 1}, {Sessions, 3, 3}, {Sessions, 7, 8},
		{WalkMinutes, 47.3, 50}, {WalkMinutes, 101, 120}, {WalkMinutes, 2400, 2500}, {FirstSymptoms, math.NaN(), 1},
	} {
		if got := niceTop(tc.m, tc.v); got != tc.want {
			t.Errorf("niceTop(%v, %v) = %v, want %v", tc.m, tc.v, got, tc.want)
		}
	}
}

// withStart is s with the baseline v as its Start point (on 28 October
// 2026), its last period running.
func withStart(s Series, v float64) Series {
	s.Start = Point{Start: time.Date(2026, 10, 28, 0, 0, 0, 0, time.UTC), Value: v, N: 1, OK: true}
	s.Running = true
	return s
}

// TestChartStart: the baseline is its own point, labelled "Start", set
// apart by a dashed line and never joined to the periods; the running
// period without data is no gap; the desc and the table list the start.
// TestChartOnePeriodOneLabel: a chart of one week names it once on the
// axis (it is its first and its last period).
func TestChartOnePeriodOneLabel(t *testing.T) {
	for _, s := range []Series{series(Sessions, Weekly, 2), series(LegPain, Weekly, 4)} {
		svg := string(Chart(s, Options{}))
		if n := strings.Count(svg, ">uge 45<"); n != 1 {
			t.Errorf("the week is labelled %d times on the axis:\n%s", n, svg)
		}
	}
}

func TestChartStart(t *testing.T) {
	tests := []struct {
		name                 string
		s                    Series
		o                    Options
		desc                 string
		paths, rects, circle int    // as TestChart; the Start dot is the circle of r 7
		value                string // the Start point's value, written by it
		rows                 [][2]string
	}{{
		name:   "day 0: the start and this week without data yet",
		s:      withStart(series(FirstSymptoms, Weekly, nan), 3.25),
		desc:   "Tid til første symptomer pr. uge, uge 45, 2026 til uge 45, 2026. Start (28. okt. 2026): 3,3 minutter. Endnu ingen målinger efter start.",
		circle: 1, value: "3,3",
		rows: [][2]string{{"Start (28.\u00a0okt.\u00a02026)", "3,3"}, {"uge 45, 2026", "endnu ingen"}},
	}, {
		name:   "day 0 in English, pain",
		s:      withStart(series(LegPain, Daily, nan), 5),
		o:      Options{Lang: "en"},
		desc:   "Leg pain per day, 2 Nov 2026 to 2 Nov 2026. Start (28 Oct 2026): 5 on the 0–10 scale. No measurements since the start yet.",
		circle: 1, value: "5",
		rows: [][2]string{{"Start (28\u00a0Oct\u00a02026)", "5"}, {"2 Nov 2026", "none yet"}},
	}, {
		name:   "a line after the start is not joined to it; a gap before today is a gap",
		s:      withStart(series(LegPain, Weekly, 6, nan, 4, 3), 7),
		desc:   "Start (28. okt. 2026): 7 på skalaen 0–10. Seneste: 3 på skalaen 0–10 (uge 48, 2026); laveste 3, højeste 6. 1 uge uden data.",
		paths:  2,
		circle: 2, // the start and the isolated first week
		value:  "7",
		rows: [][2]string{{"Start (28.\u00a0okt.\u00a02026)", "7"}, {"uge 45, 2026", "6"}, {"uge 46, 2026", "ingen data"},
			{"uge 47, 2026", "4"}, {"uge 48, 2026", "3"}},
	}, {
		name:  "bars: the start is a bar of its own",
		s:     withStart(series(WalkMinutes, Daily, 12.5, nan), 6.5),
		desc:  "Start (28. okt. 2026): 6,5 minutter. Seneste: 12,5 minutter (2. nov. 2026); laveste 12,5, højeste 12,5.",
		rects: 2, value: "6,5",
		rows: [][2]string{{"Start (28.\u00a0okt.\u00a02026)", "6,5"}, {"2. nov. 2026", "12,5"}, {"3. nov. 2026", "endnu ingen"}},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := parse(t, string(Chart(tc.s, tc.o)))
			if desc := root.Children[1].Text; !strings.Contains(desc, tc.desc) {
				t.Errorf("desc = %q, want it to contain %q", desc, tc.desc)
			}
			moves := 0
			for _, p := range root.all("path") {
				if p.Attr["stroke"] == colData {
					moves += strings.Count(p.Attr["d"], "M")
				}
			}
			if moves != tc.paths {
				t.Errorf("%d line pieces, want %d", moves, tc.paths)
			}
			if n := len(root.all("rect")); n != tc.rects {
				t.Errorf("%d bars, want %d", n, tc.rects)
			}
			circles := root.all("circle")
			if len(circles) != tc.circle {
				t.Errorf("%d dots, want %d", len(circles), tc.circle)
			}
			// The Start label, left of every other x label, and the
			// dashed line between it and the first period.
			var startX, dashX float64 = -1, -1
			for _, x := range root.all("text") {
				if x.Text == "Start" {
					startX, _ = strconv.ParseFloat(x.Attr["x"], 64)
				}
			}
			for _, ln := range root.all("line") {
				if ln.Attr["stroke-dasharray"] != "" {
					dashX, _ = strconv.ParseFloat(ln.Attr["x1"], 64)
				}
			}
			if startX < 0 || dashX < startX {
				t.Errorf("Start label at %v, the dashed line at %v", startX, dashX)
			}
			var firstData float64 = 1e9
			for _, r := range root.all("rect") {
				x, _ := strconv.ParseFloat(r.Attr["x"], 64)
				w, _ := strconv.ParseFloat(r.Attr["width"], 64)
				if c := x + w/2; c > dashX {
					firstData = min(firstData, c)
				} else if math.Abs(c-startX) > 1 {
					t.Errorf("a bar left of the dashed line at %v, not under Start (%v)", c, startX)
				}
			}
			for _, c := range circles {
				x, _ := strconv.ParseFloat(c.Attr["cx"], 64)
				if c.Attr["r"] == "7" && math.Abs(x-startX) > 1 {
					t.Errorf("the start dot at %v, its label at %v", x, startX)
				}
			}
			for _, p := range root.all("path") {
				if p.Attr["stroke"] != colData {
					continue
				}
				x, _ := strconv.ParseFloat(strings.Fields(strings.TrimPrefix(p.Attr["d"], "M"))[0], 64)
				if x < dashX {
					t.Errorf("the line begins at %v, left of the dashed line (%v): joined to the start", x, dashX)
				}
			}
			valueAt := -1.0
			for _, x := range root.all("text") {
				if x.Text == tc.value {
					valueAt, _ = strconv.ParseFloat(x.Attr["x"], 64)
				}
			}
			if math.Abs(valueAt-startX) > 1 {
				t.Errorf("the start value %q at x %v, not by the Start point (%v)", tc.value, valueAt, startX)
			}
			for _, x := range root.all("text") {
				if x.Text == "ingen data" || x.Text == "no data" {
					t.Errorf("a chart with a start point says %q", x.Text)
				}
			}
			if tc.rects > 1 && firstData == 1e9 {
				t.Errorf("no bar right of the dashed line")
			}

			table := parse(t, string(Table(tc.s, tc.o)))
			var rows [][2]string
			for _, tr := range table.all("tbody")[0].all("tr") {
				rows = append(rows, [2]string{tr.Children[0].Text, tr.Children[1].Text})
			}
			if diff := cmp.Diff(tc.rows, rows); diff != "" {
				t.Errorf("table rows (-want +got):\n%s", diff)
			}
		})
	}
}

// TestChartLabelSize: every text of a chart renders at ≥ 16 px in the
// page's 328 px column on a 360 px phone (the SVG is scaled by 328/400),
// the labels stay inside the chart and do not run into each other (by an
// estimate of their width; e2e TestProgressChartLabels measures them in
// Chromium).
func TestChartLabelSize(t *testing.T) {
	const column = 328.0 // 360 px less the page's 1 rem margins
	r := Compute(fiveYears(now), now, 12)
	day0 := Compute(rulesDay0(), now, 12)
	var all []Series
	for _, set := range []Set{r.ProgrammeDays(28), r.ProgrammeWeeks(12), r.ProgrammeWeeks(0), r.Days, day0.ProgrammeWeeks(12), day0.ProgrammeDays(28)} {
		all = append(all, set[:]...)
	}
	all = append(all, series(WalkMinutes, Weekly, 2400, 1200), withStart(series(FirstSymptoms, Daily, 1.5, 0.75), 0.5))
	for _, s := range all {
		for _, lang := range i18n.Langs {
			root := parse(t, string(Chart(s, Options{Lang: lang})))
			vb := strings.Fields(root.Attr["viewBox"])
			w, _ := strconv.ParseFloat(vb[2], 64)
			scale := column / w
			var fs float64
			root.walk(func(n *node) {
				if v, ok := n.Attr["font-size"]; ok {
					fs, _ = strconv.ParseFloat(v, 64)
				}
			})
			if fs*scale < 16 {
				t.Fatalf("font-size %v × %.3f = %.1f px at 360 px, want ≥ 16", fs, scale, fs*scale)
			}
			type box struct{ lo, hi, y float64 }
			var boxes []box
			for _, x := range root.all("text") {
				cx, _ := strconv.ParseFloat(x.Attr["x"], 64)
				y, _ := strconv.ParseFloat(x.Attr["y"], 64)
				tw := textWidth(x.Text)
				lo, hi := cx-tw/2, cx+tw/2
				switch x.Attr["text-anchor"] {
				case "":
					lo, hi = cx, cx+tw
				case "end":
					lo, hi = cx-tw, cx
				}
				if lo < 0 || hi > w {
					t.Errorf("%v/%v %s: %q runs out of the chart (%.0f–%.0f)", s.Measure, s.Period, lang, x.Text, lo, hi)
				}
				for _, b := range boxes {
					if b.y == y && lo < b.hi && hi > b.lo {
						t.Errorf("%v/%v %s: %q runs into another label", s.Measure, s.Period, lang, x.Text)
					}
				}
				boxes = append(boxes, box{lo, hi, y})
			}
		}
	}
}
