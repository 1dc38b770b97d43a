package care

import (
	"errors"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/store"
)

func TestMay(t *testing.T) {
	patient := &store.User{ID: 1, Role: store.RolePatient, ClinicID: 1}
	tests := []struct {
		name  string
		actor *store.User
		want  bool
	}{
		{"clinician of the clinic", &store.User{Role: store.RoleClinician, ClinicID: 1}, true},
		{"clinician of another clinic", &store.User{Role: store.RoleClinician, ClinicID: 2}, false},
		{"clinician of no clinic", &store.User{Role: store.RoleClinician}, false},
		{"disabled clinician", &store.User{Role: store.RoleClinician, ClinicID: 1, DisabledAt: time.Unix(1, 0)}, false},
		{"admin of the clinic", &store.User{Role: store.RoleAdmin, ClinicID: 1}, false},
		{"another patient of the clinic", &store.User{ID: 2, Role: store.RolePatient, ClinicID: 1}, false},
		{"the patient", patient, false},
		{"anonymous", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := May(tt.actor, patient); got != tt.want {
				t.Errorf("May = %v, want %v", got, tt.want)
			}
		})
	}
	if May(&store.User{Role: store.RoleClinician, ClinicID: 1}, &store.User{Role: store.RoleClinician, ClinicID: 1}) {
		t.Error("a clinician's colleague is not a patient record")
	}
}

// TestOpen: a clinician opens their own clinic's patient, and the look is
// in the patient's access log before anything is shown; another clinic's
// patient, or no such patient, is ErrNoAccess and logs nothing.
func TestOpen(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, Zone)
	st := openSQLite(t)
	s := New(Config{Store: st, Now: func() time.Time { return now }})
	ctx := t.Context()
	c1, _ := st.CreateClinic(ctx, store.Clinic{Slug: "een", Name: "Et"})
	c2, _ := st.CreateClinic(ctx, store.Clinic{Slug: "to", Name: "To"})
	ann, _ := st.CreateUser(ctx, store.User{Login: "ann", Role: store.RolePatient, ClinicID: c1.ID})
	dorte, _ := st.CreateUser(ctx, store.User{Login: "dorte", Name: "Dorte Behandler", Role: store.RoleClinician, ClinicID: c1.ID})
	mallory, _ := st.CreateUser(ctx, store.User{Login: "mallory", Role: store.RoleClinician, ClinicID: c2.ID})

	p, err := s.Open(ctx, &dorte, ann.ID, store.AccessView, "overview")
	if err != nil || p.ID != ann.ID {
		t.Fatalf("Open = %+v, %v", p, err)
	}
	for _, tc := range []struct {
		actor   store.User
		patient int64
	}{{mallory, ann.ID}, {dorte, 99999}, {dorte, dorte.ID}} {
		if _, err := s.Open(ctx, &tc.actor, tc.patient, store.AccessView, "overview"); !errors.Is(err, ErrNoAccess) {
			t.Errorf("%s opens %d: %v, want ErrNoAccess", tc.actor.Login, tc.patient, err)
		}
	}
	log, err := st.AccessLog(ctx, ann.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 || log[0].Actor != "Dorte Behandler" || log[0].What != "overview" || log[0].ClinicID != c1.ID || !log[0].At.Equal(now) {
		t.Errorf("access log = %+v, want Dorte's one look", log)
	}
}
