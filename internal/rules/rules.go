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
	"math"
	"sort"
	"strconv"
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
	TextDa   string             `json:"text_da"`
	TextEn   string             `json:"text_en"`
	Items    []string           `json:"items,omitempty"`
	Data     map[string]float64 `json:"data"`
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

func sortAdvice(a []Advice) {
	sort.SliceStable(a, func(i, j int) bool {
		if ri, rj := a[i].Severity.rank(), a[j].Severity.rank(); ri != rj {
			return ri < rj
		}
		return a[i].Code < a[j].Code
	})
}

// LeavesOut is the combination table (docs/rules.md, "How the rules
// combine"): a code present leaves out the codes of its row. Rows apply in
// this order, and a code left out leaves nothing out.
var LeavesOut = []struct {
	Code Code
	Out  []Code
}{
	{UrgentRedFlag, []Code{OnboardingNeeded, AvoidExtension, RestPosition, ProgressTargetUp, HoldTarget, TargetDown,
		Status4Weeks, Status12Weeks, ReferNoImprovement, LogWalk, AdherenceLow, WorseningContact}},
	{OnboardingNeeded, []Code{TargetDown, HoldTarget, ProgressTargetUp, Status4Weeks, Status12Weeks,
		ReferNoImprovement, LogWalk, AdherenceLow}},
	{StopNeuroSymptoms, []Code{ProgressTargetUp, AdherenceLow}},
	{TargetDown, []Code{HoldTarget, ProgressTargetUp, AdherenceLow}},
	{WorseningContact, []Code{ProgressTargetUp}},
	{ReferNoImprovement, []Code{ProgressTargetUp}},
	{ProgressTargetUp, []Code{HoldTarget}},
}

// combine applies the combination table — the one place where codes are
// left out because of others. A PROGRESS_TARGET_UP left out gives way to a
// HOLD_TARGET that says why, unless the table leaves that out too.
func combine(raw []*Advice) []Advice {
	kept := map[Code]*Advice{}
	for _, a := range raw {
		kept[a.Code] = a
	}
	var upBlockedBy Code
	for _, row := range LeavesOut {
		if kept[row.Code] == nil {
			continue
		}
		for _, c := range row.Out {
			if kept[c] == nil {
				continue
			}
			if c == ProgressTargetUp && upBlockedBy == "" {
				upBlockedBy = row.Code
			}
			delete(kept, c)
		}
	}
	if up := findCode(raw, ProgressTargetUp); up != nil && kept[ProgressTargetUp] == nil && kept[HoldTarget] == nil {
		holdOK := true
		for _, row := range LeavesOut {
			if kept[row.Code] != nil && contains(codeStrings(row.Out), string(HoldTarget)) {
				holdOK = false
			}
		}
		if holdOK {
			kept[HoldTarget] = holdInstead(up, upBlockedBy)
		}
	}
	out := []Advice{}
	for _, a := range raw {
		if k := kept[a.Code]; k != nil {
			out = append(out, *k)
			delete(kept, a.Code)
		}
	}
	if h := kept[HoldTarget]; h != nil {
		out = append(out, *h)
	}
	return out
}

func findCode(as []*Advice, c Code) *Advice {
	for _, a := range as {
		if a.Code == c {
			return a
		}
	}
	return nil
}

func codeStrings(cs []Code) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}

// holdInstead is the HOLD_TARGET that takes the place of a
// PROGRESS_TARGET_UP the combination table left out because of code.
func holdInstead(up *Advice, code Code) *Advice {
	data := map[string]float64{}
	for k, x := range up.Data {
		if !strings.HasSuffix(k, ".from") && !strings.HasSuffix(k, ".to") {
			data[k] = x
		}
	}
	var da, en string
	switch code {
	case WorseningContact:
		da, en = "dine symptomer er blevet tydeligt værre", "your symptoms have got clearly worse"
	case ReferNoImprovement:
		da, en = "12 ugers træning ikke har gjort dig tydeligt bedre, og du skal først tale med din behandler om, hvordan du kommer videre",
			"12 weeks of training have not brought a clear improvement, and you should first talk to your clinician about the way ahead"
	default: // STOP_NEURO_SYMPTOMS
		da, en = "du har haft snurren, brændende fornemmelse eller svaghed i benene den sidste uge", "you have had tingling, burning or weakness in your legs in the last week"
	}
	return hold(data, da, en)
}

// hold is HOLD_TARGET with its reason.
func hold(data map[string]float64, whyDa, whyEn string) *Advice {
	return &Advice{
		Code: HoldTarget, Severity: Info, Source: srcProgress, Data: data,
		TextDa: "Behold dine nuværende mål denne uge, fordi " + whyDa + ". " +
			"Målene øges efter en stabil uge: alle planlagte træninger, ingen snurren, brændende fornemmelse eller svaghed i benene og ikke mere smerte i benene.",
		TextEn: "Keep your current targets this week, because " + whyEn + ". " +
			"They go up after a stable week: every planned session, no tingling, burning or weakness in your legs, and no more leg pain.",
	}
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
	var items, da, en []string
	if len(v.checks) == 0 {
		items = append(items, "red_flags")
		da = append(da, "spørgsmålene om tegn, en læge skal se på")
		en = append(en, "the questions about signs a doctor should see")
	}
	if v.base == nil {
		items = append(items, "baseline")
		da = append(da, "gangtesten og dine smerter ved start")
		en = append(en, "the walking test and your pain at the start")
	}
	if len(items) == 0 {
		return nil
	}
	return &Advice{
		Code: OnboardingNeeded, Severity: Info, Source: srcOnboarding, Items: items,
		TextDa: "Før programmet kan give dig mål og følge dine fremskridt, mangler " + listDa(da) + ". Det tager et par minutter.",
		TextEn: "Before the programme can give you targets and follow your progress, it needs " + listEn(en) + ". It takes a few minutes.",
	}
}

// redFlag: URGENT_RED_FLAG.
//
// Source: docs/sources.md "Red flags". Cauda equina syndrome (BMJ Best
// Practice): new or worsening bladder or bowel disturbance, saddle
// numbness, weakness or numbness in both legs or sexual dysfunction → a
// doctor at once: the own GP now, out of hours the region's out-of-hours
// service, 112 when life is in danger. Other flags (AHCPR table, NCBI
// Bookshelf NBK52120: trauma, cancer, fever, weight loss, immunosuppression,
// IV drug use, night pain, progressive weakness) → a doctor before
// training, saying why.
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
	for _, f := range allFlags {
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
		// One route, the same as the page's heading (docs/sources.md, "Red
		// flags"): in Denmark one calls first — the own GP, out of hours
		// the region's out-of-hours service; 112 when life is in danger.
		// The rules cannot know the region: the app shows its number.
		a.Source = srcCauda
		a.TextDa = "Du har svaret ja til: " + strings.Join(da, "; ") + ". Det skal en læge se på med det samme. " +
			"Stop træningen, og ring til din egen læge nu. Uden for lægens åbningstid ringer du til lægevagten. Ved livsfare ringer du 112. " +
			"Fortæl, hvad du har svaret."
		a.TextEn = "You answered yes to: " + strings.Join(en, "; ") + ". A doctor needs to see this straight away. " +
			"Stop training and call your own GP now. When your GP is closed, call the out-of-hours doctor (lægevagten). If life is in danger, call 112. " +
			"Tell them what you answered."
		return a
	}
	// Not urgent in the same way: a doctor before training, and why.
	var whyDa, whyEn []string
	for _, r := range []string{reasonFracture, reasonOtherCause, reasonNerve} {
		for _, f := range allFlags {
			if found[f.Key] && f.Reason == r {
				whyDa, whyEn = append(whyDa, reasonDa[r]), append(whyEn, reasonEn[r])
				break
			}
		}
	}
	a.Source = srcOtherFlags
	a.TextDa = "Du har svaret ja til: " + strings.Join(da, "; ") + ". En læge bør undersøge dig, før du træner, fordi " + strings.Join(whyDa, ", og fordi ") + ". " +
		"Hold pause med træningen, og bestil en tid hos din egen læge. Fortæl, hvad du har svaret. " +
		"Når lægen har undersøgt dig, skriver du det her, så kan du træne igen."
	a.TextEn = "You answered yes to: " + strings.Join(en, "; ") + ". A doctor should examine you before you train, because " + strings.Join(whyEn, ", and because ") + ". " +
		"Pause your training and book an appointment with your own GP. Tell them what you answered. " +
		"Once the doctor has examined you, note it here and you can train again."
	return a
}

// Why a flag that is not a cauda equina sign needs a doctor before
// training, in plain words (docs/sources.md, "Red flags": possible
// fracture; possible tumour or infection; severe or progressive weakness).
var (
	reasonDa = map[string]string{
		reasonFracture:   "et fald eller et slag kan give et brud i ryggen",
		reasonOtherCause: "smerterne i sjældne tilfælde kan have en anden årsag end spinalstenose",
		reasonNerve:      "svaghed, der tager til, kan betyde, at en nerve er i klemme",
	}
	reasonEn = map[string]string{
		reasonFracture:   "a fall or a knock can break a bone in the back",
		reasonOtherCause: "the pain can, rarely, have another cause than spinal stenosis",
		reasonNerve:      "weakness that is getting worse can mean that a nerve is being pinched",
	}
)

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
// snurren, brændende fornemmelse eller svaghed i benene" (docs/sources.md A3).
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
// (docs/sources.md A5). Fires with STOP_NEURO_SYMPTOMS, or on leg pain ≥ 5 in
// a diary entry of the last 3 days.
func (v *view) restPosition() *Advice {
	neuro := v.stopNeuro() != nil
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
// bagover" (docs/sources.md A2). Fires when a session of the last 28 days
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
// spinalstenose": "Træningsmængden skal øges gradvist" (docs/sources.md A4:
// small steps, only when symptoms are stable) and "stoppe eller justere
// træningen, hvis der opstår snurren, brændende fornemmelse eller svaghed i
// benene" (A3) for the step down.
//
// Down: neuro symptoms on ≥ 2 of the last 7 days, counting only days on or
// after the day the current targets were set (targets.since), so that the
// days that brought a step down do not bring another. Up: a stable week at the
// current targets — targets ≥ 7 days old, ≥ plannedPerWeek sessions done in
// the last 7 days, no neuro symptoms, ≥ 2 diary entries, mean leg pain not
// meaningfully above the week before (or the baseline; meaningful()).
// WORSENING_CONTACT and REFER_NO_IMPROVEMENT leave the step up out
// (combine), and a HOLD_TARGET says why.
// The walking target rises 10 % (at least 1 minute, at most to 30) when ≥ 2
// walks of the week reached it; each repetition target by 1 (at most to 15).
// Otherwise hold.
func (v *view) progression() *Advice {
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
	legUp := nLeg > 0 && nBefore > 0 && meaningful(mLeg, round1(legBefore), round1(legNow)) == worse
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
			da = append(da, "gå "+count(nw, "minut", "minutter")+" pr. tur (før "+strconv.Itoa(v.walkMin)+")")
			en = append(en, "walk "+count(nw, "minute", "minutes")+" per walk (was "+strconv.Itoa(v.walkMin)+")")
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
	case len(neuroDays) > 0:
		whyDa, whyEn = "du har haft snurren, brændende fornemmelse eller svaghed i benene den sidste uge", "you have had tingling, burning or weakness in your legs in the last week"
	case atTarget < stableDays: // atTarget is 0–6 here
		switch {
		case atTarget == 0 && v.since == v.start:
			whyDa, whyEn = "dit program er begyndt i dag, og en stabil uge tager 7 dage", "your programme started today, and a stable week takes 7 days"
		case atTarget == 0:
			whyDa, whyEn = "du har fået nye mål i dag, og en stabil uge tager 7 dage", "you got new targets today, and a stable week takes 7 days"
		default:
			whyDa = "du har haft dine nuværende mål i " + count(int(atTarget), "dag", "dage") + ", og en stabil uge tager 7"
			whyEn = "you have had your current targets for " + count(int(atTarget), "day", "days") + ", and a stable week takes 7"
		}
	case done < v.planned:
		whyDa = "du har gennemført " + strconv.Itoa(done) + " af " + strconv.Itoa(v.planned) + " planlagte træninger den sidste uge"
		whyEn = "you have done " + strconv.Itoa(done) + " of " + strconv.Itoa(v.planned) + " planned sessions in the last week"
	case nLeg < minStableEntries:
		whyDa = "der er " + count(nLeg, "notat", "notater") + " i din dagbog den sidste uge, og der skal mindst 2 til at se, om det går stabilt"
		whyEn = "your diary has " + count(nLeg, "entry", "entries") + " in the last week, and it takes at least 2 to see that things are stable"
	case legUp:
		whyDa, whyEn = "smerterne i benene er steget tydeligt den sidste uge", "the pain in your legs has gone up clearly in the last week"
	}
	if whyDa == "" {
		var da, en []string
		if v.walkMin > 0 && v.walkMin < walkCapMinutes && reaching >= minReachingWalks {
			nw := min(walkCapMinutes, v.walkMin+walkStep(v.walkMin))
			data["walkMinutes.from"], data["walkMinutes.to"] = float64(v.walkMin), float64(nw)
			da = append(da, "gå "+count(nw, "minut", "minutter")+" pr. tur (før "+strconv.Itoa(v.walkMin)+")")
			en = append(en, "walk "+count(nw, "minute", "minutes")+" per walk (was "+strconv.Itoa(v.walkMin)+")")
		}
		if repsChange(v.reps, +1, data) {
			da = append(da, "tag én gentagelse mere i øvelserne med gentagelser")
			en = append(en, "do one more repetition in the exercises with repetitions")
		}
		if len(da) > 0 {
			return &Advice{
				Code: ProgressTargetUp, Severity: Good, Source: srcProgress, Data: data,
				TextDa: "Du har haft en stabil uge med alle planlagte træninger og uden snurren, brændende fornemmelse eller svaghed i benene. Øg nu lidt: " + listDa(da) + ". " +
					"Bliv på det nye niveau mindst en uge, og gå tilbage til det gamle, hvis symptomerne tager til.",
				TextEn: "You have had a stable week with every planned session and no tingling, burning or weakness in your legs. Now increase a little: " + listEn(en) + ". " +
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
	return hold(data, whyDa, whyEn)
}

// pain returns the mean leg (or back) NRS of the diary entries in
// [from, to] and how many entries it is based on (a stable week counts
// entries).
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

// worsening: WORSENING_CONTACT.
//
// Source: docs/sources.md "Meaningful change" (NRS 2 points or 30 %;
// walking time 30 %; PSFS 2 points) and A7 (LSS rarely progresses fast, so
// a clear worsening is worth a clinician's look). Fires when any measure's
// recent level (the last 14 days; PSFS: the latest scoring of the last 28
// days) is meaningfully worse than the baseline or than the patient's own
// best earlier period — even while still better than at the baseline. A
// measure without enough data points is not judged.
func (v *view) worsening() *Advice {
	data := map[string]float64{}
	var items, da, en []string
	for _, m := range measures {
		a := v.assess(m)
		if !a.worse() {
			continue
		}
		items = append(items, m.item())
		data[m.key()+"Now"] = a.now
		if a.baseOK {
			data[m.key()+"Baseline"] = a.base
		}
		if a.bestOK {
			data[m.key()+"Best"] = a.best
		}
		var d, e string
		if a.vsBest == worse {
			d, e = m.phrase(worse, a.best, a.now, " i din bedste periode", " in your best period")
		} else {
			d, e = m.phrase(worse, a.base, a.now, " ved starten", " at the start")
		}
		da, en = append(da, d+" nu"), append(en, e+" now")
	}
	if len(items) == 0 {
		return nil
	}
	return &Advice{
		Code: WorseningContact, Severity: Warning, Source: srcWorsening, Data: data, Items: items,
		TextDa: "Dine symptomer er blevet tydeligt værre: " + listDa(da) + ". " +
			"Spinalstenose udvikler sig sjældent hurtigt, så kontakt din behandler inden for de næste dage, så I kan se på det sammen. " +
			"Træn roligt videre, så godt det går, og hvil i lændesiddende stilling, når du har brug for det.",
		TextEn: "Your symptoms have got clearly worse: " + listEn(en) + ". " +
			"Spinal stenosis rarely changes fast, so contact your clinician within the next few days to look at it together. " +
			"Keep training gently as far as you can, and rest in the forward-leaning sitting position when you need to.",
	}
}

// The outcomes of a status consultation (the items of STATUS_4_WEEKS and
// STATUS_12_WEEKS).
const (
	outImproved    = "improved"     // a measure meaningfully better than the baseline, none worse
	outNotImproved = "not_improved" // regular training, walking judged, nothing better
	outNotRegular  = "not_regular"  // under ⅔ of the planned sessions: not a fair trial yet
	outNotMeasured = "not_measured" // regular training, but too few walks to judge walking
)

// outcome judges the programme so far: the sessions done in the last
// `days` days against ⅔ of the plan, and the measures against the baseline.
// better lists what improved, in words.
func (v *view) outcome(days int) (out string, done, planned int, data map[string]float64, betterDa, betterEn []string) {
	from, to := v.last(days)
	done, planned = v.sessionsDone(from, to), v.planned*days/weekDays
	data = map[string]float64{}
	anyWorse := false
	for _, m := range measures {
		a := v.assess(m)
		if a.nowOK && a.baseOK {
			data[m.key()+"Baseline"], data[m.key()+"Now"] = a.base, a.now
		}
		anyWorse = anyWorse || a.worse()
		if a.better() {
			d, e := m.phrase(better, a.base, a.now, "", "")
			betterDa, betterEn = append(betterDa, d), append(betterEn, e)
		}
	}
	switch {
	case len(betterDa) > 0 && !anyWorse:
		out = outImproved
	case planned > 0 && done*3 < planned*2:
		out = outNotRegular
	case !v.walkingJudged():
		out = outNotMeasured
	default:
		out = outNotImproved
	}
	return out, done, planned, data, betterDa, betterEn
}

// status4Weeks: STATUS_4_WEEKS.
//
// Source: docs/sources.md "Review points and referral": the Danish
// chiropractors' LSS care package holds status consultations at 4 and 12
// weeks. Fires on days 28–34 after the programme start (day 0) for every
// patient, and says what the 4 weeks show (items: the outcome).
func (v *view) status4Weeks() *Advice {
	return v.status(Status4Weeks, status4First, 4)
}

// status12Weeks: STATUS_12_WEEKS.
//
// Source: as STATUS_4_WEEKS; at 12 weeks of regular training without
// meaningful improvement the referral follows (REFER_NO_IMPROVEMENT, A6).
// Fires on days 84–90.
func (v *view) status12Weeks() *Advice {
	return v.status(Status12Weeks, status12First, 12)
}

func (v *view) status(code Code, first int64, weeks int) *Advice {
	if !v.started || v.base == nil || v.dayIdx < first || v.dayIdx >= first+statusDays {
		return nil
	}
	out, done, planned, data, bDa, bEn := v.outcome(weeks * weekDays)
	w := strconv.Itoa(weeks)
	data["day"] = float64(v.dayIdx)
	data["sessionsDone"], data["sessionsPlanned"] = float64(done), float64(planned)
	countDa := strconv.Itoa(done) + " af " + strconv.Itoa(planned) + " planlagte træninger"
	countEn := strconv.Itoa(done) + " of " + strconv.Itoa(planned) + " planned sessions"
	da := "Du har nu været i gang i " + w + " uger (" + countDa + "), og det er tid til en statussamtale med din behandler. "
	en := "You have now been going for " + w + " weeks (" + countEn + "), and it is time for a status consultation with your clinician. "
	switch out {
	case outImproved:
		da += "Det går fremad: " + listDa(bDa) + ". Fortsæt med det, du gør – regelmæssig træning er det, der virker – og fortæl din behandler, hvad der har hjulpet dig mest."
		en += "You are making progress: " + listEn(bEn) + ". Keep doing what you do – regular training is what works – and tell your clinician what has helped you most."
	case outNotRegular:
		da += "Træningen har ikke været regelmæssig endnu, så den har ikke fået en rigtig chance: det kræver mindst 2 af 3 planlagte træninger. Tal med din behandler om, hvad der står i vejen, og om en plan, du kan holde."
		en += "Your training has not been regular yet, so it has not had a fair chance: that takes at least 2 of every 3 planned sessions. Talk to your clinician about what gets in the way, and about a plan you can keep."
	case outNotMeasured:
		da += "Du har trænet regelmæssigt, men har ikke registreret gåture nok de sidste 2 uger til, at vi kan se, om din gangtid er blevet bedre. Gå et par ture i gåtilstand inden samtalen."
		en += "You have trained regularly, but have not logged enough walks in the last 2 weeks to show whether your walking time has improved. Take a couple of walks in walk mode before the consultation."
	default:
		if weeks >= 12 {
			da += "Du har trænet regelmæssigt, men dine smerter og din gangtid er ikke blevet tydeligt bedre. Tal med din behandler om, hvilke andre muligheder der er."
			en += "You have trained regularly, but your pain and your walking time have not clearly improved. Talk to your clinician about what other options there are."
		} else {
			da += "Du har trænet regelmæssigt, men dine smerter og din gangtid er ikke blevet tydeligt bedre endnu. Det er almindeligt efter 4 uger; tal med din behandler om at tilpasse programmet."
			en += "You have trained regularly, but your pain and your walking time have not clearly improved yet. That is common after 4 weeks; talk to your clinician about adjusting the programme."
		}
	}
	da += " Bestil en tid, hvis du ikke allerede har en."
	en += " Book a time if you do not have one yet."
	return &Advice{Code: code, Severity: Info, Source: srcStatus, Items: []string{out}, Data: data, TextDa: da, TextEn: en}
}

// refer: REFER_NO_IMPROVEMENT.
//
// Source: the seed, "Hvad hvis træning ikke hjælper på spinalstenose?":
// "Hvis man har trænet regelmæssigt og målrettet uden at opleve
// tilstrækkelig bedring, kan det være nødvendigt at supplere med andre
// tiltag" (docs/sources.md A6); docs/sources.md "Review points and
// referral": at 12 weeks of regular training (at least two-thirds of the
// planned sessions) without meaningful improvement, contact the clinician;
// "Meaningful change".
//
// From day 84: a fair trial (sessions done in the last 84 days ≥ ⅔ × 12 ×
// plannedPerWeek), walking judged (≥ 2 walks in the last 14 days: it is
// the measure LSS limits most), and no measure meaningfully better than
// the baseline (meaningful()). Without walks LOG_WALK asks for them
// instead of deciding on pain alone.
func (v *view) refer() *Advice {
	if !v.started || v.dayIdx < referDay || v.planned == 0 || v.base == nil {
		return nil
	}
	out, done, planned, data, _, _ := v.outcome(referDay)
	if out != outNotImproved {
		return nil
	}
	data["sessionsDone12Weeks"], data["sessionsPlanned12Weeks"] = float64(done), float64(planned)
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

// logWalk: LOG_WALK.
//
// Source: the seed, "Gående med pauser" (walking is one of the five
// exercises, A5) and docs/sources.md "Meaningful change" (the walking time
// of the Self-Paced Walking Test is the measure of LSS). From day 28, when
// fewer than 2 walks were logged in the last 14 days, walking cannot be
// judged: the advice says so instead of guessing.
func (v *view) logWalk() *Advice {
	if !v.started || v.dayIdx < logWalkDay || v.walkingJudged() {
		return nil
	}
	from, to := v.last(recentDays)
	n := 0
	for _, w := range v.walks {
		if w.firstOK && in(w.day, from, to) {
			n++
		}
	}
	var da, en string
	if n == 0 {
		da, en = "Du har ikke registreret nogen gåture de sidste 2 uger", "You have not logged any walks in the last 2 weeks"
	} else {
		da, en = "Du har registreret 1 gåtur de sidste 2 uger", "You have logged 1 walk in the last 2 weeks"
	}
	return &Advice{
		Code: LogWalk, Severity: Info, Source: srcLogWalk,
		Data: map[string]float64{"walksLast14Days": float64(n)},
		TextDa: da + ". Din gangtid viser bedst, om træningen hjælper, og uden gåture kan vi ikke se det. " +
			"Gå en tur med pauser i gåtilstand mindst to gange om ugen – også en kort tur tæller.",
		TextEn: en + ". Your walking time shows best whether training helps, and without walks we cannot see it. " +
			"Take a walk with pauses in walk mode at least twice a week – a short one counts too.",
	}
}

// adherence: ADHERENCE_LOW.
//
// Source: the seed, "Kan spinalstenose trænes væk?": "mange oplever færre
// symptomer og bedre funktion med regelmæssig bevægelse"; docs/sources.md
// "Review points and referral": regular training is at least two-thirds of
// the planned sessions. From the first week: the last completed programme
// week (days 7k … 7k+6) under ⅔ of plannedPerWeek, or the running week
// once it can no longer reach ⅔ (at most ⌈planned/7⌉ sessions a day,
// today included). Left out when resting is the advice (combine).
func (v *view) adherence() *Advice {
	if !v.started || v.planned == 0 {
		return nil
	}
	week := v.dayIdx / weekDays
	need := (2*v.planned + 2) / 3 // ⌈⅔ planned⌉
	perDay := (v.planned + weekDays - 1) / weekDays
	data := map[string]float64{"plannedPerWeek": float64(v.planned)}
	var da, en []string
	if week >= 1 {
		ws := v.start + (week-1)*weekDays
		done := v.sessionsDone(ws, ws+weekDays-1)
		if done*3 < v.planned*2 {
			data["week"], data["sessionsDoneLastWeek"] = float64(week), float64(done)
			da = append(da, "I programmets uge "+strconv.Itoa(int(week))+" gennemførte du "+strconv.Itoa(done)+" af "+strconv.Itoa(v.planned)+" planlagte træninger")
			en = append(en, "In week "+strconv.Itoa(int(week))+" of the programme you did "+strconv.Itoa(done)+" of "+strconv.Itoa(v.planned)+" planned sessions")
		}
	}
	ws := v.start + week*weekDays
	done := v.sessionsDone(ws, v.today)
	left := int(ws + weekDays - v.today) // today included
	if done < need && done+left*perDay < need {
		data["sessionsDoneThisWeek"], data["daysLeftThisWeek"] = float64(done), float64(left)
		da = append(da, "i denne uge har du gennemført "+strconv.Itoa(done)+" af "+strconv.Itoa(v.planned)+" planlagte træninger, og der er "+count(left, "dag", "dage")+" tilbage af ugen")
		en = append(en, "this week you have done "+strconv.Itoa(done)+" of "+strconv.Itoa(v.planned)+" planned sessions, with "+count(left, "day", "days")+" of the week left")
	}
	if len(da) == 0 {
		return nil
	}
	first := strings.ToUpper(da[0][:1]) + da[0][1:]
	firstEn := strings.ToUpper(en[0][:1]) + en[0][1:]
	da[0], en[0] = first, firstEn
	return &Advice{
		Code: AdherenceLow, Severity: Info, Source: srcAdherence, Data: data,
		TextDa: strings.Join(da, ", og ") + ". Det er den regelmæssige bevægelse, der hjælper – mindst 2 af 3 planlagte træninger – og også en kort træning tæller: tag den næste, når du kan. " +
			"Hvis noget står i vejen – tid, smerter eller øvelserne – så tal med din behandler om at tilpasse programmet.",
		TextEn: strings.Join(en, ", and ") + ". It is regular movement that helps – at least 2 of every 3 planned sessions – and a short session counts too: do the next one when you can. " +
			"If something gets in the way – time, pain or the exercises – talk to your clinician about adjusting the programme.",
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
