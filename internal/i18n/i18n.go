// Package i18n holds every word of the program — the public site, the app,
// the rules' advice, the progress page's sentences, the errors — in Danish
// (first) and English, in one catalogue: locales/da.yaml and
// locales/en.yaml, read once when the program starts. It also writes
// numbers and dates the way each language does, with CLDR plural rules.
//
// Articles are written in Danish and stay Danish; only the site's own
// words change language.
package i18n

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Lang is a language the program's words exist in.
type Lang string

const (
	Da Lang = "da"
	En Lang = "en"
)

// Langs lists the languages, Danish first.
var Langs = []Lang{Da, En}

// T returns the text for key in l. A key the catalogue does not hold
// returns the key itself; TestCodeKeys and CheckTemplate make sure no
// literal key in the code or the templates is missing, and the catalogue
// refuses to load unless both languages hold the same keys.
func (l Lang) T(key string) string {
	if s, ok := cat.text[l][key]; ok {
		return s
	}
	if s, ok := cat.text[Da][key]; ok {
		return s
	}
	return key
}

// Tf is T with fmt.Sprintf arguments.
func (l Lang) Tf(key string, args ...any) string { return fmt.Sprintf(l.T(key), args...) }

// N returns the text for key in the plural form that n takes in l (CLDR),
// with n written the language's way as its first argument and args after
// it: N("walkMinutes", 1) is "1 minut", N("walkMinutes", 2000) "2.000
// minutter". A key that is a plain text is used as it is.
func (l Lang) N(key string, n int, args ...any) string {
	form := l.T(key)
	if forms, ok := cat.plural[l][key]; ok {
		form = forms[l.form(n)]
		if form == "" {
			form = forms["other"]
		}
	}
	return fmt.Sprintf(form, append([]any{l.Int(n)}, args...)...)
}

var monthsDa = [...]string{"januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"}

// Date writes a date as the language does: "10. juli 2025", "10 July 2025".
func (l Lang) Date(t time.Time) string {
	if l == En {
		return t.Format("2 January 2006")
	}
	return strconv.Itoa(t.Day()) + ". " + monthsDa[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// Keys lists every key of the catalogue, plain and plural (for tests).
func Keys() []string {
	keys := make([]string, 0, len(cat.text[Da])+len(cat.plural[Da]))
	for k := range cat.text[Da] {
		keys = append(keys, k)
	}
	for k := range cat.plural[Da] {
		keys = append(keys, k)
	}
	return keys
}

// Labels returns the plain texts of l, for templates: {{.L.navHome}} is a
// map lookup, far cheaper per page than a method call. The map must not be
// changed.
func Labels(l Lang) map[string]string {
	if m, ok := cat.text[l]; ok {
		return m
	}
	return cat.text[Da]
}

// Prefixed returns the texts whose key starts with prefix, with the prefix
// cut and the next letter lower-cased: Prefixed(Da, "player") holds
// "start", "pause", … for the browser code.
func Prefixed(l Lang, prefix string) map[string]string {
	m := map[string]string{}
	for k, v := range cat.text[l] {
		if rest, ok := strings.CutPrefix(k, prefix); ok && rest != "" {
			m[strings.ToLower(rest[:1])+rest[1:]] = v
		}
	}
	return m
}

// Has reports whether key is in the catalogue, plain or plural.
func Has(l Lang, key string) bool {
	if _, ok := cat.text[l][key]; ok {
		return true
	}
	_, ok := cat.plural[l][key]
	return ok
}
