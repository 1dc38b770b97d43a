package main

// The clinic's patients: a year of each one's record, made up from a seed
// so that two runs with the same seed write the same records. The shape is
// what a clinic of people with lumbar spinal stenosis doing the
// programme at home would hold: a baseline walking test on the first day
// (and a second one after 12 weeks for half of them), the red-flag screen
// most weeks, diary entries several times a week with leg pain that for
// most falls slowly, the programme's sessions (3 a week planned; each
// patient keeps to it more or less) and walks with pauses. Some stop
// training (the list's "inactive"), a few report tingling, burning or
// weakness (a stop event, a warning on the list) and a few answer yes to
// a red flag in the last weeks (urgent).

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/store"
)

// exercises are the default programme's (content/programmes/5-bedste-oevelser.md).
var exercises = []string{"siddende-cykling", "knae-til-bryst", "kattestraek", "laendesiddende-stilling", "gaaende-med-pauser"}

var (
	firstNames = []string{"Anne", "Bent", "Birgit", "Bo", "Dorthe", "Erik", "Else", "Finn", "Grethe", "Hans",
		"Inge", "Jens", "Jytte", "Karen", "Kirsten", "Knud", "Lars", "Lene", "Mogens", "Niels", "Ole", "Poul",
		"Ruth", "Søren", "Susanne", "Tove", "Ulla", "Vagn", "Aase", "Ærtebølle", "Øjvind", "Åge"}
	lastNames = []string{"Andersen", "Christensen", "Hansen", "Jensen", "Johansen", "Jørgensen", "Larsen",
		"Madsen", "Mortensen", "Møller", "Nielsen", "Olsen", "Pedersen", "Petersen", "Poulsen", "Rasmussen",
		"Sørensen", "Thomsen", "Kristensen", "Østergaard", "Aagaard", "Ågesen"}
)

// patientData is one patient's account and record.
type patientData struct {
	User      store.User
	Baselines []store.Baseline
	Checkins  []store.RedFlagCheckin
	Diary     []store.DiaryEntry
	Sessions  []store.TrainingSession
	Walks     []store.Walk
}

// records is how many records (rows of the record's own tables, not
// counting steps and bouts) the patient has.
func (p *patientData) records() int {
	return len(p.Baselines) + len(p.Checkins) + len(p.Diary) + len(p.Sessions) + len(p.Walks)
}

// genPatient makes patient i (from 0) of a clinic, with a year of record
// up to now.
func genPatient(seed uint64, i int, now time.Time) *patientData {
	r := rand.New(rand.NewPCG(seed, uint64(i)))
	now = now.In(care.Zone)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, care.Zone)
	start := today.AddDate(0, 0, -365-r.IntN(14)) // joined a year (and up to 2 weeks) ago
	p := &patientData{User: store.User{
		Login:     genLogin(i),
		Name:      firstNames[r.IntN(len(firstNames))] + " " + lastNames[r.IntN(len(lastNames))],
		Role:      store.RolePatient,
		CreatedAt: start.Add(9 * time.Hour),
	}}

	// The patient's course: leg pain at the start and how it moves over the
	// year, how closely they keep to the programme, when (if) they stopped.
	leg0 := 4 + r.IntN(5) // 4–8
	var slope float64     // NRS points a year
	switch x := r.Float64(); {
	case x < 0.60:
		slope = -(1 + 3*r.Float64()) // better
	case x < 0.85:
		slope = 0
	default:
		slope = 1 + 2*r.Float64() // worse
	}
	adherence := 0.25 + 0.85*r.Float64() // of the 3 planned sessions a week
	diaryWeek := 2 + r.IntN(4)           // 2–5 entries a week
	walkWeek := 1 + r.IntN(3)            // 1–3 walks a week
	end := today                         // active to yesterday (today's hours may be ahead of now)
	if r.Float64() < 0.12 {
		end = today.AddDate(0, 0, -(10 + r.IntN(60))) // stopped 10–70 days ago
	}
	first0 := 120 + r.IntN(300) // baseline seconds to first symptoms
	neuro := r.Float64() < 0.04 // reports tingling/burning/weakness recently
	redFlag := r.Float64() < 0.015

	at := func(day time.Time) time.Time {
		return day.Add(time.Duration(7*3600+r.IntN(14*3600)) * time.Second) // 07–21
	}
	frac := func(day time.Time) float64 { return day.Sub(start).Hours() / 24 / 365 }
	first := func(day time.Time) int { // seconds to first symptoms, improving with training
		f := float64(first0) * (1 + 0.8*adherence*frac(day))
		return max(30, int(f)+r.IntN(61)-30)
	}

	p.Baselines = append(p.Baselines, baseline(start.Add(10*time.Hour), first0, leg0, r))
	if r.IntN(2) == 0 {
		d := start.AddDate(0, 0, 84)
		p.Baselines = append(p.Baselines, baseline(at(d), first(d), legAt(leg0, slope, frac(d), r), r))
	}

	n := 0
	for day := start; day.Before(end); day = day.AddDate(0, 0, 1) {
		recent := today.Sub(day) < 14*24*time.Hour
		// The red-flag screen, once a week (RecheckDays), most weeks.
		if int(day.Sub(start).Hours()/24)%care.RecheckDays == 0 && r.Float64() < 0.85 {
			c := store.RedFlagCheckin{At: at(day), Answers: map[string]bool{"fever": false, "weight_loss": false, "bladder": false, "bowel": false, "saddle_numbness": false}}
			if redFlag && recent {
				c.Answers["fever"], c.Urgent, redFlag = true, true, false
			}
			p.Checkins = append(p.Checkins, c)
		}
		if r.IntN(7) < diaryWeek {
			e := store.DiaryEntry{At: at(day), LegPain: legAt(leg0, slope, frac(day), r), BackPain: 2 + r.IntN(4)}
			if (neuro && recent && r.IntN(3) == 0) || r.Float64() < 0.01 {
				e.Tingling = true
			}
			if r.IntN(5) == 0 {
				e.Note = notes[r.IntN(len(notes))]
			}
			p.Diary = append(p.Diary, e)
		}
		if r.Float64() < adherence*3/7 {
			t0 := at(day)
			s := store.TrainingSession{ClientID: fmt.Sprintf("s%d-%d", i, n), Programme: care.DefaultProgramme,
				StartedAt: t0, EndedAt: t0.Add(time.Duration(15+r.IntN(15)) * time.Minute)}
			for _, ex := range exercises {
				s.Steps = append(s.Steps, store.SessionStep{Exercise: ex, Done: r.Float64() < 0.92})
			}
			if (neuro && recent && r.IntN(2) == 0) || r.Float64() < 0.01 {
				k := r.IntN(len(s.Steps))
				s.Steps[k].Symptoms, s.Steps[k].SymptomKinds = true, []string{[]string{"tingling", "burning", "weakness"}[r.IntN(3)]}
				s.Symptoms = 1
			}
			p.Sessions = append(p.Sessions, s)
		}
		if r.IntN(7) < walkWeek {
			t0 := at(day)
			fs := first(day)
			w := store.Walk{ClientID: fmt.Sprintf("w%d-%d", i, n), StartedAt: t0}
			var secs int
			for b := range 2 + r.IntN(2) {
				f := fs + r.IntN(30) // symptoms come, then the patient walks on a little
				bt := store.Bout{WalkSeconds: f + r.IntN(120), PauseSeconds: 60 + r.IntN(120)}
				if b < 2 {
					bt.FirstSymptomsSeconds = &f
				}
				w.Bouts = append(w.Bouts, bt)
				secs += bt.WalkSeconds + bt.PauseSeconds
			}
			w.EndedAt = t0.Add(time.Duration(secs) * time.Second)
			p.Walks = append(p.Walks, w)
		}
		n++
	}
	return p
}

// genLogin is patient i's login.
func genLogin(i int) string { return fmt.Sprintf("patient%05d", i+1) }

func baseline(at time.Time, first, leg int, r *rand.Rand) store.Baseline {
	f := first
	return store.Baseline{At: at, SPWTFirstSymptomsSeconds: &f, SPWTStopSeconds: first + 60 + r.IntN(300),
		NRSLeg: leg, NRSBack: 2 + r.IntN(5)}
}

// legAt is the leg pain at frac of the year, with a point of noise.
func legAt(leg0 int, slope, frac float64, r *rand.Rand) int {
	v := float64(leg0) + slope*frac + float64(r.IntN(3)-1)
	return min(10, max(0, int(math.Round(v))))
}

var notes = []string{
	"Gik til bageren uden pause.", "Træt i benene efter havearbejde.", "God dag.", "Ondt efter lang tids stående.",
	"Cyklede en tur med barnebarnet.", "Sov dårligt.", "Bedre end i sidste uge.", "Kold morgen, stiv i ryggen.",
}
