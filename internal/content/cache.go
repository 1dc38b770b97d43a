package content

import (
	"bytes"
	"io/fs"
	"maps"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing/fstest"
)

// Cache keeps the parsed authors and articles of a content folder between
// loads, for a folder that changes a file at a time (`serve --watch`): a
// file whose bytes are what they were, read with the same images and
// authors, is not parsed again. Everything else (images, site.yaml,
// clinic.yaml) is small and read every time. A Cache is for one folder and
// one goroutine at a time.
type Cache struct {
	images   map[string]ImageInfo // what the entries were parsed with
	authors  map[string]*cachedAuthor
	articles map[string]*cachedArticle
}

type cachedAuthor struct {
	src   []byte
	a     *Author // nil: the file has an error
	probs Problems
}

type cachedArticle struct {
	read    bool // false: the file could not be read
	src     []byte
	a       *Article // nil: the file has an error
	probs   Problems
	authors map[string]*Author // what it was parsed with
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{authors: map[string]*cachedAuthor{}, articles: map[string]*cachedArticle{}}
}

// Load is content.Load(fsys) — the same index and problems — parsing only
// the authors and articles whose source differs from the last Load's (or
// whose images changed). Comparing the source is cheap when fsys gives
// back the same slice for an unchanged file, as internal/preview's does.
// Files gone from the folder are forgotten.
func (c *Cache) Load(fsys fs.FS) (*Index, Problems) {
	var probs Problems
	ix := &Index{Site: SiteConfig{Name: "stenose"}}
	ix.Images = loadImages(fsys, &probs)
	loadSiteConfig(fsys, ix, &probs)
	if ix.Clinic = loadClinic(fsys, &probs); ix.Clinic != nil {
		ix.Site.Name = ix.Clinic.Name
	}
	if !maps.Equal(ix.Images, c.images) {
		// An image added, removed or resized: a photo, a preview image or
		// a picture in the text may now be found, or missing.
		c.images = ix.Images
		clear(c.authors)
		clear(c.articles)
	}
	authors := c.loadAuthors(fsys, ix.Images, &probs)
	for _, a := range authors {
		ix.Authors = append(ix.Authors, a)
	}
	sort.Slice(ix.Authors, func(i, j int) bool { return ix.Authors[i].Name < ix.Authors[j].Name })
	ix.Articles = c.loadArticles(fsys, ix.Images, authors, &probs)
	probs.sort()
	return ix, probs
}

// loadAuthors is loadAuthors with the cache: each changed file is given to
// loadAuthors alone, so the rules are the same.
func (c *Cache) loadAuthors(fsys fs.FS, images map[string]ImageInfo, probs *Problems) map[string]*Author {
	authors := map[string]*Author{}
	files, _ := fs.Glob(fsys, "authors/*.md")
	seen := make(map[string]bool, len(files))
	for _, file := range files {
		seen[file] = true
		src, err := fs.ReadFile(fsys, file)
		if err != nil {
			problems{file, probs}.errorf(1, "cannot read: %v", err)
			continue
		}
		e := c.authors[file]
		if e == nil || !bytes.Equal(e.src, src) {
			e = &cachedAuthor{src: src}
			for _, a := range loadAuthors(fstest.MapFS{file: {Data: src}}, images, &e.probs) {
				e.a = a
			}
			c.authors[file] = e
		}
		*probs = append(*probs, e.probs...)
		if e.a != nil {
			authors[e.a.Slug] = e.a
		}
	}
	for f := range c.authors {
		if !seen[f] {
			delete(c.authors, f)
		}
	}
	return authors
}

// loadArticles is loadArticles with the cache. An article parsed with an
// author that has changed since is given the new one (the text does not
// depend on it); one that failed is parsed again whenever the authors
// change (its unknown author may be there now).
func (c *Cache) loadArticles(fsys fs.FS, images map[string]ImageInfo, authors map[string]*Author, probs *Problems) []*Article {
	var files []string
	_ = fs.WalkDir(fsys, "blog", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	entries := make([]*cachedArticle, len(files))
	var parse []int
	for i, file := range files {
		src, err := fs.ReadFile(fsys, file)
		if err != nil {
			e := &cachedArticle{}
			problems{file, &e.probs}.errorf(1, "cannot read: %v", err)
			entries[i] = e
			continue
		}
		e := c.articles[file]
		switch {
		case e == nil || !bytes.Equal(e.src, src):
			e = nil
		case maps.Equal(e.authors, authors):
		case e.a != nil && e.a.Author != nil && authors[e.a.Author.Slug] != nil:
			a := *e.a
			a.Author = authors[a.Author.Slug]
			e = &cachedArticle{read: true, src: src, a: &a, probs: e.probs, authors: authors}
		default:
			e = nil
		}
		if e == nil {
			e = &cachedArticle{read: true, src: src, authors: authors}
			parse = append(parse, i)
		}
		entries[i] = e
	}
	// Parse what changed, a worker per core (all of it on the first load).
	var wg sync.WaitGroup
	work := make(chan int)
	for range min(runtime.GOMAXPROCS(0), len(parse)) {
		wg.Go(func() {
			for i := range work {
				e := entries[i]
				e.a = ParseArticle(files[i], e.src, images, authors, &e.probs)
			}
		})
	}
	for _, i := range parse {
		work <- i
	}
	close(work)
	wg.Wait()

	clear(c.articles)
	// The same rules as loadArticles: the first file of a slug wins, the
	// newest article first, then by title.
	bySlug := map[string]string{}
	var articles []*Article
	for i, e := range entries {
		if e.read {
			c.articles[files[i]] = e
		}
		*probs = append(*probs, e.probs...)
		if e.a == nil {
			continue
		}
		if first, dup := bySlug[e.a.Slug]; dup {
			problems{files[i], probs}.errorf(1, "duplicate slug %q: %s already has it, so this file is left out; rename one of them", e.a.Slug, first)
			continue
		}
		bySlug[e.a.Slug] = files[i]
		articles = append(articles, e.a)
	}
	sort.SliceStable(articles, func(i, j int) bool {
		if !articles[i].Published.Equal(articles[j].Published) {
			return articles[i].Published.After(articles[j].Published)
		}
		return articles[i].Title < articles[j].Title
	})
	return articles
}
