package web

// One validation of what a patient history may hold: the rules' checkers
// (internal/rules/validate.go). The diary forms and the sync APIs check a
// record with them before the store gets it; the history the care pages
// build leaves out (and logs) any stored record they refuse, so the rules
// never read one unnoticed; `stenose check-data` lists every stored record
// they refuse (CheckData).

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

// check is what the rules' checkers need as of now: the clock in
// Copenhagen (whose days the history counts) and the names of the
// programmes and exercises this app's content knows.
func (a *app) check(now time.Time) rules.Check {
	c := rules.Check{Now: now.In(copenhagen)}
	if lib := a.site.Library(); lib != nil {
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

// preSignupDays: a patient's records may date from this many days before
// the account was made. The player and walk mode work without an account
// and keep what they record in the browser; the first account that opens
// its diary there receives those records (sync.js), so a session tried a
// week before signing up is the patient's own. Older than this, a record
// is refused as before the records begin (docs/rules.md, "What a history
// may hold").
const preSignupDays = 28

// recordsFrom is the first day u's records may date from: preSignupDays
// before the account's day.
func recordsFrom(u *store.User) rules.Day {
	return dayIn(u.CreatedAt).AddDays(-preSignupDays)
}

// earliestDay is the first day u's records may date from, as the rules
// count it (History.Check): recordsFrom, or the first baseline's day when
// that is earlier (the programme's start).
func earliestDay(u *store.User, bs []store.Baseline) rules.Day {
	first := recordsFrom(u)
	if len(bs) > 0 {
		if b := dayIn(bs[0].At); b.Before(first) {
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
func (a *app) dropRefused(u *store.User, h *rules.History, c rules.Check, recs storedRecords) {
	earliest := earliestDay(u, recs.baselines)
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
		a.log.Warn("a stored record the rules refuse is left out of the history",
			"user", u.ID, "path", path, "id", id, "problem", bad[0].Text(i18n.En), "problems", len(bad))
		return true
	}
	if h.Baseline != nil && len(recs.baselines) > 0 {
		if drop("", 0, recs.baselines[len(recs.baselines)-1].ID, rules.CheckBaseline(*h.Baseline, "", c, rules.Day{})) {
			h.Baseline = nil
		}
	}
	if len(h.Entries) == len(recs.entries) {
		h.Entries = keep(h.Entries, func(i int, e *rules.Entry) bool {
			return !drop("entries", i, recs.entries[i].ID, rules.CheckEntry(*e, "", c, earliest))
		})
	}
	if len(h.Sessions) == len(recs.sessions) {
		h.Sessions = keep(h.Sessions, func(i int, s *rules.Session) bool {
			return !drop("sessions", i, recs.sessions[i].ID, rules.CheckSession(*s, "", c, earliest))
		})
	}
	if len(h.Walks) == len(recs.walks) {
		h.Walks = keep(h.Walks, func(i int, w *rules.Walk) bool {
			return !drop("walks", i, recs.walks[i].ID, rules.CheckWalk(*w, "", c, earliest))
		})
	}
	if len(h.PSFS) == len(recs.psfs) {
		h.PSFS = keep(h.PSFS, func(i int, p *rules.PSFS) bool {
			return !drop("psfs", i, recs.psfs[i].ID, rules.CheckPSFS(*p, "", c, earliest))
		})
	}
	if len(h.RedFlagChecks) == len(recs.checkins) {
		h.RedFlagChecks = keep(h.RedFlagChecks, func(i int, rc *rules.RedFlagCheck) bool {
			ps := rules.Refused(rules.CheckRedFlags(*rc, "", c))
			var unknown []string
			for _, p := range ps {
				k, ok := strings.CutPrefix(p.Path, "answers.")
				if !ok {
					return !drop("redFlagChecks", i, recs.checkins[i].ID, ps)
				}
				unknown = append(unknown, k)
			}
			if len(unknown) > 0 {
				a.log.Warn("answers the rules refuse are left out of a stored red-flag check-in",
					"user", u.ID, "path", recordPath("redFlagChecks", i, ps[0].Path), "id", recs.checkins[i].ID, "problem", ps[0].Text(i18n.En), "problems", len(ps))
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

// CheckData checks every patient's whole stored history, built as the app
// builds it but with nothing left out, with the rules' History.Check as of
// c.Now (read in Copenhagen). report gets each problem, LeftOut ones
// included; CheckData returns the number of patients checked.
func CheckData(ctx context.Context, st *store.Store, c rules.Check, report func(u store.User, p *rules.Problem)) (int, error) {
	c.Now = c.Now.In(copenhagen)
	us, err := st.ListUsers(ctx, store.RolePatient)
	if err != nil {
		return 0, err
	}
	for _, u := range us {
		p, _, err := readPatient(ctx, st, &u, time.Time{})
		if err != nil {
			return 0, err
		}
		for _, pr := range p.History.Check(c) {
			report(u, pr)
		}
	}
	return len(us), nil
}
