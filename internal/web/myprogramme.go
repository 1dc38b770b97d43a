package web

// The patient's own programme (issue 13, "Programme per patient"): when
// their clinician has tailored it, the programme page, the session player,
// the handout and walk mode are rendered for the signed-in patient on each
// request (site.RenderPersonal: the public pages' templates and plan), at
// /mit-program, with who changed it, when and why. A patient without a
// version is sent to the public pages, which stay as they are.

import (
	"bytes"
	"net/http"

	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/site"
)

// myProgrammePath is the address of the patient's own programme page; the
// player, handout and walk mode are under it.
const myProgrammePath = "/mit-program"

// myProgrammePages maps each page of a patient's own programme to its
// address under myProgrammePath and the public page without a version
// (after /program/{slug}; walk mode is /gang).
var myProgrammePages = map[string]struct{ suffix, public string }{
	site.PersonalProgramme: {"", ""},
	site.PersonalSession:   {"/traening", "/traening"},
	site.PersonalHandout:   {"/udskrift", "/udskrift"},
	site.PersonalWalk:      {"/gang", ""},
}

// myProgramme answers one page of the signed-in patient's own programme.
func (a *app) myProgramme(page string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		m, err := a.care.MyProgramme(ctx, userFrom(ctx))
		if err != nil {
			a.fail(w, r, err)
			return
		}
		l := reqLang(r)
		if m.Version == nil {
			to := langPrefix(l) + "/program/" + m.Programme.Slug + myProgrammePages[page].public
			if page == site.PersonalWalk {
				to = langPrefix(l) + "/gang"
			}
			http.Redirect(w, r, to, http.StatusSeeOther)
			return
		}
		v := m.Version
		pers := site.Personal{
			Base:         myProgrammePath,
			Changed:      l.Tf("myProgrammeChanged", l.Date(v.At.In(care.Zone)), v.ByName),
			Reason:       v.Reason,
			Walk:         l.N("myProgrammeWalk", m.WalkMinutes),
			SwitchAction: switchPath,
			Clinic:       a.ownClinic(r.Context(), userFrom(r.Context())),
		}
		sec := menuSection(r.URL.Path)
		for _, it := range site.PatientMenu {
			pers.Menu = append(pers.Menu, site.MenuLink{Href: it.Path, Label: l.T(it.Key), Current: it.Path == sec})
		}
		a.patientHint(w, r, true)
		var b bytes.Buffer
		if err := a.site.RenderPersonal(&b, page, l, m.Programme, pers); err != nil {
			a.serverError(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = b.WriteTo(w)
	}
}
