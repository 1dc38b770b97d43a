package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"
)

// The lock file beside a SQLite database (stenose.db.lock) says who uses
// it. Every Store opened on the file (serve, user, migrate, check-data …)
// and every backup holds a shared flock on it for as long as it is open; a
// restore takes it exclusively, so it refuses a database in use and
// nothing opens the database while it is being replaced. flock locks
// belong to the open file and end with the process however it ends, so a
// crashed server never leaves the database "in use". The lock file itself
// is never deleted (deleting a lock file races with its next user).

// errLocked: another process holds a conflicting lock.
var errLocked = errors.New("locked")

// LockSuffix ends the lock file's name: the database's path + LockSuffix.
const LockSuffix = ".lock"

// lockDatabase takes the lock file of the SQLite database at path, shared
// or exclusive, waiting up to wait for a conflicting holder to let go. It
// returns errLocked when the lock could not be had in time. Close the file
// to release it.
func lockDatabase(ctx context.Context, path string, exclusive bool, wait time.Duration) (*os.File, error) {
	f, err := os.OpenFile(path+LockSuffix, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store: lock file: %w", err)
	}
	deadline := time.Now().Add(wait)
	for {
		err := flockFile(f, exclusive)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, errLocked) || time.Now().After(deadline) {
			f.Close()
			if errors.Is(err, errLocked) {
				return nil, errLocked
			}
			return nil, fmt.Errorf("store: lock %s%s: %w", path, LockSuffix, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// openWait is how long opening a SQLite database waits for a restore of it
// to finish.
const openWait = 10 * time.Second

// lockShared is the lock a Store or a backup holds on the database at path.
func lockShared(ctx context.Context, path string) (*os.File, error) {
	f, err := lockDatabase(ctx, path, false, openWait)
	if errors.Is(err, errLocked) {
		return nil, errorf(EINVALID, "db", "%s is being restored (%s%s is held by stenose restore): try again when the restore has finished", path, path, LockSuffix)
	}
	return f, err
}
