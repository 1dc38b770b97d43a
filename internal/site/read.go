package site

import (
	"io/fs"

	"github.com/stenose/stenose/internal/content"
	"github.com/stenose/stenose/internal/programme"
)

// Read is a content folder read and checked beforehand: `serve --watch`
// keeps what it read across changes and reads again only the files that
// changed (internal/preview), then renders the site with LoadRead.
type Read struct {
	Index    *content.Index
	Library  *programme.Library
	Problems content.Problems // of both, sorted
}

// LoadRead is Load of content already read: it renders r's pages, with
// the images' bytes read from fsys (the folder r was read from).
func LoadRead(fsys fs.FS, r Read, opts Options) (*Site, error) {
	s, err := prepareRead(fsys, r.Index, r.Library, r.Problems, opts, false)
	if err != nil {
		return nil, err
	}
	s.logProblems()
	return s, s.renderAll()
}

// ReadContent reads and checks the content folder fsys as Load does,
// keeping what it parsed in c for the next call (nil: nothing kept).
func ReadContent(fsys fs.FS, c *content.Cache) Read {
	ix, lib, probs := readBase(fsys)
	probs = append(probs, ix.LoadArticles(fsys, c, nil)...)
	probs.Sort()
	return Read{Index: ix, Library: lib, Problems: probs}
}

// readBase reads everything but the articles: the rest of the content and
// the programmes (Build reads the articles itself, a page at a time).
func readBase(fsys fs.FS) (*content.Index, *programme.Library, content.Problems) {
	ix, probs := content.LoadBase(fsys)
	lib, pprobs := programme.Load(fsys, ix.Images)
	return ix, lib, append(probs, pprobs...)
}
