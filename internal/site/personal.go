package site

// A patient's own programme (issue 13, "Programme per patient"): when the
// patient's clinician has tailored the programme, the app (internal/web)
// renders the programme page, the session player, the printable handout
// and walk mode for that patient on each request, with the same templates
// and session plan as the public pages, which stay as they are.

import (
	"bytes"
	"fmt"
	"io"

	"github.com/stenose/stenose/internal/content"
	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/programme"
)

// The views of a patient's own programme (RenderPersonal).
const (
	PersonalProgramme = "programme" // the programme page
	PersonalSession   = "session"   // the session player
	PersonalHandout   = "handout"   // the printable handout
	PersonalWalk      = "walk"      // walk mode
)

// Personal is what the app adds to the pages of a patient's own
// programme, in the page's language.
type Personal struct {
	// Base is the address of the patient's programme page; the player is
	// Base+"/traening", the handout Base+"/udskrift", walk mode
	// Base+"/gang".
	Base string
	// Changed says who changed the programme and when ("Ændret den 5.
	// december 2026 af Dorte Jensen."); Reason is the clinician's reason
	// as they wrote it. Both "" for none.
	Changed, Reason string
	// Walk is the patient's walking target in words, for walk mode ("" for
	// none).
	Walk string
	// Menu is the patient's menu in the page's language (the app's, with
	// the page's item marked): the pages show it in place of the public
	// one.
	Menu []MenuLink
	// SwitchAction is where the language switch posts (the app's, which
	// keeps the choice on the account); "" leaves the public pages' link.
	SwitchAction string
	// Clinic is the patient's own clinic's details (content.ClinicFrom),
	// shown in place of the content's; nil keeps the content's.
	Clinic *content.Clinic
}

// MenuLink is an item of the patient's menu on their own programme's pages.
type MenuLink struct {
	Href, Label string
	Current     bool
}

// RenderPersonal writes page (PersonalProgramme, PersonalSession,
// PersonalHandout or PersonalWalk) of programme p for a signed-in patient
// in lang, with the public pages' templates: the same page, at the
// patient's own address, with who changed it and why.
func (s *Site) RenderPersonal(w io.Writer, page string, lang i18n.Lang, p *programme.Programme, pers Personal) error {
	var v *view
	var tmpl string
	path := pers.Base
	switch page {
	case PersonalProgramme:
		v, tmpl = s.programmeView(lang, p), "programme.html"
	case PersonalSession:
		v, tmpl, path = s.sessionView(lang, p), "session.html", pers.Base+"/traening"
	case PersonalHandout:
		v, tmpl, path = s.handoutView(lang, p), "handout.html", pers.Base+"/udskrift"
	case PersonalWalk:
		v, tmpl, path = s.walkView(lang), "walk.html", pers.Base+"/gang"
	default:
		return fmt.Errorf("site: no personal view %q", page)
	}
	if v.Programme != nil {
		v.Programme.Href = pers.Base
		// The content's introduction speaks of the content's plan ("Træn
		// tre gange om ugen"); the clinician's note and the plan's own
		// line say this patient's.
		v.Programme.Intro, v.Programme.IntroLang = "", ""
	}
	v.WalkHref = pers.Base + "/gang"
	v.Personal = &pers
	if len(pers.Menu) > 0 {
		c := s.chrome(chromeKey{lang, "app"})
		v.Chrome = c
	}
	if pers.Clinic != nil {
		v.Clinic = clinicView(pers.Clinic, lang)
		f, err := s.FooterFor(lang, v.Section, pers.Clinic)
		if err != nil {
			return err
		}
		v.Chrome.Footer = f
	}
	// One address for both languages: the app shows it in the patient's
	// (internal/web, lang.go); the switch asks for the other.
	v.Canonical, v.AltDa, v.AltEn = s.base+path, "", ""
	v.Switch = path + "?lang=" + string(v.Other)
	if pers.SwitchAction != "" {
		v.Switch = "" // the form in the layout instead
	}
	v.Here = path
	var b bytes.Buffer
	if err := s.execute(&b, tmpl, v); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}
