package web

// The menu of the app's pages, fitted to who reads them. The header and
// the public items come from the site (site.Chrome: rendered once per
// language and section); the app picks the variant and adds its own items:
//
//   - a visitor: the public menu (Forside, Artikler, Øvelser, Træning, Log
//     ind), with "Log ind" marked on the sign-in and sign-up pages;
//   - a patient: the patient's menu alone (site.PatientMenu: I dag, Dagbog,
//     Fremskridt, Min konto), the page's own item marked;
//   - a clinician or an administrator: the public menu with "Min konto" in
//     place of "Log ind" (they have no pages of a patient's); an
//     administrator's begins with "Administration" (admin.go).
//
// Every menu ends with the language switch (layout.html).
//
// The public pages are rendered once and load no session, so they cannot
// know who reads them: their "Log ind" leads to /konto/log-ind, which sends
// a signed-in user straight on to their own page. The player and walk mode
// show the patient's menu, and end with "Tilbage til I dag", when the
// cookie patientCookie says a patient is signed in on this browser: a hint
// the app keeps in step with the session (set at sign-in and on every page
// a patient sees, cleared at sign-out and on every page without one),
// readable by their scripts, and worth nothing to anyone else (it grants
// nothing: the links it shows still need the session).

import (
	"net/http"
	"strings"
	"time"

	"github.com/stenose/stenose/internal/site"
	"github.com/stenose/stenose/internal/store"
)

// patientCookie is the hint "a patient is signed in on this browser"
// ("1"), for the scripts of the player and walk mode (not HttpOnly). It
// lasts as long as a session can.
const patientCookie = "stenose_patient"

// menuItem is an item of the app's own part of the menu.
type menuItem struct {
	Href, Label string
	Current     bool
}

// menuSection is the menu item the page at path belongs to: the patient
// menu's address ("/i-dag", …), "signin" for the sign-in and sign-up
// pages, or "" for none. Onboarding and the status consultations belong
// to today (today sends a patient to them); my data and the password to
// the account.
func menuSection(path string) string {
	under := func(p string) bool { return path == p || strings.HasPrefix(path, p+"/") }
	switch {
	case path == "/konto/log-ind" || path == "/konto/opret":
		return "signin"
	case under("/i-dag") || under("/start") || under(psfsStatusPath) || under(myProgrammePath):
		return "/i-dag"
	case under("/dagbog"):
		return "/dagbog"
	case under("/fremskridt"):
		return "/fremskridt"
	case under("/konto") || under("/mine-data"):
		return "/konto"
	case under(invitationsPath):
		return invitationsPath
	case under(workspacePath):
		return workspacePath
	case under("/admin"):
		return "/admin"
	}
	return ""
}

// page is the view itself: every page's view embeds *view, so render
// reaches the part the layout reads whatever the page's own type.
func (v *view) page() *view { return v }

// setMenu fits v's menu to its reader (v.User, as the page shows it) and
// the page at r's path, and keeps the patient hint in step.
func (a *app) setMenu(w http.ResponseWriter, r *http.Request, v *view) {
	sec := menuSection(r.URL.Path)
	u := v.User
	v.Menu = nil
	switch {
	case u == nil:
		if sec != "signin" {
			sec = ""
		}
		v.Chrome = a.site.Chrome(v.Lang, sec)
	case u.Role == store.RolePatient:
		v.Chrome = a.site.Chrome(v.Lang, "app")
		a.withOwnClinic(r.Context(), v, v.Lang, "app")
		for _, m := range site.PatientMenu {
			v.Menu = append(v.Menu, menuItem{Href: m.Path, Label: v.Lang.T(m.Key), Current: m.Path == sec})
		}
	default:
		v.Chrome = a.site.Chrome(v.Lang, "account")
		a.withOwnClinic(r.Context(), v, v.Lang, "account")
		if u.Role == store.RoleClinician {
			v.Menu = []menuItem{
				{Href: workspacePath, Label: v.Lang.T("navPatients"), Current: sec == workspacePath},
				{Href: invitationsPath, Label: v.Lang.T("navInvitations"), Current: sec == invitationsPath},
			}
		}
		if u.Role == store.RoleAdmin {
			v.Menu = []menuItem{{Href: adminUsersPath, Label: v.Lang.T("navAdmin"), Current: sec == "/admin"}}
		}
		v.Menu = append(v.Menu, menuItem{Href: "/konto", Label: v.Lang.T("navAccount"), Current: sec == "/konto"})
	}
	a.patientHint(w, r, u != nil && u.Role == store.RolePatient)
}

// patientHint sets (on) or clears the patient hint cookie, when the
// browser's differs.
func (a *app) patientHint(w http.ResponseWriter, r *http.Request, on bool) {
	c, err := r.Cookie(patientCookie)
	if has := err == nil && c.Value == "1"; has == on {
		return
	}
	hint := &http.Cookie{
		Name: patientCookie, Value: "1", Path: "/", MaxAge: int(SessionLifetime / time.Second),
		Secure: a.sm.Cookie.Secure, SameSite: http.SameSiteLaxMode,
	}
	if !on {
		hint.Value, hint.MaxAge = "", -1
	}
	http.SetCookie(w, hint)
}
