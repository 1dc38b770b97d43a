// Package care is a patient's care record and the decisions taken on it:
// the history the rules read, built from the store in one snapshot with
// the clinic's defaults (record.go); the one validation of what a history
// may hold (check.go); the red-flag screen's verdict, its carry-over of an
// examination and its weekly repeat (redflags.go); the targets a patient
// accepts from the rules (targets.go). Its callers — the patient's pages
// in internal/web, `stenose check-data`, and next the clinician's pages,
// alerts and exports — parse a request, call one function of it and show
// the result: words and paths are theirs, never this package's.
//
// Dependencies point one way: web → care → rules, store, programme. This
// package imports nothing of the HTTP side.
package care

import (
	"log/slog"
	"time"
	_ "time/tzdata" // Europe/Copenhagen without a system zone database

	"github.com/stenose/stenose/internal/programme"
	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

// Zone is the patients' time zone: "today" and every day of a history are
// calendar days there. It is loaded once, as the program starts, from the
// zone database embedded in the binary (time/tzdata), so it is the same on
// any machine and never fails at request time.
var Zone = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		panic(err) // time/tzdata is embedded: cannot happen
	}
	return loc
}()

// DayIn is t's calendar day in Zone.
func DayIn(t time.Time) rules.Day { return rules.DayOf(t.In(Zone)) }

// The clinic's conservative defaults for the history the rules read, until
// a clinician sets a patient's plan (docs/rules.md, "Thresholds").
const (
	// PlannedPerWeek: the trials in docs/sources.md ("Review points and
	// referral") ran about twice weekly; the programme plans three short
	// sessions (docs/advise-example.json).
	PlannedPerWeek = 3
	// DefaultWalkMinutes is the walking target without a baseline: a short
	// walk with pauses ("short distances at first are accepted", A5).
	DefaultWalkMinutes = 5
	// RecheckDays: the red-flag screen is repeated at every weekly check-in.
	RecheckDays = 7
	// DefaultProgramme is the default programme's slug (A5).
	DefaultProgramme = "5-bedste-oevelser"
)

// SPWTMaxSeconds is the Self-Paced Walking Test's ceiling: at most 30
// minutes (docs/sources.md, "Meaningful change"). Walk mode's test stops
// there too (internal/site/static/walk.js); a baseline's times lie within
// it.
const SPWTMaxSeconds = 30 * 60

// HistoryDays is how far back Load reads the diary, sessions and walks:
// the rules look at most 84 days back (REFER_NO_IMPROVEMENT) and the
// progress page shows 12 weeks and compares with 4 weeks ago; the red-flag
// check-ins, baselines and PSFS scorings are read whole. A margin keeps a
// week boundary inside.
const HistoryDays = 120

// Service reads and changes patients' care records.
type Service struct {
	st  *store.Store
	lib *programme.Library
	log *slog.Logger
	now func() time.Time
}

// Config is what New needs.
type Config struct {
	Store *store.Store
	// Library holds the programmes and exercises a record may name (the
	// content's, as the site serves them); nil checks no names.
	Library *programme.Library
	// Logger receives a line for each stored record the rules refuse;
	// nil means slog.Default().
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// New returns the service.
func New(cfg Config) *Service {
	s := &Service{st: cfg.Store, lib: cfg.Library, log: cfg.Logger, now: cfg.Now}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.st != nil {
		s.st.SetDeriver(s) // the clinic's alerts and list, at every write (triage.go)
	}
	return s
}

// Now is the service's clock in Zone.
func (s *Service) Now() time.Time { return s.now().In(Zone) }
