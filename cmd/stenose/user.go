package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/stenose/stenose/internal/account"
	"github.com/stenose/stenose/internal/store"
)

// stdin is where `user add` and `user reset-password` read a piped
// password; tests replace it.
var stdin io.Reader = os.Stdin

const userUsage = `Usage: stenose user <subcommand> [flags]

Subcommands:
  add             --login L [--role patient|clinician|admin] [--name N] [--clinic SLUG]
  reset-password  --login L
  set-role        --login L --role R

add and reset-password read the password from stdin when it is piped
(the first line); otherwise they make one up and print it once.
Each takes --db and --data like serve. Run 'stenose user <subcommand> -h'.
`

func runUser(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runSub(ctx, "user", userUsage, map[string]subcommand{
		"add": userAdd, "reset-password": userResetPassword, "set-role": userSetRole,
	}, args, stdout, stderr)
}

// subcommand is one subcommand of a command with several (user, clinic).
type subcommand func(ctx context.Context, args []string, stdout, stderr io.Writer) error

// runSub runs the subcommand args[0] of the command name; no subcommand
// prints usage to stderr (exit 2), help prints it to stdout.
func runSub(ctx context.Context, name, usage string, subs map[string]subcommand, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		if len(args) == 0 {
			fmt.Fprint(stderr, usage)
			return exitError(2)
		}
		fmt.Fprint(stdout, usage)
		return nil
	}
	if run, ok := subs[args[0]]; ok {
		return run(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "stenose %s: unknown subcommand %q\n\n%s", name, args[0], usage)
	return exitError(2)
}

// userFlags parses a user subcommand's flags; login is required.
func userFlags(name, synopsis string, args []string, stderr io.Writer, extra func(*flag.FlagSet)) (dbOptions, string, error) {
	fs := newFlags("user "+name, synopsis, stderr)
	db := dbFlags(fs)
	login := fs.String("login", "", "the account's login as the person types it: a name with spaces and æøå or an e-mail address, any case (required)")
	if extra != nil {
		extra(fs)
	}
	if err := parse(fs, args); err != nil {
		return db, "", err
	}
	if fs.NArg() > 0 || *login == "" {
		if *login == "" {
			fmt.Fprintln(stderr, "stenose user "+name+": --login is required")
		}
		fs.Usage()
		return db, "", exitError(2)
	}
	return db, *login, nil
}

func userAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var role, name, clinicSlug *string
	db, login, err := userFlags("add", "--login L [--role patient|clinician|admin] [--name N] [--clinic SLUG] [--db DSN] [--data DIR]", args, stderr, func(fs *flag.FlagSet) {
		role = fs.String("role", "patient", "patient, clinician or admin")
		name = fs.String("name", "", "the person's name (optional)")
		clinicSlug = fs.String("clinic", "", "the clinic the user belongs to (stenose clinic list); required for a clinician once clinics exist")
	})
	if err != nil {
		return err
	}
	if !store.Role(*role).Valid() {
		return fmt.Errorf("unknown role %q: use patient, clinician or admin", *role)
	}
	if _, err := account.NormalizeLogin(login); err != nil {
		return fmt.Errorf("login %q: %s", login, plain(err))
	}
	pw, generated, err := readPassword()
	if err != nil {
		return err
	}
	st, acc, err := openAccounts(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	var clinicID int64
	if *clinicSlug != "" {
		c, err := clinicBySlug(ctx, st, *clinicSlug)
		if err != nil {
			return err
		}
		clinicID = c.ID
	} else if store.Role(*role) == store.RoleClinician {
		// A clinician outside every clinic would see no patient; with
		// clinics made, say which.
		if cs, err := st.ListClinics(ctx); err == nil && len(cs) > 0 {
			return fmt.Errorf("a clinician belongs to a clinic: add --clinic %s (or another: stenose clinic list)", cs[0].Slug)
		}
	}
	u, err := acc.CreateIn(ctx, login, *name, pw, store.Role(*role), clinicID)
	if err != nil {
		var fe *account.Error
		if errors.As(err, &fe) && fe.Field == "login" {
			return fmt.Errorf("login %q: %s", login, fe.Message)
		}
		return errors.New(plain(err))
	}
	if clinicID != 0 {
		fmt.Fprintf(stdout, "added %q (%s, id %d) to clinic %q\n", u.ShownLogin(), u.Role, u.ID, *clinicSlug)
	} else {
		fmt.Fprintf(stdout, "added %q (%s, id %d)\n", u.ShownLogin(), u.Role, u.ID)
	}
	printGenerated(stdout, u.ShownLogin(), pw, generated)
	return nil
}

func userResetPassword(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	db, login, err := userFlags("reset-password", "--login L [--db DSN] [--data DIR]", args, stderr, nil)
	if err != nil {
		return err
	}
	pw, generated, err := readPassword()
	if err != nil {
		return err
	}
	st, acc, err := openAccounts(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := findUser(ctx, st, login)
	if err != nil {
		return err
	}
	if err := acc.SetPassword(ctx, u.ID, pw); err != nil {
		return errors.New(plain(err))
	}
	// A new password ends every session: whoever had the old one is out.
	n, err := st.Sessions().DeleteUser(ctx, u.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "new password set for %q; %d session(s) signed out\n", u.ShownLogin(), n)
	printGenerated(stdout, u.ShownLogin(), pw, generated)
	return nil
}

func userSetRole(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var role *string
	db, login, err := userFlags("set-role", "--login L --role patient|clinician|admin [--db DSN] [--data DIR]", args, stderr, func(fs *flag.FlagSet) {
		role = fs.String("role", "", "patient, clinician or admin (required)")
	})
	if err != nil {
		return err
	}
	if !store.Role(*role).Valid() {
		return fmt.Errorf("unknown role %q: use patient, clinician or admin", *role)
	}
	st, err := db.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := findUser(ctx, st, login)
	if err != nil {
		return err
	}
	if err := st.SetRole(ctx, u.ID, store.Role(*role)); err != nil {
		return err
	}
	// A sign-in belongs to the role it was made for: a patient's may have
	// been kept past the idle timeout and had no second step, which a
	// clinician's or an admin's must have. The user signs in again.
	n, err := st.Sessions().DeleteUser(ctx, u.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%q is now %s (was %s); %d session(s) signed out\n", u.ShownLogin(), *role, u.Role, n)
	return nil
}

func openAccounts(ctx context.Context, db dbOptions) (*store.Store, *account.Service, error) {
	st, err := db.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	acc, err := account.New(st, account.Options{})
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, acc, nil
}

// findUser looks a login up as typed: by its key, so any spelling of it
// ("SØREN  HANSEN" for "Søren Hansen") finds the account.
func findUser(ctx context.Context, st *store.Store, login string) (store.User, error) {
	norm, err := account.NormalizeLogin(login)
	if err != nil {
		return store.User{}, fmt.Errorf("no such login %q", login)
	}
	u, err := st.UserByLogin(ctx, norm)
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, fmt.Errorf("no such login %q", login)
	}
	return u, err
}

// readPassword reads the first line of stdin when it is not a terminal;
// from a terminal (or nothing piped) it makes a password up.
func readPassword() (pw string, generated bool, err error) {
	if f, ok := stdin.(*os.File); ok {
		st, err := f.Stat()
		if err != nil || st.Mode()&os.ModeCharDevice != 0 {
			return newPassword(), true, nil
		}
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, account.MaxPassword+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", false, fmt.Errorf("reading the password from stdin: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return newPassword(), true, nil
	}
	if err := account.CheckPassword("password", line); err != nil {
		return "", false, fmt.Errorf("password from stdin: %s", plain(err))
	}
	return line, false, nil
}

// newPassword is 26 random base32 characters (130 bits).
func newPassword() string { return strings.ToLower(rand.Text()) }

func printGenerated(w io.Writer, login, pw string, generated bool) {
	if generated {
		fmt.Fprintf(w, "password for %q (shown only now): %s\n", login, pw)
	}
}

// plain is an account error's Danish message without the package prefix.
func plain(err error) string {
	var fe *account.Error
	if errors.As(err, &fe) {
		return fe.Message
	}
	return err.Error()
}
