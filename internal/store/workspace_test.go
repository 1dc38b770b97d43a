package store

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

// fixedDeriver raises one alert per diary entry with a leg pain of 8 or
// more (its episode: the entry's id, so the same whatever order the
// entries were written in) and sums the record: enough to see what
// the store does with a Deriver's answer, without the rules.
type fixedDeriver struct{}

func (fixedDeriver) Derive(u User, record func(from time.Time) (CareRecord, error)) (Derived, error) {
	rec, err := record(time.Time{})
	if err != nil {
		return Derived{}, err
	}
	var d Derived
	for _, e := range rec.Diary {
		if e.LegPain >= 8 {
			d.Alerts = append(d.Alerts, Alert{Code: "PAIN_HIGH", Rank: RankWarning, Episode: fmt.Sprint("entry-", e.ID), Data: map[string]float64{"leg": float64(e.LegPain)}})
		}
		leg := e.LegPain
		d.Summary.LegPain, d.Summary.LegPainAt, d.Summary.LastActivity = &leg, e.At, e.At
	}
	if len(rec.Baselines) > 0 {
		d.Alerts = append(d.Alerts, Alert{Code: "BASELINE", Rank: RankInfo, Episode: fmt.Sprint("baseline-", len(rec.Baselines))})
	}
	if len(rec.RedFlagCheckins) > 0 && rec.RedFlagCheckins[len(rec.RedFlagCheckins)-1].Urgent {
		d.Alerts = append(d.Alerts, Alert{Code: "RED_FLAG", Rank: RankUrgent, Episode: "check"})
	}
	return d, nil
}

// failingDeriver fails: the write it is part of must not happen.
type failingDeriver struct{}

func (failingDeriver) Derive(User, func(time.Time) (CareRecord, error)) (Derived, error) {
	return Derived{}, errors.New("derive failed")
}

func inClinic(t *testing.T, s *Store, login, name string, clinic int64) User {
	t.Helper()
	u, err := s.CreateUser(t.Context(), User{Login: login, Name: name, Role: RolePatient, ClinicID: clinic})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestDerive: the Deriver's alerts and summary are written in the same
// transaction as the patient's data; an alert is raised once per episode;
// a patient outside a clinic has no summary; a failing Deriver undoes the
// write.
func TestDerive(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		s.SetDeriver(fixedDeriver{})
		c, err := s.CreateClinic(ctx, Clinic{Slug: "k", Name: "K"})
		if err != nil {
			t.Fatal(err)
		}
		ann := inClinic(t, s, "ann", "Ann", c.ID)
		if n := count(t, s, `SELECT count(*) FROM patient_summary WHERE patient_id = $1`, ann.ID); n != 1 {
			t.Fatalf("a patient made in a clinic has %d summaries, want 1", n)
		}
		for range 2 { // the same episode twice: one alert
			if _, err := s.AddDiaryEntry(ctx, DiaryEntry{UserID: ann.ID, At: t0.Add(-time.Hour), LegPain: 9}); err != nil {
				t.Fatal(err)
			}
		}
		alerts, err := s.PatientAlerts(ctx, c.ID, ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(alerts) != 2 || alerts[0].Code != "PAIN_HIGH" || alerts[0].Data["leg"] != 9 || !alerts[0].Open() {
			t.Fatalf("alerts = %+v, want two PAIN_HIGH (entries 0 and 1)", alerts)
		}
		rows, _, err := s.ClinicPatients(ctx, c.ID, PatientQuery{Page: 1, PerPage: 10, Now: t0})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0].OpenAlerts != 2 || rows[0].TopRank != RankWarning || rows[0].LegPain == nil || *rows[0].LegPain != 9 {
			t.Fatalf("rows = %+v", rows)
		}

		// A red flag outranks it, in the same write.
		if _, err := s.AddRedFlagCheckin(ctx, RedFlagCheckin{UserID: ann.ID, At: t0, Answers: map[string]bool{"bladder": true}, Urgent: true}); err != nil {
			t.Fatal(err)
		}
		rows, _, _ = s.ClinicPatients(ctx, c.ID, PatientQuery{Page: 1, PerPage: 10, Now: t0})
		if rows[0].TopRank != RankUrgent || rows[0].OpenAlerts != 3 || rows[0].TopCode != "RED_FLAG" {
			t.Errorf("after a red flag: rank %d, code %q, %d open", rows[0].TopRank, rows[0].TopCode, rows[0].OpenAlerts)
		}

		// A failing deriver: the entry is not written either.
		s.SetDeriver(failingDeriver{})
		if _, err := s.AddDiaryEntry(ctx, DiaryEntry{UserID: ann.ID, At: t0, LegPain: 1}); err == nil {
			t.Fatal("the write succeeded although deriving failed")
		}
		if n := count(t, s, `SELECT count(*) FROM diary_entries WHERE user_id = $1`, ann.ID); n != 2 {
			t.Errorf("%d entries, want the 2 before the failed write", n)
		}
		s.SetDeriver(fixedDeriver{})

		// Out of the clinic: off the list; the alerts stay with the patient.
		if err := s.SetUserClinic(ctx, ann.ID, 0); err != nil {
			t.Fatal(err)
		}
		if n := count(t, s, `SELECT count(*) FROM patient_summary WHERE patient_id = $1`, ann.ID); n != 0 {
			t.Errorf("a patient without a clinic has %d summaries", n)
		}
		if n := count(t, s, `SELECT count(*) FROM alerts WHERE patient_id = $1`, ann.ID); n != 3 {
			t.Errorf("%d alerts after leaving, want 3", n)
		}
	})
}

// TestClinicPatients: the list is one clinic's, in Danish order (æ, ø, å
// after z; aa as å), who needs attention first, searched, filtered and
// paged.
func TestClinicPatients(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		s.SetDeriver(fixedDeriver{})
		c1, _ := s.CreateClinic(ctx, Clinic{Slug: "een", Name: "Et"})
		c2, _ := s.CreateClinic(ctx, Clinic{Slug: "to", Name: "To", InactiveDays: 7})
		names := []string{"Åse Holm", "Ørnulf Berg", "Zenia Ravn", "Ægir Lund", "aage Juhl", "Birthe Ahl", "Anders Kure"}
		ids := map[string]int64{}
		for i, n := range names {
			ids[n] = inClinic(t, s, fmt.Sprint("p", i), n, c1.ID).ID
		}
		inClinic(t, s, "other", "Anna Anden", c2.ID)
		// Activity: everyone today, but Birthe has a high pain (an alert);
		// Zenia has done nothing since her account was made 30 days ago.
		for n, id := range ids {
			if n == "Zenia Ravn" {
				continue
			}
			pain := 2
			if n == "Birthe Ahl" {
				pain = 9
			}
			if _, err := s.AddDiaryEntry(ctx, DiaryEntry{UserID: id, At: t0, LegPain: pain}); err != nil {
				t.Fatal(err)
			}
		}
		now := t0.Add(30 * 24 * time.Hour)
		// Everyone but Zenia writes again on the day of the look.
		for n, id := range ids {
			if n != "Zenia Ravn" {
				if _, err := s.AddDiaryEntry(ctx, DiaryEntry{UserID: id, At: t0, LegPain: 1}); err != nil {
					t.Fatal(err)
				}
			}
		}
		names30 := func(q PatientQuery) ([]string, PatientCounts) {
			t.Helper()
			if q.PerPage == 0 {
				q.PerPage = 50
			}
			if q.Page == 0 {
				q.Page = 1
			}
			rows, n, err := s.ClinicPatients(ctx, c1.ID, q)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range rows {
				out = append(out, r.Name)
			}
			return out, n
		}
		// The diary entries are dated t0: at now, everyone is 30 days
		// without activity — so move the clock back for "active".
		byName, n := names30(PatientQuery{Sort: SortName, Now: t0})
		if want := []string{"Anders Kure", "Birthe Ahl", "Zenia Ravn", "Ægir Lund", "Ørnulf Berg", "aage Juhl", "Åse Holm"}; !slices.Equal(byName, want) {
			t.Errorf("by name = %q, want %q", byName, want)
		}
		if n.All != 7 || n.Alerts != 1 || n.Matching != 7 {
			t.Errorf("counts = %+v", n)
		}
		attention, n := names30(PatientQuery{Now: t0})
		if attention[0] != "Birthe Ahl" {
			t.Errorf("attention first = %q, want Birthe (an open alert)", attention)
		}
		// Zenia: no activity since her account was made (t0-ish, by the
		// store's clock) — at now she is inactive, and so is everyone.
		_, n = names30(PatientQuery{Now: now})
		if n.Inactive != 6 { // Birthe has an alert: that ranks first, not "inactive"
			t.Errorf("inactive at +30 days = %d, want 6", n.Inactive)
		}
		if got, _ := names30(PatientQuery{Search: "ÆGIR", Now: t0}); !slices.Equal(got, []string{"Ægir Lund"}) {
			t.Errorf("search ÆGIR = %q", got)
		}
		if got, _ := names30(PatientQuery{Search: "%", Now: t0}); len(got) != 0 {
			t.Errorf("search %% = %q: a wildcard, not a percent sign", got)
		}
		if got, _ := names30(PatientQuery{Filter: FilterAlerts, Now: t0}); !slices.Equal(got, []string{"Birthe Ahl"}) {
			t.Errorf("filter alerts = %q", got)
		}
		page2, n := names30(PatientQuery{Sort: SortName, Page: 2, PerPage: 3, Now: t0})
		if !slices.Equal(page2, []string{"Ægir Lund", "Ørnulf Berg", "aage Juhl"}) || n.Matching != 7 {
			t.Errorf("page 2 of 3 = %q (%+v)", page2, n)
		}
		for _, bad := range []PatientQuery{{Page: 0, PerPage: 10}, {Page: 1, PerPage: 0}, {Page: 1, PerPage: 201}, {Page: 1, PerPage: 10, Sort: "x"}, {Page: 1, PerPage: 10, Filter: "x"}} {
			if _, _, err := s.ClinicPatients(ctx, c1.ID, bad); ErrorCode(err) != EINVALID {
				t.Errorf("%+v: %v, want invalid", bad, err)
			}
		}
		// The other clinic sees only its own.
		rows, _, err := s.ClinicPatients(ctx, c2.ID, PatientQuery{Page: 1, PerPage: 50, Now: t0})
		if err != nil || len(rows) != 1 || rows[0].Name != "Anna Anden" {
			t.Errorf("clinic 2 = %+v, %v", rows, err)
		}
	})
}

// TestAcknowledge: one alert or all of a patient's, by a clinician of the
// patient's clinic only; the first acknowledgement stands; the list's
// figures follow.
func TestAcknowledge(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		s.SetDeriver(fixedDeriver{})
		c1, _ := s.CreateClinic(ctx, Clinic{Slug: "een", Name: "Et"})
		c2, _ := s.CreateClinic(ctx, Clinic{Slug: "to", Name: "To"})
		ann := inClinic(t, s, "ann", "Ann", c1.ID)
		for range 3 {
			if _, err := s.AddDiaryEntry(ctx, DiaryEntry{UserID: ann.ID, At: t0, LegPain: 8}); err != nil {
				t.Fatal(err)
			}
		}
		alerts, _ := s.PatientAlerts(ctx, c1.ID, ann.ID)
		if len(alerts) != 3 {
			t.Fatalf("%d alerts, want 3", len(alerts))
		}
		if got, _ := s.PatientAlerts(ctx, c2.ID, ann.ID); len(got) != 0 {
			t.Errorf("clinic 2 reads clinic 1's alerts: %+v", got)
		}
		dorte, per := mkUser(t, s, "dorte"), mkUser(t, s, "per")
		k := Ack{By: dorte.ID, ByName: "Dorte", At: t0, Note: "Ringet op; aftalt kontrol."}
		if _, err := s.AcknowledgeAlert(ctx, c2.ID, alerts[0].ID, k); !errors.Is(err, ErrNotFound) {
			t.Errorf("another clinic acknowledges: %v, want not found", err)
		}
		pid, err := s.AcknowledgeAlert(ctx, c1.ID, alerts[0].ID, k)
		if err != nil || pid != ann.ID {
			t.Fatalf("acknowledge: %d, %v", pid, err)
		}
		if _, err := s.AcknowledgeAlert(ctx, c1.ID, alerts[0].ID, k); !errors.Is(err, ErrAcknowledged) || !errors.Is(err, ErrConflict) {
			t.Errorf("twice: %v, want ErrAcknowledged", err)
		}
		rows, _, _ := s.ClinicPatients(ctx, c1.ID, PatientQuery{Page: 1, PerPage: 10, Now: t0})
		if rows[0].OpenAlerts != 2 {
			t.Errorf("open after one acknowledged = %d, want 2", rows[0].OpenAlerts)
		}
		if _, err := s.AcknowledgeAll(ctx, c2.ID, ann.ID, k); !errors.Is(err, ErrNotFound) {
			t.Errorf("another clinic acknowledges all: %v", err)
		}
		if n, err := s.AcknowledgeAll(ctx, c1.ID, ann.ID, Ack{By: per.ID, ByName: "Per", At: t0.Add(time.Hour)}); err != nil || n != 2 {
			t.Errorf("acknowledge all: %d, %v, want 2", n, err)
		}
		rows, _, _ = s.ClinicPatients(ctx, c1.ID, PatientQuery{Page: 1, PerPage: 10, Now: t0})
		if rows[0].OpenAlerts != 0 || rows[0].TopRank != rankNone || rows[0].TopCode != "" {
			t.Errorf("after all: %d open, rank %d, code %q", rows[0].OpenAlerts, rows[0].TopRank, rows[0].TopCode)
		}
		alerts, _ = s.PatientAlerts(ctx, c1.ID, ann.ID)
		byWho := map[string]int{}
		for _, a := range alerts {
			byWho[a.AckByName]++
			if a.Open() {
				t.Errorf("alert %d still open", a.ID)
			}
		}
		if byWho["Dorte"] != 1 || byWho["Per"] != 2 {
			t.Errorf("acknowledged by %v, want Dorte 1 and Per 2: the first acknowledgement stands", byWho)
		}
		if _, err := s.AcknowledgeAlert(ctx, c1.ID, 0, Ack{By: 1, ByName: ""}); ErrorCode(err) != EINVALID {
			t.Errorf("no name: %v", err)
		}
	})
}

// TestNotes: a clinic's notes on its own patients only, newest first.
func TestNotes(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		c1, _ := s.CreateClinic(ctx, Clinic{Slug: "een", Name: "Et"})
		c2, _ := s.CreateClinic(ctx, Clinic{Slug: "to", Name: "To"})
		ann := inClinic(t, s, "ann", "Ann", c1.ID)
		dorte := mkUser(t, s, "dorte")
		for i, body := range []string{"Første", "Anden"} {
			if _, err := s.AddNote(ctx, c1.ID, Note{PatientID: ann.ID, AuthorID: dorte.ID, AuthorName: "Dorte", At: t0.Add(time.Duration(i) * time.Hour), Body: body}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.AddNote(ctx, c2.ID, Note{PatientID: ann.ID, AuthorName: "Mallory", Body: "x"}); !errors.Is(err, ErrNotFound) {
			t.Errorf("a note on another clinic's patient: %v", err)
		}
		if _, err := s.AddNote(ctx, c1.ID, Note{PatientID: ann.ID, AuthorName: "Dorte", Body: "  "}); ErrorCode(err) != EINVALID {
			t.Errorf("an empty note: %v", err)
		}
		ns, err := s.Notes(ctx, c1.ID, ann.ID)
		if err != nil || len(ns) != 2 || ns[0].Body != "Anden" || ns[0].AuthorName != "Dorte" {
			t.Errorf("notes = %+v, %v", ns, err)
		}
		if ns, _ := s.Notes(ctx, c2.ID, ann.ID); len(ns) != 0 {
			t.Errorf("clinic 2 reads clinic 1's notes: %+v", ns)
		}
	})
}
