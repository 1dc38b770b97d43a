package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

var postgresDialect = &dialect{
	name:  "postgres",
	goose: goose.DialectPostgres,
	// READ COMMITTED (the default) takes a new snapshot per statement; a
	// list with its children or an export must see one state of the data.
	readTx:         &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead},
	forUpdate:      " FOR UPDATE",
	classify:       classifyPostgres,
	migrateOptions: postgresMigrateOptions,
}

// defaultPoolConns is the most connections one stenose opens to PostgreSQL.
// Several instances share the server's max_connections (100 by default):
// pool_max_conns in the URL sets another limit.
const defaultPoolConns = 16

// poolSize takes pool_max_conns (pgxpool's name for it) out of dsn, which
// pgx would otherwise send to the server as a setting it does not know.
func poolSize(dsn string) (string, int, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", 0, invalid("db", "postgres: the URL does not parse")
	}
	q := u.Query()
	if !q.Has("pool_max_conns") {
		return dsn, defaultPoolConns, nil
	}
	n, err := strconv.Atoi(q.Get("pool_max_conns"))
	if err != nil || n < 1 || n > 1000 {
		return "", 0, invalid("db", "postgres: pool_max_conns must be a whole number from 1 to 1000")
	}
	q.Del("pool_max_conns")
	u.RawQuery = q.Encode()
	return u.String(), n, nil
}

// postgresLocation is where the database of the URL dsn is, without the
// password or any other parameter: USER@HOST:PORT/DB, with the libpq
// defaults for what the URL leaves out (host=/var/run/postgresql and the
// like from the query, the default port 5432, the user as the database).
func postgresLocation(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres (an unreadable URL)"
	}
	q := u.Query()
	host, port := u.Hostname(), u.Port()
	if host == "" {
		host = q.Get("host")
	}
	if host == "" {
		host = "localhost"
	}
	if port == "" {
		port = q.Get("port")
	}
	if port == "" {
		port = "5432"
	}
	user := u.User.Username()
	if user == "" {
		user = q.Get("user")
	}
	db := strings.TrimPrefix(u.Path, "/")
	if db == "" {
		db = q.Get("dbname")
	}
	if db == "" {
		db = user
	}
	loc := net.JoinHostPort(host, port) + "/" + db
	if user != "" {
		loc = user + "@" + loc
	}
	if sp := q.Get("search_path"); sp != "" {
		loc += " (search_path " + sp + ")"
	}
	return loc
}

func openPostgres(ctx context.Context, dsn string) (*Store, error) {
	dsn, conns, err := poolSize(dsn)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: postgres: %w", err)
	}
	// One pool serves reads and writes: the server does its own locking.
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	db.SetConnMaxLifetime(time.Hour)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: postgres: %w", err)
	}
	s := &Store{w: db, r: db, d: postgresDialect, server: postgresLocation(dsn)}
	s.diaries = newDiaryBatcher(s)
	return s, nil
}

// postgresMigrateOptions takes an advisory lock around migrations, so that
// servers starting at once migrate one after another. The lock's id is
// derived from the schema the migrations go into (the first schema of the
// search_path), so that databases or schemas migrating side by side (tests,
// several clinics on one server) do not wait for each other.
func postgresMigrateOptions(ctx context.Context, db *sql.DB) ([]goose.ProviderOption, error) {
	var schema sql.NullString
	if err := db.QueryRowContext(ctx, "SELECT current_database() || '.' || current_schema()").Scan(&schema); err != nil {
		return nil, err
	}
	if !schema.Valid {
		return nil, errors.New("no schema to migrate into: check the search_path")
	}
	h := fnv.New64a()
	h.Write([]byte(schema.String))
	l, err := lock.NewPostgresSessionLocker(
		lock.WithLockID(lock.DefaultLockID^int64(h.Sum64()>>1)),
		lock.WithLockTimeout(1, 300), // try every second for 5 minutes
	)
	if err != nil {
		return nil, err
	}
	return []goose.ProviderOption{goose.WithSessionLocker(l)}, nil
}

func classifyPostgres(err error) *Error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return nil
	}
	field := pe.ColumnName
	if field == "" && pe.ConstraintName != "" {
		// Constraints are named table_column_key / table_column_check.
		field = strings.TrimPrefix(pe.ConstraintName, pe.TableName+"_")
		field = strings.TrimSuffix(strings.TrimSuffix(field, "_key"), "_check")
	}
	switch pe.Code {
	case "23505": // unique_violation
		return errorf(ECONFLICT, field, "%s already taken", orWord(field, "value"))
	case "23503": // foreign_key_violation
		return errorf(ENOTFOUND, "", "the row it refers to does not exist")
	case "23514", "23502", "22003": // check_violation, not_null_violation, numeric_value_out_of_range
		return errorf(EINVALID, field, "%s not allowed", orWord(field, "value"))
	}
	return nil
}
