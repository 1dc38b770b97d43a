package web

// Progress (issue 4, "Today and progress"): the plain sentences of what
// changed and server-rendered SVG charts, each with its data table, from
// internal/progress.

import (
	"html/template"
	"net/http"

	"github.com/stenose/stenose/internal/progress"
)

// progressWeeks is the span of the page's charts.
const progressWeeks = 12

// progressData is what progress.html shows.
type progressData struct {
	Sentences []string
	Figures   []template.HTML
	Empty     bool // no data at all yet
}

func (a *app) progressPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	now := a.nowCPH()
	p, err := a.loadPatient(ctx, userFrom(ctx), now)
	if err != nil {
		a.serverError(w, r, err)
		return
	}
	h := p.History
	rep := progress.Compute(h, now, progressWeeks)
	weeks := rep.RecentWeeks()
	l := reqLang(r)
	lc := tr(l, "progressLangCode") // "da" or "en", as internal/progress names them
	d := &progressData{
		Sentences: rep.Sentences(lc),
		Empty:     len(h.Entries) == 0 && len(h.Walks) == 0 && len(h.Sessions) == 0,
	}
	for _, f := range []struct {
		s     progress.Series
		title string
	}{
		{weeks[progress.FirstSymptoms], "chartFirst"},
		{rep.Days[progress.WalkMinutes].Last(28), "chartWalkDays"},
		{weeks[progress.WalkMinutes], "chartWalkWeeks"},
		{weeks[progress.LegPain], "chartLegPain"},
		{weeks[progress.BackPain], "chartBackPain"},
		{weeks[progress.Sessions], "chartSessions"},
	} {
		d.Figures = append(d.Figures, progress.Figure(f.s, progress.Options{Lang: lc, Title: tr(l, f.title)}))
	}
	v := a.careView(r, "progressTitle")
	v.Progress = d
	a.render(w, r, http.StatusOK, "progress.html", v)
}
