package site

import (
	"bytes"
	"fmt"
	"io/fs"
	"sync"
)

// lazyPages are the pages of a site loaded by LoadReadLazy: each is
// rendered the first time it is asked for, then kept.
type lazyPages map[string]*lazyPage

type lazyPage struct {
	spec pageSpec
	once sync.Once
	p    *page
}

// LoadReadLazy is LoadRead that renders no page until it is asked for:
// `serve --watch` makes a new site on every save, and an author's open tab
// then asks for one or two of its pages, not for all of them. The site's
// own files, the images and the 404 pages are there at once; the chrome
// shared by the pages is rendered when first used too. A page whose
// template fails is logged and answered as missing; Build and Load never
// do this.
func LoadReadLazy(fsys fs.FS, r Read, opts Options) (*Site, error) {
	s, err := prepareRead(fsys, r.Index, r.Library, r.Problems, opts, true)
	if err != nil {
		return nil, err
	}
	s.logProblems()
	s.lazy = lazyPages{}
	for _, spec := range s.pageSpecs() {
		if spec.status == 404 {
			var buf bytes.Buffer
			if err := spec.render(&buf); err != nil {
				return nil, fmt.Errorf("render %s: %w", spec.path, err)
			}
			s.notFound[spec.lang] = newPage(buf.Bytes(), spec.ctype, cacheRevalidate, spec.status)
			continue
		}
		s.lazy[spec.path] = &lazyPage{spec: spec}
	}
	s.metrics = newMetrics()
	return s, nil
}

// file is the page, static file or image at the URL path p, or nil.
func (s *Site) file(p string) *page {
	if f := s.files[p]; f != nil || s.lazy == nil {
		return f
	}
	lp := s.lazy[p]
	if lp == nil {
		return nil
	}
	lp.once.Do(func() {
		var buf bytes.Buffer
		if err := lp.spec.render(&buf); err != nil {
			s.log.Error("render", "path", p, "err", err)
			return
		}
		lp.p = newPage(buf.Bytes(), lp.spec.ctype, cacheRevalidate, lp.spec.status)
	})
	return lp.p
}
