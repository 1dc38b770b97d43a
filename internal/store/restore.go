package store

// Restore: a checked backup put in place of a SQLite database that no
// stenose has open (backup.go makes the backups; dblock.go is the lock
// that says a database is in use).

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
)

// RestoreOptions change how Restore works.
type RestoreOptions struct {
	// Replace lets the restore replace an existing database (which is
	// kept beside it, renamed).
	Replace bool
	// now names the kept database (tests fix it); nil: time.Now.
	now func() time.Time
}

// RestoreReport says what Restore did.
type RestoreReport struct {
	File          string // the backup restored
	Database      string // where it now is
	SchemaVersion int64  // the backup's
	Known         int64  // this stenose's: higher, and stenose migrates it when it next opens it
	Tables        []TableCount
	// Kept is where the database the restore replaced now is, "" when
	// there was none.
	Kept string
}

// Restore puts the backup in file in place of the SQLite database dsn
// names. It checks the backup first (a SQLite file that passes
// integrity_check and foreign_key_check, a stenose database whose schema
// matches its version, not newer than this stenose knows, no unfinished
// backup), refuses a database in use (any stenose holding its lock file:
// serve, a backup, another command) and an existing database unless
// o.Replace; a PostgreSQL database gets a *PostgresError.
//
// The backup is copied beside the database, checked there, and renamed
// over it in one step; the database it replaces — its write-ahead log
// folded in first, so nothing stale is left beside the new file — is kept
// as DB.replaced-TIME.
func Restore(ctx context.Context, dsn, dataDir, file string, o RestoreOptions) (rep *RestoreReport, err error) {
	if file == "" {
		return nil, invalid("file", "no backup file named")
	}
	db, err := sqliteTarget(dsn, dataDir, file)
	if err != nil {
		return nil, err
	}
	if !canLock {
		return nil, invalid("db", "restore needs flock(2) to tell whether the database is in use, which this system does not have")
	}
	if file, err = filepath.Abs(file); err != nil {
		return nil, err
	}
	st, err := os.Stat(file)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, errorf(ENOTFOUND, "file", "%s does not exist", file)
	case err != nil:
		return nil, fmt.Errorf("store: restore: %w", err)
	case !st.Mode().IsRegular():
		return nil, invalid("file", "%s is not a file", file)
	case strings.HasSuffix(file, PartialSuffix):
		return nil, invalid("file", "%s is an unfinished backup (a backup that stopped before its copy was checked): it is never restored; make a new backup", file)
	case isDatabaseFile(file, db):
		return nil, invalid("file", "%s is the database itself", file)
	}
	if _, err := os.Stat(file + "-wal"); err == nil {
		return nil, invalid("file", "%s has a write-ahead log beside it (%s-wal): it is a database in use, or a copy of one taken as it was written; back it up with stenose backup --db sqlite:%s -o NEW and restore NEW", file, file, file)
	}

	if err := os.MkdirAll(filepath.Dir(db), 0o700); err != nil {
		return nil, fmt.Errorf("store: restore: %w", err)
	}
	lock, err := lockDatabase(ctx, db, true, 0)
	if errors.Is(err, errLocked) {
		return nil, errorf(ECONFLICT, "db", "%s is in use: a stenose (serve, a backup or another command) has it open and holds %s%s; stop it, then restore", db, db, LockSuffix)
	}
	if err != nil {
		return nil, err
	}
	defer lock.Close()
	exists := false
	if _, err := os.Stat(db); err == nil {
		exists = true
		if !o.Replace {
			return nil, errorf(ECONFLICT, "db", "%s exists: give --replace to replace it (it is kept beside it, renamed)", db)
		}
	}

	tmp := db + restoringSuffix
	os.Remove(tmp) // left by a restore that stopped; we hold the lock
	removeSidecars(tmp)
	defer func() {
		if err != nil {
			os.Remove(tmp)
			removeSidecars(tmp)
		}
	}()
	if err := copyFile(file, tmp); err != nil {
		return nil, fmt.Errorf("store: restore: %w", err)
	}
	rep = &RestoreReport{File: file, Database: db, Known: KnownSchemaVersion()}
	if rep.SchemaVersion, rep.Tables, err = checkBackup(ctx, tmp, file); err != nil {
		return nil, err
	}
	if err := fsyncFile(tmp); err != nil {
		return nil, fmt.Errorf("store: restore: %w", err)
	}

	if exists {
		now := time.Now
		if o.now != nil {
			now = o.now
		}
		rep.Kept = db + ".replaced-" + now().UTC().Format("20060102T150405Z")
		if err := keepReplaced(ctx, db, rep.Kept); err != nil {
			return nil, err
		}
	}
	if err := os.Rename(tmp, db); err != nil {
		return nil, fmt.Errorf("store: restore: %w", err)
	}
	os.Remove(db + "-shm") // an index of a log that is gone; SQLite would rebuild it
	if err := syncDir(filepath.Dir(db)); err != nil {
		return nil, fmt.Errorf("store: restore: %w", err)
	}
	return rep, nil
}

// keepReplaced keeps the database at db as kept (a hard link: db itself
// stays in place until the restored file is renamed over it). Its
// write-ahead log is folded into it first, so that no log of the old
// database is left beside the new one (SQLite would apply it to the new
// file). A database too damaged to fold has its log kept beside the copy,
// under the copy's name, where SQLite finds it.
func keepReplaced(ctx context.Context, db, kept string) error {
	foldErr := func() error {
		r, err := openRawSQLite(ctx, db, false)
		if err != nil {
			return err
		}
		defer r.Close()
		if _, err := r.db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			return err
		}
		var mode string
		return r.db.QueryRowContext(ctx, "PRAGMA journal_mode = DELETE").Scan(&mode)
	}()
	if err := os.Link(db, kept); err != nil {
		return fmt.Errorf("store: restore: keeping the database it replaces: %w", err)
	}
	if _, err := os.Stat(db + "-wal"); err == nil {
		if foldErr == nil {
			foldErr = errors.New("the log was left")
		}
		if err := os.Rename(db+"-wal", kept+"-wal"); err != nil {
			return fmt.Errorf("store: restore: moving %s-wal aside (%v): %w", db, foldErr, err)
		}
	}
	return nil
}

// checkBackup checks the copy of a backup at path (name: the backup, for
// messages) and returns its schema version and rows per table.
func checkBackup(ctx context.Context, path, name string) (int64, []TableCount, error) {
	v, counts, err := checkCopy(ctx, path, name)
	if err != nil {
		return 0, nil, err
	}
	known := KnownSchemaVersion()
	switch {
	case v == 0:
		return 0, nil, invalid("file", "%s is not a stenose database: it has no schema version (goose_db_version)", name)
	case v > known:
		return 0, nil, invalid("file", "%s has schema version %d, newer than this stenose knows (%d): restore it with the stenose that made it, or a newer one", name, v, known)
	}
	r, err := openRawSQLite(ctx, path, false)
	if err != nil {
		return 0, nil, err
	}
	defer func() {
		r.Close()
		removeSidecars(path)
	}()
	if err := sameSchema(ctx, r.db, v, name); err != nil {
		return 0, nil, err
	}
	rows, err := r.db.QueryContext(ctx, `SELECT "table", count(*) FROM pragma_foreign_key_check GROUP BY 1 ORDER BY 1`)
	if err != nil {
		return 0, nil, fmt.Errorf("store: reading %s: %w", name, err)
	}
	bad, err := collect(rows, func(s scanner) (string, error) {
		var t string
		var n int64
		err := s.Scan(&t, &n)
		return fmt.Sprintf("%s (%d rows)", t, n), err
	})
	if err != nil {
		return 0, nil, fmt.Errorf("store: reading %s: %w", name, err)
	}
	if len(bad) > 0 {
		return 0, nil, invalid("file", "%s has rows that refer to rows it does not hold, in %s", name, strings.Join(bad, ", "))
	}
	return v, counts, nil
}

// sameSchema checks that db has exactly the tables and columns that
// stenose's migrations up to version v make.
func sameSchema(ctx context.Context, db *sql.DB, v int64, name string) error {
	want, err := schemaAt(ctx, v)
	if err != nil {
		return err
	}
	got, err := sqliteColumns(ctx, db)
	if err != nil {
		return fmt.Errorf("store: reading %s: %w", name, err)
	}
	for _, t := range slices.Sorted(maps.Keys(want)) {
		if _, ok := got[t]; !ok {
			return invalid("file", "%s is not a stenose database of schema version %d: it has no table %s", name, v, t)
		}
		if got[t] != want[t] {
			return invalid("file", "%s is not a stenose database of schema version %d: table %s has the columns %s, not %s", name, v, t, got[t], want[t])
		}
	}
	for _, t := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[t]; !ok {
			return invalid("file", "%s is not a stenose database of schema version %d: it has a table %s that stenose does not make", name, v, t)
		}
	}
	return nil
}

// schemaAt is the tables and columns of a SQLite database migrated to
// version v, from the migrations built into this stenose.
func schemaAt(ctx context.Context, v int64) (map[string]string, error) {
	mem, err := sql.Open("sqlite", "file:schema?mode=memory")
	if err != nil {
		return nil, err
	}
	defer mem.Close()
	mem.SetMaxOpenConns(1) // one connection: one in-memory database
	mem.SetConnMaxLifetime(0)
	dir, err := fs.Sub(migrationFiles, "migrations/sqlite")
	if err != nil {
		return nil, err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, mem, dir, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return nil, err
	}
	if _, err := p.UpTo(ctx, v); err != nil {
		return nil, fmt.Errorf("store: the schema of version %d: %w", v, err)
	}
	return sqliteColumns(ctx, mem)
}

// sqliteColumns describes each table's columns: name, type, NOT NULL and
// place in the primary key.
func sqliteColumns(ctx context.Context, db *sql.DB) (map[string]string, error) {
	names, err := listTables(ctx, db, "sqlite")
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, n := range names {
		rows, err := db.QueryContext(ctx, `SELECT name || ' ' || type || iif("notnull", ' NOT NULL', '') || iif(pk > 0, ' PK' || pk, '')
			FROM pragma_table_info($1) ORDER BY cid`, n)
		if err != nil {
			return nil, err
		}
		cols, err := collect(rows, func(s scanner) (string, error) {
			var c string
			return c, s.Scan(&c)
		})
		if err != nil {
			return nil, err
		}
		out[n] = "(" + strings.Join(cols, ", ") + ")"
	}
	return out, nil
}

// copyFile copies src to a new file dst (0600: health data), fsynced.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func fsyncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
