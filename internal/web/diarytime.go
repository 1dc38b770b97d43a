package web

// The diary's date and time as a person types them. The form's field is an
// <input type="datetime-local">, which sends "2026-03-14T09:30"; a browser
// without it (or a patient who types into the text box the form falls
// back to after an error) sends what was typed. parseDiaryTime reads the
// usual Danish ways of writing a date and a time, and the English ones the
// app itself shows:
//
//	2026-03-14T09:30   2026-03-14 09:30   2026-03-14 kl. 09:30
//	14.3.2026 kl. 9.30   5.12.2026 kl. 10.00   05-12-2026 10:00
//	5/12-2026 10.00   5/12/2026 10:00   14.3.26 9.30
//	14. marts 2026 kl. 9.30   3 March 2026 at 14:05
//	i dag kl. 10   i går 21.15   today 10:00   yesterday at 9:30
//
// with or without "kl." (or "klokken", "at") and a comma, in any case. An
// hour alone ("kl. 10") needs the "kl.". The day always comes before the
// month, except in the year-first ISO form.

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var (
	// errDiaryTimeEmpty: nothing was typed.
	errDiaryTimeEmpty = errors.New("no date and time")
	// errDiaryTimeUnread: what was typed is no date and time read here.
	errDiaryTimeUnread = errors.New("not a date and time")
)

// diaryTimeMaxLen is the longest text read as a date and time; anything
// longer is no date.
const diaryTimeMaxLen = 64

var (
	reDiaryISO    = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})$`)
	reDiaryDMY    = regexp.MustCompile(`^(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})$`)
	reDiaryDMonY  = regexp.MustCompile(`^(\d{1,2})\.? (\pL+)\.? (\d{4})$`)
	reDiaryClock  = regexp.MustCompile(`^(\d{1,2})(?:[:.](\d{2})(?:[:.](\d{2}))?)?$`)
	reDiaryISOT   = regexp.MustCompile(`^(\d{4}-\d{1,2}-\d{1,2})t(\S+)$`)
	diaryTimeWord = map[string]bool{"kl.": true, "kl": true, "klokken": true, "at": true}
)

// diaryMonthNames are the months by the names and short forms a Danish or
// an English patient writes.
var diaryMonthNames = func() map[string]time.Month {
	m := map[string]time.Month{"sept": time.September}
	en := []string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}
	for i := range 12 {
		mo := time.Month(i + 1)
		m[diaryMonths[i]] = mo
		m[diaryMonths[i][:3]] = mo
		m[en[i]] = mo
		m[en[i][:3]] = mo
	}
	return m
}()

// parseDiaryTime reads s as a wall-clock time in loc; now gives "i dag"
// (today) and "i går" (yesterday). The result is whole minutes.
func parseDiaryTime(s string, now time.Time, loc *time.Location) (time.Time, error) {
	s = strings.ToLower(strings.Join(strings.FieldsFunc(s, diaryTimeSpace), " "))
	s = diaryDashes.Replace(s)
	s = strings.TrimSuffix(s, ".") // the end of a sentence: "kl. 10."
	if s == "" {
		return time.Time{}, errDiaryTimeEmpty
	}
	if len(s) > diaryTimeMaxLen {
		return time.Time{}, errDiaryTimeUnread
	}
	if m := reDiaryISOT.FindStringSubmatch(s); m != nil { // 2026-03-14T09:30
		s = m[1] + " " + m[2]
	}
	words := strings.Fields(strings.NewReplacer(",", " ", "kl.", " kl. ").Replace(s))
	// The time is the last word; before it, perhaps "kl.".
	if len(words) < 2 {
		return time.Time{}, errDiaryTimeUnread
	}
	clock := words[len(words)-1]
	words = words[:len(words)-1]
	kl := false
	for len(words) > 0 && diaryTimeWord[words[len(words)-1]] {
		kl = true
		words = words[:len(words)-1]
	}
	hh, mm, ok := diaryClock(clock, kl)
	if !ok {
		return time.Time{}, errDiaryTimeUnread
	}
	y, mo, d, ok := diaryDate(strings.Join(words, " "), now.In(loc))
	if !ok {
		return time.Time{}, errDiaryTimeUnread
	}
	t := time.Date(y, mo, d, hh, mm, 0, 0, loc)
	if t.Year() != y || t.Month() != mo || t.Day() != d { // 31.2.2026
		return time.Time{}, errDiaryTimeUnread
	}
	return t, nil
}

// diaryDashes reads the other dashes as a hyphen: the non-breaking one of
// the form's own examples (errDiaryAt), and what a phone's keyboard or a
// copy from a document may give.
var diaryDashes = strings.NewReplacer("\u2010", "-", "\u2011", "-", "\u2012", "-", "\u2013", "-", "\u2212", "-")

// diaryTimeSpace is a space of any kind, the non-breaking ones included.
func diaryTimeSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u2007', '\u202f':
		return true
	}
	return false
}

// diaryClock reads "9.30", "09:30", "09:30:00" or, after "kl.", "10".
func diaryClock(s string, kl bool) (hh, mm int, ok bool) {
	m := reDiaryClock.FindStringSubmatch(s)
	if m == nil || m[2] == "" && !kl {
		return 0, 0, false
	}
	hh, _ = strconv.Atoi(m[1])
	if m[2] != "" {
		mm, _ = strconv.Atoi(m[2])
	}
	if m[3] != "" {
		if sec, _ := strconv.Atoi(m[3]); sec > 59 {
			return 0, 0, false
		}
	}
	return hh, mm, hh <= 23 && mm <= 59
}

// diaryDate reads the date part: a relative day, ISO, day.month.year or
// day month-name year. The day and month are checked by the caller.
func diaryDate(s string, now time.Time) (y int, mo time.Month, d int, ok bool) {
	switch s {
	case "i dag", "idag", "today":
		return now.Year(), now.Month(), now.Day(), true
	case "i går", "igår", "i gaar", "igaar", "yesterday":
		t := now.AddDate(0, 0, -1)
		return t.Year(), t.Month(), t.Day(), true
	}
	num := func(s string) int { n, _ := strconv.Atoi(s); return n }
	if m := reDiaryISO.FindStringSubmatch(s); m != nil {
		return num(m[1]), time.Month(num(m[2])), num(m[3]), diaryMonthOK(num(m[2]))
	}
	if m := reDiaryDMY.FindStringSubmatch(s); m != nil {
		y = num(m[3])
		if len(m[3]) == 2 {
			y += 2000
		}
		return y, time.Month(num(m[2])), num(m[1]), diaryMonthOK(num(m[2]))
	}
	if m := reDiaryDMonY.FindStringSubmatch(s); m != nil {
		mo, ok := diaryMonthNames[m[2]]
		return num(m[3]), mo, num(m[1]), ok
	}
	return 0, 0, 0, false
}

func diaryMonthOK(n int) bool { return n >= 1 && n <= 12 }
