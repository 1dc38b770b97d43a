package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"
)

// DiaryEntry is one symptom log entry: pain on the 0–10 numeric rating
// scale (NRS) and the neurological warning signs of the seed's rule A3.
type DiaryEntry struct {
	ID     int64 `json:"id"`
	UserID int64 `json:"-"`
	// ClientID is the id the diary form was given when it was shown: the
	// entry is stored once per (UserID, ClientID), however often the form
	// is sent (AddDiaryEntry). "" for none: an entry from before client
	// ids, or from a form shown before them.
	ClientID  string    `json:"clientId,omitempty"`
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
	if e.ClientID != "" {
		if err := checkClientID(e.ClientID); err != nil {
			return err
		}
	}
	return checkText("note", e.Note, 0, maxText)
}

const diaryColumns = `id, user_id, client_id, at, leg_pain, back_pain, tingling, burning, weakness, note, created_at, updated_at`

func scanDiary(row scanner) (DiaryEntry, error) {
	var e DiaryEntry
	var client sql.NullString
	var at, created, updated int64
	err := row.Scan(&e.ID, &e.UserID, &client, &at, &e.LegPain, &e.BackPain,
		&e.Tingling, &e.Burning, &e.Weakness, &e.Note, &created, &updated)
	if err != nil {
		return DiaryEntry{}, err
	}
	e.ClientID = client.String
	e.At, e.CreatedAt, e.UpdatedAt = fromUnix(at), fromUnix(created), fromUnix(updated)
	return e, nil
}

// AddDiaryEntry adds e for e.UserID and returns it as stored, with its ID
// and stamps. With a ClientID it is stored once per (UserID, ClientID):
// sent again, it returns the entry stored the first time
// (AddDiaryEntryOnce). An unknown user is ErrNotFound.
func (s *Store) AddDiaryEntry(ctx context.Context, e DiaryEntry) (DiaryEntry, error) {
	got, _, err := s.AddDiaryEntryOnce(ctx, e)
	return got, err
}

// AddDiaryEntryOnce is AddDiaryEntry, saying whether this call stored the
// entry (created) or found it stored by an earlier one.
//
// A ClientID already stored for the user is a repeat when the entry
// stored under it says the same (time, pain, symptoms, note; the time only
// when e gives one): the same form sent again — the browser resending it,
// a retry after an instance was lost, a double tap. The stored entry is
// returned and nothing is written. Under the same ClientID with something
// else written in it, it is a new entry written on a form the browser
// showed again (the back button restores a page with its fields): it is
// stored, under the ClientID and a digest of what it says
// (diaryVariantID), so that it too is stored once however often it is
// sent, and nothing the patient wrote is dropped.
func (s *Store) AddDiaryEntryOnce(ctx context.Context, e DiaryEntry) (DiaryEntry, bool, error) {
	if err := e.check(); err != nil {
		return DiaryEntry{}, false, err
	}
	anyAt := e.At.IsZero()
	e.At = s.orNow(e.At)
	e.CreatedAt = s.stamp()
	e.UpdatedAt = e.CreatedAt
	if s.diaries != nil { // PostgreSQL: waiting entries share one INSERT, and one transaction with their derivation (diary_batch.go)
		added, created, err := s.diaries.add(ctx, e, anyAt)
		if err != nil {
			return DiaryEntry{}, false, s.fail("add diary entry", err)
		}
		return added, created, nil
	}
	var got DiaryEntry
	var created bool
	if s.deriver.Load() != nil { // the workspace's figures change in the same transaction
		err := s.writePatient(ctx, "add diary entry", e.UserID, func(tx *sql.Tx) (err error) {
			got, created, err = s.insertDiaryOnce(ctx, tx, e, anyAt)
			return err
		})
		if err != nil {
			return DiaryEntry{}, false, err
		}
		return got, created, nil
	}
	err := s.writeOne(ctx, "add diary entry", func(q querier) (err error) {
		got, created, err = s.insertDiaryOnce(ctx, q, e, anyAt)
		return err
	})
	if err != nil {
		return DiaryEntry{}, false, err
	}
	return got, created, nil
}

// diaryInsert inserts one entry and returns its id; an entry whose
// (user_id, client_id) is stored already returns no row.
const diaryInsert = `
	INSERT INTO diary_entries (user_id, client_id, at, leg_pain, back_pain, tingling, burning, weakness, note, created_at, updated_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
	ON CONFLICT (user_id, client_id) WHERE client_id IS NOT NULL DO NOTHING
	RETURNING id`

// insertDiary inserts e and returns its id; sql.ErrNoRows when e's
// (UserID, ClientID) is stored already.
func (s *Store) insertDiary(ctx context.Context, q querier, e DiaryEntry) (id int64, err error) {
	err = q.QueryRowContext(ctx, diaryInsert,
		e.UserID, nullText(e.ClientID), e.At.Unix(), e.LegPain, e.BackPain, e.Tingling, e.Burning, e.Weakness, e.Note,
		e.CreatedAt.Unix(), e.UpdatedAt.Unix(),
	).Scan(&id)
	return id, err
}

// diaryByClientID is userID's entry stored under clientID.
func diaryByClientID(ctx context.Context, q querier, userID int64, clientID string) (DiaryEntry, error) {
	return scanDiary(q.QueryRowContext(ctx,
		`SELECT `+diaryColumns+` FROM diary_entries WHERE user_id = $1 AND client_id = $2`, userID, clientID))
}

// insertDiaryOnce inserts e (checked and stamped) unless it is a repeat
// of an entry stored under its ClientID (AddDiaryEntryOnce), and returns
// the entry as stored and whether this call stored it. anyAt says e.At was
// not given (the store's clock), so a repeat may have another. The insert
// and the look-up run in q: in a transaction, a copy being saved
// concurrently is waited for by the insert and then found.
func (s *Store) insertDiaryOnce(ctx context.Context, q querier, e DiaryEntry, anyAt bool) (DiaryEntry, bool, error) {
	if e.ClientID == "" {
		id, err := s.insertDiary(ctx, q, e)
		if err != nil {
			return DiaryEntry{}, false, err
		}
		e.ID = id
		return e, true, nil
	}
	key, variant := e.ClientID, false
	for range 4 { // bounded: an entry deleted between the insert and the look-up is inserted again
		in := e
		in.ClientID = key
		id, err := s.insertDiary(ctx, q, in)
		if err == nil {
			in.ID = id
			return in, true, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return DiaryEntry{}, false, err
		}
		stored, err := diaryByClientID(ctx, q, in.UserID, in.ClientID)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			continue
		case err != nil:
			return DiaryEntry{}, false, err
		case sameDiary(stored, in, anyAt):
			return stored, false, nil
		case variant:
			return DiaryEntry{}, false, errorf(EINTERNAL, "client_id", "diary entry %q: its client id and its variant hold other entries", e.ClientID)
		}
		key, variant = diaryVariantID(e), true
	}
	return DiaryEntry{}, false, errorf(EINTERNAL, "client_id", "diary entry %q: found stored, then gone, again and again", e.ClientID)
}

// sameDiary reports whether the stored entry says what e says: the same
// time (unless e gave none), pain, symptoms and note.
func sameDiary(stored, e DiaryEntry, anyAt bool) bool {
	return (anyAt || stored.At.Equal(e.At)) && stored.LegPain == e.LegPain && stored.BackPain == e.BackPain &&
		stored.Tingling == e.Tingling && stored.Burning == e.Burning && stored.Weakness == e.Weakness && stored.Note == e.Note
}

// diaryVariantID is the client id of an entry sent under e.ClientID that
// says something else than the entry stored under it: e.ClientID, cut to
// leave room, then "." and 16 hexadecimal digits of a digest of what e
// says. A form's own ids have no ".", so no form's id is ever a variant.
func diaryVariantID(e DiaryEntry) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%d\x00%d\x00%d\x00%t\x00%t\x00%t\x00%s",
		e.At.Unix(), e.LegPain, e.BackPain, e.Tingling, e.Burning, e.Weakness, e.Note))
	suffix := "." + hex.EncodeToString(sum[:8])
	id := e.ClientID
	for len(id) > maxClientID-len(suffix) {
		_, n := utf8.DecodeLastRuneInString(id)
		id = id[:len(id)-n]
	}
	return id + suffix
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
