package care

// The status report (issue 13, "Status reports"): one printable page per
// patient for the 4- and 12-week consultations — baseline against now for
// each measure with the meaningful-change verdict, adherence, what the
// clinic was alerted to and the programme's changes. Every number comes
// from the progress page's computations (internal/progress) and the rules'
// findings (Patient.Alerts): this file only assembles them, so the report
// never judges a change the patient's own progress page judges otherwise.

import (
	"context"
	"slices"
	"time"

	"github.com/stenose/stenose/internal/progress"
	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

// WhatReport is what the access log names of a status report (the
// export's "export_what_report").
const WhatReport = "report"

// How much of the lists one A4 page holds: the newest at most, with how
// many were left out.
const (
	ReportAlerts   = 6
	ReportVersions = 4
)

// ReportMeasure is one of the report's measures.
type ReportMeasure int

const (
	// MeasureFirstSymptoms: time to first symptoms on a walk, minutes
	// (the baseline: the walking test; now: the median of the last 14
	// days' walks — progress.FirstSymptoms).
	MeasureFirstSymptoms ReportMeasure = iota
	// MeasureWalkWeek: minutes walked a week (the first 14 days of the
	// programme against the last 14, each per week). There is no agreed
	// meaningful change for it (docs/sources.md): it is not judged.
	MeasureWalkWeek
	// MeasureLegPain and MeasureBackPain: NRS 0–10 (the baseline's score;
	// now: the mean of the last 14 days' diary).
	MeasureLegPain
	MeasureBackPain
	// MeasurePSFS: the Patient-Specific Functional Scale's average, 0–10
	// (the first scoring against the latest).
	MeasurePSFS
)

// ReportMeasures are the measures in the order the report lists them.
var ReportMeasures = []ReportMeasure{MeasureFirstSymptoms, MeasureWalkWeek, MeasureLegPain, MeasureBackPain, MeasurePSFS}

// Verdict is which way a measure moved for the patient.
type Verdict int

const (
	// NotJudged: the baseline or now is missing.
	NotJudged Verdict = iota
	Better
	Unchanged // exactly the same
	Worse
)

// MeasureRow is one measure, baseline against now.
type MeasureRow struct {
	Measure ReportMeasure
	// Then is the baseline (ThenOK false: none), Now the present level
	// (NowOK false: too few measurements lately); minutes, NRS or PSFS
	// points, as progress rounds them.
	Then, Now     float64
	ThenOK, NowOK bool
	// Verdict is the direction for the patient (less pain is Better).
	Verdict Verdict
	// Meaningful: the change reaches the meaningful change of
	// docs/sources.md, as the progress page judges it. Never for a
	// measure without a threshold (Threshold false).
	Meaningful bool
	// Threshold: the measure has an agreed meaningful change.
	Threshold bool
}

// Adherence is the sessions done against the plan over a span of days.
type Adherence struct {
	From          rules.Day
	Days          int
	Done, Planned int
}

// Percent is Done of Planned in whole percent; ok false without a plan.
func (a Adherence) Percent() (int, bool) {
	if a.Planned <= 0 {
		return 0, false
	}
	return a.Done * 100 / a.Planned, true
}

// Report is one patient's status report as of AsOf.
type Report struct {
	Patient store.User
	Clinic  store.Clinic
	AsOf    time.Time
	// Start is the programme's first day; Day counts the days since
	// (0 = the first day) and Week the programme's weeks (1 = days 0–6).
	Start     rules.Day
	Day, Week int
	// PerWeek is the sessions a week the plan holds now.
	PerWeek  int
	Baseline bool // the patient took the walking test at the start
	Measures []MeasureRow
	// Programme is the adherence since the start (as far back as the
	// record reaches: HistoryDays; see its From), Recent over the last 4
	// weeks (the days since the start, when fewer). The plan is the
	// current one (PerWeek) over the whole span.
	Programme, Recent Adherence
	// Findings are what the rules find for the clinic today (the alerts
	// the record raises now, most pressing first); a status consultation's
	// finding holds its outcome in Items.
	Findings []store.Alert
	// Alerts are the clinic's alerts, open first then the newest, at most
	// ReportAlerts; MoreAlerts were left out.
	Alerts     []store.Alert
	MoreAlerts int
	// Versions are the programme's versions, newest first, at most
	// ReportVersions; MoreVersions were left out.
	Versions     []store.ProgrammeVersion
	MoreVersions int
}

// StatusReport is patientID's status report for actor (logged as a view
// of the report).
func (s *Service) StatusReport(ctx context.Context, actor *store.User, patientID int64) (Report, error) {
	p, err := s.Open(ctx, actor, patientID, store.AccessView, WhatReport)
	if err != nil {
		return Report{}, err
	}
	rec, err := s.Load(ctx, &p)
	if err != nil {
		return Report{}, err
	}
	cl, err := s.st.Clinic(ctx, actor.ClinicID)
	if err != nil {
		return Report{}, err
	}
	alerts, err := s.st.PatientAlerts(ctx, actor.ClinicID, p.ID)
	if err != nil {
		return Report{}, err
	}
	versions, err := s.st.ProgrammeVersions(ctx, actor.ClinicID, p.ID)
	if err != nil {
		return Report{}, err
	}
	return assembleReport(p, cl, rec, alerts, versions), nil
}

// walkWindow is the span of each side of the walking-a-week comparison.
const walkWindow = 14

// assembleReport is the report of p's record rec: pure, as of rec.AsOf.
// alerts are in the store's order (open first); versions oldest first.
func assembleReport(p store.User, cl store.Clinic, rec Patient, alerts []store.Alert, versions []store.ProgrammeVersion) Report {
	h := rec.History
	today := DayIn(rec.AsOf)
	r := Report{Patient: p, Clinic: cl, AsOf: rec.AsOf, Start: h.ProgrammeStart, PerWeek: h.PlannedPerWeek, Baseline: h.Baseline != nil}
	r.Day = max(0, daysBetween(h.ProgrammeStart, today))
	r.Week = r.Day/7 + 1

	// The progress page's report over everything the record holds.
	pr := progress.Compute(h, rec.AsOf, HistoryDays/7+2)
	for _, m := range ReportMeasures {
		r.Measures = append(r.Measures, measureRow(m, pr, r.Day))
	}

	// Adherence: the daily sessions of the progress report, against the
	// plan (as the rules count it: sessions a week × days / 7).
	sessions := pr.Days[progress.Sessions].Points
	span := func(days int) Adherence {
		days = min(days, r.Day+1, HistoryDays+1, len(sessions))
		a := Adherence{From: today.AddDays(-(days - 1)), Days: days, Planned: h.PlannedPerWeek * days / 7}
		for _, pt := range sessions[len(sessions)-days:] {
			if pt.OK {
				a.Done += int(pt.Value)
			}
		}
		return a
	}
	r.Programme, r.Recent = span(r.Day+1), span(28)

	r.Findings = rec.Alerts()
	slices.SortStableFunc(r.Findings, func(a, b store.Alert) int { return a.Rank - b.Rank })

	r.Alerts, r.MoreAlerts = alerts, 0
	if n := len(alerts); n > ReportAlerts {
		r.Alerts, r.MoreAlerts = alerts[:ReportAlerts], n-ReportAlerts
	}
	vs := slices.Clone(versions)
	slices.SortStableFunc(vs, func(a, b store.ProgrammeVersion) int { return b.Version - a.Version })
	r.Versions = vs
	if n := len(vs); n > ReportVersions {
		r.Versions, r.MoreVersions = vs[:ReportVersions], n-ReportVersions
	}
	return r
}

// measureRow is m's baseline and now from the progress report pr, on the
// programme's day day.
func measureRow(m ReportMeasure, pr progress.Report, day int) MeasureRow {
	row := MeasureRow{Measure: m, Threshold: m != MeasureWalkWeek}
	lowerBetter := false
	switch m {
	case MeasureFirstSymptoms, MeasureLegPain, MeasureBackPain:
		pm := map[ReportMeasure]progress.Measure{MeasureFirstSymptoms: progress.FirstSymptoms, MeasureLegPain: progress.LegPain, MeasureBackPain: progress.BackPain}[m]
		lowerBetter = m != MeasureFirstSymptoms
		if st := pr.Start[pm]; st.OK {
			row.Then, row.ThenOK = st.Value, true
		}
		for _, c := range pr.Changes {
			if c.Measure != pm {
				continue
			}
			row.Now, row.NowOK = c.Now, true // "now" is the same for either comparison
			if c.Ref == progress.Baseline {
				row.Then, row.ThenOK = c.Then, true
				row.Meaningful = c.Direction != progress.Same
			}
		}
	case MeasurePSFS:
		if n := len(pr.PSFS); n > 0 {
			row.Then, row.ThenOK = pr.PSFS[0].Mean, true
			if n > 1 {
				row.Now, row.NowOK = pr.PSFS[n-1].Mean, true
			}
		}
		if c := pr.PSFSChange; c != nil {
			row.Meaningful = c.Direction != progress.Same
		}
	case MeasureWalkWeek:
		// The first 14 days of the programme and the last 14, when they
		// do not overlap; each a week's minutes (half the total). Days
		// without a walk are gaps, as on the progress page: a side
		// without any walk is missing, not 0.
		pts := pr.Days[progress.WalkMinutes].Points
		perWeek := func(from, to int) (float64, bool) { // indexes into pts
			var sum float64
			ok := false
			for i := max(0, from); i <= to && i < len(pts); i++ {
				if pts[i].OK {
					sum, ok = sum+pts[i].Value, true
				}
			}
			return sum * 7 / walkWindow, ok
		}
		last := len(pts) - 1
		// The first window lies within what Load reads (HistoryDays).
		if startIdx := last - day; startIdx >= 0 && day >= 2*walkWindow-1 && day <= HistoryDays {
			row.Then, row.ThenOK = perWeek(startIdx, startIdx+walkWindow-1)
		}
		if day >= 2*walkWindow-1 {
			row.Now, row.NowOK = perWeek(last-walkWindow+1, last)
		}
	}
	if row.ThenOK && row.NowOK {
		switch d := row.Now - row.Then; {
		case d == 0:
			row.Verdict = Unchanged
		case (d < 0) == lowerBetter:
			row.Verdict = Better
		default:
			row.Verdict = Worse
		}
	} else {
		row.Meaningful = false
	}
	if !row.Threshold || row.Verdict == Unchanged {
		row.Meaningful = false
	}
	return row
}

// daysBetween is the number of days from a to b (negative when b is
// earlier); 0 when either is not a valid day.
func daysBetween(a, b rules.Day) int {
	if !a.Valid() || !b.Valid() {
		return 0
	}
	ta, err1 := time.Parse(time.DateOnly, a.String())
	tb, err2 := time.Parse(time.DateOnly, b.String())
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(tb.Sub(ta).Round(24*time.Hour) / (24 * time.Hour))
}
