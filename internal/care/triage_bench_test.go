package care

import (
	"fmt"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/store"
)

// BenchmarkDerive times what every write of a patient's data adds to its
// transaction (Derive: the record of the last HistoryDays read, the
// rules, the list's figures) for a patient of a clinic with 120 days of a
// diary entry a day, a walk a day, a session every other day and a weekly
// red-flag screen, on SQLite.
func BenchmarkDerive(b *testing.B) {
	st := openSQLite(b)
	s := New(Config{Store: st})
	ctx := b.Context()
	now := s.Now()
	c, err := st.CreateClinic(ctx, store.Clinic{Slug: "k", Name: "K"})
	if err != nil {
		b.Fatal(err)
	}
	start := now.AddDate(0, 0, -HistoryDays)
	u, err := st.CreateUser(ctx, store.User{Login: "p", Role: store.RolePatient, ClinicID: c.ID, CreatedAt: start})
	if err != nil {
		b.Fatal(err)
	}
	first := 200
	rec := store.CareRecord{Baselines: []store.Baseline{{At: start, SPWTFirstSymptomsSeconds: &first, SPWTStopSeconds: 400, NRSLeg: 6, NRSBack: 4}}}
	for d := range HistoryDays {
		at := start.AddDate(0, 0, d).Add(time.Hour)
		rec.Diary = append(rec.Diary, store.DiaryEntry{At: at, LegPain: 6 - d/40, BackPain: 3})
		fs := 200 + d
		rec.Walks = append(rec.Walks, store.Walk{ClientID: fmt.Sprint("w", d), StartedAt: at, EndedAt: at.Add(15 * time.Minute),
			Bouts: []store.Bout{{WalkSeconds: fs + 60, PauseSeconds: 90, FirstSymptomsSeconds: &fs}, {WalkSeconds: 300}}})
		if d%2 == 0 {
			var steps []store.SessionStep
			for _, ex := range []string{"siddende-cykling", "knae-til-bryst", "kattestraek", "laendesiddende-stilling", "gaaende-med-pauser"} {
				steps = append(steps, store.SessionStep{Exercise: ex, Done: true})
			}
			rec.TrainingSessions = append(rec.TrainingSessions, store.TrainingSession{ClientID: fmt.Sprint("s", d), Programme: DefaultProgramme,
				StartedAt: at, EndedAt: at.Add(20 * time.Minute), Steps: steps})
		}
		if d%RecheckDays == 0 {
			rec.RedFlagCheckins = append(rec.RedFlagCheckins, store.RedFlagCheckin{At: at, Answers: map[string]bool{"fever": false}})
		}
	}
	if err := st.ImportRecord(ctx, u.ID, rec); err != nil {
		b.Fatal(err)
	}
	u, err = st.UserByID(ctx, u.ID)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("record", func(b *testing.B) {
		for b.Loop() {
			if _, err := st.CareRecord(ctx, u.ID, historyFrom(s.Now())); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("derive", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Derive(u, func(from time.Time) (store.CareRecord, error) { return st.CareRecord(ctx, u.ID, from) }); err != nil {
				b.Fatal(err)
			}
		}
	})
}
