package store

// A checksum of every table's rows that reads the same on SQLite and
// PostgreSQL, and the rows counted per table: what backup, restore and
// copy-db print and compare (the tables themselves are described in
// dbinfo.go).

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"math"
)

// rowHash is the checksum of one table: SHA-256 over its name, its
// columns' names and classes, and every row in primary-key order, each
// value written with a tag (null, integer, text, bytes, real) and a length
// where it has one. A boolean is written as the integer 0 or 1, so the same
// rows give the same sum on SQLite and PostgreSQL.
type rowHash struct {
	h    hash.Hash
	cols []column
	rows int64
	buf  []byte
}

func newRowHash(t *tableInfo) *rowHash {
	r := &rowHash{h: sha256.New(), cols: t.cols}
	r.buf = binary.AppendUvarint(r.buf, uint64(len(t.name)))
	r.buf = append(r.buf, t.name...)
	for _, c := range t.cols {
		r.buf = binary.AppendUvarint(r.buf, uint64(len(c.name)))
		r.buf = append(r.buf, c.name...)
		r.buf = append(r.buf, c.kind.class())
	}
	r.h.Write(r.buf)
	return r
}

// add writes one row (its values in the columns' order) to the sum.
func (r *rowHash) add(vals []any) error {
	b := r.buf[:0]
	for i, v := range vals {
		c := r.cols[i]
		v, err := canonical(v, c.kind)
		if err != nil {
			return fmt.Errorf("column %s: %w", c.name, err)
		}
		switch v := v.(type) {
		case nil:
			b = append(b, 'n')
		case int64:
			b = binary.BigEndian.AppendUint64(append(b, 'i'), uint64(v))
		case string:
			b = binary.AppendUvarint(append(b, 't'), uint64(len(v)))
			b = append(b, v...)
		case []byte:
			b = binary.AppendUvarint(append(b, 'b'), uint64(len(v)))
			b = append(b, v...)
		case float64:
			b = binary.BigEndian.AppendUint64(append(b, 'f'), math.Float64bits(v))
		}
	}
	r.buf = b
	r.rows++
	_, err := r.h.Write(b)
	return err
}

func (r *rowHash) hex() string { return hex.EncodeToString(r.h.Sum(nil)) }

// canonical turns a value as either engine's driver returns it into the
// one Go type its column's kind has in a checksum: int64 (integers and
// booleans), string, []byte, float64 or nil.
func canonical(v any, k kind) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch k {
	case kInt, kBool:
		switch x := v.(type) {
		case int64:
			return x, nil
		case int32:
			return int64(x), nil
		case int16:
			return int64(x), nil
		case int:
			return int64(x), nil
		case bool:
			if x {
				return int64(1), nil
			}
			return int64(0), nil
		}
	case kText:
		switch x := v.(type) {
		case string:
			return x, nil
		case []byte:
			return string(x), nil
		}
	case kBlob:
		switch x := v.(type) {
		case []byte:
			return x, nil
		case string:
			return []byte(x), nil
		}
	case kReal:
		switch x := v.(type) {
		case float64:
			return x, nil
		case float32:
			return float64(x), nil
		case int64:
			return float64(x), nil
		}
	}
	return nil, fmt.Errorf("a %T value where a %c was expected", v, k.class())
}

// forTarget turns a value read from the source into what the target
// column of kind k takes: a boolean column gets a bool, an integer one an
// int64 (a SQLite 0/1 becomes PostgreSQL's false/true and back).
func forTarget(v any, k kind) (any, error) {
	c, err := canonical(v, k)
	if err != nil || c == nil || k != kBool {
		return c, err
	}
	switch c.(int64) {
	case 0:
		return false, nil
	case 1:
		return true, nil
	}
	return nil, fmt.Errorf("%d is not a yes/no value (0 or 1)", c)
}

// TableSum is one table's row count and checksum.
type TableSum struct {
	Table string
	Rows  int64
	Sum   string // hex SHA-256 (rowHash)
}

// rowIter is a result set read row by row, each row's values as the
// driver returns them.
type rowIter interface {
	Next() bool
	Values() ([]any, error)
	Err() error
	Close()
}

// sqlRows is a rowIter over database/sql's rows.
type sqlRows struct {
	rows *sql.Rows
	vals []any
	ptrs []any
}

func queryRows(ctx context.Context, q querier, query string, n int) (*sqlRows, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	r := &sqlRows{rows: rows, vals: make([]any, n), ptrs: make([]any, n)}
	for i := range r.vals {
		r.ptrs[i] = &r.vals[i]
	}
	return r, nil
}

func (r *sqlRows) Next() bool { return r.rows.Next() }
func (r *sqlRows) Values() ([]any, error) {
	clear(r.vals)
	return r.vals, r.rows.Scan(r.ptrs...)
}
func (r *sqlRows) Err() error { return r.rows.Err() }
func (r *sqlRows) Close()     { r.rows.Close() }

// sumTable reads every row of t from rows and returns its count and sum.
func sumTable(t *tableInfo, rows rowIter) (TableSum, error) {
	defer rows.Close()
	h := newRowHash(t)
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return TableSum{}, err
		}
		if err := h.add(vals); err != nil {
			return TableSum{}, fmt.Errorf("table %s: %w", t.name, err)
		}
	}
	if err := rows.Err(); err != nil {
		return TableSum{}, err
	}
	return TableSum{Table: t.name, Rows: h.rows, Sum: h.hex()}, nil
}

// tableSums reads every table of the database in one snapshot and returns
// their row counts and checksums, by table name. A table the checksum
// cannot order (no primary key …) is an error.
func tableSums(ctx context.Context, db *sql.DB, engine string) ([]TableSum, error) {
	return tableSumsWhere(ctx, db, engine, nil)
}

// tableSumsWhere is tableSums with some tables' rows narrowed by a WHERE
// condition (the tests compare a snapshot with the rows it should hold).
func tableSumsWhere(ctx context.Context, db *sql.DB, engine string, where map[string]string) ([]TableSum, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if engine == "postgres" {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := db.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	tables, err := describe(ctx, tx, engine)
	if err != nil {
		return nil, err
	}
	var out []TableSum
	for i := range tables {
		t := &tables[i]
		if t.problem != "" {
			return nil, fmt.Errorf("store: table %s: %s", t.name, t.problem)
		}
		rows, err := queryRows(ctx, tx, selectWhere(t, engine, where[t.name]), len(t.cols))
		if err != nil {
			return nil, fmt.Errorf("store: reading %s: %w", t.name, err)
		}
		s, err := sumTable(t, rows)
		if err != nil {
			return nil, fmt.Errorf("store: reading %s: %w", t.name, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// TableSums returns the row count and checksum of every table of the
// database dsn names, read in one snapshot, without migrating it: the
// same sums copy-db prints, so two databases on either engine can be
// compared table by table.
func TableSums(ctx context.Context, dsn, dataDir string) ([]TableSum, error) {
	r, err := openRaw(ctx, dsn, dataDir, true)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return tableSums(ctx, r.db, r.engine)
}

// countRows counts the rows of every table, in one snapshot.
func countRows(ctx context.Context, q querier, engine string) ([]TableCount, error) {
	names, err := listTables(ctx, q, engine)
	if err != nil {
		return nil, err
	}
	out := make([]TableCount, 0, len(names))
	for _, n := range names {
		var c int64
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM `+ident(n)).Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, TableCount{Table: n, Rows: c})
	}
	return out, nil
}

// TableCount is one table's number of rows.
type TableCount struct {
	Table string
	Rows  int64
}
