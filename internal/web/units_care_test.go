package web

import (
	"fmt"
	"testing"

	"github.com/stenose/stenose/internal/rules"
)

func TestParseMinSec(t *testing.T) {
	for in, want := range map[string]int{"3:15": 195, "3.15": 195, "3,15": 195, "3": 180, " 30:00 ": 1800, "0:05": 5, "3:5": 230, "12": 720} {
		if got, ok := parseMinSec(in); !ok || got != want {
			t.Errorf("parseMinSec(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "3:60", "3:15:00", "-1", "abc", "123", "3 min", "3:"} {
		if got, ok := parseMinSec(in); ok {
			t.Errorf("parseMinSec(%q) = %d, want an error", in, got)
		}
	}
}

func TestParseNRS(t *testing.T) {
	for _, in := range []string{"0", "10", " 5 "} {
		if _, ok := parseNRS(in); !ok {
			t.Errorf("parseNRS(%q) refused", in)
		}
	}
	for _, in := range []string{"", "11", "-1", "5.5", "x"} {
		if _, ok := parseNRS(in); ok {
			t.Errorf("parseNRS(%q) accepted", in)
		}
	}
}

// TestSourceDa: a rule's source reads as a person names a source — the
// article by its title and section, a guideline by its name and year —
// never with a file name or a rule id.
func TestSourceDa(t *testing.T) {
	article := "Artiklen »5 bedste øvelser til spinalstenose«, afsnittet »%s«."
	for in, want := range map[string]string{
		"seed: Lændesiddende stilling (docs/sources.md A5)":                    fmt.Sprintf(article, "Lændesiddende stilling"),
		"docs/sources.md Red flags (BMJ Best Practice, cauda equina syndrome)": "Retningslinjen »Cauda equina syndrome« fra BMJ Best Practice.",
		// The page's older name, as the rules wrote it before docs/sources.md.
		"clinical.md Red flags (BMJ Best Practice, cauda equina syndrome)": "Retningslinjen »Cauda equina syndrome« fra BMJ Best Practice.",
		"seed: Kan spinalstenose trænes væk?":                              fmt.Sprintf(article, "Kan spinalstenose trænes væk?"),
		"seed: Gående med pauser (docs/sources.md A5; Meaningful change: the Self-Paced Walking Test)": fmt.Sprintf(article, "Gående med pauser") +
			" Gangtiden måles som i gangtesten »Self-Paced Walking Test« (Tomkins 2009).",
		// A reference the web layer does not know: general words, no file name.
		"docs/sources.md Something new (X 2030)": "Klinikkens faglige grundlag.",
	} {
		if got := sourceDa(in); got != want {
			t.Errorf("sourceDa(%q) =\n%q, want\n%q", in, got, want)
		}
	}
}

// TestQuestionsCoverFlags: the screen asks every red flag the rules know,
// once, with the same cauda equina marking.
func TestQuestionsCoverFlags(t *testing.T) {
	if len(questions) != len(rules.Flags) {
		t.Fatalf("%d questions, %d flags", len(questions), len(rules.Flags))
	}
	for i, f := range rules.Flags {
		if questions[i].Key != f.Key || questions[i].Cauda != f.CaudaEquina {
			t.Errorf("question %d: %+v, flag %+v", i, questions[i], f)
		}
	}
}
