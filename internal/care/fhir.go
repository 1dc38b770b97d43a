package care

// The FHIR export of one patient's record (issue 14, "Standards the
// clinic's other systems read"): the patient downloads their own, their
// clinician downloads it through the access policy (Open: a clinician of
// the patient's clinic, the look logged on the patient's "who has looked"
// page). This file reads the record in one snapshot (store.ExportUser),
// works out the programme over time the way the patient's pages do, and
// hands both to the pure encoder, internal/fhir.

import (
	"context"
	"strings"
	"time"

	"github.com/stenose/stenose/internal/fhir"
	"github.com/stenose/stenose/internal/store"
)

// WhatFHIR is what the access log names of the FHIR export (the export's
// "export_what_fhir").
const WhatFHIR = "fhir"

// FHIRExport is a patient's record as a FHIR R4 bundle (fhir.JSON), with
// the patient it is of (for the download's name).
type FHIRExport struct {
	Patient store.User
	JSON    []byte
}

// MyFHIR is the signed-in patient u's own record as a FHIR bundle, its
// identifiers and code systems under baseURL (the installation's public
// address). Only a patient has such a record.
func (s *Service) MyFHIR(ctx context.Context, u *store.User, baseURL string) (FHIRExport, error) {
	if u == nil || u.Role != store.RolePatient {
		return FHIRExport{}, ErrNoAccess
	}
	return s.fhirExport(ctx, u.ID, 0, baseURL)
}

// PatientFHIR is the record of actor's patient patientID as a FHIR bundle,
// logged as a look at it before it is read. Another clinic's patient, or
// none, is ErrNoAccess.
func (s *Service) PatientFHIR(ctx context.Context, actor *store.User, patientID int64, baseURL string) (FHIRExport, error) {
	p, err := s.Open(ctx, actor, patientID, store.AccessView, WhatFHIR)
	if err != nil {
		return FHIRExport{}, err
	}
	return s.fhirExport(ctx, p.ID, actor.ClinicID, baseURL)
}

// fhirExport reads userID's record in one snapshot and encodes it. A
// clinic other than 0 must still be the patient's when the record is
// read (a move between Open and the read sends nothing).
func (s *Service) fhirExport(ctx context.Context, userID, clinicID int64, baseURL string) (FHIRExport, error) {
	x, err := s.st.ExportUser(ctx, userID)
	if err != nil {
		return FHIRExport{}, err
	}
	if clinicID != 0 && x.User.ClinicID != clinicID {
		return FHIRExport{}, ErrNoAccess
	}
	b, err := fhir.JSON(s.FHIRRecord(x), fhir.Options{BaseURL: strings.TrimRight(baseURL, "/"), Zone: Zone})
	if err != nil {
		return FHIRExport{}, err
	}
	return FHIRExport{Patient: x.User, JSON: b}, nil
}

// FHIRRecord is x as the FHIR export sends it: the record and the
// programme over time. The programme starts with the baseline (the end of
// onboarding); until then there is none. From then on it is the content's
// default programme with the clinic's defaults (PlannedPerWeek, the
// walking target the rules set), until the clinician's first version;
// then each version, the last one current. The current walking target is
// the one /i-dag shows (a step down the patient accepted since the version
// included).
func (s *Service) FHIRRecord(x store.Export) fhir.Record {
	rec := store.CareRecord{
		RedFlagCheckins: x.RedFlagCheckins, Baselines: x.Baselines, Diary: x.Diary,
		TrainingSessions: x.TrainingSessions, Walks: x.Walks, PSFS: x.PSFS,
	}
	if n := len(x.Targets); n > 0 {
		rec.Targets = &x.Targets[n-1]
	}
	if n := len(x.Programmes); n > 0 {
		rec.Programme = &x.Programmes[n-1]
	}
	p := patientOf(&x.User, rec)
	r := fhir.Record{Export: x, Library: s.lib}
	if bs := x.Baselines; len(bs) > 0 && (len(x.Programmes) == 0 || bs[0].At.Before(x.Programmes[0].At)) {
		var until time.Time
		if len(x.Programmes) > 0 {
			until = x.Programmes[0].At
		}
		r.Plans = append(r.Plans, fhir.Plan{Programme: s.base(), PerWeek: PlannedPerWeek,
			WalkMinutes: defaultWalkTarget(x, until), Start: bs[0].At})
	}
	for i := range x.Programmes {
		v := &x.Programmes[i]
		r.Plans = append(r.Plans, fhir.Plan{Version: v, Programme: s.ProgrammeOf(v), PerWeek: v.PerWeek,
			WalkMinutes: v.WalkMinutes, Start: v.At})
	}
	if len(r.Plans) > 0 {
		r.WalkTarget = p.WalkTarget()
	}
	return r
}

// defaultWalkTarget is the walking target of the default programme as it
// stood at until (zero: now): the latest targets the patient accepted
// before it, else the one the baseline gives (buildHistory's rule).
func defaultWalkTarget(x store.Export, until time.Time) int {
	for i := len(x.Targets) - 1; i >= 0; i-- {
		if until.IsZero() || x.Targets[i].At.Before(until) {
			return x.Targets[i].WalkMinutes
		}
	}
	return buildHistory(&x.User, store.CareRecord{Baselines: x.Baselines}).Targets.WalkMinutes
}
