package web

// "My data": a signed-in user downloads everything the store holds about
// them, as JSON (store.ExportUser, the whole of it) or as a ZIP of CSV
// files for a spreadsheet, one per table (package export), and deletes
// their account with all its data. The old address of the CSV download,
// /mine-data/eksport.csv, redirects to the ZIP.

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/stenose/stenose/internal/account"
	"github.com/stenose/stenose/internal/export"
	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/store"
)

func (a *app) myData(w http.ResponseWriter, r *http.Request) {
	v := &diaryView{view: a.newView(r, "mydataTitle")}
	a.render(w, r, http.StatusOK, "mydata.html", v)
}

// myExportDisposition is a download's Content-Disposition
// (export.Disposition): stenose-LOGIN-DATE.EXT, today in Copenhagen.
func (a *app) myExportDisposition(u *store.User, ext string) string {
	return export.Disposition(u.ShownLogin(), a.now(), ext)
}

func (a *app) myExport(w http.ResponseWriter, r *http.Request) (store.Export, bool) {
	x, err := a.st.ExportUser(r.Context(), userFrom(r.Context()).ID)
	if err != nil {
		a.fail(w, r, err)
		return store.Export{}, false
	}
	return x, true
}

func (a *app) exportJSON(w http.ResponseWriter, r *http.Request) {
	x, ok := a.myExport(w, r)
	if !ok {
		return
	}
	b, err := json.MarshalIndent(x, "", "  ")
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", a.myExportDisposition(&x.User, "json"))
	_, _ = w.Write(append(b, '\n'))
}

// exportZIP sends the CSV files of package export in a ZIP. It is built
// whole before anything is sent, so a failure is a 500 page, never a
// broken download.
func (a *app) exportZIP(w http.ResponseWriter, r *http.Request) {
	x, ok := a.myExport(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := export.WriteZIP(&buf, x, export.Options{Library: a.site.Library(), Now: a.now()}); err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", a.myExportDisposition(&x.User, "zip"))
	_, _ = w.Write(buf.Bytes())
}

// exportCSV is the old address of the spreadsheet download, which was one
// CSV file in sections: links to it get the ZIP.
func (a *app) exportCSV(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/mine-data/eksport.zip", http.StatusSeeOther)
}

func (a *app) deleteAccount(w http.ResponseWriter, r *http.Request) {
	if !form(w, r) {
		return
	}
	u := userFrom(r.Context())
	v := &diaryView{view: a.newView(r, "mydataTitle")}
	typed := r.PostForm.Get("confirm")
	v.Form["confirm"] = strings.TrimSpace(typed)
	login, err := account.NormalizeLogin(typed)
	if strings.TrimSpace(typed) == "" {
		v.fail("confirm", v.T("errConfirmEmpty"))
	} else if err != nil || login != u.Login {
		v.fail("confirm", v.Lang.Tf("errConfirmWrong", u.ShownLogin()))
	}
	if len(v.Errors) > 0 {
		v.diarySummarise("confirm")
		a.render(w, r, http.StatusUnprocessableEntity, "mydata.html", v)
		return
	}
	// The cascade deletes every row of the user's, their login sessions
	// included; then this session is ended too.
	if err := a.st.DeleteUser(r.Context(), u.ID); err != nil {
		a.fail(w, r, err)
		return
	}
	if err := a.sm.Destroy(r.Context()); err != nil {
		a.fail(w, r, err)
		return
	}
	g := &diaryView{view: a.newView(r, "goodbyeTitle")}
	g.User = nil
	a.render(w, r, http.StatusOK, "mydata_goodbye.html", g)
}

// lookView is one row of "who has looked at my data", in the page's words.
type lookView struct {
	When, Who, Role, Action, What string
}

type looksView struct {
	*view
	Looks []lookView
}

func (v *looksView) page() *view { return v.view }

// maxLooksShown bounds the page; the download holds them all.
const maxLooksShown = 500

// looks is "who has looked at my data" (sundhedsloven §§ 42 a–d,
// docs/sources.md "Records and logging"): every look by a clinician or an
// admin at the user's data, newest first.
func (a *app) looks(w http.ResponseWriter, r *http.Request) {
	log, err := a.st.AccessLog(r.Context(), userFrom(r.Context()).ID, maxLooksShown)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v := &looksView{view: a.newView(r, "looksTitle")}
	word := func(kind, k string) string {
		if key := "export_" + kind + "_" + k; i18n.Has(v.Lang, key) {
			return v.T(key)
		}
		return k
	}
	for _, l := range log {
		v.Looks = append(v.Looks, lookView{When: diaryWhenIn(v.Lang, l.At), Who: l.Actor, Role: word("role", string(l.ActorRole)),
			Action: word("action", l.Action), What: word("what", l.What)})
	}
	a.render(w, r, http.StatusOK, "looks.html", v)
}
