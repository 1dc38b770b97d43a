package web

import (
	"io/fs"
	"log/slog"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	stenose "github.com/stenose/stenose"
	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/site"
	"github.com/stenose/stenose/internal/store"
)

// TestExaminedForm: lifting a pause asks for the day of the examination
// (on or after the answer that paused the programme, not in the future),
// who examined the patient and the confirmation; it shows what is
// confirmed; anything missing or wrong is refused beside its field,
// nothing is stored and the programme stays paused; a valid form is stored
// as the patient gave it and lifts the pause.
func TestExaminedForm(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		e := newEnv(t, st, nil)
		// The clock at noon in Copenhagen on 10 March 2026; the answer that
		// pauses the programme was given two days before, on 8 March.
		e.clock.t = time.Date(2026, 3, 8, 11, 0, 0, 0, time.UTC)
		c := e.signUp("karen")
		id := userID(t, st, "karen")
		ctx := t.Context()
		want(t, "nothing to confirm yet", c.get(examinedPath), 303, "/start")
		want(t, "nothing to confirm, posted", c.post(examinedPath, "dato", "2026-03-08", "hvem", "own_doctor", "undersoegt", "ja"), 303, "/start")
		want(t, "cauda equina yes", c.post("/start/roede-flag", allNo("both_legs_numbness", "ja", "bowel", "ja")...), 303, "/i-dag")
		// Asked the same day, the only possible day is today, and the hint says so.
		r := c.get(examinedPath)
		contains(t, "the form the same day", r.body, "Det er i dag, den 8. marts 2026, da du svarede i dag.", `min="2026-03-08" max="2026-03-08"`)
		lacks(t, "the form the same day", r.body, "eller senere, og ikke efter i dag")
		e.clock.add(48 * time.Hour)

		r = c.get(examinedPath)
		want(t, "the form", r, 200, "")
		contains(t, "the form", r.body, "Den 8. marts 2026 svarede du ja til:", "<li>nye problemer med at holde på afføringen</li>",
			"<li>følelsesløshed i begge ben</li>", `type="date" min="2026-03-08" max="2026-03-10"`, "Den 8. marts 2026 eller senere",
			`id="hvem-own_doctor" type="radio" name="hvem" value="own_doctor"`, `id="hvem-out_of_hours"`, `id="hvem-emergency"`, `id="hvem-other"`,
			"Jeg bekræfter, at en læge har undersøgt mig for det, jeg svarede ja til, og at jeg gerne må træne.",
			`href="tel:1813"`, `href="tel:112"`)

		ok := []string{"dato", "2026-03-09", "hvem", "out_of_hours", "undersoegt", "ja"}
		with := func(kv ...string) []string {
			out := append([]string{}, ok...)
			for i := 0; i+1 < len(kv); i += 2 {
				for j := 0; j+1 < len(out); j += 2 {
					if out[j] == kv[i] {
						out[j+1] = kv[i+1]
					}
				}
				if !strings.Contains(strings.Join(out, "\x00"), kv[i]+"\x00") {
					out = append(out, kv[i], kv[i+1])
				}
			}
			return out
		}
		tests := []struct {
			name  string
			form  []string
			field string // the field whose error is shown
			msg   string
		}{
			{"no date", with("dato", ""), "dato", "Skriv den dag, lægen undersøgte dig, fx 5.3.2026."},
			{"not a date", with("dato", "sidste tirsdag"), "dato", "Skriv datoen som dag, måned og år, fx 5.3.2026."},
			{"not a real date", with("dato", "30.2.2026"), "dato", "Skriv datoen som dag, måned og år"},
			{"before the answer", with("dato", "7.3.2026"), "dato", "Undersøgelsen skal være fra den 8. marts 2026 eller senere – den dag svarede du ja."},
			{"long before the answer", with("dato", "2025-12-24"), "dato", "fra den 8. marts 2026 eller senere"},
			{"in the future", with("dato", "2026-03-11"), "dato", "Datoen ligger efter i dag."},
			{"next year", with("dato", "9.3.2027"), "dato", "Datoen ligger efter i dag."},
			{"nobody", with("hvem", ""), "hvem", "Vælg, hvem der undersøgte dig."},
			{"an unknown who", with("hvem", "nurse"), "hvem", "Vælg, hvem der undersøgte dig."},
			{"another doctor, unnamed", with("hvem", "other"), "hvem", "Skriv, hvilken læge der undersøgte dig."},
			{"another doctor, too long", with("hvem", "other", "hvem-andet", strings.Repeat("æ", 201)), "hvem", "Skriv højst 200 tegn"},
			{"not confirmed", with("undersoegt", ""), "undersoegt", "Sæt kryds for at bekræfte, at en læge har undersøgt dig."},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := c.post(examinedPath, tt.form...)
				want(t, tt.name, r, 422, "")
				contains(t, tt.name, r.body, `id="`+tt.field+`-error"`, tt.msg, `<div class="error-summary"`, "Den 8. marts 2026 svarede du ja til:")
				if cs, _ := st.ListRedFlagCheckins(ctx, id); !cs[0].ExaminedAt.IsZero() {
					t.Fatalf("stored: %+v", cs[0])
				}
				want(t, "still paused", c.get("/start"), 303, "/i-dag")
			})
		}
		// A date a date field cannot hold comes back in a text box, as typed.
		r = c.post(examinedPath, "dato", "sidste tirsdag", "hvem", "own_doctor", "undersoegt", "ja")
		contains(t, "typed date kept", r.body, `id="dato" name="dato" type="text" autocomplete="off" required value="sidste tirsdag"`)
		// What was typed is kept; the summary leads to the first radio
		// button for who.
		r = c.post(examinedPath, "dato", "9.3.2026", "hvem", "other", "hvem-andet", "")
		contains(t, "kept", r.body, `value="9.3.2026"`, `value="other" checked`, `href="#hvem-own_doctor"`)
		lacks(t, "kept", r.body, `id="dato-error"`)

		// A name without the button pressed is another doctor; a date as
		// a Danish patient writes it; stored as given, the pause lifted.
		want(t, "valid", c.post(examinedPath, "dato", "8.3.2026", "hvem-andet", "Neurolog på Glostrup", "undersoegt", "ja"), 303, "/start/udgangspunkt")
		cs, _ := st.ListRedFlagCheckins(ctx, id)
		wantEx := store.Examination{On: "2026-03-08", By: store.ExaminedByOther, ByOther: "Neurolog på Glostrup"}
		if len(cs) != 1 || cs[0].Examination != wantEx || !cs[0].ExaminedAt.Equal(e.clock.now()) {
			t.Fatalf("stored %+v, want %+v", cs, wantEx)
		}
		want(t, "no longer paused", c.get("/start"), 303, "/start/udgangspunkt")
		want(t, "nothing left to confirm", c.get(examinedPath), 303, "/start")
	})
}

// TestParseExaminedDay: a date field's value and the usual Danish ways of
// writing a day.
func TestParseExaminedDay(t *testing.T) {
	now := time.Date(2026, 3, 10, 11, 0, 0, 0, time.UTC)
	for _, tt := range []struct{ in, want string }{
		{"2026-03-08", "2026-03-08"},
		{"8.3.2026", "2026-03-08"},
		{" 08-03-2026 ", "2026-03-08"},
		{"8/3-2026", "2026-03-08"},
		{"8.3.26", "2026-03-08"},
		{"8. marts 2026", "2026-03-08"},
		{"8 March 2026", "2026-03-08"},
		{"8/3/2026", "2026-03-08"}, // the English hint's other example
		{"i går", "2026-03-09"},
		{"I dag.", "2026-03-10"},
		{"31.2.2026", ""},
		{"2026-13-01", ""},
		{"8.3.2026 kl. 10", ""},
		{"", ""},
		{strings.Repeat("1", 100), ""},
	} {
		d, err := parseExaminedDay(tt.in, now)
		if got := d.String(); (err == nil) != (tt.want != "") || err == nil && got != tt.want {
			t.Errorf("parseExaminedDay(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

// TestRetiredFlagCarriesOver: a check-in from before the screen asked one
// thing a question (minor_trauma_osteoporosis, examined) clears its
// successor (minor_trauma) in the next check-in, as the same flag would.
func TestRetiredFlagCarriesOver(t *testing.T) {
	st := openSQLite(t)
	e := newEnv(t, st, nil)
	c := e.signUp("ole")
	id := userID(t, st, "ole")
	seedPatient(t, st, id, e.clock.now(), 20, false)
	old := e.clock.now().Add(-time.Hour)
	ck, err := st.AddRedFlagCheckin(t.Context(), store.RedFlagCheckin{UserID: id, At: old, Answers: map[string]bool{"minor_trauma_osteoporosis": true}, Urgent: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.ConfirmExamined(t.Context(), ck.ID, id, old, store.Examination{On: care.DayIn(old).String(), By: store.ExaminedByOwnDoctor}); err != nil {
		t.Fatal(err)
	}
	want(t, "the same fall, asked the new way", c.post("/start/roede-flag", allNo("minor_trauma", "ja")...), 303, "/start")
	want(t, "a new cauda equina sign is not carried", c.post("/start/roede-flag", allNo("minor_trauma", "ja", "bladder", "ja")...), 303, "/i-dag")
}

// TestUrgentRouteByRegion: the urgent advice's out-of-hours number is the
// clinic's region's (or the clinic's own); without a clinic the page names
// lægevagten without a number; 112 is always a link.
func TestUrgentRouteByRegion(t *testing.T) {
	for _, tt := range []struct {
		name, clinic string // clinic.yaml's region lines; "" = no clinic.yaml
		want, lacks  []string
	}{
		{"hovedstaden", "region: hovedstaden\n",
			[]string{`Uden for lægens åbningstid: ring til Akuttelefonen på <span class="nowrap"><a class="tel" href="tel:1813">1813</a>.</span>`}, []string{"lægevagten i din region"}},
		{"midtjylland", "region: midtjylland\n",
			[]string{`Uden for lægens åbningstid: ring til Lægevagten på <span class="nowrap"><a class="tel" href="tel:&#43;4570113131">70 11 31 31</a>.</span>`}, []string{"1813"}},
		{"a number of the clinic's own", "region: nordjylland\noutOfHours: 70 15 03 01\n",
			[]string{`href="tel:&#43;4570150301">70 15 03 01</a>`}, []string{"70 15 03 00"}},
		{"no clinic", "",
			[]string{"Uden for lægens åbningstid: ring til lægevagten i din region."}, []string{"tel:1813", "tel:&#43;45"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := siteWithClinic(t, tt.clinic)
			e := newEnv(t, openSQLite(t), nil, func(c *Config) { c.Site = s })
			c := e.signUp("ida")
			want(t, "cauda equina yes", c.post("/start/roede-flag", allNo("saddle_numbness", "ja")...), 303, "/i-dag")
			body := c.get("/i-dag").body
			contains(t, "today", body, append(tt.want, `Ved livsfare: ring <span class="nowrap"><a class="tel" href="tel:112">112</a>.</span>`, "Ring til din egen læge nu")...)
			lacks(t, "today", body, tt.lacks...)
		})
	}
}

// siteWithClinic is the built-in content with clinic.yaml's region lines
// replaced (region: … and outOfHours: …), or without clinic.yaml.
func siteWithClinic(t *testing.T, region string) *site.Site {
	t.Helper()
	base := stenose.Content()
	src, err := fs.ReadFile(base, "clinic.yaml")
	if err != nil {
		t.Fatal(err)
	}
	over := fstest.MapFS{}
	if region != "" {
		over["clinic.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(string(src), "region: hovedstaden\n", region, 1))}
	}
	s, err := site.Load(overlayFS{base, over, region == ""}, site.Options{BaseURL: "http://example.test", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if (s.Clinic(i18n.Da) == nil) != (region == "") {
		t.Fatalf("clinic %+v for %q", s.Clinic(i18n.Da), region)
	}
	return s
}

// overlayFS is base with over's files in place of its own (and, with
// noClinic, without clinic.yaml).
type overlayFS struct {
	base     fs.FS
	over     fstest.MapFS
	noClinic bool
}

func (o overlayFS) Open(name string) (fs.File, error) {
	if name == "clinic.yaml" && o.noClinic {
		return nil, fs.ErrNotExist
	}
	if _, ok := o.over[name]; ok {
		return o.over.Open(name)
	}
	return o.base.Open(name)
}
