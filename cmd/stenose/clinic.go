package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/clinic"
	"github.com/stenose/stenose/internal/store"
)

const clinicUsage = `Usage: stenose clinic <subcommand> [flags]

Subcommands:
  add     SLUG --name N [--address A] [--phone P] [--email E] [--hours H]
          [--region R] [--signup open|invite] [--inactive-days N]
  list
  invite  SLUG [--name N] [--programme P] [--days D]

A clinic is a tenant: its clinicians see only its patients. SLUG is its
short name (a–z, 0–9, -). --address and --hours take lines separated by
"|". invite prints a single-use code for a new patient, shown only now.
Each takes --db and --data like serve. Run 'stenose clinic <subcommand> -h'.
`

func runClinic(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runSub(ctx, "clinic", clinicUsage, map[string]subcommand{
		"add": clinicAdd, "list": clinicList, "invite": clinicInvite,
	}, args, stdout, stderr)
}

// clinicBySlug finds the clinic an operator named, or says how to see them.
func clinicBySlug(ctx context.Context, st *store.Store, slug string) (store.Clinic, error) {
	c, err := st.ClinicBySlug(ctx, slug)
	if errors.Is(err, store.ErrNotFound) {
		return c, fmt.Errorf("no clinic %q: stenose clinic list shows them", slug)
	}
	return c, err
}

// clinicFlags parses a clinic subcommand's flags; with slug, the one
// argument is the clinic's slug.
func clinicFlags(name, synopsis string, args []string, stderr io.Writer, slug bool, extra func(*flag.FlagSet)) (dbOptions, string, error) {
	fs := newFlags("clinic "+name, synopsis, stderr)
	db := dbFlags(fs)
	if extra != nil {
		extra(fs)
	}
	// The slug may come before the flags: "clinic add nord --name …".
	var s string
	if slug && len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		s, args = args[0], args[1:]
	}
	if err := parse(fs, args); err != nil {
		return db, "", err
	}
	if slug && s == "" && fs.NArg() == 1 {
		s = fs.Arg(0)
	} else if fs.NArg() > 0 {
		fs.Usage()
		return db, "", exitError(2)
	}
	if slug && s == "" {
		fmt.Fprintln(stderr, "stenose clinic "+name+": the clinic's SLUG is required")
		fs.Usage()
		return db, "", exitError(2)
	}
	return db, s, nil
}

func clinicAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c store.Clinic
	var name, address, phone, email, hours, region, signup *string
	var inactive *int
	db, slug, err := clinicFlags("add", "SLUG --name N [--address A] [--phone P] [--email E] [--hours H] [--region R] [--signup open|invite] [--db DSN] [--data DIR]",
		args, stderr, true, func(fs *flag.FlagSet) {
			name = fs.String("name", "", "the clinic's name as patients see it (required)")
			address = fs.String("address", "", `the address, lines separated by "|": "Fiolstræde 44, 2. sal|1171 København K"`)
			phone = fs.String("phone", "", "the clinic's phone number (8 digits)")
			email = fs.String("email", "", "the clinic's e-mail address")
			hours = fs.String("hours", "", `opening hours, lines separated by "|": "Mandag–torsdag kl. 8–16|Fredag kl. 8–14"`)
			region = fs.String("region", "", "the clinic's region, for the out-of-hours number: hovedstaden, sjaelland, syddanmark, midtjylland or nordjylland")
			signup = fs.String("signup", "", "who may make a patient account: invite (only with an invitation, the default) or open (anyone)")
			inactive = fs.Int("inactive-days", 7, "days without activity before a patient shows on the clinician's list (1–365)")
		})
	if err != nil {
		return err
	}
	if *inactive < 1 || *inactive > 365 {
		return fmt.Errorf("--inactive-days: %d is out of range 1–365", *inactive)
	}
	c = store.Clinic{Slug: slug, Name: *name, Address: strings.ReplaceAll(*address, "|", "\n"), Phone: *phone, Email: *email,
		Hours: strings.ReplaceAll(*hours, "|", "\n"), Region: *region, Signup: store.Signup(*signup), InactiveDays: *inactive}
	st, err := db.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	c, err = clinic.New(st, nil, nil).Add(ctx, c)
	if err != nil {
		var fe *clinic.FieldError
		var se *store.Error
		switch {
		case errors.As(err, &fe):
			return fmt.Errorf("--%s: %s", fe.Field, fe.Message)
		case errors.Is(err, store.ErrConflict):
			return fmt.Errorf("a clinic %q exists already", slug)
		case errors.As(err, &se) && se.Code == store.EINVALID:
			return fmt.Errorf("--%s: %s", strings.ReplaceAll(se.Field, "_", "-"), strings.TrimPrefix(se.Message, "store: "))
		}
		return err
	}
	fmt.Fprintf(stdout, "added clinic %q (%s, id %d, sign-up %s)\n", c.Slug, c.Name, c.ID, c.Signup)
	return nil
}

func clinicList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	db, _, err := clinicFlags("list", "[--db DSN] [--data DIR]", args, stderr, false, nil)
	if err != nil {
		return err
	}
	st, err := db.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	cs, err := st.ListClinics(ctx)
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		fmt.Fprintln(stdout, "no clinics yet: stenose clinic add SLUG --name N")
		return nil
	}
	for _, c := range cs {
		fmt.Fprintf(stdout, "%s\t%s\tsign-up %s\tphone %s\n", c.Slug, c.Name, c.Signup, orDash(c.Phone))
	}
	return nil
}

func clinicInvite(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var name, programme *string
	var days *int
	db, slug, err := clinicFlags("invite", "SLUG [--name N] [--programme P] [--days D] [--db DSN] [--data DIR]", args, stderr, true, func(fs *flag.FlagSet) {
		name = fs.String("name", "", "the patient's name, filled in on the sign-up (optional)")
		programme = fs.String("programme", "", "the programme's slug to start the patient on (optional)")
		days = fs.Int("days", clinic.DefaultValidDays, fmt.Sprintf("how many days the code is valid (1–%d)", clinic.MaxValidDays))
	})
	if err != nil {
		return err
	}
	st, err := db.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	c, err := clinicBySlug(ctx, st, slug)
	if err != nil {
		return err
	}
	inv, err := clinic.New(st, nil, nil).Invite(ctx, c.ID, 0, *name, *programme, *days)
	if err != nil {
		var fe *clinic.FieldError
		if errors.As(err, &fe) {
			return fmt.Errorf("--%s: %s", fe.Field, fe.Message)
		}
		return err
	}
	fmt.Fprintf(stdout, "invitation to %s, valid until %s (shown only now): %s\n", c.Name, inv.ExpiresAt.In(care.Zone).Format("2006-01-02 15:04"), inv.Code)
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
