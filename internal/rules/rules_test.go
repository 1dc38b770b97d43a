package rules

import (
	"encoding/json"
	"github.com/stenose/stenose/internal/i18n"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The test programme starts on Monday 7 July 2025 (day 0); day n is n days
// later and the clock is noon UTC on that day.
var start = ParseDay("2025-07-07")

func day(n int) Day { return start.AddDays(n) }

func at(n int) time.Time { return time.Date(2025, 7, 7+n, 12, 0, 0, 0, time.UTC) }

// history is a programme with three planned sessions a week and a baseline
// (SPWT first symptoms 240 s, stop 420 s; leg pain 5, back pain 4).
func history() History {
	return History{
		Programme: "5-bedste-oevelser", ProgrammeStart: start, PlannedPerWeek: 3,
		Baseline:      &Baseline{Date: start, SPWT: SPWT{FirstSymptomsSeconds: 240, StopSeconds: 420}, LegPain: 5, BackPain: 4},
		RedFlagChecks: []RedFlagCheck{checkIn(0)},
	}
}

// sessionsOn returns a completed session on each day from..to whose
// weekday offset (day mod 7) is in weekdays (0 = Monday).
func sessionsOn(from, to int, weekdays ...int) []Session {
	var s []Session
	for d := from; d <= to; d++ {
		for _, w := range weekdays {
			if d%7 == w {
				s = append(s, Session{Date: day(d), CompletedSteps: 5})
			}
		}
	}
	return s
}

// regular is three sessions a week (Monday, Wednesday, Friday), from day 0.
func regular(to int) []Session { return sessionsOn(0, to, 0, 2, 4) }

func entries(from, to, leg, back int) []Entry {
	var e []Entry
	for d := from; d <= to; d++ {
		e = append(e, Entry{At: day(d), LegPain: leg, BackPain: back})
	}
	return e
}

// walks returns one walk a day from..to: a first bout with symptoms after
// first seconds that stops at 7/4 of that (as the baseline SPWT: 240 and
// 420 s), and a second bout making total seconds of walking.
func walks(from, to, first, total int) []Walk {
	var w []Walk
	for d := from; d <= to; d++ {
		stop := first * 7 / 4
		bouts := []Bout{{WalkSeconds: stop, PauseSeconds: 60, FirstSymptomsSeconds: first}}
		if total > stop {
			bouts = append(bouts, Bout{WalkSeconds: total - stop, PauseSeconds: 60})
		}
		w = append(w, Walk{Date: day(d), Bouts: bouts})
	}
	return w
}

// stable is a history at day 40 with targets set on day 33 (walk 10 min,
// cat stretch 8 reps), regular sessions, a diary every day (leg 3, back 3)
// and a daily walk of 11 minutes: a stable week.
func stable() History {
	h := history()
	h.Targets = Targets{Since: day(33), WalkMinutes: 10, Reps: map[string]int{"kattestraek": 8}}
	h.Sessions = regular(40)
	h.Entries = entries(20, 40, 3, 3)
	h.Walks = walks(20, 40, 300, 660)
	return h
}

// stableAt is stable() moved to day n: targets set on day n−7, regular
// sessions, a diary every day from day 20 and daily walks of 11 minutes.
func stableAt(n int) History {
	h := stable()
	h.Targets.Since = day(n - 7)
	h.Sessions = regular(n)
	h.Entries = entries(20, n, 3, 3)
	h.Walks = walks(20, n, 300, 660)
	return h
}

// twoThirds is a history at day 84 with sessions on Mondays and Wednesdays
// (24 of the 36 planned in the last 84 days, exactly two-thirds), the last
// 14 days' diary at leg 4, back 4 (baseline 5 and 4) and walks with first
// symptoms after 280 s (baseline 240 s): no meaningful improvement.
func twoThirds() History {
	h := history()
	h.Sessions = sessionsOn(0, 84, 0, 2)
	h.Entries = entries(71, 84, 4, 4)
	h.Walks = walks(71, 84, 280, 600)
	return h
}

func checkIn(d int, flags ...string) RedFlagCheck {
	c := RedFlagCheck{Date: day(d), Answers: map[string]bool{}}
	for _, f := range Flags {
		c.Answers[f.Key] = false
	}
	for _, f := range flags {
		c.Answers[f] = true
	}
	return c
}

func with(h History, f func(*History)) History {
	f(&h)
	return h
}

func TestAdvise(t *testing.T) {
	tests := []struct {
		name  string
		h     History
		now   int
		want  []Code
		check func(t *testing.T, a map[Code]Advice)
	}{
		{name: "empty_history", h: History{}, now: 40, want: []Code{OnboardingNeeded}},
		{name: "empty_programme_first_day", h: history(), now: 0, want: nil},

		// URGENT_RED_FLAG
		{
			name: "URGENT_RED_FLAG_cauda_equina_sign",
			h:    with(history(), func(h *History) { h.RedFlagChecks = []RedFlagCheck{checkIn(38, "bladder")} }),
			now:  40, want: []Code{UrgentRedFlag},
			check: func(t *testing.T, a map[Code]Advice) {
				u := a[UrgentRedFlag]
				// One route (docs/sources.md, "Red flags"): the own GP now,
				// out of hours lægevagten, 112 when life is in danger —
				// never the emergency department unannounced.
				wantDa := "Du har svaret ja til: nye problemer med vandladningen. Det skal en læge se på med det samme. Stop træningen. " +
					"Ring til din egen læge nu. Uden for lægens åbningstid ringer du til lægevagten – i Region Hovedstaden til Akuttelefonen 1813. Ved livsfare ringer du 112. Fortæl, hvad du har svaret."
				wantEn := "You answered yes to: new problems passing or holding urine. A doctor needs to see this straight away. Stop training. " +
					"Call your own GP now. When your GP is closed, call the out-of-hours doctor (lægevagten) – in the Capital Region, Akuttelefonen on 1813. If life is in danger, call 112. Tell them what you answered."
				// A page with the route as tap-to-call links leaves the
				// general words out, so that it says the route once.
				if got := u.TextWithout(i18n.Da, RouteKey); got != "Du har svaret ja til: nye problemer med vandladningen. Det skal en læge se på med det samme. Stop træningen. Fortæl, hvad du har svaret." {
					t.Errorf("without the route: %q", got)
				}
				if u.Source != srcCauda || u.Text(i18n.Da) != wantDa || u.Text(i18n.En) != wantEn {
					t.Errorf("cauda equina advice:\n%s\n%s\nwant\n%s\n%s", u.Text(i18n.Da), u.Text(i18n.En), wantDa, wantEn)
				}
				for _, txt := range []string{u.Text(i18n.Da), u.Text(i18n.En)} {
					if strings.Contains(txt, "skadestue") || strings.Contains(txt, "emergency department") || strings.Contains(txt, "hvis det haster") {
						t.Errorf("a second instruction: %s", txt)
					}
				}
				if diff := cmp.Diff([]string{"bladder"}, u.Items); diff != "" {
					t.Errorf("items (-want +got):\n%s", diff)
				}
				if u.Data["daysSinceCheckIn"] != 2 {
					t.Errorf("daysSinceCheckIn = %v, want 2", u.Data["daysSinceCheckIn"])
				}
			},
		},
		{
			name: "URGENT_RED_FLAG_cancer_history_not_examined",
			h:    with(history(), func(h *History) { h.RedFlagChecks = []RedFlagCheck{checkIn(0, "cancer_history")} }),
			now:  10, want: []Code{UrgentRedFlag},
			check: func(t *testing.T, a map[Code]Advice) {
				// Before training, and why: not the urgent route.
				wantDa := "Du har svaret ja til: tidligere kræftsygdom. En læge bør undersøge dig, før du træner, " +
					"fordi smerterne i sjældne tilfælde kan have en anden årsag end spinalstenose. " +
					"Hold pause med træningen, og bestil en tid hos din egen læge. Fortæl, hvad du har svaret. " +
					"Når lægen har undersøgt dig, skriver du det her, så kan du træne igen."
				if u := a[UrgentRedFlag]; u.Source != srcOtherFlags || u.Text(i18n.Da) != wantDa || strings.Contains(u.Text(i18n.En), "112") ||
					!strings.Contains(u.Text(i18n.En), "before you train, because the pain can, rarely, have another cause") {
					t.Errorf("other-flag advice:\n%s\n%s\nwant\n%s", u.Text(i18n.Da), u.Text(i18n.En), wantDa)
				}
			},
		},
		{
			name: "URGENT_RED_FLAG_every_reason_once",
			h: with(history(), func(h *History) {
				h.RedFlagChecks = []RedFlagCheck{checkIn(38, "major_trauma", "minor_trauma", "fever", "weight_loss", "progressive_weakness")}
			}),
			now: 40, want: []Code{UrgentRedFlag},
			check: func(t *testing.T, a map[Code]Advice) {
				u := a[UrgentRedFlag]
				want := "fordi et fald eller et slag kan give et brud i ryggen, og fordi smerterne i sjældne tilfælde kan have en anden årsag end spinalstenose, " +
					"og fordi svaghed, der tager til, kan betyde, at en nerve er i klemme. "
				if !strings.Contains(u.Text(i18n.Da), want) || strings.Count(u.Text(i18n.En), "because") != 3 {
					t.Errorf("reasons:\n%s\n%s", u.Text(i18n.Da), u.Text(i18n.En))
				}
			},
		},
		{
			// A check-in stored before the screen asked one thing a
			// question keeps its meaning (RetiredFlags).
			name: "URGENT_RED_FLAG_retired_question_still_counts",
			h: with(history(), func(h *History) {
				c := RedFlagCheck{Date: day(38), Answers: map[string]bool{"bladder_bowel": true, "minor_trauma_osteoporosis": true}}
				h.RedFlagChecks = []RedFlagCheck{c}
			}),
			now: 40, want: []Code{UrgentRedFlag},
			check: func(t *testing.T, a map[Code]Advice) {
				u := a[UrgentRedFlag]
				if u.Source != srcCauda || !strings.Contains(u.Text(i18n.Da), "Du har svaret ja til: problemer med at holde på eller komme af med urin eller afføring; et mindre fald, og du har knogleskørhed.") {
					t.Errorf("retired questions: %s", u.Text(i18n.Da))
				}
				if diff := cmp.Diff([]string{"bladder_bowel", "minor_trauma_osteoporosis"}, u.Items); diff != "" {
					t.Errorf("items (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "URGENT_RED_FLAG_cleared_cancer_history_examined",
			h: with(history(), func(h *History) {
				c := checkIn(0, "cancer_history")
				c.ExaminedSince = ParseDay("2025-06-20")
				h.RedFlagChecks = []RedFlagCheck{c}
			}),
			now: 10, want: []Code{AdherenceLow},
		},
		{
			name: "URGENT_RED_FLAG_fever_new_since_examination",
			h: with(history(), func(h *History) {
				first, later := checkIn(0, "cancer_history"), checkIn(39, "cancer_history", "fever")
				first.ExaminedSince, later.ExaminedSince = ParseDay("2025-06-12"), ParseDay("2025-06-12")
				h.RedFlagChecks = []RedFlagCheck{first, later}
			}),
			now: 40, want: []Code{UrgentRedFlag},
			check: func(t *testing.T, a map[Code]Advice) {
				if diff := cmp.Diff([]string{"fever"}, a[UrgentRedFlag].Items); diff != "" {
					t.Errorf("items (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "URGENT_RED_FLAG_cauda_sign_examined_before_it_still_urgent",
			h: with(history(), func(h *History) {
				c := checkIn(38, "saddle_numbness")
				c.ExaminedSince = day(37)
				h.RedFlagChecks = []RedFlagCheck{c}
			}),
			now: 40, want: []Code{UrgentRedFlag},
		},
		{
			name: "URGENT_RED_FLAG_cleared_cauda_sign_examined_after",
			h: with(history(), func(h *History) {
				h.Sessions = regular(40)
				c := checkIn(38, "saddle_numbness")
				c.ExaminedSince = day(39)
				h.RedFlagChecks = []RedFlagCheck{c}
			}),
			now: 40, want: []Code{LogWalk},
		},
		{
			name: "URGENT_RED_FLAG_cauda_sign_13_days_ago_counts_after_a_clear_check",
			h: with(history(), func(h *History) {
				h.Sessions = regular(40)
				h.RedFlagChecks = []RedFlagCheck{checkIn(27, "both_legs_weakness"), checkIn(39)}
			}),
			now: 40, want: []Code{UrgentRedFlag},
		},
		{
			name: "URGENT_RED_FLAG_cleared_cauda_sign_14_days_ago_after_a_clear_check",
			h: with(history(), func(h *History) {
				h.Sessions = regular(40)
				h.RedFlagChecks = []RedFlagCheck{checkIn(26, "both_legs_weakness"), checkIn(39)}
			}),
			now: 40, want: []Code{LogWalk},
		},
		{
			name: "URGENT_RED_FLAG_check_in_after_now_ignored",
			h:    with(history(), func(h *History) { h.RedFlagChecks = []RedFlagCheck{checkIn(41, "bladder_bowel")} }),
			now:  40, want: []Code{OnboardingNeeded},
		},
		{
			name: "URGENT_RED_FLAG_leaves_out_training_advice",
			h: with(stable(), func(h *History) {
				h.Entries = append(h.Entries, Entry{At: day(40), LegPain: 3, BackPain: 3, Weakness: true})
				h.RedFlagChecks = []RedFlagCheck{checkIn(40, "fever", "sexual_dysfunction")}
			}),
			now: 40, want: []Code{UrgentRedFlag, StopNeuroSymptoms},
			check: func(t *testing.T, a map[Code]Advice) {
				if diff := cmp.Diff([]string{"sexual_dysfunction", "fever"}, a[UrgentRedFlag].Items); diff != "" {
					t.Errorf("items in Flags order (-want +got):\n%s", diff)
				}
			},
		},

		// STOP_NEURO_SYMPTOMS
		{
			name: "STOP_NEURO_SYMPTOMS_tingling_today",
			h: with(history(), func(h *History) {
				h.Sessions = regular(40)
				h.Entries = []Entry{{At: ParseDay("2025-08-16T21:30:00+02:00"), LegPain: 3, BackPain: 2, Tingling: true, Burning: true}}
			}),
			now: 40, want: []Code{StopNeuroSymptoms, RestPosition, LogWalk},
			check: func(t *testing.T, a map[Code]Advice) {
				s := a[StopNeuroSymptoms]
				if s.Data["daysAgo"] != 0 || !strings.Contains(s.Text(i18n.Da), "snurren og brændende fornemmelse i benene i dag") || !strings.Contains(s.Text(i18n.En), "tingling and burning in your legs today") {
					t.Errorf("stop advice: %+v", s)
				}
				if s.Source != srcStopNeuro || !strings.Contains(s.Source, "Hvad skal man være opmærksom på") {
					t.Errorf("source %q", s.Source)
				}
			},
		},
		{
			name: "STOP_NEURO_SYMPTOMS_session_weakness_2_days_ago",
			h: with(history(), func(h *History) {
				h.Sessions = regular(40)
				h.Sessions = append(h.Sessions, Session{Date: day(38), CompletedSteps: 2, SkippedSteps: 3, Symptoms: []string{"weakness"}})
			}),
			now: 40, want: []Code{StopNeuroSymptoms, RestPosition, LogWalk},
			check: func(t *testing.T, a map[Code]Advice) {
				if s := a[StopNeuroSymptoms]; s.Data["daysAgo"] != 2 || !strings.Contains(s.Text(i18n.En), "weakness in your legs two days ago") {
					t.Errorf("stop advice: %+v", s)
				}
			},
		},
		{
			name: "STOP_NEURO_SYMPTOMS_not_after_3_days",
			h: with(history(), func(h *History) {
				h.Sessions = regular(40)
				h.Sessions = append(h.Sessions, Session{Date: day(37), CompletedSteps: 5, Symptoms: []string{"weakness"}})
			}),
			now: 40, want: []Code{LogWalk},
		},

		// AVOID_EXTENSION
		{
			name: "AVOID_EXTENSION_session_with_extension_exercise",
			h: with(history(), func(h *History) {
				h.Sessions = regular(40)
				h.Sessions[8].Exercises = []SessionExercise{{"knae-til-bryst", "flexion"}, {"rygbro-med-svaj", "extension"}}
			}),
			now: 40, want: []Code{AvoidExtension, LogWalk},
			check: func(t *testing.T, a map[Code]Advice) {
				x := a[AvoidExtension]
				if diff := cmp.Diff([]string{"rygbro-med-svaj"}, x.Items); diff != "" || x.Source != srcExtension {
					t.Errorf("extension advice %+v %s", x, diff)
				}
			},
		},
		{
			name: "AVOID_EXTENSION_not_after_28_days",
			h: with(history(), func(h *History) {
				h.Sessions = regular(48)
				h.Sessions[8].Exercises = []SessionExercise{{"rygbro-med-svaj", "extension"}} // day 18
			}),
			now: 46, want: []Code{LogWalk},
		},

		// REST_POSITION
		{
			name: "REST_POSITION_leg_pain_5",
			h: with(history(), func(h *History) {
				h.Sessions = regular(40)
				h.Entries = []Entry{{At: day(38), LegPain: 5, BackPain: 2}}
			}),
			now: 40, want: []Code{RestPosition, LogWalk},
			check: func(t *testing.T, a map[Code]Advice) {
				if r := a[RestPosition]; r.Data["legPainMax3Days"] != 5 || !strings.Contains(r.Text(i18n.Da), "albuerne hvilende på knæene") {
					t.Errorf("rest advice %+v", r)
				}
			},
		},
		{
			name: "REST_POSITION_not_at_leg_pain_4",
			h: with(history(), func(h *History) {
				h.Sessions = regular(40)
				h.Entries = []Entry{{At: day(40), LegPain: 4, BackPain: 6}}
			}),
			now: 40, want: []Code{LogWalk},
		},

		// PROGRESS_TARGET_UP, HOLD_TARGET, TARGET_DOWN
		{
			name: "PROGRESS_TARGET_UP_stable_week", h: stable(), now: 40, want: []Code{ProgressTargetUp},
			check: func(t *testing.T, a map[Code]Advice) {
				p := a[ProgressTargetUp]
				for k, v := range map[string]float64{"walkMinutes.from": 10, "walkMinutes.to": 11, "reps.kattestraek.from": 8, "reps.kattestraek.to": 9, "sessionsLast7Days": 3} {
					if p.Data[k] != v {
						t.Errorf("data[%s] = %v, want %v", k, p.Data[k], v)
					}
				}
				if !strings.Contains(p.Text(i18n.Da), "gå 11 minutter pr. tur (før 10)") || p.Severity != Good {
					t.Errorf("up advice %+v", p)
				}
			},
		},
		{
			name: "PROGRESS_TARGET_UP_walk_step_is_10_percent",
			h:    with(stable(), func(h *History) { h.Targets.WalkMinutes = 25; h.Walks = walks(20, 40, 300, 1500) }),
			now:  40, want: []Code{ProgressTargetUp},
			check: func(t *testing.T, a map[Code]Advice) {
				if got := a[ProgressTargetUp].Data["walkMinutes.to"]; got != 28 {
					t.Errorf("25 min + 10 %% = %v, want 28 (2.5 rounds up)", got)
				}
			},
		},
		{
			name: "PROGRESS_TARGET_UP_reps_only_when_walk_target_not_reached",
			h:    with(stable(), func(h *History) { h.Walks = walks(20, 40, 300, 590) }),
			now:  40, want: []Code{ProgressTargetUp},
			check: func(t *testing.T, a map[Code]Advice) {
				p := a[ProgressTargetUp]
				if _, ok := p.Data["walkMinutes.to"]; ok || p.Data["reps.kattestraek.to"] != 9 {
					t.Errorf("want only reps up: %v", p.Data)
				}
			},
		},
		{
			name: "HOLD_TARGET_walk_target_not_reached",
			h:    with(stable(), func(h *History) { h.Targets.Reps = nil; h.Walks = walks(20, 40, 300, 590) }),
			now:  40, want: []Code{HoldTarget},
		},
		{
			name: "HOLD_TARGET_targets_6_days_old",
			h:    with(stable(), func(h *History) { h.Targets.Since = day(34) }),
			now:  40, want: []Code{HoldTarget},
			check: func(t *testing.T, a map[Code]Advice) {
				if h := a[HoldTarget]; h.Data["daysAtTargets"] != 6 || !strings.Contains(h.Text(i18n.Da), "i 6 dage") {
					t.Errorf("hold advice %+v", h)
				}
			},
		},
		{
			name: "HOLD_TARGET_targets_set_after_today",
			h:    with(stable(), func(h *History) { h.Targets.Since = day(45) }),
			now:  40, want: []Code{HoldTarget},
		},
		{
			name: "HOLD_TARGET_one_neuro_day",
			h: with(stable(), func(h *History) {
				h.Entries = append(h.Entries, Entry{At: day(36), LegPain: 3, BackPain: 3, Tingling: true})
			}),
			now: 40, want: []Code{HoldTarget},
		},
		{
			name: "HOLD_TARGET_sessions_below_planned",
			h: with(stable(), func(h *History) {
				h.Sessions = append(regular(36), Session{Date: day(39), CompletedSteps: 5}) // day 37 missed
			}),
			now: 40, want: []Code{HoldTarget},
			check: func(t *testing.T, a map[Code]Advice) {
				if h := a[HoldTarget]; !strings.Contains(h.Text(i18n.En), "2 of 3 planned sessions") {
					t.Errorf("hold advice %+v", h)
				}
			},
		},
		{
			name: "HOLD_TARGET_skipped_session_does_not_count",
			h: with(stable(), func(h *History) {
				h.Sessions = append(regular(38), Session{Date: day(39), CompletedSteps: 0, SkippedSteps: 5})
			}),
			now: 40, want: []Code{HoldTarget},
		},
		{
			name: "HOLD_TARGET_one_diary_entry",
			h:    with(stable(), func(h *History) { h.Entries = entries(40, 40, 3, 3) }),
			now:  40, want: []Code{HoldTarget},
		},
		{
			name: "HOLD_TARGET_leg_pain_up_2",
			h: with(stable(), func(h *History) {
				h.Entries = append(entries(27, 33, 2, 3), entries(34, 40, 4, 3)...)
			}),
			now: 40, want: []Code{HoldTarget},
		},
		{
			name: "PROGRESS_TARGET_UP_leg_pain_up_1_point_under_30_percent",
			h: with(stable(), func(h *History) {
				// 4 the week before; 6, 6, 6, 6, 4, 4, 4 this week: 5.1, up 1.1 points and 28 %.
				h.Entries = append(append(entries(27, 33, 4, 3), entries(34, 37, 6, 3)...), entries(38, 40, 4, 3)...)
			}),
			now: 40, want: []Code{ProgressTargetUp},
		},
		{
			name: "HOLD_TARGET_leg_pain_up_1_point_and_30_percent",
			h: with(stable(), func(h *History) {
				h.Entries = append(entries(27, 33, 2, 3), entries(34, 40, 3, 3)...)
			}),
			now: 40, want: []Code{HoldTarget},
		},
		{
			name: "HOLD_TARGET_at_the_caps",
			h: with(stable(), func(h *History) {
				h.Targets = Targets{Since: day(33), WalkMinutes: 30, Reps: map[string]int{"kattestraek": 15}}
				h.Walks = walks(20, 40, 300, 1900)
			}),
			now: 40, want: []Code{HoldTarget},
		},
		{
			// The week would raise the targets, but the clinician set them:
			// talk to the clinic, nothing to accept (docs/rules.md).
			name: "HOLD_TARGET_targets_set_by_the_clinician",
			h:    with(stable(), func(h *History) { h.Targets.Clinician = true }),
			now:  40, want: []Code{HoldTarget},
			check: func(t *testing.T, a map[Code]Advice) {
				h := a[HoldTarget]
				if !strings.Contains(h.Text(i18n.Da), "fordi din behandler har valgt dine mål – tal med klinikken, hvis du gerne vil øge dem") ||
					!strings.Contains(h.Text(i18n.En), "because your clinician chose your targets – talk to the clinic if you would like to raise them") {
					t.Errorf("hold text %q / %q", h.Text(i18n.Da), h.Text(i18n.En))
				}
				for k := range h.Data {
					if strings.HasSuffix(k, ".to") || strings.HasSuffix(k, ".from") {
						t.Errorf("data %s: a hold gives no new target", k)
					}
				}
				if h.Data["targetsByClinician"] != 1 || h.Data["walkMinutes"] != 10 {
					t.Errorf("data %v", h.Data)
				}
			},
		},
		{
			// A step down for symptoms stands over the clinician's targets (A3).
			name: "TARGET_DOWN_targets_set_by_the_clinician",
			h: with(stable(), func(h *History) {
				h.Targets.Clinician = true
				h.Entries = append(h.Entries, Entry{At: day(34), LegPain: 3, BackPain: 3, Burning: true})
				h.Sessions = append(h.Sessions, Session{Date: day(36), CompletedSteps: 3, Symptoms: []string{"tingling"}})
			}),
			now: 40, want: []Code{TargetDown},
			check: func(t *testing.T, a map[Code]Advice) {
				if d := a[TargetDown]; d.Data["walkMinutes.to"] != 9 || d.Data["targetsByClinician"] != 1 {
					t.Errorf("data %v", d.Data)
				}
			},
		},
		{
			name: "HOLD_TARGET_programme_started_today",
			h:    with(history(), func(h *History) { h.Targets = Targets{WalkMinutes: 4} }),
			now:  0, want: []Code{HoldTarget},
			check: func(t *testing.T, a map[Code]Advice) {
				if h := a[HoldTarget]; !strings.Contains(h.Text(i18n.Da), "fordi dit program er begyndt i dag") || !strings.Contains(h.Text(i18n.En), "because your programme started today") {
					t.Errorf("hold text %q / %q", h.Text(i18n.Da), h.Text(i18n.En))
				}
			},
		},
		{
			name: "HOLD_TARGET_with_WORSENING_CONTACT",
			h: with(stableAt(54), func(h *History) {
				h.Entries = append(entries(13, 40, 1, 3), entries(41, 54, 3, 3)...)
			}),
			now: 54, want: []Code{WorseningContact, HoldTarget},
		},
		{
			name: "TARGET_DOWN_neuro_on_2_of_7_days",
			h: with(stable(), func(h *History) {
				h.Entries = append(h.Entries, Entry{At: day(34), LegPain: 3, BackPain: 3, Burning: true})
				h.Sessions = append(h.Sessions, Session{Date: day(36), CompletedSteps: 3, Symptoms: []string{"tingling"}})
			}),
			now: 40, want: []Code{TargetDown},
			check: func(t *testing.T, a map[Code]Advice) {
				d := a[TargetDown]
				for k, v := range map[string]float64{"walkMinutes.to": 9, "reps.kattestraek.to": 7, "neuroDaysLast7Days": 2, "neuroDaysAtTargets": 2} {
					if d.Data[k] != v {
						t.Errorf("data[%s] = %v, want %v", k, d.Data[k], v)
					}
				}
				if !strings.Contains(d.Text(i18n.Da), "på 2 af de sidste 7 dage") {
					t.Errorf("down advice %+v", d)
				}
			},
		},
		{
			name: "TARGET_DOWN_to_1_minute_says_minut",
			h: with(stable(), func(h *History) {
				h.Targets.WalkMinutes = 2
				h.Entries = append(h.Entries, Entry{At: day(34), LegPain: 3, BackPain: 3, Burning: true})
				h.Sessions = append(h.Sessions, Session{Date: day(36), CompletedSteps: 3, Symptoms: []string{"tingling"}})
			}),
			now: 40, want: []Code{TargetDown},
			check: func(t *testing.T, a map[Code]Advice) {
				d := a[TargetDown]
				if d.Data["walkMinutes.to"] != 1 || !strings.Contains(d.Text(i18n.Da), "gå 1 minut pr. tur (før 2)") || !strings.Contains(d.Text(i18n.En), "walk 1 minute per walk (was 2)") {
					t.Errorf("down advice %+v", d)
				}
			},
		},
		{
			name: "TARGET_DOWN_not_when_second_day_is_8_days_ago",
			h: with(stable(), func(h *History) {
				h.Entries = append(h.Entries, Entry{At: day(33), LegPain: 3, BackPain: 3, Burning: true}, Entry{At: day(36), LegPain: 3, BackPain: 3, Burning: true})
			}),
			now: 40, want: []Code{HoldTarget},
		},
		{
			// After a step down accepted on day 35 (targets.since), the day
			// that brought it (34) no longer counts: one neuro day at the
			// new targets holds them.
			name: "TARGET_DOWN_not_for_days_before_targets_since",
			h: with(stable(), func(h *History) {
				h.Targets.Since = day(35)
				h.Entries = append(h.Entries, Entry{At: day(34), LegPain: 3, BackPain: 3, Burning: true})
				h.Sessions = append(h.Sessions, Session{Date: day(36), CompletedSteps: 3, Symptoms: []string{"tingling"}})
			}),
			now: 40, want: []Code{HoldTarget},
			check: func(t *testing.T, a map[Code]Advice) {
				h := a[HoldTarget]
				for k, v := range map[string]float64{"neuroDaysLast7Days": 2, "neuroDaysAtTargets": 1, "daysAtTargets": 5} {
					if h.Data[k] != v {
						t.Errorf("data[%s] = %v, want %v", k, h.Data[k], v)
					}
				}
				if _, has := h.Data["walkMinutes.to"]; has || !strings.Contains(h.Text(i18n.Da), "svaghed i benene den sidste uge") {
					t.Errorf("hold advice %+v", h)
				}
			},
		},
		{
			// The day the targets were set counts.
			name: "TARGET_DOWN_counts_the_day_of_targets_since",
			h: with(stable(), func(h *History) {
				h.Targets.Since = day(34)
				h.Entries = append(h.Entries, Entry{At: day(34), LegPain: 3, BackPain: 3, Burning: true})
				h.Sessions = append(h.Sessions, Session{Date: day(36), CompletedSteps: 3, Symptoms: []string{"tingling"}})
			}),
			now: 40, want: []Code{TargetDown},
			check: func(t *testing.T, a map[Code]Advice) {
				if d := a[TargetDown]; d.Data["neuroDaysAtTargets"] != 2 || !strings.Contains(d.Text(i18n.Da), "på 2 af de sidste 7 dage") {
					t.Errorf("down advice %+v", d)
				}
			},
		},
		{
			// Targets set "after today" count as set today: only today's
			// neuro day counts.
			name: "TARGET_DOWN_not_when_targets_set_after_today",
			h: with(stable(), func(h *History) {
				h.Targets.Since = day(45)
				h.Entries = append(h.Entries, Entry{At: day(36), LegPain: 3, BackPain: 3, Burning: true}, Entry{At: day(40), LegPain: 3, BackPain: 3, Tingling: true})
			}),
			now: 40, want: []Code{StopNeuroSymptoms, RestPosition, HoldTarget},
		},
		{
			name: "TARGET_DOWN_leaves_out_ADHERENCE_LOW",
			h: with(stable(), func(h *History) {
				h.Sessions = regular(26)
				h.Entries = append(h.Entries, Entry{At: day(34), LegPain: 3, BackPain: 3, Burning: true}, Entry{At: day(36), LegPain: 3, BackPain: 3, Burning: true})
			}),
			now: 40, want: []Code{TargetDown},
		},

		// STATUS_4_WEEKS
		{name: "STATUS_4_WEEKS_not_day_27", h: with(history(), func(h *History) { h.Sessions = regular(27) }), now: 27, want: nil},
		{
			name: "STATUS_4_WEEKS_day_28",
			h:    with(history(), func(h *History) { h.Sessions = regular(28) }),
			now:  28, want: []Code{Status4Weeks, LogWalk},
			check: func(t *testing.T, a map[Code]Advice) {
				s := a[Status4Weeks]
				if s.Data["sessionsDone"] != 12 || s.Data["sessionsPlanned"] != 12 || !strings.Contains(s.Text(i18n.Da), "12 af 12 planlagte træninger") {
					t.Errorf("status advice %+v", s)
				}
				if diff := cmp.Diff([]string{"not_measured"}, s.Items); diff != "" {
					t.Errorf("outcome (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "STATUS_4_WEEKS_improver_told_what_worked",
			h: with(history(), func(h *History) {
				h.Sessions = regular(30)
				h.Entries = entries(17, 30, 3, 3)
				h.Walks = walks(17, 30, 330, 600)
			}),
			now: 30, want: []Code{Status4Weeks},
			check: func(t *testing.T, a map[Code]Advice) {
				s := a[Status4Weeks]
				if diff := cmp.Diff([]string{"improved"}, s.Items); diff != "" {
					t.Errorf("outcome (-want +got):\n%s", diff)
				}
				if !strings.Contains(s.Text(i18n.Da), "smerterne i benene er faldet fra 5 til 3") || !strings.Contains(s.Text(i18n.Da), "Fortsæt med det, du gør") {
					t.Errorf("status text %q", s.Text(i18n.Da))
				}
			},
		},
		{
			name: "STATUS_4_WEEKS_not_regular_is_not_a_fair_trial",
			h: with(history(), func(h *History) {
				h.Sessions = sessionsOn(0, 30, 0)
				h.Entries = entries(17, 30, 4, 4)
				h.Walks = walks(17, 30, 240, 600)
			}),
			now: 30, want: []Code{Status4Weeks, AdherenceLow},
			check: func(t *testing.T, a map[Code]Advice) {
				if diff := cmp.Diff([]string{"not_regular"}, a[Status4Weeks].Items); diff != "" {
					t.Errorf("outcome (-want +got):\n%s", diff)
				}
			},
		},
		{name: "STATUS_4_WEEKS_day_34", h: with(history(), func(h *History) { h.Sessions = regular(34) }), now: 34, want: []Code{Status4Weeks, LogWalk}},
		{name: "STATUS_4_WEEKS_not_day_35", h: with(history(), func(h *History) { h.Sessions = regular(35) }), now: 35, want: []Code{LogWalk}},

		// REFER_NO_IMPROVEMENT
		{
			name: "REFER_NO_IMPROVEMENT_12_weeks_exactly_two_thirds", h: twoThirds(), now: 84, want: []Code{ReferNoImprovement, Status12Weeks},
			check: func(t *testing.T, a map[Code]Advice) {
				r := a[ReferNoImprovement]
				want := map[string]float64{
					"sessionsDone12Weeks": 24, "sessionsPlanned12Weeks": 36,
					"legPainBaseline": 5, "legPainNow": 4, "backPainBaseline": 4, "backPainNow": 4,
					"firstSymptomsSecondsBaseline": 240, "firstSymptomsSecondsNow": 280,
				}
				if diff := cmp.Diff(want, r.Data); diff != "" {
					t.Errorf("data (-want +got):\n%s", diff)
				}
				if !strings.Contains(r.Text(i18n.Da), "manuel behandling, smertevejledning eller i sjældne tilfælde en operation") {
					t.Errorf("refer text %q", r.Text(i18n.Da))
				}
			},
		},
		{
			name: "REFER_NO_IMPROVEMENT_not_below_two_thirds",
			h:    with(twoThirds(), func(h *History) { h.Sessions = h.Sessions[2:] }), // drops days 0 and 2
			now:  84, want: []Code{Status12Weeks},
		},
		{name: "REFER_NO_IMPROVEMENT_not_before_day_84", h: twoThirds(), now: 83, want: nil},
		{
			name: "REFER_NO_IMPROVEMENT_not_when_leg_pain_2_points_better",
			h:    with(twoThirds(), func(h *History) { h.Entries = entries(71, 84, 3, 4) }),
			now:  84, want: []Code{Status12Weeks},
		},
		{
			name: "REFER_NO_IMPROVEMENT_not_when_walking_30_percent_longer",
			h:    with(twoThirds(), func(h *History) { h.Walks = walks(71, 84, 312, 600) }),
			now:  84, want: []Code{Status12Weeks},
		},
		{
			name: "REFER_NO_IMPROVEMENT_walking_29_percent_longer",
			h:    with(twoThirds(), func(h *History) { h.Walks = walks(71, 84, 309, 600) }),
			now:  84, want: []Code{ReferNoImprovement, Status12Weeks},
		},
		{
			name: "REFER_NO_IMPROVEMENT_not_without_recent_measures",
			h:    with(twoThirds(), func(h *History) { h.Entries, h.Walks = nil, nil }),
			now:  84, want: []Code{Status12Weeks, LogWalk},
		},

		// ADHERENCE_LOW
		{
			name: "ADHERENCE_LOW_1_of_3_in_a_completed_week",
			h:    with(history(), func(h *History) { h.Sessions = append(regular(13), sessionsOn(14, 20, 0)...) }),
			now:  21, want: []Code{AdherenceLow},
			check: func(t *testing.T, a map[Code]Advice) {
				l := a[AdherenceLow]
				if l.Data["week"] != 3 || l.Data["sessionsDoneLastWeek"] != 1 || l.Data["plannedPerWeek"] != 3 ||
					!strings.Contains(l.Text(i18n.Da), "I programmets uge 3 gennemførte du 1 af 3 planlagte træninger") {
					t.Errorf("adherence advice %+v", l)
				}
			},
		},
		{
			name: "ADHERENCE_LOW_first_week_1_of_3",
			h:    with(history(), func(h *History) { h.Sessions = sessionsOn(0, 6, 0) }),
			now:  7, want: []Code{AdherenceLow},
		},
		{
			name: "ADHERENCE_LOW_not_at_exactly_two_thirds",
			h:    with(history(), func(h *History) { h.Sessions = append(regular(13), sessionsOn(14, 20, 0, 2)...) }),
			now:  21, want: nil,
		},
		{
			name: "ADHERENCE_LOW_not_while_the_week_can_reach_two_thirds",
			h:    history(), now: 5, want: nil, // days 5 and 6 left: 2 sessions still possible
		},
		{
			name: "ADHERENCE_LOW_running_week_can_no_longer_reach_two_thirds",
			h:    history(), now: 6, want: []Code{AdherenceLow}, // 1 day left, 0 done, 2 needed
			check: func(t *testing.T, a map[Code]Advice) {
				if l := a[AdherenceLow]; l.Data["sessionsDoneThisWeek"] != 0 || l.Data["daysLeftThisWeek"] != 1 {
					t.Errorf("adherence advice %+v", l)
				}
			},
		},
		{
			name: "ADHERENCE_LOW_left_out_with_STOP_NEURO_SYMPTOMS",
			h:    with(history(), func(h *History) { h.Entries = []Entry{{At: day(20), Weakness: true}} }),
			now:  20, want: []Code{StopNeuroSymptoms, RestPosition},
		},

		// WORSENING_CONTACT
		{
			name: "WORSENING_CONTACT_leg_pain_up_2_over_two_weeks",
			h: with(history(), func(h *History) {
				h.Sessions = regular(50)
				h.Entries = append(entries(13, 36, 2, 3), entries(37, 50, 4, 3)...)
			}),
			now: 50, want: []Code{WorseningContact, LogWalk},
			check: func(t *testing.T, a map[Code]Advice) {
				w := a[WorseningContact]
				if w.Data["legPainBest"] != 2 || w.Data["legPainNow"] != 4 || !strings.Contains(w.Text(i18n.Da), "fra 2 i din bedste periode til 4") {
					t.Errorf("worsening advice %+v", w)
				}
			},
		},
		{
			name: "WORSENING_CONTACT_back_pain_above_baseline",
			h: with(history(), func(h *History) {
				h.Sessions = regular(40)
				h.Entries = entries(27, 40, 3, 6)
			}),
			now: 40, want: []Code{WorseningContact, LogWalk},
		},
		{
			name: "WORSENING_CONTACT_not_for_one_bad_week",
			h: with(history(), func(h *History) {
				h.Sessions = regular(40)
				h.Entries = append(entries(27, 33, 3, 3), entries(34, 40, 3, 7)...) // the fortnight's mean is 5, 1 above the baseline's 4 … but only this week
			}),
			now: 40, want: []Code{LogWalk},
		},
		{
			name: "WORSENING_CONTACT_walking_30_percent_shorter",
			h: with(history(), func(h *History) {
				h.Sessions = regular(50)
				h.Walks = append(walks(13, 36, 300, 600), walks(37, 50, 210, 600)...)
			}),
			now: 50, want: []Code{WorseningContact},
			check: func(t *testing.T, a map[Code]Advice) {
				if diff := cmp.Diff([]string{"firstSymptoms", "stop"}, a[WorseningContact].Items); diff != "" {
					t.Errorf("items (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "WORSENING_CONTACT_not_at_29_percent_shorter",
			h: with(history(), func(h *History) {
				h.Sessions = regular(50)
				h.Walks = append(walks(13, 36, 300, 600), walks(37, 50, 213, 600)...)
			}),
			now: 50, want: nil,
		},
		{
			name: "WORSENING_CONTACT_not_with_2_pain_days",
			h: with(history(), func(h *History) {
				h.Sessions = regular(40)
				h.Walks = walks(27, 40, 240, 600)
				h.Entries = entries(39, 40, 3, 7)
			}),
			now: 40, want: nil,
		},
		{
			name: "WORSENING_CONTACT_worse_than_best_still_better_than_baseline",
			h: with(history(), func(h *History) {
				// Leg pain 5 at the start, 2 for weeks, 3.5 for the last two weeks: still better than at the start.
				h.Sessions = regular(60)
				h.Walks = walks(13, 60, 260, 600)
				h.Entries = append(entries(13, 46, 2, 3), entries(47, 60, 4, 3)...)
			}),
			now: 60, want: []Code{WorseningContact},
			check: func(t *testing.T, a map[Code]Advice) {
				w := a[WorseningContact]
				if w.Data["legPainBest"] != 2 || w.Data["legPainBaseline"] != 5 || w.Data["legPainNow"] != 4 {
					t.Errorf("data %v", w.Data)
				}
			},
		},
		{
			name: "WORSENING_CONTACT_psfs_down_2",
			h: with(history(), func(h *History) {
				h.Sessions = regular(40)
				h.Walks = walks(27, 40, 240, 600)
				h.PSFS = []PSFS{
					{Date: day(0), Activities: []Activity{{"Gå til bageren", 5}, {"Stå og lave mad", 6}}},
					{Date: day(30), Activities: []Activity{{"Gå til bageren", 3}, {"Stå og lave mad", 4}}},
				}
			}),
			now: 40, want: []Code{WorseningContact},
			check: func(t *testing.T, a map[Code]Advice) {
				if diff := cmp.Diff([]string{"psfs"}, a[WorseningContact].Items); diff != "" {
					t.Errorf("items (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "WORSENING_CONTACT_holds_a_stable_week",
			h: with(stableAt(54), func(h *History) {
				h.Walks = append(walks(20, 40, 400, 900), walks(41, 54, 250, 900)...)
			}),
			now: 54, want: []Code{WorseningContact, HoldTarget},
			check: func(t *testing.T, a map[Code]Advice) {
				if h := a[HoldTarget]; !strings.Contains(h.Text(i18n.Da), "dine symptomer er blevet tydeligt værre") {
					t.Errorf("hold text %q", h.Text(i18n.Da))
				}
			},
		},

		// ONBOARDING_NEEDED
		{
			name: "ONBOARDING_NEEDED_new_account",
			h:    History{ProgrammeStart: start, PlannedPerWeek: 3, Targets: Targets{WalkMinutes: 5}},
			now:  3, want: []Code{OnboardingNeeded},
			check: func(t *testing.T, a map[Code]Advice) {
				if diff := cmp.Diff([]string{"red_flags", "baseline"}, a[OnboardingNeeded].Items); diff != "" {
					t.Errorf("items (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "ONBOARDING_NEEDED_screen_without_baseline",
			h:    with(history(), func(h *History) { h.Baseline, h.Targets = nil, Targets{WalkMinutes: 5} }),
			now:  10, want: []Code{OnboardingNeeded},
		},
		{
			name: "ONBOARDING_NEEDED_baseline_without_screen",
			h:    with(stable(), func(h *History) { h.RedFlagChecks = nil }),
			now:  40, want: []Code{OnboardingNeeded},
		},

		// STATUS_12_WEEKS
		{
			name: "STATUS_12_WEEKS_improver",
			h: with(history(), func(h *History) {
				h.Sessions = regular(86)
				h.Entries = entries(60, 86, 3, 2)
				h.Walks = walks(60, 86, 330, 700)
			}),
			now: 86, want: []Code{Status12Weeks},
			check: func(t *testing.T, a map[Code]Advice) {
				if diff := cmp.Diff([]string{"improved"}, a[Status12Weeks].Items); diff != "" {
					t.Errorf("outcome (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "STATUS_12_WEEKS_non_improver_with_referral",
			h:    with(twoThirds(), func(h *History) { h.Sessions = sessionsOn(0, 90, 0, 2) }),
			now:  90, want: []Code{ReferNoImprovement, Status12Weeks},
			check: func(t *testing.T, a map[Code]Advice) {
				if diff := cmp.Diff([]string{"not_improved"}, a[Status12Weeks].Items); diff != "" {
					t.Errorf("outcome (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "STATUS_12_WEEKS_not_day_91",
			h: with(twoThirds(), func(h *History) {
				h.Sessions, h.Entries, h.Walks = sessionsOn(0, 91, 0, 2), entries(71, 91, 4, 4), walks(71, 91, 280, 600)
			}),
			now: 91, want: []Code{ReferNoImprovement},
		},
		{
			name: "REFER_NO_IMPROVEMENT_leg_pain_one_third_lower_is_improvement",
			h: with(twoThirds(), func(h *History) {
				h.Baseline.LegPain = 6
				h.Entries = entries(71, 84, 4, 4) // 2 points and a third lower
			}),
			now: 84, want: []Code{Status12Weeks},
		},

		// LOG_WALK
		{
			name: "LOG_WALK_no_walks_at_4_weeks",
			h:    with(history(), func(h *History) { h.Sessions = regular(29) }),
			now:  29, want: []Code{Status4Weeks, LogWalk},
			check: func(t *testing.T, a map[Code]Advice) {
				if l := a[LogWalk]; l.Data["walksLast14Days"] != 0 || !strings.Contains(l.Text(i18n.Da), "ikke registreret nogen gåture") {
					t.Errorf("log walk advice %+v", l)
				}
			},
		},
		{
			name: "LOG_WALK_not_with_2_walks",
			h:    with(history(), func(h *History) { h.Sessions, h.Walks = regular(40), walks(39, 40, 240, 600) }),
			now:  40, want: nil,
		},
		{name: "LOG_WALK_not_before_day_28", h: with(history(), func(h *History) { h.Sessions = regular(27) }), now: 27, want: nil},

		// Invalid values are ignored one by one.
		{
			name: "invalid_values_ignored",
			h: with(stable(), func(h *History) {
				h.PlannedPerWeek = 99
				h.Entries = append(h.Entries, Entry{At: day(40), LegPain: 11, BackPain: -1, Weakness: true}, Entry{At: Day{raw: `"x"`}, Tingling: true})
			}),
			now: 40, want: []Code{StopNeuroSymptoms, RestPosition},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Advise(tt.h, at(tt.now))
			var codes []Code
			byCode := map[Code]Advice{}
			for _, a := range got {
				codes = append(codes, a.Code)
				byCode[a.Code] = a
			}
			if diff := cmp.Diff(tt.want, codes); diff != "" {
				t.Fatalf("codes (-want +got):\n%s", diff)
			}
			wellFormed(t, got)
			if tt.check != nil {
				tt.check(t, byCode)
			}
		})
	}
}

// wellFormed checks what every advice list must satisfy.
func wellFormed(t *testing.T, got []Advice) {
	t.Helper()
	if got == nil {
		t.Error("Advise returned nil, want an empty list")
	}
	seen := map[Code]bool{}
	for i, a := range got {
		if seen[a.Code] {
			t.Errorf("%s twice", a.Code)
		}
		seen[a.Code] = true
		if a.Source == "" || a.Text(i18n.Da) == "" || a.Text(i18n.En) == "" || a.Data == nil {
			t.Errorf("%s: empty source, text or data: %+v", a.Code, a)
		}
		if a.Severity.rank() > 3 || (a.Severity != Urgent && a.Severity != Warning && a.Severity != Info && a.Severity != Good) {
			t.Errorf("%s: severity %q", a.Code, a.Severity)
		}
		if i > 0 {
			p := got[i-1]
			if p.Severity.rank() > a.Severity.rank() || (p.Severity == a.Severity && slices.Index(Shown, p.Code) > slices.Index(Shown, a.Code)) {
				t.Errorf("not sorted: %s before %s", p.Code, a.Code)
			}
		}
	}
}

// TestAdviseClockPassedIn: the result depends on the clock given, never on
// the real time, and the same input gives the same output.
func TestAdviseClockPassedIn(t *testing.T) {
	h := with(history(), func(h *History) { h.Sessions, h.Walks = regular(40), walks(20, 40, 240, 600) })
	if got := Advise(h, at(30)); len(got) != 1 || got[0].Code != Status4Weeks {
		t.Errorf("day 30: %v, want STATUS_4_WEEKS", got)
	}
	if got := Advise(h, at(40)); len(got) != 0 {
		t.Errorf("day 40: %v, want nothing", got)
	}
	if diff := cmp.Diff(Advise(h, at(30)), Advise(h, at(30))); diff != "" {
		t.Errorf("two calls differ:\n%s", diff)
	}
	// The day is now's date in now's own location.
	cph := time.FixedZone("CEST", 2*3600)
	late := time.Date(2025, 8, 3, 23, 30, 0, 0, cph) // day 27 local
	if got := Advise(h, late); len(got) != 0 {
		t.Errorf("day 27 23:30 local: %v, want nothing", got)
	}
	early := time.Date(2025, 8, 4, 0, 30, 0, 0, cph) // day 28 local, day 27 in UTC
	if got := Advise(h, early); len(got) != 1 || got[0].Code != Status4Weeks {
		t.Errorf("day 28 00:30 local: %v, want STATUS_4_WEEKS", got)
	}
}

func TestDay(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{`"2025-07-07"`, "2025-07-07", true},
		{`"2025-07-07T23:30:00+02:00"`, "2025-07-07", true},
		{`"2025-07-07T23:30:00-02:00"`, "2025-07-07", true},
		{`"1969-12-31"`, "1969-12-31", true},
		{`"2025-02-31"`, `"2025-02-31"`, false},
		{`"07-07-2025"`, `"07-07-2025"`, false},
		{`""`, `""`, false},
		{`17`, `17`, false},
		{`null`, ``, false},
	}
	for _, tt := range tests {
		var d Day
		if err := json.Unmarshal([]byte(tt.in), &d); err != nil {
			t.Fatalf("%s: %v", tt.in, err)
		}
		if d.String() != tt.want || d.Valid() != tt.ok {
			t.Errorf("%s: got %q valid %v, want %q valid %v", tt.in, d.String(), d.Valid(), tt.want, tt.ok)
		}
	}
	if a, b := ParseDay("2025-07-07"), ParseDay("2025-08-04"); b.n-a.n != 28 {
		t.Errorf("2025-07-07 to 2025-08-04 = %d days, want 28", b.n-a.n)
	}
}

func TestCheck(t *testing.T) {
	const doc = `{
	  "programmeStart": "2025-07-07", "plannedPerWeek": 0,
	  "baseline": {"date": "2025-07-07", "spwt": {"firstSymptomsSeconds": 500, "stopSeconds": 420}, "legPain": 6, "backPain": 12},
	  "targets": {"walkMinutes": 10, "reps": {"kattestraek": 0, "rygbro": 5}},
	  "entries": [
	    {"at": "2025-07-08", "legPain": 3, "backPain": 2},
	    {"at": "2025-07-10", "legPain": 3, "backPain": 2, "note": "a\u0000b"},
	    {"at": "2025-07-09", "legPain": 3, "backPain": 2, "note": "\ud800"},
	    {"at": "2025-07-11T08:00:00+02:00", "legPain": 11, "backPain": 2},
	    {"legPain": 1, "backPain": 1},
	    {"at": "2025-07-06", "legPain": 1, "backPain": 1},
	    {"at": "2026-07-06", "legPain": 1, "backPain": 1},
	    {"at": "2025-07-22", "legPain": 1, "backPain": 1}
	  ],
	  "sessions": [{"date": "2025-07-08", "programme": "pilates", "completedSteps": 5, "symptoms": ["numb"], "exercises": [{"slug": "rygbro", "posture": "backwards"}],
	                "startedAt": "2025-07-08T10:00:00Z", "endedAt": "2025-07-09T10:00:01Z"}],
	  "walks": [{"date": "8/7/2025", "bouts": [{"walkSeconds": 300, "firstSymptomsSeconds": 400}]}, {"date": "2025-07-09", "bouts": []},
	            {"date": "2025-07-09", "startedAt": "2025-07-09T10:00:00Z", "endedAt": "2025-07-09T10:15:00Z", "bouts": [{"walkSeconds": 14400, "pauseSeconds": 0}]}],
	  "redFlagChecks": [{"date": "2025-07-07", "answers": {"bladders": true}}],
	  "psfs": [{"date": "2025-07-07", "activities": [{"name": "Gå", "score": 11}, {"name": "gå ", "score": 3}]}, {"date": "2025-07-08", "activities": []}]
	}`
	var h History
	if err := json.Unmarshal([]byte(doc), &h); err != nil {
		t.Fatal(err)
	}
	known := func(s string) bool { return s == "kattestraek" || s == "5-bedste-oevelser" }
	var got []string
	for _, p := range h.Check(Check{Now: at(14), Programme: known, Exercise: known}) {
		s := p.Error()
		if p.LeftOut {
			s = "(left out) " + s
		}
		got = append(got, s)
	}
	want := []string{
		"plannedPerWeek: 0 is out of range 1–14",
		"baseline.spwt.firstSymptomsSeconds: 500 is after stopSeconds 420",
		"baseline.backPain: 12 is out of range 0–10",
		"targets.reps.kattestraek: 0 is out of range 1–100",
		`targets.reps.rygbro: "rygbro" is not a known exercise`,
		"entries[1].note: contains a control character (U+0000)",
		"entries[2].note: is not valid UTF-8",
		"entries[3].legPain: 11 is out of range 0–10",
		"entries[4].at: missing",
		"entries[5].at: 2025-07-06 is before the records begin (2025-07-07)",
		"entries[6].at: 2026-07-06 is after now (2025-07-21)",
		"(left out) entries[7].at: 2025-07-22 is tomorrow (today is 2025-07-21): left out of the advice",
		"entries[2]: 2025-07-09 comes before entries[1] (2025-07-10): the list must be in date order",
		"sessions[0].endedAt: is more than 24 hours after startedAt",
		`sessions[0].programme: "pilates" is not a known programme`,
		`sessions[0].symptoms[0]: "numb" is not one of tingling, burning, weakness`,
		`sessions[0].exercises[0].posture: "backwards" is not one of flexion, neutral, extension`,
		`walks[0].date: "8/7/2025" is not a date (YYYY-MM-DD, or an RFC 3339 time)`,
		"walks[0].bouts[0].firstSymptomsSeconds: 400 is out of range 0–walkSeconds (300)",
		"walks[1].bouts: a walk needs at least one bout",
		"walks[2].bouts: 14400 seconds of walking and pauses do not fit in the walk's 900 seconds (startedAt–endedAt)",
		`redFlagChecks[0].answers.bladders: "bladders" is not a known red flag`,
		"psfs[0].activities[0].score: 11 is out of range 0–10",
		`psfs[0].activities[1].name: "gå " is named twice`,
		"psfs[1].activities: name at least one activity",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Check (-want +got):\n%s", diff)
	}
	if ps := (History{ProgrammeStart: start, PlannedPerWeek: 3}).Check(Check{Now: at(1)}); ps != nil {
		t.Errorf("a minimal history: %v", ps)
	}
	if ps := (History{}).Check(Check{Now: at(1)}); len(ps) != 2 {
		t.Errorf("the empty history: %v, want programmeStart and plannedPerWeek", ps)
	}
	// Every message is in the catalogue, in Danish and in English.
	for _, p := range h.Check(Check{Now: at(14)}) {
		da, en := p.Text(i18n.Da), p.Text(i18n.En)
		if !i18n.Has(i18n.Da, p.Says.Key) || da == "" || da == en && p.Code != ProblemUnknown || strings.Contains(da+en, "%!") {
			t.Errorf("%s: %s: Danish %q, English %q", p.Path, p.Says.Key, da, en)
		}
	}
}

// TestDocsNameEveryCode keeps docs/rules.md in step with the codes and the
// tests: every code is documented, and every test name the document gives
// exists in this file.
func TestDocsNameEveryCode(t *testing.T) {
	doc, err := os.ReadFile("../../docs/rules.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("rules_test.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range Codes {
		if !strings.Contains(string(doc), "### "+string(c)) {
			t.Errorf("docs/rules.md has no section ### %s", c)
		}
		if !strings.Contains(string(doc), "TestAdvise/"+string(c)) {
			t.Errorf("docs/rules.md names no test TestAdvise/%s…", c)
		}
	}
	names := regexp.MustCompile("TestAdvise/([A-Za-z0-9_]+)").FindAllStringSubmatch(string(doc), -1)
	// In a code's section, `…_suffix` stands for TestAdvise/CODE_suffix.
	for _, sec := range strings.Split(string(doc), "\n### ")[1:] {
		code, _, _ := strings.Cut(sec, "\n")
		for _, m := range regexp.MustCompile("`…(_[A-Za-z0-9_]+)`").FindAllStringSubmatch(sec, -1) {
			names = append(names, []string{"", strings.TrimSpace(code) + m[1]})
		}
	}
	for _, m := range names {
		if !strings.Contains(string(src), `"`+m[1]+`"`) {
			t.Errorf("docs/rules.md names TestAdvise/%s, which does not exist", m[1])
		}
	}
	if len(names) < 50 {
		t.Errorf("found %d test names in docs/rules.md, want every case", len(names))
	}
}

// TestPhraseUnits: a walking time of exactly 1 minute takes the singular.
func TestPhraseUnits(t *testing.T) {
	for _, tc := range []struct {
		m        measure
		from, to float64 // seconds for walking times
		da, en   string
	}{
		{mFirst, 180, 60, "fra 3 til 1 minut", "from 3 to 1 minute"},
		{mStop, 60, 90, "fra 1 til 1,5 minutter", "from 1 to 1.5 minutes"},
		{mFirst, 240, 120, "fra 4 til 2 minutter", "from 4 to 2 minutes"},
		{mLeg, 3, 1, "fra 3 til 1 på skalaen 0–10", "from 3 to 1 on the 0–10 scale"},
	} {
		p := tc.m.phrase(worse, tc.from, tc.to, "")
		da, en := p.Text(i18n.Da), p.Text(i18n.En)
		if !strings.HasSuffix(da, tc.da) || !strings.HasSuffix(en, tc.en) {
			t.Errorf("phrase(%v, %v, %v) = %q, %q; want … %q, … %q", tc.m, tc.from, tc.to, da, en, tc.da, tc.en)
		}
	}
}

// TestShownOrder: every code has its place in the order advice is shown,
// and within a severity the order is a physiotherapist's — whom to call,
// then what to book, then how to train.
func TestShownOrder(t *testing.T) {
	if len(Shown) != len(Codes) {
		t.Fatalf("Shown has %d codes, Codes %d", len(Shown), len(Codes))
	}
	for _, c := range Codes {
		if !slices.Contains(Shown, c) {
			t.Errorf("%s has no place in Shown", c)
		}
	}
	before := [][2]Code{
		{ReferNoImprovement, AdherenceLow}, {Status4Weeks, AdherenceLow}, {Status12Weeks, LogWalk},
		{StopNeuroSymptoms, AvoidExtension}, {WorseningContact, TargetDown}, {RestPosition, HoldTarget},
	}
	for _, b := range before {
		as := []Advice{{Code: b[1], Severity: Info}, {Code: b[0], Severity: Info}}
		sortAdvice(as)
		if as[0].Code != b[0] {
			t.Errorf("%s is shown before %s", b[1], b[0])
		}
	}
}
