// How the rules' advice combine: the one table of codes that leave others
// out (docs/rules.md, "How the rules combine"), applied in one place.

package rules

import (
	"slices"
	"strings"
)

// LeavesOut is the combination table (docs/rules.md, "How the rules
// combine"): a code present leaves out the codes of its row. Rows apply in
// this order, and a code left out leaves nothing out.
var LeavesOut = []struct {
	Code Code
	Out  []Code
}{
	{UrgentRedFlag, []Code{OnboardingNeeded, AvoidExtension, RestPosition, ProgressTargetUp, HoldTarget, TargetDown,
		Status4Weeks, Status12Weeks, ReferNoImprovement, LogWalk, AdherenceLow, WorseningContact}},
	{OnboardingNeeded, []Code{TargetDown, HoldTarget, ProgressTargetUp, Status4Weeks, Status12Weeks,
		ReferNoImprovement, LogWalk, AdherenceLow}},
	{StopNeuroSymptoms, []Code{ProgressTargetUp, AdherenceLow}},
	{TargetDown, []Code{HoldTarget, ProgressTargetUp, AdherenceLow}},
	{WorseningContact, []Code{ProgressTargetUp}},
	{ReferNoImprovement, []Code{ProgressTargetUp}},
	{ProgressTargetUp, []Code{HoldTarget}},
}

// combine applies the combination table — the one place where codes are
// left out because of others. A PROGRESS_TARGET_UP left out gives way to a
// HOLD_TARGET that says why, unless the table leaves that out too.
func combine(raw []*Advice) []Advice {
	kept := map[Code]*Advice{}
	for _, a := range raw {
		kept[a.Code] = a
	}
	var upBlockedBy Code
	for _, row := range LeavesOut {
		if kept[row.Code] == nil {
			continue
		}
		for _, c := range row.Out {
			if kept[c] == nil {
				continue
			}
			if c == ProgressTargetUp && upBlockedBy == "" {
				upBlockedBy = row.Code
			}
			delete(kept, c)
		}
	}
	// The 12-week status and the referral would say the same twice ("you
	// have trained regularly for 12 weeks without a clear improvement"):
	// the referral says it, the status only books the consultation.
	if s := kept[Status12Weeks]; s != nil && kept[ReferNoImprovement] != nil && slices.Contains(s.Items, outNotImproved) {
		s.Says = slices.DeleteFunc(slices.Clone(s.Says), func(p Phrase) bool {
			return p.Key == "advice_status_"+outNotImproved+"_12"
		})
	}
	if up := findCode(raw, ProgressTargetUp); up != nil && kept[ProgressTargetUp] == nil && kept[HoldTarget] == nil {
		holdOK := true
		for _, row := range LeavesOut {
			if kept[row.Code] != nil && contains(codeStrings(row.Out), string(HoldTarget)) {
				holdOK = false
			}
		}
		if holdOK {
			kept[HoldTarget] = holdInstead(up, upBlockedBy)
		}
	}
	out := []Advice{}
	for _, a := range raw {
		if k := kept[a.Code]; k != nil {
			out = append(out, *k)
			delete(kept, a.Code)
		}
	}
	if h := kept[HoldTarget]; h != nil {
		out = append(out, *h)
	}
	return out
}

func findCode(as []*Advice, c Code) *Advice {
	for _, a := range as {
		if a.Code == c {
			return a
		}
	}
	return nil
}

func codeStrings(cs []Code) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}

// holdInstead is the HOLD_TARGET that takes the place of a
// PROGRESS_TARGET_UP the combination table left out because of code.
func holdInstead(up *Advice, code Code) *Advice {
	data := map[string]float64{}
	for k, x := range up.Data {
		if !strings.HasSuffix(k, ".from") && !strings.HasSuffix(k, ".to") {
			data[k] = x
		}
	}
	why := say("hold_neuroWeek") // STOP_NEURO_SYMPTOMS
	switch code {
	case WorseningContact:
		why = say("hold_worsening")
	case ReferNoImprovement:
		why = say("hold_refer")
	}
	return hold(data, why)
}

// hold is HOLD_TARGET with its reason.
func hold(data map[string]float64, why Phrase) *Advice {
	return &Advice{
		Code: HoldTarget, Severity: Info, Source: srcProgress, Data: data,
		Says: []Phrase{say("HOLD_TARGET", why)},
	}
}
