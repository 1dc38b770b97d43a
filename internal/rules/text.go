// Small helpers for the advice's Danish and English words.

package rules

import (
	"math"
	"strconv"
	"strings"
)

// count is "1 dag" or "n dage".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

func numEn(x float64) string { return strconv.FormatFloat(round1(x), 'f', -1, 64) }

func numDa(x float64) string { return strings.Replace(numEn(x), ".", ",", 1) }

func listDa(xs []string) string { return list(xs, " og ") }

func listEn(xs []string) string { return list(xs, " and ") }

func list(xs []string, and string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + and + xs[len(xs)-1]
}

func symptomsDa(which []string) string {
	da := map[string]string{"tingling": "snurren", "burning": "brændende fornemmelse", "weakness": "svaghed"}
	var out []string
	for _, w := range which {
		out = append(out, da[w])
	}
	return listDa(out)
}
