// The review over weeks: WORSENING_CONTACT, the status consultations,
// REFER_NO_IMPROVEMENT, LOG_WALK and ADHERENCE_LOW (docs/sources.md,
// "Review points and referral", "Meaningful change").

package rules

import (
	"strconv"
)

// worsening: WORSENING_CONTACT.
//
// Source: docs/sources.md "Meaningful change" (NRS 2 points or 30 %;
// walking time 30 %; PSFS 2 points) and A7 (LSS rarely progresses fast, so
// a clear worsening is worth a clinician's look). Fires when any measure's
// recent level (the last 14 days; PSFS: the latest scoring of the last 28
// days) is meaningfully worse than the baseline or than the patient's own
// best earlier period — even while still better than at the baseline. A
// measure without enough data points is not judged.
func (v *view) worsening() *Advice {
	data := map[string]float64{}
	var items []string
	var said []Phrase
	for _, m := range measures {
		a := v.assess(m)
		if !a.worse() {
			continue
		}
		items = append(items, m.item())
		data[m.key()+"Now"] = a.now
		if a.baseOK {
			data[m.key()+"Baseline"] = a.base
		}
		if a.bestOK {
			data[m.key()+"Best"] = a.best
		}
		p := m.phrase(worse, a.base, a.now, "ref_start")
		if a.vsBest == worse {
			p = m.phrase(worse, a.best, a.now, "ref_best")
		}
		said = append(said, say("now", p))
	}
	if len(items) == 0 {
		return nil
	}
	return &Advice{
		Code: WorseningContact, Severity: Warning, Source: srcWorsening, Data: data, Items: items,
		Says: []Phrase{say("WORSENING_CONTACT", said)},
	}
}

// The outcomes of a status consultation (the items of STATUS_4_WEEKS and
// STATUS_12_WEEKS).
const (
	outImproved    = "improved"     // a measure meaningfully better than the baseline, none worse
	outNotImproved = "not_improved" // regular training, walking judged, nothing better
	outNotRegular  = "not_regular"  // under ⅔ of the planned sessions: not a fair trial yet
	outNotMeasured = "not_measured" // regular training, but too few walks to judge walking
)

// outcome judges the programme so far: the sessions done in the last
// `days` days against ⅔ of the plan, and the measures against the baseline.
// gains say what improved.
func (v *view) outcome(days int) (out string, done, planned int, data map[string]float64, gains []Phrase) {
	from, to := v.last(days)
	done, planned = v.sessionsDone(from, to), v.planned*days/weekDays
	data = map[string]float64{}
	anyWorse := false
	for _, m := range measures {
		a := v.assess(m)
		if a.nowOK && a.baseOK {
			data[m.key()+"Baseline"], data[m.key()+"Now"] = a.base, a.now
		}
		anyWorse = anyWorse || a.worse()
		if a.better() {
			gains = append(gains, m.phrase(better, a.base, a.now, ""))
		}
	}
	switch {
	case len(gains) > 0 && !anyWorse:
		out = outImproved
	case planned > 0 && done*3 < planned*2:
		out = outNotRegular
	case !v.walkingJudged():
		out = outNotMeasured
	default:
		out = outNotImproved
	}
	return out, done, planned, data, gains
}

// status4Weeks: STATUS_4_WEEKS.
//
// Source: docs/sources.md "Review points and referral": the Danish
// chiropractors' LSS care package holds status consultations at 4 and 12
// weeks. Fires on days 28–34 after the programme start (day 0) for every
// patient, and says what the 4 weeks show (items: the outcome).
func (v *view) status4Weeks() *Advice {
	return v.status(Status4Weeks, status4First, 4)
}

// status12Weeks: STATUS_12_WEEKS.
//
// Source: as STATUS_4_WEEKS; at 12 weeks of regular training without
// meaningful improvement the referral follows (REFER_NO_IMPROVEMENT, A6).
// Fires on days 84–90.
func (v *view) status12Weeks() *Advice {
	return v.status(Status12Weeks, status12First, 12)
}

func (v *view) status(code Code, first int64, weeks int) *Advice {
	if !v.started || v.base == nil || v.dayIdx < first || v.dayIdx >= first+statusDays {
		return nil
	}
	out, done, planned, data, gains := v.outcome(weeks * weekDays)
	data["day"] = float64(v.dayIdx)
	data["sessionsDone"], data["sessionsPlanned"] = float64(done), float64(planned)
	says := []Phrase{say("status", weeks, done, planned)}
	switch out {
	case outImproved:
		says = append(says, say("status_improved", gains))
	case outNotImproved:
		says = append(says, say("status_not_improved_"+strconv.Itoa(min(weeks, 12))))
	default:
		says = append(says, say("status_"+out))
	}
	says = append(says, say("status_book"))
	return &Advice{Code: code, Severity: Info, Source: srcStatus, Items: []string{out}, Data: data, Says: says}
}

// refer: REFER_NO_IMPROVEMENT.
//
// Source: the seed, "Hvad hvis træning ikke hjælper på spinalstenose?":
// "Hvis man har trænet regelmæssigt og målrettet uden at opleve
// tilstrækkelig bedring, kan det være nødvendigt at supplere med andre
// tiltag" (docs/sources.md A6); docs/sources.md "Review points and
// referral": at 12 weeks of regular training (at least two-thirds of the
// planned sessions) without meaningful improvement, contact the clinician;
// "Meaningful change".
//
// From day 84: a fair trial (sessions done in the last 84 days ≥ ⅔ × 12 ×
// plannedPerWeek), walking judged (≥ 2 walks in the last 14 days: it is
// the measure LSS limits most), and no measure meaningfully better than
// the baseline (meaningful()). Without walks LOG_WALK asks for them
// instead of deciding on pain alone.
func (v *view) refer() *Advice {
	if !v.started || v.dayIdx < referDay || v.planned == 0 || v.base == nil {
		return nil
	}
	out, done, planned, data, _ := v.outcome(referDay)
	if out != outNotImproved {
		return nil
	}
	data["sessionsDone12Weeks"], data["sessionsPlanned12Weeks"] = float64(done), float64(planned)
	return &Advice{
		Code: ReferNoImprovement, Severity: Info, Source: srcRefer, Data: data,
		Says: []Phrase{say("REFER_NO_IMPROVEMENT", done, planned)},
	}
}

// logWalk: LOG_WALK.
//
// Source: the seed, "Gående med pauser" (walking is one of the five
// exercises, A5) and docs/sources.md "Meaningful change" (the walking time
// of the Self-Paced Walking Test is the measure of LSS). From day 28, when
// fewer than 2 walks were logged in the last 14 days, walking cannot be
// judged: the advice says so instead of guessing.
func (v *view) logWalk() *Advice {
	if !v.started || v.dayIdx < logWalkDay || v.walkingJudged() {
		return nil
	}
	from, to := v.last(recentDays)
	n := 0
	for _, w := range v.walks {
		if w.firstOK && in(w.day, from, to) {
			n++
		}
	}
	logged := say("LOG_WALK_none")
	if n == 1 { // fewer than minWalks (2)
		logged = say("LOG_WALK_one")
	}
	return &Advice{
		Code: LogWalk, Severity: Info, Source: srcLogWalk,
		Data: map[string]float64{"walksLast14Days": float64(n)},
		Says: []Phrase{logged, say("LOG_WALK")},
	}
}

// adherence: ADHERENCE_LOW.
//
// Source: the seed, "Kan spinalstenose trænes væk?": "mange oplever færre
// symptomer og bedre funktion med regelmæssig bevægelse"; docs/sources.md
// "Review points and referral": regular training is at least two-thirds of
// the planned sessions. From the first week: the last completed programme
// week (days 7k … 7k+6) under ⅔ of plannedPerWeek, or the running week
// once it can no longer reach ⅔ (at most ⌈planned/7⌉ sessions a day,
// today included). Left out when resting is the advice (combine).
func (v *view) adherence() *Advice {
	if !v.started || v.planned == 0 {
		return nil
	}
	week := v.dayIdx / weekDays
	need := (2*v.planned + 2) / 3 // ⌈⅔ planned⌉
	perDay := (v.planned + weekDays - 1) / weekDays
	data := map[string]float64{"plannedPerWeek": float64(v.planned)}
	var parts []Phrase
	if week >= 1 {
		ws := v.start + (week-1)*weekDays
		done := v.sessionsDone(ws, ws+weekDays-1)
		if done*3 < v.planned*2 {
			data["week"], data["sessionsDoneLastWeek"] = float64(week), float64(done)
			parts = append(parts, say("adherence_lastWeek", int(week), done, v.planned))
		}
	}
	ws := v.start + week*weekDays
	done := v.sessionsDone(ws, v.today)
	left := int(ws + weekDays - v.today) // today included
	if done < need && done+left*perDay < need {
		data["sessionsDoneThisWeek"], data["daysLeftThisWeek"] = float64(done), float64(left)
		parts = append(parts, say("adherence_thisWeek", done, v.planned, sayN("days", left)))
	}
	if len(parts) == 0 {
		return nil
	}
	parts[0].Capital = true // it opens the advice
	return &Advice{
		Code: AdherenceLow, Severity: Info, Source: srcAdherence, Data: data,
		Says: []Phrase{say("ADHERENCE_LOW", Joined{"advice_sepAndComma", parts})},
	}
}
