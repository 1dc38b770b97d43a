// Package clinic is the clinic's side of stenose as a domain: clinics as
// tenants, their members, and the invitations a clinician gives a new
// patient. It holds no HTTP and no SQL: internal/store keeps the rows,
// internal/web the pages.
package clinic

import (
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"strings"
)

// An invitation's code is read out over the phone or typed from a printed
// slip, so it is made of Crockford's base 32 (digits and capitals without
// I, L, O and U: nothing two people could hear or read as another) and
// shown in groups of four: "7K2M-Q9XD-4PWA". CodeLen symbols give 60 bits:
// guessed at the sign-in limit's pace (a few tries a minute per address),
// a code outlives its lifetime (at most MaxValidDays) by many orders of
// magnitude.
const (
	alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	CodeLen  = 12
	group    = 4
)

// ErrCodeForm is a code that cannot be one of ours: wrong length or
// signs no code has.
var ErrCodeForm = errors.New("clinic: not an invitation code")

// NewCode draws a fresh code and returns it as shown ("7K2M-Q9XD-4PWA") and
// its hash (what the store keeps).
func NewCode() (shown string, hash [32]byte) {
	b := make([]byte, CodeLen)
	if _, err := rand.Read(b); err != nil {
		panic("clinic: no randomness: " + err.Error()) // crypto/rand does not fail on Linux
	}
	raw := make([]byte, CodeLen)
	for i, x := range b {
		raw[i] = alphabet[x&31] // 256 is a multiple of 32: no bias
	}
	return Show(string(raw)), sha256.Sum256(raw)
}

// Show writes a normalised code in groups of four.
func Show(raw string) string {
	var sb strings.Builder
	for i := 0; i < len(raw); i += group {
		if i > 0 {
			sb.WriteByte('-')
		}
		sb.WriteString(raw[i:min(i+group, len(raw))])
	}
	return sb.String()
}

// ParseCode reads a code as a person types it — any case, with spaces,
// dashes or dots between the groups, O for 0 and I or L for 1 — and
// returns its normalised form and hash.
func ParseCode(s string) (raw string, hash [32]byte, err error) {
	if len(s) > 64 {
		return "", hash, ErrCodeForm
	}
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == ' ' || r == '-' || r == '.' || r == '\t' || r == '\u00a0' || r == '\u2011' || r == '\u2013':
			continue
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L':
			r = '1'
		case !strings.ContainsRune(alphabet, r):
			return "", hash, ErrCodeForm
		}
		b.WriteRune(r)
	}
	raw = b.String()
	if len(raw) != CodeLen {
		return "", hash, ErrCodeForm
	}
	return raw, sha256.Sum256([]byte(raw)), nil
}
