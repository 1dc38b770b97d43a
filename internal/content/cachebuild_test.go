package content

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
	"testing/fstest"
)

// sameIndex fails unless got is what want is, article by article (their
// bodies included) and problem by problem.
func sameIndex(t *testing.T, step string, got, want *Index, gotP, wantP Problems) {
	t.Helper()
	if !slices.Equal(gotP, wantP) {
		t.Errorf("%s: problems\n%v\nwant\n%v", step, gotP, wantP)
	}
	if len(got.Articles) != len(want.Articles) {
		t.Fatalf("%s: %d articles, want %d", step, len(got.Articles), len(want.Articles))
	}
	for i, g := range got.Articles {
		w := want.Articles[i]
		gs := fmt.Sprintf("%s|%s|%s|%s|%v|%v|%s|%s|%v", g.Slug, g.File, g.Title, g.MetaTitle, g.Published, g.Updated, g.PreviewImage, g.Description, g.Author)
		ws := fmt.Sprintf("%s|%s|%s|%s|%v|%v|%s|%s|%v", w.Slug, w.File, w.Title, w.MetaTitle, w.Published, w.Updated, w.PreviewImage, w.Description, w.Author)
		if gs != ws {
			t.Errorf("%s: article %d\n%s\nwant\n%s", step, i, gs, ws)
		}
		if err := g.Load(); err != nil {
			t.Errorf("%s: %s: %v", step, g.File, err)
		}
		if !bytes.Equal(g.HTML(), w.HTML()) || !slices.Equal(g.Headings(), w.Headings()) {
			t.Errorf("%s: %s: body differs from Load's", step, g.File)
		}
	}
}

// TestCacheKeptBetweenLoads: a Cache kept in memory (serve --watch) or read
// from an earlier build gives, after every kind of change, exactly what
// Load gives — and takes from the earlier load only what did not change.
func TestCacheKeptBetweenLoads(t *testing.T) {
	art := func(title, author, body string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\ntitle: \"" + title + "\"\ndatePublished: 01-02-2025\nauthor: " + author + "\n---\n\n" + body + "\n\n## Et afsnit\n\nTekst.\n")}
	}
	fsys := fstest.MapFS{
		"authors/anna.md": {Data: []byte("---\nname: Anna Andersen\n---\n")},
		"blog/a.md":       art("A", "anna", "Første."),
		"blog/b.md":       art("B", "anna", "Anden."),
		"blog/c.md":       art("C", "ukendt", "Tredje."),
	}
	c := NewCache().WithSalt([]byte("salt"))
	steps := []struct {
		name   string
		change func()
		reused int
	}{
		{"first load", func() {}, 0},
		{"nothing changed", func() {}, 3},
		{"one article changed", func() { fsys["blog/a.md"] = art("A2", "anna", "Ny tekst.") }, 2},
		{"one article deleted", func() { delete(fsys, "blog/b.md") }, 2},
		{"an author renamed", func() { fsys["authors/anna.md"] = &fstest.MapFile{Data: []byte("---\nname: Anne Andersen\n---\n")} }, 0},
		{"the missing author added", func() { fsys["authors/ukendt.md"] = &fstest.MapFile{Data: []byte("---\nname: Ukendt\n---\n")} }, 0},
		{"an article broken", func() { fsys["blog/a.md"] = &fstest.MapFile{Data: []byte("---\ntitle: [\n---\n")} }, 1},
		{"an image added", func() {
			fsys["images/x.svg"] = &fstest.MapFile{Data: []byte("<svg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/>")}
		}, 0},
	}
	for _, step := range steps {
		step.change()
		got, gotP := c.Load(fsys)
		want, wantP := Load(fsys)
		sameIndex(t, step.name, got, want, gotP, wantP)
		if r := c.Reused(); r != step.reused {
			t.Errorf("%s: reused %d articles, want %d", step.name, r, step.reused)
		}
		// The same through a cache saved and read back (the build's way).
		var b bytes.Buffer
		if err := c.Save(&b); err != nil {
			t.Fatal(err)
		}
		again := ReadCache(b.Bytes()).WithSalt([]byte("salt"))
		got, gotP = again.Load(fsys)
		sameIndex(t, step.name+" (read back)", got, want, gotP, wantP)
		if n := len(got.Articles); again.Reused() < n {
			t.Errorf("%s (read back): reused %d of %d articles", step.name, again.Reused(), n)
		}
	}
	// Another salt (another program, another address) reuses nothing.
	var b bytes.Buffer
	if err := c.Save(&b); err != nil {
		t.Fatal(err)
	}
	other := ReadCache(b.Bytes()).WithSalt([]byte("another salt"))
	other.Load(fsys)
	if other.Reused() != 0 {
		t.Errorf("another salt reused %d articles", other.Reused())
	}
}

// FuzzReadCache: a build cache file is read from the output folder, where
// anything may have happened to it: whatever its bytes, reading it never
// panics, and a load through it gives what Load gives.
func FuzzReadCache(f *testing.F) {
	fsys := fstest.MapFS{
		"authors/anna.md": {Data: []byte("---\nname: Anna Andersen\n---\n")},
		"blog/a.md":       {Data: []byte("---\ntitle: \"A\"\ndatePublished: 01-02-2025\nauthor: anna\n---\n\nFørste.\n")},
	}
	c := NewCache()
	c.Load(fsys)
	var b bytes.Buffer
	if err := c.Save(&b); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Add(b.Bytes()[:b.Len()/2])
	f.Add([]byte("not a cache"))
	want, wantP := Load(fsys)
	f.Fuzz(func(t *testing.T, data []byte) {
		got, gotP := ReadCache(data).Load(fsys)
		sameIndex(t, "fuzzed cache", got, want, gotP, wantP)
	})
}
