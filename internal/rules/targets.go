// The training targets: PROGRESS_TARGET_UP, HOLD_TARGET, TARGET_DOWN
// (docs/sources.md A3, A4).

package rules

import (
	"maps"
	"strings"
)

// progression: PROGRESS_TARGET_UP, HOLD_TARGET or TARGET_DOWN — exactly one
// while the programme runs and has targets.
//
// Source: the seed, "Hvad skal man være opmærksom på under træning med
// spinalstenose": "Træningsmængden skal øges gradvist" (docs/sources.md A4:
// small steps, only when symptoms are stable) and "stoppe eller justere
// træningen, hvis der opstår snurren, brændende fornemmelse eller svaghed i
// benene" (A3) for the step down.
//
// Down: neuro symptoms on ≥ 2 of the last 7 days, counting only days on or
// after the day the current targets were set (targets.since), so that the
// days that brought a step down do not bring another. Up: a stable week at the
// current targets — targets ≥ 7 days old, ≥ plannedPerWeek sessions done in
// the last 7 days, no neuro symptoms, ≥ 2 diary entries, mean leg pain not
// meaningfully above the week before (or the baseline; meaningful()).
// WORSENING_CONTACT and REFER_NO_IMPROVEMENT leave the step up out
// (combine), and a HOLD_TARGET says why.
// The walking target rises 10 % (at least 1 minute, at most to 30) when ≥ 2
// walks of the week reached it; each repetition target by 1 (at most to 15).
// Otherwise hold.
//
// Targets the patient's clinician set (targets.clinician) are not raised by
// the rules: the step up the week would have earned becomes a HOLD_TARGET
// that says to talk to the clinic, which chose them for this patient (A4:
// "gradually"; the clinician's choice is the individual plan A6 speaks of:
// "hvis den er individuelt tilpasset"). A step down for symptoms still
// stands (A3: stop or adjust when they come, without waiting for a call),
// and its text already says to contact the clinician.
func (v *view) progression() *Advice {
	if !v.started || v.planned == 0 || (v.walkMin == 0 && len(v.reps) == 0) {
		return nil
	}
	from, to := v.last(stableDays)
	neuroDays, _ := v.neuro(from, to)
	downDays, _ := v.neuro(max(from, v.since), to)
	done := v.sessionsDone(from, to)
	legNow, nLeg := v.pain(false, from, to)
	legBefore, nBefore := v.pain(false, from-stableDays, from-1)
	if nBefore == 0 && v.base != nil {
		legBefore, nBefore = float64(v.base.LegPain), 1
	}
	legUp := nLeg > 0 && nBefore > 0 && meaningful(mLeg, round1(legBefore), round1(legNow)) == worse
	atTarget := v.today - v.since
	reaching := 0
	for _, w := range v.walks {
		if in(w.day, from, to) && v.walkMin > 0 && w.total >= v.walkMin*60 {
			reaching++
		}
	}
	data := map[string]float64{
		"sessionsLast7Days":     float64(done),
		"plannedPerWeek":        float64(v.planned),
		"neuroDaysLast7Days":    float64(len(neuroDays)),
		"neuroDaysAtTargets":    float64(len(downDays)),
		"diaryEntriesLast7Days": float64(nLeg),
		"daysAtTargets":         float64(atTarget),
	}
	if v.byClinic {
		data["targetsByClinician"] = 1
	}
	if v.walkMin > 0 {
		data["walkMinutes"] = float64(v.walkMin)
		data["walksReachingTargetLast7Days"] = float64(reaching)
	}

	if len(downDays) >= downNeuroDays {
		a := &Advice{Code: TargetDown, Severity: Warning, Source: srcDown, Data: data}
		var steps []Phrase
		if v.walkMin > 1 {
			nw := max(1, v.walkMin-walkStep(v.walkMin))
			data["walkMinutes.from"], data["walkMinutes.to"] = float64(v.walkMin), float64(nw)
			steps = append(steps, say("walkStep", sayN("walkMinutes", nw), v.walkMin))
		}
		if repsChange(v.reps, -1, data) {
			steps = append(steps, say("repsDown"))
		}
		a.Says = []Phrase{say("TARGET_DOWN_days", len(downDays))}
		if len(steps) > 0 {
			a.Says = append(a.Says, say("TARGET_DOWN_steps", steps))
		} else {
			a.Says = append(a.Says, say("TARGET_DOWN_general"))
		}
		a.Says = append(a.Says, say("TARGET_DOWN_contact"))
		return a
	}

	var why *Phrase
	because := func(p Phrase) { why = &p }
	switch {
	case len(neuroDays) > 0:
		because(say("hold_neuroWeek"))
	case atTarget < stableDays: // atTarget is 0–6 here
		switch {
		case atTarget == 0 && v.since == v.start:
			because(say("hold_startedToday"))
		case atTarget == 0:
			because(say("hold_newToday"))
		default:
			because(sayN("hold_days", int(atTarget)))
		}
	case done < v.planned:
		because(say("hold_sessions", done, v.planned))
	case nLeg < minStableEntries:
		because(sayN("hold_entries", nLeg))
	case legUp:
		because(say("hold_legUp"))
	}
	if why == nil {
		var steps []Phrase
		if v.walkMin > 0 && v.walkMin < walkCapMinutes && reaching >= minReachingWalks {
			nw := min(walkCapMinutes, v.walkMin+walkStep(v.walkMin))
			data["walkMinutes.from"], data["walkMinutes.to"] = float64(v.walkMin), float64(nw)
			steps = append(steps, say("walkStep", sayN("walkMinutes", nw), v.walkMin))
		}
		if repsChange(v.reps, +1, data) {
			steps = append(steps, say("repsUp"))
		}
		if len(steps) > 0 && v.byClinic { // no new targets in the data: nothing to accept
			maps.DeleteFunc(data, func(k string, _ float64) bool {
				return strings.HasSuffix(k, ".from") || strings.HasSuffix(k, ".to")
			})
			return hold(data, say("hold_clinician"))
		}
		if len(steps) > 0 {
			return &Advice{
				Code: ProgressTargetUp, Severity: Good, Source: srcProgress, Data: data,
				Says: []Phrase{say("PROGRESS_TARGET_UP", steps)},
			}
		}
		if v.walkMin > 0 && v.walkMin < walkCapMinutes {
			because(sayN("hold_walks", reaching))
		} else {
			because(say("hold_atCap"))
		}
	}
	return hold(data, *why)
}

// pain returns the mean leg (or back) NRS of the diary entries in
// [from, to] and how many entries it is based on (a stable week counts
// entries).
func (v *view) pain(back bool, from, to int64) (mean float64, n int) {
	sum := 0
	for _, e := range v.entries {
		if !in(e.day, from, to) {
			continue
		}
		if back && e.backOK {
			sum += e.back
			n++
		} else if !back && e.legOK {
			sum += e.leg
			n++
		}
	}
	if n == 0 {
		return 0, 0
	}
	return float64(sum) / float64(n), n
}

// walkStep is 10 % of the walking target, rounded, at least 1 minute.
func walkStep(m int) int { return max(1, (m*walkStepPercent+50)/100) }

// repsChange moves every repetition target by delta within 1–15 (a target
// the clinician set above 15 is not raised), records the changes in data
// and reports whether any changed.
func repsChange(reps map[string]int, delta int, data map[string]float64) bool {
	changed := false
	for _, k := range sortedKeys(reps) {
		r := reps[k]
		n := r + delta
		if n < 1 || n > repsCap {
			continue
		}
		data["reps."+k+".from"], data["reps."+k+".to"] = float64(r), float64(n)
		changed = true
	}
	return changed
}
