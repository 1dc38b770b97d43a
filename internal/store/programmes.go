package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"
	"unicode/utf8"
)

// ProgrammeVersion is one version of a patient's programme as their
// clinician set it (issue 13, "Programme per patient"). A change adds a
// version that names the one it replaced (PrevID); the newest is the
// current programme. The store checks the bounds of each column; whether
// the exercises belong to the library and their doses are right is the
// care package's (internal/care, SetProgramme).
type ProgrammeVersion struct {
	ID        int64 `json:"id"`
	PatientID int64 `json:"-"`
	// Version counts the patient's versions from 1.
	Version int   `json:"version"`
	PrevID  int64 `json:"prevId,omitempty"`
	// At is when the clinician set it.
	At time.Time `json:"at"`
	// ClinicID is the clinic of the clinician who set it; ByID and ByName
	// are that clinician's account and name as they were.
	ClinicID int64  `json:"-"`
	ByID     int64  `json:"-"`
	ByName   string `json:"by"`
	// Reason is what the clinician tells the patient about the change.
	Reason string `json:"reason"`
	// Base is the slug of the content's programme it is built on.
	Base        string          `json:"programme"`
	Items       []ProgrammeItem `json:"exercises"`
	PerWeek     int             `json:"perWeek"`
	WalkMinutes int             `json:"walkMinutes"`
	CreatedAt   time.Time       `json:"createdAt"`
}

// ProgrammeItem is one exercise of a version, in order, with its dose (the
// numbers of programme.Dose).
type ProgrammeItem struct {
	Exercise      string `json:"exercise"`
	Kind          string `json:"kind"`
	Seconds       int    `json:"seconds"`
	SecondsPerRep int    `json:"secondsPerRep"`
	Reps          int    `json:"reps"`
	Sides         int    `json:"sides"`
	Sets          int    `json:"sets"`
	Rest          int    `json:"rest"`
}

// Bounds of a programme version's columns (the migration's CHECKs).
const (
	MaxProgrammeReason = 500 // characters
	maxProgrammeItems  = 50
)

func (v *ProgrammeVersion) check() error {
	if err := checkText("by_name", v.ByName, 1, 400); err != nil {
		return err
	}
	if err := checkText("reason", v.Reason, 1, 4*MaxProgrammeReason); err != nil {
		return err
	}
	if n := utf8.RuneCountInString(v.Reason); n > MaxProgrammeReason {
		return invalid("reason", "reason has %d characters, more than %d", n, MaxProgrammeReason)
	}
	if err := checkText("base", v.Base, 1, 200); err != nil {
		return err
	}
	if len(v.Items) == 0 || len(v.Items) > maxProgrammeItems {
		return invalid("items", "a programme holds 1–%d exercises, not %d", maxProgrammeItems, len(v.Items))
	}
	for _, it := range v.Items {
		if err := checkText("items", it.Exercise, 1, 200); err != nil {
			return err
		}
	}
	if v.PerWeek < 1 || v.PerWeek > 14 {
		return invalid("per_week", "per_week %d is outside 1–14", v.PerWeek)
	}
	if v.WalkMinutes < 1 || v.WalkMinutes > 30 {
		return invalid("walk_minutes", "walk_minutes %d is outside 1–30", v.WalkMinutes)
	}
	return nil
}

// SetProgramme saves v as the new current programme of the patient
// v.PatientID of clinic clinicID, made by v.ByID, and returns it with its
// ID, version number and times (At defaults to the store's clock). The
// patient must be a patient of clinicID, checked in the same statement's
// transaction (else ErrNotFound, as for no such patient). prevID is the ID
// of the version the change was made from (0: there was none): when the
// current version is no longer that one (another clinician, another tab),
// nothing is saved and the error is ECONFLICT, so a change is never made
// over one the clinician has not seen.
func (s *Store) SetProgramme(ctx context.Context, clinicID int64, v ProgrammeVersion, prevID int64) (ProgrammeVersion, error) {
	return s.SetProgrammeLogged(ctx, clinicID, v, prevID, nil)
}

// SetProgrammeLogged is SetProgramme that also appends change (when not
// nil) to the access log in the same transaction: the patient's
// who-has-looked page shows a change exactly when one was saved, never
// for an edit refused as stale.
func (s *Store) SetProgrammeLogged(ctx context.Context, clinicID int64, v ProgrammeVersion, prevID int64, change *Access) (ProgrammeVersion, error) {
	if err := v.check(); err != nil {
		return ProgrammeVersion{}, err
	}
	var logged []Access
	if change != nil {
		logged = []Access{*change}
		if err := s.prepareAccesses(logged); err != nil {
			return ProgrammeVersion{}, err
		}
	}
	items, err := json.Marshal(v.Items)
	if err != nil {
		return ProgrammeVersion{}, err
	}
	changed := errorf(ECONFLICT, "programme", "the programme has changed since version %d", prevID)
	v.ClinicID = clinicID
	v.At = s.orNow(v.At)
	v.CreatedAt = s.stamp()
	// A new plan changes the patient's figures (adherence counts against
	// its sessions a week): derived again in the same transaction.
	err = s.writePatient(ctx, "set programme", v.PatientID, func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM users WHERE id = $1 AND clinic_id = $2 AND role = 'patient'`,
			v.PatientID, clinicID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("patient of clinic", v.PatientID)
		}
		if err != nil {
			return err
		}
		cur, err := currentProgramme(ctx, tx, v.PatientID)
		switch {
		case errors.Is(err, ErrNotFound):
			cur = ProgrammeVersion{}
		case err != nil:
			return err
		}
		if cur.ID != prevID {
			return changed
		}
		v.Version = cur.Version + 1
		// Two changes from the same version that get here at once: UNIQUE
		// (user_id, prev_id) lets only one of them in.
		if err := tx.QueryRowContext(ctx, `
			INSERT INTO programme_versions (user_id, version, prev_id, at, clinic_id, by_id, by_name, reason,
				base, items, per_week, walk_minutes, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
			RETURNING id`,
			v.PatientID, v.Version, prevID, v.At.Unix(), clinicID, v.ByID, v.ByName, v.Reason,
			v.Base, string(items), v.PerWeek, v.WalkMinutes, v.CreatedAt.Unix(),
		).Scan(&v.ID); err != nil {
			return err
		}
		if len(logged) > 0 {
			return insertAccesses(ctx, tx, logged)
		}
		return nil
	})
	if ErrorCode(err) == ECONFLICT {
		return ProgrammeVersion{}, changed
	}
	if err != nil {
		return ProgrammeVersion{}, err
	}
	v.PrevID = prevID
	return v, nil
}

// ProgrammeVersions returns every version of the programme of the patient
// patientID of clinic clinicID, newest first (the first is the current
// one); none for a patient without versions, ErrNotFound for a patient
// who is not clinicID's. The clinic is in the SQL: another clinic's
// patient has no rows here.
func (s *Store) ProgrammeVersions(ctx context.Context, clinicID, patientID int64) ([]ProgrammeVersion, error) {
	var out []ProgrammeVersion
	err := s.read(ctx, "programme versions", func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM users WHERE id = $1 AND clinic_id = $2 AND role = 'patient'`,
			patientID, clinicID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("patient of clinic", patientID)
		}
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `
			SELECT `+programmeColumns("p.")+` FROM programme_versions p
			JOIN users u ON u.id = p.user_id AND u.clinic_id = $2 AND u.role = 'patient'
			WHERE p.user_id = $1
			ORDER BY p.version DESC`, patientID, clinicID)
		if err != nil {
			return err
		}
		out, err = collect(rows, scanProgramme)
		return err
	})
	return out, err
}

// CurrentProgramme returns the current programme version of the patient
// patientID (the patient's own read: their player, handout, today), or
// ErrNotFound when their clinician has set none.
func (s *Store) CurrentProgramme(ctx context.Context, patientID int64) (ProgrammeVersion, error) {
	var v ProgrammeVersion
	err := s.read(ctx, "current programme", func(tx *sql.Tx) (err error) {
		v, err = currentProgramme(ctx, tx, patientID)
		return err
	})
	return v, err
}

func programmeColumns(p string) string {
	return p + "id, " + p + "user_id, " + p + "version, " + p + "prev_id, " + p + "at, " + p + "clinic_id, " +
		p + "by_id, " + p + "by_name, " + p + "reason, " + p + "base, " + p + "items, " + p + "per_week, " +
		p + "walk_minutes, " + p + "created_at"
}

func scanProgramme(row scanner) (ProgrammeVersion, error) {
	var v ProgrammeVersion
	var at, created int64
	var items string
	if err := row.Scan(&v.ID, &v.PatientID, &v.Version, &v.PrevID, &at, &v.ClinicID, &v.ByID, &v.ByName,
		&v.Reason, &v.Base, &items, &v.PerWeek, &v.WalkMinutes, &created); err != nil {
		return ProgrammeVersion{}, err
	}
	v.At, v.CreatedAt = fromUnix(at), fromUnix(created)
	if err := json.Unmarshal([]byte(items), &v.Items); err != nil {
		return ProgrammeVersion{}, err
	}
	return v, nil
}

func currentProgramme(ctx context.Context, q querier, patientID int64) (ProgrammeVersion, error) {
	v, err := scanProgramme(q.QueryRowContext(ctx, `
		SELECT `+programmeColumns("")+` FROM programme_versions
		WHERE user_id = $1
		ORDER BY version DESC
		LIMIT 1`, patientID))
	if errors.Is(err, sql.ErrNoRows) {
		return ProgrammeVersion{}, notFound("programme of user", patientID)
	}
	return v, err
}
