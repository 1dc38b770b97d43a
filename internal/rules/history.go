package rules

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// History is everything the rules know about one patient: the programme,
// the baseline from onboarding, the diary, the sessions and walks done, the
// red-flag check-ins and the current targets. It is the JSON that
// `stenose advise` reads; docs/rules.md documents every field.
//
// Advise accepts any History (it ignores values Validate would reject, one
// value at a time, and anything dated after the day of its clock); Validate
// lists what is wrong for a caller that should refuse bad input.
type History struct {
	Programme      string         `json:"programme,omitempty"`
	ProgrammeStart Day            `json:"programmeStart"`
	PlannedPerWeek int            `json:"plannedPerWeek"`
	Baseline       *Baseline      `json:"baseline,omitempty"`
	Targets        Targets        `json:"targets"`
	Entries        []Entry        `json:"entries"`
	Sessions       []Session      `json:"sessions"`
	Walks          []Walk         `json:"walks"`
	RedFlagChecks  []RedFlagCheck `json:"redFlagChecks"`
}

// Baseline is measured at onboarding: a Self-Paced Walking Test and the
// leg and back pain on the numeric rating scale (clinical.md, Meaningful
// change).
type Baseline struct {
	Date     Day  `json:"date"`
	SPWT     SPWT `json:"spwt"`
	LegPain  int  `json:"legPain"`
	BackPain int  `json:"backPain"`
}

// SPWT is a Self-Paced Walking Test: walk on level ground at one's own pace
// until symptoms force a stop, at most 30 minutes.
type SPWT struct {
	FirstSymptomsSeconds int `json:"firstSymptomsSeconds"`
	StopSeconds          int `json:"stopSeconds"`
}

// Targets are the patient's current training targets, set by the clinician
// or by following PROGRESS_TARGET_UP / TARGET_DOWN. Since is the day they
// were last changed (the programme start when absent).
type Targets struct {
	Since       Day            `json:"since"`
	WalkMinutes int            `json:"walkMinutes"`
	Reps        map[string]int `json:"reps,omitempty"`
}

// Entry is one diary entry: pain on the 0–10 scale and the three
// neurological symptoms of A3.
type Entry struct {
	At       Day    `json:"at"`
	LegPain  int    `json:"legPain"`
	BackPain int    `json:"backPain"`
	Tingling bool   `json:"tingling"`
	Burning  bool   `json:"burning"`
	Weakness bool   `json:"weakness"`
	Note     string `json:"note,omitempty"`
}

// Session is one guided session done (or started). Symptoms are the
// session player's symptom control (A3): "tingling", "burning", "weakness".
// Exercises, when the caller knows them, name each exercise with its
// posture class (A1), so that AVOID_EXTENSION can see an extension exercise.
type Session struct {
	Date           Day               `json:"date"`
	Programme      string            `json:"programme,omitempty"`
	CompletedSteps int               `json:"completedSteps"`
	SkippedSteps   int               `json:"skippedSteps"`
	Symptoms       []string          `json:"symptoms,omitempty"`
	Exercises      []SessionExercise `json:"exercises,omitempty"`
}

// SessionExercise is one exercise of a session and its posture class.
type SessionExercise struct {
	Slug    string `json:"slug"`
	Posture string `json:"posture"`
}

// Walk is one walk in walk mode: bouts of walking, each followed by a pause.
type Walk struct {
	Date  Day    `json:"date"`
	Bouts []Bout `json:"bouts"`
}

// Bout is one stretch of walking. FirstSymptomsSeconds is when symptoms
// began during the bout; 0 (or absent) means none did.
type Bout struct {
	WalkSeconds          int `json:"walkSeconds"`
	PauseSeconds         int `json:"pauseSeconds"`
	FirstSymptomsSeconds int `json:"firstSymptomsSeconds,omitempty"`
}

// RedFlagCheck is one red-flag check-in: each flag (Flags) answered yes
// (true) or no. ExaminedSince is the day a doctor examined the patient for
// the flags answered yes, as the patient confirms it.
type RedFlagCheck struct {
	Date          Day             `json:"date"`
	Answers       map[string]bool `json:"answers"`
	ExaminedSince Day             `json:"examinedSince"`
}

// Flag is a red flag of clinical.md, "Red flags".
type Flag struct {
	Key string
	// CaudaEquina marks the signs of cauda equina syndrome (BMJ Best
	// Practice): they send the patient to a doctor at once.
	CaudaEquina bool
	Da, En      string
}

// Flags are the red-flag keys a check-in may answer, in a stable order.
var Flags = []Flag{
	// clinical.md Red flags: cauda equina syndrome (BMJ Best Practice).
	{"bladder_bowel", true, "problemer med at holde på eller komme af med urin eller afføring", "trouble holding or passing urine or stools"},
	{"saddle_numbness", true, "følelsesløshed eller prikken i skridtet eller omkring endetarmen", "numbness or pins and needles in the groin or around the back passage"},
	{"both_legs_weakness", true, "svaghed eller ændret følesans i begge ben", "weakness or altered feeling in both legs"},
	{"sexual_dysfunction", true, "nye problemer med den seksuelle funktion", "new problems with sexual function"},
	// clinical.md Red flags: a doctor before training (AHCPR, NCBI Bookshelf NBK52120).
	{"major_trauma", false, "et kraftigt fald eller slag mod ryggen", "a bad fall or blow to the back"},
	{"minor_trauma_osteoporosis", false, "et mindre fald, og du har knogleskørhed", "a minor fall while you have osteoporosis"},
	{"cancer_history", false, "tidligere kræftsygdom", "a history of cancer"},
	{"fever", false, "feber", "fever"},
	{"weight_loss", false, "vægttab uden forklaring", "weight loss you cannot explain"},
	{"immunosuppression", false, "nedsat immunforsvar eller medicin, der dæmper det", "a weakened immune system, or medicine that suppresses it"},
	{"iv_drug_use", false, "brug af stoffer i en blodåre", "injecting drugs"},
	{"night_pain", false, "stærke smerter om natten eller når du ligger ned", "severe pain at night or when lying down"},
	{"progressive_weakness", false, "tiltagende svaghed i benene", "leg weakness that is getting worse"},
}

func flagByKey(k string) (Flag, bool) {
	for _, f := range Flags {
		if f.Key == k {
			return f, true
		}
	}
	return Flag{}, false
}

// The neurological symptoms of A3.
var symptomNames = []string{"tingling", "burning", "weakness"}

// The posture classes of A1.
var postures = []string{"flexion", "neutral", "extension"}

// Day is a calendar day. In JSON it is "YYYY-MM-DD", or an RFC 3339 time,
// whose day is its date in its own UTC offset (the patient's local day).
// Decoding never fails: a value that is not a day is kept as written and
// reported by Validate; Advise ignores it.
type Day struct {
	n   int64  // days since 1970-01-01, when ok
	ok  bool   // a valid day
	raw string // the JSON as written, when not ok ("" when absent)
}

// ParseDay reads "YYYY-MM-DD" or an RFC 3339 time.
func ParseDay(s string) Day {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t, err = time.Parse(time.RFC3339, s)
	}
	if err != nil {
		return Day{raw: strconv.Quote(s)}
	}
	return DayOf(t)
}

// DayOf is t's date in t's own location.
func DayOf(t time.Time) Day {
	y, m, d := t.Date()
	sec := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()
	n := sec / 86400
	if sec%86400 < 0 {
		n--
	}
	return Day{n: n, ok: true}
}

// Valid reports whether d is a day.
func (d Day) Valid() bool { return d.ok }

// AddDays returns the day n days after d.
func (d Day) AddDays(n int) Day {
	if !d.ok {
		return d
	}
	return Day{n: d.n + int64(n), ok: true}
}

// String is "YYYY-MM-DD", or the invalid value as written.
func (d Day) String() string {
	if !d.ok {
		return d.raw
	}
	return time.Unix(d.n*86400, 0).UTC().Format(time.DateOnly)
}

// MarshalJSON writes the day as "YYYY-MM-DD" (null when absent).
func (d Day) MarshalJSON() ([]byte, error) {
	if !d.ok && d.raw == "" {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads a day; see Day.
func (d *Day) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Day{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		raw := string(b)
		if len(raw) > 40 {
			raw = raw[:40] + "…"
		}
		*d = Day{raw: raw}
		return nil
	}
	*d = ParseDay(s)
	return nil
}

// FieldError is one problem Validate found: Field is the JSON name, Path
// where it is ("entries[3]"; empty at the top level).
type FieldError struct {
	Field, Path, Msg string
}

func (e *FieldError) Error() string {
	if e.Path == "" {
		return e.Field + ": " + e.Msg
	}
	return fmt.Sprintf("%s: %s (%s)", e.Field, e.Msg, e.Path)
}

// Limits Validate applies (and Advise, value by value).
const (
	maxPlannedPerWeek = 14
	maxSPWTSeconds    = 30 * 60 // the SPWT stops at 30 minutes
	maxBoutSeconds    = 4 * 3600
	maxSteps          = 100
	maxWalkMinutes    = 120
	maxRepsTarget     = 100
	maxNoteRunes      = 2000
)

func nrsOK(v int) bool { return v >= 0 && v <= 10 }

func boutOK(b Bout) bool {
	return b.WalkSeconds >= 1 && b.WalkSeconds <= maxBoutSeconds &&
		b.PauseSeconds >= 0 && b.PauseSeconds <= maxBoutSeconds &&
		b.FirstSymptomsSeconds >= 0 && b.FirstSymptomsSeconds <= b.WalkSeconds
}

func baselineOK(b *Baseline) bool {
	return b != nil && b.Date.ok && nrsOK(b.LegPain) && nrsOK(b.BackPain) &&
		b.SPWT.StopSeconds >= 1 && b.SPWT.StopSeconds <= maxSPWTSeconds &&
		b.SPWT.FirstSymptomsSeconds >= 0 && b.SPWT.FirstSymptomsSeconds <= b.SPWT.StopSeconds
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Validate lists every problem with h, in the order of the JSON fields;
// nil when there is none.
func (h History) Validate() []error {
	var errs []error
	add := func(field, path, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	day := func(field, path string, d Day, required bool) {
		switch {
		case d.ok:
		case d.raw != "":
			add(field, path, "%s is not a date (YYYY-MM-DD, or an RFC 3339 time)", d.raw)
		case required:
			add(field, path, "missing (YYYY-MM-DD)")
		}
	}
	rng := func(field, path string, v, lo, hi int) {
		if v < lo || v > hi {
			add(field, path, "%d is out of range %d–%d", v, lo, hi)
		}
	}

	day("programmeStart", "", h.ProgrammeStart, true)
	rng("plannedPerWeek", "", h.PlannedPerWeek, 1, maxPlannedPerWeek)
	if b := h.Baseline; b != nil {
		day("date", "baseline", b.Date, true)
		rng("stopSeconds", "baseline.spwt", b.SPWT.StopSeconds, 1, maxSPWTSeconds)
		rng("firstSymptomsSeconds", "baseline.spwt", b.SPWT.FirstSymptomsSeconds, 0, maxSPWTSeconds)
		if b.SPWT.FirstSymptomsSeconds > b.SPWT.StopSeconds && b.SPWT.StopSeconds >= 1 {
			add("firstSymptomsSeconds", "baseline.spwt", "%d is after stopSeconds %d", b.SPWT.FirstSymptomsSeconds, b.SPWT.StopSeconds)
		}
		rng("legPain", "baseline", b.LegPain, 0, 10)
		rng("backPain", "baseline", b.BackPain, 0, 10)
	}
	day("since", "targets", h.Targets.Since, false)
	rng("walkMinutes", "targets", h.Targets.WalkMinutes, 0, maxWalkMinutes)
	for _, k := range sortedKeys(h.Targets.Reps) {
		if strings.TrimSpace(k) == "" {
			add("reps", "targets", "an exercise without a name")
			continue
		}
		rng("reps", "targets.reps."+k, h.Targets.Reps[k], 1, maxRepsTarget)
	}
	for i, e := range h.Entries {
		p := fmt.Sprintf("entries[%d]", i)
		day("at", p, e.At, true)
		rng("legPain", p, e.LegPain, 0, 10)
		rng("backPain", p, e.BackPain, 0, 10)
		if n := utf8.RuneCountInString(e.Note); n > maxNoteRunes {
			add("note", p, "%d characters is longer than %d", n, maxNoteRunes)
		}
	}
	for i, s := range h.Sessions {
		p := fmt.Sprintf("sessions[%d]", i)
		day("date", p, s.Date, true)
		rng("completedSteps", p, s.CompletedSteps, 0, maxSteps)
		rng("skippedSteps", p, s.SkippedSteps, 0, maxSteps)
		for _, sym := range s.Symptoms {
			if !contains(symptomNames, sym) {
				add("symptoms", p, "%q is not one of %s", sym, strings.Join(symptomNames, ", "))
			}
		}
		for j, x := range s.Exercises {
			q := fmt.Sprintf("%s.exercises[%d]", p, j)
			if strings.TrimSpace(x.Slug) == "" {
				add("slug", q, "missing")
			}
			if !contains(postures, x.Posture) {
				add("posture", q, "%q is not one of %s", x.Posture, strings.Join(postures, ", "))
			}
		}
	}
	for i, w := range h.Walks {
		p := fmt.Sprintf("walks[%d]", i)
		day("date", p, w.Date, true)
		if len(w.Bouts) == 0 {
			add("bouts", p, "a walk needs at least one bout")
		}
		for j, b := range w.Bouts {
			q := fmt.Sprintf("%s.bouts[%d]", p, j)
			rng("walkSeconds", q, b.WalkSeconds, 1, maxBoutSeconds)
			rng("pauseSeconds", q, b.PauseSeconds, 0, maxBoutSeconds)
			if b.FirstSymptomsSeconds < 0 || b.FirstSymptomsSeconds > b.WalkSeconds {
				add("firstSymptomsSeconds", q, "%d is out of range 0–walkSeconds (%d)", b.FirstSymptomsSeconds, b.WalkSeconds)
			}
		}
	}
	for i, c := range h.RedFlagChecks {
		p := fmt.Sprintf("redFlagChecks[%d]", i)
		day("date", p, c.Date, true)
		day("examinedSince", p, c.ExaminedSince, false)
		for _, k := range sortedKeys(c.Answers) {
			if _, ok := flagByKey(k); !ok {
				add("answers", p, "%q is not a known red flag", k)
			}
		}
	}
	return errs
}

// sortedKeys lists a map's keys in order, so output never depends on map
// iteration order.
func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
