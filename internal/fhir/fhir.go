// Package fhir turns one patient's record — what the store holds about
// them (store.Export) and their programme over time — into an HL7 FHIR R4
// Bundle that a hospital's or a GP's system can read (GET
// /mine-data/eksport.fhir.json; docs/fhir.md is the profile: what is
// sent, with which codes, and why).
//
// The bundle is of type "collection": a set of resources sent together,
// not a "document" (which would need a Composition that a named author
// attests, with a readable narrative for every section — this is a
// patient's data as recorded, which nobody signs), nor a "transaction"
// (which would tell the receiver to write it).
//
// The package is pure: no database, no clock, no HTTP. The same record
// gives the same bytes (ids are name-based UUIDs of the installation's
// address and the row, lists keep the store's order, times are written
// in Europe/Copenhagen with their offset). A record that holds a row of
// another patient is refused, never sent (ErrOtherPatient).
package fhir

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Copenhagen on any machine

	fm "github.com/samply/golang-fhir-models/fhir-models/fhir"

	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/programme"
	"github.com/stenose/stenose/internal/store"
)

// ContentType is the bundle's media type (FHIR R4, http.html#mime-type).
const ContentType = "application/fhir+json"

// Plan is the patient's programme for a time: the version their clinician
// set, or the content's default programme.
type Plan struct {
	// Version is the clinician's version this plan is; nil for the
	// content's default programme (before any version).
	Version *store.ProgrammeVersion
	// Programme is what the plan asks: the exercises with their doses
	// (care.Service.ProgrammeOf for a version); nil for none known, when
	// only the walking is planned.
	Programme *programme.Programme
	// PerWeek is the sessions a week, WalkMinutes the walking target of
	// the plan (the version's; the default's as the rules set it).
	PerWeek, WalkMinutes int
	// Start is when the plan began: the version's time, or the
	// programme's start for the default.
	Start time.Time
}

// Record is one patient's record as the bundle sends it.
type Record struct {
	// Export is everything the store holds about the patient
	// (store.ExportUser). Of it the bundle sends the account's name and
	// language, the clinic, red-flag screens, baselines, the diary, walks,
	// PSFS scorings and sessions (docs/fhir.md); it leaves out the
	// login, e-mail, the diary's free-text notes, targets' history, the
	// access log, the clinic's alerts and notes.
	Export store.Export
	// Plans are the patient's programme over time, oldest first; the last
	// is the current one. None: no programme yet (the patient has not
	// started).
	Plans []Plan
	// WalkTarget is the current walking target in minutes (what /i-dag
	// asks; 0 for none): the current plan's Goal.
	WalkTarget int
	// Library names the exercises and programmes (nil: their slugs).
	Library *programme.Library
}

// Options are what the bundle needs besides the record.
type Options struct {
	// BaseURL is the installation's public address (--base-url), without
	// a trailing slash: the identifiers' systems, the clinic's code
	// systems and the questionnaire live under it, and the ids are derived
	// from it. Required.
	BaseURL string
	// Zone is the zone times are written in; nil is Europe/Copenhagen.
	Zone *time.Location
}

// ErrOtherPatient is a record holding a row that is not the patient's:
// nothing is sent.
var ErrOtherPatient = errors.New("fhir: the record holds another patient's data")

// copenhagen is the patients' zone (as care.Zone; this package does not
// import care, which calls it).
var copenhagen = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		panic(err) // time/tzdata is embedded
	}
	return loc
}()

// JSON is r's bundle as indented JSON, ending in a newline.
func JSON(r Record, o Options) ([]byte, error) {
	b, err := Bundle(r, o)
	if err != nil {
		return nil, err
	}
	raw, err := b.MarshalJSON()
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, typeFirst(raw, "Bundle"), "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// typeFirst moves the resourceType of raw, a resource of type typ as the
// model package writes it (last), to the front, where a reader of the
// file, and a streaming parser, look for it first.
func typeFirst(raw []byte, typ string) []byte {
	last := []byte(`,"resourceType":"` + typ + `"}`)
	if len(raw) < 2 || raw[0] != '{' || !bytes.HasSuffix(raw, last) {
		return raw
	}
	out := make([]byte, 0, len(raw))
	out = append(out, `{"resourceType":"`+typ+`",`...)
	out = append(out, raw[1:len(raw)-len(last)]...)
	return append(out, '}')
}

// Bundle is r's record as a FHIR R4 Bundle of type collection.
func Bundle(r Record, o Options) (fm.Bundle, error) {
	if o.BaseURL == "" || strings.HasSuffix(o.BaseURL, "/") {
		return fm.Bundle{}, fmt.Errorf("fhir: BaseURL %q: an address without a trailing slash is needed", o.BaseURL)
	}
	if err := owned(r); err != nil {
		return fm.Bundle{}, err
	}
	b := newBuilder(r, o)
	b.build()
	if b.err != nil {
		return fm.Bundle{}, b.err
	}
	return fm.Bundle{Type: fm.BundleTypeCollection, Entry: b.entries()}, nil
}

// owned checks that every row of r is the patient's: the store reads each
// list with the patient's id, and this is the second fence.
func owned(r Record) error {
	x := r.Export
	id := x.User.ID
	bad := func(what string, rowID, userID int64) error {
		return fmt.Errorf("%w: %s %d belongs to user %d, not %d", ErrOtherPatient, what, rowID, userID, id)
	}
	for _, e := range x.Diary {
		if e.UserID != id {
			return bad("diary entry", e.ID, e.UserID)
		}
	}
	for _, t := range x.TrainingSessions {
		if t.UserID != id {
			return bad("session", t.ID, t.UserID)
		}
	}
	for _, w := range x.Walks {
		if w.UserID != id {
			return bad("walk", w.ID, w.UserID)
		}
	}
	for _, c := range x.RedFlagCheckins {
		if c.UserID != id {
			return bad("red-flag check-in", c.ID, c.UserID)
		}
	}
	for _, bl := range x.Baselines {
		if bl.UserID != id {
			return bad("baseline", bl.ID, bl.UserID)
		}
	}
	for _, p := range x.PSFS {
		if p.UserID != id {
			return bad("PSFS scoring", p.ID, p.UserID)
		}
	}
	for _, v := range x.Programmes {
		if v.PatientID != id {
			return bad("programme version", v.ID, v.PatientID)
		}
	}
	for _, p := range r.Plans {
		if p.Version != nil && p.Version.PatientID != id {
			return bad("programme version", p.Version.ID, p.Version.PatientID)
		}
	}
	if c := x.Clinic; c != nil && c.ID != x.User.ClinicID {
		return fmt.Errorf("%w: clinic %d is not the patient's (%d)", ErrOtherPatient, c.ID, x.User.ClinicID)
	}
	return nil
}

// builder collects the entries, section by section, in the order the
// bundle lists them.
type builder struct {
	r    Record
	base string
	l    i18n.Lang
	zone *time.Location
	err  error

	patient  fm.Reference
	clinic   *fm.Reference
	goal     *fm.Reference
	plans    []planRef
	sections [][]fm.BundleEntry // by section (the consts below)
	seen     map[string]bool    // fullUrls, which must be unique (bdl-7)
	// used are the clinic's codes the bundle names, by code system: each
	// code system used is sent in the bundle (codeSystems).
	used map[string]map[string]bool
}

// The sections, in the bundle's order.
const (
	secPatient = iota
	secTerminology
	secQuestionnaire
	secPlan
	secScreens
	secObservations
	secSessions
	nSections
)

type planRef struct {
	ref        fm.Reference
	start, end time.Time // end zero: current
}

func newBuilder(r Record, o Options) *builder {
	b := &builder{r: r, base: o.BaseURL, zone: o.Zone, l: i18n.Da,
		sections: make([][]fm.BundleEntry, nSections), seen: map[string]bool{}, used: map[string]map[string]bool{}}
	if b.zone == nil {
		b.zone = copenhagen
	}
	if r.Export.User.Lang == string(i18n.En) {
		b.l = i18n.En
	}
	return b
}

func (b *builder) entries() []fm.BundleEntry {
	var out []fm.BundleEntry
	for _, s := range b.sections {
		out = append(out, s...)
	}
	return out
}

// ident is the id and fullUrl of the resource of type kind made from the
// row key ("diary/12/leg").
func (b *builder) ident(kind, key string) (id string, ref fm.Reference) {
	id = uuid5(nsURL, b.base+"/fhir/"+kind+"/"+key)
	return id, fm.Reference{Reference: ptr("urn:uuid:" + id)}
}

// add puts res, whose id is id, in section sec, its resourceType first.
// The model package's types are named as FHIR's resources (fhir.Patient).
func (b *builder) add(sec int, id string, res json.Marshaler) {
	if b.err != nil {
		return
	}
	full := "urn:uuid:" + id
	if b.seen[full] {
		b.err = fmt.Errorf("fhir: two resources with the id %s", id)
		return
	}
	b.seen[full] = true
	raw, err := res.MarshalJSON()
	if err != nil {
		b.err = err
		return
	}
	_, typ, _ := strings.Cut(fmt.Sprintf("%T", res), ".")
	raw = typeFirst(raw, typ)
	b.sections[sec] = append(b.sections[sec], fm.BundleEntry{FullUrl: &full, Resource: raw})
}

func (b *builder) build() {
	b.patientEntry()
	b.planEntries()
	b.screenEntries()
	b.baselineEntries()
	b.diaryEntries()
	b.walkEntries()
	b.psfsEntries()
	b.sessionEntries()
	b.codeSystems() // last: they list the codes the others used
}

// Time formats: a dateTime or instant with the zone's offset, a date.
func (b *builder) dateTime(t time.Time) *string {
	s := t.In(b.zone).Format("2006-01-02T15:04:05-07:00")
	return &s
}

func (b *builder) dateTimeOrNil(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	return b.dateTime(t)
}

func ptr[T any](v T) *T { return &v }

// text is s for an optional string element, nil for "": R4's strings are
// never empty (json.html).
func text(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// coding is c as a Coding.
func coding(c concept) fm.Coding {
	return fm.Coding{System: ptr(c.system), Code: ptr(c.code), Display: ptr(c.display)}
}

// cc is a CodeableConcept of the codings with text (none when "").
func cc(text string, codings ...fm.Coding) fm.CodeableConcept {
	c := fm.CodeableConcept{Coding: codings}
	if text != "" {
		c.Text = &text
	}
	return c
}

// local is the clinic's code c of the code system cs, noted as used.
func (b *builder) local(cs string, c localCode) fm.Coding {
	if b.used[cs] == nil {
		b.used[cs] = map[string]bool{}
	}
	b.used[cs][c.code] = true
	return fm.Coding{System: ptr(b.systemURL(cs)), Code: ptr(c.code), Display: ptr(c.display)}
}

func (b *builder) systemURL(cs string) string { return b.base + "/fhir/CodeSystem/" + cs }

// exercise is the clinic's code of the exercise slug, with its name in
// the patient's language as text.
func (b *builder) exercise(slug string) fm.CodeableConcept {
	display, name := slug, slug
	if e := b.lib().Exercise(slug); e != nil {
		display, name = cmp(e.NameEn, e.Name), e.Name
		if b.l == i18n.En {
			name = display
		}
	}
	return cc(name, b.local(csExercise, localCode{code: slug, display: display}))
}

// lib is the library, or an empty one.
func (b *builder) lib() *programme.Library {
	if b.r.Library != nil {
		return b.r.Library
	}
	return &programme.Library{}
}

// programmeName is the programme slug's name in the patient's language.
func (b *builder) programmeName(p *programme.Programme, slug string) string {
	if p == nil {
		p = b.lib().Programme(slug)
	}
	if p == nil {
		return slug
	}
	if b.l == i18n.En {
		return cmp(p.NameEn, p.Name)
	}
	return p.Name
}

// cmp is the first of its arguments that is not "".
func cmp(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// seconds is a UCUM duration in seconds.
func seconds(n int) *fm.Quantity {
	return &fm.Quantity{Value: ptr(json.Number(strconv.Itoa(n))), Unit: ptr("s"), System: ptr(systemUCUM), Code: ptr("s")}
}
