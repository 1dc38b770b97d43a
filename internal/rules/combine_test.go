package rules

import (
	"github.com/stenose/stenose/internal/i18n"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCombine: one case per row of the combination table (docs/rules.md,
// "How the rules combine"), on advice as the rules give it before combine.
func TestCombine(t *testing.T) {
	all := []Code{OnboardingNeeded, StopNeuroSymptoms, AvoidExtension, RestPosition, ProgressTargetUp,
		Status4Weeks, Status12Weeks, ReferNoImprovement, LogWalk, AdherenceLow, WorseningContact}
	tests := []struct {
		name string
		in   []Code
		want []Code
	}{
		{"URGENT_RED_FLAG_leaves_out_all_but_STOP_NEURO_SYMPTOMS", append([]Code{UrgentRedFlag}, all...), []Code{UrgentRedFlag, StopNeuroSymptoms}},
		{"ONBOARDING_NEEDED_leaves_out_targets_status_and_adherence",
			[]Code{OnboardingNeeded, StopNeuroSymptoms, RestPosition, HoldTarget, Status4Weeks, ReferNoImprovement, LogWalk, AdherenceLow, WorseningContact},
			[]Code{OnboardingNeeded, StopNeuroSymptoms, RestPosition, WorseningContact}},
		{"STOP_NEURO_SYMPTOMS_leaves_out_PROGRESS_TARGET_UP_and_ADHERENCE_LOW",
			[]Code{StopNeuroSymptoms, ProgressTargetUp, AdherenceLow, RestPosition},
			[]Code{StopNeuroSymptoms, RestPosition, HoldTarget}},
		{"TARGET_DOWN_leaves_out_HOLD_TARGET_PROGRESS_TARGET_UP_and_ADHERENCE_LOW",
			[]Code{TargetDown, HoldTarget, ProgressTargetUp, AdherenceLow},
			[]Code{TargetDown}},
		{"WORSENING_CONTACT_leaves_out_PROGRESS_TARGET_UP", []Code{WorseningContact, ProgressTargetUp}, []Code{WorseningContact, HoldTarget}},
		{"REFER_NO_IMPROVEMENT_leaves_out_PROGRESS_TARGET_UP", []Code{ReferNoImprovement, Status12Weeks, ProgressTargetUp}, []Code{ReferNoImprovement, Status12Weeks, HoldTarget}},
		{"PROGRESS_TARGET_UP_leaves_out_HOLD_TARGET", []Code{ProgressTargetUp, HoldTarget}, []Code{ProgressTargetUp}},
		{"nothing_left_out_among_allowed_codes", []Code{RestPosition, Status4Weeks, LogWalk, AdherenceLow, AvoidExtension}, []Code{RestPosition, Status4Weeks, LogWalk, AdherenceLow, AvoidExtension}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var raw []*Advice
			for _, c := range tt.in {
				raw = append(raw, &Advice{Code: c, Data: map[string]float64{"walkMinutes.from": 10, "walkMinutes.to": 11, "sessionsLast7Days": 3}})
			}
			var got []Code
			for _, a := range combine(raw) {
				got = append(got, a.Code)
				if a.Code == HoldTarget && slices.Contains(tt.in, ProgressTargetUp) {
					if _, ok := a.Data["walkMinutes.to"]; ok || a.Data["sessionsLast7Days"] != 3 || a.Text(i18n.Da) == "" {
						t.Errorf("the HOLD_TARGET in place of PROGRESS_TARGET_UP: %+v", a)
					}
				}
			}
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("codes (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("STATUS_12_WEEKS_beside_REFER_NO_IMPROVEMENT_says_it_once", func(t *testing.T) {
		got := map[Code]Advice{}
		for _, a := range Advise(twoThirds(), at(84)) {
			got[a.Code] = a
		}
		s, r := got[Status12Weeks], got[ReferNoImprovement]
		if r.Code == "" || s.Code == "" || !slices.Equal(s.Items, []string{outNotImproved}) {
			t.Fatalf("want both, the status not improved: %v", got)
		}
		for _, l := range i18n.Langs {
			st := s.Text(l)
			if st == "" || strings.Contains(st, i18n.Da.T("advice_status_not_improved_12")) || strings.Contains(st, i18n.En.T("advice_status_not_improved_12")) {
				t.Errorf("%s: the status repeats the referral: %q", l, st)
			}
			if !strings.Contains(st, l.T("advice_status_book")) {
				t.Errorf("%s: the status no longer books the consultation: %q", l, st)
			}
		}
		// Without the referral (not a fair trial of walking, say) the
		// status says the outcome itself.
		if a := combine([]*Advice{{Code: Status12Weeks, Items: []string{outNotImproved}, Says: []Phrase{say("status", 12, 33, 36), say("status_not_improved_12"), say("status_book")}}}); len(a) != 1 || !strings.Contains(a[0].Text(i18n.Da), i18n.Da.T("advice_status_not_improved_12")) {
			t.Errorf("alone, the status lost its outcome: %+v", a)
		}
	})
}

// TestCombinationTableInDocs: the table in docs/rules.md is LeavesOut, row
// for row, and names a test for every row.
func TestCombinationTableInDocs(t *testing.T) {
	doc, err := os.ReadFile("../../docs/rules.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(doc), "| code | leaves out | test |\n")
	if !ok {
		t.Fatal("docs/rules.md has no table headed | code | leaves out | test |")
	}
	src, err := os.ReadFile("combine_test.go")
	if err != nil {
		t.Fatal(err)
	}
	codeRe := regexp.MustCompile("`([A-Z0-9_]+)`")
	var rows int
	for _, line := range strings.Split(table, "\n")[1:] { // [0] is the |---| line
		if !strings.HasPrefix(line, "|") {
			break
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) != 3 {
			t.Fatalf("row %q: want 3 cells", line)
		}
		if rows >= len(LeavesOut) {
			t.Fatalf("docs/rules.md has more rows than LeavesOut: %q", line)
		}
		row := LeavesOut[rows]
		rows++
		if got := codeRe.FindAllStringSubmatch(cells[0], -1); len(got) != 1 || Code(got[0][1]) != row.Code {
			t.Errorf("row %d: code %q, want %s", rows, cells[0], row.Code)
		}
		var out []Code
		for _, m := range codeRe.FindAllStringSubmatch(cells[1], -1) {
			out = append(out, Code(m[1]))
		}
		if diff := cmp.Diff(row.Out, out); diff != "" {
			t.Errorf("row %s (-code +docs):\n%s", row.Code, diff)
		}
		name := strings.Trim(strings.TrimSpace(cells[2]), "`")
		name = strings.TrimPrefix(name, "TestCombine/")
		if !strings.Contains(string(src), `"`+name+`"`) {
			t.Errorf("row %s names test %q, which does not exist", row.Code, name)
		}
	}
	if rows != len(LeavesOut) {
		t.Errorf("docs/rules.md has %d rows, LeavesOut %d", rows, len(LeavesOut))
	}
}
