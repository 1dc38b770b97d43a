package account

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Login is a login name in its two forms.
type Login struct {
	// Key is what a login is compared by: the account's unique name in the
	// store (users.login), what sign-in looks up and what the per-login
	// sign-in limit counts under. It is the shown form after NFKC, full
	// case folding and NFKC again, with white space collapsed again (NFKC
	// can make a space): "ANNA  Hansen " and "anna hansen" have one key, as
	// have "Åse" typed with a ring above as one character or as two, a
	// full-width "Ｓøren" and "søren", "Anna@Example.DK" and
	// "anna@example.dk". Folding is the language-neutral one: "I" is "i"
	// and the Turkish dotted "İ" becomes "i" followed by a combining dot
	// (U+0307), so "İstanbul" and "istanbul" are two logins and the dotless
	// "ı" stays itself; a Turkish-aware fold would make every "I" a dotless
	// "ı" and break every other login with an I in it.
	Key string
	// Shown is the login as the person typed it: every run of white space
	// one space, none at the ends, in NFC (the composed form every keyboard
	// gives). It is what pages show ("Søren Hansen").
	Shown string
}

// Display is the shown form when it differs from the key, else "": what
// the store keeps beside the key (store.User.LoginDisplay).
func (l Login) Display() string {
	if l.Shown == l.Key {
		return ""
	}
	return l.Shown
}

// maxLoginInput bounds the bytes a login may have as typed, before any
// normalisation is done: MaxLogin characters of up to 4 bytes, with room
// for spaces that collapse.
const maxLoginInput = 8 * MaxLogin

// ParseLogin checks the login s as typed and returns its two forms. A
// login may hold letters of any script, marks, digits, punctuation,
// symbols and spaces; control characters, invisible format characters
// (such as a zero-width space or a right-to-left override), private-use
// and unassigned code points and invalid UTF-8 are refused. After
// normalisation both forms are MinLogin–MaxLogin characters. The error is
// an *Error for the "login" field.
func ParseLogin(s string) (Login, error) {
	if len(s) > maxLoginInput {
		return Login{}, loginLengthErr()
	}
	if !utf8.ValidString(s) {
		return Login{}, loginCharsErr()
	}
	shown := norm.NFC.String(collapseSpace(s))
	if shown == "" {
		return Login{}, fieldErr("login", "loginEmpty")
	}
	for _, r := range shown {
		if !loginRune(r) {
			return Login{}, loginCharsErr()
		}
	}
	key := loginKey(shown)
	if n := utf8.RuneCountInString(key); n < MinLogin || n > MaxLogin || utf8.RuneCountInString(shown) > MaxLogin {
		return Login{}, loginLengthErr()
	}
	return Login{Key: key, Shown: shown}, nil
}

func loginLengthErr() *Error {
	return fieldErr("login", "loginLength", MaxLogin)
}

func loginCharsErr() *Error {
	return fieldErr("login", "loginChars")
}

// loginRune reports whether r may be part of a login (after white space
// has become plain spaces): a letter, mark, digit, punctuation, symbol or
// the space. Everything else — control (Cc) and format (Cf) characters,
// private use, surrogates, unassigned code points, line and paragraph
// separators — is refused.
func loginRune(r rune) bool {
	return r == ' ' || unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S)
}

// collapseSpace makes every run of white space (spaces, tabs, no-break and
// ideographic spaces, line breaks) one space and trims both ends.
func collapseSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// loginKey is the key of an already checked shown form. NFKC comes first
// so that compatibility characters whose decomposition has capitals (the
// square "㎒" is "MHz") are folded too, and again after the fold, which
// can leave a string unnormalised.
func loginKey(shown string) string {
	k := norm.NFKC.String(shown)
	k = cases.Fold().String(k) // a Caser is not safe for concurrent use: one per call
	return collapseSpace(norm.NFKC.String(k))
}

// looseLoginKey is the key of a login that ParseLogin refused, for the
// per-login sign-in limit: an attempt with it is still counted, under a
// bounded name in which every character a login may not hold is U+FFFD
// (PostgreSQL's text cannot hold a NUL; and no such name is a real
// account's).
func looseLoginKey(s string) string {
	if len(s) > maxLoginInput {
		s = s[:maxLoginInput]
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || loginRune(r) {
			return r
		}
		return utf8.RuneError
	}, strings.ToValidUTF8(s, "\uFFFD"))
	k := loginKey(norm.NFC.String(collapseSpace(s)))
	if utf8.RuneCountInString(k) > MaxLogin {
		k = string([]rune(k)[:MaxLogin])
	}
	return k
}
