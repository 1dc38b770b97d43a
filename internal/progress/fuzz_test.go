package progress

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/rules"
)

// FuzzCompute decodes arbitrary JSON into a rules.History (as `stenose
// advise` would) and computes and renders the progress page for any day
// and span: nothing may panic, every series has its length, no value is NaN
// or infinite, and every chart and table is well-formed XML.
//
//	go test ./internal/progress -run X -fuzz FuzzCompute -fuzztime 30s
func FuzzCompute(f *testing.F) {
	f.Add([]byte(`{}`), int64(0), 12)
	f.Add([]byte(`{"programmeStart":"2025-07-07","plannedPerWeek":3,
		"baseline":{"date":"2025-07-07","spwt":{"firstSymptomsSeconds":240,"stopSeconds":420},"legPain":5,"backPain":4},
		"entries":[{"at":"2025-08-16T21:30:00+02:00","legPain":3,"backPain":2},{"at":"2025-08-10","legPain":7,"backPain":11}],
		"sessions":[{"date":"2025-08-15","completedSteps":5},{"date":"2025-08-11","completedSteps":0}],
		"walks":[{"date":"2025-08-16","bouts":[{"walkSeconds":300,"pauseSeconds":60,"firstSymptomsSeconds":200}]},
		         {"date":"2025-07-16","bouts":[{"walkSeconds":200,"pauseSeconds":60,"firstSymptomsSeconds":20},{"walkSeconds":-1}]}]}`), int64(1755345600), 4)
	f.Add([]byte(`{"programmeStart":"0000-01-01","walks":[{"date":"9999-12-31","bouts":[]}],"entries":[{"at":17,"legPain":-2147483648}],
		"baseline":{"date":"0001-01-01","spwt":{"firstSymptomsSeconds":1,"stopSeconds":1}}}`), int64(-62135596800), -1)
	f.Fuzz(func(t *testing.T, data []byte, unix int64, weeks int) {
		var h rules.History
		if err := json.Unmarshal(data, &h); err != nil {
			return
		}
		const lo, hi = -62135596800, 253402300799 // years 1 to 9999
		if unix < lo || unix > hi {
			unix = lo + (unix%(hi-lo)+(hi-lo))%(hi-lo)
		}
		weeks %= 2 * MaxWeeks
		r := Compute(h, time.Unix(unix, 0).In(time.FixedZone("", int(unix%50400))), weeks)
		for m := range NumMeasures {
			if n := len(r.Days[m].Points); n != 7*r.Weeks {
				t.Fatalf("%v: %d days for %d weeks", m, n, r.Weeks)
			}
			if n := len(r.AllWeeks[m].Points); n < r.Weeks || n > MaxSpanWeeks {
				t.Fatalf("%v: %d weeks for %d", m, n, r.Weeks)
			}
		}
		for _, set := range []Set{r.Days, r.AllWeeks} {
			for _, s := range set {
				for _, p := range s.Points {
					if math.IsNaN(p.Value) || math.IsInf(p.Value, 0) || p.Value < 0 || p.N < 0 {
						t.Fatalf("%v/%v: bad point %+v", s.Measure, s.Period, p)
					}
				}
			}
		}
		recent := r.RecentWeeks()
		for _, s := range append(r.Days[:], recent[:]...) {
			for _, out := range []string{string(Chart(s, Options{})), string(Table(s, Options{Lang: "en"}))} {
				d := xml.NewDecoder(strings.NewReader(out))
				for {
					_, err := d.Token()
					if errors.Is(err, io.EOF) {
						break
					}
					if err != nil {
						t.Fatalf("not XML: %v", err)
					}
				}
			}
		}
		// The programme views: from From's period to today's, at most as
		// asked, each chart and table well-formed.
		todayDay := dayOf(r.Today)
		for _, v := range []struct {
			set  Set
			most int
		}{{r.ProgrammeWeeks(12), 12}, {r.ProgrammeDays(28), 28}, {r.ProgrammeWeeks(0), MaxSpanWeeks}} {
			for _, s := range v.set {
				n := len(s.Points)
				if n == 0 || n > v.most || dayOf(s.Points[n-1].Start) > todayDay || dayOf(s.Points[n-1].Start) < todayDay-6 {
					t.Fatalf("%v/%v: %d points, the last %v, today %v", s.Measure, s.Period, n, s.Points[n-1].Start, r.Today)
				}
				if s.Start.OK && (math.IsNaN(s.Start.Value) || math.IsInf(s.Start.Value, 0) || s.Start.Value < 0) {
					t.Fatalf("%v: bad start %+v", s.Measure, s.Start)
				}
				for _, out := range []string{string(Chart(s, Options{})), string(Table(s, Options{Lang: "en"}))} {
					d := xml.NewDecoder(strings.NewReader(out))
					for {
						_, err := d.Token()
						if errors.Is(err, io.EOF) {
							break
						}
						if err != nil {
							t.Fatalf("not XML: %v", err)
						}
					}
				}
			}
		}
		if len(r.Sentences("da")) == 0 || len(r.Sentences("en")) == 0 {
			t.Fatalf("no sentences")
		}
	})
}
