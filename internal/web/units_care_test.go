package web

import (
	"fmt"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

func TestParseMinSec(t *testing.T) {
	for in, want := range map[string]int{"3:15": 195, "3.15": 195, "3,15": 195, "3": 180, " 30:00 ": 1800, "0:05": 5, "3:5": 230, "12": 720} {
		if got, ok := parseMinSec(in); !ok || got != want {
			t.Errorf("parseMinSec(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "3:60", "3:15:00", "-1", "abc", "123", "3 min", "3:"} {
		if got, ok := parseMinSec(in); ok {
			t.Errorf("parseMinSec(%q) = %d, want an error", in, got)
		}
	}
}

func TestParseNRS(t *testing.T) {
	for _, in := range []string{"0", "10", " 5 "} {
		if _, ok := parseNRS(in); !ok {
			t.Errorf("parseNRS(%q) refused", in)
		}
	}
	for _, in := range []string{"", "11", "-1", "5.5", "x"} {
		if _, ok := parseNRS(in); ok {
			t.Errorf("parseNRS(%q) accepted", in)
		}
	}
}

// TestCheckinDue: the red-flag screen is due on the 7th calendar day (in
// Copenhagen) after the last check-in, across a change to summer time.
func TestCheckinDue(t *testing.T) {
	at := time.Date(2026, 3, 24, 22, 30, 0, 0, copenhagen) // DST starts 29 March
	cs := []store.RedFlagCheckin{{At: at.UTC()}}
	if !checkinDue(nil, at) {
		t.Error("no check-in: not due")
	}
	if checkinDue(cs, time.Date(2026, 3, 30, 23, 59, 0, 0, copenhagen)) {
		t.Error("due on day 6")
	}
	if !checkinDue(cs, time.Date(2026, 3, 31, 0, 0, 0, 0, copenhagen)) {
		t.Error("not due on day 7")
	}
}

// TestSourceDa: a rule's source reads as a person names a source — the
// article by its title and section, a guideline by its name and year —
// never with a file name or a rule id.
func TestSourceDa(t *testing.T) {
	article := "Artiklen »5 bedste øvelser til spinalstenose«, afsnittet »%s«."
	for in, want := range map[string]string{
		"seed: Lændesiddende stilling (docs/sources.md A5)":                    fmt.Sprintf(article, "Lændesiddende stilling"),
		"docs/sources.md Red flags (BMJ Best Practice, cauda equina syndrome)": "Retningslinjen »Cauda equina syndrome« fra BMJ Best Practice.",
		// The page's older name, as the rules wrote it before docs/sources.md.
		"clinical.md Red flags (BMJ Best Practice, cauda equina syndrome)": "Retningslinjen »Cauda equina syndrome« fra BMJ Best Practice.",
		"seed: Kan spinalstenose trænes væk?":                              fmt.Sprintf(article, "Kan spinalstenose trænes væk?"),
		"seed: Gående med pauser (docs/sources.md A5; Meaningful change: the Self-Paced Walking Test)": fmt.Sprintf(article, "Gående med pauser") +
			" Gangtiden måles som i gangtesten »Self-Paced Walking Test« (Tomkins 2009).",
		// A reference the web layer does not know: general words, no file name.
		"docs/sources.md Something new (X 2030)": "Klinikkens faglige grundlag.",
	} {
		if got := sourceDa(in); got != want {
			t.Errorf("sourceDa(%q) =\n%q, want\n%q", in, got, want)
		}
	}
}

// TestQuestionsCoverFlags: the screen asks every red flag the rules know,
// once, with the same cauda equina marking.
func TestQuestionsCoverFlags(t *testing.T) {
	if len(questions) != len(rules.Flags) {
		t.Fatalf("%d questions, %d flags", len(questions), len(rules.Flags))
	}
	for i, f := range rules.Flags {
		if questions[i].Key != f.Key || questions[i].Cauda != f.CaudaEquina {
			t.Errorf("question %d: %+v, flag %+v", i, questions[i], f)
		}
	}
}

// TestBuildHistory: the store's records as the rules read them, days in
// Copenhagen.
func TestBuildHistory(t *testing.T) {
	first := 195
	late := time.Date(2026, 6, 1, 22, 30, 0, 0, time.UTC) // 2 June 00:30 in Copenhagen
	u := &store.User{CreatedAt: late.AddDate(0, 0, -10)}
	h := buildHistory(u,
		[]store.RedFlagCheckin{{At: late, Answers: map[string]bool{"fever": true}, ExaminedAt: late}},
		[]store.Baseline{{At: late, SPWTFirstSymptomsSeconds: &first, SPWTStopSeconds: 390, NRSLeg: 6, NRSBack: 4}},
		[]store.DiaryEntry{{At: late, LegPain: 5, Tingling: true}},
		[]store.TrainingSession{{StartedAt: late, Symptoms: 1, Steps: []store.SessionStep{{Done: true}, {Done: false}}}},
		[]store.Walk{{StartedAt: late, Bouts: []store.Bout{{WalkSeconds: 300, PauseSeconds: 60, FirstSymptomsSeconds: &first}, {WalkSeconds: 120}}}},
	)
	if errs := h.Check(rules.Check{Now: late.In(copenhagen).Add(time.Hour)}); errs != nil {
		t.Fatalf("invalid history: %v", errs)
	}
	day := "2026-06-02"
	if h.ProgrammeStart.String() != day || h.Baseline.Date.String() != day || h.Entries[0].At.String() != day ||
		h.Sessions[0].Date.String() != day || h.Walks[0].Date.String() != day || h.RedFlagChecks[0].Date.String() != day ||
		h.RedFlagChecks[0].ExaminedSince.String() != day {
		t.Errorf("days not in Copenhagen: %+v", h)
	}
	if h.Baseline.SPWT != (rules.SPWT{FirstSymptomsSeconds: 195, StopSeconds: 390}) || h.Targets.WalkMinutes != 3 || h.PlannedPerWeek != plannedPerWeek {
		t.Errorf("baseline %+v targets %+v", h.Baseline, h.Targets)
	}
	if s := h.Sessions[0]; s.CompletedSteps != 1 || s.SkippedSteps != 1 || len(s.Symptoms) != 1 {
		t.Errorf("session %+v", s)
	}
	if w := h.Walks[0]; len(w.Bouts) != 2 || w.Bouts[0].FirstSymptomsSeconds != 195 || w.Bouts[1].FirstSymptomsSeconds != 0 {
		t.Errorf("walk %+v", w)
	}
	// No baseline: the account's day and the default walking target.
	h = buildHistory(u, nil, nil, nil, nil, nil)
	if h.Baseline != nil || h.Targets.WalkMinutes != defaultWalkMinutes || h.ProgrammeStart.String() != "2026-05-23" {
		t.Errorf("without a baseline: %+v", h)
	}
}
