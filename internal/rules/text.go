// The advice's words. A rule says what it found as codes and data, and as
// phrases: keys of the catalogue (internal/i18n/locales/*/advice.yaml) with
// the values they fill in. Text puts them into Danish or English; no word
// of the advice is written here.

package rules

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/stenose/stenose/internal/i18n"
)

// Phrase is one text of the catalogue with the values it fills in. Args
// may be an int (written the language's way: "2.000"), a float64 (at most
// one decimal: "4,5"), a string (shown as it is: an exercise's slug), a
// Phrase, a []Phrase (a list: "a, b og c") or a Joined. A Phrase with Plural set is
// a plural text (i18n.Lang.N) for the number N, and Args follow N.
type Phrase struct {
	Key    string
	Args   []any
	Plural bool
	N      int
	// Capital starts the text with a capital letter (a phrase that opens
	// a sentence here and sits inside one elsewhere).
	Capital bool
}

// Joined is phrases joined by the catalogue's text Sep
// ("advice_sepAnswers": "; ").
type Joined struct {
	Sep     string
	Phrases []Phrase
}

// say is the advice's phrase "advice_"+key with args.
func say(key string, args ...any) Phrase { return Phrase{Key: "advice_" + key, Args: args} }

// sayN is the advice's plural phrase "advice_"+key for n, with args after
// n.
func sayN(key string, n int, args ...any) Phrase {
	return Phrase{Key: "advice_" + key, Plural: true, N: n, Args: args}
}

// Text is the phrase in l.
func (p Phrase) Text(l i18n.Lang) string {
	args := make([]any, len(p.Args))
	for i, a := range p.Args {
		args[i] = argText(l, a)
	}
	var s string
	if p.Plural {
		s = l.N(p.Key, p.N, args...)
	} else {
		s = l.Tf(p.Key, args...)
	}
	if p.Capital && s != "" {
		r := []rune(s)
		s = strings.ToUpper(string(r[0])) + string(r[1:])
	}
	return s
}

func argText(l i18n.Lang, a any) string {
	switch a := a.(type) {
	case int:
		return l.Int(a)
	case int64:
		return l.Int(int(a))
	case float64:
		return num(l, a)
	case string:
		return a
	case Day: // a problem's day: 2026-03-14, or 14-03-2026 in Danish
		if l == i18n.Da {
			return danishDate(a)
		}
		return a.String()
	case time.Time: // a problem's time stamp
		if l == i18n.Da {
			return a.Format("02-01-2006 15:04")
		}
		return a.Format(time.RFC3339)
	case yearOf:
		if l == i18n.Da {
			return time.Time(a).Format("02-01-2006")
		}
		return time.Time(a).Format(time.RFC3339)
	case Phrase:
		return a.Text(l)
	case []Phrase:
		parts := make([]string, len(a))
		for i, p := range a {
			parts[i] = p.Text(l)
		}
		return list(parts, l.T("advice_listAnd"))
	case Joined:
		parts := make([]string, len(a.Phrases))
		for i, p := range a.Phrases {
			parts[i] = p.Text(l)
		}
		return strings.Join(parts, l.T(a.Sep))
	}
	return ""
}

// Text is the whole advice in l: its phrases, one after the other.
func (a Advice) Text(l i18n.Lang) string { return a.TextWithout(l, "") }

// TextWithout is Text without the phrase key (say's key, without
// "advice_"): for a page that says that part its own way.
func (a Advice) TextWithout(l i18n.Lang, key string) string {
	parts := make([]string, 0, len(a.Says))
	for _, p := range a.Says {
		if key == "" || p.Key != "advice_"+key {
			parts = append(parts, p.Text(l))
		}
	}
	return strings.Join(parts, " ")
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// num is x with at most one decimal, in l's way: "4,5", "4.5".
func num(l i18n.Lang, x float64) string {
	s := strconv.FormatFloat(round1(x), 'f', -1, 64)
	if l == i18n.Da {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// list joins xs as "a, b and c"; and is " og " or " and ".
func list(xs []string, and string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + and + xs[len(xs)-1]
}
