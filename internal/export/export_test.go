package export

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"github.com/stenose/stenose/internal/i18n"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	stenose "github.com/stenose/stenose"
	"github.com/stenose/stenose/internal/content"
	"github.com/stenose/stenose/internal/programme"
	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

func library(t *testing.T) *programme.Library {
	t.Helper()
	ix, _ := content.Load(stenose.Content())
	lib, probs := programme.Load(stenose.Content(), ix.Images)
	if len(probs) != 0 {
		t.Fatalf("built-in content: %v", probs)
	}
	return lib
}

func ip(n int) *int { return &n }

// Winter (CET, +01:00) and summer (CEST, +02:00): the clocks went forward
// on 29 March 2026. Both are 10:15 in Copenhagen.
var (
	winter = time.Date(2026, 1, 15, 9, 15, 0, 0, time.UTC)
	summer = time.Date(2026, 7, 15, 8, 15, 0, 0, time.UTC)
)

// The first and last red-flag question: the answers are written in the
// order of rules.Flags.
var firstFlag, lastFlag = rules.Flags[0], rules.Flags[len(rules.Flags)-1]

// retired is a question no longer asked, whose answers still read.
var retired = rules.RetiredFlags[0]

// note has what a CSV file must quote: the separator, quotes, a line break.
const note = "Gik til \"Netto\"; ondt i læggen\nbagefter, men 3,5 km"

// sample is one of everything, some of it in winter and some in summer.
func sample() store.Export {
	return store.Export{
		User: store.User{ID: 7, Login: "anna ærø", LoginDisplay: "Anna Ærø", Name: "Anna Ærø", Email: "anna@example.org", Role: store.RolePatient, Lang: "en",
			CreatedAt: time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)},
		Diary: []store.DiaryEntry{
			{ID: 11, At: winter, LegPain: 7, BackPain: 4, Tingling: true, Note: note, CreatedAt: winter, UpdatedAt: summer},
			{ID: 12, At: summer, LegPain: 2, BackPain: 0, Burning: true, Weakness: true, Note: `=HYPERLINK("x")`, CreatedAt: summer, UpdatedAt: summer},
		},
		TrainingSessions: []store.TrainingSession{{
			ID: 21, ClientID: "s-1", Programme: "5-bedste-oevelser", StartedAt: winter, EndedAt: winter.Add(20*time.Minute + 30*time.Second),
			Symptoms: 1, CreatedAt: winter.Add(time.Hour),
			Steps: []store.SessionStep{
				{Exercise: "knae-til-bryst", Done: true},
				{Exercise: "kattestraek", Symptoms: true, SymptomKinds: []string{"tingling", "pain"}},
				{Exercise: "ukendt-oevelse", Done: true},
			},
		}},
		Walks: []store.Walk{{
			ID: 31, ClientID: "w-1", StartedAt: summer, EndedAt: summer.Add(30 * time.Minute), CreatedAt: summer,
			Bouts: []store.Bout{{WalkSeconds: 600, PauseSeconds: 60, FirstSymptomsSeconds: ip(540)}, {WalkSeconds: 605, PauseSeconds: 0}},
		}},
		RedFlagCheckins: []store.RedFlagCheckin{
			{ID: 41, At: winter, Answers: map[string]bool{lastFlag.Key: true, firstFlag.Key: false, "an_old_question": false}, Urgent: true,
				ExaminedAt: summer, Examination: store.Examination{On: "2026-07-14", By: store.ExaminedByOther, ByOther: "=Dr. Hansen; Odense"}, CreatedAt: winter},
			{ID: 42, At: summer, Answers: map[string]bool{lastFlag.Key: true}, Urgent: true, ExaminedAt: summer,
				Examination: store.Examination{On: "2026-07-15", By: store.ExaminedByOutOfHours}, CreatedAt: summer},
			{ID: 43, At: summer, Answers: map[string]bool{retired.Key: false}, CreatedAt: summer},
		},
		Baselines: []store.Baseline{
			{ID: 51, At: winter, SPWTFirstSymptomsSeconds: ip(195), SPWTStopSeconds: 390, NRSLeg: 6, NRSBack: 3, CreatedAt: winter},
			{ID: 52, At: summer, SPWTStopSeconds: 900, NRSLeg: 2, NRSBack: 1, CreatedAt: summer},
		},
		Targets: []store.Targets{
			{ID: 61, At: winter, WalkMinutes: 10, Reps: map[string]int{"kattestraek": 8, "=SUM(A1)": 3}, SetBy: store.SetByClinician, CreatedAt: winter},
			{ID: 62, At: summer, WalkMinutes: 9, Reps: map[string]int{}, SetBy: store.SetByRules, Advice: "TARGET_DOWN", PrevID: 61, CreatedAt: summer},
		},
		PSFS: []store.PSFS{
			{ID: 71, At: summer, Activities: []store.PSFSActivity{{Name: "Gå til bageren", Score: 3}, {Name: "Stå & lave mad", Score: 10}}, CreatedAt: summer},
		},
		Clinic: &store.Clinic{ID: 3, Slug: "nord", Name: "Klinik Nord", Address: "Nørregade 1\n8000 Aarhus C", Phone: "86 12 34 56",
			Email: "=kontakt@nord.dk", Hours: "Man–tor 8–16\nFre 8–14"},
		Invitations: []store.Invitation{{ID: 81, ClinicID: 3, Name: "Anna Ærø", CreatedAt: winter.Add(-time.Hour), ExpiresAt: winter.Add(47 * time.Hour), UsedAt: winter}},
		AccessLog: []store.Access{
			{ID: 91, At: summer, ActorID: 5, Actor: "Dorte Behandler", ActorRole: store.RoleClinician, ClinicID: 3, PatientID: 7, Action: store.AccessView, What: "progress"},
			{ID: 92, At: summer, ActorID: 6, Actor: "=Admin", ActorRole: store.RoleAdmin, PatientID: 7, Action: store.AccessChange, What: "something-new"},
		},
		Alerts: []store.Alert{
			{ID: 101, PatientID: 7, Code: "STOP_NEURO_SYMPTOMS", Rank: store.RankWarning, Episode: "day-2026-07-19", RaisedAt: summer,
				AckAt: summer, AckBy: 5, AckByName: "Dorte Behandler", AckNote: "+hviler to dage"},
			{ID: 102, PatientID: 7, Code: "NEW_CODE", Rank: store.RankInfo, Episode: "x", RaisedAt: summer},
		},
		Programmes: []store.ProgrammeVersion{{ID: 121, Version: 1, At: summer, ByName: "Dorte Behandler", Reason: "=Færre øvelser; i starten",
			Base: "5-bedste-oevelser", PerWeek: 2, WalkMinutes: 8, CreatedAt: summer, Items: []store.ProgrammeItem{
				{Exercise: "kattestraek", Kind: "reps", Reps: 10, SecondsPerRep: 6, Sides: 1, Sets: 2, Rest: 30},
				{Exercise: "knae-til-bryst", Kind: "hold", Seconds: 20, Reps: 3, Sides: 2, Sets: 1, Rest: 10},
			}}},
		ClinicNotes: []store.Note{{ID: 111, PatientID: 7, AuthorID: 5, AuthorName: "Dorte Behandler", At: summer, Body: "Går bedre; \"stol\" hjælper"}},
		Calendar: &store.CalendarFeed{UserID: 7, Weekdays: []int{1, 3, 5}, Minute: 17*60 + 30, Series: "0123456789abcdef0123456789abcdef",
			LinkAt: summer, CreatedAt: winter, UpdatedAt: summer},
	}
}

// unzip returns the ZIP's files by name, and their names in order.
func unzip(t *testing.T, b []byte) (map[string][]byte, []string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	files, names := map[string][]byte{}, []string(nil)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name], names = data, append(names, f.Name)
	}
	return files, names
}

// readCSV checks that b is a Danish spreadsheet's CSV file (BOM,
// semicolons, CRLF) and returns its records.
func readCSV(t *testing.T, name string, b []byte) [][]string {
	t.Helper()
	rest, ok := bytes.CutPrefix(b, []byte("\ufeff"))
	if !ok {
		t.Errorf("%s: no byte-order mark", name)
	}
	if !bytes.HasSuffix(rest, []byte("\r\n")) {
		t.Errorf("%s: does not end in CRLF", name)
	}
	r := csv.NewReader(bytes.NewReader(rest))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if first, _, _ := bytes.Cut(rest, []byte("\r\n")); bytes.Count(first, []byte(";")) != len(recs[0])-1 {
		t.Errorf("%s: the header is not separated by semicolons: %q", name, first)
	}
	return recs
}

func TestZIP(t *testing.T) {
	var buf bytes.Buffer
	now := time.Date(2026, 7, 20, 12, 0, 0, 0, time.UTC)
	if err := WriteZIP(&buf, sample(), Options{Library: library(t), Now: now}); err != nil {
		t.Fatal(err)
	}
	files, names := unzip(t, buf.Bytes())
	wantNames := []string{"README.txt", "konto.csv", "roede_flag.csv", "roede_flag_svar.csv", "udgangspunkt.csv", "dagbog.csv",
		"traeninger.csv", "traeningsoevelser.csv", "gaature.csv", "gaatursdele.csv", "maal.csv", "maalgentagelser.csv", "psfs.csv", "programmer.csv", "klinik.csv", "invitationer.csv", "kalender.csv", "opslag.csv", "advarsler.csv", "klinik_noter.csv"}
	if diff := cmp.Diff(wantNames, names); diff != "" {
		t.Fatalf("files (-want +got):\n%s", diff)
	}

	const w, s = "2026-01-15 10:15:00 +01:00", "2026-07-15 10:15:00 +02:00" // winter, summer
	tests := []struct {
		file string
		want [][]string
	}{
		{"konto.csv", [][]string{
			{"brugernavn", "navn", "e-mail", "rolle", "sprog", "oprettet"},
			{"Anna Ærø", "Anna Ærø", "anna@example.org", "patient", "engelsk", "2026-01-10 10:00:00 +01:00"},
		}},
		{"roede_flag.csv", [][]string{
			{"id", "tidspunkt", "læge før træning", "undersøgelse bekræftet", "undersøgt den", "undersøgt af", "undersøgt af (dine ord)", "gemt"},
			{"41", w, "ja", s, "2026-07-14", "en anden læge", "'=Dr. Hansen; Odense", w},
			{"42", s, "ja", s, "2026-07-15", "lægevagten eller akuttelefonen", "", s},
			{"43", s, "nej", "", "", "", "", s},
		}},
		{"roede_flag_svar.csv", [][]string{
			{"tjek-id", "nr.", "spørgsmålets id", "spurgt om", "svar"},
			{"41", "1", firstFlag.Key, firstFlag.Name(i18n.Da), "nej"},
			{"41", "2", lastFlag.Key, lastFlag.Name(i18n.Da), "ja"},
			{"41", "3", "an_old_question", "", "nej"},
			{"42", "1", lastFlag.Key, lastFlag.Name(i18n.Da), "ja"},
			{"43", "1", retired.Key, retired.Name(i18n.Da), "nej"},
		}},
		{"udgangspunkt.csv", [][]string{
			{"id", "tidspunkt", "gangtest: første symptomer efter (minutter)", "gangtest: stoppede efter (minutter)", "smerter i benene (0–10)", "smerter i ryggen (0–10)", "gemt"},
			{"51", w, "3,25", "6,5", "6", "3", w},
			{"52", s, "", "15", "2", "1", s},
		}},
		{"dagbog.csv", [][]string{
			{"id", "tidspunkt", "smerter i benene (0–10)", "smerter i ryggen (0–10)", "prikken", "brænden", "svaghed", "note", "oprettet", "rettet"},
			{"11", w, "7", "4", "ja", "nej", "nej", note, w, s},
			{"12", s, "2", "0", "nej", "ja", "ja", `'=HYPERLINK("x")`, s, s},
		}},
		{"traeninger.csv", [][]string{
			{"id", "klient-id", "programmets id", "program", "start", "slut", "varighed (minutter)", "symptomer meldt (gange)", "gemt"},
			{"21", "s-1", "5-bedste-oevelser", "5 bedste øvelser til spinalstenose", w, "2026-01-15 10:35:30 +01:00", "20,5", "1", "2026-01-15 11:15:00 +01:00"},
		}},
		{"traeningsoevelser.csv", [][]string{
			{"trænings-id", "nr.", "øvelsens id", "øvelse", "gennemført", "symptomer", "hvilke symptomer"},
			{"21", "1", "knae-til-bryst", "Knæ-til-bryst", "ja", "nej", ""},
			{"21", "2", "kattestraek", "Kattestræk", "nej", "ja", "prikken, smerter"},
			{"21", "3", "ukendt-oevelse", "", "ja", "nej", ""},
		}},
		{"gaature.csv", [][]string{
			{"id", "klient-id", "start", "slut", "gået i alt (minutter)", "pauser i alt (minutter)", "første symptomer efter (minutter)", "gemt"},
			{"31", "w-1", s, "2026-07-15 10:45:00 +02:00", "20,08", "1", "9", s},
		}},
		{"gaatursdele.csv", [][]string{
			{"gåtur-id", "nr.", "gået (minutter)", "pause (minutter)", "første symptomer efter (minutter)"},
			{"31", "1", "10", "1", "9"},
			{"31", "2", "10,08", "0", ""},
		}},
		{"maal.csv", [][]string{
			{"id", "tidspunkt", "gåtid pr. tur (minutter)", "sat af", "rådets kode", "råd", "afløste id", "gemt"},
			{"61", w, "10", "din behandler", "", "", "", w},
			{"62", s, "9", "programmets råd, som du tog imod", "TARGET_DOWN", "et trin ned", "61", s},
		}},
		{"maalgentagelser.csv", [][]string{
			{"mål-id", "øvelsens id", "øvelse", "gentagelser pr. sæt"},
			{"61", "'=SUM(A1)", "", "3"},
			{"61", "kattestraek", "Kattestræk", "8"},
		}},
		{"psfs.csv", [][]string{
			{"id", "tidspunkt", "nr.", "aktivitet", "point (0–10)", "gemt"},
			{"71", s, "1", "Gå til bageren", "3", s},
			{"71", s, "2", "Stå & lave mad", "10", s},
		}},
		{"programmer.csv", [][]string{
			{"version", "hvornår", "ændret af", "begrundelse", "træninger om ugen", "gåtur i minutter", "nr.", "øvelsens id", "øvelse", "sekunder", "gentagelser", "sider", "sæt", "pause i sekunder"},
			{"1", s, "Dorte Behandler", "'=Færre øvelser; i starten", "2", "8", "1", "kattestraek", "Kattestræk", "0", "10", "1", "2", "30"},
			{"1", s, "Dorte Behandler", "'=Færre øvelser; i starten", "2", "8", "2", "knae-til-bryst", "Knæ-til-bryst", "20", "3", "2", "1", "10"},
		}},
		{"klinik.csv", [][]string{
			{"navn", "adresse", "telefon", "e-mail", "åbningstider"},
			{"Klinik Nord", "Nørregade 1, 8000 Aarhus C", "86 12 34 56", "'=kontakt@nord.dk", "Man–tor 8–16, Fre 8–14"},
		}},
		{"opslag.csv", [][]string{
			{"tidspunkt", "hvem", "rolle", "handling", "hvad"},
			{s, "Dorte Behandler", "behandler", "så", "dine fremskridt"},
			{s, "'=Admin", "administrator", "ændrede", "something-new"},
		}},
		{"advarsler.csv", [][]string{
			{"id", "hvornår", "hvad", "set", "set af", "bemærkning"},
			{"101", s, "træning stoppet for prikken, brænden eller svaghed", s, "Dorte Behandler", "'+hviler to dage"},
			{"102", s, "NEW_CODE", "", "", ""},
		}},
		{"klinik_noter.csv", [][]string{
			{"id", "hvornår", "skrevet af", "notat"},
			{"111", s, "Dorte Behandler", "Går bedre; \"stol\" hjælper"},
		}},
		{"invitationer.csv", [][]string{
			{"id", "lavet", "gyldig til", "brugt", "navn"},
			{"81", "2026-01-15 09:15:00 +01:00", "2026-01-17 09:15:00 +01:00", w, "Anna Ærø"},
		}},
		// The days and time, on or off; never the link or its hash.
		{"kalender.csv", [][]string{
			{"træningsdage", "klokken", "slået til", "link lavet", "oprettet", "ændret"},
			{"mandag, onsdag, fredag", "17:30", "ja", s, w, s},
		}},
	}
	if len(tests) != len(wantNames)-1 {
		t.Fatalf("%d files tested, %d written", len(tests), len(wantNames)-1)
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got := readCSV(t, tt.file, files[tt.file])
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.file, diff)
			}
		})
	}

	// The note came back whole: separator, quotes and line break.
	if got := readCSV(t, "dagbog.csv", files["dagbog.csv"])[1][7]; got != note {
		t.Errorf("note read back as %q, want %q", got, note)
	}

	// README.txt: Danish, then English; every file described in both;
	// the times explained.
	rd := string(files["README.txt"])
	if !strings.HasPrefix(rd, "\ufeffstenose – dine data") || !strings.Contains(rd, "stenose – your data") {
		t.Errorf("README.txt does not open in Danish with an English part:\n%s", rd)
	}
	da, en, _ := strings.Cut(rd, "stenose – your data")
	for _, f := range wantNames[1:] {
		if !strings.Contains(da, "\r\n"+f+"\r\n") || !strings.Contains(en, "\r\n"+f+"\r\n") {
			t.Errorf("README.txt does not describe %s in both languages", f)
		}
	}
	for _, sub := range []string{"dansk tid med forskellen til UTC", "+01:00", "+02:00", "semikolon", "Kolonner: id; tidspunkt"} {
		if !strings.Contains(da, sub) {
			t.Errorf("README.txt (Danish) lacks %q", sub)
		}
	}
	for _, sub := range []string{"Danish local time followed by their offset from UTC", "semicolons", "Columns: id; time"} {
		if !strings.Contains(en, sub) {
			t.Errorf("README.txt (English) lacks %q", sub)
		}
	}
	for i, tb := range tables {
		if len(tb.header(i18n.Da)) != len(tb.header(i18n.En)) {
			t.Errorf("tables[%d] %s: %d Danish column names, %d English", i, tb.file, len(tb.header(i18n.Da)), len(tb.header(i18n.En)))
		}
	}
}

// TestEveryTableHasAFile: a new kind of record in store.Export must get
// its CSV file too (add it to tables and here).
func TestEveryTableHasAFile(t *testing.T) {
	fileOf := map[string][]string{
		"User":             {"konto.csv"},
		"Diary":            {"dagbog.csv"},
		"TrainingSessions": {"traeninger.csv", "traeningsoevelser.csv"},
		"Walks":            {"gaature.csv", "gaatursdele.csv"},
		"RedFlagCheckins":  {"roede_flag.csv", "roede_flag_svar.csv"},
		"Baselines":        {"udgangspunkt.csv"},
		"Targets":          {"maal.csv", "maalgentagelser.csv"},
		"PSFS":             {"psfs.csv"},
		"Programmes":       {"programmer.csv"},
		"Clinic":           {"klinik.csv"},
		"Invitations":      {"invitationer.csv"},
		"AccessLog":        {"opslag.csv"},
		"Alerts":           {"advarsler.csv"},
		"ClinicNotes":      {"klinik_noter.csv"},
		"Calendar":         {"kalender.csv"},
	}
	written := map[string]bool{}
	for _, tb := range tables {
		written[tb.file] = true
	}
	typ := reflect.TypeFor[store.Export]()
	for i := range typ.NumField() {
		name := typ.Field(i).Name
		files, ok := fileOf[name]
		if !ok {
			t.Errorf("store.Export.%s has no CSV file in the ZIP: add a table for it", name)
		}
		for _, f := range files {
			if !written[f] {
				t.Errorf("store.Export.%s: %s is not written", name, f)
			}
		}
	}
}

// TestEmpty: a new account's ZIP has every file, each with its header
// line only (konto.csv: the account).
func TestEmpty(t *testing.T) {
	x := store.Export{User: store.User{Login: "ny", Role: store.RolePatient, CreatedAt: summer}}
	var buf bytes.Buffer
	if err := WriteZIP(&buf, x, Options{}); err != nil {
		t.Fatal(err)
	}
	files, _ := unzip(t, buf.Bytes())
	for _, tb := range tables {
		recs := readCSV(t, tb.file, files[tb.file])
		want := 1
		if tb.file == "konto.csv" {
			want = 2
		}
		if len(recs) != want {
			t.Errorf("%s: %d lines, want %d", tb.file, len(recs), want)
		}
	}
	if got := readCSV(t, "konto.csv", files["konto.csv"])[1][4]; got != "ikke valgt (dansk)" {
		t.Errorf("no language chosen reads %q", got)
	}
}

func TestCells(t *testing.T) {
	f := &format{}
	tests := []struct{ got, want string }{
		{f.minutes(0), "0"}, {f.minutes(60), "1"}, {f.minutes(90), "1,5"}, {f.minutes(61), "1,02"},
		{f.minutes(6000), "100"}, {f.minutes(14400), "240"}, {f.minutes(1), "0,02"},
		{f.text("-3"), "'-3"}, {f.text("+45 12"), "'+45 12"}, {f.text("@a"), "'@a"}, {f.text("\tx"), "'\tx"}, {f.text("a=b"), "a=b"}, {f.text(""), ""},
		{f.time(time.Time{}), ""},
		// The night the clocks go back: 02:30 comes twice, told apart by the offset.
		{f.time(time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC)), "2026-10-25 02:30:00 +02:00"},
		{f.time(time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC)), "2026-10-25 02:30:00 +01:00"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%d: %q, want %q", i, tt.got, tt.want)
		}
	}
	// Two decimals tell every whole second apart, up to the 4 hours a bout may last.
	seen := map[string]int{}
	for sec := range 4*3600 + 1 {
		m := f.minutes(sec)
		if prev, ok := seen[m]; ok {
			t.Fatalf("%d s and %d s are both %s minutes", prev, sec, m)
		}
		seen[m] = sec
	}
}

func TestDisposition(t *testing.T) {
	// 23:30 UTC on 31 December is already 1 January in Copenhagen.
	now := time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC)
	tests := []struct{ login, ext, want string }{
		{"anna", "zip", `attachment; filename="stenose-anna-2027-01-01.zip"`},
		{"anna.b_2-x", "json", `attachment; filename="stenose-anna.b_2-x-2027-01-01.json"`},
		{"søren", "zip", `attachment; filename="stenose-s_ren-2027-01-01.zip"; filename*=UTF-8''stenose-s%C3%B8ren-2027-01-01.zip`},
		{"anna hansen", "zip", `attachment; filename="stenose-anna-hansen-2027-01-01.zip"`},
		{"anna@example.org", "zip", `attachment; filename="stenose-anna-example.org-2027-01-01.zip"`},
		{`a"b\c/d;e`, "zip", `attachment; filename="stenose-a-b-c-d-e-2027-01-01.zip"`},
	}
	for _, tt := range tests {
		if got := Disposition(tt.login, now, tt.ext); got != tt.want {
			t.Errorf("Disposition(%q) = %s, want %s", tt.login, got, tt.want)
		}
	}
}
