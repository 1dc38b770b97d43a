package main

import (
	"context"
	"fmt"
	"io"
	"os/signal"
	"syscall"
	"time"

	"github.com/stenose/stenose/internal/store"
)

func runCopyDB(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("copy-db", `--from DSN --to DSN [--data DIR]

Copies every table of one database into another, empty one: SQLite to
PostgreSQL to move a clinic onto a database server, PostgreSQL to SQLite
to move back (DSN as --db takes it: sqlite:PATH or postgres://…). The
source must be at this stenose's schema version and is read in one
snapshot; the target is migrated to the same version and written in one
transaction, which is committed only if every table read back from it has
the source's rows and checksum. Prints each table's rows and SHA-256 on
both sides. Stop the servers on the source first, or the copy misses what
they write after its snapshot.`, stderr)
	from := fs.String("from", "", "the database to copy (required)")
	to := fs.String("to", "", "the empty database to copy into (required)")
	data := fs.String("data", envDefault("STENOSE_DATA", ""), "data folder for a DSN of \"sqlite:\" alone (STENOSE_DATA)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 || *from == "" || *to == "" {
		if *from == "" || *to == "" {
			fmt.Fprintln(stderr, "stenose copy-db: --from and --to are both required")
		}
		fs.Usage()
		return exitError(2)
	}
	if *data == "" {
		*data = defaultDataDir()
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	t0 := time.Now()
	rep, err := store.CopyDB(ctx, *from, *to, *data)
	took := time.Since(t0)
	if rep != nil && len(rep.Tables) > 0 {
		fmt.Fprintf(stdout, "copy %s %s → %s %s (schema version %d)\n", rep.FromEngine, rep.From, rep.ToEngine, rep.To, rep.SchemaVersion)
		width := len("table")
		for _, t := range rep.Tables {
			width = max(width, len(t.Table))
		}
		fmt.Fprintf(stdout, "%-*s %12s  %-16s  %-16s\n", width, "table", "rows", "source sha-256", "target sha-256")
		for _, t := range rep.Tables {
			mark := ""
			if t.Source != t.Target {
				mark = "  DIFFERS"
			}
			fmt.Fprintf(stdout, "%-*s %12d  %.16s  %.16s%s\n", width, t.Table, t.Source.Rows, t.Source.Sum, t.Target.Sum, mark)
		}
	}
	if err != nil {
		return storeMessage(err)
	}
	n := rep.Rows()
	fmt.Fprintf(stdout, "copied %d tables, %d rows in %s (%.0f rows/s); every table's rows and checksum match\n",
		len(rep.Tables), n, humanDuration(took), float64(n)/took.Seconds())
	return nil
}
