package store

// Backup and restore of the SQLite database (`stenose backup`, `stenose
// restore`). On PostgreSQL the server's own tools do both (pg_dump,
// pg_restore): PgDumpCommands says how.
//
// A backup copies the live database with SQLite's online backup API,
// page by page, while its connection holds one read transaction open from
// the first page to the last: in WAL mode that is one snapshot, which the
// server's writes (through other connections, or another process) neither
// wait for nor disturb — without it, a write during the copy would make
// the backup start over, and under steady load never finish. The pages go
// into FILE.partial (no journal, no fsync while copying), which is then
// switched to a self-contained rollback-journal file, checked with PRAGMA
// integrity_check, fsynced and only then renamed to FILE, and the folder
// fsynced: FILE is either absent or a complete, checked backup. A backup
// that stops half-way (killed, Ctrl-C, a full disk) leaves at most
// FILE.partial, which restore refuses and the next backup to FILE removes.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// PartialSuffix ends the name a backup writes to before the copy is
// checked: FILE.partial.
const PartialSuffix = ".partial"

// restoringSuffix ends the name a restore copies the backup to, beside
// the database, before it is checked and renamed into place.
const restoringSuffix = ".restoring"

// backupStep is the pages one step of the backup copies (4 MiB of 4 KiB
// pages); between steps the backup checks ctx, so Ctrl-C stops it within
// a step. A variable for the tests, which copy a small database in many
// steps.
var backupStep int32 = 1024

// PostgresError is what Backup and Restore return for a PostgreSQL
// database: PostgreSQL's own pg_dump and pg_restore back it up and restore
// it; the error carries the commands.
type PostgresError struct {
	Location      string // USER@HOST:PORT/DB, never the password
	Dump, Restore string // the commands, with FILE and the database's URL
}

func (e *PostgresError) Error() string {
	return fmt.Sprintf("%s is a PostgreSQL database: back it up with PostgreSQL's pg_dump, and restore it into an empty database with pg_restore (the password from PGPASSWORD or ~/.pgpass):\n  %s\n  %s", e.Location, e.Dump, e.Restore)
}

// PgDumpCommands are the commands that back up the PostgreSQL database
// dsn names into file and restore file into an empty database: pg_dump's
// custom format (compressed; pg_restore can restore it in parallel and
// pick parts). The URL keeps the user, host, port, database and libpq
// settings such as sslmode, drops the password (give it in PGPASSWORD or
// ~/.pgpass) and stenose's own settings, and a search_path becomes
// --schema.
func PgDumpCommands(dsn, file string) (dump, restore string) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "pg_dump --format=custom --file=" + shellQuote(file) + " URL", "pg_restore --exit-on-error --single-transaction --no-owner --dbname=URL " + shellQuote(file)
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	schema, _, _ := strings.Cut(q.Get("search_path"), ",")
	schema = strings.TrimSpace(schema)
	for _, k := range []string{"search_path", "pool_max_conns", "password"} {
		q.Del(k)
	}
	u.RawQuery = q.Encode()
	to := shellQuote(u.String())
	dump = "pg_dump --format=custom --file=" + shellQuote(file)
	if schema != "" {
		dump += " --schema=" + shellQuote(schema)
	}
	dump += " " + to
	restore = "pg_restore --exit-on-error --single-transaction --no-owner --dbname=" + to + " " + shellQuote(file)
	return dump, restore
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@=+,%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// sqliteTarget returns the SQLite file dsn names, or a *PostgresError.
func sqliteTarget(dsn, dataDir, file string) (string, error) {
	kind, target, err := parseDSN(dsn, dataDir)
	if err != nil {
		return "", err
	}
	if kind == "postgres" {
		d, r := PgDumpCommands(target, file)
		return "", &PostgresError{Location: postgresLocation(target), Dump: d, Restore: r}
	}
	return filepath.Abs(target)
}

// BackupOptions change how Backup works.
type BackupOptions struct {
	// Replace lets the backup overwrite an existing FILE.
	Replace bool
	// step, when set, is called after each step of the copy with the pages
	// copied so far and the total (tests pause a backup there).
	step func(done, total int)
}

// BackupReport says what Backup wrote.
type BackupReport struct {
	File          string // the backup, an absolute path
	Database      string // the database it copies
	Bytes         int64
	SchemaVersion int64
	Tables        []TableCount
	// RemovedPartial is an unfinished backup (FILE.partial) that a backup
	// which stopped half-way had left, removed before this one began; ""
	// when there was none.
	RemovedPartial string
}

// Backup writes a consistent copy of the SQLite database dsn names (with
// dataDir as Open takes them) to file, while the database may be in use
// and written. It refuses an existing file unless o.Replace, and a
// PostgreSQL database with a *PostgresError. The database is only read:
// it is never migrated, and nothing in it changes.
func Backup(ctx context.Context, dsn, dataDir, file string, o BackupOptions) (rep *BackupReport, err error) {
	if file == "" {
		return nil, invalid("file", "no backup file named")
	}
	db, err := sqliteTarget(dsn, dataDir, file)
	if err != nil {
		return nil, err
	}
	if file, err = filepath.Abs(file); err != nil {
		return nil, err
	}
	if st, err := os.Stat(db); err != nil || !st.Mode().IsRegular() {
		return nil, errorf(ENOTFOUND, "db", "there is no database at %s", db)
	}
	if isDatabaseFile(file, db) {
		return nil, invalid("file", "%s is the database itself or one of its files: write the backup to another file", file)
	}
	if strings.HasSuffix(file, PartialSuffix) {
		return nil, invalid("file", "%s ends in %s, the name of an unfinished backup: choose another name", file, PartialSuffix)
	}
	if st, err := os.Stat(file); err == nil {
		if !st.Mode().IsRegular() {
			return nil, invalid("file", "%s exists and is not a file", file)
		}
		if !o.Replace {
			return nil, errorf(ECONFLICT, "file", "%s exists: give --replace to overwrite it", file)
		}
	}
	if st, err := os.Stat(filepath.Dir(file)); err != nil || !st.IsDir() {
		return nil, errorf(ENOTFOUND, "file", "the folder %s does not exist", filepath.Dir(file))
	}

	// A restore must not replace the database under the backup.
	lock, err := lockShared(ctx, db)
	if err != nil {
		return nil, err
	}
	defer lock.Close()

	rep = &BackupReport{File: file, Database: db}
	partial := file + PartialSuffix
	_, statErr := os.Stat(partial)
	pf, err := os.OpenFile(partial, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store: backup: %w", err)
	}
	defer pf.Close()
	// Two backups to one file would write into each other's copy.
	if err := flockFile(pf, true); err != nil {
		if errors.Is(err, errLocked) {
			return nil, errorf(ECONFLICT, "file", "another backup is writing %s now", partial)
		}
		return nil, fmt.Errorf("store: backup: %w", err)
	}
	if statErr == nil {
		rep.RemovedPartial = partial
	}
	removeSidecars(partial)
	if err := pf.Truncate(0); err != nil {
		return nil, fmt.Errorf("store: backup: %w", err)
	}
	defer func() {
		if err != nil { // never leave a copy that was not checked
			os.Remove(partial)
			removeSidecars(partial)
		}
	}()

	if err := copyPages(ctx, db, partial, o.step); err != nil {
		return nil, err
	}
	v, counts, err := checkCopy(ctx, partial, file)
	if err != nil {
		return nil, err
	}
	rep.SchemaVersion, rep.Tables = v, counts
	if err := pf.Sync(); err != nil {
		return nil, fmt.Errorf("store: backup: fsync %s: %w", partial, err)
	}
	if err := os.Rename(partial, file); err != nil {
		return nil, fmt.Errorf("store: backup: %w", err)
	}
	if err := syncDir(filepath.Dir(file)); err != nil {
		return nil, fmt.Errorf("store: backup: %w", err)
	}
	if st, err := os.Stat(file); err == nil {
		rep.Bytes = st.Size()
	}
	return rep, nil
}

// copyPages copies the database at db into the empty file partial with
// the online backup API, in one read snapshot of db.
func copyPages(ctx context.Context, db, partial string, step func(done, total int)) error {
	src, err := openRawSQLite(ctx, db, true)
	if err != nil {
		return err
	}
	defer src.Close()
	conn, err := src.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	defer conn.Close()
	// The snapshot: a read transaction, begun by a first read, held until
	// the last page is copied.
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK") //nolint:errcheck // read-only
	v, err := schemaVersion(ctx, conn, "sqlite")
	if err != nil {
		return fmt.Errorf("store: backup: reading %s: %w", db, err)
	}
	if v == 0 {
		return invalid("db", "%s is not a stenose database: it has no schema version", db)
	}
	// No journal and no fsync while copying: the file is thrown away
	// unless it is complete and checked, and fsynced then.
	dst := sqliteURI(partial, "_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)")
	return conn.Raw(func(dc any) error {
		b, ok := dc.(interface {
			NewBackup(string) (*sqlite.Backup, error)
		})
		if !ok {
			return fmt.Errorf("store: backup: the SQLite driver has no backup API (%T)", dc)
		}
		bk, err := b.NewBackup(dst)
		if err != nil {
			return fmt.Errorf("store: backup: %w", err)
		}
		for {
			more, err := bk.Step(backupStep)
			if err != nil {
				bk.Finish()
				return fmt.Errorf("store: backup: copying %s: %w", db, err)
			}
			if step != nil {
				step(bk.PageCount()-bk.Remaining(), bk.PageCount())
			}
			if !more {
				break
			}
			if err := ctx.Err(); err != nil {
				bk.Finish()
				return err
			}
		}
		if err := bk.Finish(); err != nil {
			return fmt.Errorf("store: backup: %w", err)
		}
		return nil
	})
}

// checkCopy makes the copy at path a self-contained file (rollback
// journal, not WAL: nothing beside it is needed) and checks it with PRAGMA
// integrity_check. name is how messages call it.
func checkCopy(ctx context.Context, path, name string) (int64, []TableCount, error) {
	r, err := openRawSQLite(ctx, path, false)
	if err != nil {
		return 0, nil, notSQLite(err, name)
	}
	defer func() {
		r.Close()
		removeSidecars(path)
	}()
	var mode string
	if err := r.db.QueryRowContext(ctx, "PRAGMA journal_mode = DELETE").Scan(&mode); err != nil {
		return 0, nil, notSQLite(err, name)
	}
	if err := integrityCheck(ctx, r.db, name); err != nil {
		return 0, nil, err
	}
	v, err := schemaVersion(ctx, r.db, "sqlite")
	if err != nil {
		return 0, nil, fmt.Errorf("store: reading %s: %w", name, err)
	}
	counts, err := countRows(ctx, r.db, "sqlite")
	if err != nil {
		return 0, nil, fmt.Errorf("store: reading %s: %w", name, err)
	}
	return v, counts, nil
}

// integrityCheck runs PRAGMA integrity_check on db; an error quotes its
// first findings.
func integrityCheck(ctx context.Context, db *sql.DB, name string) error {
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return notSQLite(err, name)
	}
	lines, err := collect(rows, func(s scanner) (string, error) {
		var l string
		return l, s.Scan(&l)
	})
	if err != nil {
		return notSQLite(err, name)
	}
	if len(lines) == 1 && lines[0] == "ok" {
		return nil
	}
	if len(lines) > 3 {
		lines = append(lines[:3], fmt.Sprintf("and %d more", len(lines)-3))
	}
	return invalid("file", "%s is damaged: PRAGMA integrity_check says %s", name, strings.Join(lines, "; "))
}

// notSQLite says plainly that a file is not a SQLite database (or is
// damaged beyond opening), and wraps any other error.
func notSQLite(err error, name string) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_NOTADB:
			return invalid("file", "%s is not a SQLite database", name)
		case sqlite3.SQLITE_CORRUPT:
			return invalid("file", "%s is damaged: %v", name, err)
		}
	}
	return fmt.Errorf("store: reading %s: %w", name, err)
}

// isDatabaseFile reports whether file is the database db or one of the
// files SQLite and stenose keep beside it.
func isDatabaseFile(file, db string) bool {
	for _, s := range []string{"", "-wal", "-shm", "-journal", LockSuffix} {
		if file == db+s {
			return true
		}
	}
	return false
}

// removeSidecars removes what SQLite may have left beside path.
func removeSidecars(path string) {
	for _, s := range []string{"-journal", "-wal", "-shm"} {
		os.Remove(path + s)
	}
}

// syncDir fsyncs a folder, so that a rename in it is on disk.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
