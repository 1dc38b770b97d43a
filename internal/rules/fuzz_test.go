package rules

import (
	"encoding/json"
	"github.com/stenose/stenose/internal/i18n"
	"strings"
	"testing"
	"time"
)

// FuzzAdviseJSON decodes arbitrary JSON into a History and runs Check
// and Advise on it: neither may panic, and the advice must be well formed
// whatever the input (Advise ignores what Check refuses).
//
//	go test ./internal/rules -run X -fuzz FuzzAdviseJSON -fuzztime 30s
func FuzzAdviseJSON(f *testing.F) {
	// The documented example (30 KB) is left out on purpose: the fuzzer
	// spends its time minimising mutations of so large an input.
	f.Add([]byte(`{}`), int64(0))
	f.Add([]byte(`{"programmeStart":"2025-07-07","plannedPerWeek":3,"targets":{"since":"2025-07-20","walkMinutes":10,"reps":{"kattestraek":8}},
		"baseline":{"date":"2025-07-07","spwt":{"firstSymptomsSeconds":240,"stopSeconds":420},"legPain":5,"backPain":4},
		"entries":[{"at":"2025-08-16T21:30:00+02:00","legPain":3,"backPain":2,"tingling":true}],
		"sessions":[{"date":"2025-08-15","completedSteps":5,"symptoms":["burning"],"exercises":[{"slug":"rygbro","posture":"extension"}]}],
		"walks":[{"date":"2025-08-16","bouts":[{"walkSeconds":300,"pauseSeconds":60,"firstSymptomsSeconds":200}]}],
		"redFlagChecks":[{"date":"2025-08-10","answers":{"fever":true,"bladder_bowel":true},"examinedSince":"2025-08-11"}]}`), int64(1755345600))
	f.Add([]byte(`{"programmeStart":"0000-01-01","plannedPerWeek":9223372036854775807,"targets":{"walkMinutes":-5,"reps":{"":99999}},
		"walks":[{"date":"9999-12-31","bouts":[]}],"entries":[{"at":17,"legPain":-2147483648}]}`), int64(-62135596800))
	f.Fuzz(func(t *testing.T, data []byte, unix int64) {
		var h History
		if err := json.Unmarshal(data, &h); err != nil {
			return
		}
		// Any instant from year 1 to 9999.
		const lo, hi = -62135596800, 253402300799
		if unix < lo || unix > hi {
			unix = lo + (unix%(hi-lo)+(hi-lo))%(hi-lo)
		}
		now := time.Unix(unix, 0).UTC()
		for _, p := range h.Check(Check{Now: now}) {
			if p.Path == "" || !i18n.Has(i18n.Da, p.Says.Key) || strings.Contains(p.Text(i18n.Da)+p.Text(i18n.En), "%!") || p.Code == "" {
				t.Fatalf("malformed problem %+v", p)
			}
		}
		got := Advise(h, now)
		wellFormed(t, got)
		if _, err := json.Marshal(got); err != nil {
			t.Fatalf("advice does not marshal: %v", err)
		}
	})
}
