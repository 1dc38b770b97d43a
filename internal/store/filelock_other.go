//go:build !unix

package store

import "os"

// flockFile does nothing where flock(2) does not exist: restore refuses to
// run there (canLock), since it could not tell a database in use.
func flockFile(*os.File, bool) error { return nil }

const canLock = false
