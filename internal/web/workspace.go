package web

// The clinician's workspace (issue 13): the clinic's patients by exception
// (workspacePatients), one patient's chart with their alerts, progress,
// timeline and the clinic's notes (workspacePatient), acknowledging alerts
// and writing notes. Invitations and their printable slip are in
// workspace_invite.go. Each handler parses the request, calls one function
// of internal/care or internal/clinic (which apply the access policy, read
// through the clinic-filtered store and write the access log) and renders.

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/progress"
	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

const workspacePath = "/klinik"

// patientPath is the address of one patient's chart.
func patientPath(id int64) string { return workspacePath + "/patienter/" + strconv.FormatInt(id, 10) }

// wsView is what the workspace templates read.
type wsView struct {
	*view
	List    *wsList
	Chart   *wsChart
	Invites *wsInvites
	Slip    *wsSlip
	Report  *wsReport
}

func (a *app) wsView(r *http.Request, title string) *wsView {
	v := &wsView{view: a.newView(r, title)}
	v.CSS = careCSSPath
	return v
}

// The list's query words in its address: ?q=…&vis=…&sortering=…&side=….
var (
	filterParam = map[string]string{"advarsler": store.FilterAlerts, "inaktive": store.FilterInactive}
	sortParam   = map[string]string{"navn": store.SortName, "aktivitet": store.SortActivity, "smerte": store.SortPain}
)

type wsList struct {
	Lead    string
	Search  string
	Filters []menuItem
	Sorts   []wsOption
	Sort    string // the query word of the current sort ("" = attention)
	Filter  string // the query word of the current filter
	Rows    []wsRow
	Empty   string
	Invite  bool // the clinic has no patients: offer the invitations page
	Page    int
	Pages   int
	Prev    string
	Next    string
}

type wsOption struct {
	Value, Label string
	Selected     bool
}

type wsRow struct {
	Href, Name, Login string
	Attention         string
	Class             string // urgent, warning, info, inactive or ""
	Adherence         string
	Walk              string
	LegPain           string
	Last              string
}

// workspacePatients is the clinic's patient list: who needs attention
// first (open alerts by severity, then no activity for the clinic's days),
// then everyone else by name, searched, filtered, sorted and paged by the
// address's query, so that it works without a script and a view can be
// bookmarked.
func (a *app) workspacePatients(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	wordOf := func(m map[string]string, w string) string {
		if _, ok := m[w]; ok {
			return w
		}
		return ""
	}
	filter, sort := wordOf(filterParam, q.Get("vis")), wordOf(sortParam, q.Get("sortering"))
	page, _ := strconv.Atoi(q.Get("side"))
	search := q.Get("q")
	if len(search) > 200 {
		search = search[:200]
	}
	list, err := a.care.Patients(ctx, userFrom(ctx), store.PatientQuery{
		Search: search, Filter: filterParam[filter], Sort: sortParam[sort], Page: page,
	})
	v := a.wsView(r, "wsListTitle")
	if errors.Is(err, care.ErrNoClinic) {
		a.render(w, r, http.StatusOK, "workspace_list.html", v) // says so
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v.List = listView(v.Lang, list, filter, sort)
	a.render(w, r, http.StatusOK, "workspace_list.html", v)
}

func listView(l i18n.Lang, list care.PatientList, filter, sort string) *wsList {
	lv := &wsList{Search: list.Query.Search, Filter: filter, Sort: sort, Page: list.Query.Page, Pages: list.Pages}
	n := list.Counts
	if attention := n.Alerts + n.Inactive; attention > 0 {
		lv.Lead = l.N("wsListLead", attention)
	} else if n.All > 0 {
		lv.Lead = l.T("wsListCalm")
	}
	link := func(filter, sort string, page int) string {
		v := url.Values{}
		if lv.Search != "" {
			v.Set("q", lv.Search)
		}
		if filter != "" {
			v.Set("vis", filter)
		}
		if sort != "" {
			v.Set("sortering", sort)
		}
		if page > 1 {
			v.Set("side", strconv.Itoa(page))
		}
		if len(v) == 0 {
			return workspacePath
		}
		return workspacePath + "?" + v.Encode()
	}
	for _, f := range []struct {
		word, key string
		n         int
	}{{"", "wsFilterAll", n.All}, {"advarsler", "wsFilterAlerts", n.Alerts}, {"inaktive", "wsFilterInactive", n.Inactive}} {
		lv.Filters = append(lv.Filters, menuItem{Href: link(f.word, sort, 1), Label: l.Tf(f.key, l.Int(f.n)), Current: f.word == filter})
	}
	for _, s := range []struct{ word, key string }{{"", "wsSortAttention"}, {"navn", "wsSortName"}, {"aktivitet", "wsSortActivity"}, {"smerte", "wsSortPain"}} {
		lv.Sorts = append(lv.Sorts, wsOption{Value: s.word, Label: l.T(s.key), Selected: s.word == sort})
	}
	if lv.Page > 1 {
		lv.Prev = link(filter, sort, lv.Page-1)
	}
	if lv.Page < lv.Pages {
		lv.Next = link(filter, sort, lv.Page+1)
	}
	now := list.Query.Now
	for _, p := range list.Rows {
		row := wsRow{Href: patientPath(p.ID), Name: p.Name, Login: p.Login,
			Adherence: l.T("wsNone"), Walk: l.T("wsNone"), LegPain: l.T("wsNone"), Last: l.T("wsNever")}
		if row.Name == "" {
			row.Name, row.Login = p.Login, ""
		}
		switch {
		case p.OpenAlerts > 0:
			row.Attention = l.T("wsRank"+strconv.Itoa(p.TopRank)) + ": " + alertTitle(l, p.TopCode)
			if more := p.OpenAlerts - 1; more > 0 {
				row.Attention += " " + l.N("wsAlertsMore", more)
			}
			row.Class = [...]string{"urgent", "warning", "info"}[min(p.TopRank, 2)]
		case p.Inactive:
			since := p.LastActivity
			if since.IsZero() {
				since = p.CreatedAt
			}
			row.Attention, row.Class = l.N("wsInactiveFor", int(now.Sub(since).Hours()/24)), "inactive"
		}
		if p.Adherence2w != nil && p.Adherence4w != nil {
			row.Adherence = l.Tf("wsPercent", l.Int(*p.Adherence2w)) + " / " + l.Tf("wsPercent", l.Int(*p.Adherence4w))
		}
		if t := p.WalkTrend; t != nil {
			switch {
			case *t > 0:
				row.Walk = l.Tf("wsTrendUp", l.Int(*t))
			case *t < 0:
				row.Walk = l.Tf("wsTrendDown", l.Int(-*t))
			default:
				row.Walk = l.T("wsTrendSame")
			}
		}
		if p.LegPain != nil {
			row.LegPain = l.Tf("wsPainOn", l.Int(*p.LegPain), shortDate(l, p.LegPainAt.In(care.Zone)))
		}
		if !p.LastActivity.IsZero() {
			row.Last = shortDate(l, p.LastActivity.In(care.Zone))
		}
		lv.Rows = append(lv.Rows, row)
	}
	switch {
	case len(lv.Rows) > 0:
	case n.All == 0:
		lv.Empty, lv.Invite = l.T("wsEmptyClinic"), true
	default:
		lv.Empty = l.T("wsEmptySearch")
	}
	return lv
}

// wsChart is one patient's chart as the page shows it.
type wsChart struct {
	ID           int64
	Path         string
	Name, Login  string
	Since, Last  string
	Open, Acked  []wsAlert
	AckedTitle   string
	Figures      []template.HTML
	Empty        bool
	PSFS         []psfsScoring
	Timeline     []wsEvent
	TimelineMore string
	Notes        []wsNote
	// Programme is the current programme (version, when, by whom), and
	// ProgrammeHref its editor.
	Programme, ProgrammeHref string
	NoteErr                  string
	Note                     string // what was typed, when it could not be kept
	AckErr                   string
}

type wsAlert struct {
	ID                   int64
	Class, Rank, Title   string
	Detail, Raised, Seen string
}

type wsEvent struct{ Date, Text string }

type wsNote struct{ By, Body string }

// timelineMax is how many events the chart's timeline shows.
const timelineMax = 60

func (a *app) workspacePatient(w http.ResponseWriter, r *http.Request) {
	a.showChart(w, r, http.StatusOK, nil)
}

// showChart renders the chart of the patient in the path; with fe, the
// form that failed, its error and what was typed.
func (a *app) showChart(w http.ResponseWriter, r *http.Request, status int, fe *care.FieldError) {
	ctx := r.Context()
	id, ok := pathID(r, "pid")
	if !ok {
		a.notFound(w, r)
		return
	}
	c, err := a.care.Chart(ctx, userFrom(ctx), id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v := a.wsView(r, "wsListTitle")
	v.Chart = chartView(v.Lang, c)
	v.Title = v.Chart.Name
	if fe != nil {
		switch fe.Field {
		case "body":
			v.Chart.NoteErr, v.Chart.Note = v.T(fe.Code), r.PostForm.Get("body")
		default:
			v.Chart.AckErr = v.T(fe.Code)
		}
	}
	v.Flash = v.T(a.sm.PopString(ctx, "flash"))
	a.render(w, r, status, "workspace_patient.html", v)
}

func chartView(l i18n.Lang, c care.Chart) *wsChart {
	p := c.Patient
	cv := &wsChart{ID: p.ID, Path: patientPath(p.ID), Name: p.Name, Login: p.ShownLogin(),
		Since: l.Tf("wsPatientSince", shortDate(l, p.CreatedAt.In(care.Zone)))}
	if cv.Name == "" {
		cv.Name, cv.Login = p.ShownLogin(), ""
	}
	for _, al := range c.Alerts {
		av := wsAlert{ID: al.ID, Class: [...]string{"urgent", "warning", "info"}[min(al.Rank, 2)],
			Rank: l.T("wsRank" + strconv.Itoa(min(al.Rank, 2))), Title: alertTitle(l, al.Code),
			Detail: alertDetail(l, al), Raised: l.Tf("wsRaised", shortDate(l, al.RaisedAt.In(care.Zone)))}
		if al.Open() {
			cv.Open = append(cv.Open, av)
			continue
		}
		av.Seen = l.Tf("wsAcked", shortDate(l, al.AckAt.In(care.Zone)), al.AckByName)
		if al.AckNote != "" {
			av.Seen += " " + al.AckNote
		}
		cv.Acked = append(cv.Acked, av)
	}
	cv.AckedTitle = l.N("wsAckedTitle", len(cv.Acked))
	cv.ProgrammeHref, cv.Programme = programmeEditorPath(p.ID), l.T("wsProgrammeDefault")
	if len(c.Versions) > 0 { // newest first
		cur := c.Versions[0]
		cv.Programme = l.Tf("wsProgrammeVersion", cur.Version, shortDate(l, cur.At.In(care.Zone)), cur.ByName)
	}
	h := c.Record.History
	cv.Empty = len(h.Entries) == 0 && len(h.Walks) == 0 && len(h.Sessions) == 0
	rep := progress.Compute(h, c.Record.AsOf, progressWeeks)
	weeks := rep.ProgrammeWeeks(progressWeeks)
	cv.Figures = figures(l,
		chart{weeks[progress.FirstSymptoms], "chartFirst"},
		chart{weeks[progress.WalkMinutes], "chartWalkWeeks"},
		chart{weeks[progress.LegPain], "chartLegPain"},
		chart{weeks[progress.Sessions], "chartSessions"},
	)
	cv.PSFS = psfsScorings(l, rep.PSFS)
	events, more := c.Timeline(timelineMax)
	for _, e := range events {
		cv.Timeline = append(cv.Timeline, wsEvent{Date: dayText(l, e.Day), Text: eventText(l, e)})
	}
	if more {
		cv.TimelineMore = l.Tf("wsTimelineMore", timelineMax)
	}
	for _, n := range c.Notes {
		cv.Notes = append(cv.Notes, wsNote{By: l.Tf("wsNoteBy", n.AuthorName, shortDate(l, n.At.In(care.Zone))), Body: n.Body})
	}
	return cv
}

// alertTitle is what an alert is about, in the clinician's words.
func alertTitle(l i18n.Lang, code string) string {
	if key := "wsAlert_" + code; i18n.Has(l, key) {
		return l.T(key)
	}
	return l.Tf("wsAlertOther", code)
}

// alertDetail says what an alert's items name: the red flags answered
// yes, or the examination.
func alertDetail(l i18n.Lang, al store.Alert) string {
	switch al.Code {
	case string(rules.UrgentRedFlag):
		var names []string
		for _, k := range al.Items {
			if f, ok := rules.FlagByKey(k); ok {
				names = append(names, f.Name(l))
			}
		}
		if len(names) > 0 {
			return l.Tf("wsFlagsYes", strings.Join(names, ", "))
		}
	case care.AlertExamined:
		if len(al.Items) == 2 {
			return l.Tf("wsExaminedOn", al.Items[0], examinedByText(l, al.Items[1]))
		}
	}
	return ""
}

// eventText is one timeline event in words.
func eventText(l i18n.Lang, e care.Event) string {
	switch {
	case e.Entry != nil:
		s := l.Tf("wsEvDiary", e.Entry.LegPain, e.Entry.BackPain)
		if n := symptomNames(l, e.Entry.Tingling, e.Entry.Burning, e.Entry.Weakness); n != "" {
			s += " " + l.Tf("wsEvNeuro", n)
		}
		return s
	case e.Session != nil:
		s := l.Tf("wsEvSession", e.Session.CompletedSteps, e.Session.CompletedSteps+e.Session.SkippedSteps)
		if len(e.Session.Symptoms) > 0 {
			s += " " + l.Tf("wsEvSessionStop", symptomList(l, e.Session.Symptoms))
		}
		return s
	case e.Walk != nil:
		secs := 0
		for _, b := range e.Walk.Bouts {
			secs += b.WalkSeconds
		}
		return l.Tf("wsEvWalk", l.Int((secs+30)/60))
	case e.Check != nil:
		var yes []string
		for _, f := range rules.Flags {
			if e.Check.Answers[f.Key] {
				yes = append(yes, f.Name(l))
			}
		}
		if len(yes) == 0 {
			return l.T("wsEvRedFlagNo")
		}
		return l.Tf("wsEvRedFlagYes", strings.Join(yes, ", "))
	case e.Start != nil:
		return l.Tf("wsEvBaseline", progress.Duration(e.Start.SPWT.FirstSymptomsSeconds, l), e.Start.LegPain)
	case e.Alert != nil:
		return l.Tf("wsEvAlert", alertTitle(l, e.Alert.Code))
	case e.Version != nil:
		return l.Tf("wsEvProgramme", e.Version.ByName, e.Version.Reason)
	}
	return ""
}

func symptomNames(l i18n.Lang, tingling, burning, weakness bool) string {
	var ks []string
	for _, s := range []struct {
		on  bool
		key string
	}{{tingling, "tingling"}, {burning, "burning"}, {weakness, "weakness"}} {
		if s.on {
			ks = append(ks, s.key)
		}
	}
	return symptomList(l, ks)
}

// workspaceAck acknowledges one alert with the clinician's remark and goes
// back to the patient's alerts.
func (a *app) workspaceAck(w http.ResponseWriter, r *http.Request) {
	if !form(w, r) {
		return
	}
	ctx := r.Context()
	id, ok := pathID(r, "aid")
	if !ok {
		a.notFound(w, r)
		return
	}
	pid, err := a.care.Acknowledge(ctx, userFrom(ctx), id, r.PostForm.Get("note"))
	var fe *care.FieldError
	switch {
	case errors.As(err, &fe):
		a.ackFailed(w, r, fe)
		return
	case errors.Is(err, store.ErrAcknowledged):
		a.sm.Put(ctx, "flash", "wsAckTaken")
	case err != nil:
		a.fail(w, r, err)
		return
	default:
		a.sm.Put(ctx, "flash", "wsAckDone")
	}
	if pid == 0 {
		http.Redirect(w, r, workspacePath, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, patientPath(pid)+"#advarsler", http.StatusSeeOther)
}

// ackFailed: a remark that cannot be kept, on an alert's form posted from
// the patient's chart — back to the chart named by the form.
func (a *app) ackFailed(w http.ResponseWriter, r *http.Request, fe *care.FieldError) {
	pid, err := strconv.ParseInt(r.PostForm.Get("patient"), 10, 64)
	if err != nil {
		http.Error(w, reqLang(r).T(fe.Code), http.StatusUnprocessableEntity)
		return
	}
	r.SetPathValue("pid", strconv.FormatInt(pid, 10))
	a.showChart(w, r, http.StatusUnprocessableEntity, fe)
}

// workspaceAckAll acknowledges every open alert of the patient with one
// remark.
func (a *app) workspaceAckAll(w http.ResponseWriter, r *http.Request) {
	a.chartForm(w, r, "note", "wsAckAllDone", "#advarsler", func(ctx context.Context, u *store.User, pid int64, note string) error {
		_, err := a.care.AcknowledgeAll(ctx, u, pid, note)
		return err
	})
}

// workspaceNote adds the clinic's note on the patient.
func (a *app) workspaceNote(w http.ResponseWriter, r *http.Request) {
	a.chartForm(w, r, "body", "wsNoteSaved", "#notater", func(ctx context.Context, u *store.User, pid int64, body string) error {
		_, err := a.care.AddNote(ctx, u, pid, body)
		return err
	})
}

// chartForm answers a form posted from a patient's chart: change (one
// call of internal/care with the patient in the path and the form's text
// field), then back to the chart at anchor with flash; a text that cannot
// be kept shows the chart again with its error and what was typed.
func (a *app) chartForm(w http.ResponseWriter, r *http.Request, field, flash, anchor string,
	change func(ctx context.Context, actor *store.User, pid int64, text string) error) {
	if !form(w, r) {
		return
	}
	ctx := r.Context()
	id, ok := pathID(r, "pid")
	if !ok {
		a.notFound(w, r)
		return
	}
	err := change(ctx, userFrom(ctx), id, r.PostForm.Get(field))
	var fe *care.FieldError
	if errors.As(err, &fe) {
		a.showChart(w, r, http.StatusUnprocessableEntity, fe)
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.sm.Put(ctx, "flash", flash)
	http.Redirect(w, r, patientPath(id)+anchor, http.StatusSeeOther)
}

// pathID is the path's positive number named name.
func pathID(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id, err == nil && id > 0
}

// dayText is a rules day as a short date.
func dayText(l i18n.Lang, d rules.Day) string {
	t, err := time.Parse(time.DateOnly, d.String())
	if err != nil {
		return d.String()
	}
	return shortDate(l, t)
}

// symptomList names the neurological symptoms, as the advice does.
func symptomList(l i18n.Lang, kinds []string) string {
	names := make([]string, 0, len(kinds))
	for _, k := range kinds {
		names = append(names, l.T("advice_symptom_"+k))
	}
	return strings.Join(names, ", ")
}

// examinedByText is who examined a patient, as the clinician reads it.
func examinedByText(l i18n.Lang, by string) string {
	if key := "wsExaminedBy_" + by; i18n.Has(l, key) {
		return l.T(key)
	}
	return by
}
