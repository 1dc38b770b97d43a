package web

import (
	"errors"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"unicode"

	"github.com/stenose/stenose/internal/account"
	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/site"
	"github.com/stenose/stenose/internal/store"
)

// view is what the account templates read.
type view struct {
	Title    string
	SiteName string
	Chrome   site.Chrome
	Clinic   *site.ClinicView // the clinic's details in Lang (content/clinic.yaml); nil when none
	CSS      string
	Menu     []menuItem // the app's items of the menu (menu.go)
	User     *store.User
	RoleName string
	Form     map[string]string // what was typed (never a password)
	Errors   map[string]string // field → message
	Summary  []fieldMsg        // the errors in form order, for the summary
	Flash    string
	Next     string
	Invited  string        // sign-up: the clinic whose invitation code the page carries
	MyClinic *store.Clinic // Min konto: the patient's clinic, nil for none
	// The page's language: Lang for <html lang>, L its words
	// ({{.L.key}}, catalogue.go), Prefix the public site's path prefix in
	// it ("" or "/en"), Other the language the menu's switch offers and
	// Here the page it comes back to.
	Lang   i18n.Lang
	L      map[string]string
	Prefix string
	Other  i18n.Lang
	Here   string
}

type fieldMsg struct{ Field, Message string }

// Fields in the order the forms show them; the summary follows it.
var fieldOrder = []string{"kode", "login", "name", "current", "password", "password2", "bekraeft", "totp", "nulstil", "klinik",
	"address", "phone", "email", "hours", "region", "signup", "inactive-days", "fra", "til", "days", "body", "note", "dag", "tid"}

func (v *view) fail(field, msg string) {
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	if _, dup := v.Errors[field]; dup {
		return
	}
	v.Errors[field] = msg
}

func (v *view) summarise() {
	v.Summary = v.Summary[:0]
	for _, f := range fieldOrder {
		if m, ok := v.Errors[f]; ok {
			v.Summary = append(v.Summary, fieldMsg{f, m})
		}
	}
}

func (a *app) parseTemplates() error {
	a.tmpl = map[string]*template.Template{}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return err
	}
	for _, n := range names {
		base := strings.TrimPrefix(n, "templates/")
		if base == "layout.html" {
			continue
		}
		t, err := template.New(base).Option("missingkey=error").ParseFS(templateFS, "templates/layout.html", n)
		if err != nil {
			return err
		}
		if err := i18n.CheckTemplate(t); err != nil {
			return err
		}
		a.tmpl[base] = t
	}
	return nil
}

// newView is a page's view in the request's language; title is a
// catalogue key (a text that is none is shown as it is).
func (a *app) newView(r *http.Request, title string) *view {
	l := reqLang(r)
	v := &view{
		Title:    l.T(title),
		SiteName: a.site.Name(),
		Clinic:   a.site.Clinic(l),
		Chrome:   a.site.Chrome(l, ""),
		CSS:      a.cssPath,
		User:     userFrom(r.Context()),
		Form:     map[string]string{},
		Lang:     l,
		L:        i18n.Labels(l),
		Prefix:   langPrefix(l),
		Other:    otherLang(l),
		Here:     here(r),
	}
	if c := a.ownClinic(r.Context(), v.User); c != nil {
		v.Clinic = site.ClinicOf(c, l) // for the page's own use (today's advice, the urgent route)
	}
	return v
}

// T is the text for key in the page's language.
func (v *view) T(key string) string { return v.Lang.T(key) }

// render executes a page template with the shared layout; v is the page's
// view (view, diaryView, careView, …: each embeds what the layout reads).
func (a *app) render(w http.ResponseWriter, r *http.Request, status int, name string, v any) {
	if p, ok := v.(interface{ page() *view }); ok {
		a.setMenu(w, r, p.page())
	}
	t := a.tmpl[name]
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, "layout", v); err != nil {
		a.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(b.String()))
}

func (a *app) serverError(w http.ResponseWriter, r *http.Request, err error) {
	a.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	site.SecurityHeaders(w.Header())
	w.Header().Set("Cache-Control", "no-store")
	http.Error(w, reqLang(r).T("errServer"), http.StatusInternalServerError)
}

func (a *app) forbidden(w http.ResponseWriter, r *http.Request, u *store.User) {
	v := a.newView(r, "forbidden")
	v.User = u
	a.render(w, r, http.StatusForbidden, "forbidden.html", v)
}

// crossOrigin answers a state-changing request from another site.
func (a *app) crossOrigin(w http.ResponseWriter, r *http.Request) {
	noteEvent(r, "cross_origin")
	v := a.newView(r, "forbidden")
	v.Flash = v.T("crossOrigin")
	a.render(w, r, http.StatusForbidden, "forbidden.html", v)
}

func (a *app) serveCSS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, _ = w.Write(accountCSS)
}

// form reads a POSTed form of at most 64 KiB.
func form(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, reqLang(r).T("errForm"), http.StatusBadRequest)
		return false
	}
	return true
}

func roleName(l i18n.Lang, r store.Role) string {
	switch r {
	case store.RolePatient:
		return l.T("rolePatient")
	case store.RoleClinician:
		return l.T("roleClinician")
	case store.RoleAdmin:
		return l.T("roleAdmin")
	}
	return string(r)
}

// fieldError shows err beside its field when it is an *account.Error.
func (v *view) fieldError(err error) bool {
	var fe *account.Error
	if errors.As(err, &fe) {
		v.fail(fe.Field, accountMsg(v.Lang, fe))
		return true
	}
	return false
}

// typedLogin is a login as typed, to put back in the form: trimmed, at
// most a few times the longest login, without control, format and
// private-use characters, which a page should not hold (they are refused,
// and the error beside the field says so).
func typedLogin(s string) string {
	s = strings.ToValidUTF8(s, "")
	if len(s) > 8*account.MaxLogin {
		s = strings.ToValidUTF8(s[:8*account.MaxLogin], "")
	}
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.Is(unicode.C, r) && !unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s))
}

func (a *app) accountPage(w http.ResponseWriter, r *http.Request) {
	v := a.newView(r, "accountTitle")
	if v.User.Role != store.RolePatient { // a patient has only the one role: nothing to tell
		v.RoleName = roleName(v.Lang, v.User.Role)
	}
	v.Flash = v.T(a.sm.PopString(r.Context(), "flash"))
	a.renderAccount(w, r, v, http.StatusOK)
}

// renderAccount renders Min konto with the patient's clinic.
func (a *app) renderAccount(w http.ResponseWriter, r *http.Request, v *view, status int) {
	c, err := a.clinics.Of(r.Context(), *v.User)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v.MyClinic = c
	a.render(w, r, status, "account.html", v)
}

// joinClinic links the signed-in patient to the clinic of an invitation
// code (a patient who made their account before the clinic invited them).
func (a *app) joinClinic(w http.ResponseWriter, r *http.Request) {
	if !form(w, r) {
		return
	}
	u := userFrom(r.Context())
	v := a.newView(r, "accountTitle")
	code := r.PostForm.Get("kode")
	v.Form["kode"] = strings.TrimSpace(code)
	_, err := a.clinics.Join(r.Context(), *u, code, r.RemoteAddr)
	switch {
	case err == nil:
		a.sm.Put(r.Context(), "flash", "accountJoined")
		http.Redirect(w, r, "/konto", http.StatusSeeOther)
		return
	case v.tooMany(w, err, "kode"):
		noteEvent(r, "invitation_limited")
		v.summarise()
		a.renderAccount(w, r, v, http.StatusTooManyRequests)
		return
	case !v.codeError(err):
		a.fail(w, r, err)
		return
	}
	noteEvent(r, "invitation_failed")
	v.summarise()
	a.renderAccount(w, r, v, http.StatusUnprocessableEntity)
}

// leaveClinic ends the signed-in patient's link to their clinic, once
// they have ticked that they mean it.
func (a *app) leaveClinic(w http.ResponseWriter, r *http.Request) {
	if !form(w, r) {
		return
	}
	u := userFrom(r.Context())
	if r.PostForm.Get("bekraeft") != "ja" {
		v := a.newView(r, "accountTitle")
		v.fail("bekraeft", v.T("errLeaveConfirm"))
		v.summarise()
		a.renderAccount(w, r, v, http.StatusUnprocessableEntity)
		return
	}
	if err := a.clinics.Leave(r.Context(), *u); err != nil {
		a.fail(w, r, err)
		return
	}
	a.sm.Put(r.Context(), "flash", "accountLeft")
	http.Redirect(w, r, "/konto", http.StatusSeeOther)
}

func (a *app) passwordForm(w http.ResponseWriter, r *http.Request) {
	v := a.newView(r, "passwordTitle")
	a.render(w, r, http.StatusOK, "password.html", v)
}

func (a *app) changePassword(w http.ResponseWriter, r *http.Request) {
	if !form(w, r) {
		return
	}
	u := userFrom(r.Context())
	v := a.newView(r, "passwordTitle")
	cur, pw, pw2 := r.PostForm.Get("current"), r.PostForm.Get("password"), r.PostForm.Get("password2")
	status := http.StatusUnprocessableEntity
	if cur == "" {
		v.fail("current", v.T("errCurrentEmpty"))
	}
	if err := account.CheckPassword("password", pw); err != nil {
		v.fieldError(err)
	} else if pw != pw2 {
		v.fail("password2", v.T("errNewPassword2"))
	}
	if len(v.Errors) == 0 {
		err := a.acc.ChangePassword(r.Context(), u.ID, cur, pw, r.RemoteAddr)
		switch {
		case err == nil:
			// Log out everywhere else: every session of this user goes,
			// and this one continues under a new token.
			if _, err := a.st.Sessions().DeleteUser(r.Context(), u.ID); err != nil {
				a.fail(w, r, err)
				return
			}
			// The new session keeps this one's choice to stay signed in.
			if err := a.startSession(w, r, *u, a.sm.GetBool(r.Context(), sessionKeepKey)); err != nil {
				a.fail(w, r, err)
				return
			}
			a.sm.Put(r.Context(), "flash", "flashPassword") // a catalogue key: shown in the language of the page that pops it
			http.Redirect(w, r, "/konto", http.StatusSeeOther)
			return
		case v.tooMany(w, err, "current"):
			noteEvent(r, "password_limited")
			status = http.StatusTooManyRequests
		case v.fieldError(err):
			var fe *account.Error
			if errors.As(err, &fe) && fe.Field == "current" {
				noteEvent(r, "password_failed")
			}
		default:
			a.fail(w, r, err)
			return
		}
	}
	v.summarise()
	a.render(w, r, status, "password.html", v)
}
