package export

import (
	"bytes"
	"encoding/csv"
	"strings"
	"time"

	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/store"
)

// AccessLogCSV is a clinic's access log (an admin's export, issue 13) as
// one CSV file made like the patient's files: UTF-8 with a byte-order
// mark, semicolons, CRLF, times in zone with their offset, a header row
// and the coded values in l's words (a "what" the catalogue has no word
// for is written as it is stored).
func AccessLogCSV(rows []store.Access, l i18n.Lang, zone *time.Location) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	c := csv.NewWriter(&buf)
	c.Comma = ';'
	c.UseCRLF = true
	f := &format{o: Options{Zone: zone}}
	word := func(key, k string) string {
		if i18n.Has(l, key) {
			return l.T(key)
		}
		return k
	}
	if err := c.Write(strings.Split(l.T("adminLogColumns"), "; ")); err != nil {
		return nil, err
	}
	for _, a := range rows {
		rec := []string{f.time(a.At), f.text(a.Actor), f.id(a.ActorID), word("export_role_"+string(a.ActorRole), string(a.ActorRole)),
			word("export_action_"+a.Action, a.Action), f.text(word("adminLogWhat_"+a.What, a.What)), f.id(a.PatientID)}
		if err := c.Write(rec); err != nil {
			return nil, err
		}
	}
	c.Flush()
	return buf.Bytes(), c.Error()
}

// AccessLogDisposition is the Content-Disposition of a clinic's access
// log for the days from to to: stenose-opslag-SLUG-FROM-TO.csv (a slug is
// a–z, 0–9 and "-": nothing to escape).
func AccessLogDisposition(slug string, from, to time.Time) string {
	return `attachment; filename="stenose-opslag-` + slug + "-" + from.Format("2006-01-02") + "-" + to.Format("2006-01-02") + `.csv"`
}
