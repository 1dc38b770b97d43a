package main

import (
	"context"
	"fmt"
	"io"
	"path"

	"github.com/stenose/stenose/internal/content"
	"github.com/stenose/stenose/internal/programme"
)

func runCheck(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("check", "[DIR]\n\nValidates the content folder DIR (default: the built-in content) and prints one\nline per problem as file:line: severity: message. Exits 1 when there is any error;\nwarnings alone exit 0.", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return exitError(2)
	}
	dir := fs.Arg(0)
	fsys, name, err := contentFS(dir)
	if err != nil {
		return err
	}
	ix, probs := content.Load(fsys)
	lib, pprobs := programme.Load(fsys, ix.Images)
	probs = append(probs, pprobs...)
	probs.Sort()
	errs, warns := 0, 0
	for _, p := range probs {
		if dir != "" {
			p.File = path.Join(dir, p.File)
		}
		fmt.Fprintln(stdout, p)
		if p.Severity == content.Error {
			errs++
		} else {
			warns++
		}
	}
	fmt.Fprintf(stderr, "%s: %d articles, %d authors, %d images, %d exercises, %d programmes; %d errors, %d warnings\n",
		name, len(ix.Articles), len(ix.Authors), len(ix.Images), len(lib.Exercises), len(lib.Programmes), errs, warns)
	if errs > 0 {
		return exitError(1)
	}
	return nil
}
