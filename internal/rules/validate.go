package rules

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/stenose/stenose/internal/i18n"
)

// The limits of what a history may hold (docs/rules.md, "What a history
// may hold"). `stenose advise`, the diary forms and the sync APIs of the
// player and walk mode all check records with the functions below, so a
// value is refused in the same words wherever it comes from.
const (
	maxPlannedPerWeek = 14
	maxSPWTSeconds    = 30 * 60 // the SPWT stops at 30 minutes
	maxBoutSeconds    = 4 * 3600
	maxSteps          = 100
	maxWalkMinutes    = 120
	maxRepsTarget     = 100
	maxRepsKeys       = 20
	maxNoteRunes      = 2000
	maxNameRunes      = 80 // a slug, a PSFS activity's name
	maxPSFSActivities = 3
	maxBouts          = 200
	maxListItems      = 20000 // per list: 50 years of daily records
	// MaxSpanHours: a session or walk lasts at most a day.
	maxSpanHours = 24
	// ClockSkew is how far after the clock a time stamp may lie (a phone's
	// clock a little ahead); a day may be at most tomorrow, which is left
	// out of the advice and named.
	ClockSkew = 15 * time.Minute
	// boutSlackSeconds: the bouts may exceed the walk's span by this much
	// (the phone rounds each bout to whole seconds).
	boutSlackSeconds = 60
)

// MaxHistoryBytes is the largest history `stenose advise` reads.
const MaxHistoryBytes = 16 << 20

// Problem is one thing wrong with a history or a record: where (Path,
// the JSON path such as "entries[6].at"), a stable Code, and the message
// in English and Danish. A LeftOut problem does not refuse the history:
// the record is left out of the advice and named.
type Problem struct {
	Path    string
	Code    string
	Says    Phrase // the message, a "problem_" text of the catalogue
	LeftOut bool
}

// Error is "path: message" in English.
func (p *Problem) Error() string { return p.Path + ": " + p.Text(i18n.En) }

// Text is the message in l.
func (p *Problem) Text(l i18n.Lang) string { return p.Says.Text(l) }

// Problem codes, stable for callers that map them to form fields.
const (
	ProblemMissing     = "missing"
	ProblemNotADate    = "not_a_date"
	ProblemRange       = "out_of_range"
	ProblemAfterNow    = "after_now"
	ProblemTomorrow    = "tomorrow"
	ProblemBeforeStart = "before_start"
	ProblemOrder       = "out_of_order"
	ProblemUTF8        = "invalid_utf8"
	ProblemControl     = "control_character"
	ProblemUnknown     = "unknown"
	ProblemTooLong     = "too_long"
	ProblemTooMany     = "too_many"
	ProblemSpan        = "span"
)

// Check is what a check needs besides the records: the clock, and the
// names the content knows (nil: any name is accepted).
type Check struct {
	Now       time.Time
	Programme func(slug string) bool
	Exercise  func(slug string) bool
}

// problems collects Problems.
type problems []*Problem

// add is a problem at path; key names its message ("problem_"+key). A
// number is shown as the record holds it (14400, not 14.400).
func (ps *problems) add(path, code, key string, args ...any) {
	for i, a := range args {
		switch a := a.(type) {
		case int:
			args[i] = strconv.Itoa(a)
		case int64:
			args[i] = strconv.FormatInt(a, 10)
		}
	}
	*ps = append(*ps, &Problem{Path: path, Code: code, Says: Phrase{Key: "problem_" + key, Args: args}})
}

func join(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

func (ps *problems) rng(path string, v, lo, hi int) {
	if v < lo || v > hi {
		ps.add(path, ProblemRange, "range", v, lo, hi)
	}
}

func (ps *problems) missing(path string) {
	ps.add(path, ProblemMissing, "missing")
}

// day checks a day: valid when present (and present when required), not
// after tomorrow (tomorrow: left out), and not before earliest when that is
// valid.
func (ps *problems) day(path string, d Day, required bool, today int64, earliest Day) bool {
	switch {
	case !d.ok && d.raw != "":
		ps.add(path, ProblemNotADate, "notADate", d.raw)
		return false
	case !d.ok:
		if required {
			ps.missing(path)
		}
		return false
	}
	now := Day{n: today, ok: true}
	switch {
	case d.n > today+1:
		ps.add(path, ProblemAfterNow, "dayAfterToday", d, now)
		return false
	case d.n == today+1:
		ps.add(path, ProblemTomorrow, "tomorrow", d, now)
		(*ps)[len(*ps)-1].LeftOut = true
		return false
	case earliest.ok && d.n < earliest.n:
		ps.add(path, ProblemBeforeStart, "beforeStart", d, earliest)
		return false
	}
	return true
}

// stamp checks an optional time stamp: not after now + ClockSkew.
func (ps *problems) stamp(path string, t, now time.Time) {
	if t.IsZero() {
		return
	}
	if t.After(now.Add(ClockSkew)) {
		ps.add(path, ProblemAfterNow, "afterNow", t, now)
	}
	if t.Year() < 2000 {
		ps.add(path, ProblemRange, "before2000", yearOf(t))
	}
}

// span checks a record's start and end: end not before start, at most a
// day apart; it returns the span in seconds (-1 when unknown).
func (ps *problems) span(path string, start, end time.Time) int64 {
	if start.IsZero() || end.IsZero() {
		return -1
	}
	d := end.Sub(start)
	switch {
	case d < 0:
		ps.add(join(path, "endedAt"), ProblemSpan, "endBeforeStart")
		return -1
	case d > maxSpanHours*time.Hour:
		ps.add(join(path, "endedAt"), ProblemSpan, "spanTooLong", maxSpanHours)
		return -1
	}
	return int64(d / time.Second)
}

// text checks a string: valid UTF-8 without U+FFFD (what a decoder makes
// of invalid bytes), no control characters (in a note: tab, newline and
// carriage return are allowed), at most max characters.
func (ps *problems) text(path, s string, max int, note bool) bool {
	if !utf8.ValidString(s) || strings.ContainsRune(s, utf8.RuneError) {
		ps.add(path, ProblemUTF8, "utf8")
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) && !(note && (r == '\n' || r == '\t' || r == '\r')) {
			ps.add(path, ProblemControl, "control", fmt.Sprintf("%U", r))
			return false
		}
	}
	if n := utf8.RuneCountInString(s); n > max {
		ps.add(path, ProblemTooLong, "tooLong", n, max)
		return false
	}
	return true
}

// name checks an identifier: text, not blank, and known when known is set.
func (ps *problems) name(path, s, kind string, known func(string) bool) {
	if !ps.text(path, s, maxNameRunes, false) {
		return
	}
	switch {
	case strings.TrimSpace(s) == "":
		ps.missing(path)
	case known != nil && !known(s):
		ps.add(path, ProblemUnknown, "unknown_"+kind, quote(s))
	}
}

func (ps *problems) oneOf(path, s string, list []string) {
	if !contains(list, s) {
		ps.add(path, ProblemUnknown, "notOneOf", quote(s), strings.Join(list, ", "))
	}
}

func (ps *problems) count(path string, n, max int) bool {
	if n > max {
		ps.add(path, ProblemTooMany, "tooMany", n, max)
		return false
	}
	return true
}

// order names the first record of a list whose day comes before the one
// above it.
func (ps *problems) order(list string, days []Day) {
	prev := -1
	for i, d := range days {
		if !d.ok {
			continue
		}
		if prev >= 0 && d.n < days[prev].n {
			ps.add(fmt.Sprintf("%s[%d]", list, i), ProblemOrder, "order", d, fmt.Sprintf("%s[%d]", list, prev), days[prev])
			return
		}
		prev = i
	}
}

// earliest is the first day records may date from.
func (h History) earliest() Day {
	e := h.ProgrammeStart
	if h.RecordsFrom.ok && (!e.ok || h.RecordsFrom.n < e.n) {
		e = h.RecordsFrom
	}
	return e
}

// Check lists every problem with h as of c.Now, in the order of the JSON
// fields; nil when there is none. Problems that are not LeftOut refuse the
// history.
func (h History) Check(c Check) []*Problem {
	var ps problems
	today := DayOf(c.Now).n
	none := Day{}
	if h.Programme != "" {
		ps.name("programme", h.Programme, "programme", c.Programme)
	}
	ps.day("programmeStart", h.ProgrammeStart, true, today, none)
	ps.day("recordsFrom", h.RecordsFrom, false, today, none)
	ps.rng("plannedPerWeek", h.PlannedPerWeek, 1, maxPlannedPerWeek)
	earliest := h.earliest()
	if b := h.Baseline; b != nil {
		ps = append(ps, CheckBaseline(*b, "baseline", c, none)...)
	}
	ps.day("targets.since", h.Targets.Since, false, today+1, none) // a target set tomorrow counts as set today
	ps.rng("targets.walkMinutes", h.Targets.WalkMinutes, 0, maxWalkMinutes)
	if ps.count("targets.reps", len(h.Targets.Reps), maxRepsKeys) {
		for _, k := range sortedKeys(h.Targets.Reps) {
			p := "targets.reps." + k
			ps.name(p, k, "exercise", c.Exercise)
			ps.rng(p, h.Targets.Reps[k], 1, maxRepsTarget)
		}
	}
	lists := []struct {
		name string
		n    int
		day  func(i int) Day
		one  func(i int, path string) []*Problem
	}{
		{"entries", len(h.Entries), func(i int) Day { return h.Entries[i].At },
			func(i int, p string) []*Problem { return CheckEntry(h.Entries[i], p, c, earliest) }},
		{"sessions", len(h.Sessions), func(i int) Day { return h.Sessions[i].Date },
			func(i int, p string) []*Problem { return CheckSession(h.Sessions[i], p, c, earliest) }},
		{"walks", len(h.Walks), func(i int) Day { return h.Walks[i].Date },
			func(i int, p string) []*Problem { return CheckWalk(h.Walks[i], p, c, earliest) }},
		{"redFlagChecks", len(h.RedFlagChecks), func(i int) Day { return h.RedFlagChecks[i].Date },
			func(i int, p string) []*Problem { return CheckRedFlags(h.RedFlagChecks[i], p, c) }},
		{"psfs", len(h.PSFS), func(i int) Day { return h.PSFS[i].Date },
			func(i int, p string) []*Problem { return CheckPSFS(h.PSFS[i], p, c, earliest) }},
	}
	for _, l := range lists {
		if !ps.count(l.name, l.n, maxListItems) {
			continue
		}
		days := make([]Day, l.n)
		for i := range l.n {
			days[i] = l.day(i)
			ps = append(ps, l.one(i, fmt.Sprintf("%s[%d]", l.name, i))...)
		}
		ps.order(l.name, days)
	}
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// Refused returns the problems that refuse a history (not LeftOut).
func Refused(ps []*Problem) []*Problem {
	var out []*Problem
	for _, p := range ps {
		if !p.LeftOut {
			out = append(out, p)
		}
	}
	return out
}

// CheckBaseline checks the baseline measured at onboarding.
func CheckBaseline(b Baseline, path string, c Check, earliest Day) []*Problem {
	var ps problems
	ps.day(join(path, "date"), b.Date, true, DayOf(c.Now).n, earliest)
	sp := join(path, "spwt")
	ps.rng(join(sp, "stopSeconds"), b.SPWT.StopSeconds, 1, maxSPWTSeconds)
	ps.rng(join(sp, "firstSymptomsSeconds"), b.SPWT.FirstSymptomsSeconds, 0, maxSPWTSeconds)
	if b.SPWT.FirstSymptomsSeconds > b.SPWT.StopSeconds && b.SPWT.StopSeconds >= 1 && b.SPWT.FirstSymptomsSeconds <= maxSPWTSeconds {
		ps.add(join(sp, "firstSymptomsSeconds"), ProblemRange,
			"firstAfterStop", b.SPWT.FirstSymptomsSeconds, b.SPWT.StopSeconds)
	}
	ps.rng(join(path, "legPain"), b.LegPain, 0, 10)
	ps.rng(join(path, "backPain"), b.BackPain, 0, 10)
	return ps
}

// CheckEntry checks one diary entry.
func CheckEntry(e Entry, path string, c Check, earliest Day) []*Problem {
	var ps problems
	ps.day(join(path, "at"), e.At, true, DayOf(c.Now).n, earliest)
	ps.rng(join(path, "legPain"), e.LegPain, 0, 10)
	ps.rng(join(path, "backPain"), e.BackPain, 0, 10)
	ps.text(join(path, "note"), e.Note, maxNoteRunes, true)
	return ps
}

// CheckSession checks one session of the player.
func CheckSession(s Session, path string, c Check, earliest Day) []*Problem {
	var ps problems
	ps.day(join(path, "date"), s.Date, true, DayOf(c.Now).n, earliest)
	ps.stamp(join(path, "startedAt"), s.StartedAt, c.Now)
	ps.stamp(join(path, "endedAt"), s.EndedAt, c.Now)
	ps.span(path, s.StartedAt, s.EndedAt)
	if s.Programme != "" {
		ps.name(join(path, "programme"), s.Programme, "programme", c.Programme)
	}
	ps.rng(join(path, "completedSteps"), s.CompletedSteps, 0, maxSteps)
	ps.rng(join(path, "skippedSteps"), s.SkippedSteps, 0, maxSteps)
	if ps.count(join(path, "symptoms"), len(s.Symptoms), len(symptomNames)) {
		for i, sym := range s.Symptoms {
			q := fmt.Sprintf("%s[%d]", join(path, "symptoms"), i)
			if ps.text(q, sym, maxNameRunes, false) {
				ps.oneOf(q, sym, symptomNames)
			}
		}
	}
	if ps.count(join(path, "exercises"), len(s.Exercises), maxSteps) {
		for j, x := range s.Exercises {
			q := fmt.Sprintf("%s.exercises[%d]", path, j)
			ps.name(join(q, "slug"), x.Slug, "exercise", nil) // another programme's exercise may be named (AVOID_EXTENSION)
			if ps.text(join(q, "posture"), x.Posture, maxNameRunes, false) {
				ps.oneOf(join(q, "posture"), x.Posture, postures)
			}
		}
	}
	return ps
}

// CheckWalk checks one walk of walk mode: each bout in range, and all of
// them within the walk's start and end when those are known.
func CheckWalk(w Walk, path string, c Check, earliest Day) []*Problem {
	var ps problems
	ps.day(join(path, "date"), w.Date, true, DayOf(c.Now).n, earliest)
	ps.stamp(join(path, "startedAt"), w.StartedAt, c.Now)
	ps.stamp(join(path, "endedAt"), w.EndedAt, c.Now)
	span := ps.span(path, w.StartedAt, w.EndedAt)
	if len(w.Bouts) == 0 {
		ps.add(join(path, "bouts"), ProblemMissing, "noBouts")
	}
	if !ps.count(join(path, "bouts"), len(w.Bouts), maxBouts) {
		return ps
	}
	var sum int64
	for j, b := range w.Bouts {
		q := fmt.Sprintf("%s.bouts[%d]", path, j)
		ps.rng(join(q, "walkSeconds"), b.WalkSeconds, 1, maxBoutSeconds)
		ps.rng(join(q, "pauseSeconds"), b.PauseSeconds, 0, maxBoutSeconds)
		if b.FirstSymptomsSeconds < 0 || b.FirstSymptomsSeconds > b.WalkSeconds {
			ps.add(join(q, "firstSymptomsSeconds"), ProblemRange,
				"firstAfterWalk", b.FirstSymptomsSeconds, b.WalkSeconds)
		}
		if boutOK(b) {
			sum += int64(b.WalkSeconds)
			if j < len(w.Bouts)-1 { // the last pause may run on after the walk ends
				sum += int64(b.PauseSeconds)
			}
		}
	}
	if span >= 0 && sum > span+boutSlackSeconds {
		ps.add(join(path, "bouts"), ProblemSpan,
			"boutsTooLong", sum, span)
	}
	return ps
}

// CheckRedFlags checks a red-flag check-in (it may come before the
// programme start: the screen comes first).
func CheckRedFlags(r RedFlagCheck, path string, c Check) []*Problem {
	var ps problems
	today := DayOf(c.Now).n
	ps.day(join(path, "date"), r.Date, true, today, Day{})
	ps.day(join(path, "examinedSince"), r.ExaminedSince, false, today, Day{})
	for _, k := range sortedKeys(r.Answers) {
		q := join(path, "answers."+k)
		if !ps.text(q, k, maxNameRunes, false) {
			continue
		}
		if _, ok := flagByKey(k); !ok {
			ps.add(q, ProblemUnknown, "unknown_flag", quote(k))
		}
	}
	return ps
}

// CheckPSFS checks one PSFS scoring: 1–3 activities, each named and scored
// 0–10, no name twice.
func CheckPSFS(p PSFS, path string, c Check, earliest Day) []*Problem {
	var ps problems
	ps.day(join(path, "date"), p.Date, true, DayOf(c.Now).n, earliest)
	if len(p.Activities) == 0 {
		ps.add(join(path, "activities"), ProblemMissing, "noActivities")
	}
	if !ps.count(join(path, "activities"), len(p.Activities), maxPSFSActivities) {
		return ps
	}
	seen := map[string]bool{}
	for i, a := range p.Activities {
		q := fmt.Sprintf("%s.activities[%d]", path, i)
		ps.name(join(q, "name"), a.Name, "", nil)
		key := strings.ToLower(strings.TrimSpace(a.Name))
		if seen[key] && key != "" {
			ps.add(join(q, "name"), ProblemUnknown, "twice", quote(a.Name))
		}
		seen[key] = true
		ps.rng(join(q, "score"), a.Score, 0, 10)
	}
	return ps
}

// danishDate is d as DD-MM-YYYY, the way the Danish pages write a date.
// UnknownName is the problem of a name the content does not know, kind
// "exercise" or "programme", as the checks here say it.
func UnknownName(path, kind, name string) *Problem {
	var ps problems
	ps.add(path, ProblemUnknown, "unknown_"+kind, quote(name))
	return ps[0]
}

// yearOf is a time stamp whose year is the problem: shown as its day in
// Danish, in full in English.
type yearOf time.Time

// quote is s in Go's double quotes, as a problem shows a value it refuses.
func quote(s string) string { return strconv.Quote(s) }

func danishDate(d Day) string {
	if !d.ok {
		return d.raw
	}
	s := d.String()
	return s[8:10] + "-" + s[5:7] + "-" + s[0:4]
}

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

func psfsOK(p PSFS) bool {
	if !p.Date.ok || len(p.Activities) == 0 || len(p.Activities) > maxPSFSActivities {
		return false
	}
	for _, a := range p.Activities {
		if !nrsOK(a.Score) {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
