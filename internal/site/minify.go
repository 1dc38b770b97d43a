package site

import (
	"bytes"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/js"
)

// The site's own scripts and stylesheets are written to be read — comments
// say why, indentation shows the structure — and served minified
// (github.com/tdewolff/minify, pure Go), once, at start-up: a phone on a
// slow line gets the player page in fewer bytes, and the fingerprint is
// that of the bytes served, so `stenose build` writes the same.
var minifier = func() *minify.M {
	m := minify.New()
	m.AddFunc("css", css.Minify)
	m.AddFunc("js", js.Minify)
	return m
}()

// minified is b minified when it is a script or a stylesheet, else b.
func minified(b []byte, ext string) ([]byte, error) {
	var kind string
	switch ext {
	case ".css":
		kind = "css"
	case ".js", ".mjs":
		kind = "js"
	default:
		return b, nil
	}
	var out bytes.Buffer
	if err := minifier.Minify(kind, &out, bytes.NewReader(b)); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
