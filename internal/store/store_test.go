package store

// One test suite for both engines (the pattern of ntfy's stores): every test
// that takes a *Store runs through forEachStore, against SQLite in a fresh
// temporary folder always and against PostgreSQL, in a fresh schema, when
// STENOSE_TEST_POSTGRES holds a connection URL (.ci/run starts a throwaway
// cluster and sets it). Under CI=true a missing STENOSE_TEST_POSTGRES fails
// the PostgreSQL half instead of skipping it.

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/store/pgtest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// t0 is the suite's "now": the stores' clock and the base of every time.
var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func clock() time.Time { return t0 }

func ip(n int) *int { return &n }

// reopen holds, for each open test store, how to open another Store on the
// same database (a second server, or the same one after a restart).
var reopen sync.Map // *Store → func(t *testing.T) *Store

func forEachStore(t *testing.T, fn func(t *testing.T, s *Store)) {
	t.Helper()
	engines := []struct {
		name string
		open func(t *testing.T) *Store
	}{
		{"sqlite", openTestSQLite},
		{"postgres", openTestPostgres},
	}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			fn(t, e.open(t))
		})
	}
}

func openTestSQLite(t *testing.T) *Store {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	open := func(t *testing.T) *Store {
		t.Helper()
		s, err := Open(t.Context(), "", dir, WithClock(clock))
		if err != nil {
			t.Fatalf("Open sqlite: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	s := open(t)
	reopen.Store(s, open)
	return s
}

func TestMain(m *testing.M) {
	os.Exit(m.Run())
}

// openTestPostgres opens a Store in a new schema of the test database (the
// schema is the search_path given in the URL) and drops the schema after
// the test, so tests are isolated and can run in parallel.
func openTestPostgres(t *testing.T) *Store {
	t.Helper()
	dsn := testPostgresDSN(t)
	open := func(t *testing.T) *Store {
		t.Helper()
		s, err := Open(t.Context(), dsn, "", WithClock(clock))
		if err != nil {
			t.Fatalf("Open postgres: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	s := open(t)
	reopen.Store(s, open)
	return s
}

// testPostgresDSN makes a fresh schema, dropped after the test, and returns
// a URL whose search_path is that schema.
func testPostgresDSN(t *testing.T) string { return pgtest.URL(t) }

func reopenStore(t *testing.T, s *Store) *Store {
	t.Helper()
	f, ok := reopen.Load(s)
	if !ok {
		t.Fatal("no way to reopen this store")
	}
	return f.(func(*testing.T) *Store)(t)
}

func mkUser(t *testing.T, s *Store, login string) User {
	t.Helper()
	u, err := s.CreateUser(t.Context(), User{Login: login, Email: login + "@example.dk", Name: strings.ToUpper(login),
		PasswordHash: "$argon2id$v=19$m=65536,t=1,p=2$c2FsdA$aGFzaA", Role: RolePatient})
	if err != nil {
		t.Fatalf("CreateUser(%s): %v", login, err)
	}
	return u
}

// wantCode checks err's code (and field, when want names one).
func wantCode(t *testing.T, err error, code, field string) {
	t.Helper()
	if ErrorCode(err) != code {
		t.Fatalf("error %v: code %q, want %q", err, ErrorCode(err), code)
	}
	if field != "" {
		var e *Error
		if !errors.As(err, &e) || e.Field != field {
			t.Fatalf("error %v: want field %q", err, field)
		}
	}
}

// tables lists the database's tables, less the migration bookkeeping.
func tables(t *testing.T, s *Store) []string {
	t.Helper()
	q := `SELECT name FROM sqlite_schema WHERE type = 'table'
		AND name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version' ORDER BY name`
	if s.Dialect() == "postgres" {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()
			AND table_type = 'BASE TABLE' AND table_name <> 'goose_db_version' ORDER BY table_name`
	}
	rows, err := s.r.QueryContext(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ts []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		ts = append(ts, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return ts
}

// schemaDump describes every column of every table, to compare schemas.
func schemaDump(t *testing.T, s *Store) string {
	t.Helper()
	q := `SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_schema ORDER BY type, name`
	if s.Dialect() == "postgres" {
		q = `SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable
			FROM information_schema.columns WHERE table_schema = current_schema()
			ORDER BY table_name, ordinal_position`
	}
	rows, err := s.r.QueryContext(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

func count(t *testing.T, s *Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.r.QueryRowContext(t.Context(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// ---------------------------------------------------------------------------

func TestErrors(t *testing.T) {
	tests := []struct {
		err    error
		code   string
		is     []error
		isNot  []error
		prefix string
	}{
		{nil, "", nil, []error{ErrNotFound}, ""},
		{notFound("diary entry", 7), ENOTFOUND, []error{ErrNotFound}, []error{ErrConflict, ErrInvalid}, "store: diary entry 7 not found"},
		{errorf(ECONFLICT, "login", "login already taken"), ECONFLICT, []error{ErrConflict, &Error{Code: ECONFLICT, Field: "login"}},
			[]error{ErrNotFound, &Error{Code: ECONFLICT, Field: "email"}}, "store: login already taken"},
		{fmt.Errorf("wrapped: %w", invalid("leg_pain", "bad")), EINVALID, []error{ErrInvalid}, []error{ErrNotFound}, "wrapped: store: bad"},
		{errors.New("disk on fire"), EINTERNAL, nil, []error{ErrNotFound, ErrConflict, ErrInvalid}, "disk on fire"},
	}
	for _, tt := range tests {
		if got := ErrorCode(tt.err); got != tt.code {
			t.Errorf("ErrorCode(%v) = %q, want %q", tt.err, got, tt.code)
		}
		for _, target := range tt.is {
			if !errors.Is(tt.err, target) {
				t.Errorf("errors.Is(%v, %v) = false", tt.err, target)
			}
		}
		for _, target := range tt.isNot {
			if errors.Is(tt.err, target) {
				t.Errorf("errors.Is(%v, %v) = true", tt.err, target)
			}
		}
		if tt.err != nil && tt.err.Error() != tt.prefix {
			t.Errorf("Error() = %q, want %q", tt.err.Error(), tt.prefix)
		}
	}
}

func TestParseDSN(t *testing.T) {
	tests := []struct {
		dsn, dataDir     string
		kind, target     string
		wantErr, leaking string // leaking: text the error must not contain
	}{
		{dsn: "", dataDir: "/var/lib/stenose", kind: "sqlite", target: "/var/lib/stenose/stenose.db"},
		{dsn: "sqlite:", dataDir: "data", kind: "sqlite", target: "data/stenose.db"},
		{dsn: "sqlite:/srv/x.db", dataDir: "ignored", kind: "sqlite", target: "/srv/x.db"},
		{dsn: "sqlite3:rel/x.db", kind: "sqlite", target: "rel/x.db"},
		{dsn: "postgres://u:pw@db:5432/stenose?sslmode=require", kind: "postgres", target: "postgres://u:pw@db:5432/stenose?sslmode=require"},
		{dsn: "postgresql://db/stenose", kind: "postgres", target: "postgresql://db/stenose"},
		{dsn: "", dataDir: "", wantErr: EINVALID},
		{dsn: "mysql://root:hunter2@db/x", wantErr: EINVALID, leaking: "hunter2"},
		{dsn: "/just/a/path.db", wantErr: EINVALID},
	}
	for _, tt := range tests {
		kind, target, err := parseDSN(tt.dsn, tt.dataDir)
		if tt.wantErr != "" {
			if ErrorCode(err) != tt.wantErr {
				t.Errorf("parseDSN(%q, %q): err %v, want code %s", tt.dsn, tt.dataDir, err, tt.wantErr)
			} else if tt.leaking != "" && strings.Contains(err.Error(), tt.leaking) {
				t.Errorf("parseDSN(%q): error %q gives away %q", tt.dsn, err, tt.leaking)
			}
			continue
		}
		if err != nil || kind != tt.kind || target != tt.target {
			t.Errorf("parseDSN(%q, %q) = %q, %q, %v; want %q, %q", tt.dsn, tt.dataDir, kind, target, err, tt.kind, tt.target)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	ctx := t.Context()
	if _, err := Open(ctx, "mysql://x", t.TempDir()); ErrorCode(err) != EINVALID {
		t.Errorf("Open(mysql) err = %v, want invalid", err)
	}
	// A refused connection fails Open instead of hanging or panicking.
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if s, err := Open(ctx, "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2", ""); err == nil {
		s.Close()
		t.Error("Open(postgres on a closed port) succeeded")
	} else if strings.Contains(err.Error(), "nobody@") {
		t.Errorf("error gives away the URL: %v", err)
	}
}

// TestSQLiteSetup checks what only SQLite has: the file and folder
// permissions, the pragmas on each pool, one writer, a read-only reader.
func TestSQLiteSetup(t *testing.T) {
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "fresh", "data")
	s, err := Open(ctx, "", dir, WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	if s.Dialect() != "sqlite" || s.Path() != filepath.Join(dir, DefaultFile) {
		t.Errorf("Dialect, Path = %q, %q", s.Dialect(), s.Path())
	}
	for path, want := range map[string]fs.FileMode{dir: 0o700 | fs.ModeDir, s.Path(): 0o600, s.Path() + "-wal": 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != want {
			t.Errorf("%s: mode %v, want %v", path, fi.Mode(), want)
		}
	}
	if n := s.w.Stats().MaxOpenConnections; n != 1 {
		t.Errorf("writer MaxOpenConnections = %d, want 1", n)
	}
	if n := s.r.Stats().MaxOpenConnections; n < 2 {
		t.Errorf("reader MaxOpenConnections = %d, want a pool", n)
	}

	pragmas := []struct {
		db     *sql.DB
		pragma string
		want   string
	}{
		{s.w, "journal_mode", "wal"},
		{s.w, "synchronous", "2"}, // FULL
		{s.w, "foreign_keys", "1"},
		{s.w, "busy_timeout", "5000"},
		{s.w, "query_only", "0"},
		{s.r, "journal_mode", "wal"},
		{s.r, "foreign_keys", "1"},
		{s.r, "busy_timeout", "5000"},
		{s.r, "query_only", "1"},
	}
	for _, p := range pragmas {
		var got string
		if err := p.db.QueryRowContext(ctx, "PRAGMA "+p.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != p.want {
			t.Errorf("PRAGMA %s on %s = %q, want %q", p.pragma, map[bool]string{true: "writer", false: "reader"}[p.db == s.w], got, p.want)
		}
	}

	// The reader pool cannot write, even by mistake.
	if _, err := s.r.ExecContext(ctx, `INSERT INTO users (login, role, created_at) VALUES ('x', 'patient', 0)`); err == nil {
		t.Error("insert through the reader pool succeeded")
	}

	// sqlite:PATH names a file anywhere; its folder is created too. A '?' in
	// the name stays part of the name.
	odd := filepath.Join(t.TempDir(), "sub dir", "odd?name#1.db")
	s2, err := Open(ctx, "sqlite:"+odd, "", WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	mkUser(t, s2, "odd")
	if _, err := os.Stat(odd); err != nil {
		t.Errorf("sqlite:PATH did not create %s: %v", odd, err)
	}
}

// TestMigrate: Open migrates; Migrate again, or a second Open of the same
// database, is a no-op that leaves schema and data alone.
func TestMigrate(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		files, err := fs.Glob(migrationFiles, "migrations/"+s.Dialect()+"/*.sql")
		if err != nil || len(files) == 0 {
			t.Fatalf("no migrations for %s: %v", s.Dialect(), err)
		}
		var newest int64
		fmt.Sscanf(filepath.Base(files[len(files)-1]), "%d_", &newest)

		v, err := s.SchemaVersion(ctx)
		if err != nil || v != newest {
			t.Fatalf("SchemaVersion = %d, %v; want %d", v, err, newest)
		}
		before := schemaDump(t, s)
		u := mkUser(t, s, "ann")

		for i := range 2 {
			n, err := s.Migrate(ctx)
			if err != nil || n != 0 {
				t.Fatalf("Migrate #%d = %d, %v; want 0, nil", i+1, n, err)
			}
		}
		s2 := reopenStore(t, s)
		if n, err := s2.Migrate(ctx); err != nil || n != 0 {
			t.Fatalf("Migrate on a second store = %d, %v", n, err)
		}
		if after := schemaDump(t, s2); after != before {
			t.Errorf("schema changed:\n%s", cmp.Diff(before, after))
		}
		if got, err := s2.UserByID(ctx, u.ID); err != nil || got.Login != "ann" {
			t.Errorf("data after reopening: %+v, %v", got, err)
		}
		if v, _ := s2.SchemaVersion(ctx); v != newest {
			t.Errorf("SchemaVersion after reopening = %d", v)
		}
		// The two dialects' schemas have the same tables.
		want := []string{"access_log", "alerts", "baselines", "calendar_feeds", "clinic_notes", "clinics", "diary_entries", "invitations", "known_devices", "login_attempts", "patient_summary", "programme_versions", "psfs_scores", "recovery_codes", "red_flag_checkins", "reset_codes", "sessions", "targets", "training_session_steps",
			"training_sessions", "users", "walk_bouts", "walks"}
		if got := tables(t, s); !slices.Equal(got, want) {
			t.Errorf("tables = %v, want %v", got, want)
		}
	})
}

func TestUsers(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		ann := mkUser(t, s, "ann")
		if ann.ID == 0 || !ann.CreatedAt.Equal(t0) {
			t.Fatalf("CreateUser = %+v", ann)
		}

		t.Run("create", func(t *testing.T) {
			tests := []struct {
				name        string
				u           User
				code, field string
			}{
				{"clinician", User{Login: "cara", Email: "cara@klinik.dk", Role: RoleClinician}, "", ""},
				{"admin without email", User{Login: "root", Role: RoleAdmin}, "", ""},
				{"second without email", User{Login: "bo", Role: RolePatient}, "", ""},
				{"login taken", User{Login: "ann", Role: RolePatient}, ECONFLICT, "login"},
				{"email taken", User{Login: "ann2", Email: "ann@example.dk", Role: RolePatient}, ECONFLICT, "email"},
				{"login differs by case", User{Login: "ANN", Role: RolePatient}, "", ""},
				{"no login", User{Role: RolePatient}, EINVALID, "login"},
				{"unknown role", User{Login: "eve", Role: "superuser"}, EINVALID, "role"},
				{"no role", User{Login: "eve"}, EINVALID, "role"},
				{"bad UTF-8", User{Login: "\xff", Role: RolePatient}, EINVALID, "login"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					got, err := s.CreateUser(ctx, tt.u)
					if tt.code != "" {
						wantCode(t, err, tt.code, tt.field)
						return
					}
					if err != nil {
						t.Fatal(err)
					}
					back, err := s.UserByID(ctx, got.ID)
					if err != nil {
						t.Fatal(err)
					}
					if diff := cmp.Diff(got, back); diff != "" {
						t.Errorf("UserByID differs from CreateUser (-created +read):\n%s", diff)
					}
				})
			}
		})

		t.Run("lookup", func(t *testing.T) {
			tests := []struct {
				name string
				get  func() (User, error)
				want int64 // 0: not found
			}{
				{"by id", func() (User, error) { return s.UserByID(ctx, ann.ID) }, ann.ID},
				{"by login", func() (User, error) { return s.UserByLogin(ctx, "ann") }, ann.ID},
				{"by email", func() (User, error) { return s.UserByEmail(ctx, "ann@example.dk") }, ann.ID},
				{"unknown id", func() (User, error) { return s.UserByID(ctx, 999999) }, 0},
				{"unknown login", func() (User, error) { return s.UserByLogin(ctx, "nobody") }, 0},
				{"unknown email", func() (User, error) { return s.UserByEmail(ctx, "nobody@example.dk") }, 0},
				{"empty email", func() (User, error) { return s.UserByEmail(ctx, "") }, 0},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					u, err := tt.get()
					if tt.want == 0 {
						wantCode(t, err, ENOTFOUND, "")
						return
					}
					if err != nil || u.ID != tt.want {
						t.Fatalf("got %+v, %v", u, err)
					}
					if diff := cmp.Diff(ann, u); diff != "" {
						t.Errorf("(-created +read):\n%s", diff)
					}
				})
			}
		})

		t.Run("set password and role", func(t *testing.T) {
			tests := []struct {
				name string
				do   func() error
				code string
			}{
				{"password", func() error { return s.SetPassword(ctx, ann.ID, "$argon2id$v=19$new") }, ""},
				{"role", func() error { return s.SetRole(ctx, ann.ID, RoleClinician) }, ""},
				{"bad role", func() error { return s.SetRole(ctx, ann.ID, "god") }, EINVALID},
				{"password, unknown user", func() error { return s.SetPassword(ctx, 999999, "x") }, ENOTFOUND},
				{"role, unknown user", func() error { return s.SetRole(ctx, 999999, RoleAdmin) }, ENOTFOUND},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.do(), tt.code, "") })
			}
			u, err := s.UserByID(ctx, ann.ID)
			if err != nil || u.PasswordHash != "$argon2id$v=19$new" || u.Role != RoleClinician {
				t.Errorf("after SetPassword/SetRole: %+v, %v", u, err)
			}
		})

		t.Run("list", func(t *testing.T) {
			all, err := s.ListUsers(ctx, "")
			if err != nil || len(all) != 5 { // ann, cara, root, bo, ANN
				t.Fatalf("ListUsers(all) = %d users, %v", len(all), err)
			}
			admins, err := s.ListUsers(ctx, RoleAdmin)
			if err != nil || len(admins) != 1 || admins[0].Login != "root" {
				t.Errorf("ListUsers(admin) = %+v, %v", admins, err)
			}
		})

		t.Run("delete", func(t *testing.T) {
			u := mkUser(t, s, "gone")
			if err := s.DeleteUser(ctx, u.ID); err != nil {
				t.Fatal(err)
			}
			_, err := s.UserByID(ctx, u.ID)
			wantCode(t, err, ENOTFOUND, "")
			wantCode(t, s.DeleteUser(ctx, u.ID), ENOTFOUND, "")
			// An id is never handed out again.
			if again := mkUser(t, s, "gone"); again.ID <= u.ID {
				t.Errorf("new user got id %d, after deleting %d", again.ID, u.ID)
			}
		})
	})
}

func TestSessions(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		ss := s.Sessions()
		exp := t0.Add(time.Hour)
		if err := ss.Commit(ctx, "tok-a", []byte("data-a"), exp); err != nil {
			t.Fatal(err)
		}

		t.Run("find", func(t *testing.T) {
			tests := []struct {
				name, token string
				now         time.Time
				found       bool
			}{
				{"fresh", "tok-a", t0, true},
				{"a second before expiry", "tok-a", exp.Add(-time.Second), true},
				{"at expiry", "tok-a", exp, false},
				{"after expiry", "tok-a", exp.Add(time.Minute), false},
				{"unknown token", "tok-x", t0, false},
				{"empty token", "", t0, false},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					b, found, err := ss.Find(ctx, tt.token, tt.now)
					if err != nil || found != tt.found {
						t.Fatalf("Find = %q, %v, %v; want found=%v", b, found, err, tt.found)
					}
					if found && string(b) != "data-a" {
						t.Errorf("data = %q", b)
					}
					if !found && b != nil {
						t.Errorf("data %q for a session not found", b)
					}
					// FindUser answers the same; the session is bound to no one.
					b2, u, found2, err := ss.FindUser(ctx, tt.token, tt.now)
					if err != nil || found2 != found || string(b2) != string(b) || (b2 == nil) != (b == nil) || u != nil {
						t.Errorf("FindUser = %q, %+v, %v, %v; Find said %q, %v", b2, u, found2, err, b, found)
					}
				})
			}
		})

		t.Run("commit replaces", func(t *testing.T) {
			later := exp.Add(time.Hour)
			if err := ss.Commit(ctx, "tok-a", []byte("data-a2"), later); err != nil {
				t.Fatal(err)
			}
			b, found, err := ss.Find(ctx, "tok-a", exp.Add(time.Minute))
			if err != nil || !found || string(b) != "data-a2" {
				t.Errorf("after re-commit: %q, %v, %v", b, found, err)
			}
			if n := count(t, s, `SELECT count(*) FROM sessions WHERE token = 'tok-a'`); n != 1 {
				t.Errorf("%d rows for one token", n)
			}
			// Empty data is data.
			if err := ss.Commit(ctx, "tok-empty", nil, later); err != nil {
				t.Fatal(err)
			}
			if b, found, err := ss.Find(ctx, "tok-empty", t0); err != nil || !found || b == nil || len(b) != 0 {
				t.Errorf("empty session: %q, %v, %v", b, found, err)
			}
		})

		t.Run("delete", func(t *testing.T) {
			if err := ss.Commit(ctx, "tok-d", []byte("x"), exp); err != nil {
				t.Fatal(err)
			}
			if err := ss.Delete(ctx, "tok-d"); err != nil {
				t.Fatal(err)
			}
			if _, found, _ := ss.Find(ctx, "tok-d", t0); found {
				t.Error("deleted session still found")
			}
			if err := ss.Delete(ctx, "tok-d"); err != nil {
				t.Errorf("deleting an unknown token: %v", err)
			}
		})

		t.Run("delete expired", func(t *testing.T) {
			for i, e := range []time.Duration{-time.Hour, -time.Second, 0, time.Second, time.Hour} {
				if err := ss.Commit(ctx, fmt.Sprintf("exp-%d", i), []byte("x"), t0.Add(24*time.Hour+e)); err != nil {
					t.Fatal(err)
				}
			}
			cutoff := t0.Add(24 * time.Hour)
			want := count(t, s, `SELECT count(*) FROM sessions WHERE expiry <= $1`, cutoff.Unix())
			if want < 3 {
				t.Fatalf("only %d sessions due", want)
			}
			n, err := ss.DeleteExpired(ctx, cutoff)
			if err != nil || n != int64(want) {
				t.Errorf("DeleteExpired = %d, %v; want %d", n, err, want)
			}
			if n := count(t, s, `SELECT count(*) FROM sessions WHERE token LIKE 'exp-%'`); n != 2 {
				t.Errorf("%d sessions left, want 2", n)
			}
		})

		t.Run("bound to a user", func(t *testing.T) {
			ann, bo := mkUser(t, s, "ann"), mkUser(t, s, "bo")
			if err := ss.CommitUser(ctx, "ann-1", ann.ID, []byte("1"), exp); err != nil {
				t.Fatal(err)
			}
			if err := ss.Commit(ctx, "ann-2", []byte("2"), exp); err != nil {
				t.Fatal(err)
			}
			if err := ss.Bind(ctx, "ann-2", ann.ID); err != nil {
				t.Fatal(err)
			}
			if err := ss.CommitUser(ctx, "bo-1", bo.ID, []byte("3"), exp); err != nil {
				t.Fatal(err)
			}
			// A plain Commit (scs saving the session) keeps the binding.
			if err := ss.Commit(ctx, "ann-1", []byte("1b"), exp); err != nil {
				t.Fatal(err)
			}
			if n := count(t, s, `SELECT count(*) FROM sessions WHERE user_id = $1`, ann.ID); n != 2 {
				t.Errorf("ann has %d sessions, want 2", n)
			}
			for tok, want := range map[string]User{"ann-1": ann, "ann-2": ann, "bo-1": bo} {
				b, u, found, err := ss.FindUser(ctx, tok, t0)
				if err != nil || !found || u == nil || len(b) == 0 {
					t.Fatalf("FindUser(%s) = %q, %+v, %v, %v", tok, b, u, found, err)
				}
				if diff := cmp.Diff(want, *u); diff != "" {
					t.Errorf("FindUser(%s) user (-want +got):\n%s", tok, diff)
				}
			}
			if _, u, found, err := ss.FindUser(ctx, "ann-1", exp); found || u != nil || err != nil {
				t.Errorf("FindUser of an expired session = %+v, %v, %v", u, found, err)
			}
			wantCode(t, ss.Bind(ctx, "no-such-token", ann.ID), ENOTFOUND, "")
			wantCode(t, ss.CommitUser(ctx, "ghost", 999999, []byte("x"), exp), ENOTFOUND, "")

			n, err := ss.DeleteUser(ctx, ann.ID)
			if err != nil || n != 2 {
				t.Errorf("DeleteUser sessions = %d, %v; want 2", n, err)
			}
			if _, found, _ := ss.Find(ctx, "bo-1", t0); !found {
				t.Error("bo's session went with ann's")
			}
		})
	})
}

func diaryCase(userID int64, at time.Time, leg, back int, note string) DiaryEntry {
	return DiaryEntry{UserID: userID, At: at, LegPain: leg, BackPain: back, Tingling: leg > 5, Weakness: back > 5, Note: note}
}

func TestDiary(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		ann := mkUser(t, s, "ann")

		var added []DiaryEntry
		t.Run("add", func(t *testing.T) {
			tests := []struct {
				name        string
				e           DiaryEntry
				code, field string
			}{
				{"ordinary", diaryCase(ann.ID, t0.Add(-48*time.Hour), 3, 2, "gik til bageren"), "", ""},
				{"limits", DiaryEntry{UserID: ann.ID, At: t0.Add(-24 * time.Hour), LegPain: 10, BackPain: 0, Tingling: true, Burning: true, Weakness: true}, "", ""},
				{"no time: now", DiaryEntry{UserID: ann.ID, LegPain: 1, Note: "æøå 🙂"}, "", ""},
				{"leg pain 11", diaryCase(ann.ID, t0, 11, 0, ""), EINVALID, "leg_pain"},
				{"back pain -1", diaryCase(ann.ID, t0, 0, -1, ""), EINVALID, "back_pain"},
				{"note too long", diaryCase(ann.ID, t0, 0, 0, strings.Repeat("x", maxText+1)), EINVALID, "note"},
				{"unknown user", diaryCase(999999, t0, 1, 1, ""), ENOTFOUND, ""},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					got, err := s.AddDiaryEntry(ctx, tt.e)
					if tt.code != "" {
						wantCode(t, err, tt.code, tt.field)
						return
					}
					if err != nil {
						t.Fatal(err)
					}
					if got.ID == 0 || !got.CreatedAt.Equal(t0) || !got.UpdatedAt.Equal(t0) || (tt.e.At.IsZero() && !got.At.Equal(t0)) {
						t.Errorf("AddDiaryEntry = %+v", got)
					}
					// Acknowledged means committed: the reader pool sees it at once.
					back, err := s.DiaryEntry(ctx, got.ID, ann.ID)
					if err != nil {
						t.Fatal(err)
					}
					if diff := cmp.Diff(got, back); diff != "" {
						t.Errorf("(-added +read):\n%s", diff)
					}
					added = append(added, got)
				})
			}
		})
		if len(added) != 3 {
			t.Fatalf("%d entries added, want 3", len(added))
		}

		t.Run("update", func(t *testing.T) {
			e := added[0]
			e.LegPain, e.Burning, e.Note = 7, true, "værre i dag"
			got, err := s.UpdateDiaryEntry(ctx, e)
			if err != nil {
				t.Fatal(err)
			}
			back, _ := s.DiaryEntry(ctx, e.ID, ann.ID)
			if diff := cmp.Diff(got, back); diff != "" || back.LegPain != 7 || !back.Burning || !back.CreatedAt.Equal(added[0].CreatedAt) {
				t.Errorf("after update: %+v (-returned +read):\n%s", back, diff)
			}
			added[0] = back
			e.BackPain = 12
			_, err = s.UpdateDiaryEntry(ctx, e)
			wantCode(t, err, EINVALID, "back_pain")
		})

		t.Run("list", func(t *testing.T) {
			tests := []struct {
				name     string
				from, to time.Time
				want     []DiaryEntry
			}{
				{"all", time.Time{}, time.Time{}, added},
				{"from", t0.Add(-24 * time.Hour), time.Time{}, added[1:]},
				{"to is exclusive", time.Time{}, t0.Add(-24 * time.Hour), added[:1]},
				{"window", t0.Add(-30 * time.Hour), t0, added[1:2]},
				{"empty", t0.Add(time.Hour), t0.Add(2 * time.Hour), nil},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					got, err := s.ListDiaryEntries(ctx, ann.ID, tt.from, tt.to)
					if err != nil {
						t.Fatal(err)
					}
					if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
						t.Errorf("(-want +got):\n%s", diff)
					}
				})
			}
		})

		t.Run("delete", func(t *testing.T) {
			if err := s.DeleteDiaryEntry(ctx, added[2].ID, ann.ID); err != nil {
				t.Fatal(err)
			}
			_, err := s.DiaryEntry(ctx, added[2].ID, ann.ID)
			wantCode(t, err, ENOTFOUND, "")
			wantCode(t, s.DeleteDiaryEntry(ctx, added[2].ID, ann.ID), ENOTFOUND, "")
			if got, _ := s.ListDiaryEntries(ctx, ann.ID, time.Time{}, time.Time{}); len(got) != 2 {
				t.Errorf("%d entries left, want 2", len(got))
			}
		})
	})
}

// TestDiaryIsolation: a user can read, change and delete only their own
// entries; someone else's is ErrNotFound, exactly like a missing one, and
// stays as it was.
func TestDiaryIsolation(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		ann, bo := mkUser(t, s, "ann"), mkUser(t, s, "bo")
		boEntry, err := s.AddDiaryEntry(ctx, diaryCase(bo.ID, t0, 4, 4, "bo's"))
		if err != nil {
			t.Fatal(err)
		}
		annEntry, err := s.AddDiaryEntry(ctx, diaryCase(ann.ID, t0, 1, 1, "ann's"))
		if err != nil {
			t.Fatal(err)
		}
		forged := boEntry
		forged.UserID, forged.Note = ann.ID, "ann was here"

		tests := []struct {
			name string
			do   func() error
		}{
			{"ann reads bo's", func() error { _, err := s.DiaryEntry(ctx, boEntry.ID, ann.ID); return err }},
			{"ann updates bo's", func() error { _, err := s.UpdateDiaryEntry(ctx, forged); return err }},
			{"ann deletes bo's", func() error { return s.DeleteDiaryEntry(ctx, boEntry.ID, ann.ID) }},
			{"bo deletes ann's", func() error { return s.DeleteDiaryEntry(ctx, annEntry.ID, bo.ID) }},
			{"a missing entry", func() error { return s.DeleteDiaryEntry(ctx, 999999, ann.ID) }},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.do(), ENOTFOUND, "") })
		}
		for _, want := range []DiaryEntry{boEntry, annEntry} {
			got, err := s.DiaryEntry(ctx, want.ID, want.UserID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("entry changed (-before +after):\n%s", diff)
			}
		}
		if got, _ := s.ListDiaryEntries(ctx, ann.ID, time.Time{}, time.Time{}); len(got) != 1 || got[0].ID != annEntry.ID {
			t.Errorf("ann's list = %+v", got)
		}
	})
}

func sampleSession(userID int64, clientID string, start time.Time) TrainingSession {
	return TrainingSession{
		UserID: userID, ClientID: clientID, Programme: "start-uge-1",
		StartedAt: start, EndedAt: start.Add(14 * time.Minute), Symptoms: 1,
		Steps: []SessionStep{
			{Exercise: "knae-til-bryst", Done: true},
			{Exercise: "bækkenvip", Done: true, Symptoms: true, SymptomKinds: []string{"tingling", "pain"}},
			{Exercise: "cykling-liggende", Done: false},
		},
	}
}

func sampleWalk(userID int64, clientID string, start time.Time) Walk {
	return Walk{
		UserID: userID, ClientID: clientID, StartedAt: start, EndedAt: start.Add(20 * time.Minute),
		Bouts: []Bout{
			{WalkSeconds: 300, PauseSeconds: 90, FirstSymptomsSeconds: ip(300)},
			{WalkSeconds: 420, PauseSeconds: 120, FirstSymptomsSeconds: ip(410)},
			{WalkSeconds: 270},
		},
	}
}

// TestTrainingSessions: saved exactly once per (user, client id), however
// often the browser sends it.
func TestTrainingSessions(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		ann, bo := mkUser(t, s, "ann"), mkUser(t, s, "bo")
		first := sampleSession(ann.ID, "c6a1e0d2-0000-4000-8000-000000000001", t0.Add(-2*time.Hour))
		changed := first
		changed.Programme, changed.Steps = "something else", nil

		var firstID int64
		tests := []struct {
			name    string
			ts      TrainingSession
			created bool
			sameAs  bool // same id as the first
			code    string
		}{
			{"first", first, true, true, ""},
			{"sent again", first, false, true, ""},
			{"sent again, altered", changed, false, true, ""},
			{"same client id, other user", sampleSession(bo.ID, first.ClientID, t0), true, false, ""},
			{"second session", sampleSession(ann.ID, "c6a1e0d2-0000-4000-8000-000000000002", t0.Add(-time.Hour)), true, false, ""},
			{"no client id", sampleSession(ann.ID, "", t0), false, false, EINVALID},
			{"ends before it starts", TrainingSession{UserID: ann.ID, ClientID: "x", StartedAt: t0, EndedAt: t0.Add(-time.Second)}, false, false, EINVALID},
			{"no start", TrainingSession{UserID: ann.ID, ClientID: "x"}, false, false, EINVALID},
			{"unknown user", sampleSession(999999, "x", t0), false, false, ENOTFOUND},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				id, created, err := s.AddTrainingSession(ctx, tt.ts)
				if tt.code != "" {
					wantCode(t, err, tt.code, "")
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if firstID == 0 {
					firstID = id
				}
				if created != tt.created || (id == firstID) != tt.sameAs {
					t.Errorf("AddTrainingSession = %d, %v; first was %d", id, created, firstID)
				}
			})
		}

		got, err := s.ListTrainingSessions(ctx, ann.ID, time.Time{}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("ann has %d sessions, want 2", len(got))
		}
		want := first
		want.ID, want.CreatedAt = firstID, t0
		if diff := cmp.Diff(want, got[0]); diff != "" {
			t.Errorf("stored session (-want +got):\n%s", diff)
		}
		if n := count(t, s, `SELECT count(*) FROM training_session_steps WHERE session_id = $1`, firstID); n != 3 {
			t.Errorf("%d steps stored, want 3 (once)", n)
		}
		if got, _ := s.ListTrainingSessions(ctx, ann.ID, t0.Add(-90*time.Minute), t0); len(got) != 1 || got[0].ClientID != "c6a1e0d2-0000-4000-8000-000000000002" {
			t.Errorf("window list = %+v", got)
		}
		if got, _ := s.ListTrainingSessions(ctx, bo.ID, time.Time{}, time.Time{}); len(got) != 1 {
			t.Errorf("bo has %d sessions, want 1", len(got))
		}
	})
}

func TestWalks(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		ann, bo := mkUser(t, s, "ann"), mkUser(t, s, "bo")
		w := sampleWalk(ann.ID, "walk-1", t0.Add(-3*time.Hour))

		id, created, err := s.AddWalk(ctx, w)
		if err != nil || !created || id == 0 {
			t.Fatalf("AddWalk = %d, %v, %v", id, created, err)
		}

		t.Run("sent again", func(t *testing.T) {
			again := w
			again.Bouts = append(slices.Clone(w.Bouts), Bout{WalkSeconds: 1})
			for range 3 {
				id2, created, err := s.AddWalk(ctx, again)
				if err != nil || created || id2 != id {
					t.Fatalf("resend = %d, %v, %v; want %d, false", id2, created, err, id)
				}
			}
			if n := count(t, s, `SELECT count(*) FROM walk_bouts WHERE walk_id = $1`, id); n != 3 {
				t.Errorf("%d bouts, want 3", n)
			}
		})

		t.Run("sent again concurrently", func(t *testing.T) {
			// The browser's retry racing its first attempt.
			c := sampleWalk(ann.ID, "walk-race", t0.Add(-2*time.Hour))
			var wg sync.WaitGroup
			ids := make([]int64, 8)
			createds := make([]bool, 8)
			errs := make([]error, 8)
			for i := range 8 {
				wg.Go(func() { ids[i], createds[i], errs[i] = s.AddWalk(ctx, c) })
			}
			wg.Wait()
			n := 0
			for i := range 8 {
				if errs[i] != nil || ids[i] != ids[0] {
					t.Errorf("attempt %d = %d, %v", i, ids[i], errs[i])
				}
				if createds[i] {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%d attempts created the walk, want 1", n)
			}
		})

		t.Run("validation", func(t *testing.T) {
			tests := []struct {
				name string
				w    Walk
				code string
			}{
				{"no client id", Walk{UserID: ann.ID, StartedAt: t0, EndedAt: t0}, EINVALID},
				{"client id too long", Walk{UserID: ann.ID, ClientID: strings.Repeat("x", 129), StartedAt: t0, EndedAt: t0}, EINVALID},
				{"negative bout", Walk{UserID: ann.ID, ClientID: "n", StartedAt: t0, EndedAt: t0, Bouts: []Bout{{WalkSeconds: -1}}}, EINVALID},
				{"negative symptoms time", Walk{UserID: ann.ID, ClientID: "n", StartedAt: t0, EndedAt: t0, Bouts: []Bout{{FirstSymptomsSeconds: ip(-5)}}}, EINVALID},
				{"ends before it starts", Walk{UserID: ann.ID, ClientID: "n", StartedAt: t0, EndedAt: t0.Add(-time.Minute)}, EINVALID},
				{"unknown user", sampleWalk(999999, "n", t0), ENOTFOUND},
				{"no bouts is fine", Walk{UserID: bo.ID, ClientID: "empty", StartedAt: t0, EndedAt: t0}, ""},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					_, _, err := s.AddWalk(ctx, tt.w)
					wantCode(t, err, tt.code, "")
				})
			}
		})

		got, err := s.ListWalks(ctx, ann.ID, time.Time{}, time.Time{})
		if err != nil || len(got) != 2 {
			t.Fatalf("ListWalks = %d walks, %v; want 2", len(got), err)
		}
		want := w
		want.ID, want.CreatedAt = id, t0
		if diff := cmp.Diff(want, got[0]); diff != "" {
			t.Errorf("stored walk (-want +got):\n%s", diff)
		}
		if ws, ps, f := got[0].WalkSeconds(), got[0].PauseSeconds(), got[0].FirstSymptomsSeconds(); ws != 990 || ps != 210 || f == nil || *f != 300 {
			t.Errorf("totals = %d, %d, %v", ws, ps, f)
		}
		if got, _ := s.ListWalks(ctx, ann.ID, t0.Add(-150*time.Minute), time.Time{}); len(got) != 1 || got[0].ClientID != "walk-race" {
			t.Errorf("window list = %+v", got)
		}
		if got, _ := s.ListWalks(ctx, bo.ID, time.Time{}, time.Time{}); len(got) != 1 || len(got[0].Bouts) != 0 || got[0].FirstSymptomsSeconds() != nil {
			t.Errorf("bo's walks = %+v", got)
		}
	})
}

func TestRedFlagCheckins(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		ann, bo := mkUser(t, s, "ann"), mkUser(t, s, "bo")
		c1, err := s.AddRedFlagCheckin(ctx, RedFlagCheckin{UserID: ann.ID, At: t0.Add(-time.Hour),
			Answers: map[string]bool{"bladder": false, "saddle_numbness": false, "progressive_weakness": false}})
		if err != nil {
			t.Fatal(err)
		}
		c2, err := s.AddRedFlagCheckin(ctx, RedFlagCheckin{UserID: ann.ID,
			Answers: map[string]bool{"bladder": true, "saddle_numbness": false}, Urgent: true})
		if err != nil {
			t.Fatal(err)
		}
		if !c2.At.Equal(t0) || c2.ExaminedAt != (time.Time{}) {
			t.Errorf("c2 = %+v", c2)
		}

		examined := t0.Add(26 * time.Hour)
		own := Examination{On: "2026-03-02", By: ExaminedByOwnDoctor}
		tests := []struct {
			name       string
			id, userID int64
			at         time.Time
			ex         Examination
			code       string
		}{
			{"no examination", c2.ID, ann.ID, examined, Examination{}, EINVALID},
			{"no day", c2.ID, ann.ID, examined, Examination{By: ExaminedByOwnDoctor}, EINVALID},
			{"not a day", c2.ID, ann.ID, examined, Examination{On: "2026-02-30", By: ExaminedByOwnDoctor}, EINVALID},
			{"a day written otherwise", c2.ID, ann.ID, examined, Examination{On: "2.3.2026", By: ExaminedByOwnDoctor}, EINVALID},
			{"by nobody", c2.ID, ann.ID, examined, Examination{On: "2026-03-02"}, EINVALID},
			{"by an unknown", c2.ID, ann.ID, examined, Examination{On: "2026-03-02", By: "nurse"}, EINVALID},
			{"other without words", c2.ID, ann.ID, examined, Examination{On: "2026-03-02", By: ExaminedByOther}, EINVALID},
			{"words without other", c2.ID, ann.ID, examined, Examination{On: "2026-03-02", By: ExaminedByEmergency, ByOther: "Rigshospitalet"}, EINVALID},
			{"other's words too long", c2.ID, ann.ID, examined, Examination{On: "2026-03-02", By: ExaminedByOther, ByOther: strings.Repeat("x", 201)}, EINVALID},
			{"other", c2.ID, ann.ID, examined, Examination{On: "2026-03-02", By: ExaminedByOther, ByOther: "Speciallæge"}, ""},
			{"own (replaces other)", c2.ID, ann.ID, examined, own, ""},
			{"someone else's", c2.ID, bo.ID, t0, own, ENOTFOUND},
			{"missing", 999999, ann.ID, t0, own, ENOTFOUND},
			{"no time", c2.ID, ann.ID, time.Time{}, own, EINVALID},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) { wantCode(t, s.ConfirmExamined(ctx, tt.id, tt.userID, tt.at, tt.ex), tt.code, "") })
		}

		got, err := s.ListRedFlagCheckins(ctx, ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		c2.ExaminedAt, c2.Examination = examined, own
		if diff := cmp.Diff([]RedFlagCheckin{c1, c2}, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
		// A check-in that carries an earlier examination over (web: a
		// flag a doctor has seen stays cleared) stores it whole; a
		// broken one is refused before it is written.
		c3, err := s.AddRedFlagCheckin(ctx, RedFlagCheckin{UserID: ann.ID, At: t0.Add(48 * time.Hour),
			Answers: map[string]bool{"cancer_history": true}, ExaminedAt: examined, Examination: own})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := s.ListRedFlagCheckins(ctx, ann.ID); len(got) != 3 || got[2].Examination != own || !got[2].ExaminedAt.Equal(examined) {
			t.Errorf("carried over: %+v, want %+v", got, c3)
		}
		_, err = s.AddRedFlagCheckin(ctx, RedFlagCheckin{UserID: ann.ID, Examination: Examination{On: "gisp", By: ExaminedByOwnDoctor}})
		wantCode(t, err, EINVALID, "")
		if got, err := s.ListRedFlagCheckins(ctx, bo.ID); err != nil || len(got) != 0 {
			t.Errorf("bo's = %+v, %v", got, err)
		}
		_, err = s.AddRedFlagCheckin(ctx, RedFlagCheckin{UserID: 999999})
		wantCode(t, err, ENOTFOUND, "")
	})
}

func TestBaselines(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		ann := mkUser(t, s, "ann")
		_, err := s.LatestBaseline(ctx, ann.ID)
		wantCode(t, err, ENOTFOUND, "")

		var added []Baseline
		tests := []struct {
			name        string
			b           Baseline
			code, field string
		}{
			{"start", Baseline{UserID: ann.ID, At: t0.Add(-28 * 24 * time.Hour), SPWTFirstSymptomsSeconds: ip(150), SPWTStopSeconds: 420, NRSLeg: 6, NRSBack: 4}, "", ""},
			{"no symptoms in the test", Baseline{UserID: ann.ID, SPWTStopSeconds: 900, NRSLeg: 3, NRSBack: 2}, "", ""},
			{"symptoms after stop", Baseline{UserID: ann.ID, SPWTFirstSymptomsSeconds: ip(500), SPWTStopSeconds: 400}, EINVALID, "spwt_first_symptoms_seconds"},
			{"negative stop", Baseline{UserID: ann.ID, SPWTStopSeconds: -1}, EINVALID, "spwt_stop_seconds"},
			{"NRS leg 11", Baseline{UserID: ann.ID, SPWTStopSeconds: 1, NRSLeg: 11}, EINVALID, "nrs_leg"},
			{"NRS back -1", Baseline{UserID: ann.ID, SPWTStopSeconds: 1, NRSBack: -1}, EINVALID, "nrs_back"},
			{"unknown user", Baseline{UserID: 999999, SPWTStopSeconds: 1}, ENOTFOUND, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := s.AddBaseline(ctx, tt.b)
				if tt.code != "" {
					wantCode(t, err, tt.code, tt.field)
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				added = append(added, got)
			})
		}
		latest, err := s.LatestBaseline(ctx, ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(added[1], latest); diff != "" {
			t.Errorf("latest (-want +got):\n%s", diff)
		}
		all, err := s.ListBaselines(ctx, ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(added, all); diff != "" {
			t.Errorf("list (-want +got):\n%s", diff)
		}
	})
}

// fill gives u one or more rows in every table and returns the rows' ids
// that children hang from.
type filled struct {
	user       User
	diary      []DiaryEntry
	sessionIDs []int64
	walkIDs    []int64
	checkins   []RedFlagCheckin
	baselines  []Baseline
	targets    []Targets
	psfs       []PSFS
	programmes []ProgrammeVersion
	invIDs     []int64
	clinic     Clinic
	inv        Invitation // the invitation the user signed up with
	calendar   CalendarFeed
}

func fill(t *testing.T, s *Store, login string) filled {
	t.Helper()
	ctx := t.Context()
	// The user signs up with an invitation of their own clinic.
	cl, err := s.CreateClinic(ctx, Clinic{Slug: "klinik-" + login, Name: "Klinik " + login})
	if err != nil {
		t.Fatal(err)
	}
	code := sha256.Sum256([]byte(login))
	inv, err := s.CreateInvitation(ctx, Invitation{ClinicID: cl.ID, Name: strings.ToUpper(login), ExpiresAt: t0.Add(time.Hour)}, code)
	if err != nil {
		t.Fatal(err)
	}
	u, used, err := s.CreateInvitedUser(ctx, User{Login: login, Email: login + "@example.dk", Name: strings.ToUpper(login),
		PasswordHash: "$argon2id$v=19$m=65536,t=1,p=2$c2FsdA$aGFzaA", Role: RolePatient}, code, t0)
	if err != nil {
		t.Fatal(err)
	}
	// A second factor with a recovery code (secrets: in the cascade, not in
	// the export).
	if err := s.EnableTOTP(ctx, u.ID, "JBSWY3DPEHPK3PXPJBSWY3DP", t0, 1, [][32]byte{sha256.Sum256([]byte(login + "-recovery"))}); err != nil {
		t.Fatal(err)
	}
	// A failed sign-in (the limits' rows: keyed by what was typed).
	if _, err := s.AddLoginAttempt(ctx, t0, "login:"+login); err != nil {
		t.Fatal(err)
	}
	// A browser signed in on (a secret: the cascade, not the export).
	if err := s.RememberDevice(ctx, u.ID, sha256.Sum256([]byte(login+"-device")), t0); err != nil {
		t.Fatal(err)
	}
	// A password reset code from an admin (a secret too).
	if _, err := s.CreateResetCode(ctx, ResetCode{UserID: u.ID, CreatedAt: t0, ExpiresAt: t0.Add(24 * time.Hour)}, sha256.Sum256([]byte(login+"-reset"))); err != nil {
		t.Fatal(err)
	}
	if u, err = s.UserByID(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	f := filled{user: u, invIDs: []int64{inv.ID}, clinic: cl, inv: used}
	// The workspace's rows: an alert and a summary from every write (a
	// deriver of this test's own), and a clinic's note.
	s.SetDeriver(fixedDeriver{})
	if _, err := s.AddNote(ctx, cl.ID, Note{PatientID: u.ID, AuthorName: "Dorte Behandler", At: t0, Body: login + " note"}); err != nil {
		t.Fatal(err)
	}
	if err := s.LogAccess(ctx, Access{At: t0, ActorID: 999, Actor: "Dorte Behandler", ActorRole: RoleClinician, ClinicID: cl.ID,
		PatientID: u.ID, Action: AccessView, What: "progress"}); err != nil {
		t.Fatal(err)
	}
	id := f.user.ID
	for i := range 3 {
		e, err := s.AddDiaryEntry(ctx, diaryCase(id, t0.Add(time.Duration(i-3)*24*time.Hour), i, i+1, login+" entry"))
		if err != nil {
			t.Fatal(err)
		}
		f.diary = append(f.diary, e)
	}
	for i := range 2 {
		sid, _, err := s.AddTrainingSession(ctx, sampleSession(id, fmt.Sprintf("%s-s%d", login, i), t0.Add(time.Duration(i-2)*time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
		f.sessionIDs = append(f.sessionIDs, sid)
		wid, _, err := s.AddWalk(ctx, sampleWalk(id, fmt.Sprintf("%s-w%d", login, i), t0.Add(time.Duration(i-2)*time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
		f.walkIDs = append(f.walkIDs, wid)
	}
	c, err := s.AddRedFlagCheckin(ctx, RedFlagCheckin{UserID: id, At: t0.Add(-time.Hour), Answers: map[string]bool{"bladder": false}})
	if err != nil {
		t.Fatal(err)
	}
	f.checkins = append(f.checkins, c)
	b, err := s.AddBaseline(ctx, Baseline{UserID: id, At: t0.Add(-time.Hour), SPWTFirstSymptomsSeconds: ip(100), SPWTStopSeconds: 300, NRSLeg: 5, NRSBack: 3})
	if err != nil {
		t.Fatal(err)
	}
	f.baselines = append(f.baselines, b)
	var prev int64
	for i, walk := range []int{5, 6} {
		tg, err := s.SetTargets(ctx, Targets{UserID: id, At: t0.Add(time.Duration(i-2) * time.Hour), WalkMinutes: walk,
			Reps: map[string]int{"kattestraek": 8 + i}, SetBy: SetByRules, Advice: "PROGRESS_TARGET_UP"}, prev)
		if err != nil {
			t.Fatal(err)
		}
		f.targets, prev = append(f.targets, tg), tg.ID
	}
	for i, score := range []int{3, 6} {
		p, err := s.AddPSFS(ctx, id, t0.Add(time.Duration(i-2)*time.Hour), []PSFSActivity{{login + " går til bageren", score}, {"stå og lave mad", score + 1}})
		if err != nil {
			t.Fatal(err)
		}
		f.psfs = append(f.psfs, p)
	}
	// The clinic's versions of their programme.
	prev = 0
	for i, walk := range []int{8, 10} {
		v, err := s.SetProgramme(ctx, cl.ID, ProgrammeVersion{PatientID: id, At: t0.Add(time.Duration(i-2) * time.Hour), ByID: 999,
			ByName: "Dorte Behandler", Reason: login + " færre øvelser", Base: "5-bedste-oevelser", PerWeek: 2, WalkMinutes: walk,
			Items: []ProgrammeItem{{Exercise: "kattestraek", Kind: "reps", Reps: 8, SecondsPerRep: 6, Sides: 1, Sets: 2, Rest: 30}}}, prev)
		if err != nil {
			t.Fatal(err)
		}
		f.programmes, prev = append(f.programmes, v), v.ID
	}
	// A training calendar with its link on (the link's hash: a secret, in
	// the cascade, not in the export).
	token := sha256.Sum256([]byte(login + "-calendar"))
	if f.calendar, err = s.SaveCalendarFeed(ctx, CalendarFeed{UserID: id, Weekdays: []int{1, 3, 5}, Minute: 600,
		Series: fmt.Sprintf("%032x", id)}, &token, t0); err != nil {
		t.Fatal(err)
	}
	ss := s.Sessions()
	if err := ss.CommitUser(ctx, login+"-web-1", id, []byte("x"), t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := ss.CommitUser(ctx, login+"-web-2", id, []byte("y"), t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	return f
}

// keptRows are the tables whose rows of a user outlive the account, and
// why; the cascade test proves they are still there.
var keptRows = map[string]string{
	"access_log":     "who looked at a patient's record is kept for the clinic by law (TestAccessLog); it is in the export (TestExportUser)",
	"login_attempts": "the sign-in limits' rows are keyed by what was typed, not by a user, and pruned within hours (ratelimit.go)",
}

// rowsOf counts f's rows in each table. Children are counted by their
// parents' ids recorded before any delete, so rows orphaned by a missing
// cascade (or foreign keys left off) are counted too. Every table in the
// database must be listed here: a new table that holds user data must be
// added to this map, to ExportUser and to the cascade.
func rowsOf(t *testing.T, s *Store, f filled) map[string]int {
	t.Helper()
	sum := func(q string, ids []int64) int {
		n := 0
		for _, id := range ids {
			n += count(t, s, q, id)
		}
		return n
	}
	uid := []int64{f.user.ID}
	counters := map[string]func() int{
		"users":             func() int { return sum(`SELECT count(*) FROM users WHERE id = $1`, uid) },
		"sessions":          func() int { return sum(`SELECT count(*) FROM sessions WHERE user_id = $1`, uid) },
		"recovery_codes":    func() int { return sum(`SELECT count(*) FROM recovery_codes WHERE user_id = $1`, uid) },
		"reset_codes":       func() int { return sum(`SELECT count(*) FROM reset_codes WHERE user_id = $1`, uid) },
		"known_devices":     func() int { return sum(`SELECT count(*) FROM known_devices WHERE user_id = $1`, uid) },
		"diary_entries":     func() int { return sum(`SELECT count(*) FROM diary_entries WHERE user_id = $1`, uid) },
		"training_sessions": func() int { return sum(`SELECT count(*) FROM training_sessions WHERE user_id = $1`, uid) },
		"training_session_steps": func() int {
			return sum(`SELECT count(*) FROM training_session_steps WHERE session_id = $1`, f.sessionIDs)
		},
		"walks":             func() int { return sum(`SELECT count(*) FROM walks WHERE user_id = $1`, uid) },
		"walk_bouts":        func() int { return sum(`SELECT count(*) FROM walk_bouts WHERE walk_id = $1`, f.walkIDs) },
		"red_flag_checkins": func() int { return sum(`SELECT count(*) FROM red_flag_checkins WHERE user_id = $1`, uid) },
		"baselines":         func() int { return sum(`SELECT count(*) FROM baselines WHERE user_id = $1`, uid) },
		"targets":           func() int { return sum(`SELECT count(*) FROM targets WHERE user_id = $1`, uid) },
		"psfs_scores":       func() int { return sum(`SELECT count(*) FROM psfs_scores WHERE user_id = $1`, uid) },
		"programme_versions": func() int {
			return sum(`SELECT count(*) FROM programme_versions WHERE user_id = $1`, uid)
		},
		"alerts": func() int { return sum(`SELECT count(*) FROM alerts WHERE patient_id = $1`, uid) },
		"calendar_feeds": func() int {
			return sum(`SELECT count(*) FROM calendar_feeds WHERE user_id = $1`, uid)
		},
		"clinic_notes": func() int { return sum(`SELECT count(*) FROM clinic_notes WHERE patient_id = $1`, uid) },
		// Derived from the rows above at each write (derive.go): in the
		// cascade, not in the export.
		"patient_summary": func() int { return sum(`SELECT count(*) FROM patient_summary WHERE patient_id = $1`, uid) },
		// The user's clinic is theirs while they belong to it; it stays
		// when they go (a tenant, not their data).
		"clinics": func() int {
			return sum(`SELECT count(*) FROM clinics c JOIN users u ON u.clinic_id = c.id WHERE u.id = $1`, uid)
		},
		// The invitation they signed up with, with their name, until they go.
		"invitations": func() int {
			return sum(`SELECT count(*) FROM invitations WHERE id = $1 AND (used_by IS NOT NULL OR name <> '')`, f.invIDs)
		},
		// Kept after the account goes (keptRows says why).
		"access_log": func() int { return sum(`SELECT count(*) FROM access_log WHERE patient_id = $1`, uid) },
		"login_attempts": func() int {
			return count(t, s, `SELECT count(*) FROM login_attempts WHERE bucket = $1`, "login:"+f.user.Login)
		},
	}
	got := map[string]int{}
	for _, table := range tables(t, s) {
		c, ok := counters[table]
		if !ok {
			t.Fatalf("table %s is not covered by rowsOf (nor, probably, by ExportUser and the cascade)", table)
		}
		got[table] = c()
	}
	return got
}

func TestDeleteUserCascade(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		ann, bo := fill(t, s, "ann"), fill(t, s, "bo")
		annBefore, boBefore := rowsOf(t, s, ann), rowsOf(t, s, bo)
		for table, n := range annBefore {
			if n == 0 {
				t.Fatalf("fill left %s empty: the test would prove nothing", table)
			}
		}
		if err := s.DeleteUser(ctx, ann.user.ID); err != nil {
			t.Fatal(err)
		}
		for table, n := range rowsOf(t, s, ann) {
			switch why, kept := keptRows[table]; {
			case kept && n != annBefore[table]:
				t.Errorf("%s: %d rows after the deletion, had %d; they must stay: %s", table, n, annBefore[table], why)
			case !kept && n != 0:
				t.Errorf("%s: %d rows of the deleted user left", table, n)
			}
		}
		if diff := cmp.Diff(boBefore, rowsOf(t, s, bo)); diff != "" {
			t.Errorf("the other user's rows changed (-before +after):\n%s", diff)
		}
		_, err := s.ExportUser(ctx, ann.user.ID)
		wantCode(t, err, ENOTFOUND, "")
	})
}

func TestExportUser(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		ann, bo := fill(t, s, "ann"), fill(t, s, "bo")
		ex := Examination{On: "2026-03-01", By: ExaminedByOther, ByOther: "Speciallæge i Hillerød"}
		if err := s.ConfirmExamined(ctx, ann.checkins[0].ID, ann.user.ID, t0, ex); err != nil {
			t.Fatal(err)
		}
		ann.checkins[0].ExaminedAt, ann.checkins[0].Examination = t0, ex

		x, err := s.ExportUser(ctx, ann.user.ID)
		if err != nil {
			t.Fatal(err)
		}
		sessions, _ := s.ListTrainingSessions(ctx, ann.user.ID, time.Time{}, time.Time{})
		walks, _ := s.ListWalks(ctx, ann.user.ID, time.Time{}, time.Time{})
		wantUser := ann.user
		wantUser.PasswordHash = ""
		want := Export{
			User:             wantUser,
			Diary:            ann.diary,
			TrainingSessions: sessions,
			Walks:            walks,
			RedFlagCheckins:  ann.checkins,
			Baselines:        ann.baselines,
			Targets:          ann.targets,
			PSFS:             ann.psfs,
			Programmes:       ann.programmes,
			Clinic:           &ann.clinic,
			Invitations:      []Invitation{ann.inv},
			AccessLog: []Access{{ID: x.AccessLog[0].ID, At: t0, ActorID: 999, Actor: "Dorte Behandler", ActorRole: RoleClinician,
				ClinicID: ann.clinic.ID, PatientID: ann.user.ID, Action: AccessView, What: "progress"}},
			Alerts:      []Alert{{ID: x.Alerts[0].ID, PatientID: ann.user.ID, Code: "BASELINE", Rank: RankInfo, Episode: "baseline-1", RaisedAt: t0}},
			ClinicNotes: []Note{{ID: x.ClinicNotes[0].ID, PatientID: ann.user.ID, AuthorName: "Dorte Behandler", At: t0, Body: "ann note"}},
			Calendar: &CalendarFeed{UserID: ann.user.ID, Weekdays: []int{1, 3, 5}, Minute: 600, Series: ann.calendar.Series,
				LinkAt: t0, CreatedAt: t0, UpdatedAt: t0}, // not the link's hash
		}
		if diff := cmp.Diff(want, x); diff != "" {
			t.Errorf("export (-want +got):\n%s", diff)
		}
		// Complete: every table with rows of ann's has them in the export.
		inExport := map[string]int{
			"users":                  1,
			"diary_entries":          len(x.Diary),
			"training_sessions":      len(x.TrainingSessions),
			"walks":                  len(x.Walks),
			"red_flag_checkins":      len(x.RedFlagCheckins),
			"baselines":              len(x.Baselines),
			"targets":                len(x.Targets),
			"psfs_scores":            len(x.PSFS),
			"programme_versions":     len(x.Programmes),
			"alerts":                 len(x.Alerts),
			"clinic_notes":           len(x.ClinicNotes),
			"invitations":            len(x.Invitations),
			"calendar_feeds":         0,
			"access_log":             len(x.AccessLog),
			"clinics":                0,
			"training_session_steps": 0,
			"walk_bouts":             0,
		}
		if x.Clinic != nil {
			inExport["clinics"] = 1
		}
		if x.Calendar != nil {
			inExport["calendar_feeds"] = 1
		}
		for _, ts := range x.TrainingSessions {
			inExport["training_session_steps"] += len(ts.Steps)
		}
		for _, w := range x.Walks {
			inExport["walk_bouts"] += len(w.Bouts)
		}
		for table, n := range rowsOf(t, s, ann) {
			if n == 0 {
				t.Errorf("fill left %s empty: the export's completeness is not tested for it", table)
			}
			if table == "sessions" || table == "recovery_codes" || table == "reset_codes" || table == "known_devices" || table == "patient_summary" || table == "login_attempts" { // secrets, what is derived, and the sign-in limits' rows: left out on purpose
				continue
			}
			if inExport[table] != n {
				t.Errorf("%s: %d rows in the database, %d in the export", table, n, inExport[table])
			}
		}
		// Nothing of bo's, and no secrets, in the JSON.
		j, err := json.Marshal(x)
		if err != nil {
			t.Fatal(err)
		}
		calHash := sha256.Sum256([]byte("ann-calendar"))
		for _, leak := range []string{"bo entry", "bo-", `"bo"`, "bo går", "argon2id", "ann-web-1",
			fmt.Sprintf("%x", calHash[:8]), base64.StdEncoding.EncodeToString(calHash[:])[:12], "tokenHash", "TokenHash"} {
			if strings.Contains(string(j), leak) {
				t.Errorf("export JSON contains %q", leak)
			}
		}
		_ = bo

		// A user with no data exports empty lists, not nulls.
		cara := mkUser(t, s, "cara")
		x, err = s.ExportUser(ctx, cara.ID)
		if err != nil {
			t.Fatal(err)
		}
		j, _ = json.Marshal(x)
		if strings.Contains(string(j), "null") {
			t.Errorf("empty export has nulls: %s", j)
		}
		_, err = s.ExportUser(ctx, 999999)
		wantCode(t, err, ENOTFOUND, "")
	})
}

// TestConcurrentWrites: 32 goroutines write at once through two Stores on
// the same database (two servers, or a server and `stenose user`): on SQLite
// two writer connections then contend for the file's lock, which
// busy_timeout and BEGIN IMMEDIATE must turn into waiting, not errors.
// Readers run alongside.
func TestConcurrentWrites(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		s2 := reopenStore(t, s)
		const workers, entries = 32, 5
		var wg sync.WaitGroup
		errs := make(chan error, workers*(entries+3))
		for i := range workers {
			wg.Go(func() {
				st := []*Store{s, s2}[i%2]
				u, err := st.CreateUser(ctx, User{Login: fmt.Sprintf("user%02d", i), Role: RolePatient})
				if err != nil {
					errs <- fmt.Errorf("worker %d: create user: %w", i, err)
					return
				}
				for j := range entries {
					if _, err := st.AddDiaryEntry(ctx, diaryCase(u.ID, t0.Add(time.Duration(j)*time.Minute), j, j, "")); err != nil {
						errs <- fmt.Errorf("worker %d: diary: %w", i, err)
					}
				}
				if _, _, err := st.AddWalk(ctx, sampleWalk(u.ID, "w", t0)); err != nil {
					errs <- fmt.Errorf("worker %d: walk: %w", i, err)
				}
				if err := st.Sessions().CommitUser(ctx, fmt.Sprintf("tok%02d", i), u.ID, []byte("x"), t0.Add(time.Hour)); err != nil {
					errs <- fmt.Errorf("worker %d: session: %w", i, err)
				}
				if got, err := st.ListDiaryEntries(ctx, u.ID, time.Time{}, time.Time{}); err != nil || len(got) != entries {
					errs <- fmt.Errorf("worker %d: read back %d entries, %v", i, len(got), err)
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		for q, want := range map[string]int{
			`SELECT count(*) FROM users`:         workers,
			`SELECT count(*) FROM diary_entries`: workers * entries,
			`SELECT count(*) FROM walk_bouts`:    workers * 3,
			`SELECT count(*) FROM sessions`:      workers,
		} {
			if n := count(t, s, q); n != want {
				t.Errorf("%s = %d, want %d", q, n, want)
			}
		}
	})
}

// TestDiaryPage: the diary a page at a time, newest first (two entries at
// the same time: the later added first), with the count of all; only the
// user's own; a page past the end is empty.
func TestDiaryPage(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		ann, bo := mkUser(t, s, "ann"), mkUser(t, s, "bo")
		var all []DiaryEntry // newest first
		for i := range 7 {
			at := t0.Add(time.Duration(i-10) * time.Hour)
			if i == 6 {
				at = all[0].At // the same time as the one before
			}
			e, err := s.AddDiaryEntry(ctx, diaryCase(ann.ID, at, i, 0, ""))
			if err != nil {
				t.Fatal(err)
			}
			all = append([]DiaryEntry{e}, all...)
		}
		if _, err := s.AddDiaryEntry(ctx, diaryCase(bo.ID, t0, 1, 1, "bo's")); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			page, per int
			want      []DiaryEntry
		}{
			{1, 3, all[:3]},
			{2, 3, all[3:6]},
			{3, 3, all[6:]},
			{4, 3, nil},
			{1, 10, all},
		} {
			got, total, err := s.DiaryPage(ctx, ann.ID, tt.page, tt.per)
			if err != nil {
				t.Fatal(err)
			}
			if total != 7 {
				t.Errorf("page %d of %d: total %d, want 7", tt.page, tt.per, total)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("page %d of %d (-want +got):\n%s", tt.page, tt.per, diff)
			}
		}
		if got, total, err := s.DiaryPage(ctx, mkUser(t, s, "cy").ID, 1, 20); err != nil || total != 0 || len(got) != 0 {
			t.Errorf("no entries: %v, %d, %v", got, total, err)
		}
		for _, bad := range [][2]int{{0, 20}, {1, 0}, {-1, 20}} {
			if _, _, err := s.DiaryPage(ctx, ann.ID, bad[0], bad[1]); err == nil {
				t.Errorf("page %d of %d: no error", bad[0], bad[1])
			}
		}
	})
}

// TestNewerSchemaRefused: a database a newer stenose has migrated is
// refused with a message that says so, instead of being used by an older
// program that does not know its schema.
func TestNewerSchemaRefused(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		known, err := s.SchemaVersion(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.w.ExecContext(t.Context(), `INSERT INTO goose_db_version (version_id, is_applied) VALUES ($1, true)`, known+1); err != nil {
			t.Fatal(err)
		}
		_, err = s.Migrate(t.Context())
		if ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), "newer than this stenose knows") {
			t.Fatalf("Migrate on a newer schema: %v", err)
		}
		if !strings.Contains(err.Error(), fmt.Sprintf("version %d", known+1)) {
			t.Errorf("the message does not name the database's version: %v", err)
		}
	})
}

// TestReady: an instance is ready while its database answers with the
// schema it knows; once a newer stenose has migrated the schema (or the
// database is gone) it is not, and says why.
func TestReady(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		if err := s.Ready(ctx); err != nil {
			t.Fatalf("Ready on a fresh store: %v", err)
		}
		known, err := s.SchemaVersion(ctx)
		if err != nil || known != knownSchema(s.Dialect()) || known < 13 {
			t.Fatalf("SchemaVersion %d, %v; knownSchema %d", known, err, knownSchema(s.Dialect()))
		}
		if _, err := s.w.ExecContext(ctx, `INSERT INTO goose_db_version (version_id, is_applied) VALUES ($1, true)`, known+1); err != nil {
			t.Fatal(err)
		}
		err = s.Ready(ctx)
		if !errors.Is(err, ErrSchema) || !strings.Contains(err.Error(), fmt.Sprintf("version %d, this program's is %d", known+1, known)) {
			t.Fatalf("Ready on a newer schema: %v", err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if err := s.Ready(ctx); err == nil || errors.Is(err, ErrSchema) {
			t.Fatalf("Ready on a closed store: %v", err)
		}
	})
}
