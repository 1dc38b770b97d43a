package web

// The patient's own activities: the Patient-Specific Functional Scale
// (PSFS; Stratford 1995). The patient names up to three activities the
// stenosis makes hard and scores each 0 (cannot do it) to 10 (as before the
// problem); the average is the score, and 2 points of it is a meaningful
// change (docs/sources.md, "Meaningful change").
//
// The first scoring is the baseline, taken in onboarding after the walking
// test (/start/aktiviteter). The patient scores the same activities again
// at the 4- and 12-week status consultations (/status, linked from /i-dag
// beside STATUS_4_WEEKS and STATUS_12_WEEKS), the names filled in from the
// last scoring and editable. Both forms are checked by the rules'
// CheckPSFS, so a scoring is refused in the same words the rules use
// anywhere else.

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

const (
	psfsStartPath  = "/start/aktiviteter"
	psfsStatusPath = "/status"
	// psfsRows is how many activities the form offers (the PSFS's three).
	psfsRows = 3
	// psfsSavedKey is the flash on /i-dag after a status scoring.
	psfsSavedKey = "psfsSaved"
)

// psfsData is what psfs.html shows.
type psfsData struct {
	Action string // the form's address
	Status bool   // the status form (else onboarding's)
	// Prefilled: the names are the last scoring's.
	Prefilled bool
	Rows      []psfsRow
}

// psfsRow is one activity of the form: its fields' names (also their ids),
// what was typed and chosen, and their errors; the score is a 0–10 tap
// scale.
type psfsRow struct {
	N                     int
	NameField, ScoreField string
	Name, Score           string
	NameError, ScoreError string
	Optional              bool // rows 2 and 3
	Scale                 tapScale
}

func psfsNameField(n int) string  { return "aktivitet" + strconv.Itoa(n) }
func psfsScoreField(n int) string { return "point" + strconv.Itoa(n) }

// psfsOrder is the form's fields in order, for the error summary.
var psfsOrder = func() []string {
	var out []string
	for n := 1; n <= psfsRows; n++ {
		out = append(out, psfsNameField(n), psfsScoreField(n))
	}
	return out
}()

// psfsView is the care view of a PSFS form, its rows filled from v.Form
// and v.Errors.
func (a *app) psfsView(r *http.Request, status bool) *careView {
	title, action := "psfsTitle", psfsStartPath
	if status {
		title, action = "psfsStatusTitle", psfsStatusPath
	}
	v := a.careView(r, title)
	v.PSFS = &psfsData{Action: action, Status: status}
	return v
}

// psfsFill puts v.Form and v.Errors into the rows; call it before render.
// A row with a number and no activity (a number tapped by mistake, or the
// activity forgotten) offers a choice of no number, which a radio button
// otherwise cannot take back.
func psfsFill(v *careView) {
	v.PSFS.Rows = v.PSFS.Rows[:0]
	for n := 1; n <= psfsRows; n++ {
		nf, sf := psfsNameField(n), psfsScoreField(n)
		row := psfsRow{
			N: n, NameField: nf, ScoreField: sf,
			Name: v.Form[nf], Score: v.Form[sf],
			NameError: v.Errors[nf], ScoreError: v.Errors[sf],
			Optional: n > 1,
		}
		row.Scale = v.newScale(sf, v.T("psfsScore"), v.T("psfsLow"), v.T("psfsHigh"), !row.Optional)
		if row.NameError != "" && row.Name == "" && row.Score != "" {
			row.Scale.None = v.T("psfsNone")
		}
		v.PSFS.Rows = append(v.PSFS.Rows, row)
	}
}

// psfsProblemRE reads a CheckPSFS problem's path: the activity and field.
var psfsProblemRE = regexp.MustCompile(`activities\[(\d+)\]\.(name|score)$`)

// psfsMessage is a rules problem as a form error: the rules' own words in
// the page's language, as a sentence; a missing name says what to do.
func psfsMessage(l i18n.Lang, p *rules.Problem, name bool) string {
	if name && p.Code == rules.ProblemMissing {
		return l.T("errPSFSName")
	}
	s := p.Text(l)
	if r, size := utf8.DecodeRuneInString(s); r != utf8.RuneError {
		s = string(unicode.ToUpper(r)) + s[size:]
	}
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// psfsRead reads the posted form into v.Form and checks it: a row with
// neither a name nor a score is left out; a score must be chosen for a
// named activity; the rest is the rules' CheckPSFS (at least one activity,
// names of 1–80 characters, not twice, scores 0–10, the day not in the
// future). It returns the scoring and whether it may be saved; the errors
// are in v.
func (a *app) psfsRead(r *http.Request, v *careView) ([]store.PSFSActivity, bool) {
	var acts []rules.Activity
	var rows []int // the form row of each activity
	for n := 1; n <= psfsRows; n++ {
		nf, sf := psfsNameField(n), psfsScoreField(n)
		name := strings.TrimSpace(r.PostForm.Get(nf))
		raw := strings.TrimSpace(r.PostForm.Get(sf))
		v.Form[nf], v.Form[sf] = name, raw
		if name == "" && raw == "" {
			continue
		}
		score := 0
		switch n, err := strconv.Atoi(raw); {
		case raw == "":
			v.fail(sf, v.T("errPSFSScoreEmpty"))
		case err != nil:
			v.fail(sf, v.T("errPSFSScoreFormat"))
		default:
			score = n
		}
		acts = append(acts, rules.Activity{Name: name, Score: score})
		rows = append(rows, n)
	}
	now := a.care.Now()
	scoring := rules.PSFS{Date: care.DayIn(now), Activities: acts}
	for _, p := range rules.CheckPSFS(scoring, "psfs", rules.Check{Now: now}, rules.Day{}) {
		// The list as a whole (no activity) and the day: beside the first
		// name.
		field, isName := psfsNameField(1), false
		if m := psfsProblemRE.FindStringSubmatch(p.Path); m != nil {
			if i, err := strconv.Atoi(m[1]); err == nil && i < len(rows) {
				if m[2] == "name" {
					field, isName = psfsNameField(rows[i]), true
				} else {
					field = psfsScoreField(rows[i])
				}
			}
		}
		v.fail(field, psfsMessage(v.Lang, p, isName))
	}
	if len(v.Errors) > 0 {
		for _, f := range psfsOrder {
			if m, ok := v.Errors[f]; ok {
				v.Summary = append(v.Summary, fieldMsg{f, m})
			}
		}
		return nil, false
	}
	out := make([]store.PSFSActivity, len(acts))
	for i, x := range acts {
		out[i] = store.PSFSActivity{Name: x.Name, Score: x.Score}
	}
	return out, true
}

func (a *app) psfsStartForm(w http.ResponseWriter, r *http.Request) {
	if _, stop := a.onboardingGate(w, r, psfsStartPath); stop {
		return
	}
	v := a.psfsView(r, false)
	psfsFill(v)
	a.render(w, r, http.StatusOK, "psfs.html", v)
}

func (a *app) psfsStartSubmit(w http.ResponseWriter, r *http.Request) {
	if !form(w, r) {
		return
	}
	if _, stop := a.onboardingGate(w, r, psfsStartPath); stop {
		return
	}
	a.psfsSave(w, r, a.psfsView(r, false), "/start")
}

// psfsSave checks the posted scoring and stores it, then goes to next;
// or shows the form again with the errors and everything typed.
func (a *app) psfsSave(w http.ResponseWriter, r *http.Request, v *careView, next string) {
	acts, ok := a.psfsRead(r, v)
	if !ok {
		psfsFill(v)
		a.render(w, r, http.StatusUnprocessableEntity, "psfs.html", v)
		return
	}
	ctx := r.Context()
	if _, err := a.st.AddPSFS(ctx, userFrom(ctx).ID, a.now(), acts); err != nil {
		a.fail(w, r, err)
		return
	}
	if v.PSFS.Status {
		a.sm.Put(ctx, "flash", psfsSavedKey)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// psfsStatusForm is the status consultations' scoring: the last scoring's
// activities filled in, the scores to choose again. Without an earlier
// scoring it is the same form, empty.
func (a *app) psfsStatusForm(w http.ResponseWriter, r *http.Request) {
	p, stop := a.onboardingGate(w, r, psfsStatusPath)
	if stop {
		return
	}
	v := a.psfsView(r, true)
	if ps := p.History.PSFS; len(ps) > 0 { // the gate's read: the last scoring's names
		for i, x := range ps[len(ps)-1].Activities {
			if i < psfsRows {
				v.Form[psfsNameField(i+1)] = x.Name
			}
		}
		v.PSFS.Prefilled = true
	}
	psfsFill(v)
	a.render(w, r, http.StatusOK, "psfs.html", v)
}

func (a *app) psfsStatusSubmit(w http.ResponseWriter, r *http.Request) {
	if !form(w, r) {
		return
	}
	if _, stop := a.onboardingGate(w, r, psfsStatusPath); stop {
		return
	}
	a.psfsSave(w, r, a.psfsView(r, true), "/i-dag")
}
