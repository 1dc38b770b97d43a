package web

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"github.com/stenose/stenose/internal/i18n"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

// zipCSV unzips a my-data ZIP: README.txt's text, and every CSV file's
// records, read as a Danish spreadsheet's (BOM, semicolons) — a file
// without the BOM fails the test.
func zipCSV(t *testing.T, body string) (readme string, files map[string][][]string) {
	t.Helper()
	zr, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("not a ZIP: %v", err)
	}
	files = map[string][][]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == "README.txt" {
			readme = string(b)
			continue
		}
		rest, ok := bytes.CutPrefix(b, []byte("\ufeff"))
		if !ok {
			t.Errorf("%s: no byte-order mark", f.Name)
		}
		r := csv.NewReader(bytes.NewReader(rest))
		r.Comma = ';'
		if files[f.Name], err = r.ReadAll(); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
	}
	return readme, files
}

// zipText is everything in a my-data ZIP as one text, to look for what
// must not be there.
func zipText(t *testing.T, body string) string {
	t.Helper()
	readme, files := zipCSV(t, body)
	var b strings.Builder
	b.WriteString(readme)
	for _, recs := range files {
		for _, rec := range recs {
			b.WriteString(strings.Join(rec, ";") + "\n")
		}
	}
	return b.String()
}

// rowsWith counts the rows that hold cells one after the other.
func rowsWith(rows [][]string, cells ...string) int {
	n := 0
	for _, row := range rows {
		for i := 0; i+len(cells) <= len(row); i++ {
			if slices.Equal(row[i:i+len(cells)], cells) {
				n++
				break
			}
		}
	}
	return n
}

// localTime is t as the ZIP's files write it.
func localTime(t time.Time) string { return t.In(care.Zone).Format("2006-01-02 15:04:05 -07:00") }

// flag is the red-flag question fillAll answers yes.
var flag = rules.Flags[len(rules.Flags)-1]

// fillAll gives login a row in every table of the store, through the
// store, each with words of its own (the login in every text).
func fillAll(t *testing.T, e *env, login string) {
	t.Helper()
	ctx, id := t.Context(), e.userID(login)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	winter, summer := time.Date(2026, 3, 2, 9, 15, 0, 0, time.UTC), time.Date(2026, 7, 15, 8, 15, 0, 0, time.UTC)
	c, err := e.st.AddRedFlagCheckin(ctx, store.RedFlagCheckin{UserID: id, At: winter, Answers: map[string]bool{flag.Key: true, rules.Flags[0].Key: false}, Urgent: true})
	must(err)
	must(e.st.ConfirmExamined(ctx, c.ID, id, winter.Add(48*time.Hour), store.Examination{On: "2026-03-03", By: store.ExaminedByOwnDoctor}))
	_, err = e.st.AddBaseline(ctx, store.Baseline{UserID: id, At: winter, SPWTFirstSymptomsSeconds: new(195), SPWTStopSeconds: 390, NRSLeg: 6, NRSBack: 3})
	must(err)
	_, err = e.st.AddDiaryEntry(ctx, store.DiaryEntry{UserID: id, At: summer, LegPain: 3, Tingling: true, Note: login + "s note"})
	must(err)
	_, _, err = e.st.AddTrainingSession(ctx, store.TrainingSession{UserID: id, ClientID: login + "-s", Programme: "5-bedste-oevelser",
		StartedAt: winter, EndedAt: winter.Add(20 * time.Minute), Steps: []store.SessionStep{{Exercise: "knae-til-bryst", Done: true}}})
	must(err)
	_, _, err = e.st.AddWalk(ctx, store.Walk{UserID: id, ClientID: login + "-w", StartedAt: summer, EndedAt: summer.Add(30 * time.Minute),
		Bouts: []store.Bout{{WalkSeconds: 630, PauseSeconds: 60}}})
	must(err)
	tg, err := e.st.SetTargets(ctx, store.Targets{UserID: id, At: winter, WalkMinutes: 10, Reps: map[string]int{"kattestraek": 8}, SetBy: store.SetByClinician}, 0)
	must(err)
	_, err = e.st.SetTargets(ctx, store.Targets{UserID: id, At: summer, WalkMinutes: 12, Reps: map[string]int{"kattestraek": 9}, SetBy: store.SetByRules, Advice: "PROGRESS_TARGET_UP"}, tg.ID)
	must(err)
	_, err = e.st.AddPSFS(ctx, id, summer, []store.PSFSActivity{{Name: login + " går til bageren", Score: 4}})
	must(err)
	must(e.st.SetUserLang(ctx, id, "en"))
	// The clinic, and the invitation the patient came in with (made
	// here in the store; the sign-up page for it comes with issue 13).
	cl, err := e.st.CreateClinic(ctx, store.Clinic{Slug: "klinik-" + login, Name: "Klinik " + login, Address: "Nørregade 1\n8000 Aarhus C", Phone: "86 12 34 56"})
	must(err)
	code := sha256.Sum256([]byte(login))
	_, err = e.st.CreateInvitation(ctx, store.Invitation{ClinicID: cl.ID, Name: login, ExpiresAt: winter.Add(24 * time.Hour), CreatedAt: winter}, code)
	must(err)
	_, err = e.st.UseInvitation(ctx, id, code, winter.Add(time.Hour))
	must(err)
	must(e.st.LogAccess(ctx, store.Access{At: summer, ActorID: 99, Actor: "Dorte Behandler", ActorRole: store.RoleClinician, ClinicID: cl.ID,
		PatientID: id, Action: store.AccessView, What: "progress"}))
	_, err = e.st.AddNote(ctx, cl.ID, store.Note{PatientID: id, AuthorName: "Dorte Behandler", At: summer, Body: login + "s clinic note"})
	must(err)
	_, err = e.st.SetProgramme(ctx, cl.ID, store.ProgrammeVersion{PatientID: id, At: summer, ByID: 99, ByName: "Dorte Behandler",
		Reason: login + "s færre øvelser", Base: "5-bedste-oevelser", PerWeek: 2, WalkMinutes: 8,
		Items: []store.ProgrammeItem{{Exercise: "kattestraek", Kind: "reps", Reps: 8, SecondsPerRep: 6, Sides: 1, Sets: 2, Rest: 30}}}, 0)
	must(err)
	// A training calendar with its link on: the days and time exported,
	// the link's hash not.
	token := sha256.Sum256([]byte(login + "s calendar"))
	_, err = e.st.SaveCalendarFeed(ctx, store.CalendarFeed{UserID: id, Weekdays: []int{2, 4}, Minute: 9 * 60, Series: fmt.Sprintf("%032x", id)}, &token, summer)
	must(err)
}

// TestMyDataEveryRecord: with a row in every table of the store, the JSON
// export holds every kind of record and the ZIP a row in every file; none
// of another patient's.
func TestMyDataEveryRecord(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		e := newEnv(t, open(t), nil)
		a, b := e.patientSince("anna", fixturesSince), e.patientSince("bodil", fixturesSince)
		fillAll(t, e, "anna")
		fillAll(t, e, "bodil")

		r := a.get("/mine-data/eksport.json")
		want(t, "json", r, 200, "")
		var x map[string]json.RawMessage
		if err := json.Unmarshal([]byte(r.body), &x); err != nil {
			t.Fatal(err)
		}
		// Every field of store.Export is there and not empty: a new kind
		// of record must be filled in fillAll too.
		typ := reflect.TypeFor[store.Export]()
		for i := range typ.NumField() {
			key, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
			if v, ok := x[key]; !ok || string(v) == "[]" || string(v) == "{}" || string(v) == "null" {
				t.Errorf("the JSON export's %q is missing or empty: %s", key, v)
			}
		}
		contains(t, "json", r.body, `"login": "anna"`, `"lang": "en"`, `"`+flag.Key+`": true`, `"examinedAt": "2026-03-04T09:15:00Z"`, `"on": "2026-03-03"`, `"by": "own_doctor"`,
			`"spwtStopSeconds": 390`, `"annas note"`, `"exercise": "knae-til-bryst"`, `"walkSeconds": 630`, `"advice": "PROGRESS_TARGET_UP"`,
			`"anna går til bageren"`)
		lacks(t, "json", r.body, "bodil", "argon2")

		r = a.get("/mine-data/eksport.zip")
		want(t, "zip", r, 200, "")
		readme, files := zipCSV(t, r.body)
		if !strings.Contains(readme, "dansk tid") || !strings.Contains(readme, "Danish local time") {
			t.Errorf("README.txt:\n%s", readme)
		}
		if len(files) < 12 {
			t.Errorf("%d CSV files in the ZIP", len(files))
		}
		for name, recs := range files {
			if len(recs) < 2 {
				t.Errorf("%s has no rows: %v", name, recs)
			}
		}
		for _, tt := range []struct {
			file  string
			cells []string
		}{
			{"konto.csv", []string{"anna", "Navn anna", "", "patient", "engelsk"}},
			{"roede_flag.csv", []string{"2026-03-02 10:15:00 +01:00", "ja", "2026-03-04 10:15:00 +01:00", "2026-03-03", "din egen læge", ""}},
			{"roede_flag_svar.csv", []string{flag.Key, flag.Name(i18n.Da), "ja"}},
			{"udgangspunkt.csv", []string{"2026-03-02 10:15:00 +01:00", "3,25", "6,5", "6", "3"}},
			{"dagbog.csv", []string{"2026-07-15 10:15:00 +02:00", "3", "0", "ja", "nej", "nej", "annas note"}},
			{"traeninger.csv", []string{"anna-s", "5-bedste-oevelser", "5 bedste øvelser til spinalstenose", "2026-03-02 10:15:00 +01:00", "2026-03-02 10:35:00 +01:00", "20"}},
			{"traeningsoevelser.csv", []string{"1", "knae-til-bryst", "Knæ-til-bryst", "ja", "nej", ""}},
			{"gaature.csv", []string{"anna-w", "2026-07-15 10:15:00 +02:00", "2026-07-15 10:45:00 +02:00", "10,5", "1", ""}},
			{"gaatursdele.csv", []string{"1", "10,5", "1", ""}},
			{"maal.csv", []string{"2026-07-15 10:15:00 +02:00", "12", "programmets råd, som du tog imod", "PROGRESS_TARGET_UP", "et trin op"}},
			{"maalgentagelser.csv", []string{"kattestraek", "Kattestræk", "9"}},
			{"psfs.csv", []string{"2026-07-15 10:15:00 +02:00", "1", "anna går til bageren", "4"}},
			{"kalender.csv", []string{"tirsdag, torsdag", "09:00", "ja", "2026-07-15 10:15:00 +02:00"}},
		} {
			if rowsWith(files[tt.file], tt.cells...) != 1 {
				t.Errorf("%s lacks one row with %q:\n%q", tt.file, tt.cells, files[tt.file])
			}
		}
		lacks(t, "zip", zipText(t, r.body), "bodil")

		// And bodil's hold nothing of anna's.
		lacks(t, "bodil's json", b.get("/mine-data/eksport.json").body, "anna")
		lacks(t, "bodil's zip", zipText(t, b.get("/mine-data/eksport.zip").body), "anna")
	})
}

// TestMyDataOldCSVAddress: the old address of the CSV download leads to
// the ZIP, for a signed-in user and, after signing in, for a visitor.
func TestMyDataOldCSVAddress(t *testing.T) {
	e := newEnv(t, openSQLite(t), nil)
	a := e.patientSince("anna", fixturesSince)
	want(t, "signed in", a.get("/mine-data/eksport.csv"), 303, "/mine-data/eksport.zip")
	want(t, "visitor", e.client().get("/mine-data/eksport.csv"), 303, "/konto/log-ind?naeste=%2Fmine-data%2Feksport.csv")
	r := a.get("/mine-data/eksport.zip")
	want(t, "zip", r, 200, "")
	if ct := r.header.Get("Content-Type"); ct != "application/zip" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := r.header.Get("Content-Disposition"); !attachment.MatchString(cd) || !strings.HasSuffix(cd, `.zip"`) {
		t.Errorf("Content-Disposition %q", cd)
	}
}

// TestMyDataPlainWords: "Mine data" says what the patient gets in plain
// words — spreadsheets, everything as it is stored for another app — not
// file jargon (JSON, ZIP, CSV, file names), in Danish and in English.
func TestMyDataPlainWords(t *testing.T) {
	e := newEnv(t, openSQLite(t), nil)
	a := e.signUp("anna")
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"da", []string{"Hent dine data som regneark", "Hent alt, som det er gemt (til en anden app)", "Overførsler"}},
		{"en", []string{"Download your data as spreadsheets", "Download everything as it is stored (for another app)", "Downloads"}},
	} {
		if tc.lang == "en" {
			want(t, "switch", a.post(switchPath, "lang", "en"), 303, "")
		}
		r := a.get("/mine-data")
		want(t, "my data "+tc.lang, r, 200, "")
		contains(t, "my data "+tc.lang, r.body, append(tc.want, `href="/mine-data/eksport.zip"`, `href="/mine-data/eksport.json"`)...)
		main := r.body[strings.Index(r.body, "<main"):strings.Index(r.body, "</main>")]
		text := regexp.MustCompile(`<[^>]*>`).ReplaceAllString(main, " ") // the words, not the addresses
		for _, jargon := range []string{"JSON", "ZIP", "CSV", "zip", "csv", ".txt", "fil)"} {
			if strings.Contains(text, jargon) {
				t.Errorf("my data %s says %q:\n%s", tc.lang, jargon, strings.Join(strings.Fields(text), " "))
			}
		}
	}
}
