package store

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/stenose/stenose/internal/store/pgtest"
	"github.com/stenose/stenose/internal/testenv"
)

// backupChildEnv tells the test binary, run again by a test, to run one
// backup in a process of its own (TestBackupProcess): a backup that can
// be killed, or that copies while another process writes.
const backupChildEnv = "STENOSE_TEST_BACKUP_CHILD"

type backupChild struct {
	DB, File string
	Pages    int32 // pages a step (backupStep)
	// PauseAfter: after this step (-1: the last), print "paused" and
	// wait to be killed; 0: never.
	PauseAfter int
	// PauseWhenWritten: pause as PauseAfter does after the first step
	// that leaves some of the copy in FILE.partial, with more to copy.
	PauseWhenWritten bool
	// WaitAfterFirst: after the first step, print "waiting" and go on
	// when stdin closes.
	WaitAfterFirst bool
}

// TestBackupProcess is a helper, not a test: TestBackupKilled and
// TestBackupUnderWrites run it in a process of their own.
func TestBackupProcess(t *testing.T) {
	spec := os.Getenv(backupChildEnv)
	if spec == "" {
		t.Skip("a helper: TestBackupKilled and TestBackupUnderWrites run it in a process of its own")
	}
	var c backupChild
	if err := json.Unmarshal([]byte(spec), &c); err != nil {
		t.Fatal(err)
	}
	backupStep = c.Pages
	steps := 0
	rep, err := Backup(context.Background(), "sqlite:"+c.DB, "", c.File, BackupOptions{step: func(done, total int) {
		steps++
		if c.WaitAfterFirst && steps == 1 {
			fmt.Println("waiting")
			io.Copy(io.Discard, os.Stdin)
		}
		written := c.PauseWhenWritten && done < total && fileSize(c.File+PartialSuffix) > 0
		if c.PauseAfter > 0 && steps == c.PauseAfter || c.PauseAfter < 0 && done == total || written {
			fmt.Printf("paused %d/%d\n", done, total)
			time.Sleep(time.Hour)
		}
	}})
	if err != nil {
		fmt.Println("RESULT error", err)
		return
	}
	fmt.Printf("RESULT ok %d steps %d bytes\n", steps, rep.Bytes)
}

// writerChildEnv tells the test binary, run again, to be a server that
// writes without end (TestWriterProcess), for a test to kill.
const writerChildEnv = "STENOSE_TEST_WRITER_CHILD"

// TestWriterProcess is a helper, not a test: TestBackupServerKilled runs
// it as the server it kills. It writes diary entries and sessions for the
// user given, printing "wrote N" after each.
func TestWriterProcess(t *testing.T) {
	spec := os.Getenv(writerChildEnv)
	if spec == "" {
		t.Skip("a helper: TestBackupServerKilled runs it in a process of its own")
	}
	path, id, _ := strings.Cut(spec, "|")
	var userID int64
	fmt.Sscan(id, &userID)
	w, err := Open(context.Background(), "sqlite:"+path, "", WithClock(clock))
	if err != nil {
		fmt.Println("RESULT error", err)
		return
	}
	for i := 0; ; i++ {
		at := t0.Add(-time.Duration(i) * time.Minute)
		if _, err := w.AddDiaryEntry(context.Background(), diaryCase(userID, at, i%11, 1, fmt.Sprint("server ", i))); err != nil {
			fmt.Println("RESULT error", err)
			return
		}
		if _, _, err := w.AddTrainingSession(context.Background(), sampleSession(userID, fmt.Sprint("server-", i), at)); err != nil {
			fmt.Println("RESULT error", err)
			return
		}
		fmt.Println("wrote", i+1)
	}
}

// child is a backup running in a process of its own.
type child struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines chan string
}

func startBackupChild(t *testing.T, c backupChild) *child {
	t.Helper()
	spec, _ := json.Marshal(c)
	return startChild(t, "TestBackupProcess", backupChildEnv+"="+string(spec))
}

// startChild runs the test binary's helper test in a process of its own
// with env set.
func startChild(t *testing.T, test, env string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), env)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ch := &child{cmd: cmd, stdin: stdin, lines: make(chan string, 100)}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			ch.lines <- sc.Text()
		}
		close(ch.lines)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	return ch
}

// await returns the child's first line that starts with prefix.
func (c *child) await(t *testing.T, prefix string) string {
	t.Helper()
	timeout := time.After(60 * time.Second)
	for {
		select {
		case l, ok := <-c.lines:
			if !ok {
				t.Fatalf("the backup process ended before it printed %q", prefix)
			}
			if strings.HasPrefix(l, prefix) {
				return l
			}
		case <-timeout:
			t.Fatalf("the backup process did not print %q within 60 s", prefix)
		}
	}
}

func integrityOK(t *testing.T, path string) {
	t.Helper()
	if err := integrityCheck(t.Context(), mustRaw(t, path).db, path); err != nil {
		t.Fatal(err)
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// TestBackupKilled: a backup killed with SIGKILL half-way through the
// copy, or after the copy but before its check, leaves the live database
// whole and unchanged, nothing at FILE, and a FILE.partial that restore
// refuses and the next backup removes.
func TestBackupKilled(t *testing.T) {
	for _, tc := range []struct {
		name    string
		halfway bool
	}{
		{"half-way through the copy", true},
		{"copied, not yet checked", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openTestSQLite(t) // open, as a server has it
			fillAll(t, s)
			grow(t, s)
			db := s.Path()
			before := sums(t, "sqlite:"+db)
			dir := t.TempDir()
			file := filepath.Join(dir, "stenose-backup.db")
			partial := file + PartialSuffix

			spec := backupChild{DB: db, File: file, Pages: 16, PauseAfter: -1}
			if tc.halfway {
				spec = backupChild{DB: db, File: file, Pages: 16, PauseWhenWritten: true}
			}
			c := startBackupChild(t, spec)
			t.Log(c.await(t, "paused"))
			if !exists(partial) || exists(file) {
				t.Fatalf("during the copy: %s there %v, %s there %v", partial, exists(partial), file, exists(file))
			}
			if tc.halfway && (fileSize(partial) <= 0 || fileSize(partial) >= fileSize(db)) {
				t.Fatalf("%s holds %d bytes of the database's %d: not half a copy", partial, fileSize(partial), fileSize(db))
			}
			if err := c.cmd.Process.Kill(); err != nil { // SIGKILL
				t.Fatal(err)
			}
			c.cmd.Wait()

			integrityOK(t, db)
			if after := sums(t, "sqlite:"+db); !slices.Equal(before, after) {
				t.Errorf("the live database changed:\n%s", gocmp.Diff(before, after))
			}
			if exists(file) {
				t.Errorf("%s exists after the backup was killed", file)
			}
			if !exists(partial) {
				t.Fatalf("no %s: the test proves nothing", partial)
			}
			target := filepath.Join(t.TempDir(), "restored", DefaultFile)
			_, err := Restore(t.Context(), "sqlite:"+target, "", partial, RestoreOptions{})
			if err == nil || !strings.Contains(err.Error(), partial) || !strings.Contains(err.Error(), "unfinished backup") {
				t.Errorf("Restore(%s): %v", partial, err)
			}
			if tc.halfway {
				// Half a copy under another name is refused for what it is.
				renamed := filepath.Join(dir, "renamed.db")
				if err := copyFile(partial, renamed); err != nil {
					t.Fatal(err)
				}
				_, err := Restore(t.Context(), "sqlite:"+target, "", renamed, RestoreOptions{})
				if err == nil || !strings.Contains(err.Error(), renamed) {
					t.Errorf("Restore(half a copy): %v", err)
				}
				t.Logf("half a copy (%d bytes): %v", fileSize(renamed), err)
			}
			if exists(target) {
				t.Errorf("a refused restore made %s", target)
			}

			// The next backup to the same file clears the leftover.
			rep, err := Backup(t.Context(), "sqlite:"+db, "", file, BackupOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if rep.RemovedPartial != partial || exists(partial) {
				t.Errorf("RemovedPartial = %q; %s still there: %v", rep.RemovedPartial, partial, exists(partial))
			}
			if _, err := Restore(t.Context(), "sqlite:"+target, "", file, RestoreOptions{}); err != nil {
				t.Fatal(err)
			}
			if got := sums(t, "sqlite:"+target); !slices.Equal(before, got) {
				t.Errorf("the restored backup differs:\n%s", gocmp.Diff(before, got))
			}
		})
	}
}

// grow gives ann's record some 20,000 diary entries more, so that the
// database (about 6 MB) is larger than the backup's page cache and a
// backup writes pages to its file before it has copied them all.
func grow(t *testing.T, s *Store) {
	t.Helper()
	ann, err := s.UserByLogin(t.Context(), "ann")
	if err != nil {
		t.Fatal(err)
	}
	var rec CareRecord
	for i := range 20000 {
		rec.Diary = append(rec.Diary, DiaryEntry{At: t0.Add(-time.Duration(i+1) * time.Hour), LegPain: i % 11, BackPain: 3,
			Note: fmt.Sprintf("dag %d: gik til bageren og tilbage, ondt i venstre ben efter ti minutter, hvilede på bænken ved kirken", i)})
	}
	if err := s.ImportRecord(t.Context(), ann.ID, rec); err != nil {
		t.Fatal(err)
	}
}

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return -1
	}
	return st.Size()
}

// loadWriter writes diary entries and training sessions (each with its
// steps, in one transaction) for a patient, one after another, until ctx
// ends: a server under the diary's write load. It returns the count of
// writes so far.
func loadWriter(ctx context.Context, t *testing.T, w *Store, userID int64) (writes *atomic.Int64, wait func()) {
	writes = new(atomic.Int64)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ctx.Err() == nil; i++ {
			at := t0.Add(-time.Duration(i) * time.Minute)
			if _, err := w.AddDiaryEntry(ctx, diaryCase(userID, at, i%11, (i+3)%11, fmt.Sprint("skrevet under backup ", i))); err != nil {
				if ctx.Err() == nil {
					t.Errorf("writer: %v", err)
				}
				return
			}
			if _, _, err := w.AddTrainingSession(ctx, sampleSession(userID, fmt.Sprint("load-", i), at)); err != nil {
				if ctx.Err() == nil {
					t.Errorf("writer: %v", err)
				}
				return
			}
			writes.Add(1)
		}
	}()
	return writes, wg.Wait
}

// waitWrites waits until n more writes than at have been made.
func waitWrites(t *testing.T, writes *atomic.Int64, n int64) {
	t.Helper()
	want := writes.Load() + n
	deadline := time.Now().Add(60 * time.Second)
	for writes.Load() < want {
		if time.Now().After(deadline) {
			t.Fatalf("the writer made %d writes in 60 s, want %d", writes.Load(), want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// snapshotWhere narrows the written tables to the rows a snapshot that
// holds diary entries up to diary and sessions up to sessions has: the
// writer writes one at a time, so each table's ids grow in commit order.
func snapshotWhere(t *testing.T, dsn string) map[string]string {
	t.Helper()
	r, err := openRaw(t.Context(), dsn, "", true)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var diary, sessions int64
	if err := r.db.QueryRowContext(t.Context(), `SELECT coalesce(max(id), 0) FROM diary_entries`).Scan(&diary); err != nil {
		t.Fatal(err)
	}
	if err := r.db.QueryRowContext(t.Context(), `SELECT coalesce(max(id), 0) FROM training_sessions`).Scan(&sessions); err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"diary_entries":          fmt.Sprintf("id <= %d", diary),
		"training_sessions":      fmt.Sprintf("id <= %d", sessions),
		"training_session_steps": fmt.Sprintf("session_id <= %d", sessions),
	}
}

// checkSnapshot: the copy at copyDSN holds exactly the live database's
// rows as of one moment — every table the writer does not touch equal,
// and each written table equal to the live one up to the copy's last id,
// each session with all its steps — while the live database has gone on.
func checkSnapshot(t *testing.T, liveDSN, copyDSN string) {
	t.Helper()
	where := snapshotWhere(t, copyDSN)
	live, err := openRaw(t.Context(), liveDSN, "", true)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	want, err := tableSumsWhere(t.Context(), live.db, live.engine, where)
	if err != nil {
		t.Fatal(err)
	}
	got := sums(t, copyDSN)
	if !slices.Equal(want, got) {
		t.Errorf("the copy is not one snapshot of the live database (-live +copy):\n%s", gocmp.Diff(want, got))
	}
	all := sums(t, liveDSN)
	for i := range all {
		if all[i].Table == "diary_entries" && all[i].Rows <= got[i].Rows {
			t.Errorf("the live database has %d diary entries, the copy %d: the writes went on after the snapshot, so the test proves nothing", all[i].Rows, got[i].Rows)
		}
	}
	c, err := openRaw(t.Context(), copyDSN, "", true)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var torn int
	if err := c.db.QueryRowContext(t.Context(), `SELECT count(*) FROM training_sessions s
		WHERE (SELECT count(*) FROM training_session_steps WHERE session_id = s.id) <> 3`).Scan(&torn); err != nil {
		t.Fatal(err)
	}
	if torn > 0 {
		t.Errorf("%d sessions in the copy without all their steps", torn)
	}
}

// TestBackupUnderWrites: a backup made by another process while a server
// writes (diary entries, sessions with their steps) is one snapshot of
// the database, passes integrity_check, and restores to a database
// stenose opens.
func TestBackupUnderWrites(t *testing.T) {
	s := openTestSQLite(t)
	fillAll(t, s)
	ann, err := s.UserByLogin(t.Context(), "ann")
	if err != nil {
		t.Fatal(err)
	}
	w := reopenStore(t, s) // another server on the same file
	ctx, stop := context.WithCancel(t.Context())
	writes, wait := loadWriter(ctx, t, w, ann.ID)
	defer func() { stop(); wait() }()
	waitWrites(t, writes, 5)

	file := filepath.Join(t.TempDir(), "backup.db")
	c := startBackupChild(t, backupChild{DB: s.Path(), File: file, Pages: 2, WaitAfterFirst: true})
	c.await(t, "waiting")
	// The snapshot is taken; the server writes on while the copy runs.
	waitWrites(t, writes, 20)
	c.stdin.Close()
	if res := c.await(t, "RESULT"); !strings.HasPrefix(res, "RESULT ok") {
		t.Fatalf("the backup: %s", res)
	}
	c.cmd.Wait()
	waitWrites(t, writes, 5)
	stop()
	wait()

	integrityOK(t, file)
	checkSnapshot(t, "sqlite:"+s.Path(), "sqlite:"+file)

	target := filepath.Join(t.TempDir(), "data")
	rep, err := Restore(t.Context(), "", target, file, RestoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Database != filepath.Join(target, DefaultFile) || rep.SchemaVersion != KnownSchemaVersion() || rep.Kept != "" {
		t.Errorf("report: %+v", rep)
	}
	if got, want := sums(t, "sqlite:"+rep.Database), sums(t, "sqlite:"+file); !slices.Equal(got, want) {
		t.Errorf("the restored database differs from the backup:\n%s", gocmp.Diff(want, got))
	}
	r, err := Open(t.Context(), "", target, WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if u, err := r.UserByLogin(t.Context(), "ann"); err != nil || u.ID != ann.ID {
		t.Errorf("ann in the restored database: %+v, %v", u, err)
	}
	if _, err := r.AddDiaryEntry(t.Context(), diaryCase(ann.ID, t0, 2, 2, "efter genskabelsen")); err != nil {
		t.Errorf("writing to the restored database: %v", err)
	}
}

// TestBackupServerKilled: the server writing to the database is killed
// (SIGKILL) in the middle of a backup, another process. The backup still
// finishes as one snapshot that passes integrity_check, and the live
// database is whole and opens.
func TestBackupServerKilled(t *testing.T) {
	s := openTestSQLite(t)
	fillAll(t, s)
	ann, err := s.UserByLogin(t.Context(), "ann")
	if err != nil {
		t.Fatal(err)
	}
	server := startChild(t, "TestWriterProcess", fmt.Sprintf("%s=%s|%d", writerChildEnv, s.Path(), ann.ID))
	server.await(t, "wrote 5")

	file := filepath.Join(t.TempDir(), "backup.db")
	c := startBackupChild(t, backupChild{DB: s.Path(), File: file, Pages: 2, WaitAfterFirst: true})
	c.await(t, "waiting")
	// The snapshot is taken: the server writes on, then dies mid-stride.
	live := mustRaw(t, s.Path())
	top := func() (n int64) {
		t.Helper()
		if err := live.db.QueryRowContext(t.Context(), `SELECT max(id) FROM diary_entries`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for from, deadline := top(), time.Now().Add(60*time.Second); top() < from+20; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the server wrote fewer than 20 entries in 60 s")
		}
		select {
		case <-server.lines: // keep its output flowing
		default:
		}
	}
	if err := server.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	server.cmd.Wait()
	c.stdin.Close()
	if res := c.await(t, "RESULT"); !strings.HasPrefix(res, "RESULT ok") {
		t.Fatalf("the backup: %s", res)
	}
	c.cmd.Wait()

	integrityOK(t, file)
	integrityOK(t, s.Path())
	checkSnapshot(t, "sqlite:"+s.Path(), "sqlite:"+file)
	r := reopenStore(t, s) // the server restarting
	if _, err := r.AddDiaryEntry(t.Context(), diaryCase(ann.ID, t0, 1, 1, "efter genstart")); err != nil {
		t.Errorf("writing after the server was killed: %v", err)
	}
}

// TestBackupRefuses: what backup will not do.
func TestBackupRefuses(t *testing.T) {
	ctx := t.Context()
	s := openTestSQLite(t)
	mkUser(t, s, "ann")
	db := "sqlite:" + s.Path()
	dir := t.TempDir()
	taken := filepath.Join(dir, "taken.db")
	if err := os.WriteFile(taken, []byte("an older backup"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, dsn, file, want string
		code                  string
	}{
		{"an existing file", db, taken, taken + " exists: give --replace", ECONFLICT},
		{"the database itself", db, s.Path(), "is the database itself", EINVALID},
		{"its log", db, s.Path() + "-wal", "is the database itself or one of its files", EINVALID},
		{"a partial name", db, filepath.Join(dir, "x.db.partial"), "the name of an unfinished backup", EINVALID},
		{"no database", "sqlite:" + filepath.Join(dir, "none.db"), filepath.Join(dir, "b.db"), "there is no database at", ENOTFOUND},
		{"no folder", db, filepath.Join(dir, "no", "b.db"), "does not exist", ENOTFOUND},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Backup(ctx, tc.dsn, "", tc.file, BackupOptions{})
			if err == nil || !strings.Contains(err.Error(), tc.want) || ErrorCode(err) != tc.code {
				t.Fatalf("Backup: %v (%s); want %q (%s)", err, ErrorCode(err), tc.want, tc.code)
			}
		})
	}
	if b, _ := os.ReadFile(taken); string(b) != "an older backup" {
		t.Errorf("a refused backup overwrote %s", taken)
	}
	rep, err := Backup(ctx, db, "", taken, BackupOptions{Replace: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.File != taken || rep.Bytes != fileSize(taken) || rep.SchemaVersion != KnownSchemaVersion() {
		t.Errorf("report: %+v", rep)
	}
	if fi, _ := os.Stat(taken); fi.Mode().Perm() != 0o600 {
		t.Errorf("the backup's mode is %v, want 0600: it holds health data", fi.Mode())
	}
	integrityOK(t, taken)
	if exists(taken+"-wal") || exists(taken+"-journal") || exists(taken+PartialSuffix) {
		t.Error("the backup left files beside it")
	}
}

// TestPostgresBackupCommands: on PostgreSQL, backup and restore name
// pg_dump and pg_restore, with a URL that has no password and takes the
// search_path as --schema.
func TestPostgresBackupCommands(t *testing.T) {
	dsn := "postgres://stenose:hemmelig@db.klinik.dk:5433/stenose?sslmode=require&search_path=klinik_a&pool_max_conns=8"
	for _, f := range []func() error{
		func() error {
			_, err := Backup(t.Context(), dsn, "", "/backup/stenose.dump", BackupOptions{})
			return err
		},
		func() error {
			_, err := Restore(t.Context(), dsn, "", "/backup/stenose.dump", RestoreOptions{})
			return err
		},
	} {
		var pe *PostgresError
		if err := f(); !errors.As(err, &pe) {
			t.Fatalf("err = %v, want a *PostgresError", err)
		}
		want := PostgresError{
			Location: "stenose@db.klinik.dk:5433/stenose (search_path klinik_a)",
			Dump:     "pg_dump --format=custom --file=/backup/stenose.dump --schema=klinik_a 'postgres://stenose@db.klinik.dk:5433/stenose?sslmode=require'",
			Restore:  "pg_restore --exit-on-error --single-transaction --no-owner --dbname='postgres://stenose@db.klinik.dk:5433/stenose?sslmode=require' /backup/stenose.dump",
		}
		if *pe != want {
			t.Errorf("got  %+v\nwant %+v", *pe, want)
		}
		if strings.Contains(pe.Error(), "hemmelig") {
			t.Errorf("the message gives the password away: %s", pe.Error())
		}
	}
	if d, _ := PgDumpCommands("postgres://u@h/db", "my backup's.dump"); d != `pg_dump --format=custom --file='my backup'\''s.dump' postgres://u@h/db` {
		t.Errorf("quoting: %s", d)
	}
}

// TestRestoreRefuses: restore refuses a database in use, an existing one
// without --replace, and a file that is not a good backup for this
// stenose — each with a message naming the file — and changes nothing.
func TestRestoreRefuses(t *testing.T) {
	ctx := t.Context()
	src := openTestSQLite(t)
	fillAll(t, src)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	if _, err := Backup(ctx, "sqlite:"+src.Path(), "", good, BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	// variant makes a copy of the good backup and changes it with sql
	// (foreign keys off, so a dangling row can be written).
	variant := func(t *testing.T, name string, sql ...string) string {
		p := filepath.Join(t.TempDir(), name)
		if err := copyFile(good, p); err != nil {
			t.Fatal(err)
		}
		r, err := openRawSQLite(ctx, p, false)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		for _, q := range sql {
			if _, err := r.db.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		return p
	}
	known := KnownSchemaVersion()
	files := map[string]func(t *testing.T) string{
		"missing": func(t *testing.T) string { return filepath.Join(t.TempDir(), "none.db") },
		"not SQLite": func(t *testing.T) string {
			return writeFile(t, "notes.db", []byte(strings.Repeat("ikke en database\n", 500)))
		},
		"empty SQLite": func(t *testing.T) string { return writeFile(t, "empty.db", nil) },
		"foreign": func(t *testing.T) string {
			p := writeFile(t, "other.db", nil)
			r, _ := openRawSQLite(ctx, p, false)
			defer r.Close()
			r.db.ExecContext(ctx, `CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)`)
			return p
		},
		"extra table":   func(t *testing.T) string { return variant(t, "extra.db", `CREATE TABLE stray (x TEXT)`) },
		"missing table": func(t *testing.T) string { return variant(t, "missing.db", `DROP TABLE clinic_notes`) },
		"newer": func(t *testing.T) string {
			return variant(t, "newer.db", fmt.Sprintf(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (%d, 1)`, known+1))
		},
		"dangling": func(t *testing.T) string {
			return variant(t, "dangling.db", `PRAGMA foreign_keys = OFF`,
				`INSERT INTO diary_entries (user_id, at, leg_pain, back_pain, tingling, burning, weakness, created_at, updated_at) VALUES (9999, 0, 1, 1, 0, 0, 0, 0, 0)`)
		},
		"damaged": func(t *testing.T) string {
			p := variant(t, "damaged.db")
			f, err := os.OpenFile(p, os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			junk := []byte(strings.Repeat("\xde\xad\xbe\xef", 4096/4*8))
			if _, err := f.WriteAt(junk, 4096*4); err != nil { // pages 5–12
				t.Fatal(err)
			}
			return p
		},
		"partial": func(t *testing.T) string { return variant(t, "good.db"+PartialSuffix) },
		"with a log": func(t *testing.T) string {
			p := variant(t, "live.db")
			writeFile(t, "", nil, p+"-wal")
			return p
		},
	}
	for _, tc := range []struct{ name, want string }{
		{"missing", "does not exist"},
		{"not SQLite", "is not a SQLite database"},
		{"empty SQLite", "is not a stenose database: it has no schema version"},
		{"foreign", "is not a stenose database: it has no schema version"},
		{"extra table", "has a table stray that stenose does not make"},
		{"missing table", "has no table clinic_notes"},
		{"newer", fmt.Sprintf("has schema version %d, newer than this stenose knows (%d)", known+1, known)},
		{"dangling", "has rows that refer to rows it does not hold, in diary_entries (1 rows)"},
		{"damaged", "is damaged"},
		{"partial", "is an unfinished backup"},
		{"with a log", "has a write-ahead log beside it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := files[tc.name](t)
			target := filepath.Join(t.TempDir(), "data", DefaultFile)
			_, err := Restore(ctx, "sqlite:"+target, "", file, RestoreOptions{Replace: true})
			if err == nil || !strings.Contains(err.Error(), file) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Restore(%s): %v\nwant the file named and %q", filepath.Base(file), err, tc.want)
			}
			if exists(target) || exists(target+restoringSuffix) {
				t.Errorf("a refused restore left %s or its temporary copy", target)
			}
		})
	}

	t.Run("in use", func(t *testing.T) {
		live := openTestSQLite(t) // a server has it open
		mkUser(t, live, "cy")
		before := sums(t, "sqlite:"+live.Path())
		_, err := Restore(ctx, "sqlite:"+live.Path(), "", good, RestoreOptions{Replace: true})
		if err == nil || ErrorCode(err) != ECONFLICT || !strings.Contains(err.Error(), live.Path()+" is in use") {
			t.Fatalf("Restore over a database in use: %v", err)
		}
		if after := sums(t, "sqlite:"+live.Path()); !slices.Equal(before, after) {
			t.Error("a refused restore changed the database in use")
		}
		// A backup in progress counts as a use too.
		lock, err := lockShared(ctx, live.Path())
		if err != nil {
			t.Fatal(err)
		}
		live.Close()
		if _, err := Restore(ctx, "sqlite:"+live.Path(), "", good, RestoreOptions{Replace: true}); ErrorCode(err) != ECONFLICT {
			t.Errorf("Restore while a backup holds the lock: %v", err)
		}
		lock.Close()
		if _, err := Restore(ctx, "sqlite:"+live.Path(), "", good, RestoreOptions{Replace: true}); err != nil {
			t.Errorf("Restore once nothing uses it: %v", err)
		}
	})

	t.Run("an existing database, then --replace", func(t *testing.T) {
		old := openTestSQLite(t)
		mkUser(t, old, "dora")
		path := old.Path()
		oldSums := sums(t, "sqlite:"+path)
		old.Close()
		_, err := Restore(ctx, "sqlite:"+path, "", good, RestoreOptions{})
		if err == nil || ErrorCode(err) != ECONFLICT || !strings.Contains(err.Error(), path+" exists: give --replace") {
			t.Fatalf("Restore over an existing database: %v", err)
		}
		if got := sums(t, "sqlite:"+path); !slices.Equal(oldSums, got) {
			t.Fatal("a refused restore changed the database")
		}
		stamp := time.Date(2026, 12, 6, 10, 15, 0, 0, time.UTC)
		rep, err := Restore(ctx, "sqlite:"+path, "", good, RestoreOptions{Replace: true, now: func() time.Time { return stamp }})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Kept != path+".replaced-20261206T101500Z" {
			t.Errorf("Kept = %q", rep.Kept)
		}
		if got := sums(t, "sqlite:"+rep.Kept); !slices.Equal(oldSums, got) {
			t.Errorf("the kept database differs from the one replaced:\n%s", gocmp.Diff(oldSums, got))
		}
		if got, want := sums(t, "sqlite:"+path), sums(t, "sqlite:"+good); !slices.Equal(want, got) {
			t.Errorf("the restored database differs from the backup:\n%s", gocmp.Diff(want, got))
		}
		for _, leftover := range []string{path + "-wal", path + "-shm", path + restoringSuffix} {
			if exists(leftover) {
				t.Errorf("%s left after the restore", leftover)
			}
		}
		if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
			t.Errorf("the restored database's mode is %v, want 0600", fi.Mode())
		}
	})
}

// writeFile writes b to name in a new folder (or to at, when given) and
// returns its path.
func writeFile(t *testing.T, name string, b []byte, at ...string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if len(at) > 0 {
		p = at[0]
	}
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPgDumpUnderWrites: PostgreSQL's documented path, the exact pg_dump
// and pg_restore commands PgDumpCommands gives, run while a server
// writes: the restored database is one snapshot of the live one, table by
// table by the same checksums copy-db uses, and stenose opens and writes
// it.
func TestPgDumpUnderWrites(t *testing.T) {
	base := pgtest.Base(t)
	pgbin := cmp.Or(os.Getenv("PGBIN"), "/usr/lib/postgresql/15/bin")
	for _, tool := range []string{"pg_dump", "pg_restore"} {
		_, err := os.Stat(filepath.Join(pgbin, tool))
		testenv.Need(t, err == nil, "%s is not in %s (PGBIN)", tool, pgbin)
	}
	schema := pgtest.NewSchema(t)
	dsn := pgtest.InSchema(t, schema)
	s, err := Open(t.Context(), dsn, "", WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fillAll(t, s)
	ann, err := s.UserByLogin(t.Context(), "ann")
	if err != nil {
		t.Fatal(err)
	}
	w, err := Open(t.Context(), dsn, "", WithClock(clock)) // the server writing
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ctx, stop := context.WithCancel(t.Context())
	writes, wait := loadWriter(ctx, t, w, ann.ID)
	defer func() { stop(); wait() }()
	waitWrites(t, writes, 5)

	file := filepath.Join(t.TempDir(), "stenose.dump")
	dump, _ := PgDumpCommands(dsn, file)
	run := func(command string) {
		t.Helper()
		cmd := exec.Command("sh", "-c", command)
		cmd.Env = append(os.Environ(), "PATH="+pgbin+":"+os.Getenv("PATH"))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", command, err, out)
		}
	}
	during := writes.Load()
	run(dump)
	t.Logf("%d writes while pg_dump ran", writes.Load()-during)
	waitWrites(t, writes, 10)
	stop()
	wait()

	// pg_restore into an empty database of its own.
	name := "restore_" + strings.TrimPrefix(schema, pgtest.SchemaPrefix)
	admin := pgtest.Admin(t)
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec(`DROP DATABASE ` + name + ` WITH (FORCE)`) })
	u, _ := url.Parse(base)
	u.Path = "/" + name
	_, restore := PgDumpCommands(u.String(), file)
	run(restore)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	restored := u.String()

	checkSnapshot(t, dsn, restored)
	r, err := Open(t.Context(), restored, "", WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if v, err := r.SchemaVersion(t.Context()); err != nil || v != KnownSchemaVersion() {
		t.Errorf("the restored schema: %d, %v", v, err)
	}
	if _, err := r.AddDiaryEntry(t.Context(), diaryCase(ann.ID, t0, 2, 2, "efter pg_restore")); err != nil {
		t.Errorf("writing to the restored database: %v", err)
	}
}

// TestRestoreFoldsLog: the database a restore replaces was left by a
// killed server with committed writes still only in its write-ahead log.
// Those writes are in the copy the restore keeps, and no log of the old
// database is left beside the restored one.
func TestRestoreFoldsLog(t *testing.T) {
	ctx := t.Context()
	src := openTestSQLite(t)
	mkUser(t, src, "ann")
	good := filepath.Join(t.TempDir(), "good.db")
	if _, err := Backup(ctx, "sqlite:"+src.Path(), "", good, BackupOptions{}); err != nil {
		t.Fatal(err)
	}

	old := openTestSQLite(t)
	bo := mkUser(t, old, "bo")
	path := old.Path()
	old.Close()
	server := startChild(t, "TestWriterProcess", fmt.Sprintf("%s=%s|%d", writerChildEnv, path, bo.ID))
	server.await(t, "wrote 30")
	server.cmd.Process.Kill()
	server.cmd.Wait()
	if fileSize(path+"-wal") <= 0 {
		t.Fatal("the killed server left no write-ahead log: the test proves nothing")
	}
	before := sums(t, "sqlite:"+path) // read through the log

	rep, err := Restore(ctx, "sqlite:"+path, "", good, RestoreOptions{Replace: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := sums(t, "sqlite:"+rep.Kept); !slices.Equal(before, got) {
		t.Errorf("the kept database lost what was in its log:\n%s", gocmp.Diff(before, got))
	}
	for _, f := range []string{path + "-wal", path + "-shm", rep.Kept + "-wal"} {
		if exists(f) {
			t.Errorf("%s left after the restore", f)
		}
	}
	if got, want := sums(t, "sqlite:"+path), sums(t, "sqlite:"+good); !slices.Equal(want, got) {
		t.Errorf("the restored database differs from the backup:\n%s", gocmp.Diff(want, got))
	}
}
