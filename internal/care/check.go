package care

// One validation of what a patient history may hold: the rules' checkers
// (internal/rules/validate.go). The diary forms and the sync APIs check a
// record with them before the store gets it (Check, RecordsFrom); the
// history Load builds leaves out (and logs) any stored record they refuse,
// so the rules never read one unnoticed; `stenose check-data` lists every
// stored record they refuse (CheckData).

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

// Check is what the rules' checkers need as of now: the clock in Zone
// (whose days the history counts) and the names of the programmes and
// exercises the service's library knows.
func (s *Service) Check(now time.Time) rules.Check {
	c := rules.Check{Now: now.In(Zone)}
	if lib := s.lib; lib != nil {
		c.Programme = func(slug string) bool {
			for _, p := range lib.Programmes {
				if p.Slug == slug {
					return true
				}
			}
			return false
		}
		c.Exercise = func(slug string) bool { return lib.Exercise(slug) != nil }
	}
	return c
}

// PreSignupDays: a patient's records may date from this many days before
// the account was made. The player and walk mode work without an account
// and keep what they record in the browser; the first account that opens
// its diary there receives those records (sync.js), so a session tried a
// week before signing up is the patient's own. Older than this, a record
// is refused as before the records begin (docs/rules.md, "What a history
// may hold").
const PreSignupDays = 28

// RecordsFrom is the first day u's records may date from: PreSignupDays
// before the account's day.
func RecordsFrom(u *store.User) rules.Day {
	return DayIn(u.CreatedAt).AddDays(-PreSignupDays)
}

// earliestDay is the first day u's records may date from, as the rules
// count it (History.Check): RecordsFrom, or the first baseline's day when
// that is earlier (the programme's start).
func earliestDay(u *store.User, bs []store.Baseline) rules.Day {
	first := RecordsFrom(u)
	if len(bs) > 0 {
		if b := DayIn(bs[0].At); b.Before(first) {
			first = b
		}
	}
	return first
}

// recordPath is the path of a problem the rules found in a record checked
// at the path "" (which costs no string building while nothing is wrong),
// as it lies in the history: "walks[3].bouts[0].walkSeconds". The rules
// write a list inside such a record as ".bouts[0]".
func recordPath(list string, i int, p string) string {
	return list + "[" + strconv.Itoa(i) + "]." + strings.TrimPrefix(p, ".")
}

// dropRefused leaves out of h every record its checker in the rules
// refuses, and logs one line for each: the user, the record's id and the
// path of the (first) problem. A red-flag check-in is the exception when
// only some answers are refused (a flag the rules no longer know): those
// answers are left out and the check-in kept, so that a known "yes" never
// goes unseen.
func (s *Service) dropRefused(u *store.User, h *rules.History, c rules.Check, rec store.CareRecord) {
	earliest := earliestDay(u, rec.Baselines)
	drop := func(list string, i int, id int64, ps []*rules.Problem) bool {
		if len(ps) == 0 { // the usual case: nothing to sort out
			return false
		}
		bad := rules.Refused(ps)
		if len(bad) == 0 {
			return false
		}
		path := "baseline." + bad[0].Path
		if list != "" {
			path = recordPath(list, i, bad[0].Path)
		}
		s.log.Warn("a stored record the rules refuse is left out of the history",
			"user", u.ID, "path", path, "id", id, "problem", bad[0].Text(i18n.En), "problems", len(bad))
		return true
	}
	if h.Baseline != nil && len(rec.Baselines) > 0 {
		if drop("", 0, rec.Baselines[len(rec.Baselines)-1].ID, rules.CheckBaseline(*h.Baseline, "", c, rules.Day{})) {
			h.Baseline = nil
		}
	}
	if len(h.Entries) == len(rec.Diary) {
		h.Entries = keep(h.Entries, func(i int, e *rules.Entry) bool {
			return !drop("entries", i, rec.Diary[i].ID, rules.CheckEntry(*e, "", c, earliest))
		})
	}
	if len(h.Sessions) == len(rec.TrainingSessions) {
		h.Sessions = keep(h.Sessions, func(i int, ss *rules.Session) bool {
			return !drop("sessions", i, rec.TrainingSessions[i].ID, rules.CheckSession(*ss, "", c, earliest))
		})
	}
	if len(h.Walks) == len(rec.Walks) {
		h.Walks = keep(h.Walks, func(i int, w *rules.Walk) bool {
			return !drop("walks", i, rec.Walks[i].ID, rules.CheckWalk(*w, "", c, earliest))
		})
	}
	if len(h.PSFS) == len(rec.PSFS) {
		h.PSFS = keep(h.PSFS, func(i int, p *rules.PSFS) bool {
			return !drop("psfs", i, rec.PSFS[i].ID, rules.CheckPSFS(*p, "", c, earliest))
		})
	}
	if len(h.RedFlagChecks) == len(rec.RedFlagCheckins) {
		h.RedFlagChecks = keep(h.RedFlagChecks, func(i int, rc *rules.RedFlagCheck) bool {
			ps := rules.Refused(rules.CheckRedFlags(*rc, "", c))
			var unknown []string
			for _, p := range ps {
				k, ok := strings.CutPrefix(p.Path, "answers.")
				if !ok {
					return !drop("redFlagChecks", i, rec.RedFlagCheckins[i].ID, ps)
				}
				unknown = append(unknown, k)
			}
			if len(unknown) > 0 {
				s.log.Warn("answers the rules refuse are left out of a stored red-flag check-in",
					"user", u.ID, "path", recordPath("redFlagChecks", i, ps[0].Path), "id", rec.RedFlagCheckins[i].ID, "problem", ps[0].Text(i18n.En), "problems", len(ps))
				m := make(map[string]bool, len(rc.Answers)) // a copy: the store's record stays as it is
				for k, v := range rc.Answers {
					m[k] = v
				}
				for _, k := range unknown {
					delete(m, k)
				}
				rc.Answers = m
			}
			return true
		})
	}
}

// keep filters s in place to the items ok keeps; ok gets each item's index
// in s as it was, and may change the item.
func keep[T any](s []T, ok func(i int, v *T) bool) []T {
	out := s[:0]
	for i := range s {
		if ok(i, &s[i]) {
			out = append(out, s[i])
		}
	}
	return out
}

// CheckData checks every patient's whole stored history, built as Load
// builds it but with nothing left out, with the rules' History.Check as of
// the service's clock (in Zone) and the names of its library. report gets
// each problem, LeftOut ones included; CheckData returns the number of
// patients checked.
func (s *Service) CheckData(ctx context.Context, report func(u store.User, p *rules.Problem)) (int, error) {
	c := s.Check(s.Now())
	us, err := s.st.ListUsers(ctx, store.RolePatient)
	if err != nil {
		return 0, err
	}
	for _, u := range us {
		rec, err := s.st.CareRecord(ctx, u.ID, time.Time{})
		if err != nil {
			return 0, err
		}
		for _, pr := range patientOf(&u, rec).History.Check(c) {
			report(u, pr)
		}
	}
	return len(us), nil
}
