package progress

import (
	"math"
	"slices"
	"time"

	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/rules"
)

// Scoring is one scoring of the Patient-Specific Functional Scale (PSFS):
// the activities the patient chose, each scored 0 (cannot do it) to 10
// (as before the problem), and their average.
type Scoring struct {
	// Day is the scoring's date, as midnight UTC of that calendar date.
	Day time.Time
	// Mean is the average of the activities' scores, rounded to 0.1 (the
	// number the page shows and the rules compare).
	Mean       float64
	Activities []rules.Activity
}

// ScoreChange compares the latest PSFS scoring with the first (the
// baseline). Meaningful is 2 points of the average, judged on the averages
// rounded to one decimal, as the rules judge it (docs/sources.md,
// "Meaningful change").
type ScoreChange struct {
	Then, Now float64
	// Direction is Up when the activities have become clearly easier (a
	// higher score), Down when clearly harder, else Same.
	Direction Direction
}

// meaningPSFS is a meaningful change of the PSFS average, in tenths.
const meaningPSFS = 20

// scorings are h's PSFS scorings up to today, by date (the order of the
// history for scorings of the same day), leaving out what the rules' check
// would reject: no date, no or more than three activities, a score outside
// 0–10.
func scorings(ps []rules.PSFS, today int64) []Scoring {
	type dated struct {
		day int64
		s   Scoring
	}
	var ds []dated
	for _, p := range ps {
		n, ok := dayNum(p.Date)
		if !ok || n > today || len(p.Activities) == 0 || len(p.Activities) > 3 {
			continue
		}
		sum := 0
		for _, a := range p.Activities {
			if !nrsOK(a.Score) {
				ok = false
			}
			sum += a.Score
		}
		if !ok {
			continue
		}
		mean := math.Round(float64(sum)*10/float64(len(p.Activities))) / 10
		ds = append(ds, dated{n, Scoring{Day: dayTime(n), Mean: mean, Activities: slices.Clone(p.Activities)}})
	}
	slices.SortStableFunc(ds, func(a, b dated) int {
		switch {
		case a.day < b.day:
			return -1
		case a.day > b.day:
			return 1
		}
		return 0
	})
	out := make([]Scoring, len(ds))
	for i, d := range ds {
		out[i] = d.s
	}
	return out
}

// scoreChange compares the last scoring with the first; nil with fewer
// than two.
func scoreChange(ss []Scoring) *ScoreChange {
	if len(ss) < 2 {
		return nil
	}
	c := &ScoreChange{Then: ss[0].Mean, Now: ss[len(ss)-1].Mean}
	switch d := tenths(c.Now) - tenths(c.Then); {
	case d >= meaningPSFS:
		c.Direction = Up
	case -d >= meaningPSFS:
		c.Direction = Down
	}
	return c
}

// Sentence is c as one plain sentence in l, "Dine egne aktiviteter: fra
// 3,5 til 6 (af 10), siden du startede. …".
func (c ScoreChange) Sentence(l i18n.Lang) string {
	l = langOf(l)
	key := "progress_psfsSame"
	switch c.Direction {
	case Up:
		key = "progress_psfsUp"
	case Down:
		key = "progress_psfsDown"
	}
	return l.Tf(key, num(c.Then, l), num(c.Now, l))
}
