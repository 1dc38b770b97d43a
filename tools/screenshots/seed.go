package main

import (
	"context"
	"fmt"
	"time"

	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

// password is every patient's.
const password = "gå en tur hver dag"

// programme is the clinic's programme (content/programmes).
const programme = "5-bedste-oevelser"

// exercises are its steps, in order.
var exercises = []string{"siddende-cykling", "knae-til-bryst", "kattestraek", "laendesiddende-stilling", "gaaende-med-pauser"}

// patient is one account the tool signs in as.
type patient struct {
	Key   string // the file names' suffix: "patient-12w"
	Login string // as typed in the sign-in form
	Name  string
	// Flag, when not "", is the red-flag question the patient answers yes
	// in the browser after signing in (the pause is made by the app).
	Flag    string
	DiaryID int64 // the newest diary entry (for /dagbog/{id}/rediger); 0: none
	// Pages, when not nil, are the only app pages shot for the patient
	// (route patterns).
	Pages []string
}

// patients makes the accounts and their histories through the store,
// each record at its own time on the clock, up to now.
func patients(ctx context.Context, s *server, now time.Time) ([]*patient, error) {
	now = now.In(care.Zone)
	var out []*patient
	for _, f := range []func(context.Context, *server, time.Time) (*patient, error){twelveWeeks, brandNew, dayZero, paused, flagged} {
		p, err := f(ctx, s, now)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// at is the time hh:mm on day d of a programme that began on start's day.
func at(start time.Time, d, hh, mm int) time.Time {
	y, m, day := start.Date()
	return time.Date(y, m, day+d, hh, mm, 0, 0, care.Zone)
}

// recorder writes one patient's records, moving the clock to each.
type recorder struct {
	ctx context.Context
	s   *server
	id  int64
	err error
}

func (r *recorder) do(t time.Time, f func() error) {
	if r.err != nil {
		return
	}
	r.s.clock.set(t)
	r.err = f()
}

func (r *recorder) checkin(t time.Time, yes ...string) {
	r.do(t, func() error {
		answers := map[string]bool{}
		for _, f := range rules.Flags {
			answers[f.Key] = false
		}
		for _, k := range yes {
			answers[k] = true
		}
		_, err := r.s.st.AddRedFlagCheckin(r.ctx, store.RedFlagCheckin{UserID: r.id, At: t, Answers: answers})
		return err
	})
}

func (r *recorder) baseline(t time.Time, first, stop, leg, back int) {
	r.do(t, func() error {
		_, err := r.s.st.AddBaseline(r.ctx, store.Baseline{UserID: r.id, At: t, SPWTFirstSymptomsSeconds: &first, SPWTStopSeconds: stop, NRSLeg: leg, NRSBack: back})
		return err
	})
}

func (r *recorder) psfs(t time.Time, names []string, scores ...int) {
	r.do(t, func() error {
		as := make([]store.PSFSActivity, len(names))
		for i := range names {
			as[i] = store.PSFSActivity{Name: names[i], Score: scores[i]}
		}
		_, err := r.s.st.AddPSFS(r.ctx, r.id, t, as)
		return err
	})
}

func (r *recorder) diary(t time.Time, leg, back int, tingling bool, note string) int64 {
	var id int64
	r.do(t.Add(5*time.Minute), func() error {
		e, err := r.s.st.AddDiaryEntry(r.ctx, store.DiaryEntry{UserID: r.id, At: t, LegPain: leg, BackPain: back, Tingling: tingling, Note: note})
		id = e.ID
		return err
	})
	return id
}

// session is a 20-minute session of the programme; skip names an exercise
// left out, symptoms one that brought on pain.
func (r *recorder) session(t time.Time, skip, symptoms string) {
	r.do(t.Add(21*time.Minute), func() error {
		var steps []store.SessionStep
		n := 0
		for _, e := range exercises {
			st := store.SessionStep{Exercise: e, Done: e != skip}
			if e == symptoms {
				st.Symptoms, st.SymptomKinds = true, []string{"pain"}
				n++
			}
			steps = append(steps, st)
		}
		_, _, err := r.s.st.AddTrainingSession(r.ctx, store.TrainingSession{UserID: r.id, ClientID: "s-" + t.Format(time.RFC3339),
			Programme: programme, StartedAt: t, EndedAt: t.Add(20 * time.Minute), Steps: steps, Symptoms: n})
		return err
	})
}

// walk is a walk in two bouts with a pause when the symptoms came.
func (r *recorder) walk(t time.Time, first int) {
	r.do(t.Add(20*time.Minute), func() error {
		bouts := []store.Bout{{WalkSeconds: first + 90, PauseSeconds: 120, FirstSymptomsSeconds: &first}, {WalkSeconds: 360, PauseSeconds: 0}}
		end := t.Add(time.Duration(first+90+120+360) * time.Second)
		_, _, err := r.s.st.AddWalk(r.ctx, store.Walk{UserID: r.id, ClientID: "w-" + t.Format(time.RFC3339), StartedAt: t, EndedAt: end, Bouts: bouts})
		return err
	})
}

func (r *recorder) targets(t time.Time, walkMinutes int, advice string) {
	r.do(t, func() error {
		_, err := r.s.st.SetTargets(r.ctx, store.Targets{UserID: r.id, At: t, WalkMinutes: walkMinutes, SetBy: store.SetByRules, Advice: advice}, 0)
		return err
	})
}

func newPatient(ctx context.Context, s *server, p *patient, t time.Time) (*recorder, error) {
	s.clock.set(t)
	u, err := s.acc.SignUp(ctx, p.Login, p.Name, password)
	if err != nil {
		return nil, fmt.Errorf("making %s: %w", p.Login, err)
	}
	return &recorder{ctx: ctx, s: s, id: u.ID}, nil
}

var activities = []string{"Gå til købmanden og hjem igen", "Gå tur med hunden", "Stå og lave mad"}

// twelveWeeks: Bodil, day 86 of the programme (its 12-week status days are
// 84–90). She trained regularly for 11 weeks and once in the 12th; her
// leg pain went from 6 to about 5 and her walking time from 4 minutes to
// about 4½ — no meaningful change, so the rules suggest talking about other
// options. She felt tingling 10 days ago.
func twelveWeeks(ctx context.Context, s *server, now time.Time) (*patient, error) {
	p := &patient{Key: "patient-12w", Login: "Bodil Jensen", Name: "Bodil Jensen"}
	const days = 86
	start := now.AddDate(0, 0, -days)
	r, err := newPatient(ctx, s, p, at(start, 0, 9, 0))
	if err != nil {
		return nil, err
	}
	r.checkin(at(start, 0, 9, 5))
	r.baseline(at(start, 0, 9, 30), 240, 420, 6, 4)
	r.psfs(at(start, 0, 9, 45), activities, 3, 4, 5)
	for k := 1; 7*k <= days; k++ {
		r.checkin(at(start, 7*k, 8, 30))
	}
	r.psfs(at(start, 28, 9, 0), activities, 4, 4, 5)
	r.psfs(at(start, 84, 9, 0), activities, 4, 5, 5)
	r.targets(at(start, 21, 10, 30), 5, string(rules.ProgressTargetUp))

	legs := []int{6, 5, 6, 6, 5, 6, 5}
	notes := map[int]string{
		1:  "Første dag med øvelserne. Lidt stiv om morgenen, men det gik.",
		30: "Gik hele vejen til bageren med én pause.",
		61: "Havearbejde i weekenden – ondt i lænden bagefter.",
		76: "Snurren i venstre ben efter en lang tur i byen. Holdt pause på en bænk, så gik det over.",
		85: "Cykeløvelsen gik fint, men benene var trætte om aftenen.",
	}
	for d := 0; d <= days; d++ {
		if d%6 == 4 && notes[d] == "" { // not every day
			continue
		}
		leg := legs[d%7]
		if d > 45 {
			leg = legs[(d+1)%7] - 1 + d%2
		}
		t := at(start, d, 19, 30)
		if d == days {
			t = at(start, d, 8, 15) // today, before now
		}
		p.DiaryID = r.diary(t, leg, 3+d%2, d == 76, notes[d])
	}
	for d := 0; d <= days; d++ {
		w, wd := d/7, d%7
		switch {
		case w < 11 && (wd == 0 || wd == 2 || wd == 4),
			w == 11 && wd == 2, // the 12th week: once
			w == 12 && wd == 1: // the running week
			skip, symptoms := "", ""
			if d%9 == 0 {
				skip = "gaaende-med-pauser"
			}
			if d == 61 {
				symptoms = "kattestraek"
			}
			r.session(at(start, d, 10, 0), skip, symptoms)
		}
		if wd == 1 || wd == 5 {
			r.walk(at(start, d, 15, 0), 240+d/3+(d%3)*5)
		}
	}
	return p, r.err
}

// brandNew: Ole, who signed up a moment ago with his e-mail address.
func brandNew(ctx context.Context, s *server, now time.Time) (*patient, error) {
	p := &patient{Key: "patient-new", Login: "ole.hansen@mail.dk", Name: "Ole Hansen"}
	_, err := newPatient(ctx, s, p, now.Add(-20*time.Minute))
	return p, err
}

// dayZero: Inge, who answered the red-flag screen and did the walking test
// a few minutes ago, and has not yet named her activities (the PSFS): the
// pages of the first day.
func dayZero(ctx context.Context, s *server, now time.Time) (*patient, error) {
	p := &patient{Key: "patient-day0", Login: "Inge Nielsen", Name: "Inge Nielsen",
		Pages: []string{"/start/aktiviteter", "/i-dag", "/fremskridt", "/dagbog"}}
	r, err := newPatient(ctx, s, p, now.Add(-40*time.Minute))
	if err != nil {
		return nil, err
	}
	r.checkin(now.Add(-35 * time.Minute))
	r.baseline(now.Add(-15*time.Minute), 180, 330, 5, 3)
	return p, r.err
}

// paused: Karen, 3 weeks in, who answers yes to new problems passing
// urine on today's red-flag screen.
func paused(ctx context.Context, s *server, now time.Time) (*patient, error) {
	p := &patient{Key: "patient-paused", Login: "Karen Holm", Name: "Karen Holm", Flag: "bladder"}
	return p, shortHistory(ctx, s, p, now, 20, 210, 7)
}

// flagged: Jens, 4 days in, who answers yes to fever: a doctor before he
// trains again.
func flagged(ctx context.Context, s *server, now time.Time) (*patient, error) {
	p := &patient{Key: "patient-flag", Login: "jens", Name: "Jens Madsen", Flag: "fever"}
	return p, shortHistory(ctx, s, p, now, 4, 150, 5)
}

// shortHistory gives p days of a programme: check-ins, a baseline, a PSFS,
// a diary, sessions and walks, until yesterday.
func shortHistory(ctx context.Context, s *server, p *patient, now time.Time, days, first, leg int) error {
	start := now.AddDate(0, 0, -days)
	r, err := newPatient(ctx, s, p, at(start, 0, 9, 0))
	if err != nil {
		return err
	}
	r.checkin(at(start, 0, 9, 5))
	r.baseline(at(start, 0, 9, 30), first, first+150, leg, 5)
	r.psfs(at(start, 0, 9, 45), activities[:2], 3, 2)
	for k := 1; 7*k < days; k++ {
		r.checkin(at(start, 7*k, 8, 30))
	}
	for d := 0; d < days; d++ {
		p.DiaryID = r.diary(at(start, d, 20, 0), leg-d%2, 5-d%3, false, "")
		if d%7 == 0 || d%7 == 2 || d%7 == 4 {
			r.session(at(start, d, 10, 0), "", "")
		}
		if d%7 == 1 || d%7 == 5 {
			r.walk(at(start, d, 15, 0), first+d*2)
		}
	}
	return r.err
}
