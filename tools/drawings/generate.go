// Package drawings holds no code: it exists so that
//
//	go generate ./tools/drawings
//
// re-exports the exercise line drawings (content/images/exercises/*.svg, the
// sources) to the PNGs the article shows (content/images/blog/*.png) with
// export.sh, which needs only Debian's rsvg-convert (package librsvg2-bin).
package drawings

//go:generate bash export.sh
