package rules

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// randomHistory makes a random but plausible history of up to 150 days:
// pain that drifts, walks whose times drift, sessions on most planned
// days, now and then a neuro symptom, a red flag, a PSFS scoring, new
// targets, a missing screen or baseline. It returns the history and the
// day to advise on.
func randomHistory(r *rand.Rand) (History, time.Time) {
	days := r.IntN(150)
	h := History{Programme: "5-bedste-oevelser", ProgrammeStart: start, PlannedPerWeek: 1 + r.IntN(5)}
	if r.IntN(10) > 0 {
		h.Baseline = &Baseline{Date: start, LegPain: r.IntN(11), BackPain: r.IntN(11)}
		stop := 30 + r.IntN(1770)
		h.Baseline.SPWT = SPWT{StopSeconds: stop, FirstSymptomsSeconds: r.IntN(stop + 1)}
	}
	flags := func() map[string]bool {
		m := map[string]bool{}
		for _, f := range Flags {
			m[f.Key] = r.IntN(200) == 0
		}
		return m
	}
	if r.IntN(10) > 0 {
		h.RedFlagChecks = append(h.RedFlagChecks, RedFlagCheck{Date: start, Answers: flags()})
	}
	h.Targets = Targets{Since: day(r.IntN(days + 1)), WalkMinutes: r.IntN(35)}
	// A quarter of the targets set by the clinician, without another draw
	// (the stream, and so every other history, stays as it was).
	h.Targets.Clinician = h.Targets.WalkMinutes%4 == 0
	if r.IntN(2) == 0 {
		h.Targets.Reps = map[string]int{"kattestraek": 1 + r.IntN(16), "knae-til-bryst": 1 + r.IntN(16)}
	}
	leg, back := float64(r.IntN(11)), float64(r.IntN(11))
	first := 30 + r.Float64()*900
	drift := (r.Float64() - 0.5) / 10 // a trend over the weeks
	pDiary, pSession, pWalk := r.Float64(), r.Float64(), r.Float64()
	clamp := func(x float64) int { return int(max(0, min(10, x+0.5))) }
	for d := 0; d <= days; d++ {
		leg += drift + (r.Float64()-0.5)*0.8
		back += drift/2 + (r.Float64()-0.5)*0.8
		leg, back = max(0, min(10, leg)), max(0, min(10, back))
		first = max(10, min(1700, first*(1-drift/3)+(r.Float64()-0.5)*40))
		if r.Float64() < pDiary {
			h.Entries = append(h.Entries, Entry{At: day(d), LegPain: clamp(leg), BackPain: clamp(back),
				Tingling: r.IntN(25) == 0, Burning: r.IntN(60) == 0, Weakness: r.IntN(60) == 0})
		}
		if r.Float64() < pSession {
			s := Session{Date: day(d), CompletedSteps: r.IntN(6), SkippedSteps: r.IntN(3)}
			if r.IntN(30) == 0 {
				s.Symptoms = []string{symptomNames[r.IntN(3)]}
			}
			h.Sessions = append(h.Sessions, s)
		}
		if r.Float64() < pWalk {
			f := int(first)
			stop := f + r.IntN(300)
			bouts := []Bout{{WalkSeconds: stop, PauseSeconds: r.IntN(300), FirstSymptomsSeconds: f}}
			for range r.IntN(3) {
				bouts = append(bouts, Bout{WalkSeconds: 1 + r.IntN(600), PauseSeconds: r.IntN(300)})
			}
			h.Walks = append(h.Walks, Walk{Date: day(d), Bouts: bouts})
		}
		if d > 0 && d%7 == 0 && r.IntN(3) == 0 {
			c := RedFlagCheck{Date: day(d), Answers: flags()}
			if r.IntN(10) == 0 {
				c.ExaminedSince = day(d - r.IntN(d+1))
			}
			h.RedFlagChecks = append(h.RedFlagChecks, c)
		}
		if (d == 0 || d == 30 || d == 86) && r.IntN(2) == 0 {
			h.PSFS = append(h.PSFS, PSFS{Date: day(d), Activities: []Activity{{"Gå til bageren", r.IntN(11)}, {"Stå og lave mad", r.IntN(11)}}})
		}
	}
	return h, at(days)
}

// TestAdviseProperties runs the rules on thousands of random histories and
// checks what must hold for every one (docs/rules.md, "Proof").
func TestAdviseProperties(t *testing.T) {
	n := 4000
	if testing.Short() {
		n = 500
	}
	r := rand.New(rand.NewPCG(11, 2026))
	for i := range n {
		h, now := randomHistory(r)
		got := Advise(h, now)
		fail := func(format string, args ...any) {
			t.Helper()
			js, _ := json.Marshal(h)
			t.Fatalf("history %d (now %s): "+format+"\n%s", append([]any{i, now.Format(time.DateOnly)}, append(args, js)...)...)
		}
		wellFormed(t, got)
		if again := Advise(h, now); !cmp.Equal(got, again) {
			fail("two calls differ")
		}
		codes := map[Code]bool{}
		for _, a := range got {
			codes[a.Code] = true
		}
		// No forbidden combination of the table.
		for _, row := range LeavesOut {
			if !codes[row.Code] {
				continue
			}
			for _, c := range row.Out {
				if codes[c] {
					fail("%s together with %s", row.Code, c)
				}
			}
		}
		v := newView(h, now)
		// Never a step up while a measure is meaningfully worse than the
		// baseline or the best period, or with neuro symptoms in the week.
		if codes[ProgressTargetUp] {
			for _, m := range measures {
				if v.assess(m).worse() {
					fail("PROGRESS_TARGET_UP while %s is worse: %+v", m.item(), v.assess(m))
				}
			}
			if d, _ := v.neuro(v.last(stableDays)); len(d) > 0 {
				fail("PROGRESS_TARGET_UP with neuro symptoms in the last 7 days")
			}
			// Never a step up over the clinician's targets.
			if h.Targets.Clinician {
				fail("PROGRESS_TARGET_UP over targets the clinician set")
			}
		}
		// ONBOARDING_NEEDED exactly when the screen or the baseline is missing
		// (unless an urgent red flag leaves everything else out).
		missing := len(v.checks) == 0 || v.base == nil
		if !codes[UrgentRedFlag] && missing != codes[OnboardingNeeded] {
			fail("ONBOARDING_NEEDED %v, onboarding missing %v", codes[OnboardingNeeded], missing)
		}
		// Exactly one target advice while the programme runs with targets.
		if v.started && v.planned > 0 && (v.walkMin > 0 || len(v.reps) > 0) && !codes[UrgentRedFlag] && !codes[OnboardingNeeded] {
			n := 0
			for _, c := range []Code{TargetDown, HoldTarget, ProgressTargetUp} {
				if codes[c] {
					n++
				}
			}
			if n != 1 {
				fail("%d of TARGET_DOWN, HOLD_TARGET, PROGRESS_TARGET_UP", n)
			}
		}
		// The history the generator makes is one Check accepts.
		if ps := Refused(h.Check(Check{Now: now})); len(ps) > 0 {
			fail("the generator made a history Check refuses: %v", ps[0])
		}
		if !slices.IsSortedFunc(got, func(a, b Advice) int { return a.Severity.rank() - b.Severity.rank() }) {
			fail("not sorted by severity")
		}
	}
}
