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
	"unicode"
	"unicode/utf8"

	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/programme"
	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

// TimeLayout is how a time is written: local time with its UTC offset.
const TimeLayout = "2006-01-02 15:04:05 -07:00"

// Options are what the files need besides the data.
type Options struct {
	// Library gives the Danish names of exercises and programmes; nil
	// leaves the names empty (the ids are still there).
	Library *programme.Library
	// Now is the files' modification time in the ZIP; zero is time.Now.
	Now time.Time
	// Zone is the zone times are written in; nil is the patients' zone
	// (care.Zone).
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
		return "stenose-" + login + "-" + now.In(care.Zone).Format("2006-01-02") + "." + ext
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
		header := t.header(lang)
		if err := c.Write(header); err != nil {
			return nil, err
		}
		for _, row := range t.rows(x, f) {
			if len(row) != len(header) {
				return nil, fmt.Errorf("export: %s: a row of %d cells under %d columns", t.file, len(row), len(header))
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
	return care.Zone
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
		return lang.T("export_yes")
	}
	return lang.T("export_no")
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

// The spreadsheets' words are Danish, from the catalogue
// (internal/i18n/locales/*/export.yaml).
const lang = i18n.Da

// named is the catalogue's word for the coded value k of a kind ("role",
// "setBy", …: the text "export_"+kind+"_"+k), else k itself (made safe for
// a spreadsheet).
func named[K ~string](f *format, kind string, k K) string {
	key := "export_" + kind + "_" + string(k)
	if k == "" {
		key = "export_" + kind + "_none"
	}
	if i18n.Has(lang, key) {
		return lang.T(key)
	}
	return f.text(string(k))
}

// kinds is a step's named symptoms, "prikken, smerter"; "" when none.
func (f *format) kinds(ks []string) string {
	out := make([]string, 0, len(ks))
	for _, k := range ks {
		out = append(out, named(f, "symptom", k))
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

// table is one CSV file: its name and its rows. What it holds (for
// README.txt) and its column names are the catalogue's
// "export_{name}_about" and "export_{name}_columns", {name} the file's
// name without ".csv" and with "_" for other signs.
type table struct {
	file string
	rows func(store.Export, *format) [][]string
}

func (t table) key() string {
	return "export_" + strings.Map(func(r rune) rune {
		if r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return '_'
	}, strings.TrimSuffix(t.file, ".csv"))
}

// about is what the file holds, in l.
func (t table) about(l i18n.Lang) string { return l.T(t.key() + "_about") }

// header is the file's column names in l.
func (t table) header(l i18n.Lang) []string { return strings.Split(l.T(t.key()+"_columns"), "; ") }

var tables = []table{
	{
		file: "konto.csv",
		rows: func(x store.Export, f *format) [][]string {
			u := x.User
			return [][]string{{f.text(u.ShownLogin()), f.text(u.Name), f.text(u.Email), named(f, "role", u.Role), named(f, "lang", u.Lang), f.time(u.CreatedAt)}}
		},
	},
	{
		file: "roede_flag.csv",
		rows: func(x store.Export, f *format) [][]string {
			var rows [][]string
			for _, c := range x.RedFlagCheckins {
				ex, by := c.Examination, ""
				if ex.By != "" {
					by = named(f, "examinedBy", ex.By)
				}
				rows = append(rows, []string{f.id(c.ID), f.time(c.At), f.yesNo(c.Urgent), f.time(c.ExaminedAt),
					f.text(ex.On), by, f.text(ex.ByOther), f.time(c.CreatedAt)})
			}
			return rows
		},
	},
	{
		file: "roede_flag_svar.csv",
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
		file: "dagbog.csv",
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
		file: "traeninger.csv",
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
		file: "traeningsoevelser.csv",
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
		file: "gaature.csv",
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
		file: "gaatursdele.csv",
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
		file: "maal.csv",
		rows: func(x store.Export, f *format) [][]string {
			var rows [][]string
			for _, t := range x.Targets {
				advice := ""
				if t.Advice != "" {
					advice = named(f, "advice", t.Advice)
				}
				rows = append(rows, []string{f.id(t.ID), f.time(t.At), f.int(t.WalkMinutes), named(f, "setBy", t.SetBy),
					f.text(t.Advice), advice, f.id(t.PrevID), f.time(t.CreatedAt)})
			}
			return rows
		},
	},
	{
		file: "maalgentagelser.csv",
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
		file: "psfs.csv",
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
	{
		file: "programmer.csv",
		rows: func(x store.Export, f *format) [][]string {
			var rows [][]string
			for _, v := range x.Programmes {
				for i, it := range v.Items {
					rows = append(rows, []string{f.int(v.Version), f.time(v.At), f.text(v.ByName), f.text(v.Reason), f.int(v.PerWeek),
						f.int(v.WalkMinutes), f.int(i + 1), f.text(it.Exercise), f.exercise(it.Exercise), f.int(it.Seconds), f.int(it.Reps), f.int(it.Sides),
						f.int(it.Sets), f.int(it.Rest)})
				}
			}
			return rows
		},
	},
	{
		file: "klinik.csv",
		rows: func(x store.Export, f *format) [][]string {
			if x.Clinic == nil {
				return nil
			}
			c := x.Clinic
			return [][]string{{f.text(c.Name), f.text(strings.ReplaceAll(c.Address, "\n", ", ")), f.text(c.Phone), f.text(c.Email),
				f.text(strings.ReplaceAll(c.Hours, "\n", ", "))}}
		},
	},
	{
		file: "invitationer.csv",
		rows: func(x store.Export, f *format) [][]string {
			var rows [][]string
			for _, inv := range x.Invitations {
				rows = append(rows, []string{f.id(inv.ID), f.time(inv.CreatedAt), f.time(inv.ExpiresAt), f.time(inv.UsedAt), f.text(inv.Name)})
			}
			return rows
		},
	},
	{
		file: "kalender.csv",
		rows: func(x store.Export, f *format) [][]string {
			c := x.Calendar
			if c == nil {
				return nil
			}
			days := make([]string, 0, len(c.Weekdays))
			for _, d := range c.Weekdays {
				days = append(days, strings.ToLower(lang.T("calDay"+strconv.Itoa(d))))
			}
			clock := fmt.Sprintf("%02d:%02d", c.Minute/60, c.Minute%60)
			return [][]string{{strings.Join(days, ", "), clock, f.yesNo(c.On()), f.time(c.LinkAt), f.time(c.CreatedAt), f.time(c.UpdatedAt)}}
		},
	},
	{
		file: "opslag.csv",
		rows: func(x store.Export, f *format) [][]string {
			var rows [][]string
			for _, a := range x.AccessLog {
				rows = append(rows, []string{f.time(a.At), f.text(a.Actor), named(f, "role", a.ActorRole), named(f, "action", a.Action), named(f, "what", a.What)})
			}
			return rows
		},
	},
	{
		file: "advarsler.csv",
		rows: func(x store.Export, f *format) [][]string {
			var rows [][]string
			for _, a := range x.Alerts {
				rows = append(rows, []string{f.id(a.ID), f.time(a.RaisedAt), named(f, "alert", a.Code), f.time(a.AckAt), f.text(a.AckByName), f.text(a.AckNote)})
			}
			return rows
		},
	},
	{
		file: "klinik_noter.csv",
		rows: func(x store.Export, f *format) [][]string {
			var rows [][]string
			for _, n := range x.ClinicNotes {
				rows = append(rows, []string{f.id(n.ID), f.time(n.At), f.text(n.AuthorName), f.text(n.Body)})
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
	for i, l := range []i18n.Lang{i18n.Da, i18n.En} {
		if i > 0 {
			line("")
			line("")
		}
		title := l.T("export_readme_title")
		line(title)
		line(strings.Repeat("=", utf8.RuneCountInString(title)))
		line("")
		for _, k := range []string{"1", "2", "3", "4", "5"} {
			line(l.T("export_readme_" + k))
		}
		line("")
		for _, t := range tables {
			line(t.file)
			line("  " + t.about(l))
			line("  " + l.Tf("export_readme_columns", strings.Join(t.header(l), "; ")))
		}
	}
	return []byte(b.String())
}
