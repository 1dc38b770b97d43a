package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const (
	adviseExample    = "../../docs/advise-example.json"
	adviseExampleOut = "../../docs/advise-example.out.json"
	adviseExampleCmd = "stenose advise -now 2025-10-01T12:00:00Z < docs/advise-example.json"
)

// runAdviseCmd runs `stenose advise args…` through run, with stdin read
// from a file holding in, and returns the exit code and what it printed.
func runAdviseCmd(t *testing.T, in string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "stdin.json")
	if err := os.WriteFile(path, []byte(in), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	saved := os.Stdin
	os.Stdin = f
	defer func() { os.Stdin = saved }()
	return runCmd(t, append([]string{"advise"}, args...)...)
}

// TestAdviseExample runs the documented example and compares the output
// byte for byte with docs/advise-example.out.json, so the docs cannot
// drift. After a deliberate change to the rules, regenerate it with
//
//	go run ./cmd/stenose advise -now 2025-10-01T12:00:00Z < docs/advise-example.json > docs/advise-example.out.json
func TestAdviseExample(t *testing.T) {
	in, err := os.ReadFile(adviseExample)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(adviseExampleOut)
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runAdviseCmd(t, string(in), "-now", "2025-10-01T12:00:00Z")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	if out != string(want) {
		t.Errorf("output differs from %s (-want +got):\n%s", adviseExampleOut, cmp.Diff(string(want), out))
	}
	// The example triggers several codes, and the docs show how to run it.
	var got struct{ Advice []struct{ Code string } }
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Advice) < 3 {
		t.Errorf("the example gives %d pieces of advice, want several", len(got.Advice))
	}
	doc, err := os.ReadFile("../../docs/rules.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(doc, []byte(adviseExampleCmd)) {
		t.Errorf("docs/rules.md does not show the command %q", adviseExampleCmd)
	}
}

// TestAdviseDefaultClock: without -now the command reads its clock, and
// only then.
func TestAdviseDefaultClock(t *testing.T) {
	in, err := os.ReadFile(adviseExample)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(adviseExampleOut)
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	clock := func() time.Time { calls++; return time.Date(2025, 10, 1, 12, 0, 0, 0, time.UTC) }
	var out, errb bytes.Buffer
	if err := adviseMain(nil, bytes.NewReader(in), &out, &errb, clock); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	if out.String() != string(want) || calls != 1 {
		t.Errorf("clock read %d times; output:\n%s", calls, out.String())
	}
	calls = 0
	out.Reset()
	if err := adviseMain([]string{"-now", "2025-10-01T12:00:00Z"}, bytes.NewReader(in), &out, &errb, clock); err != nil || calls != 0 {
		t.Errorf("with -now: err %v, clock read %d times", err, calls)
	}
}

func TestAdviseEmptyAdvice(t *testing.T) {
	code, out, errOut := runAdviseCmd(t, `{"programmeStart": "2025-07-07", "plannedPerWeek": 3,
		"baseline": {"date": "2025-07-07", "spwt": {"firstSymptomsSeconds": 200, "stopSeconds": 400}, "legPain": 4, "backPain": 3},
		"redFlagChecks": [{"date": "2025-07-07", "answers": {"fever": false}}]}`, "-now", "2025-07-08T09:00:00+02:00")
	if code != 0 || out != "{\n  \"advice\": []\n}\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestAdviseTomorrowLeftOut: a record dated tomorrow (a clock a little
// ahead) is named on stderr and left out; the advice follows.
func TestAdviseTomorrowLeftOut(t *testing.T) {
	code, out, errOut := runAdviseCmd(t, `{"programmeStart": "2025-07-07", "plannedPerWeek": 3,
		"entries": [{"at": "2025-10-02", "legPain": 3, "tingling": true}]}`, "-now", "2025-10-01T12:00:00Z")
	if code != 0 || !strings.Contains(errOut, "stenose advise: warning: entries[0].at: 2025-10-02 is tomorrow (today is 2025-10-01): left out of the advice\n") ||
		!strings.Contains(out, `"ONBOARDING_NEEDED"`) || strings.Contains(out, "STOP_NEURO_SYMPTOMS") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestAdviseErrors(t *testing.T) {
	const ok = `"programmeStart": "2025-07-07", "plannedPerWeek": 3`
	tests := []struct {
		name   string
		in     string
		args   []string
		code   int
		stderr []string
	}{
		{
			name: "out of range",
			in: `{` + ok + `, "entries": [
				{"at": "2025-07-08", "legPain": 3, "backPain": 2},
				{"at": "2025-07-09", "legPain": 3, "backPain": 2},
				{"at": "2025-07-10", "legPain": 3, "backPain": 2},
				{"at": "2025-07-11", "legPain": 11, "backPain": 2}]}`,
			code: 1,
			stderr: []string{
				"stenose advise: entries[3].legPain: 11 is out of range 0–10\n",
				"stenose advise: 1 problem(s) in the history; no advice given\n",
			},
		},
		{
			name: "every problem listed", in: `{"plannedPerWeek": 30, "walks": [{"date": "2025-13-01", "bouts": [{"walkSeconds": 0}]}]}`, code: 1,
			stderr: []string{
				"programmeStart: missing\n",
				"plannedPerWeek: 30 is out of range 1–14\n",
				`walks[0].date: "2025-13-01" is not a date (YYYY-MM-DD, or an RFC 3339 time)` + "\n",
				"walks[0].bouts[0].walkSeconds: 0 is out of range 1–14400\n",
				"4 problem(s)",
			},
		},
		{name: "unknown red flag", in: `{` + ok + `, "redFlagChecks": [{"date": "2025-07-07", "answers": {"fevers": true}}]}`, code: 1, stderr: []string{`redFlagChecks[0].answers.fevers: "fevers" is not a known red flag`}},
		{name: "a year in the future", in: `{` + ok + `, "entries": [{"at": "2025-07-08", "legPain": 3}, {"at": "2026-10-01", "legPain": 3}]}`, code: 1,
			stderr: []string{"stenose advise: entries[1].at: 2026-10-01 is after now (2025-10-01)\n", "1 problem(s)"}},
		{name: "before the programme", in: `{` + ok + `, "walks": [{"date": "2025-07-01", "bouts": [{"walkSeconds": 60}]}]}`, code: 1,
			stderr: []string{"stenose advise: walks[0].date: 2025-07-01 is before the records begin (2025-07-07)\n"}},
		{name: "out of order", in: `{` + ok + `, "sessions": [{"date": "2025-07-09", "completedSteps": 5}, {"date": "2025-07-08", "completedSteps": 5}]}`, code: 1,
			stderr: []string{"stenose advise: sessions[1]: 2025-07-08 comes before sessions[0] (2025-07-09): the list must be in date order\n"}},
		{name: "invalid UTF-8 bytes", in: "{" + ok + ",\n\"entries\": [{\"at\": \"2025-07-08\", \"note\": \"\xff\xfe\"}]}", code: 1,
			stderr: []string{"stenose advise: entries[0].note: is not valid UTF-8 (line 2)\n"}},
		{name: "invalid UTF-8 deep in a list", in: "{" + ok + ",\n\"entries\": [{\"at\": \"2025-07-08\"}, {\"at\": \"2025-07-09\", \"symptoms\": [\"ok\", \"\xc3\"]}]}", code: 1,
			stderr: []string{"stenose advise: entries[1].symptoms[1]: is not valid UTF-8 (line 2)\n"}},
		{name: "invalid UTF-8 in a field's name", in: "{" + ok + ",\n\"\xff\": 1}", code: 1,
			stderr: []string{"stenose advise: line 2: the history is not valid UTF-8\n"}},
		{name: "a lone surrogate", in: `{` + ok + `, "entries": [{"at": "2025-07-08", "note": "\ud800"}]}`, code: 1,
			stderr: []string{"stenose advise: entries[0].note: is not valid UTF-8\n"}},
		{name: "unknown exercise", in: `{` + ok + `, "targets": {"walkMinutes": 5, "reps": {"rygbro": 5}}}`, code: 1,
			stderr: []string{`stenose advise: targets.reps.rygbro: "rygbro" is not a known exercise` + "\n"}},
		{name: "unknown programme", in: `{"programme": "pilates", ` + ok + `}`, code: 1,
			stderr: []string{`stenose advise: programme: "pilates" is not a known programme` + "\n"}},
		{name: "unknown field", in: `{` + ok + `, "entries": [{"at": "2025-07-08", "smerte": 3}]}`, code: 1, stderr: []string{`stenose advise: json: unknown field "smerte"`}},
		{name: "wrong type", in: "{\n" + ok + ",\n\"entries\": [{\"at\": \"2025-07-08\", \"legPain\": 4.5}]}", code: 1, stderr: []string{"line 3: entries.legPain: a JSON number 4.5 cannot be a whole number"}},
		{name: "syntax", in: "{\n" + ok + ",\n}", code: 1, stderr: []string{"line 3: invalid JSON"}},
		{name: "empty stdin", in: "", code: 1, stderr: []string{"no history on stdin"}},
		{name: "truncated", in: `{` + ok, code: 1, stderr: []string{"the JSON ends too early"}},
		{name: "two values", in: `{` + ok + "}\n{}", code: 1, stderr: []string{"line 2: more than one JSON value"}},
		{name: "bad -now", in: `{` + ok + `}`, args: []string{"-now", "2025-10-01"}, code: 2, stderr: []string{`-now: "2025-10-01" is not an RFC 3339 time`}},
		{name: "unknown flag", in: `{` + ok + `}`, args: []string{"-today"}, code: 2, stderr: []string{"flag provided but not defined: -today"}},
		{name: "extra argument", in: `{` + ok + `}`, args: []string{"history.json"}, code: 2, stderr: []string{"Usage: stenose advise"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := tt.args
			if args == nil {
				args = []string{"-now", "2025-10-01T12:00:00Z"}
			}
			code, out, errOut := runAdviseCmd(t, tt.in, args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.code, errOut)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
			for _, s := range tt.stderr {
				if !strings.Contains(errOut, s) {
					t.Errorf("stderr lacks %q:\n%s", s, errOut)
				}
			}
		})
	}
}

func TestAdviseHelp(t *testing.T) {
	for _, args := range [][]string{{"help", "advise"}, {"advise", "-h"}} {
		code, _, errOut := runCmd(t, args...)
		if code != 0 || !strings.Contains(errOut, "Usage: stenose advise [-now TIME] < history.json") || !strings.Contains(errOut, "-now") {
			t.Errorf("%v: exit %d:\n%s", args, code, errOut)
		}
	}
	if _, out, _ := runCmd(t); !strings.Contains(out, "  advise ") {
		t.Errorf("usage does not list advise:\n%s", out)
	}
}
