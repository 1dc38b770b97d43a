// Package pgtest gives a test outside internal/store a PostgreSQL database
// of its own: a fresh schema in the database STENOSE_TEST_POSTGRES names
// (.ci/run starts a throwaway cluster and sets it), dropped when the test
// ends. Without STENOSE_TEST_POSTGRES the test is skipped, and under
// CI=true it fails: there a missing database is a fault, never a reason
// to skip. It is the approach of internal/store's own suite, for tests
// that cannot reach that suite's helpers (the browser tests in e2e/).
package pgtest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"strconv"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// Env is the variable that holds the test database's URL.
const Env = "STENOSE_TEST_POSTGRES"

// URL makes a new schema in the test database and returns a URL whose
// search_path is that schema, for store.Open. The schema is dropped with
// everything in it when t ends.
func URL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(Env)
	if base == "" {
		if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci {
			t.Fatalf("CI=true and %s is not set: .ci/run must start PostgreSQL and export it", Env)
		}
		t.Skipf("%s not set: the PostgreSQL half is skipped", Env)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	var b [8]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	if err := exec(base, `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	t.Cleanup(func() {
		if err := exec(base, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("%s: %v", Env, err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// exec runs one statement on a connection of its own.
func exec(base, stmt string) error {
	db, err := sql.Open("pgx", base)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Exec(stmt)
	return err
}
