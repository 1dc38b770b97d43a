package cluster

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/stenose/stenose/internal/store/pgtest"
)

// TestConcurrentStart: three `stenose migrate` processes started at once
// on an empty schema all succeed and all report the newest schema version;
// goose's table holds every version exactly once (the migrations ran once,
// under the store's advisory lock, not three times or interleaved).
func TestConcurrentStart(t *testing.T) {
	pgtest.Base(t)
	bin := stenoseBinary(t)
	latest := latestMigration(t)
	schema, dsn := database(t)
	dir := t.TempDir()

	const n = 3
	cmds := make([]*exec.Cmd, n)
	outs := make([]*bytes.Buffer, n)
	for i := range n {
		outs[i] = &bytes.Buffer{}
		cmds[i] = exec.Command(bin, "migrate", "--db", dsn, "--data", filepath.Join(dir, strconv.Itoa(i)))
		cmds[i].Env = childEnv()
		cmds[i].Stdout, cmds[i].Stderr = outs[i], outs[i]
	}
	for i, c := range cmds { // started together, before any is waited for
		if err := c.Start(); err != nil {
			t.Fatalf("migrate %d: %v", i, err)
		}
	}
	want := regexp.MustCompile(`^schema version ` + strconv.FormatInt(latest, 10) + ` \(postgres, `)
	for i, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Errorf("migrate %d: %v\n%s", i, err, outs[i])
			continue
		}
		if !want.Match(outs[i].Bytes()) {
			t.Errorf("migrate %d printed %q, want schema version %d", i, outs[i], latest)
		}
	}

	db := pgtest.Admin(t)
	var rows, distinct, newest, maxVersion int64
	err := db.QueryRowContext(t.Context(), `SELECT count(*), count(DISTINCT version_id), count(*) FILTER (WHERE version_id = $1), max(version_id)
		FROM `+schema+`.goose_db_version`, latest).Scan(&rows, &distinct, &newest, &maxVersion)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("goose_db_version after %d migrate processes at once: %d rows, %d versions, newest %d (recorded %d time)", n, rows, distinct, maxVersion, newest)
	if maxVersion != latest || newest != 1 {
		t.Errorf("the newest version is %d, recorded %d times; want %d, once", maxVersion, newest, latest)
	}
	if rows != distinct {
		t.Errorf("goose_db_version has %d rows for %d versions: a migration was recorded twice", rows, distinct)
	}
	// Version 0, goose's own, and every migration: the numbers of the
	// migrations' files, which need not run without a gap (branches take
	// their numbers in advance and are merged in any order).
	versions := append([]int64{0}, migrationVersions(t)...)
	if distinct != int64(len(versions)) {
		t.Errorf("goose_db_version has %d versions, want %d (%v)", distinct, len(versions), versions)
	}
	rs, err := db.QueryContext(t.Context(), `SELECT DISTINCT version_id FROM `+schema+`.goose_db_version ORDER BY version_id`)
	if err != nil {
		t.Fatal(err)
	}
	var recorded []int64
	for rs.Next() {
		var v int64
		if err := rs.Scan(&v); err != nil {
			t.Fatal(err)
		}
		recorded = append(recorded, v)
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	rs.Close()
	if !slices.Equal(recorded, versions) {
		t.Errorf("goose_db_version records versions %v, want %v", recorded, versions)
	}
}

// latestMigration is the newest PostgreSQL migration's number, from the
// migrations' file names (NNNNN_name.sql).
func latestMigration(t *testing.T) int64 {
	t.Helper()
	vs := migrationVersions(t)
	return vs[len(vs)-1]
}

// migrationVersions are the PostgreSQL migrations' numbers, from their
// file names (NNNNN_name.sql), in order.
func migrationVersions(t *testing.T) []int64 {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(repoRoot(t), "internal", "store", "migrations", "postgres", "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no PostgreSQL migrations found: %v", err)
	}
	var vs []int64
	for _, f := range files {
		m := regexp.MustCompile(`^(\d+)_`).FindStringSubmatch(filepath.Base(f))
		if m == nil {
			continue
		}
		v, _ := strconv.ParseInt(m[1], 10, 64)
		vs = append(vs, v)
	}
	if len(vs) == 0 {
		t.Fatal("no PostgreSQL migration is named NNNNN_name.sql")
	}
	slices.Sort(vs)
	return vs
}
