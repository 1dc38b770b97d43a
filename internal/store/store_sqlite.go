package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"

	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// SQLite settings, the same on every connection (modernc.org/sqlite runs
// busy_timeout first, then the other _pragma values):
//
//   - busy_timeout(5000): wait up to 5 s for a lock held by another
//     connection or process (a second `stenose` on the same file, a backup,
//     a WAL checkpoint) instead of failing with SQLITE_BUSY at once.
//   - journal_mode(WAL): readers never block the writer or each other.
//   - synchronous(FULL): every commit is fsynced to the WAL before it
//     returns. With NORMAL a commit survives a crash of stenose but can be
//     lost on power failure or an OS crash, even though the patient was told
//     "saved"; the issue asks that a write be acknowledged only once it is
//     committed. A diary is small and written rarely, so the fsync per
//     commit is cheap: one AddDiaryEntry took 0.5 ms with FULL and 0.2 ms
//     with NORMAL on the CI machine's disk (about 2,000 commits a second).
//   - foreign_keys(ON): SQLite's default is off; ON DELETE CASCADE, which
//     "delete my data" relies on, needs it.
//   - _txlock=immediate (writer only): BEGIN IMMEDIATE takes the write lock
//     when the transaction starts, so waiting for it honours busy_timeout; a
//     deferred transaction that later upgrades can fail with SQLITE_BUSY
//     at once.
//   - query_only(1) (reader pool only): its connections cannot write, even
//     by mistake.
const (
	sqliteCommon = "_pragma=busy_timeout(5000)&_pragma=foreign_keys(ON)"
	sqliteWriter = sqliteCommon + "&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate"
	sqliteReader = sqliteCommon + "&_pragma=query_only(1)"
)

var sqliteDialect = &dialect{
	name:  "sqlite",
	goose: goose.DialectSQLite3,
	// In WAL mode every read transaction is a snapshot already.
	readTx:   &sql.TxOptions{ReadOnly: true},
	classify: classifySQLite,
}

// sqliteURI makes a file: URI for path; the path is escaped, so a '?' or '#'
// in it stays part of the name.
func sqliteURI(path, query string) string {
	u := url.URL{Scheme: "file", Path: path}
	return u.String() + "?" + query
}

func openSQLite(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, invalid("db", "sqlite: no file named")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: sqlite: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, fmt.Errorf("store: sqlite: %w", err)
	}
	// Held until Close: a restore refuses a database in use (dblock.go).
	lock, err := lockShared(ctx, abs)
	if err != nil {
		return nil, err
	}
	s, err := openSQLiteLocked(ctx, abs)
	if err != nil {
		lock.Close()
		return nil, err
	}
	s.lock = lock
	return s, nil
}

func openSQLiteLocked(ctx context.Context, abs string) (*Store, error) {
	// Create the file ourselves, readable by its owner alone: it holds
	// health data, and SQLite gives the -wal and -shm files the database
	// file's permissions.
	f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store: sqlite: %w", err)
	}
	f.Close()

	// The writer: one connection, so that writes queue in Go instead of
	// contending for SQLite's lock.
	// Both keep their prepared statements (stmtcache.go).
	w := sql.OpenDB(newStmtCacheConnector(sqliteURI(abs, sqliteWriter)))
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	// The first connection switches the file to WAL, before any reader opens.
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("store: sqlite: open %s: %w", abs, err)
	}
	var mode string
	if err := w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || !strings.EqualFold(mode, "wal") {
		w.Close()
		return nil, fmt.Errorf("store: sqlite: %s is not in WAL mode (%q, %v)", abs, mode, err)
	}

	r := sql.OpenDB(newStmtCacheConnector(sqliteURI(abs, sqliteReader)))
	n := max(4, 2*runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	r.SetConnMaxIdleTime(0)
	if err := r.PingContext(ctx); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("store: sqlite: open %s: %w", abs, err)
	}
	return &Store{w: w, r: r, d: sqliteDialect, path: abs, commit: newCommitter(w)}, nil
}

// "UNIQUE constraint failed: users.login" → "login".
var sqliteColumn = regexp.MustCompile(`constraint failed: \w+\.(\w+)`)

func classifySQLite(err error) *Error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return nil
	}
	field := ""
	if m := sqliteColumn.FindStringSubmatch(se.Error()); m != nil {
		field = m[1]
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return errorf(ECONFLICT, field, "%s already taken", orWord(field, "value"))
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return errorf(ENOTFOUND, "", "the row it refers to does not exist")
	case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL, sqlite3.SQLITE_CONSTRAINT_DATATYPE:
		return errorf(EINVALID, field, "%s not allowed", orWord(field, "value"))
	}
	return nil
}

func orWord(s, dflt string) string {
	if s == "" {
		return dflt
	}
	return s
}
