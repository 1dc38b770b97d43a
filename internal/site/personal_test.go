package site_test

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/programme"
	"github.com/stenose/stenose/internal/site"
)

// TestRenderPersonal: a patient's own programme in the public pages'
// templates — its exercises and doses in the player's plan, the links to
// its own player, handout and walk mode, who changed it and why — and the
// public pages left as they were.
func TestRenderPersonal(t *testing.T) {
	s, err := builtin()
	if err != nil {
		t.Fatal(err)
	}
	base := s.Library().Programmes[0]
	before := get(s.Handler(), "/program/"+base.Slug+"/traening").Body.String()
	cat := s.Library().Exercise("kattestraek")
	p := base.Tailored([]programme.Item{{Exercise: cat, Dose: programme.Dose{Kind: programme.Reps, Reps: 12, SecondsPerRep: 5, Sides: 1, Sets: 3, Rest: 20}}}, 2)
	pers := site.Personal{Base: "/mit-program", Changed: "Ændret den 20. november 2026 af Dorte Fys.", Reason: "Kun kattestræk & ro på.", Walk: "Dit mål: 8 minutter pr. tur."}
	render := func(page string, lang i18n.Lang) string {
		t.Helper()
		var b bytes.Buffer
		if err := s.RenderPersonal(&b, page, lang, p, pers); err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		return b.String()
	}
	for _, lang := range i18n.Langs {
		for _, page := range []string{site.PersonalProgramme, site.PersonalSession, site.PersonalHandout, site.PersonalWalk} {
			html := render(page, lang)
			for _, want := range []string{"Ændret den 20. november 2026 af Dorte Fys.", "Kun kattestræk &amp; ro på."} {
				if !strings.Contains(html, want) {
					t.Errorf("%s %s: no %q", lang, page, want)
				}
			}
		}
	}
	prog := render(site.PersonalProgramme, i18n.Da)
	for _, want := range []string{`href="/mit-program/traening"`, `href="/mit-program/udskrift"`, `href="/mit-program/gang"`, "3 sæt", "2 gange om ugen"} {
		if !strings.Contains(prog, want) {
			t.Errorf("programme page: no %q", want)
		}
	}
	if strings.Contains(prog, "Træn tre gange om ugen") {
		t.Error("programme page: the content's introduction, with the content's plan, on the patient's own")
	}
	if strings.Contains(prog, "Knæ-til-bryst") {
		t.Error("programme page shows an exercise the patient's programme does not hold")
	}
	if w := render(site.PersonalWalk, i18n.Da); !strings.Contains(w, "Dit mål: 8 minutter pr. tur.") {
		t.Error("walk mode without the walking target")
	}
	m := regexp.MustCompile(`(?s)<script type="application/json" id="session-plan">(.*?)</script>`).FindStringSubmatch(render(site.PersonalSession, i18n.En))
	if m == nil {
		t.Fatal("no plan in the session page")
	}
	var plan programme.Plan
	if err := json.Unmarshal([]byte(m[1]), &plan); err != nil {
		t.Fatal(err)
	}
	if len(plan.Steps) != 1 || plan.Steps[0].Exercise != "kattestraek" || plan.Steps[0].Reps != 12 || plan.Steps[0].Sets != 3 ||
		plan.Programme != base.Slug || plan.Lang != "en" {
		t.Errorf("plan = %+v", plan)
	}
	if after := get(s.Handler(), "/program/"+base.Slug+"/traening").Body.String(); after != before || strings.Contains(after, "Dorte") {
		t.Error("the public player changed")
	}
	var b bytes.Buffer
	if err := s.RenderPersonal(&b, "diary", i18n.Da, p, pers); err == nil {
		t.Error("an unknown view rendered")
	}
}
