// Package export turns everything the store holds about one user
// (store.Export) into files a person can open: one CSV file per table,
// made for a Danish spreadsheet, and a README.txt in Danish and English,
// together in one ZIP file ("my data", GET /mine-data/eksport.zip).
//
// Every CSV file is UTF-8 with a byte-order mark (so Excel reads æøå),
// separated by semicolons (the separator of a Danish Excel, where the comma
// is the decimal mark), with CRLF line ends. Numbers with decimals have a
// decimal comma (10,5); times are the patient's local time in
// Europe/Copenhagen with their UTC offset, "2026-03-04 10:15:00 +01:00"
// (summer time is +02:00); yes/no is "ja"/"nej". The column names are
// Danish words, and beside every id that names something (an exercise, a
// programme, a red-flag question) is its Danish name from the content or
// from rules.Flags. A text that a spreadsheet would take for a formula
// (starting with = + - @, a tab or a carriage return) has an apostrophe
// put in front of it.
//
// The tables are listed once, in tables; README.txt is written from the
// same list, so every file is described.
package export

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Copenhagen on any machine
	"unicode"
	"unicode/utf8"

	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/programme"
	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

// Copenhagen is the zone the files' times are written in.
var Copenhagen = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		panic(err) // time/tzdata is embedded: cannot happen
	}
	return loc
}()

// TimeLayout is how a time is written: local time with its UTC offset.
const TimeLayout = "2006-01-02 15:04:05 -07:00"

// Options are what the files need besides the data.
type Options struct {
	// Library gives the Danish names of exercises and programmes; nil
	// leaves the names empty (the ids are still there).
	Library *programme.Library
	// Now is the files' modification time in the ZIP; zero is time.Now.
	Now time.Time
	// Zone is the zone times are written in; nil is Copenhagen.
	Zone *time.Location
}

// File is one file of the ZIP.
type File struct {
	Name string
	Data []byte
}

// WriteZIP writes x as a ZIP file to w: README.txt, then one CSV file per
// table (Files).
func WriteZIP(w io.Writer, x store.Export, o Options) error {
	files, err := Files(x, o)
	if err != nil {
		return err
	}
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	zw := zip.NewWriter(w)
	for _, f := range files {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: now.In(o.zone())})
		if err != nil {
			return err
		}
		if _, err := fw.Write(f.Data); err != nil {
			return err
		}
	}
	return zw.Close()
}

// Disposition is the Content-Disposition of a download of login's data
// on the day of now (in Copenhagen): an attachment named
// stenose-LOGIN-DATE.EXT. A login may hold letters outside ASCII (æøå) and
// characters a file name should not (a space, @): the plain filename has
// "_" for the former and "-" for the latter, and when that changed a letter
// a filename* (RFC 6266, UTF-8) keeps it.
func Disposition(login string, now time.Time, ext string) string {
	var plain, full strings.Builder
	for _, r := range login {
		switch {
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '_' || r == '-'):
			plain.WriteRune(r)
			full.WriteRune(r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			plain.WriteByte('_')
			full.WriteRune(r)
		default:
			plain.WriteByte('-')
			full.WriteByte('-')
		}
	}
	name := func(login string) string {
		return "stenose-" + login + "-" + now.In(Copenhagen).Format("2006-01-02") + "." + ext
	}
	v := `attachment; filename="` + name(plain.String()) + `"`
	if plain.String() != full.String() {
		v += "; filename*=UTF-8''" + url.PathEscape(name(full.String()))
	}
	return v
}

// Files returns README.txt and the CSV files, in that order.
func Files(x store.Export, o Options) ([]File, error) {
	f := &format{o: o}
	files := []File{{Name: "README.txt", Data: readme()}}
	for _, t := range tables {
		var buf bytes.Buffer
		buf.WriteString("\ufeff")
		c := csv.NewWriter(&buf)
		c.Comma = ';'
		c.UseCRLF = true
		if err := c.Write(t.header); err != nil {
			return nil, err
		}
		for _, row := range t.rows(x, f) {
			if len(row) != len(t.header) {
				return nil, fmt.Errorf("export: %s: a row of %d cells under %d columns", t.file, len(row), len(t.header))
			}
			if err := c.Write(row); err != nil {
				return nil, err
			}
		}
		if c.Flush(); c.Error() != nil {
			return nil, c.Error()
		}
		files = append(files, File{Name: t.file, Data: buf.Bytes()})
	}
	return files, nil
}

func (o Options) zone() *time.Location {
	if o.Zone != nil {
		return o.Zone
	}
	return Copenhagen
}

// format writes the cells.
type format struct{ o Options }

// text makes s safe to open in a spreadsheet: a text that would be taken
// for a formula gets an apostrophe in front.
func (*format) text(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func (f *format) time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(f.o.zone()).Format(TimeLayout)
}

func (*format) yesNo(b bool) string {
	if b {
		return "ja"
	}
	return "nej"
}

func (*format) int(n int) string { return strconv.Itoa(n) }

func (*format) id(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// minutes writes seconds as minutes with at most two decimals and a
// decimal comma: 600 → "10", 630 → "10,5", 605 → "10,08". Two decimals
// tell every whole second apart (a second is 0,0167 minutes).
func (*format) minutes(sec int) string {
	s := strconv.FormatFloat(float64(sec)/60, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return strings.Replace(s, ".", ",", 1)
}

func (f *format) minutesOrEmpty(sec *int) string {
	if sec == nil {
		return ""
	}
	return f.minutes(*sec)
}

// exercise is the Danish name of the exercise with the slug, "" when the
// content does not know it.
func (f *format) exercise(slug string) string {
	if f.o.Library == nil {
		return ""
	}
	if e := f.o.Library.Exercise(slug); e != nil {
		return e.Name
	}
	return ""
}

// programme is the Danish name of the programme with the slug, or "".
func (f *format) programme(slug string) string {
	if f.o.Library == nil {
		return ""
	}
	for _, p := range f.o.Library.Programmes {
		if p.Slug == slug {
			return p.Name
		}
	}
	return ""
}

// The words of coded values, in Danish.
var (
	roleNames   = map[store.Role]string{store.RolePatient: "patient", store.RoleClinician: "behandler", store.RoleAdmin: "administrator"}
	langNames   = map[string]string{"da": "dansk", "en": "engelsk", "": "ikke valgt (dansk)"}
	setByNames  = map[string]string{store.SetByRules: "programmets råd, som du tog imod", store.SetByPatient: "dig", store.SetByClinician: "din behandler"}
	adviceNames = map[string]string{string(rules.ProgressTargetUp): "et trin op", string(rules.TargetDown): "et trin ned"}
	// examinedByNames are who examined the patient (store.Examination.By).
	examinedByNames = map[string]string{store.ExaminedByOwnDoctor: "din egen læge", store.ExaminedByOutOfHours: "lægevagten eller akuttelefonen",
		store.ExaminedByEmergency: "en akutmodtagelse på et hospital", store.ExaminedByOther: "en anden læge"}
	symptomKind = map[string]string{"tingling": "prikken", "burning": "brænden", "weakness": "svaghed", "pain": "smerter"}
)

// named is m[k], else k itself (made safe for a spreadsheet).
func named[K ~string](f *format, m map[K]string, k K) string {
	if s, ok := m[k]; ok {
		return s
	}
	return f.text(string(k))
}

// kinds is a step's named symptoms, "prikken, smerter"; "" when none.
func (f *format) kinds(ks []string) string {
	out := make([]string, 0, len(ks))
	for _, k := range ks {
		out = append(out, named(f, symptomKind, k))
	}
	return strings.Join(out, ", ")
}

// flagText is the Danish text of a red-flag question's key (a question
// asked now or a retired one, rules.RetiredFlags), or "".
func flagText(key string) string {
	if fl, ok := rules.FlagByKey(key); ok {
		return fl.Name(i18n.Da)
	}
	return ""
}

// flagKeys are the keys of answers in the order of rules.Flags, then any
// other key (a retired question, rules.RetiredFlags, or one the rules do
// not know), sorted.
func flagKeys(answers map[string]bool) []string {
	var keys []string
	for _, fl := range rules.Flags {
		if _, ok := answers[fl.Key]; ok {
			keys = append(keys, fl.Key)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(answers)) {
		if !slices.ContainsFunc(rules.Flags, func(fl rules.Flag) bool { return fl.Key == k }) {
			keys = append(keys, k)
		}
	}
	return keys
}

// table is one CSV file: its name, what it holds (for README.txt, in
// Danish and English), its column names (in Danish, and their English for
// README.txt) and its rows.
type table struct {
	file             string
	da, en           string
	header, headerEn []string
	rows             func(store.Export, *format) [][]string
}

var tables = []table{
	{
		file:     "konto.csv",
		da:       "Din konto: brugernavn, navn, e-mail, rolle, det sprog, du har valgt, og hvornår kontoen blev oprettet. Adgangskoden er ikke med.",
		en:       "Your account: login, name, e-mail, role, the language you chose, and when the account was made. The password is not included.",
		header:   []string{"brugernavn", "navn", "e-mail", "rolle", "sprog", "oprettet"},
		headerEn: []string{"login", "name", "e-mail", "role", "language", "created"},
		rows: func(x store.Export, f *format) [][]string {
			u := x.User
			return [][]string{{f.text(u.ShownLogin()), f.text(u.Name), f.text(u.Email), named(f, roleNames, u.Role), named(f, langNames, u.Lang), f.time(u.CreatedAt)}}
		},
	},
	{
		file:     "roede_flag.csv",
		da:       "Dine svar på spørgsmålene om alvorlige tegn (røde flag): ét tjek pr. linje, om svarene betød, at du skulle til læge før træning, hvornår du bekræftede, at du er blevet undersøgt, og hvad du bekræftede: dagen for undersøgelsen og hvem der undersøgte dig.",
		en:       "Your answers to the questions about serious signs (red flags): one check per line, whether the answers meant seeing a doctor before training, when you confirmed that you had been examined, and what you confirmed: the day of the examination and who examined you.",
		header:   []string{"id", "tidspunkt", "læge før træning", "undersøgelse bekræftet", "undersøgt den", "undersøgt af", "undersøgt af (dine ord)", "gemt"},
		headerEn: []string{"id", "time", "doctor before training", "examination confirmed", "examined on", "examined by", "examined by (your words)", "saved"},
		rows: func(x store.Export, f *format) [][]string {
			var rows [][]string
			for _, c := range x.RedFlagCheckins {
				ex, by := c.Examination, ""
				if ex.By != "" {
					by = named(f, examinedByNames, ex.By)
				}
				rows = append(rows, []string{f.id(c.ID), f.time(c.At), f.yesNo(c.Urgent), f.time(c.ExaminedAt),
					f.text(ex.On), by, f.text(ex.ByOther), f.time(c.CreatedAt)})
			}
			return rows
		},
	},
	{
		file:     "roede_flag_svar.csv",
		da:       "Hvert svar i tjekkene i roede_flag.csv: spørgsmålets id og hvad det spurgte om, og dit svar.",
		en:       "Each answer of the checks in roede_flag.csv: the question's id and what it asked about, and your answer.",
		header:   []string{"tjek-id", "nr.", "spørgsmålets id", "spurgt om", "svar"},
		headerEn: []string{"check id", "no.", "question id", "asked about", "answer"},
		rows: func(x store.Export, f *format) [][]string {
			var rows [][]string
			for _, c := range x.RedFlagCheckins {
				for i, k := range flagKeys(c.Answers) {
					rows = append(rows, []string{f.id(c.ID), f.int(i + 1), f.text(k), flagText(k), f.yesNo(c.Answers[k])})
				}
			}
			return rows
		},
	},
	{
		file: "udgangspunkt.csv",
		da:   "Dine udgangspunkter: gangtesten (minutter til de første symptomer og til du stoppede) og smerter i ben og ryg på en skala fra 0 til 10.",
		en:   "Your starting points (baselines): the walking test (minutes to the first symptoms and until you stopped) and pain in legs and back on a scale from 0 to 10.",
		header: []string{"id", "tidspunkt", "gangtest: første symptomer efter (minutter)", "gangtest: stoppede efter (minutter)",
			"smerter i benene (0–10)", "smerter i ryggen (0–10)", "gemt"},
		headerEn: []string{"id", "time", "walking test: first symptoms after (minutes)", "walking test: stopped after (minutes)",
			"leg pain (0–10)", "back pain (0–10)", "saved"},
		rows: func(x store.Export, f *format) [][]string {
			var rows [][]string
			for _, b := range x.Baselines {
				rows = append(rows, []string{f.id(b.ID), f.time(b.At), f.minutesOrEmpty(b.SPWTFirstSymptomsSeconds), f.minutes(b.SPWTStopSeconds),
					f.int(b.NRSLeg), f.int(b.NRSBack), f.time(b.CreatedAt)})
			}
			return rows
		},
	},
	{
		file:     "dagbog.csv",
		da:       "Din dagbog: smerter i ben og ryg (0–10), prikken, brænden og svaghed, din note, og hvornår indlægget blev skrevet og sidst rettet.",
		en:       "Your diary: pain in legs and back (0–10), pins and needles, burning and weakness, your note, and when the entry was written and last changed.",
		header:   []string{"id", "tidspunkt", "smerter i benene (0–10)", "smerter i ryggen (0–10)", "prikken", "brænden", "svaghed", "note", "oprettet", "rettet"},
		headerEn: []string{"id", "time", "leg pain (0–10)", "back pain (0–10)", "pins and needles", "burning", "weakness", "note", "created", "changed"},
		rows: func(x store.Export, f *format) [][]string {
			var rows [][]string
			for _, e := range x.Diary {
				rows = append(rows, []string{f.id(e.ID), f.time(e.At), f.int(e.LegPain), f.int(e.BackPain),
					f.yesNo(e.Tingling), f.yesNo(e.Burning), f.yesNo(e.Weakness), f.text(e.Note), f.time(e.CreatedAt), f.time(e.UpdatedAt)})
			}
			return rows
		},
	},
	{
		file:     "traeninger.csv",
		da:       "Dine træninger: programmet, start og slut, hvor længe de varede, og hvor mange gange du meldte symptomer undervejs.",
		en:       "Your training sessions: the programme, start and end, how long they lasted, and how many times you reported symptoms on the way.",
		header:   []string{"id", "klient-id", "programmets id", "program", "start", "slut", "varighed (minutter)", "symptomer meldt (gange)", "gemt"},
		headerEn: []string{"id", "client id", "programme id", "programme", "start", "end", "duration (minutes)", "symptoms reported (times)", "saved"},
		rows: func(x store.Export, f *format) [][]string {
			var rows [][]string
			for _, t := range x.TrainingSessions {
				rows = append(rows, []string{f.id(t.ID), f.text(t.ClientID), f.text(t.Programme), f.programme(t.Programme),
					f.time(t.StartedAt), f.time(t.EndedAt), f.minutes(int(t.EndedAt.Sub(t.StartedAt) / time.Second)), f.int(t.Symptoms), f.time(t.CreatedAt)})
			}
			return rows
		},
	},
	{
		file:     "traeningsoevelser.csv",
		da:       "Øvelserne i hver træning i traeninger.csv, i rækkefølge: om du gennemførte dem, og om du fik symptomer (og hvilke).",
		en:       "The exercises of each session in traeninger.csv, in order: whether you completed them, and whether you had symptoms (and which).",
		header:   []string{"trænings-id", "nr.", "øvelsens id", "øvelse", "gennemført", "symptomer", "hvilke symptomer"},
		headerEn: []string{"session id", "no.", "exercise id", "exercise", "completed", "symptoms", "which symptoms"},
		rows: func(x store.Export, f *format) [][]string {
			var rows [][]string
			for _, t := range x.TrainingSessions {
				for i, s := range t.Steps {
					rows = append(rows, []string{f.id(t.ID), f.int(i + 1), f.text(s.Exercise), f.exercise(s.Exercise),
						f.yesNo(s.Done), f.yesNo(s.Symptoms), f.kinds(s.SymptomKinds)})
				}
			}
			return rows
		},
	},
	{
		file:     "gaature.csv",
		da:       "Dine gåture: start og slut, minutter gået og holdt pause i alt, og efter hvor mange minutters gang de første symptomer kom (i den første del af turen, der gav symptomer).",
		en:       "Your walks: start and end, minutes walked and paused in all, and after how many minutes of walking the first symptoms came (in the first part of the walk that gave symptoms).",
		header:   []string{"id", "klient-id", "start", "slut", "gået i alt (minutter)", "pauser i alt (minutter)", "første symptomer efter (minutter)", "gemt"},
		headerEn: []string{"id", "client id", "start", "end", "walked in all (minutes)", "paused in all (minutes)", "first symptoms after (minutes)", "saved"},
		rows: func(x store.Export, f *format) [][]string {
			var rows [][]string
			for _, w := range x.Walks {
				rows = append(rows, []string{f.id(w.ID), f.text(w.ClientID), f.time(w.StartedAt), f.time(w.EndedAt),
					f.minutes(w.WalkSeconds()), f.minutes(w.PauseSeconds()), f.minutesOrEmpty(w.FirstSymptomsSeconds()), f.time(w.CreatedAt)})
			}
			return rows
		},
	},
	{
		file:     "gaatursdele.csv",
		da:       "Delene af hver gåtur i gaature.csv, i rækkefølge: minutter gået, minutter pause bagefter, og efter hvor mange minutter de første symptomer kom.",
		en:       "The parts of each walk in gaature.csv, in order: minutes walked, minutes of pause after, and after how many minutes the first symptoms came.",
		header:   []string{"gåtur-id", "nr.", "gået (minutter)", "pause (minutter)", "første symptomer efter (minutter)"},
		headerEn: []string{"walk id", "no.", "walked (minutes)", "pause (minutes)", "first symptoms after (minutes)"},
		rows: func(x store.Export, f *format) [][]string {
			var rows [][]string
			for _, w := range x.Walks {
				for i, b := range w.Bouts {
					rows = append(rows, []string{f.id(w.ID), f.int(i + 1), f.minutes(b.WalkSeconds), f.minutes(b.PauseSeconds), f.minutesOrEmpty(b.FirstSymptomsSeconds)})
				}
			}
			return rows
		},
	},
	{
		file:     "maal.csv",
		da:       "Dine træningsmål, hver udgave, den ældste først (den sidste er den, der gælder): gåtid pr. tur, hvem der satte dem, og hvilken udgave de afløste.",
		en:       "Your training targets, every version, oldest first (the last is the current one): walking time per walk, who set them, and which version they replaced.",
		header:   []string{"id", "tidspunkt", "gåtid pr. tur (minutter)", "sat af", "rådets kode", "råd", "afløste id", "gemt"},
		headerEn: []string{"id", "time", "walking time per walk (minutes)", "set by", "advice code", "advice", "replaced id", "saved"},
		rows: func(x store.Export, f *format) [][]string {
			var rows [][]string
			for _, t := range x.Targets {
				advice := ""
				if t.Advice != "" {
					advice = named(f, adviceNames, t.Advice)
				}
				rows = append(rows, []string{f.id(t.ID), f.time(t.At), f.int(t.WalkMinutes), named(f, setByNames, t.SetBy),
					f.text(t.Advice), advice, f.id(t.PrevID), f.time(t.CreatedAt)})
			}
			return rows
		},
	},
	{
		file:     "maalgentagelser.csv",
		da:       "Gentagelser pr. sæt for hver øvelse i hver udgave af målene i maal.csv.",
		en:       "Repetitions per set for each exercise in each version of the targets in maal.csv.",
		header:   []string{"mål-id", "øvelsens id", "øvelse", "gentagelser pr. sæt"},
		headerEn: []string{"targets id", "exercise id", "exercise", "repetitions per set"},
		rows: func(x store.Export, f *format) [][]string {
			var rows [][]string
			for _, t := range x.Targets {
				for _, slug := range slices.Sorted(maps.Keys(t.Reps)) {
					rows = append(rows, []string{f.id(t.ID), f.text(slug), f.exercise(slug), f.int(t.Reps[slug])})
				}
			}
			return rows
		},
	},
	{
		file:     "psfs.csv",
		da:       "Dine egne aktiviteter (PSFS): hvor godt du kunne dem, fra 0 (slet ikke) til 10 (som før), én linje pr. aktivitet hver gang du gav dem point, den ældste først.",
		en:       "Your own activities (PSFS): how well you could do them, from 0 (not at all) to 10 (as before), one line per activity each time you scored them, oldest first.",
		header:   []string{"id", "tidspunkt", "nr.", "aktivitet", "point (0–10)", "gemt"},
		headerEn: []string{"id", "time", "no.", "activity", "score (0–10)", "saved"},
		rows: func(x store.Export, f *format) [][]string {
			var rows [][]string
			for _, p := range x.PSFS {
				for i, a := range p.Activities {
					rows = append(rows, []string{f.id(p.ID), f.time(p.At), f.int(i + 1), f.text(a.Name), f.int(a.Score), f.time(p.CreatedAt)})
				}
			}
			return rows
		},
	},
}

// readme is README.txt: what the ZIP holds, in Danish, then in English,
// with a byte-order mark and CRLF line ends for Windows' Notepad.
func readme() []byte {
	var b strings.Builder
	b.WriteString("\ufeff")
	line := func(s string) { b.WriteString(s + "\r\n") }
	line("stenose – dine data")
	line("====================")
	line("")
	line("Her er alt, hvad stenose har gemt om dig, som regneark (CSV-filer), én fil for hver slags data.")
	line("Filerne åbner i Excel, Numbers og LibreOffice. Kolonnerne er adskilt af semikolon, og tal med decimaler har komma.")
	line("Alle tidspunkter er dansk tid med forskellen til UTC bagefter: \"2026-03-04 10:15:00 +01:00\" er vintertid, \"+02:00\" sommertid.")
	line("Ja/nej-svar står som \"ja\" og \"nej\". En tekst, der begynder med = + - eller @, har en apostrof foran, så regnearket ikke tager den for en formel.")
	line("Det samme findes i én fil, med alle tal præcist som de er gemt, som JSON under Mine data.")
	line("")
	for _, t := range tables {
		line(t.file)
		line("  " + t.da)
		line("  Kolonner: " + strings.Join(t.header, "; "))
	}
	line("")
	line("")
	line("stenose – your data")
	line("===================")
	line("")
	line("This is everything stenose keeps about you, as spreadsheets (CSV files), one file for each kind of data.")
	line("The files open in Excel, Numbers and LibreOffice. Columns are separated by semicolons, and numbers with decimals have a decimal comma (Danish style).")
	line("All times are Danish local time followed by their offset from UTC: \"2026-03-04 10:15:00 +01:00\" is winter time, \"+02:00\" summer time.")
	line("Yes/no answers read \"ja\" (yes) and \"nej\" (no). A text that begins with = + - or @ has an apostrophe in front, so the spreadsheet does not take it for a formula.")
	line("The column names are Danish. The same data, with every number exactly as stored, is one JSON file under My data.")
	line("")
	for _, t := range tables {
		line(t.file)
		line("  " + t.en)
		line("  Columns: " + strings.Join(t.headerEn, "; "))
	}
	return []byte(b.String())
}
