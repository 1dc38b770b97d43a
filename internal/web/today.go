package web

// Today (issue 4, "Today and progress"): what to do today — the session and
// the walking target — and the rules' advice in plain Danish (or English:
// the rules give both, lang.go picks), each with its
// source one tap away. While a red flag stands (URGENT_RED_FLAG) the page
// shows only the urgent advice: the programme is paused.
//
// Targets: when the rules give a new target (PROGRESS_TARGET_UP,
// TARGET_DOWN), the advice carries a button; the patient accepts it with a
// POST to /i-dag/maal, which stores the new targets (care.AcceptTargets) from
// what the rules say at that moment, never from numbers in the form. The
// new targets date from today, so the rules want a stable week at them
// before the next step up, and count only the symptoms that came at them
// for the next step down (docs/rules.md, "Targets and symptoms in the app").

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/content"
	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/site"
)

const acceptTargetsPath = "/i-dag/maal"

//go:embed static/care.css
var careOwnCSS []byte

// careCSS is the care pages' stylesheet: the account pages' rules and the
// care pages' own, in one file (the layout links one stylesheet).
var careCSS = append(append(append([]byte{}, accountCSS...), '\n'), careOwnCSS...)

// careCSSPath is the care stylesheet's fingerprinted address.
var careCSSPath = func() string {
	sum := sha256.Sum256(careCSS)
	return "/static/care." + hex.EncodeToString(sum[:5]) + ".css"
}()

func serveCareCSS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, _ = w.Write(careCSS)
}

// sessionPath is the address of the programme's session in the player
// (the public site's, internal/site).
func sessionPath(programme string) string { return "/program/" + programme + "/traening" }

// todayData is what today.html shows.
type todayData struct {
	Flash   string
	Paused  bool
	Urgent  *adviceView
	Cauda   bool // a cauda equina sign: the urgent route (Route); else a doctor before training
	Recheck bool // the weekly red-flag screen is due
	Session string
	// MyProgramme is the patient's own programme page when their clinician
	// has tailored it ("" otherwise); WalkPath is walk mode's address (the
	// patient's own when tailored).
	MyProgramme string
	WalkPath    string
	WalkMinutes int
	Walk        string // WalkMinutes in words: "1 minut", "12 minutter"
	Advice      []adviceView
}

// callRoute is the urgent route's numbers beside the urgent advice
// (docs/sources.md, "Red flags"): the own GP now (their number is on the
// patient's health card), outside opening hours the out-of-hours service
// of the clinic's region, 112 when life is in danger — each a tap-to-call
// link. The rules' text says the same in general words; the region's
// number comes from the clinic's details (content/clinic.yaml).
type callRoute struct {
	OutOfHoursCall string   // "Uden for lægens åbningstid: ring til Akuttelefonen på"; "" without a clinic
	OutOfHours     site.Tel // the region's number
	Emergency      site.Tel // 112
}

func newCallRoute(c *site.ClinicView) callRoute {
	r := callRoute{Emergency: site.Tel{Text: content.Emergency.Text, Href: template.URL(content.Emergency.Tel)}}
	if c != nil {
		r.OutOfHoursCall, r.OutOfHours = c.OutOfHoursCall, c.OutOfHours
	}
	return r
}

// mentionsClinic reports whether an advice's text tells the patient to
// contact the clinic: the clinic's phone is shown beside it.
func mentionsClinic(text string) bool {
	t := strings.ToLower(text)
	for _, w := range []string{"behandler", "klinikken", "fysioterapeut", "clinician", "the clinic", "physiotherapist"} {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

// withClinicPhone puts the clinic's phone beside every advice that says to
// contact the clinic.
func withClinicPhone(l i18n.Lang, c *site.ClinicView, vs []adviceView) {
	if c == nil {
		return
	}
	for i := range vs {
		if mentionsClinic(vs[i].Text) {
			vs[i].Call, vs[i].CallLabel = &c.Phone, l.T("adviceCall")
		}
	}
}

// adviceView is one advice as the page shows it, in the page's language.
type adviceView struct {
	Code     string
	Severity string // CSS class: urgent, warning, info, good
	Label    string // the severity in words
	Text     string
	Source   string // the source in plain words
	// Article is the seed article's address when the source is the
	// article ("" otherwise); ReadArticle and SourceLabel are the words of
	// its link and of the source's summary.
	Article     string
	ReadArticle string
	SourceLabel string
	Accept      *targetOffer
	// Status is the PSFS status page's address beside STATUS_4_WEEKS and
	// STATUS_12_WEEKS ("" otherwise; psfs.go), StatusLabel its link's words.
	Status, StatusLabel string
	// Call is the clinic's phone beside an advice that says to contact
	// the clinic (nil otherwise), CallLabel the words before it.
	Call      *site.Tel
	CallLabel string
}

// targetOffer is a new target of the rules' the patient may accept.
type targetOffer struct {
	Action string // the form's address
	Code   string // PROGRESS_TARGET_UP or TARGET_DOWN
	PrevID int64  // the stored targets it changes (0: the defaults)
	Button string
}

func severityLabel(l i18n.Lang, s rules.Severity) string {
	switch s {
	case rules.Urgent:
		return l.T("sevUrgent")
	case rules.Warning:
		return l.T("sevWarning")
	case rules.Good:
		return l.T("sevGood")
	}
	return l.T("sevInfo")
}

// sourceDa puts an advice's source in plain Danish (sourceIn).
func sourceDa(src string) string { return sourceIn(i18n.Da, src) }

// sourcePrefixes are the ways a rule's source names docs/sources.md before
// the entry it cites ("docs/sources.md A3", "docs/sources.md Red flags …");
// "clinical.md " is the older name of the same page, still accepted.
var sourcePrefixes = []string{"docs/sources.md ", "sources.md ", "clinical.md "}

// sourceRefs puts the rules' references to docs/sources.md (their Source
// strings, after the seed article's section and the page's name; the rules
// keep them as they are, docs/rules.md) in a patient's words: the
// catalogue key of the guideline or study by its name and year. The
// article's own rules (A1–A5) need no words of their own: the article's
// section is the source. A reference not in the table reads as the
// clinic's clinical basis in general words (sourceBasis), never as a file
// name or a rule id; TestSourcesReadable keeps the table in step with the
// rules.
var sourceRefs = map[string]string{
	"A2": "", "A3": "", "A4": "", "A3, A4": "", "A5": "",
	"A5; Meaningful change: the Self-Paced Walking Test":                                          "sourceWalkingTest",
	"A6; Review points and referral; Meaningful change":                                           "sourceReview12",
	"Review points and referral: regular training is at least two-thirds of the planned sessions": "sourceRegular",
	"Red flags (BMJ Best Practice, cauda equina syndrome)":                                        "sourceCauda",
	"Red flags (AHCPR acute low back problems, NCBI Bookshelf NBK52120)":                          "sourceOtherFlags",
	"Red flags; Meaningful change (a baseline to compare with)":                                   "sourceOnboarding",
	"Review points and referral (status consultations at 4 and 12 weeks); Meaningful change":      "sourceStatus",
	"Meaningful change (2 NRS points or 30 %, 30 % walking time, 2 PSFS points) and A7":           "sourceWorsening",
}

// sourceRef is the catalogue key of a rule's reference to docs/sources.md
// ("" when the article's section says it all); known is false for a
// reference sourceRefs does not hold.
func sourceRef(ref string) (key string, known bool) {
	for _, p := range sourcePrefixes {
		if r, ok := strings.CutPrefix(ref, p); ok {
			ref = r
			break
		}
	}
	key, known = sourceRefs[ref]
	if !known {
		key = "sourceBasis"
	}
	return key, known
}

// sourceIn puts an advice's source in l's words, as a person names a
// source: the seed article by its title and section ("Artiklen »5 bedste
// øvelser til spinalstenose«, afsnittet »…«."), a guideline or study by
// its name and year (sourceRefs). The article's section names stay as the
// (Danish) article has them.
func sourceIn(l i18n.Lang, src string) string {
	var parts []string
	rest := src
	if s, ok := strings.CutPrefix(rest, "seed: "); ok {
		sec, more, _ := strings.Cut(s, " (")
		parts = append(parts, l.Tf("sourceArticle", sec))
		rest = strings.TrimSuffix(more, ")")
	}
	if rest != "" {
		if key, _ := sourceRef(rest); key != "" {
			parts = append(parts, l.T(key))
		}
	}
	return strings.Join(parts, " ")
}

// seedArticle is the seed article's path (the public site's, after the
// language prefix).
const seedArticle = "/blog/5-bedste-oevelser-til-spinalstenose"

func toView(l i18n.Lang, ad rules.Advice) adviceView {
	v := adviceView{
		Code: string(ad.Code), Severity: string(ad.Severity), Label: severityLabel(l, ad.Severity),
		Text: ad.Text(l), Source: sourceIn(l, ad.Source),
		SourceLabel: l.T("source"), ReadArticle: l.T("readArticle"),
	}
	if strings.HasPrefix(ad.Source, "seed: ") {
		v.Article = langPrefix(l) + seedArticle
	}
	return v
}

// offer is the accept button for ad, or nil: only for a new target the
// rules give now. (A step down is not offered twice for the same symptoms:
// TARGET_DOWN counts only the neurological days since the current targets
// were set, docs/rules.md.)
func offer(l i18n.Lang, p care.Patient, ad rules.Advice) *targetOffer {
	if _, _, ok := care.NewTargets(p.History, ad); !ok {
		return nil
	}
	o := &targetOffer{Action: acceptTargetsPath, Code: string(ad.Code), Button: l.T("offerUp"), PrevID: p.TargetsID()}
	if ad.Code == rules.TargetDown {
		o.Button = l.T("offerDown")
	}
	return o
}

// adviceViews are today's advice as the page shows it, with the accept
// buttons for new targets.
func adviceViews(l i18n.Lang, p care.Patient, advice []rules.Advice) []adviceView {
	var out []adviceView
	for _, ad := range advice {
		v := toView(l, ad)
		v.Accept = offer(l, p, ad)
		if ad.Code == rules.Status4Weeks || ad.Code == rules.Status12Weeks {
			v.Status, v.StatusLabel = psfsStatusPath, l.T("psfsStatusLink")
		}
		out = append(out, v)
	}
	return out
}

// targetsDone are the messages after an accept (the flash on /i-dag), in
// Danish; the flash holds their catalogue key (targetsKey), put in words by
// the page that shows it.
var (
	targetsSaved   = i18n.Da.T("targetsSaved")
	targetsChanged = i18n.Da.T("targetsChanged")
	targetsStale   = i18n.Da.T("targetsStale")
)

var targetsKey = map[string]string{
	targetsSaved:   "targetsSaved",
	targetsChanged: "targetsChanged",
	targetsStale:   "targetsStale",
}

// acceptTargets stores the new targets of the advice the form names
// (raad), if the rules give it now for the signed-in patient's history and
// the targets are still those the page showed (fra; care.AcceptTargets);
// then back to /i-dag with what came of it.
func (a *app) acceptTargets(w http.ResponseWriter, r *http.Request) {
	if !form(w, r) {
		return
	}
	ctx := r.Context()
	back := func(msg string) {
		a.sm.Put(ctx, "flash", targetsKey[msg])
		http.Redirect(w, r, "/i-dag", http.StatusSeeOther)
	}
	fra := r.PostForm.Get("fra")
	from, err := strconv.ParseInt(fra, 10, 64)
	if err != nil || strconv.FormatInt(from, 10) != fra {
		back(targetsChanged) // not a targets ID the page can have shown
		return
	}
	_, err = a.care.AcceptTargets(ctx, userFrom(ctx), rules.Code(r.PostForm.Get("raad")), from)
	switch {
	case errors.Is(err, care.ErrTargetsChanged):
		back(targetsChanged)
	case errors.Is(err, care.ErrTargetNotOffered):
		back(targetsStale)
	case err != nil:
		a.fail(w, r, err)
	default:
		back(targetsSaved)
	}
}

func (a *app) today(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := a.care.Load(ctx, userFrom(ctx))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	advice := p.Advice()
	urgent := care.UrgentAdvice(advice)
	switch {
	case urgent == nil && len(p.Checkins) == 0:
		http.Redirect(w, r, "/start/roede-flag", http.StatusSeeOther)
		return
	case urgent == nil && p.Baseline == nil:
		http.Redirect(w, r, "/start/udgangspunkt", http.StatusSeeOther)
		return
	}
	v := a.careView(r, "todayTitle")
	l := v.Lang
	d := &todayData{Session: sessionPath(p.History.Programme), WalkPath: "/gang", Flash: l.T(a.sm.PopString(ctx, "flash"))}
	if p.Programme != nil { // tailored by the clinician: the patient's own pages
		d.MyProgramme, d.Session, d.WalkPath = myProgrammePath, myProgrammePath+"/traening", myProgrammePath+"/gang"
	}
	v.Today = d
	if urgent != nil {
		d.Paused = true
		u := toView(l, *urgent)
		d.Urgent = &u
		for _, k := range urgent.Items {
			if care.IsCauda(k) {
				d.Cauda = true
			}
		}
		if d.Cauda { // the route list above says it with the region's numbers
			u.Text = urgent.TextWithout(l, rules.RouteKey)
		}
		v.Route = newCallRoute(v.Clinic)
		// Only what may stand beside it (STOP_NEURO_SYMPTOMS).
		for _, ad := range advice {
			if ad.Code != rules.UrgentRedFlag {
				d.Advice = append(d.Advice, toView(l, ad))
			}
		}
		withClinicPhone(l, v.Clinic, d.Advice)
		a.render(w, r, http.StatusOK, "today.html", v)
		return
	}
	d.Recheck = care.CheckinDue(p.Checkins, p.AsOf)
	d.WalkMinutes = p.WalkTarget()
	d.Walk = l.N("todayWalkMinutes", d.WalkMinutes)
	d.Advice = adviceViews(l, p, advice)
	withClinicPhone(l, v.Clinic, d.Advice)
	a.render(w, r, http.StatusOK, "today.html", v)
}
