package care

// Targets (docs/rules.md, "Targets and symptoms in the app"): when the
// rules give a new target (PROGRESS_TARGET_UP, TARGET_DOWN), the patient
// may accept it; AcceptTargets stores the new targets from what the rules
// say at that moment, never from numbers the patient sent. The new targets
// date from today, so the rules want a stable week at them before the next
// step up, and count only the symptoms that came at them for the next step
// down.

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"

	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

// Why AcceptTargets stored nothing.
var (
	// ErrTargetsChanged: the patient's targets are no longer those the
	// accepted advice was given for (set meanwhile, perhaps in another
	// tab).
	ErrTargetsChanged = errors.New("care: the targets have changed")
	// ErrTargetNotOffered: the rules do not give that new target now
	// (the advice has gone, or a red flag pauses the programme).
	ErrTargetNotOffered = errors.New("care: the rules give no such target now")
)

// WalkTarget is today's walking target in minutes: the current one. A new
// one the rules give counts once the patient has accepted it.
func (p Patient) WalkTarget() int { return p.History.Targets.WalkMinutes }

// TargetsID is the ID of p's stored current targets, 0 for the defaults:
// what AcceptTargets takes as from.
func (p Patient) TargetsID() int64 {
	if p.Targets == nil {
		return 0
	}
	return p.Targets.ID
}

// NewTargets are the targets ad moves to (its data "walkMinutes.to" and
// "reps.{slug}.to"), from the current ones in h; ok is false when ad moves
// nothing (it is not PROGRESS_TARGET_UP or TARGET_DOWN, or names no step).
// (A step down is not offered twice for the same symptoms: TARGET_DOWN
// counts only the neurological days since the current targets were set,
// docs/rules.md.)
func NewTargets(h rules.History, ad rules.Advice) (walk int, reps map[string]int, ok bool) {
	if ad.Code != rules.ProgressTargetUp && ad.Code != rules.TargetDown {
		return 0, nil, false
	}
	walk, reps = h.Targets.WalkMinutes, maps.Clone(h.Targets.Reps)
	if reps == nil {
		reps = map[string]int{}
	}
	if to, has := ad.Data["walkMinutes.to"]; has && to >= 1 {
		walk, ok = int(to), true
	}
	for _, k := range slices.Sorted(maps.Keys(ad.Data)) {
		slug, isReps := strings.CutPrefix(k, "reps.")
		if slug, isTo := strings.CutSuffix(slug, ".to"); isReps && isTo && slug != "" && ad.Data[k] >= 1 {
			reps[slug], ok = int(ad.Data[k]), true
		}
	}
	return walk, reps, ok
}

// AcceptTargets stores, as of now, the new targets of the advice code for
// u, if the rules give that new target now for u's history and u's
// targets are still from (the TargetsID the patient was shown). Otherwise
// it stores nothing and returns ErrTargetsChanged (also when another
// change wins the race: the store's optimistic version, SetTargets) or
// ErrTargetNotOffered (also when the store refuses the targets as
// invalid).
func (s *Service) AcceptTargets(ctx context.Context, u *store.User, code rules.Code, from int64) (store.Targets, error) {
	p, err := s.Load(ctx, u)
	if err != nil {
		return store.Targets{}, err
	}
	if p.TargetsID() != from {
		return store.Targets{}, ErrTargetsChanged
	}
	advice := p.Advice()
	var chosen *rules.Advice
	if UrgentAdvice(advice) == nil { // paused: no targets change
		for i := range advice {
			if _, _, ok := NewTargets(p.History, advice[i]); ok && advice[i].Code == code {
				chosen = &advice[i]
			}
		}
	}
	if chosen == nil {
		return store.Targets{}, ErrTargetNotOffered
	}
	walk, reps, _ := NewTargets(p.History, *chosen)
	t, err := s.st.SetTargets(ctx, store.Targets{
		UserID: u.ID, At: p.AsOf, WalkMinutes: walk, Reps: reps, SetBy: store.SetByRules, Advice: string(code),
	}, from)
	switch {
	case store.ErrorCode(err) == store.ECONFLICT:
		return store.Targets{}, ErrTargetsChanged
	case errors.Is(err, store.ErrInvalid):
		return store.Targets{}, ErrTargetNotOffered
	}
	return t, err
}
