package web

import (
	"errors"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/care"
)

// diaryTimeNow is "now" for the parser's tests: 5 March 2026 at 10:05,
// Danish time.
var diaryTimeNow = time.Date(2026, 3, 5, 10, 5, 0, 0, care.Zone)

func TestParseDiaryTime(t *testing.T) {
	at := func(y int, mo time.Month, d, hh, mm int) time.Time {
		return time.Date(y, mo, d, hh, mm, 0, 0, care.Zone)
	}
	accepted := []struct {
		in   string
		want time.Time
	}{
		// What <input type="datetime-local"> sends.
		{"2026-03-14T09:30", at(2026, 3, 14, 9, 30)},
		{"2026-03-14T09:30:00", at(2026, 3, 14, 9, 30)},
		// The form's own example, and ISO with a space.
		{"2026-03-14 kl. 09:30", at(2026, 3, 14, 9, 30)},
		{"2026-03-14 09:30", at(2026, 3, 14, 9, 30)},
		{"2026-3-14 9.30", at(2026, 3, 14, 9, 30)},
		// Danish day-first forms, with or without "kl.".
		{"14.3.2026 kl. 9.30", at(2026, 3, 14, 9, 30)},
		{"5.12.2025 kl. 10.00", at(2025, 12, 5, 10, 0)},
		{"5.12.2025 10.00", at(2025, 12, 5, 10, 0)},
		{"05-12-2025 10:00", at(2025, 12, 5, 10, 0)},
		{"05-12-2025 kl 10:00", at(2025, 12, 5, 10, 0)},
		{"05\u201112\u20112025 10.00", at(2025, 12, 5, 10, 0)}, // as errDiaryAt writes it
		{"5–12–2025 10.00", at(2025, 12, 5, 10, 0)},
		{"5/12-2025 10.00", at(2025, 12, 5, 10, 0)},
		{"5/12/2025 10:00", at(2025, 12, 5, 10, 0)},
		{"14.03.26 09.30", at(2026, 3, 14, 9, 30)},
		{"14.3.2026, kl. 9.30", at(2026, 3, 14, 9, 30)},
		{"14.3.2026 klokken 9.30", at(2026, 3, 14, 9, 30)},
		{"14.3.2026 kl.9.30", at(2026, 3, 14, 9, 30)},
		{"14.3.2026 kl. 9", at(2026, 3, 14, 9, 0)},
		{"14.3.2026 kl. 9.30.", at(2026, 3, 14, 9, 30)},
		{"  14.3.2026\u00a0kl.\u00a09.30  ", at(2026, 3, 14, 9, 30)},
		{"29.2.2024 12:00", at(2024, 2, 29, 12, 0)},
		{"31.12.2025 23.59", at(2025, 12, 31, 23, 59)},
		{"1.1.2026 0.00", at(2026, 1, 1, 0, 0)},
		// As the diary's list shows a time, Danish and English.
		{"2. marts 2026 kl. 18.05", at(2026, 3, 2, 18, 5)},
		{"2 Marts 2026 18.05", at(2026, 3, 2, 18, 5)},
		{"2. mar. 2026 kl. 18.05", at(2026, 3, 2, 18, 5)},
		{"5. dec. 2025 kl. 10.00", at(2025, 12, 5, 10, 0)},
		{"3 March 2026 at 14:05", at(2026, 3, 3, 14, 5)},
		{"3 May 2025 14:05", at(2025, 5, 3, 14, 5)},
		{"3. maj 2025 14:05", at(2025, 5, 3, 14, 5)},
		// Today and yesterday.
		{"i dag 10:00", at(2026, 3, 5, 10, 0)},
		{"I dag kl. 9.30", at(2026, 3, 5, 9, 30)},
		{"idag kl. 7", at(2026, 3, 5, 7, 0)},
		{"i går kl. 21.15", at(2026, 3, 4, 21, 15)},
		{"today 10:00", at(2026, 3, 5, 10, 0)},
		{"yesterday at 9:30", at(2026, 3, 4, 9, 30)},
		// The English hints' examples.
		{"14 March 2025 at 9:30", at(2025, 3, 14, 9, 30)},
		{"14/3/2025 9:30", at(2025, 3, 14, 9, 30)},
		{"today at 9:30", at(2026, 3, 5, 9, 30)},
	}
	for _, tt := range accepted {
		got, err := parseDiaryTime(tt.in, diaryTimeNow, care.Zone)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("parseDiaryTime(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}

	refused := []struct {
		in   string
		want error
	}{
		{"", errDiaryTimeEmpty},
		{"   ", errDiaryTimeEmpty},
		{"i går", errDiaryTimeUnread},            // no time
		{"14.3.2026", errDiaryTimeUnread},        // no time
		{"2026-03-14", errDiaryTimeUnread},       // no time
		{"14.3.2026 9", errDiaryTimeUnread},      // an hour alone needs "kl."
		{"31.2.2026 10.00", errDiaryTimeUnread},  // no such day
		{"29.2.2026 10.00", errDiaryTimeUnread},  // not a leap year
		{"0.3.2026 10.00", errDiaryTimeUnread},   // no day 0
		{"14.13.2026 10.00", errDiaryTimeUnread}, // no month 13
		{"14.3.2026 24.00", errDiaryTimeUnread},
		{"14.3.2026 9.60", errDiaryTimeUnread},
		{"14.3.2026 9.30.61", errDiaryTimeUnread},
		{"14.3.2026 9.5", errDiaryTimeUnread},
		{"3/14/2026 9:30", errDiaryTimeUnread}, // month first: no month 14
		{"14.3.226 9.30", errDiaryTimeUnread},
		{"14 smarts 2026 9.30", errDiaryTimeUnread},
		{"i morgen 10.00", errDiaryTimeUnread},
		{"kl. 10.00", errDiaryTimeUnread},
		{"x", errDiaryTimeUnread},
		{"2026-03-14T09:30Z", errDiaryTimeUnread},
		{"14.3.2026 9.30 pm", errDiaryTimeUnread},
		{"1.1.2026 10.00 1.1.2026 10.00 1.1.2026 10.00 1.1.2026 10.00 1.1.2026 10.00", errDiaryTimeUnread},
	}
	for _, tt := range refused {
		got, err := parseDiaryTime(tt.in, diaryTimeNow, care.Zone)
		if !errors.Is(err, tt.want) {
			t.Errorf("parseDiaryTime(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

// FuzzParseDiaryTime: any text either is refused or reads as a time in
// whole minutes in the diary's zone, which the form's own value format
// reads back to the same instant.
func FuzzParseDiaryTime(f *testing.F) {
	for _, s := range []string{"2026-03-14T09:30", "2026-03-14 kl. 09:30", "14.3.2026 kl. 9.30", "5.12.2026 kl. 10.00",
		"05-12-2026 10:00", "5/12-2026 10.00", "i dag 10:00", "i går kl. 9", "2. marts 2026 kl. 18.05", "3 March 2026 at 14:05",
		"29.3.2026 02.30", "25.10.2026 02.30", "14\u201103\u20112026 9.30", "", "kl.", "31.2.2026 10.00", "\u00a0", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseDiaryTime(s, diaryTimeNow, care.Zone)
		if err != nil {
			if !errors.Is(err, errDiaryTimeEmpty) && !errors.Is(err, errDiaryTimeUnread) {
				t.Fatalf("%q: unexpected error %v", s, err)
			}
			return
		}
		if got.Location() != care.Zone || got.Second() != 0 || got.Nanosecond() != 0 {
			t.Fatalf("%q: %v is not whole minutes in the diary's zone", s, got)
		}
		form := got.Format(diaryDTLayout)
		back, err := parseDiaryTime(form, diaryTimeNow, care.Zone)
		if err != nil || !back.Equal(got) {
			t.Fatalf("%q → %v → %q → %v, %v", s, got, form, back, err)
		}
	})
}
