package store

// copy-db: every table of one database into another, SQLite to PostgreSQL
// and back (or SQLite to SQLite, PostgreSQL to PostgreSQL), for a clinic
// that outgrows one machine or moves back to one.
//
// The tables are discovered (dbinfo.go), never listed here: a table a
// migration adds is copied without a change to this file, and one the copy
// cannot handle (no primary key to order it by, a column type it does not
// know, a foreign key to itself) fails the copy with its name instead of
// being left behind. The source is read in one snapshot; the target is
// written in one transaction, which ends with every table read back and
// its checksum compared with the source's, so a target that would differ
// in any row is rolled back, never committed.

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// TableCopy is one table of a copy: its rows and checksum as read from
// the source and as read back from the target.
type TableCopy struct {
	Table          string
	Source, Target TableSum
}

// CopyReport says what CopyDB copied.
type CopyReport struct {
	From, To             string // where the databases are, never a password
	FromEngine, ToEngine string
	SchemaVersion        int64
	Tables               []TableCopy
}

// Rows is the number of rows copied.
func (r *CopyReport) Rows() int64 {
	var n int64
	for _, t := range r.Tables {
		n += t.Target.Rows
	}
	return n
}

// CopyDB copies every table of the database fromDSN names into the one
// toDSN names (the DSNs as Open takes them; dataDir for an empty one).
// When the target read back differs from the source, the report comes
// with the error, with both sides' sums.
//
// The source must be at this stenose's schema version and is only read,
// in one snapshot (it may be in use). The target must hold no rows: it is
// migrated to the same version, then written in one transaction — on
// PostgreSQL with its tables locked against writers, on SQLite with the
// write lock — and the identity counters are set past the copied ids (and
// past the source's own counters, so an id deleted in the source is not
// given out again). Before the commit every table is read back and its
// row count and checksum compared with the source's; any difference rolls
// the whole copy back and is an error.
func CopyDB(ctx context.Context, fromDSN, toDSN, dataDir string) (*CopyReport, error) {
	src, err := openRaw(ctx, fromDSN, dataDir, true)
	if err != nil {
		return nil, fmt.Errorf("the source: %w", err)
	}
	defer src.Close()
	known := KnownSchemaVersion()
	v, err := schemaVersion(ctx, src.db, src.engine)
	if err != nil {
		return nil, fmt.Errorf("the source %s: %w", src.where, err)
	}
	switch {
	case v == 0:
		return nil, invalid("from", "the source %s is not a stenose database: it has no schema version", src.where)
	case v > known:
		return nil, invalid("from", "the source %s has schema version %d, newer than this stenose knows (%d): copy it with the stenose that made it", src.where, v, known)
	case v < known:
		return nil, invalid("from", "the source %s has schema version %d, older than this stenose's (%d): run stenose migrate on it first", src.where, v, known)
	}

	if err := checkCopyTarget(ctx, src, toDSN, dataDir); err != nil {
		return nil, err
	}
	tgt, err := Open(ctx, toDSN, dataDir) // creates and migrates an empty target
	if err != nil {
		return nil, fmt.Errorf("the target: %w", err)
	}
	defer tgt.Close()
	rep := &CopyReport{From: src.where, To: tgt.Location(), FromEngine: src.engine, ToEngine: tgt.Dialect(), SchemaVersion: v}

	srcTx, err := src.db.BeginTx(ctx, readSnapshot(src.engine))
	if err != nil {
		return nil, err
	}
	defer srcTx.Rollback() //nolint:errcheck // read-only
	srcTables, err := describe(ctx, srcTx, src.engine)
	if err != nil {
		return nil, err
	}
	tgtTables, err := describe(ctx, tgt.w, tgt.Dialect())
	if err != nil {
		return nil, err
	}
	order, err := copyPlan(srcTables, tgtTables)
	if err != nil {
		return nil, err
	}
	c := &copier{src: srcTx, srcEngine: src.engine, tgtEngine: tgt.Dialect(), order: order, rep: rep}
	if tgt.Dialect() == "postgres" {
		err = c.intoPostgres(ctx, tgt.w)
	} else {
		err = c.intoSQLite(ctx, tgt.w)
	}
	if err != nil {
		if c.compared {
			return rep, err // with both sides' sums, to show where they differ
		}
		return nil, err
	}
	return rep, nil
}

// readSnapshot is a read-only transaction that sees one state of the data.
func readSnapshot(engine string) *sql.TxOptions {
	if engine == "postgres" {
		return &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
	}
	return &sql.TxOptions{ReadOnly: true} // WAL: every read transaction is a snapshot
}

// checkCopyTarget refuses the source itself as the target, and a target
// that holds data or has a schema newer than this stenose's — before
// anything migrates it.
func checkCopyTarget(ctx context.Context, src *rawDB, toDSN, dataDir string) error {
	kind, target, err := parseDSN(toDSN, dataDir)
	if err != nil {
		return err
	}
	where := postgresLocation(target)
	if kind == "sqlite" {
		if where, err = filepath.Abs(target); err != nil {
			return err
		}
	}
	if kind == src.engine && where == src.where {
		return invalid("to", "the target is the source (%s): copy into another, empty database", where)
	}
	t, err := openRaw(ctx, toDSN, dataDir, false)
	if ErrorCode(err) == ENOTFOUND && kind == "sqlite" {
		return nil // a new file: empty
	}
	if err != nil {
		return fmt.Errorf("the target: %w", err)
	}
	defer t.Close()
	v, err := schemaVersion(ctx, t.db, t.engine)
	if err != nil {
		return fmt.Errorf("the target %s: %w", t.where, err)
	}
	if known := KnownSchemaVersion(); v > known {
		return invalid("to", "the target %s has schema version %d, newer than this stenose knows (%d)", t.where, v, known)
	}
	counts, err := countRows(ctx, t.db, t.engine)
	if err != nil {
		return fmt.Errorf("the target %s: %w", t.where, err)
	}
	for _, c := range counts {
		if c.Rows > 0 {
			return invalid("to", "the target %s is not empty (table %s holds %d rows): copy-db copies only into an empty database", t.where, c.Table, c.Rows)
		}
	}
	return nil
}

// copyPlan checks that the target has the source's tables with the same
// columns, that the copy knows how to copy each, and returns the target's
// tables in an order that inserts every row after the rows it refers to,
// each paired with the source's description.
func copyPlan(src, tgt []tableInfo) ([]tablePair, error) {
	byName := map[string]*tableInfo{}
	for i := range tgt {
		byName[tgt[i].name] = &tgt[i]
	}
	var pairs []tablePair
	for i := range src {
		s := &src[i]
		if s.problem != "" {
			return nil, fmt.Errorf("store: copy-db cannot copy table %s: %s", s.name, s.problem)
		}
		t, ok := byName[s.name]
		if !ok {
			return nil, fmt.Errorf("store: copy-db cannot copy table %s: the target's schema has no such table", s.name)
		}
		delete(byName, s.name)
		if t.problem != "" {
			return nil, fmt.Errorf("store: copy-db cannot copy table %s: in the target, %s", t.name, t.problem)
		}
		if !slices.Equal(s.colNames(), t.colNames()) {
			return nil, fmt.Errorf("store: copy-db cannot copy table %s: its columns differ (source %s; target %s)",
				s.name, strings.Join(s.colNames(), ", "), strings.Join(t.colNames(), ", "))
		}
		for j := range s.cols {
			if s.cols[j].kind.class() != t.cols[j].kind.class() {
				return nil, fmt.Errorf("store: copy-db cannot copy table %s: column %s is %s in the source and %s in the target",
					s.name, s.cols[j].name, s.cols[j].decl, t.cols[j].decl)
			}
		}
		if !slices.Equal(s.pk, t.pk) {
			return nil, fmt.Errorf("store: copy-db cannot copy table %s: its primary key differs (source %v; target %v)", s.name, s.pk, t.pk)
		}
		pairs = append(pairs, tablePair{src: s, tgt: t})
	}
	for name := range byName {
		return nil, fmt.Errorf("store: copy-db cannot copy into table %s: the source has no such table", name)
	}
	return insertOrder(pairs)
}

type tablePair struct{ src, tgt *tableInfo }

// insertOrder sorts the tables so that each comes after every table its
// foreign keys refer to (by name among equals, so the order is stable).
func insertOrder(pairs []tablePair) ([]tablePair, error) {
	slices.SortFunc(pairs, func(a, b tablePair) int { return strings.Compare(a.tgt.name, b.tgt.name) })
	done := map[string]bool{}
	var out []tablePair
	for len(out) < len(pairs) {
		progress := false
		for _, p := range pairs {
			if done[p.tgt.name] {
				continue
			}
			ready := true
			for _, r := range p.tgt.refs {
				if !done[r] {
					ready = false
				}
			}
			if ready {
				out, done[p.tgt.name], progress = append(out, p), true, true
			}
		}
		if !progress {
			var left []string
			for _, p := range pairs {
				if !done[p.tgt.name] {
					left = append(left, p.tgt.name)
				}
			}
			return nil, fmt.Errorf("store: copy-db cannot order tables %s: their foreign keys refer to each other in a circle", strings.Join(left, ", "))
		}
	}
	return out, nil
}

// copier copies the planned tables from the source's snapshot into one
// transaction on the target.
type copier struct {
	src                  *sql.Tx
	srcEngine, tgtEngine string
	order                []tablePair
	rep                  *CopyReport
	compared             bool // every table read back and its sum compared
}

// copyTx is the target's transaction, as the copy uses it on either engine.
type copyTx interface {
	query(ctx context.Context, q string, ncols int) (rowIter, error)
	queryInt(ctx context.Context, q string, args ...any) (int64, error)
	exec(ctx context.Context, q string, args ...any) error
	// load inserts the rows next returns (nil at the end) into t.
	load(ctx context.Context, t *tableInfo, next func() ([]any, error)) (int64, error)
}

func (c *copier) intoSQLite(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil) // BEGIN IMMEDIATE: the write lock for the whole copy
	if err != nil {
		return fmt.Errorf("store: copy-db: %w", err)
	}
	if err := c.run(ctx, &sqlCopyTx{tx: tx}); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: copy-db: commit: %w", err)
	}
	return nil
}

// intoPostgres runs the copy on one pgx connection, for COPY FROM: about
// ten times the rows a second of INSERT statements.
func (c *copier) intoPostgres(ctx context.Context, db *sql.DB) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: copy-db: %w", err)
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("store: copy-db: not a pgx connection (%T)", dc)
		}
		tx, err := sc.Conn().Begin(ctx)
		if err != nil {
			return fmt.Errorf("store: copy-db: %w", err)
		}
		if err := c.run(ctx, &pgxCopyTx{tx: tx}); err != nil {
			_ = tx.Rollback(ctx)
			return err
		}
		if err := tx.Commit(ctx); err != nil {
			return fmt.Errorf("store: copy-db: commit: %w", err)
		}
		return nil
	})
}

func (c *copier) run(ctx context.Context, tx copyTx) error {
	if c.tgtEngine == "postgres" {
		// No instance writes while the copy runs (reads may go on).
		names := make([]string, len(c.order))
		for i, p := range c.order {
			names[i] = ident(p.tgt.name)
		}
		if err := tx.exec(ctx, `LOCK TABLE `+strings.Join(names, ", ")+` IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return fmt.Errorf("store: copy-db: locking the target's tables: %w", err)
		}
	}
	for _, p := range c.order {
		n, err := tx.queryInt(ctx, `SELECT count(*) FROM (SELECT 1 FROM `+ident(p.tgt.name)+` LIMIT 1) x`)
		if err != nil {
			return fmt.Errorf("store: copy-db: %w", err)
		}
		if n > 0 {
			return invalid("to", "the target %s is not empty (table %s has rows): copy-db copies only into an empty database", c.rep.To, p.tgt.name)
		}
	}
	for _, p := range c.order {
		sum, err := c.copyTable(ctx, tx, p)
		if err != nil {
			return fmt.Errorf("store: copy-db: table %s: %w", p.tgt.name, err)
		}
		if err := c.setCounter(ctx, tx, p); err != nil {
			return fmt.Errorf("store: copy-db: table %s: the id counter: %w", p.tgt.name, err)
		}
		c.rep.Tables = append(c.rep.Tables, TableCopy{Table: p.tgt.name, Source: sum})
	}
	// Every table read back inside the transaction, and compared.
	var differ []string
	for i, p := range c.order {
		rows, err := tx.query(ctx, selectOrdered(p.tgt, c.tgtEngine), len(p.tgt.cols))
		if err != nil {
			return fmt.Errorf("store: copy-db: reading %s back: %w", p.tgt.name, err)
		}
		got, err := sumTable(p.tgt, rows)
		if err != nil {
			return fmt.Errorf("store: copy-db: reading %s back: %w", p.tgt.name, err)
		}
		tc := &c.rep.Tables[i]
		tc.Target = got
		if got != tc.Source {
			differ = append(differ, fmt.Sprintf("%s (source %d rows, %.16s; target %d rows, %.16s)", p.tgt.name, tc.Source.Rows, tc.Source.Sum, got.Rows, got.Sum))
		}
	}
	c.compared = true
	if len(differ) > 0 {
		return fmt.Errorf("store: copy-db: the target differs from the source in %s; nothing was committed", strings.Join(differ, ", "))
	}
	return nil
}

// copyTable streams one table from the source's snapshot into the target
// and returns the source's count and checksum, taken from the rows as they
// were read.
func (c *copier) copyTable(ctx context.Context, tx copyTx, p tablePair) (TableSum, error) {
	rows, err := queryRows(ctx, c.src, selectOrdered(p.src, c.srcEngine), len(p.src.cols))
	if err != nil {
		return TableSum{}, err
	}
	defer rows.Close()
	h := newRowHash(p.src)
	out := make([]any, len(p.tgt.cols))
	next := func() ([]any, error) {
		if !rows.Next() {
			return nil, rows.Err()
		}
		vals, err := rows.Values()
		if err != nil {
			return nil, err
		}
		if err := h.add(vals); err != nil {
			return nil, err
		}
		for i, v := range vals {
			if out[i], err = forTarget(v, p.tgt.cols[i].kind); err != nil {
				return nil, fmt.Errorf("column %s: %w", p.tgt.cols[i].name, err)
			}
		}
		return out, nil
	}
	n, err := tx.load(ctx, p.tgt, next)
	if err != nil {
		return TableSum{}, err
	}
	if n != h.rows {
		return TableSum{}, fmt.Errorf("read %d rows, wrote %d", h.rows, n)
	}
	return TableSum{Table: p.src.name, Rows: h.rows, Sum: h.hex()}, nil
}

// setCounter sets the target's id counter of p past the highest id copied
// and past the source's own counter (SQLite's AUTOINCREMENT remembers the
// highest id ever given, deleted rows' included, and so does a PostgreSQL
// sequence), so no id is given out twice.
func (c *copier) setCounter(ctx context.Context, tx copyTx, p tablePair) error {
	if p.tgt.counter == "" {
		return nil
	}
	var from int64
	if p.src.counter != "" {
		q := `SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = $1), 0)`
		args := []any{p.src.name}
		if c.srcEngine == "postgres" {
			q = `SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence($1, $2)::regclass), 0)`
			args = []any{ident(p.src.name), p.src.counter}
		}
		if err := c.src.QueryRowContext(ctx, q, args...).Scan(&from); err != nil {
			return err
		}
	}
	if c.tgtEngine == "postgres" {
		top, err := tx.queryInt(ctx, `SELECT coalesce(max(`+ident(p.tgt.counter)+`), 0) FROM `+ident(p.tgt.name))
		if err != nil {
			return err
		}
		if v := max(top, from); v > 0 {
			return tx.exec(ctx, `SELECT setval(pg_get_serial_sequence($1, $2), $3, true)`, ident(p.tgt.name), p.tgt.counter, v)
		}
		return nil
	}
	// SQLite has counted the copied ids itself; the source's counter may
	// be higher.
	if from == 0 {
		return nil
	}
	if err := tx.exec(ctx, `INSERT INTO sqlite_sequence (name, seq) SELECT $1, $2
		WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = $1)`, p.tgt.name, from); err != nil {
		return err
	}
	return tx.exec(ctx, `UPDATE sqlite_sequence SET seq = max(seq, $2) WHERE name = $1`, p.tgt.name, from)
}

// sqlCopyTx is a SQLite target's transaction.
type sqlCopyTx struct{ tx *sql.Tx }

func (t *sqlCopyTx) query(ctx context.Context, q string, n int) (rowIter, error) {
	return queryRows(ctx, t.tx, q, n)
}

func (t *sqlCopyTx) queryInt(ctx context.Context, q string, args ...any) (int64, error) {
	var n int64
	err := t.tx.QueryRowContext(ctx, q, args...).Scan(&n)
	return n, err
}

func (t *sqlCopyTx) exec(ctx context.Context, q string, args ...any) error {
	_, err := t.tx.ExecContext(ctx, q, args...)
	return err
}

// sqliteBatch is the rows one INSERT statement writes; SQLite takes up to
// 32,766 parameters a statement.
const sqliteBatch = 64

func (t *sqlCopyTx) load(ctx context.Context, ti *tableInfo, next func() ([]any, error)) (int64, error) {
	cols := ti.colNames()
	stmts := map[int]*sql.Stmt{}
	defer func() {
		for _, s := range stmts {
			s.Close()
		}
	}()
	stmt := func(rows int) (*sql.Stmt, error) {
		if s, ok := stmts[rows]; ok {
			return s, nil
		}
		var b strings.Builder
		b.WriteString(`INSERT INTO ` + ident(ti.name) + ` (` + idents(cols) + `) VALUES `)
		for r := range rows {
			if r > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for i := range cols {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteByte('?') // not $n: the driver looks each $n up by name, which grows with the statement
			}
			b.WriteByte(')')
		}
		s, err := t.tx.PrepareContext(ctx, b.String())
		stmts[rows] = s
		return s, err
	}
	var n int64
	args := make([]any, 0, sqliteBatch*len(cols))
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		s, err := stmt(len(args) / len(cols))
		if err != nil {
			return err
		}
		if _, err := s.ExecContext(ctx, args...); err != nil {
			return err
		}
		n += int64(len(args) / len(cols))
		args = args[:0]
		return nil
	}
	for {
		row, err := next()
		if err != nil {
			return n, err
		}
		if row == nil {
			return n, flush()
		}
		args = append(args, row...)
		if len(args) == sqliteBatch*len(cols) {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
}

// pgxCopyTx is a PostgreSQL target's transaction, on pgx itself.
type pgxCopyTx struct{ tx pgx.Tx }

func (t *pgxCopyTx) query(ctx context.Context, q string, _ int) (rowIter, error) {
	rows, err := t.tx.Query(ctx, q)
	if err != nil {
		return nil, err
	}
	return pgxRows{rows}, nil
}

func (t *pgxCopyTx) queryInt(ctx context.Context, q string, args ...any) (int64, error) {
	var n int64
	err := t.tx.QueryRow(ctx, q, args...).Scan(&n)
	return n, err
}

func (t *pgxCopyTx) exec(ctx context.Context, q string, args ...any) error {
	_, err := t.tx.Exec(ctx, q, args...)
	return err
}

// load uses COPY FROM, which takes the given ids for an identity column
// (GENERATED ALWAYS only binds INSERT).
func (t *pgxCopyTx) load(ctx context.Context, ti *tableInfo, next func() ([]any, error)) (int64, error) {
	return t.tx.CopyFrom(ctx, pgx.Identifier{ti.name}, ti.colNames(), pgx.CopyFromFunc(next))
}

type pgxRows struct{ rows pgx.Rows }

func (r pgxRows) Next() bool             { return r.rows.Next() }
func (r pgxRows) Values() ([]any, error) { return r.rows.Values() }
func (r pgxRows) Err() error             { return r.rows.Err() }
func (r pgxRows) Close()                 { r.rows.Close() }
