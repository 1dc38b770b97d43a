package content

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestWriteArticle: a new article and author load without a single
// problem, with the injected day's date and the chosen author; bad and
// taken slugs and unknown authors are refused with a clear message.
func TestWriteArticle(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 3, 9, 14, 0, 0, 0, time.UTC)
	if _, err := WriteArticle(dir, NewArticle{Slug: "x", Now: now}); err == nil || !strings.Contains(err.Error(), "authors/") {
		t.Fatalf("no authors/ folder: err = %v", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "authors"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteArticle(dir, NewArticle{Slug: "x", Now: now}); err == nil || !strings.Contains(err.Error(), "stenose new author") {
		t.Fatalf("no author: err = %v", err)
	}
	for _, a := range []string{"mette-berg", "anders-hammer"} {
		if _, err := WriteAuthor(dir, a); err != nil {
			t.Fatal(err)
		}
	}
	p, err := WriteArticle(dir, NewArticle{Slug: "gang-med-pauser", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "blog", "gang-med-pauser.md"); p != want {
		t.Errorf("path %s, want %s", p, want)
	}
	if _, err := WriteArticle(dir, NewArticle{Slug: "mettes", Author: "mette-berg", Now: now}); err != nil {
		t.Fatal(err)
	}
	ix, probs := Load(os.DirFS(dir))
	if len(probs) != 0 {
		t.Fatalf("problems in the new files: %v", probs)
	}
	if len(ix.Articles) != 2 || len(ix.Authors) != 2 {
		t.Fatalf("%d articles, %d authors, want 2 and 2", len(ix.Articles), len(ix.Authors))
	}
	for slug, author := range map[string]string{"gang-med-pauser": "anders-hammer", "mettes": "mette-berg"} {
		a := ix.Article(slug)
		if a == nil || a.Author.Slug != author || !a.Published.Equal(time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)) || len(a.Headings()) == 0 {
			t.Errorf("%s: %+v, want author %s, published 09-03-2026 and a heading", slug, a, author)
		}
	}

	for _, tc := range []struct {
		name, slug, author, want string
		exists                   bool
	}{
		{"taken", "gang-med-pauser", "", "is taken", true},
		{"taken in another case", "Gang-Med-Pauser", "", "cannot be a web address", false},
		{"upper case", "Ny", "", "cannot be a web address", false},
		{"space", "ny artikel", "", "cannot be a web address", false},
		{"double hyphen", "ny--artikel", "", "cannot be a web address", false},
		{"path", "../ny", "", "cannot be a web address", false},
		{"empty", "", "", "cannot be a web address", false},
		{"unknown author", "ny", "ukendt", `unknown author "ukendt": the authors are anders-hammer, mette-berg`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := WriteArticle(dir, NewArticle{Slug: tc.slug, Author: tc.author, Now: now})
			if err == nil || !strings.Contains(err.Error(), tc.want) || errors.Is(err, ErrExists) != tc.exists {
				t.Fatalf("err = %v, want %q (exists %v)", err, tc.want, tc.exists)
			}
		})
	}
	if _, err := WriteAuthor(dir, "mette-berg"); !errors.Is(err, ErrExists) {
		t.Errorf("author again: err = %v, want ErrExists", err)
	}
}
