package store

import (
	"context"
	"database/sql"
	"time"
)

// Access is one look at a patient's data by a clinician or an admin
// (migration 9): the log the patient sees on "who has looked at my data".
type Access struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	ActorID   int64     `json:"actorId"`
	Actor     string    `json:"actor"` // the actor's name (or login) when it happened
	ActorRole Role      `json:"actorRole"`
	ClinicID  int64     `json:"clinicId,omitempty"`
	PatientID int64     `json:"patientId"`
	Action    string    `json:"action"` // AccessView or AccessChange
	What      string    `json:"what"`   // the part of the record: "progress", "diary", "programme", …
}

const (
	AccessView   = "view"
	AccessChange = "change"
)

// LogAccess appends a to the log. There is no way to change or delete a
// row: the database refuses it (the migration's triggers).
func (s *Store) LogAccess(ctx context.Context, a Access) error {
	return s.LogAccesses(ctx, []Access{a})
}

// LogAccesses appends every look of as to the log in one transaction: all
// of them or, when one is refused, none.
func (s *Store) LogAccesses(ctx context.Context, as []Access) error {
	if err := s.prepareAccesses(as); err != nil || len(as) == 0 {
		return err
	}
	return s.write(ctx, "log access", func(tx *sql.Tx) error { return insertAccesses(ctx, tx, as) })
}

// prepareAccesses checks every look of as and dates those without a time.
func (s *Store) prepareAccesses(as []Access) error {
	for i := range as {
		if err := as[i].check(); err != nil {
			return err
		}
		as[i].At = s.orNow(as[i].At)
	}
	return nil
}

// insertAccesses writes as (prepared) in tx: one multi-row INSERT
// (importRows rows a statement) — the patient list logs a look at each of
// its 25 patients on every page — and, inside a change's own
// transaction, the change's row exactly when the change is saved.
func insertAccesses(ctx context.Context, tx *sql.Tx, as []Access) error {
	return insertRows(ctx, tx, "access_log (at, actor_id, actor, actor_role, clinic_id, patient_id, action, what)", 8, len(as),
		func(i int) []any {
			a := as[i]
			return []any{a.At.Unix(), a.ActorID, a.Actor, string(a.ActorRole), nullID(a.ClinicID), a.PatientID, a.Action, a.What}
		}, "", nil)
}

func (a *Access) check() error {
	if a.ActorRole != RoleClinician && a.ActorRole != RoleAdmin {
		return invalid("actor_role", "only a clinician's or an admin's look is logged, not a %q's", string(a.ActorRole))
	}
	if a.Action != AccessView && a.Action != AccessChange {
		return invalid("action", "action %q: use view or change", a.Action)
	}
	if err := checkText("actor", a.Actor, 1, 400); err != nil {
		return err
	}
	return checkText("what", a.What, 1, 100)
}

const accessColumns = `id, at, actor_id, actor, actor_role, clinic_id, patient_id, action, what`

func scanAccess(row scanner) (Access, error) {
	var a Access
	var at int64
	var clinic sql.NullInt64
	err := row.Scan(&a.ID, &at, &a.ActorID, &a.Actor, &a.ActorRole, &clinic, &a.PatientID, &a.Action, &a.What)
	a.At, a.ClinicID = fromUnix(at), clinic.Int64
	return a, err
}

// AccessLog returns the looks at the patient's data, newest first, at most
// limit (the log outlives the accounts: a deleted patient's ID still
// finds its rows).
func (s *Store) AccessLog(ctx context.Context, patientID int64, limit int) ([]Access, error) {
	return s.listAccess(ctx, `SELECT `+accessColumns+` FROM access_log WHERE patient_id = $1 ORDER BY at DESC, id DESC LIMIT $2`, patientID, limit)
}

// ClinicAccessLog returns the looks by the clinic's members in [from, to),
// oldest first: an admin's export.
func (s *Store) ClinicAccessLog(ctx context.Context, clinicID int64, from, to time.Time) ([]Access, error) {
	return s.listAccess(ctx, `SELECT `+accessColumns+` FROM access_log WHERE clinic_id = $1 AND at >= $2 AND at < $3 ORDER BY at, id`,
		clinicID, from.Unix(), to.Unix())
}

func (s *Store) listAccess(ctx context.Context, query string, args ...any) ([]Access, error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, s.fail("list access log", err)
	}
	out, err := collect(rows, scanAccess)
	if err != nil {
		return nil, s.fail("list access log", err)
	}
	return out, nil
}
