package care

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

// reportPatient is a record as of asOf, day days into a programme planned
// at 3 sessions a week, with the baseline b (nil: none); recent sets the
// last 14 days' diary (leg and back pain, one entry a day when ≥ 0) and
// walks (seconds to first symptoms and minutes walked, one walk every
// other day when > 0); early the first 14 days' walks alike.
type reportCase struct {
	name           string
	day            int
	b              *rules.Baseline
	leg, back      int // the last 14 days' pain; -1: no diary
	first, walkMin int // the last 14 days' walks; 0: none
	earlyWalkMin   int // the first 14 days' walks; 0: none
	psfs           []float64
	sessionsEvery  int // a session every n days; 0: none
	want           map[ReportMeasure]MeasureRow
	done, planned  int // since the start
	recentDone     int
}

func reportPatient(tc reportCase, asOf time.Time) Patient {
	today := DayIn(asOf)
	start := today.AddDays(-tc.day)
	h := rules.History{Programme: DefaultProgramme, ProgrammeStart: start, PlannedPerWeek: 3, Baseline: tc.b}
	if h.Baseline != nil {
		h.Baseline.Date = start
	}
	for d := 0; d <= tc.day; d++ {
		day := start.AddDays(d)
		recent := d > tc.day-14
		if recent && tc.leg >= 0 {
			h.Entries = append(h.Entries, rules.Entry{At: day, LegPain: tc.leg, BackPain: tc.back})
		}
		walk := 0
		switch {
		case recent && tc.walkMin > 0:
			walk = tc.walkMin
		case d < 14 && tc.earlyWalkMin > 0:
			walk = tc.earlyWalkMin
		}
		if walk > 0 && d%2 == 0 {
			first := min(tc.first, walk*60)
			if first == 0 {
				first = walk * 60
			}
			h.Walks = append(h.Walks, rules.Walk{Date: day, Bouts: []rules.Bout{{WalkSeconds: walk * 60, FirstSymptomsSeconds: first}}})
		}
		if tc.sessionsEvery > 0 && d%tc.sessionsEvery == 0 {
			h.Sessions = append(h.Sessions, rules.Session{Date: day, Programme: DefaultProgramme, CompletedSteps: 5})
		}
	}
	for i, m := range tc.psfs {
		score := int(m)
		h.PSFS = append(h.PSFS, rules.PSFS{Date: start.AddDays(i * 28), Activities: []rules.Activity{{Name: "gå til bageren", Score: score}}})
	}
	return Patient{AsOf: asOf, History: h}
}

// TestAssembleReport: baseline against now per measure with the progress
// page's verdict — better, unchanged, worse, meaningful or not — and
// measures without data not judged; adherence since the start and over
// 4 weeks.
func TestAssembleReport(t *testing.T) {
	asOf := time.Date(2026, 11, 20, 10, 0, 0, 0, Zone)
	base := func(first, leg, back int) *rules.Baseline {
		return &rules.Baseline{SPWT: rules.SPWT{FirstSymptomsSeconds: first, StopSeconds: 600}, LegPain: leg, BackPain: back}
	}
	row := func(then, now float64, v Verdict, meaningful bool) MeasureRow {
		return MeasureRow{Then: then, Now: now, ThenOK: true, NowOK: true, Verdict: v, Meaningful: meaningful}
	}
	tests := []reportCase{
		{
			name: "improved at 12 weeks", day: 84, b: base(240, 6, 4), leg: 3, back: 4, first: 480, walkMin: 20, earlyWalkMin: 10,
			psfs: []float64{3, 4, 6}, sessionsEvery: 2,
			want: map[ReportMeasure]MeasureRow{
				MeasureFirstSymptoms: row(4, 8, Better, true),
				MeasureWalkWeek:      row(35, 70, Better, false), // 7 walks of 10 min in 2 weeks, then of 20: no threshold
				MeasureLegPain:       row(6, 3, Better, true),
				MeasureBackPain:      row(4, 4, Unchanged, false),
				MeasurePSFS:          row(3, 6, Better, true),
			},
			done: 43, planned: 36, recentDone: 14,
		},
		{
			name: "a little better, not meaningful", day: 28, b: base(240, 6, 4), leg: 5, back: 3, first: 300, walkMin: 12, earlyWalkMin: 10,
			psfs: []float64{4, 5}, sessionsEvery: 3,
			want: map[ReportMeasure]MeasureRow{
				MeasureFirstSymptoms: row(4, 5, Better, false), // 25 %: under 30 %
				MeasureWalkWeek:      row(35, 42, Better, false),
				MeasureLegPain:       row(6, 5, Better, false), // 1 point: under 2
				MeasureBackPain:      row(4, 3, Better, false),
				MeasurePSFS:          row(4, 5, Better, false),
			},
			done: 10, planned: 12, recentDone: 9,
		},
		{
			name: "worse", day: 40, b: base(300, 3, 2), leg: 6, back: 3, first: 120, walkMin: 4, earlyWalkMin: 10,
			psfs: []float64{6, 3},
			want: map[ReportMeasure]MeasureRow{
				MeasureFirstSymptoms: row(5, 2, Worse, true),
				MeasureWalkWeek:      row(35, 14, Worse, false),
				MeasureLegPain:       row(3, 6, Worse, true),
				MeasureBackPain:      row(2, 3, Worse, false),
				MeasurePSFS:          row(6, 3, Worse, true),
			},
			done: 0, planned: 17, recentDone: 0,
		},
		{
			name: "no baseline, no diary, one PSFS, too early for walking a week", day: 10, leg: -1, first: 200, walkMin: 5,
			psfs: []float64{4}, sessionsEvery: 1,
			want: map[ReportMeasure]MeasureRow{
				MeasureFirstSymptoms: {},
				MeasureWalkWeek:      {},
				MeasureLegPain:       {},
				MeasureBackPain:      {},
				MeasurePSFS:          {Then: 4, ThenOK: true},
			},
			done: 11, planned: 4, recentDone: 11,
		},
		{
			name: "a baseline, too few walks and entries lately", day: 30, b: base(240, 6, 4), leg: -1,
			want: map[ReportMeasure]MeasureRow{
				MeasureFirstSymptoms: {Then: 4, ThenOK: true},
				MeasureWalkWeek:      {},
				MeasureLegPain:       {Then: 6, ThenOK: true},
				MeasureBackPain:      {Then: 4, ThenOK: true},
				MeasurePSFS:          {},
			},
			planned: 13,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := store.User{ID: 7, Name: "Ann"}
			r := assembleReport(p, store.Clinic{Name: "Klinik Nord"}, reportPatient(tc, asOf), nil, nil)
			if r.Day != tc.day || r.Week != tc.day/7+1 || r.Start != DayIn(asOf).AddDays(-tc.day) || r.Patient.Name != "Ann" || r.Clinic.Name != "Klinik Nord" {
				t.Errorf("day %d week %d start %v", r.Day, r.Week, r.Start)
			}
			if len(r.Measures) != len(ReportMeasures) {
				t.Fatalf("%d measures", len(r.Measures))
			}
			for i, got := range r.Measures {
				m := ReportMeasures[i]
				w := tc.want[m]
				w.Measure, w.Threshold = m, m != MeasureWalkWeek
				if got != w {
					t.Errorf("measure %d: got %+v\nwant %+v", m, got, w)
				}
			}
			if r.Programme.Done != tc.done || r.Programme.Planned != tc.planned || r.Programme.Days != tc.day+1 || r.Programme.From != r.Start {
				t.Errorf("since the start: %+v, want %d of %d", r.Programme, tc.done, tc.planned)
			}
			if days := min(28, tc.day+1); r.Recent.Done != tc.recentDone || r.Recent.Days != days || r.Recent.Planned != 3*days/7 {
				t.Errorf("last 4 weeks: %+v, want %d done", r.Recent, tc.recentDone)
			}
		})
	}
}

// TestAssembleReportLists: the alerts and versions an A4 page holds — the
// newest versions first, both capped with how many were left out — and
// the rules' findings for the clinic today, most pressing first.
func TestAssembleReportLists(t *testing.T) {
	asOf := time.Date(2026, 11, 20, 10, 0, 0, 0, Zone)
	mk := func(nAlerts, nVersions int) ([]store.Alert, []store.ProgrammeVersion) {
		var as []store.Alert
		for i := range nAlerts {
			as = append(as, store.Alert{ID: int64(i + 1), Code: "ADHERENCE_LOW", Rank: store.RankInfo})
		}
		var vs []store.ProgrammeVersion
		for i := range nVersions {
			vs = append(vs, store.ProgrammeVersion{ID: int64(i + 1), Version: i + 1, Reason: fmt.Sprint("grund ", i+1)})
		}
		return as, vs
	}
	for _, tc := range []struct {
		alerts, versions         int
		shownA, moreA            int
		shownV, moreV, newestVer int
	}{
		{0, 0, 0, 0, 0, 0, 0},
		{3, 2, 3, 0, 2, 0, 2},
		{ReportAlerts, ReportVersions, ReportAlerts, 0, ReportVersions, 0, ReportVersions},
		{ReportAlerts + 5, ReportVersions + 3, ReportAlerts, 5, ReportVersions, 3, ReportVersions + 3},
	} {
		t.Run(fmt.Sprint(tc.alerts, "+", tc.versions), func(t *testing.T) {
			as, vs := mk(tc.alerts, tc.versions)
			r := assembleReport(store.User{}, store.Clinic{}, reportPatient(reportCase{day: 20, leg: -1}, asOf), as, vs)
			if len(r.Alerts) != tc.shownA || r.MoreAlerts != tc.moreA || len(r.Versions) != tc.shownV || r.MoreVersions != tc.moreV {
				t.Fatalf("alerts %d (+%d), versions %d (+%d)", len(r.Alerts), r.MoreAlerts, len(r.Versions), r.MoreVersions)
			}
			if tc.alerts > 0 && r.Alerts[0].ID != 1 {
				t.Errorf("the alerts' order changed: first %d", r.Alerts[0].ID)
			}
			for i, v := range r.Versions {
				if v.Version != tc.newestVer-i {
					t.Errorf("version %d at %d: not newest first", v.Version, i)
				}
			}
			if tc.versions > 1 && vs[0].Version != 1 {
				t.Error("the caller's versions were reordered")
			}
		})
	}

	// The findings: a red flag and a stop for tingling today, most
	// pressing first.
	tc := reportCase{day: 20, leg: -1}
	p := reportPatient(tc, asOf)
	today := DayIn(asOf)
	p.History.RedFlagChecks = []rules.RedFlagCheck{{Date: today, Answers: map[string]bool{rules.Flags[0].Key: true}}}
	p.History.Sessions = append(p.History.Sessions, rules.Session{Date: today, Programme: DefaultProgramme, CompletedSteps: 1, Symptoms: []string{"tingling"}})
	p.Checkins = []store.RedFlagCheckin{{ID: 1, At: asOf, Urgent: true, Answers: map[string]bool{rules.Flags[0].Key: true}}}
	r := assembleReport(store.User{}, store.Clinic{}, p, nil, nil)
	var codes []string
	for i, f := range r.Findings {
		codes = append(codes, f.Code)
		if i > 0 && f.Rank < r.Findings[i-1].Rank {
			t.Errorf("findings not most pressing first: %v", r.Findings)
		}
	}
	if len(codes) < 2 || codes[0] != string(rules.UrgentRedFlag) {
		t.Errorf("findings %v, want the red flag first", codes)
	}
}

// TestStatusReport: the report of a patient of the clinician's clinic
// from the store — 12 weeks of data, the programme's versions and an
// alert —, logged as a look at the report; another clinic's clinician and
// the patient themself have no access.
func TestStatusReport(t *testing.T) {
	c := newClinicSetup(t)
	ctx := t.Context()
	seedImproving(t, c.st, c.ann, c.now, 84)
	if _, err := c.s.SetProgramme(ctx, &c.doc, c.ann.ID, goodChange(), 0); err != nil {
		t.Fatal(err)
	}
	cur, err := c.st.CurrentProgramme(ctx, c.ann.ID)
	if err != nil {
		t.Fatal(err)
	}
	ch := goodChange()
	ch.Reason = "Længere gåture."
	if _, err := c.s.SetProgramme(ctx, &c.doc, c.ann.ID, ch, cur.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.st.AddRedFlagCheckin(ctx, store.RedFlagCheckin{UserID: c.ann.ID, At: c.now.Add(-time.Minute),
		Answers: map[string]bool{rules.Flags[0].Key: true}, Urgent: true}); err != nil {
		t.Fatal(err)
	}

	r, err := c.s.StatusReport(ctx, &c.doc, c.ann.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Patient.ID != c.ann.ID || r.Clinic.Name != "Klinik Nord" || r.Day != 84 || r.Week != 13 || !r.Baseline || r.PerWeek != 2 {
		t.Errorf("report: patient %d, clinic %q, day %d, week %d, baseline %v, per week %d", r.Patient.ID, r.Clinic.Name, r.Day, r.Week, r.Baseline, r.PerWeek)
	}
	if m := r.Measures[MeasureFirstSymptoms]; m.Verdict != Better || !m.Meaningful {
		t.Errorf("time to first symptoms: %+v, want meaningfully better", m)
	}
	if m := r.Measures[MeasureLegPain]; m.Verdict != Better || !m.Meaningful || m.Then != 6 {
		t.Errorf("leg pain: %+v, want meaningfully better from 6", m)
	}
	if len(r.Versions) != 2 || r.Versions[0].Reason != "Længere gåture." || r.Versions[0].ByName != "Navn doc" {
		t.Errorf("versions: %+v", r.Versions)
	}
	if len(r.Alerts) == 0 || r.Alerts[0].Code != string(rules.UrgentRedFlag) {
		t.Errorf("alerts: %+v", r.Alerts)
	}
	if r.Programme.Done != 43 || r.Recent.Done != 14 {
		t.Errorf("sessions: %+v, %+v", r.Programme, r.Recent)
	}
	looks, err := c.st.AccessLog(ctx, c.ann.ID, 1)
	if err != nil || len(looks) != 1 || looks[0].What != WhatReport || looks[0].Action != store.AccessView || looks[0].ActorID != c.doc.ID {
		t.Errorf("the last look: %+v, %v", looks, err)
	}

	for _, tc := range []struct {
		name  string
		actor store.User
		id    int64
	}{
		{"another clinic's clinician", c.other, c.ann.ID},
		{"the patient", c.ann, c.ann.ID},
		{"no such patient", c.doc, 9999},
		{"a clinician is no patient", c.doc, c.doc.ID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := c.s.StatusReport(ctx, &tc.actor, tc.id); !errors.Is(err, ErrNoAccess) {
				t.Errorf("err = %v, want ErrNoAccess", err)
			}
		})
	}
	if looks, _ := c.st.AccessLog(ctx, c.ann.ID, 100); looks[0].ActorID != c.doc.ID || looks[0].What != WhatReport {
		t.Errorf("a refused look was logged: %+v", looks[0])
	}
}
