package site

import (
	"bytes"
	"encoding/xml"
	"time"

	"github.com/stenose/stenose/internal/i18n"
)

// renderSitemap writes /sitemap.xml: every public page in both languages.
func (s *Site) renderSitemap(b *bytes.Buffer) error {
	type alt struct {
		Rel      string `xml:"rel,attr"`
		Hreflang string `xml:"hreflang,attr"`
		Href     string `xml:"href,attr"`
	}
	type url struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod,omitempty"`
		Alts    []alt  `xml:"xhtml:link"`
	}
	type urlset struct {
		XMLName xml.Name `xml:"urlset"`
		NS      string   `xml:"xmlns,attr"`
		XHTML   string   `xml:"xmlns:xhtml,attr"`
		URLs    []url    `xml:"url"`
	}
	set := urlset{NS: "http://www.sitemaps.org/schemas/sitemap/0.9", XHTML: "http://www.w3.org/1999/xhtml"}
	add := func(p, lastmod string) {
		alts := []alt{
			{"alternate", "da", s.base + p},
			{"alternate", "en", s.base + s.langPath(i18n.En, p)},
		}
		for _, lang := range i18n.Langs {
			set.URLs = append(set.URLs, url{Loc: s.base + s.langPath(lang, p), LastMod: lastmod, Alts: alts})
		}
	}
	newest := ""
	if len(s.ix.Articles) > 0 {
		newest = s.ix.Articles[0].Updated.Format("2006-01-02")
	}
	add("/", newest)
	pages := (len(s.ix.Articles) + PerPage - 1) / PerPage
	for n := 1; n <= max(pages, 1); n++ {
		add(listPath(n), "")
	}
	for _, a := range s.ix.Articles {
		add("/blog/"+a.Slug, a.Updated.Format("2006-01-02"))
	}
	for _, au := range s.ix.Authors {
		add("/forfatter/"+au.Slug, "")
	}
	if len(s.lib.Exercises) > 0 {
		add("/oevelser/", "")
	}
	for _, e := range s.lib.Exercises {
		add("/oevelser/"+e.Slug, "")
	}
	for _, p := range s.lib.Programmes {
		add("/program/"+p.Slug, "")
		add("/program/"+p.Slug+"/traening", "")
		add("/program/"+p.Slug+"/udskrift", "")
	}
	add("/gang", "")
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(b)
	enc.Indent("", " ")
	return enc.Encode(set)
}

// FeedSize is how many of the newest articles the Atom feed carries.
const FeedSize = 20

// renderFeed writes /feed.xml, an Atom feed of the newest articles with
// their full text.
func (s *Site) renderFeed(b *bytes.Buffer) error {
	type link struct {
		Rel  string `xml:"rel,attr,omitempty"`
		Type string `xml:"type,attr,omitempty"`
		Href string `xml:"href,attr"`
	}
	type text struct {
		Type string `xml:"type,attr,omitempty"`
		Body string `xml:",chardata"`
	}
	type person struct {
		Name string `xml:"name"`
		URI  string `xml:"uri,omitempty"`
	}
	type entry struct {
		Title     string  `xml:"title"`
		ID        string  `xml:"id"`
		Link      link    `xml:"link"`
		Published string  `xml:"published"`
		Updated   string  `xml:"updated"`
		Author    *person `xml:"author,omitempty"`
		Summary   string  `xml:"summary,omitempty"`
		Content   text    `xml:"content"`
	}
	type feed struct {
		XMLName  xml.Name `xml:"feed"`
		NS       string   `xml:"xmlns,attr"`
		Lang     string   `xml:"xml:lang,attr"`
		Base     string   `xml:"xml:base,attr"`
		Title    string   `xml:"title"`
		Subtitle string   `xml:"subtitle,omitempty"`
		ID       string   `xml:"id"`
		Updated  string   `xml:"updated"`
		Links    []link   `xml:"link"`
		Entries  []entry  `xml:"entry"`
	}
	stamp := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	f := feed{
		NS: "http://www.w3.org/2005/Atom", Lang: "da", Base: s.base + "/",
		Title: s.ix.Site.Name, Subtitle: s.ix.Site.Description, ID: s.base + "/",
		Links: []link{
			{Rel: "self", Type: "application/atom+xml", Href: s.base + "/feed.xml"},
			{Rel: "alternate", Type: "text/html", Href: s.base + "/"},
		},
		Updated: stamp(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)),
	}
	for i, a := range s.ix.Articles {
		if i == FeedSize {
			break
		}
		if err := a.Load(); err != nil {
			return err
		}
		u := s.base + "/blog/" + a.Slug
		e := entry{
			Title: a.Title, ID: u, Link: link{Rel: "alternate", Type: "text/html", Href: u},
			Published: stamp(a.Published), Updated: stamp(a.Updated),
			Summary: a.Description, Content: text{Type: "html", Body: string(a.HTML())},
		}
		if a.Author != nil {
			e.Author = &person{Name: a.Author.Name, URI: s.base + "/forfatter/" + a.Author.Slug}
		}
		if st := stamp(a.Updated); st > f.Updated {
			f.Updated = st
		}
		f.Entries = append(f.Entries, e)
	}
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(b)
	enc.Indent("", " ")
	return enc.Encode(f)
}
