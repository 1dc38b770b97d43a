package progress

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stenose/stenose/internal/rules"
)

func scoring(d string, scores ...int) rules.PSFS {
	names := []string{"gå til bageren", "stå og lave mad", "cykle"}
	p := rules.PSFS{Date: day(d)}
	for i, s := range scores {
		p.Activities = append(p.Activities, rules.Activity{Name: names[i], Score: s})
	}
	return p
}

// TestPSFS: the scorings up to today by date, their averages rounded to
// 0.1, and the sentence comparing the latest with the first.
func TestPSFS(t *testing.T) {
	tests := []struct {
		name   string
		ps     []rules.PSFS
		means  []float64
		da, en []string
	}{{
		name:  "none",
		means: []float64{},
		da:    []string{"Der er endnu for få målinger til at vise en udvikling."},
	}, {
		name:  "the baseline alone: no sentence",
		ps:    []rules.PSFS{scoring("2026-10-01", 3, 4)},
		means: []float64{3.5},
		da:    []string{"Der er endnu for få målinger til at vise en udvikling."},
	}, {
		name:  "2.5 points easier: meaningful",
		ps:    []rules.PSFS{scoring("2026-10-01", 3, 4), scoring("2026-10-29", 5, 5), scoring("2026-11-25", 6, 6)},
		means: []float64{3.5, 5, 6},
		da:    []string{"Dine egne aktiviteter: fra 3,5 til 6 (af 10), siden du startede. De er blevet tydeligt lettere."},
		en:    []string{"Your own activities: from 3.5 to 6 (out of 10) since you started. They have become clearly easier."},
	}, {
		name:  "1.7 points: about the same",
		ps:    []rules.PSFS{scoring("2026-10-01", 3, 4, 2), scoring("2026-11-20", 5, 5, 4)},
		means: []float64{3, 4.7},
		da:    []string{"Dine egne aktiviteter: fra 3 til 4,7 (af 10), siden du startede – omtrent det samme."},
		en:    []string{"Your own activities: from 3 to 4.7 (out of 10) since you started – about the same."},
	}, {
		name:  "2 points harder, out of order, one after today and one invalid left out",
		ps:    []rules.PSFS{scoring("2026-11-20", 4, 4), scoring("2026-10-01", 6, 6), scoring("2026-11-26", 10), scoring("2026-11-21", 11), {Date: day("2026-11-22")}},
		means: []float64{6, 4},
		da:    []string{"Dine egne aktiviteter: fra 6 til 4 (af 10), siden du startede. De er blevet tydeligt sværere."},
		en:    []string{"Your own activities: from 6 to 4 (out of 10) since you started. They have become clearly harder."},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := rules.History{ProgrammeStart: day("2026-10-01"), PlannedPerWeek: 3, PSFS: tc.ps}
			r := Compute(h, now, 12)
			means := []float64{}
			for _, s := range r.PSFS {
				means = append(means, s.Mean)
			}
			if diff := cmp.Diff(tc.means, means); diff != "" {
				t.Errorf("means (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.da, r.Sentences("da")); diff != "" {
				t.Errorf("Danish (-want +got):\n%s", diff)
			}
			if tc.en != nil {
				if diff := cmp.Diff(tc.en, r.Sentences("en")); diff != "" {
					t.Errorf("English (-want +got):\n%s", diff)
				}
			}
		})
	}
	// With the other measures: the PSFS sentence comes last.
	h := data{agoWalks: []int{300, 200, 300}, nowWalks: []int{420, 400, 500}}.history()
	h.PSFS = []rules.PSFS{scoring("2026-09-01", 2), scoring("2026-11-24", 5)}
	got := Compute(h, now, 12).Sentences("da")
	want := []string{"Du går nu 40\u00a0% længere, før symptomerne kommer, end for 4 uger siden.",
		"Dine egne aktiviteter: fra 2 til 5 (af 10), siden du startede. De er blevet tydeligt lettere."}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("with walks (-want +got):\n%s", diff)
	}
	if r := Compute(h, now, 12); r.PSFS[1].Day.Format("2006-01-02") != "2026-11-24" || r.PSFS[0].Activities[0].Name != "gå til bageren" {
		t.Errorf("scorings %+v", r.PSFS)
	}
}
