// Package stenose holds what the binary ships besides code: the built-in
// content folder (articles, authors, images), embedded so that
// `stenose serve` needs no set-up.
package stenose

import (
	"embed"
	"io/fs"
)

//go:embed all:content
var content embed.FS

// Content returns the built-in content folder: blog/, authors/, images/ and
// site.yaml at its root.
func Content() fs.FS {
	sub, err := fs.Sub(content, "content")
	if err != nil {
		panic(err) // impossible: "content" is embedded above
	}
	return sub
}
