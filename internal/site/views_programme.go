package site

import (
	"encoding/json"
	"html/template"
	"strings"

	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/programme"
)

// exView is an exercise as a page shows it, in the page's language.
type exView struct {
	Slug, Href, Name, Drawing, Instruction string
	Still                                  string // the drawing without animation, for lists
	DoseText, DoseSourceText, PostureText  string
	Equipment, Caution                     string
	Steps                                  template.HTML
	Walk                                   bool
}

func (s *Site) exView(lang i18n.Lang, e *programme.Exercise, d programme.Dose) exView {
	en := lang == i18n.En
	v := exView{
		Slug: e.Slug, Href: s.langPath(lang, "/oevelser/"+e.Slug), Drawing: e.Drawing, Still: s.still(e.Drawing), Walk: e.Walk,
		Name: e.Name, Instruction: e.Instruction, Equipment: e.Equipment, Caution: e.Caution,
		Steps:    template.HTML(e.StepsHTML), // rendered by goldmark (safe mode) in programme.Load
		DoseText: programme.DoseText(d, en),
	}
	if en {
		v.Name, v.Instruction = pick(e.NameEn, e.Name), pick(e.InstructionEn, e.Instruction)
		v.Equipment, v.Caution = pick(e.EquipmentEn, e.Equipment), pick(e.CautionEn, e.Caution)
		v.Steps = template.HTML(e.StepsEnHTML)
	}
	v.DoseSourceText = lang.T("exerciseDoseClinic")
	if e.DoseSource == "article" {
		v.DoseSourceText = lang.T("exerciseDoseArticle")
	}
	switch e.Posture {
	case programme.Flexion:
		v.PostureText = lang.T("exercisePostureFlexion")
	case programme.Neutral:
		v.PostureText = lang.T("exercisePostureNeutral")
	default:
		v.PostureText = lang.T("exercisePostureExtension")
	}
	return v
}

func pick(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// progView is a programme as its pages show it.
type progView struct {
	Slug, Href, Name, PerWeek string
	Intro                     template.HTML
	IntroLang                 template.HTMLAttr // ` lang="da"` when a Danish introduction stands on an English page
	Items                     []exView
	ArticleHref               string
}

func (s *Site) progView(lang i18n.Lang, p *programme.Programme) *progView {
	pv := &progView{
		Slug: p.Slug, Href: s.langPath(lang, "/program/"+p.Slug), Name: p.Name,
		PerWeek: lang.Tf("programmePerWeek", p.PerWeek),
		Intro:   template.HTML(p.IntroHTML), // goldmark, safe mode
	}
	if lang == i18n.En {
		pv.Name = pick(p.NameEn, p.Name)
		if p.IntroEnHTML != nil {
			pv.Intro = template.HTML(p.IntroEnHTML)
		} else {
			pv.IntroLang = ` lang="da"`
		}
	}
	for _, it := range p.Items {
		pv.Items = append(pv.Items, s.exView(lang, it.Exercise, it.Dose))
	}
	if p.Article != "" && s.ix.Article(p.Article) != nil {
		pv.ArticleHref = s.langPath(lang, "/blog/"+p.Article)
	}
	return pv
}

// mainProgramme is the clinic's programme, the one the menu's "Træning"
// and the home page lead to: the first (there is one today), or nil.
func (s *Site) mainProgramme() *programme.Programme {
	if len(s.lib.Programmes) == 0 {
		return nil
	}
	return s.lib.Programmes[0]
}

// MenuItem is an item of the patient's menu: the app's address and the
// catalogue key of its label.
type MenuItem struct{ Path, Key string }

// PatientMenu is a signed-in patient's menu, on every page of the app
// (internal/web) and in the player and walk mode, whose scripts show it
// instead of the public menu when a patient is signed in on the browser.
var PatientMenu = []MenuItem{{"/i-dag", "navToday"}, {"/dagbog", "navDiary"}, {"/fremskridt", "navProgress"}, {"/konto", "navAccount"}}

// navLink is a menu item as a page shows it.
type navLink struct{ Href, Label string }

// patientMenu is PatientMenu in lang, for the player's and walk mode's
// <template id="patient-menu">. The English links go through /en/, which
// the app answers in English.
func (s *Site) patientMenu(lang i18n.Lang) []navLink {
	out := make([]navLink, len(PatientMenu))
	for i, m := range PatientMenu {
		out[i] = navLink{Href: s.langPath(lang, m.Path), Label: lang.T(m.Key)}
	}
	return out
}

// programmeFor returns the programme built on an article, or nil.
func (s *Site) programmeFor(articleSlug string) *programme.Programme {
	for _, p := range s.lib.Programmes {
		if p.Article == articleSlug {
			return p
		}
	}
	return nil
}

func (s *Site) safety(lang i18n.Lang) []string {
	return []string{lang.T("safety1"), lang.T("safety2"), lang.T("safety3"), lang.T("safety4"), lang.T("safety5")}
}

func (s *Site) exercisesView(lang i18n.Lang) *view {
	v := s.baseView(lang, "/oevelser/", lang.T("exercisesTitle")+" – "+s.ix.Site.Name, lang.T("exercisesLead"))
	s.withChrome(v, "exercises")
	for _, e := range s.lib.Exercises {
		v.Exercises = append(v.Exercises, s.exView(lang, e, e.Dose))
	}
	for _, p := range s.lib.Programmes {
		v.Programmes = append(v.Programmes, s.progView(lang, p))
	}
	v.JSONLD = jsonLD(map[string]any{"@context": "https://schema.org", "@type": "CollectionPage", "name": v.Title, "url": v.Canonical})
	return v
}

func (s *Site) exerciseView(lang i18n.Lang, e *programme.Exercise) *view {
	ev := s.exView(lang, e, e.Dose)
	v := s.baseView(lang, "/oevelser/"+e.Slug, ev.Name+" – "+s.ix.Site.Name, ev.Instruction+" "+ev.DoseText+".")
	v.Heading = ev.Name
	s.withChrome(v, "exercises")
	v.Exercise = &ev
	v.Image = &ogImage{URL: s.base + e.Drawing, Alt: ev.Name}
	for _, p := range s.lib.Programmes {
		for _, it := range p.Items {
			if it.Exercise == e {
				v.Programmes = append(v.Programmes, s.progView(lang, p))
				break
			}
		}
	}
	v.JSONLD = jsonLD(map[string]any{
		"@context": "https://schema.org", "@type": "ExercisePlan", "name": ev.Name, "url": v.Canonical,
		"description": ev.Instruction, "image": s.base + e.Drawing, "inLanguage": string(lang),
	})
	return v
}

func (s *Site) programmeView(lang i18n.Lang, p *programme.Programme) *view {
	pv := s.progView(lang, p)
	v := s.baseView(lang, "/program/"+p.Slug, pv.Name+" – "+s.ix.Site.Name, pv.PerWeek+" "+lang.T("safety1"))
	v.Heading = pv.Name
	s.withChrome(v, "training")
	v.Programme = pv
	v.Safety = s.safety(lang)
	v.JSONLD = jsonLD(map[string]any{
		"@context": "https://schema.org", "@type": "ExercisePlan", "name": pv.Name, "url": v.Canonical,
		"activityFrequency": pv.PerWeek, "inLanguage": string(lang),
	})
	return v
}

func (s *Site) sessionView(lang i18n.Lang, p *programme.Programme) *view {
	pv := s.progView(lang, p)
	title := lang.Tf("sessionTitle", pv.Name)
	v := s.baseView(lang, "/program/"+p.Slug+"/traening", title+" – "+s.ix.Site.Name, lang.T("sessionLead"))
	v.Heading = title
	s.withChrome(v, "training")
	v.Programme = pv
	if p.Rest != nil {
		rv := s.exView(lang, p.Rest, p.Rest.Dose)
		v.Exercise = &rv
	}
	plan := programme.NewPlan(p, lang == i18n.En, lang.T("stopAdvice"), i18n.Prefixed(lang, "player"))
	v.PlanID, v.PlanJSON = "session-plan", jsonBlock(plan)
	v.ExtraCSS, v.Script = s.assets.PlayerCSS, s.assets.PlayerJS
	v.Preload = s.assets.PatientJS
	v.PatientMenu = s.patientMenu(lang)
	v.JSONLD = jsonLD(map[string]any{"@context": "https://schema.org", "@type": "WebPage", "name": title, "url": v.Canonical})
	return v
}

func (s *Site) handoutView(lang i18n.Lang, p *programme.Programme) *view {
	pv := s.progView(lang, p)
	title := lang.Tf("handoutTitle", pv.Name)
	v := s.baseView(lang, "/program/"+p.Slug+"/udskrift", title+" – "+s.ix.Site.Name, pv.PerWeek)
	v.Heading = title
	s.withChrome(v, "training")
	v.Programme = pv
	v.Safety = s.safety(lang)
	v.Weekdays = strings.Split(lang.T("weekdays"), ",")
	for w := 1; w <= 6; w++ {
		v.Weeks = append(v.Weeks, lang.Tf("handoutWeek", w))
	}
	v.JSONLD = jsonLD(map[string]any{"@context": "https://schema.org", "@type": "WebPage", "name": title, "url": v.Canonical})
	return v
}

func (s *Site) walkView(lang i18n.Lang) *view {
	v := s.baseView(lang, "/gang", lang.T("walkTitle")+" – "+s.ix.Site.Name, lang.T("walkLead"))
	v.Heading = lang.T("walkTitle")
	s.withChrome(v, "training")
	v.PlanID = "walk-plan"
	v.PlanJSON = jsonBlock(map[string]any{"lang": string(lang), "labels": i18n.Prefixed(lang, "walk")})
	v.ExtraCSS, v.Script = s.assets.PlayerCSS, s.assets.WalkJS
	v.Preload = s.assets.PatientJS
	v.PatientMenu = s.patientMenu(lang)
	v.JSONLD = jsonLD(map[string]any{"@context": "https://schema.org", "@type": "WebPage", "name": v.Heading, "url": v.Canonical})
	return v
}

// jsonBlock marshals v for a <script type="application/json"> data block.
func jsonBlock(v any) template.JS {
	b, err := json.Marshal(v)
	if err != nil {
		return "{}"
	}
	return template.JS(b)
}
