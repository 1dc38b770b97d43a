package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/signal"
	"syscall"
	"time"

	"github.com/stenose/stenose/internal/store"
)

func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("backup", `-o FILE [--replace] [--db DSN] [--data DIR]

Writes a copy of the SQLite database to FILE while stenose serve may be
running and writing to it: one consistent snapshot, copied into
FILE.partial, checked with PRAGMA integrity_check, fsynced and only then
renamed to FILE. Prints the rows of each table. An existing FILE is
refused unless --replace. A PostgreSQL database is backed up with
PostgreSQL's own pg_dump: this command prints the commands and exits 1.`, stderr)
	out := fs.String("o", "", "the backup file to write (required)")
	replace := fs.Bool("replace", false, "overwrite FILE if it exists")
	db := dbFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 || *out == "" {
		if *out == "" {
			fmt.Fprintln(stderr, "stenose backup: -o FILE is required")
		}
		fs.Usage()
		return exitError(2)
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	dsn, data := db.resolved()
	t0 := time.Now()
	rep, err := store.Backup(ctx, dsn, data, *out, store.BackupOptions{Replace: *replace})
	if err != nil {
		return storeMessage(err)
	}
	took := time.Since(t0)
	if rep.RemovedPartial != "" {
		fmt.Fprintf(stderr, "stenose backup: removed %s, left by a backup that stopped before it had finished\n", rep.RemovedPartial)
	}
	fmt.Fprintf(stdout, "backed up %s (schema version %d) to %s: %s in %s, integrity_check ok\n",
		rep.Database, rep.SchemaVersion, rep.File, humanBytes(rep.Bytes), humanDuration(took))
	printCounts(stdout, rep.Tables)
	return nil
}

// resolved is the database's DSN and data folder as store.Open takes
// them, with the default data folder when --data is not given.
func (o dbOptions) resolved() (dsn, data string) {
	data = *o.data
	if data == "" {
		data = defaultDataDir()
	}
	return *o.dsn, data
}

// storeMessage turns a store error into its message alone ("…/stenose.db
// is in use: …", not "store: …/stenose.db is in use"); other errors stay.
func storeMessage(err error) error {
	var e *store.Error
	if errors.As(err, &e) && e.Message != "" {
		return errors.New(e.Message)
	}
	return err
}

// printCounts prints a table's rows a line, and the total.
func printCounts(w io.Writer, counts []store.TableCount) {
	width := len("table")
	var total int64
	for _, c := range counts {
		width = max(width, len(c.Table))
		total += c.Rows
	}
	fmt.Fprintf(w, "%-*s %12s\n", width, "table", "rows")
	for _, c := range counts {
		fmt.Fprintf(w, "%-*s %12d\n", width, c.Table, c.Rows)
	}
	fmt.Fprintf(w, "%-*s %12d\n", width, fmt.Sprintf("%d tables", len(counts)), total)
}

// humanBytes is n in B, kB, MB or GB (powers of 1,000), three digits.
func humanBytes(n int64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.3g GB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.3g MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.3g kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}
