package web

// "My data": a signed-in user downloads everything the store holds about
// them, as JSON (store.ExportUser, the whole of it) or as CSV, and deletes
// their account with all its data.
//
// The CSV download is one file in sections, so that it opens in any
// spreadsheet: each section starts with a line holding only its name
// ("dagbog", "traeninger", "traeningsoevelser", "gaature", "gaatursdele",
// "maal", "maalgentagelser", "psfs"), then a header line, then one line per
// row; a blank line ends it. Times are RFC 3339 in UTC. A text that a
// spreadsheet would take for a formula (starting with = + - @ or a tab) is
// prefixed with an apostrophe. "maal" holds every version of the training
// targets, oldest first (the last is the current one), and
// "maalgentagelser" their repetition targets, one line per exercise.
// "psfs" holds the patient's own activities (the Patient-Specific
// Functional Scale), one line per activity of each scoring, oldest first.

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stenose/stenose/internal/account"
	"github.com/stenose/stenose/internal/store"
)

func init() { routeParts = append(routeParts, (*app).myDataRoutes) }

func (a *app) myDataRoutes() []route {
	return []route{
		{pattern: "GET /mine-data", access: SignedIn, handler: a.myData},
		{pattern: "GET /mine-data/eksport.json", access: SignedIn, handler: a.exportJSON},
		{pattern: "GET /mine-data/eksport.csv", access: SignedIn, handler: a.exportCSV},
		{pattern: "POST /mine-data/slet", access: SignedIn, handler: a.deleteAccount},
	}
}

func (a *app) myData(w http.ResponseWriter, r *http.Request) {
	v := &diaryView{view: a.newView(r, "mydataTitle")}
	a.render(w, r, http.StatusOK, "mydata.html", v)
}

// myExportName is the download's file name: stenose-LOGIN-DATE.EXT.
func (a *app) myExportName(u *store.User, ext string) string {
	return "stenose-" + u.Login + "-" + a.now().In(diaryTZ).Format("2006-01-02") + "." + ext
}

func (a *app) myExport(w http.ResponseWriter, r *http.Request) (store.Export, bool) {
	x, err := a.st.ExportUser(r.Context(), userFrom(r.Context()).ID)
	if err != nil {
		a.serverError(w, r, err)
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
		a.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	// The login is restricted to a–z 0–9 . _ -, so the name needs no quoting.
	w.Header().Set("Content-Disposition", `attachment; filename="`+a.myExportName(&x.User, "json")+`"`)
	_, _ = w.Write(append(b, '\n'))
}

// cell makes s safe to open in a spreadsheet.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func csvBool(b bool) string {
	if b {
		return "ja"
	}
	return "nej"
}

func csvInt(n int) string { return strconv.Itoa(n) }

func csvID(id int64) string { return strconv.FormatInt(id, 10) }

// csvKindNames are the symptoms a session step may name
// (store.SymptomKinds), in the words of the diary's columns.
var csvKindNames = map[string]string{"tingling": "prikken", "burning": "braenden", "weakness": "svaghed", "pain": "smerter"}

// csvKinds is a step's named symptoms, "prikken, smerter"; empty when none
// were named.
func csvKinds(kinds []string) string {
	out := make([]string, 0, len(kinds))
	for _, k := range kinds {
		if n, ok := csvKindNames[k]; ok {
			k = n
		}
		out = append(out, k)
	}
	return csvCell(strings.Join(out, ", "))
}

// csvSetBy is who set the targets (store.Targets.SetBy), in Danish.
func csvSetBy(s string) string {
	switch s {
	case store.SetByRules:
		return "regler"
	case store.SetByPatient:
		return "patient"
	case store.SetByClinician:
		return "behandler"
	}
	return csvCell(s)
}

// myWriteCSV writes x in the sections described at the top of this file.
func myWriteCSV(x store.Export) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\ufeff") // so spreadsheets read UTF-8
	c := csv.NewWriter(&buf)
	section := func(name string, header []string, rows [][]string) {
		_ = c.Write([]string{name})
		_ = c.Write(header)
		for _, row := range rows {
			_ = c.Write(row)
		}
		_ = c.Write([]string{""})
	}
	var rows [][]string
	for _, e := range x.Diary {
		rows = append(rows, []string{strconv.FormatInt(e.ID, 10), csvTime(e.At), csvInt(e.LegPain), csvInt(e.BackPain),
			csvBool(e.Tingling), csvBool(e.Burning), csvBool(e.Weakness), csvCell(e.Note), csvTime(e.CreatedAt), csvTime(e.UpdatedAt)})
	}
	section("dagbog", []string{"id", "tidspunkt", "smerter_ben", "smerter_ryg", "prikken", "braenden", "svaghed", "note", "oprettet", "rettet"}, rows)
	rows, steps := nil, [][]string(nil)
	for _, t := range x.TrainingSessions {
		id := strconv.FormatInt(t.ID, 10)
		rows = append(rows, []string{id, csvCell(t.ClientID), csvCell(t.Programme), csvTime(t.StartedAt), csvTime(t.EndedAt), csvInt(t.Symptoms), csvTime(t.CreatedAt)})
		for i, s := range t.Steps {
			steps = append(steps, []string{id, csvInt(i + 1), csvCell(s.Exercise), csvBool(s.Done), csvBool(s.Symptoms), csvKinds(s.SymptomKinds)})
		}
	}
	section("traeninger", []string{"id", "klient_id", "program", "start", "slut", "symptomer", "gemt"}, rows)
	section("traeningsoevelser", []string{"traening_id", "nr", "oevelse", "gennemfoert", "symptomer", "symptomtyper"}, steps)
	rows, bouts := nil, [][]string(nil)
	for _, wk := range x.Walks {
		id := strconv.FormatInt(wk.ID, 10)
		first := ""
		if f := wk.FirstSymptomsSeconds(); f != nil {
			first = csvInt(*f)
		}
		rows = append(rows, []string{id, csvCell(wk.ClientID), csvTime(wk.StartedAt), csvTime(wk.EndedAt), csvInt(wk.WalkSeconds()), csvInt(wk.PauseSeconds()), first, csvTime(wk.CreatedAt)})
		for i, b := range wk.Bouts {
			fs := ""
			if b.FirstSymptomsSeconds != nil {
				fs = csvInt(*b.FirstSymptomsSeconds)
			}
			bouts = append(bouts, []string{id, csvInt(i + 1), csvInt(b.WalkSeconds), csvInt(b.PauseSeconds), fs})
		}
	}
	section("gaature", []string{"id", "klient_id", "start", "slut", "gaaet_sekunder", "pause_sekunder", "foerste_symptomer_sekunder", "gemt"}, rows)
	section("gaatursdele", []string{"gaatur_id", "nr", "gaaet_sekunder", "pause_sekunder", "foerste_symptomer_sekunder"}, bouts)
	rows, reps := nil, [][]string(nil)
	for _, t := range x.Targets {
		id, prev := csvID(t.ID), ""
		if t.PrevID != 0 {
			prev = csvID(t.PrevID)
		}
		rows = append(rows, []string{id, csvTime(t.At), csvInt(t.WalkMinutes), csvSetBy(t.SetBy), csvCell(t.Advice), prev, csvTime(t.CreatedAt)})
		for _, slug := range slices.Sorted(maps.Keys(t.Reps)) {
			reps = append(reps, []string{id, csvCell(slug), csvInt(t.Reps[slug])})
		}
	}
	section("maal", []string{"id", "tidspunkt", "gaa_minutter", "sat_af", "raad", "forrige_id", "gemt"}, rows)
	section("maalgentagelser", []string{"maal_id", "oevelse", "gentagelser"}, reps)
	rows = nil
	for _, p := range x.PSFS {
		for i, act := range p.Activities {
			rows = append(rows, []string{csvID(p.ID), csvTime(p.At), csvInt(i + 1), csvCell(act.Name), csvInt(act.Score), csvTime(p.CreatedAt)})
		}
	}
	section("psfs", []string{"id", "tidspunkt", "nr", "aktivitet", "point", "gemt"}, rows)
	c.Flush()
	return buf.Bytes(), c.Error()
}

func (a *app) exportCSV(w http.ResponseWriter, r *http.Request) {
	x, ok := a.myExport(w, r)
	if !ok {
		return
	}
	b, err := myWriteCSV(x)
	if err != nil {
		a.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+a.myExportName(&x.User, "csv")+`"`)
	_, _ = w.Write(b)
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
		v.fail("confirm", trf(v.Lang, "errConfirmWrong", u.Login))
	}
	if len(v.Errors) > 0 {
		v.diarySummarise("confirm")
		a.render(w, r, http.StatusUnprocessableEntity, "mydata.html", v)
		return
	}
	// The cascade deletes every row of the user's, their login sessions
	// included; then this session is ended too.
	if err := a.st.DeleteUser(r.Context(), u.ID); err != nil {
		a.serverError(w, r, err)
		return
	}
	if err := a.sm.Destroy(r.Context()); err != nil {
		a.serverError(w, r, err)
		return
	}
	g := &diaryView{view: a.newView(r, "goodbyeTitle")}
	g.User = nil
	a.render(w, r, http.StatusOK, "mydata_goodbye.html", g)
}
