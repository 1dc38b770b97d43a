package progress

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stenose/stenose/internal/i18n"
)

// TestKeys: every key the package looks up through a table (which
// i18n's TestCodeKeys, reading literal keys only, cannot see) is in the
// catalogue.
func TestKeys(t *testing.T) {
	var keys []string
	keys = append(keys, nameKeys[:]...)
	keys = append(keys, unitKeys[:]...)
	keys = append(keys, valueKeys[:]...)
	keys = append(keys, valueDecimalKeys[:]...)
	keys = append(keys, monthKeys[:]...)
	for _, table := range [][4][4]string{walkKeys, painKeys} {
		for i, row := range table {
			for j, k := range row {
				if i == 0 && j == 0 {
					continue // neither comparison: no sentence
				}
				keys = append(keys, k)
			}
		}
	}
	for _, l := range i18n.Langs {
		for _, k := range keys {
			if !i18n.Has(l, k) {
				t.Errorf("%s: the catalogue has no text %q", l, k)
			}
		}
	}
}

// TestSentenceEveryCase: each way a measure can compare with the baseline
// and with 4 weeks ago is one whole sentence in each language, with the
// numbers of each comparison that moved (and the pain now).
func TestSentenceEveryCase(t *testing.T) {
	dirs := []Direction{Same, Up, Down}
	for _, m := range []Measure{FirstSymptoms, LegPain, BackPain} {
		for si := -1; si < len(dirs); si++ {
			for ai := -1; ai < len(dirs); ai++ {
				if si < 0 && ai < 0 {
					continue
				}
				for _, l := range i18n.Langs {
					var start, ago *Change
					var want []string
					if m != FirstSymptoms {
						want = append(want, num(4.5, l))
					}
					if si >= 0 {
						start = &Change{Measure: m, Ref: Baseline, Then: 7, Now: 4.5, Percent: 1200, Direction: dirs[si]}
						if dirs[si] != Same {
							want = append(want, pick(m == FirstSymptoms, l.Int(1200), "7"))
						}
					}
					if ai >= 0 {
						ago = &Change{Measure: m, Ref: FourWeeksAgo, Then: 6, Now: 4.5, Percent: 35, Direction: dirs[ai]}
						if dirs[ai] != Same {
							want = append(want, pick(m == FirstSymptoms, "35", "6"))
						}
					}
					got := sentence(l, m, start, ago)
					if strings.Contains(got, "%!") || strings.Contains(got, "progress_") || !strings.HasSuffix(got, ".") {
						t.Errorf("%s, measure %v, start %d, ago %d: %q is broken", l, m, si, ai, got)
					}
					for _, w := range want {
						if !strings.Contains(got, w) {
							t.Errorf("%s, measure %v, start %d, ago %d: %q lacks %s", l, m, si, ai, got, w)
						}
					}
				}
			}
		}
	}
}

// TestTmpl: a text split once fills in as fmt.Sprintf does.
func TestTmpl(t *testing.T) {
	type tc struct {
		text string
		args []string
	}
	tests := []tc{
		{"%s. %s %s", []string{"12", "nov.", "2026"}},
		{"%[2]s %[1]s, %[3]s", []string{"12", "nov.", "2026"}},
		{"%[2]s: %s", []string{"a", "b", "c"}},
		{"100 %% af %s", []string{"x"}},
		{"uden tal", nil},
	}
	for _, l := range i18n.Langs {
		tests = append(tests, tc{l.T("progress_dayMonth"), []string{"2", "nov."}}, tc{l.T("progress_date"), []string{"2", "nov.", "2026"}},
			tc{l.T("progress_monthYear"), []string{"nov.", "2026"}}, tc{l.T("progress_weekNum"), []string{"45"}}, tc{l.T("progress_weekYear"), []string{"45", "2026"}})
	}
	for _, tc := range tests {
		var ts []arg
		var as []any
		for _, a := range tc.args {
			ts, as = append(ts, text(a)), append(as, a)
		}
		want := fmt.Sprintf(tc.text, as...)
		if got := string(parseTmpl(tc.text).append(nil, ts...)); got != want {
			t.Errorf("%q: %q, want %q", tc.text, got, want)
		}
	}
	// What parseTmpl does not read as a verb it keeps.
	for _, text := range []string{"%d dage", "%[x]s", "50%"} {
		if got := string(parseTmpl(text).append(nil, digits(1))); got != text {
			t.Errorf("%q: %q", text, got)
		}
	}
}

func TestNum(t *testing.T) {
	for _, tc := range []struct {
		x      float64
		da, en string
	}{
		{0, "0", "0"}, {4.5, "4,5", "4.5"}, {4.04, "4", "4"}, {-1.25, "-1,3", "-1.3"},
		{999.96, "1.000", "1,000"}, {2000, "2.000", "2,000"}, {1234567.8, "1.234.567,8", "1,234,567.8"},
	} {
		if got := num(tc.x, i18n.Da); got != tc.da {
			t.Errorf("num(%v, da) = %q, want %q", tc.x, got, tc.da)
		}
		if got := num(tc.x, i18n.En); got != tc.en {
			t.Errorf("num(%v, en) = %q, want %q", tc.x, got, tc.en)
		}
		if got := string(appendCoord(nil, tc.x)); strings.ContainsAny(got, ",") || (tc.x >= 1000 && strings.Count(got, ".") > 1) {
			t.Errorf("appendCoord(%v) = %q", tc.x, got)
		}
	}
}

// TestValue: a value and its unit take the plural form of the number as
// it is written, rounded to one decimal.
func TestValue(t *testing.T) {
	for _, tc := range []struct {
		m    Measure
		l    i18n.Lang
		v    float64
		want string
	}{
		{WalkMinutes, i18n.Da, 1, "1 minut"},
		{WalkMinutes, i18n.Da, 0.96, "1 minut"},
		{WalkMinutes, i18n.Da, 0, "0 minutter"},
		{WalkMinutes, i18n.Da, 1.5, "1,5 minutter"},
		{FirstSymptoms, i18n.Da, 1200, "1.200 minutter"},
		{Sessions, i18n.Da, 1, "1 træning"},
		{Sessions, i18n.En, 1, "1 session"},
		{Sessions, i18n.En, 3, "3 sessions"},
		{LegPain, i18n.Da, 4.5, "4,5 på skalaen 0–10"},
		{BackPain, i18n.En, 1, "1 on the 0–10 scale"},
	} {
		l := labelsFor(Series{Measure: tc.m}, Options{Lang: tc.l})
		if got := l.value(tc.v); got != tc.want {
			t.Errorf("%s %v %v: %q, want %q", tc.l, tc.m, tc.v, got, tc.want)
		}
	}
}
