package store

// Importing a patient's records in bulk: many records of one patient in
// one transaction, a few multi-row INSERTs a table instead of a statement
// and a commit a record, and what is derived from the record (derive.go)
// brought up to date once, at the end. A year of a patient's diary,
// sessions and walks is about 500 records; written one by one, a clinic's
// worth takes the better part of an hour (bench/workspace seeds 5,000
// patients with it).

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// ImportRecord writes rec's red-flag check-ins, baselines, PSFS scorings,
// diary entries, training sessions (with their steps) and walks (with
// their bouts) for userID in one transaction, checked as the Add
// functions check them, and derives the patient's alerts and summary once.
// The records' own ids, user ids and save stamps are ignored (the store's
// are used); a session, walk or diary entry whose ClientID the patient
// has already (or that comes earlier in rec) is skipped, as
// AddTrainingSession and AddWalk skip a repeat. rec.Targets
// must be nil (SetTargets keeps their versions). One record that fails its
// check fails the import and nothing is written. An unknown user is
// ErrNotFound.
func (s *Store) ImportRecord(ctx context.Context, userID int64, rec CareRecord) error {
	if rec.Targets != nil {
		return invalid("targets", "targets are not imported: use SetTargets")
	}
	now := s.stamp()
	answers := make([]string, len(rec.RedFlagCheckins))
	for i := range rec.RedFlagCheckins {
		var err error
		if answers[i], err = s.prepareCheckin(&rec.RedFlagCheckins[i]); err != nil {
			return err
		}
	}
	for i := range rec.Baselines {
		if err := rec.Baselines[i].check(); err != nil {
			return err
		}
	}
	psfs := make([]string, len(rec.PSFS))
	for i, p := range rec.PSFS {
		if err := checkPSFSActivities(p.Activities); err != nil {
			return err
		}
		b, err := json.Marshal(p.Activities)
		if err != nil {
			return err
		}
		psfs[i] = string(b)
	}
	for i := range rec.Diary {
		if err := rec.Diary[i].check(); err != nil {
			return err
		}
	}
	for i := range rec.TrainingSessions {
		if err := rec.TrainingSessions[i].check(); err != nil {
			return err
		}
	}
	for i := range rec.Walks {
		if err := rec.Walks[i].check(); err != nil {
			return err
		}
	}
	return s.writePatient(ctx, "import record", userID, func(tx *sql.Tx) error {
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM users WHERE id = $1`, userID).Scan(&one); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return notFound("user", userID)
			}
			return err
		}
		cs := rec.RedFlagCheckins
		err := insertRows(ctx, tx, `red_flag_checkins (user_id, at, answers, urgent, examined_at, examined_on, examined_by, examined_by_other, created_at)`,
			9, len(cs), func(i int) []any {
				c := cs[i]
				return []any{userID, c.At.Unix(), answers[i], c.Urgent, nullUnix(c.ExaminedAt),
					nullText(c.Examination.On), nullText(c.Examination.By), nullText(c.Examination.ByOther), c.CreatedAt.Unix()}
			}, "", nil)
		if err != nil {
			return err
		}
		bs := rec.Baselines
		err = insertRows(ctx, tx, `baselines (user_id, at, spwt_first_symptoms_seconds, spwt_stop_seconds, nrs_leg, nrs_back, created_at)`,
			7, len(bs), func(i int) []any {
				b := bs[i]
				return []any{userID, s.orNow(b.At).Unix(), nullInt(b.SPWTFirstSymptomsSeconds), b.SPWTStopSeconds, b.NRSLeg, b.NRSBack, now.Unix()}
			}, "", nil)
		if err != nil {
			return err
		}
		err = insertRows(ctx, tx, `psfs_scores (user_id, at, activities, created_at)`, 4, len(rec.PSFS), func(i int) []any {
			return []any{userID, s.orNow(rec.PSFS[i].At).Unix(), psfs[i], now.Unix()}
		}, "", nil)
		if err != nil {
			return err
		}
		es := dedupe(rec.Diary, func(e DiaryEntry) string { return e.ClientID })
		err = insertRows(ctx, tx, `diary_entries (user_id, client_id, at, leg_pain, back_pain, tingling, burning, weakness, note, created_at, updated_at)`,
			11, len(es), func(i int) []any {
				e := es[i]
				return []any{userID, nullText(e.ClientID), s.orNow(e.At).Unix(), e.LegPain, e.BackPain, e.Tingling, e.Burning, e.Weakness, e.Note, now.Unix(), now.Unix()}
			}, ` ON CONFLICT (user_id, client_id) WHERE client_id IS NOT NULL DO NOTHING`, nil)
		if err != nil {
			return err
		}

		// Sessions and walks: the rows made (a repeat makes none) come back
		// with their ClientID, which names the steps' and bouts' parent.
		made := map[string]int64{}
		got := func(rows *sql.Rows) error {
			var id int64
			var cid string
			if err := rows.Scan(&id, &cid); err != nil {
				return err
			}
			made[cid] = id
			return nil
		}
		ts := dedupe(rec.TrainingSessions, func(t TrainingSession) string { return t.ClientID })
		err = insertRows(ctx, tx, `training_sessions (user_id, client_id, programme, started_at, ended_at, symptoms, created_at)`,
			7, len(ts), func(i int) []any {
				t := ts[i]
				return []any{userID, t.ClientID, t.Programme, t.StartedAt.Unix(), t.EndedAt.Unix(), t.Symptoms, now.Unix()}
			}, ` ON CONFLICT (user_id, client_id) DO NOTHING RETURNING id, client_id`, got)
		if err != nil {
			return err
		}
		var steps [][]any
		for _, t := range ts {
			if id, ok := made[t.ClientID]; ok {
				for i, st := range t.Steps {
					steps = append(steps, []any{id, i, st.Exercise, st.Done, st.Symptoms, joinKinds(st.SymptomKinds)})
				}
			}
		}
		err = insertRows(ctx, tx, `training_session_steps (session_id, seq, exercise, done, symptoms, symptom_kinds)`,
			6, len(steps), func(i int) []any { return steps[i] }, "", nil)
		if err != nil {
			return err
		}
		clear(made)
		ws := dedupe(rec.Walks, func(w Walk) string { return w.ClientID })
		err = insertRows(ctx, tx, `walks (user_id, client_id, started_at, ended_at, created_at)`,
			5, len(ws), func(i int) []any {
				w := ws[i]
				return []any{userID, w.ClientID, w.StartedAt.Unix(), w.EndedAt.Unix(), now.Unix()}
			}, ` ON CONFLICT (user_id, client_id) DO NOTHING RETURNING id, client_id`, got)
		if err != nil {
			return err
		}
		var bouts [][]any
		for _, w := range ws {
			if id, ok := made[w.ClientID]; ok {
				for i, b := range w.Bouts {
					bouts = append(bouts, []any{id, i, b.WalkSeconds, b.PauseSeconds, nullInt(b.FirstSymptomsSeconds)})
				}
			}
		}
		return insertRows(ctx, tx, `walk_bouts (walk_id, seq, walk_seconds, pause_seconds, first_symptoms_seconds)`,
			5, len(bouts), func(i int) []any { return bouts[i] }, "", nil)
	})
}

// dedupe is xs without the later ones of a repeated key: the first copy
// wins, as in AddTrainingSession. A record without a key ("": a diary
// entry without a client id) is kept.
func dedupe[T any](xs []T, key func(T) string) []T {
	seen := make(map[string]bool, len(xs))
	out := make([]T, 0, len(xs))
	for _, x := range xs {
		if k := key(x); k == "" || !seen[k] {
			seen[k] = true
			out = append(out, x)
		}
	}
	return out
}

// importRows is the most rows one INSERT takes. More would save little:
// SQLite looks a parameter ($n) up by name, in a list, so a statement's
// cost grows with the square of its parameters.
const importRows = 50

// insertRows inserts n rows of cols columns (row(i) gives row i's values)
// into table, importRows rows a statement; suffix follows the VALUES,
// and when it returns rows each is passed to got.
func insertRows(ctx context.Context, tx *sql.Tx, table string, cols, n int, row func(i int) []any, suffix string, got func(*sql.Rows) error) error {
	per := importRows
	for lo := 0; lo < n; lo += per {
		hi := min(n, lo+per)
		var q strings.Builder
		q.WriteString("INSERT INTO " + table + " VALUES ")
		args := make([]any, 0, (hi-lo)*cols)
		for i := lo; i < hi; i++ {
			if i > lo {
				q.WriteString(", ")
			}
			q.WriteByte('(')
			for c := range cols {
				if c > 0 {
					q.WriteString(", ")
				}
				q.WriteString("$" + strconv.Itoa(len(args)+c+1))
			}
			q.WriteByte(')')
			args = append(args, row(i)...)
		}
		q.WriteString(suffix)
		if got == nil {
			if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
				return err
			}
			continue
		}
		rows, err := tx.QueryContext(ctx, q.String(), args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := got(rows); err != nil {
				rows.Close()
				return err
			}
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}
