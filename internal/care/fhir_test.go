package care

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/store"
)

// TestFHIRRecord: the programme over time as the FHIR export sends it —
// none before the baseline, the default from the baseline, each version
// of the clinician's after it, and the walking target /i-dag shows.
func TestFHIRRecord(t *testing.T) {
	s := New(Config{Library: testLibrary(t)})
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, Zone)
	day := func(d int) time.Time { return now.AddDate(0, 0, d) }
	u := store.User{ID: 5, Role: store.RolePatient, CreatedAt: day(-60)}
	first := 250 // 4 minutes: the default walking target
	baseline := []store.Baseline{{ID: 1, UserID: 5, At: day(-50), SPWTFirstSymptomsSeconds: &first, SPWTStopSeconds: 400}}
	version := func(id int64, d, perWeek, walk int) store.ProgrammeVersion {
		return store.ProgrammeVersion{ID: id, PatientID: 5, Version: int(id), At: day(d), Base: DefaultProgramme, PerWeek: perWeek, WalkMinutes: walk,
			Items: []store.ProgrammeItem{{Exercise: "kattestraek", Kind: "reps", SecondsPerRep: 6, Reps: 8, Sides: 1, Sets: 2, Rest: 30}}}
	}
	stepDown := []store.Targets{{ID: 1, UserID: 5, At: day(-5), WalkMinutes: 3, SetBy: store.SetByRules}}
	type plan struct {
		version       int64 // 0: the default
		perWeek, walk int
		start         time.Time
	}
	cases := []struct {
		name   string
		x      store.Export
		plans  []plan
		target int
	}{
		{"signed up only", store.Export{User: u}, nil, 0},
		{"a version, no baseline yet", store.Export{User: u, Programmes: []store.ProgrammeVersion{version(7, -20, 2, 6)}},
			[]plan{{7, 2, 6, day(-20)}}, 6},
		{"baseline", store.Export{User: u, Baselines: baseline}, []plan{{0, PlannedPerWeek, 4, day(-50)}}, 4},
		{"baseline, then two versions", store.Export{User: u, Baselines: baseline, Programmes: []store.ProgrammeVersion{version(7, -40, 2, 6), version(8, -10, 3, 9)}},
			[]plan{{0, PlannedPerWeek, 4, day(-50)}, {7, 2, 6, day(-40)}, {8, 3, 9, day(-10)}}, 9},
		{"a version, then the baseline", store.Export{User: u, Baselines: baseline, Programmes: []store.ProgrammeVersion{version(7, -55, 2, 6)}},
			[]plan{{7, 2, 6, day(-55)}}, 6},
		{"a step down accepted since the version", store.Export{User: u, Baselines: baseline, Targets: stepDown, Programmes: []store.ProgrammeVersion{version(7, -40, 2, 6)}},
			[]plan{{0, PlannedPerWeek, 4, day(-50)}, {7, 2, 6, day(-40)}}, 3},
		{"a step down on the default programme", store.Export{User: u, Baselines: baseline, Targets: stepDown},
			[]plan{{0, PlannedPerWeek, 3, day(-50)}}, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := s.FHIRRecord(c.x)
			if r.WalkTarget != c.target {
				t.Errorf("walking target %d, want %d", r.WalkTarget, c.target)
			}
			if len(r.Plans) != len(c.plans) {
				t.Fatalf("%d plans, want %d", len(r.Plans), len(c.plans))
			}
			for i, p := range r.Plans {
				w := c.plans[i]
				var id int64
				if p.Version != nil {
					id = p.Version.ID
				}
				if id != w.version || p.PerWeek != w.perWeek || p.WalkMinutes != w.walk || !p.Start.Equal(w.start) || p.Programme == nil {
					t.Errorf("plan %d: version %d, %d a week, %d minutes, from %v, programme %v; want %+v", i, id, p.PerWeek, p.WalkMinutes, p.Start, p.Programme != nil, w)
				}
			}
		})
	}
}

// TestFHIRAccess: the patient's own export, the clinician's through the
// policy (logged before it is read), refusals for everyone else.
func TestFHIRAccess(t *testing.T) {
	c := newClinicSetup(t)
	ctx := t.Context()
	const base = "https://klinik.example/"
	mine, err := c.s.MyFHIR(ctx, &c.ann, base)
	if err != nil || mine.Patient.ID != c.ann.ID || !bytes.Contains(mine.JSON, []byte(`"resourceType": "Bundle"`)) {
		t.Fatalf("MyFHIR: %+v, %v", mine.Patient, err)
	}
	if !bytes.Contains(mine.JSON, []byte(`"system": "https://klinik.example/fhir/sid/patient"`)) {
		t.Error("the address's trailing slash is not dropped")
	}
	theirs, err := c.s.PatientFHIR(ctx, &c.doc, c.ann.ID, base)
	if err != nil || !bytes.Equal(theirs.JSON, mine.JSON) {
		t.Fatalf("PatientFHIR: %v; same bytes as the patient's: %v", err, bytes.Equal(theirs.JSON, mine.JSON))
	}
	looks, err := c.st.AccessLog(ctx, c.ann.ID, 10)
	if err != nil || len(looks) != 1 || looks[0].What != WhatFHIR || looks[0].ActorID != c.doc.ID || looks[0].Action != store.AccessView {
		t.Errorf("the access log: %+v, %v", looks, err)
	}
	for _, tc := range []struct {
		name string
		call func() error
	}{
		{"another clinic's clinician", func() error { _, err := c.s.PatientFHIR(ctx, &c.other, c.ann.ID, base); return err }},
		{"a patient as a clinician", func() error { _, err := c.s.PatientFHIR(ctx, &c.ann, c.ann.ID, base); return err }},
		{"no such patient", func() error { _, err := c.s.PatientFHIR(ctx, &c.doc, 9999, base); return err }},
		{"the clinician's own record", func() error { _, err := c.s.MyFHIR(ctx, &c.doc, base); return err }},
		{"nobody", func() error { _, err := c.s.MyFHIR(ctx, nil, base); return err }},
	} {
		if err := tc.call(); !errors.Is(err, ErrNoAccess) {
			t.Errorf("%s: %v, want ErrNoAccess", tc.name, err)
		}
	}
	if after, _ := c.st.AccessLog(ctx, c.ann.ID, 10); len(after) != 1 {
		t.Errorf("refusals were logged as looks: %+v", after)
	}
}
