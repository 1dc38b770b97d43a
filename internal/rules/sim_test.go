package rules

import (
	"math/rand/v2"
	"testing"
)

// TestStablePatientFalseAlarms: a patient whose leg pain does not change —
// only the day-to-day scatter of the ratings — must rarely be told to
// contact the clinic. 200 simulated patients per row: a diary on 4 days of
// 7 for 120 days, judged every 5th day from day 60 (docs/rules.md,
// "Measures and meaningful change" gives the figures).
func TestStablePatientFalseAlarms(t *testing.T) {
	tests := []struct {
		level, sd float64
		maxPct    float64
	}{
		{2, 0.7, 1}, {3, 0.7, 1}, {5, 0.7, 1},
		{2, 1.0, 3}, {3, 1.0, 3}, {5, 1.0, 1},
	}
	for _, tt := range tests {
		r := rand.New(rand.NewPCG(1, 2))
		fired, total := 0, 0
		for range 200 {
			h := history()
			h.Baseline.LegPain = int(tt.level)
			for d := 0; d <= 120; d++ {
				if r.IntN(7) < 4 {
					v := int(max(0, min(10, tt.level+r.NormFloat64()*tt.sd+0.5)))
					h.Entries = append(h.Entries, Entry{At: day(d), LegPain: v, BackPain: 3})
				}
			}
			for d := 60; d <= 120; d += 5 {
				total++
				if newView(h, at(d)).assess(mLeg).worse() {
					fired++
				}
			}
		}
		pct := 100 * float64(fired) / float64(total)
		t.Logf("leg pain %.0f ± %.1f: worse on %.1f %% of days", tt.level, tt.sd, pct)
		if pct > tt.maxPct {
			t.Errorf("leg pain %.0f ± %.1f: a stable patient is called worse on %.1f %% of days, want ≤ %.0f %%", tt.level, tt.sd, pct, tt.maxPct)
		}
	}
}
