package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// CareRecord is what the store holds of one patient's care, as the care
// pages and the rules read it (internal/care): every list oldest first,
// nil when empty.
type CareRecord struct {
	RedFlagCheckins  []RedFlagCheckin
	Baselines        []Baseline
	Diary            []DiaryEntry      // from the record's `from` on
	TrainingSessions []TrainingSession // from `from` on, each with its steps
	Walks            []Walk            // from `from` on, each with its bouts
	PSFS             []PSFS
	// Targets are the current targets, or nil when none have been set.
	Targets *Targets
	// Programme is the current programme version their clinician set, or
	// nil when none has been (the content's default applies).
	Programme *ProgrammeVersion
}

// CareRecord returns userID's care record, read in one snapshot (like
// ExportUser), so that the lists agree with each other and with the
// targets even while the patient writes: the diary, sessions and walks
// from `from` on (zero: all of them), everything else whole. Every list is
// read with userID: no other patient's record can enter it. A user without
// records, or no such user, has an empty record.
func (s *Store) CareRecord(ctx context.Context, userID int64, from time.Time) (CareRecord, error) {
	var r CareRecord
	err := s.read(ctx, "care record", func(tx *sql.Tx) (err error) {
		r, err = careRecord(ctx, tx, userID, from)
		return err
	})
	if err != nil {
		return CareRecord{}, err
	}
	return r, nil
}

// careRecord reads userID's care record through q (a transaction: one
// snapshot).
func careRecord(ctx context.Context, q querier, userID int64, from time.Time) (r CareRecord, err error) {
	if r.RedFlagCheckins, err = listRedFlags(ctx, q, userID); err != nil {
		return r, err
	}
	if r.Baselines, err = listBaselines(ctx, q, userID); err != nil {
		return r, err
	}
	if r.Diary, err = listDiary(ctx, q, userID, from, time.Time{}); err != nil {
		return r, err
	}
	if r.TrainingSessions, err = listTrainingSessions(ctx, q, userID, from, time.Time{}); err != nil {
		return r, err
	}
	if r.Walks, err = listWalks(ctx, q, userID, from, time.Time{}); err != nil {
		return r, err
	}
	if r.PSFS, err = listPSFS(ctx, q, userID); err != nil {
		return r, err
	}
	switch t, err := currentTargets(ctx, q, userID); {
	case err == nil:
		r.Targets = &t
	case !errors.Is(err, ErrNotFound):
		return r, err
	}
	switch v, err := currentProgramme(ctx, q, userID); {
	case err == nil:
		r.Programme = &v
	case !errors.Is(err, ErrNotFound):
		return r, err
	}
	return r, nil
}
