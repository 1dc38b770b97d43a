// The training targets: PROGRESS_TARGET_UP, HOLD_TARGET, TARGET_DOWN
// (docs/sources.md A3, A4).

package rules

import (
	"strconv"
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
	if v.walkMin > 0 {
		data["walkMinutes"] = float64(v.walkMin)
		data["walksReachingTargetLast7Days"] = float64(reaching)
	}

	if len(downDays) >= downNeuroDays {
		a := &Advice{Code: TargetDown, Severity: Warning, Source: srcDown, Data: data}
		var da, en []string
		if v.walkMin > 1 {
			nw := max(1, v.walkMin-walkStep(v.walkMin))
			data["walkMinutes.from"], data["walkMinutes.to"] = float64(v.walkMin), float64(nw)
			da = append(da, "gå "+count(nw, "minut", "minutter")+" pr. tur (før "+strconv.Itoa(v.walkMin)+")")
			en = append(en, "walk "+count(nw, "minute", "minutes")+" per walk (was "+strconv.Itoa(v.walkMin)+")")
		}
		if repsChange(v.reps, -1, data) {
			da = append(da, "tag én gentagelse mindre i øvelserne med gentagelser")
			en = append(en, "do one repetition fewer in the exercises with repetitions")
		}
		n := strconv.Itoa(len(downDays))
		a.TextDa = "Du har haft snurren, brændende fornemmelse eller svaghed i benene på " + n + " af de sidste 7 dage. "
		a.TextEn = "You have had tingling, burning or weakness in your legs on " + n + " of the last 7 days. "
		if len(da) > 0 {
			a.TextDa += "Skru lidt ned: " + listDa(da) + ". "
			a.TextEn += "Step down a little: " + listEn(en) + ". "
		} else {
			a.TextDa += "Skru ned for træningen: kortere ture og færre gentagelser, til symptomerne aftager. "
			a.TextEn += "Step your training down: shorter walks and fewer repetitions, until the symptoms ease. "
		}
		a.TextDa += "Kontakt din behandler, hvis symptomerne ikke aftager i løbet af en uge."
		a.TextEn += "Contact your clinician if the symptoms do not ease within a week."
		return a
	}

	var whyDa, whyEn string
	switch {
	case len(neuroDays) > 0:
		whyDa, whyEn = "du har haft snurren, brændende fornemmelse eller svaghed i benene den sidste uge", "you have had tingling, burning or weakness in your legs in the last week"
	case atTarget < stableDays: // atTarget is 0–6 here
		switch {
		case atTarget == 0 && v.since == v.start:
			whyDa, whyEn = "dit program er begyndt i dag, og en stabil uge tager 7 dage", "your programme started today, and a stable week takes 7 days"
		case atTarget == 0:
			whyDa, whyEn = "du har fået nye mål i dag, og en stabil uge tager 7 dage", "you got new targets today, and a stable week takes 7 days"
		default:
			whyDa = "du har haft dine nuværende mål i " + count(int(atTarget), "dag", "dage") + ", og en stabil uge tager 7"
			whyEn = "you have had your current targets for " + count(int(atTarget), "day", "days") + ", and a stable week takes 7"
		}
	case done < v.planned:
		whyDa = "du har gennemført " + strconv.Itoa(done) + " af " + strconv.Itoa(v.planned) + " planlagte træninger den sidste uge"
		whyEn = "you have done " + strconv.Itoa(done) + " of " + strconv.Itoa(v.planned) + " planned sessions in the last week"
	case nLeg < minStableEntries:
		whyDa = "der er " + count(nLeg, "notat", "notater") + " i din dagbog den sidste uge, og der skal mindst 2 til at se, om det går stabilt"
		whyEn = "your diary has " + count(nLeg, "entry", "entries") + " in the last week, and it takes at least 2 to see that things are stable"
	case legUp:
		whyDa, whyEn = "smerterne i benene er steget tydeligt den sidste uge", "the pain in your legs has gone up clearly in the last week"
	}
	if whyDa == "" {
		var da, en []string
		if v.walkMin > 0 && v.walkMin < walkCapMinutes && reaching >= minReachingWalks {
			nw := min(walkCapMinutes, v.walkMin+walkStep(v.walkMin))
			data["walkMinutes.from"], data["walkMinutes.to"] = float64(v.walkMin), float64(nw)
			da = append(da, "gå "+count(nw, "minut", "minutter")+" pr. tur (før "+strconv.Itoa(v.walkMin)+")")
			en = append(en, "walk "+count(nw, "minute", "minutes")+" per walk (was "+strconv.Itoa(v.walkMin)+")")
		}
		if repsChange(v.reps, +1, data) {
			da = append(da, "tag én gentagelse mere i øvelserne med gentagelser")
			en = append(en, "do one more repetition in the exercises with repetitions")
		}
		if len(da) > 0 {
			return &Advice{
				Code: ProgressTargetUp, Severity: Good, Source: srcProgress, Data: data,
				TextDa: "Du har haft en stabil uge med alle planlagte træninger og uden snurren, brændende fornemmelse eller svaghed i benene. Øg nu lidt: " + listDa(da) + ". " +
					"Bliv på det nye niveau mindst en uge, og gå tilbage til det gamle, hvis symptomerne tager til.",
				TextEn: "You have had a stable week with every planned session and no tingling, burning or weakness in your legs. Now increase a little: " + listEn(en) + ". " +
					"Stay at the new level for at least a week, and go back to the old one if your symptoms increase.",
			}
		}
		if v.walkMin > 0 && v.walkMin < walkCapMinutes {
			whyDa = "du har nået dit gåmål på " + count(reaching, "gåtur", "gåture") + " den sidste uge, og der skal 2 til"
			whyEn = "you reached your walking target on " + count(reaching, "walk", "walks") + " in the last week, and it takes 2"
		} else {
			whyDa = "du er nået til de mål, programmet selv øger til – tal med din behandler om, hvordan du kommer videre"
			whyEn = "you have reached the targets the programme raises on its own – talk to your clinician about the next step"
		}
	}
	return hold(data, whyDa, whyEn)
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
