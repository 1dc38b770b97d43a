// Package humancode makes and reads codes that people read out, type from
// paper or copy from a screen: invitation codes and recovery codes. They
// use Crockford's base 32 — digits and capitals without I, L, O and U,
// nothing two people could hear or read as another — and are read back
// however they are typed: any case, with spaces, dashes or dots, O for 0
// and I or L for 1.
package humancode

import (
	"crypto/rand"
	"strings"
)

// Alphabet is Crockford's base 32.
const Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// New draws n symbols (5 bits of entropy each).
func New(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("humancode: no randomness: " + err.Error()) // crypto/rand does not fail on Linux
	}
	for i, x := range b {
		b[i] = Alphabet[x&31] // 256 is a multiple of 32: no bias
	}
	return string(b)
}

// Group writes raw in groups of size joined by sep: "7K2M-Q9XD-4PWA" with
// "-", "JBSW Y3DP …" with " " (a key to type from a screen).
func Group(raw string, size int, sep string) string {
	var sb strings.Builder
	for i := 0; i < len(raw); i += size {
		if i > 0 {
			sb.WriteString(sep)
		}
		sb.WriteString(raw[i:min(i+size, len(raw))])
	}
	return sb.String()
}

// Read returns s as its n symbols, or ok false when s is not a code of n
// symbols.
func Read(s string, n int) (raw string, ok bool) {
	if len(s) > 8*n {
		return "", false
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
		case !strings.ContainsRune(Alphabet, r):
			return "", false
		}
		b.WriteRune(r)
	}
	if b.Len() != n {
		return "", false
	}
	return b.String(), true
}
