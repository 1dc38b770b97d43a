// The review over weeks: WORSENING_CONTACT, the status consultations,
// REFER_NO_IMPROVEMENT, LOG_WALK and ADHERENCE_LOW (docs/sources.md,
// "Review points and referral", "Meaningful change").

package rules

import (
	"strconv"
	"strings"
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
	var items, da, en []string
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
		var d, e string
		if a.vsBest == worse {
			d, e = m.phrase(worse, a.best, a.now, " i din bedste periode", " in your best period")
		} else {
			d, e = m.phrase(worse, a.base, a.now, " ved starten", " at the start")
		}
		da, en = append(da, d+" nu"), append(en, e+" now")
	}
	if len(items) == 0 {
		return nil
	}
	return &Advice{
		Code: WorseningContact, Severity: Warning, Source: srcWorsening, Data: data, Items: items,
		TextDa: "Dine symptomer er blevet tydeligt værre: " + listDa(da) + ". " +
			"Spinalstenose udvikler sig sjældent hurtigt, så kontakt din behandler inden for de næste dage, så I kan se på det sammen. " +
			"Træn roligt videre, så godt det går, og hvil i lændesiddende stilling, når du har brug for det.",
		TextEn: "Your symptoms have got clearly worse: " + listEn(en) + ". " +
			"Spinal stenosis rarely changes fast, so contact your clinician within the next few days to look at it together. " +
			"Keep training gently as far as you can, and rest in the forward-leaning sitting position when you need to.",
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
// better lists what improved, in words.
func (v *view) outcome(days int) (out string, done, planned int, data map[string]float64, betterDa, betterEn []string) {
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
			d, e := m.phrase(better, a.base, a.now, "", "")
			betterDa, betterEn = append(betterDa, d), append(betterEn, e)
		}
	}
	switch {
	case len(betterDa) > 0 && !anyWorse:
		out = outImproved
	case planned > 0 && done*3 < planned*2:
		out = outNotRegular
	case !v.walkingJudged():
		out = outNotMeasured
	default:
		out = outNotImproved
	}
	return out, done, planned, data, betterDa, betterEn
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
	out, done, planned, data, bDa, bEn := v.outcome(weeks * weekDays)
	w := strconv.Itoa(weeks)
	data["day"] = float64(v.dayIdx)
	data["sessionsDone"], data["sessionsPlanned"] = float64(done), float64(planned)
	countDa := strconv.Itoa(done) + " af " + strconv.Itoa(planned) + " planlagte træninger"
	countEn := strconv.Itoa(done) + " of " + strconv.Itoa(planned) + " planned sessions"
	da := "Du har nu været i gang i " + w + " uger (" + countDa + "), og det er tid til en statussamtale med din behandler. "
	en := "You have now been going for " + w + " weeks (" + countEn + "), and it is time for a status consultation with your clinician. "
	switch out {
	case outImproved:
		da += "Det går fremad: " + listDa(bDa) + ". Fortsæt med det, du gør – regelmæssig træning er det, der virker – og fortæl din behandler, hvad der har hjulpet dig mest."
		en += "You are making progress: " + listEn(bEn) + ". Keep doing what you do – regular training is what works – and tell your clinician what has helped you most."
	case outNotRegular:
		da += "Træningen har ikke været regelmæssig endnu, så den har ikke fået en rigtig chance: det kræver mindst 2 af 3 planlagte træninger. Tal med din behandler om, hvad der står i vejen, og om en plan, du kan holde."
		en += "Your training has not been regular yet, so it has not had a fair chance: that takes at least 2 of every 3 planned sessions. Talk to your clinician about what gets in the way, and about a plan you can keep."
	case outNotMeasured:
		da += "Du har trænet regelmæssigt, men har ikke registreret gåture nok de sidste 2 uger til, at vi kan se, om din gangtid er blevet bedre. Gå et par ture i gåtilstand inden samtalen."
		en += "You have trained regularly, but have not logged enough walks in the last 2 weeks to show whether your walking time has improved. Take a couple of walks in walk mode before the consultation."
	default:
		if weeks >= 12 {
			da += "Du har trænet regelmæssigt, men dine smerter og din gangtid er ikke blevet tydeligt bedre. Tal med din behandler om, hvilke andre muligheder der er."
			en += "You have trained regularly, but your pain and your walking time have not clearly improved. Talk to your clinician about what other options there are."
		} else {
			da += "Du har trænet regelmæssigt, men dine smerter og din gangtid er ikke blevet tydeligt bedre endnu. Det er almindeligt efter 4 uger; tal med din behandler om at tilpasse programmet."
			en += "You have trained regularly, but your pain and your walking time have not clearly improved yet. That is common after 4 weeks; talk to your clinician about adjusting the programme."
		}
	}
	da += " Bestil en tid, hvis du ikke allerede har en."
	en += " Book a time if you do not have one yet."
	return &Advice{Code: code, Severity: Info, Source: srcStatus, Items: []string{out}, Data: data, TextDa: da, TextEn: en}
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
	out, done, planned, data, _, _ := v.outcome(referDay)
	if out != outNotImproved {
		return nil
	}
	data["sessionsDone12Weeks"], data["sessionsPlanned12Weeks"] = float64(done), float64(planned)
	d, p := strconv.Itoa(done), strconv.Itoa(planned)
	return &Advice{
		Code: ReferNoImprovement, Severity: Info, Source: srcRefer, Data: data,
		TextDa: "Du har trænet regelmæssigt de sidste 12 uger (" + d + " af " + p + " planlagte træninger), uden at dine smerter eller din gangtid er blevet tydeligt bedre. " +
			"Mange får det godt med træning alene, men nogle har brug for mere. Tal med din behandler om andre muligheder, fx manuel behandling, smertevejledning eller i sjældne tilfælde en operation. " +
			"Fortsæt med at træne, indtil I har talt sammen.",
		TextEn: "You have trained regularly for the last 12 weeks (" + d + " of " + p + " planned sessions) without a clear improvement in your pain or your walking time. " +
			"Many people do well with training alone, but some need more. Talk to your clinician about other options, such as manual therapy, pain guidance or, rarely, surgery. " +
			"Keep training until you have talked.",
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
	var da, en string
	if n == 0 {
		da, en = "Du har ikke registreret nogen gåture de sidste 2 uger", "You have not logged any walks in the last 2 weeks"
	} else {
		da, en = "Du har registreret 1 gåtur de sidste 2 uger", "You have logged 1 walk in the last 2 weeks"
	}
	return &Advice{
		Code: LogWalk, Severity: Info, Source: srcLogWalk,
		Data: map[string]float64{"walksLast14Days": float64(n)},
		TextDa: da + ". Din gangtid viser bedst, om træningen hjælper, og uden gåture kan vi ikke se det. " +
			"Gå en tur med pauser i gåtilstand mindst to gange om ugen – også en kort tur tæller.",
		TextEn: en + ". Your walking time shows best whether training helps, and without walks we cannot see it. " +
			"Take a walk with pauses in walk mode at least twice a week – a short one counts too.",
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
	var da, en []string
	if week >= 1 {
		ws := v.start + (week-1)*weekDays
		done := v.sessionsDone(ws, ws+weekDays-1)
		if done*3 < v.planned*2 {
			data["week"], data["sessionsDoneLastWeek"] = float64(week), float64(done)
			da = append(da, "I programmets uge "+strconv.Itoa(int(week))+" gennemførte du "+strconv.Itoa(done)+" af "+strconv.Itoa(v.planned)+" planlagte træninger")
			en = append(en, "In week "+strconv.Itoa(int(week))+" of the programme you did "+strconv.Itoa(done)+" of "+strconv.Itoa(v.planned)+" planned sessions")
		}
	}
	ws := v.start + week*weekDays
	done := v.sessionsDone(ws, v.today)
	left := int(ws + weekDays - v.today) // today included
	if done < need && done+left*perDay < need {
		data["sessionsDoneThisWeek"], data["daysLeftThisWeek"] = float64(done), float64(left)
		da = append(da, "i denne uge har du gennemført "+strconv.Itoa(done)+" af "+strconv.Itoa(v.planned)+" planlagte træninger, og der er "+count(left, "dag", "dage")+" tilbage af ugen")
		en = append(en, "this week you have done "+strconv.Itoa(done)+" of "+strconv.Itoa(v.planned)+" planned sessions, with "+count(left, "day", "days")+" of the week left")
	}
	if len(da) == 0 {
		return nil
	}
	first := strings.ToUpper(da[0][:1]) + da[0][1:]
	firstEn := strings.ToUpper(en[0][:1]) + en[0][1:]
	da[0], en[0] = first, firstEn
	return &Advice{
		Code: AdherenceLow, Severity: Info, Source: srcAdherence, Data: data,
		TextDa: strings.Join(da, ", og ") + ". Det er den regelmæssige bevægelse, der hjælper – mindst 2 af 3 planlagte træninger – og også en kort træning tæller: tag den næste, når du kan. " +
			"Hvis noget står i vejen – tid, smerter eller øvelserne – så tal med din behandler om at tilpasse programmet.",
		TextEn: strings.Join(en, ", and ") + ". It is regular movement that helps – at least 2 of every 3 planned sessions – and a short session counts too: do the next one when you can. " +
			"If something gets in the way – time, pain or the exercises – talk to your clinician about adjusting the programme.",
	}
}
