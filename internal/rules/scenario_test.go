package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// scenarioDir holds the scenario suite: realistic multi-week histories of
// one patient each, with the complete set of advice codes a
// physiotherapist expects from docs/rules.md and docs/sources.md. The
// expectations were worked out by hand from the specification, not by
// running the code; each file says why in "why".
const scenarioDir = "testdata/scenarios"

// scenarioMinFiles is the least number of scenarios the suite must hold.
const scenarioMinFiles = 20

// scenario is one file of scenarioDir.
type scenario struct {
	// Story: who the patient is and what happened over the weeks.
	Story string `json:"story"`
	// Now is the clock passed to Advise, RFC 3339.
	Now string `json:"now"`
	// Want is the complete set of codes expected (order irrelevant).
	Want []string `json:"want"`
	// WantItems, when given, are the items expected for a code of Want
	// (order irrelevant).
	WantItems map[string][]string `json:"wantItems,omitempty"`
	// Why a physiotherapist expects exactly these codes.
	Why string `json:"why"`
	// History is the advise input, decoded through History.
	History json.RawMessage `json:"history"`
}

// scenarioFiles lists the scenario files in name order.
func scenarioFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(scenarioDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	return files
}

// scenarioDecode decodes exactly one JSON value from b into v, refusing
// unknown fields and anything after the value.
func scenarioDecode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("data after the JSON value")
	}
	return nil
}

// loadScenario reads one scenario file. The outer object and the history
// are both decoded strictly: a history field the History type does not
// know (a misspelt field, or one of the spec's new fields under another
// name) must fail the scenario rather than be dropped silently, as
// `stenose advise` refuses it too.
func loadScenario(t *testing.T, file string) (scenario, History, time.Time) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var sc scenario
	if err := scenarioDecode(b, &sc); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if strings.TrimSpace(sc.Story) == "" || strings.TrimSpace(sc.Why) == "" {
		t.Fatalf("%s: a scenario needs a story and a why", file)
	}
	if sc.Want == nil {
		t.Fatalf("%s: a scenario needs want (the complete set of codes; [] for none)", file)
	}
	if len(sc.History) == 0 {
		t.Fatalf("%s: a scenario needs a history", file)
	}
	seen := map[string]bool{}
	for _, c := range sc.Want {
		if seen[c] {
			t.Fatalf("%s: want names %s twice", file, c)
		}
		seen[c] = true
	}
	for c := range sc.WantItems {
		if !seen[c] {
			t.Fatalf("%s: wantItems names %s, which is not in want", file, c)
		}
	}
	now, err := time.Parse(time.RFC3339, sc.Now)
	if err != nil {
		t.Fatalf("%s: now: %v", file, err)
	}
	var h History
	if err := scenarioDecode(sc.History, &h); err != nil {
		t.Fatalf("%s: history: %v\nstory: %s", file, err, sc.Story)
	}
	return sc, h, now
}

// TestScenarios runs Advise on every scenario and compares the set of
// codes (and the items of wantItems) with what the scenario expects.
func TestScenarios(t *testing.T) {
	for _, file := range scenarioFiles(t) {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			sc, h, now := loadScenario(t, file)
			// Each history is one the check accepts (a record left out
			// would change what the scenario tests).
			if ps := h.Check(Check{Now: now}); len(ps) > 0 {
				t.Fatalf("%s: the check finds %v", file, ps[0])
			}
			got := Advise(h, now)
			explain := "\nstory: " + sc.Story + "\nwhy: " + sc.Why

			gotCodes := make([]string, 0, len(got))
			items := map[string][]string{}
			for _, a := range got {
				c := string(a.Code)
				gotCodes = append(gotCodes, c)
				items[c] = a.Items
			}
			slices.Sort(gotCodes)
			want := slices.Clone(sc.Want)
			slices.Sort(want)
			if diff := cmp.Diff(want, gotCodes); diff != "" {
				t.Errorf("advice codes at %s (-want +got):\n%s%s", sc.Now, diff, explain)
			}

			for _, c := range slices.Sorted(maps.Keys(sc.WantItems)) {
				gotItems, ok := items[c]
				if !ok {
					continue // the missing code is reported above
				}
				wantItems := slices.Clone(sc.WantItems[c])
				slices.Sort(wantItems)
				gotItems = slices.Clone(gotItems)
				slices.Sort(gotItems)
				if diff := cmp.Diff(wantItems, gotItems, cmpEmptyIsNil); diff != "" {
					t.Errorf("items of %s (-want +got):\n%s%s", c, diff, explain)
				}
			}
		})
	}
}

// cmpEmptyIsNil treats a nil and an empty list of items alike.
var cmpEmptyIsNil = cmp.FilterValues(func(x, y []string) bool {
	return len(x) == 0 && len(y) == 0
}, cmp.Comparer(func(_, _ []string) bool { return true }))

// TestScenarioCount keeps the suite from shrinking unnoticed.
func TestScenarioCount(t *testing.T) {
	if n := len(scenarioFiles(t)); n < scenarioMinFiles {
		t.Errorf("%s has %d scenarios, want at least %d", scenarioDir, n, scenarioMinFiles)
	}
}
