// Package clinic is the clinic's side of stenose as a domain: clinics as
// tenants, their members, and the invitations a clinician gives a new
// patient. It holds no HTTP and no SQL: internal/store keeps the rows,
// internal/web the pages.
package clinic

import (
	"crypto/sha256"
	"errors"

	"github.com/stenose/stenose/internal/humancode"
)

// An invitation's code is read out over the phone or typed from a printed
// slip: CodeLen symbols of Crockford's base 32 (internal/humancode), shown
// in groups of four: "7K2M-Q9XD-4PWA". CodeLen symbols give 60 bits:
// guessed at the sign-in limit's pace (a few tries a minute per address),
// a code outlives its lifetime (at most MaxValidDays) by many orders of
// magnitude.
const (
	CodeLen = 12
	group   = 4
)

// ErrCodeForm is a code that cannot be one of ours: wrong length or
// signs no code has.
var ErrCodeForm = errors.New("clinic: not an invitation code")

// NewCode draws a fresh code and returns it as shown ("7K2M-Q9XD-4PWA") and
// its hash (what the store keeps).
func NewCode() (shown string, hash [32]byte) {
	raw := humancode.New(CodeLen)
	return Show(raw), sha256.Sum256([]byte(raw))
}

// Show writes a normalised code in groups of four.
func Show(raw string) string { return humancode.Group(raw, group, "-") }

// ParseCode reads a code as a person types it — any case, with spaces,
// dashes or dots between the groups, O for 0 and I or L for 1 — and
// returns its normalised form and hash.
func ParseCode(s string) (raw string, hash [32]byte, err error) {
	raw, ok := humancode.Read(s, CodeLen)
	if !ok {
		return "", hash, ErrCodeForm
	}
	return raw, sha256.Sum256([]byte(raw)), nil
}
