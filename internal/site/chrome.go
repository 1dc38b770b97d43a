package site

import (
	"html/template"

	"github.com/stenose/stenose/internal/i18n"
)

// Chrome is the shared furniture of a page, for pages rendered outside this
// package (internal/web's account pages) so they look like the site's own.
type Chrome struct {
	// Head is the <head> lines every page has (stylesheet, icon, feed).
	Head template.HTML
	// Header runs from the skip link to the open menu list: the caller
	// may add <li> items and must close it with </ul></nav></div></header>.
	Header template.HTML
	// Footer is the site footer.
	Footer template.HTML
}

// Chrome returns the pre-rendered chrome for lang with section ("home",
// "blog", "exercises" or "") marked as the current menu item.
func (s *Site) Chrome(lang i18n.Lang, section string) Chrome {
	c := s.chrome(chromeKey{lang, section})
	return Chrome{Head: c.Head, Header: c.Header, Footer: c.Footer}
}

// Name is the site's name (content/site.yaml).
func (s *Site) Name() string { return s.ix.Site.Name }

// BaseURL is the site's public address without a trailing slash
// (Options.BaseURL): what a printed link starts with.
func (s *Site) BaseURL() string { return s.base }
