// Command stenose publishes the clinic's articles and, in later parts, runs
// the exercise programme for lumbar spinal stenosis. See `stenose help`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"time"

	stenose "github.com/stenose/stenose"
)

// command is one subcommand: `stenose NAME [flags] [args]`.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "serve the site over HTTP (default: the built-in content on 127.0.0.1:8080)", runServe},
		{"check", "validate a content folder and list every problem as file:line: message", runCheck},
		{"new", "write a new article or author into a content folder: stenose new article|author SLUG", runNew},
		{"build", "write the public site as static files for any web host", runBuild},
		{"advise", "read a patient history as JSON on stdin and print the rules' advice as JSON", runAdvise},
		{"user", "add a user, reset a password or set a role: stenose user add|reset-password|set-role", runUser},
		{"clinic", "add or list clinics and invite a patient: stenose clinic add|list|invite", runClinic},
		{"migrate", "bring the database's schema up to date and print its version", runMigrate},
		{"check-data", "check every patient's stored records with the rules; one line per problem", runCheckData},
		{"backup", "write a checked copy of the SQLite database to a file, while it is in use", runBackup},
		{"restore", "put a backup in place of the SQLite database (refused while it is in use)", runRestore},
		{"copy-db", "copy every table into an empty database: SQLite to PostgreSQL and back", runCopyDB},
		{"version", "print the version", runVersion},
	}
}

// version is set at link time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// exitError carries an exit code without printing anything more.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit %d", int(e)) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			return run(ctx, []string{args[1], "-h"}, stdout, stderr)
		}
		usage(stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], stdout, stderr)
		var code exitError
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, new(flagError)):
			return 2 // the flag package has printed the problem and the usage
		case errors.As(err, &code):
			return int(code)
		default:
			fmt.Fprintf(stderr, "stenose %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "stenose: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "stenose – exercise and knowledge for lumbar spinal stenosis\n\nUsage:\n  stenose <command> [flags]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "  %-10s %s\n\nRun 'stenose <command> -h' for a command's flags.\n", "help", "show this list, or a command's help: stenose help serve")
}

// flagError is a command line the flag package rejected.
type flagError struct{ error }

// parse parses args, marking a rejected command line as a usage error.
func parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		return flagError{err}
	}
	return err
}

// newFlags makes a command's flag set; -h prints its help.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: stenose %s %s\n\nFlags (each also read from the environment variable named):\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// envDefault returns the environment variable's value, or def.
func envDefault(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// envFlag sets the flag name from the environment variable env when that
// is set (the command line, parsed afterwards, still wins), parsed as the
// flag parses it; a value it cannot take is an error naming the variable.
// For the flags that are not strings (a string flag takes envDefault as
// its default).
func envFlag(fs *flag.FlagSet, name, env string) error {
	v := envDefault(env, "")
	if v == "" {
		return nil
	}
	if err := fs.Set(name, v); err != nil {
		return fmt.Errorf("%s: %q is not a valid --%s: %v", env, v, name, err)
	}
	return nil
}

// contentFlag adds --content (STENOSE_CONTENT), shared by the commands that
// read a content folder.
func contentFlag(fs *flag.FlagSet) *string {
	return fs.String("content", envDefault("STENOSE_CONTENT", ""), "content folder; empty means the built-in content (STENOSE_CONTENT)")
}

// contentFS opens a content folder, or the built-in content when dir is "".
func contentFS(dir string) (fs.FS, string, error) {
	if dir == "" {
		return stenose.Content(), "(built-in)", nil
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, "", err
	}
	if !st.IsDir() {
		return nil, "", fmt.Errorf("%s is not a folder", dir)
	}
	return os.DirFS(dir), dir, nil
}

// newLogger logs to w: text when tty (where the log ends up) is a terminal,
// JSON elsewhere. Durations read in human units in both (see
// humanDuration).
func newLogger(w, tty io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{ReplaceAttr: humanDurations}
	if f, ok := tty.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			return slog.New(slog.NewTextHandler(w, opts))
		}
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// humanDurations is a slog ReplaceAttr that writes every time.Duration as
// humanDuration's string ("ready_in":"312ms"): the JSON handler would
// write nanoseconds (312000000), and the text handler every digit
// ("1.234567ms").
func humanDurations(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindDuration {
		return slog.String(a.Key, humanDuration(a.Value.Duration()))
	}
	return a
}

// humanDuration is d in Go's notation with three significant digits or
// fewer: "312ms", "1.23ms", "83µs", "2.5s", "1m30s".
func humanDuration(d time.Duration) string {
	abs := d.Abs()
	var r time.Duration
	switch {
	case abs >= time.Minute:
		r = time.Second
	case abs >= 10*time.Second:
		r = 100 * time.Millisecond
	case abs >= time.Second:
		r = 10 * time.Millisecond
	case abs >= 100*time.Millisecond:
		r = time.Millisecond
	case abs >= 10*time.Millisecond:
		r = 100 * time.Microsecond
	case abs >= time.Millisecond:
		r = 10 * time.Microsecond
	case abs >= time.Microsecond:
		r = time.Microsecond
	default:
		r = 1
	}
	return d.Round(r).String()
}

func runVersion(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("version", "", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "stenose", version)
	return nil
}
