package store

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestPostgresLocation: where a PostgreSQL URL points, for the log — never
// its password.
func TestPostgresLocation(t *testing.T) {
	for _, tc := range []struct{ dsn, want string }{
		{"postgres://stenose:hemmelig@db.klinik.dk:5433/stenose?sslmode=require", "stenose@db.klinik.dk:5433/stenose"},
		{"postgresql://stenose:hemmelig@db.klinik.dk/stenose", "stenose@db.klinik.dk:5432/stenose"},
		{"postgres://postgres@127.0.0.1:47856/stenose_test?sslmode=disable&search_path=w_1", "postgres@127.0.0.1:47856/stenose_test (search_path w_1)"},
		{"postgres://[::1]:5432/stenose?user=anna&password=hemmelig", "anna@[::1]:5432/stenose"},
		{"postgres:///stenose?host=/var/run/postgresql", "/var/run/postgresql:5432/stenose"},
		{"postgres://anna:hemmelig@/?host=/tmp&dbname=klinik", "anna@/tmp:5432/klinik"},
		{"postgres://anna@db", "anna@db:5432/anna"},
		{"postgres://%zz", "postgres (an unreadable URL)"},
	} {
		got := postgresLocation(tc.dsn)
		if got != tc.want || strings.Contains(got, "hemmelig") {
			t.Errorf("postgresLocation(%q) = %q, want %q", tc.dsn, got, tc.want)
		}
	}
}

// TestLocation: the store says where it is: SQLite's absolute path, or
// PostgreSQL's server and database without the password.
func TestLocation(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		loc := s.Location()
		switch s.Dialect() {
		case "sqlite":
			if !filepath.IsAbs(loc) || loc != s.Path() || filepath.Base(loc) != DefaultFile {
				t.Errorf("Location() = %q, Path() = %q", loc, s.Path())
			}
		case "postgres":
			if !strings.Contains(loc, "@") || !strings.Contains(loc, ":") || strings.Contains(loc, "://") {
				t.Errorf("Location() = %q", loc)
			}
		}
	})
}
