package main

import (
	"context"
	"fmt"
	"io"
	"os/signal"
	"strings"
	"syscall"

	"github.com/stenose/stenose/internal/store"
)

func runRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("restore", `FILE [--replace] [--db DSN] [--data DIR]

Puts the backup FILE (from stenose backup) in place of the SQLite
database. FILE is checked first: a SQLite file that passes
integrity_check and foreign_key_check, a stenose database whose tables
match its schema version, not newer than this stenose knows, not an
unfinished backup (FILE.partial). Refused while the database is in use
(a stenose serve, backup or other command has it open: it holds the lock
file DB.lock) and when it exists, unless --replace; the database it
replaces is kept beside it as DB.replaced-TIME. A PostgreSQL database is
restored with PostgreSQL's own pg_restore: this command prints the
commands and exits 1.`, stderr)
	replace := fs.Bool("replace", false, "replace the database if it exists (it is kept beside it, renamed)")
	db := dbFlags(fs)
	// FILE may come before the flags: "restore backup.db --replace".
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	} else if fs.NArg() > 0 {
		fs.Usage()
		return exitError(2)
	}
	if file == "" {
		fmt.Fprintln(stderr, "stenose restore: the backup FILE is required")
		fs.Usage()
		return exitError(2)
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	dsn, data := db.resolved()
	rep, err := store.Restore(ctx, dsn, data, file, store.RestoreOptions{Replace: *replace})
	if err != nil {
		return storeMessage(err)
	}
	fmt.Fprintf(stdout, "restored %s (schema version %d) to %s\n", rep.File, rep.SchemaVersion, rep.Database)
	if rep.SchemaVersion < rep.Known {
		fmt.Fprintf(stdout, "stenose migrates it to schema version %d when it next opens it\n", rep.Known)
	}
	if rep.Kept != "" {
		fmt.Fprintf(stdout, "the database it replaced is kept as %s: delete it once the restored one is checked\n", rep.Kept)
	}
	printCounts(stdout, rep.Tables)
	return nil
}
