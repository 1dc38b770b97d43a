// URGENT_RED_FLAG: the red-flag screen's answers (docs/sources.md, "Red flags").

package rules

import (
	"math"
	"strings"
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
	var items, da, en []string
	for _, f := range allFlags {
		if found[f.Key] {
			items = append(items, f.Key)
			da, en = append(da, f.Da), append(en, f.En)
		}
	}
	a := &Advice{
		Code: UrgentRedFlag, Severity: Urgent, Items: items,
		Data: map[string]float64{"daysSinceCheckIn": float64(v.today - newest)},
	}
	if cauda {
		// One route, the same as the page's heading (docs/sources.md, "Red
		// flags"): in Denmark one calls first — the own GP, out of hours
		// the region's out-of-hours service; 112 when life is in danger.
		// The rules cannot know the region: the app shows its number.
		a.Source = srcCauda
		a.TextDa = "Du har svaret ja til: " + strings.Join(da, "; ") + ". Det skal en læge se på med det samme. " +
			"Stop træningen, og ring til din egen læge nu. Uden for lægens åbningstid ringer du til lægevagten. Ved livsfare ringer du 112. " +
			"Fortæl, hvad du har svaret."
		a.TextEn = "You answered yes to: " + strings.Join(en, "; ") + ". A doctor needs to see this straight away. " +
			"Stop training and call your own GP now. When your GP is closed, call the out-of-hours doctor (lægevagten). If life is in danger, call 112. " +
			"Tell them what you answered."
		return a
	}
	// Not urgent in the same way: a doctor before training, and why.
	var whyDa, whyEn []string
	for _, r := range []string{reasonFracture, reasonOtherCause, reasonNerve} {
		for _, f := range allFlags {
			if found[f.Key] && f.Reason == r {
				whyDa, whyEn = append(whyDa, reasonDa[r]), append(whyEn, reasonEn[r])
				break
			}
		}
	}
	a.Source = srcOtherFlags
	a.TextDa = "Du har svaret ja til: " + strings.Join(da, "; ") + ". En læge bør undersøge dig, før du træner, fordi " + strings.Join(whyDa, ", og fordi ") + ". " +
		"Hold pause med træningen, og bestil en tid hos din egen læge. Fortæl, hvad du har svaret. " +
		"Når lægen har undersøgt dig, skriver du det her, så kan du træne igen."
	a.TextEn = "You answered yes to: " + strings.Join(en, "; ") + ". A doctor should examine you before you train, because " + strings.Join(whyEn, ", and because ") + ". " +
		"Pause your training and book an appointment with your own GP. Tell them what you answered. " +
		"Once the doctor has examined you, note it here and you can train again."
	return a
}

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

// Why a flag that is not a cauda equina sign needs a doctor before
// training, in plain words (docs/sources.md, "Red flags": possible
// fracture; possible tumour or infection; severe or progressive weakness).
var (
	reasonDa = map[string]string{
		reasonFracture:   "et fald eller et slag kan give et brud i ryggen",
		reasonOtherCause: "smerterne i sjældne tilfælde kan have en anden årsag end spinalstenose",
		reasonNerve:      "svaghed, der tager til, kan betyde, at en nerve er i klemme",
	}
	reasonEn = map[string]string{
		reasonFracture:   "a fall or a knock can break a bone in the back",
		reasonOtherCause: "the pain can, rarely, have another cause than spinal stenosis",
		reasonNerve:      "weakness that is getting worse can mean that a nerve is being pinched",
	}
)
