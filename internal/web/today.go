package web

// Today (issue 4, "Today and progress"): what to do today — the session and
// the walking target — and the rules' advice in plain Danish, each with its
// source one tap away. While a red flag stands (URGENT_RED_FLAG) the page
// shows only the urgent advice: the programme is paused.

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/stenose/stenose/internal/rules"
)

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

// sessionPath is the default programme's session in the player.
const sessionPath = "/program/5-bedste-oevelser/traening"

// todayData is what today.html shows.
type todayData struct {
	Paused      bool
	Urgent      *adviceView
	Cauda       bool // a cauda equina sign: 112 or the emergency room now
	Recheck     bool // the weekly red-flag screen is due
	Session     string
	WalkMinutes int
	Advice      []adviceView
}

// adviceView is one advice as the page shows it.
type adviceView struct {
	Code     string
	Severity string // CSS class: urgent, warning, info, good
	Label    string // the severity in words
	Text     string
	Source   string // the source in plain words
	Article  bool   // the source is the seed article: link to it
}

func severityLabel(s rules.Severity) string {
	switch s {
	case rules.Urgent:
		return "Haster"
	case rules.Warning:
		return "Vigtigt"
	case rules.Good:
		return "Godt gået"
	}
	return "Råd"
}

// sourceDa puts an advice's source in plain words: the seed article's
// section, and the clinic's clinical ground truth (clinical.md).
func sourceDa(src string) string {
	var parts []string
	rest := src
	if s, ok := strings.CutPrefix(rest, "seed: "); ok {
		sec, more, _ := strings.Cut(s, " (")
		parts = append(parts, "Artiklen »5 bedste øvelser til spinalstenose«, afsnittet »"+sec+"«.")
		rest = strings.TrimSuffix(more, ")")
	}
	if rest != "" {
		parts = append(parts, "Klinikkens faglige grundlag (clinical.md): "+strings.TrimPrefix(rest, "clinical.md ")+".")
	}
	return strings.Join(parts, " ")
}

func toView(ad rules.Advice) adviceView {
	return adviceView{
		Code: string(ad.Code), Severity: string(ad.Severity), Label: severityLabel(ad.Severity),
		Text: ad.TextDa, Source: sourceDa(ad.Source), Article: strings.HasPrefix(ad.Source, "seed: "),
	}
}

// walkTarget is today's walking target: a new target the rules give
// (PROGRESS_TARGET_UP, TARGET_DOWN), else the current one.
func walkTarget(h rules.History, advice []rules.Advice) int {
	for _, ad := range advice {
		if to, ok := ad.Data["walkMinutes.to"]; ok && to >= 1 {
			return int(to)
		}
	}
	return h.Targets.WalkMinutes
}

func (a *app) today(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	now := a.nowCPH()
	p, err := a.loadPatient(ctx, userFrom(ctx), now)
	if err != nil {
		a.serverError(w, r, err)
		return
	}
	advice := rules.Advise(p.History, now)
	urgent := urgentAdvice(advice)
	switch {
	case urgent == nil && len(p.Checkins) == 0:
		http.Redirect(w, r, "/start/roede-flag", http.StatusSeeOther)
		return
	case urgent == nil && p.Baseline == nil:
		http.Redirect(w, r, "/start/udgangspunkt", http.StatusSeeOther)
		return
	}
	v := a.careView(r, "I dag")
	d := &todayData{Session: sessionPath}
	v.Today = d
	if urgent != nil {
		d.Paused = true
		u := toView(*urgent)
		d.Urgent = &u
		for _, k := range urgent.Items {
			if isCauda(k) {
				d.Cauda = true
			}
		}
		// Only what may stand beside it (STOP_NEURO_SYMPTOMS).
		for _, ad := range advice {
			if ad.Code != rules.UrgentRedFlag {
				d.Advice = append(d.Advice, toView(ad))
			}
		}
		a.render(w, r, http.StatusOK, "today.html", v)
		return
	}
	d.Recheck = checkinDue(p.Checkins, now)
	d.WalkMinutes = walkTarget(p.History, advice)
	for _, ad := range advice {
		d.Advice = append(d.Advice, toView(ad))
	}
	a.render(w, r, http.StatusOK, "today.html", v)
}
