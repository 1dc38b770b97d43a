package rules

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/stenose/stenose/internal/i18n"
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
	Programme      string `json:"programme,omitempty"`
	ProgrammeStart Day    `json:"programmeStart"`
	// RecordsFrom, when given, is the first day diary entries, sessions,
	// walks and PSFS scorings may date from, when that is before the
	// programme start (the app: what the player kept in the browser before
	// the patient signed up); without it, the programme start.
	RecordsFrom    Day            `json:"recordsFrom,omitzero"`
	PlannedPerWeek int            `json:"plannedPerWeek"`
	Baseline       *Baseline      `json:"baseline,omitempty"`
	Targets        Targets        `json:"targets"`
	Entries        []Entry        `json:"entries"`
	Sessions       []Session      `json:"sessions"`
	Walks          []Walk         `json:"walks"`
	RedFlagChecks  []RedFlagCheck `json:"redFlagChecks"`
	PSFS           []PSFS         `json:"psfs,omitempty"`
}

// PSFS is one scoring of the Patient-Specific Functional Scale
// (docs/sources.md, "Meaningful change"): up to three activities the
// patient names, each scored 0 (cannot do it) to 10 (as before the
// problem). The first record is the baseline; the patient scores again at
// the status consultations.
type PSFS struct {
	Date       Day        `json:"date"`
	Activities []Activity `json:"activities"`
}

// Activity is one PSFS activity and its score.
type Activity struct {
	Name  string `json:"name"`
	Score int    `json:"score"`
}

// Baseline is measured at onboarding: a Self-Paced Walking Test and the
// leg and back pain on the numeric rating scale (docs/sources.md, Meaningful
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
// were last changed (the programme start when absent). Clinician says the
// patient's clinician set them: the rules then do not offer to raise them
// (HOLD_TARGET says to talk to the clinic), but still step them down for
// symptoms (A3).
type Targets struct {
	Since       Day            `json:"since"`
	WalkMinutes int            `json:"walkMinutes"`
	Reps        map[string]int `json:"reps,omitempty"`
	Clinician   bool           `json:"clinician,omitempty"`
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
	Date Day `json:"date"`
	// StartedAt and EndedAt, when the caller knows them (the player's
	// record), are checked against each other and the clock.
	StartedAt      time.Time         `json:"startedAt,omitzero"`
	EndedAt        time.Time         `json:"endedAt,omitzero"`
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
	Date Day `json:"date"`
	// StartedAt and EndedAt, when the caller knows them (walk mode's
	// record): the bouts must fit between them.
	StartedAt time.Time `json:"startedAt,omitzero"`
	EndedAt   time.Time `json:"endedAt,omitzero"`
	Bouts     []Bout    `json:"bouts"`
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

// Flag is a red flag of docs/sources.md, "Red flags".
type Flag struct {
	Key string
	// CaudaEquina marks the signs of cauda equina syndrome (BMJ Best
	// Practice): they send the patient to a doctor at once.
	CaudaEquina bool
	// Reason is why a flag that is not a cauda equina sign needs a doctor
	// before training (reasonFracture, reasonOtherCause, reasonNerve).
	Reason string
	// Became, for a retired flag, are the questions that now ask what it
	// asked.
	Became []string
}

// Name names the flag as the advice does ("Du har svaret ja til: …"),
// from the catalogue.
func (f Flag) Name(l i18n.Lang) string { return l.T("advice_flag_" + f.Key) }

// Why a flag needs a doctor before training (docs/sources.md, "Red flags":
// fracture; tumour or infection; severe or progressive leg weakness).
const (
	reasonFracture   = "fracture"
	reasonOtherCause = "other_cause"
	reasonNerve      = "nerve"
)

// Flags are the red flags the screen asks, one thing a question, in a
// stable order: the cauda equina signs first.
var Flags = []Flag{
	// docs/sources.md Red flags: cauda equina syndrome (BMJ Best Practice).
	{Key: "bladder", CaudaEquina: true},
	{Key: "bowel", CaudaEquina: true},
	{Key: "saddle_numbness", CaudaEquina: true},
	{Key: "both_legs_weakness", CaudaEquina: true},
	{Key: "both_legs_numbness", CaudaEquina: true},
	{Key: "sexual_dysfunction", CaudaEquina: true},
	// docs/sources.md Red flags: a doctor before training (AHCPR, NCBI Bookshelf NBK52120).
	{Key: "major_trauma", Reason: reasonFracture},
	// A minor fall or knock counts for everyone: AHCPR names it for
	// "older or potentially osteoporotic" patients, and the programme's
	// patients are mostly over 55 (docs/rules.md, URGENT_RED_FLAG).
	{Key: "minor_trauma", Reason: reasonFracture},
	{Key: "cancer_history", Reason: reasonOtherCause},
	{Key: "fever", Reason: reasonOtherCause},
	{Key: "weight_loss", Reason: reasonOtherCause},
	{Key: "immunosuppression", Reason: reasonOtherCause},
	{Key: "iv_drug_use", Reason: reasonOtherCause},
	{Key: "night_pain", Reason: reasonOtherCause},
	{Key: "progressive_weakness", Reason: reasonNerve},
}

// RetiredFlags are keys of questions the screen asked before it asked one
// thing a question. They are no longer asked, but a stored check-in that
// answered them keeps its meaning: a yes counts as the flag it was, with
// the words it was asked in (no migration).
var RetiredFlags = []Flag{
	// Asked as one question until issue 12; now "bladder" and "bowel".
	{Key: "bladder_bowel", Became: []string{"bladder", "bowel"}, CaudaEquina: true},
	// Asked as one question until issue 12; now "minor_trauma" (everyone).
	{Key: "minor_trauma_osteoporosis", Became: []string{"minor_trauma"}, Reason: reasonFracture},
}

// allFlags are Flags, then RetiredFlags: every key an answer may have.
var allFlags = slices.Concat(Flags, RetiredFlags)

// FlagByKey returns the flag a check-in's answer key names: one of Flags
// or RetiredFlags.
func FlagByKey(k string) (Flag, bool) { return flagByKey(k) }

func flagByKey(k string) (Flag, bool) {
	for _, f := range allFlags {
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

// Before reports whether d and e are days and d comes before e.
func (d Day) Before(e Day) bool { return d.ok && e.ok && d.n < e.n }

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

// sortedKeys lists a map's keys in order, so output never depends on map
// iteration order.
func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
