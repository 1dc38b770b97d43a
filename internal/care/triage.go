package care

// Triage: what the clinic sees of a patient's record — the alerts raised
// from the rules (the same engine and the same advice as the patient's own
// pages, never a second copy) and the patient list's figures. The store
// calls Derive inside every write of the patient's data (store.Deriver), so
// the workspace reads both without recomputing anything.

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/stenose/stenose/internal/progress"
	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

// AlertExamined is the care event "the patient confirmed a doctor's
// examination after a red flag" (redflags.go): not a rule's advice, but the
// clinic should know of it, as of the red flag itself.
const AlertExamined = "EXAMINED"

// examinedRecentDays: an examination confirmed longer ago than this is not
// raised (a patient joining a clinic with an old, settled red flag).
const examinedRecentDays = 30

// alerting says (docs/rules.md, "Alerts for the clinic", with the source
// of each row), for each advice code the clinic is alerted to, how
// pressing it is and which occurrence an alert stands for (its episode):
// a lasting finding is raised once per episode, and raised again when it
// comes back in a new one after being acknowledged. The other codes are
// the patient's own guidance (targets, rest positions, logging a walk) and
// raise nothing.
var alerting = map[rules.Code]struct {
	rank    int
	episode func(p Patient) string
}{
	// A red flag: a phone call today. One per check-in answered yes.
	rules.UrgentRedFlag: {store.RankUrgent, latestUrgentCheckin},
	// Training stopped for tingling, burning or weakness: one per day of
	// the latest such report.
	rules.StopNeuroSymptoms: {store.RankWarning, latestNeuroDay},
	// Clearly worse for two weeks: one per ISO week while it lasts.
	rules.WorseningContact: {store.RankWarning, isoWeek},
	// The review points: once per programme start.
	rules.Status4Weeks:       {store.RankInfo, programmeEpisode("4w")},
	rules.Status12Weeks:      {store.RankInfo, programmeEpisode("12w")},
	rules.ReferNoImprovement: {store.RankInfo, programmeEpisode("refer")},
	// Few of the planned sessions: one per ISO week.
	rules.AdherenceLow: {store.RankInfo, isoWeek},
}

// Alerts are the alerts p's record raises as of p.AsOf: one per advice
// the clinic is alerted to (alerting), and one per examination confirmed
// after a red flag in the last examinedRecentDays.
func (p Patient) Alerts() []store.Alert {
	var out []store.Alert
	for _, a := range p.Advice() {
		how, ok := alerting[a.Code]
		if !ok {
			continue
		}
		out = append(out, store.Alert{
			Code: string(a.Code), Rank: how.rank, Episode: how.episode(p),
			Data: a.Data, Items: a.Items,
		})
	}
	for _, c := range p.Checkins {
		if c.Urgent && !c.ExaminedAt.IsZero() && p.AsOf.Sub(c.ExaminedAt) < examinedRecentDays*24*time.Hour {
			out = append(out, store.Alert{
				Code: AlertExamined, Rank: store.RankInfo, Episode: "check-" + strconv.FormatInt(c.ID, 10),
				Items: examinedItems(c.Examination),
			})
		}
	}
	return out
}

func examinedItems(e store.Examination) []string {
	var out []string
	for _, s := range []string{e.On, e.By} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func latestUrgentCheckin(p Patient) string {
	for i := len(p.Checkins) - 1; i >= 0; i-- {
		if p.Checkins[i].Urgent {
			return "check-" + strconv.FormatInt(p.Checkins[i].ID, 10)
		}
	}
	return isoWeek(p)
}

// latestNeuroDay is the latest day a session or a diary entry reported
// tingling, burning or weakness.
func latestNeuroDay(p Patient) string {
	var last rules.Day
	for _, s := range p.History.Sessions {
		if len(s.Symptoms) > 0 && (!last.Valid() || last.Before(s.Date)) {
			last = s.Date
		}
	}
	for _, e := range p.History.Entries {
		if (e.Tingling || e.Burning || e.Weakness) && (!last.Valid() || last.Before(e.At)) {
			last = e.At
		}
	}
	if !last.Valid() {
		return isoWeek(p)
	}
	return "day-" + last.String()
}

func isoWeek(p Patient) string {
	y, w := p.AsOf.ISOWeek()
	return fmt.Sprintf("week-%d-W%02d", y, w)
}

func programmeEpisode(what string) func(Patient) string {
	return func(p Patient) string { return what + "-" + p.History.ProgrammeStart.String() }
}

// summary is p's line on the clinic's list as of p.AsOf: adherence over 2
// and 4 weeks against the planned sessions, the walking trend against 4
// weeks ago (the progress page's comparison), the latest leg pain and the
// last activity.
func summary(p Patient, rec store.CareRecord) store.Summary {
	var s store.Summary
	r := progress.Compute(p.History, p.AsOf, 4)
	sessions := r.Days[progress.Sessions].Points
	done := func(days int) int {
		n := 0
		for _, pt := range sessions[max(0, len(sessions)-days):] {
			if pt.OK {
				n += int(pt.Value)
			}
		}
		return n
	}
	if planned := p.History.PlannedPerWeek; planned > 0 {
		a2 := min(1000, done(14)*100/(2*planned))
		a4 := min(1000, done(28)*100/(4*planned))
		s.Adherence2w, s.Adherence4w = &a2, &a4
	}
	for _, c := range r.Changes {
		if c.Measure == progress.FirstSymptoms && c.Ref == progress.FourWeeksAgo && c.Then > 0 {
			t := int(math.Round((c.Now - c.Then) / c.Then * 100))
			t = min(10000, max(-100, t))
			s.WalkTrend = &t
		}
	}
	for _, e := range rec.Diary { // oldest first
		if e.At.After(p.AsOf) {
			break
		}
		leg := e.LegPain
		s.LegPain, s.LegPainAt = &leg, e.At
		s.LastActivity = later(s.LastActivity, e.At)
	}
	for _, t := range rec.TrainingSessions {
		s.LastActivity = later(s.LastActivity, t.StartedAt)
	}
	for _, w := range rec.Walks {
		s.LastActivity = later(s.LastActivity, w.StartedAt)
	}
	return s
}

// Derive is the store.Deriver the service installs: the patient's record
// read through the write's transaction, as Load reads it, and what the
// clinic keeps of it.
func (s *Service) Derive(u store.User, record func(from time.Time) (store.CareRecord, error)) (store.Derived, error) {
	now := s.Now()
	rec, err := record(historyFrom(now))
	if err != nil {
		return store.Derived{}, err
	}
	p := s.patient(&u, rec, now)
	return store.Derived{Alerts: p.Alerts(), Summary: summary(p, rec)}, nil
}

// later is the later of a and b.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// refreshBatch is how many patients one RefreshStale derives again at
// most: the rest wait for the next round.
const refreshBatch = 1000

// RefreshStale derives again the alerts and figures of the patients whose
// summary is from before today (in Zone) and returns how many: what the
// rules find with time alone — a review due, days without sessions —
// reaches the clinic's list even when the patient writes nothing.
func (s *Service) RefreshStale(ctx context.Context) (int, error) {
	y, m, d := s.Now().Date()
	ids, err := s.st.StaleSummaries(ctx, time.Date(y, m, d, 0, 0, 0, 0, Zone), refreshBatch)
	if err != nil {
		return 0, err
	}
	for i, id := range ids {
		if err := s.st.Rederive(ctx, id); err != nil {
			return i, err
		}
	}
	return len(ids), nil
}

// KeepFresh runs RefreshStale now and then every `every` until ctx ends,
// logging what it did and telling done (when not nil) after each round.
// Several servers may run it at once: deriving twice writes the same rows.
func (s *Service) KeepFresh(ctx context.Context, every time.Duration, done func(patients int, err error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := s.RefreshStale(ctx)
		if done != nil && ctx.Err() == nil {
			done(n, err)
		}
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.Error("deriving the clinics' lists again", "err", err, "patients", n)
		case n > 0:
			s.log.Info("derived the clinics' lists again", "patients", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
