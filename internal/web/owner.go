package web

// Which account a browser's unsent records belong to. The player and walk
// mode keep finished sessions and walks in localStorage until sync.js sends
// them; several patients may use one browser in turn. The diary page tells
// sync.js who is signed in with an owner tag (data-owner), an opaque value
// per account: a hash of the user id, never the login. sync.js stamps each
// record with the tag of the account the browser belonged to when it was
// made, never sends a record stamped for another account, and sends the tag
// with each record (header X-Stenose-Owner); the API refuses a record whose
// tag is not the signed-in user's with 409, which covers a page that still
// believes the previous patient is signed in. A record sent without the
// header (a sync.js from before the tags) is saved as before.

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
)

// ownerHeader carries a record's owner tag on POST /api/traening and
// /api/gang.
const ownerHeader = "X-Stenose-Owner"

// browserOwner is user id's owner tag. User ids are never reused, so a tag
// never passes from a deleted account to a new one; every instance computes
// the same tag.
func browserOwner(id int64) string {
	sum := sha256.Sum256([]byte("stenose browser owner v1\x00" + strconv.FormatInt(id, 10)))
	return hex.EncodeToString(sum[:12])
}

// Owner is the signed-in user's owner tag, for the page's data-owner; ""
// when no one is signed in.
func (v *view) Owner() string {
	if v == nil || v.User == nil {
		return ""
	}
	return browserOwner(v.User.ID)
}

// ownedSync refuses, with 409, a record whose owner tag names another
// account than the signed-in one; the browser keeps it for its owner.
func ownedSync(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if tag := r.Header.Get(ownerHeader); tag != "" {
			if u := userFrom(r.Context()); u == nil || tag != browserOwner(u.ID) {
				syncJSON(w, http.StatusConflict, syncError{Error: reqLang(r).T("syncOtherUser")})
				return
			}
		}
		h(w, r)
	}
}
