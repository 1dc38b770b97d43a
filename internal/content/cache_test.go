package content

import (
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
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

// TestCache: after each change to a folder, Cache.Load gives what Load
// gives — the same index and problems — and the articles whose file, images
// and author did not change are the ones parsed before (not parsed again).
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
	steps := []struct {
		name     string
		change   func()
		reparsed []string // articles parsed again (by slug); the others are the same *Article
	}{
		{"nothing changed", func() {}, nil},
		{"text changed", edit(seed, "## Hvad er spinalstenose\n", "## Hvad er spinalstenose egentlig\n"), []string{"5-bedste-oevelser-til-spinalstenose"}},
		{"front matter broken", edit(seed, `title: "5 bedste`, `title: [5 bedste`), nil},
		{"fixed", edit(seed, `title: [5 bedste`, `title: "Fem bedste`), []string{"5-bedste-oevelser-til-spinalstenose"}},
		{"a new author and an article of theirs", func() {
			fsys["authors/mette-berg.md"] = &fstest.MapFile{Data: []byte("---\nname: Mette Berg\n---\n")}
			fsys["blog/ny.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Ny\ndatePublished: 01-12-2026\nauthor: mette-berg\n---\n\n## Start\n")}
		}, []string{"ny"}},
		{"the author renamed", edit("authors/mette-berg.md", "Mette Berg", "Mette Bergmann"), nil}, // given the new author, not parsed
		{"the author deleted", func() { delete(fsys, "authors/mette-berg.md") }, nil},
		{"the author back", func() { fsys["authors/mette-berg.md"] = &fstest.MapFile{Data: []byte("---\nname: Mette\n---\n")} }, []string{"ny"}},
		{"a new image", func() { fsys["images/blog/ny.png"] = &fstest.MapFile{Data: png} }, []string{"*"}},
		{"an article deleted", func() { delete(fsys, "blog/ny.md") }, nil},
		{"clinic.yaml broken", edit("clinic.yaml", "name:", "name: [x"), nil},
	}
	c := NewCache()
	prev := map[string]*Article{}
	for i, s := range steps {
		s.change()
		ix, probs := c.Load(fsys)
		wantIx, wantProbs := Load(fsys)
		if diff := cmp.Diff(wantIx, ix); diff != "" {
			t.Errorf("%s: index (-Load +Cache.Load):\n%s", s.name, diff)
		}
		if diff := cmp.Diff(wantProbs, probs); diff != "" {
			t.Errorf("%s: problems (-Load +Cache.Load):\n%s", s.name, diff)
		}
		if i > 0 {
			for _, a := range ix.Articles {
				old := prev[a.Slug]
				again := len(s.reparsed) > 0 && s.reparsed[0] == "*"
				for _, r := range s.reparsed {
					again = again || r == a.Slug
				}
				if old != nil && !again && (old.File != a.File || &old.HTML[0] != &a.HTML[0]) {
					t.Errorf("%s: %s was parsed again", s.name, a.Slug)
				}
				if old != nil && again && &old.HTML[0] == &a.HTML[0] {
					t.Errorf("%s: %s was not parsed again", s.name, a.Slug)
				}
			}
		}
		prev = map[string]*Article{}
		for _, a := range ix.Articles {
			prev[a.Slug] = a
		}
	}
	if len(c.articles) != len(folderFiles(fsys, "blog/")) {
		t.Errorf("the cache holds %d articles, the folder has %d", len(c.articles), len(folderFiles(fsys, "blog/")))
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
