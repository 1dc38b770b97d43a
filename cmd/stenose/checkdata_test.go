package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/store"
)

// TestCheckData: check-data lists every stored record the rules refuse,
// one line per problem (login: path: message), and exits 1; a database
// with good records only exits 0.
func TestCheckData(t *testing.T) {
	now := time.Date(2026, 6, 10, 12, 0, 0, 0, time.UTC)
	old := checkDataClock
	checkDataClock = func() time.Time { return now }
	t.Cleanup(func() { checkDataClock = old })

	dir := filepath.Join(t.TempDir(), "data")
	st := openData(t, dir)
	ctx := context.Background()
	add := func(login string) int64 {
		u, err := st.CreateUser(ctx, store.User{Login: login, Role: store.RolePatient, CreatedAt: now.AddDate(0, 0, -20)})
		if err != nil {
			t.Fatal(err)
		}
		return u.ID
	}
	anna, bent := add("anna"), add("bent")
	if _, err := st.CreateUser(ctx, store.User{Login: "klinik", Role: store.RoleClinician, CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	first := 120
	at := now.Add(-48 * time.Hour)
	for _, id := range []int64{anna, bent} {
		if _, err := st.AddDiaryEntry(ctx, store.DiaryEntry{UserID: id, At: at, LegPain: 4, BackPain: 2, Note: "fint"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.AddWalk(ctx, store.Walk{UserID: id, ClientID: "w", StartedAt: at, EndedAt: at.Add(15 * time.Minute),
			Bouts: []store.Bout{{WalkSeconds: 600, PauseSeconds: 60, FirstSymptomsSeconds: &first}}}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.AddTrainingSession(ctx, store.TrainingSession{UserID: id, ClientID: "s", Programme: "5-bedste-oevelser",
			StartedAt: at, EndedAt: at.Add(20 * time.Minute), Steps: []store.SessionStep{{Exercise: "kattestraek", Done: true}}}); err != nil {
			t.Fatal(err)
		}
	}

	code, out, errs := runCmd(t, "check-data", "--data", dir)
	if code != 0 || out != "" || !strings.Contains(errs, "2 patients checked: 0 problems refuse a record, 0 warnings") {
		t.Fatalf("good records: exit %d\n%s%s", code, out, errs)
	}

	// One bad record, inserted through the store (which does not check
	// days or sizes the way the rules do): a diary entry dated 9999.
	if _, err := st.AddDiaryEntry(ctx, store.DiaryEntry{UserID: bent, At: time.Date(9999, 12, 31, 10, 0, 0, 0, time.UTC), LegPain: 3}); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runCmd(t, "check-data", "--data", dir)
	if code != 1 {
		t.Errorf("exit %d, want 1\n%s%s", code, out, errs)
	}
	if want := "bent: entries[1].at: 9999-12-31 is after now (2026-06-10)\n"; out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
	if !strings.Contains(errs, "2 patients checked: 1 problems refuse a record, 0 warnings") {
		t.Errorf("stderr: %s", errs)
	}

	// A walk with a bout of 2^40 seconds and an entry dated tomorrow (only
	// left out of the advice: a warning, which alone would exit 0).
	if _, _, err := st.AddWalk(ctx, store.Walk{UserID: anna, ClientID: "huge", StartedAt: at.Add(time.Hour), EndedAt: at.Add(time.Hour + 15*time.Minute),
		Bouts: []store.Bout{{WalkSeconds: 1 << 40}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddDiaryEntry(ctx, store.DiaryEntry{UserID: anna, At: now.Add(24 * time.Hour), LegPain: 3}); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCmd(t, "check-data", "--data", dir)
	for _, line := range []string{
		"anna: entries[1].at: warning: 2026-06-11 is tomorrow (today is 2026-06-10): left out of the advice",
		"anna: walks[1].bouts[0].walkSeconds: 1099511627776 is out of range 1–14400",
		"bent: entries[1].at: 9999-12-31 is after now (2026-06-10)",
	} {
		if !strings.Contains(out, line+"\n") {
			t.Errorf("stdout lacks %q:\n%s", line, out)
		}
	}
	if code != 1 || strings.Contains(out, "klinik") {
		t.Errorf("exit %d\n%s", code, out)
	}

	if code, _, _ := runCmd(t, "check-data", "--data", dir, "extra"); code != 2 {
		t.Errorf("an argument: exit %d, want 2", code)
	}
}
