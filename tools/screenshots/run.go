package main

import (
	"context"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// result is what index.html says about one shot.
type result struct {
	shot
	File   string
	Status int64
	At     string // where the page ended (after a form was sent)
}

// run is the command: parse the flags, start the app, make the patients,
// shoot, write index.html.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	var match *regexp.Regexp
	if o.match != "" {
		if match, err = regexp.Compile(o.match); err != nil {
			return usageError{fmt.Errorf("-match: %v", err)}
		}
	}
	began := time.Now()

	c := &clock{}
	c.set(o.now)
	srv, err := startServer(ctx, c)
	if err != nil {
		return err
	}
	defer srv.close()
	ps, err := patients(ctx, srv, o.now)
	if err != nil {
		return fmt.Errorf("making the patients: %w", err)
	}
	c.runFrom(o.now)
	public, err := publicPaths(ctx, srv.URL)
	if err != nil {
		return err
	}
	all := plan(public, ps)
	var shots []shot
	for _, s := range all {
		if match == nil || match.MatchString(s.Name) {
			shots = append(shots, s)
		}
	}
	if len(shots) == 0 {
		return usageError{fmt.Errorf("-match %q matches no shot (-list names them all)", o.match)}
	}
	if o.list {
		for _, s := range shots {
			who := s.Who
			if who == "" {
				who = "visitor"
			}
			fmt.Fprintf(stdout, "%s.png\t%s\t%s\n", s.Name, who, s.Path)
		}
		return nil
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}

	bctx, stop, err := startBrowser(ctx, o.chromium)
	if err != nil {
		return err
	}
	defer stop()

	// One browser context per person, signed in once, in the order the
	// shots need them.
	tabs := map[string]*tab{}
	defer func() {
		for _, tb := range tabs {
			tb.cancel()
		}
	}()
	byKey := map[string]*patient{}
	for _, p := range ps {
		byKey[p.Key] = p
	}
	var results []result
	var problems []string
	for _, s := range shots {
		tb := tabs[s.Who]
		if tb == nil {
			if tb, err = newTab(bctx, o, srv.URL); err != nil {
				return err
			}
			tabs[s.Who] = tb
			if p := byKey[s.Who]; p != nil {
				if err := signIn(ctx, tb, p); err != nil {
					return err
				}
			}
		}
		t0 := time.Now()
		r, err := take(ctx, tb, o.out, s)
		switch {
		case err != nil:
			problems = append(problems, fmt.Sprintf("%s (%s): %v", s.Name, s.Path, err))
			fmt.Fprintf(stderr, "%-60s %s: %v\n", s.Name, s.Path, err)
		case r.File == "":
			fmt.Fprintf(stderr, "%-60s %s → %s: a redirect, not shot\n", s.Name, s.Path, r.At)
		default:
			results = append(results, r)
			fmt.Fprintf(stderr, "%-60s %d %s (%.1f s)\n", r.File, r.Status, s.Path, time.Since(t0).Seconds())
		}
	}
	if err := writeIndex(o, all, results); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%d PNGs in %s (index.html shows them all) in %.0f s\n", len(results), o.out, time.Since(began).Seconds())
	if len(problems) > 0 {
		return fmt.Errorf("%d shot(s) failed:\n  %s", len(problems), strings.Join(problems, "\n  "))
	}
	return nil
}

// take loads the shot's page, runs its steps and writes the PNG. A page
// that redirects elsewhere (when no step sends a form) is not shot.
func take(ctx context.Context, tb *tab, dir string, s shot) (result, error) {
	ctx, cancel := context.WithTimeout(tb.ctx, pageTimeout)
	defer cancel()
	r := result{shot: s}
	status, at, err := tb.load(ctx, s.Path)
	if err != nil {
		return r, err
	}
	r.Status, r.At = status, at
	want, _, _ := strings.Cut(s.Path, "?")
	got, _, _ := strings.Cut(at, "?")
	if got != want {
		return r, nil
	}
	if len(s.Steps) > 0 {
		st, to, err := tb.do(ctx, s.Steps)
		if err != nil {
			return r, err
		}
		if to != "" {
			r.Status, r.At = st, to
		}
	}
	b, err := tb.png(ctx)
	if err != nil {
		return r, fmt.Errorf("taking the screenshot: %w", err)
	}
	r.File = s.Name + ".png"
	return r, os.WriteFile(filepath.Join(dir, r.File), b, 0o644)
}

// signIn signs p in through the sign-in form; a patient with a Flag then
// answers the red-flag screen (everything no, the flag yes), as they would.
func signIn(ctx context.Context, tb *tab, p *patient) error {
	ctx, cancel := context.WithTimeout(tb.ctx, pageTimeout)
	defer cancel()
	if _, _, err := tb.load(ctx, "/konto/log-ind"); err != nil {
		return err
	}
	_, at, err := tb.do(ctx, []step{{Type: [2]string{"#login", p.Login}}, {Type: [2]string{"#password", password}}, {Submit: `main button[type="submit"]`}})
	if err != nil {
		return fmt.Errorf("signing in as %s: %w", p.Login, err)
	}
	if strings.HasPrefix(at, "/konto/log-ind") {
		return fmt.Errorf("signing in as %s: still on the sign-in page", p.Login)
	}
	if p.Flag == "" {
		return nil
	}
	if _, _, err := tb.load(ctx, "/start/roede-flag"); err != nil {
		return err
	}
	_, at, err = tb.do(ctx, []step{
		{Check: `main form input[type=radio][value=nej]`},
		{Check: `main form input[type=radio][name="` + p.Flag + `"][value=ja]`},
		{Submit: `main form button[type="submit"]`},
	})
	if err != nil {
		return fmt.Errorf("%s answering the red-flag screen: %w", p.Login, err)
	}
	if !strings.HasPrefix(at, "/i-dag") {
		return fmt.Errorf("%s answered %s yes and came to %s, not /i-dag (no pause?)", p.Login, p.Flag, at)
	}
	return nil
}

var indexTmpl = template.Must(template.New("index").Parse(`<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>stenose at {{.Width}} px — {{len .Results}} pages</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1rem; background: #ddd; }
main { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
figure { margin: 0; background: #fff; padding: .5rem; width: {{.Width}}px; }
figcaption { font-size: 14px; overflow-wrap: anywhere; margin-bottom: .5rem; }
img { display: block; width: {{.Width}}px; outline: 1px solid #999; }
</style>
<h1>stenose at {{.Width}} px, {{.Now}}</h1>
<p>Made by <code>go run ./tools/screenshots</code>. The server's day is {{.Now}}; the accounts: patient-12w (day 86 of the programme), patient-new (just signed up), patient-day0 (the walking test done minutes ago), patient-paused (a cauda equina sign today), patient-flag (fever today). Files: LANG-KIND-PAGE[-STATE][-ACCOUNT].png.</p>
<main>
{{range .Results}}<figure id="{{.Name}}"><figcaption><a href="{{.File}}">{{.File}}</a><br>{{.Path}}{{if .Steps}} → {{.At}}{{end}}{{with .Status}} · {{.}}{{end}}</figcaption><img src="{{.File}}" alt="" loading="lazy"></figure>
{{end}}</main>
</html>
`))

// writeIndex writes index.html: every shot of the plan in its order, this
// run's with their address and status, one an earlier run left in the
// folder (a run with -match takes only some) by its file name.
func writeIndex(o options, all []shot, taken []result) error {
	byName := map[string]result{}
	for _, r := range taken {
		byName[r.Name] = r
	}
	var results []result
	for _, s := range all {
		r, ok := byName[s.Name]
		if !ok {
			if _, err := os.Stat(filepath.Join(o.out, s.Name+".png")); err != nil {
				continue
			}
			r = result{shot: shot{Name: s.Name, Path: s.Path}, File: s.Name + ".png"}
		}
		results = append(results, r)
	}
	f, err := os.Create(filepath.Join(o.out, "index.html"))
	if err != nil {
		return err
	}
	err = indexTmpl.Execute(f, map[string]any{"Width": o.width, "Now": o.now.Format("Monday 2 January 2006 15:04 MST"), "Results": results})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
