package clinic

import (
	"crypto/sha256"
	"strings"
	"testing"

	"github.com/stenose/stenose/internal/humancode"
)

func TestNewCode(t *testing.T) {
	seen := map[string]bool{}
	count := map[rune]int{}
	for range 2000 {
		shown, hash := NewCode()
		if len(shown) != CodeLen+CodeLen/group-1 || strings.Count(shown, "-") != CodeLen/group-1 {
			t.Fatalf("shown %q", shown)
		}
		raw, h, err := ParseCode(shown)
		if err != nil || h != hash || h != sha256.Sum256([]byte(raw)) {
			t.Fatalf("ParseCode(%q) = %q, %v", shown, raw, err)
		}
		if seen[raw] {
			t.Fatalf("%q drawn twice", raw)
		}
		seen[raw] = true
		for _, r := range raw {
			count[r]++
		}
	}
	// Every symbol turns up: the alphabet is used whole (24,000 draws,
	// 750 expected each; under 500 would be a broken mapping).
	for _, r := range humancode.Alphabet {
		if count[r] < 500 {
			t.Errorf("%c drawn %d times", r, count[r])
		}
	}
	for _, bad := range "ILOU" {
		if count[bad] != 0 {
			t.Errorf("%c is in a code", bad)
		}
	}
}

func TestParseCode(t *testing.T) {
	tests := []struct {
		in, raw string
	}{
		{"7K2M-Q9XD-4PWA", "7K2MQ9XD4PWA"},
		{"7k2m q9xd 4pwa", "7K2MQ9XD4PWA"},
		{" 7K2M.Q9XD.4PWA ", "7K2MQ9XD4PWA"},
		{"7K2MQ9XD4PWA", "7K2MQ9XD4PWA"},
		{"OOOO-IIII-LLLL", "000011111111"}, // heard or read as digits
		{"7K2M\u2011Q9XD\u20114PWA", "7K2MQ9XD4PWA"},
		{"", ""},
		{"7K2M-Q9XD", ""},        // too short
		{"7K2M-Q9XD-4PWA-X", ""}, // too long
		{"7K2M-Q9XD-4PWU", ""},   // U is no symbol
		{"7K2M-Q9XD-4PW!", ""},   // a sign
		{"7K2M-Q9XD-4PWÅ", ""},   // a letter we do not use
		{strings.Repeat("A", 65), ""},
	}
	for _, tt := range tests {
		raw, h, err := ParseCode(tt.in)
		if tt.raw == "" {
			if err != ErrCodeForm {
				t.Errorf("ParseCode(%q) = %q, %v; want ErrCodeForm", tt.in, raw, err)
			}
			continue
		}
		if err != nil || raw != tt.raw || h != sha256.Sum256([]byte(tt.raw)) {
			t.Errorf("ParseCode(%q) = %q, %v; want %q", tt.in, raw, err, tt.raw)
		}
	}
}

func FuzzParseCode(f *testing.F) {
	for _, s := range []string{"7K2M-Q9XD-4PWA", "oooo iiii llll", "", "\xff\xfe", "7K2M\u00a0Q9XD\u00a04PWA"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		raw, h, err := ParseCode(s)
		if err != nil {
			return
		}
		// A parsed code is CodeLen symbols of the alphabet, parses to
		// itself, shown and as it is.
		if len(raw) != CodeLen || strings.Trim(raw, humancode.Alphabet) != "" {
			t.Fatalf("ParseCode(%q) = %q", s, raw)
		}
		for _, again := range []string{raw, Show(raw), strings.ToLower(Show(raw))} {
			if r2, h2, err := ParseCode(again); err != nil || r2 != raw || h2 != h {
				t.Fatalf("ParseCode(%q) = %q, %v; want %q", again, r2, err, raw)
			}
		}
	})
}
