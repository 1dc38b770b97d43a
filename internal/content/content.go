package content

import (
	"bytes"
	"crypto/sha256"
	"image"
	_ "image/gif" // image sizes for width/height attributes
	_ "image/jpeg"
	_ "image/png"
	"io/fs"
	"path"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.yaml.in/yaml/v3"
)

// Author is one entry of authors/: the person named in an article's
// author field. Fields the clinic has not filled in are empty.
type Author struct {
	Slug  string
	File  string
	Name  string
	Title string // job title, e.g. "Kiropraktor"
	Bio   string
	Photo string // "/images/…", empty when none
	Image ImageInfo
}

// Article is one parsed, validated article of blog/.
type Article struct {
	Slug            string
	File            string
	Title           string
	MetaTitle       string
	Published       time.Time
	Updated         time.Time // equals Published when lastUpdated is absent
	PreviewImage    string    // "/images/…", empty when absent or missing
	PreviewImageAlt string
	PreviewInfo     ImageInfo
	Author          *Author
	Description     string

	body   atomic.Pointer[articleBody]       // HTML() and Headings()
	reread func() ([]byte, []Heading, error) // reads the body again (Release); nil: it cannot
	key    [sha256.Size]byte                 // of its path and source, when loaded through a Cache
}

// articleBody is an article's rendered body. An article parsed now has it
// from the start; one an earlier build remembered (Cache) reads its file
// again the first time its body is asked for, which an unchanged page never
// does.
type articleBody struct {
	once     sync.Once
	load     func() ([]byte, []Heading, error) // nil once loaded
	html     []byte
	headings []Heading
	err      error
}

func (a *Article) loadBody() *articleBody {
	b := a.body.Load()
	b.once.Do(func() {
		if b.load != nil {
			b.html, b.headings, b.err = b.load()
			b.load = nil
		}
	})
	return b
}

// Load reads the body of an article taken from a Cache, and says when that
// failed (the file changed since the cache was checked and now has errors:
// HTML would be empty). For any other article it does nothing.
func (a *Article) Load() error { return a.loadBody().err }

// Key is the SHA-256 of the article's path and source when it was loaded
// through a Cache (LoadArticles), and zero otherwise.
func (a *Article) Key() [sha256.Size]byte { return a.key }

// Release lets go of the body of an article loaded through a Cache (the
// next HTML or Headings reads its file again): a build holds only the
// bodies of the pages it is writing, not all of them. For other articles
// it does nothing.
func (a *Article) Release() {
	if a.reread != nil {
		a.body.Store(&articleBody{load: a.reread})
	}
}

// HTML is the rendered body: goldmark in safe mode, then sanitised.
func (a *Article) HTML() []byte { return a.loadBody().html }

// Headings are the body's headings, in order, with their ids.
func (a *Article) Headings() []Heading { return a.loadBody().headings }

// WasUpdated reports whether the article was changed after it was published.
func (a *Article) WasUpdated() bool { return !a.Updated.Equal(a.Published) }

// SiteConfig is site.yaml: the clinic's settings.
type SiteConfig struct {
	Name          string `yaml:"name"`
	Description   string `yaml:"description"`
	DescriptionEn string `yaml:"descriptionEn"`
}

// Index is everything read from one content folder. It is not changed after
// Load returns.
type Index struct {
	Site SiteConfig
	// Clinic is clinic.yaml's details, nil when there is none (or it has
	// an error). Its name is the site's name.
	Clinic   *Clinic
	Articles []*Article // newest first by datePublished, then by title
	Authors  []*Author  // by name
	Images   map[string]ImageInfo
}

// Article returns the article with the slug, or nil.
func (ix *Index) Article(slug string) *Article {
	for _, a := range ix.Articles {
		if a.Slug == slug {
			return a
		}
	}
	return nil
}

var articleKeys = map[string]bool{
	"title": true, "metaTitle": true, "datePublished": true, "lastUpdated": true,
	"previewImage": true, "previewImageAlt": true, "author": true,
}

var authorKeys = map[string]bool{"name": true, "title": true, "bio": true, "photo": true}

var imageExt = map[string]bool{".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".webp": true, ".svg": true, ".avif": true}

// slugRE is what a file name (without .md) must be to serve as a URL.
var slugRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// Load reads and validates the content folder fsys. It never fails as a
// whole: every problem is returned, files with errors are left out, and
// the rest is in the index.
func Load(fsys fs.FS) (*Index, Problems) { return load(fsys, nil) }

// load is Load through c (nil: no cache): LoadBase, then LoadArticles.
func load(fsys fs.FS, c *Cache) (*Index, Problems) {
	ix, probs := LoadBase(fsys)
	probs = append(probs, ix.LoadArticles(fsys, c, nil)...)
	probs.sort()
	return ix, probs
}

// LoadBase is the first step of Load: everything but the articles (images,
// site.yaml, the clinic, the authors). LoadArticles is the second.
func LoadBase(fsys fs.FS) (*Index, Problems) {
	var probs Problems
	ix := &Index{Site: SiteConfig{Name: "stenose"}}
	ix.Images = loadImages(fsys, &probs)
	loadSiteConfig(fsys, ix, &probs)
	if ix.Clinic = loadClinic(fsys, &probs); ix.Clinic != nil {
		ix.Site.Name = ix.Clinic.Name // the clinic names the site
	}
	authors := loadAuthors(fsys, ix.Images, &probs)
	for _, a := range authors {
		ix.Authors = append(ix.Authors, a)
	}
	sort.Slice(ix.Authors, func(i, j int) bool { return ix.Authors[i].Name < ix.Authors[j].Name })
	probs.sort()
	return ix, probs
}

// LoadArticles is the second step of Load: it reads blog/ into
// ix.Articles and returns the articles' problems. Through c, when it is
// not nil, an unchanged article is taken from an earlier load (Cache). each,
// when not nil, is called with every article as soon as it is parsed, from
// several goroutines at once, so that a caller can write its pages while
// the others are still being read (the build); an article the index will
// not hold is never passed to it, though one it will hold may be missed
// (when the file that first claimed its slug turns out broken) — the
// caller compares with ix.Articles afterwards.
func (ix *Index) LoadArticles(fsys fs.FS, c *Cache, each func(*Article)) Problems {
	var probs Problems
	authors := make(map[string]*Author, len(ix.Authors))
	for _, a := range ix.Authors {
		authors[a.Slug] = a
	}
	if c != nil {
		c.start(fsys)
	}
	ix.Articles = loadArticles(fsys, ix.Images, authors, c, each, &probs)
	probs.sort()
	return probs
}

func loadSiteConfig(fsys fs.FS, ix *Index, probs *Problems) {
	src, err := fs.ReadFile(fsys, "site.yaml")
	if err != nil {
		return // optional
	}
	var cfg SiteConfig
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && err.Error() != "EOF" {
		line := 1
		if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
			line = atoi(m[1])
		}
		problems{"site.yaml", probs}.errorf(line, "invalid site settings: %v", err)
		return
	}
	if cfg.Name != "" {
		ix.Site.Name = cfg.Name
		if _, err := fs.Stat(fsys, ClinicFile); err == nil {
			problems{"site.yaml", probs}.warnf(nameLine(src), "name is ignored: the clinic's name in %s names the site; delete this line", ClinicFile)
		}
	}
	ix.Site.Description = cfg.Description
	ix.Site.DescriptionEn = cfg.DescriptionEn
}

// nameLine is the line of site.yaml's name key (1 when it cannot be found).
func nameLine(src []byte) int {
	var doc yaml.Node
	if yaml.Unmarshal(src, &doc) == nil && len(doc.Content) > 0 {
		m := doc.Content[0]
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == "name" {
				return m.Content[i].Line
			}
		}
	}
	return 1
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' || n > 1e8 {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n
}

func loadImages(fsys fs.FS, probs *Problems) map[string]ImageInfo {
	images := map[string]ImageInfo{}
	_ = fs.WalkDir(fsys, "images", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		ext := strings.ToLower(path.Ext(p))
		if !imageExt[ext] {
			return nil
		}
		var info ImageInfo
		if ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".gif" {
			if f, err := fsys.Open(p); err == nil {
				if cfg, _, err := image.DecodeConfig(f); err == nil {
					info = ImageInfo{Width: cfg.Width, Height: cfg.Height}
				} else {
					problems{p, probs}.warnf(1, "cannot read the image's size: %v", err)
				}
				f.Close()
			}
		}
		images["/"+p] = info
		return nil
	})
	return images
}

func loadAuthors(fsys fs.FS, images map[string]ImageInfo, probs *Problems) map[string]*Author {
	authors := map[string]*Author{}
	files, _ := fs.Glob(fsys, "authors/*.md")
	for _, file := range files {
		p := problems{file, probs}
		src, err := fs.ReadFile(fsys, file)
		if err != nil {
			p.errorf(1, "cannot read: %v", err)
			continue
		}
		y, _, _, err := splitFrontMatter(src)
		if err != nil {
			p.errorf(1, "%v", err)
			continue
		}
		before := len(*probs)
		fm, ok := parseFrontMatter(y, authorKeys, p)
		if !ok {
			continue
		}
		a := &Author{Slug: strings.TrimSuffix(path.Base(file), ".md"), File: file}
		name, _ := fm.get("name")
		a.Name = strings.TrimSpace(name.Value)
		if a.Name == "" {
			p.errorf(fm.line, "the author has no name: add a line  name: …")
		}
		if t, ok := fm.get("title"); ok {
			a.Title = strings.TrimSpace(t.Value)
		}
		if b, ok := fm.get("bio"); ok {
			a.Bio = strings.TrimSpace(b.Value)
		}
		if ph, ok := fm.get("photo"); ok && strings.TrimSpace(ph.Value) != "" {
			if info, ok := images[ph.Value]; ok {
				a.Photo, a.Image = ph.Value, info
			} else {
				p.warnf(ph.Line, "photo %s does not exist under images/; it is not shown", ph.Value)
			}
		}
		if !slugRE.MatchString(a.Slug) {
			p.errorf(1, "the file name %q cannot be a web address: use lower-case letters a–z, digits and hyphens", a.Slug)
		}
		if Problems((*probs)[before:]).HasErrors() {
			continue
		}
		authors[a.Slug] = a
	}
	return authors
}

func loadArticles(fsys fs.FS, images map[string]ImageInfo, authors map[string]*Author, c *Cache, each func(*Article), probs *Problems) []*Article {
	var files []string
	_ = fs.WalkDir(fsys, "blog", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && isArticleFile(p) {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	// A slug belongs to the first file that claims it; only that file's
	// article can be passed to each.
	claim := map[string]int{}
	for i, f := range files {
		slug := strings.ToLower(strings.TrimSuffix(path.Base(f), ".md"))
		if _, ok := claim[slug]; !ok {
			claim[slug] = i
		}
	}

	type result struct {
		a     *Article
		probs Problems
	}
	results := make([]result, len(files))
	var wg sync.WaitGroup
	work := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range work {
				var ps Problems
				var a *Article
				if c != nil {
					a = c.parseCached(fsys, files[i], images, authors, &ps)
				} else {
					a = parseArticle(fsys, files[i], images, authors, &ps)
				}
				results[i] = result{a, ps}
				if each != nil && a != nil && claim[a.Slug] == i {
					each(a)
				}
			}
		})
	}
	for i := range files {
		work <- i
	}
	close(work)
	wg.Wait()

	bySlug := map[string]string{}
	var articles []*Article
	for i, r := range results {
		*probs = append(*probs, r.probs...)
		if r.a == nil {
			continue
		}
		if first, dup := bySlug[r.a.Slug]; dup {
			problems{files[i], probs}.errorf(1, "duplicate slug %q: %s already has it, so this file is left out; rename one of them", r.a.Slug, first)
			continue
		}
		bySlug[r.a.Slug] = files[i]
		articles = append(articles, r.a)
	}
	sort.SliceStable(articles, func(i, j int) bool {
		if !articles[i].Published.Equal(articles[j].Published) {
			return articles[i].Published.After(articles[j].Published)
		}
		return articles[i].Title < articles[j].Title
	})
	return articles
}

// parseArticle reads one article. It returns nil when the file has an error.
func parseArticle(fsys fs.FS, file string, images map[string]ImageInfo, authors map[string]*Author, probs *Problems) *Article {
	p := problems{file, probs}
	src, err := fs.ReadFile(fsys, file)
	if err != nil {
		p.errorf(1, "cannot read: %v", err)
		return nil
	}
	return ParseArticle(file, src, images, authors, probs)
}

// ParseArticle parses and validates one article's source. file is its path
// inside the content folder (blog/…), which gives the slug. It returns nil
// when the file has an error; every problem is appended to probs.
func ParseArticle(file string, src []byte, images map[string]ImageInfo, authors map[string]*Author, probs *Problems) *Article {
	p := problems{file, probs}
	before := len(*probs)
	failed := func() bool { return Problems((*probs)[before:]).HasErrors() }

	y, body, bodyLine, err := splitFrontMatter(src)
	if err != nil {
		p.errorf(1, "%v", err)
		return nil
	}
	fm, ok := parseFrontMatter(y, articleKeys, p)
	if !ok {
		return nil
	}
	a := &Article{File: file, Slug: strings.ToLower(strings.TrimSuffix(path.Base(file), ".md"))}
	if !slugRE.MatchString(a.Slug) {
		p.errorf(1, "the file name %q cannot be a web address: use lower-case letters a–z, digits and hyphens", path.Base(file))
	}
	if t, ok := fm.get("title"); ok && strings.TrimSpace(t.Value) != "" {
		a.Title = strings.TrimSpace(t.Value)
	} else {
		line := fm.line
		if ok {
			line = t.Line
		}
		p.errorf(line, "missing title: add a line  title: \"…\"")
	}
	if t, ok := fm.get("metaTitle"); ok {
		a.MetaTitle = strings.TrimSpace(t.Value)
	}

	pub, hasPub := fm.get("datePublished")
	if !hasPub || strings.TrimSpace(pub.Value) == "" {
		line := fm.line
		if hasPub {
			line = pub.Line
		}
		p.errorf(line, "missing datePublished: add a line  datePublished: DD-MM-YYYY")
	} else if d, err := ParseDate(pub.Value); err != nil {
		p.errorf(pub.Line, "datePublished: %v", err)
	} else {
		a.Published = d
	}
	a.Updated = a.Published
	if up, ok := fm.get("lastUpdated"); ok && strings.TrimSpace(up.Value) != "" {
		if d, err := ParseDate(up.Value); err != nil {
			p.errorf(up.Line, "lastUpdated: %v", err)
		} else if !a.Published.IsZero() && d.Before(a.Published) {
			p.errorf(up.Line, "lastUpdated %s is before datePublished %s", up.Value, pub.Value)
		} else {
			a.Updated = d
		}
	}

	if au, ok := fm.get("author"); !ok || strings.TrimSpace(au.Value) == "" {
		line := fm.line
		if ok {
			line = au.Line
		}
		p.errorf(line, "missing author: add a line  author: <slug of a file in authors/>")
	} else if author := authors[strings.TrimSpace(au.Value)]; author == nil {
		p.errorf(au.Line, "unknown author %q: there is no authors/%s.md", au.Value, strings.TrimSpace(au.Value))
	} else {
		a.Author = author
	}

	if img, ok := fm.get("previewImage"); ok && strings.TrimSpace(img.Value) != "" {
		v := strings.TrimSpace(img.Value)
		if info, ok := images[v]; ok {
			a.PreviewImage, a.PreviewInfo = v, info
		} else {
			p.warnf(img.Line, "previewImage %s does not exist under images/; pages are shared without a picture", v)
		}
		if alt, ok := fm.get("previewImageAlt"); !ok || strings.TrimSpace(alt.Value) == "" {
			p.warnf(img.Line, "previewImage has no previewImageAlt: add a line  previewImageAlt: <what the picture shows>")
		} else {
			a.PreviewImageAlt = strings.TrimSpace(alt.Value)
		}
	}

	if failed() {
		return nil
	}
	r := renderMarkdown(body, bodyLine, images, p)
	a.body.Store(&articleBody{html: r.HTML, headings: r.Headings})
	a.Description = r.Description
	if failed() {
		return nil
	}
	return a
}

var dateRE = regexp.MustCompile(`^\d{2}-\d{2}-\d{4}$`)

// ParseDate reads a date written DD-MM-YYYY, the seed's format: 10-07-2025
// is 10 July 2025.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if !dateRE.MatchString(s) {
		return time.Time{}, dateError{s, "is not a date written DD-MM-YYYY (for example 10-07-2025)"}
	}
	d, err := time.Parse("02-01-2006", s)
	if err != nil {
		return time.Time{}, dateError{s, "is not a real date"}
	}
	return d, nil
}

type dateError struct{ value, why string }

func (e dateError) Error() string { return "\"" + e.value + "\" " + e.why }
