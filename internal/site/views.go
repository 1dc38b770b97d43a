package site

import (
	"html"
	"html/template"
	"strings"
	"sync"
	"time"

	"github.com/stenose/stenose/internal/content"
	"github.com/stenose/stenose/internal/i18n"
)

// view is what the layout and every page template read. Everything a page
// shows is computed here, in Go, so the templates only look up fields: a
// build renders two pages per article, and each template function call
// costs more than the field it computes.
type view struct {
	Lang     i18n.Lang
	Other    i18n.Lang         // the language the switch leads to
	L        map[string]string // the labels in Lang: {{.L.navHome}}
	LangAttr template.HTMLAttr // ` lang="en"` on English pages, else empty
	TextLang template.HTMLAttr // ` lang="da"` around Danish text on English pages
	Prefix   string            // "" or "/en"
	Home     string            // the home page in Lang
	Site     content.SiteConfig
	Base     string
	Assets   assets
	Section  string // "home", "blog", …: marks the current menu item (renderChrome)
	Chrome   chrome
	Clinic   *ClinicView // the clinic's details in Lang; nil when there are none
	Training string      // the programme's page in Lang: the menu's "Træning", the home page's first button

	Title       string // <title>
	Heading     string // og:title
	Description string
	Canonical   string
	AltDa       string
	AltEn       string
	Switch      string // the same page in the other language
	OGType      string
	Image       *ogImage
	JSONLD      template.JS

	Lead       string
	Cards      []card
	Pages      pager
	Article    *content.Article
	Body       template.HTML
	TOC        template.HTML // the table of contents' list, made once per article
	AuthorHref string
	PubISO     string
	PubText    string
	UpdISO     string
	UpdText    string
	Author     *content.Author

	// Exercise and programme pages.
	Exercise   *exView
	Exercises  []exView
	Programme  *progView
	Programmes []*progView
	Safety     []string
	Weeks      []string
	Weekdays   []string
	PlanID     string
	PlanJSON   template.JS // the JSON data block the page's script reads
	ExtraCSS   string
	Script     string // the page's module script
	// Preload is the module the script imports, named in the page's head
	// so that it loads at once and the service worker keeps it from the
	// first visit (static/sw.js).
	Preload string
	// PatientMenu is the patient's menu, which the player's and walk
	// mode's scripts show when a patient is signed in.
	PatientMenu []navLink
	// WalkHref is walk mode's address in the page's language (the
	// programme page's button); Personal is set on the pages of a
	// patient's own programme (RenderPersonal), nil on the public ones.
	WalkHref string
	Personal *Personal
	Here     string // a personal page's own address: where the switch returns
}

// chrome is the part of a page that is the same for every page of one
// language and menu section, rendered once by prepare.
type chrome struct {
	Head   template.HTML
	Header template.HTML
	Footer template.HTML
}

type ogImage struct {
	URL, Alt      string
	Width, Height int
}

type card struct {
	A        *content.Article
	Href     string
	ISO      string
	Date     string
	TextLang template.HTMLAttr
	H2       bool
}

type pager struct {
	Label      string // "Side 2 af 5"; empty when there is one page
	Prev, Next string
}

type tocEntry struct {
	ID, Text string
	Children []tocEntry
}

// baseView fills what every page has. p is the page's Danish path.
func (s *Site) baseView(lang i18n.Lang, p string, title, description string) *view {
	v := &view{
		Lang:        lang,
		L:           i18n.Labels(lang),
		Prefix:      s.langPath(lang, ""),
		Home:        s.langPath(lang, "/"),
		Site:        s.ix.Site,
		Base:        s.base,
		Assets:      s.assets,
		Title:       title,
		Heading:     title,
		Description: description,
		OGType:      "website",
		AltDa:       s.base + p,
		AltEn:       s.base + s.langPath(i18n.En, p),
		Clinic:      s.Clinic(lang),
	}
	v.Canonical = s.base + s.langPath(lang, p)
	v.WalkHref = s.langPath(lang, "/gang")
	if pr := s.mainProgramme(); pr != nil {
		v.Training = s.langPath(lang, "/program/"+pr.Slug)
	}
	v.Other = i18n.En
	v.Switch = s.langPath(i18n.En, p)
	if lang != i18n.Da {
		v.Other = i18n.Da
		v.Switch = p
		v.LangAttr = template.HTMLAttr(` lang="` + string(lang) + `"`)
		v.TextLang = ` lang="da"`
	}
	return v
}

// withChrome sets the section and the pre-rendered chrome that goes with it.
func (s *Site) withChrome(v *view, section string) *view {
	v.Section = section
	v.Chrome = s.chrome(chromeKey{v.Lang, section})
	return v
}

type chromeKey struct {
	lang    i18n.Lang
	section string
}

// chromeSections are the menu's sections: a page marks its own as the
// current menu item. "signin" is the menu's "Log ind" (the sign-in and
// sign-up pages of the app). Two are for the app's signed-in users, whose
// menu the app completes: "account" is the public menu without "Log ind"
// (the app adds "Min konto"), "app" has no public items at all (a patient's
// menu is the app's own: I dag, Dagbog, Fremskridt, Min konto).
var chromeSections = []string{"", "home", "blog", "exercises", "training", "signin", "account", "app"}

// renderChrome makes the shared parts of pages for every language and
// section, once per site: at once (prepare: a template error stops it), or,
// when lazy (LoadReadLazy, a preview tab asks for one or two pages), each
// the first time a page uses it, a failure then logged.
func (s *Site) renderChrome(lazy bool) error {
	s.chromes = map[chromeKey]func() chrome{}
	for _, lang := range i18n.Langs {
		for _, section := range chromeSections {
			k := chromeKey{lang, section}
			if lazy {
				s.chromes[k] = sync.OnceValue(func() chrome {
					c, err := s.renderChromeOf(k)
					if err != nil {
						s.log.Error("render the chrome", "lang", lang, "section", section, "err", err)
					}
					return c
				})
				continue
			}
			c, err := s.renderChromeOf(k)
			if err != nil {
				return err
			}
			s.chromes[k] = func() chrome { return c }
		}
	}
	return nil
}

// chrome is the rendered chrome for k.
func (s *Site) chrome(k chromeKey) chrome {
	if f := s.chromes[k]; f != nil {
		return f()
	}
	return chrome{}
}

// renderChromeOf renders the shared parts for one language and section.
func (s *Site) renderChromeOf(k chromeKey) (chrome, error) {
	t := s.tmpl["home.html"]
	v := s.baseView(k.lang, "/", "", "")
	v.Section = k.section
	var c chrome
	for _, part := range []struct {
		name string
		dst  *template.HTML
	}{{"chrome-head", &c.Head}, {"chrome-header", &c.Header}, {"chrome-footer", &c.Footer}} {
		var b strings.Builder
		if err := t.ExecuteTemplate(&b, part.name, v); err != nil {
			return chrome{}, err
		}
		*part.dst = template.HTML(b.String())
	}
	return c, nil
}

func (s *Site) siteDescription(lang i18n.Lang) string {
	if lang == i18n.En && s.ix.Site.DescriptionEn != "" {
		return s.ix.Site.DescriptionEn
	}
	if lang == i18n.Da && s.ix.Site.Description != "" {
		return s.ix.Site.Description
	}
	return lang.T("homeLead")
}

func (s *Site) cards(lang i18n.Lang, arts []*content.Article, h2 bool) []card {
	cs := make([]card, len(arts))
	prefix := s.langPath(lang, "")
	var textLang template.HTMLAttr
	if lang != i18n.Da {
		textLang = ` lang="da"`
	}
	for i, a := range arts {
		cs[i] = card{A: a, Href: prefix + "/blog/" + a.Slug, ISO: isoDate(a.Published), Date: lang.Date(a.Published), TextLang: textLang, H2: h2}
	}
	return cs
}

func isoDate(t time.Time) string { return t.Format("2006-01-02") }

func (s *Site) publisher() map[string]any {
	return map[string]any{"@type": "Organization", "name": s.ix.Site.Name, "url": s.base + "/"}
}

func (s *Site) homeView(lang i18n.Lang) *view {
	desc := s.siteDescription(lang)
	v := s.baseView(lang, "/", s.ix.Site.Name+" – "+lang.T("homeLead"), desc)
	v.Heading = s.ix.Site.Name
	s.withChrome(v, "home")
	v.Lead = desc
	newest := s.ix.Articles
	if len(newest) > 5 {
		newest = newest[:5]
	}
	v.Cards = s.cards(lang, newest, false)
	v.JSONLD = jsonLD(map[string]any{
		"@context":    "https://schema.org",
		"@type":       "WebSite",
		"name":        s.ix.Site.Name,
		"url":         s.base + "/",
		"description": desc,
		"inLanguage":  string(lang),
		"publisher":   s.publisher(),
	})
	return v
}

func (s *Site) listView(lang i18n.Lang, n, pages int) *view {
	title := lang.T("articlesTitle") + " – " + s.ix.Site.Name
	if n > 1 {
		title = lang.T("articlesTitle") + " (" + lang.Tf("articlesPage", n, pages) + ") – " + s.ix.Site.Name
	}
	v := s.baseView(lang, listPath(n), title, lang.T("articlesLead"))
	s.withChrome(v, "blog")
	from, to := (n-1)*PerPage, n*PerPage
	if to > len(s.ix.Articles) {
		to = len(s.ix.Articles)
	}
	if from > to {
		from = to
	}
	v.Cards = s.cards(lang, s.ix.Articles[from:to], true)
	if pages > 1 {
		v.Pages.Label = lang.Tf("articlesPage", n, pages)
	}
	if n > 1 {
		v.Pages.Prev = s.langPath(lang, listPath(n-1))
	}
	if n < pages {
		v.Pages.Next = s.langPath(lang, listPath(n+1))
	}
	items := make([]map[string]any, 0, to-from)
	for i, a := range s.ix.Articles[from:to] {
		items = append(items, map[string]any{"@type": "ListItem", "position": from + i + 1, "url": s.base + "/blog/" + a.Slug, "name": a.Title})
	}
	v.JSONLD = jsonLD(map[string]any{
		"@context":   "https://schema.org",
		"@type":      "CollectionPage",
		"name":       v.Title,
		"url":        v.Canonical,
		"inLanguage": "da",
		"mainEntity": map[string]any{"@type": "ItemList", "itemListElement": items},
	})
	return v
}

func (s *Site) articleView(lang i18n.Lang, a *content.Article) *view {
	return s.articleViewParts(lang, a, s.articleParts(a))
}

// articleParts is what an article's pages show alike in both languages,
// made once per article (articleSpecs shares it between the two pages):
// the body as a string, the table of contents, the dates, the preview
// image and the JSON-LD.
type articleParts struct {
	body           template.HTML
	toc            template.HTML
	ld             template.JS
	pubISO, updISO string
	image          *ogImage
}

func (s *Site) articleParts(a *content.Article) *articleParts {
	p := &articleParts{
		body:   template.HTML(a.HTML()), // rendered by goldmark in safe mode, then sanitised (content.Load)
		toc:    tocHTML(a.Headings()),
		ld:     s.articleLD(a),
		pubISO: isoDate(a.Published),
		updISO: isoDate(a.Updated),
	}
	if a.PreviewImage != "" {
		p.image = &ogImage{URL: s.base + a.PreviewImage, Alt: a.PreviewImageAlt, Width: a.PreviewInfo.Width, Height: a.PreviewInfo.Height}
	}
	return p
}

// articleViewParts is articleView with the parts both languages share.
func (s *Site) articleViewParts(lang i18n.Lang, a *content.Article, p *articleParts) *view {
	title := a.MetaTitle
	if title == "" {
		title = a.Title
	}
	v := s.baseView(lang, "/blog/"+a.Slug, title, a.Description)
	v.Heading = a.Title
	s.withChrome(v, "blog")
	v.OGType = "article"
	v.PubISO, v.PubText = p.pubISO, lang.Date(a.Published)
	v.UpdISO, v.UpdText = p.updISO, lang.Date(a.Updated)
	if a.Author != nil {
		v.AuthorHref = v.Prefix + "/forfatter/" + a.Author.Slug
	}
	v.Article = a
	v.Body = p.body
	v.Image = p.image
	v.TOC = p.toc
	if pr := s.programmeFor(a.Slug); pr != nil {
		v.Programme = s.progView(lang, pr)
		v.Body = s.linkExerciseHeadings(lang, a.HTML())
	}
	v.JSONLD = p.ld
	return v
}

// articleLD is an article's JSON-LD block. It is the same in both
// languages (the article is in Danish, its canonical address has no
// language prefix), so pageSpecs makes it once per article.
func (s *Site) articleLD(a *content.Article) template.JS {
	ld := map[string]any{
		"@context":         "https://schema.org",
		"@type":            []string{"BlogPosting", "MedicalWebPage"},
		"headline":         a.Title,
		"name":             a.Title,
		"description":      a.Description,
		"url":              s.base + "/blog/" + a.Slug,
		"mainEntityOfPage": s.base + "/blog/" + a.Slug,
		"datePublished":    a.Published.Format("2006-01-02"),
		"dateModified":     a.Updated.Format("2006-01-02"),
		"inLanguage":       "da",
		"publisher":        s.publisher(),
	}
	if a.Author != nil {
		person := map[string]any{"@type": "Person", "name": a.Author.Name, "url": s.base + "/forfatter/" + a.Author.Slug}
		if a.Author.Title != "" {
			person["jobTitle"] = a.Author.Title
		}
		ld["author"] = person
	}
	if a.PreviewImage != "" {
		ld["image"] = s.base + a.PreviewImage
	}
	return jsonLD(ld)
}

// tocHTML renders the table of contents' nested list. It is the same in
// both languages (the headings are the article's), so it is made once per
// article rather than through the template for every page.
func tocHTML(hs []content.Heading) template.HTML {
	entries := toc(hs)
	if entries == nil {
		return ""
	}
	var b strings.Builder
	var list func([]tocEntry)
	list = func(es []tocEntry) {
		b.WriteString("<ol>\n")
		for _, e := range es {
			b.WriteString(`<li><a href="#`)
			b.WriteString(html.EscapeString(e.ID))
			b.WriteString(`">`)
			b.WriteString(html.EscapeString(e.Text))
			b.WriteString("</a>")
			if len(e.Children) > 0 {
				b.WriteString("\n")
				list(e.Children)
			}
			b.WriteString("</li>\n")
		}
		b.WriteString("</ol>")
	}
	list(entries)
	return template.HTML(b.String())
}

// toc nests h3 under the h2 before it. Articles with fewer than three h2
// headings are short enough to need none.
func toc(hs []content.Heading) []tocEntry {
	var out []tocEntry
	h2 := 0
	for _, h := range hs {
		if h.Level == 2 {
			h2++
			out = append(out, tocEntry{ID: h.ID, Text: h.Text})
		} else if len(out) > 0 {
			last := &out[len(out)-1]
			last.Children = append(last.Children, tocEntry{ID: h.ID, Text: h.Text})
		}
	}
	if h2 < 3 {
		return nil
	}
	return out
}

func (s *Site) authorView(lang i18n.Lang, au *content.Author) *view {
	desc := au.Bio
	if desc == "" {
		desc = lang.Tf("authorArticles", au.Name)
	}
	v := s.baseView(lang, "/forfatter/"+au.Slug, au.Name+" – "+s.ix.Site.Name, content.Summarize(desc, 160))
	v.Heading = au.Name
	s.withChrome(v, "")
	v.Lead = lang.Tf("authorArticles", au.Name)
	v.OGType = "profile"
	v.Author = au
	var arts []*content.Article
	for _, a := range s.ix.Articles {
		if a.Author == au {
			arts = append(arts, a)
		}
	}
	v.Cards = s.cards(lang, arts, false)
	person := map[string]any{"@type": "Person", "name": au.Name, "url": s.base + "/forfatter/" + au.Slug}
	if au.Title != "" {
		person["jobTitle"] = au.Title
	}
	if au.Bio != "" {
		person["description"] = au.Bio
	}
	if au.Photo != "" {
		person["image"] = s.base + au.Photo
		v.Image = &ogImage{URL: s.base + au.Photo, Alt: au.Name, Width: au.Image.Width, Height: au.Image.Height}
	}
	v.JSONLD = jsonLD(map[string]any{
		"@context":   "https://schema.org",
		"@type":      "ProfilePage",
		"url":        v.Canonical,
		"mainEntity": person,
	})
	return v
}

func (s *Site) notFoundView(lang i18n.Lang) *view {
	v := s.baseView(lang, "/404.html", lang.T("notfoundTitle")+" – "+s.ix.Site.Name, lang.T("notfoundLead"))
	v.Switch = s.langPath(v.Other, "/")
	v.AltDa, v.AltEn, v.Canonical = "", "", "" // a missing page has no address of its own
	s.withChrome(v, "")
	newest := s.ix.Articles
	if len(newest) > 3 {
		newest = newest[:3]
	}
	v.Cards = s.cards(lang, newest, false)
	v.JSONLD = jsonLD(map[string]any{"@context": "https://schema.org", "@type": "WebPage", "name": v.Title})
	return v
}

// linkExerciseHeadings turns the article's exercise headings into links to
// their exercise pages.
func (s *Site) linkExerciseHeadings(lang i18n.Lang, body []byte) template.HTML {
	out := string(body)
	for id, e := range s.lib.ByArticleHeading() {
		open := `<h3 id="` + id + `">`
		i := strings.Index(out, open)
		if i < 0 {
			continue
		}
		j := strings.Index(out[i:], "</h3>")
		if j < 0 {
			continue
		}
		text := out[i+len(open) : i+j]
		out = out[:i] + open + `<a href="` + s.langPath(lang, "/oevelser/"+e.Slug) + `">` + text + `</a>` + out[i+j:]
	}
	return template.HTML(out)
}
