package store

import (
	"testing"
	"time"
)

// TestAccessLog: looks are logged and listed per patient and per clinic;
// the log cannot be changed or emptied, not even by SQL, and it outlives
// the patient's account.
func TestAccessLog(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		c, err := s.CreateClinic(ctx, Clinic{Slug: "nord", Name: "Klinik Nord"})
		if err != nil {
			t.Fatal(err)
		}
		ann, bo := mkUser(t, s, "ann"), mkUser(t, s, "bo")
		look := func(p User, at time.Time, action, what string) Access {
			return Access{At: at, ActorID: 7, Actor: "Dorte", ActorRole: RoleClinician, ClinicID: c.ID, PatientID: p.ID, Action: action, What: what}
		}
		for _, a := range []Access{
			look(ann, t0, AccessView, "patient"), look(ann, t0.Add(time.Minute), AccessChange, "programme"),
			look(bo, t0.Add(2*time.Minute), AccessView, "progress"),
		} {
			if err := s.LogAccess(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		for _, bad := range []struct {
			a     Access
			field string
		}{
			{Access{ActorID: 7, Actor: "x", ActorRole: RolePatient, PatientID: ann.ID, Action: AccessView, What: "x"}, "actor_role"},
			{Access{ActorID: 7, Actor: "x", ActorRole: RoleAdmin, PatientID: ann.ID, Action: "delete", What: "x"}, "action"},
			{Access{ActorID: 7, Actor: "", ActorRole: RoleAdmin, PatientID: ann.ID, Action: AccessView, What: "x"}, "actor"},
			{Access{ActorID: 7, Actor: "x", ActorRole: RoleAdmin, PatientID: ann.ID, Action: AccessView}, "what"},
		} {
			wantCode(t, s.LogAccess(ctx, bad.a), EINVALID, bad.field)
		}
		got, err := s.AccessLog(ctx, ann.ID, 10)
		if err != nil || len(got) != 2 || got[0].What != "programme" || got[0].Action != AccessChange || got[1].What != "patient" || got[0].Actor != "Dorte" {
			t.Errorf("AccessLog(ann) = %+v, %v", got, err)
		}
		if got, _ := s.ClinicAccessLog(ctx, c.ID, t0, t0.Add(2*time.Minute)); len(got) != 2 || got[0].What != "patient" {
			t.Errorf("ClinicAccessLog = %+v", got)
		}
		// Append-only, in the database itself.
		for _, q := range []string{`UPDATE access_log SET what = 'nothing'`, `DELETE FROM access_log`} {
			if _, err := s.w.ExecContext(ctx, q); err == nil {
				t.Errorf("%s was allowed", q)
			}
		}
		if s.d.name == "postgres" {
			if _, err := s.w.ExecContext(ctx, `TRUNCATE access_log`); err == nil {
				t.Error("TRUNCATE was allowed")
			}
		}
		if n := count(t, s, `SELECT count(*) FROM access_log`); n != 3 {
			t.Errorf("%d rows after the attempts, want 3", n)
		}
		// The patient goes; the log of looks at their data stays.
		if err := s.DeleteUser(ctx, ann.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.AccessLog(ctx, ann.ID, 10); len(got) != 2 {
			t.Errorf("after the account was deleted: %+v", got)
		}
	})
}

// TestLogAccesses: a list page's looks go in together — more than one
// statement's worth (importRows), every one kept with its own patient,
// time and words — and a batch with one refused look keeps none.
func TestLogAccesses(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		c, err := s.CreateClinic(ctx, Clinic{Slug: "nord", Name: "Klinik Nord"})
		if err != nil {
			t.Fatal(err)
		}
		ann, bo := mkUser(t, s, "ann"), mkUser(t, s, "bo")
		n := 2*importRows + 3
		as := make([]Access, n)
		for i := range as {
			p := ann
			if i%2 == 1 {
				p = bo
			}
			as[i] = Access{At: t0.Add(time.Duration(i) * time.Second), ActorID: 7, Actor: "Dorte", ActorRole: RoleClinician,
				ClinicID: c.ID, PatientID: p.ID, Action: AccessView, What: "list"}
		}
		as[n-1].Action, as[n-1].What = AccessChange, "programme"
		if err := s.LogAccesses(ctx, as); err != nil {
			t.Fatal(err)
		}
		got, err := s.ClinicAccessLog(ctx, c.ID, t0, t0.Add(time.Hour))
		if err != nil || len(got) != n {
			t.Fatalf("ClinicAccessLog: %d looks, %v; want %d", len(got), err, n)
		}
		for i, a := range got {
			w := as[i]
			if !a.At.Equal(w.At) || a.PatientID != w.PatientID || a.Action != w.Action || a.What != w.What || a.ClinicID != c.ID || a.Actor != "Dorte" {
				t.Fatalf("look %d = %+v, want %+v", i, a, w)
			}
		}
		bad := append([]Access(nil), as[:importRows+1]...)
		bad[importRows].What = ""
		wantCode(t, s.LogAccesses(ctx, bad), EINVALID, "what")
		if m := count(t, s, `SELECT count(*) FROM access_log`); m != n {
			t.Errorf("%d rows after a refused batch, want %d", m, n)
		}
	})
}
