// Package store keeps stenose's data: users, login sessions, symptom diary,
// training sessions, walks, red-flag check-ins and baselines. It runs on
// SQLite (the default: one file in the data folder, no set-up) and on
// PostgreSQL (several servers, one database).
//
// One code path serves both engines: hand-written SQL with $1…$n
// placeholders, which modernc.org/sqlite binds by number as PostgreSQL does,
// through database/sql. What differs lives in store_sqlite.go and
// store_postgres.go (opening, pools, how a driver reports a constraint
// violation, the read snapshot) and in one migrations folder per dialect.
// Every time is stored as unix seconds (an integer column on both engines),
// so no driver's idea of a time type leaks into the schema.
//
// A method that writes returns only after its transaction has committed: a
// nil error means the data is on disk (SQLite, synchronous=FULL) or
// committed on the server (PostgreSQL).
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pressly/goose/v3"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

// Store is an open database. Its methods are safe for concurrent use.
type Store struct {
	w   *sql.DB // writes; on SQLite a single connection
	r   *sql.DB // reads; on SQLite a read-only pool, on PostgreSQL the same pool as w
	d   *dialect
	now func() time.Time

	// commit batches write transactions on SQLite's one writer connection
	// (commit.go); nil on PostgreSQL.
	commit *committer
	// diaries batches new diary entries on PostgreSQL (diary_batch.go);
	// nil on SQLite.
	diaries *diaryBatcher

	// deriver keeps the workspace's alerts and summaries (derive.go);
	// nil: nothing is derived.
	deriver atomic.Pointer[Deriver]

	// path is the SQLite file; "" on PostgreSQL.
	path string
	// lock is the SQLite file's lock file, held shared while the Store is
	// open so that a restore refuses the database in use (dblock.go); nil
	// on PostgreSQL.
	lock *os.File
	// server is where a PostgreSQL database is, without the password
	// (postgresLocation); "" on SQLite.
	server string
}

// dialect holds what differs between the engines; see store_sqlite.go and
// store_postgres.go.
type dialect struct {
	name  string // "sqlite" or "postgres": also the migrations folder
	goose goose.Dialect

	// readTx starts the read-only transaction of a multi-query read (a list
	// with its children, an export) so that all its queries see one snapshot.
	readTx *sql.TxOptions

	// forUpdate ends a SELECT that locks the rows it reads until the
	// transaction ends (PostgreSQL: " FOR UPDATE"; SQLite has one writer,
	// so a write transaction's reads are locked already: "").
	forUpdate string

	// classify turns a driver's constraint error into an *Error, or returns
	// nil for any other error.
	classify func(error) *Error

	// migrateOptions returns extra goose options (PostgreSQL: a session lock,
	// so that servers starting together migrate one at a time).
	migrateOptions func(ctx context.Context, db *sql.DB) ([]goose.ProviderOption, error)
}

// Option changes how Open sets up a Store.
type Option func(*options)

type options struct {
	now func() time.Time
}

// WithClock sets the clock used for the created_at and updated_at stamps the
// store sets itself (tests pass a fixed one). Times that belong to the data
// (when a walk started, a session's expiry, "now" for an expiry check) are
// always passed in by the caller.
func WithClock(now func() time.Time) Option {
	return func(o *options) { o.now = now }
}

// DefaultFile is the SQLite file's name in the data folder.
const DefaultFile = "stenose.db"

// Open opens the database named by dsn and migrates it to the newest schema.
//
//	""                        SQLite, DATADIR/stenose.db (the folder is created 0700)
//	"sqlite:PATH"             SQLite, that file ("sqlite:" alone: the default)
//	"postgres://…"            PostgreSQL (also "postgresql://…"), a pgx URL
//
// Close the Store when done.
func Open(ctx context.Context, dsn, dataDir string, opts ...Option) (*Store, error) {
	o := options{now: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	kind, target, err := parseDSN(dsn, dataDir)
	if err != nil {
		return nil, err
	}
	var s *Store
	switch kind {
	case "sqlite":
		s, err = openSQLite(ctx, target)
	case "postgres":
		s, err = openPostgres(ctx, target)
	}
	if err != nil {
		return nil, err
	}
	s.now = o.now
	if _, err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.foldNames(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("store: folding names for the search: %w", err)
	}
	return s, nil
}

// parseDSN returns the engine and, for SQLite, the file's path or, for
// PostgreSQL, the URL.
func parseDSN(dsn, dataDir string) (kind, target string, err error) {
	switch {
	case dsn == "" || dsn == "sqlite:" || dsn == "sqlite3:":
		if dataDir == "" {
			return "", "", invalid("db", "no database given and no data folder to put one in")
		}
		return "sqlite", filepath.Join(dataDir, DefaultFile), nil
	case strings.HasPrefix(dsn, "sqlite:"):
		return "sqlite", strings.TrimPrefix(dsn, "sqlite:"), nil
	case strings.HasPrefix(dsn, "sqlite3:"):
		return "sqlite", strings.TrimPrefix(dsn, "sqlite3:"), nil
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return "postgres", dsn, nil
	}
	// Never echo the DSN: it may hold a password.
	scheme, _, _ := strings.Cut(dsn, ":")
	if len(scheme) > 20 {
		scheme = scheme[:20]
	}
	return "", "", invalid("db", "unknown database %q: use sqlite:PATH or postgres://…", scheme+":")
}

// Dialect returns "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.d.name }

// Path returns the SQLite file's path, or "" on PostgreSQL.
func (s *Store) Path() string { return s.path }

// Location says where the database is, for a log line or a message: the
// SQLite file's absolute path, or PostgreSQL's USER@HOST:PORT/DB — never
// the password.
func (s *Store) Location() string {
	if s.server != "" {
		return s.server
	}
	return s.path
}

// Close closes the database's pools.
func (s *Store) Close() error {
	if s.commit != nil {
		s.commit.close()
	}
	if s.diaries != nil {
		s.diaries.close()
	}
	err := s.w.Close()
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	if s.lock != nil {
		err = errors.Join(err, s.lock.Close())
	}
	return err
}

// Ping checks that the database answers (for /healthz).
func (s *Store) Ping(ctx context.Context) error {
	if err := s.w.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// PoolStats are the connection pools' figures, for the metrics: the
// writer's and the reader's (on PostgreSQL the one pool, so reader is
// zero).
func (s *Store) PoolStats() (writer, reader sql.DBStats) {
	writer = s.w.Stats()
	if s.r != s.w {
		reader = s.r.Stats()
	}
	return writer, reader
}

// ErrSchema is the error Ready returns when the database's schema is not
// the one this program knows: another instance of a newer (or an older)
// stenose has migrated it since this one started.
var ErrSchema = errors.New("store: the database's schema is not this program's")

// Ready reports whether this instance can serve from the database: it
// answers, and its schema is the version this program was built for. One
// query on the read pool, cheap enough for a load balancer's health check
// every second or two. During a rolling upgrade the first new instance
// migrates the schema; the old instances then report ErrSchema, so the
// balancer sends their traffic to the new ones.
func (s *Store) Ready(ctx context.Context) error {
	var v sql.NullInt64
	if err := s.r.QueryRowContext(ctx, `SELECT max(version_id) FROM goose_db_version`).Scan(&v); err != nil {
		return fmt.Errorf("store: ready: %w", err)
	}
	if known := knownSchema(s.d.name); v.Int64 != known {
		return fmt.Errorf("%w: version %d, this program's is %d", ErrSchema, v.Int64, known)
	}
	return nil
}

// knownSchema is the newest migration this program has for an engine: the
// number that starts the last file name in migrations/<engine>.
func knownSchema(engine string) int64 {
	schemaOnce.Do(func() {
		for _, e := range []string{"sqlite", "postgres"} {
			files, _ := fs.Glob(migrationFiles, "migrations/"+e+"/*.sql")
			for _, f := range files {
				num, _, _ := strings.Cut(path.Base(f), "_")
				if n, err := strconv.ParseInt(num, 10, 64); err == nil && n > schemaKnown[e] {
					schemaKnown[e] = n
				}
			}
		}
	})
	return schemaKnown[engine]
}

var (
	schemaOnce  sync.Once
	schemaKnown = map[string]int64{}
)

func (s *Store) provider(ctx context.Context) (*goose.Provider, error) {
	dir, err := fs.Sub(migrationFiles, "migrations/"+s.d.name)
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	if s.d.migrateOptions != nil {
		more, err := s.d.migrateOptions(ctx, s.w)
		if err != nil {
			return nil, err
		}
		opts = append(opts, more...)
	}
	// The provider is never closed: its Close would close s.w.
	return goose.NewProvider(s.d.goose, s.w, dir, opts...)
}

// Migrate applies the migrations the database has not had yet and returns
// how many it applied; 0 when the schema is current. Open already does this;
// it is here for `stenose migrate`.
func (s *Store) Migrate(ctx context.Context) (applied int, err error) {
	p, err := s.provider(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: migrate: %w", err)
	}
	// A database a newer stenose has migrated: refuse it rather than run
	// an older program against a schema it does not know.
	if srcs := p.ListSources(); len(srcs) > 0 {
		known := srcs[len(srcs)-1].Version
		db, err := p.GetDBVersion(ctx)
		if err != nil {
			return 0, fmt.Errorf("store: migrate: %w", err)
		}
		if db > known {
			return 0, errorf(EINVALID, "schema", "the database's schema is version %d, newer than this stenose knows (%d): a newer stenose has used it — run that version, or restore a backup made for this one", db, known)
		}
	}
	res, err := p.Up(ctx)
	if err != nil {
		return len(res), fmt.Errorf("store: migrate: %w", err)
	}
	return len(res), nil
}

// SchemaVersion returns the version of the newest migration applied.
func (s *Store) SchemaVersion(ctx context.Context) (int64, error) {
	p, err := s.provider(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: schema version: %w", err)
	}
	v, err := p.GetDBVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: schema version: %w", err)
	}
	return v, nil
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// write runs fn in a write transaction and commits it; it returns nil only
// once the commit has succeeded. On SQLite the transaction begins IMMEDIATE
// (_txlock), so it takes the write lock at once and waits under busy_timeout
// rather than failing on a lock upgrade.
//
// On SQLite, writes waiting at the same time share one transaction and one
// commit, each in its own savepoint (commit.go).
func (s *Store) write(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	if s.commit != nil {
		if err := s.commit.do(ctx, fn); err != nil {
			return s.fail(op, err)
		}
		return nil
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return s.fail(op, err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return s.fail(op, err)
	}
	if err := tx.Commit(); err != nil {
		return s.fail(op, err)
	}
	return nil
}

// writeOne is write for a function that runs exactly one statement. On
// PostgreSQL it runs on the pool with no BEGIN and COMMIT around it (a lone
// statement commits by itself, and it saves two round trips on the busiest
// writes); on SQLite it goes through the committer like any write.
func (s *Store) writeOne(ctx context.Context, op string, fn func(q querier) error) error {
	if s.commit != nil {
		return s.write(ctx, op, func(tx *sql.Tx) error { return fn(tx) })
	}
	if err := fn(s.w); err != nil {
		return s.fail(op, err)
	}
	return nil
}

// exec runs one statement on the writer and returns once it has committed
// (on SQLite through the committer, like write).
func (s *Store) exec(ctx context.Context, op, query string, args ...any) (sql.Result, error) {
	if s.commit != nil {
		var res sql.Result
		err := s.write(ctx, op, func(tx *sql.Tx) (err error) {
			res, err = tx.ExecContext(ctx, query, args...)
			return err
		})
		return res, err
	}
	res, err := s.w.ExecContext(ctx, query, args...)
	if err != nil {
		return nil, s.fail(op, err)
	}
	return res, nil
}

// execOne runs one statement that must change exactly one row, or reports
// what as not found.
func (s *Store) execOne(ctx context.Context, op, what string, id any, query string, args ...any) error {
	res, err := s.exec(ctx, op, query, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return s.fail(op, err)
	}
	if n == 0 {
		return notFound(what, id)
	}
	return nil
}

// read runs fn in a read-only transaction: one snapshot for all its queries.
func (s *Store) read(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	tx, err := s.r.BeginTx(ctx, s.d.readTx)
	if err != nil {
		return s.fail(op, err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only: nothing to keep
	if err := fn(tx); err != nil {
		return s.fail(op, err)
	}
	return nil
}

// fail turns a driver error into an *Error where it is one the caller can act
// on (a unique value taken, a missing user), and wraps anything else.
func (s *Store) fail(op string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	if ce := s.d.classify(err); ce != nil {
		return ce
	}
	return fmt.Errorf("store: %s: %w", op, err)
}

// collect reads every row of rows with scan, closing rows; a list with
// no rows is empty, not nil.
func collect[T any](rows *sql.Rows, scan func(scanner) (T, error)) ([]T, error) {
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		x, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// changedOne is nil when res changed a row, else what id's ErrNotFound.
func changedOne(res sql.Result, what string, id any) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound(what, id)
	}
	return nil
}

// scanner is what *sql.Row and *sql.Rows have in common.
type scanner interface {
	Scan(dest ...any) error
}

// Times are unix seconds in the database, UTC in Go.

func fromUnix(n int64) time.Time { return time.Unix(n, 0).UTC() }

// nullUnix stores a zero time as NULL.
func nullUnix(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.Unix(), Valid: true}
}

func fromNullUnix(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return fromUnix(n.Int64)
}

// nullInt stores a nil *int as NULL.
func nullInt(p *int) sql.NullInt64 {
	if p == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: int64(*p), Valid: true}
}

func fromNullInt(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	v := int(n.Int64)
	return &v
}

// span turns [from, to) into unix bounds; a zero time is open-ended.
func span(from, to time.Time) (int64, int64) {
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if !from.IsZero() {
		lo = from.Unix()
	}
	if !to.IsZero() {
		hi = to.Unix()
	}
	return lo, hi
}

// stamp is the store's own "now" for created_at/updated_at, to the second.
func (s *Store) stamp() time.Time { return s.now().UTC().Truncate(time.Second) }

// orNow returns t to the second, or the store's clock when t is zero.
func (s *Store) orNow(t time.Time) time.Time {
	if t.IsZero() {
		return s.stamp()
	}
	return t.UTC().Truncate(time.Second)
}
