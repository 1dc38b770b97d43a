package i18n

import (
	"strconv"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// The plural rules are CLDR's (golang.org/x/text/feature/plural), not a
// hand-written "n == 1": Danish and English agree on whole numbers today,
// but a rule per language is where a third language, or decimals ("1,5
// minutter"), would differ.
var tags = map[Lang]language.Tag{Da: language.Danish, En: language.English}

// One reports whether the whole number n takes the singular ("one") form in
// l.
func (l Lang) One(n int) bool {
	if n < 0 {
		n = -n
	}
	return plural.Cardinal.MatchPlural(tags[l], n, 0, 0, 0, 0) == plural.One
}

// form is the CLDR plural category of the whole number n in l: "one" or
// "other" for Danish and English.
func (l Lang) form(n int) string {
	if n < 0 {
		n = -n
	}
	if names, ok := formNames[plural.Cardinal.MatchPlural(tags[l], n, 0, 0, 0, 0)]; ok {
		return names
	}
	return "other"
}

var formNames = map[plural.Form]string{
	plural.Zero: "zero", plural.One: "one", plural.Two: "two",
	plural.Few: "few", plural.Many: "many", plural.Other: "other",
}

// Count is n, written the way l writes numbers, and the noun in the form
// n takes: "1 minut", "2 minutter", "1.500 skridt"; "1 minute", "0 minutes".
func (l Lang) Count(n int, one, other string) string {
	if l.One(n) {
		return l.Int(n) + " " + one
	}
	return l.Int(n) + " " + other
}

// Int writes a whole number with the language's thousands separator:
// "2.000" in Danish, "2,000" in English; none below 10,000 in Danish
// would be a style choice, but the catalogue writes "2.000 tegn", so the
// separator is always used.
func (l Lang) Int(n int) string {
	s := strconv.Itoa(n)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	sep := "."
	if l == En {
		sep = ","
	}
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, sep...)
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}
