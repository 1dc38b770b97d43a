package web

// Onboarding (issue 4): the red-flag screen, the urgent advice and the
// pause until the patient confirms an examination, the baseline (a
// Self-Paced Walking Test and leg and back pain) and the patient's own
// activities (the PSFS, psfs.go). The red-flag screen is
// repeated weekly: /i-dag asks for it when the last check-in is
// care.RecheckDays old.

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

// careView is what the care templates read: the account pages' view and
// the page's own data.
type careView struct {
	*view
	Questions []question
	Answers   map[string]string // flag key → "ja" / "nej", as posted
	Today     *todayData
	Progress  *progressData
	// Prefilled: the baseline form holds the times of walk mode's walking
	// test (baselinePrefill).
	Prefilled bool
	PSFS      *psfsData // the PSFS forms (psfs.go)
	// Examined: the form that lifts a red-flag pause (examined.go).
	Examined *examinedData
	// Route: the urgent route's numbers (today.go), on today's urgent
	// advice and on the form that lifts the pause.
	Route callRoute
}

// question is one yes/no question of the red-flag screen.
type question struct {
	Key, Text string
	Cauda     bool
	// FirstOther marks the first question that is not a cauda equina
	// sign: the screen's second heading stands before it.
	FirstOther bool
}

// questions are the red-flag screen's questions in Danish: one for each of
// rules.Flags, in its order (the cauda equina signs first), each asking one
// thing (docs/sources.md, "Red flags"; the words in catalogue.go as "q_" +
// key).
var questions = questionsIn(i18n.Da)

// questionsIn are the questions in l.
func questionsIn(l i18n.Lang) []question {
	out := make([]question, len(rules.Flags))
	for i, f := range rules.Flags {
		out[i] = question{Key: f.Key, Text: l.T("q_" + f.Key), Cauda: f.CaudaEquina,
			FirstOther: !f.CaudaEquina && (i == 0 || rules.Flags[i-1].CaudaEquina)}
	}
	return out
}

// start sends the patient to the next step of onboarding, or to today.
func (a *app) start(w http.ResponseWriter, r *http.Request) {
	p, err := a.care.Load(r.Context(), userFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	http.Redirect(w, r, nextStep(p), http.StatusSeeOther)
}

// nextStep is the next step of onboarding for p, or today.
func nextStep(p care.Patient) string {
	switch {
	case care.UrgentAdvice(p.Advice()) != nil:
		return "/i-dag" // paused: today shows only the urgent advice
	case len(p.Checkins) == 0:
		return "/start/roede-flag"
	case p.Baseline == nil:
		return "/start/udgangspunkt"
	case care.CheckinDue(p.Checkins, p.AsOf):
		return "/start/roede-flag"
	case len(p.History.PSFS) == 0:
		return psfsStartPath
	}
	return "/i-dag"
}

func (a *app) careView(r *http.Request, title string) *careView {
	v := &careView{view: a.newView(r, title), Answers: map[string]string{}}
	v.CSS = careCSSPath
	return v
}

func (a *app) redFlagForm(w http.ResponseWriter, r *http.Request) {
	v := a.careView(r, "redflagsTitle")
	v.Questions = questionsIn(v.Lang)
	a.render(w, r, http.StatusOK, "redflags.html", v)
}

func (a *app) redFlagSubmit(w http.ResponseWriter, r *http.Request) {
	if !form(w, r) {
		return
	}
	ctx := r.Context()
	u := userFrom(ctx)
	v := a.careView(r, "redflagsTitle")
	v.Questions = questionsIn(v.Lang)
	answers := map[string]bool{}
	var missing []question
	for _, q := range v.Questions {
		switch s := r.PostForm.Get(q.Key); s {
		case "ja", "nej":
			v.Answers[q.Key] = s
			answers[q.Key] = s == "ja"
		default:
			v.fail(q.Key, v.Lang.Tf("errRedflag", q.Text))
			missing = append(missing, q)
		}
	}
	if len(missing) > 0 {
		// One line in the summary, not one a question: the question when
		// one is left, else how many, linking to the first; each has its
		// own error beside it.
		first := missing[0]
		msg := v.Errors[first.Key]
		if len(missing) > 1 {
			msg = v.Lang.N("errRedflagMissing", len(missing))
		}
		v.Summary = append(v.Summary, fieldMsg{first.Key + "-ja", msg})
		a.render(w, r, http.StatusUnprocessableEntity, "redflags.html", v)
		return
	}
	urgent, err := a.care.RecordRedFlags(ctx, u, answers)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	next := "/start"
	if urgent {
		next = "/i-dag"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// onboardingStop is where a patient is sent instead of the onboarding step
// at path, or "" when the step may be taken: while a red flag pauses the
// programme (the walking test and the activities are training) to today;
// before the first red-flag screen to the screen; the activities (PSFS)
// need the baseline first and are scored once here; the status page
// scores them again, so it needs that first scoring.
func onboardingStop(p care.Patient, path string) string {
	switch {
	case care.UrgentAdvice(p.Advice()) != nil:
		return "/i-dag"
	case len(p.Checkins) == 0:
		return "/start/roede-flag"
	case (path == psfsStartPath || path == psfsStatusPath) && p.Baseline == nil:
		return "/start/udgangspunkt"
	case path == psfsStartPath && len(p.History.PSFS) > 0:
		return "/i-dag"
	case path == psfsStatusPath && len(p.History.PSFS) == 0:
		return psfsStartPath // the first scoring belongs to onboarding
	}
	return ""
}

// onboardingGate sends the patient where onboardingStop says, and reports
// whether it did; otherwise it returns what it read of the patient, for
// the step to use.
func (a *app) onboardingGate(w http.ResponseWriter, r *http.Request, path string) (care.Patient, bool) {
	p, err := a.care.Load(r.Context(), userFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return p, true
	}
	if to := onboardingStop(p, path); to != "" {
		http.Redirect(w, r, to, http.StatusSeeOther)
		return p, true
	}
	return p, false
}

func (a *app) baselineForm(w http.ResponseWriter, r *http.Request) {
	if _, stop := a.onboardingGate(w, r, "/start/udgangspunkt"); stop {
		return
	}
	v := a.careView(r, "baselineTitle")
	if first, stop, ok := baselinePrefill(r.URL.Query()); ok {
		setTime(v.Form, "stop", stop)
		if first < 0 {
			v.Form["ingen"] = "ja"
		} else {
			setTime(v.Form, "first", first)
		}
		v.Prefilled = true
		v.Flash = v.T("baselinePrefilled")
	}
	a.render(w, r, http.StatusOK, "baseline.html", v)
}

// baselinePrefill reads the walking test's result from the link walk mode
// shows when the test ends: /start/udgangspunkt?foerste=195&stop=390 (whole
// seconds to the first symptoms and to the stop), or ?stop=390&ingen=ja
// when no symptoms were marked. It gives the seconds (first is -1 when
// none were marked) and ok; anything else (not one whole number of
// seconds, stop outside 1 s–30 min, first symptoms after the stop, both
// foerste and ingen) gives ok false, and the form is simply empty: the
// link is the patient's own and may have been edited. The values are only
// pre-filled: the patient checks them, adds the pain scores and submits,
// and baselineSubmit validates the submission as always.
func baselinePrefill(q url.Values) (first, stop int, ok bool) {
	secs := func(key string) (int, bool) {
		vs := q[key]
		if len(vs) != 1 || !prefillRE.MatchString(vs[0]) {
			return 0, false
		}
		n, err := strconv.Atoi(vs[0])
		return n, err == nil
	}
	s, ok := secs("stop")
	if !ok || s < 1 || s > care.SPWTMaxSeconds {
		return 0, 0, false
	}
	_, hasFirst := q["foerste"]
	switch ingen := q["ingen"]; {
	case len(ingen) == 1 && ingen[0] == "ja" && !hasFirst:
		return -1, s, true
	case len(ingen) > 0:
		return 0, 0, false
	}
	f, ok := secs("foerste")
	if !ok || f > s {
		return 0, 0, false
	}
	return f, s, true
}

// prefillRE is a pre-filled time: whole seconds, at most 4 digits.
var prefillRE = regexp.MustCompile(`^[0-9]{1,4}$`)

// setTime puts secs into the form's two fields of the time field: 195 →
// 3 minutes, 15 seconds.
func setTime(form map[string]string, field string, secs int) {
	form[field+"-min"], form[field+"-sec"] = strconv.Itoa(secs/60), strconv.Itoa(secs%60)
}

// timeField is one time of the baseline form: whole minutes and seconds in
// two number fields, field-min (its id the field's own, for the error
// summary's link) and field-sec ({{template "time"}} in baseline.html).
type timeField struct {
	Field, Legend, Hint, Error, ErrorPrefix string
	MinLabel, SecLabel                      string
	Min, Sec                                string // as typed
	MaxMin                                  int
}

// TimeField is the time field of the baseline form named field, its
// legend and hint catalogue keys.
func (v *careView) TimeField(field, legend, hint string) timeField {
	return timeField{Field: field, Legend: v.T(legend), Hint: v.T(hint), Error: v.Errors[field],
		ErrorPrefix: v.T("errorPrefix"), MinLabel: v.T("baselineMinutes"), SecLabel: v.T("baselineSeconds"),
		Min: v.Form[field+"-min"], Sec: v.Form[field+"-sec"], MaxMin: care.SPWTMaxSeconds / 60}
}

// timeState is what readTime made of a time.
type timeState int

const (
	timeOK         timeState = iota
	timeEmpty                // nothing typed
	timeBad                  // not whole minutes and seconds
	timeBadSeconds           // seconds past 59
)

// timePartRE is one of a time's number fields: a whole number, at most 4
// digits.
var timePartRE = regexp.MustCompile(`^[0-9]{1,4}$`)

// readTime reads the time field of the posted form f: the number fields
// field-min and field-sec (either may be left empty: "6" and "" is 6
// minutes), or, when neither was sent, the one text field of the form's
// earlier kind, "3:15" (parseMinSec). It gives the seconds, what it made of
// them, and the minutes and seconds to show in the fields again: what was
// typed when it is a number the fields can hold, else "".
func readTime(f url.Values, field string) (secs int, state timeState, min, sec string) {
	_, hasMin := f[field+"-min"]
	_, hasSec := f[field+"-sec"]
	if !hasMin && !hasSec {
		old := strings.TrimSpace(f.Get(field))
		if old == "" {
			return 0, timeEmpty, "", ""
		}
		if s, ok := parseMinSec(old); ok {
			return s, timeOK, strconv.Itoa(s / 60), strconv.Itoa(s % 60)
		}
		if m := oldTimeRE.FindStringSubmatch(old); m != nil {
			return 0, timeBad, m[1], m[2]
		}
		return 0, timeBad, "", ""
	}
	min, sec = strings.TrimSpace(f.Get(field+"-min")), strings.TrimSpace(f.Get(field+"-sec"))
	shown := func(s string) string {
		if timePartRE.MatchString(s) {
			return s
		}
		return ""
	}
	if min == "" && sec == "" {
		return 0, timeEmpty, "", ""
	}
	if (min != "" && !timePartRE.MatchString(min)) || (sec != "" && !timePartRE.MatchString(sec)) {
		return 0, timeBad, shown(min), shown(sec)
	}
	m, _ := strconv.Atoi(min) // "" is 0
	s, _ := strconv.Atoi(sec)
	if s > 59 {
		return 0, timeBadSeconds, min, sec
	}
	return m*60 + s, timeOK, min, sec
}

// oldTimeRE is a time of the earlier kind that parseMinSec refuses but
// whose parts are numbers (9:99), to show in the number fields again.
var oldTimeRE = regexp.MustCompile(`^([0-9]{1,4})[:.,]([0-9]{1,4})$`)

// baselineOrder is the baseline form's fields, in order.
var baselineOrder = []string{"first", "stop", "leg", "back"}

var durationRE = regexp.MustCompile(`^(\d{1,2})(?:[:.,](\d{1,2}))?$`)

// parseMinSec reads "3:30" (minutes:seconds), "3.30" or "3" (minutes): a
// time as the baseline form took it in one text field before it had one
// field for the minutes and one for the seconds (readTime).
func parseMinSec(s string) (int, bool) {
	m := durationRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, false
	}
	min, _ := strconv.Atoi(m[1])
	sec := 0
	if m[2] != "" {
		sec, _ = strconv.Atoi(m[2])
		if len(m[2]) == 1 {
			sec *= 10 // "3:5" is read as 3:50, as on a clock
		}
		if sec > 59 {
			return 0, false
		}
	}
	return min*60 + sec, true
}

func parseNRS(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil && n >= 0 && n <= 10
}

func (a *app) baselineSubmit(w http.ResponseWriter, r *http.Request) {
	if !form(w, r) {
		return
	}
	if _, stop := a.onboardingGate(w, r, "/start/udgangspunkt"); stop {
		return
	}
	ctx := r.Context()
	u := userFrom(ctx)
	v := a.careView(r, "baselineTitle")
	for _, f := range []string{"leg", "back", "ingen"} {
		v.Form[f] = strings.TrimSpace(r.PostForm.Get(f))
	}
	none := v.Form["ingen"] == "ja"
	stop, stopState, min, sec := readTime(r.PostForm, "stop")
	v.Form["stop-min"], v.Form["stop-sec"] = min, sec
	switch {
	case stopState == timeEmpty:
		v.fail("stop", v.T("errStopEmpty"))
	case stopState == timeBadSeconds:
		v.fail("stop", v.T("errStopSeconds"))
	case stopState != timeOK:
		v.fail("stop", v.T("errStopFormat"))
	case stop < 1 || stop > care.SPWTMaxSeconds:
		v.fail("stop", v.T("errStopRange"))
	}
	var first *int
	f, state, min, sec := readTime(r.PostForm, "first")
	v.Form["first-min"], v.Form["first-sec"] = min, sec // kept even when "ingen" is ticked
	if !none {
		switch {
		case state == timeEmpty:
			v.fail("first", v.T("errFirstEmpty"))
		case state == timeBadSeconds:
			v.fail("first", v.T("errFirstSeconds"))
		case state != timeOK:
			v.fail("first", v.T("errFirstFormat"))
		case stopState == timeOK && f > stop:
			v.fail("first", v.T("errFirstAfter"))
		default:
			first = &f
		}
	}
	leg, ok := parseNRS(v.Form["leg"])
	if !ok {
		v.fail("leg", v.T("errBaselineLeg"))
	}
	back, ok := parseNRS(v.Form["back"])
	if !ok {
		v.fail("back", v.T("errBaselineBack"))
	}
	if len(v.Errors) > 0 {
		for _, f := range baselineOrder {
			if m, ok := v.Errors[f]; ok {
				v.Summary = append(v.Summary, fieldMsg{f, m})
			}
		}
		a.render(w, r, http.StatusUnprocessableEntity, "baseline.html", v)
		return
	}
	b := store.Baseline{UserID: u.ID, At: a.now(), SPWTFirstSymptomsSeconds: first, SPWTStopSeconds: stop, NRSLeg: leg, NRSBack: back}
	if _, err := a.st.AddBaseline(ctx, b); err != nil {
		a.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/start", http.StatusSeeOther) // on to the PSFS, then today
}
