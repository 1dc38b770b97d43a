package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
)

// cacheOf returns the statement cache of one connection of db (a pool of
// one: the connection every query uses).
func cacheOf(t *testing.T, db *sql.DB) map[string]bool {
	t.Helper()
	conn, err := db.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	got := map[string]bool{}
	if err := conn.Raw(func(dc any) error {
		for q := range dc.(*cachingConn).stmts {
			got[q] = true
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return got
}

func openCachedDB(t *testing.T) *sql.DB {
	t.Helper()
	db := sql.OpenDB(newStmtCacheConnector(sqliteURI(filepath.Join(t.TempDir(), "c.db"), sqliteCommon)))
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t (v) VALUES ('a'), ('b'), ('c')`); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestStmtCache(t *testing.T) {
	const q = `SELECT id, v FROM t ORDER BY id`
	list := func(t *testing.T, db interface {
		QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	}, query string, args ...any) []string {
		t.Helper()
		rows, err := db.QueryContext(t.Context(), query, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var id int
			var v string
			if err := rows.Scan(&id, &v); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprint(id, v))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	want := []string{"1a", "2b", "3c"}

	t.Run("kept and reused", func(t *testing.T) {
		db := openCachedDB(t)
		for range 3 {
			if got := list(t, db, q); !slices.Equal(got, want) {
				t.Fatalf("rows %v, want %v", got, want)
			}
		}
		if !cacheOf(t, db)[q] {
			t.Error("a query run three times is not in the cache")
		}
		if _, err := db.Exec(`UPDATE t SET v = $1 WHERE id = $2`, "B", 2); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`UPDATE t SET v = $1 WHERE id = $2`, "b", 2); err != nil {
			t.Fatal(err)
		}
		if got := list(t, db, q); !slices.Equal(got, want) {
			t.Errorf("after two updates through one cached statement: %v", got)
		}
	})

	t.Run("nested use of one query", func(t *testing.T) {
		db := openCachedDB(t)
		tx, err := db.BeginTx(t.Context(), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		rows, err := tx.QueryContext(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		var outer []string
		for rows.Next() {
			var id int
			var v string
			if err := rows.Scan(&id, &v); err != nil {
				t.Fatal(err)
			}
			outer = append(outer, fmt.Sprint(id, v))
			// The same text while the outer rows are open: its own statement.
			if got := list(t, tx, q); !slices.Equal(got, want) {
				t.Fatalf("inner rows %v, want %v", got, want)
			}
		}
		rows.Close()
		if !slices.Equal(outer, want) {
			t.Errorf("outer rows %v, want %v (the inner query disturbed them)", outer, want)
		}
	})

	t.Run("scripts are run, not kept", func(t *testing.T) {
		db := openCachedDB(t)
		script := `INSERT INTO t (v) VALUES ('d'); INSERT INTO t (v) VALUES ('e');`
		if _, err := db.Exec(script); err != nil {
			t.Fatal(err)
		}
		if got := list(t, db, q); len(got) != 5 {
			t.Errorf("after a two-statement script: %v", got)
		}
		if cacheOf(t, db)[script] {
			t.Error("a script was cached")
		}
	})

	t.Run("schema change", func(t *testing.T) {
		db := openCachedDB(t)
		sel := `SELECT * FROM t WHERE id = $1`
		var id int
		var v string
		if err := db.QueryRow(sel, 1).Scan(&id, &v); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`ALTER TABLE t ADD COLUMN w TEXT NOT NULL DEFAULT 'x'`); err != nil {
			t.Fatal(err)
		}
		var w string
		if err := db.QueryRow(sel, 1).Scan(&id, &v, &w); err != nil || w != "x" {
			t.Errorf("cached statement after ALTER TABLE: %q, %v", w, err)
		}
	})

	t.Run("bounded", func(t *testing.T) {
		db := openCachedDB(t)
		for i := range maxCachedStmts + 20 {
			var n int
			if err := db.QueryRow(fmt.Sprintf(`SELECT %d`, i)).Scan(&n); err != nil || n != i {
				t.Fatalf("query %d: %d, %v", i, n, err)
			}
		}
		if got := len(cacheOf(t, db)); got > maxCachedStmts {
			t.Errorf("%d statements cached, limit %d", got, maxCachedStmts)
		}
	})
}
