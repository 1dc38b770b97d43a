package store

import (
	"crypto/sha256"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestCalendarFeeds: a patient's calendar is made, changed, given a new
// link (the old one stops at once) and turned off; a link finds only its
// own patient's calendar; a disabled account's or a non-patient's link
// finds nothing; the source holds what the feed is made from.
func TestCalendarFeeds(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		ann, bo := mkUser(t, s, "ann"), mkUser(t, s, "bo")
		h1, h2, h3 := sha256.Sum256([]byte("1")), sha256.Sum256([]byte("2")), sha256.Sum256([]byte("3"))
		series := "0123456789abcdef0123456789abcdef"
		t1, t2, t3 := t0.Add(time.Hour), t0.Add(2*time.Hour), t0.Add(3*time.Hour)

		_, err := s.CalendarFeed(ctx, ann.ID)
		wantCode(t, err, ENOTFOUND, "")
		src, err := s.CalendarOf(ctx, ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(CalendarSource{UserID: ann.ID, AccountCreated: ann.CreatedAt}, src); diff != "" {
			t.Errorf("a patient without a calendar (-want +got):\n%s", diff)
		}
		_, err = s.CalendarOf(ctx, 999999)
		wantCode(t, err, ENOTFOUND, "")

		// What the columns cannot hold, and no such user.
		for _, tt := range []struct {
			f     CalendarFeed
			field string
		}{
			{CalendarFeed{UserID: ann.ID, Weekdays: nil, Minute: 600, Series: series}, "weekdays"},
			{CalendarFeed{UserID: ann.ID, Weekdays: []int{0}, Minute: 600, Series: series}, "weekdays"},
			{CalendarFeed{UserID: ann.ID, Weekdays: []int{1, 8}, Minute: 600, Series: series}, "weekdays"},
			{CalendarFeed{UserID: ann.ID, Weekdays: []int{1}, Minute: -1, Series: series}, "minute"},
			{CalendarFeed{UserID: ann.ID, Weekdays: []int{1}, Minute: 1440, Series: series}, "minute"},
			{CalendarFeed{UserID: ann.ID, Weekdays: []int{1}, Minute: 600, Series: "kort"}, "series"},
		} {
			_, err := s.SaveCalendarFeed(ctx, tt.f, &h1, t1)
			wantCode(t, err, EINVALID, tt.field)
		}
		_, err = s.SaveCalendarFeed(ctx, CalendarFeed{UserID: 999999, Weekdays: []int{1}, Minute: 600, Series: series}, &h1, t1)
		wantCode(t, err, ENOTFOUND, "")
		wantCode(t, s.SetCalendarToken(ctx, ann.ID, &h1, t1), ENOTFOUND, "") // no calendar yet

		// Saved without a link: off.
		f, err := s.SaveCalendarFeed(ctx, CalendarFeed{UserID: ann.ID, Weekdays: []int{5, 1, 3}, Minute: 600, Series: series}, nil, t1)
		if err != nil {
			t.Fatal(err)
		}
		want := CalendarFeed{UserID: ann.ID, Weekdays: []int{1, 3, 5}, Minute: 600, Series: series, CreatedAt: t1, UpdatedAt: t1}
		if diff := cmp.Diff(want, f); diff != "" || f.On() {
			t.Errorf("saved without a link (-want +got):\n%s", diff)
		}
		// A link.
		wantCode(t, s.SetCalendarToken(ctx, ann.ID, &h1, t2), "", "")
		got, err := s.CalendarByToken(ctx, h1)
		if err != nil {
			t.Fatal(err)
		}
		want.TokenHash, want.LinkAt, want.UpdatedAt = h1[:], t2, t2
		if diff := cmp.Diff(want, got.Feed); diff != "" || !got.Feed.On() || got.UserID != ann.ID {
			t.Errorf("by the link (-want +got):\n%s", diff)
		}
		// New days and time keep the link and the series.
		f, err = s.SaveCalendarFeed(ctx, CalendarFeed{UserID: ann.ID, Weekdays: []int{2, 4}, Minute: 17 * 60, Series: "ffffffffffffffffffffffffffffffff"}, nil, t3)
		if err != nil {
			t.Fatal(err)
		}
		want.Weekdays, want.Minute, want.UpdatedAt = []int{2, 4}, 17*60, t3
		if diff := cmp.Diff(want, f); diff != "" {
			t.Errorf("new days (-want +got):\n%s", diff)
		}
		if _, err := s.CalendarByToken(ctx, h1); err != nil {
			t.Errorf("the link after new days: %v", err)
		}
		// A new link: the old one stops at once.
		if err := s.SetCalendarToken(ctx, ann.ID, &h2, t3); err != nil {
			t.Fatal(err)
		}
		_, err = s.CalendarByToken(ctx, h1)
		wantCode(t, err, ENOTFOUND, "")
		if got, err := s.CalendarByToken(ctx, h2); err != nil || got.UserID != ann.ID {
			t.Errorf("the new link: %+v, %v", got, err)
		}
		// Another patient's calendar made with its link in one save; a
		// hash in use is a conflict, and changes nothing.
		if _, err := s.SaveCalendarFeed(ctx, CalendarFeed{UserID: bo.ID, Weekdays: []int{7}, Minute: 480, Series: "abcdefabcdefabcdefabcdefabcdefab"}, &h3, t1); err != nil {
			t.Fatal(err)
		}
		if got, err := s.CalendarByToken(ctx, h3); err != nil || got.UserID != bo.ID || !got.Feed.LinkAt.Equal(t1) {
			t.Errorf("bo's link: %+v, %v", got, err)
		}
		wantCode(t, s.SetCalendarToken(ctx, bo.ID, &h2, t2), ECONFLICT, "")
		if got, err := s.CalendarByToken(ctx, h2); err != nil || got.UserID != ann.ID {
			t.Errorf("ann's link after bo's try: %+v, %v", got, err)
		}
		_, err = s.SaveCalendarFeed(ctx, CalendarFeed{UserID: bo.ID, Weekdays: []int{7}, Minute: 480, Series: series}, &h2, t2)
		wantCode(t, err, ECONFLICT, "")

		// What the feed is made from: the language, the first baseline,
		// the clinician's latest sessions a week.
		if err := s.SetUserLang(ctx, ann.ID, "en"); err != nil {
			t.Fatal(err)
		}
		for _, at := range []time.Time{t0.Add(-24 * time.Hour), t0.Add(-48 * time.Hour), t0} {
			if _, err := s.AddBaseline(ctx, Baseline{UserID: ann.ID, At: at, SPWTFirstSymptomsSeconds: ip(100), SPWTStopSeconds: 300, NRSLeg: 5, NRSBack: 3}); err != nil {
				t.Fatal(err)
			}
		}
		cl, err := s.CreateClinic(ctx, Clinic{Slug: "een", Name: "Klinik Et"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetUserClinic(ctx, ann.ID, cl.ID); err != nil {
			t.Fatal(err)
		}
		var prev int64
		for i, perWeek := range []int{2, 4} {
			v, err := s.SetProgramme(ctx, cl.ID, ProgrammeVersion{PatientID: ann.ID, At: t0.Add(time.Duration(i) * time.Hour), ByID: 9, ByName: "Dorte",
				Reason: "Færre øvelser.", Base: "5-bedste-oevelser", PerWeek: perWeek, WalkMinutes: 8,
				Items: []ProgrammeItem{{Exercise: "kattestraek", Kind: "reps", Reps: 8, SecondsPerRep: 6, Sides: 1, Sets: 2, Rest: 30}}}, prev)
			if err != nil {
				t.Fatal(err)
			}
			prev = v.ID
		}
		for _, read := range []func() (CalendarSource, error){
			func() (CalendarSource, error) { return s.CalendarByToken(ctx, h2) },
			func() (CalendarSource, error) { return s.CalendarOf(ctx, ann.ID) },
		} {
			src, err := read()
			if err != nil {
				t.Fatal(err)
			}
			if src.Lang != "en" || !src.FirstBaseline.Equal(t0.Add(-48*time.Hour)) || src.PerWeek != 4 || !src.AccountCreated.Equal(ann.CreatedAt) || src.Feed.Series != series {
				t.Errorf("source: %+v", src)
			}
		}
		if src, _ := s.CalendarOf(ctx, bo.ID); src.PerWeek != 0 || !src.FirstBaseline.IsZero() || src.Lang != "" {
			t.Errorf("bo's source: %+v", src)
		}

		// A disabled account's link finds nothing until it is enabled; so
		// does the link of an account that is no longer a patient's.
		if err := s.SetUserDisabled(ctx, ann.ID, t3); err != nil {
			t.Fatal(err)
		}
		_, err = s.CalendarByToken(ctx, h2)
		wantCode(t, err, ENOTFOUND, "")
		if err := s.SetUserDisabled(ctx, ann.ID, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CalendarByToken(ctx, h2); err != nil {
			t.Errorf("enabled again: %v", err)
		}
		if err := s.SetRole(ctx, bo.ID, RoleClinician); err != nil {
			t.Fatal(err)
		}
		_, err = s.CalendarByToken(ctx, h3)
		wantCode(t, err, ENOTFOUND, "")

		// Turned off: the link stops; the days and time stay.
		if err := s.SetCalendarToken(ctx, ann.ID, nil, t3); err != nil {
			t.Fatal(err)
		}
		_, err = s.CalendarByToken(ctx, h2)
		wantCode(t, err, ENOTFOUND, "")
		f, err = s.CalendarFeed(ctx, ann.ID)
		if err != nil || f.On() || f.TokenHash != nil || !f.LinkAt.IsZero() || f.Minute != 17*60 {
			t.Errorf("turned off: %+v, %v", f, err)
		}
		// Deleting the account deletes its calendar.
		if err := s.DeleteUser(ctx, ann.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CalendarFeed(ctx, ann.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("after deleting the account: %v", err)
		}
	})
}
