package store

// The patient's training calendar (issue 14, migration 14): the days and
// time they chose and the hash of their secret calendar link. The secret
// itself is never stored (internal/calendar makes it; the page shows it
// once); a link is looked up by its SHA-256, through the unique index on
// token_hash.

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"
)

// CalendarFeed is a patient's calendar: what they chose, and whether their
// link is on.
type CalendarFeed struct {
	UserID int64 `json:"-"`
	// Weekdays are the days the patient trains, as ISO 8601 numbers
	// (1 Monday … 7 Sunday), Monday first.
	Weekdays []int `json:"weekdays"`
	// Minute is the time of day, in Europe/Copenhagen, in minutes after
	// midnight (600 is 10.00).
	Minute int `json:"minuteOfDay"`
	// Series is the random id the calendar's events are named by (their
	// UIDs), kept for the calendar's life.
	Series string `json:"series"`
	// LinkAt is when the current link was made; zero while the calendar
	// is turned off.
	LinkAt    time.Time `json:"linkMadeAt,omitzero"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
	// TokenHash is the SHA-256 of the link's secret, nil while the
	// calendar is off: a secret, in no export.
	TokenHash []byte `json:"-"`
}

// On reports whether the calendar's link works (the database keeps
// token_at and token_hash set together).
func (f CalendarFeed) On() bool { return !f.LinkAt.IsZero() }

// CalendarSource is what a patient's calendar is made from, read in one
// query: the calendar (its zero value when the patient has none), their
// language, when their account was made, their first baseline's time
// (the programme's first day) and the sessions a week of the programme
// version their clinician set (0 when none).
type CalendarSource struct {
	UserID         int64
	Feed           CalendarFeed
	Lang           string
	AccountCreated time.Time
	FirstBaseline  time.Time // zero: no baseline yet
	PerWeek        int
}

// weekdayBits turns ISO day numbers into the column's bits (bit 0
// Monday), or false when a number is outside 1–7 or there is none.
func weekdayBits(days []int) (int, bool) {
	bits := 0
	for _, d := range days {
		if d < 1 || d > 7 {
			return 0, false
		}
		bits |= 1 << (d - 1)
	}
	return bits, bits != 0
}

// weekdaysOf is the ISO day numbers of the column's bits, Monday first.
func weekdaysOf(bits int) []int {
	out := []int{}
	for d := 1; d <= 7; d++ {
		if bits&(1<<(d-1)) != 0 {
			out = append(out, d)
		}
	}
	return out
}

const calendarColumns = `f.user_id, f.series, f.weekdays, f.minute, f.token_hash, f.token_at, f.created_at, f.updated_at`

// scanCalendar reads calendarColumns (all NULL from a LEFT JOIN without a
// calendar: the zero CalendarFeed) followed by dest.
func scanCalendar(row scanner, f *CalendarFeed, dest ...any) error {
	var (
		user, bits, minute, tokenAt, created, updated sql.NullInt64
		series                                        sql.NullString
		hash                                          []byte
	)
	if err := row.Scan(append([]any{&user, &series, &bits, &minute, &hash, &tokenAt, &created, &updated}, dest...)...); err != nil {
		return err
	}
	if !user.Valid {
		*f = CalendarFeed{}
		return nil
	}
	*f = CalendarFeed{
		UserID: user.Int64, Series: series.String, Weekdays: weekdaysOf(int(bits.Int64)), Minute: int(minute.Int64),
		LinkAt: fromNullUnix(tokenAt), CreatedAt: fromUnix(created.Int64), UpdatedAt: fromUnix(updated.Int64),
	}
	if hash != nil {
		f.TokenHash = slices.Clone(hash)
	}
	return nil
}

// CalendarFeed returns userID's calendar, or ErrNotFound when they have
// not made one.
func (s *Store) CalendarFeed(ctx context.Context, userID int64) (CalendarFeed, error) {
	var f CalendarFeed
	err := scanCalendar(s.r.QueryRowContext(ctx, `SELECT `+calendarColumns+` FROM calendar_feeds f WHERE f.user_id = $1`, userID), &f)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return CalendarFeed{}, notFound("calendar of user", userID)
	case err != nil:
		return CalendarFeed{}, s.fail("calendar feed", err)
	}
	return f, nil
}

// calendarSourceQuery reads a CalendarSource; the caller adds the FROM
// clause's users u and calendar_feeds f, and the WHERE.
const calendarSourceQuery = `SELECT ` + calendarColumns + `, u.id, u.lang, u.created_at,
	(SELECT min(b.at) FROM baselines b WHERE b.user_id = u.id),
	(SELECT v.per_week FROM programme_versions v WHERE v.user_id = u.id ORDER BY v.version DESC LIMIT 1)`

func (s *Store) calendarSource(ctx context.Context, op string, what string, id any, query string, arg any) (CalendarSource, error) {
	var (
		src      CalendarSource
		lang     sql.NullString
		created  int64
		baseline sql.NullInt64
		perWeek  sql.NullInt64
	)
	err := scanCalendar(s.r.QueryRowContext(ctx, query, arg), &src.Feed, &src.UserID, &lang, &created, &baseline, &perWeek)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return CalendarSource{}, notFound(what, id)
	case err != nil:
		return CalendarSource{}, s.fail(op, err)
	}
	src.Lang, src.AccountCreated, src.FirstBaseline, src.PerWeek = lang.String, fromUnix(created), fromNullUnix(baseline), int(perWeek.Int64)
	return src, nil
}

// CalendarOf returns what userID's calendar page and feed are made from;
// Feed is the zero CalendarFeed when they have not made a calendar.
// ErrNotFound when there is no such user.
func (s *Store) CalendarOf(ctx context.Context, userID int64) (CalendarSource, error) {
	return s.calendarSource(ctx, "calendar of user", "user", userID, calendarSourceQuery+`
		FROM users u LEFT JOIN calendar_feeds f ON f.user_id = u.id
		WHERE u.id = $1`, userID)
}

// CalendarByToken returns the calendar whose link's secret has the
// SHA-256 hash, with what its feed is made from: one lookup in the unique
// index on token_hash. A hash no link has — never made, replaced by a new
// link, turned off — and the link of an account that is disabled or is
// no longer a patient's are all ErrNotFound, told apart to no one.
func (s *Store) CalendarByToken(ctx context.Context, hash [32]byte) (CalendarSource, error) {
	return s.calendarSource(ctx, "calendar by token", "calendar", "link", calendarSourceQuery+`
		FROM calendar_feeds f JOIN users u ON u.id = f.user_id
		WHERE f.token_hash = $1 AND u.role = 'patient' AND u.disabled_at IS NULL`, hash[:])
}

// SaveCalendarFeed stores f's days and time for f.UserID at now: it makes
// the calendar (named f.Series) when the patient has none, and changes
// the days and time of the one they have (whose series stays). With
// newToken, the link becomes the one with that hash in the same write (a
// calendar made or turned on with its link); without, the link stays as
// it was. ErrInvalid for days or a time the column cannot hold;
// ErrNotFound for no such user.
func (s *Store) SaveCalendarFeed(ctx context.Context, f CalendarFeed, newToken *[32]byte, now time.Time) (CalendarFeed, error) {
	bits, ok := weekdayBits(f.Weekdays)
	if !ok {
		return CalendarFeed{}, invalid("weekdays", "a calendar needs one or more days, each 1–7")
	}
	if f.Minute < 0 || f.Minute >= 24*60 {
		return CalendarFeed{}, invalid("minute", "minute %d is not a time of day", f.Minute)
	}
	if len(f.Series) != 32 {
		return CalendarFeed{}, invalid("series", "a calendar's series is 32 characters")
	}
	now = s.orNow(now)
	var hash any // NULL: the link stays
	var tokenAt sql.NullInt64
	if newToken != nil {
		hash, tokenAt = newToken[:], sql.NullInt64{Int64: now.Unix(), Valid: true}
	}
	var out CalendarFeed
	err := s.write(ctx, "save calendar", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO calendar_feeds (user_id, series, weekdays, minute, token_hash, token_at, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
			ON CONFLICT (user_id) DO UPDATE SET weekdays = excluded.weekdays, minute = excluded.minute, updated_at = excluded.updated_at,
				token_hash = CASE WHEN excluded.token_hash IS NULL THEN calendar_feeds.token_hash ELSE excluded.token_hash END,
				token_at = CASE WHEN excluded.token_hash IS NULL THEN calendar_feeds.token_at ELSE excluded.token_at END`,
			f.UserID, f.Series, bits, f.Minute, hash, tokenAt, now.Unix()); err != nil {
			return err
		}
		return scanCalendar(tx.QueryRowContext(ctx, `SELECT `+calendarColumns+` FROM calendar_feeds f WHERE f.user_id = $1`, f.UserID), &out)
	})
	if err != nil {
		if errors.Is(err, ErrNotFound) || ErrorCode(err) == EINTERNAL {
			if _, uerr := s.UserByID(ctx, f.UserID); errors.Is(uerr, ErrNotFound) {
				return CalendarFeed{}, notFound("user", f.UserID)
			}
		}
		return CalendarFeed{}, err
	}
	return out, nil
}

// SetCalendarToken changes userID's link at now: to the one whose secret
// has the hash (a new link: the old one stops at once), or, with nil, to
// none (the calendar is turned off; the days and time are kept).
// ErrNotFound when the patient has no calendar.
func (s *Store) SetCalendarToken(ctx context.Context, userID int64, hash *[32]byte, now time.Time) error {
	now = s.orNow(now)
	var h any // NULL: off
	var at sql.NullInt64
	if hash != nil {
		h, at = hash[:], sql.NullInt64{Int64: now.Unix(), Valid: true}
	}
	return s.execOne(ctx, "set calendar token", "calendar of user", userID,
		`UPDATE calendar_feeds SET token_hash = $2, token_at = $3, updated_at = $4 WHERE user_id = $1`, userID, h, at, now.Unix())
}
