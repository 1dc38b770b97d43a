package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// DiaryEntry is one symptom log entry: pain on the 0–10 numeric rating
// scale (NRS) and the neurological warning signs of the seed's rule A3.
type DiaryEntry struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"-"`
	At        time.Time `json:"at"` // when the symptoms were felt; the store's clock when zero
	LegPain   int       `json:"legPain"`
	BackPain  int       `json:"backPain"`
	Tingling  bool      `json:"tingling"`
	Burning   bool      `json:"burning"`
	Weakness  bool      `json:"weakness"`
	Note      string    `json:"note,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

func checkNRS(field string, v int) error {
	if v < 0 || v > 10 {
		return invalid(field, "%s must be 0–10, not %d", field, v)
	}
	return nil
}

func (e *DiaryEntry) check() error {
	if err := checkNRS("leg_pain", e.LegPain); err != nil {
		return err
	}
	if err := checkNRS("back_pain", e.BackPain); err != nil {
		return err
	}
	return checkText("note", e.Note, 0, maxText)
}

const diaryColumns = `id, user_id, at, leg_pain, back_pain, tingling, burning, weakness, note, created_at, updated_at`

func scanDiary(row scanner) (DiaryEntry, error) {
	var e DiaryEntry
	var at, created, updated int64
	err := row.Scan(&e.ID, &e.UserID, &at, &e.LegPain, &e.BackPain,
		&e.Tingling, &e.Burning, &e.Weakness, &e.Note, &created, &updated)
	if err != nil {
		return DiaryEntry{}, err
	}
	e.At, e.CreatedAt, e.UpdatedAt = fromUnix(at), fromUnix(created), fromUnix(updated)
	return e, nil
}

// AddDiaryEntry adds e for e.UserID and returns it with its ID and stamps.
// An unknown user is ErrNotFound.
func (s *Store) AddDiaryEntry(ctx context.Context, e DiaryEntry) (DiaryEntry, error) {
	if err := e.check(); err != nil {
		return DiaryEntry{}, err
	}
	e.At = s.orNow(e.At)
	e.CreatedAt = s.stamp()
	e.UpdatedAt = e.CreatedAt
	if s.diaries != nil { // PostgreSQL: waiting entries share one INSERT, and one transaction with their derivation (diary_batch.go)
		added, err := s.diaries.add(ctx, e)
		if err != nil {
			return DiaryEntry{}, s.fail("add diary entry", err)
		}
		return added, nil
	}
	if s.deriver.Load() != nil { // the workspace's figures change in the same transaction
		err := s.writePatient(ctx, "add diary entry", e.UserID, func(tx *sql.Tx) (err error) {
			e.ID, err = s.insertDiary(ctx, tx, e)
			return err
		})
		if err != nil {
			return DiaryEntry{}, err
		}
		return e, nil
	}
	err := s.writeOne(ctx, "add diary entry", func(q querier) (err error) {
		e.ID, err = s.insertDiary(ctx, q, e)
		return err
	})
	if err != nil {
		return DiaryEntry{}, err
	}
	return e, nil
}

// insertDiary inserts e and returns its id.
func (s *Store) insertDiary(ctx context.Context, q querier, e DiaryEntry) (id int64, err error) {
	err = q.QueryRowContext(ctx, `
		INSERT INTO diary_entries (user_id, at, leg_pain, back_pain, tingling, burning, weakness, note, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		RETURNING id`,
		e.UserID, e.At.Unix(), e.LegPain, e.BackPain, e.Tingling, e.Burning, e.Weakness, e.Note,
		e.CreatedAt.Unix(), e.UpdatedAt.Unix(),
	).Scan(&id)
	return id, err
}

// UpdateDiaryEntry replaces entry e.ID, which must belong to e.UserID:
// someone else's entry is ErrNotFound, exactly like a missing one, so its
// existence is not given away.
func (s *Store) UpdateDiaryEntry(ctx context.Context, e DiaryEntry) (DiaryEntry, error) {
	if err := e.check(); err != nil {
		return DiaryEntry{}, err
	}
	e.At = s.orNow(e.At)
	e.UpdatedAt = s.stamp()
	var created int64
	err := s.writePatient(ctx, "update diary entry", e.UserID, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `
			UPDATE diary_entries
			SET at = $3, leg_pain = $4, back_pain = $5, tingling = $6, burning = $7, weakness = $8, note = $9, updated_at = $10
			WHERE id = $1 AND user_id = $2
			RETURNING created_at`,
			e.ID, e.UserID, e.At.Unix(), e.LegPain, e.BackPain, e.Tingling, e.Burning, e.Weakness, e.Note,
			e.UpdatedAt.Unix(),
		).Scan(&created)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("diary entry", e.ID)
		}
		return err
	})
	if err != nil {
		return DiaryEntry{}, err
	}
	e.CreatedAt = fromUnix(created)
	return e, nil
}

// DeleteDiaryEntry deletes entry id if it belongs to userID, else it is
// ErrNotFound.
func (s *Store) DeleteDiaryEntry(ctx context.Context, id, userID int64) error {
	return s.execPatient(ctx, "delete diary entry", "diary entry", id, userID,
		`DELETE FROM diary_entries WHERE id = $1 AND user_id = $2`, id, userID)
}

// DiaryEntry returns entry id if it belongs to userID, else ErrNotFound.
func (s *Store) DiaryEntry(ctx context.Context, id, userID int64) (DiaryEntry, error) {
	e, err := scanDiary(s.r.QueryRowContext(ctx,
		`SELECT `+diaryColumns+` FROM diary_entries WHERE id = $1 AND user_id = $2`, id, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return DiaryEntry{}, notFound("diary entry", id)
	}
	if err != nil {
		return DiaryEntry{}, s.fail("diary entry", err)
	}
	return e, nil
}

// ListDiaryEntries returns userID's entries with from <= At < to, oldest
// first; a zero from or to leaves that end open.
func (s *Store) ListDiaryEntries(ctx context.Context, userID int64, from, to time.Time) ([]DiaryEntry, error) {
	es, err := listDiary(ctx, s.r, userID, from, to)
	if err != nil {
		return nil, s.fail("list diary entries", err)
	}
	return es, nil
}

// DiaryPage returns page n (from 1) of userID's entries, perPage to a
// page, newest first (by At, and of two at the same time the one added
// last), and how many entries there are in all, read in one snapshot. A
// page past the last is empty.
func (s *Store) DiaryPage(ctx context.Context, userID int64, n, perPage int) ([]DiaryEntry, int, error) {
	if n < 1 || perPage < 1 {
		return nil, 0, invalid("page", "page %d of %d a page: both must be 1 or more", n, perPage)
	}
	var es []DiaryEntry
	var total int
	err := s.read(ctx, "diary page", func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM diary_entries WHERE user_id = $1`, userID).Scan(&total); err != nil {
			return err
		}
		if (n-1)*perPage >= total {
			return nil
		}
		rows, err := tx.QueryContext(ctx, `
			SELECT `+diaryColumns+` FROM diary_entries
			WHERE user_id = $1
			ORDER BY at DESC, id DESC
			LIMIT $2 OFFSET $3`, userID, perPage, (n-1)*perPage)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanDiary(rows)
			if err != nil {
				return err
			}
			es = append(es, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, err
	}
	return es, total, nil
}

func listDiary(ctx context.Context, q querier, userID int64, from, to time.Time) ([]DiaryEntry, error) {
	lo, hi := span(from, to)
	rows, err := q.QueryContext(ctx, `
		SELECT `+diaryColumns+` FROM diary_entries
		WHERE user_id = $1 AND at >= $2 AND at < $3
		ORDER BY at, id`, userID, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var es []DiaryEntry
	for rows.Next() {
		e, err := scanDiary(rows)
		if err != nil {
			return nil, err
		}
		es = append(es, e)
	}
	return es, rows.Err()
}
