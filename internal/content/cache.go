package content

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Cache is what one load of a content folder remembers for the next, so
// that `stenose build` into the folder of an earlier build neither parses
// nor renders an article that has not changed: each article's metadata and
// problems, by file, with the SHA-256 of its path and bytes (its key), and
// one key for everything else an article's pages depend on (every other
// file of the content folder, plus what the caller salts it with: the
// program itself and the site's address). When that key differs, nothing
// is reused.
//
// Whether a file is unchanged is decided as git decides it for its index:
// the same size, modification and change time and inode as last time means
// unchanged without reading it; otherwise the file is read and hashed, so a
// fresh checkout of the same text still counts as unchanged.
//
// An article taken from the cache has no body in memory; Article.HTML reads
// and renders its file on first use (only pages that are written need it).
type Cache struct {
	salt []byte
	deps [sha256.Size]byte
	old  map[string]cachedArticle // the earlier load's, by file; read only during a load

	mu     sync.Mutex
	now    map[string]cachedArticle // this load's
	reused int
	dirty  bool // now differs from old
}

// cachedArticle is an article's metadata as parsed, or the problems that
// left it out.
type cachedArticle struct {
	Key                           [sha256.Size]byte // of path and bytes
	Stat                          fileStat
	File, Slug, Title, MetaTitle  string
	Published, Updated            time.Time
	PreviewImage, PreviewImageAlt string
	PreviewInfo                   ImageInfo
	Author                        string // slug
	Description                   string
	Problems                      Problems
	Failed                        bool // the file has an error and is left out
}

// fileStat is what says a file is unchanged without reading it: size,
// modification and change time (the change time cannot be set back by a
// program, the modification time can) and inode, as git's index keeps.
// statOf reads it (stat_linux.go; elsewhere there is none).
type fileStat struct {
	Size, MTime, CTime int64
	Ino                uint64
}

// cacheVersion changes whenever cachedArticle or the file's layout does, so
// that an older file is ignored rather than misread.
const cacheVersion = 3

// cacheFile is the cache on disk: a list (gob decodes a slice of plain
// fields several times faster than a map of structs with times and
// arrays, and 10,000 of them are read on every build).
type cacheFile struct {
	Version  int
	Deps     []byte
	Articles []diskArticle
}

type diskArticle struct {
	Key                           []byte
	Size, MTime, CTime            int64
	Ino                           uint64
	File, Slug, Title, MetaTitle  string
	Published, Updated            int64 // Unix seconds; the dates are UTC days
	PreviewImage, PreviewImageAlt string
	Width, Height                 int
	Author                        string
	Description                   string
	Problems                      Problems
	Failed                        bool
}

func (e cachedArticle) disk() diskArticle {
	return diskArticle{
		Key: e.Key[:], Size: e.Stat.Size, MTime: e.Stat.MTime, CTime: e.Stat.CTime, Ino: e.Stat.Ino,
		File: e.File, Slug: e.Slug, Title: e.Title, MetaTitle: e.MetaTitle,
		Published: e.Published.Unix(), Updated: e.Updated.Unix(),
		PreviewImage: e.PreviewImage, PreviewImageAlt: e.PreviewImageAlt,
		Width: e.PreviewInfo.Width, Height: e.PreviewInfo.Height,
		Author: e.Author, Description: e.Description, Problems: e.Problems, Failed: e.Failed,
	}
}

func (d diskArticle) cached() (cachedArticle, bool) {
	e := cachedArticle{
		Stat: fileStat{Size: d.Size, MTime: d.MTime, CTime: d.CTime, Ino: d.Ino},
		File: d.File, Slug: d.Slug, Title: d.Title, MetaTitle: d.MetaTitle,
		PreviewImage: d.PreviewImage, PreviewImageAlt: d.PreviewImageAlt,
		PreviewInfo: ImageInfo{Width: d.Width, Height: d.Height},
		Author:      d.Author, Description: d.Description, Problems: d.Problems, Failed: d.Failed,
	}
	if !d.Failed {
		e.Published, e.Updated = time.Unix(d.Published, 0).UTC(), time.Unix(d.Updated, 0).UTC()
	}
	return e, copy(e.Key[:], d.Key) == sha256.Size
}

// ReadCache reads a cache written by Save, from the bytes of its file
// (read whole with os.ReadFile: one buffer of its size, 5 MB for 10,000
// articles). A file of another version, one that cannot be decoded, or one
// whose checksum does not match (a damaged file must not put a wrong title
// on a page) gives an empty cache and no error: a cache is only ever a
// shortcut.
func ReadCache(b []byte) *Cache {
	if len(b) < sha256.Size {
		return NewCache()
	}
	payload, sum := b[:len(b)-sha256.Size], b[len(b)-sha256.Size:]
	if got := sha256.Sum256(payload); !bytes.Equal(got[:], sum) {
		return NewCache()
	}
	var f cacheFile
	if err := gob.NewDecoder(bytes.NewReader(payload)).Decode(&f); err != nil || f.Version != cacheVersion {
		return NewCache()
	}
	c := &Cache{old: make(map[string]cachedArticle, len(f.Articles))}
	if copy(c.deps[:], f.Deps) != sha256.Size {
		return NewCache()
	}
	for _, d := range f.Articles {
		e, ok := d.cached()
		if !ok {
			return NewCache()
		}
		c.old[e.File] = e
	}
	return c
}

// Save writes what the last load saw (and nothing of articles since
// deleted), followed by its SHA-256.
func (c *Cache) Save(w io.Writer) error {
	var b bytes.Buffer
	f := cacheFile{Version: cacheVersion, Deps: c.deps[:], Articles: make([]diskArticle, 0, len(c.now))}
	for _, file := range slices.Sorted(maps.Keys(c.now)) {
		f.Articles = append(f.Articles, c.now[file].disk())
	}
	if err := gob.NewEncoder(&b).Encode(f); err != nil {
		return err
	}
	sum := sha256.Sum256(b.Bytes())
	b.Write(sum[:])
	_, err := w.Write(b.Bytes())
	return err
}

// Deps is the key of everything but the articles that the last load saw
// (the salt and every other file of the content folder).
func (c *Cache) Deps() [sha256.Size]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.deps
}

// Changed reports whether the last load saw anything the cache did not
// hold (then it needs saving).
func (c *Cache) Changed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.dirty || len(c.now) != len(c.old)
}

// Reused is how many articles the last load took from the cache.
func (c *Cache) Reused() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reused
}

// NewCache is an empty cache: the first load parses everything.
func NewCache() *Cache { return &Cache{} }

// WithSalt sets what, outside the content folder, the caller's output
// depends on (the build: the program and the site's address), so that a
// cache read from disk is not reused when that changed. It returns c.
func (c *Cache) WithSalt(salt []byte) *Cache {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.salt = salt
	return c
}

// Load is content.Load(fsys) — the same index and problems — through the
// cache: for a cache kept between loads of a folder that changes a file at
// a time (serve --watch), or one read from an earlier build.
func (c *Cache) Load(fsys fs.FS) (*Index, Problems) { return load(fsys, c) }

// start begins a load of fsys: the earlier load's articles are kept only
// when everything but the articles is as it was.
func (c *Cache) start(fsys fs.FS) {
	deps, err := depsKey(fsys, c.salt)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.now != nil {
		c.old = c.now // a cache kept in memory between loads (serve --watch)
	}
	if err != nil || deps != c.deps {
		c.old = nil
	}
	c.deps, c.now, c.reused, c.dirty = deps, make(map[string]cachedArticle, len(c.old)), 0, c.old == nil
}

// depsKey hashes every file of the content folder that the site reads and
// that is not an article (IsInput), with its path, and the salt. Files the
// site does not read (notes, an editor's swap files) change nothing.
func depsKey(fsys fs.FS, salt []byte) ([sha256.Size]byte, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%d\x00%s\x00", len(salt), salt)
	var files []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p == "blog" {
			return fs.SkipDir // only articles are read there (IsInput), and they are keyed one by one
		}
		if !d.IsDir() && IsInput(p) && !isArticleFile(p) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return [sha256.Size]byte{}, err
	}
	sort.Strings(files)
	for _, p := range files {
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return [sha256.Size]byte{}, err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(b))
		h.Write(b)
	}
	var k [sha256.Size]byte
	h.Sum(k[:0])
	return k, nil
}

// IsInput reports whether the site reads the file at p (a slash path
// inside the content folder): an article, an author, an exercise or a
// programme (.md), an image, site.yaml or clinic.yaml. Nothing else in the
// folder changes any page.
func IsInput(p string) bool {
	switch {
	case p == "site.yaml" || p == ClinicFile:
		return true
	case strings.HasPrefix(p, "images/"):
		return imageExt[strings.ToLower(path.Ext(p))]
	case isArticleFile(p):
		return true
	}
	dir, file := path.Split(p)
	return (dir == "authors/" || dir == "exercises/" || dir == "programmes/") && strings.HasSuffix(file, ".md")
}

func isArticleFile(p string) bool {
	return strings.HasPrefix(p, "blog/") && strings.HasSuffix(p, ".md")
}

func sourceKey(file string, src []byte) [sha256.Size]byte {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00", file)
	h.Write(src)
	var k [sha256.Size]byte
	h.Sum(k[:0])
	return k
}

// parseCached is parseArticle through the cache: a hit gives the article
// without its body (read again by Article.HTML when needed) and the
// problems the file had.
func (c *Cache) parseCached(fsys fs.FS, file string, images map[string]ImageInfo, authors map[string]*Author, probs *Problems) *Article {
	e, known := c.old[file]
	// reuse gives the earlier load's article, or false when it cannot be
	// had (then the file is parsed).
	reuse := func(newStat bool) (*Article, bool) {
		a := e.article(fsys, images, authors)
		if a == nil && !e.Failed {
			return nil, false
		}
		*probs = append(*probs, e.Problems...)
		c.remember(e, true, newStat)
		return a, true
	}
	st, statOK := statOf(fsys, file)
	if known && statOK && st == e.Stat {
		if a, ok := reuse(false); ok {
			return a
		}
	}
	src, err := fs.ReadFile(fsys, file)
	if err != nil {
		problems{file, probs}.errorf(1, "cannot read: %v", err)
		return nil
	}
	key := sourceKey(file, src)
	if known && key == e.Key {
		// The same bytes; under a new stat the cache needs saving. Without
		// a stat (an embedded folder, another system) it stays zero and
		// the cache stays as it is.
		newStat := st != e.Stat
		e.Stat = st
		if a, ok := reuse(newStat); ok {
			return a
		}
	}
	before := len(*probs)
	a := ParseArticle(file, src, images, authors, probs)
	e = cachedArticle{Key: key, Stat: st, File: file, Failed: a == nil, Problems: append(Problems(nil), (*probs)[before:]...)}
	if a != nil {
		a.key = key
		a.reread = e.reader(fsys, images, authors)
		e.Slug, e.Title, e.MetaTitle = a.Slug, a.Title, a.MetaTitle
		e.Published, e.Updated = a.Published, a.Updated
		e.PreviewImage, e.PreviewImageAlt, e.PreviewInfo = a.PreviewImage, a.PreviewImageAlt, a.PreviewInfo
		e.Description = a.Description
		if a.Author != nil {
			e.Author = a.Author.Slug
		}
	}
	c.remember(e, false, true)
	return a
}

// remember records what this load saw of a file: reused from the
// earlier load or not, and whether it differs from what the cache holds.
func (c *Cache) remember(e cachedArticle, reused, changed bool) {
	c.mu.Lock()
	c.now[e.File] = e
	if reused {
		c.reused++
	}
	c.dirty = c.dirty || changed
	c.mu.Unlock()
}

// article is the cached article with its body left to be read on first
// use, or nil when it failed or its author is gone (then it is parsed
// again; with the same deps key that cannot happen, but a cache is never
// trusted further than it can be checked).
func (e cachedArticle) article(fsys fs.FS, images map[string]ImageInfo, authors map[string]*Author) *Article {
	if e.Failed {
		return nil
	}
	a := &Article{
		Slug: e.Slug, File: e.File, Title: e.Title, MetaTitle: e.MetaTitle,
		Published: e.Published, Updated: e.Updated,
		PreviewImage: e.PreviewImage, PreviewImageAlt: e.PreviewImageAlt, PreviewInfo: e.PreviewInfo,
		Description: e.Description, key: e.Key,
	}
	if e.Author != "" {
		if a.Author = authors[e.Author]; a.Author == nil {
			return nil
		}
	}
	a.reread = e.reader(fsys, images, authors)
	a.body.Store(&articleBody{load: a.reread})
	return a
}

// reader reads and renders the article's body again.
func (e cachedArticle) reader(fsys fs.FS, images map[string]ImageInfo, authors map[string]*Author) func() ([]byte, []Heading, error) {
	return func() ([]byte, []Heading, error) {
		var ps Problems
		b := parseArticle(fsys, e.File, images, authors, &ps)
		if b == nil {
			return nil, nil, fmt.Errorf("%s changed while the site was being built, and now has errors: %v", e.File, ps)
		}
		return b.HTML(), b.Headings(), nil
	}
}
