package care

// The record: what the store holds of a patient, as the rules read it.

import (
	"context"
	"slices"
	"time"

	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

// Patient is what the care pages know about one patient as of a moment:
// the history the rules and progress read, and the store's records behind
// it.
type Patient struct {
	// AsOf is the moment the record was read for, in Zone: the rules'
	// "now".
	AsOf     time.Time
	History  rules.History
	Checkins []store.RedFlagCheckin
	Baseline *store.Baseline // the latest, or nil
	Targets  *store.Targets  // the stored current targets, or nil (the defaults apply)
	// Programme is the current programme version the patient's clinician
	// set, or nil (the content's default programme applies).
	Programme *store.ProgrammeVersion
}

// Advice is the rules' advice for p's history as of p.AsOf.
func (p Patient) Advice() []rules.Advice { return rules.Advise(p.History, p.AsOf) }

// Load reads u's record as of now (the service's clock), in one store
// snapshot: the last HistoryDays of the diary, sessions and walks, the
// rest whole. A record the rules' checkers refuse is left out and logged
// (dropRefused), so the rules never read one unnoticed.
func (s *Service) Load(ctx context.Context, u *store.User) (Patient, error) {
	now := s.Now()
	rec, err := s.st.CareRecord(ctx, u.ID, historyFrom(now))
	if err != nil {
		return Patient{}, err
	}
	return s.patient(u, rec, now), nil
}

// historyFrom is the first moment of the record Load reads as of now: the
// start of the day HistoryDays before.
func historyFrom(now time.Time) time.Time {
	y, m, d := now.In(Zone).Date()
	return time.Date(y, m, d-HistoryDays, 0, 0, 0, 0, Zone)
}

// patient is u's record rec as of now, with what the rules' checkers
// refuse left out (and logged).
func (s *Service) patient(u *store.User, rec store.CareRecord, now time.Time) Patient {
	p := patientOf(u, rec)
	p.AsOf = now
	s.dropRefused(u, &p.History, s.Check(now), rec)
	return p
}

// patientOf is u's record as it is: the history built from rec with
// nothing left out. Every list of rec was read with u's ID: no other
// patient's record can enter it. `stenose check-data` checks what it
// returns (CheckData).
func patientOf(u *store.User, rec store.CareRecord) Patient {
	p := Patient{History: buildHistory(u, rec), Checkins: rec.RedFlagCheckins, Targets: rec.Targets, Programme: rec.Programme}
	if bs := rec.Baselines; len(bs) > 0 {
		b := bs[len(bs)-1]
		p.Baseline = &b
	}
	return p
}

// applyTargets puts the stored targets in h: they are the targets from the
// day they were set (Since), which is the day the rules count a stable week
// from, so a target accepted today is not raised again before a week at it.
func applyTargets(h *rules.History, t store.Targets) {
	h.Targets = rules.Targets{Since: DayIn(t.At), WalkMinutes: t.WalkMinutes, Reps: t.Reps}
}

// applyProgramme puts the clinician's current programme version in h: its
// sessions a week are the plan the rules count adherence and a stable week
// against, and its walking target is the target from the day it was set,
// marked as the clinician's (the rules do not raise it; docs/rules.md, "A
// clinician's targets") — unless the patient has since accepted targets
// of their own (a step down), which are newer. The version's doses are the
// repetitions: no repetition targets beside them.
func applyProgramme(h *rules.History, v store.ProgrammeVersion, t *store.Targets) {
	h.Programme = v.Base
	h.PlannedPerWeek = v.PerWeek
	if t != nil && t.At.After(v.At) {
		return
	}
	h.Targets = rules.Targets{Since: DayIn(v.At), WalkMinutes: v.WalkMinutes, Clinician: true}
}

// neuroKinds are the player's symptom kinds the rules read (A3's three);
// "pain" is stored and exported but is not one of them.
var neuroKinds = []string{"tingling", "burning", "weakness"}

// SessionSymptoms is what the rules read of a session's symptom reports:
// the neurological kinds the patient named. A report without a kind (every
// record from before the player asked, or the patient chose none) counts
// as "weakness", so that it stops and adjusts training as before, unless a
// neurological kind was named in the session.
func SessionSymptoms(t store.TrainingSession) []string {
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
// ones (applyTargets): the walking target is the baseline's time to first
// symptoms in whole minutes (1–30), or DefaultWalkMinutes without one, set
// on the programme's first day.
func buildHistory(u *store.User, rec store.CareRecord) rules.History {
	cs, bs, es, ts, ws := rec.RedFlagCheckins, rec.Baselines, rec.Diary, rec.TrainingSessions, rec.Walks
	h := rules.History{
		Programme:      DefaultProgramme,
		ProgrammeStart: DayIn(u.CreatedAt),
		RecordsFrom:    RecordsFrom(u),
		PlannedPerWeek: PlannedPerWeek,
		Entries:        make([]rules.Entry, 0, len(es)),
		Sessions:       make([]rules.Session, 0, len(ts)),
		Walks:          make([]rules.Walk, 0, len(ws)),
		RedFlagChecks:  make([]rules.RedFlagCheck, 0, len(cs)),
	}
	h.Targets = rules.Targets{Since: h.ProgrammeStart, WalkMinutes: DefaultWalkMinutes}
	if len(bs) > 0 {
		h.ProgrammeStart = DayIn(bs[0].At)
		b := bs[len(bs)-1]
		first := b.SPWTStopSeconds
		if b.SPWTFirstSymptomsSeconds != nil {
			first = *b.SPWTFirstSymptomsSeconds
		}
		h.Baseline = &rules.Baseline{
			Date:     DayIn(b.At),
			SPWT:     rules.SPWT{FirstSymptomsSeconds: first, StopSeconds: b.SPWTStopSeconds},
			LegPain:  b.NRSLeg,
			BackPain: b.NRSBack,
		}
		h.Targets = rules.Targets{Since: h.ProgrammeStart, WalkMinutes: min(30, max(1, first/60))}
	}
	for _, e := range es {
		h.Entries = append(h.Entries, rules.Entry{
			At: DayIn(e.At), LegPain: e.LegPain, BackPain: e.BackPain,
			Tingling: e.Tingling, Burning: e.Burning, Weakness: e.Weakness,
		})
	}
	for _, t := range ts {
		s := rules.Session{Date: DayIn(t.StartedAt), StartedAt: t.StartedAt, EndedAt: t.EndedAt, Programme: t.Programme}
		for _, st := range t.Steps {
			if st.Done {
				s.CompletedSteps++
			} else {
				s.SkippedSteps++
			}
		}
		s.CompletedSteps, s.SkippedSteps = min(s.CompletedSteps, 100), min(s.SkippedSteps, 100)
		s.Symptoms = SessionSymptoms(t)
		h.Sessions = append(h.Sessions, s)
	}
	for _, w := range ws {
		rw := rules.Walk{Date: DayIn(w.StartedAt), StartedAt: w.StartedAt, EndedAt: w.EndedAt, Bouts: make([]rules.Bout, 0, len(w.Bouts))}
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
		rc := rules.RedFlagCheck{Date: DayIn(c.At), Answers: c.Answers, ExaminedSince: ExaminedSince(c)}
		h.RedFlagChecks = append(h.RedFlagChecks, rc)
	}
	h.PSFS = psfsHistory(rec.PSFS)
	if rec.Targets != nil {
		applyTargets(&h, *rec.Targets)
	}
	if v := rec.Programme; v != nil {
		applyProgramme(&h, *v, rec.Targets)
	}
	return h
}

// psfsHistory is the store's scorings as the rules read them, each on its
// calendar day in Zone.
func psfsHistory(ps []store.PSFS) []rules.PSFS {
	out := make([]rules.PSFS, 0, len(ps))
	for _, p := range ps {
		rp := rules.PSFS{Date: DayIn(p.At), Activities: make([]rules.Activity, 0, len(p.Activities))}
		for _, a := range p.Activities {
			rp.Activities = append(rp.Activities, rules.Activity{Name: a.Name, Score: a.Score})
		}
		out = append(out, rp)
	}
	return out
}

// ExaminedSince is the day the rules read as a check-in's examinedSince:
// the examination's day as the patient gave it, or, for a confirmation
// made before the form asked for it, the day it was confirmed (when the
// patient said they had been examined since). Invalid when not examined.
func ExaminedSince(c store.RedFlagCheckin) rules.Day {
	if c.ExaminedAt.IsZero() {
		return rules.Day{}
	}
	if d := rules.ParseDay(c.Examination.On); c.Examination.On != "" && d.Valid() {
		return d
	}
	return DayIn(c.ExaminedAt)
}

// UrgentAdvice is the rules' URGENT_RED_FLAG among advice, or nil: while
// it stands, the programme is paused.
func UrgentAdvice(advice []rules.Advice) *rules.Advice {
	for i := range advice {
		if advice[i].Code == rules.UrgentRedFlag {
			return &advice[i]
		}
	}
	return nil
}
