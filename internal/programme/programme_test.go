package programme

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	stenose "github.com/stenose/stenose"
	"github.com/stenose/stenose/internal/content"
)

func TestBuiltInProgramme(t *testing.T) {
	ix, _ := content.Load(stenose.Content())
	lib, probs := Load(stenose.Content(), ix.Images)
	if len(probs) != 0 {
		t.Fatalf("problems in the built-in exercises: %v", probs)
	}
	if len(lib.Exercises) != 5 || len(lib.Programmes) != 1 {
		t.Fatalf("%d exercises, %d programmes; want 5 and 1", len(lib.Exercises), len(lib.Programmes))
	}
	p := lib.Programmes[0]
	if !strings.Contains(string(p.IntroHTML), "Træn tre gange om ugen") || !strings.Contains(string(p.IntroEnHTML), "Train three times a week") ||
		strings.Contains(string(p.IntroHTML), "English") {
		t.Errorf("the introduction in Danish %q and English %q", p.IntroHTML, p.IntroEnHTML)
	}
	if p.Condition != "lss" || p.Rest == nil || p.Rest.Slug != "laendesiddende-stilling" || len(p.Items) != 5 {
		t.Errorf("programme = %+v", p)
	}
	// The article's one dose: knee to chest, held 10–20 s, then the other leg.
	k := lib.Exercise("knae-til-bryst")
	if k.Dose.Kind != Hold || k.Dose.Seconds < 10 || k.Dose.Seconds > 20 || k.Dose.Sides != 2 || k.DoseSource != "article" {
		t.Errorf("knee to chest dose = %+v from %s", k.Dose, k.DoseSource)
	}
	for _, e := range lib.Exercises {
		if e.Posture == Extension {
			t.Errorf("%s is an extension exercise", e.Slug)
		}
		if len(e.StepsHTML) == 0 || len(e.StepsEnHTML) == 0 {
			t.Errorf("%s lacks its steps in Danish or English", e.Slug)
		}
	}
}

const drawing = "/images/exercises/x.svg"

func exercise(posture, dose string) string {
	return "---\nname: X\nposture: " + posture + "\n" + dose + "\ndoseSource: clinic\ndrawing: " + drawing +
		"\ninstruction: Gør sådan.\n---\n## Dansk\n1. Trin\n## English\n1. Step\n"
}

func TestCheckRules(t *testing.T) {
	images := map[string]content.ImageInfo{drawing: {}}
	good := exercise("flexion", "dose: duration\nseconds: 60")
	tests := []struct {
		name      string
		files     map[string]string
		wantFile  string
		wantLine  int
		wantInMsg string
	}{
		{"extension exercise in an LSS programme",
			map[string]string{
				"exercises/bro.md":  exercise("extension", "dose: hold\nseconds: 10\nreps: 3"),
				"exercises/gang.md": good,
				"programmes/lss.md": "---\nname: P\ncondition: lss\nexercises:\n  - gang\n  - bro\n---\n",
			},
			"programmes/lss.md", 6, "Det er vigtigt at undgå øvelser, hvor ryggen bøjes bagover\" (docs/sources.md A2)"},
		{"unknown exercise",
			map[string]string{"exercises/gang.md": good, "programmes/p.md": "---\nname: P\nexercises:\n  - gang\n  - svømning\n---\n"},
			"programmes/p.md", 5, `unknown exercise "svømning"`},
		{"impossible dose in the exercise",
			map[string]string{"exercises/x.md": exercise("flexion", "dose: hold\nseconds: 600\nreps: 3")},
			"exercises/x.md", 4, "impossible dose: a hold of 600 seconds"},
		{"impossible dose in the programme",
			map[string]string{"exercises/gang.md": good, "programmes/p.md": "---\nname: P\nexercises:\n  - exercise: gang\n    sets: 0\n---\n"},
			"programmes/p.md", 4, "impossible dose: 0 sets"},
		{"missing drawing",
			map[string]string{"exercises/x.md": strings.Replace(good, drawing, "/images/exercises/ingen.svg", 1)},
			"exercises/x.md", 7, "drawing /images/exercises/ingen.svg does not exist"},
		{"unknown posture",
			map[string]string{"exercises/x.md": exercise("bagover", "dose: duration\nseconds: 60")},
			"exercises/x.md", 3, "posture must be flexion, neutral or extension"},
		{"no steps",
			map[string]string{"exercises/x.md": strings.Split(good, "## Dansk")[0]},
			"exercises/x.md", 10, "## Dansk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, src := range tt.files {
				fsys[name] = &fstest.MapFile{Data: []byte(src)}
			}
			_, probs := Load(fsys, images)
			if !probs.HasErrors() {
				t.Fatalf("no error; problems: %v", probs)
			}
			for _, p := range probs {
				if p.Severity == content.Error && p.File == tt.wantFile && p.Line == tt.wantLine && strings.Contains(p.Msg, tt.wantInMsg) {
					return
				}
			}
			t.Errorf("want an error at %s:%d containing %q; got %v", tt.wantFile, tt.wantLine, tt.wantInMsg, probs)
		})
	}
}

// TestProgrammeIntroWithoutEnglish: a programme whose introduction is
// Danish only is loaded, with a warning naming the file and the line.
func TestProgrammeIntroWithoutEnglish(t *testing.T) {
	fsys := fstest.MapFS{
		"exercises/gang.md":  {Data: []byte(exercise("flexion", "dose: duration\nseconds: 60"))},
		"programmes/kort.md": {Data: []byte("---\nname: Kort\ncondition: lss\nperWeek: 2\nexercises:\n  - gang\n---\nTræn to gange om ugen.\n")},
	}
	lib, probs := Load(fsys, map[string]content.ImageInfo{drawing: {}})
	if len(lib.Programmes) != 1 || lib.Programmes[0].IntroEnHTML != nil || !strings.Contains(string(lib.Programmes[0].IntroHTML), "Træn to gange") {
		t.Fatalf("programmes %+v", lib.Programmes)
	}
	if len(probs) != 1 || probs.HasErrors() || probs[0].File != "programmes/kort.md" || probs[0].Line != 8 || !strings.Contains(probs[0].Msg, "no English") {
		t.Errorf("problems %+v", probs)
	}
}

func TestDoseText(t *testing.T) {
	tests := []struct {
		d    Dose
		en   bool
		want string
	}{
		{Dose{Kind: Hold, Seconds: 15, Reps: 3, Sides: 2, Sets: 1, Rest: 10}, false, "Hold 15 sekunder, 3 gange på hvert ben, 10 sekunder pause imellem"},
		{Dose{Kind: Duration, Seconds: 300, Sides: 1, Sets: 1, Rest: 60}, false, "5 minutter"},
		{Dose{Kind: Reps, Reps: 8, SecondsPerRep: 6, Sides: 1, Sets: 2, Rest: 30}, true, "8 repetitions, 2 sets, 30 seconds rest between"},
		{Dose{Kind: Duration, Seconds: 60, Sides: 1, Sets: 2, Rest: 15}, false, "1 minut, 2 sæt, 15 sekunder pause imellem"},
	}
	for _, tt := range tests {
		if got := DoseText(tt.d, tt.en); got != tt.want {
			t.Errorf("DoseText(%+v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestPlan(t *testing.T) {
	ix, _ := content.Load(stenose.Content())
	lib, _ := Load(stenose.Content(), ix.Images)
	plan := NewPlan(lib.Programmes[0], false, "stop", map[string]string{"start": "Start"})
	if len(plan.Steps) != 5 || plan.Rest.Exercise != "laendesiddende-stilling" || plan.Lang != "da" {
		t.Fatalf("plan = %+v", plan)
	}
	if s := plan.Steps[1]; s.Exercise != "knae-til-bryst" || s.Kind != Hold || s.Sides != 2 || s.Seconds != 15 {
		t.Errorf("step 2 = %+v", s)
	}
	en := NewPlan(lib.Programmes[0], true, "stop", nil)
	if en.Steps[0].Name != "Seated cycling" || en.Lang != "en" {
		t.Errorf("English plan step 1 = %+v", en.Steps[0])
	}
}

// TestCheckDose: each number of a dose at and beyond its range, per kind:
// the field at fault and its range, in the dose's order.
func TestCheckDose(t *testing.T) {
	ok := map[Kind]Dose{
		Duration: {Kind: Duration, Seconds: 60, Sides: 1, Sets: 1, Reps: 1},
		Hold:     {Kind: Hold, Seconds: 15, Reps: 3, Sides: 2, Sets: 1, Rest: 10},
		Reps:     {Kind: Reps, Reps: 8, SecondsPerRep: 6, Sides: 1, Sets: 2, Rest: 30},
	}
	tests := []struct {
		name   string
		kind   Kind
		change func(*Dose)
		want   []string // field:min-max
	}{
		{"duration in range", Duration, func(d *Dose) {}, nil},
		{"duration at its limits", Duration, func(d *Dose) { d.Seconds, d.Sets, d.Rest = 3600, 10, 600 }, nil},
		{"duration too short", Duration, func(d *Dose) { d.Seconds = 9 }, []string{"seconds:10-3600"}},
		{"hold too long, too many holds", Hold, func(d *Dose) { d.Seconds, d.Reps = 121, 31 }, []string{"seconds:3-120", "reps:1-30"}},
		{"reps without a pace", Reps, func(d *Dose) { d.SecondsPerRep = 0 }, []string{"secondsPerRep:1-60"}},
		{"three sides", Reps, func(d *Dose) { d.Sides = 3 }, []string{"sides:1-2"}},
		{"no sides", Hold, func(d *Dose) { d.Sides = 0 }, []string{"sides:1-2"}},
		{"no sets, negative rest", Hold, func(d *Dose) { d.Sets, d.Rest = 0, -1 }, []string{"sets:1-10", "rest:0-600"}},
		{"unknown kind", Reps, func(d *Dose) { d.Kind = "jump" }, []string{"kind:0-0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := ok[tt.kind]
			tt.change(&d)
			var got []string
			for _, p := range CheckDose(d) {
				got = append(got, fmt.Sprintf("%s:%d-%d", p.Field, p.Min, p.Max))
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("CheckDose(%+v) = %v, want %v", d, got, tt.want)
			}
		})
	}
}

// TestForbidden: only an extension exercise in an LSS programme (A2).
func TestForbidden(t *testing.T) {
	ext, flex := &Exercise{Posture: Extension}, &Exercise{Posture: Flexion}
	for _, tt := range []struct {
		cond string
		e    *Exercise
		want bool
	}{{LSS, ext, true}, {LSS, flex, false}, {"", ext, false}, {LSS, nil, false}} {
		if got := Forbidden(tt.cond, tt.e); got != tt.want {
			t.Errorf("Forbidden(%q, %v) = %v, want %v", tt.cond, tt.e, got, tt.want)
		}
	}
}
