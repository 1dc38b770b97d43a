package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/stenose/stenose/internal/content"
)

// newClock is the clock of `stenose new`; tests replace it.
var newClock = time.Now

func runNew(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("new", "article|author SLUG [--content DIR] [--author SLUG]\n\nWrites a new article (blog/SLUG.md: the seed's front matter, today's date, an author, a first heading)\nor a new author (authors/SLUG.md) into the content folder, ready for `stenose check`.\nIt never overwrites a file.", stderr)
	dir := fs.String("content", envDefault("STENOSE_CONTENT", "content"), "content folder to write into (STENOSE_CONTENT); default ./content")
	author := fs.String("author", "", "the article's author: the slug of a file in authors/; default the first author by slug")
	// Flags may come before or after KIND SLUG.
	var pos []string
	for {
		if err := parse(fs, args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) != 2 || (pos[0] != "article" && pos[0] != "author") {
		fs.Usage()
		return exitError(2)
	}
	var (
		p   string
		err error
	)
	if pos[0] == "article" {
		p, err = content.WriteArticle(*dir, content.NewArticle{Slug: pos[1], Author: *author, Now: newClock()})
	} else {
		if *author != "" {
			fmt.Fprintln(stderr, "stenose new: --author is for a new article only")
			return exitError(2)
		}
		p, err = content.WriteAuthor(*dir, pos[1])
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, p)
	return nil
}
