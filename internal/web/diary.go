package web

// The symptom diary: a patient's own entries of leg and back pain (NRS
// 0–10), tingling, burning and weakness, and a free note. Only the owner
// ever reaches an entry: someone else's id is answered 404, exactly like a
// missing one, so its existence is not given away.

import (
	"cmp"
	"crypto/rand"
	_ "embed"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

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

// diaryDTLayout is the value format of <input type="datetime-local">.
const diaryDTLayout = "2006-01-02T15:04"

var diaryMonths = [...]string{"januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"}

// diaryWhen says t as "3. marts 2026 kl. 14.05", in Danish time.
func diaryWhen(t time.Time) string { return diaryWhenIn(i18n.Da, t) }

// diaryWhenIn is diaryWhen in l: "3 March 2026 at 14:05" in English (the
// time still Danish time).
func diaryWhenIn(l i18n.Lang, t time.Time) string {
	t = t.In(care.Zone)
	if l == i18n.En {
		return l.Tf("diaryWhen", l.Date(t), t.Format("15:04"))
	}
	return strconv.Itoa(t.Day()) + ". " + diaryMonths[t.Month()-1] + " " + strconv.Itoa(t.Year()) + " kl. " + t.Format("15.04")
}

// diaryRow is one entry as the list shows it.
type diaryRow struct {
	ID                int64
	When              string
	ISO               string
	LegPain, BackPain int
	// Symptoms names the neurological symptoms reported ("Prikken eller
	// snurren, svaghed i benene"), or says there were none: one line
	// instead of three yes/no lines (a page of 20 entries on a phone was
	// 12,000 px).
	Symptoms string
	Note     string
}

// diarySymptoms is e's neurological symptoms in one line, in l.
func diarySymptoms(l i18n.Lang, e store.DiaryEntry) string {
	var yes []string
	for _, s := range []struct {
		on  bool
		key string
	}{{e.Tingling, "diaryTingling"}, {e.Burning, "diaryBurning"}, {e.Weakness, "diaryWeakness"}} {
		if s.on {
			yes = append(yes, l.T(s.key))
		}
	}
	if len(yes) == 0 {
		return l.T("diaryNoSymptoms")
	}
	return strings.Join(yes, ", ")
}

// diaryView is a page's view plus the data of a feature's own templates.
type diaryView struct {
	*view
	Entries []diaryRow
	Pager   diaryPager
	Missing string // the 404 page's sentence
	EntryID int64
	Data    map[string]any
	// Page is the diary page an entry's edit form came from (2 and on; 0
	// for the first): saving or deleting goes back to it.
	Page int
}

// diaryPageOf is the diary page named by value (the list's "side"), or 0
// for the first page or no page.
func diaryPageOf(value string) int {
	if !diaryPageRE.MatchString(value) {
		return 0
	}
	n, _ := strconv.Atoi(value)
	if n <= 1 {
		return 0
	}
	return n
}

// diaryBack is the diary page to go back to after a change, with the
// change's message (diaryDone).
func diaryBack(page int, done string) string {
	p := diaryPagePath(page)
	if strings.Contains(p, "?") {
		return p + "&gemt=" + done
	}
	return p + "?gemt=" + done
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

// diaryPerPage is how many entries a page of the diary shows: a year of
// entries on one page was a page of 41,000 px.
const diaryPerPage = 20

// diaryPageParam is the query parameter of a diary page's number
// (/dagbog?side=2); page 1 is /dagbog.
const diaryPageParam = "side"

// diaryPageRE is a page number as the diary's links write it.
var diaryPageRE = regexp.MustCompile(`^[1-9][0-9]{0,8}$`)

// diaryPagePath is the address of page n of the diary.
func diaryPagePath(n int) string {
	if n <= 1 {
		return "/dagbog"
	}
	return "/dagbog?" + diaryPageParam + "=" + strconv.Itoa(n)
}

// diaryPager is the diary's paging as diary.html shows it.
type diaryPager struct {
	Label      string // "Side 2 af 7"; "" when there is one page
	Prev, Next string // the newer and the older page's address, or ""
}

func (a *app) diaryList(w http.ResponseWriter, r *http.Request) {
	n := 1
	if ps, ok := r.URL.Query()[diaryPageParam]; ok {
		if len(ps) != 1 || !diaryPageRE.MatchString(ps[0]) {
			a.diaryMissing(w, r, "diaryPageNotFound")
			return
		}
		n, _ = strconv.Atoi(ps[0])
	}
	u := userFrom(r.Context())
	es, total, err := a.st.DiaryPage(r.Context(), u.ID, n, diaryPerPage)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	pages := max(1, (total+diaryPerPage-1)/diaryPerPage)
	if n > pages { // an old link, or entries deleted since: the last page
		http.Redirect(w, r, diaryPagePath(pages), http.StatusSeeOther)
		return
	}
	v := &diaryView{view: a.newView(r, "diaryTitle")}
	if n > 1 {
		v.Page = n
	}
	l := v.Lang
	if pages > 1 {
		v.Pager.Label = l.Tf("diaryPage", n, pages)
		v.Title = l.Tf("diaryPageTitle", n, pages)
		if n > 1 {
			v.Pager.Prev = diaryPagePath(n - 1)
		}
		if n < pages {
			v.Pager.Next = diaryPagePath(n + 1)
		}
	}
	if k, ok := diaryDone[r.URL.Query().Get("gemt")]; ok {
		v.Flash = l.T(k)
	}
	for _, e := range es { // newest first
		v.Entries = append(v.Entries, diaryRow{
			ID: e.ID, When: diaryWhenIn(l, e.At), ISO: e.At.In(care.Zone).Format(time.RFC3339),
			LegPain: e.LegPain, BackPain: e.BackPain,
			Symptoms: diarySymptoms(l, e),
			Note:     e.Note,
		})
	}
	a.render(w, r, http.StatusOK, "diary.html", v)
}

// diaryFormFill puts e into the form's fields.
func diaryFormFill(v *view, e store.DiaryEntry) {
	v.Form["at"] = e.At.In(care.Zone).Format(diaryDTLayout)
	v.Form["leg"] = strconv.Itoa(e.LegPain)
	v.Form["back"] = strconv.Itoa(e.BackPain)
	v.Form["note"] = e.Note
	for k, b := range map[string]bool{"tingling": e.Tingling, "burning": e.Burning, "weakness": e.Weakness} {
		if b {
			v.Form[k] = "1"
		}
	}
}

// diaryClientField is the new-entry form's hidden field holding the id it
// was given when it was shown: the entry is stored once per id, however
// often the form is sent (the browser resending it, a retry after an
// instance was lost, a double tap; store.AddDiaryEntryOnce).
const diaryClientField = "client_id"

// diaryClientRE is a form's id as the server makes them (newDiaryClientID)
// and with room to spare: URL-safe characters only.
var diaryClientRE = regexp.MustCompile(`^[A-Za-z0-9_-]{16,64}$`)

// newDiaryClientID is a fresh id for a diary form: 16 random bytes, 22
// URL-safe characters.
func newDiaryClientID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand: it crashes the program instead)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// diaryNew is the empty form, dated now. The player's summary links here
// with the symptoms named during the session (?tingling=1&burning=1
// &weakness=1): those boxes come ticked, nothing else is taken from the
// address, and the patient still saves the entry themselves.
func (a *app) diaryNew(w http.ResponseWriter, r *http.Request) {
	v := &diaryView{view: a.newView(r, "diaryNewTitle")}
	v.Form["at"] = a.now().In(care.Zone).Format(diaryDTLayout)
	v.Form[diaryClientField] = newDiaryClientID()
	a.diaryMax(v.view)
	q := r.URL.Query()
	for _, k := range []string{"tingling", "burning", "weakness"} {
		if q.Get(k) == "1" {
			v.Form[k] = "1"
		}
	}
	a.render(w, r, http.StatusOK, "diary_form.html", v)
}

// diaryMax is the latest time the form's date field offers: now.
func (a *app) diaryMax(v *view) {
	v.Form["atmax"] = a.now().In(care.Zone).Format(diaryDTLayout)
}

// diaryBodyMax is the most of a diary form's body that is read. The
// fields and a whole note take at most about 25 KB (2,000 characters of
// four bytes each, percent-encoded), so only a note far over its limit
// comes near it.
const diaryBodyMax = 64 << 10

// diaryForm reads the diary form's body into r.PostForm. A body over the
// limit is not refused with a bare error: what fits is read, and tooBig
// says the rest was left. The browser sends the fields in the form's order
// and the note last (diary_form.html), so every other field is whole and
// the note is cut.
func diaryForm(w http.ResponseWriter, r *http.Request) (tooBig, ok bool) {
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/x-www-form-urlencoded" {
		return false, form(w, r)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, diaryBodyMax))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		tooBig = true
		r.PostForm = diaryCutForm(string(body))
	case err != nil:
		http.Error(w, reqLang(r).T("errForm"), http.StatusBadRequest)
		return false, false
	default:
		if r.PostForm, err = url.ParseQuery(string(body)); err != nil {
			http.Error(w, reqLang(r).T("errForm"), http.StatusBadRequest)
			return false, false
		}
	}
	r.Form = url.Values{}
	for _, q := range []url.Values{r.PostForm, r.URL.Query()} {
		for k, vs := range q {
			r.Form[k] = append(r.Form[k], vs...)
		}
	}
	return tooBig, true
}

// diaryCutForm reads the first part of a form's body that was cut at the
// limit: every whole field, and the cut one only if it is the note (its
// beginning, up to where a character or an escape was cut).
func diaryCutForm(body string) url.Values {
	head, last, _ := cutLast(body, "&")
	vs, _ := url.ParseQuery(head) // the fields that read; a bad one is left out
	if k, v, ok := strings.Cut(last, "="); ok && k == "note" {
		if i := strings.LastIndexByte(v, '%'); i >= 0 && len(v)-i < 3 { // "…%C" : an escape cut in two
			v = v[:i]
		}
		if v, err := url.QueryUnescape(v); err == nil {
			vs.Set("note", strings.ToValidUTF8(v, "")) // a character cut in two is dropped
		}
	}
	return vs
}

// cutLast is strings.Cut at the last sep; without one, all of s is after.
func cutLast(s, sep string) (before, after string, found bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return "", s, false
}

// diaryRead reads and checks the form into e; problems go beside their
// fields in v, and what was typed is kept. tooBig says the body was cut at
// the limit (diaryForm): the note is then too long, and only its first
// diaryMaxNote characters are kept.
func diaryRead(r *http.Request, v *view, e *store.DiaryEntry, now time.Time, tooBig bool) {
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
	switch at, err := parseDiaryTime(v.Form["at"], now, care.Zone); {
	case errors.Is(err, errDiaryTimeEmpty):
		v.fail("at", v.T("errDiaryAtEmpty"))
		v.Form["attext"] = "1"
	case err != nil:
		v.fail("at", v.T("errDiaryAt"))
		v.Form["attext"] = "1" // shown as typed, in a text field, to be put right
	default:
		e.At = at
		v.Form["at"] = at.Format(diaryDTLayout) // the date field's own form
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
	switch n := utf8.RuneCountInString(note); {
	case tooBig:
		if n > diaryMaxNote {
			note = strings.TrimSpace(string([]rune(note)[:diaryMaxNote]))
		}
		v.Form["note"] = note
		v.fail("note", v.Lang.Tf("errDiaryNoteCut", v.Lang.Int(diaryMaxNote), v.Lang.Int(diaryMaxNote)))
	case !utf8.ValidString(note):
		v.fail("note", v.T("errDiaryNoteUTF8"))
	case n > diaryMaxNote:
		v.fail("note", v.Lang.Tf("errDiaryNoteLong", v.Lang.Int(diaryMaxNote), v.Lang.Int(n)))
	}
	e.Note = note
	v.diarySummarise(diaryFields...)
}

// diaryCheck checks the entry read from the form with the rules'
// CheckEntry (a day after tomorrow or before the account was made, a
// control character in the note, …) and puts each problem the rules refuse
// beside its field in the rules' words, unless the field already has one
// of the form's own. A time later than now that the rules let by (later
// today, or tomorrow, which they only leave out of the advice) is refused
// too: a diary tells what has happened.
func (a *app) diaryCheck(r *http.Request, v *view, e store.DiaryEntry) {
	u := userFrom(r.Context())
	now := a.now()
	re := rules.Entry{At: care.DayIn(e.At), LegPain: e.LegPain, BackPain: e.BackPain,
		Tingling: e.Tingling, Burning: e.Burning, Weakness: e.Weakness, Note: e.Note}
	from := care.RecordsFrom(u)
	for _, p := range rules.Refused(rules.CheckEntry(re, "", a.care.Check(now), from)) {
		f, ok := diaryRuleFields[p.Path]
		if !ok {
			f = "at" // not expected: every field of an entry is on the form
		}
		v.fail(f, diaryProblem(v.Lang, p, from, now))
	}
	if !e.At.IsZero() && e.At.After(now.Truncate(time.Minute)) {
		v.fail("at", v.Lang.Tf("errDiaryAtFuture", diaryWhenIn(v.Lang, now)))
	}
	v.diarySummarise(diaryFields...)
}

// diaryProblem is a problem the rules find in an entry in the form's
// words: the rules' own (made for the sync API and `stenose check-data`)
// write dates as 01-01-2020 and name code points; the two a patient can
// meet here — a day before the diary begins, a day after today, a
// character that cannot be stored — are the catalogue's. (The ranges of
// the pain scales and the note's length are the form's own checks.)
func diaryProblem(l i18n.Lang, p *rules.Problem, from rules.Day, now time.Time) string {
	switch p.Code {
	case rules.ProblemAfterNow, rules.ProblemTomorrow:
		return l.Tf("errDiaryAtFuture", diaryWhenIn(l, now))
	case rules.ProblemBeforeStart:
		if d, err := time.ParseInLocation(time.DateOnly, from.String(), care.Zone); err == nil {
			return l.Tf("errDiaryAtBefore", longDate(l, d))
		}
	case rules.ProblemControl, rules.ProblemUTF8:
		return l.T("errDiaryNoteUTF8")
	}
	return p.Text(l)
}

// diaryRuleFields are the form's fields of the rules' paths in an entry.
var diaryRuleFields = map[string]string{"at": "at", "legPain": "leg", "backPain": "back", "note": "note"}

func (a *app) diaryCreate(w http.ResponseWriter, r *http.Request) {
	tooBig, ok := diaryForm(w, r)
	if !ok {
		return
	}
	// The form's id: none from a form shown before there were ids (a page
	// kept open over an upgrade), stored as before; one the server cannot
	// have made, a form that was not its own.
	cid := r.PostForm.Get(diaryClientField)
	if cid != "" && !diaryClientRE.MatchString(cid) {
		http.Error(w, reqLang(r).T("errForm"), http.StatusBadRequest)
		return
	}
	u := userFrom(r.Context())
	v := &diaryView{view: a.newView(r, "diaryNewTitle")}
	a.diaryMax(v.view)
	e := store.DiaryEntry{UserID: u.ID, ClientID: cid}
	diaryRead(r, v.view, &e, a.now(), tooBig)
	a.diaryCheck(r, v.view, e)
	if len(v.Errors) == 0 {
		// A form sent again is answered as the first time, whichever
		// instance stored it: the same redirect to the same page.
		got, created, err := a.st.AddDiaryEntryOnce(r.Context(), e)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		if !created {
			a.log.InfoContext(r.Context(), "diary form sent again: the entry stored the first time is kept", "user", u.ID, "entry", got.ID)
		}
		http.Redirect(w, r, "/dagbog?gemt=ny", http.StatusSeeOther)
		return
	}
	// Shown again to be put right, with the same id: nothing is stored
	// yet, and once it is, a resend is still the same form.
	v.Form[diaryClientField] = cmp.Or(cid, newDiaryClientID())
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
		a.fail(w, r, err)
		return store.DiaryEntry{}, false
	}
	return e, true
}

// diaryNotFound is the 404 of the signed-in pages.
func (a *app) diaryNotFound(w http.ResponseWriter, r *http.Request) {
	a.diaryMissing(w, r, "diaryNotFound")
}

// diaryMissing is the 404 page saying what is not there (a catalogue key).
func (a *app) diaryMissing(w http.ResponseWriter, r *http.Request, what string) {
	v := &diaryView{view: a.newView(r, "notFoundTitle")}
	v.Missing = v.T(what)
	v.Here = "/dagbog" // the same page for every id, so a missing entry and someone else's answer alike
	a.render(w, r, http.StatusNotFound, "diary_notfound.html", v)
}

func (a *app) diaryEdit(w http.ResponseWriter, r *http.Request) {
	e, ok := a.diaryOwn(w, r)
	if !ok {
		return
	}
	v := &diaryView{view: a.newView(r, "diaryEditTitle"), EntryID: e.ID, Page: diaryPageOf(r.URL.Query().Get(diaryPageParam))}
	a.diaryMax(v.view)
	diaryFormFill(v.view, e)
	a.render(w, r, http.StatusOK, "diary_form.html", v)
}

func (a *app) diaryUpdate(w http.ResponseWriter, r *http.Request) {
	tooBig, ok := diaryForm(w, r)
	if !ok {
		return
	}
	e, ok := a.diaryOwn(w, r)
	if !ok {
		return
	}
	v := &diaryView{view: a.newView(r, "diaryEditTitle"), EntryID: e.ID, Page: diaryPageOf(r.PostForm.Get(diaryPageParam))}
	a.diaryMax(v.view)
	diaryRead(r, v.view, &e, a.now(), tooBig)
	a.diaryCheck(r, v.view, e)
	if len(v.Errors) == 0 {
		_, err := a.st.UpdateDiaryEntry(r.Context(), e)
		if errors.Is(err, store.ErrNotFound) { // deleted meanwhile
			a.diaryNotFound(w, r)
			return
		}
		if err != nil {
			a.fail(w, r, err)
			return
		}
		http.Redirect(w, r, diaryBack(v.Page, "rettet"), http.StatusSeeOther)
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
		a.fail(w, r, err)
		return
	}
	http.Redirect(w, r, diaryBack(diaryPageOf(r.PostForm.Get(diaryPageParam)), "slettet"), http.StatusSeeOther)
}
