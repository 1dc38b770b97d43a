package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stenose/stenose/internal/store"
	"github.com/stenose/stenose/internal/store/pgtest"
)

// addUser makes a user in the data folder dir with `stenose user add`.
func addUser(t *testing.T, dir, login string) {
	t.Helper()
	withStdin(t, "gå en tur hver dag\n", func() {
		if code, out, errs := runCmd(t, "user", "add", "--data", dir, "--login", login); code != 0 {
			t.Fatalf("user add: %d %s %s", code, out, errs)
		}
	})
}

// TestBackupRestoreCommands: backup and restore as an operator runs them,
// with what they print and their exit codes; restore refused while serve
// has the database open.
func TestBackupRestoreCommands(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	addUser(t, dir, "anna")
	addUser(t, dir, "bent")
	file := filepath.Join(t.TempDir(), "stenose-backup.db")

	code, out, errs := runCmd(t, "backup", "--data", dir, "-o", file)
	if code != 0 || !strings.Contains(out, "backed up "+filepath.Join(dir, store.DefaultFile)) ||
		!strings.Contains(out, "integrity_check ok") || !regexp.MustCompile(`(?m)^users +2$`).MatchString(out) {
		t.Fatalf("backup: %d\n%s%s", code, out, errs)
	}
	if code, _, errs := runCmd(t, "backup", "--data", dir, "-o", file); code != 1 || !strings.Contains(errs, "stenose backup: "+file+" exists: give --replace") {
		t.Errorf("backup over a file: %d %s", code, errs)
	}
	if code, _, errs := runCmd(t, "backup", "--data", dir, "-o", file, "--replace"); code != 0 {
		t.Errorf("backup --replace: %d %s", code, errs)
	}

	// A new machine: the backup restored into an empty data folder.
	other := filepath.Join(t.TempDir(), "data")
	code, out, errs = runCmd(t, "restore", file, "--data", other)
	if code != 0 || !strings.Contains(out, "restored "+file+" (schema version") || !regexp.MustCompile(`(?m)^users +2$`).MatchString(out) {
		t.Fatalf("restore: %d\n%s%s", code, out, errs)
	}
	st := openData(t, other)
	if _, err := st.UserByLogin(t.Context(), "bent"); err != nil {
		t.Errorf("bent in the restored database: %v", err)
	}
	// Open (as serve has it): refused, and says why.
	code, _, errs = runCmd(t, "restore", "--data", other, "--replace", file)
	if code != 1 || !strings.Contains(errs, filepath.Join(other, store.DefaultFile)+" is in use") {
		t.Errorf("restore over a database in use: %d %s", code, errs)
	}
	st.Close()
	if code, _, errs := runCmd(t, "restore", file, "--data", other); code != 1 || !strings.Contains(errs, "exists: give --replace") {
		t.Errorf("restore over a database: %d %s", code, errs)
	}
	code, out, errs = runCmd(t, "restore", file, "--data", other, "--replace")
	if code != 0 || !strings.Contains(out, "the database it replaced is kept as "+filepath.Join(other, store.DefaultFile)+".replaced-") {
		t.Errorf("restore --replace: %d\n%s%s", code, out, errs)
	}

	// The server running: restore refused until it stops.
	_, _, stop := startServe(t, "--addr", "127.0.0.1:0", "--data", dir)
	code, _, errs = runCmd(t, "restore", file, "--data", dir, "--replace")
	if code != 1 || !strings.Contains(errs, "is in use: a stenose (serve, a backup or another command) has it open") {
		t.Errorf("restore under serve: %d %s", code, errs)
	}
	// A backup while it serves is fine.
	if code, _, errs := runCmd(t, "backup", "--data", dir, "-o", file, "--replace"); code != 0 {
		t.Errorf("backup under serve: %d %s", code, errs)
	}
	if stop() != 0 {
		t.Error("serve did not stop cleanly")
	}
	if code, _, errs := runCmd(t, "restore", file, "--data", dir, "--replace"); code != 0 {
		t.Errorf("restore once serve stopped: %d %s", code, errs)
	}

	// What a backup left unfinished is never restored.
	partial := file + store.PartialSuffix
	if err := os.WriteFile(partial, []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runCmd(t, "restore", partial, "--data", filepath.Join(t.TempDir(), "d")); code != 1 || !strings.Contains(errs, partial+" is an unfinished backup") {
		t.Errorf("restore of a .partial: %d %s", code, errs)
	}
	if code, _, errs := runCmd(t, "backup", "--data", dir, "-o", file, "--replace"); code != 0 || !strings.Contains(errs, "removed "+partial) {
		t.Errorf("backup after a leftover: %d %s", code, errs)
	}
}

func TestBackupUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"backup"}, 2, "-o FILE is required"},
		{[]string{"backup", "-o", "x", "extra"}, 2, "Usage: stenose backup"},
		{[]string{"restore"}, 2, "the backup FILE is required"},
		{[]string{"restore", "a", "b"}, 2, "Usage: stenose restore"},
		{[]string{"copy-db", "--from", "sqlite:x"}, 2, "--from and --to are both required"},
		{[]string{"backup", "--db", "postgres://stenose:hemmelig@db/stenose", "-o", "stenose.dump"}, 1, "pg_dump --format=custom --file=stenose.dump postgres://stenose@db/stenose"},
		{[]string{"restore", "stenose.dump", "--db", "postgres://stenose:hemmelig@db/stenose"}, 1, "pg_restore --exit-on-error --single-transaction --no-owner --dbname=postgres://stenose@db/stenose stenose.dump"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, _, errs := runCmd(t, tc.args...)
			if code != tc.code || !strings.Contains(errs, tc.msg) || strings.Contains(errs, "hemmelig") {
				t.Errorf("exit %d, want %d; stderr:\n%s\nwant %q", code, tc.code, errs, tc.msg)
			}
		})
	}
}

// TestCopyDBCommand: copy-db SQLite to SQLite always, and SQLite to
// PostgreSQL and back when a test database is given, printing every
// table's rows and sums on both sides.
func TestCopyDBCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	addUser(t, dir, "anna")
	from := "sqlite:" + filepath.Join(dir, store.DefaultFile)
	row := regexp.MustCompile(`(?m)^users +1  ([0-9a-f]{16})  ([0-9a-f]{16})$`)
	copyDB := func(t *testing.T, from, to string) string {
		t.Helper()
		code, out, errs := runCmd(t, "copy-db", "--from", from, "--to", to)
		m := row.FindStringSubmatch(out)
		if code != 0 || m == nil || m[1] != m[2] || !strings.Contains(out, "every table's rows and checksum match") {
			t.Fatalf("copy-db: %d\n%s%s", code, out, errs)
		}
		return m[1]
	}
	sum := copyDB(t, from, "sqlite:"+filepath.Join(t.TempDir(), "copy.db"))
	code, _, errs := runCmd(t, "copy-db", "--from", from, "--to", from)
	if code != 1 || !strings.Contains(errs, "the target is the source") {
		t.Errorf("copy-db onto itself: %d %s", code, errs)
	}
	t.Run("postgres", func(t *testing.T) {
		pg := pgtest.URL(t)
		if got := copyDB(t, from, pg); got != sum {
			t.Errorf("users' sum on PostgreSQL %s, on SQLite %s", got, sum)
		}
		if got := copyDB(t, pg, "sqlite:"+filepath.Join(t.TempDir(), "back.db")); got != sum {
			t.Errorf("users' sum back on SQLite %s, want %s", got, sum)
		}
		code, _, errs := runCmd(t, "copy-db", "--from", from, "--to", pg)
		if code != 1 || !strings.Contains(errs, "is not empty (table") {
			t.Errorf("copy-db into a full database: %d %s", code, errs)
		}
	})
}
