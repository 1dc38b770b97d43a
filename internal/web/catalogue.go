package web

// The app's words are in the one catalogue, internal/i18n/locales: Go code
// reads them with l.T, l.Tf and l.N, templates as {{.L.key}}.

import (
	"github.com/stenose/stenose/internal/account"
	"github.com/stenose/stenose/internal/i18n"
)

// accountMsg is an account error's message in l.
func accountMsg(l i18n.Lang, e *account.Error) string { return e.Text(l) }
