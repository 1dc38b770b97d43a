package calendar

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/testenv"
)

var cph = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		panic(err)
	}
	return loc
}()

// at is a moment in Copenhagen.
func at(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, cph) }

func days(ds ...time.Weekday) Weekdays {
	var w Weekdays
	for _, d := range ds {
		w |= Day(d)
	}
	return w
}

func TestDefaultDays(t *testing.T) {
	mon, tue, wed, thu, fri, sat, sun := time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday
	for _, tt := range []struct {
		perWeek int
		want    Weekdays
	}{
		{0, days(wed)},
		{1, days(wed)},
		{2, days(mon, thu)},
		{3, days(mon, wed, fri)},
		{4, days(mon, tue, thu, fri)},
		{5, days(mon, tue, wed, thu, fri)},
		{6, days(mon, tue, wed, thu, fri, sat)},
		{7, AllDays},
		{14, days(mon, tue, wed, thu, fri, sat, sun)},
	} {
		got := DefaultDays(tt.perWeek)
		if got != tt.want {
			t.Errorf("DefaultDays(%d) = %v, want %v", tt.perWeek, got.Days(), tt.want.Days())
		}
		if n := got.Count(); n != min(max(tt.perWeek, 1), 7) {
			t.Errorf("DefaultDays(%d) has %d days", tt.perWeek, n)
		}
	}
	if s := DefaultSettings(3); s.Minute != 10*60 || s.Check() != nil {
		t.Errorf("DefaultSettings(3) = %+v (%v), want 10.00 and valid", s, s.Check())
	}
}

func TestWeekdaysISO(t *testing.T) {
	for _, tt := range []struct {
		iso   []int
		valid bool
	}{
		{[]int{1, 3, 5}, true},
		{[]int{7}, true},
		{[]int{1, 2, 3, 4, 5, 6, 7}, true},
		{[]int{}, false},
		{[]int{0}, false},
		{[]int{8}, false},
		{[]int{1, 9}, false},
	} {
		w := FromISO(tt.iso)
		if w.Valid() != tt.valid {
			t.Errorf("FromISO(%v).Valid() = %v", tt.iso, w.Valid())
		}
		if tt.valid && !slices.Equal(w.ISO(), tt.iso) {
			t.Errorf("FromISO(%v).ISO() = %v", tt.iso, w.ISO())
		}
	}
	if got := days(time.Sunday, time.Monday).Days(); !slices.Equal(got, []time.Weekday{time.Monday, time.Sunday}) {
		t.Errorf("Days() = %v, want Monday first", got)
	}
}

func TestSettingsCheck(t *testing.T) {
	mwf := days(time.Monday, time.Wednesday, time.Friday)
	for _, tt := range []struct {
		s    Settings
		want []string
	}{
		{Settings{mwf, 600}, nil},
		{Settings{mwf, FirstMinute}, nil},
		{Settings{mwf, LastMinute}, nil},
		{Settings{0, 600}, []string{FieldDays}},
		{Settings{1 << 7, 600}, []string{FieldDays}},
		{Settings{mwf, FirstMinute - MinuteStep}, []string{FieldTime}},
		{Settings{mwf, LastMinute + MinuteStep}, []string{FieldTime}},
		{Settings{mwf, 615}, []string{FieldTime}},
		{Settings{0, -1}, []string{FieldDays, FieldTime}},
	} {
		err := tt.s.Check()
		var inv *Invalid
		switch {
		case tt.want == nil && err != nil:
			t.Errorf("%+v: %v", tt.s, err)
		case tt.want != nil && (!errors.As(err, &inv) || !slices.Equal(inv.Fields, tt.want)):
			t.Errorf("%+v: %v, want fields %v", tt.s, err, tt.want)
		}
	}
	for _, m := range Times() {
		if (Settings{mwf, m}).Check() != nil {
			t.Errorf("Times() offers %d, which Check refuses", m)
		}
	}
}

func TestHorizon(t *testing.T) {
	for _, tt := range []struct {
		now  time.Time
		want time.Time
	}{
		{at(2026, 3, 5, 10, 0), at(2026, 5, 31, 0, 0)},  // a Thursday: the Sunday 12 weeks after its week's
		{at(2026, 3, 2, 0, 0), at(2026, 5, 31, 0, 0)},   // the Monday of that week
		{at(2026, 3, 8, 23, 59), at(2026, 5, 31, 0, 0)}, // its Sunday, late
		{at(2026, 3, 9, 0, 0), at(2026, 6, 7, 0, 0)},    // the next week
		// 23.30 UTC on Sunday is Monday in Copenhagen.
		{time.Date(2026, 3, 8, 23, 30, 0, 0, time.UTC), at(2026, 6, 7, 0, 0)},
	} {
		if got := Horizon(tt.now, cph); !got.Equal(tt.want) {
			t.Errorf("Horizon(%v) = %v, want %v", tt.now, got, tt.want)
		}
	}
}

// plan is a patient whose programme started on Tuesday 3 March 2026 (a
// baseline that day), training on Mondays, Wednesdays and Fridays at 10.00.
func plan() Plan {
	return Plan{
		Series: "0123456789abcdef0123456789abcdef", Start: at(2026, 3, 3, 14, 20), Started: true,
		Settings: DefaultSettings(3), Lang: i18n.Da, AppURL: "https://klinik.example/i-dag",
		Changed: at(2026, 3, 3, 15, 0), Zone: cph,
	}
}

func TestEvents(t *testing.T) {
	now := at(2026, 3, 5, 9, 0)
	got := plan().Events(now)
	until := at(2026, 5, 31, 23, 59).Add(59 * time.Second)
	want := []Event{
		{UID: "0123456789abcdef0123456789abcdef-training", Kind: Training, Summary: "Træning",
			Start: at(2026, 3, 4, 10, 0), End: at(2026, 3, 4, 10, 30), Days: days(time.Monday, time.Wednesday, time.Friday), Until: until},
		{UID: "0123456789abcdef0123456789abcdef-status-4", Kind: Status4, Summary: "Statussamtale",
			Start: at(2026, 3, 31, 0, 0), End: at(2026, 4, 7, 0, 0), AllDay: true},
		{UID: "0123456789abcdef0123456789abcdef-status-12", Kind: Status12, Summary: "Statussamtale",
			Start: at(2026, 5, 26, 0, 0), End: at(2026, 6, 2, 0, 0), AllDay: true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}

	// In English; before a baseline (no status consultations yet).
	p := plan()
	p.Lang, p.Started = i18n.En, false
	got = p.Events(now)
	if len(got) != 1 || got[0].Summary != "Training" || got[0].UID != want[0].UID {
		t.Errorf("not started, English: %+v", got)
	}

	// Across the change to summer time (Sunday 29 March 2026): 10.00 on
	// both sides, an hour less in UTC.
	occ := Occurrences(plan().Events(now), at(2026, 3, 27, 0, 0), at(2026, 4, 1, 0, 0))
	var times []string
	for _, o := range occ {
		times = append(times, o.Start.Format("Mon 2 Jan 15:04 MST")+" = "+o.Start.UTC().Format("15:04Z"))
	}
	wantTimes := []string{"Fri 27 Mar 10:00 CET = 09:00Z", "Mon 30 Mar 10:00 CEST = 08:00Z", "Tue 31 Mar 00:00 CEST = 22:00Z", "Wed 1 Apr 10:00 CEST = 08:00Z"}
	if diff := cmp.Diff(wantTimes[:3], times); diff != "" { // 1 April is outside [27 March, 1 April)
		t.Errorf("occurrences around the change (-want +got):\n%s", diff)
	}
}

// TestStatusWeeksAreTheRules: the status consultation events cover exactly
// the days on which the app advises one (the rules' STATUS_4_WEEKS and
// STATUS_12_WEEKS on /i-dag), for a programme that starts on each day of
// a week.
func TestStatusWeeksAreTheRules(t *testing.T) {
	for d := range 7 {
		start := at(2026, 3, 2+d, 9, 0)
		h := rules.History{
			Programme: "5-bedste-oevelser", ProgrammeStart: rules.DayOf(start), PlannedPerWeek: 3,
			Baseline:      &rules.Baseline{Date: rules.DayOf(start), SPWT: rules.SPWT{FirstSymptomsSeconds: 200, StopSeconds: 400}, LegPain: 5, BackPain: 3},
			Targets:       rules.Targets{Since: rules.DayOf(start), WalkMinutes: 3},
			RedFlagChecks: []rules.RedFlagCheck{{Date: rules.DayOf(start), Answers: map[string]bool{"bladder": false}}},
		}
		advised := map[rules.Code][]string{}
		for n := range 120 {
			now := at(2026, 3, 2+d+n, 12, 0)
			for _, a := range rules.Advise(h, now) {
				if a.Code == rules.Status4Weeks || a.Code == rules.Status12Weeks {
					advised[a.Code] = append(advised[a.Code], now.Format(time.DateOnly))
				}
			}
		}
		p := plan()
		p.Start = start
		inCalendar := map[rules.Code][]string{}
		for _, e := range p.Events(start) {
			code := map[Kind]rules.Code{Status4: rules.Status4Weeks, Status12: rules.Status12Weeks}[e.Kind]
			for day := e.Start; day.Before(e.End); day = addDays(day, 1) {
				if code != "" {
					inCalendar[code] = append(inCalendar[code], day.Format(time.DateOnly))
				}
			}
		}
		if len(advised[rules.Status4Weeks]) != 7 || len(advised[rules.Status12Weeks]) != 7 {
			t.Fatalf("start %s: the rules advised a status consultation on %v: the test's history is wrong", start.Format(time.DateOnly), advised)
		}
		if diff := cmp.Diff(advised, inCalendar); diff != "" {
			t.Errorf("start %s: the rules' advice (-) and the calendar's weeks (+):\n%s", start.Format(time.DateOnly), diff)
		}
	}
}

// TestEncodeStable: the same plan in the same week is the same bytes,
// whenever in the week it is fetched; another week moves the series' end
// and keeps every UID; a change of days keeps the training's UID (a
// calendar updates the series).
func TestEncodeStable(t *testing.T) {
	p := plan()
	a, b := p.Encode(at(2026, 3, 5, 9, 0)), p.Encode(at(2026, 3, 8, 22, 0))
	if !bytes.Equal(a, b) {
		t.Errorf("two fetches in one week differ:\n%s", cmp.Diff(string(a), string(b)))
	}
	c := p.Encode(at(2026, 3, 10, 9, 0))
	if bytes.Equal(a, c) {
		t.Error("the next week's feed is the same: the horizon did not move")
	}
	p.Settings.Days = days(time.Tuesday, time.Thursday)
	d := p.Encode(at(2026, 3, 10, 9, 0))
	for _, feed := range [][]byte{c, d} {
		if got, want := uidsOf(feed), uidsOf(a); !slices.Equal(got, want) {
			t.Errorf("UIDs %v, want %v", got, want)
		}
	}
	if !bytes.Contains(d, []byte("BYDAY=TU,TH;")) {
		t.Errorf("the new days are not in the feed:\n%s", d)
	}
}

func uidsOf(feed []byte) []string {
	var out []string
	for _, l := range strings.Split(string(feed), "\r\n") {
		if u, ok := strings.CutPrefix(l, "UID:"); ok {
			out = append(out, u)
		}
	}
	return out
}

// TestEncode checks the feed's text: CRLF lines of at most 75 octets, the
// properties a calendar needs, and only the two names.
func TestEncode(t *testing.T) {
	feed := string(plan().Encode(at(2026, 3, 5, 9, 0)))
	if !strings.HasSuffix(feed, "END:VCALENDAR\r\n") || strings.Contains(strings.ReplaceAll(feed, "\r\n", ""), "\n") {
		t.Errorf("lines do not end in CRLF:\n%q", feed)
	}
	for _, l := range strings.Split(strings.TrimSuffix(feed, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("a line of %d octets: %q", len(l), l)
		}
	}
	for _, want := range []string{
		"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", "METHOD:PUBLISH\r\n", "X-WR-CALNAME:Træning\r\n", "X-WR-TIMEZONE:Europe/Copenhagen\r\n",
		"REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n",
		"BEGIN:VTIMEZONE\r\nTZID:Europe/Copenhagen\r\n",
		// The change to summer time in 2026 and back, as the zone data has them.
		"BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nEND:DAYLIGHT\r\n",
		"BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nEND:STANDARD\r\n",
		"DTSTART;TZID=Europe/Copenhagen:20260304T100000\r\n", "DTEND;TZID=Europe/Copenhagen:20260304T103000\r\n",
		"RRULE:FREQ=WEEKLY;WKST=MO;BYDAY=MO,WE,FR;UNTIL=20260531T215959Z\r\n",
		"DTSTART;VALUE=DATE:20260331\r\n", "DTEND;VALUE=DATE:20260407\r\n",
		"SUMMARY:Statussamtale\r\n", "CLASS:PRIVATE\r\n", "DESCRIPTION:https://klinik.example/i-dag\r\n",
		"BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Træning\r\nTRIGGER:-PT30M\r\nEND:VALARM\r\n",
		// DTSTAMP: when the settings were saved, later than the week's Monday.
		"DTSTAMP:20260303T140000Z\r\n",
	} {
		if !strings.Contains(feed, want) {
			t.Errorf("the feed lacks %q:\n%s", want, feed)
		}
	}
	p := plan()
	p.Changed = at(2026, 2, 1, 12, 0) // saved weeks ago: DTSTAMP is the week's Monday
	if old := string(p.Encode(at(2026, 3, 5, 9, 0))); !strings.Contains(old, "DTSTAMP:20260301T230000Z\r\n") {
		t.Errorf("settings saved weeks ago, DTSTAMP is not the week's Monday:\n%s", old)
	}
	var summaries []string
	for _, l := range strings.Split(feed, "\r\n") {
		if s, ok := strings.CutPrefix(l, "SUMMARY:"); ok {
			summaries = append(summaries, s)
		}
	}
	if !slices.Equal(summaries, []string{"Træning", "Statussamtale", "Statussamtale"}) {
		t.Errorf("SUMMARY: %q", summaries)
	}
}

func TestSecret(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		s, h := NewSecret()
		if len(s) != SecretLen || seen[s] {
			t.Fatalf("secret %q (len %d, seen %v)", s, len(s), seen[s])
		}
		seen[s] = true
		if got, ok := HashSecret(s); !ok || got != h {
			t.Fatalf("HashSecret(%q) = %x, %v; want %x", s, got, ok, h)
		}
	}
	s, _ := NewSecret()
	for _, bad := range []string{"", "x", s[:SecretLen-1], s + "A", strings.Repeat("+", SecretLen), strings.Repeat("=", SecretLen), s[:SecretLen-1] + "/", s[:SecretLen-1] + "."} {
		if _, ok := HashSecret(bad); ok {
			t.Errorf("HashSecret(%q) accepted", bad)
		}
	}
	if a, b := NewSeries(), NewSeries(); len(a) != 32 || a == b {
		t.Errorf("NewSeries: %q, %q", a, b)
	}
}

// ---------------------------------------------------------------------------
// The feed read by a real iCalendar parser: ical.js, from npm.

// icalOccurrence is one occurrence as testdata/expand.mjs prints it.
type icalOccurrence struct {
	UID        string `json:"uid"`
	Summary    string `json:"summary"`
	AllDay     bool   `json:"allDay"`
	TZID       string `json:"tzid"`
	Start      any    `json:"start"` // unix seconds, or a date for an all-day event
	End        any    `json:"end"`
	LocalStart string `json:"localStart"`
	LocalEnd   string `json:"localEnd"`
}

// expandWithICALjs runs testdata/expand.mjs on feed and returns every
// occurrence starting before to, as ical.js reads them.
func expandWithICALjs(t *testing.T, feed []byte, to time.Time) []icalOccurrence {
	t.Helper()
	node, err := exec.LookPath("node")
	testenv.Need(t, err == nil, "node is not installed (apt-get install nodejs)")
	root := repoRoot(t)
	_, err = os.Stat(filepath.Join(root, "node_modules", "ical.js", "package.json"))
	testenv.Need(t, err == nil, "node_modules/ical.js is missing (run `npm ci --ignore-scripts` in the repo root)")
	cmd := exec.CommandContext(t.Context(), node, filepath.Join("testdata", "expand.mjs"), strconv.FormatInt(to.Unix(), 10))
	cmd.Env = append(os.Environ(), "TZ=UTC") // a time ical.js could not place in its zone would show as UTC, and differ
	cmd.Stdin = bytes.NewReader(feed)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("ical.js refused the feed: %v\n%s\nfeed:\n%s", err, stderr.String(), feed)
	}
	var out []icalOccurrence
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("expand.mjs: %v\n%s", err, stdout.String())
	}
	return out
}

// repoRoot is the folder holding go.mod.
var repoRoot = testenv.RepoRoot

// asICALjs is the domain's occurrence as expand.mjs prints one.
func asICALjs(o Occurrence, zone *time.Location) icalOccurrence {
	if o.AllDay {
		return icalOccurrence{UID: o.UID, Summary: o.Summary, AllDay: true, Start: o.Start.Format(time.DateOnly), End: o.End.Format(time.DateOnly),
			LocalStart: o.Start.Format(time.DateOnly), LocalEnd: o.End.Format(time.DateOnly)}
	}
	return icalOccurrence{UID: o.UID, Summary: o.Summary, TZID: zone.String(), Start: float64(o.Start.Unix()), End: float64(o.End.Unix()),
		LocalStart: o.Start.In(zone).Format("2006-01-02T15:04:05"), LocalEnd: o.End.In(zone).Format("2006-01-02T15:04:05")}
}

// TestFeedReadByICALjs: for plans across both changes of the clocks, in
// both languages, at the first and last times a patient can choose, the
// occurrences ical.js expands from the feed are exactly the domain's —
// the same days, the same instants, and the chosen time of day on every
// one of them, in summer and in winter.
func TestFeedReadByICALjs(t *testing.T) {
	mwf, tt := days(time.Monday, time.Wednesday, time.Friday), days(time.Tuesday, time.Thursday, time.Sunday)
	for _, tc := range []struct {
		name     string
		start    time.Time
		now      time.Time
		settings Settings
		lang     i18n.Lang
		started  bool
	}{
		{"spring, into summer time", at(2026, 3, 3, 14, 20), at(2026, 3, 5, 9, 0), Settings{mwf, 10 * 60}, i18n.Da, true},
		{"autumn, out of summer time", at(2026, 9, 14, 8, 0), at(2026, 10, 1, 12, 0), Settings{mwf, 10 * 60}, i18n.En, true},
		{"early and late in the week", at(2026, 9, 14, 8, 0), at(2026, 10, 20, 12, 0), Settings{tt, FirstMinute}, i18n.Da, true},
		{"the last time, every day", at(2026, 3, 20, 8, 0), at(2026, 3, 21, 12, 0), Settings{AllDays, LastMinute}, i18n.En, false},
		{"a start long ago", at(2025, 1, 6, 8, 0), at(2026, 3, 21, 12, 0), Settings{days(time.Saturday), 9*60 + 30}, i18n.Da, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := plan()
			p.Start, p.Settings, p.Lang, p.Started = tc.start, tc.settings, tc.lang, tc.started
			events := p.Events(tc.now)
			to := Horizon(tc.now, cph).AddDate(0, 1, 0)
			got := expandWithICALjs(t, p.Encode(tc.now), to)
			var want []icalOccurrence
			for _, o := range Occurrences(events, time.Time{}, to) {
				want = append(want, asICALjs(o, cph))
			}
			sortICAL := func(os []icalOccurrence) {
				slices.SortStableFunc(os, func(a, b icalOccurrence) int {
					return strings.Compare(a.LocalStart+a.UID, b.LocalStart+b.UID)
				})
			}
			sortICAL(got)
			sortICAL(want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ical.js (+) and the domain (-) differ:\n%s", diff)
			}
			// Every training at the chosen local time, summer and winter.
			clock := time.Date(2000, 1, 1, tc.settings.Minute/60, tc.settings.Minute%60, 0, 0, time.UTC).Format("T15:04:05")
			offsets := map[string]bool{}
			n := 0
			for _, o := range got {
				if o.AllDay {
					continue
				}
				n++
				if !strings.HasSuffix(o.LocalStart, clock) {
					t.Errorf("a training at %s, want %s", o.LocalStart, clock)
				}
				local, _ := time.ParseInLocation("2006-01-02T15:04:05", o.LocalStart, cph)
				if float64(local.Unix()) != o.Start {
					t.Errorf("%s local is %v in ical.js, %d in Go", o.LocalStart, o.Start, local.Unix())
				}
				_, off := local.Zone()
				offsets[offset(off)] = true
				if o.Summary != tc.lang.T("calSummaryTraining") {
					t.Errorf("a training called %q", o.Summary)
				}
			}
			if n < 12 {
				t.Errorf("only %d trainings", n)
			}
			if len(offsets) != 2 {
				t.Errorf("the trainings have offsets %v: the case does not cross a change of the clocks", offsets)
			}
		})
	}
}

// BenchmarkEncode: one fetch of a feed's bytes, the events and the
// VTIMEZONE made afresh (what a calendar's fetch costs besides the one
// index lookup).
func BenchmarkEncode(b *testing.B) {
	p, now := plan(), at(2026, 3, 5, 9, 0)
	b.ReportAllocs()
	for b.Loop() {
		_ = p.Encode(now)
	}
}
