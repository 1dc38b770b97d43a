package web

// Lifting a red-flag pause (issue 12, "Urgent advice that fits Danish
// practice"): the patient says when a doctor examined them and who, sees
// what they confirm, and confirms it. The examination's day is the rules'
// examinedSince (docs/rules.md, URGENT_RED_FLAG): it must be on or after
// the answer that paused the programme and not in the future, so the pause
// lifts only for an examination that can have looked at that answer.

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

// examinedPath is the form's address.
const examinedPath = "/start/undersoegt"

// examinedOtherMax is the longest "who" a patient may write (the store's
// limit).
const examinedOtherMax = 200

// examinedData is what redflags-examined.html shows besides the form's
// values: what was answered yes and when, and the choices of who.
type examinedData struct {
	Since    string   // the day of the answer that paused the programme, in words
	Min, Max string   // the date field's range, YYYY-MM-DD
	Today    bool     // the range is today alone (the answer was given today)
	Flags    []string // what was answered yes, in words
	By       []examinedChoice
}

// examinedChoice is one "who examined you" radio button.
type examinedChoice struct {
	Value, Label string
	Checked      bool
}

// pausedBy is the paused answer the form asks about: the newest of the
// check-ins open (with a yes no examination has been confirmed for;
// care.Unexamined), and the flags answered yes in all of them (in the
// rules' order, in l). ok is false when there is nothing to confirm.
func pausedBy(open []store.RedFlagCheckin, l i18n.Lang) (since time.Time, flags []string, ok bool) {
	if len(open) == 0 {
		return time.Time{}, nil, false
	}
	yes := map[string]bool{}
	for _, c := range open {
		since = c.At // care.Unexamined keeps the store's order: oldest first
		for k, y := range c.Answers {
			yes[k] = yes[k] || y
		}
	}
	for _, fs := range [][]rules.Flag{rules.Flags, rules.RetiredFlags} {
		for _, f := range fs {
			if yes[f.Key] {
				flags = append(flags, f.Name(l))
			}
		}
	}
	return since, flags, true
}

// examinedChoices are the "who" choices in l, with checked marked.
func examinedChoices(l i18n.Lang, checked string) []examinedChoice {
	out := make([]examinedChoice, len(store.ExaminedBy))
	for i, by := range store.ExaminedBy {
		out[i] = examinedChoice{Value: by, Label: l.T("examinedBy_" + by), Checked: by == checked}
	}
	return out
}

// examinedFields are the form's fields in the order it shows them (the
// error summary follows it).
var examinedFields = []string{"dato", "hvem", "undersoegt"}

// readExamination reads and checks the form: the examination's day (dato,
// as a date field sends it or as a Danish patient writes it), who (hvem,
// and hvem-andet for another doctor) and the confirmation (undersoegt).
// since is the paused answer's time and now the clock. It returns the
// examination and the errors by field, in l; the form's values are put in
// v.Form.
func readExamination(v *careView, form url.Values, since, now time.Time) store.Examination {
	l := v.Lang
	for _, f := range []string{"dato", "hvem", "hvem-andet", "undersoegt"} {
		v.Form[f] = strings.TrimSpace(form.Get(f))
	}
	var ex store.Examination
	first, today := care.DayIn(since), care.DayIn(now)
	switch d, err := parseExaminedDay(v.Form["dato"], now); {
	case errors.Is(err, errDiaryTimeEmpty):
		v.fail("dato", l.T("errExaminedDateEmpty"))
	case err != nil:
		v.fail("dato", l.T("errExaminedDate"))
	case d.Before(first):
		v.fail("dato", l.Tf("errExaminedDateBefore", longDate(l, since)))
	case today.Before(d):
		v.fail("dato", l.T("errExaminedDateFuture"))
	default:
		ex.On = d.String()
	}
	if v.Errors["dato"] != "" && !isoDayRE.MatchString(v.Form["dato"]) {
		// A date field would drop what was typed: show it in a text box.
		v.Form["datotext"] = "1"
	}
	by, other := v.Form["hvem"], v.Form["hvem-andet"]
	if by == "" && other != "" {
		by = store.ExaminedByOther // a name written, the button not pressed
		v.Form["hvem"] = by
	}
	switch {
	case by == "":
		v.fail("hvem", l.T("errExaminedBy"))
	case by == store.ExaminedByOther && other == "":
		v.fail("hvem", l.T("errExaminedByOther"))
	case by == store.ExaminedByOther && utf8.RuneCountInString(other) > examinedOtherMax:
		v.fail("hvem", l.Tf("errExaminedByLong", examinedOtherMax))
	case by == store.ExaminedByOther:
		ex.By, ex.ByOther = by, other
	default:
		for _, b := range store.ExaminedBy {
			if by == b {
				ex.By = by
			}
		}
		if ex.By == "" {
			v.fail("hvem", l.T("errExaminedBy"))
		}
	}
	if v.Form["undersoegt"] != "ja" {
		v.fail("undersoegt", l.T("errExamined"))
	}
	return ex
}

// isoDayRE is a day as a date field sends it.
var isoDayRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// parseExaminedDay reads a day as a date field sends it (2026-03-05) or as
// a patient writes it (5.3.2026, 5/3-2026, 5. marts 2026, i går): the
// diary's reading of a date (diarytime.go), without the time.
func parseExaminedDay(s string, now time.Time) (rules.Day, error) {
	s = strings.ToLower(strings.Join(strings.FieldsFunc(s, diaryTimeSpace), " "))
	s = strings.TrimSuffix(s, ".")
	if s == "" {
		return rules.Day{}, errDiaryTimeEmpty
	}
	if len(s) > diaryTimeMaxLen {
		return rules.Day{}, errDiaryTimeUnread
	}
	y, m, d, ok := diaryDate(s, now.In(care.Zone))
	t := time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
	if !ok || t.Year() != y || t.Month() != m || t.Day() != d {
		return rules.Day{}, errDiaryTimeUnread
	}
	return rules.DayOf(t), nil
}

// longDate is t's day in Copenhagen in words: "3. marts 2026".
func longDate(l i18n.Lang, t time.Time) string { return l.Date(t.In(care.Zone)) }

func (a *app) examinedView(r *http.Request, since time.Time, flags []string) *careView {
	v := a.careView(r, "examinedTitle")
	v.Route = newCallRoute(v.Clinic)
	now := a.care.Now()
	v.Examined = &examinedData{
		Since: longDate(v.Lang, since), Flags: flags,
		Min: care.DayIn(since).String(), Max: care.DayIn(now).String(),
	}
	v.Examined.Today = v.Examined.Min == v.Examined.Max
	return v
}

func (a *app) examinedForm(w http.ResponseWriter, r *http.Request) {
	open, err := a.care.Unexamined(r.Context(), userFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	since, flags, ok := pausedBy(open, reqLang(r))
	if !ok { // nothing to confirm
		http.Redirect(w, r, "/start", http.StatusSeeOther)
		return
	}
	v := a.examinedView(r, since, flags)
	v.Examined.By = examinedChoices(v.Lang, "")
	a.render(w, r, http.StatusOK, "redflags-examined.html", v)
}

func (a *app) examinedSubmit(w http.ResponseWriter, r *http.Request) {
	if !form(w, r) {
		return
	}
	ctx := r.Context()
	u := userFrom(ctx)
	open, err := a.care.Unexamined(ctx, u)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	since, flags, ok := pausedBy(open, reqLang(r))
	if !ok {
		http.Redirect(w, r, "/start", http.StatusSeeOther)
		return
	}
	v := a.examinedView(r, since, flags)
	now := a.now()
	ex := readExamination(v, r.PostForm, since, now)
	if len(v.Errors) > 0 {
		for _, f := range examinedFields {
			if m, ok := v.Errors[f]; ok {
				v.Summary = append(v.Summary, fieldMsg{examinedAnchor(f), m})
			}
		}
		v.Examined.By = examinedChoices(v.Lang, v.Form["hvem"])
		a.render(w, r, http.StatusUnprocessableEntity, "redflags-examined.html", v)
		return
	}
	if err := a.care.ConfirmExamined(ctx, u, open, ex); err != nil {
		a.fail(w, r, err)
		return
	}
	p, err := a.care.Load(ctx, u)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	next := nextStep(p)
	if next == "/i-dag" { // what was recorded, in the patient's words, on today's page
		on, _ := time.ParseInLocation(time.DateOnly, ex.On, care.Zone)
		a.sm.Put(ctx, "flash", v.Lang.Tf("examinedSaved", longDate(v.Lang, on), examinedWho(v.Lang, ex)))
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// examinedWho names who examined the patient, as the confirmation says it.
func examinedWho(l i18n.Lang, ex store.Examination) string {
	if ex.By == store.ExaminedByOther {
		return ex.ByOther
	}
	return l.T("examinedWho_" + ex.By)
}

// examinedAnchor is the element an error in the summary leads to: the
// first radio button for who.
func examinedAnchor(field string) string {
	if field == "hvem" {
		return "hvem-" + store.ExaminedBy[0]
	}
	return field
}
