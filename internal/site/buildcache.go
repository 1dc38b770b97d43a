package site

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"debug/elf"
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
// is none.
func readBuildCache(dir string, salt []byte) *content.Cache {
	b, err := os.ReadFile(filepath.Join(dir, BuildCacheName))
	if err != nil {
		return content.NewCache().WithSalt(salt)
	}
	return content.ReadCache(b).WithSalt(salt)
}

func writeBuildCache(dir string, c *content.Cache) error {
	var b bytes.Buffer
	if err := c.Save(&b); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, BuildCacheName), b.Bytes())
}

// cacheSalt is what an article's pages depend on outside the content
// folder: this program (its templates, styles, words and code) and the
// options that appear in pages.
func cacheSalt(opts Options) []byte {
	sum := programSum()
	return append(sum[:], "\x00"+opts.BaseURL...)
}

// programSum identifies this executable: the Go build ID the linker writes
// into it (its last part hashes the binary's content, so any rebuild that
// changes a byte changes it), read from the ELF note in a few KB rather than
// by hashing all 40 MB; where there is no such note, the whole file's
// SHA-256; where the file cannot be read, a random key that matches no
// earlier build.
var programSum = sync.OnceValue(func() [sha256.Size]byte {
	exe, err := os.Executable()
	if err == nil {
		if id, ok := goBuildID(exe); ok {
			return sha256.Sum256(append([]byte("go build id\x00"), id...))
		}
		if f, err := os.Open(exe); err == nil {
			h := sha256.New()
			_, err = io.Copy(h, f)
			f.Close()
			if err == nil {
				var k [sha256.Size]byte
				h.Sum(k[:0])
				return k
			}
		}
	}
	var k [sha256.Size]byte
	rand.Read(k[:])
	return k
})

// goBuildID is the contents of the executable's .note.go.buildid section
// (which holds the build ID `go tool buildid` prints).
func goBuildID(exe string) ([]byte, bool) {
	f, err := elf.Open(exe)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	sec := f.Section(".note.go.buildid")
	if sec == nil {
		return nil, false
	}
	b, err := sec.Data()
	if err != nil || len(b) < 16 {
		return nil, false
	}
	return b, true
}
