package care

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	stenose "github.com/stenose/stenose"
	"github.com/stenose/stenose/internal/content"
	"github.com/stenose/stenose/internal/programme"
	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

// testLibrary is the built-in content's library with one extension
// exercise added (rygbro, from internal/content's test data), which an LSS
// programme may not hold.
func testLibrary(t *testing.T) *programme.Library {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(stenose.Content(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(stenose.Content(), p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("../content/testdata/extension/exercises/rygbro.md")
	if err != nil {
		t.Fatal(err)
	}
	m["exercises/rygbro.md"] = &fstest.MapFile{Data: b}
	ix, _ := content.Load(m)
	lib, probs := programme.Load(m, ix.Images)
	if probs.HasErrors() || lib.Exercise("rygbro") == nil || lib.Programme(DefaultProgramme) == nil {
		t.Fatalf("test library: %v", probs)
	}
	return lib
}

// clinicSetup is a clinic with a clinician and a patient, another clinic
// with its clinician, and the service on a fixed clock.
type clinicSetup struct {
	st         *store.Store
	s          *Service
	now        time.Time
	doc, other store.User
	ann        store.User
	nord, syd  store.Clinic
}

func newClinicSetup(t *testing.T) clinicSetup {
	t.Helper()
	st := openSQLite(t)
	ctx := t.Context()
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, Zone)
	c := clinicSetup{st: st, now: now}
	var err error
	if c.nord, err = st.CreateClinic(ctx, store.Clinic{Slug: "nord", Name: "Klinik Nord"}); err != nil {
		t.Fatal(err)
	}
	if c.syd, err = st.CreateClinic(ctx, store.Clinic{Slug: "syd", Name: "Klinik Syd"}); err != nil {
		t.Fatal(err)
	}
	member := func(login string, role store.Role, clinic int64) store.User {
		u := newPatient(t, st, login, now.AddDate(0, 0, -30))
		if err := st.SetUserClinic(ctx, u.ID, clinic); err != nil {
			t.Fatal(err)
		}
		if role != store.RolePatient {
			if err := st.SetRole(ctx, u.ID, role); err != nil {
				t.Fatal(err)
			}
		}
		u, err := st.UserByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	c.ann = member("ann", store.RolePatient, c.nord.ID)
	c.doc = member("doc", store.RoleClinician, c.nord.ID)
	c.other = member("anden", store.RoleClinician, c.syd.ID)
	c.s = New(Config{Store: st, Library: testLibrary(t), Now: func() time.Time { return c.now }})
	return c
}

// goodChange is a valid change: two exercises in a new order with the
// clinician's doses, twice a week, 8 minutes of walking.
func goodChange() ProgrammeChange {
	return ProgrammeChange{
		Items: []ProgrammeItem{
			{Exercise: "kattestraek", Dose: programme.Dose{Reps: 10, SecondsPerRep: 5, Sides: 1, Sets: 2, Rest: 20}},
			{Exercise: "knae-til-bryst", Dose: programme.Dose{Seconds: 20, Reps: 3, Sides: 2, Sets: 1, Rest: 10}},
		},
		PerWeek: 2, WalkMinutes: 8, Reason: "  Færre øvelser, så du kan nå dem.  ",
	}
}

// TestCheckProgramme: one case per rule, each naming the field at fault.
func TestCheckProgramme(t *testing.T) {
	c := newClinicSetup(t)
	base := c.s.base()
	tests := []struct {
		name   string
		change func(*ProgrammeChange)
		want   []string // field:code[:min-max]
	}{
		{"valid", func(*ProgrammeChange) {}, nil},
		{"no exercises", func(ch *ProgrammeChange) { ch.Items = nil }, []string{"exercises:required"}},
		{"not in the library", func(ch *ProgrammeChange) { ch.Items[0].Exercise = "hopning" }, []string{"exercises:unknown"}},
		{"the same exercise twice", func(ch *ProgrammeChange) { ch.Items[1] = ch.Items[0] }, []string{"exercises:twice"}},
		{"an extension exercise in an LSS programme", func(ch *ProgrammeChange) {
			ch.Items = append(ch.Items, ProgrammeItem{Exercise: "rygbro", Dose: programme.Dose{Seconds: 10, Reps: 5, Sides: 1, Sets: 1}})
		}, []string{"rygbro:extension"}},
		{"reps out of range", func(ch *ProgrammeChange) { ch.Items[0].Dose.Reps = 101 }, []string{"kattestraek.reps:range:1-100"}},
		{"hold too long", func(ch *ProgrammeChange) { ch.Items[1].Dose.Seconds = 121 }, []string{"knae-til-bryst.seconds:range:3-120"}},
		{"three sides", func(ch *ProgrammeChange) { ch.Items[1].Dose.Sides = 3 }, []string{"knae-til-bryst.sides:range:1-2"}},
		{"no sets, too long a rest", func(ch *ProgrammeChange) { ch.Items[0].Dose.Sets, ch.Items[0].Dose.Rest = 0, 601 },
			[]string{"kattestraek.sets:range:1-10", "kattestraek.rest:range:0-600"}},
		{"0 a week", func(ch *ProgrammeChange) { ch.PerWeek = 0 }, []string{"perWeek:range:1-14"}},
		{"15 a week", func(ch *ProgrammeChange) { ch.PerWeek = 15 }, []string{"perWeek:range:1-14"}},
		{"14 a week, 1 and 30 minutes are fine", func(ch *ProgrammeChange) { ch.PerWeek, ch.WalkMinutes = 14, 30 }, nil},
		{"walk 0 minutes", func(ch *ProgrammeChange) { ch.WalkMinutes = 0 }, []string{"walkMinutes:range:1-30"}},
		{"walk 31 minutes", func(ch *ProgrammeChange) { ch.WalkMinutes = 31 }, []string{"walkMinutes:range:1-30"}},
		{"no reason", func(ch *ProgrammeChange) { ch.Reason = " \n " }, []string{"reason:required"}},
		{"a reason too long", func(ch *ProgrammeChange) { ch.Reason = strings.Repeat("ø", ReasonMax+1) }, []string{"reason:too_long:0-500"}},
		{"a reason of the longest", func(ch *ProgrammeChange) { ch.Reason = strings.Repeat("ø", ReasonMax) }, nil},
		{"everything at once, in the form's order", func(ch *ProgrammeChange) {
			ch.Items[0].Dose.Reps, ch.PerWeek, ch.WalkMinutes, ch.Reason = 0, 0, 0, ""
		}, []string{"kattestraek.reps:range:1-100", "perWeek:range:1-14", "walkMinutes:range:1-30", "reason:required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch := goodChange()
			tt.change(&ch)
			var got []string
			for _, p := range c.s.CheckProgramme(base, &ch) {
				s := p.Field + ":" + p.Code
				if p.Code == ProblemRange || p.Code == ProblemTooLong {
					s += fmt.Sprintf(":%d-%d", p.Min, p.Max)
				}
				got = append(got, s)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("problems = %v, want %v", got, tt.want)
			}
		})
	}
	// The kind is the exercise's; numbers the kind does not use are cleared.
	ch := goodChange()
	ch.Items[0].Dose.Kind, ch.Items[0].Dose.Seconds = programme.Hold, 99
	if probs := c.s.CheckProgramme(base, &ch); len(probs) != 0 {
		t.Fatalf("problems %v", probs)
	}
	if d := ch.Items[0].Dose; d.Kind != programme.Reps || d.Seconds != 0 {
		t.Errorf("dose after the check = %+v: want the exercise's kind, reps, without seconds", d)
	}
	if ch.Reason != "Færre øvelser, så du kan nå dem." {
		t.Errorf("reason %q: want it trimmed", ch.Reason)
	}
}

// TestSetProgramme: versions by the clinic's clinician, the current one
// for the patient, a stale edit a conflict, an invalid one saving
// nothing, another clinic's clinician refused without a trace in the
// programme, and every look in the access log.
func TestSetProgramme(t *testing.T) {
	c := newClinicSetup(t)
	ctx := t.Context()

	// No version yet: the content's default.
	mine, err := c.s.MyProgramme(ctx, &c.ann)
	if err != nil || mine.Version != nil || mine.Programme != c.s.lib.Programme(DefaultProgramme) || mine.WalkMinutes != DefaultWalkMinutes {
		t.Fatalf("MyProgramme without a version = %+v, %v", mine, err)
	}
	rec, err := c.s.PatientProgramme(ctx, &c.doc, c.ann.ID)
	if err != nil || rec.Current != nil || rec.CurrentID() != 0 || len(rec.Versions) != 0 || rec.Programme.Slug != DefaultProgramme {
		t.Fatalf("PatientProgramme without a version = %+v, %v", rec, err)
	}

	rec, err = c.s.SetProgramme(ctx, &c.doc, c.ann.ID, goodChange(), 0)
	if err != nil {
		t.Fatal(err)
	}
	first := rec.Current
	if first == nil || first.Version != 1 || first.ByID != c.doc.ID || first.ByName != "Navn doc" ||
		first.Reason != "Færre øvelser, så du kan nå dem." || first.PerWeek != 2 || first.WalkMinutes != 8 || !first.At.Equal(c.now) {
		t.Fatalf("version 1 = %+v", first)
	}
	mine, err = c.s.MyProgramme(ctx, &c.ann)
	if err != nil || mine.Version == nil || mine.Version.ID != first.ID || mine.WalkMinutes != 8 {
		t.Fatalf("MyProgramme = %+v, %v", mine, err)
	}
	p := mine.Programme
	var slugs []string
	for _, it := range p.Items {
		slugs = append(slugs, it.Exercise.Slug)
	}
	if !slices.Equal(slugs, []string{"kattestraek", "knae-til-bryst"}) || p.PerWeek != 2 || p.Slug != DefaultProgramme ||
		p.Items[0].Dose != (programme.Dose{Kind: programme.Reps, Reps: 10, SecondsPerRep: 5, Sides: 1, Sets: 2, Rest: 20}) || p.Rest == nil {
		t.Errorf("the patient's programme = %v, %+v", slugs, p)
	}
	if def := c.s.lib.Programme(DefaultProgramme); len(def.Items) != 5 || def.PerWeek != 3 {
		t.Errorf("the content's programme changed: %+v", def)
	}

	tests := []struct {
		name  string
		actor store.User
		ch    func(*ProgrammeChange)
		from  int64
		want  error
	}{
		{"a stale edit (from no version)", c.doc, func(*ProgrammeChange) {}, 0, ErrProgrammeChanged},
		{"invalid", c.doc, func(ch *ProgrammeChange) { ch.WalkMinutes = 0 }, first.ID, &InvalidProgramme{}},
		{"another clinic's clinician", c.other, func(*ProgrammeChange) {}, first.ID, ErrNoAccess},
		{"a patient", c.ann, func(*ProgrammeChange) {}, first.ID, ErrNoAccess},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch := goodChange()
			tt.ch(&ch)
			rec, err := c.s.SetProgramme(ctx, &tt.actor, c.ann.ID, ch, tt.from)
			var inv *InvalidProgramme
			switch want := tt.want.(type) {
			case *InvalidProgramme:
				if !errors.As(err, &inv) || len(inv.Problems) != 1 || inv.Problems[0].Field != "walkMinutes" {
					t.Errorf("err = %v, want walkMinutes invalid", err)
				}
			default:
				if !errors.Is(err, want) {
					t.Errorf("err = %v, want %v", err, want)
				}
			}
			if err != nil && tt.want != ErrNoAccess && (rec.Current == nil || rec.Current.ID != first.ID) {
				t.Errorf("the record shown again = %+v, want the current version", rec.Current)
			}
			if cur, _ := c.st.CurrentProgramme(ctx, c.ann.ID); cur.ID != first.ID {
				t.Errorf("a refused change saved version %d", cur.Version)
			}
		})
	}
	_, err = c.s.PatientProgramme(ctx, &c.other, c.ann.ID)
	if !errors.Is(err, ErrNoAccess) {
		t.Errorf("another clinic's clinician reads it: %v", err)
	}

	c.now = c.now.Add(24 * time.Hour)
	ch := goodChange()
	ch.WalkMinutes, ch.Reason = 10, "Længere gåture."
	rec, err = c.s.SetProgramme(ctx, &c.doc, c.ann.ID, ch, first.ID)
	if err != nil || rec.Current.Version != 2 || len(rec.Versions) != 2 || rec.Versions[1].ID != first.ID {
		t.Fatalf("version 2: %+v, %v", rec, err)
	}

	// The access log: the look and the changes, by the clinic's clinician
	// only; the stale edit and the invalid try are looks (view), not
	// changes — nothing was saved — and a saved change is logged in its
	// own transaction.
	looks, err := c.st.AccessLog(ctx, c.ann.ID, 100)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range looks {
		if l.ActorID != c.doc.ID || l.What != "programme" {
			t.Errorf("look %+v", l)
		}
		got = append(got, l.Action)
	}
	slices.Reverse(got)
	want := []string{store.AccessView, store.AccessChange, store.AccessView, store.AccessView, store.AccessChange}
	if !slices.Equal(got, want) {
		t.Errorf("access log %v, want %v", got, want)
	}
}

// TestHistoryFromProgramme: the version's sessions a week are the plan,
// its walking target the clinician's from its day; the patient's own
// targets accepted after it count instead.
func TestHistoryFromProgramme(t *testing.T) {
	c := newClinicSetup(t)
	ctx := t.Context()
	before, err := c.s.Load(ctx, &c.ann)
	if err != nil {
		t.Fatal(err)
	}
	if h := before.History; h.PlannedPerWeek != PlannedPerWeek || h.Targets.Clinician || h.Targets.WalkMinutes != DefaultWalkMinutes {
		t.Fatalf("history without a version: %+v", h.Targets)
	}
	if _, err := c.s.SetProgramme(ctx, &c.doc, c.ann.ID, goodChange(), 0); err != nil {
		t.Fatal(err)
	}
	p, err := c.s.Load(ctx, &c.ann)
	if err != nil {
		t.Fatal(err)
	}
	want := rules.Targets{Since: DayIn(c.now), WalkMinutes: 8, Clinician: true}
	if h := p.History; h.PlannedPerWeek != 2 || h.Programme != DefaultProgramme || h.Targets.Since != want.Since ||
		h.Targets.WalkMinutes != 8 || !h.Targets.Clinician || p.WalkTarget() != 8 {
		t.Errorf("history with a version: per week %d, targets %+v", h.PlannedPerWeek, h.Targets)
	}
	// The patient steps down the next day: their targets are newer.
	if _, err := c.st.SetTargets(ctx, store.Targets{UserID: c.ann.ID, At: c.now.Add(24 * time.Hour), WalkMinutes: 7, SetBy: store.SetByRules, Advice: "TARGET_DOWN"}, 0); err != nil {
		t.Fatal(err)
	}
	c.now = c.now.Add(48 * time.Hour)
	p, err = c.s.Load(ctx, &c.ann)
	if err != nil {
		t.Fatal(err)
	}
	if h := p.History; h.PlannedPerWeek != 2 || h.Targets.WalkMinutes != 7 || h.Targets.Clinician {
		t.Errorf("after the patient's step down: per week %d, targets %+v", h.PlannedPerWeek, h.Targets)
	}
}
