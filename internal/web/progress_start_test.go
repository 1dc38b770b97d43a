package web

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/store"
)

// TestProgressDayZero: a patient who has just done the onboarding (red
// flags, the walking test into the baseline, the own activities) sees, on
// the same day, the baseline as the Start point of the walking and pain
// charts and their tables, this week only (no weeks before the programme
// began), and where they started in words — never "ingen data".
func TestProgressDayZero(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		e := newEnv(t, st, nil)
		c := e.signUp("ny-patient")
		want(t, "red flags", c.post("/start/roede-flag", allNo()...), 303, "/start")
		want(t, "baseline", c.post("/start/udgangspunkt", "first", "3:15", "stop", "6:30", "leg", "5", "back", "4"), 303, "/start")
		want(t, "activities", c.post(psfsStartPath, psfsForm("Gå til bageren", "3")...), 303, "/start")
		want(t, "onboarded", c.get("/start"), 303, "/i-dag")

		today := e.app.care.Now()
		year, week := today.ISOWeek()
		for _, tc := range []struct {
			lang            string
			query           string
			start, thisWeek string
			sentences       []string
			values          []string // the Start rows of the first-symptoms, walk-days, walk-weeks, leg and back tables
			noData, notYet  string
		}{{
			lang:     "da",
			start:    "Start (" + strconv.Itoa(today.Day()) + ".\u00a0" + monthsShort[i18n.Da][today.Month()-1] + "\u00a0" + strconv.Itoa(today.Year()) + ")",
			thisWeek: "uge " + strconv.Itoa(week) + ", " + strconv.Itoa(year),
			sentences: []string{
				"Dit udgangspunkt: symptomerne kom efter 3 min 15 s, og du måtte stoppe efter 6 min 30 s.",
				"Ved start var smerterne i benene 5 og i ryggen 4 på en skala fra 0 til 10.",
			},
			values: []string{"3,3", "6,5", "6,5", "5", "4"},
			noData: "ingen data", notYet: "endnu ingen",
		}, {
			lang:     "en",
			query:    "?lang=en",
			start:    "Start (" + strconv.Itoa(today.Day()) + "\u00a0" + monthsShort[i18n.En][today.Month()-1] + "\u00a0" + strconv.Itoa(today.Year()) + ")",
			thisWeek: "week " + strconv.Itoa(week) + ", " + strconv.Itoa(year),
			sentences: []string{
				"Your starting point: the symptoms came after 3 min 15 s, and you had to stop after 6 min 30 s.",
				"At the start, the pain in your legs was 5 and in your back 4 on a scale from 0 to 10.",
			},
			values: []string{"3.3", "6.5", "6.5", "5", "4"},
			noData: "no data", notYet: "none yet",
		}} {
			t.Run(tc.lang, func(t *testing.T) {
				r := c.get("/fremskridt" + tc.query)
				want(t, "progress", r, 200, "")
				for _, s := range tc.sentences {
					contains(t, "progress", r.body, "<li>"+s+"</li>")
				}
				lacks(t, "progress", r.body, tc.noData)
				// One Start point in each walking and pain chart, none in
				// the sessions chart; one Start row in each of their tables.
				if n := strings.Count(r.body, `>Start</text>`); n != 5 {
					t.Errorf("%d Start labels in the charts, want 5", n)
				}
				rows := strings.Split(r.body, `<th scope="row">`+tc.start+`</th><td>`)
				if len(rows) != 6 {
					t.Fatalf("%d Start rows in the tables, want 5 (%q)", len(rows)-1, tc.start)
				}
				for i, v := range tc.values {
					if !strings.HasPrefix(rows[i+1], v+"</td>") {
						t.Errorf("Start row %d = %.20q, want %s", i, rows[i+1], v)
					}
				}
				// The weekly charts start this week: one row for it in each of
				// the five weekly tables, none before; today's running
				// period reads "not yet".
				if n := strings.Count(r.body, `<th scope="row">`+tc.thisWeek+`</th>`); n != 5 {
					t.Errorf("%d rows for this week (%s), want 5 (one per weekly chart)", n, tc.thisWeek)
				}
				if n := strings.Count(r.body, `<th scope="row">`+map[string]string{"da": "uge ", "en": "week "}[tc.lang]); n != 5 {
					t.Errorf("%d week rows, want 5: no weeks before the programme start", n)
				}
				contains(t, "progress", r.body, "<td>"+tc.notYet+"</td>")
			})
		}
	})
}
