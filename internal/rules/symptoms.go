// The advice on symptoms and posture: STOP_NEURO_SYMPTOMS, REST_POSITION,
// AVOID_EXTENSION (the seed's safety rules, docs/sources.md A2, A3, A5).

package rules

import (
	"strconv"
	"strings"
)

// stopNeuro: STOP_NEURO_SYMPTOMS.
//
// Source: the seed, "Hvad skal man være opmærksom på under træning med
// spinalstenose": "stoppe eller justere træningen, hvis der opstår
// snurren, brændende fornemmelse eller svaghed i benene" (docs/sources.md A3).
// Fires on a report (diary or session) today or on the 2 days before.
func (v *view) stopNeuro() *Advice {
	from, to := v.last(neuroRecentDays)
	days, which := v.neuro(from, to)
	if len(days) == 0 {
		return nil
	}
	lastDay := from
	for d := range days {
		lastDay = max(lastDay, d)
	}
	ago := v.today - lastDay // 0, 1 or 2
	var symptoms []Phrase
	for _, w := range which {
		symptoms = append(symptoms, say("symptom_"+w))
	}
	return &Advice{
		Code: StopNeuroSymptoms, Severity: Warning, Source: srcStopNeuro, Items: which,
		Data: map[string]float64{"daysAgo": float64(ago), "daysWithSymptoms": float64(len(days))},
		Says: []Phrase{say("STOP_NEURO_SYMPTOMS", symptoms, say("daysAgo"+strconv.FormatInt(ago, 10)))},
	}
}

// restPosition: REST_POSITION.
//
// Source: the seed, "Lændesiddende stilling": "Denne stilling bruges ofte
// af personer med spinalstenose til at få en pause og lindre symptomer i
// benene. Den kan bruges både som øvelse og som symptomlindring i
// hverdagen"; and "Gående med pauser": "læne sig forover under pauserne"
// (docs/sources.md A5). Fires with STOP_NEURO_SYMPTOMS, or on leg pain ≥ 5 in
// a diary entry of the last 3 days.
func (v *view) restPosition() *Advice {
	neuro := v.stopNeuro() != nil
	from, to := v.last(neuroRecentDays)
	maxLeg := -1
	for _, e := range v.entries {
		if e.legOK && in(e.day, from, to) {
			maxLeg = max(maxLeg, e.leg)
		}
	}
	if !neuro && maxLeg < restLegPain {
		return nil
	}
	data := map[string]float64{}
	if maxLeg >= 0 {
		data["legPainMax3Days"] = float64(maxLeg)
	}
	return &Advice{
		Code: RestPosition, Severity: Info, Source: srcRest, Data: data,
		Says: []Phrase{say("REST_POSITION")},
	}
}

// avoidExtension: AVOID_EXTENSION.
//
// Source: the seed, "Hvad skal man være opmærksom på under træning med
// spinalstenose": "Det er vigtigt at undgå øvelser, hvor ryggen bøjes
// bagover" (docs/sources.md A2). Fires when a session of the last 28 days
// contains an exercise of posture class extension. (The content check
// already keeps extension exercises out of LSS programmes; this catches a
// session from elsewhere, e.g. a programme for another condition.)
func (v *view) avoidExtension() *Advice {
	from, to := v.last(extensionDays)
	set := map[string]bool{}
	n := 0
	for _, s := range v.sessions {
		if in(s.day, from, to) && len(s.extension) > 0 {
			n++
			for _, x := range s.extension {
				set[x] = true
			}
		}
	}
	if n == 0 {
		return nil
	}
	items := sortedKeys(set)
	return &Advice{
		Code: AvoidExtension, Severity: Warning, Source: srcExtension, Items: items,
		Data: map[string]float64{"sessions": float64(n)},
		Says: []Phrase{say("AVOID_EXTENSION", strings.Join(items, ", "))},
	}
}
