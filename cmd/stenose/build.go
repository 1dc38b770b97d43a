package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/stenose/stenose/internal/site"
)

func runBuild(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("build", "[--content DIR] [--base-url URL] -o OUT\n\nWrites the public site into OUT: the same bytes 'serve' sends.", stderr)
	dir := contentFlag(fs)
	base := fs.String("base-url", envDefault("STENOSE_BASE_URL", "http://127.0.0.1:8080"), "public address used in canonical links, the sitemap and the feed (STENOSE_BASE_URL)")
	out := fs.String("o", "", "output folder (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return errors.New("-o OUT is required")
	}
	fsys, _, err := contentFS(*dir)
	if err != nil {
		return err
	}
	start := time.Now()
	log := newLogger(stderr, stderr)
	s, st, err := site.BuildStat(fsys, site.Options{BaseURL: *base, Logger: log}, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %d articles to %s in %s (%d files: %d new or changed, %d unchanged, %d removed; %d articles unchanged, not read again)\n",
		len(s.Index().Articles), *out, time.Since(start).Round(time.Millisecond), st.Files, st.Written, st.Unchanged, st.Removed, st.Reused)
	return nil
}
