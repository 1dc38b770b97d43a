// Package site turns a content index into the public web site: every page
// is rendered once, at start-up, and served from memory (see handler.go);
// `stenose build` writes the same bytes to a folder (see build.go).
package site

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"maps"
	"net/http"
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/stenose/stenose/internal/content"
	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/programme"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Options are what Load needs besides the content.
type Options struct {
	// BaseURL is the public address, without a trailing slash, used in
	// canonical links, the sitemap, the feed and OpenGraph tags.
	BaseURL string
	// Logger receives the content problems and the request log; nil
	// means slog.Default().
	Logger *slog.Logger
	// AccessLog logs every request; without it only requests that went
	// wrong (status 400 and up) are logged.
	AccessLog bool
	// ClientAddr is the address a request came from, for the request
	// log (serve: the TCP peer, or the client a trusted proxy names);
	// nil means the TCP peer. Only its IP is logged.
	ClientAddr func(*http.Request) string
}

// Site is the rendered public site. It does not change after Load.
type Site struct {
	ix       *content.Index
	lib      *programme.Library
	problems content.Problems
	base     string
	log      *slog.Logger
	opts     Options
	assets   assets
	tmpl     map[string]*template.Template // page template → layout + that page
	files    map[string]*page              // URL path → page, static file or image
	notFound map[i18n.Lang]*page
	metrics  *metrics
	lazy     lazyPages                   // LoadReadLazy's pages; nil: all are in files
	chromes  map[chromeKey]func() chrome // renderChrome: rendered, or rendered when first used
	deps     [sha256.Size]byte           // all but the articles, when loaded through a content.Cache (Build)
}

// Problems returns what was wrong with the content; files with errors are
// not on the site.
func (s *Site) Problems() content.Problems { return s.problems }

// Index returns the content the site was built from.
func (s *Site) Index() *content.Index { return s.ix }

// Library returns the exercises and programmes the site was built from
// (the app checks the names the player sends against them).
func (s *Site) Library() *programme.Library { return s.lib }

// assets are the fingerprinted URLs of the site's own static files.
type assets struct {
	CSS       string
	Icon      string
	PlayerJS  string
	PlayerCSS string
	WalkJS    string
	PatientJS string // the patient's menu, which PlayerJS and WalkJS import
}

// PerPage is how many articles the article list shows on one page.
const PerPage = 20

// Load reads, validates and renders the content folder. Problems with single
// files are logged and those files left out; an error means the site
// cannot be built at all (a broken template).
func Load(fsys fs.FS, opts Options) (*Site, error) {
	s, err := prepare(fsys, opts)
	if err != nil {
		return nil, err
	}
	return s, s.renderAll()
}

// renderAll renders every page into memory.
func (s *Site) renderAll() error {
	for _, spec := range s.pageSpecs() {
		var buf bytes.Buffer
		if err := spec.render(&buf); err != nil {
			return fmt.Errorf("render %s: %w", spec.path, err)
		}
		p := newPage(buf.Bytes(), spec.ctype, cacheRevalidate, spec.status)
		if spec.status == 404 {
			s.notFound[spec.lang] = p
			continue
		}
		s.files[spec.path] = p
	}
	s.metrics = newMetrics()
	return nil
}

// prepare loads the content, templates and static files: everything but
// the pages themselves.
func prepare(fsys fs.FS, opts Options) (*Site, error) {
	r := ReadContent(fsys, nil)
	s, err := prepareRead(fsys, r.Index, r.Library, r.Problems, opts, false)
	if err != nil {
		return nil, err
	}
	s.logProblems()
	return s, nil
}

// prepareBase is prepare without the articles (Build reads them itself,
// writing each one's pages as soon as it is parsed): the rest of the
// content, the programmes, templates, static files and chrome.
func prepareBase(fsys fs.FS, opts Options) (*Site, error) {
	ix, lib, probs := readBase(fsys)
	return prepareRead(fsys, ix, lib, probs, opts, false)
}

// prepareRead is prepare of content already read: fsys gives only the
// images' bytes. lazy leaves the chrome to be rendered when first used
// (LoadReadLazy). The problems are the caller's to log (logProblems).
func prepareRead(fsys fs.FS, ix *content.Index, lib *programme.Library, probs content.Problems, opts Options, lazy bool) (*Site, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	s := &Site{
		ix:       ix,
		lib:      lib,
		problems: probs,
		base:     strings.TrimRight(opts.BaseURL, "/"),
		log:      opts.Logger,
		opts:     opts,
		files:    map[string]*page{},
		notFound: map[i18n.Lang]*page{},
	}
	b, err := loadBase()
	if err != nil {
		return nil, err
	}
	s.assets = b.assets
	maps.Copy(s.files, b.static)
	s.loadImages(fsys)
	s.tmpl = b.tmpl
	if err := s.renderChrome(lazy); err != nil {
		return nil, err
	}
	return s, nil
}

// addProblems adds the articles' problems to the others and logs them all,
// in file order.
func (s *Site) addProblems(probs content.Problems) {
	s.problems = append(s.problems, probs...)
	s.problems.Sort()
	s.logProblems()
}

// logProblems logs the content's problems, in file order.
func (s *Site) logProblems() {
	for _, p := range s.problems {
		lvl := slog.LevelWarn
		if p.Severity == content.Error {
			lvl = slog.LevelError
		}
		s.log.Log(nil, lvl, "content problem", "file", p.File, "line", p.Line, "problem", p.Msg)
	}
}

// loadStatic parses nothing of the content: it puts the site's own files
// (fingerprinted, cached for a year) into files and their addresses into
// assets. A script's import of
// another of them (import … from "./patient.js") is given that file's
// fingerprinted address first (linkImports), so a change to the one it
// imports changes its own address too.
func loadStatic(files map[string]*page, as *assets) error {
	urls := map[string]string{} // static/x.js → /static/x.1a2b3c4d5e.js
	var load func(p string) (string, error)
	load = func(p string) (string, error) {
		if u, ok := urls[p]; ok {
			return u, nil
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return "", err
		}
		ext := path.Ext(p)
		if path.Base(p) == "sw.js" {
			// The service worker keeps its address (browsers check it for
			// updates) and controls the whole site from the root.
			files["/sw.js"] = newPage(b, contentType(ext), cacheRevalidate, 200)
			urls[p] = "/sw.js"
			return "/sw.js", nil
		}
		if ext == ".js" {
			urls[p] = "" // being loaded: an import back to it is an error
			if b, err = linkImports(p, b, load); err != nil {
				return "", err
			}
		}
		if b, err = minified(b, ext); err != nil {
			return "", fmt.Errorf("%s: %w", p, err)
		}
		sum := sha256.Sum256(b)
		url := "/" + strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		files[url] = newPage(b, contentType(ext), cacheImmutable, 200)
		urls[p] = url
		switch path.Base(p) {
		case "style.css":
			as.CSS = url
		case "icon.svg":
			as.Icon = url
		case "player.js":
			as.PlayerJS = url
		case "player.css":
			as.PlayerCSS = url
		case "walk.js":
			as.WalkJS = url
		case "patient.js":
			as.PatientJS = url
		}
		return url, nil
	}
	return fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		_, err = load(p)
		return err
	})
}

// loadImages puts the content's images into the file table.
func (s *Site) loadImages(fsys fs.FS) {
	for img := range s.ix.Images {
		b, err := fs.ReadFile(fsys, strings.TrimPrefix(img, "/"))
		if err != nil {
			continue
		}
		s.files[img] = newPage(b, contentType(path.Ext(img)), cacheDay, 200)
		if still := stillSVG(b); still != nil {
			s.files[stillPath(img)] = newPage(still, contentType(".svg"), cacheDay, 200)
		}
	}
}

// importRE is a static import of another of the site's scripts, by its
// name beside the importer: import { a, b } from "./patient.js";
var importRE = regexp.MustCompile(`(?m)^(import\s*\{[^}]*\}\s*from\s*)"\./([a-z0-9-]+\.js)"`)

// linkImports writes, into the script p, the fingerprinted address of each
// script it imports, which load gives (loading it first if need be). A
// script that imports one that is not there, or that imports it back,
// stops the site from starting.
func linkImports(p string, b []byte, load func(string) (string, error)) ([]byte, error) {
	var err error
	out := importRE.ReplaceAllFunc(b, func(m []byte) []byte {
		sm := importRE.FindSubmatch(m)
		dep := path.Join(path.Dir(p), string(sm[2]))
		url, e := load(dep)
		switch {
		case e != nil:
			err = errors.Join(err, fmt.Errorf("%s imports %s: %w", p, sm[2], e))
		case url == "":
			err = errors.Join(err, fmt.Errorf("%s imports %s, which imports it back", p, sm[2]))
		}
		return append(append(append([]byte{}, sm[1]...), '"'), append([]byte(url), '"')...)
	})
	return out, err
}

func contentType(ext string) string {
	switch strings.ToLower(ext) {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".gif":
		return "image/gif"
	case ".webp":
		return "image/webp"
	case ".avif":
		return "image/avif"
	case ".json", ".webmanifest":
		return "application/json"
	}
	return "application/octet-stream"
}

// pageSpec is one page of the site and how to render it. Load renders all of
// them into memory; Build renders them one at a time into files.
type pageSpec struct {
	path   string
	lang   i18n.Lang
	ctype  string
	status int
	render func(*bytes.Buffer) error
	art    *content.Article  // the article an article page shows
	input  [sha256.Size]byte // what the page is made from (setInputs); zero: not known
}

const ctHTML = "text/html; charset=utf-8"

func (s *Site) pageSpecs() []pageSpec {
	specs := s.sitePageSpecs()
	for _, a := range s.ix.Articles {
		specs = append(specs, s.articleSpecs(a)...)
	}
	return specs
}

// sitePageSpecs are the pages that are not one article's: home, lists,
// authors, exercises, programmes, 404s, sitemap, feed, robots.txt.
func (s *Site) sitePageSpecs() []pageSpec {
	var specs []pageSpec
	html := func(p string, lang i18n.Lang, status int, v func() *view, tmpl string) {
		specs = append(specs, pageSpec{path: p, lang: lang, ctype: ctHTML, status: status, render: func(b *bytes.Buffer) error {
			return s.execute(b, tmpl, v())
		}})
	}
	arts := s.ix.Articles
	pages := (len(arts) + PerPage - 1) / PerPage
	if pages == 0 {
		pages = 1
	}
	for _, lang := range i18n.Langs {
		html(s.langPath(lang, "/"), lang, 200, func() *view { return s.homeView(lang) }, "home.html")
		for n := 1; n <= pages; n++ {
			html(s.langPath(lang, listPath(n)), lang, 200, func() *view { return s.listView(lang, n, pages) }, "list.html")
			specs[len(specs)-1].input = s.listInput(n, pages)
		}
		for _, au := range s.ix.Authors {
			html(s.langPath(lang, "/forfatter/"+au.Slug), lang, 200, func() *view { return s.authorView(lang, au) }, "author.html")
		}
		html(s.langPath(lang, "/404.html"), lang, 404, func() *view { return s.notFoundView(lang) }, "notfound.html")
		if len(s.lib.Exercises) > 0 {
			html(s.langPath(lang, "/oevelser/"), lang, 200, func() *view { return s.exercisesView(lang) }, "exercises.html")
		}
		for _, e := range s.lib.Exercises {
			html(s.langPath(lang, "/oevelser/"+e.Slug), lang, 200, func() *view { return s.exerciseView(lang, e) }, "exercise.html")
		}
		for _, p := range s.lib.Programmes {
			base := "/program/" + p.Slug
			html(s.langPath(lang, base), lang, 200, func() *view { return s.programmeView(lang, p) }, "programme.html")
			html(s.langPath(lang, base+"/traening"), lang, 200, func() *view { return s.sessionView(lang, p) }, "session.html")
			html(s.langPath(lang, base+"/udskrift"), lang, 200, func() *view { return s.handoutView(lang, p) }, "handout.html")
		}
		html(s.langPath(lang, "/gang"), lang, 200, func() *view { return s.walkView(lang) }, "walk.html")
	}
	specs = append(specs,
		pageSpec{path: "/sitemap.xml", ctype: "application/xml; charset=utf-8", status: 200, render: s.renderSitemap},
		pageSpec{path: "/feed.xml", ctype: "application/atom+xml; charset=utf-8", status: 200, render: s.renderFeed},
		pageSpec{path: "/robots.txt", ctype: "text/plain; charset=utf-8", status: 200, render: func(b *bytes.Buffer) error {
			fmt.Fprintf(b, "User-agent: *\nAllow: /\n\nSitemap: %s/sitemap.xml\n", s.base)
			return nil
		}},
	)
	s.setInputs(specs)
	return specs
}

// articleSpecs are an article's pages, one a language, sharing what
// both show alike (articleParts, made by whichever is rendered first).
func (s *Site) articleSpecs(a *content.Article) []pageSpec {
	parts := sync.OnceValue(func() *articleParts { return s.articleParts(a) })
	input := s.articleInput(a)
	specs := make([]pageSpec, 0, len(i18n.Langs))
	for _, lang := range i18n.Langs {
		specs = append(specs, pageSpec{path: s.langPath(lang, "/blog/"+a.Slug), lang: lang, ctype: ctHTML, status: 200, art: a,
			input: input,
			render: func(b *bytes.Buffer) error {
				return s.execute(b, "article.html", s.articleViewParts(lang, a, parts()))
			}})
	}
	return specs
}

// articleInput is the key of what an article's pages are made from: the
// article and everything but the other articles (zero without a cache).
func (s *Site) articleInput(a *content.Article) [sha256.Size]byte {
	var zero [sha256.Size]byte
	k := a.Key()
	if s.deps == zero || k == zero {
		return zero
	}
	return sha256.Sum256(append(append(s.deps[:], "\x00article"...), k[:]...))
}

// listInput is the key of what list page n of pages is made from: the
// articles it shows (their titles, dates, descriptions …) and how many
// pages there are, besides deps — so that editing one article rewrites the
// list page that shows it, not all of them.
func (s *Site) listInput(n, pages int) [sha256.Size]byte {
	var zero [sha256.Size]byte
	if s.deps == zero {
		return zero
	}
	from, to := (n-1)*PerPage, min(n*PerPage, len(s.ix.Articles))
	h := sha256.New()
	h.Write(s.deps[:])
	fmt.Fprintf(h, "\x00list %d/%d", n, pages)
	for _, a := range s.ix.Articles[from:max(from, to)] {
		k := a.Key()
		if k == zero {
			return zero
		}
		h.Write(k[:])
	}
	var in [sha256.Size]byte
	h.Sum(in[:0])
	return in
}

// setInputs gives each page the key of what it is made from, so that a
// build can leave the earlier build's file alone when it is the same
// (fileWriter.keep): an article's page is made from that article and
// everything else but the other articles (deps, articleInput); a list page
// from the articles it shows (listInput); every other page from deps and
// all the articles. Without a cache (serve) the keys stay zero.
func (s *Site) setInputs(specs []pageSpec) {
	var zero [sha256.Size]byte
	if s.deps == zero {
		return
	}
	h := sha256.New()
	h.Write(s.deps[:])
	h.Write([]byte("\x00site"))
	for _, a := range s.ix.Articles {
		k := a.Key()
		if k == zero {
			return
		}
		h.Write(k[:])
	}
	var site [sha256.Size]byte
	h.Sum(site[:0])
	for i := range specs {
		if specs[i].art == nil && specs[i].input == zero {
			specs[i].input = site
		}
	}
}

func listPath(n int) string {
	if n == 1 {
		return "/blog/"
	}
	return fmt.Sprintf("/blog/side/%d", n)
}

func (s *Site) langPath(lang i18n.Lang, p string) string {
	if lang == i18n.Da {
		return p
	}
	return "/" + string(lang) + p
}

func (s *Site) execute(b *bytes.Buffer, name string, v *view) error {
	t := s.tmpl[name]
	if t == nil {
		return fmt.Errorf("no template %s", name)
	}
	return t.ExecuteTemplate(b, "layout", v)
}

// jsonLD marshals v for a <script type="application/ld+json"> block.
// encoding/json escapes <, > and &, so the block cannot be closed early.
func jsonLD(v any) template.JS {
	b, err := json.Marshal(v)
	if err != nil {
		return "{}"
	}
	return template.JS(b)
}

var svgStyleRE = regexp.MustCompile(`(?s)<style[ >].*?</style>`)

// stillSVG returns an animated drawing without its animation (the drawings
// keep their animation, and only that, in a <style> element), or nil when
// the file has none. Lists show the still drawing: five drawings animating
// at once cost a phone seconds of rendering and say no more than one.
func stillSVG(b []byte) []byte {
	if !bytes.Contains(b, []byte("<style")) || !bytes.HasSuffix(bytes.TrimSpace(b), []byte("</svg>")) {
		return nil
	}
	return svgStyleRE.ReplaceAll(b, nil)
}

// stillPath is where the still variant of an animated drawing is served.
func stillPath(img string) string { return strings.TrimSuffix(img, ".svg") + ".still.svg" }

// still returns the still variant of a drawing when there is one.
func (s *Site) still(img string) string {
	if s.file(stillPath(img)) != nil {
		return stillPath(img)
	}
	return img
}
