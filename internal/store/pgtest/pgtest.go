// Package pgtest gives a test a PostgreSQL database of its own: a fresh
// schema in the database STENOSE_TEST_POSTGRES names (.ci/run starts a
// throwaway cluster and sets it), dropped when the test ends. Without
// STENOSE_TEST_POSTGRES the test is skipped, and under CI=true it fails:
// there a missing database is a fault, never a reason to skip. The store's
// suite, the web package's and the browser tests (e2e/) all use it.
package pgtest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver

	"github.com/stenose/stenose/internal/testenv"
)

// Env is the variable that holds the test database's URL.
const Env = "STENOSE_TEST_POSTGRES"

// SchemaPrefix starts the name of every test's schema.
const SchemaPrefix = "t_"

var admin struct {
	once sync.Once
	db   *sql.DB
	err  error
}

// Base is the test database's URL, or the test is skipped (failed under
// CI=true).
func Base(t testing.TB) string {
	t.Helper()
	base := os.Getenv(Env)
	testenv.Need(t, base != "", "%s is not set, so the PostgreSQL half of this test cannot run", Env)
	return base
}

// Admin is one connection pool to the test database, shared by the
// package's tests, for making and dropping their schemas (and for tests
// that count rows behind the store's back).
func Admin(t testing.TB) *sql.DB {
	t.Helper()
	base := Base(t)
	admin.once.Do(func() {
		admin.db, admin.err = sql.Open("pgx", base)
		if admin.err == nil {
			admin.db.SetMaxOpenConns(4)
			admin.err = admin.db.Ping()
		}
	})
	if admin.err != nil {
		t.Fatalf("%s: %v", Env, admin.err)
	}
	return admin.db
}

// URL makes a new schema in the test database and returns a URL whose
// search_path is that schema, for store.Open. The schema is dropped with
// everything in it when t ends.
func URL(t testing.TB) string {
	t.Helper()
	return InSchema(t, NewSchema(t))
}

// NewSchema makes a new, empty schema, dropped with everything in it when
// t ends, and returns its name.
func NewSchema(t testing.TB) string {
	t.Helper()
	db := Admin(t)
	var b [8]byte
	rand.Read(b[:])
	schema := SchemaPrefix + hex.EncodeToString(b[:])
	if _, err := db.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Errorf("%s: %v", Env, err)
		}
	})
	return schema
}

// InSchema is the test database's URL with schema as its search_path.
func InSchema(t testing.TB, schema string) string {
	t.Helper()
	u, err := url.Parse(Base(t))
	if err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
