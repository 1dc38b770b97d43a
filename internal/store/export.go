package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Export is everything the store holds about one user, for "my data". It
// leaves out the secrets, which are no use to the user and a risk in a
// downloaded file: the password hash, the login-session tokens, the
// second factor's secret and codes, a reset code and the calendar link's
// hash.
type Export struct {
	User             User              `json:"user"`
	Diary            []DiaryEntry      `json:"diary"`
	TrainingSessions []TrainingSession `json:"trainingSessions"`
	Walks            []Walk            `json:"walks"`
	RedFlagCheckins  []RedFlagCheckin  `json:"redFlagCheckins"`
	Baselines        []Baseline        `json:"baselines"`
	Targets          []Targets         `json:"targets"` // every version, oldest first
	PSFS             []PSFS            `json:"psfs"`    // the PSFS scorings, oldest first
	// Programmes are the versions of the programme the user's clinician
	// set, oldest first (the last is the current one).
	Programmes []ProgrammeVersion `json:"programmes"`
	// Clinic is the clinic the user belongs to, nil for none.
	Clinic *Clinic `json:"clinic,omitempty"`
	// Invitations are the invitations the user signed up with.
	Invitations []Invitation `json:"invitations"`
	// AccessLog is every look at the user's data by a clinician or an
	// admin, oldest first.
	AccessLog []Access `json:"accessLog"`
	// Alerts are what the clinic was alerted to from the user's records,
	// with each acknowledgement; ClinicNotes the clinic's notes on them
	// (the app does not show either to the patient, but they are part of
	// their record, which they have the right to see).
	Alerts      []Alert `json:"alerts"`
	ClinicNotes []Note  `json:"clinicNotes"`
	// Calendar is the training calendar the user made (the days and
	// time; whether its link is on, not the link), nil for none.
	Calendar *CalendarFeed `json:"calendar,omitempty"`
}

// ExportUser returns all of userID's data, read in one snapshot, or
// ErrNotFound. Lists are oldest first and never nil.
func (s *Store) ExportUser(ctx context.Context, userID int64) (Export, error) {
	var x Export
	err := s.read(ctx, "export user", func(tx *sql.Tx) error {
		u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, userID))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("user", userID)
		}
		if err != nil {
			return err
		}
		u.PasswordHash = ""
		x.User = u
		if x.Diary, err = listDiary(ctx, tx, userID, time.Time{}, time.Time{}); err != nil {
			return err
		}
		if x.TrainingSessions, err = listTrainingSessions(ctx, tx, userID, time.Time{}, time.Time{}); err != nil {
			return err
		}
		if x.Walks, err = listWalks(ctx, tx, userID, time.Time{}, time.Time{}); err != nil {
			return err
		}
		if x.RedFlagCheckins, err = listRedFlags(ctx, tx, userID); err != nil {
			return err
		}
		if x.Baselines, err = listBaselines(ctx, tx, userID); err != nil {
			return err
		}
		if x.Targets, err = listTargets(ctx, tx, userID); err != nil {
			return err
		}
		if x.PSFS, err = listPSFS(ctx, tx, userID); err != nil {
			return err
		}
		pvs, err := tx.QueryContext(ctx, `SELECT `+programmeColumns("")+` FROM programme_versions WHERE user_id = $1 ORDER BY version`, userID)
		if err != nil {
			return err
		}
		if x.Programmes, err = collect(pvs, scanProgramme); err != nil {
			return err
		}
		if u.ClinicID != 0 {
			c, err := scanClinic(tx.QueryRowContext(ctx, `SELECT `+clinicColumns+` FROM clinics WHERE id = $1`, u.ClinicID))
			if err != nil {
				return err
			}
			x.Clinic = &c
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE used_by = $1 ORDER BY id`, userID)
		if err != nil {
			return err
		}
		if x.Invitations, err = collect(rows, scanInvitation); err != nil {
			return err
		}
		if rows, err = tx.QueryContext(ctx, `SELECT `+accessColumns+` FROM access_log WHERE patient_id = $1 ORDER BY at, id`, userID); err != nil {
			return err
		}
		if x.AccessLog, err = collect(rows, scanAccess); err != nil {
			return err
		}
		if rows, err = tx.QueryContext(ctx, `SELECT `+alertColumns+` FROM alerts a WHERE a.patient_id = $1 ORDER BY a.raised_at, a.id`, userID); err != nil {
			return err
		}
		if x.Alerts, err = collect(rows, scanAlert); err != nil {
			return err
		}
		if rows, err = tx.QueryContext(ctx, `SELECT `+noteColumns+` FROM clinic_notes n WHERE n.patient_id = $1 ORDER BY n.at, n.id`, userID); err != nil {
			return err
		}
		if x.ClinicNotes, err = collect(rows, scanNote); err != nil {
			return err
		}
		var f CalendarFeed
		switch err := scanCalendar(tx.QueryRowContext(ctx, `SELECT `+calendarColumns+` FROM calendar_feeds f WHERE f.user_id = $1`, userID), &f); {
		case err == nil:
			f.TokenHash = nil
			x.Calendar = &f
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		return nil
	})
	if err != nil {
		return Export{}, err
	}
	x.Diary = nonNil(x.Diary)
	x.TrainingSessions = nonNil(x.TrainingSessions)
	x.Walks = nonNil(x.Walks)
	x.RedFlagCheckins = nonNil(x.RedFlagCheckins)
	x.Baselines = nonNil(x.Baselines)
	x.Targets = nonNil(x.Targets)
	x.PSFS = nonNil(x.PSFS)
	x.Invitations = nonNil(x.Invitations)
	x.AccessLog = nonNil(x.AccessLog)
	x.Alerts = nonNil(x.Alerts)
	x.ClinicNotes = nonNil(x.ClinicNotes)
	return x, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
