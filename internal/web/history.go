package web

import (
	"context"
	"errors"
	"slices"
	"time"
	_ "time/tzdata" // Europe/Copenhagen without a system zone database

	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

// copenhagen is the patients' zone: "today" and every day of the history
// are calendar days there.
var copenhagen = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		panic(err) // time/tzdata is embedded: cannot happen
	}
	return loc
}()

// The clinic's conservative defaults for the history the rules read, until
// a clinician sets a patient's plan (docs/rules.md, "Thresholds").
const (
	// plannedPerWeek: the trials in docs/sources.md ("Review points and
	// referral") ran about twice weekly; the programme plans three short
	// sessions (docs/advise-example.json).
	plannedPerWeek = 3
	// defaultWalkMinutes is the walking target without a baseline: a short
	// walk with pauses ("short distances at first are accepted", A5).
	defaultWalkMinutes = 5
	// recheckDays: the red-flag screen is repeated at every weekly check-in.
	recheckDays = 7
	// programmeSlug is the default programme (A5).
	programmeSlug = "5-bedste-oevelser"
)

// patientData is what the care pages know about one patient: the history
// the rules and progress read, and the store's records behind it.
type patientData struct {
	History  rules.History
	Checkins []store.RedFlagCheckin
	Baseline *store.Baseline // the latest, or nil
	Targets  *store.Targets  // the stored current targets, or nil (the defaults apply)
}

// dayIn is t's calendar day in Copenhagen.
func dayIn(t time.Time) rules.Day { return rules.DayOf(t.In(copenhagen)) }

// historyDays is how far back the diary, sessions and walks are read: the
// rules look at most 84 days back (REFER_NO_IMPROVEMENT) and the progress
// page shows 12 weeks and compares with 4 weeks ago; the red-flag
// check-ins, baselines and PSFS scorings are read whole. A margin keeps a
// week boundary inside.
const historyDays = 120

// loadPatient builds u's history from the store, as of now: the last
// historyDays of the diary, sessions and walks (readPatient). A record the
// rules' checkers refuse is left out and logged (dropRefused), so the rules
// never read one unnoticed.
func (a *app) loadPatient(ctx context.Context, u *store.User, now time.Time) (patientData, error) {
	y, m, d := now.In(copenhagen).Date()
	p, recs, err := readPatient(ctx, a.st, u, time.Date(y, m, d-historyDays, 0, 0, 0, 0, copenhagen))
	if err != nil {
		return p, err
	}
	a.dropRefused(u, &p.History, a.check(now), recs)
	return p, nil
}

// storedRecords are the store's records behind a history's lists, in the
// same order, so that a record left out can be named by its id.
type storedRecords struct {
	baselines []store.Baseline
	checkins  []store.RedFlagCheckin
	entries   []store.DiaryEntry
	sessions  []store.TrainingSession
	walks     []store.Walk
	psfs      []store.PSFS
}

// readPatient builds u's history from the store as it is: the diary,
// sessions and walks from `from` on (zero: all of them), everything else
// whole. Every list is read with u's ID: no other patient's record can
// enter it. `stenose check-data` checks what it returns (CheckData).
func readPatient(ctx context.Context, st *store.Store, u *store.User, from time.Time) (p patientData, recs storedRecords, err error) {
	if p.Checkins, err = st.ListRedFlagCheckins(ctx, u.ID); err != nil {
		return p, recs, err
	}
	bs, err := st.ListBaselines(ctx, u.ID)
	if err != nil {
		return p, recs, err
	}
	entries, err := st.ListDiaryEntries(ctx, u.ID, from, time.Time{})
	if err != nil {
		return p, recs, err
	}
	sessions, err := st.ListTrainingSessions(ctx, u.ID, from, time.Time{})
	if err != nil {
		return p, recs, err
	}
	walks, err := st.ListWalks(ctx, u.ID, from, time.Time{})
	if err != nil {
		return p, recs, err
	}
	scores, err := st.ListPSFS(ctx, u.ID)
	if err != nil {
		return p, recs, err
	}
	p.History = buildHistory(u, p.Checkins, bs, entries, sessions, walks)
	p.History.PSFS = psfsHistory(scores)
	switch t, err := st.CurrentTargets(ctx, u.ID); {
	case err == nil:
		p.Targets = &t
		applyTargets(&p.History, t)
	case !errors.Is(err, store.ErrNotFound):
		return p, recs, err
	}
	if len(bs) > 0 {
		b := bs[len(bs)-1]
		p.Baseline = &b
	}
	recs = storedRecords{baselines: bs, checkins: p.Checkins, entries: entries, sessions: sessions, walks: walks, psfs: scores}
	return p, recs, nil
}

// applyTargets puts the stored targets in h: they are the targets from the
// day they were set (Since), which is the day the rules count a stable week
// from, so a target accepted today is not raised again before a week at it.
func applyTargets(h *rules.History, t store.Targets) {
	h.Targets = rules.Targets{Since: dayIn(t.At), WalkMinutes: t.WalkMinutes, Reps: t.Reps}
}

// neuroKinds are the player's symptom kinds the rules read (A3's three);
// "pain" is stored and exported but is not one of them.
var neuroKinds = []string{"tingling", "burning", "weakness"}

// sessionSymptoms is what the rules read of a session's symptom reports:
// the neurological kinds the patient named. A report without a kind (every
// record from before the player asked, or the patient chose none) counts
// as "weakness", so that it stops and adjusts training as before, unless a
// neurological kind was named in the session.
func sessionSymptoms(t store.TrainingSession) []string {
	var out []string
	unnamed := t.Symptoms > 0
	for _, st := range t.Steps {
		if len(st.SymptomKinds) > 0 {
			unnamed = false
			break
		}
	}
	for _, st := range t.Steps {
		if st.Symptoms && len(st.SymptomKinds) == 0 {
			unnamed = true
		}
	}
	for _, k := range t.SymptomKinds() {
		if slices.Contains(neuroKinds, k) {
			out = append(out, k)
		}
	}
	if unnamed && len(out) == 0 {
		out = []string{"weakness"}
	}
	return out
}

// buildHistory turns the store's records into the rules' history. The
// programme starts on the day of the first baseline (else the day the
// account was made). The default targets, until the patient accepts new
// ones (loadPatient, applyTargets): the walking target is the baseline's
// time to first symptoms in whole minutes (1–30), or defaultWalkMinutes
// without one, set on the programme's first day.
func buildHistory(u *store.User, cs []store.RedFlagCheckin, bs []store.Baseline, es []store.DiaryEntry, ts []store.TrainingSession, ws []store.Walk) rules.History {
	h := rules.History{
		Programme:      programmeSlug,
		ProgrammeStart: dayIn(u.CreatedAt),
		RecordsFrom:    recordsFrom(u),
		PlannedPerWeek: plannedPerWeek,
		Entries:        make([]rules.Entry, 0, len(es)),
		Sessions:       make([]rules.Session, 0, len(ts)),
		Walks:          make([]rules.Walk, 0, len(ws)),
		RedFlagChecks:  make([]rules.RedFlagCheck, 0, len(cs)),
	}
	h.Targets = rules.Targets{Since: h.ProgrammeStart, WalkMinutes: defaultWalkMinutes}
	if len(bs) > 0 {
		h.ProgrammeStart = dayIn(bs[0].At)
		b := bs[len(bs)-1]
		first := b.SPWTStopSeconds
		if b.SPWTFirstSymptomsSeconds != nil {
			first = *b.SPWTFirstSymptomsSeconds
		}
		h.Baseline = &rules.Baseline{
			Date:     dayIn(b.At),
			SPWT:     rules.SPWT{FirstSymptomsSeconds: first, StopSeconds: b.SPWTStopSeconds},
			LegPain:  b.NRSLeg,
			BackPain: b.NRSBack,
		}
		h.Targets = rules.Targets{Since: h.ProgrammeStart, WalkMinutes: min(30, max(1, first/60))}
	}
	for _, e := range es {
		h.Entries = append(h.Entries, rules.Entry{
			At: dayIn(e.At), LegPain: e.LegPain, BackPain: e.BackPain,
			Tingling: e.Tingling, Burning: e.Burning, Weakness: e.Weakness,
		})
	}
	for _, t := range ts {
		s := rules.Session{Date: dayIn(t.StartedAt), StartedAt: t.StartedAt, EndedAt: t.EndedAt, Programme: t.Programme}
		for _, st := range t.Steps {
			if st.Done {
				s.CompletedSteps++
			} else {
				s.SkippedSteps++
			}
		}
		s.CompletedSteps, s.SkippedSteps = min(s.CompletedSteps, 100), min(s.SkippedSteps, 100)
		s.Symptoms = sessionSymptoms(t)
		h.Sessions = append(h.Sessions, s)
	}
	for _, w := range ws {
		rw := rules.Walk{Date: dayIn(w.StartedAt), StartedAt: w.StartedAt, EndedAt: w.EndedAt, Bouts: make([]rules.Bout, 0, len(w.Bouts))}
		for _, b := range w.Bouts {
			rb := rules.Bout{WalkSeconds: b.WalkSeconds, PauseSeconds: b.PauseSeconds}
			if b.FirstSymptomsSeconds != nil {
				rb.FirstSymptomsSeconds = *b.FirstSymptomsSeconds
			}
			rw.Bouts = append(rw.Bouts, rb)
		}
		h.Walks = append(h.Walks, rw)
	}
	for _, c := range cs {
		rc := rules.RedFlagCheck{Date: dayIn(c.At), Answers: c.Answers, ExaminedSince: examinedSince(c)}
		h.RedFlagChecks = append(h.RedFlagChecks, rc)
	}
	return h
}

// urgentAdvice is the rules' URGENT_RED_FLAG for h today, or nil: while it
// stands, the programme is paused.
func urgentAdvice(advice []rules.Advice) *rules.Advice {
	for i := range advice {
		if advice[i].Code == rules.UrgentRedFlag {
			return &advice[i]
		}
	}
	return nil
}
