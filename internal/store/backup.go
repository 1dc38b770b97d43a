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
	"io"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
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
