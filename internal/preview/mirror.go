package preview

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sync"
	"testing/fstest"
	"time"
)

// mirror is the content folder as last read: a reload reads a file from
// disk again only when its size or modification time changed or the
// watcher named it, so a save re-reads one file, not the folder. Folders
// are listed from disk every time (new and deleted files are seen).
type mirror struct {
	root string
	dir  fs.FS // os.DirFS(root)

	// mu guards what follows: a reload reads the articles from several
	// goroutines at once (content.LoadArticles).
	mu    sync.Mutex
	files map[string]*mfile
	stale map[string]bool // named by the watcher since they were read
	gen   int             // the reload now running
	// dirty: since begin, a file was read with bytes other than before,
	// or read for the first time, or (at end) forgotten.
	dirty bool
}

type mfile struct {
	size int64
	mod  time.Time
	data []byte
	gen  int // the last reload that asked for it
}

func newMirror(root string) *mirror {
	return &mirror{root: root, dir: os.DirFS(root), files: map[string]*mfile{}, stale: map[string]bool{}}
}

// changed marks files the watcher saw change (absolute paths), so they are
// read again even when a save kept their size and modification time.
func (m *mirror) changed(names []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, n := range names {
		if rel, err := filepath.Rel(m.root, n); err == nil {
			m.stale[filepath.ToSlash(rel)] = true
		}
	}
}

// begin starts a reload; end forgets the files it did not ask for (gone
// from the folder, or no longer read).
func (m *mirror) begin() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.gen++
	m.dirty = false
}

// end reports whether anything the reload read differs from the last.
func (m *mirror) end() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	for p, f := range m.files {
		if f.gen != m.gen {
			delete(m.files, p)
			m.dirty = true
		}
	}
	return m.dirty
}

// each calls fn with every file the last reload read and its bytes.
func (m *mirror) each(fn func(name string, data []byte)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for p, f := range m.files {
		fn(p, f.data)
	}
}

// read returns a file's bytes, from memory when it is unchanged. The
// slice is the mirror's own: callers must not change it.
func (m *mirror) read(name string, st fs.FileInfo) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f := m.files[name]
	if f == nil || m.stale[name] || f.size != st.Size() || !f.mod.Equal(st.ModTime()) {
		b, err := fs.ReadFile(m.dir, name)
		if err != nil {
			return nil, err
		}
		if f == nil || !bytes.Equal(f.data, b) {
			m.dirty = true
		} else {
			b = f.data // the same bytes: the same slice (content.Cache compares it first)
		}
		// The stat was taken before the read: a write in between leaves a
		// newer time on disk, so the next reload reads the file again.
		f = &mfile{size: st.Size(), mod: st.ModTime(), data: b}
		m.files[name] = f
		delete(m.stale, name)
	}
	f.gen = m.gen
	return f.data, nil
}

// view is the folder for one reload, with some files replaced (by their
// last good version).
type view struct {
	m    *mirror
	over map[string][]byte
}

// Open gives a folder from disk and a file from the mirror.
func (v view) Open(name string) (fs.File, error) {
	b, err := v.bytes("open", name)
	if err == errDir {
		return v.m.dir.Open(name)
	}
	if err != nil {
		return nil, err
	}
	return fstest.MapFS{name: {Data: b, Mode: 0o644}}.Open(name)
}

// ReadFile returns a copy of the file's bytes, as fs.ReadFileFS asks.
func (v view) ReadFile(name string) ([]byte, error) {
	b, err := v.bytes("read", name)
	if err == errDir {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrInvalid}
	}
	if err != nil {
		return nil, err
	}
	return append([]byte(nil), b...), nil
}

var errDir = errors.New("a folder")

// bytes is a file's bytes (the mirror's own slice), or errDir.
func (v view) bytes(op, name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	if b, ok := v.over[name]; ok {
		return b, nil
	}
	st, err := fs.Stat(v.m.dir, name)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, errDir
	}
	return v.m.read(name, st)
}

// ReadDir lists a folder from disk.
func (v view) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(v.m.dir, name) }

// Glob matches names on disk (fs.Glob would open each folder through Open
// anyway; this is the same, said once).
func (v view) Glob(pattern string) ([]string, error) { return fs.Glob(v.m.dir, pattern) }

// isText is a file whose last good version is kept: what the content's
// parsers read.
func isText(p string) bool { return path.Ext(p) == ".md" || path.Ext(p) == ".yaml" }
