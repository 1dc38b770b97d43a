package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/stenose/stenose/internal/content"
)

// ManifestName is the file in a build's folder that lists the files the
// build wrote, with their size, modification time and SHA-256.
const ManifestName = ".stenose-build"

// BuildStats says what Build did to the folder.
type BuildStats struct {
	Files     int // files the site has
	Written   int // files written (new or changed)
	Unchanged int // files left alone: the same bytes were there
	Removed   int // files of an earlier build the site no longer has
	Reused    int // articles neither parsed nor rendered: the earlier build's pages stand
}

// Build renders the site into dir for any static host: the same bytes that
// Handler serves, one file per page (/blog/x is written as blog/x.html, which
// nginx finds with try_files $uri $uri.html and GitHub Pages, Netlify and
// Cloudflare Pages find by themselves; a folder per page would cost a
// mkdir per article),
// plus the static files, the images and 404.html. Pages are rendered and
// written one at a time by a worker per core, so memory stays flat however
// many articles there are.
//
// A build into a folder that holds an earlier build is incremental: the
// folder's manifest (ManifestName) lists what the earlier build wrote, and a
// file whose bytes hash to what it lists, and which is still there with the
// size and modification time listed, is not written again (so a host that
// syncs by modification time uploads only what changed). Files the earlier
// build wrote that the site no longer has (a deleted article's pages) are
// removed; files stenose did not write are never touched.
func Build(fsys fs.FS, opts Options, dir string) (*Site, error) {
	s, _, err := BuildStat(fsys, opts, dir)
	return s, err
}

// BuildStat is Build, and says what it did.
func BuildStat(fsys fs.FS, opts Options, dir string) (*Site, BuildStats, error) {
	// The earlier build's manifest and cache, and everything but the
	// articles, are read side by side: an unchanged build is mostly these.
	var (
		old   map[string]manifestEntry
		cache *content.Cache
		s     *Site
		errM  error
		errS  error
		wg    sync.WaitGroup
	)
	wg.Go(func() { old, errM = readManifest(dir) })
	wg.Go(func() { cache = readBuildCache(dir, cacheSalt(opts)) })
	s, errS = prepareBase(fsys, opts)
	wg.Wait()
	if err := errors.Join(errM, errS); err != nil {
		return nil, BuildStats{}, err
	}
	if old == nil {
		// Without the manifest, no page of an earlier build can be
		// trusted to be there: start afresh.
		cache = content.NewCache().WithSalt(cacheSalt(opts))
	}
	fw := &fileWriter{dir: filepath.Clean(dir), old: old, now: make(map[string]manifestEntry, len(old))}
	err := s.writeAll(fsys, cache, fw)
	st, merr := fw.finish(err == nil)
	if err == nil && merr == nil && cache.Changed() {
		merr = writeBuildCache(dir, cache)
	}
	st.Reused = cache.Reused()
	return s, st, errors.Join(err, merr)
}

// writeAll reads the articles through cache and writes each one's pages
// as soon as it is parsed (so memory holds the bodies of the pages in
// progress, not of every article, and the kernel writes files while the
// next articles are parsed), then the pages made from all of them (home,
// lists, sitemap, feed …), the static files and the images.
func (s *Site) writeAll(fsys fs.FS, cache *content.Cache, fw *fileWriter) error {
	var (
		mu      sync.Mutex
		written = map[*content.Article]bool{}
		errs    []error
		bufs    = sync.Pool{New: func() any { return new(bytes.Buffer) }}
		deps    = sync.OnceFunc(func() { s.deps = cache.Deps() })
	)
	fail := func(err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	}
	s.addProblems(s.ix.LoadArticles(fsys, cache, func(a *content.Article) {
		deps()
		buf := bufs.Get().(*bytes.Buffer)
		for _, spec := range s.articleSpecs(a) {
			if err := s.writePage(fw, spec, buf); err != nil {
				fail(err)
			}
		}
		bufs.Put(buf)
		a.Release()
		mu.Lock()
		written[a] = true
		mu.Unlock()
	}))
	s.deps = cache.Deps()
	if err := errors.Join(errs...); err != nil {
		return err
	}

	for p, f := range s.files { // static files and images
		if err := fw.write(p, f.body, [sha256.Size]byte{}); err != nil {
			return err
		}
	}
	work := make(chan pageSpec)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			var buf bytes.Buffer
			for spec := range work {
				if err := s.writePage(fw, spec, &buf); err != nil {
					fail(err)
				}
			}
		})
	}
	for _, spec := range s.sitePageSpecs() {
		work <- spec
	}
	for _, a := range s.ix.Articles {
		if !written[a] { // its file was not the first to claim its slug
			for _, spec := range s.articleSpecs(a) {
				work <- spec
			}
		}
	}
	close(work)
	wg.Wait()
	return errors.Join(errs...)
}

// writePage writes one page, unless the earlier build made its file from
// the same input and it is still there.
func (s *Site) writePage(fw *fileWriter, spec pageSpec, buf *bytes.Buffer) error {
	if fw.keep(spec.path, spec.input) {
		return nil
	}
	if spec.art != nil {
		if err := spec.art.Load(); err != nil {
			return fmt.Errorf("%s: %w", spec.path, err)
		}
	}
	buf.Reset()
	if err := spec.render(buf); err != nil {
		return fmt.Errorf("%s: %w", spec.path, err)
	}
	return fw.write(spec.path, buf.Bytes(), spec.input)
}

// fileFor maps a URL path to the file a static host serves for it.
func fileFor(urlPath string) string {
	p := strings.TrimPrefix(urlPath, "/")
	switch {
	case p == "" || strings.HasSuffix(p, "/"):
		p += "index.html"
	case !strings.Contains(p[strings.LastIndex(p, "/")+1:], "."):
		p += ".html"
	}
	return filepath.FromSlash(p)
}

// manifestEntry is one file a build wrote.
type manifestEntry struct {
	sum   [sha256.Size]byte
	size  int64
	mtime int64             // Unix nanoseconds
	input [sha256.Size]byte // what the page was made from (pageSpec.input); zero: not known
}

// The manifest is a text file, one line a file, sorted by name:
//
//	stenose-build 2
//	<sha256 hex> <size> <mtime ns> <input hex or -> <slash path relative to the folder>
//
// (version 1, written by older versions, had no input field; it is read as
// "input not known").
//
// A manifest of hashes rather than a comparison with the files on disk: a
// comparison would open and read all 20,000 files of an unchanged build,
// which costs as many system calls as writing them; the manifest is one
// read, and a stat per file checks that nobody changed the file since.
// It is also the only safe way to know which files stenose wrote, so that
// removing a deleted article's pages never removes a file of the user's.
const (
	manifestHeader   = "stenose-build 2"
	manifestHeaderV1 = "stenose-build 1"
)

func readManifest(dir string) (map[string]manifestEntry, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	lines := strings.Split(string(b), "\n")
	fields := 5
	if len(lines) > 0 && lines[0] == manifestHeaderV1 {
		fields = 4
	} else if len(lines) == 0 || lines[0] != manifestHeader {
		// Not ours, or another version's: guessing could remove a file
		// stenose did not write, so the build stops and says why.
		return nil, fmt.Errorf("%s: not a manifest this version of stenose reads; remove it and build again", filepath.Join(dir, ManifestName))
	}
	m := make(map[string]manifestEntry, len(lines))
	for i, line := range lines[1:] {
		if line == "" {
			continue
		}
		e, name, ok := parseManifestLine(line, fields == 5)
		if !ok || !fs.ValidPath(name) || name == ManifestName || name == BuildCacheName {
			return nil, fmt.Errorf("%s:%d: damaged manifest line; remove the file and build again", filepath.Join(dir, ManifestName), i+2)
		}
		m[name] = e
	}
	return m, nil
}

// parseManifestLine reads "<sum> <size> <mtime> [<input>|-] <name>" (the
// input field when withInput) without allocating: a manifest has a line
// per file, 21,000 for 10,000 articles.
func parseManifestLine(line string, withInput bool) (e manifestEntry, name string, ok bool) {
	sum, rest, ok1 := strings.Cut(line, " ")
	size, rest, ok2 := strings.Cut(rest, " ")
	mtime, rest, ok3 := strings.Cut(rest, " ")
	if !ok1 || !ok2 || !ok3 || !hexInto(e.sum[:], sum) {
		return e, "", false
	}
	var err1, err2 error
	e.size, err1 = strconv.ParseInt(size, 10, 64)
	e.mtime, err2 = strconv.ParseInt(mtime, 10, 64)
	if err1 != nil || err2 != nil {
		return e, "", false
	}
	if withInput {
		input, r, ok := strings.Cut(rest, " ")
		if !ok || input != "-" && !hexInto(e.input[:], input) {
			return e, "", false
		}
		rest = r
	}
	return e, rest, rest != ""
}

// hexInto decodes s, exactly len(dst) bytes in hex, into dst.
func hexInto(dst []byte, s string) bool {
	if len(s) != 2*len(dst) {
		return false // hex.Decode would write past dst
	}
	_, err := hex.Decode(dst, []byte(s))
	return err == nil
}

// fileWriter writes pages under one folder. It remembers the folders it has
// made, so that writing 20,000 pages does not stat every parent 20,000 times,
// and what it wrote, for the manifest.
type fileWriter struct {
	dir  string
	made sync.Map
	old  map[string]manifestEntry // the earlier build's manifest (read only)

	mu      sync.Mutex
	now     map[string]manifestEntry
	written int
	differs bool // an entry of now is not the same in old
}

// write writes b as the file of urlPath, made from input (zero: not
// known), unless the earlier build left the same bytes there.
func (fw *fileWriter) write(urlPath string, b []byte, input [sha256.Size]byte) error {
	rel := fileFor(urlPath)
	key := filepath.ToSlash(rel)
	name := filepath.Join(fw.dir, rel)
	e := manifestEntry{sum: sha256.Sum256(b), size: int64(len(b)), input: input}
	if o, ok := fw.old[key]; ok && o.sum == e.sum && o.size == e.size {
		if fi, err := os.Lstat(name); err == nil && fi.Mode().IsRegular() && fi.Size() == o.size && fi.ModTime().UnixNano() == o.mtime {
			o.input = input
			fw.record(key, o, false)
			return nil
		}
	}
	parent := filepath.Dir(name)
	if _, ok := fw.made.Load(parent); !ok {
		if err := os.MkdirAll(parent, 0o755); err != nil {
			return err
		}
		fw.made.Store(parent, true)
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	var fi fs.FileInfo
	if err == nil {
		fi, err = f.Stat()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	e.mtime = fi.ModTime().UnixNano()
	fw.record(key, e, true)
	return nil
}

// keep leaves the file of urlPath as the earlier build wrote it, when the
// earlier build made it from the same input and it is still there
// unchanged (its size and modification time as the manifest lists them),
// and reports whether it did.
func (fw *fileWriter) keep(urlPath string, input [sha256.Size]byte) bool {
	key := filepath.ToSlash(fileFor(urlPath))
	o, ok := fw.old[key]
	if !ok || input == ([sha256.Size]byte{}) || o.input != input {
		return false
	}
	fi, err := os.Lstat(filepath.Join(fw.dir, filepath.FromSlash(key)))
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != o.size || fi.ModTime().UnixNano() != o.mtime {
		return false
	}
	fw.record(key, o, false)
	return true
}

func (fw *fileWriter) record(key string, e manifestEntry, written bool) {
	fw.mu.Lock()
	fw.now[key] = e
	if written {
		fw.written++
	}
	if o, ok := fw.old[key]; !ok || o != e {
		fw.differs = true
	}
	fw.mu.Unlock()
}

// finish removes what the earlier build wrote and this one did not (when
// complete: a build that stopped half way does not know what the site
// has), and writes the manifest: on a failed build, the earlier entries are
// kept beside the new ones, so that a later build still knows them.
func (fw *fileWriter) finish(complete bool) (BuildStats, error) {
	st := BuildStats{Files: len(fw.now), Written: fw.written, Unchanged: len(fw.now) - fw.written}
	var errs []error
	var dirs []string
	for key, e := range fw.old {
		if _, ok := fw.now[key]; ok {
			continue
		}
		if !complete {
			fw.now[key] = e
			continue
		}
		name := filepath.Join(fw.dir, filepath.FromSlash(key))
		if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
			fw.now[key] = e // still there: try again next time
			continue
		}
		st.Removed++
		dirs = append(dirs, filepath.Dir(name))
	}
	// Folders left empty by the removal go too (a non-empty one, which
	// holds someone's file, is not removed: os.Remove refuses it).
	slices.SortFunc(dirs, func(a, b string) int { return len(b) - len(a) })
	for _, d := range slices.Compact(dirs) {
		for d != fw.dir && strings.HasPrefix(d, fw.dir) && os.Remove(d) == nil {
			d = filepath.Dir(d)
		}
	}
	if len(fw.now) == 0 && fw.old == nil {
		return st, errors.Join(errs...)
	}
	if !fw.differs && len(fw.now) == len(fw.old) {
		return st, errors.Join(errs...) // the manifest lists exactly this: the folder stays untouched
	}
	keys := make([]string, 0, len(fw.now))
	for k := range fw.now {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b bytes.Buffer
	b.Grow(len(keys) * 120)
	b.WriteString(manifestHeader + "\n")
	for _, k := range keys {
		e := fw.now[k]
		if e.input == ([sha256.Size]byte{}) {
			fmt.Fprintf(&b, "%x %d %d - %s\n", e.sum, e.size, e.mtime, k)
		} else {
			fmt.Fprintf(&b, "%x %d %d %x %s\n", e.sum, e.size, e.mtime, e.input, k)
		}
	}
	if err := writeAtomic(filepath.Join(fw.dir, ManifestName), b.Bytes()); err != nil {
		errs = append(errs, err)
	}
	return st, errors.Join(errs...)
}

// writeAtomic writes name through a temporary file and a rename, so that a
// build stopped half way never leaves half a manifest.
func writeAtomic(name string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(name), ".stenose-build-*")
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), name)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}
