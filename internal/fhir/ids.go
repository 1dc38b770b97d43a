package fhir

import (
	"crypto/sha1"
	"fmt"
)

// The bundle's ids are name-based UUIDs (RFC 9562, version 5: SHA-1 in
// the URL namespace) of the installation's address and the row they come
// from, "https://klinik.example/fhir/Observation/diary/12/leg": the same
// row gives the same id in every export, and two installations never give
// the same id to different patients' records. An entry's fullUrl is
// "urn:uuid:" and the id, which is also the resource's id.

// nsURL is RFC 9562's namespace for URLs, 6ba7b811-9dad-11d1-80b4-00c04fd430c8.
var nsURL = [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}

// uuid5 is the version 5 UUID of name in the namespace ns.
func uuid5(ns [16]byte, name string) string {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}
