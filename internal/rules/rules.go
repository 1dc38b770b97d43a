// Package rules turns a patient's history into advice: pure functions with
// the clock passed in, no I/O, stable advice codes (docs/design.md,
// "Advice codes"), each citing its source — a sentence of the seed article
// or an entry of docs/sources.md. docs/rules.md lists every rule, its
// windows and thresholds, the combination table and the tests.
//
// The texts are calm, plain Danish and English, never a diagnosis, and each
// says what to do.
package rules

import (
	"slices"
	"sort"
	"strings"
	"time"
)

// Code is an advice's stable name.
type Code string

// The advice codes (docs/design.md, "Advice codes").
const (
	UrgentRedFlag      Code = "URGENT_RED_FLAG"
	OnboardingNeeded   Code = "ONBOARDING_NEEDED"
	StopNeuroSymptoms  Code = "STOP_NEURO_SYMPTOMS"
	AvoidExtension     Code = "AVOID_EXTENSION"
	RestPosition       Code = "REST_POSITION"
	ProgressTargetUp   Code = "PROGRESS_TARGET_UP"
	HoldTarget         Code = "HOLD_TARGET"
	TargetDown         Code = "TARGET_DOWN"
	Status4Weeks       Code = "STATUS_4_WEEKS"
	Status12Weeks      Code = "STATUS_12_WEEKS"
	ReferNoImprovement Code = "REFER_NO_IMPROVEMENT"
	LogWalk            Code = "LOG_WALK"
	AdherenceLow       Code = "ADHERENCE_LOW"
	WorseningContact   Code = "WORSENING_CONTACT"
)

// Codes lists every code, in the order docs/rules.md describes them.
var Codes = []Code{
	UrgentRedFlag, OnboardingNeeded, StopNeuroSymptoms, AvoidExtension, RestPosition,
	ProgressTargetUp, HoldTarget, TargetDown, Status4Weeks, Status12Weeks,
	ReferNoImprovement, LogWalk, AdherenceLow, WorseningContact,
}

// Severity orders advice: urgent first, good last.
type Severity string

// The severities, most pressing first.
const (
	Urgent  Severity = "urgent"
	Warning Severity = "warning"
	Info    Severity = "info"
	Good    Severity = "good"
)

func (s Severity) rank() int {
	switch s {
	case Urgent:
		return 0
	case Warning:
		return 1
	case Info:
		return 2
	}
	return 3
}

// Advice is one piece of advice. Data holds the numbers the rule used (and
// any new target); Items names what the advice is about (red-flag keys,
// symptoms, exercise slugs, measures, a status outcome), when that applies.
type Advice struct {
	Code     Code               `json:"code"`
	Severity Severity           `json:"severity"`
	Source   string             `json:"source"`
	Items    []string           `json:"items,omitempty"`
	Data     map[string]float64 `json:"data"`
	// Says is what the advice says, as phrases of the catalogue; Text
	// puts it into words.
	Says []Phrase `json:"-"`
}

// The sources the advice cites: a section of the seed article, or an entry
// of docs/sources.md.
const (
	srcSeedTraining = "seed: Hvad skal man være opmærksom på under træning med spinalstenose"
	srcCauda        = "docs/sources.md Red flags (BMJ Best Practice, cauda equina syndrome)"
	srcOtherFlags   = "docs/sources.md Red flags (AHCPR acute low back problems, NCBI Bookshelf NBK52120)"
	srcOnboarding   = "docs/sources.md Red flags; Meaningful change (a baseline to compare with)"
	srcStopNeuro    = srcSeedTraining + " (docs/sources.md A3)"
	srcExtension    = srcSeedTraining + " (docs/sources.md A2)"
	srcRest         = "seed: Lændesiddende stilling (docs/sources.md A5)"
	srcProgress     = srcSeedTraining + " (docs/sources.md A4)"
	srcDown         = srcSeedTraining + " (docs/sources.md A3, A4)"
	srcStatus       = "docs/sources.md Review points and referral (status consultations at 4 and 12 weeks); Meaningful change"
	srcRefer        = "seed: Hvad hvis træning ikke hjælper på spinalstenose? (docs/sources.md A6; Review points and referral; Meaningful change)"
	srcLogWalk      = "seed: Gående med pauser (docs/sources.md A5; Meaningful change: the Self-Paced Walking Test)"
	srcAdherence    = "seed: Kan spinalstenose trænes væk? (docs/sources.md Review points and referral: regular training is at least two-thirds of the planned sessions)"
	srcWorsening    = "docs/sources.md Meaningful change (2 NRS points or 30 %, 30 % walking time, 2 PSFS points) and A7"
)

// The clinic's conservative defaults (docs/rules.md, "Thresholds"). A day
// window "the last N days" is today and the N−1 days before it.
const (
	neuroRecentDays  = 3  // STOP_NEURO_SYMPTOMS: a report today or the 2 days before
	restLegPain      = 5  // REST_POSITION: leg pain at or above this in the last 3 days
	extensionDays    = 28 // AVOID_EXTENSION: an extension exercise in the last 28 days
	redFlagNewDays   = 14 // cauda equina signs count for 14 days ("new, under about two weeks")
	stableDays       = 7  // a stable week
	minStableEntries = 2  // diary entries needed to call a week stable
	downNeuroDays    = 2  // TARGET_DOWN: neuro symptoms on this many of the last 7 days at the current targets
	walkStepPercent  = 10 // walking target steps: 10 %, at least 1 minute
	walkCapMinutes   = 30 // the rules do not raise the walking target beyond 30 minutes
	repsCap          = 15 // nor a repetition target beyond 15
	minReachingWalks = 2  // walks reaching the target before it rises
	status4First     = 28 // STATUS_4_WEEKS: days 28–34 after the programme start
	status12First    = 84 // STATUS_12_WEEKS: days 84–90
	statusDays       = 7  // a status window is a week
	referDay         = 84 // REFER_NO_IMPROVEMENT: from day 84 (12 weeks)
	logWalkDay       = 28 // LOG_WALK: from the first status consultation on
	weekDays         = 7  // a programme week: days 7k … 7k+6
)

// Advise returns the advice for h on the day of now (its date in its own
// location), sorted by severity and then code; never nil. Anything dated
// after that day is ignored, as is every value Check would refuse. Each
// rule gives its advice on its own; combine then leaves out what the
// combination table forbids.
func Advise(h History, now time.Time) []Advice {
	v := newView(h, now)
	var raw []*Advice
	for _, rule := range []func() *Advice{
		v.redFlag, v.onboarding, v.stopNeuro, v.restPosition, v.avoidExtension,
		v.worsening, v.progression, v.status4Weeks, v.status12Weeks, v.refer,
		v.logWalk, v.adherence,
	} {
		if a := rule(); a != nil {
			if a.Data == nil {
				a.Data = map[string]float64{}
			}
			raw = append(raw, a)
		}
	}
	out := combine(raw)
	sortAdvice(out)
	return out
}

// Shown is the order advice of the same severity is shown in: the order a
// physiotherapist would raise it — what to stop or whom to call first,
// then what to book, then how to train (docs/rules.md, "The advice codes").
var Shown = []Code{
	UrgentRedFlag, StopNeuroSymptoms, WorseningContact, TargetDown, AvoidExtension,
	OnboardingNeeded, ReferNoImprovement, Status12Weeks, Status4Weeks,
	RestPosition, AdherenceLow, LogWalk, HoldTarget, ProgressTargetUp,
}

func sortAdvice(a []Advice) {
	sort.SliceStable(a, func(i, j int) bool {
		if ri, rj := a[i].Severity.rank(), a[j].Severity.rank(); ri != rj {
			return ri < rj
		}
		return slices.Index(Shown, a[i].Code) < slices.Index(Shown, a[j].Code)
	})
}

// view is a History reduced to what the rules use: valid values only, days
// as numbers, nothing after today.
type view struct {
	today    int64
	start    int64
	started  bool  // the programme start is valid and not after today
	dayIdx   int64 // today − start: 0 on the first day
	planned  int   // sessions per week; 0 when invalid
	base     *Baseline
	entries  []entry
	sessions []session
	walks    []walk
	checks   []check
	psfs     []psfsScore
	series   [5][]point     // the data points of each measure (measures.go)
	walkMin  int            // the walking target; 0 when none
	reps     map[string]int // the repetition targets
	since    int64          // the day the targets were set
	byClinic bool           // the patient's clinician set the targets: no step up
}

type entry struct {
	day           int64
	leg, back     int
	legOK, backOK bool
	neuro         []string
}

type session struct {
	day       int64
	done      bool
	neuro     []string
	extension []string
}

type walk struct {
	day     int64
	first   float64 // seconds to first symptoms in the first bout (its length when none)
	stop    float64 // seconds walked in the first bout: the time to stop
	firstOK bool
	total   int // seconds walked, pauses not counted
}

type check struct {
	day      int64
	yes      []Flag
	no       map[string]bool // flags answered no
	examined int64
	exOK     bool
}

type psfsScore struct {
	day  int64
	mean float64
}

func newView(h History, now time.Time) *view {
	v := &view{today: DayOf(now).n, reps: map[string]int{}}
	if h.ProgrammeStart.ok && h.ProgrammeStart.n <= v.today {
		v.start, v.started, v.dayIdx = h.ProgrammeStart.n, true, v.today-h.ProgrammeStart.n
	}
	if h.PlannedPerWeek >= 1 && h.PlannedPerWeek <= maxPlannedPerWeek {
		v.planned = h.PlannedPerWeek
	}
	if baselineOK(h.Baseline) && h.Baseline.Date.n <= v.today {
		b := *h.Baseline
		v.base = &b
	}
	seen := func(d Day) bool { return d.ok && d.n <= v.today }
	for _, e := range h.Entries {
		if !seen(e.At) {
			continue
		}
		x := entry{day: e.At.n, leg: e.LegPain, back: e.BackPain, legOK: nrsOK(e.LegPain), backOK: nrsOK(e.BackPain)}
		for i, on := range []bool{e.Tingling, e.Burning, e.Weakness} {
			if on {
				x.neuro = append(x.neuro, symptomNames[i])
			}
		}
		v.entries = append(v.entries, x)
	}
	for _, s := range h.Sessions {
		if !seen(s.Date) {
			continue
		}
		x := session{day: s.Date.n, done: s.CompletedSteps >= 1 && s.CompletedSteps <= maxSteps}
		for _, sym := range symptomNames {
			if contains(s.Symptoms, sym) {
				x.neuro = append(x.neuro, sym)
			}
		}
		for _, e := range s.Exercises {
			if e.Posture == "extension" && strings.TrimSpace(e.Slug) != "" {
				x.extension = append(x.extension, e.Slug)
			}
		}
		v.sessions = append(v.sessions, x)
	}
	for _, w := range h.Walks {
		if !seen(w.Date) || len(w.Bouts) == 0 {
			continue
		}
		x := walk{day: w.Date.n}
		if b := w.Bouts[0]; boutOK(b) {
			x.firstOK, x.first, x.stop = true, float64(b.WalkSeconds), float64(b.WalkSeconds)
			if b.FirstSymptomsSeconds > 0 {
				x.first = float64(b.FirstSymptomsSeconds)
			}
		}
		for _, b := range w.Bouts {
			if boutOK(b) {
				x.total += b.WalkSeconds
			}
		}
		v.walks = append(v.walks, x)
	}
	for _, c := range h.RedFlagChecks {
		if !seen(c.Date) {
			continue
		}
		x := check{day: c.Date.n, examined: c.ExaminedSince.n, exOK: seen(c.ExaminedSince)}
		x.no = map[string]bool{}
		for _, f := range allFlags { // unknown keys are ignored, known ones always count
			yes, answered := c.Answers[f.Key]
			if yes {
				x.yes = append(x.yes, f)
			} else if answered {
				x.no[f.Key] = true
			}
		}
		v.checks = append(v.checks, x)
	}
	for _, p := range h.PSFS {
		if !seen(p.Date) || !psfsOK(p) {
			continue
		}
		sum := 0
		for _, a := range p.Activities {
			sum += a.Score
		}
		v.psfs = append(v.psfs, psfsScore{day: p.Date.n, mean: float64(sum) / float64(len(p.Activities))})
	}
	t := h.Targets
	if t.WalkMinutes >= 1 && t.WalkMinutes <= maxWalkMinutes {
		v.walkMin = t.WalkMinutes
	}
	for k, r := range t.Reps {
		if strings.TrimSpace(k) != "" && r >= 1 && r <= maxRepsTarget {
			v.reps[k] = r
		}
	}
	v.byClinic = t.Clinician
	v.since = v.start
	if t.Since.ok && t.Since.n > v.start {
		v.since = min(t.Since.n, v.today) // targets set after today: as if set today
	}
	v.buildSeries()
	return v
}

// last is the window of the last n days: [today−n+1, today].
func (v *view) last(n int) (from, to int64) { return v.today - int64(n) + 1, v.today }

func in(d, from, to int64) bool { return d >= from && d <= to }

func (v *view) sessionsDone(from, to int64) int {
	n := 0
	for _, s := range v.sessions {
		if s.done && in(s.day, from, to) {
			n++
		}
	}
	return n
}

// neuro returns the days in [from, to] with tingling, burning or weakness
// reported (diary or session), and which of the three.
func (v *view) neuro(from, to int64) (days map[int64]bool, which []string) {
	days = map[int64]bool{}
	set := map[string]bool{}
	note := func(d int64, syms []string) {
		if len(syms) > 0 && in(d, from, to) {
			days[d] = true
			for _, s := range syms {
				set[s] = true
			}
		}
	}
	for _, e := range v.entries {
		note(e.day, e.neuro)
	}
	for _, s := range v.sessions {
		note(s.day, s.neuro)
	}
	for _, s := range symptomNames {
		if set[s] {
			which = append(which, s)
		}
	}
	return days, which
}

// onboarding: ONBOARDING_NEEDED.
//
// Source: docs/sources.md "Red flags" (the screen comes before training)
// and "Meaningful change" (improvement and worsening are judged against a
// baseline). Fires when the history has no red-flag check-in or no valid
// baseline dated today or before; items name what is missing.
func (v *view) onboarding() *Advice {
	var items []string
	var missing []Phrase
	if len(v.checks) == 0 {
		items = append(items, "red_flags")
	}
	if v.base == nil {
		items = append(items, "baseline")
	}
	if len(items) == 0 {
		return nil
	}
	for _, it := range items {
		missing = append(missing, say("missing_"+it))
	}
	return &Advice{
		Code: OnboardingNeeded, Severity: Info, Source: srcOnboarding, Items: items,
		Says: []Phrase{say("ONBOARDING_NEEDED", missing)},
	}
}
