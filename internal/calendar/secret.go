package calendar

// The feed's secret: a calendar app cannot sign in, so the link itself is
// the credential. It is random, shown to the patient right after it is
// made, and stored only as its SHA-256.
//
// SHA-256, not argon2id as for passwords: a slow, salted hash protects a
// secret a person chose, which can be guessed; this one is 192 random
// bits, which no one can guess however fast the hash (2^192 tries), so a
// slow hash would buy nothing. And the feed is looked up by its hash — one
// index lookup — on a route anyone may call, where a salted hash would mean
// no index and an argon2id run per request (64 MiB each) would be a gift
// to whoever wants to exhaust the server's memory. Looking the hash up in
// an index takes no time that depends on how much of a guessed secret is
// right: the index compares hashes, and a hash's prefix says nothing about
// the secret's.

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// secretBytes is the secret's length before encoding: 192 bits.
const secretBytes = 24

// SecretLen is the length of a secret as it stands in a link: 32
// characters of base64url (A–Z a–z 0–9 - _), safe in a URL as it is.
const SecretLen = secretBytes * 4 / 3

// NewSecret returns a new random secret and its hash.
func NewSecret() (secret string, hash [32]byte) {
	b := make([]byte, secretBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24)
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, sha256.Sum256([]byte(secret))
}

// HashSecret returns the hash of s when s can be a secret (NewSecret's
// length and alphabet); false for anything else, which then needs no
// lookup to be refused.
func HashSecret(s string) ([32]byte, bool) {
	if len(s) != SecretLen {
		return [32]byte{}, false
	}
	if b, err := base64.RawURLEncoding.Strict().DecodeString(s); err != nil || len(b) != secretBytes {
		return [32]byte{}, false
	}
	return sha256.Sum256([]byte(s)), true
}

// NewSeries returns a new random id for a feed's events (Plan.Series):
// 32 hexadecimal digits. Random rather than made from the patient's
// account number, so a shared calendar's UIDs say nothing of who it is.
func NewSeries() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
