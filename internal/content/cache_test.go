package content

import (
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

// folder reads dir into memory.
func folder(t *testing.T, dir string) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(dir + "/" + p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestCache: after each change to the real content folder (with the
// broken articles of testdata beside it), Cache.Load gives what Load gives
// — the same index, bodies and problems — and parses again only the
// articles whose file changed, or all of them when something they all
// depend on changed.
func TestCache(t *testing.T) {
	const seed = "blog/5-bedste-oevelser-til-spinalstenose.md"
	fsys := folder(t, "../../content")
	for p, f := range folder(t, "testdata/broken") {
		if strings.HasPrefix(p, "blog/") {
			fsys[p] = f
		}
	}
	edit := func(file, from, to string) func() {
		return func() {
			src := string(fsys[file].Data)
			if !strings.Contains(src, from) {
				t.Fatalf("%s has no %q", file, from)
			}
			fsys[file] = &fstest.MapFile{Data: []byte(strings.Replace(src, from, to, 1))}
		}
	}
	png := fsys["images/blog/spinalstenose_intro.png"].Data
	// changed is how many article files are parsed again: -1 for all
	// (something every article depends on changed: an author, an image,
	// clinic.yaml).
	steps := []struct {
		name    string
		change  func()
		changed int
	}{
		{"nothing changed", func() {}, 0},
		{"text changed", edit(seed, "## Hvad er spinalstenose\n", "## Hvad er spinalstenose egentlig\n"), 1},
		{"front matter broken", edit(seed, `title: "5 bedste`, `title: [5 bedste`), 1},
		{"fixed", edit(seed, `title: [5 bedste`, `title: "Fem bedste`), 1},
		{"a new author and an article of theirs", func() {
			fsys["authors/mette-berg.md"] = &fstest.MapFile{Data: []byte("---\nname: Mette Berg\n---\n")}
			fsys["blog/ny.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Ny\ndatePublished: 01-12-2026\nauthor: mette-berg\n---\n\n## Start\n")}
		}, -1},
		{"the author renamed", edit("authors/mette-berg.md", "Mette Berg", "Mette Bergmann"), -1},
		{"the author deleted", func() { delete(fsys, "authors/mette-berg.md") }, -1},
		{"the author back", func() { fsys["authors/mette-berg.md"] = &fstest.MapFile{Data: []byte("---\nname: Mette\n---\n")} }, -1},
		{"a new image", func() { fsys["images/blog/ny.png"] = &fstest.MapFile{Data: png} }, -1},
		{"an article deleted", func() { delete(fsys, "blog/ny.md") }, 0},
		{"clinic.yaml broken", edit("clinic.yaml", "name:", "name: [x"), -1},
	}
	c := NewCache()
	for i, s := range steps {
		s.change()
		ix, probs := c.Load(fsys)
		wantIx, wantProbs := Load(fsys)
		sameIndex(t, s.name, ix, wantIx, probs, wantProbs)
		files := len(folderFiles(fsys, "blog/"))
		want := files - s.changed
		if s.changed < 0 || i == 0 { // the first load parses everything
			want = 0
		}
		if got := c.Reused(); got != want {
			t.Errorf("%s: %d of %d article files taken from the cache, want %d", s.name, got, files, want)
		}
	}
}

func folderFiles(fsys fstest.MapFS, prefix string) []string {
	var out []string
	for p := range fsys {
		if strings.HasPrefix(p, prefix) && strings.HasSuffix(p, ".md") {
			out = append(out, p)
		}
	}
	return out
}
