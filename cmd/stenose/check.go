package main

import (
	"context"
	"fmt"
	"io"
	"path"

	"github.com/stenose/stenose/internal/content"
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
	fmt.Fprintf(stderr, "%s: %d articles, %d authors, %d images; %d errors, %d warnings\n",
		name, len(ix.Articles), len(ix.Authors), len(ix.Images), errs, warns)
	if errs > 0 {
		return exitError(1)
	}
	return nil
}
