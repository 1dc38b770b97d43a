package progress

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stenose/stenose/internal/rules"
)

// data puts walks (seconds to first symptoms, one walk each) and diary
// entries (leg and back pain pairs) into the "now" window (the 14 days to
// 2026-11-25) and the "4 weeks ago" window (the 14 days to 2026-10-28).
type data struct {
	agoWalks, nowWalks []int
	agoPain, nowPain   [][2]int
	baseline           *rules.Baseline
}

func (d data) history() rules.History {
	h := rules.History{ProgrammeStart: day("2026-09-01"), PlannedPerWeek: 3, Baseline: d.baseline}
	nowEnd, agoEnd := day("2026-11-25"), day("2026-10-28")
	for i, s := range d.agoWalks {
		h.Walks = append(h.Walks, rules.Walk{Date: agoEnd.AddDays(-i), Bouts: []rules.Bout{bout(1800, s), bout(300, 0)}})
	}
	for i, s := range d.nowWalks {
		h.Walks = append(h.Walks, rules.Walk{Date: nowEnd.AddDays(-i), Bouts: []rules.Bout{bout(1800, s)}})
	}
	for i, p := range d.agoPain {
		h.Entries = append(h.Entries, rules.Entry{At: agoEnd.AddDays(-i), LegPain: p[0], BackPain: p[1]})
	}
	for i, p := range d.nowPain {
		h.Entries = append(h.Entries, rules.Entry{At: nowEnd.AddDays(-i), LegPain: p[0], BackPain: p[1]})
	}
	// Just outside the windows: never counted.
	h.Walks = append(h.Walks, rules.Walk{Date: day("2026-11-11"), Bouts: []rules.Bout{bout(30, 1)}},
		rules.Walk{Date: day("2026-10-29"), Bouts: []rules.Bout{bout(30, 1)}}, rules.Walk{Date: day("2026-10-14"), Bouts: []rules.Bout{bout(30, 1)}})
	h.Entries = append(h.Entries, rules.Entry{At: day("2026-11-11"), LegPain: 10, BackPain: 10},
		rules.Entry{At: day("2026-10-29"), LegPain: 10, BackPain: 10}, rules.Entry{At: day("2026-10-14"), LegPain: 10, BackPain: 10})
	return h
}

func pain(n, leg, back int) [][2]int {
	out := make([][2]int, n)
	for i := range out {
		out[i] = [2]int{leg, back}
	}
	return out
}

func TestSentences(t *testing.T) {
	base := &rules.Baseline{Date: day("2026-09-01"), SPWT: rules.SPWT{FirstSymptomsSeconds: 200, StopSeconds: 400}, LegPain: 7, BackPain: 3}
	tests := []struct {
		name   string
		d      data
		da, en []string
	}{{
		name: "walking 40 % longer: meaningful",
		d:    data{agoWalks: []int{300, 200, 300}, nowWalks: []int{420, 400, 500}},
		da:   []string{"Du går nu 40\u00a0% længere, før symptomerne kommer, end for 4 uger siden."},
		en:   []string{"You now walk 40% longer before the symptoms start than 4 weeks ago."},
	}, {
		name: "walking exactly 30 % longer is meaningful",
		d:    data{agoWalks: []int{300, 300}, nowWalks: []int{390, 390}},
		da:   []string{"Du går nu 30\u00a0% længere, før symptomerne kommer, end for 4 uger siden."},
		en:   []string{"You now walk 30% longer before the symptoms start than 4 weeks ago."},
	}, {
		name: "walking 29.7 % longer is about the same",
		d:    data{agoWalks: []int{300, 300}, nowWalks: []int{389, 389}},
		da:   []string{"Du går omtrent lige så langt, før symptomerne kommer, som for 4 uger siden."},
		en:   []string{"You walk about as long before the symptoms start as 4 weeks ago."},
	}, {
		name: "walking 35 % shorter",
		d:    data{agoWalks: []int{600, 600, 600}, nowWalks: []int{390, 390}},
		da:   []string{"Du går nu 35\u00a0% kortere, før symptomerne kommer, end for 4 uger siden."},
		en:   []string{"The time you walk before the symptoms start is now 35% shorter than 4 weeks ago."},
	}, {
		name: "one walk in a window is too little",
		d:    data{agoWalks: []int{300}, nowWalks: []int{600, 600}},
		da:   []string{"Der er endnu for få målinger til at vise en udvikling."},
		en:   []string{"There are not yet enough measurements to show a change."},
	}, {
		name: "leg pain from 6 to 4: meaningful; back pain the same",
		d:    data{agoPain: pain(5, 6, 3), nowPain: pain(4, 4, 2)},
		da: []string{
			"Smerterne i benene er faldet fra 6 til 4 de sidste 4 uger.",
			"Smerterne i ryggen er omtrent de samme som for 4 uger siden (2 på skalaen 0–10).",
		},
		en: []string{
			"The pain in your legs has fallen from 6 to 4 over the last 4 weeks.",
			"The pain in your back is about the same as 4 weeks ago (2 on the 0–10 scale).",
		},
	}, {
		name: "a fall of 1.9 points is not meaningful; a rise of 2 is",
		d:    data{agoPain: [][2]int{{6, 1}, {6, 1}, {6, 1}, {6, 1}, {6, 1}}, nowPain: [][2]int{{4, 3}, {4, 3}, {4, 3}, {4, 3}, {4, 3}, {4, 3}, {4, 3}, {4, 3}, {5, 3}, {4, 3}}},
		da: []string{
			"Smerterne i benene er omtrent de samme som for 4 uger siden (4,1 på skalaen 0–10).",
			"Smerterne i ryggen er steget fra 1 til 3 de sidste 4 uger.",
		},
		en: []string{
			"The pain in your legs is about the same as 4 weeks ago (4.1 on the 0–10 scale).",
			"The pain in your back has risen from 1 to 3 over the last 4 weeks.",
		},
	}, {
		name: "3 diary entries are too few",
		d:    data{agoPain: pain(10, 8, 8), nowPain: pain(3, 1, 1)},
		da:   []string{"Der er endnu for få målinger til at vise en udvikling."},
		en:   []string{"There are not yet enough measurements to show a change."},
	}, {
		name: "nothing at all",
		da:   []string{"Der er endnu for få målinger til at vise en udvikling."},
		en:   []string{"There are not yet enough measurements to show a change."},
	}, {
		name: "against the baseline when 4 weeks ago has no data",
		d:    data{nowWalks: []int{300, 300, 280}, nowPain: pain(4, 4, 2), baseline: base},
		da: []string{
			"Du går nu 50\u00a0% længere, før symptomerne kommer, end da du startede.",
			"Smerterne i benene er faldet fra 7 til 4, siden du startede.",
			"Smerterne i ryggen er omtrent de samme som da du startede (2 på skalaen 0–10).",
		},
		en: []string{
			"You now walk 50% longer before the symptoms start than when you started.",
			"The pain in your legs has fallen from 7 to 4 since you started.",
			"The pain in your back is about the same as when you started (2 on the 0–10 scale).",
		},
	}, {
		name: "both references, walking first",
		d:    data{agoWalks: []int{250, 250}, nowWalks: []int{300, 300}, agoPain: pain(4, 5, 3), nowPain: pain(4, 4, 3), baseline: base},
		da: []string{
			"Du går nu 50\u00a0% længere, før symptomerne kommer, end da du startede, og omtrent lige så langt som for 4 uger siden.",
			"Smerterne i benene er faldet fra 7 til 4, siden du startede, og er omtrent de samme som for 4 uger siden.",
			"Smerterne i ryggen er omtrent de samme som da du startede og for 4 uger siden (3 på skalaen 0–10).",
		},
		en: []string{
			"You now walk 50% longer before the symptoms start than when you started, and about as long as 4 weeks ago.",
			"The pain in your legs has fallen from 7 to 4 since you started, and is about the same as 4 weeks ago.",
			"The pain in your back is about the same as when you started and 4 weeks ago (3 on the 0–10 scale).",
		},
	}, {
		name: "both references moved the same way",
		d:    data{agoWalks: []int{200, 200}, nowWalks: []int{300, 300}, agoPain: pain(4, 6, 5), nowPain: pain(4, 4, 3), baseline: base},
		da: []string{
			"Du går nu 50\u00a0% længere, før symptomerne kommer, end da du startede, og 50\u00a0% længere end for 4 uger siden.",
			"Smerterne i benene er faldet fra 7 til 4, siden du startede, og fra 6 til 4 de sidste 4 uger.",
			"Smerterne i ryggen er omtrent de samme som da du startede, og er faldet fra 5 til 3 de sidste 4 uger.",
		},
		en: []string{
			"You now walk 50% longer before the symptoms start than when you started, and 50% longer than 4 weeks ago.",
			"The pain in your legs has fallen from 7 to 4 since you started, and from 6 to 4 over the last 4 weeks.",
			"The pain in your back is about the same as when you started, and has fallen from 5 to 3 over the last 4 weeks.",
		},
	}, {
		name: "both references moved opposite ways",
		d:    data{agoWalks: []int{600, 600}, nowWalks: []int{300, 300}, agoPain: pain(4, 3, 1), nowPain: pain(4, 5, 3), baseline: base},
		da: []string{
			"Du går nu 50\u00a0% længere, før symptomerne kommer, end da du startede, men 50\u00a0% kortere end for 4 uger siden.",
			"Smerterne i benene er faldet fra 7 til 5, siden du startede, men steget fra 3 til 5 de sidste 4 uger.",
			"Smerterne i ryggen er omtrent de samme som da du startede, og er steget fra 1 til 3 de sidste 4 uger.",
		},
		en: []string{
			"The time you walk before the symptoms start is now 50% longer than when you started, but 50% shorter than 4 weeks ago.",
			"The pain in your legs has fallen from 7 to 5 since you started, but risen from 3 to 5 over the last 4 weeks.",
			"The pain in your back is about the same as when you started, and has risen from 1 to 3 over the last 4 weeks.",
		},
	}, {
		name: "a baseline without symptoms in the SPWT is not compared; an invalid baseline not at all",
		d: data{nowWalks: []int{300, 300}, nowPain: pain(4, 4, 2),
			baseline: &rules.Baseline{Date: day("2026-09-01"), SPWT: rules.SPWT{StopSeconds: 400}, LegPain: 11, BackPain: 3}},
		da: []string{"Der er endnu for få målinger til at vise en udvikling."},
	}, {
		name: "a baseline after today is ignored",
		d: data{nowWalks: []int{300, 300},
			baseline: &rules.Baseline{Date: day("2026-12-01"), SPWT: rules.SPWT{FirstSymptomsSeconds: 100, StopSeconds: 400}}},
		da: []string{"Der er endnu for få målinger til at vise en udvikling."},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Compute(tc.d.history(), now, 12)
			if diff := cmp.Diff(tc.da, r.Sentences("da")); diff != "" {
				t.Errorf("Danish (-want +got):\n%s", diff)
			}
			if tc.en != nil {
				if diff := cmp.Diff(tc.en, r.Sentences("en")); diff != "" {
					t.Errorf("English (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestChanges(t *testing.T) {
	r := Compute(data{agoWalks: []int{300, 200, 300}, nowWalks: []int{420, 400, 500}, agoPain: pain(5, 6, 3), nowPain: pain(4, 4, 2)}.history(), now, 12)
	want := []Change{
		{Measure: FirstSymptoms, Ref: FourWeeksAgo, Then: 5, Now: 7, Percent: 40, Direction: Up},
		{Measure: LegPain, Ref: FourWeeksAgo, Then: 6, Now: 4, Direction: Down},
		{Measure: BackPain, Ref: FourWeeksAgo, Then: 3, Now: 2, Direction: Same},
	}
	if diff := cmp.Diff(want, r.Changes); diff != "" {
		t.Errorf("Changes (-want +got):\n%s", diff)
	}
}

// TestBaselineSentences: with too little data for a change, the page says
// where the patient started, in minutes and seconds, before the sentence
// that there is too little data yet.
func TestBaselineSentences(t *testing.T) {
	const few, fewEn = "Der er endnu for få målinger til at vise en udvikling.", "There are not yet enough measurements to show a change."
	b := func(first, stop, leg, back int) *rules.Baseline {
		return &rules.Baseline{Date: day("2026-11-25"), SPWT: rules.SPWT{FirstSymptomsSeconds: first, StopSeconds: stop}, LegPain: leg, BackPain: back}
	}
	tests := []struct {
		name   string
		h      rules.History
		da, en []string
	}{{
		name: "day 0",
		h:    rulesDay0(),
		da: []string{
			"Dit udgangspunkt: symptomerne kom efter 3 min 15 s, og du måtte stoppe efter 6 min 30 s.",
			"Ved start var smerterne i benene 5 og i ryggen 4 på en skala fra 0 til 10.",
			few,
		},
		en: []string{
			"Your starting point: the symptoms came after 3 min 15 s, and you had to stop after 6 min 30 s.",
			"At the start, the pain in your legs was 5 and in your back 4 on a scale from 0 to 10.",
			fewEn,
		},
	}, {
		name: "whole minutes and seconds alone",
		h:    rules.History{ProgrammeStart: day("2026-11-25"), Baseline: b(45, 360, 0, 10)},
		da: []string{
			"Dit udgangspunkt: symptomerne kom efter 45 s, og du måtte stoppe efter 6 min.",
			"Ved start var smerterne i benene 0 og i ryggen 10 på en skala fra 0 til 10.",
			few,
		},
	}, {
		name: "no symptoms before the stop (the test's length, as the app stores it)",
		h:    rules.History{ProgrammeStart: day("2026-11-25"), Baseline: b(1800, 1800, 1, 2)},
		da: []string{
			"Dit udgangspunkt: i gangtesten gik du i 30 min.",
			"Ved start var smerterne i benene 1 og i ryggen 2 på en skala fra 0 til 10.",
			few,
		},
		en: []string{
			"Your starting point: in the walking test you walked for 30 min.",
			"At the start, the pain in your legs was 1 and in your back 2 on a scale from 0 to 10.",
			fewEn,
		},
	}, {
		name: "no symptoms, written as 0",
		h:    rules.History{ProgrammeStart: day("2026-11-25"), Baseline: b(0, 754, 1, 2)},
		da:   []string{"Dit udgangspunkt: i gangtesten gik du i 12 min 34 s.", "Ved start var smerterne i benene 1 og i ryggen 2 på en skala fra 0 til 10.", few},
	}, {
		name: "a baseline the rules refuse says nothing",
		h:    rules.History{ProgrammeStart: day("2026-11-25"), Baseline: b(10, 0, 1, 2)},
		da:   []string{few},
	}, {
		name: "the PSFS sentence instead of too little data",
		h: func() rules.History {
			h := rulesDay0()
			h.PSFS = []rules.PSFS{
				{Date: day("2026-11-20"), Activities: []rules.Activity{{Name: "gå", Score: 3}}},
				{Date: day("2026-11-25"), Activities: []rules.Activity{{Name: "gå", Score: 6}}},
			}
			return h
		}(),
		da: []string{
			"Dit udgangspunkt: symptomerne kom efter 3 min 15 s, og du måtte stoppe efter 6 min 30 s.",
			"Ved start var smerterne i benene 5 og i ryggen 4 på en skala fra 0 til 10.",
			"Dine egne aktiviteter: fra 3 til 6 (af 10), siden du startede. De er blevet tydeligt lettere.",
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Compute(tc.h, now, 12)
			if diff := cmp.Diff(tc.da, r.Sentences("da")); diff != "" {
				t.Errorf("Danish (-want +got):\n%s", diff)
			}
			if tc.en != nil {
				if diff := cmp.Diff(tc.en, r.Sentences("en")); diff != "" {
					t.Errorf("English (-want +got):\n%s", diff)
				}
			}
		})
	}
}
