//go:build unix

package store

import (
	"errors"
	"os"
	"syscall"
)

// flockFile takes an advisory lock (flock(2)) on f without waiting: shared
// or exclusive. It returns errLocked when another open file holds a lock
// that conflicts. The lock goes with the open file: closing f, or the
// process ending in any way (kill -9 included), releases it.
func flockFile(f *os.File, exclusive bool) error {
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	for {
		err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, syscall.EINTR):
			continue
		case errors.Is(err, syscall.EWOULDBLOCK):
			return errLocked
		}
		return err
	}
}

// canLock reports whether this system has the advisory locks that tell a
// restore that the database is in use.
const canLock = true
