package site

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// Build renders the site into dir for any static host: the same bytes that
// Handler serves, one file per page (/blog/x is written as blog/x.html, which
// nginx finds with try_files $uri $uri.html and GitHub Pages, Netlify and
// Cloudflare Pages find by themselves; a folder per page would cost a
// mkdir per article),
// plus the static files, the images and 404.html. Pages are rendered and
// written one at a time by a worker per core, so memory stays flat however
// many articles there are.
func Build(fsys fs.FS, opts Options, dir string) (*Site, error) {
	s, err := prepare(fsys, opts)
	if err != nil {
		return nil, err
	}
	fw := &fileWriter{dir: dir}
	for p, f := range s.files { // static files and images
		if err := fw.write(p, f.body); err != nil {
			return nil, err
		}
	}
	specs := s.pageSpecs()
	work := make(chan pageSpec)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			var buf bytes.Buffer
			for spec := range work {
				buf.Reset()
				err := spec.render(&buf)
				if err == nil {
					err = fw.write(spec.path, buf.Bytes())
				}
				if err != nil {
					select {
					case errs <- fmt.Errorf("%s: %w", spec.path, err):
					default:
					}
				}
			}
		})
	}
	for _, spec := range specs {
		work <- spec
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errs:
		return nil, err
	default:
	}
	return s, nil
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

// fileWriter writes pages under one folder. It remembers the folders it has
// made, so that writing 20,000 pages does not stat every parent 20,000 times.
type fileWriter struct {
	dir  string
	made sync.Map
}

func (fw *fileWriter) write(urlPath string, b []byte) error {
	name := filepath.Join(fw.dir, fileFor(urlPath))
	parent := filepath.Dir(name)
	if _, ok := fw.made.Load(parent); !ok {
		if err := os.MkdirAll(parent, 0o755); err != nil {
			return err
		}
		fw.made.Store(parent, true)
	}
	return os.WriteFile(name, b, 0o644)
}
