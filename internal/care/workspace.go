package care

// The clinician's workspace: the clinic's patient list, one patient's
// chart, acknowledging alerts, the clinic's notes. Each function checks
// the actor (policy.go), reads or changes through the store's clinic-
// filtered queries, and writes the access log: every clinician's read or
// change of a patient's data is on the patient's "who has looked" page.

import (
	"context"
	"errors"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

// PerPage is how many patients a page of the list shows.
const PerPage = 25

// What the access log names of the record (the export's "export_what_*"
// words).
const (
	WhatList    = "list"
	WhatPatient = "patient"
	WhatAlerts  = "alerts"
	WhatNotes   = "notes"
)

// ErrNoClinic is a clinician who belongs to no clinic yet: they have no
// patients to see (an admin puts them in one).
var ErrNoClinic = errors.New("care: the clinician belongs to no clinic")

// clinician is actor when they may use the workspace at all: a clinician
// of a clinic, enabled.
func clinician(actor *store.User) (*store.User, error) {
	switch {
	case actor == nil || actor.Role != store.RoleClinician || actor.Disabled():
		return nil, ErrNoAccess
	case actor.ClinicID == 0:
		return nil, ErrNoClinic
	}
	return actor, nil
}

// PatientList is a page of the clinic's patient list.
type PatientList struct {
	Rows   []store.PatientRow
	Counts store.PatientCounts
	Query  store.PatientQuery
	// Pages is how many pages the query's patients fill (at least 1).
	Pages int
}

// Patients is a page of actor's clinic's patient list (q's search, filter,
// sort and page; the clock and page size are the service's). Each patient
// shown is a look at their data: logged as a view of the list.
func (s *Service) Patients(ctx context.Context, actor *store.User, q store.PatientQuery) (PatientList, error) {
	c, err := clinician(actor)
	if err != nil {
		return PatientList{}, err
	}
	q.Now, q.PerPage = s.now(), PerPage
	q.Search = strings.TrimSpace(q.Search)
	if q.Page < 1 {
		q.Page = 1
	}
	rows, n, err := s.st.ClinicPatients(ctx, c.ClinicID, q)
	if err != nil {
		return PatientList{}, err
	}
	looks := make([]store.Access, len(rows))
	for i, r := range rows {
		looks[i] = s.look(c, r.ID, store.AccessView, WhatList)
	}
	if err := s.st.LogAccesses(ctx, looks); err != nil {
		return PatientList{}, err
	}
	return PatientList{Rows: rows, Counts: n, Query: q, Pages: max(1, (n.Matching+PerPage-1)/PerPage)}, nil
}

// look is actor's look at (or change of) patient patientID, for the log.
func (s *Service) look(actor *store.User, patientID int64, action, what string) store.Access {
	return store.Access{At: s.now(), ActorID: actor.ID, Actor: actor.ShownName(), ActorRole: actor.Role,
		ClinicID: actor.ClinicID, PatientID: patientID, Action: action, What: what}
}

// Chart is one patient's page for their clinician: the record as the
// patient's own pages read it, the clinic's alerts and notes.
type Chart struct {
	Patient store.User
	Record  Patient
	Alerts  []store.Alert // open first (most pressing first), then acknowledged, newest first
	Notes   []store.Note  // newest first
	// Versions are the programme versions the clinic set, newest first
	// (store.ProgrammeVersions).
	Versions []store.ProgrammeVersion
}

// Open alerts of c.
func (c Chart) OpenAlerts() []store.Alert {
	var out []store.Alert
	for _, a := range c.Alerts {
		if a.Open() {
			out = append(out, a)
		}
	}
	return out
}

// Chart opens patientID's chart for actor (logged as a view).
func (s *Service) Chart(ctx context.Context, actor *store.User, patientID int64) (Chart, error) {
	p, err := s.Open(ctx, actor, patientID, store.AccessView, WhatPatient)
	if err != nil {
		return Chart{}, err
	}
	rec, err := s.Load(ctx, &p)
	if err != nil {
		return Chart{}, err
	}
	c := Chart{Patient: p, Record: rec}
	if c.Alerts, err = s.st.PatientAlerts(ctx, actor.ClinicID, p.ID); err != nil {
		return Chart{}, err
	}
	if c.Notes, err = s.st.Notes(ctx, actor.ClinicID, p.ID); err != nil {
		return Chart{}, err
	}
	if c.Versions, err = s.st.ProgrammeVersions(ctx, actor.ClinicID, p.ID); err != nil {
		return Chart{}, err
	}
	return c, nil
}

// Limits of what a clinician writes.
const (
	MaxAckNote = 2000   // bytes
	MaxNote    = 10_000 // bytes
)

// FieldError is what a clinician typed that cannot be kept: Field names
// the form's field, Code the catalogue's message ("errNoteLong", …).
type FieldError struct {
	Field, Code string
}

func (e *FieldError) Error() string { return "care: " + e.Field + ": " + e.Code }

func checkNote(field, text string, required bool, limit int) (string, error) {
	text = strings.TrimSpace(text)
	switch {
	case !utf8.ValidString(text):
		return "", &FieldError{field, "errTextInvalid"}
	case required && text == "":
		return "", &FieldError{field, "errNoteEmpty"}
	case len(text) > limit:
		return "", &FieldError{field, "errNoteLong"}
	}
	return text, nil
}

// Acknowledge acknowledges the alert alertID of actor's clinic with note
// (optional) and returns its patient; the change is logged. An alert of
// another clinic is ErrNoAccess; one acknowledged already is
// store.ErrAcknowledged (the first acknowledgement stands).
func (s *Service) Acknowledge(ctx context.Context, actor *store.User, alertID int64, note string) (int64, error) {
	c, err := clinician(actor)
	if err != nil {
		return 0, err
	}
	if note, err = checkNote("note", note, false, MaxAckNote); err != nil {
		return 0, err
	}
	pid, err := s.st.AcknowledgeAlert(ctx, c.ClinicID, alertID, store.Ack{By: c.ID, ByName: c.ShownName(), At: s.now(), Note: note})
	if errors.Is(err, store.ErrNotFound) {
		return 0, ErrNoAccess
	}
	if err != nil {
		return pid, err
	}
	return pid, s.st.LogAccess(ctx, s.look(c, pid, store.AccessChange, WhatAlerts))
}

// AcknowledgeAll acknowledges every open alert of actor's patient
// patientID with one note and returns how many.
func (s *Service) AcknowledgeAll(ctx context.Context, actor *store.User, patientID int64, note string) (int64, error) {
	note, err := checkNote("note", note, false, MaxAckNote)
	if err != nil {
		return 0, err
	}
	p, err := s.Open(ctx, actor, patientID, store.AccessChange, WhatAlerts)
	if err != nil {
		return 0, err
	}
	return s.st.AcknowledgeAll(ctx, actor.ClinicID, p.ID, store.Ack{By: actor.ID, ByName: actor.ShownName(), At: s.now(), Note: note})
}

// AddNote adds actor's note on patientID.
func (s *Service) AddNote(ctx context.Context, actor *store.User, patientID int64, body string) (store.Note, error) {
	body, err := checkNote("body", body, true, MaxNote)
	if err != nil {
		return store.Note{}, err
	}
	p, err := s.Open(ctx, actor, patientID, store.AccessChange, WhatNotes)
	if err != nil {
		return store.Note{}, err
	}
	return s.st.AddNote(ctx, actor.ClinicID, store.Note{PatientID: p.ID, AuthorID: actor.ID, AuthorName: actor.ShownName(), At: s.now(), Body: body})
}

// Event is one thing on a patient's timeline: exactly one of its pointers
// is set.
type Event struct {
	Day     rules.Day
	Entry   *rules.Entry
	Session *rules.Session
	Walk    *rules.Walk
	Check   *rules.RedFlagCheck
	Start   *rules.Baseline
	Alert   *store.Alert
	Version *store.ProgrammeVersion
}

// Timeline is c's record as events, newest first, at most limit: diary
// entries, sessions, walks, red-flag check-ins, the baseline and the
// alerts raised and the programme's versions. More reports whether
// older events were left out.
func (c Chart) Timeline(limit int) (events []Event, more bool) {
	h := c.Record.History
	for i := range h.Entries {
		events = append(events, Event{Day: h.Entries[i].At, Entry: &h.Entries[i]})
	}
	for i := range h.Sessions {
		events = append(events, Event{Day: h.Sessions[i].Date, Session: &h.Sessions[i]})
	}
	for i := range h.Walks {
		events = append(events, Event{Day: h.Walks[i].Date, Walk: &h.Walks[i]})
	}
	for i := range h.RedFlagChecks {
		events = append(events, Event{Day: h.RedFlagChecks[i].Date, Check: &h.RedFlagChecks[i]})
	}
	if b := h.Baseline; b != nil {
		events = append(events, Event{Day: b.Date, Start: b})
	}
	for i := range c.Alerts {
		events = append(events, Event{Day: DayIn(c.Alerts[i].RaisedAt), Alert: &c.Alerts[i]})
	}
	for i := range c.Versions {
		events = append(events, Event{Day: DayIn(c.Versions[i].At), Version: &c.Versions[i]})
	}
	// Newest first; within a day in the order above, reversed (stable).
	slices.Reverse(events)
	slices.SortStableFunc(events, func(a, b Event) int {
		switch {
		case b.Day.Before(a.Day):
			return -1
		case a.Day.Before(b.Day):
			return 1
		}
		return 0
	})
	if len(events) > limit {
		return events[:limit], true
	}
	return events, false
}
