package care

// The red-flag screen (issue 4; issue 12, "Urgent advice that fits Danish
// practice"): a check-in is urgent when the rules' URGENT_RED_FLAG stands
// with it; a flag a doctor has examined stays cleared in the next check-in
// unless it is a cauda equina sign or new since; the screen is repeated
// every RecheckDays; the patient lifts a pause by confirming an
// examination.

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

// RecordRedFlags stores u's answers to the red-flag screen (flag key →
// yes) as a new check-in, as of now, and reports whether it is urgent:
// whether the rules give URGENT_RED_FLAG for u's history with it. A flag a
// doctor has already examined (a history of cancer stays true) stays
// cleared in the new check-in, unless it is a cauda equina sign or new
// since the examination (docs/rules.md, URGENT_RED_FLAG): the examination
// is carried over when every yes was a yes in the last examined check-in.
func (s *Service) RecordRedFlags(ctx context.Context, u *store.User, answers map[string]bool) (urgent bool, err error) {
	p, err := s.Load(ctx, u)
	if err != nil {
		return false, err
	}
	c := store.RedFlagCheckin{UserID: u.ID, At: p.AsOf, Answers: answers}
	if ex := lastExamined(p.Checkins); ex != nil {
		carry := true
		for k, yes := range answers {
			if yes && (IsCauda(k) || !examinedYes(ex, k)) {
				carry = false
			}
		}
		if carry {
			c.ExaminedAt, c.Examination = ex.ExaminedAt, ex.Examination
		}
	}
	h := p.History
	rc := rules.RedFlagCheck{Date: DayIn(c.At), Answers: answers, ExaminedSince: ExaminedSince(c)}
	h.RedFlagChecks = append(h.RedFlagChecks, rc)
	c.Urgent = UrgentAdvice(rules.Advise(h, p.AsOf)) != nil
	if _, err := s.st.AddRedFlagCheckin(ctx, c); err != nil {
		return false, err
	}
	return c.Urgent, nil
}

// IsCauda reports whether the flag key names a cauda equina sign.
func IsCauda(key string) bool {
	f, ok := rules.FlagByKey(key)
	return ok && f.CaudaEquina
}

// examinedYes reports whether the examined check-in ex answered key yes,
// directly or through a retired question that asked it (rules.RetiredFlags).
func examinedYes(ex *store.RedFlagCheckin, key string) bool {
	if ex.Answers[key] {
		return true
	}
	for k, yes := range ex.Answers {
		if f, ok := rules.FlagByKey(k); ok && yes && slices.Contains(f.Became, key) {
			return true
		}
	}
	return false
}

// lastExamined is the newest check-in with a confirmed examination, or nil.
func lastExamined(cs []store.RedFlagCheckin) *store.RedFlagCheckin {
	for i := len(cs) - 1; i >= 0; i-- {
		if !cs[i].ExaminedAt.IsZero() {
			return &cs[i]
		}
	}
	return nil
}

// CheckinDue reports whether the red-flag screen is due at now: no
// check-in yet, or the last one RecheckDays or more calendar days ago (in
// Zone).
func CheckinDue(cs []store.RedFlagCheckin, now time.Time) bool {
	if len(cs) == 0 {
		return true
	}
	last := cs[len(cs)-1].At.In(Zone)
	y, m, d := last.Date()
	due := time.Date(y, m, d+RecheckDays, 0, 0, 0, 0, Zone)
	return !now.Before(due)
}

// NeedsExam are the check-ins of cs with a yes that no examination has
// been confirmed for, in cs's order.
func NeedsExam(cs []store.RedFlagCheckin) []store.RedFlagCheckin {
	var out []store.RedFlagCheckin
	for _, c := range cs {
		if !c.ExaminedAt.IsZero() {
			continue
		}
		for _, yes := range c.Answers {
			if yes {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// Unexamined are u's check-ins with a yes that no examination has been
// confirmed for (NeedsExam), oldest first: what pauses the programme until
// the patient confirms an examination.
func (s *Service) Unexamined(ctx context.Context, u *store.User) ([]store.RedFlagCheckin, error) {
	cs, err := s.st.ListRedFlagCheckins(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	return NeedsExam(cs), nil
}

// ConfirmExamined records, as of now, that a doctor examined u as ex, for
// each of u's check-ins open (as Unexamined read them). A check-in gone in
// the meantime is passed over.
func (s *Service) ConfirmExamined(ctx context.Context, u *store.User, open []store.RedFlagCheckin, ex store.Examination) error {
	now := s.now()
	for _, c := range open {
		if err := s.st.ConfirmExamined(ctx, c.ID, u.ID, now, ex); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	return nil
}
