package site

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/stenose/stenose/internal/content"
)

// BuildCacheName is the file in a build's folder in which the build
// remembers each article it rendered (content.Cache), so that the next
// build into the folder neither parses nor renders an unchanged article.
// Deleting it costs one full build, nothing else.
const BuildCacheName = ".stenose-build-cache"

// readBuildCache is the earlier build's cache, or an empty one when there
// is none or no manifest beside it (without the manifest, no page of the
// earlier build can be trusted to be there).
func readBuildCache(dir string, manifest map[string]manifestEntry, salt []byte) *content.Cache {
	if manifest == nil {
		return content.NewCache().WithSalt(salt)
	}
	f, err := os.Open(filepath.Join(dir, BuildCacheName))
	if err != nil {
		return content.NewCache().WithSalt(salt)
	}
	defer f.Close()
	return content.ReadCache(f).WithSalt(salt)
}

func writeBuildCache(dir string, c *content.Cache) error {
	var b bytes.Buffer
	if err := c.Save(&b); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, BuildCacheName), b.Bytes())
}

// cacheSalt is what an article's pages depend on outside the content
// folder: this program (its templates, styles, words and code — the
// executable's own bytes, so any rebuild counts as a change) and the
// options that appear in pages.
func cacheSalt(opts Options) []byte {
	sum := programSum()
	return append(sum[:], "\x00"+opts.BaseURL...)
}

var programSum = sync.OnceValue(func() [sha256.Size]byte {
	h := sha256.New()
	if exe, err := os.Executable(); err == nil {
		if f, err := os.Open(exe); err == nil {
			_, err = io.Copy(h, f)
			f.Close()
			if err == nil {
				var k [sha256.Size]byte
				h.Sum(k[:0])
				return k
			}
		}
	}
	// Unknown program: a key that matches no earlier build.
	var k [sha256.Size]byte
	rand.Read(k[:])
	return k
})
