package web

// The status report (issue 13): one patient's page for the 4- and 12-week
// consultations, on screen and printed on one A4 page (care.css, @media
// print) — baseline against now per measure with the verdict, adherence,
// what the rules find today, the clinic's alerts and the programme's
// changes. care.StatusReport assembles it (and logs the look); this file
// only words it.

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/progress"
	"github.com/stenose/stenose/internal/store"
)

// reportPath is the address of a patient's status report.
func reportPath(pid int64) string { return patientPath(pid) + "/status" }

// reportTextMax is how many characters of a clinician's remark or reason
// the printed page shows: the rest is on the chart.
const reportTextMax = 100

// wsReport is the status report as the page shows it.
type wsReport struct {
	Back, Title, Meta, Made          string
	NoFindings, NoAlerts, NoVersions bool
	Measures                         []wsMeasure
	Adherence                        []wsRow2
	Plan                             string
	Findings                         []wsFinding
	Alerts                           []wsReportAlert
	MoreAlerts                       string
	Versions                         []wsVersion
	MoreVersions                     string
}

type wsMeasure struct {
	Name, Then, Now, Verdict string
	Class                    string // better, worse or ""
}

type wsRow2 struct{ Label, Value string }

type wsFinding struct{ Title, Detail string }

type wsReportAlert struct{ Raised, Title, Seen string }

type wsVersion struct{ Date, By, Reason string }

func (a *app) workspaceReport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := pathID(r, "pid")
	if !ok {
		a.notFound(w, r)
		return
	}
	rep, err := a.care.StatusReport(ctx, userFrom(ctx), id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v := a.wsView(r, "repTitle")
	v.Report = reportView(v.Lang, rep, userFrom(ctx))
	v.Title = v.Report.Title
	a.render(w, r, http.StatusOK, "workspace_report.html", v)
}

func reportView(l i18n.Lang, rep care.Report, by *store.User) *wsReport {
	p := rep.Patient
	name := p.Name
	if name == "" {
		name = p.ShownLogin()
	}
	asOf := rep.AsOf.In(care.Zone)
	rv := &wsReport{
		Back:  patientPath(p.ID),
		Title: l.Tf("repHeading", name),
		Meta: l.Tf("repMeta", rep.Clinic.Name, shortDate(l, asOf),
			l.Tf("repWeek", rep.Week, dayText(l, rep.Start))),
		Made: l.Tf("repMade", shortDate(l, asOf), timeOfDay(l, asOf.Hour(), asOf.Minute()), byName(by)),
	}
	for _, m := range rep.Measures {
		rv.Measures = append(rv.Measures, measureView(l, m))
	}
	adh := func(key string, ad care.Adherence) wsRow2 {
		val := l.Tf("repSessionsOf", l.Int(ad.Done), l.Int(ad.Planned))
		if pct, ok := ad.Percent(); ok {
			val += " " + l.Tf("repPercentOfPlan", l.Int(pct))
		}
		return wsRow2{Label: l.Tf(key, dayText(l, ad.From)), Value: val}
	}
	rv.Adherence = []wsRow2{adh("repSinceStart", rep.Programme), adh("repLast4Weeks", rep.Recent)}
	rv.Plan = l.N("repPlan", rep.PerWeek)
	for _, f := range rep.Findings {
		fv := wsFinding{Title: alertTitle(l, f.Code), Detail: alertDetail(l, f)}
		if len(f.Items) > 0 && (f.Code == "STATUS_4_WEEKS" || f.Code == "STATUS_12_WEEKS") {
			if key := "repOutcome_" + f.Items[0]; i18n.Has(l, key) {
				fv.Detail = l.T(key)
			}
		}
		rv.Findings = append(rv.Findings, fv)
	}
	for _, al := range rep.Alerts {
		av := wsReportAlert{Raised: shortDate(l, al.RaisedAt.In(care.Zone)), Title: alertTitle(l, al.Code), Seen: l.T("repOpen")}
		if !al.Open() {
			av.Seen = l.Tf("repAcked", shortDate(l, al.AckAt.In(care.Zone)), al.AckByName)
			if al.AckNote != "" {
				av.Seen += " " + clip(al.AckNote)
			}
		}
		rv.Alerts = append(rv.Alerts, av)
	}
	if rep.MoreAlerts > 0 {
		rv.MoreAlerts = l.N("repMoreAlerts", rep.MoreAlerts)
	}
	for _, ver := range rep.Versions {
		rv.Versions = append(rv.Versions, wsVersion{Date: shortDate(l, ver.At.In(care.Zone)),
			By: ver.ByName, Reason: clip(ver.Reason)})
	}
	if rep.MoreVersions > 0 {
		rv.MoreVersions = l.N("repMoreVersions", rep.MoreVersions)
	}
	return rv
}

// measureView is one row of the measures' table in l's words.
func measureView(l i18n.Lang, m care.MeasureRow) wsMeasure {
	key := [...]string{"First", "WalkWeek", "LegPain", "BackPain", "PSFS"}[m.Measure]
	mv := wsMeasure{Name: l.T("repMeasure" + key), Then: l.T("repNone"), Now: l.T("repNone")}
	value := func(x float64) string {
		switch m.Measure {
		case care.MeasureFirstSymptoms:
			return progress.Duration(int(math.Round(x*60)), l)
		case care.MeasureWalkWeek:
			return l.Tf("progress_min", l.Int(int(math.Round(x))))
		}
		return decimal(l, x)
	}
	if m.ThenOK {
		mv.Then = value(m.Then)
	}
	if m.NowOK {
		mv.Now = value(m.Now)
	}
	switch {
	case m.Measure == care.MeasureWalkWeek && !(m.ThenOK && m.NowOK):
		mv.Verdict = l.T("repWalkNeeds")
	case m.Measure == care.MeasurePSFS && !m.ThenOK:
		mv.Verdict = l.T("repPSFSNone")
	case m.Measure == care.MeasurePSFS && !m.NowOK:
		mv.Verdict = l.T("repPSFSOnce")
	case !m.ThenOK:
		mv.Verdict = l.T("repNoBaseline")
	case !m.NowOK && m.Measure == care.MeasureFirstSymptoms:
		mv.Verdict = l.T("repTooFewWalks")
	case !m.NowOK:
		mv.Verdict = l.T("repTooFewEntries")
	case m.Verdict == care.Unchanged:
		mv.Verdict = l.T("repUnchanged")
	case !m.Threshold:
		mv.Verdict = l.T(map[care.Verdict]string{care.Better: "repMore", care.Worse: "repLess"}[m.Verdict])
	default:
		dir := map[care.Verdict]string{care.Better: "Better", care.Worse: "Worse"}[m.Verdict]
		if m.Meaningful {
			mv.Verdict, mv.Class = l.T("rep"+dir+"Meaningful"), strings.ToLower(dir)
		} else {
			mv.Verdict = l.T("rep" + dir + "Slight")
		}
	}
	return mv
}

// decimal is x with at most one decimal, l's way: "4", "4,5" / "4.5".
func decimal(l i18n.Lang, x float64) string {
	s := strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64)
	if l != i18n.En {
		s = strings.ReplaceAll(s, ".", ",")
	}
	return s
}

// timeOfDay is a time of day l's way: "9.30" (Danish), "9:30" (English).
func timeOfDay(l i18n.Lang, h, m int) string {
	sep := "."
	if l == i18n.En {
		sep = ":"
	}
	mm := strconv.Itoa(m)
	if m < 10 {
		mm = "0" + mm
	}
	return strconv.Itoa(h) + sep + mm
}

// byName is how the report names who printed it.
func byName(u *store.User) string {
	if u == nil {
		return ""
	}
	if u.Name != "" {
		return u.Name
	}
	return u.ShownLogin()
}

// clip shortens a clinician's text to reportTextMax characters, at a word
// when it can, with "…".
func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= reportTextMax {
		return s
	}
	r := []rune(s)[:reportTextMax]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > reportTextMax/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:–-") + "…"
}
