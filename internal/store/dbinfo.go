package store

// What backup, restore and copy-db need to know about a database without
// opening it as a Store (which would migrate it): its engine, its schema
// version and its tables as the engine describes them. The checksum of
// every table's rows, the same on both engines, is in tablesum.go.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// rawDB is a database opened without the Store's pools, committer or
// migrations: the source of a backup or a copy, a file being restored.
type rawDB struct {
	db     *sql.DB
	engine string // "sqlite" or "postgres"
	where  string // the SQLite file's absolute path, or USER@HOST:PORT/DB
}

func (r *rawDB) Close() error { return r.db.Close() }

// openRaw opens the database dsn names. A SQLite file must exist (it is
// never created here); readOnly opens it so (mode=ro: nothing written, not
// even a checkpoint).
func openRaw(ctx context.Context, dsn, dataDir string, readOnly bool) (*rawDB, error) {
	kind, target, err := parseDSN(dsn, dataDir)
	if err != nil {
		return nil, err
	}
	if kind == "postgres" {
		dsn, _, err := poolSize(target)
		if err != nil {
			return nil, err
		}
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("store: postgres: %w", err)
		}
		db.SetMaxOpenConns(2)
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("store: postgres: %w", err)
		}
		return &rawDB{db: db, engine: "postgres", where: postgresLocation(dsn)}, nil
	}
	abs, err := filepath.Abs(target)
	if err != nil {
		return nil, fmt.Errorf("store: sqlite: %w", err)
	}
	return openRawSQLite(ctx, abs, readOnly)
}

// openRawSQLite opens the SQLite file at abs, which must exist.
func openRawSQLite(ctx context.Context, abs string, readOnly bool) (*rawDB, error) {
	st, err := os.Stat(abs)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, errorf(ENOTFOUND, "db", "%s does not exist", abs)
		}
		return nil, fmt.Errorf("store: %w", err)
	}
	if !st.Mode().IsRegular() {
		return nil, invalid("db", "%s is not a file", abs)
	}
	q := "_pragma=busy_timeout(5000)"
	if readOnly {
		q = "mode=ro&" + q
	}
	db, err := sql.Open("sqlite", sqliteURI(abs, q))
	if err != nil {
		return nil, fmt.Errorf("store: sqlite: %w", err)
	}
	db.SetMaxOpenConns(1)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: sqlite: open %s: %w", abs, err)
	}
	return &rawDB{db: db, engine: "sqlite", where: abs}, nil
}

// KnownSchemaVersion is the newest schema version this stenose knows: its
// last migration's number (the same for both engines).
func KnownSchemaVersion() int64 { return knownSchema("sqlite") }

// schemaVersion reads the database's schema version from goose's table
// without goose (which would create the table); 0 and no error when there
// is no such table (a database stenose has never migrated).
func schemaVersion(ctx context.Context, q querier, engine string) (int64, error) {
	exists := `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'goose_db_version'`
	if engine == "postgres" {
		exists = `SELECT count(*) FROM (SELECT to_regclass('goose_db_version') AS c) x WHERE c IS NOT NULL`
	}
	var n int
	if err := q.QueryRowContext(ctx, exists).Scan(&n); err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, nil
	}
	var v sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT max(version_id) FROM goose_db_version`).Scan(&v); err != nil {
		return 0, err
	}
	return v.Int64, nil
}

// kind is how a copy and a checksum treat a column's values.
type kind byte

const (
	kUnknown kind = iota
	kInt          // SQLite INTEGER; PostgreSQL bigint, integer, smallint
	kBool         // PostgreSQL boolean (SQLite keeps it as a 0/1 INTEGER)
	kText         // TEXT, text
	kBlob         // BLOB, bytea
	kReal         // REAL, double precision
)

// class is what a checksum writes for a kind: a boolean is the integer 0 or
// 1 on both engines, so a table reads the same on both.
func (k kind) class() byte {
	switch k {
	case kInt, kBool:
		return 'i'
	case kText:
		return 't'
	case kBlob:
		return 'b'
	case kReal:
		return 'f'
	}
	return '?'
}

func sqliteKind(decl string) kind {
	switch strings.ToUpper(strings.TrimSpace(decl)) {
	case "INTEGER", "INT":
		return kInt
	case "TEXT":
		return kText
	case "BLOB":
		return kBlob
	case "REAL":
		return kReal
	}
	return kUnknown
}

func postgresKind(dataType string) kind {
	switch dataType {
	case "bigint", "integer", "smallint":
		return kInt
	case "boolean":
		return kBool
	case "text", "character varying":
		return kText
	case "bytea":
		return kBlob
	case "double precision", "real":
		return kReal
	}
	return kUnknown
}

type column struct {
	name string
	decl string // the type as the engine names it, for messages
	kind kind
}

// tableInfo is one table as its engine describes it.
type tableInfo struct {
	name string
	cols []column // ordered by name: the order of every SELECT, INSERT and checksum
	pk   []string // the primary key's columns, in key order
	refs []string // the tables its foreign keys refer to
	// counter is the column whose id counter a copy carries over
	// (SQLite AUTOINCREMENT, PostgreSQL identity); "" for none.
	counter string
	// problem says why a copy cannot copy this table (no primary key to
	// order it by, a generated column, a type it does not know); "" if it
	// can.
	problem string
}

func (t *tableInfo) colNames() []string {
	names := make([]string, len(t.cols))
	for i, c := range t.cols {
		names[i] = c.name
	}
	return names
}

// ident quotes a name for SQL (both engines read "double quotes").
func ident(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

func idents(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = ident(n)
	}
	return strings.Join(q, ", ")
}

// listTables lists the database's own tables: every table but goose's
// bookkeeping and SQLite's internal ones.
func listTables(ctx context.Context, q querier, engine string) ([]string, error) {
	query := `SELECT name FROM sqlite_schema WHERE type = 'table'
		AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name <> 'goose_db_version' ORDER BY name`
	if engine == "postgres" {
		query = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()
			AND table_type = 'BASE TABLE' AND table_name <> 'goose_db_version' ORDER BY table_name`
	}
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r scanner) (string, error) {
		var n string
		return n, r.Scan(&n)
	})
}

// describe discovers every table of the database: its columns and their
// kinds, primary key, foreign keys and id counter. Nothing here is a list
// of stenose's tables: a table added by a migration is found, and one that
// a copy cannot handle says why in its problem.
func describe(ctx context.Context, q querier, engine string) ([]tableInfo, error) {
	names, err := listTables(ctx, q, engine)
	if err != nil {
		return nil, fmt.Errorf("store: listing tables: %w", err)
	}
	out := make([]tableInfo, 0, len(names))
	for _, name := range names {
		var t tableInfo
		if engine == "postgres" {
			t, err = describePostgres(ctx, q, name)
		} else {
			t, err = describeSQLite(ctx, q, name)
		}
		if err != nil {
			return nil, fmt.Errorf("store: describing table %s: %w", name, err)
		}
		slices.SortFunc(t.cols, func(a, b column) int { return strings.Compare(a.name, b.name) })
		for _, c := range t.cols {
			if c.kind == kUnknown && t.problem == "" {
				t.problem = fmt.Sprintf("column %s has the type %q, which copy-db does not know how to copy", c.name, c.decl)
			}
		}
		if len(t.pk) == 0 && t.problem == "" {
			t.problem = "it has no primary key to order its rows by"
		}
		if slices.Contains(t.refs, name) && t.problem == "" {
			t.problem = "it refers to itself, so copy-db does not know an order to insert its rows in"
		}
		out = append(out, t)
	}
	return out, nil
}

func describeSQLite(ctx context.Context, q querier, name string) (tableInfo, error) {
	t := tableInfo{name: name}
	var ddl string
	if err := q.QueryRowContext(ctx, `SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = $1`, name).Scan(&ddl); err != nil {
		return t, err
	}
	rows, err := q.QueryContext(ctx, `SELECT name, type, pk, hidden FROM pragma_table_xinfo($1) ORDER BY cid`, name)
	if err != nil {
		return t, err
	}
	type col struct {
		name, decl string
		pk, hidden int
	}
	cols, err := collect(rows, func(r scanner) (col, error) {
		var c col
		return c, r.Scan(&c.name, &c.decl, &c.pk, &c.hidden)
	})
	if err != nil {
		return t, err
	}
	slices.SortFunc(cols, func(a, b col) int { return a.pk - b.pk })
	for _, c := range cols {
		if c.hidden != 0 {
			t.problem = fmt.Sprintf("column %s is generated or hidden, which copy-db does not know how to copy", c.name)
		}
		t.cols = append(t.cols, column{name: c.name, decl: c.decl, kind: sqliteKind(c.decl)})
		if c.pk > 0 {
			t.pk = append(t.pk, c.name)
		}
	}
	if len(t.pk) == 1 && strings.Contains(strings.ToUpper(ddl), "AUTOINCREMENT") {
		t.counter = t.pk[0]
	}
	rows, err = q.QueryContext(ctx, `SELECT DISTINCT "table" FROM pragma_foreign_key_list($1) ORDER BY 1`, name)
	if err != nil {
		return t, err
	}
	t.refs, err = collect(rows, func(r scanner) (string, error) {
		var n string
		return n, r.Scan(&n)
	})
	return t, err
}

func describePostgres(ctx context.Context, q querier, name string) (tableInfo, error) {
	t := tableInfo{name: name}
	rows, err := q.QueryContext(ctx, `SELECT column_name, data_type, is_identity = 'YES', is_generated <> 'NEVER',
			coalesce(column_default, '') LIKE 'nextval(%'
		FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1
		ORDER BY ordinal_position`, name)
	if err != nil {
		return t, err
	}
	type col struct {
		name, decl                  string
		identity, generated, serial bool
	}
	cols, err := collect(rows, func(r scanner) (col, error) {
		var c col
		return c, r.Scan(&c.name, &c.decl, &c.identity, &c.generated, &c.serial)
	})
	if err != nil {
		return t, err
	}
	for _, c := range cols {
		if c.generated {
			t.problem = fmt.Sprintf("column %s is generated, which copy-db does not know how to copy", c.name)
		}
		if (c.identity || c.serial) && t.counter == "" {
			t.counter = c.name
		}
		t.cols = append(t.cols, column{name: c.name, decl: c.decl, kind: postgresKind(c.decl)})
	}
	const rel = `(quote_ident(current_schema()) || '.' || quote_ident($1))::regclass`
	rows, err = q.QueryContext(ctx, `SELECT a.attname FROM pg_index i
		JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
		WHERE i.indrelid = `+rel+` AND i.indisprimary
		ORDER BY array_position(i.indkey::int2[], a.attnum)`, name)
	if err != nil {
		return t, err
	}
	if t.pk, err = collect(rows, func(r scanner) (string, error) {
		var n string
		return n, r.Scan(&n)
	}); err != nil {
		return t, err
	}
	rows, err = q.QueryContext(ctx, `SELECT DISTINCT r.relname FROM pg_constraint c JOIN pg_class r ON r.oid = c.confrelid
		WHERE c.conrelid = `+rel+` AND c.contype = 'f' ORDER BY 1`, name)
	if err != nil {
		return t, err
	}
	t.refs, err = collect(rows, func(r scanner) (string, error) {
		var n string
		return n, r.Scan(&n)
	})
	return t, err
}

// selectOrdered reads every row of t, its columns by name, ordered by its
// primary key the same way on both engines: numbers by value, text and
// bytes byte by byte (PostgreSQL's text under the "C" collation, which is
// SQLite's BINARY for UTF-8).
func selectOrdered(t *tableInfo, engine string) string { return selectWhere(t, engine, "") }

// selectWhere is selectOrdered of the rows that match where ("": all).
func selectWhere(t *tableInfo, engine, where string) string {
	order := make([]string, len(t.pk))
	for i, c := range t.pk {
		order[i] = ident(c)
		if engine == "postgres" {
			for _, col := range t.cols {
				if col.name == c && col.kind == kText {
					order[i] += ` COLLATE "C"`
				}
			}
		}
	}
	if where != "" {
		where = ` WHERE ` + where
	}
	return `SELECT ` + idents(t.colNames()) + ` FROM ` + ident(t.name) + where + ` ORDER BY ` + strings.Join(order, ", ")
}
