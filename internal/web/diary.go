package web

// The symptom diary: a patient's own entries of leg and back pain (NRS
// 0–10), tingling, burning and weakness, and a free note. Only the owner
// ever reaches an entry: someone else's id is answered 404, exactly like a
// missing one, so its existence is not given away.

import (
	_ "embed"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the diary's times are Danish wall-clock times on any machine
	"unicode/utf8"

	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

func init() { routeParts = append(routeParts, (*app).diaryRoutes) }

func (a *app) diaryRoutes() []route {
	return []route{
		{pattern: "GET /dagbog/sync.js", access: Anyone, stateless: true, handler: serveSyncJS},
		{pattern: "GET /dagbog", access: Patient, handler: a.diaryList},
		{pattern: "GET /dagbog/ny", access: Patient, handler: a.diaryNew},
		{pattern: "POST /dagbog", access: Patient, handler: a.diaryCreate},
		{pattern: "GET /dagbog/{id}/rediger", access: Patient, handler: a.diaryEdit},
		{pattern: "POST /dagbog/{id}", access: Patient, handler: a.diaryUpdate},
		{pattern: "POST /dagbog/{id}/slet", access: Patient, handler: a.diaryDelete},
	}
}

//go:embed static/sync.js
var syncJS []byte

// serveSyncJS serves the browser's sync module. It is not fingerprinted
// (player.js and walk.js import it by name), so it is revalidated.
func serveSyncJS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(syncJS)
}

// diaryMaxNote is the diary note's limit, in characters.
const diaryMaxNote = 2000

// diaryTZ is the time zone the diary's times are entered and shown in.
var diaryTZ = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// diaryDTLayout is the value format of <input type="datetime-local">.
const diaryDTLayout = "2006-01-02T15:04"

var diaryMonths = [...]string{"januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"}

// diaryWhen says t as "3. marts 2026 kl. 14.05", in Danish time.
func diaryWhen(t time.Time) string { return diaryWhenIn(i18n.Da, t) }

// diaryWhenIn is diaryWhen in l: "3 March 2026 at 14:05" in English (the
// time still Danish time).
func diaryWhenIn(l i18n.Lang, t time.Time) string {
	t = t.In(diaryTZ)
	if l == i18n.En {
		return trf(l, "diaryWhen", l.Date(t), t.Format("15:04"))
	}
	return strconv.Itoa(t.Day()) + ". " + diaryMonths[t.Month()-1] + " " + strconv.Itoa(t.Year()) + " kl. " + t.Format("15.04")
}

func diaryYesNo(l i18n.Lang, b bool) string {
	if b {
		return tr(l, "yes")
	}
	return tr(l, "no")
}

// diaryRow is one entry as the list shows it.
type diaryRow struct {
	ID                          int64
	When                        string
	ISO                         string
	LegPain, BackPain           int
	Tingling, Burning, Weakness string
	Note                        string
}

// diaryView is a page's view plus the data of a feature's own templates.
type diaryView struct {
	*view
	Entries []diaryRow
	EntryID int64
	Data    map[string]any
}

// diarySummarise fills the error summary in the given field order.
func (v *view) diarySummarise(order ...string) {
	v.Summary = v.Summary[:0]
	for _, f := range order {
		if m, ok := v.Errors[f]; ok {
			v.Summary = append(v.Summary, fieldMsg{f, m})
		}
	}
}

var diaryFields = []string{"at", "leg", "back", "note"}

// diaryID reads the {id} of the path; ok is false when it is no id.
func diaryID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// diaryDone is the message the list shows after a change. It travels in the
// redirect's query (?gemt=ny), not in the session: a session write per diary
// entry would double the database writes of the busiest form, and the
// message holds nothing private.
var diaryDone = map[string]string{ // catalogue keys
	"ny":      "diarySavedNew",
	"rettet":  "diarySavedEdit",
	"slettet": "diaryDeleted",
}

func (a *app) diaryList(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	es, err := a.st.ListDiaryEntries(r.Context(), u.ID, time.Time{}, time.Time{})
	if err != nil {
		a.serverError(w, r, err)
		return
	}
	v := &diaryView{view: a.newView(r, "diaryTitle")}
	l := v.Lang
	if k, ok := diaryDone[r.URL.Query().Get("gemt")]; ok {
		v.Flash = tr(l, k)
	}
	for i := len(es) - 1; i >= 0; i-- { // newest first
		e := es[i]
		v.Entries = append(v.Entries, diaryRow{
			ID: e.ID, When: diaryWhenIn(l, e.At), ISO: e.At.In(diaryTZ).Format(time.RFC3339),
			LegPain: e.LegPain, BackPain: e.BackPain,
			Tingling: diaryYesNo(l, e.Tingling), Burning: diaryYesNo(l, e.Burning), Weakness: diaryYesNo(l, e.Weakness),
			Note: e.Note,
		})
	}
	a.render(w, r, http.StatusOK, "diary.html", v)
}

// diaryFormFill puts e into the form's fields.
func diaryFormFill(v *view, e store.DiaryEntry) {
	v.Form["at"] = e.At.In(diaryTZ).Format(diaryDTLayout)
	v.Form["leg"] = strconv.Itoa(e.LegPain)
	v.Form["back"] = strconv.Itoa(e.BackPain)
	v.Form["note"] = e.Note
	for k, b := range map[string]bool{"tingling": e.Tingling, "burning": e.Burning, "weakness": e.Weakness} {
		if b {
			v.Form[k] = "1"
		}
	}
}

// diaryNew is the empty form, dated now. The player's summary links here
// with the symptoms named during the session (?tingling=1&burning=1
// &weakness=1): those boxes come ticked, nothing else is taken from the
// address, and the patient still saves the entry themselves.
func (a *app) diaryNew(w http.ResponseWriter, r *http.Request) {
	v := &diaryView{view: a.newView(r, "diaryNewTitle")}
	v.Form["at"] = a.now().In(diaryTZ).Format(diaryDTLayout)
	q := r.URL.Query()
	for _, k := range []string{"tingling", "burning", "weakness"} {
		if q.Get(k) == "1" {
			v.Form[k] = "1"
		}
	}
	a.render(w, r, http.StatusOK, "diary_form.html", v)
}

// diaryRead reads and checks the form into e; problems go beside their
// fields in v, and what was typed is kept.
func diaryRead(r *http.Request, v *view, e *store.DiaryEntry) {
	f := r.PostForm
	for _, k := range []string{"at", "leg", "back", "note"} {
		v.Form[k] = f.Get(k)
	}
	v.Form["at"] = strings.TrimSpace(v.Form["at"])
	for _, k := range []string{"tingling", "burning", "weakness"} {
		if f.Get(k) != "" {
			v.Form[k] = "1"
		}
	}
	if at, err := time.ParseInLocation(diaryDTLayout, v.Form["at"], diaryTZ); err != nil {
		v.fail("at", v.T("errDiaryAt"))
	} else {
		e.At = at
	}
	nrs := func(field, empty, bad string) int {
		s := strings.TrimSpace(f.Get(field))
		n, err := strconv.Atoi(s)
		switch {
		case s == "":
			v.fail(field, v.T(empty))
		case err != nil || n < 0 || n > 10:
			v.fail(field, v.T(bad))
		}
		return n
	}
	e.LegPain = nrs("leg", "errDiaryLeg", "errDiaryLegNRS")
	e.BackPain = nrs("back", "errDiaryBack", "errDiaryBackNRS")
	e.Tingling, e.Burning, e.Weakness = v.Form["tingling"] != "", v.Form["burning"] != "", v.Form["weakness"] != ""
	note := strings.TrimSpace(strings.ReplaceAll(f.Get("note"), "\r\n", "\n"))
	switch {
	case !utf8.ValidString(note):
		v.fail("note", v.T("errDiaryNoteUTF8"))
	case utf8.RuneCountInString(note) > diaryMaxNote:
		v.fail("note", trf(v.Lang, "errDiaryNoteLong", diaryMaxNote, utf8.RuneCountInString(note)))
	}
	e.Note = note
	v.diarySummarise(diaryFields...)
}

// diaryCheck checks the entry read from the form with the rules'
// CheckEntry (a day after tomorrow or before the account was made, a
// control character in the note, …) and puts each problem the rules refuse
// beside its field in the rules' words, unless the field already has one
// of the form's own.
func (a *app) diaryCheck(r *http.Request, v *view, e store.DiaryEntry) {
	u := userFrom(r.Context())
	re := rules.Entry{At: dayIn(e.At), LegPain: e.LegPain, BackPain: e.BackPain,
		Tingling: e.Tingling, Burning: e.Burning, Weakness: e.Weakness, Note: e.Note}
	for _, p := range rules.Refused(rules.CheckEntry(re, "", a.check(a.now()), recordsFrom(u))) {
		if f, ok := diaryRuleFields[p.Path]; ok {
			v.fail(f, p.Text(string(v.Lang)))
		} else {
			v.fail("at", p.Text(string(v.Lang))) // not expected: every field of an entry is on the form
		}
	}
	v.diarySummarise(diaryFields...)
}

// diaryRuleFields are the form's fields of the rules' paths in an entry.
var diaryRuleFields = map[string]string{"at": "at", "legPain": "leg", "backPain": "back", "note": "note"}

func (a *app) diaryCreate(w http.ResponseWriter, r *http.Request) {
	if !form(w, r) {
		return
	}
	u := userFrom(r.Context())
	v := &diaryView{view: a.newView(r, "diaryNewTitle")}
	e := store.DiaryEntry{UserID: u.ID}
	diaryRead(r, v.view, &e)
	a.diaryCheck(r, v.view, e)
	if len(v.Errors) == 0 {
		if _, err := a.st.AddDiaryEntry(r.Context(), e); err != nil {
			a.serverError(w, r, err)
			return
		}
		http.Redirect(w, r, "/dagbog?gemt=ny", http.StatusSeeOther)
		return
	}
	a.render(w, r, http.StatusUnprocessableEntity, "diary_form.html", v)
}

// diaryOwn loads the {id} entry if it is the signed-in user's; otherwise
// it answers 404 and returns false.
func (a *app) diaryOwn(w http.ResponseWriter, r *http.Request) (store.DiaryEntry, bool) {
	id, ok := diaryID(r)
	if !ok {
		a.diaryNotFound(w, r)
		return store.DiaryEntry{}, false
	}
	e, err := a.st.DiaryEntry(r.Context(), id, userFrom(r.Context()).ID)
	if errors.Is(err, store.ErrNotFound) {
		a.diaryNotFound(w, r)
		return store.DiaryEntry{}, false
	}
	if err != nil {
		a.serverError(w, r, err)
		return store.DiaryEntry{}, false
	}
	return e, true
}

// diaryNotFound is the 404 of the signed-in pages.
func (a *app) diaryNotFound(w http.ResponseWriter, r *http.Request) {
	v := &diaryView{view: a.newView(r, "notFoundTitle")}
	v.Here = "/dagbog" // the same page for every id, so a missing entry and someone else's answer alike
	a.render(w, r, http.StatusNotFound, "diary_notfound.html", v)
}

func (a *app) diaryEdit(w http.ResponseWriter, r *http.Request) {
	e, ok := a.diaryOwn(w, r)
	if !ok {
		return
	}
	v := &diaryView{view: a.newView(r, "diaryEditTitle"), EntryID: e.ID}
	diaryFormFill(v.view, e)
	a.render(w, r, http.StatusOK, "diary_form.html", v)
}

func (a *app) diaryUpdate(w http.ResponseWriter, r *http.Request) {
	if !form(w, r) {
		return
	}
	e, ok := a.diaryOwn(w, r)
	if !ok {
		return
	}
	v := &diaryView{view: a.newView(r, "diaryEditTitle"), EntryID: e.ID}
	diaryRead(r, v.view, &e)
	a.diaryCheck(r, v.view, e)
	if len(v.Errors) == 0 {
		_, err := a.st.UpdateDiaryEntry(r.Context(), e)
		if errors.Is(err, store.ErrNotFound) { // deleted meanwhile
			a.diaryNotFound(w, r)
			return
		}
		if err != nil {
			a.serverError(w, r, err)
			return
		}
		http.Redirect(w, r, "/dagbog?gemt=rettet", http.StatusSeeOther)
		return
	}
	a.render(w, r, http.StatusUnprocessableEntity, "diary_form.html", v)
}

func (a *app) diaryDelete(w http.ResponseWriter, r *http.Request) {
	if !form(w, r) {
		return
	}
	id, ok := diaryID(r)
	if !ok {
		a.diaryNotFound(w, r)
		return
	}
	err := a.st.DeleteDiaryEntry(r.Context(), id, userFrom(r.Context()).ID)
	if errors.Is(err, store.ErrNotFound) {
		a.diaryNotFound(w, r)
		return
	}
	if err != nil {
		a.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/dagbog?gemt=slettet", http.StatusSeeOther)
}
