// Package rules turns a patient's history into advice: pure functions with
// the clock passed in, no I/O, stable advice codes (design.md, "Advice
// codes"), each citing its source — a sentence of the seed article or an
// entry of clinical.md. docs/rules.md lists every rule, its thresholds and
// its test.
//
// The texts are calm, plain Danish and English, never a diagnosis, and each
// says what to do.
package rules

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Code is an advice's stable name.
type Code string

// The advice codes (design.md, "Advice codes").
const (
	UrgentRedFlag      Code = "URGENT_RED_FLAG"
	StopNeuroSymptoms  Code = "STOP_NEURO_SYMPTOMS"
	AvoidExtension     Code = "AVOID_EXTENSION"
	RestPosition       Code = "REST_POSITION"
	ProgressTargetUp   Code = "PROGRESS_TARGET_UP"
	HoldTarget         Code = "HOLD_TARGET"
	TargetDown         Code = "TARGET_DOWN"
	Status4Weeks       Code = "STATUS_4_WEEKS"
	ReferNoImprovement Code = "REFER_NO_IMPROVEMENT"
	AdherenceLow       Code = "ADHERENCE_LOW"
	WorseningContact   Code = "WORSENING_CONTACT"
)

// Codes lists every code, in the order docs/rules.md describes them.
var Codes = []Code{
	UrgentRedFlag, StopNeuroSymptoms, AvoidExtension, RestPosition,
	ProgressTargetUp, HoldTarget, TargetDown, Status4Weeks,
	ReferNoImprovement, AdherenceLow, WorseningContact,
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
// symptoms, exercise slugs), when that applies.
type Advice struct {
	Code     Code               `json:"code"`
	Severity Severity           `json:"severity"`
	Source   string             `json:"source"`
	TextDa   string             `json:"text_da"`
	TextEn   string             `json:"text_en"`
	Items    []string           `json:"items,omitempty"`
	Data     map[string]float64 `json:"data"`
}

// The sources the advice cites.
const (
	srcSeedTraining = "seed: Hvad skal man være opmærksom på under træning med spinalstenose"
	srcCauda        = "clinical.md Red flags (BMJ Best Practice, cauda equina syndrome)"
	srcOtherFlags   = "clinical.md Red flags (AHCPR acute low back problems, NCBI Bookshelf NBK52120)"
	srcStopNeuro    = srcSeedTraining + " (clinical.md A3)"
	srcExtension    = srcSeedTraining + " (clinical.md A2)"
	srcRest         = "seed: Lændesiddende stilling (clinical.md A5)"
	srcProgress     = srcSeedTraining + " (clinical.md A4)"
	srcDown         = srcSeedTraining + " (clinical.md A3, A4)"
	srcStatus       = "clinical.md Review points and referral (status consultations at 4 and 12 weeks)"
	srcRefer        = "seed: Hvad hvis træning ikke hjælper på spinalstenose? (clinical.md A6; Review points and referral; Meaningful change)"
	srcAdherence    = "seed: Kan spinalstenose trænes væk? (clinical.md Review points and referral: regular training is at least two-thirds of the planned sessions)"
	srcWorsening    = "clinical.md Meaningful change (2 NRS points, 30 % walking time) and A7"
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
	painUpPoints     = 2  // leg pain up this much in a week is not stable
	downNeuroDays    = 2  // TARGET_DOWN: neuro symptoms on this many of the last 7 days at the current targets
	walkStepPercent  = 10 // walking target steps: 10 %, at least 1 minute
	walkCapMinutes   = 30 // the rules do not raise the walking target beyond 30 minutes
	repsCap          = 15 // nor a repetition target beyond 15
	minReachingWalks = 2  // walks reaching the target before it rises
	statusFirstDay   = 28 // STATUS_4_WEEKS: days 28–34 after the programme start
	statusLastDay    = 34
	referDay         = 84 // REFER_NO_IMPROVEMENT: from day 84 (12 weeks)
	referWeeks       = 12
	improvePoints    = 2  // meaningful change: 2 NRS points …
	improvePercent   = 30 // … or 30 % walking time to first symptoms
	nowDays          = 14 // "now" in a comparison: the last 14 days
	minNowEntries    = 3  // diary entries needed for an NRS "now"
	minNowWalks      = 2  // walks needed for a walking "now"
	adherenceDays    = 14 // ADHERENCE_LOW: the last 14 days …
	worseMinEntries  = 4  // WORSENING_CONTACT: entries needed in each 14-day window
)

// Advise returns the advice for h on the day of now (its date in its own
// location), sorted by severity and then code; never nil. Anything dated
// after that day is ignored, as is every value Validate would reject.
func Advise(h History, now time.Time) []Advice {
	v := newView(h, now)
	out := []Advice{}
	add := func(a *Advice) {
		if a != nil {
			if a.Data == nil {
				a.Data = map[string]float64{}
			}
			out = append(out, *a)
		}
	}
	stop := v.stopNeuro()
	if urgent := v.redFlag(); urgent != nil {
		// Nothing that encourages training goes with an urgent red flag.
		add(urgent)
		add(stop)
		sortAdvice(out)
		return out
	}
	add(stop)
	add(v.restPosition(stop != nil))
	add(v.avoidExtension())
	worse := v.worsening()
	add(worse)
	prog := v.progression(worse != nil)
	add(prog)
	add(v.status4Weeks())
	add(v.refer())
	if stop == nil && (prog == nil || prog.Code != TargetDown) {
		add(v.adherence())
	}
	sortAdvice(out)
	return out
}

func sortAdvice(a []Advice) {
	sort.SliceStable(a, func(i, j int) bool {
		if ri, rj := a[i].Severity.rank(), a[j].Severity.rank(); ri != rj {
			return ri < rj
		}
		return a[i].Code < a[j].Code
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
	walkMin  int            // the walking target; 0 when none
	reps     map[string]int // the repetition targets
	since    int64          // the day the targets were set
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
			x.firstOK, x.first = true, float64(b.WalkSeconds)
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
		for _, f := range Flags { // unknown keys are ignored, known ones always count
			yes, answered := c.Answers[f.Key]
			if yes {
				x.yes = append(x.yes, f)
			} else if answered {
				x.no[f.Key] = true
			}
		}
		v.checks = append(v.checks, x)
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
	v.since = v.start
	if t.Since.ok && t.Since.n > v.start {
		v.since = min(t.Since.n, v.today) // targets set after today: as if set today
	}
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

// pain returns the mean leg (or back) NRS in [from, to] and how many
// entries it is based on.
func (v *view) pain(back bool, from, to int64) (mean float64, n int) {
	sum := 0
	for _, e := range v.entries {
		if !in(e.day, from, to) {
			continue
		}
		if back && e.backOK {
			sum += e.back
			n++
		} else if !back && e.legOK {
			sum += e.leg
			n++
		}
	}
	if n == 0 {
		return 0, 0
	}
	return float64(sum) / float64(n), n
}

// walking returns the median time to first symptoms of the walks in
// [from, to] and how many walks it is based on.
func (v *view) walking(from, to int64) (median float64, n int) {
	var xs []float64
	for _, w := range v.walks {
		if w.firstOK && in(w.day, from, to) {
			xs = append(xs, w.first)
		}
	}
	if len(xs) == 0 {
		return 0, 0
	}
	sort.Float64s(xs)
	m := len(xs) / 2
	if len(xs)%2 == 1 {
		return xs[m], len(xs)
	}
	return (xs[m-1] + xs[m]) / 2, len(xs)
}

// redFlag: URGENT_RED_FLAG.
//
// Source: clinical.md "Red flags". Cauda equina syndrome (BMJ Best
// Practice): new or worsening bladder or bowel disturbance, saddle
// numbness, weakness in both legs or sexual dysfunction → a doctor at once
// (112, own GP or lægevagten). Other flags (AHCPR table, NCBI Bookshelf
// NBK52120: trauma, cancer, fever, weight loss, immunosuppression, IV drug
// use, night pain, progressive weakness) → a doctor before training.
//
// The latest check-in's answers count until a newer check-in; a cauda
// equina sign answered yes in any check-in of the last 14 days counts too.
// A yes is cleared by examinedSince: for a cauda equina sign only an
// examination on or after that check-in's day; for the other flags any
// confirmed examination, unless the flag is new since it (a check-in after
// the examination answered it no).
func (v *view) redFlag() *Advice {
	if len(v.checks) == 0 {
		return nil
	}
	latest := 0
	for i, c := range v.checks {
		if c.day >= v.checks[latest].day {
			latest = i
		}
	}
	from, _ := v.last(redFlagNewDays)
	found := map[string]bool{}
	cauda := false
	newest := int64(math.MinInt64)
	for i, c := range v.checks {
		for _, f := range c.yes {
			count := (i == latest || (f.CaudaEquina && c.day >= from)) && !v.cleared(c, f)
			if count {
				found[f.Key] = true
				cauda = cauda || f.CaudaEquina
				newest = max(newest, c.day)
			}
		}
	}
	if len(found) == 0 {
		return nil
	}
	var items, da, en []string
	for _, f := range Flags {
		if found[f.Key] {
			items = append(items, f.Key)
			da, en = append(da, f.Da), append(en, f.En)
		}
	}
	a := &Advice{
		Code: UrgentRedFlag, Severity: Urgent, Items: items,
		Data: map[string]float64{"daysSinceCheckIn": float64(v.today - newest)},
	}
	if cauda {
		a.Source = srcCauda
		a.TextDa = "Du har svaret ja til: " + strings.Join(da, "; ") + ". Det skal en læge se på med det samme. " +
			"Stop træningen, og søg læge nu: ring 112, hvis det haster, ellers til din egen læge eller lægevagten. Fortæl, hvad du har svaret."
		a.TextEn = "You answered yes to: " + strings.Join(en, "; ") + ". A doctor needs to see this straight away. " +
			"Stop training and get medical help now: call 112 if it is an emergency, otherwise your own GP or the out-of-hours doctor (lægevagten). Tell them what you answered."
		return a
	}
	a.Source = srcOtherFlags
	a.TextDa = "Du har svaret ja til: " + strings.Join(da, "; ") + ". Hold pause med træningen, og tal med din læge, før du fortsætter – fortæl, hvad du har svaret. " +
		"Når en læge har undersøgt dig, kan du skrive det i dit næste tjek."
	a.TextEn = "You answered yes to: " + strings.Join(en, "; ") + ". Pause your training and talk to your doctor before you go on, and tell them what you answered. " +
		"Once a doctor has examined you, you can note that in your next check-in."
	return a
}

// cleared reports whether c's examinedSince clears its yes to f: for a
// cauda equina sign an examination on or after c's day; for another flag
// any examination, unless a check-in after the examination (and before c)
// answered f no — then f is new since the examination.
func (v *view) cleared(c check, f Flag) bool {
	if !c.exOK {
		return false
	}
	if f.CaudaEquina {
		return c.examined >= c.day
	}
	for _, k := range v.checks {
		if k.day > c.examined && k.day < c.day && k.no[f.Key] {
			return false
		}
	}
	return true
}

// stopNeuro: STOP_NEURO_SYMPTOMS.
//
// Source: the seed, "Hvad skal man være opmærksom på under træning med
// spinalstenose": "stoppe eller justere træningen, hvis der opstår
// snurren, brændende fornemmelse eller svaghed i benene" (clinical.md A3).
// Fires on a report (diary or session) today or on the 2 days before.
func (v *view) stopNeuro() *Advice {
	from, to := v.last(neuroRecentDays)
	days, which := v.neuro(from, to)
	if len(days) == 0 {
		return nil
	}
	lastDay := from
	for d := range days {
		lastDay = max(lastDay, d)
	}
	ago := v.today - lastDay
	whenDa := [...]string{"i dag", "i går", "i forgårs"}[ago]
	whenEn := [...]string{"today", "yesterday", "two days ago"}[ago]
	da, en := symptomsDa(which), listEn(which)
	return &Advice{
		Code: StopNeuroSymptoms, Severity: Warning, Source: srcStopNeuro, Items: which,
		Data: map[string]float64{"daysAgo": float64(ago), "daysWithSymptoms": float64(len(days))},
		TextDa: "Du har meldt " + da + " i benene " + whenDa + ". Stop den øvelse, der gav symptomerne, og hvil i lændesiddende stilling, til de aftager. " +
			"Næste gang: gør øvelsen mindre – kortere tid, færre gentagelser eller mindre bevægelse. " +
			"Kontakt din behandler, hvis symptomerne ikke aftager eller bliver ved med at komme igen.",
		TextEn: "You reported " + en + " in your legs " + whenEn + ". Stop the exercise that brought it on, and rest in the forward-leaning sitting position until it eases. " +
			"Next time, do less: a shorter time, fewer repetitions or a smaller movement. " +
			"Contact your clinician if the symptoms do not ease or keep coming back.",
	}
}

// restPosition: REST_POSITION.
//
// Source: the seed, "Lændesiddende stilling": "Denne stilling bruges ofte
// af personer med spinalstenose til at få en pause og lindre symptomer i
// benene. Den kan bruges både som øvelse og som symptomlindring i
// hverdagen"; and "Gående med pauser": "læne sig forover under pauserne"
// (clinical.md A5). Fires with STOP_NEURO_SYMPTOMS, or on leg pain ≥ 5 in
// a diary entry of the last 3 days.
func (v *view) restPosition(neuro bool) *Advice {
	from, to := v.last(neuroRecentDays)
	maxLeg := -1
	for _, e := range v.entries {
		if e.legOK && in(e.day, from, to) {
			maxLeg = max(maxLeg, e.leg)
		}
	}
	if !neuro && maxLeg < restLegPain {
		return nil
	}
	data := map[string]float64{}
	if maxLeg >= 0 {
		data["legPainMax3Days"] = float64(maxLeg)
	}
	return &Advice{
		Code: RestPosition, Severity: Info, Source: srcRest, Data: data,
		TextDa: "Når benene gør ondt eller snurrer, så sæt dig i lændesiddende stilling: sid foroverbøjet med albuerne hvilende på knæene, og træk vejret roligt, til det letter. " +
			"På gåture kan du læne dig forover i pauserne, fx over en indkøbsvogn.",
		TextEn: "When your legs ache or tingle, sit in the forward-leaning rest position: lean forward with your elbows resting on your knees, and breathe calmly until it eases. " +
			"On walks, lean forward during the pauses, for example over a shopping trolley.",
	}
}

// avoidExtension: AVOID_EXTENSION.
//
// Source: the seed, "Hvad skal man være opmærksom på under træning med
// spinalstenose": "Det er vigtigt at undgå øvelser, hvor ryggen bøjes
// bagover" (clinical.md A2). Fires when a session of the last 28 days
// contains an exercise of posture class extension. (The content check
// already keeps extension exercises out of LSS programmes; this catches a
// session from elsewhere, e.g. a programme for another condition.)
func (v *view) avoidExtension() *Advice {
	from, to := v.last(extensionDays)
	set := map[string]bool{}
	n := 0
	for _, s := range v.sessions {
		if in(s.day, from, to) && len(s.extension) > 0 {
			n++
			for _, x := range s.extension {
				set[x] = true
			}
		}
	}
	if n == 0 {
		return nil
	}
	items := sortedKeys(set)
	return &Advice{
		Code: AvoidExtension, Severity: Warning, Source: srcExtension, Items: items,
		Data: map[string]float64{"sessions": float64(n)},
		TextDa: "Din træning har haft en øvelse, hvor ryggen bøjes bagover (" + strings.Join(items, ", ") + "). " +
			"Ved spinalstenose er det vigtigt at undgå øvelser, hvor ryggen bøjes bagover. Spring øvelsen over, og spørg din behandler om en øvelse i let foroverbøjet stilling i stedet.",
		TextEn: "Your training has included an exercise that bends the back backwards (" + strings.Join(items, ", ") + "). " +
			"With spinal stenosis it is important to avoid exercises that bend the back backwards. Skip it, and ask your clinician for an exercise in a slightly forward-bent position instead.",
	}
}

// progression: PROGRESS_TARGET_UP, HOLD_TARGET or TARGET_DOWN — exactly one
// while the programme runs and has targets.
//
// Source: the seed, "Hvad skal man være opmærksom på under træning med
// spinalstenose": "Træningsmængden skal øges gradvist" (clinical.md A4:
// small steps, only when symptoms are stable) and "stoppe eller justere
// træningen, hvis der opstår snurren, brændende fornemmelse eller svaghed i
// benene" (A3) for the step down.
//
// Down: neuro symptoms on ≥ 2 of the last 7 days, counting only days on or
// after the day the current targets were set (targets.since), so that the
// days that brought a step down do not bring another. Up: a stable week at the
// current targets — targets ≥ 7 days old, ≥ plannedPerWeek sessions done in
// the last 7 days, no neuro symptoms, ≥ 2 diary entries, mean leg pain not
// ≥ 2 points above the week before (or the baseline), no WORSENING_CONTACT.
// The walking target rises 10 % (at least 1 minute, at most to 30) when ≥ 2
// walks of the week reached it; each repetition target by 1 (at most to 15).
// Otherwise hold.
func (v *view) progression(worse bool) *Advice {
	if !v.started || v.planned == 0 || (v.walkMin == 0 && len(v.reps) == 0) {
		return nil
	}
	from, to := v.last(stableDays)
	neuroDays, _ := v.neuro(from, to)
	downDays, _ := v.neuro(max(from, v.since), to)
	done := v.sessionsDone(from, to)
	legNow, nLeg := v.pain(false, from, to)
	legBefore, nBefore := v.pain(false, from-stableDays, from-1)
	if nBefore == 0 && v.base != nil {
		legBefore, nBefore = float64(v.base.LegPain), 1
	}
	legUp := nLeg > 0 && nBefore > 0 && legNow-legBefore >= painUpPoints
	atTarget := v.today - v.since
	reaching := 0
	for _, w := range v.walks {
		if in(w.day, from, to) && v.walkMin > 0 && w.total >= v.walkMin*60 {
			reaching++
		}
	}
	data := map[string]float64{
		"sessionsLast7Days":     float64(done),
		"plannedPerWeek":        float64(v.planned),
		"neuroDaysLast7Days":    float64(len(neuroDays)),
		"neuroDaysAtTargets":    float64(len(downDays)),
		"diaryEntriesLast7Days": float64(nLeg),
		"daysAtTargets":         float64(atTarget),
	}
	if v.walkMin > 0 {
		data["walkMinutes"] = float64(v.walkMin)
		data["walksReachingTargetLast7Days"] = float64(reaching)
	}

	if len(downDays) >= downNeuroDays {
		a := &Advice{Code: TargetDown, Severity: Warning, Source: srcDown, Data: data}
		var da, en []string
		if v.walkMin > 1 {
			nw := max(1, v.walkMin-walkStep(v.walkMin))
			data["walkMinutes.from"], data["walkMinutes.to"] = float64(v.walkMin), float64(nw)
			da = append(da, "gå "+strconv.Itoa(nw)+" minutter pr. tur (før "+strconv.Itoa(v.walkMin)+")")
			en = append(en, "walk "+strconv.Itoa(nw)+" minutes per walk (was "+strconv.Itoa(v.walkMin)+")")
		}
		if repsChange(v.reps, -1, data) {
			da = append(da, "tag én gentagelse mindre i øvelserne med gentagelser")
			en = append(en, "do one repetition fewer in the exercises with repetitions")
		}
		n := strconv.Itoa(len(downDays))
		a.TextDa = "Du har haft snurren, brændende fornemmelse eller svaghed i benene på " + n + " af de sidste 7 dage. "
		a.TextEn = "You have had tingling, burning or weakness in your legs on " + n + " of the last 7 days. "
		if len(da) > 0 {
			a.TextDa += "Skru lidt ned: " + listDa(da) + ". "
			a.TextEn += "Step down a little: " + listEn(en) + ". "
		} else {
			a.TextDa += "Skru ned for træningen: kortere ture og færre gentagelser, til symptomerne aftager. "
			a.TextEn += "Step your training down: shorter walks and fewer repetitions, until the symptoms ease. "
		}
		a.TextDa += "Kontakt din behandler, hvis symptomerne ikke aftager i løbet af en uge."
		a.TextEn += "Contact your clinician if the symptoms do not ease within a week."
		return a
	}

	var whyDa, whyEn string
	switch {
	case worse:
		whyDa, whyEn = "dine symptomer er blevet værre de sidste 2 uger", "your symptoms have got worse over the last 2 weeks"
	case len(neuroDays) > 0:
		whyDa, whyEn = "du har haft snurren, brændende fornemmelse eller svaghed i benene den sidste uge", "you have had tingling, burning or weakness in your legs in the last week"
	case atTarget < stableDays: // atTarget is 0–6 here
		whyDa = "du har haft dine nuværende mål i " + count(int(atTarget), "dag", "dage") + ", og en stabil uge tager 7"
		whyEn = "you have had your current targets for " + count(int(atTarget), "day", "days") + ", and a stable week takes 7"
	case done < v.planned:
		whyDa = "du har gennemført " + strconv.Itoa(done) + " af " + strconv.Itoa(v.planned) + " planlagte træninger den sidste uge"
		whyEn = "you have done " + strconv.Itoa(done) + " of " + strconv.Itoa(v.planned) + " planned sessions in the last week"
	case nLeg < minStableEntries:
		whyDa = "der er " + count(nLeg, "notat", "notater") + " i din dagbog den sidste uge, og der skal mindst 2 til at se, om det går stabilt"
		whyEn = "your diary has " + count(nLeg, "entry", "entries") + " in the last week, and it takes at least 2 to see that things are stable"
	case legUp:
		whyDa, whyEn = "smerterne i benene er steget den sidste uge", "the pain in your legs has gone up in the last week"
	}
	if whyDa == "" {
		var da, en []string
		if v.walkMin > 0 && v.walkMin < walkCapMinutes && reaching >= minReachingWalks {
			nw := min(walkCapMinutes, v.walkMin+walkStep(v.walkMin))
			data["walkMinutes.from"], data["walkMinutes.to"] = float64(v.walkMin), float64(nw)
			da = append(da, "gå "+strconv.Itoa(nw)+" minutter pr. tur (før "+strconv.Itoa(v.walkMin)+")")
			en = append(en, "walk "+strconv.Itoa(nw)+" minutes per walk (was "+strconv.Itoa(v.walkMin)+")")
		}
		if repsChange(v.reps, +1, data) {
			da = append(da, "tag én gentagelse mere i øvelserne med gentagelser")
			en = append(en, "do one more repetition in the exercises with repetitions")
		}
		if len(da) > 0 {
			return &Advice{
				Code: ProgressTargetUp, Severity: Good, Source: srcProgress, Data: data,
				TextDa: "Godt gået: en stabil uge med alle planlagte træninger og uden snurren, brændende fornemmelse eller svaghed i benene. Øg nu lidt: " + listDa(da) + ". " +
					"Bliv på det nye niveau mindst en uge, og gå tilbage til det gamle, hvis symptomerne tager til.",
				TextEn: "Well done: a stable week with every planned session and no tingling, burning or weakness in your legs. Now increase a little: " + listEn(en) + ". " +
					"Stay at the new level for at least a week, and go back to the old one if your symptoms increase.",
			}
		}
		if v.walkMin > 0 && v.walkMin < walkCapMinutes {
			whyDa = "du har nået dit gåmål på " + count(reaching, "gåtur", "gåture") + " den sidste uge, og der skal 2 til"
			whyEn = "you reached your walking target on " + count(reaching, "walk", "walks") + " in the last week, and it takes 2"
		} else {
			whyDa = "du er nået til de mål, programmet selv øger til – tal med din behandler om, hvordan du kommer videre"
			whyEn = "you have reached the targets the programme raises on its own – talk to your clinician about the next step"
		}
	}
	return &Advice{
		Code: HoldTarget, Severity: Info, Source: srcProgress, Data: data,
		TextDa: "Behold dine nuværende mål denne uge, fordi " + whyDa + ". " +
			"Målene øges efter en stabil uge: alle planlagte træninger, ingen snurren, brændende fornemmelse eller svaghed i benene og ikke mere smerte i benene.",
		TextEn: "Keep your current targets this week, because " + whyEn + ". " +
			"They go up after a stable week: every planned session, no tingling, burning or weakness in your legs, and no more leg pain.",
	}
}

// walkStep is 10 % of the walking target, rounded, at least 1 minute.
func walkStep(m int) int { return max(1, (m*walkStepPercent+50)/100) }

// repsChange moves every repetition target by delta within 1–15 (a target
// the clinician set above 15 is not raised), records the changes in data
// and reports whether any changed.
func repsChange(reps map[string]int, delta int, data map[string]float64) bool {
	changed := false
	for _, k := range sortedKeys(reps) {
		r := reps[k]
		n := r + delta
		if n < 1 || n > repsCap {
			continue
		}
		data["reps."+k+".from"], data["reps."+k+".to"] = float64(r), float64(n)
		changed = true
	}
	return changed
}

// status4Weeks: STATUS_4_WEEKS.
//
// Source: clinical.md "Review points and referral": the Danish
// chiropractors' LSS care package holds status consultations at 4 and 12
// weeks. Fires on days 28–34 after the programme start (day 0).
func (v *view) status4Weeks() *Advice {
	if !v.started || v.dayIdx < statusFirstDay || v.dayIdx > statusLastDay {
		return nil
	}
	done := v.sessionsDone(v.start, v.start+statusFirstDay-1)
	a := &Advice{
		Code: Status4Weeks, Severity: Info, Source: srcStatus,
		Data: map[string]float64{"day": float64(v.dayIdx), "sessionsDone4Weeks": float64(done)},
	}
	count := strconv.Itoa(done) + " træninger"
	countEn := strconv.Itoa(done) + " sessions"
	if v.planned > 0 {
		planned := v.planned * 4
		a.Data["sessionsPlanned4Weeks"] = float64(planned)
		count = strconv.Itoa(done) + " af " + strconv.Itoa(planned) + " planlagte træninger"
		countEn = strconv.Itoa(done) + " of " + strconv.Itoa(planned) + " planned sessions"
	}
	a.TextDa = "Du har nu trænet i 4 uger (" + count + "). Det er tid til en statussamtale med din behandler, hvor I ser på, hvordan det går, og tilpasser programmet. " +
		"Bestil en tid, hvis du ikke allerede har en."
	a.TextEn = "You have now trained for 4 weeks (" + countEn + "). It is time for a status consultation with your clinician, to see how it is going and adjust the programme. " +
		"Book a time if you do not have one yet."
	return a
}

// refer: REFER_NO_IMPROVEMENT.
//
// Source: the seed, "Hvad hvis træning ikke hjælper på spinalstenose?":
// "Hvis man har trænet regelmæssigt og målrettet uden at opleve
// tilstrækkelig bedring, kan det være nødvendigt at supplere med andre
// tiltag" (clinical.md A6); clinical.md "Review points and referral": at 12
// weeks of regular training (at least two-thirds of the planned sessions)
// without meaningful improvement, contact the clinician; "Meaningful
// change": 2 NRS points, 30 % walking time.
//
// From day 84: sessions done in the last 84 days ≥ ⅔ × 12 × plannedPerWeek,
// and at least one measure can be judged and none improved meaningfully
// against the baseline: mean leg or back NRS of the last 14 days (≥ 3
// entries) 2 points lower, or the median time to first symptoms of the
// walks of the last 14 days (≥ 2 walks) 30 % longer than the SPWT's.
func (v *view) refer() *Advice {
	if !v.started || v.dayIdx < referDay || v.planned == 0 || v.base == nil {
		return nil
	}
	from, to := v.last(referDay)
	done, planned := v.sessionsDone(from, to), v.planned*referWeeks
	if done*3 < planned*2 {
		return nil
	}
	data := map[string]float64{"sessionsDone12Weeks": float64(done), "sessionsPlanned12Weeks": float64(planned)}
	judged, improved := false, false
	nf, nt := v.last(nowDays)
	if leg, n := v.pain(false, nf, nt); n >= minNowEntries {
		judged = true
		improved = improved || float64(v.base.LegPain)-leg >= improvePoints
		data["legPainBaseline"], data["legPainNow"] = float64(v.base.LegPain), round1(leg)
	}
	if back, n := v.pain(true, nf, nt); n >= minNowEntries {
		judged = true
		improved = improved || float64(v.base.BackPain)-back >= improvePoints
		data["backPainBaseline"], data["backPainNow"] = float64(v.base.BackPain), round1(back)
	}
	if b := v.base.SPWT.FirstSymptomsSeconds; b > 0 {
		if w, n := v.walking(nf, nt); n >= minNowWalks {
			judged = true
			improved = improved || w*100 >= float64(b*(100+improvePercent))
			data["firstSymptomsSecondsBaseline"], data["firstSymptomsSecondsNow"] = float64(b), round1(w)
		}
	}
	if !judged || improved {
		return nil
	}
	d, p := strconv.Itoa(done), strconv.Itoa(planned)
	return &Advice{
		Code: ReferNoImprovement, Severity: Info, Source: srcRefer, Data: data,
		TextDa: "Du har trænet regelmæssigt de sidste 12 uger (" + d + " af " + p + " planlagte træninger), uden at dine smerter eller din gangtid er blevet tydeligt bedre. " +
			"Mange får det godt med træning alene, men nogle har brug for mere. Tal med din behandler om andre muligheder, fx manuel behandling, smertevejledning eller i sjældne tilfælde en operation. " +
			"Fortsæt med at træne, indtil I har talt sammen.",
		TextEn: "You have trained regularly for the last 12 weeks (" + d + " of " + p + " planned sessions) without a clear improvement in your pain or your walking time. " +
			"Many people do well with training alone, but some need more. Talk to your clinician about other options, such as manual therapy, pain guidance or, rarely, surgery. " +
			"Keep training until you have talked.",
	}
}

// adherence: ADHERENCE_LOW.
//
// Source: the seed, "Kan spinalstenose trænes væk?": "mange oplever færre
// symptomer og bedre funktion med regelmæssig bevægelse"; clinical.md
// "Review points and referral": regular training is at least two-thirds of
// the planned sessions. From day 14, fewer than ⅔ of the planned sessions
// of the last 14 days done. Not given with STOP_NEURO_SYMPTOMS or
// TARGET_DOWN (resting is then right).
func (v *view) adherence() *Advice {
	if !v.started || v.planned == 0 || v.dayIdx < adherenceDays {
		return nil
	}
	from, to := v.last(adherenceDays)
	done, planned := v.sessionsDone(from, to), v.planned*adherenceDays/7
	if done*3 >= planned*2 {
		return nil
	}
	d, p := strconv.Itoa(done), strconv.Itoa(planned)
	return &Advice{
		Code: AdherenceLow, Severity: Info, Source: srcAdherence,
		Data: map[string]float64{"sessionsDone14Days": float64(done), "sessionsPlanned14Days": float64(planned)},
		TextDa: "Du har gennemført " + d + " af " + p + " planlagte træninger de sidste 2 uger. Det er den regelmæssige bevægelse, der hjælper, og også en kort træning tæller: tag den næste, når du kan. " +
			"Hvis noget står i vejen – tid, smerter eller øvelserne – så tal med din behandler om at tilpasse programmet.",
		TextEn: "You have done " + d + " of " + p + " planned sessions in the last 2 weeks. It is regular movement that helps, and a short session counts too: do the next one when you can. " +
			"If something gets in the way – time, pain or the exercises – talk to your clinician about adjusting the programme.",
	}
}

// worsening: WORSENING_CONTACT.
//
// Source: clinical.md "Meaningful change" (2 NRS points; 30 % walking time)
// and A7 (LSS rarely progresses fast, so a clear worsening is worth a
// clinician's look). Fires when the mean leg or back NRS of the last 14
// days (≥ 4 entries) is ≥ 2 points above that of the 14 days before (≥ 4
// entries) or above the baseline, or the median time to first symptoms of
// the walks of the last 14 days is ≥ 30 % shorter than that of the 14 days
// before (≥ 2 walks in each).
func (v *view) worsening() *Advice {
	nf, nt := v.last(nowDays)
	pf, pt := nf-nowDays, nf-1
	data := map[string]float64{}
	var da, en []string
	for _, back := range []bool{false, true} {
		now, n := v.pain(back, nf, nt)
		if n < worseMinEntries {
			continue
		}
		ref, m := v.pain(back, pf, pt)
		refName := "14DaysBefore"
		if m < worseMinEntries {
			if v.base == nil {
				continue
			}
			ref, refName = float64(v.base.LegPain), "Baseline"
			if back {
				ref = float64(v.base.BackPain)
			}
		}
		if now-ref < painUpPoints {
			continue
		}
		key, wDa, wEn := "legPain", "smerterne i benene", "the pain in your legs"
		if back {
			key, wDa, wEn = "backPain", "smerterne i ryggen", "the pain in your back"
		}
		data[key+refName], data[key+"Now"] = round1(ref), round1(now)
		da = append(da, wDa+" er i gennemsnit steget fra "+numDa(ref)+" til "+numDa(now)+" på skalaen 0–10")
		en = append(en, wEn+" has gone up on average from "+numEn(ref)+" to "+numEn(now)+" on the 0–10 scale")
	}
	if now, n := v.walking(nf, nt); n >= minNowWalks {
		if ref, m := v.walking(pf, pt); m >= minNowWalks && now*100 <= ref*(100-improvePercent) {
			data["firstSymptomsSeconds14DaysBefore"], data["firstSymptomsSecondsNow"] = round1(ref), round1(now)
			da = append(da, "tiden, før symptomerne kommer på dine gåture, er faldet fra "+numDa(ref/60)+" til "+numDa(now/60)+" minutter")
			en = append(en, "the time before symptoms start on your walks has fallen from "+numEn(ref/60)+" to "+numEn(now/60)+" minutes")
		}
	}
	if len(da) == 0 {
		return nil
	}
	return &Advice{
		Code: WorseningContact, Severity: Warning, Source: srcWorsening, Data: data,
		TextDa: "Dine symptomer er blevet tydeligt værre de sidste 2 uger: " + listDa(da) + ". " +
			"Spinalstenose udvikler sig sjældent hurtigt, så kontakt din behandler inden for de næste dage, så I kan se på det sammen. " +
			"Træn roligt videre, så godt det går, og hvil i lændesiddende stilling, når du har brug for det.",
		TextEn: "Your symptoms have got clearly worse over the last 2 weeks: " + listEn(en) + ". " +
			"Spinal stenosis rarely changes fast, so contact your clinician within the next few days to look at it together. " +
			"Keep training gently as far as you can, and rest in the forward-leaning sitting position when you need to.",
	}
}

// count is "1 dag" or "n dage".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

func numEn(x float64) string { return strconv.FormatFloat(round1(x), 'f', -1, 64) }

func numDa(x float64) string { return strings.Replace(numEn(x), ".", ",", 1) }

func listDa(xs []string) string { return list(xs, " og ") }

func listEn(xs []string) string { return list(xs, " and ") }

func list(xs []string, and string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + and + xs[len(xs)-1]
}

func symptomsDa(which []string) string {
	da := map[string]string{"tingling": "snurren", "burning": "brændende fornemmelse", "weakness": "svaghed"}
	var out []string
	for _, w := range which {
		out = append(out, da[w])
	}
	return listDa(out)
}
