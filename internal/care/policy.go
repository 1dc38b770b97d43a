package care

// The access policy: who may read or change a patient's care record. One
// pure answer (May), used by every clinician page through Open; the store's
// query behind Open filters by the clinic in SQL as well, so that a page
// that skipped the policy still could not read another clinic's patient.

import (
	"context"
	"errors"

	"github.com/stenose/stenose/internal/store"
)

// ErrNoAccess is returned when the actor may not open the patient's
// record: pages answer as for a patient that does not exist (404), so that
// a clinician cannot learn who another clinic's patients are.
var ErrNoAccess = errors.New("care: no access to this patient")

// May reports whether actor may read and change patient's care record: a
// clinician of the patient's own clinic, whose account is enabled. An
// admin manages accounts (internal/web's admin pages), not care records; a
// patient reads their own record through the patient pages, not this.
func May(actor, patient *store.User) bool {
	return actor != nil && patient != nil &&
		actor.Role == store.RoleClinician && !actor.Disabled() && actor.ClinicID != 0 &&
		patient.Role == store.RolePatient && patient.ClinicID == actor.ClinicID
}

// Open returns the patient patientID for actor and records the look in the
// access log (what: the part of the record, e.g. "overview", "programme";
// action: store.AccessView or store.AccessChange) before any of it is
// shown: the patient's "who has looked at my data" lists it even when the
// page fails later. A patient outside the actor's clinic, or no such
// patient, is ErrNoAccess.
func (s *Service) Open(ctx context.Context, actor *store.User, patientID int64, action, what string) (store.User, error) {
	p, err := s.member(ctx, actor, patientID)
	if err != nil {
		return store.User{}, err
	}
	if err := s.st.LogAccess(ctx, s.look(actor, p.ID, action, what)); err != nil {
		return store.User{}, err
	}
	return p, nil
}

// member is actor's patient patientID, the clinic's membership checked in
// the SQL and the policy (May) on it; ErrNoAccess otherwise. Nothing is
// logged: Open logs the look; a change logs itself with what it saves.
func (s *Service) member(ctx context.Context, actor *store.User, patientID int64) (store.User, error) {
	if actor == nil || actor.Role != store.RoleClinician || actor.ClinicID == 0 {
		return store.User{}, ErrNoAccess
	}
	p, err := s.st.ClinicPatient(ctx, actor.ClinicID, patientID)
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, ErrNoAccess
	}
	if err != nil {
		return store.User{}, err
	}
	if !May(actor, &p) {
		return store.User{}, ErrNoAccess
	}
	return p, nil
}
