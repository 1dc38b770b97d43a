package site

import (
	"html/template"
	"sync"

	"github.com/stenose/stenose/internal/i18n"
)

// base is what every Site of the process shares: the parsed templates and
// the site's own static files, minified and fingerprinted. Both come from
// the binary (embed), never from the content folder, so they are made
// once, the first time a Site is loaded, and not again when `serve
// --watch` renders the content anew on each save (they were about half of
// each such render: minifying the scripts and stylesheets a quarter,
// parsing the templates a fifth). A parsed html/template may be executed
// by any number of goroutines, and a page's lazily made gzip variant is
// guarded by its sync.Once, so sharing them is safe.
type base struct {
	tmpl   map[string]*template.Template // page template → layout + that page
	static map[string]*page              // URL path → the site's own file
	assets assets
}

var loadBase = sync.OnceValues(func() (*base, error) {
	b := &base{tmpl: map[string]*template.Template{}, static: map[string]*page{}}
	if err := loadStatic(b.static, &b.assets); err != nil {
		return nil, err
	}
	for _, name := range []string{"home.html", "list.html", "article.html", "author.html", "notfound.html",
		"exercises.html", "exercise.html", "programme.html", "session.html", "handout.html", "walk.html"} {
		t, err := template.New(name).Option("missingkey=error").ParseFS(templateFS, "templates/layout.html", "templates/"+name)
		if err != nil {
			return nil, err
		}
		if err := i18n.CheckTemplate(t); err != nil {
			return nil, err
		}
		b.tmpl[name] = t
	}
	return b, nil
})
