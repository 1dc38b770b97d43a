// Command screenshots writes a full-page PNG, 360 px wide, of every page of
// stenose in Danish and in English, for a person to look at:
//
//	go run ./tools/screenshots -o screenshots
//
// It starts the whole application in-process (public site and app, over a
// fresh SQLite database in a temporary folder) on a loopback port, with the
// server's clock set to a fixed day (-now), and gives it five patients made
// through the store as the app would have made them (seed.go):
//
//   - patient-12w: Bodil Jensen, 12 weeks into the programme (day 86):
//     baseline, PSFS, weekly red-flag check-ins, a diary, sessions and
//     walks — no clear improvement and a thin last week, so the 12-week
//     status, the referral and the adherence advice show;
//   - patient-new: Ole Hansen, signed up a moment ago, nothing recorded;
//   - patient-day0: Inge Nielsen, red-flag screen and walking test done a
//     few minutes ago, activities not yet named (a few pages only);
//   - patient-paused: Karen Holm, 3 weeks in, who answers a cauda equina
//     question yes on the red-flag screen (in the browser, through the
//     real form) and is paused;
//   - patient-flag: Jens Madsen, 4 days in, who answers fever yes: the
//     flag that needs a doctor before training.
//
// In one headless Chromium (/usr/bin/chromium) each of them signs in
// through the real sign-in form in a browser context of their own, and the
// tool shoots every GET page of the app's route table (web.Routes) they
// may use, in Danish (?lang=da) and English (?lang=en). A visitor's
// context shoots every public page in the sitemap (both languages), the
// player, walk mode, the handout and the 404 page, the sign-in and sign-up
// pages, and a few states a page only reaches by use: the player running,
// with symptoms and at its summary, walk mode walking and finished, the
// sign-in form with a wrong password, the diary form with mistakes.
//
// Files are named LANG-KIND-PAGE[-STATE][-ACCOUNT].png: da-public-home.png,
// en-public-program-5-bedste-oevelser-traening-running.png,
// da-app-i-dag-patient-12w.png, en-app-konto-log-ind.png. index.html in the
// same folder shows them all in order with their addresses. A page that
// redirects is not shot (the page it leads to is, under its own name); the
// tool says so on stderr.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case errors.As(err, new(usageError)):
		fmt.Fprintln(os.Stderr, "screenshots:", err)
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "screenshots:", err)
		os.Exit(1)
	}
}

type usageError struct{ error }

// options are the command line's.
type options struct {
	out      string
	now      time.Time
	match    string
	width    int
	height   int
	scale    float64
	chromium string
	list     bool
}

// defaultNow is the server's day: Thursday 3 December 2026, 10:30 in
// Copenhagen.
const defaultNow = "2026-12-03T10:30:00+01:00"

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("screenshots", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./tools/screenshots [-o DIR] [-match REGEXP] [-now TIME] [-list]")
		fmt.Fprintln(stderr, "Writes a full-page PNG of every page, 360 px wide, in Danish and English, to DIR.")
		fs.PrintDefaults()
	}
	fs.StringVar(&o.out, "o", "screenshots", "the folder to write the PNGs (and index.html) to; created if missing")
	now := fs.String("now", defaultNow, "the server's clock at the start (RFC 3339); the patients' histories end on its day")
	fs.StringVar(&o.match, "match", "", "only the shots whose name (without .png) matches this regular expression")
	fs.IntVar(&o.width, "width", 360, "the phone's width in CSS pixels")
	fs.IntVar(&o.height, "height", 780, "the phone's screen height in CSS pixels (the PNG is the whole page)")
	fs.Float64Var(&o.scale, "scale", 1, "device pixels per CSS pixel (2 doubles the PNGs' size)")
	fs.StringVar(&o.chromium, "chromium", "/usr/bin/chromium", "the browser")
	fs.BoolVar(&o.list, "list", false, "print the shots' names and addresses instead of taking them")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	t, err := time.Parse(time.RFC3339, *now)
	if err != nil {
		return o, usageError{fmt.Errorf("-now: %v", err)}
	}
	o.now = t
	if o.width < 200 || o.height < 200 || o.scale <= 0 || o.scale > 4 {
		return o, usageError{errors.New("-width and -height must be at least 200, -scale in (0, 4]")}
	}
	return o, nil
}
