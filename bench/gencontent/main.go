// Command gencontent writes a content folder with many copies of the seed
// article, for benchmarking `stenose build` on a large site.
//
//	go run ./bench/gencontent -n 10000 -o /tmp/content-10k
//
// It writes DIR/blog/artikel-00001.md … (same body as the seed, unique titles
// and slugs, publication dates spread over real calendar days), the seed's
// author file(s) under DIR/authors/, and a copy of the source images folder
// under DIR/images/ when there is one.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

const defaultSeed = "blog/5-bedste-oevelser-til-spinalstenose.md"

func main() {
	n := flag.Int("n", 1000, "number of article copies to write")
	out := flag.String("o", "", "output content folder (required; must not exist or be empty unless -clean)")
	src := flag.String("src", "content", "source content folder (seed article, authors, images)")
	seed := flag.String("seed", "", "seed article (default SRC/"+defaultSeed+")")
	clean := flag.Bool("clean", false, "remove the output folder first if it exists")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("gencontent: ")

	if *out == "" || *n < 1 {
		flag.Usage()
		os.Exit(2)
	}
	if *seed == "" {
		*seed = filepath.Join(*src, filepath.FromSlash(defaultSeed))
	}
	if err := run(*n, *out, *src, *seed, *clean); err != nil {
		log.Fatal(err)
	}
}

func run(n int, out, src, seedPath string, clean bool) error {
	seed, err := os.ReadFile(seedPath)
	if err != nil {
		return err
	}
	front, body, err := splitFrontMatter(seed)
	if err != nil {
		return fmt.Errorf("%s: %w", seedPath, err)
	}

	if clean {
		if err := os.RemoveAll(out); err != nil {
			return err
		}
	} else if entries, err := os.ReadDir(out); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s exists and is not empty (use -clean to replace it)", out)
	}
	blogDir := filepath.Join(out, "blog")
	if err := os.MkdirAll(blogDir, 0o755); err != nil {
		return err
	}

	baseTitle := unquoteYAML(frontValue(front, "title"))
	if baseTitle == "" {
		baseTitle = "Artikel"
	}
	baseMeta := unquoteYAML(frontValue(front, "metaTitle"))

	width := max(5, len(strconv.Itoa(n)))
	// Publication dates: spread over ten years of real days, in an order
	// that is not the file order, so sorting by date is real work.
	start := time.Date(2015, time.January, 1, 0, 0, 0, 0, time.UTC)
	const span = 3653 // days in 2015-01-01 … 2024-12-31
	var buf bytes.Buffer
	for i := 1; i <= n; i++ {
		num := fmt.Sprintf("%0*d", width, i)
		published := start.AddDate(0, 0, (i*7919)%span)
		updated := published.AddDate(0, 0, (i*31)%400)
		repl := map[string]string{
			"title":         strconv.Quote(fmt.Sprintf("%s (artikel %s)", baseTitle, num)),
			"datePublished": published.Format("02-01-2006"),
			"lastUpdated":   updated.Format("02-01-2006"),
		}
		if baseMeta != "" {
			repl["metaTitle"] = strconv.Quote(fmt.Sprintf("%s (artikel %s)", baseMeta, num))
		}
		buf.Reset()
		buf.WriteString("---\n")
		buf.WriteString(rewriteFront(front, repl))
		buf.WriteString("---\n")
		buf.Write(body)
		name := filepath.Join(blogDir, "artikel-"+num+".md")
		if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
			return err
		}
	}

	if err := writeAuthors(out, src, unquoteYAML(frontValue(front, "author"))); err != nil {
		return err
	}
	images := filepath.Join(src, "images")
	if fi, err := os.Stat(images); err == nil && fi.IsDir() {
		if err := copyTree(images, filepath.Join(out, "images")); err != nil {
			return err
		}
	}
	fmt.Printf("gencontent: wrote %d articles to %s\n", n, blogDir)
	return nil
}

// splitFrontMatter returns the lines between the leading "---" fences
// (with a trailing newline) and everything after the closing fence.
func splitFrontMatter(b []byte) (front string, body []byte, err error) {
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	if !strings.HasPrefix(s, "---\n") {
		return "", nil, errors.New("no front matter (file does not start with ---)")
	}
	rest := s[len("---\n"):]
	end := strings.Index(rest, "\n---\n")
	if end < 0 {
		if strings.HasSuffix(rest, "\n---") {
			return rest[:len(rest)-len("---")], nil, nil
		}
		return "", nil, errors.New("front matter is not closed with ---")
	}
	return rest[:end+1], []byte(rest[end+len("\n---\n"):]), nil
}

// frontValue returns the raw value of a top-level "key: value" line.
func frontValue(front, key string) string {
	for line := range strings.Lines(front) {
		k, v, ok := strings.Cut(strings.TrimRight(line, "\n"), ":")
		if ok && k == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// rewriteFront replaces the values of the given top-level keys, keeping
// every other line, and appends keys that were absent.
func rewriteFront(front string, repl map[string]string) string {
	var sb strings.Builder
	seen := map[string]bool{}
	for line := range strings.Lines(front) {
		k, _, ok := strings.Cut(line, ":")
		if v, hit := repl[k]; ok && hit {
			fmt.Fprintf(&sb, "%s: %s\n", k, v)
			seen[k] = true
			continue
		}
		sb.WriteString(line)
		if !strings.HasSuffix(line, "\n") {
			sb.WriteByte('\n')
		}
	}
	for _, k := range []string{"title", "metaTitle", "datePublished", "lastUpdated"} {
		if v, ok := repl[k]; ok && !seen[k] {
			fmt.Fprintf(&sb, "%s: %s\n", k, v)
		}
	}
	return sb.String()
}

// unquoteYAML undoes the quoting of a simple scalar (good enough for titles).
func unquoteYAML(v string) string {
	switch {
	case len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"':
		if u, err := strconv.Unquote(v); err == nil {
			return u
		}
		return v[1 : len(v)-1]
	case len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'':
		return strings.ReplaceAll(v[1:len(v)-1], "''", "'")
	}
	return v
}

// writeAuthors copies SRC/authors/*.md and makes sure the seed's author
// has a file, writing a minimal one if the source has none.
func writeAuthors(out, src, author string) error {
	dst := filepath.Join(out, "authors")
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	matches, _ := filepath.Glob(filepath.Join(src, "authors", "*.md"))
	for _, m := range matches {
		if err := copyFile(m, filepath.Join(dst, filepath.Base(m))); err != nil {
			return err
		}
	}
	if author == "" {
		author = "anders-hammer"
	}
	name := filepath.Join(dst, author+".md")
	if _, err := os.Stat(name); err == nil {
		return nil
	}
	display := "Anders Hammer"
	if author != "anders-hammer" {
		parts := strings.Split(author, "-")
		for i, p := range parts {
			if p != "" {
				parts[i] = strings.ToUpper(p[:1]) + p[1:]
			}
		}
		display = strings.Join(parts, " ")
	}
	stub := fmt.Sprintf("---\nname: %s\ntitle: Fysioterapeut\nbio: Skrevet af %s.\n---\n", display, display)
	return os.WriteFile(name, []byte(stub), 0o644)
}

func copyTree(from, to string) error {
	return filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, p)
		if err != nil {
			return err
		}
		target := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		return copyFile(p, target)
	})
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	outF, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(outF, in); err != nil {
		outF.Close()
		return err
	}
	return outF.Close()
}
