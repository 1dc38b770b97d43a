package i18n

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The catalogue: locales/<lang>/*.yaml, the same files for each language
// (one per part of the program), embedded in the binary and checked when
// the program starts. A broken catalogue stops
// the program with every problem as file:line, never a page with a key in
// it.

//go:embed locales/*/*.yaml
var locales embed.FS

type catalogue struct {
	text   map[Lang]map[string]string            // plain texts
	plural map[Lang]map[string]map[string]string // key → CLDR form → text
}

var cat = mustLoad()

func mustLoad() catalogue {
	c, err := load(locales)
	if err != nil {
		panic("i18n: the catalogue is broken:\n" + err.Error())
	}
	return c
}

// pluralForms are the CLDR categories each language needs for whole
// numbers; a plural text must give each of them.
var pluralForms = map[Lang][]string{Da: {"one", "other"}, En: {"one", "other"}}

var allForms = []string{"zero", "one", "two", "few", "many", "other"}

// where says file:line of each key, for the errors of the check across
// languages.
type where map[string]string

// load reads and checks the catalogue in fsys (locales/<lang>/*.yaml).
func load(fsys fs.FS) (catalogue, error) {
	c := catalogue{text: map[Lang]map[string]string{}, plural: map[Lang]map[string]map[string]string{}}
	var errs []error
	at := map[Lang]where{}
	for _, l := range Langs {
		c.text[l], c.plural[l], at[l] = map[string]string{}, map[string]map[string]string{}, where{}
		names, err := fs.Glob(fsys, "locales/"+string(l)+"/*.yaml")
		if err != nil {
			return c, err
		}
		if len(names) == 0 {
			errs = append(errs, fmt.Errorf("locales/%s: no .yaml files", l))
		}
		for _, name := range names {
			src, err := fs.ReadFile(fsys, name)
			if err != nil {
				return c, err
			}
			errs = append(errs, parseFile(name, src, l, c.text[l], c.plural[l], at[l])...)
		}
	}
	// The same keys, of the same kind, with the same verbs in every
	// language.
	for _, l := range Langs[1:] {
		for k, w := range at[Da] {
			if _, ok := at[l][k]; !ok {
				errs = append(errs, fmt.Errorf("%s: %q has no text in locales/%s", w, k, l))
			}
		}
		for k, w := range at[l] {
			if _, ok := at[Da][k]; !ok {
				errs = append(errs, fmt.Errorf("%s: %q is not in locales/da", w, k))
			}
		}
		for k, da := range c.text[Da] {
			if s, ok := c.text[l][k]; ok && !sameVerbs(da, s) {
				errs = append(errs, fmt.Errorf("%s: %q fills in %v, but locales/da %v", at[l][k], k, verbs(s), verbs(da)))
			}
			if _, ok := c.plural[l][k]; ok {
				errs = append(errs, fmt.Errorf("%s: %q is a plural text here and a plain one in locales/da", at[l][k], k))
			}
		}
		for k, da := range c.plural[Da] {
			if _, ok := c.text[l][k]; ok {
				errs = append(errs, fmt.Errorf("%s: %q is a plain text here and a plural one in locales/da", at[l][k], k))
			}
			if forms, ok := c.plural[l][k]; ok && !sameVerbs(da["other"], forms["other"]) {
				errs = append(errs, fmt.Errorf("%s: %q fills in %v, but locales/da %v", at[l][k], k, verbs(forms["other"]), verbs(da["other"])))
			}
		}
	}
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return c, errors.Join(errs...)
}

// parseFile reads one file of language l into text, plural and w: a
// mapping of key to a string, or to a mapping of CLDR plural forms to
// strings. A key is one text in the whole catalogue, whichever file holds it.
func parseFile(name string, src []byte, l Lang, text map[string]string, plural map[string]map[string]string, w where) []error {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return []error{fmt.Errorf("%s: %v", name, err)}
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return []error{fmt.Errorf("%s:1: the file must be a mapping of key: text", name)}
	}
	var errs []error
	bad := func(n *yaml.Node, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s:%d: %s", name, n.Line, fmt.Sprintf(format, args...)))
	}
	m := doc.Content[0].Content
	for i := 0; i+1 < len(m); i += 2 {
		k, v := m[i], m[i+1]
		key := k.Value
		if !keyRE.MatchString(key) {
			bad(k, "%q is not a key: use letters, digits and _ only", key)
			continue
		}
		if _, dup := w[key]; dup {
			bad(k, "%q again (first at %s)", key, w[key])
			continue
		}
		w[key] = fmt.Sprintf("%s:%d", name, k.Line)
		switch v.Kind {
		case yaml.ScalarNode:
			if v.Tag != "!!str" {
				bad(v, "%q: the text must be a string in quotes", key)
				continue
			}
			if strings.TrimSpace(v.Value) == "" {
				bad(v, "%q has an empty text", key)
			}
			text[key] = v.Value
		case yaml.MappingNode:
			forms := map[string]string{}
			for j := 0; j+1 < len(v.Content); j += 2 {
				f, s := v.Content[j], v.Content[j+1]
				if !slices.Contains(allForms, f.Value) {
					bad(f, "%q: %q is no CLDR plural form (zero, one, two, few, many, other)", key, f.Value)
					continue
				}
				if s.Kind != yaml.ScalarNode || s.Tag != "!!str" || strings.TrimSpace(s.Value) == "" {
					bad(s, "%q: the %s form must be a text in quotes", key, f.Value)
					continue
				}
				if !strings.Contains(s.Value, "%s") {
					bad(s, "%q: the %s form must show the number (%%s)", key, f.Value)
				}
				forms[f.Value] = s.Value
			}
			for _, need := range pluralForms[l] {
				if _, ok := forms[need]; !ok {
					bad(v, "%q lacks the %s form %s needs", key, need, l)
				}
			}
			for f, s := range forms {
				if !sameVerbs(s, forms["other"]) {
					bad(v, "%q: the %s form fills in %v, the other form %v", key, f, verbs(s), verbs(forms["other"]))
				}
			}
			plural[key] = forms
		default:
			bad(v, "%q must be a text or a mapping of plural forms", key)
		}
	}
	return errs
}

var keyRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

var verbRE = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)

// verbs lists the fmt verbs of s, sorted ("%[2]s" counts as "%s"), without
// "%%".
func verbs(s string) []string {
	var out []string
	for _, v := range verbRE.FindAllString(s, -1) {
		if v == "%%" {
			continue
		}
		out = append(out, "%"+v[len(v)-1:])
	}
	slices.Sort(out)
	return out
}

func sameVerbs(a, b string) bool { return slices.Equal(verbs(a), verbs(b)) }
