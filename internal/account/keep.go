package account

import "github.com/stenose/stenose/internal/store"

// MayStaySignedIn reports whether u may keep a sign-in past the idle
// timeout when they ask to at sign-in ("Forbliv logget ind på denne
// enhed"): a patient may, on their own phone, for the sign-in's whole
// lifetime. A clinician or an admin may not, however they answer: they
// open many patients' records, often on a computer others use, so their
// sign-in always ends after the idle timeout.
func MayStaySignedIn(u store.User) bool {
	return u.Role == store.RolePatient
}
