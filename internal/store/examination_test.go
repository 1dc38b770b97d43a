package store

import (
	"testing"
	"time"
)

// TestExaminationMigration: a check-in confirmed before step 7 (examined_at
// set, no day, no by whom) keeps its confirmation through the migration,
// with an empty Examination (its day is examined_at's); the columns refuse
// what the store refuses; step 7 goes down and up again.
func TestExaminationMigration(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		u := mkUser(t, s, "ann") // made with today's schema, before going down
		p, err := s.provider(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.DownTo(ctx, 6); err != nil {
			t.Fatal(err)
		}
		if _, err := s.w.ExecContext(ctx, `INSERT INTO red_flag_checkins (user_id, at, answers, urgent, examined_at, created_at)
			VALUES ($1, $2, '{"fever":true}', $3, $4, $2)`, u.ID, t0.Unix(), true, t0.Add(time.Hour).Unix()); err != nil {
			t.Fatal(err)
		}
		if n, err := s.Migrate(ctx); err != nil || n < 1 {
			t.Fatalf("Migrate = %d, %v", n, err)
		}
		cs, err := s.ListRedFlagCheckins(ctx, u.ID)
		if err != nil || len(cs) != 1 || !cs[0].ExaminedAt.Equal(t0.Add(time.Hour)) || cs[0].Examination != (Examination{}) {
			t.Fatalf("after the migration: %+v, %v", cs, err)
		}
		for _, bad := range []struct{ col, val string }{
			{"examined_on", "2.3.2026"}, {"examined_by", "nurse"}, {"examined_by_other", ""},
		} {
			if _, err := s.w.ExecContext(ctx, `UPDATE red_flag_checkins SET `+bad.col+` = $1 WHERE id = $2`, bad.val, cs[0].ID); err == nil {
				t.Errorf("%s = %q was stored", bad.col, bad.val)
			}
		}
		if _, err := p.DownTo(ctx, 6); err != nil {
			t.Fatalf("down from step 7: %v", err)
		}
		if n, err := s.Migrate(ctx); err != nil || n < 1 {
			t.Fatalf("up again = %d, %v", n, err)
		}
	})
}
