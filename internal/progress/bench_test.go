package progress

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/rules"
)

// fiveYears is a patient with 5 years of daily diary entries, 3 sessions a
// week (Monday, Wednesday, Friday) and a walk a day of 2–4 bouts, ending on
// the day of now (Copenhagen).
func fiveYears(now time.Time) rules.History {
	rng := rand.New(rand.NewPCG(1, 2))
	const days = 5*365 + 1
	start := rules.DayOf(now).AddDays(-(days - 1))
	h := rules.History{
		ProgrammeStart: start,
		PlannedPerWeek: 3,
		Baseline:       &rules.Baseline{Date: start, SPWT: rules.SPWT{FirstSymptomsSeconds: 240, StopSeconds: 420}, LegPain: 6, BackPain: 5},
		Entries:        make([]rules.Entry, 0, days),
		Sessions:       make([]rules.Session, 0, days*3/7+3),
		Walks:          make([]rules.Walk, 0, days),
	}
	for i := range days {
		d := start.AddDays(i)
		h.Entries = append(h.Entries, rules.Entry{At: d, LegPain: rng.IntN(11), BackPain: rng.IntN(11)})
		if wd := (i + int(weekdayOf(start))) % 7; wd == 0 || wd == 2 || wd == 4 {
			h.Sessions = append(h.Sessions, rules.Session{Date: d, CompletedSteps: 6})
		}
		bouts := make([]rules.Bout, 2+rng.IntN(3))
		for j := range bouts {
			w := 120 + rng.IntN(900)
			bouts[j] = rules.Bout{WalkSeconds: w, PauseSeconds: 60 + rng.IntN(120), FirstSymptomsSeconds: rng.IntN(w + 1)}
		}
		h.Walks = append(h.Walks, rules.Walk{Date: d, Bouts: bouts})
	}
	return h
}

// weekdayOf is d's weekday, Monday 0.
func weekdayOf(d rules.Day) int64 {
	n, _ := dayNum(d)
	return n - monday(n)
}

// page renders everything the progress page needs from a report: the
// sentences, and a chart and table for each measure of the daily view and
// of the weekly view of all the years.
func page(r Report) int {
	n := 0
	for _, s := range r.Sentences("da") {
		n += len(s)
	}
	for _, set := range []Set{r.Days, r.AllWeeks} {
		for _, s := range set {
			n += len(Figure(s, Options{}))
		}
	}
	return n
}

// BenchmarkProgress5Years is the progress page's server work for a patient
// with 5 years of data (issue 4: goal ≤ 20 ms): Compute for 12 weeks (with
// the weekly view of all 5 years) and every chart and table.
func BenchmarkProgress5Years(b *testing.B) {
	cph, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		cph = time.FixedZone("CET", 3600)
	}
	now := time.Date(2026, 11, 25, 20, 0, 0, 0, cph)
	h := fiveYears(now)
	size := 0
	b.ReportAllocs()
	for b.Loop() {
		size = page(Compute(h, now, 12))
	}
	b.ReportMetric(float64(size), "bytes/page")
}

func TestFiveYearsPage(t *testing.T) {
	now := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	h := fiveYears(now)
	r := Compute(h, now, 12)
	if got := len(r.Days[LegPain].Points); got != 84 {
		t.Errorf("daily points = %d, want 84", got)
	}
	if got := len(r.AllWeeks[LegPain].Points); got < 261 || got > 262 {
		t.Errorf("weekly points = %d, want 261–262", got)
	}
	for _, set := range []Set{r.Days, r.AllWeeks} {
		for _, s := range set {
			if g := s.Gaps(); g != 0 {
				t.Errorf("%v/%v: %d gaps in daily data", s.Measure, s.Period, g)
			}
		}
	}
	if size := page(r); size == 0 || strings.Contains(string(Figure(r.Days[0], Options{})), "NaN") {
		t.Errorf("page size %d or NaN in output", size)
	}
}
