// Package programme reads the exercise library (content/exercises) and the
// programmes composed from it (content/programmes), checks them against the
// article's rules, and turns a programme into the plan of a guided session.
//
// Sources: the seed article's section "Hvad skal man være opmærksom på
// under træning med spinalstenose" and docs/sources.md A1–A5.
package programme

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/stenose/stenose/internal/content"
)

// Posture is how an exercise holds the lower back (docs/sources.md A1).
type Posture string

const (
	Flexion   Posture = "flexion"   // bent slightly forward: room in the spinal canal
	Neutral   Posture = "neutral"   // neither
	Extension Posture = "extension" // the back bends backwards: avoided in LSS (A2)
)

// Kind is how an exercise is dosed.
type Kind string

const (
	Duration Kind = "duration" // one timed block per set
	Hold     Kind = "hold"     // holds of Seconds, Reps per side
	Reps     Kind = "reps"     // counted repetitions at a guide pace
)

// Dose is how much of an exercise, in one session.
type Dose struct {
	Kind          Kind
	Seconds       int // duration: the block; hold: one hold
	SecondsPerRep int // reps: the guide pace
	Reps          int // hold: holds per side; reps: repetitions per set
	Sides         int // 1, or 2 for left and right
	Sets          int
	Rest          int // seconds between holds, sides and sets
}

// Exercise is one entry of the exercise library.
type Exercise struct {
	Slug, File     string
	Name, NameEn   string
	Posture        Posture
	Dose           Dose
	DoseSource     string // "article" or "clinic" (a conservative default)
	DoseNote       string
	Drawing        string // "/images/…svg"
	ArticleHeading string // the heading id in the programme's article
	Walk           bool   // the walk-with-pauses exercise: walk mode fits it
	Instruction    string // the one line the player shows
	InstructionEn  string
	Equipment      string
	EquipmentEn    string
	Caution        string
	CautionEn      string
	StepsHTML      []byte // the Danish step list
	StepsEnHTML    []byte // the English one
}

// Item is one exercise in a programme, with the dose the programme gives it.
type Item struct {
	Exercise *Exercise
	Dose     Dose
}

// Programme is a composed set of exercises.
type Programme struct {
	Slug, File   string
	Name, NameEn string
	Condition    string // "lss": extension exercises are not allowed (A2)
	PerWeek      int
	Article      string // the slug of the article it comes from
	Rest         *Exercise
	Items        []Item
	IntroHTML    []byte
	IntroEnHTML  []byte // the introduction in English; nil when the file has none
}

// Library is every exercise and programme of a content folder.
type Library struct {
	Exercises  []*Exercise // by name
	Programmes []*Programme
	bySlug     map[string]*Exercise
}

// Exercise returns the exercise with the slug, or nil.
func (l *Library) Exercise(slug string) *Exercise { return l.bySlug[slug] }

// Programme returns the programme with the slug, or nil.
func (l *Library) Programme(slug string) *Programme {
	for _, p := range l.Programmes {
		if p.Slug == slug {
			return p
		}
	}
	return nil
}

// ByArticleHeading returns the exercises of an article's headings, keyed by
// heading id.
func (l *Library) ByArticleHeading() map[string]*Exercise {
	m := map[string]*Exercise{}
	for _, e := range l.Exercises {
		if e.ArticleHeading != "" {
			m[e.ArticleHeading] = e
		}
	}
	return m
}

var exerciseKeys = map[string]bool{
	"name": true, "nameEn": true, "posture": true, "dose": true, "seconds": true, "secondsPerRep": true,
	"reps": true, "sides": true, "sets": true, "rest": true, "doseSource": true, "doseNote": true,
	"drawing": true, "articleHeading": true, "walk": true, "instruction": true, "instructionEn": true,
	"equipment": true, "equipmentEn": true, "caution": true, "cautionEn": true,
}

var programmeKeys = map[string]bool{
	"name": true, "nameEn": true, "condition": true, "perWeek": true, "article": true, "rest": true, "exercises": true,
}

// doseKeys may be given per exercise in a programme, to override its dose.
var doseKeys = map[string]bool{"seconds": true, "secondsPerRep": true, "reps": true, "sides": true, "sets": true, "rest": true}

// Load reads exercises/ and programmes/ of a content folder. images tells
// which files exist under /images/. Files with errors are left out.
func Load(fsys fs.FS, images map[string]content.ImageInfo) (*Library, content.Problems) {
	var probs content.Problems
	lib := &Library{bySlug: map[string]*Exercise{}}
	files, _ := fs.Glob(fsys, "exercises/*.md")
	for _, f := range files {
		if e := loadExercise(fsys, f, images, &probs); e != nil {
			lib.bySlug[e.Slug] = e
			lib.Exercises = append(lib.Exercises, e)
		}
	}
	sort.Slice(lib.Exercises, func(i, j int) bool { return lib.Exercises[i].Name < lib.Exercises[j].Name })
	files, _ = fs.Glob(fsys, "programmes/*.md")
	for _, f := range files {
		if p := loadProgramme(fsys, f, lib, images, &probs); p != nil {
			lib.Programmes = append(lib.Programmes, p)
		}
	}
	probs.Sort()
	return lib, probs
}

func readFile(fsys fs.FS, file string, known, structured map[string]bool, probs *content.Problems) (content.FrontMatter, bool) {
	src, err := fs.ReadFile(fsys, file)
	if err != nil {
		probs.Errorf(file, 1, "cannot read: %v", err)
		return content.FrontMatter{}, false
	}
	return content.ReadFrontMatter(file, src, known, structured, probs)
}

func loadExercise(fsys fs.FS, file string, images map[string]content.ImageInfo, probs *content.Problems) *Exercise {
	before := len(*probs)
	fm, ok := readFile(fsys, file, exerciseKeys, nil, probs)
	if !ok {
		return nil
	}
	str := func(k string) string { return strings.TrimSpace(fm.Fields[k].Value) }
	line := func(k string) int {
		if f, ok := fm.Fields[k]; ok {
			return f.Line
		}
		return 1
	}
	e := &Exercise{
		Slug: strings.TrimSuffix(path.Base(file), ".md"), File: file,
		Name: str("name"), NameEn: str("nameEn"), DoseSource: str("doseSource"), DoseNote: str("doseNote"),
		Drawing: str("drawing"), ArticleHeading: str("articleHeading"), Walk: str("walk") == "true",
		Instruction: str("instruction"), InstructionEn: str("instructionEn"),
		Equipment: str("equipment"), EquipmentEn: str("equipmentEn"), Caution: str("caution"), CautionEn: str("cautionEn"),
	}
	for _, k := range []string{"name", "instruction"} {
		if str(k) == "" {
			probs.Errorf(file, line(k), "missing %s", k)
		}
	}
	switch Posture(str("posture")) {
	case Flexion, Neutral, Extension:
		e.Posture = Posture(str("posture"))
	default:
		probs.Errorf(file, line("posture"), "posture must be flexion, neutral or extension (docs/sources.md A1), not %q", str("posture"))
	}
	switch e.DoseSource {
	case "article", "clinic":
	default:
		probs.Errorf(file, line("doseSource"), "doseSource must be article (the dose is the article's) or clinic (the clinic's conservative default), not %q", e.DoseSource)
	}
	e.Dose = Dose{Kind: Kind(str("dose")), Sides: 1, Sets: 1, Reps: 1}
	readDose(&e.Dose, func(k string) (string, int, bool) {
		f, ok := fm.Fields[k]
		return strings.TrimSpace(f.Value), f.Line, ok
	}, file, probs)
	checkDose(e.Dose, file, line("dose"), probs)
	if e.Drawing == "" {
		probs.Errorf(file, line("drawing"), "missing drawing: add a line  drawing: /images/exercises/<name>.svg")
	} else if _, ok := images[e.Drawing]; !ok {
		probs.Errorf(file, line("drawing"), "drawing %s does not exist under images/", e.Drawing)
	}
	e.StepsHTML, e.StepsEnHTML = renderSteps(file, fm, images, probs)
	if content.Problems((*probs)[before:]).HasErrors() {
		return nil
	}
	return e
}

// readDose reads the dose numbers that are given; get returns a key's value.
func readDose(d *Dose, get func(string) (string, int, bool), file string, probs *content.Problems) {
	for _, k := range []struct {
		key string
		dst *int
	}{{"seconds", &d.Seconds}, {"secondsPerRep", &d.SecondsPerRep}, {"reps", &d.Reps}, {"sides", &d.Sides}, {"sets", &d.Sets}, {"rest", &d.Rest}} {
		v, line, ok := get(k.key)
		if !ok {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			probs.Errorf(file, line, "%s must be a whole number, not %q", k.key, v)
			continue
		}
		*k.dst = n
	}
}

// DoseProblem is one number of a dose no one can or should do: Field is
// the dose's key ("kind", "seconds", "secondsPerRep", "reps", "sides",
// "sets", "rest"), Min and Max the range allowed (none for "kind"), Msg the
// content check's words for it.
type DoseProblem struct {
	Field    string
	Min, Max int
	Msg      string
}

// CheckDose lists what is wrong with a dose, in the order of its fields:
// the one set of limits for a dose, whether a content file or a clinician
// gives it (internal/care's programme versions).
func CheckDose(d Dose) []DoseProblem {
	var out []DoseProblem
	check := func(field string, n, lo, hi int, format string) {
		if n < lo || n > hi {
			out = append(out, DoseProblem{Field: field, Min: lo, Max: hi, Msg: "impossible dose: " + fmt.Sprintf(format, n)})
		}
	}
	switch d.Kind {
	case Duration:
		check("seconds", d.Seconds, 10, 3600, "a duration of %d seconds (allowed: 10–3600)")
	case Hold:
		check("seconds", d.Seconds, 3, 120, "a hold of %d seconds (allowed: 3–120)")
		check("reps", d.Reps, 1, 30, "%d holds (allowed: 1–30)")
	case Reps:
		check("reps", d.Reps, 1, 100, "%d repetitions (allowed: 1–100)")
		check("secondsPerRep", d.SecondsPerRep, 1, 60, "secondsPerRep %d (allowed: 1–60)")
	default:
		return []DoseProblem{{Field: "kind", Msg: fmt.Sprintf("dose must be duration, hold or reps, not %q", d.Kind)}}
	}
	check("sides", d.Sides, 1, 2, "sides %d (1, or 2 for left and right)")
	check("sets", d.Sets, 1, 10, "%d sets (allowed: 1–10)")
	check("rest", d.Rest, 0, 600, "a rest of %d seconds (allowed: 0–600)")
	return out
}

// checkDose reports a content file's dose that CheckDose refuses.
func checkDose(d Dose, file string, line int, probs *content.Problems) {
	for _, p := range CheckDose(d) {
		probs.Errorf(file, line, "%s", p.Msg)
	}
}

// PerWeekMin and PerWeekMax bound a programme's sessions a week.
const PerWeekMin, PerWeekMax = 1, 14

// LSS is the condition of a programme for lumbar spinal stenosis.
const LSS = "lss"

// Forbidden reports whether a programme for condition may not hold e: an
// LSS programme must avoid exercises that bend the back backwards (the
// seed article: "Det er vigtigt at undgå øvelser, hvor ryggen bøjes
// bagover", docs/sources.md A2). The content check and a clinician's
// programme for one patient (internal/care) both ask it.
func Forbidden(condition string, e *Exercise) bool {
	return condition == LSS && e != nil && e.Posture == Extension
}

// Tailored is p with its exercises and sessions a week replaced: a
// clinician's programme for one patient, built on p. The rest of p (its
// name, introduction, rest exercise, article) stays.
func (p *Programme) Tailored(items []Item, perWeek int) *Programme {
	c := *p
	c.Items = slices.Clone(items)
	c.PerWeek = perWeek
	return &c
}

// renderSteps renders the body's "## Dansk" and "## English" sections.
func renderSteps(file string, fm content.FrontMatter, images map[string]content.ImageInfo, probs *content.Problems) (da, en []byte) {
	body := fm.Body
	iDa := bytes.Index(body, []byte("## Dansk"))
	iEn := bytes.Index(body, []byte("## English"))
	if iDa < 0 || iEn < 0 || iEn < iDa {
		probs.Errorf(file, fm.BodyLine, "the body needs a section \"## Dansk\" followed by \"## English\" with the steps")
		return nil, nil
	}
	lineAt := func(i int) int { return fm.BodyLine + bytes.Count(body[:i], []byte("\n")) }
	daSrc := body[iDa+len("## Dansk") : iEn]
	enSrc := body[iEn+len("## English"):]
	return content.RenderMarkdown(file, daSrc, lineAt(iDa), images, probs),
		content.RenderMarkdown(file, enSrc, lineAt(iEn), images, probs)
}

func loadProgramme(fsys fs.FS, file string, lib *Library, images map[string]content.ImageInfo, probs *content.Problems) *Programme {
	before := len(*probs)
	fm, ok := readFile(fsys, file, programmeKeys, map[string]bool{"exercises": true}, probs)
	if !ok {
		return nil
	}
	str := func(k string) string { return strings.TrimSpace(fm.Fields[k].Value) }
	p := &Programme{
		Slug: strings.TrimSuffix(path.Base(file), ".md"), File: file,
		Name: str("name"), NameEn: str("nameEn"), Condition: str("condition"), Article: str("article"),
	}
	if p.Name == "" {
		probs.Errorf(file, 1, "missing name")
	}
	p.PerWeek = 3
	if f, ok := fm.Fields["perWeek"]; ok {
		n, err := strconv.Atoi(strings.TrimSpace(f.Value))
		if err != nil || n < PerWeekMin || n > PerWeekMax {
			probs.Errorf(file, f.Line, "perWeek must be a number of sessions a week from 1 to 14, not %q", f.Value)
		}
		p.PerWeek = n
	}
	if f, ok := fm.Fields["rest"]; ok {
		if p.Rest = lib.Exercise(strings.TrimSpace(f.Value)); p.Rest == nil {
			probs.Errorf(file, f.Line, "unknown rest exercise %q: there is no exercises/%s.md", f.Value, strings.TrimSpace(f.Value))
		}
	}
	var lines []int // each item's file line
	f, ok := fm.Fields["exercises"]
	if !ok || f.Node == nil || f.Node.Kind != yaml.SequenceNode || len(f.Node.Content) == 0 {
		line := 1
		if ok {
			line = f.Line
		}
		probs.Errorf(file, line, "exercises must be a list of exercise slugs (each line  - <slug>, or  - exercise: <slug> with dose numbers)")
	} else {
		for _, n := range f.Node.Content {
			if it, ok := programmeItem(n, file, lib, probs); ok {
				p.Items = append(p.Items, it)
				lines = append(lines, content.YAMLLine(n))
			}
		}
	}
	for i, it := range p.Items {
		if Forbidden(p.Condition, it.Exercise) {
			probs.Errorf(file, lines[i],
				"%s bends the back backwards (posture: extension): an LSS programme must avoid it – the article: \"Det er vigtigt at undgå øvelser, hvor ryggen bøjes bagover\" (docs/sources.md A2)",
				it.Exercise.Slug)
		}
	}
	// The introduction in both languages: a body with "## Dansk" and
	// "## English" sections, as an exercise's steps. A body without them is
	// the Danish introduction alone, and the English page shows it marked
	// as Danish.
	if bytes.Contains(fm.Body, []byte("## English")) {
		p.IntroHTML, p.IntroEnHTML = renderSteps(file, fm, images, probs)
	} else {
		p.IntroHTML = content.RenderMarkdown(file, fm.Body, fm.BodyLine, images, probs)
		probs.Warnf(file, fm.BodyLine, "the introduction has no English: write it under \"## Dansk\" and \"## English\" (the English page shows the Danish text meanwhile)")
	}
	if content.Problems((*probs)[before:]).HasErrors() {
		return nil
	}
	return p
}

// programmeItem reads one entry of a programme's exercise list: a slug, or
// a map with "exercise" and dose numbers that override the exercise's.
func programmeItem(n *yaml.Node, file string, lib *Library, probs *content.Problems) (Item, bool) {
	line := content.YAMLLine(n)
	slug := ""
	var fields map[string]*yaml.Node
	switch n.Kind {
	case yaml.ScalarNode:
		slug = strings.TrimSpace(n.Value)
	case yaml.MappingNode:
		fields = map[string]*yaml.Node{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value != "exercise" && !doseKeys[k.Value] {
				probs.Warnf(file, content.YAMLLine(k), "unknown key %q in an exercise entry (known: exercise, seconds, secondsPerRep, reps, sides, sets, rest); it is ignored", k.Value)
				continue
			}
			fields[k.Value] = v
		}
		if v := fields["exercise"]; v != nil {
			slug = strings.TrimSpace(v.Value)
		}
	default:
		probs.Errorf(file, line, "an exercise entry must be a slug or a map with exercise: <slug>")
		return Item{}, false
	}
	e := lib.Exercise(slug)
	if e == nil {
		probs.Errorf(file, line, "unknown exercise %q: there is no exercises/%s.md", slug, slug)
		return Item{}, false
	}
	it := Item{Exercise: e, Dose: e.Dose}
	if fields != nil {
		before := len(*probs)
		readDose(&it.Dose, func(k string) (string, int, bool) {
			v, ok := fields[k]
			if !ok || v.Kind != yaml.ScalarNode {
				return "", 0, false
			}
			return strings.TrimSpace(v.Value), content.YAMLLine(v), true
		}, file, probs)
		checkDose(it.Dose, file, line, probs)
		if content.Problems((*probs)[before:]).HasErrors() {
			return Item{}, false
		}
	}
	return it, true
}

// DoseText says a dose in plain words in Danish or English.
func DoseText(d Dose, en bool) string {
	var parts []string
	switch d.Kind {
	case Duration:
		parts = append(parts, duration(d.Seconds, en))
	case Hold:
		if en {
			parts = append(parts, fmt.Sprintf("hold %s, %d times", duration(d.Seconds, en), d.Reps))
		} else {
			parts = append(parts, fmt.Sprintf("hold %s, %d gange", duration(d.Seconds, en), d.Reps))
		}
		if d.Sides == 2 {
			parts[0] += map[bool]string{false: " på hvert ben", true: " on each leg"}[en]
		}
	case Reps:
		parts = append(parts, fmt.Sprintf("%d %s", d.Reps, map[bool]string{false: "gentagelser", true: "repetitions"}[en]))
	}
	if d.Sets > 1 {
		parts = append(parts, fmt.Sprintf("%d %s", d.Sets, map[bool]string{false: "sæt", true: "sets"}[en]))
	}
	blocks := d.Sets * d.Sides
	if d.Kind == Hold {
		blocks *= d.Reps
	}
	if d.Rest > 0 && blocks > 1 {
		parts = append(parts, fmt.Sprintf("%s %s", duration(d.Rest, en), map[bool]string{false: "pause imellem", true: "rest between"}[en]))
	}
	s := strings.Join(parts, ", ")
	if s != "" {
		s = strings.ToUpper(s[:1]) + s[1:]
	}
	return s
}

func duration(sec int, en bool) string {
	if sec >= 60 && sec%60 == 0 {
		m := sec / 60
		if en {
			if m == 1 {
				return "1 minute"
			}
			return fmt.Sprintf("%d minutes", m)
		}
		if m == 1 {
			return "1 minut"
		}
		return fmt.Sprintf("%d minutter", m)
	}
	if en {
		return fmt.Sprintf("%d seconds", sec)
	}
	return fmt.Sprintf("%d sekunder", sec)
}
