package store

import (
	"context"
)

// SetUserLang keeps the user's choice of language ("da" or "en") on the
// account (User.Lang), so every device they use shows the app in it; ""
// forgets the choice. Any other value is EINVALID; a missing user is ErrNotFound.
func (s *Store) SetUserLang(ctx context.Context, userID int64, lang string) error {
	switch lang {
	case "", "da", "en":
	default:
		return invalid("lang", "lang %q is not da or en", lang)
	}
	return s.execOne(ctx, "set user lang", "user", userID,
		`UPDATE users SET lang = $1 WHERE id = $2`, nullText(lang), userID)
}
