package web

// The admin's pages (issue 13): the users an admin manages — a list to
// filter, search and page through, and one user's page with the actions
// that change an account (disable or enable it, reset the second factor,
// a one-time password reset code, move a patient to another clinic) —
// and the clinics: their details, and the export of their access log.
// Which users and clinics an admin manages is internal/clinic's answer
// (an admin of one clinic: that clinic's, filtered in SQL); anything else
// is not found. Every change is a POST under the app's CSRF protection.
// The public page where a user sets a new password with a one-time code
// (/konto/nulstil) is here too.

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/stenose/stenose/internal/account"
	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/clinic"
	"github.com/stenose/stenose/internal/content"
	"github.com/stenose/stenose/internal/export"
	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/store"
)

const (
	adminUsersPath   = "/admin/brugere"
	adminClinicsPath = "/admin/klinikker"
	resetPath        = "/konto/nulstil"
)

// choice is one choice of a select or a group of radio buttons.
type choice struct {
	Value, Label string
	Selected     bool
}

// adminUserRow is a user as the admin's pages show them.
type adminUserRow struct {
	ID                                 int64
	Name, Login, Role, Clinic, Created string
	Disabled, TwoFA, Patient, Self     bool
	DisabledAt                         string
}

func adminRow(l i18n.Lang, u store.User, clinics []store.Clinic, self *store.User) adminUserRow {
	row := adminUserRow{ID: u.ID, Name: u.Name, Login: u.ShownLogin(), Role: roleName(l, u.Role), Clinic: l.T("adminUserNoClinic"),
		Created: l.Date(u.CreatedAt.In(care.Zone)), Disabled: u.Disabled(), TwoFA: !u.TOTPEnabledAt.IsZero(),
		Patient: u.Role == store.RolePatient, Self: self != nil && self.ID == u.ID}
	if row.Name == "" {
		row.Name = row.Login
	}
	for _, c := range clinics {
		if c.ID == u.ClinicID {
			row.Clinic = c.Name
		}
	}
	if row.Disabled {
		row.DisabledAt = diaryWhenIn(l, u.DisabledAt)
	}
	return row
}

type adminUsersView struct {
	*view
	Rows       []adminUserRow
	Count      string
	Clinics    []choice // nil: an admin of one clinic (no choice)
	Roles      []choice
	Search     string
	PageText   string
	Prev, Next string
	ManyPages  bool
}

// adminHome is /admin: the list of users.
func (a *app) adminHome(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, adminUsersPath, http.StatusSeeOther)
}

// adminUsers is the list of users the admin manages: ?klinik= (an id, or
// "ingen"), ?rolle=, ?q= (a name or login), ?side=.
func (a *app) adminUsers(w http.ResponseWriter, r *http.Request) {
	actor := userFrom(r.Context())
	qs := r.URL.Query()
	q := clinic.UserQuery{Role: store.Role(qs.Get("rolle")), Search: strings.TrimSpace(qs.Get("q"))}
	if len(q.Search) > 200 {
		q.Search = q.Search[:200]
	}
	switch k := qs.Get("klinik"); k {
	case "ingen":
		q.Clinic = clinic.NoClinic
	default:
		q.Clinic, _ = strconv.ParseInt(k, 10, 64)
	}
	q.Page, _ = strconv.Atoi(qs.Get("side"))
	page, err := a.clinics.Users(r.Context(), actor, q)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v := &adminUsersView{view: a.newView(r, "adminUsersTitle"), Search: q.Search}
	l := v.Lang
	for _, u := range page.Users {
		v.Rows = append(v.Rows, adminRow(l, u, page.Clinics, actor))
	}
	v.Count = l.N("adminUsersCount", page.Total)
	if actor.ClinicID == 0 {
		v.Clinics = []choice{{Value: "", Label: l.T("adminFilterAllClinics"), Selected: q.Clinic == 0},
			{Value: "ingen", Label: l.T("adminFilterNoClinic"), Selected: q.Clinic == clinic.NoClinic}}
		for _, c := range page.Clinics {
			v.Clinics = append(v.Clinics, choice{Value: strconv.FormatInt(c.ID, 10), Label: c.Name, Selected: q.Clinic == c.ID})
		}
	}
	v.Roles = []choice{{Value: "", Label: l.T("adminFilterAllRoles"), Selected: !q.Role.Valid()}}
	for _, role := range []store.Role{store.RolePatient, store.RoleClinician, store.RoleAdmin} {
		v.Roles = append(v.Roles, choice{Value: string(role), Label: roleName(l, role), Selected: q.Role == role})
	}
	if page.Pages > 1 {
		v.ManyPages = true
		v.PageText = l.Tf("adminPage", page.Page, page.Pages)
		link := func(n int) string {
			q := url.Values{}
			for _, k := range []string{"klinik", "rolle", "q"} {
				if x := qs.Get(k); x != "" {
					q.Set(k, x)
				}
			}
			q.Set("side", strconv.Itoa(n))
			return adminUsersPath + "?" + q.Encode()
		}
		if page.Page > 1 {
			v.Prev = link(min(page.Page-1, page.Pages))
		}
		if page.Page < page.Pages {
			v.Next = link(page.Page + 1)
		}
	}
	a.render(w, r, http.StatusOK, "admin_users.html", v)
}

type adminUserView struct {
	*view
	Row       adminUserRow
	Code      string // a new one-time reset code, shown once
	CodeUntil string
	ResetURL  string
	Move      []choice // the clinics to move a patient to; nil: no moving
}

// targetID is the {id} of an admin's path.
func targetID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// adminUserPage renders one user's page, with v's errors, flash or new
// code.
func (a *app) adminUserPage(w http.ResponseWriter, r *http.Request, status int, v *adminUserView) {
	id, ok := targetID(r)
	if !ok {
		a.notFound(w, r)
		return
	}
	actor := userFrom(r.Context())
	u, clinics, err := a.clinics.Managed(r.Context(), actor, id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v.Title = u.Name
	if v.Title == "" {
		v.Title = u.ShownLogin()
	}
	v.Row = adminRow(v.Lang, u, clinics, actor)
	if actor.ClinicID == 0 && u.Role == store.RolePatient && len(clinics) > 0 {
		v.Move = []choice{{Value: "", Label: v.T("adminMoveChoose")}}
		for _, c := range clinics {
			if c.ID != u.ClinicID {
				v.Move = append(v.Move, choice{Value: strconv.FormatInt(c.ID, 10), Label: c.Name, Selected: v.Form["klinik"] == strconv.FormatInt(c.ID, 10)})
			}
		}
		if len(v.Move) == 1 {
			v.Move = nil
		}
	}
	v.summarise()
	a.render(w, r, status, "admin_user.html", v)
}

func (a *app) newAdminUserView(r *http.Request) *adminUserView {
	return &adminUserView{view: a.newView(r, "adminUsersTitle")}
}

func (a *app) adminUser(w http.ResponseWriter, r *http.Request) {
	v := a.newAdminUserView(r)
	v.Flash = v.T(a.sm.PopString(r.Context(), "flash"))
	a.adminUserPage(w, r, http.StatusOK, v)
}

// adminDone ends an action on a user: back to their page with what it did
// (flash, a catalogue key), or the page again with the problem beside its
// control.
func (a *app) adminDone(w http.ResponseWriter, r *http.Request, v *adminUserView, err error, flash string) {
	var fe *clinic.FieldError
	switch {
	case err == nil:
		a.sm.Put(r.Context(), "flash", flash)
		http.Redirect(w, r, adminUsersPath+"/"+r.PathValue("id"), http.StatusSeeOther)
	case errors.As(err, &fe):
		v.fail(fe.Field, v.T("admin_err_"+fe.Code))
		a.adminUserPage(w, r, http.StatusUnprocessableEntity, v)
	default:
		a.fail(w, r, err)
	}
}

// adminAction reads a POST on a user's page: the form, the user's id, and
// the page's view for an answer.
func (a *app) adminAction(w http.ResponseWriter, r *http.Request) (int64, *adminUserView, bool) {
	if !form(w, r) {
		return 0, nil, false
	}
	id, ok := targetID(r)
	if !ok {
		a.notFound(w, r)
		return 0, nil, false
	}
	return id, a.newAdminUserView(r), true
}

// adminDisable disables the account, once the admin has ticked that they
// mean it.
func (a *app) adminDisable(w http.ResponseWriter, r *http.Request) {
	id, v, ok := a.adminAction(w, r)
	if !ok {
		return
	}
	if r.PostForm.Get("bekraeft") != "ja" {
		if _, err := a.clinics.User(r.Context(), userFrom(r.Context()), id); err != nil {
			a.fail(w, r, err)
			return
		}
		v.fail("bekraeft", v.T("adminErrConfirm"))
		a.adminUserPage(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	a.adminDone(w, r, v, a.clinics.SetDisabled(r.Context(), userFrom(r.Context()), id, true), "adminFlashDisabled")
}

func (a *app) adminEnable(w http.ResponseWriter, r *http.Request) {
	id, v, ok := a.adminAction(w, r)
	if !ok {
		return
	}
	a.adminDone(w, r, v, a.clinics.SetDisabled(r.Context(), userFrom(r.Context()), id, false), "adminFlashEnabled")
}

func (a *app) adminSecondFactor(w http.ResponseWriter, r *http.Request) {
	id, v, ok := a.adminAction(w, r)
	if !ok {
		return
	}
	a.adminDone(w, r, v, a.clinics.ResetSecondFactor(r.Context(), userFrom(r.Context()), id), "adminFlashTwofa")
}

// adminResetCode makes a one-time reset code and shows it on the user's
// page, once: it is in this answer only (not in a redirect's address or
// the session).
func (a *app) adminResetCode(w http.ResponseWriter, r *http.Request) {
	id, v, ok := a.adminAction(w, r)
	if !ok {
		return
	}
	rc, err := a.clinics.IssueResetCode(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		a.adminDone(w, r, v, err, "")
		return
	}
	v.Code, v.CodeUntil = rc.Code, diaryWhenIn(v.Lang, rc.ExpiresAt)
	v.ResetURL = r.Host + resetPath
	a.adminUserPage(w, r, http.StatusOK, v)
}

func (a *app) adminMove(w http.ResponseWriter, r *http.Request) {
	id, v, ok := a.adminAction(w, r)
	if !ok {
		return
	}
	to, _ := strconv.ParseInt(r.PostForm.Get("klinik"), 10, 64)
	v.Form["klinik"] = r.PostForm.Get("klinik")
	a.adminDone(w, r, v, a.clinics.MovePatient(r.Context(), userFrom(r.Context()), id, to), "adminFlashMoved")
}

// Clinics

type adminClinicsView struct {
	*view
	Clinics []store.Clinic
}

func (a *app) adminClinics(w http.ResponseWriter, r *http.Request) {
	cs, err := a.clinics.Clinics(r.Context(), userFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.render(w, r, http.StatusOK, "admin_clinics.html", &adminClinicsView{view: a.newView(r, "adminClinicsTitle"), Clinics: cs})
}

type adminClinicView struct {
	*view
	Clinic      store.Clinic
	Fields      []adminField // name … e-mail
	Hours, Days adminField
	Regions     []choice
	Signups     []choice
	// DateType is each log day's input type: "date", or "text" for a day
	// typed that a date field cannot hold (to correct it).
	DateType map[string]string
}

// adminField is one text field of the clinic's form.
type adminField struct {
	ID, Label, Hint, Type, Value, Error, Autocomplete string
	Lines                                             bool // a textarea
}

// adminClinicPage renders the clinic's page: its details as stored, or
// as typed (v.Form) when they came back with problems.
func (a *app) adminClinicPage(w http.ResponseWriter, r *http.Request, status int, v *adminClinicView) {
	id, ok := targetID(r)
	if !ok {
		a.notFound(w, r)
		return
	}
	c, err := a.clinics.Clinic(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v.Clinic = c
	v.Title = c.Name
	f := v.Form
	if _, typed := f["name"]; !typed {
		f["name"], f["address"], f["phone"], f["email"], f["hours"] = c.Name, c.Address, c.Phone, c.Email, c.Hours
		f["region"], f["signup"], f["inactive-days"] = c.Region, string(c.Signup), strconv.Itoa(c.InactiveDays)
	}
	if f["fra"] == "" {
		today := a.now().In(care.Zone)
		f["fra"] = time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, care.Zone).Format(time.DateOnly)
		f["til"] = today.Format(time.DateOnly)
	}
	field := func(id, label, hint, typ, auto string) adminField {
		fl := adminField{ID: id, Label: v.T(label), Type: typ, Value: f[id], Error: v.Errors[id], Autocomplete: auto, Lines: typ == ""}
		if hint != "" {
			fl.Hint = v.T(hint)
		}
		return fl
	}
	v.Fields = []adminField{
		field("name", "adminClinicName", "", "text", "organization"),
		field("address", "adminClinicAddress", "adminClinicAddressHint", "", "street-address"),
		field("phone", "adminClinicPhone", "", "tel", "tel"),
		field("email", "adminClinicEmail", "", "email", "email"),
	}
	v.Hours = field("hours", "adminClinicHours", "adminClinicHoursHint", "", "off")
	v.Days = field("inactive-days", "adminClinicInactive", "adminClinicInactiveHint", "text", "off")
	v.DateType = map[string]string{}
	for _, k := range []string{"fra", "til"} {
		v.DateType[k] = "date"
		if !isoDayRE.MatchString(f[k]) {
			v.DateType[k] = "text"
		}
	}
	v.Regions = []choice{{Value: "", Label: v.T("adminClinicRegionNone"), Selected: f["region"] == ""}}
	for _, rg := range content.Regions {
		name := rg.NameDa
		if v.Lang == i18n.En {
			name = rg.NameEn
		}
		v.Regions = append(v.Regions, choice{Value: rg.Key, Label: name, Selected: f["region"] == rg.Key})
	}
	v.Signups = []choice{
		{Value: string(store.SignupInvite), Label: v.T("adminClinicSignupInvite"), Selected: f["signup"] != string(store.SignupOpen)},
		{Value: string(store.SignupOpen), Label: v.T("adminClinicSignupOpen"), Selected: f["signup"] == string(store.SignupOpen)},
	}
	v.summarise()
	a.render(w, r, status, "admin_clinic.html", v)
}

func (a *app) adminClinic(w http.ResponseWriter, r *http.Request) {
	v := &adminClinicView{view: a.newView(r, "adminClinicTitle")}
	v.Flash = v.T(a.sm.PopString(r.Context(), "flash"))
	a.adminClinicPage(w, r, http.StatusOK, v)
}

// adminClinicSave changes the clinic's details; every problem stands
// beside its field.
func (a *app) adminClinicSave(w http.ResponseWriter, r *http.Request) {
	if !form(w, r) {
		return
	}
	id, ok := targetID(r)
	if !ok {
		a.notFound(w, r)
		return
	}
	v := &adminClinicView{view: a.newView(r, "adminClinicTitle")}
	for _, k := range []string{"name", "address", "phone", "email", "hours", "region", "signup", "inactive-days"} {
		v.Form[k] = r.PostForm.Get(k)
	}
	days, err := strconv.Atoi(strings.TrimSpace(v.Form["inactive-days"]))
	if err != nil {
		days = -1 // not a number: the range's error
	}
	c := store.Clinic{ID: id, Name: v.Form["name"], Address: v.Form["address"], Phone: v.Form["phone"], Email: v.Form["email"],
		Hours: v.Form["hours"], Region: v.Form["region"], Signup: store.Signup(v.Form["signup"]), InactiveDays: days}
	_, err = a.clinics.UpdateClinic(r.Context(), userFrom(r.Context()), c)
	var fes clinic.FieldErrors
	switch {
	case err == nil:
		a.sm.Put(r.Context(), "flash", "adminFlashClinic")
		http.Redirect(w, r, adminClinicsPath+"/"+r.PathValue("id"), http.StatusSeeOther)
	case errors.As(err, &fes):
		for _, fe := range fes {
			v.fail(fe.Field, v.T("admin_err_"+fe.Code))
		}
		a.adminClinicPage(w, r, http.StatusUnprocessableEntity, v)
	default:
		a.fail(w, r, err)
	}
}

// adminAccessLog sends the clinic's access log for ?fra= to ?til= (both
// days included) as a CSV file; dates that cannot be read come back on
// the clinic's page beside their fields.
func (a *app) adminAccessLog(w http.ResponseWriter, r *http.Request) {
	id, ok := targetID(r)
	if !ok {
		a.notFound(w, r)
		return
	}
	v := &adminClinicView{view: a.newView(r, "adminClinicTitle")}
	qs := r.URL.Query()
	v.Form["fra"], v.Form["til"] = strings.TrimSpace(qs.Get("fra")), strings.TrimSpace(qs.Get("til"))
	from, okFrom := parseAdminDay(v.Form["fra"], a.now())
	to, okTo := parseAdminDay(v.Form["til"], a.now())
	if !okFrom {
		v.fail("fra", v.T("adminErrDate"))
	}
	if !okTo {
		v.fail("til", v.T("adminErrDate"))
	}
	if len(v.Errors) > 0 {
		a.adminClinicPage(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	c, log, err := a.clinics.AccessLog(r.Context(), userFrom(r.Context()), id, from, to, care.Zone)
	var fe *clinic.FieldError
	switch {
	case errors.As(err, &fe):
		v.fail(fe.Field, v.T("admin_err_"+fe.Code))
		a.adminClinicPage(w, r, http.StatusUnprocessableEntity, v)
		return
	case err != nil:
		a.fail(w, r, err)
		return
	}
	b, err := export.AccessLogCSV(log, v.Lang, care.Zone)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", export.AccessLogDisposition(c.Slug, from, to))
	_, _ = w.Write(b)
}

// parseAdminDay reads a day as a date field sends it (2026-03-05) or as a
// person writes it (5.3.2026, 5. marts 2026, i går), in Copenhagen.
func parseAdminDay(s string, now time.Time) (time.Time, bool) {
	d, err := parseExaminedDay(s, now)
	if err != nil {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation(time.DateOnly, d.String(), care.Zone)
	return t, err == nil
}

// A new password with a one-time code (public).

func (a *app) resetForm(w http.ResponseWriter, r *http.Request) {
	v := a.newView(r, "resetTitle")
	a.render(w, r, http.StatusOK, "reset.html", v)
}

// reset sets a new password with a one-time code from the clinic, and
// sends the user to sign in with it.
func (a *app) reset(w http.ResponseWriter, r *http.Request) {
	if !form(w, r) {
		return
	}
	v := a.newView(r, "resetTitle")
	login, code := r.PostForm.Get("login"), r.PostForm.Get("kode")
	pw, pw2 := r.PostForm.Get("password"), r.PostForm.Get("password2")
	v.Form["login"], v.Form["kode"] = typedLogin(login), strings.TrimSpace(typedLogin(code))
	if strings.TrimSpace(login) == "" {
		v.fail("login", v.T("errLoginEmpty"))
	}
	if strings.TrimSpace(code) == "" {
		v.fail("kode", v.T("errResetCodeEmpty"))
	}
	if err := account.CheckPassword("password", pw); err != nil {
		v.fieldError(err)
	} else if pw != pw2 {
		v.fail("password2", v.T("errNewPassword2"))
	}
	status := http.StatusUnprocessableEntity
	if len(v.Errors) == 0 {
		err := a.acc.ResetPassword(r.Context(), login, code, pw, r.RemoteAddr)
		var re *account.ResetCodeError
		if errors.As(err, &re) {
			noteEvent(r, "reset_failed")
		}
		switch {
		case err == nil:
			http.Redirect(w, r, "/konto/log-ind?nulstillet=1", http.StatusSeeOther)
			return
		case v.tooMany(w, err, "kode"):
			noteEvent(r, "reset_limited")
			status = http.StatusTooManyRequests
		case errors.As(err, &re) && re.Form:
			v.fail("kode", v.T("errResetForm"))
		case errors.As(err, &re) && re.State == store.ResetCodeUsed:
			v.fail("kode", v.T("errResetUsed"))
		case errors.As(err, &re) && re.State == store.ResetCodeExpired:
			v.fail("kode", v.T("errResetExpired"))
		case errors.As(err, &re):
			v.fail("kode", v.T("errResetWrong"))
		case v.fieldError(err):
		default:
			a.fail(w, r, err)
			return
		}
	}
	v.summarise()
	a.render(w, r, status, "reset.html", v)
}
