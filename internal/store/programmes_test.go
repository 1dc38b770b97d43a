package store

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestProgrammeVersions: a clinician's versions of a patient's programme —
// saved only for the clinic's own patient, only from the current version
// (a stale edit is a conflict), listed newest first for the clinic, read
// by the patient, in the care record, and gone with the account. Runs on
// both engines.
func TestProgrammeVersions(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		nord, err := s.CreateClinic(ctx, Clinic{Slug: "nord", Name: "Klinik Nord"})
		if err != nil {
			t.Fatal(err)
		}
		syd, err := s.CreateClinic(ctx, Clinic{Slug: "syd", Name: "Klinik Syd"})
		if err != nil {
			t.Fatal(err)
		}
		ann, bo, doc := mkUser(t, s, "ann"), mkUser(t, s, "bo"), mkUser(t, s, "doc")
		for _, m := range []struct{ u, c int64 }{{ann.ID, nord.ID}, {bo.ID, syd.ID}, {doc.ID, nord.ID}} {
			if err := s.SetUserClinic(ctx, m.u, m.c); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.SetRole(ctx, doc.ID, RoleClinician); err != nil {
			t.Fatal(err)
		}

		_, err = s.CurrentProgramme(ctx, ann.ID)
		wantCode(t, err, ENOTFOUND, "")
		if got, err := s.ProgrammeVersions(ctx, nord.ID, ann.ID); err != nil || len(got) != 0 {
			t.Fatalf("ProgrammeVersions with none = %v, %v", got, err)
		}

		items := []ProgrammeItem{
			{Exercise: "kattestraek", Kind: "reps", SecondsPerRep: 6, Reps: 10, Sides: 1, Sets: 2, Rest: 30},
			{Exercise: "siddende-cykling", Kind: "duration", Seconds: 300, Reps: 1, Sides: 1, Sets: 1},
		}
		v1 := ProgrammeVersion{PatientID: ann.ID, At: t0.Add(-time.Hour), ByID: doc.ID, ByName: "Dorte Fys",
			Reason: "Færre øvelser i starten.", Base: "5-bedste-oevelser", Items: items, PerWeek: 2, WalkMinutes: 8}
		first, err := s.SetProgramme(ctx, nord.ID, v1, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := v1
		want.ID, want.Version, want.ClinicID, want.CreatedAt = first.ID, 1, nord.ID, t0
		if diff := cmp.Diff(want, first); diff != "" {
			t.Errorf("SetProgramme (-want +got):\n%s", diff)
		}
		v2 := v1
		v2.At, v2.Reason, v2.WalkMinutes = time.Time{}, "Længere gåture: du går nu 10 minutter uden at stoppe.", 12
		second, err := s.SetProgramme(ctx, nord.ID, v2, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		if second.Version != 2 || second.PrevID != first.ID || !second.At.Equal(t0) {
			t.Errorf("second version = %+v: want version 2 from %d, At the store's clock", second, first.ID)
		}

		long := strings.Repeat("æ", MaxProgrammeReason+1)
		tests := []struct {
			name   string
			clinic int64
			change func(*ProgrammeVersion)
			prevID int64
			code   string
			field  string
		}{
			{"from a replaced version", nord.ID, func(v *ProgrammeVersion) {}, first.ID, ECONFLICT, "programme"},
			{"as if there were none", nord.ID, func(v *ProgrammeVersion) {}, 0, ECONFLICT, "programme"},
			{"another clinic's patient", nord.ID, func(v *ProgrammeVersion) { v.PatientID = bo.ID }, 0, ENOTFOUND, ""},
			{"from another clinic", syd.ID, func(v *ProgrammeVersion) {}, second.ID, ENOTFOUND, ""},
			{"a clinician is no patient", nord.ID, func(v *ProgrammeVersion) { v.PatientID = doc.ID }, 0, ENOTFOUND, ""},
			{"unknown patient", nord.ID, func(v *ProgrammeVersion) { v.PatientID = 999999 }, 0, ENOTFOUND, ""},
			{"no reason", nord.ID, func(v *ProgrammeVersion) { v.Reason = "" }, second.ID, EINVALID, "reason"},
			{"reason too long", nord.ID, func(v *ProgrammeVersion) { v.Reason = long }, second.ID, EINVALID, "reason"},
			{"no clinician's name", nord.ID, func(v *ProgrammeVersion) { v.ByName = "" }, second.ID, EINVALID, "by_name"},
			{"no base", nord.ID, func(v *ProgrammeVersion) { v.Base = "" }, second.ID, EINVALID, "base"},
			{"no exercises", nord.ID, func(v *ProgrammeVersion) { v.Items = nil }, second.ID, EINVALID, "items"},
			{"an exercise without a slug", nord.ID, func(v *ProgrammeVersion) { v.Items = []ProgrammeItem{{Kind: "reps"}} }, second.ID, EINVALID, "items"},
			{"0 a week", nord.ID, func(v *ProgrammeVersion) { v.PerWeek = 0 }, second.ID, EINVALID, "per_week"},
			{"15 a week", nord.ID, func(v *ProgrammeVersion) { v.PerWeek = 15 }, second.ID, EINVALID, "per_week"},
			{"walk 0 minutes", nord.ID, func(v *ProgrammeVersion) { v.WalkMinutes = 0 }, second.ID, EINVALID, "walk_minutes"},
			{"walk 31 minutes", nord.ID, func(v *ProgrammeVersion) { v.WalkMinutes = 31 }, second.ID, EINVALID, "walk_minutes"},
		}
		for _, tt := range tests {
			v := v1
			tt.change(&v)
			_, err := s.SetProgramme(ctx, tt.clinic, v, tt.prevID)
			if ErrorCode(err) != tt.code {
				t.Errorf("%s: err = %v, want %s", tt.name, err, tt.code)
			}
			wantCode(t, err, tt.code, tt.field)
		}
		// A reason of exactly the limit, in letters that take two bytes.
		v3 := v1
		v3.Reason = long[:len(long)-len("æ")]
		third, err := s.SetProgramme(ctx, nord.ID, v3, second.ID)
		if err != nil {
			t.Fatalf("a reason of %d characters: %v", MaxProgrammeReason, err)
		}

		got, err := s.ProgrammeVersions(ctx, nord.ID, ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 || got[0].ID != third.ID || got[1].ID != second.ID || got[2].ID != first.ID {
			t.Fatalf("ProgrammeVersions = %+v, want the three, newest first", got)
		}
		if diff := cmp.Diff(first, got[2]); diff != "" {
			t.Errorf("the first version read back (-want +got):\n%s", diff)
		}
		_, err = s.ProgrammeVersions(ctx, syd.ID, ann.ID)
		wantCode(t, err, ENOTFOUND, "")
		cur, err := s.CurrentProgramme(ctx, ann.ID)
		if err != nil || cur.ID != third.ID {
			t.Errorf("CurrentProgramme = %+v, %v; want version 3", cur, err)
		}
		rec, err := s.CareRecord(ctx, ann.ID, time.Time{})
		if err != nil || rec.Programme == nil || rec.Programme.ID != third.ID {
			t.Errorf("CareRecord's programme = %+v, %v; want version 3", rec.Programme, err)
		}
		if rec, err := s.CareRecord(ctx, bo.ID, time.Time{}); err != nil || rec.Programme != nil {
			t.Errorf("bo's care record has programme %+v, %v", rec.Programme, err)
		}

		// Moved to another clinic: the new clinic reads the versions, the old one no longer.
		if err := s.SetUserClinic(ctx, ann.ID, syd.ID); err != nil {
			t.Fatal(err)
		}
		if got, err := s.ProgrammeVersions(ctx, syd.ID, ann.ID); err != nil || len(got) != 3 {
			t.Errorf("after the move, the new clinic reads %d versions, %v", len(got), err)
		}
		_, err = s.ProgrammeVersions(ctx, nord.ID, ann.ID)
		wantCode(t, err, ENOTFOUND, "")

		if err := s.DeleteUser(ctx, ann.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.CurrentProgramme(ctx, ann.ID)
		wantCode(t, err, ENOTFOUND, "")
	})
}

// TestSetProgrammeLogged: the change's row in the access log is written in
// the change's transaction — there when the version is saved, absent when
// it is refused as stale or invalid.
func TestSetProgrammeLogged(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		nord, err := s.CreateClinic(ctx, Clinic{Slug: "nord", Name: "Klinik Nord"})
		if err != nil {
			t.Fatal(err)
		}
		ann := mkUser(t, s, "ann")
		if err := s.SetUserClinic(ctx, ann.ID, nord.ID); err != nil {
			t.Fatal(err)
		}
		change := Access{ActorID: 7, Actor: "Dorte", ActorRole: RoleClinician, ClinicID: nord.ID, PatientID: ann.ID, Action: AccessChange, What: "programme"}
		v := ProgrammeVersion{PatientID: ann.ID, ByID: 7, ByName: "Dorte", Reason: "Start.", Base: "5-bedste-oevelser",
			Items: []ProgrammeItem{{Exercise: "kattestraek", Kind: "reps", SecondsPerRep: 6, Reps: 10, Sides: 1, Sets: 2, Rest: 30}}, PerWeek: 2, WalkMinutes: 8}
		first, err := s.SetProgrammeLogged(ctx, nord.ID, v, 0, &change)
		if err != nil {
			t.Fatal(err)
		}
		changes := func() int { return count(t, s, `SELECT count(*) FROM access_log WHERE action = 'change'`) }
		if n := changes(); n != 1 {
			t.Fatalf("%d changes logged after a saved one, want 1", n)
		}
		for _, tc := range []struct {
			name string
			v    ProgrammeVersion
			from int64
		}{
			{"stale", v, 0},
			{"invalid", func() ProgrammeVersion { w := v; w.PerWeek = 0; return w }(), first.ID},
		} {
			if _, err := s.SetProgrammeLogged(ctx, nord.ID, tc.v, tc.from, &change); err == nil {
				t.Fatalf("%s: saved", tc.name)
			}
			if n := changes(); n != 1 {
				t.Errorf("%s: %d changes logged, want still 1", tc.name, n)
			}
		}
		bad := change
		bad.What = ""
		if _, err := s.SetProgrammeLogged(ctx, nord.ID, v, first.ID, &bad); ErrorCode(err) != EINVALID {
			t.Errorf("a change with an invalid log row: %v", err)
		}
		if cur, _ := s.CurrentProgramme(ctx, ann.ID); cur.ID != first.ID {
			t.Errorf("a change whose log row was refused was saved: version %d", cur.Version)
		}
	})
}
