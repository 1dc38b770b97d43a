package site

import (
	"fmt"
	"strings"
	"testing"
)

// FuzzManifestLine: any line of a manifest either is refused or reads back
// what the build writes for it (finish's format), and never panics.
func FuzzManifestLine(f *testing.F) {
	sum := strings.Repeat("ab", 32)
	for _, seed := range []string{
		sum + " 12 1733480000000000000 - index.html",
		sum + " 12 1733480000000000000 " + sum + " blog/x.html",
		sum + " 12 1 " + sum[:63] + " x",
		sum + "0 12 1 - x",
		"  ", "", sum + " -1 -1 - a b c",
	} {
		f.Add(seed, true)
	}
	f.Add(sum+" 12 1 index.html", false)
	f.Fuzz(func(t *testing.T, line string, withInput bool) {
		e, name, ok := parseManifestLine(line, withInput)
		if !ok {
			return
		}
		var back string
		switch {
		case !withInput:
			back = fmt.Sprintf("%x %d %d %s", e.sum, e.size, e.mtime, name)
		case e.input == [32]byte{}:
			back = fmt.Sprintf("%x %d %d - %s", e.sum, e.size, e.mtime, name)
		default:
			back = fmt.Sprintf("%x %d %d %x %s", e.sum, e.size, e.mtime, e.input, name)
		}
		e2, name2, ok2 := parseManifestLine(back, withInput)
		if !ok2 || e2 != e || name2 != name {
			t.Errorf("%q read as %+v %q, written back as %q, read again as %+v %q (%v)", line, e, name, back, e2, name2, ok2)
		}
	})
}
