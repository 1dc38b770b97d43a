package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/content"
	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/programme"
	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

const checkDataSynopsis = `[--db DSN] [--data DIR] [--content DIR]

Checks every patient's stored records with the rules' checks, the same ones
the diary and the sync APIs apply before they store a record: the history
the app builds for each patient (all of it, nothing left out), as of now.
Prints one line per problem, login: path: message (a record the rules only
leave out of the advice, such as one dated tomorrow: "warning: …"), then a
summary on stderr. Exits 1 when any record is refused; the app leaves such
records out of the advice and progress and logs each.`

// checkDataClock is the clock of check-data; tests replace it.
var checkDataClock = time.Now

func runCheckData(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("check-data", checkDataSynopsis, stderr)
	db := dbFlags(fs)
	dir := contentFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return exitError(2)
	}
	// The names the records may use: the content's, as serve knows them.
	fsys, _, err := contentFS(*dir)
	if err != nil {
		return err
	}
	ix, _ := content.Load(fsys)
	lib, _ := programme.Load(fsys, ix.Images)

	st, err := db.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	svc := care.New(care.Config{Store: st, Library: lib, Now: checkDataClock})
	refused, leftOut := 0, 0
	patients, err := svc.CheckData(ctx, func(u store.User, p *rules.Problem) {
		msg := p.Text(i18n.En)
		if p.LeftOut {
			leftOut++
			msg = "warning: " + msg
		} else {
			refused++
		}
		fmt.Fprintf(stdout, "%s: %s: %s\n", u.Login, p.Path, msg)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%d patients checked: %d problems refuse a record, %d warnings\n", patients, refused, leftOut)
	if refused > 0 {
		return exitError(1)
	}
	return nil
}
