package progress

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestTable(t *testing.T) {
	for _, tc := range []struct {
		name    string
		s       Series
		o       Options
		caption string
		head    []string
		rows    [][2]string
	}{{
		name:    "daily, Danish, a gap",
		s:       series(LegPain, Daily, 6, 5.55, nan, 4.04),
		caption: "Smerter i benene pr. dag",
		head:    []string{"Dag", "Smerter i benene (0–10)"},
		rows:    [][2]string{{"2. nov. 2026", "6"}, {"3. nov. 2026", "5,6"}, {"4. nov. 2026", "ingen data"}, {"5. nov. 2026", "4"}},
	}, {
		name:    "weekly, English",
		s:       series(FirstSymptoms, Weekly, 4.25, nan),
		o:       Options{Lang: "en"},
		caption: "Time to first symptoms per week",
		head:    []string{"Week", "Time to first symptoms (minutes)"},
		rows:    [][2]string{{"week 45, 2026", "4.3"}, {"week 46, 2026", "no data"}},
	}, {
		name:    "escaped title",
		s:       series(Sessions, Weekly, 2),
		o:       Options{Title: "<b>Mine & dine</b>"},
		caption: "<b>Mine & dine</b>",
		head:    []string{"Uge", "Træninger gennemført (antal)"},
		rows:    [][2]string{{"uge 45, 2026", "2"}},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			out := string(Table(tc.s, tc.o))
			if strings.Contains(out, "style") || strings.Contains(out, "<b>") {
				t.Errorf("unsafe table:\n%s", out)
			}
			root := parse(t, out)
			if root.Name != "table" {
				t.Fatalf("root is <%s>", root.Name)
			}
			if c := root.all("caption"); len(c) != 1 || c[0].Text != tc.caption {
				t.Errorf("caption %v, want %q", c, tc.caption)
			}
			var head []string
			var rows [][2]string
			for _, th := range root.all("th") {
				switch th.Attr["scope"] {
				case "col":
					head = append(head, th.Text)
				case "row":
				default:
					t.Errorf("<th> without scope: %q", th.Text)
				}
			}
			for _, tr := range root.all("tbody")[0].all("tr") {
				if len(tr.Children) != 2 || tr.Children[0].Name != "th" || tr.Children[1].Name != "td" {
					t.Fatalf("row is not <th scope=row><td>")
				}
				rows = append(rows, [2]string{tr.Children[0].Text, tr.Children[1].Text})
			}
			if strings.Join(head, "|") != strings.Join(tc.head, "|") {
				t.Errorf("head %q, want %q", head, tc.head)
			}
			if len(rows) != len(tc.rows) {
				t.Fatalf("%d rows, want %d", len(rows), len(tc.rows))
			}
			for i := range rows {
				if rows[i] != tc.rows[i] {
					t.Errorf("row %d = %q, want %q", i, rows[i], tc.rows[i])
				}
			}
		})
	}
}

// TestTableMatchesSeries: for a real report, every table has one row per
// point with the point's value (one decimal) or "ingen data", and the
// chart's desc agrees with the series.
func TestTableMatchesSeries(t *testing.T) {
	h := fiveYears(now)
	// Make gaps: drop a week of diary entries and every walk in another.
	h.Entries = append(h.Entries[:len(h.Entries)-20:len(h.Entries)-20], h.Entries[len(h.Entries)-13:]...)
	h.Walks = h.Walks[:len(h.Walks)-3]
	r := Compute(h, now, 12)
	for _, set := range []Set{r.Days, r.RecentWeeks()} {
		for _, s := range set {
			root := parse(t, string(Table(s, Options{})))
			trs := root.all("tbody")[0].all("tr")
			if len(trs) != len(s.Points) {
				t.Fatalf("%v/%v: %d rows for %d points", s.Measure, s.Period, len(trs), len(s.Points))
			}
			gaps := 0
			for i, tr := range trs {
				p := s.Points[i]
				got := tr.Children[1].Text
				if !p.OK {
					gaps++
					if got != "ingen data" {
						t.Errorf("%v/%v row %d = %q, want ingen data", s.Measure, s.Period, i, got)
					}
					continue
				}
				v, err := strconv.ParseFloat(strings.Replace(got, ",", ".", 1), 64)
				if err != nil || math.Abs(v-p.Value) > 0.05+1e-9 {
					t.Errorf("%v/%v row %d = %q, want %.2f", s.Measure, s.Period, i, got, p.Value)
				}
			}
			if gaps != s.Gaps() {
				t.Errorf("%d gaps in the table, %d in the series", gaps, s.Gaps())
			}
			if s.Period == Daily && s.Measure != Sessions && gaps == 0 {
				t.Errorf("%v: want gaps in the daily view", s.Measure)
			}
			desc := parse(t, string(Chart(s, Options{}))).Children[1].Text
			if g := s.Gaps(); g > 0 && !strings.Contains(desc, " "+strconv.Itoa(g)+" ") {
				t.Errorf("%v/%v desc %q does not count %d gaps", s.Measure, s.Period, desc, g)
			}
		}
	}
}

func TestFigure(t *testing.T) {
	out := string(Figure(series(LegPain, Daily, 3, nan, 4), Options{}))
	root := parse(t, out)
	if root.Name != "figure" || len(root.all("svg")) != 1 || len(root.all("details")) != 1 || len(root.all("table")) != 1 {
		t.Errorf("figure is not svg + details(table):\n%s", out)
	}
	if s := root.all("summary"); len(s) != 1 || s[0].Text != "Se tallene" {
		t.Errorf("summary %v", s)
	}
	if c := root.all("figcaption"); len(c) != 1 || c[0].Text != "Smerter i benene pr. dag" {
		t.Errorf("figcaption %v", c)
	}
	out = string(Figure(series(Sessions, Weekly, 1), Options{Lang: "en", Title: "<i>"}))
	root = parse(t, out)
	if s, c := root.all("summary"), root.all("figcaption"); s[0].Text != "Show the numbers" || c[0].Text != "<i>" {
		t.Errorf("English figure: %s", out)
	}
	// No half sessions on the y axis.
	for _, x := range root.all("text") {
		if x.Text == "0,5" || x.Text == "0.5" {
			t.Errorf("a y tick of half a session")
		}
	}
}
