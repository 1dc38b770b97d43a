package store

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// countingDeriver is fixedDeriver, counting its calls.
type countingDeriver struct{ n *atomic.Int64 }

func (d countingDeriver) Derive(u User, record func(from time.Time) (CareRecord, error)) (Derived, error) {
	d.n.Add(1)
	return fixedDeriver{}.Derive(u, record)
}

// importSample is a record with more of each list than one INSERT takes
// (importRows), a session and a walk sent twice, symptoms named in a step
// and a bout without symptoms.
func importSample() CareRecord {
	var r CareRecord
	r.RedFlagCheckins = []RedFlagCheckin{
		{At: t0.Add(-30 * 24 * time.Hour), Answers: map[string]bool{"fever": false}},
		{At: t0.Add(-2 * time.Hour), Answers: map[string]bool{"fever": true}, Urgent: true,
			ExaminedAt: t0.Add(-time.Hour), Examination: Examination{On: "2026-11-01", By: ExaminedByOwnDoctor}},
	}
	r.Baselines = []Baseline{{At: t0.Add(-100 * 24 * time.Hour), SPWTFirstSymptomsSeconds: ip(200), SPWTStopSeconds: 400, NRSLeg: 7, NRSBack: 3}}
	r.PSFS = []PSFS{{At: t0.Add(-100 * 24 * time.Hour), Activities: []PSFSActivity{{Name: "Gå til bageren", Score: 3}}}}
	for i := range 2*importRows + 7 {
		at := t0.Add(-time.Duration(i+1) * 12 * time.Hour)
		r.Diary = append(r.Diary, DiaryEntry{At: at, LegPain: i % 11, BackPain: 3, Tingling: i == 5, Note: fmt.Sprint("note ", i)})
		if i%2 == 0 {
			r.Diary[i].ClientID = fmt.Sprint("d", i) // from the form; the others from before client ids
			r.TrainingSessions = append(r.TrainingSessions, TrainingSession{ClientID: fmt.Sprint("s", i), Programme: "p",
				StartedAt: at, EndedAt: at.Add(20 * time.Minute), Symptoms: i % 3,
				Steps: []SessionStep{{Exercise: "a", Done: true}, {Exercise: "b", Symptoms: true, SymptomKinds: []string{"tingling", "pain"}}}})
			r.Walks = append(r.Walks, Walk{ClientID: fmt.Sprint("w", i), StartedAt: at, EndedAt: at.Add(15 * time.Minute),
				Bouts: []Bout{{WalkSeconds: 300, PauseSeconds: 60, FirstSymptomsSeconds: ip(250)}, {WalkSeconds: 100}}})
		}
	}
	// Sent twice: the first copy wins. (A diary form sent twice says the
	// same; one saying something else is another entry: TestDiaryClientID.)
	s, w := r.TrainingSessions[0], r.Walks[0]
	s.Programme, w.Bouts = "other", nil
	r.TrainingSessions, r.Walks = append(r.TrainingSessions, s), append(r.Walks, w)
	r.Diary = append(r.Diary, r.Diary[0])
	return r
}

// TestImportRecord: a record imported in one call is the record the Add
// functions write one by one (lists, steps, bouts, the first copy of a
// session or walk sent twice, and one saved before the import kept), and
// is derived once; a record that fails a check, targets, an unknown user
// or a failing deriver write nothing.
func TestImportRecord(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		var derived atomic.Int64
		s.SetDeriver(countingDeriver{&derived})
		c, err := s.CreateClinic(ctx, Clinic{Slug: "k", Name: "K"})
		if err != nil {
			t.Fatal(err)
		}
		one, bulk := inClinic(t, s, "one", "One", c.ID), inClinic(t, s, "bulk", "Bulk", c.ID)
		rec := importSample()

		// A session and a walk already saved: the import keeps them.
		if _, _, err := s.AddTrainingSession(ctx, TrainingSession{UserID: bulk.ID, ClientID: "s2", Programme: "before", StartedAt: t0, EndedAt: t0}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.AddWalk(ctx, Walk{UserID: bulk.ID, ClientID: "w2", StartedAt: t0, EndedAt: t0}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.AddTrainingSession(ctx, TrainingSession{UserID: one.ID, ClientID: "s2", Programme: "before", StartedAt: t0, EndedAt: t0}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.AddWalk(ctx, Walk{UserID: one.ID, ClientID: "w2", StartedAt: t0, EndedAt: t0}); err != nil {
			t.Fatal(err)
		}
		for _, u := range []int64{bulk.ID, one.ID} { // a diary entry already saved (the same form: it says the same)
			e := rec.Diary[2]
			e.UserID = u
			if _, err := s.AddDiaryEntry(ctx, e); err != nil {
				t.Fatal(err)
			}
		}

		// One by one, as the app writes them.
		for _, x := range rec.RedFlagCheckins {
			x.UserID = one.ID
			if _, err := s.AddRedFlagCheckin(ctx, x); err != nil {
				t.Fatal(err)
			}
		}
		for _, x := range rec.Baselines {
			x.UserID = one.ID
			if _, err := s.AddBaseline(ctx, x); err != nil {
				t.Fatal(err)
			}
		}
		for _, x := range rec.PSFS {
			if _, err := s.AddPSFS(ctx, one.ID, x.At, x.Activities); err != nil {
				t.Fatal(err)
			}
		}
		for _, x := range rec.Diary {
			x.UserID = one.ID
			if _, err := s.AddDiaryEntry(ctx, x); err != nil {
				t.Fatal(err)
			}
		}
		for _, x := range rec.TrainingSessions {
			x.UserID = one.ID
			if _, _, err := s.AddTrainingSession(ctx, x); err != nil {
				t.Fatal(err)
			}
		}
		for _, x := range rec.Walks {
			x.UserID = one.ID
			if _, _, err := s.AddWalk(ctx, x); err != nil {
				t.Fatal(err)
			}
		}

		derived.Store(0)
		if err := s.ImportRecord(ctx, bulk.ID, rec); err != nil {
			t.Fatal(err)
		}
		if n := derived.Load(); n != 1 {
			t.Errorf("the import derived %d times, want 1", n)
		}
		want, err := s.CareRecord(ctx, one.ID, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.CareRecord(ctx, bulk.ID, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		ignore := cmp.Options{
			cmpopts.IgnoreFields(RedFlagCheckin{}, "ID", "UserID"), cmpopts.IgnoreFields(Baseline{}, "ID", "UserID"),
			cmpopts.IgnoreFields(PSFS{}, "ID", "UserID"), cmpopts.IgnoreFields(DiaryEntry{}, "ID", "UserID"),
			cmpopts.IgnoreFields(TrainingSession{}, "ID", "UserID"), cmpopts.IgnoreFields(Walk{}, "ID", "UserID"),
		}
		if len(got.Diary) != len(rec.Diary)-1 || len(got.TrainingSessions) != len(rec.TrainingSessions)-1 || len(got.Walks) != len(rec.Walks)-1 {
			t.Errorf("imported %d entries, %d sessions, %d walks; want %d, %d, %d (one of each sent twice, one saved before)",
				len(got.Diary), len(got.TrainingSessions), len(got.Walks), len(rec.Diary)-1, len(rec.TrainingSessions)-1, len(rec.Walks)-1)
		}
		if n := count(t, s, `SELECT count(*) FROM diary_entries WHERE user_id = $1 AND client_id IS NOT NULL`, bulk.ID); n != importRows+4 {
			t.Errorf("%d imported entries with a client id, want %d", n, importRows+4)
		}
		if diff := cmp.Diff(want, got, ignore); diff != "" {
			t.Errorf("imported record differs from the one written one by one (-one +bulk):\n%s", diff)
		}
		// The alerts are those of the whole record (written one by one,
		// each write raised its own episodes: more).
		whole, err := fixedDeriver{}.Derive(bulk, func(time.Time) (CareRecord, error) { return got, nil })
		if err != nil {
			t.Fatal(err)
		}
		gotAlerts, err := s.PatientAlerts(ctx, c.ID, bulk.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(gotAlerts) == 0 || len(gotAlerts) != len(whole.Alerts) {
			t.Errorf("%d alerts after the import, want the whole record's %d", len(gotAlerts), len(whole.Alerts))
		}
		rows, _, err := s.ClinicPatients(ctx, c.ID, PatientQuery{Search: "bulk", Page: 1, PerPage: 10, Now: t0})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0].OpenAlerts != len(gotAlerts) || rows[0].LegPain == nil || *rows[0].LegPain != rec.Diary[0].LegPain {
			t.Errorf("bulk's line on the list: %+v", rows)
		}

		// What writes nothing.
		cara := inClinic(t, s, "cara", "Cara", c.ID)
		bad := importSample()
		bad.Diary[len(bad.Diary)-1].LegPain = 11
		noStart := importSample()
		noStart.Walks[3].StartedAt = time.Time{}
		withTargets := importSample()
		withTargets.Targets = &Targets{}
		for _, tt := range []struct {
			name    string
			user    int64
			rec     CareRecord
			deriver Deriver
			code    string
		}{
			{"a pain score of 11", cara.ID, bad, fixedDeriver{}, EINVALID},
			{"a walk without a start", cara.ID, noStart, fixedDeriver{}, EINVALID},
			{"targets", cara.ID, withTargets, fixedDeriver{}, EINVALID},
			{"no such user", 999999, importSample(), fixedDeriver{}, ENOTFOUND},
			{"deriving fails", cara.ID, importSample(), failingDeriver{}, EINTERNAL},
		} {
			t.Run(tt.name, func(t *testing.T) {
				s.SetDeriver(tt.deriver)
				defer s.SetDeriver(fixedDeriver{})
				err := s.ImportRecord(ctx, tt.user, tt.rec)
				if ErrorCode(err) != tt.code {
					t.Errorf("err = %v (%s), want %s", err, ErrorCode(err), tt.code)
				}
				for _, table := range []string{"diary_entries", "training_sessions", "walks", "baselines", "red_flag_checkins", "psfs_scores"} {
					if n := count(t, s, `SELECT count(*) FROM `+table+` WHERE user_id = $1`, tt.user); n != 0 {
						t.Errorf("%d rows in %s", n, table)
					}
				}
			})
		}
	})
}
