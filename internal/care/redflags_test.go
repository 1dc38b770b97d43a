package care

import (
	"testing"
	"time"

	"github.com/stenose/stenose/internal/store"
)

// TestCheckinDue: the red-flag screen is due on the 7th calendar day (in
// Copenhagen) after the last check-in, across a change to summer time.
func TestCheckinDue(t *testing.T) {
	at := time.Date(2026, 3, 24, 22, 30, 0, 0, Zone) // DST starts 29 March
	cs := []store.RedFlagCheckin{{At: at.UTC()}}
	if !CheckinDue(nil, at) {
		t.Error("no check-in: not due")
	}
	if CheckinDue(cs, time.Date(2026, 3, 30, 23, 59, 0, 0, Zone)) {
		t.Error("due on day 6")
	}
	if !CheckinDue(cs, time.Date(2026, 3, 31, 0, 0, 0, 0, Zone)) {
		t.Error("not due on day 7")
	}
}

// TestRecordRedFlags: a check-in is stored with the rules' verdict; an
// examined flag answered yes again stays cleared (the examination is
// carried over), but not beside a new flag, and never for a cauda equina
// sign.
func TestRecordRedFlags(t *testing.T) {
	st := openSQLite(t)
	now := time.Date(2026, 3, 10, 11, 0, 0, 0, time.UTC)
	s := New(Config{Store: st, Now: func() time.Time { return now }})
	u := newPatient(t, st, "anna", now.AddDate(0, 0, -30))
	ctx := t.Context()
	record := func(name string, answers map[string]bool, wantUrgent, wantCarried bool) {
		t.Helper()
		urgent, err := s.RecordRedFlags(ctx, &u, answers)
		if err != nil {
			t.Fatal(err)
		}
		cs, err := st.ListRedFlagCheckins(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		c := cs[len(cs)-1]
		if urgent != wantUrgent || c.Urgent != wantUrgent || !c.At.Equal(now) || c.ExaminedAt.IsZero() == wantCarried {
			t.Errorf("%s: urgent %v, stored %+v; want urgent %v, examination carried %v", name, urgent, c, wantUrgent, wantCarried)
		}
	}
	record("all no", map[string]bool{"fever": false, "cancer_history": false}, false, false)
	record("a history of cancer", map[string]bool{"cancer_history": true}, true, false)

	open, err := s.Unexamined(ctx, &u)
	if err != nil || len(open) != 1 || !open[0].Answers["cancer_history"] {
		t.Fatalf("unexamined %+v, %v", open, err)
	}
	now = now.Add(time.Hour)
	if err := s.ConfirmExamined(ctx, &u, open, store.Examination{On: "2026-03-10", By: store.ExaminedByOwnDoctor}); err != nil {
		t.Fatal(err)
	}
	if open, err := s.Unexamined(ctx, &u); err != nil || len(open) != 0 {
		t.Fatalf("after the examination: unexamined %+v, %v", open, err)
	}

	now = now.AddDate(0, 0, 7)
	record("cancer again", map[string]bool{"cancer_history": true, "fever": false}, false, true)
	record("cancer and a fever", map[string]bool{"cancer_history": true, "fever": true}, true, false)
	if err := s.ConfirmExamined(ctx, &u, mustUnexamined(t, s, &u), store.Examination{On: "2026-03-17", By: store.ExaminedByOwnDoctor}); err != nil {
		t.Fatal(err)
	}
	now = now.AddDate(0, 0, 7)
	record("bladder", map[string]bool{"bladder": true}, true, false)
	if err := s.ConfirmExamined(ctx, &u, mustUnexamined(t, s, &u), store.Examination{On: "2026-03-24", By: store.ExaminedByOwnDoctor}); err != nil {
		t.Fatal(err)
	}
	now = now.AddDate(0, 0, 7)
	record("bladder again", map[string]bool{"bladder": true}, true, false)
}

func mustUnexamined(t *testing.T, s *Service, u *store.User) []store.RedFlagCheckin {
	t.Helper()
	open, err := s.Unexamined(t.Context(), u)
	if err != nil {
		t.Fatal(err)
	}
	return open
}
