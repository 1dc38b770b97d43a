package store

// A prepared-statement cache for SQLite connections.
//
// database/sql hands a query string to the driver, and modernc.org/sqlite
// parses and plans it anew every time: a profile of the diary write load
// showed SQLite's parser at about 15 % of the server's CPU, more than the
// inserts themselves. PostgreSQL's driver (pgx) keeps prepared statements
// per connection already; this gives SQLite connections the same. Each
// connection keeps the statements it has run, keyed by their text (the
// store's queries are constants, so the set is small and bounded; past
// maxCachedStmts a query is prepared, run and finalized as before). A
// cached statement in use by open rows is taken out of the cache until the
// rows close, so a nested query with the same text gets a statement of its
// own. database/sql uses a connection from one goroutine at a time, so the
// cache needs no lock.

import (
	"context"
	"database/sql/driver"
	"reflect"
	"strings"

	"modernc.org/sqlite"
)

const maxCachedStmts = 256

// stmtCacheConnector opens SQLite connections with a statement cache.
type stmtCacheConnector struct {
	dsn string
	drv *sqlite.Driver
}

func newStmtCacheConnector(dsn string) driver.Connector {
	return stmtCacheConnector{dsn: dsn, drv: &sqlite.Driver{}}
}

func (c stmtCacheConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &cachingConn{Conn: conn, stmts: map[string]driver.Stmt{}}, nil
}

func (c stmtCacheConnector) Driver() driver.Driver { return c.drv }

// stmtDriver is what modernc.org/sqlite's connection and statement offer.
type (
	connDriver interface {
		driver.Conn
		driver.ConnBeginTx
		driver.ConnPrepareContext
		driver.ExecerContext
		driver.QueryerContext
		driver.Pinger
		driver.SessionResetter
		driver.Validator
	}
	stmtDriver interface {
		driver.Stmt
		driver.StmtExecContext
		driver.StmtQueryContext
	}
)

type cachingConn struct {
	driver.Conn
	stmts map[string]driver.Stmt
}

var (
	_ connDriver                    = (*cachingConn)(nil)
	_ driver.Connector              = stmtCacheConnector{}
	_ driver.RowsColumnTypeScanType = (*cachedRows)(nil)
)

func (c *cachingConn) inner() connDriver { return c.Conn.(connDriver) }

// cacheable reports whether query is one statement worth keeping: a script
// of several statements (the migrations) is run as given.
func cacheable(query string) bool {
	q := strings.TrimRight(query, " \t\r\n;")
	return !strings.Contains(q, ";")
}

// take returns a prepared statement for query, from the cache if it holds
// one (which is then no longer in it) and whether it may go back.
func (c *cachingConn) take(ctx context.Context, query string) (stmtDriver, bool, error) {
	if st, ok := c.stmts[query]; ok {
		delete(c.stmts, query)
		return st.(stmtDriver), true, nil
	}
	if !cacheable(query) {
		return nil, false, nil
	}
	st, err := c.inner().PrepareContext(ctx, query)
	if err != nil {
		return nil, false, err
	}
	sd, ok := st.(stmtDriver)
	if !ok {
		st.Close()
		return nil, false, nil
	}
	return sd, true, nil
}

// give puts st back in the cache, or finalizes it when the cache is full or
// already holds the query (a nested use prepared a second one).
func (c *cachingConn) give(query string, st driver.Stmt) {
	if c.stmts == nil {
		return // the connection is closed, and its statements with it
	}
	if _, dup := c.stmts[query]; dup || len(c.stmts) >= maxCachedStmts {
		st.Close()
		return
	}
	c.stmts[query] = st
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	st, ok, err := c.take(ctx, query)
	if err != nil {
		return nil, err
	}
	if !ok {
		return c.inner().ExecContext(ctx, query, args)
	}
	res, err := st.ExecContext(ctx, args)
	c.give(query, st)
	return res, err
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	st, ok, err := c.take(ctx, query)
	if err != nil {
		return nil, err
	}
	if !ok {
		return c.inner().QueryContext(ctx, query, args)
	}
	rows, err := st.QueryContext(ctx, args)
	if err != nil {
		c.give(query, st)
		return nil, err
	}
	return &cachedRows{Rows: rows, c: c, query: query, st: st}, nil
}

func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.inner().BeginTx(ctx, opts)
}

func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.inner().PrepareContext(ctx, query)
}

func (c *cachingConn) Ping(ctx context.Context) error { return c.inner().Ping(ctx) }

func (c *cachingConn) ResetSession(ctx context.Context) error { return c.inner().ResetSession(ctx) }

func (c *cachingConn) IsValid() bool { return c.inner().IsValid() }

// Close finalizes the cached statements, then closes the connection.
func (c *cachingConn) Close() error {
	for _, st := range c.stmts {
		st.Close()
	}
	c.stmts = nil
	return c.Conn.Close()
}

// cachedRows gives its statement back to the cache when closed.
type cachedRows struct {
	driver.Rows
	c     *cachingConn
	query string
	st    driver.Stmt
}

func (r *cachedRows) Close() error {
	err := r.Rows.Close() // resets the statement for its next use
	if r.st != nil {
		if err != nil {
			r.st.Close()
		} else {
			r.c.give(r.query, r.st)
		}
		r.st = nil
	}
	return err
}

func (r *cachedRows) ColumnTypeScanType(i int) reflect.Type {
	if ct, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return ct.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}

func (r *cachedRows) ColumnTypeDatabaseTypeName(i int) string {
	if ct, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return ct.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r *cachedRows) ColumnTypeNullable(i int) (nullable, ok bool) {
	if ct, ok := r.Rows.(driver.RowsColumnTypeNullable); ok {
		return ct.ColumnTypeNullable(i)
	}
	return false, false
}
