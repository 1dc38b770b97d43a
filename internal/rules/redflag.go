// URGENT_RED_FLAG: the red-flag screen's answers (docs/sources.md, "Red flags").

package rules

import (
	"math"
)

// redFlag: URGENT_RED_FLAG.
//
// Source: docs/sources.md "Red flags". Cauda equina syndrome (BMJ Best
// Practice): new or worsening bladder or bowel disturbance, saddle
// numbness, weakness or numbness in both legs or sexual dysfunction → a
// doctor at once: the own GP now, out of hours the region's out-of-hours
// service, 112 when life is in danger. Other flags (AHCPR table, NCBI
// Bookshelf NBK52120: trauma, cancer, fever, weight loss, immunosuppression,
// IV drug use, night pain, progressive weakness) → a doctor before
// training, saying why.
//
// The latest check-in's answers count until a newer check-in; a cauda
// equina sign answered yes in any check-in of the last 14 days counts too.
// A yes is cleared by examinedSince: for a cauda equina sign only an
// examination on or after that check-in's day; for the other flags any
// confirmed examination, unless the flag is new since it (a check-in after
// the examination answered it no).
func (v *view) redFlag() *Advice {
	if len(v.checks) == 0 {
		return nil
	}
	latest := 0
	for i, c := range v.checks {
		if c.day >= v.checks[latest].day {
			latest = i
		}
	}
	from, _ := v.last(redFlagNewDays)
	found := map[string]bool{}
	cauda := false
	newest := int64(math.MinInt64)
	for i, c := range v.checks {
		for _, f := range c.yes {
			count := (i == latest || (f.CaudaEquina && c.day >= from)) && !v.cleared(c, f)
			if count {
				found[f.Key] = true
				cauda = cauda || f.CaudaEquina
				newest = max(newest, c.day)
			}
		}
	}
	if len(found) == 0 {
		return nil
	}
	var items []string
	var answers []Phrase
	for _, f := range allFlags {
		if found[f.Key] {
			items = append(items, f.Key)
			answers = append(answers, say("flag_"+f.Key))
		}
	}
	a := &Advice{
		Code: UrgentRedFlag, Severity: Urgent, Items: items,
		Data: map[string]float64{"daysSinceCheckIn": float64(v.today - newest)},
		Says: []Phrase{say("answeredYes", Joined{"advice_sepAnswers", answers})},
	}
	if cauda {
		// One route, the same as the page's heading (docs/sources.md, "Red
		// flags"): in Denmark one calls first — the own GP, out of hours
		// the region's out-of-hours service; 112 when life is in danger.
		// The rules cannot know the region: the app shows its number.
		a.Source = srcCauda
		a.Says = append(a.Says, say("URGENT_RED_FLAG_cauda"), say(RouteKey), say("URGENT_RED_FLAG_tell"))
		return a
	}
	// Not urgent in the same way: a doctor before training, and why.
	var why []Phrase
	for _, r := range []string{reasonFracture, reasonOtherCause, reasonNerve} {
		for _, f := range allFlags {
			if found[f.Key] && f.Reason == r {
				why = append(why, say("reason_"+r))
				break
			}
		}
	}
	a.Source = srcOtherFlags
	a.Says = append(a.Says, say("URGENT_RED_FLAG_before", Joined{"advice_sepBecause", why}))
	return a
}

// RouteKey is the phrase of URGENT_RED_FLAG that says the urgent route in
// general words: a page that shows the route with the region's numbers
// leaves it out (Advice.TextWithout).
const RouteKey = "URGENT_RED_FLAG_route"

// cleared reports whether c's examinedSince clears its yes to f: for a
// cauda equina sign an examination on or after c's day; for another flag
// any examination, unless a check-in after the examination (and before c)
// answered f no — then f is new since the examination.
func (v *view) cleared(c check, f Flag) bool {
	if !c.exOK {
		return false
	}
	if f.CaudaEquina {
		return c.examined >= c.day
	}
	for _, k := range v.checks {
		if k.day > c.examined && k.day < c.day && k.no[f.Key] {
			return false
		}
	}
	return true
}
