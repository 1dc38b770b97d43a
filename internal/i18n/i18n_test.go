package i18n

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestCatalogueLoads(t *testing.T) {
	c, err := load(locales)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.text[Da]) < 400 || len(c.text[En]) != len(c.text[Da]) {
		t.Errorf("da has %d plain texts, en %d", len(c.text[Da]), len(c.text[En]))
	}
	for _, l := range Langs {
		for _, k := range Keys() {
			if !Has(l, k) {
				t.Errorf("%s: missing %q", l, k)
			}
		}
	}
}

// TestCatalogueProblems: a broken catalogue is refused with every problem
// as file:line.
func TestCatalogueProblems(t *testing.T) {
	tests := []struct {
		name   string
		da, en string
		want   []string // each must be in the error; none: no error
	}{
		{"good", "a: \"Hej\"\nn:\n  one: \"%s dag\"\n  other: \"%s dage\"\n", "a: \"Hello\"\nn:\n  one: \"%s day\"\n  other: \"%s days\"\n", nil},
		{"missing in en", "a: \"Hej\"\nb: \"Farvel\"\n", "a: \"Hello\"\n", []string{`locales/da/x.yaml:2: "b" has no text in locales/en`}},
		{"only in en", "a: \"Hej\"\n", "a: \"Hello\"\nc: \"x\"\n", []string{`locales/en/x.yaml:2: "c" is not in locales/da`}},
		{"verbs differ", "a: \"Side %d af %d\"\n", "a: \"Page %d\"\n", []string{`locales/en/x.yaml:1: "a" fills in [%d]`}},
		{"verbs reordered", "a: \"%s og %d\"\n", "a: \"%[2]d and %[1]s\"\n", nil},
		{"duplicate", "a: \"Hej\"\na: \"Igen\"\n", "a: \"Hello\"\n", []string{`locales/da/x.yaml:2: "a" again (first at locales/da/x.yaml:1)`}},
		{"not a string", "a: 12\n", "a: \"12\"\n", []string{`locales/da/x.yaml:1: "a": the text must be a string in quotes`}},
		{"empty", "a: \" \"\n", "a: \"x\"\n", []string{`locales/da/x.yaml:1: "a" has an empty text`}},
		{"plural lacks one", "n:\n  other: \"%s dage\"\n", "n:\n  one: \"%s day\"\n  other: \"%s days\"\n", []string{`locales/da/x.yaml:2: "n" lacks the one form da needs`}},
		{"plural no number", "n:\n  one: \"en dag\"\n  other: \"%s dage\"\n", "n:\n  one: \"%s day\"\n  other: \"%s days\"\n", []string{`locales/da/x.yaml:2: "n": the one form must show the number (%s)`}},
		{"unknown form", "n:\n  one: \"%s dag\"\n  other: \"%s dage\"\n  several: \"%s\"\n", "n:\n  one: \"%s day\"\n  other: \"%s days\"\n", []string{`"n": "several" is no CLDR plural form`}},
		{"plain vs plural", "n:\n  one: \"%s dag\"\n  other: \"%s dage\"\n", "n: \"%s days\"\n", []string{`locales/en/x.yaml:1: "n" is a plain text here and a plural one in locales/da`}},
		{"plural vs plain", "n: \"%s dage\"\n", "n:\n  one: \"%s day\"\n  other: \"%s days\"\n", []string{`locales/en/x.yaml:1: "n" is a plural text here and a plain one in locales/da`}},
		{"bad key", "a b: \"x\"\n", "a b: \"x\"\n", []string{`locales/da/x.yaml:1: "a b" is not a key`}},
		{"not yaml", "a: [\n", "a: \"x\"\n", []string{`locales/da/x.yaml: yaml:`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(fstest.MapFS{
				"locales/da/x.yaml": {Data: []byte(tt.da)},
				"locales/en/x.yaml": {Data: []byte(tt.en)},
			})
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\nlacks %q", err, w)
				}
			}
		})
	}
}

// TestCatalogueFiles: a key is one text in the whole catalogue, whichever
// of a language's files holds it.
func TestCatalogueFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"locales/da/a.yaml": {Data: []byte("a: \"Hej\"\n")},
		"locales/da/b.yaml": {Data: []byte("b: \"Farvel\"\na: \"Igen\"\n")},
		"locales/en/a.yaml": {Data: []byte("a: \"Hello\"\nb: \"Bye\"\n")},
	}
	_, err := load(fsys)
	if err == nil || !strings.Contains(err.Error(), `locales/da/b.yaml:2: "a" again (first at locales/da/a.yaml:1)`) {
		t.Errorf("error = %v", err)
	}
	delete(fsys, "locales/da/b.yaml")
	fsys["locales/da/b.yaml"] = &fstest.MapFile{Data: []byte("b: \"Farvel\"\n")}
	c, err := load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if c.text[Da]["b"] != "Farvel" || c.text[En]["b"] != "Bye" {
		t.Errorf("texts = %v", c.text)
	}
	_, err = load(fstest.MapFS{"locales/da/a.yaml": {Data: []byte("a: \"Hej\"\n")}})
	if err == nil || !strings.Contains(err.Error(), "locales/en: no .yaml files") {
		t.Errorf("error = %v", err)
	}
}

func TestDate(t *testing.T) {
	tests := []struct {
		lang Lang
		date time.Time
		want string
	}{
		{Da, time.Date(2025, 7, 10, 0, 0, 0, 0, time.UTC), "10. juli 2025"},
		{Da, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), "1. januar 2024"},
		{Da, time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC), "31. december 2024"},
		{En, time.Date(2025, 7, 10, 0, 0, 0, 0, time.UTC), "10 July 2025"},
	}
	for _, tt := range tests {
		if got := tt.lang.Date(tt.date); got != tt.want {
			t.Errorf("%s.Date(%v) = %q, want %q", tt.lang, tt.date, got, tt.want)
		}
	}
}
