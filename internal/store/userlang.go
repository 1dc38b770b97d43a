package store

import (
	"context"
	"database/sql"
	"errors"
)

// UserLang returns the language the user chose for the app ("da" or
// "en"), or "" when they never chose one (which means Danish). A missing
// user is ErrNotFound.
func (s *Store) UserLang(ctx context.Context, userID int64) (string, error) {
	var lang sql.NullString
	err := s.r.QueryRowContext(ctx, `SELECT lang FROM users WHERE id = $1`, userID).Scan(&lang)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("user", userID)
	}
	if err != nil {
		return "", s.fail("user lang", err)
	}
	return lang.String, nil
}

// SetUserLang keeps the user's choice of language ("da" or "en") on the
// account, so every device they sign in on shows the app in it; "" forgets
// the choice. Any other value is EINVALID; a missing user is ErrNotFound.
func (s *Store) SetUserLang(ctx context.Context, userID int64, lang string) error {
	switch lang {
	case "", "da", "en":
	default:
		return invalid("lang", "lang %q is not da or en", lang)
	}
	return s.execOne(ctx, "set user lang", "user", userID,
		`UPDATE users SET lang = $1 WHERE id = $2`, nullText(lang), userID)
}
