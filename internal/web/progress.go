package web

// Progress (issue 4, "Today and progress"): the plain sentences of what
// changed and server-rendered SVG charts, each with its data table, from
// internal/progress.

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/progress"
)

// progressWeeks is the most weeks the page's weekly charts show, and
// progressDays the most days of its daily chart: they start at the
// programme start (progress.Report.ProgrammeWeeks), so a new patient sees
// one week and the baseline's Start point, not weeks before it began.
const (
	progressWeeks = 12
	progressDays  = 28
)

// progressData is what progress.html shows.
type progressData struct {
	Sentences []string
	Figures   []template.HTML
	Empty     bool // no data at all yet
	// PSFS are the patient's own activities' scorings (psfs.go), oldest
	// first: the table under the charts.
	PSFS []psfsScoring
}

// psfsScoring is one PSFS scoring as the progress page's table shows it.
type psfsScoring struct {
	Date       string
	Activities []string // "gå til bageren: 4"
	Mean       string   // "3,5"
}

// monthsShort are the months as a short date writes them (the clinic's
// voice: "5. dec. 2026"; English "5 Dec 2026").
var monthsShort = map[i18n.Lang][12]string{
	i18n.Da: {"jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."},
	i18n.En: {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
}

// shortDate is t's date, short: "5. dec. 2026", "5 Dec 2026".
func shortDate(l i18n.Lang, t time.Time) string {
	m := monthsShort[i18n.Da]
	day := strconv.Itoa(t.Day()) + "."
	if l == i18n.En {
		m, day = monthsShort[i18n.En], strconv.Itoa(t.Day())
	}
	return day + " " + m[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// psfsScorings are rep's PSFS scorings in l's words.
func psfsScorings(l i18n.Lang, ss []progress.Scoring) []psfsScoring {
	out := make([]psfsScoring, 0, len(ss))
	for _, s := range ss {
		row := psfsScoring{Date: shortDate(l, s.Day), Mean: strconv.FormatFloat(s.Mean, 'f', -1, 64)}
		if l != i18n.En {
			row.Mean = strings.ReplaceAll(row.Mean, ".", ",")
		}
		for _, a := range s.Activities {
			row.Activities = append(row.Activities, a.Name+": "+strconv.Itoa(a.Score))
		}
		out = append(out, row)
	}
	return out
}

func (a *app) progressPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := a.care.Load(ctx, userFrom(ctx))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	h := p.History
	rep := progress.Compute(h, p.AsOf, progressWeeks)
	weeks, days := rep.ProgrammeWeeks(progressWeeks), rep.ProgrammeDays(progressDays)
	l := reqLang(r)
	d := &progressData{
		Sentences: rep.Sentences(l),
		Empty:     len(h.Entries) == 0 && len(h.Walks) == 0 && len(h.Sessions) == 0,
		PSFS:      psfsScorings(l, rep.PSFS),
	}
	d.Figures = figures(l,
		chart{weeks[progress.FirstSymptoms], "chartFirst"},
		chart{days[progress.WalkMinutes], "chartWalkDays"},
		chart{weeks[progress.WalkMinutes], "chartWalkWeeks"},
		chart{weeks[progress.LegPain], "chartLegPain"},
		chart{weeks[progress.BackPain], "chartBackPain"},
		chart{weeks[progress.Sessions], "chartSessions"},
	)
	v := a.careView(r, "progressTitle")
	v.Progress = d
	a.render(w, r, http.StatusOK, "progress.html", v)
}

// chart is one chart of a progress page: the series and its title's key.
type chart struct {
	s     progress.Series
	title string
}

// figures are the charts in l, each an SVG with its data table
// (progress.Figure): the patient's progress page and the clinician's
// chart of the patient show the same.
func figures(l i18n.Lang, cs ...chart) []template.HTML {
	out := make([]template.HTML, 0, len(cs))
	for _, c := range cs {
		out = append(out, progress.Figure(c.s, progress.Options{Lang: l, Title: l.T(c.title)}))
	}
	return out
}
