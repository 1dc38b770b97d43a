package site

import (
	"html/template"
	"strings"

	"github.com/stenose/stenose/internal/content"
	"github.com/stenose/stenose/internal/i18n"
)

// ClinicView is the clinic's details (content/clinic.yaml) in one
// language, as the pages show them: in the footer of every page (the
// site's and the app's), on the handout, on the sign-in page, beside
// advice that says to contact the clinic, and — the out-of-hours number
// of the clinic's region — beside the urgent advice.
type ClinicView struct {
	Name    string
	Address []string
	Phone   Tel
	Email   string
	Web     string
	Hours   []string
	// HoursLang is ` lang="da"` on an English page when the clinic gave
	// its hours only in Danish.
	HoursLang template.HTMLAttr
	// Region is the region's name; OutOfHoursService names who answers
	// OutOfHours ("Akuttelefonen", "Lægevagten"); OutOfHoursCall is the
	// sentence before the number ("Uden for lægens åbningstid: ring til
	// Akuttelefonen på").
	Region            string
	OutOfHoursService string
	OutOfHoursCall    string
	OutOfHours        Tel
	// Emergency is 112.
	Emergency Tel
}

// Tel is a phone number as shown and as a tap-to-call link (a tel: URL,
// which html/template would otherwise refuse).
type Tel struct {
	Text string
	Href template.URL
}

func tel(p content.Phone) Tel { return Tel{Text: p.Text, Href: template.URL(p.Tel)} }

// Clinic returns the clinic's details in lang, or nil when the content has
// none.
func (s *Site) Clinic(lang i18n.Lang) *ClinicView {
	return clinicView(s.ix.Clinic, lang)
}

func clinicView(c *content.Clinic, lang i18n.Lang) *ClinicView {
	if c == nil {
		return nil
	}
	v := &ClinicView{
		Name: c.Name, Address: c.Address, Phone: tel(c.Phone), Email: c.Email, Web: c.Web,
		Hours: c.HoursIn(lang == i18n.En), OutOfHours: tel(c.OutOfHours), Emergency: tel(content.Emergency),
		Region: c.Region.NameDa, OutOfHoursService: c.Region.ServiceDa,
	}
	if lang == i18n.En {
		v.Region, v.OutOfHoursService = c.Region.NameEn, c.Region.ServiceEn
		if len(c.HoursEn) == 0 {
			v.HoursLang = ` lang="da"`
		}
	}
	if v.OutOfHoursService != "" {
		v.OutOfHoursCall = lang.Tf("urgentOutOfHours", v.OutOfHoursService)
	}
	return v
}

// ClinicOf is c's details in lang, as Clinic is the content's: for the
// pages of a clinic's own patients and staff (content.ClinicFrom).
func ClinicOf(c *content.Clinic, lang i18n.Lang) *ClinicView { return clinicView(c, lang) }

// ContentClinic is the install's own clinic (content/clinic.yaml), or nil.
func (s *Site) ContentClinic() *content.Clinic { return s.ix.Clinic }

// FooterFor is the footer of section's pages in lang with c's details in
// place of the content's: rendered at each call (a clinic's details can
// change at any time; the footer is a few hundred bytes).
func (s *Site) FooterFor(lang i18n.Lang, section string, c *content.Clinic) (template.HTML, error) {
	v := s.baseView(lang, "/", "", "")
	v.Section = section
	v.Clinic = clinicView(c, lang)
	var b strings.Builder
	if err := s.tmpl["home.html"].ExecuteTemplate(&b, "chrome-footer", v); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}
