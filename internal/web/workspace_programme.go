package web

// The clinician's programme editor (issue 13, "Programme per patient"):
// GET and POST /klinik/patienter/{pid}/program. The clinician chooses
// exercises from the library, their order and doses, sessions a week, the
// walking target and a reason the patient will read; care.SetProgramme
// checks it with the content's rules and saves a new version. Every field
// the rules refuse is named beside it and in the summary, with the form
// as typed; a change made from a version that is no longer the current one
// is shown again over the new one. Another clinic's patient is a 404
// (care.Open), and every look is in the patient's access log.

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/programme"
)

// programmeEditorPath is the editor of patient pid's programme.
func programmeEditorPath(pid int64) string {
	return "/klinik/patienter/" + strconv.FormatInt(pid, 10) + "/program"
}

// The editor's form fields besides each exercise's ("med": the chosen
// slugs; "nr-{slug}" its place; "{slug}-{dose key}" its numbers).
const (
	fieldFrom    = "fra"
	fieldPerWeek = "gange"
	fieldWalk    = "gaa"
	fieldReason  = "begrundelse"
	fieldChosen  = "med"
)

// doseKeys are the numbers of a dose the editor shows, per kind, in order.
var doseKeys = map[programme.Kind][]string{
	programme.Duration: {"seconds", "sides", "sets", "rest"},
	programme.Hold:     {"seconds", "reps", "sides", "sets", "rest"},
	programme.Reps:     {"reps", "secondsPerRep", "sides", "sets", "rest"},
}

// editorView is the editor page.
type editorView struct {
	*view
	Ed *editorData
}

type editorData struct {
	Action      string
	Patient     string
	PatientHref string
	From        int64
	ReasonMax   int
	Exercises   string // the error of the exercise list as a whole
	Rows        []exerciseRow
	PerWeek     inputField
	Walk        inputField
	Reason      inputField
	Versions    []versionLine
}

type exerciseRow struct {
	Slug, Name, Dose string
	Chosen           bool
	Error            string
	Pos              inputField
	Fields           []inputField
}

type inputField struct {
	ID, Label, Value, Error string
}

type versionLine struct {
	Title, Details, Reason string
	Current                bool
}

// patientID is the {pid} of the path, or false.
func patientID(r *http.Request) (int64, bool) {
	s := r.PathValue("pid")
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0 && strconv.FormatInt(id, 10) == s
}

func (a *app) programmeEditor(w http.ResponseWriter, r *http.Request) {
	pid, ok := patientID(r)
	if !ok {
		a.notFound(w, r)
		return
	}
	ctx := r.Context()
	rec, err := a.care.PatientProgramme(ctx, userFrom(ctx), pid)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v := &editorView{view: a.newView(r, "progEdTitle")}
	v.CSS = careCSSPath
	v.Flash = v.Lang.T(a.sm.PopString(ctx, "flash"))
	fillFromProgramme(v.Form, rec)
	a.renderEditor(w, r, http.StatusOK, v, rec, nil)
}

func (a *app) programmeSave(w http.ResponseWriter, r *http.Request) {
	pid, ok := patientID(r)
	if !ok {
		a.notFound(w, r)
		return
	}
	if !form(w, r) {
		return
	}
	ctx := r.Context()
	v := &editorView{view: a.newView(r, "progEdTitle")}
	v.CSS = careCSSPath
	ch, from := a.readProgrammeForm(r, v.Form)
	rec, err := a.care.SetProgramme(ctx, userFrom(ctx), pid, ch, from)
	var inv *care.InvalidProgramme
	switch {
	case err == nil:
		a.sm.Put(ctx, "flash", "progEdSaved")
		http.Redirect(w, r, programmeEditorPath(pid), http.StatusSeeOther)
	case errors.As(err, &inv):
		a.renderEditor(w, r, http.StatusUnprocessableEntity, v, rec, inv.Problems)
	case errors.Is(err, care.ErrProgrammeChanged):
		// Shown again over the new current version: the clinician sees it
		// in the list and saves again if they still mean it.
		v.Form[fieldFrom] = strconv.FormatInt(rec.CurrentID(), 10)
		v.fail(fieldReason, v.Lang.T("progEdChanged"))
		v.Summary = []fieldMsg{{fieldReason, v.Lang.T("progEdChanged")}}
		a.renderEditor(w, r, http.StatusConflict, v, rec, nil)
	default:
		a.fail(w, r, err)
	}
}

// readProgrammeForm reads the editor's form into a change (a number that
// is not one is -1: outside every range, so the rules name its field) and
// keeps what was typed in kept.
func (a *app) readProgrammeForm(r *http.Request, kept map[string]string) (care.ProgrammeChange, int64) {
	f := r.PostForm
	num := func(name string) int {
		s := strings.TrimSpace(f.Get(name))
		kept[name] = s
		n, err := strconv.Atoi(s)
		if err != nil {
			return -1
		}
		return n
	}
	ch := care.ProgrammeChange{PerWeek: num(fieldPerWeek), WalkMinutes: num(fieldWalk), Reason: f.Get(fieldReason)}
	kept[fieldReason] = f.Get(fieldReason)
	from, _ := strconv.ParseInt(f.Get(fieldFrom), 10, 64)
	kept[fieldFrom] = strconv.FormatInt(from, 10)
	lib := a.site.Library()
	type chosen struct {
		pos, order int
		item       care.ProgrammeItem
	}
	var cs []chosen
	picked := f[fieldChosen]
	for i, e := range lib.Exercises {
		for _, k := range doseKeys[e.Dose.Kind] {
			kept[e.Slug+"-"+k] = strings.TrimSpace(f.Get(e.Slug + "-" + k))
		}
		kept["nr-"+e.Slug] = strings.TrimSpace(f.Get("nr-" + e.Slug))
		if !slices.Contains(picked, e.Slug) {
			continue
		}
		kept[fieldChosen+"-"+e.Slug] = "1"
		d := programme.Dose{Kind: e.Dose.Kind, Reps: 1, Sides: 1, Sets: 1}
		for _, k := range doseKeys[e.Dose.Kind] {
			n := num(e.Slug + "-" + k)
			switch k {
			case "seconds":
				d.Seconds = n
			case "secondsPerRep":
				d.SecondsPerRep = n
			case "reps":
				d.Reps = n
			case "sides":
				d.Sides = n
			case "sets":
				d.Sets = n
			case "rest":
				d.Rest = n
			}
		}
		pos, err := strconv.Atoi(kept["nr-"+e.Slug])
		if err != nil || pos < 1 {
			pos = 1 << 20 // no place given: after the numbered ones, in the library's order
		}
		cs = append(cs, chosen{pos, i, care.ProgrammeItem{Exercise: e.Slug, Dose: d}})
	}
	for _, s := range picked { // a slug the library does not have: the rules name it
		if s != "" && lib.Exercise(s) == nil {
			cs = append(cs, chosen{1 << 21, len(cs), care.ProgrammeItem{Exercise: s}})
		}
	}
	slices.SortStableFunc(cs, func(x, y chosen) int {
		if x.pos != y.pos {
			return x.pos - y.pos
		}
		return x.order - y.order
	})
	for _, c := range cs {
		ch.Items = append(ch.Items, c.item)
	}
	return ch, from
}

// fillFromProgramme fills the form with the patient's programme now: its
// exercises chosen in their order with their doses, the others with the
// library's doses.
func fillFromProgramme(f map[string]string, rec care.ProgrammeRecord) {
	f[fieldFrom] = strconv.FormatInt(rec.CurrentID(), 10)
	f[fieldPerWeek] = strconv.Itoa(rec.Programme.PerWeek)
	f[fieldWalk] = strconv.Itoa(rec.WalkMinutes)
	for i, it := range rec.Programme.Items {
		f[fieldChosen+"-"+it.Exercise.Slug] = "1"
		f["nr-"+it.Exercise.Slug] = strconv.Itoa(i + 1)
		fillDose(f, it.Exercise.Slug, it.Dose)
	}
}

func fillDose(f map[string]string, slug string, d programme.Dose) {
	for k, n := range map[string]int{"seconds": d.Seconds, "secondsPerRep": d.SecondsPerRep, "reps": d.Reps, "sides": d.Sides, "sets": d.Sets, "rest": d.Rest} {
		if _, typed := f[slug+"-"+k]; !typed {
			f[slug+"-"+k] = strconv.Itoa(n)
		}
	}
}

// doseLabel is the words of a dose number's field for an exercise of kind.
func doseLabel(l i18n.Lang, kind programme.Kind, key string) string {
	switch {
	case key == "seconds" && kind == programme.Hold:
		return l.T("progEdHoldSeconds")
	case key == "reps" && kind == programme.Hold:
		return l.T("progEdHolds")
	}
	return l.T("progEd_" + key)
}

// renderEditor shows the editor for rec with the form in v.Form and the
// rules' problems beside their fields and in the summary.
func (a *app) renderEditor(w http.ResponseWriter, r *http.Request, status int, v *editorView, rec care.ProgrammeRecord, probs []care.Problem) {
	l := v.Lang
	pid := rec.Patient.ID
	name := rec.Patient.Name
	if name == "" {
		name = rec.Patient.ShownLogin()
	}
	ed := &editorData{
		Action: programmeEditorPath(pid), Patient: name, PatientHref: patientPath(pid), From: rec.CurrentID(), ReasonMax: care.ReasonMax,
		PerWeek: inputField{ID: fieldPerWeek, Label: l.T("progEdPerWeek"), Value: v.Form[fieldPerWeek]},
		Walk:    inputField{ID: fieldWalk, Label: l.T("progEdWalk"), Value: v.Form[fieldWalk]},
		Reason:  inputField{ID: fieldReason, Label: l.T("progEdReason"), Value: v.Form[fieldReason]},
	}
	if f, err := strconv.ParseInt(v.Form[fieldFrom], 10, 64); err == nil {
		ed.From = f
	}
	v.Title = l.Tf("progEdTitleFor", name)
	msg := func(p care.Problem) string {
		switch p.Code {
		case care.ProblemRequired:
			if p.Field == "reason" {
				return l.T("progEdErrReason")
			}
			return l.T("progEdErrNone")
		case care.ProblemTooLong:
			return l.Tf("progEdErrTooLong", p.Max)
		case care.ProblemUnknown:
			return l.T("progEdErrUnknown")
		case care.ProblemTwice:
			return l.T("progEdErrTwice")
		case care.ProblemExtension:
			return l.T("progEdErrExtension")
		}
		if strings.HasSuffix(p.Field, ".sides") {
			return l.T("progEdErrSides")
		}
		return l.Tf("progEdErrRange", p.Min, p.Max)
	}
	byField := map[string]string{}
	for _, p := range probs {
		if _, dup := byField[p.Field]; !dup {
			byField[p.Field] = msg(p)
		}
	}
	lib := a.site.Library()
	// Rows: the chosen exercises in their order, then the others.
	exs := slices.Clone(lib.Exercises)
	place := func(slug string) int {
		if v.Form[fieldChosen+"-"+slug] == "" {
			return 1 << 21
		}
		if n, err := strconv.Atoi(v.Form["nr-"+slug]); err == nil && n > 0 {
			return n
		}
		return 1 << 20
	}
	slices.SortStableFunc(exs, func(x, y *programme.Exercise) int { return place(x.Slug) - place(y.Slug) })
	for _, e := range exs {
		fillDose(v.Form, e.Slug, e.Dose)
		row := exerciseRow{
			Slug: e.Slug, Name: e.Name, Chosen: v.Form[fieldChosen+"-"+e.Slug] != "",
			Dose: programme.DoseText(e.Dose, l == i18n.En), Error: byField[e.Slug],
			Pos: inputField{ID: "nr-" + e.Slug, Label: l.T("progEdPlace"), Value: v.Form["nr-"+e.Slug]},
		}
		if l == i18n.En && e.NameEn != "" {
			row.Name = e.NameEn
		}
		for _, k := range doseKeys[e.Dose.Kind] {
			row.Fields = append(row.Fields, inputField{
				ID: e.Slug + "-" + k, Label: doseLabel(l, e.Dose.Kind, k), Value: v.Form[e.Slug+"-"+k], Error: byField[e.Slug+"."+k],
			})
		}
		ed.Rows = append(ed.Rows, row)
	}
	ed.Exercises = byField["exercises"]
	ed.PerWeek.Error, ed.Walk.Error, ed.Reason.Error = byField["perWeek"], byField["walkMinutes"], byField["reason"]
	if v.Errors[fieldReason] != "" {
		ed.Reason.Error = v.Errors[fieldReason]
	}
	// The summary in the form's order, each naming its field.
	if len(probs) > 0 {
		v.Summary = nil
		if ed.Exercises != "" {
			v.Summary = append(v.Summary, fieldMsg{"exercises", ed.Exercises})
		}
		for _, row := range ed.Rows {
			if row.Error != "" {
				v.Summary = append(v.Summary, fieldMsg{fieldChosen + "-" + row.Slug, row.Name + ": " + row.Error})
			}
			for _, f := range row.Fields {
				if f.Error != "" {
					v.Summary = append(v.Summary, fieldMsg{f.ID, row.Name + ", " + strings.ToLower(f.Label) + ": " + f.Error})
				}
			}
		}
		for _, f := range []inputField{ed.PerWeek, ed.Walk, ed.Reason} {
			if f.Error != "" {
				v.Summary = append(v.Summary, fieldMsg{f.ID, f.Label + ": " + f.Error})
			}
		}
	}
	for _, pv := range rec.Versions {
		ed.Versions = append(ed.Versions, versionLine{
			Title:   l.Tf("progEdVersion", pv.Version, l.Date(pv.At.In(care.Zone)), pv.ByName),
			Details: l.N("progEdExercises", len(pv.Items)) + " · " + l.N("progEdTimesAWeek", pv.PerWeek) + " · " + l.N("progEdWalkMinutes", pv.WalkMinutes),
			Reason:  pv.Reason,
			Current: rec.Current != nil && pv.ID == rec.Current.ID,
		})
	}
	v.Ed = ed
	a.render(w, r, status, "workspace_programme.html", v)
}
