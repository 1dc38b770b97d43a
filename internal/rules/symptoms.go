// The advice on symptoms and posture: STOP_NEURO_SYMPTOMS, REST_POSITION,
// AVOID_EXTENSION (the seed's safety rules, docs/sources.md A2, A3, A5).

package rules

import (
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
	ago := v.today - lastDay
	whenDa := [...]string{"i dag", "i går", "i forgårs"}[ago]
	whenEn := [...]string{"today", "yesterday", "two days ago"}[ago]
	da, en := symptomsDa(which), listEn(which)
	return &Advice{
		Code: StopNeuroSymptoms, Severity: Warning, Source: srcStopNeuro, Items: which,
		Data: map[string]float64{"daysAgo": float64(ago), "daysWithSymptoms": float64(len(days))},
		TextDa: "Du har meldt " + da + " i benene " + whenDa + ". Stop den øvelse, der gav symptomerne, og hvil i lændesiddende stilling, til de aftager. " +
			"Næste gang: gør øvelsen mindre – kortere tid, færre gentagelser eller mindre bevægelse. " +
			"Kontakt din behandler, hvis symptomerne ikke aftager eller bliver ved med at komme igen.",
		TextEn: "You reported " + en + " in your legs " + whenEn + ". Stop the exercise that brought it on, and rest in the forward-leaning sitting position until it eases. " +
			"Next time, do less: a shorter time, fewer repetitions or a smaller movement. " +
			"Contact your clinician if the symptoms do not ease or keep coming back.",
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
		TextDa: "Når benene gør ondt eller snurrer, så sæt dig i lændesiddende stilling: sid foroverbøjet med albuerne hvilende på knæene, og træk vejret roligt, til det letter. " +
			"På gåture kan du læne dig forover i pauserne, fx over en indkøbsvogn.",
		TextEn: "When your legs ache or tingle, sit in the forward-leaning rest position: lean forward with your elbows resting on your knees, and breathe calmly until it eases. " +
			"On walks, lean forward during the pauses, for example over a shopping trolley.",
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
		TextDa: "Din træning har haft en øvelse, hvor ryggen bøjes bagover (" + strings.Join(items, ", ") + "). " +
			"Ved spinalstenose er det vigtigt at undgå øvelser, hvor ryggen bøjes bagover. Spring øvelsen over, og spørg din behandler om en øvelse i let foroverbøjet stilling i stedet.",
		TextEn: "Your training has included an exercise that bends the back backwards (" + strings.Join(items, ", ") + "). " +
			"With spinal stenosis it is important to avoid exercises that bend the back backwards. Skip it, and ask your clinician for an exercise in a slightly forward-bent position instead.",
	}
}
