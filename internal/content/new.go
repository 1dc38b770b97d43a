package content

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// NewArticle is what `stenose new article` needs to write an article.
type NewArticle struct {
	Slug   string    // the file name without .md: the article's web address
	Author string    // the slug of a file in authors/; "" means the first author by slug
	Now    time.Time // today, for datePublished and lastUpdated
}

// ErrExists is returned when the slug is taken.
var ErrExists = errors.New("already exists")

// CheckSlug says why slug cannot be a file name in the content, or nil.
func CheckSlug(slug string) error {
	if !slugRE.MatchString(slug) {
		return fmt.Errorf("%q cannot be a web address: use lower-case letters a–z, digits and single hyphens, e.g. gang-med-pauser", slug)
	}
	return nil
}

// AuthorSlugs lists the authors in dir's authors/ folder that load without
// an error, by slug.
func AuthorSlugs(dir string) ([]string, error) {
	if _, err := os.Stat(filepath.Join(dir, "authors")); err != nil {
		return nil, fmt.Errorf("%s has no authors/ folder: is it a content folder? (%v)", dir, err)
	}
	var probs Problems
	authors := loadAuthors(os.DirFS(dir), nil, &probs)
	slugs := make([]string, 0, len(authors))
	for s := range authors {
		slugs = append(slugs, s)
	}
	sort.Strings(slugs)
	return slugs, nil
}

// WriteArticle writes blog/SLUG.md in the content folder dir, with the
// seed article's front-matter fields, today's date, the author and a first
// heading, and returns its path. It refuses an invalid or taken slug and an
// author that is not in authors/. The file passes `stenose check` as it is.
func WriteArticle(dir string, n NewArticle) (string, error) {
	if err := CheckSlug(n.Slug); err != nil {
		return "", err
	}
	authors, err := AuthorSlugs(dir)
	if err != nil {
		return "", err
	}
	author := n.Author
	switch {
	case len(authors) == 0:
		return "", fmt.Errorf("there is no author in %s: add one first with  stenose new author SLUG", filepath.Join(dir, "authors"))
	case author == "":
		author = authors[0]
	default:
		i := sort.SearchStrings(authors, author)
		if i == len(authors) || authors[i] != author {
			return "", fmt.Errorf("unknown author %q: the authors are %s", author, strings.Join(authors, ", "))
		}
	}
	var taken string
	_ = fs.WalkDir(os.DirFS(dir), "blog", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.EqualFold(path.Base(p), n.Slug+".md") {
			taken = p
		}
		return nil
	})
	if taken != "" {
		return "", fmt.Errorf("%s %w: the slug %q is taken; choose another, or edit that file", filepath.Join(dir, filepath.FromSlash(taken)), ErrExists, n.Slug)
	}
	date := n.Now.Format("02-01-2006")
	src := fmt.Sprintf(`---
title: "Ny artikel"
metaTitle: "Ny artikel"
datePublished: %s
lastUpdated: %s
previewImage:
previewImageAlt:
author: %s
---

## Første overskrift

Skriv artiklen her. Et afsnit er en eller flere linjer; en tom linje starter et nyt.
`, date, date, author)
	return create(dir, filepath.Join("blog", n.Slug+".md"), src)
}

// WriteAuthor writes authors/SLUG.md in dir with the author fields, the
// name to be filled in, and returns its path.
func WriteAuthor(dir, slug string) (string, error) {
	if err := CheckSlug(slug); err != nil {
		return "", err
	}
	name := strings.ToUpper(slug[:1]) + strings.ReplaceAll(slug[1:], "-", " ")
	src := fmt.Sprintf(`---
name: %s
title:
bio:
photo:
---
`, name)
	return create(dir, filepath.Join("authors", slug+".md"), src)
}

// create writes src to dir/rel, never over an existing file.
func create(dir, rel, src string) (string, error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return "", fmt.Errorf("%s is not a content folder: give one with --content DIR", dir)
	}
	p := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return "", err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return "", fmt.Errorf("%s %w: choose another slug, or edit that file", p, ErrExists)
	}
	if err != nil {
		return "", err
	}
	if _, err := f.WriteString(src); err != nil {
		f.Close()
		return "", err
	}
	return p, f.Close()
}
