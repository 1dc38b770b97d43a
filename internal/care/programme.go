package care

// The programme per patient (issue 13): a clinician tailors the content's
// programme for one patient — which exercises, in which order, each dose,
// sessions a week and the walking target — with a reason the patient is
// shown. Every change is a new version (store.SetProgramme: a stale edit is
// a conflict, never a lost update). The content's rules apply to it as to
// a programme file: only exercises of the library, no extension exercise
// in an LSS programme (programme.Forbidden, A2), every dose within
// programme.CheckDose's limits. The patient's player, handout and walk
// mode use the current version; without one, the content's default.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/stenose/stenose/internal/programme"
	"github.com/stenose/stenose/internal/store"
)

// Limits of a clinician's programme beyond the dose's own
// (programme.CheckDose).
const (
	// WalkMinutesMin and WalkMinutesMax bound the walking target: the
	// Self-Paced Walking Test stops at 30 minutes (docs/sources.md,
	// "Meaningful change"), and the rules raise a target to 30 at most.
	WalkMinutesMin, WalkMinutesMax = 1, 30
	// ReasonMax is the longest reason, in characters.
	ReasonMax = store.MaxProgrammeReason
)

// ProgrammeItem is one exercise a clinician chose, with its dose. The
// dose's kind is the exercise's own (a hold stays a hold); the numbers
// are the clinician's.
type ProgrammeItem struct {
	Exercise string
	Dose     programme.Dose
}

// ProgrammeChange is a new version of a patient's programme as the
// clinician's editor sends it: the exercises in order, sessions a week,
// the walking target in minutes and the reason the patient will read.
type ProgrammeChange struct {
	Items       []ProgrammeItem
	PerWeek     int
	WalkMinutes int
	Reason      string
}

// What is wrong with a field of a ProgrammeChange (Problem.Code).
const (
	ProblemRequired  = "required"  // nothing given: no exercise, no reason
	ProblemRange     = "range"     // a number outside Min–Max
	ProblemTooLong   = "too_long"  // more than Max characters
	ProblemUnknown   = "unknown"   // not an exercise of the library
	ProblemExtension = "extension" // bends the back backwards in an LSS programme (A2)
	ProblemTwice     = "twice"     // the same exercise twice
)

// Problem is one field of a ProgrammeChange the clinician must correct:
// Field is "exercises", "perWeek", "walkMinutes", "reason", or an
// exercise's slug with a dose key ("kattestraek.reps"; Exercise names the
// slug); the words are the caller's.
type Problem struct {
	Field    string
	Exercise string
	Code     string
	Min, Max int
}

// InvalidProgramme is a ProgrammeChange the rules refuse, with every
// problem in the order of the form.
type InvalidProgramme struct{ Problems []Problem }

func (e *InvalidProgramme) Error() string {
	var b strings.Builder
	b.WriteString("care: invalid programme:")
	for _, p := range e.Problems {
		fmt.Fprintf(&b, " %s %s;", p.Field, p.Code)
	}
	return b.String()
}

// ErrProgrammeChanged: the patient's programme is no longer the version
// the clinician's change was made from (another clinician, another tab).
var ErrProgrammeChanged = errors.New("care: the programme has changed")

// base is the content's programme every patient's version builds on.
func (s *Service) base() *programme.Programme {
	if s.lib == nil {
		return nil
	}
	if p := s.lib.Programme(DefaultProgramme); p != nil {
		return p
	}
	if len(s.lib.Programmes) > 0 {
		return s.lib.Programmes[0]
	}
	return nil
}

// CheckProgramme lists what is wrong with ch as a version of base: the
// content's rules for a programme (programme.Forbidden, programme.CheckDose),
// sessions a week 1–14, a walking target of 1–30 minutes and a reason of
// 1–ReasonMax characters. The items come back with their kind set from the
// library and the numbers the kind does not use cleared.
func (s *Service) CheckProgramme(base *programme.Programme, ch *ProgrammeChange) []Problem {
	var out []Problem
	if len(ch.Items) == 0 {
		out = append(out, Problem{Field: "exercises", Code: ProblemRequired})
	}
	seen := map[string]bool{}
	for i := range ch.Items {
		it := &ch.Items[i]
		var e *programme.Exercise
		if s.lib != nil {
			e = s.lib.Exercise(it.Exercise)
		}
		switch {
		case e == nil:
			out = append(out, Problem{Field: "exercises", Exercise: it.Exercise, Code: ProblemUnknown})
			continue
		case seen[it.Exercise]:
			out = append(out, Problem{Field: "exercises", Exercise: it.Exercise, Code: ProblemTwice})
			continue
		case programme.Forbidden(base.Condition, e):
			out = append(out, Problem{Field: it.Exercise, Exercise: it.Exercise, Code: ProblemExtension})
			continue
		}
		seen[it.Exercise] = true
		it.Dose = normalDose(e.Dose.Kind, it.Dose)
		for _, p := range programme.CheckDose(it.Dose) {
			out = append(out, Problem{Field: it.Exercise + "." + p.Field, Exercise: it.Exercise, Code: ProblemRange, Min: p.Min, Max: p.Max})
		}
	}
	if ch.PerWeek < programme.PerWeekMin || ch.PerWeek > programme.PerWeekMax {
		out = append(out, Problem{Field: "perWeek", Code: ProblemRange, Min: programme.PerWeekMin, Max: programme.PerWeekMax})
	}
	if ch.WalkMinutes < WalkMinutesMin || ch.WalkMinutes > WalkMinutesMax {
		out = append(out, Problem{Field: "walkMinutes", Code: ProblemRange, Min: WalkMinutesMin, Max: WalkMinutesMax})
	}
	ch.Reason = strings.TrimSpace(ch.Reason)
	switch n := utf8.RuneCountInString(ch.Reason); {
	case n == 0:
		out = append(out, Problem{Field: "reason", Code: ProblemRequired})
	case n > ReasonMax || !utf8.ValidString(ch.Reason):
		out = append(out, Problem{Field: "reason", Code: ProblemTooLong, Max: ReasonMax})
	}
	return out
}

// normalDose is d as a dose of kind: the numbers the kind does not use
// cleared (a duration is one block; a hold and a duration have no pace).
func normalDose(kind programme.Kind, d programme.Dose) programme.Dose {
	d.Kind = kind
	switch kind {
	case programme.Duration:
		d.Reps, d.SecondsPerRep = 1, 0
	case programme.Hold:
		d.SecondsPerRep = 0
	case programme.Reps:
		d.Seconds = 0
	}
	return d
}

// ProgrammeRecord is a patient's programme as the clinician's editor shows
// it: the patient, the programme now (the current version's, or the
// content's default), the current version (nil: none yet) and every
// version, newest first.
type ProgrammeRecord struct {
	Patient   store.User
	Programme *programme.Programme
	Current   *store.ProgrammeVersion
	Versions  []store.ProgrammeVersion
	// WalkMinutes is the patient's walking target now (the editor starts
	// from it).
	WalkMinutes int
}

// CurrentID is the current version's ID, 0 for none: what SetProgramme
// takes as from.
func (r ProgrammeRecord) CurrentID() int64 {
	if r.Current == nil {
		return 0
	}
	return r.Current.ID
}

// PatientProgramme opens patientID's programme for actor (care.Open:
// another clinic's patient is ErrNoAccess, and the look is logged as
// "programme") and returns it with its versions.
func (s *Service) PatientProgramme(ctx context.Context, actor *store.User, patientID int64) (ProgrammeRecord, error) {
	p, err := s.Open(ctx, actor, patientID, store.AccessView, "programme")
	if err != nil {
		return ProgrammeRecord{}, err
	}
	return s.programmeRecord(ctx, actor, p)
}

func (s *Service) programmeRecord(ctx context.Context, actor *store.User, p store.User) (ProgrammeRecord, error) {
	vs, err := s.st.ProgrammeVersions(ctx, actor.ClinicID, p.ID)
	if errors.Is(err, store.ErrNotFound) {
		return ProgrammeRecord{}, ErrNoAccess
	}
	if err != nil {
		return ProgrammeRecord{}, err
	}
	pat, err := s.Load(ctx, &p)
	if err != nil {
		return ProgrammeRecord{}, err
	}
	r := ProgrammeRecord{Patient: p, Versions: vs, Programme: s.base(), WalkMinutes: pat.WalkTarget()}
	if len(vs) > 0 {
		r.Current = &vs[0]
		r.Programme = s.ProgrammeOf(r.Current)
	}
	return r, nil
}

// SetProgramme saves ch as a new version of patientID's programme, made
// by actor from the version from (0: none), and returns the programme
// record after it. A change the rules refuse is *InvalidProgramme (nothing
// saved, the look logged as a view); a change made from a version that is
// no longer the current one is ErrProgrammeChanged; in both cases the
// record returned is the current one, for the form to show again.
// Another clinic's patient is ErrNoAccess.
func (s *Service) SetProgramme(ctx context.Context, actor *store.User, patientID int64, ch ProgrammeChange, from int64) (ProgrammeRecord, error) {
	base := s.base()
	if base == nil {
		return ProgrammeRecord{}, errors.New("care: no programme in the library to build on")
	}
	probs := s.CheckProgramme(base, &ch)
	// The look is logged as what it was: a change when one is saved (in
	// its transaction), a view when the rules refuse the edit or it was
	// made on a version that is no longer the current one.
	p, err := s.member(ctx, actor, patientID)
	if err != nil {
		return ProgrammeRecord{}, err
	}
	viewed := func() error { return s.st.LogAccess(ctx, s.look(actor, p.ID, store.AccessView, "programme")) }
	if len(probs) > 0 {
		if err := viewed(); err != nil {
			return ProgrammeRecord{}, err
		}
		r, err := s.programmeRecord(ctx, actor, p)
		if err != nil {
			return ProgrammeRecord{}, err
		}
		return r, &InvalidProgramme{Problems: probs}
	}
	v := store.ProgrammeVersion{
		PatientID: p.ID, At: s.Now(), ByID: actor.ID, ByName: actor.ShownName(), Reason: ch.Reason,
		Base: base.Slug, PerWeek: ch.PerWeek, WalkMinutes: ch.WalkMinutes,
	}
	for _, it := range ch.Items {
		d := it.Dose
		v.Items = append(v.Items, store.ProgrammeItem{Exercise: it.Exercise, Kind: string(d.Kind), Seconds: d.Seconds,
			SecondsPerRep: d.SecondsPerRep, Reps: d.Reps, Sides: d.Sides, Sets: d.Sets, Rest: d.Rest})
	}
	change := s.look(actor, p.ID, store.AccessChange, "programme")
	_, err = s.st.SetProgrammeLogged(ctx, actor.ClinicID, v, from, &change)
	switch {
	case store.ErrorCode(err) == store.ECONFLICT:
		if err := viewed(); err != nil {
			return ProgrammeRecord{}, err
		}
		r, rerr := s.programmeRecord(ctx, actor, p)
		if rerr != nil {
			return ProgrammeRecord{}, rerr
		}
		return r, ErrProgrammeChanged
	case errors.Is(err, store.ErrNotFound):
		return ProgrammeRecord{}, ErrNoAccess // moved to another clinic meanwhile
	case err != nil:
		return ProgrammeRecord{}, err
	}
	return s.programmeRecord(ctx, actor, p)
}

// ProgrammeOf is the programme a version describes: its base programme
// from the library with the version's exercises, doses and sessions a
// week. An exercise the library no longer has is left out (and logged);
// a base it no longer has is the default's. Nil only without a library.
func (s *Service) ProgrammeOf(v *store.ProgrammeVersion) *programme.Programme {
	base := s.base()
	if s.lib != nil {
		if b := s.lib.Programme(v.Base); b != nil {
			base = b
		}
	}
	if base == nil {
		return nil
	}
	items := make([]programme.Item, 0, len(v.Items))
	for _, it := range v.Items {
		e := s.lib.Exercise(it.Exercise)
		if e == nil || programme.Forbidden(base.Condition, e) {
			s.log.Warn("programme version names an exercise left out", "version", v.ID, "exercise", it.Exercise)
			continue
		}
		items = append(items, programme.Item{Exercise: e, Dose: programme.Dose{
			Kind: programme.Kind(it.Kind), Seconds: it.Seconds, SecondsPerRep: it.SecondsPerRep,
			Reps: it.Reps, Sides: it.Sides, Sets: it.Sets, Rest: it.Rest,
		}})
	}
	if len(items) == 0 {
		return base
	}
	return base.Tailored(items, v.PerWeek)
}

// Mine is a patient's own programme: the current version their clinician
// set (nil: none, the content's default applies), the programme it
// describes, and today's walking target (the version's, or a step down the
// patient has accepted since).
type Mine struct {
	Version     *store.ProgrammeVersion
	Programme   *programme.Programme
	WalkMinutes int
}

// MyProgramme is the signed-in patient u's own programme, read with their
// record (Load) so that the walking target is the one /i-dag shows.
func (s *Service) MyProgramme(ctx context.Context, u *store.User) (Mine, error) {
	p, err := s.Load(ctx, u)
	if err != nil {
		return Mine{}, err
	}
	m := Mine{Version: p.Programme, Programme: s.base(), WalkMinutes: p.WalkTarget()}
	if p.Programme != nil {
		m.Programme = s.ProgrammeOf(p.Programme)
	}
	return m, nil
}
