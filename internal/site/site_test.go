package site_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	stenose "github.com/stenose/stenose"
	"github.com/stenose/stenose/internal/site"
)

const (
	baseURL     = "https://klinik.example"
	articleSlug = "5-bedste-oevelser-til-spinalstenose"
	articlePath = "/blog/" + articleSlug
	seedFile    = "../../content/blog/" + articleSlug + ".md"
	brokenDir   = "../content/testdata/broken"
)

var discard = slog.New(slog.DiscardHandler)

func testOptions() site.Options {
	return site.Options{BaseURL: baseURL, Logger: discard}
}

var builtin = sync.OnceValues(func() (*site.Site, error) {
	return site.Load(stenose.Content(), testOptions())
})

// builtinHandler is the handler of the built-in content, loaded once for
// the whole package (it never changes after Load).
func builtinHandler(t testing.TB) http.Handler {
	t.Helper()
	s, err := builtin()
	if err != nil {
		t.Fatalf("Load(built-in): %v", err)
	}
	return s.Handler()
}

func load(t testing.TB, fsys fs.FS) *site.Site {
	t.Helper()
	s, err := site.Load(fsys, testOptions())
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return s
}

// get serves one request; hdr is header name, value pairs.
func serve(h http.Handler, method, target string, hdr ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func get(h http.Handler, target string, hdr ...string) *httptest.ResponseRecorder {
	return serve(h, http.MethodGet, target, hdr...)
}

// mustGet serves a GET and fails unless the status is want.
func mustGet(t *testing.T, h http.Handler, target string, want int, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	w := get(h, target, hdr...)
	if w.Code != want {
		t.Fatalf("GET %s = %d, want %d\n%.500s", target, w.Code, want, w.Body.String())
	}
	return w
}

func TestPagesAndContentTypes(t *testing.T) {
	t.Parallel()
	h := builtinHandler(t)
	tests := []struct {
		path  string
		ctype string // prefix
	}{
		{"/", "text/html; charset=utf-8"},
		{"/blog/", "text/html; charset=utf-8"},
		{articlePath, "text/html; charset=utf-8"},
		{"/forfatter/anders-hammer", "text/html; charset=utf-8"},
		{"/en/", "text/html; charset=utf-8"},
		{"/en/blog/", "text/html; charset=utf-8"},
		{"/en" + articlePath, "text/html; charset=utf-8"},
		{"/en/forfatter/anders-hammer", "text/html; charset=utf-8"},
		{"/sitemap.xml", "application/xml"},
		{"/feed.xml", "application/atom+xml"},
		{"/robots.txt", "text/plain; charset=utf-8"},
		{"/healthz", "text/plain; charset=utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			w := get(h, tt.path)
			if w.Code != http.StatusOK {
				t.Fatalf("status %d, want 200", w.Code)
			}
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, tt.ctype) {
				t.Errorf("Content-Type = %q, want %q…", ct, tt.ctype)
			}
			if w.Body.Len() == 0 {
				t.Error("empty body")
			}
			if strings.HasPrefix(tt.ctype, "text/html") {
				body := w.Body.String()
				if !strings.HasPrefix(body, "<!doctype html>") {
					t.Errorf("body does not start with <!doctype html>: %.80q", body)
				}
				lang := `<html lang="da">`
				if strings.HasPrefix(tt.path, "/en/") {
					lang = `<html lang="en">` // the Danish article body inside carries lang="da"
				}
				if !strings.Contains(body, lang) {
					t.Errorf("no %s", lang)
				}
			}
		})
	}
	t.Run("healthz body", func(t *testing.T) {
		if got := get(h, "/healthz").Body.String(); strings.TrimSpace(got) != "ok" {
			t.Errorf("/healthz body = %q, want ok", got)
		}
	})
	t.Run("metrics counts requests", func(t *testing.T) {
		s, err := builtin()
		if err != nil {
			t.Fatal(err)
		}
		get(s.Handler(), articlePath)
		m := mustGet(t, s.MetricsHandler(), "/metrics", 200)
		if ct := m.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
			t.Errorf("/metrics Content-Type = %q", ct)
		}
		body := m.Body.String()
		for _, want := range []string{"stenose_http_requests_total", `route="page"`, "stenose_http_request_duration_seconds"} {
			if !strings.Contains(body, want) {
				t.Errorf("/metrics lacks %q", want)
			}
		}
	})
}

// checkSecurityHeaders is what every response must carry.
func checkSecurityHeaders(t testing.TB, what string, hdr http.Header) {
	t.Helper()
	csp := hdr.Get("Content-Security-Policy")
	switch {
	case csp == "":
		t.Errorf("%s: no Content-Security-Policy", what)
	case strings.Contains(csp, "unsafe-inline"), strings.Contains(csp, "unsafe-eval"):
		t.Errorf("%s: Content-Security-Policy allows unsafe code: %q", what, csp)
	case !strings.Contains(csp, "frame-ancestors 'none'"):
		t.Errorf("%s: Content-Security-Policy lacks frame-ancestors 'none': %q", what, csp)
	}
	if got := hdr.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("%s: X-Content-Type-Options = %q, want nosniff", what, got)
	}
	if hdr.Get("Referrer-Policy") == "" {
		t.Errorf("%s: no Referrer-Policy", what)
	}
	if got := hdr.Get("X-Frame-Options"); got != "DENY" {
		t.Errorf("%s: X-Frame-Options = %q, want DENY", what, got)
	}
	if got := hdr.Get("Permissions-Policy"); !strings.Contains(got, "camera=()") {
		t.Errorf("%s: Permissions-Policy = %q, want the devices turned off", what, got)
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	t.Parallel()
	h := builtinHandler(t)
	css := stylesheet(t, h)
	etag := get(h, articlePath).Header().Get("ETag")
	tests := []struct {
		method, path string
		hdr          []string
		status       int
	}{
		{"GET", "/", nil, 200},
		{"GET", articlePath, nil, 200},
		{"GET", articlePath, []string{"Accept-Encoding", "gzip"}, 200},
		{"GET", articlePath, []string{"If-None-Match", etag}, 304},
		{"HEAD", articlePath, nil, 200},
		{"POST", articlePath, nil, 405},
		{"GET", "/en/blog/", nil, 200},
		{"GET", "/sitemap.xml", nil, 200},
		{"GET", "/feed.xml", nil, 200},
		{"GET", "/robots.txt", nil, 200},
		{"GET", css, nil, 200},
		{"GET", "/healthz", nil, 200},
		{"POST", "/healthz", nil, 0},  // 404 or 405: not a page, so either is fine
		{"GET", "/metrics", nil, 404}, // on its own listener (MetricsHandler), never the public one
		{"GET", "/blog/findes-ikke", nil, 404},
		{"GET", "/en/nope", nil, 404},
		{"HEAD", "/nope", nil, 404},
		{"POST", "/nope", nil, 404},
		{"GET", "/blog", nil, 301},
		{"GET", articlePath + "/", nil, 301},
		{"GET", "/blog/../blog/", nil, 301}, // redirects are permanent, like every other moved address
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			w := serve(h, tt.method, tt.path, tt.hdr...)
			if tt.status == 0 && w.Code != 404 && w.Code != 405 {
				t.Errorf("status %d, want 404 or 405", w.Code)
			} else if tt.status != 0 && w.Code != tt.status {
				t.Errorf("status %d, want %d", w.Code, tt.status)
			}
			checkSecurityHeaders(t, tt.method+" "+tt.path, w.Header())
		})
	}
}

// headMeta finds <meta name|property=key content=…> and returns the
// (unescaped) content, or "" and false.
func headMeta(t testing.TB, page []byte, key string) (string, bool) {
	t.Helper()
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return "", false
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if tok.Data != "meta" {
				continue
			}
			var name, content string
			var hasContent bool
			for _, a := range tok.Attr {
				switch a.Key {
				case "name", "property":
					name = a.Val
				case "content":
					content, hasContent = a.Val, true
				}
			}
			if name == key && hasContent {
				return content, true
			}
		}
	}
}

func jsonLDBlocks(t testing.TB, page []byte) []map[string]any {
	t.Helper()
	re := regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)
	var out []map[string]any
	for _, m := range re.FindAllSubmatch(page, -1) {
		var v map[string]any
		if err := json.Unmarshal(m[1], &v); err != nil {
			t.Fatalf("JSON-LD does not parse: %v\n%s", err, m[1])
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		t.Fatal("no <script type=\"application/ld+json\"> block")
	}
	return out
}

func typeHas(v any, want string) bool {
	switch v := v.(type) {
	case string:
		return v == want
	case []any:
		for _, x := range v {
			if x == want {
				return true
			}
		}
	}
	return false
}

func TestArticlePage(t *testing.T) {
	t.Parallel()
	h := builtinHandler(t)
	page := mustGet(t, h, articlePath, 200).Body.Bytes()
	body := string(page)

	contains := []string{
		`<html lang="da">`,
		`<title>Få de bedste øvelser til spinalstenose her | Læs mere -&gt;</title>`,
		`<link rel="canonical" href="https://klinik.example/blog/5-bedste-oevelser-til-spinalstenose">`,
		`<link rel="alternate" hreflang="en" href="https://klinik.example/en/blog/5-bedste-oevelser-til-spinalstenose">`,
		`<time datetime="2025-07-10">10. juli 2025</time>`,
		`class="toc"`,
		`<h1>5 bedste øvelser til spinalstenose</h1>`,
		`href="/forfatter/anders-hammer"`,
		`Anders Hammer`,
	}
	for _, want := range contains {
		if !strings.Contains(body, want) {
			t.Errorf("article page lacks %q", want)
		}
	}
	for _, bad := range []string{"Opdateret", "Updated", "<script>", "style=", "unsafe"} {
		if strings.Contains(body, bad) {
			t.Errorf("article page contains %q", bad)
		}
	}
	if n := strings.Count(body, "<time "); n != 1 {
		t.Errorf("%d <time> elements, want 1 (published only, dates are equal)", n)
	}

	desc, ok := headMeta(t, page, "description")
	if !ok {
		t.Fatal(`no <meta name="description">`)
	}
	if n := utf8.RuneCountInString(desc); n > 160 || n < 50 {
		t.Errorf("description is %d characters, want 50–160: %q", n, desc)
	}
	if !strings.HasPrefix(desc, "Spinalstenose er en tilstand") {
		t.Errorf("description = %q, want it to start with the first paragraph", desc)
	}
	metas := []struct{ key, want string }{
		{"og:title", "5 bedste øvelser til spinalstenose"},
		{"og:type", "article"},
		{"og:url", baseURL + articlePath},
		{"og:description", desc},
		{"article:published_time", "2025-07-10"},
		{"article:modified_time", "2025-07-10"},
		{"twitter:title", "5 bedste øvelser til spinalstenose"},
	}
	for _, m := range metas {
		got, ok := headMeta(t, page, m.key)
		if !ok || got != m.want {
			t.Errorf("meta %s = %q (present %v), want %q", m.key, got, ok, m.want)
		}
	}
	if card, ok := headMeta(t, page, "twitter:card"); !ok || (card != "summary" && card != "summary_large_image") {
		t.Errorf("twitter:card = %q (present %v)", card, ok)
	}

	ld := jsonLDBlocks(t, page)
	if len(ld) != 1 {
		t.Fatalf("%d JSON-LD blocks, want 1", len(ld))
	}
	d := ld[0]
	if !typeHas(d["@type"], "BlogPosting") {
		t.Errorf("JSON-LD @type = %v, want it to contain BlogPosting", d["@type"])
	}
	if d["datePublished"] != "2025-07-10" {
		t.Errorf("datePublished = %v", d["datePublished"])
	}
	if d["dateModified"] != "2025-07-10" {
		t.Errorf("dateModified = %v", d["dateModified"])
	}
	if d["headline"] != "5 bedste øvelser til spinalstenose" {
		t.Errorf("headline = %v", d["headline"])
	}
	author, _ := d["author"].(map[string]any)
	if author["@type"] != "Person" || author["name"] != "Anders Hammer" {
		t.Errorf("author = %v, want Person Anders Hammer", d["author"])
	}
	if d["@context"] != "https://schema.org" {
		t.Errorf("@context = %v", d["@context"])
	}
}

// pageText is the text a reader sees on an HTML page: text nodes with
// entities decoded, outside <head>, <script>, <style> and <nav> (so a
// heading is not found only in the table of contents), with a space at
// every block boundary. alts are the alt texts of images and of the
// placeholders drawn for missing images.
func pageText(t testing.TB, page []byte) (text string, alts []string) {
	t.Helper()
	block := map[string]bool{
		"p": true, "li": true, "ul": true, "ol": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
		"div": true, "br": true, "article": true, "section": true, "nav": true, "header": true, "footer": true, "main": true,
		"aside": true, "blockquote": true, "pre": true, "table": true, "tr": true, "td": true, "th": true, "figure": true, "figcaption": true, "hr": true,
	}
	var b strings.Builder
	skip := 0
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				t.Fatalf("tokenizer: %v", z.Err())
			}
			return strings.Join(strings.Fields(b.String()), " "), alts
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			switch tok.Data {
			case "head", "script", "style", "template", "nav":
				if tt == html.StartTagToken {
					skip++
				}
			case "img":
				for _, a := range tok.Attr {
					if a.Key == "alt" {
						alts = append(alts, strings.Join(strings.Fields(a.Val), " "))
					}
				}
			case "span":
				var class, label string
				for _, a := range tok.Attr {
					switch a.Key {
					case "class":
						class = a.Val
					case "aria-label":
						label = a.Val
					}
				}
				if strings.Contains(class, "img-missing") {
					alts = append(alts, strings.Join(strings.Fields(label), " "))
				}
			}
			if block[tok.Data] {
				b.WriteByte(' ')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "head", "script", "style", "template", "nav":
				skip--
			}
			if block[string(name)] {
				b.WriteByte(' ')
			}
		}
	}
}

var (
	mdImageRE    = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)`)
	mdLinkRE     = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	mdAutoLinkRE = regexp.MustCompile(`<((?:https?|mailto):[^>\s]+)>`)
	mdEscapeRE   = regexp.MustCompile("\\\\([!-/:-@\\[-`{-~])")
	mdHeadingRE  = regexp.MustCompile(`^#{1,6}(?:\s+|$)`)
	mdItemRE     = regexp.MustCompile(`^(?:[*+-]|\d{1,9}[.)])\s+`)
)

func normalize(s string) string { return strings.Join(strings.Fields(s), " ") }

// stripInline turns a line of Markdown into its text; images are removed
// from the text and their alt texts returned.
func stripInline(s string) (text string, alts []string) {
	s = mdImageRE.ReplaceAllStringFunc(s, func(m string) string {
		alts = append(alts, normalize(mdImageRE.FindStringSubmatch(m)[1]))
		return " "
	})
	s = mdLinkRE.ReplaceAllString(s, "$1")
	s = mdAutoLinkRE.ReplaceAllString(s, "$1")
	s = strings.NewReplacer("**", "", "__", "", "`", "").Replace(s)
	s = mdEscapeRE.ReplaceAllString(s, "$1")
	return normalize(s), alts
}

// markdownBlocks splits an article body into the texts a reader must find
// on the page: headings, paragraphs and list items (each without its
// Markdown), and separately the images' alt texts.
func markdownBlocks(body string) (texts, alts []string) {
	var cur []string
	flush := func() {
		if len(cur) == 0 {
			return
		}
		txt, a := stripInline(strings.Join(cur, " "))
		alts = append(alts, a...)
		if txt != "" {
			texts = append(texts, txt)
		}
		cur = nil
	}
	for _, line := range strings.Split(body, "\n") {
		l := strings.TrimSpace(line)
		switch {
		case l == "":
			flush()
		case mdHeadingRE.MatchString(l):
			flush()
			cur = []string{strings.TrimRight(mdHeadingRE.ReplaceAllString(l, ""), "# ")}
			flush()
		case mdItemRE.MatchString(l):
			flush()
			cur = []string{mdItemRE.ReplaceAllString(l, "")}
		default:
			cur = append(cur, l)
		}
	}
	flush()
	return texts, alts
}

// stripFrontMatter returns what follows the closing --- of the front matter.
func stripFrontMatter(t testing.TB, src string) string {
	t.Helper()
	src = strings.ReplaceAll(src, "\r\n", "\n")
	lines := strings.Split(src, "\n")
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != "---" {
		t.Fatal("seed does not start with ---")
	}
	for i := 1; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) == "---" {
			return strings.Join(lines[i+1:], "\n")
		}
	}
	t.Fatal("seed front matter is not closed")
	return ""
}

func TestMarkdownBlocks(t *testing.T) {
	t.Parallel()
	body := "![Alt *én*](/images/a.png)\n## Overskrift ##\n\nLinje et\nlinje [to](http://x) \\*\n\n* punkt **fed**\n* andet\n\n1. Kilde.  \n [ www.x.dk](http://www.x.dk)\n2. Næste\n"
	texts, alts := markdownBlocks(body)
	wantTexts := []string{"Overskrift", "Linje et linje to *", "punkt fed", "andet", "Kilde. www.x.dk", "Næste"}
	if diff := cmp.Diff(wantTexts, texts); diff != "" {
		t.Errorf("texts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Alt *én*"}, alts); diff != "" {
		t.Errorf("alts (-want +got):\n%s", diff)
	}
}

// TestEverySeedBlockOnPage checks that no text of the seed article is lost
// on its way to the page: every heading, paragraph, list item, link text
// and image alt text.
func TestEverySeedBlockOnPage(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile(seedFile)
	if err != nil {
		t.Fatal(err)
	}
	texts, alts := markdownBlocks(stripFrontMatter(t, string(src)))
	if len(texts) < 30 || len(alts) < 5 {
		t.Fatalf("found only %d text blocks and %d images in the seed: the splitter is broken", len(texts), len(alts))
	}
	t.Logf("%d text blocks, %d images", len(texts), len(alts))
	h := builtinHandler(t)
	for _, path := range []string{articlePath, "/en" + articlePath} {
		t.Run(path, func(t *testing.T) {
			page := mustGet(t, h, path, 200).Body.Bytes()
			text, pageAlts := pageText(t, page)
			for _, want := range texts {
				if !strings.Contains(text, want) {
					t.Errorf("text block missing from the page:\n%q", want)
				}
			}
			for _, want := range alts {
				if !contains(pageAlts, want) {
					t.Errorf("image alt text %q is not on the page (as <img alt> or placeholder); page has %q", want, pageAlts)
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestProgrammeIntroInBothLanguages: the programme page's introduction is
// the Danish one in Danish and the English one, not marked Danish, in
// English.
func TestProgrammeIntroInBothLanguages(t *testing.T) {
	t.Parallel()
	h := builtinHandler(t)
	da := mustGet(t, h, "/program/5-bedste-oevelser", 200).Body.String()
	en := mustGet(t, h, "/en/program/5-bedste-oevelser", 200).Body.String()
	if !strings.Contains(da, `<div class="prose"><p>Programmet bygger på`) {
		t.Errorf("Danish programme page: no Danish introduction")
	}
	if !strings.Contains(en, `<div class="prose"><p>The programme follows`) || strings.Contains(en, "Programmet bygger på") {
		t.Errorf("English programme page: no English introduction")
	}
}

func TestEnglishArticlePage(t *testing.T) {
	t.Parallel()
	h := builtinHandler(t)
	body := mustGet(t, h, "/en"+articlePath, 200).Body.String()
	for _, want := range []string{
		`<html lang="en">`,
		`<meta property="og:locale" content="en_GB">`,
		`<article class="wrap" lang="da">`, // the article's Danish text
		`<article class="wrap" lang="da">`,
		`<time datetime="2025-07-10">10 July 2025</time>`,
		`>Home</a>`,
		`>Articles</a>`,
		`href="/en/blog/"`,
		`href="/en/forfatter/anders-hammer"`,
		`<link rel="canonical" href="https://klinik.example/en/blog/5-bedste-oevelser-til-spinalstenose">`,
		`<h1>5 bedste øvelser til spinalstenose</h1>`, // the article stays Danish
		`>Dansk</a>`,
		`href="/blog/5-bedste-oevelser-til-spinalstenose"`, // the language switch
	} {
		if !strings.Contains(body, want) {
			t.Errorf("English article page lacks %q", want)
		}
	}
	for _, bad := range []string{">Forside</a>", "10. juli 2025", "Updated"} {
		if strings.Contains(body, bad) {
			t.Errorf("English article page contains %q", bad)
		}
	}
}

const testAuthor = "---\nname: Anna Andersen\ntitle: Fysioterapeut\n---\n"

func article(title, published, updated, body string) string {
	s := "---\ntitle: \"" + title + "\"\ndatePublished: " + published + "\n"
	if updated != "" {
		s += "lastUpdated: " + updated + "\n"
	}
	return s + "author: anna\n---\n\n" + body + "\n"
}

func TestUpdatedDate(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"authors/anna.md":        {Data: []byte(testAuthor)},
		"blog/opdateret.md":      {Data: []byte(article("Ændret artikel", "01-03-2025", "15-04-2025", "Første afsnit."))},
		"blog/ikke-opdateret.md": {Data: []byte(article("Uændret artikel", "01-02-2025", "", "Tekst."))},
	}
	s := load(t, fsys)
	if len(s.Problems()) != 0 {
		t.Errorf("problems: %v", s.Problems())
	}
	h := s.Handler()
	tests := []struct {
		path      string
		want, not []string
		modified  string
	}{
		{
			path:     "/blog/opdateret",
			want:     []string{`Opdateret <time datetime="2025-04-15">15. april 2025</time>`, `<time datetime="2025-03-01">1. marts 2025</time>`},
			modified: "2025-04-15",
		},
		{
			path:     "/en/blog/opdateret",
			want:     []string{`Updated <time datetime="2025-04-15">15 April 2025</time>`, `<time datetime="2025-03-01">1 March 2025</time>`},
			not:      []string{"Opdateret"},
			modified: "2025-04-15",
		},
		{
			path:     "/blog/ikke-opdateret",
			want:     []string{`<time datetime="2025-02-01">1. februar 2025</time>`},
			not:      []string{"Opdateret"},
			modified: "2025-02-01",
		},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			page := mustGet(t, h, tt.path, 200).Body.Bytes()
			for _, w := range tt.want {
				if !bytes.Contains(page, []byte(w)) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, w := range tt.not {
				if bytes.Contains(page, []byte(w)) {
					t.Errorf("page contains %q", w)
				}
			}
			if got := jsonLDBlocks(t, page)[0]["dateModified"]; got != tt.modified {
				t.Errorf("JSON-LD dateModified = %v, want %s", got, tt.modified)
			}
			if got, _ := headMeta(t, page, "article:modified_time"); got != tt.modified {
				t.Errorf("article:modified_time = %q, want %s", got, tt.modified)
			}
		})
	}
	sitemap := mustGet(t, h, "/sitemap.xml", 200).Body.String()
	if !strings.Contains(sitemap, "<lastmod>2025-04-15</lastmod>") {
		t.Error("sitemap lacks lastmod 2025-04-15 of the updated article")
	}
}

func TestETag(t *testing.T) {
	t.Parallel()
	h := builtinHandler(t)
	first := mustGet(t, h, articlePath, 200)
	etag := first.Header().Get("ETag")
	if !regexp.MustCompile(`^"[^"]+"$`).MatchString(etag) {
		t.Fatalf("ETag = %q, want a strong quoted tag", etag)
	}
	if cc := first.Header().Get("Cache-Control"); cc == "" {
		t.Error("no Cache-Control on a page")
	}
	if again := get(h, articlePath).Header().Get("ETag"); again != etag {
		t.Errorf("ETag changed between requests: %q, %q", etag, again)
	}
	if other := get(h, "/").Header().Get("ETag"); other == etag {
		t.Error("two different pages have the same ETag")
	}
	tests := []struct {
		inm  string
		want int
	}{
		{etag, 304},
		{"W/" + etag, 304},
		{`"nope", ` + etag, 304},
		{`"a","b",` + etag + `,"c"`, 304},
		{"*", 304},
		{`"nope"`, 200},
		{`W/"nope", "other"`, 200},
		{strings.Trim(etag, `"`), 200}, // unquoted is not the tag
		{etag[:len(etag)-2] + `"`, 200},
		{"", 200},
	}
	for _, tt := range tests {
		t.Run(tt.inm, func(t *testing.T) {
			w := get(h, articlePath, "If-None-Match", tt.inm)
			if w.Code != tt.want {
				t.Fatalf("status %d, want %d", w.Code, tt.want)
			}
			if tt.want == 304 {
				if w.Body.Len() != 0 {
					t.Errorf("304 with a %d-byte body", w.Body.Len())
				}
				if got := w.Header().Get("ETag"); got != etag {
					t.Errorf("304 ETag = %q, want %q", got, etag)
				}
			} else if !bytes.Equal(w.Body.Bytes(), first.Body.Bytes()) {
				t.Error("200 body differs from the first response")
			}
		})
	}
	t.Run("404 page never 304", func(t *testing.T) {
		nf := get(h, "/blog/findes-ikke")
		w := get(h, "/blog/findes-ikke", "If-None-Match", "*")
		if w.Code != 404 || !bytes.Equal(w.Body.Bytes(), nf.Body.Bytes()) {
			t.Errorf("404 with If-None-Match: * = %d", w.Code)
		}
	})
}

func gunzip(t testing.TB, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gzip: %v", err)
	}
	return out
}

func TestGzip(t *testing.T) {
	t.Parallel()
	h := builtinHandler(t)
	for _, path := range []string{articlePath, "/", "/en" + articlePath, "/sitemap.xml", "/feed.xml", stylesheet(t, h)} {
		t.Run(path, func(t *testing.T) {
			id := mustGet(t, h, path, 200)
			gz := mustGet(t, h, path, 200, "Accept-Encoding", "gzip, deflate, br")
			if got := gz.Header().Get("Content-Encoding"); got != "gzip" {
				t.Fatalf("Content-Encoding = %q, want gzip", got)
			}
			if got := id.Header().Get("Content-Encoding"); got != "" {
				t.Errorf("identity response has Content-Encoding %q", got)
			}
			for _, w := range []*httptest.ResponseRecorder{id, gz} {
				if got := w.Header().Get("Vary"); !strings.Contains(got, "Accept-Encoding") {
					t.Errorf("Vary = %q, want Accept-Encoding", got)
				}
				if got, want := w.Header().Get("Content-Length"), fmt.Sprint(w.Body.Len()); got != want {
					t.Errorf("Content-Length = %s, body is %s bytes", got, want)
				}
			}
			if gz.Body.Len() >= id.Body.Len() {
				t.Errorf("gzip body (%d) is not smaller than identity (%d)", gz.Body.Len(), id.Body.Len())
			}
			if !bytes.Equal(gunzip(t, gz.Body.Bytes()), id.Body.Bytes()) {
				t.Fatal("gzip body does not decompress to the identity body")
			}
			if gz.Header().Get("Content-Type") != id.Header().Get("Content-Type") {
				t.Error("Content-Type differs between gzip and identity")
			}
			idTag, gzTag := id.Header().Get("ETag"), gz.Header().Get("ETag")
			if idTag == "" || gzTag == "" || idTag == gzTag {
				t.Fatalf("ETags: identity %q, gzip %q: want two different tags", idTag, gzTag)
			}
			for _, ae := range []string{"", "gzip"} {
				for _, tag := range []string{idTag, gzTag} {
					w := get(h, path, "Accept-Encoding", ae, "If-None-Match", tag)
					if w.Code != 304 || w.Body.Len() != 0 {
						t.Errorf("Accept-Encoding %q, If-None-Match %s: %d with %d bytes, want 304 empty", ae, tag, w.Code, w.Body.Len())
					}
					if ae == "gzip" && w.Header().Get("ETag") != gzTag {
						t.Errorf("304 for gzip carries ETag %q, want %q", w.Header().Get("ETag"), gzTag)
					}
				}
			}
		})
	}
	t.Run("Accept-Encoding", func(t *testing.T) {
		tests := []struct {
			ae   string
			gzip bool
		}{
			{"gzip", true},
			{"GZIP", true},
			{"deflate, gzip", true},
			{"br;q=1.0, gzip;q=0.8", true},
			{"gzip;q=0.5", true},
			{"gzip; q=0.001", true},
			{"gzip;q=0", false},
			{"gzip; q=0", false},
			{"gzip ;q=0.0", false},
			{"gzip;q=0.000", false},
			{"gzip;Q=0", false}, // parameter names are case-insensitive (RFC 9110 §5.6.6, §12.4.2)
			{"deflate, gzip;q=0", false},
			{"br", false},
			{"identity", false},
			{"", false},
			{"gzipx", false},
			{"x-gzip2", false},
		}
		for _, tt := range tests {
			w := mustGet(t, h, articlePath, 200, "Accept-Encoding", tt.ae)
			got := w.Header().Get("Content-Encoding") == "gzip"
			if got != tt.gzip {
				t.Errorf("Accept-Encoding %q: gzip = %v, want %v", tt.ae, got, tt.gzip)
			}
		}
	})
	t.Run("small and 404 responses stay identity", func(t *testing.T) {
		for _, path := range []string{"/robots.txt", "/blog/findes-ikke"} {
			w := get(h, path, "Accept-Encoding", "gzip")
			if ce := w.Header().Get("Content-Encoding"); ce != "" {
				if ce != "gzip" {
					t.Errorf("%s: Content-Encoding %q", path, ce)
				}
				gunzip(t, w.Body.Bytes())
			}
		}
	})
}

func TestHeadAndMethods(t *testing.T) {
	t.Parallel()
	h := builtinHandler(t)
	for _, path := range []string{articlePath, "/", "/sitemap.xml", stylesheet(t, h)} {
		t.Run(path, func(t *testing.T) {
			g := mustGet(t, h, path, 200)
			w := serve(h, http.MethodHead, path)
			if w.Code != 200 {
				t.Fatalf("HEAD status %d", w.Code)
			}
			if w.Body.Len() != 0 {
				t.Errorf("HEAD has a %d-byte body", w.Body.Len())
			}
			for _, k := range []string{"Content-Type", "Content-Length", "ETag", "Cache-Control"} {
				if w.Header().Get(k) != g.Header().Get(k) {
					t.Errorf("HEAD %s = %q, GET has %q", k, w.Header().Get(k), g.Header().Get(k))
				}
			}
			for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch, "OPTIONS"} {
				w := serve(h, m, path)
				if w.Code != http.StatusMethodNotAllowed {
					t.Errorf("%s: status %d, want 405", m, w.Code)
				}
				if got := w.Header().Get("Allow"); got != "GET, HEAD" {
					t.Errorf("%s: Allow = %q, want GET, HEAD", m, got)
				}
			}
		})
	}
	t.Run("HEAD 404", func(t *testing.T) {
		w := serve(h, http.MethodHead, "/blog/findes-ikke")
		if w.Code != 404 || w.Body.Len() != 0 {
			t.Errorf("HEAD 404: %d with %d bytes", w.Code, w.Body.Len())
		}
	})
}

var stylesheetRE = regexp.MustCompile(`<link rel="stylesheet" href="(/static/style\.[0-9a-f]+\.css)">`)

// stylesheet is the fingerprinted CSS address the home page links to.
func stylesheet(t testing.TB, h http.Handler) string {
	t.Helper()
	w := get(h, "/")
	m := stylesheetRE.FindStringSubmatch(w.Body.String())
	if m == nil {
		t.Fatal("home page has no <link rel=stylesheet href=/static/style.<hash>.css>")
	}
	return m[1]
}

func TestStaticFiles(t *testing.T) {
	t.Parallel()
	h := builtinHandler(t)
	css := stylesheet(t, h)
	w := mustGet(t, h, css, 200)
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("Content-Type = %q, want text/css", ct)
	}
	cc := w.Header().Get("Cache-Control")
	if !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
		t.Errorf("Cache-Control = %q, want max-age=31536000 and immutable", cc)
	}
	if w.Body.Len() == 0 {
		t.Error("empty stylesheet")
	}
	for _, path := range []string{articlePath, "/en/", "/blog/findes-ikke"} {
		if b := get(h, path).Body.String(); !strings.Contains(b, `href="`+css+`"`) {
			t.Errorf("%s does not link %s", path, css)
		}
	}
	icon := regexp.MustCompile(`<link rel="icon" href="(/static/icon\.[0-9a-f]+\.svg)"`).FindStringSubmatch(get(h, "/").Body.String())
	if icon == nil {
		t.Fatal("no fingerprinted icon link")
	}
	w = mustGet(t, h, icon[1], 200)
	if ct := w.Header().Get("Content-Type"); ct != "image/svg+xml" {
		t.Errorf("icon Content-Type = %q", ct)
	}
	// An old fingerprint is gone, not served stale.
	mustGet(t, h, "/static/style.0000000000.css", 404)
	mustGet(t, h, "/static/style.css", 404)
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	h := builtinHandler(t)
	tests := []struct {
		path      string
		want, not []string
	}{
		{"/blog/findes-ikke", []string{"Siden findes ikke", `<html lang="da">`, `href="/blog/"`}, []string{"Page not found"}},
		{"/findes/slet/ikke", []string{"Siden findes ikke"}, nil},
		{"/404.html", []string{"Siden findes ikke"}, nil},
		{"/en/nope", []string{"Page not found", `<html lang="en">`, `href="/en/blog/"`}, []string{"Siden findes ikke"}},
		{"/en/blog/findes-ikke", []string{"Page not found"}, nil},
		{"/english", []string{"Siden findes ikke"}, nil},
		{"/forfatter/ingen", []string{"Siden findes ikke"}, nil},
		{"/blog/side/2", []string{"Siden findes ikke"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			w := get(h, tt.path)
			if w.Code != 404 {
				t.Fatalf("status %d, want 404", w.Code)
			}
			if ct := w.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			b := w.Body.String()
			for _, s := range tt.want {
				if !strings.Contains(b, s) {
					t.Errorf("404 page lacks %q", s)
				}
			}
			for _, s := range tt.not {
				if strings.Contains(b, s) {
					t.Errorf("404 page contains %q", s)
				}
			}
			if got, want := w.Header().Get("Content-Length"), fmt.Sprint(w.Body.Len()); got != want {
				t.Errorf("Content-Length = %s, body is %s bytes", got, want)
			}
		})
	}
}

func TestRedirects(t *testing.T) {
	t.Parallel()
	h := builtinHandler(t)
	tests := []struct {
		method, path, to string
	}{
		{"GET", "/blog", "/blog/"},
		{"HEAD", "/blog", "/blog/"},
		{"GET", "/en", "/en/"},
		{"GET", "/en/blog", "/en/blog/"},
		{"GET", articlePath + "/", articlePath},
		{"GET", "/en" + articlePath + "/", "/en" + articlePath},
		{"GET", articlePath + ".md", articlePath},
		{"GET", "/forfatter/anders-hammer/", "/forfatter/anders-hammer"},
		{"GET", "/blog/index.html", "/blog/"},
		{"GET", "/index.html", "/"},
		{"GET", "/blog/side/1", "/blog/"},
		{"GET", "/en/blog/side/1", "/en/blog/"},
		{"GET", "/blog?x=1", "/blog/?x=1"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			w := serve(h, tt.method, tt.path)
			if w.Code != http.StatusMovedPermanently {
				t.Fatalf("status %d, want 301", w.Code)
			}
			if got := w.Header().Get("Location"); got != tt.to {
				t.Errorf("Location = %q, want %q", got, tt.to)
			}
			if tt.method == "HEAD" && w.Body.Len() != 0 {
				t.Errorf("HEAD redirect has a body")
			}
		})
	}
	t.Run("no redirect for POST", func(t *testing.T) {
		if w := serve(h, http.MethodPost, "/blog"); w.Code == http.StatusMovedPermanently {
			t.Errorf("POST /blog redirected")
		}
	})
}

func TestSitemap(t *testing.T) {
	t.Parallel()
	h := builtinHandler(t)
	w := mustGet(t, h, "/sitemap.xml", 200)
	var set struct {
		XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
		URLs    []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(w.Body.Bytes(), &set); err != nil {
		t.Fatalf("sitemap.xml does not parse: %v", err)
	}
	got := map[string]string{}
	for _, u := range set.URLs {
		if _, dup := got[u.Loc]; dup {
			t.Errorf("%s is listed twice", u.Loc)
		}
		got[u.Loc] = u.LastMod
		if !strings.HasPrefix(u.Loc, baseURL+"/") {
			t.Errorf("loc %q does not start with the base URL", u.Loc)
			continue
		}
		// Every address in the sitemap is a page.
		if w := get(h, strings.TrimPrefix(u.Loc, baseURL)); w.Code != 200 {
			t.Errorf("sitemap lists %s, which answers %d", u.Loc, w.Code)
		}
	}
	for _, loc := range []string{baseURL + articlePath, baseURL + "/en" + articlePath} {
		lm, ok := got[loc]
		if !ok {
			t.Errorf("sitemap lacks %s", loc)
		} else if lm != "2025-07-10" {
			t.Errorf("%s lastmod = %q, want 2025-07-10", loc, lm)
		}
	}
	for _, loc := range []string{"/", "/blog/", "/en/", "/en/blog/", "/forfatter/anders-hammer", "/en/forfatter/anders-hammer"} {
		if _, ok := got[baseURL+loc]; !ok {
			t.Errorf("sitemap lacks %s", baseURL+loc)
		}
	}
	if !strings.Contains(w.Body.String(), "<lastmod>2025-07-10</lastmod>") {
		t.Error("sitemap text lacks <lastmod>2025-07-10</lastmod>")
	}
}

func TestFeed(t *testing.T) {
	t.Parallel()
	h := builtinHandler(t)
	w := mustGet(t, h, "/feed.xml", 200)
	var feed struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		Title   string   `xml:"title"`
		ID      string   `xml:"id"`
		Updated string   `xml:"updated"`
		Links   []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Entries []struct {
			Title     string `xml:"title"`
			ID        string `xml:"id"`
			Published string `xml:"published"`
			Updated   string `xml:"updated"`
			Author    struct {
				Name string `xml:"name"`
			} `xml:"author"`
			Link struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
			Content struct {
				Type string `xml:"type,attr"`
				Body string `xml:",chardata"`
			} `xml:"content"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(w.Body.Bytes(), &feed); err != nil {
		t.Fatalf("feed.xml does not parse as Atom: %v", err)
	}
	if feed.Title == "" || feed.ID == "" {
		t.Errorf("feed title %q, id %q", feed.Title, feed.ID)
	}
	if _, err := time.Parse(time.RFC3339, feed.Updated); err != nil {
		t.Errorf("feed updated %q: %v", feed.Updated, err)
	}
	self := false
	for _, l := range feed.Links {
		if l.Rel == "self" && l.Href == baseURL+"/feed.xml" {
			self = true
		}
	}
	if !self {
		t.Errorf("no rel=self link to %s/feed.xml: %+v", baseURL, feed.Links)
	}
	if len(feed.Entries) != 1 {
		t.Fatalf("%d entries, want 1", len(feed.Entries))
	}
	e := feed.Entries[0]
	if e.ID != baseURL+articlePath || e.Link.Href != baseURL+articlePath {
		t.Errorf("entry id %q, link %q; want %s", e.ID, e.Link.Href, baseURL+articlePath)
	}
	for name, v := range map[string]string{"updated": e.Updated, "published": e.Published} {
		ts, err := time.Parse(time.RFC3339, v)
		if err != nil {
			t.Errorf("entry %s %q is not RFC 3339: %v", name, v, err)
		} else if got := ts.Format("2006-01-02"); got != "2025-07-10" {
			t.Errorf("entry %s = %s, want 2025-07-10", name, got)
		}
	}
	if e.Title != "5 bedste øvelser til spinalstenose" || e.Author.Name != "Anders Hammer" {
		t.Errorf("entry title %q, author %q", e.Title, e.Author.Name)
	}
	if e.Content.Type != "html" || !strings.Contains(e.Content.Body, "<h2 id=\"hvad-er-spinalstenose\">") {
		t.Errorf("entry content (type %q) lacks the article HTML: %.200q", e.Content.Type, e.Content.Body)
	}
}

// TestArticleHTMLIsSafe renders articles that try to smuggle script into
// the page, with and without a '<' in the source (the sanitiser may only
// run for the former), and checks that nothing that runs reaches the page.
func TestArticleHTMLIsSafe(t *testing.T) {
	t.Parallel()
	bodies := map[string]string{
		"links": "[a](javascript:alert(1)) [b](JavaScript:alert(1)) [c](vbscript:msgbox(1)) " +
			"[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [e](&#106;avascript:alert(1)) " +
			"[f](&#x6A;avascript&#58;alert(1)) [g](java&#x09;script:alert(1)) [h](file:///etc/passwd)",
		"images":     "![a](javascript:alert(1)) ![b](data:text/html,x) ![c](&#106;avascript:alert(1))",
		"references": "[a][x] [b][y]\n\n[x]: javascript:alert(1)\n[y]: <javascript:alert(1)>",
		"plain refs": "[a][x] [b][y] ![c][z]\n\n[x]: javascript:alert(1)\n[y]: &#106;avascript:alert(1) \"t\"\n[z]: vbscript:x",
		"entities":   "&lt;script&gt;alert(1)&lt;/script&gt; &#60;img src=x onerror=alert(1)&#62; \\<script\\>",
		"raw html":   "<script>alert(1)</script> <img src=x onerror=alert(1)> <a href=\"javascript:alert(1)\">x</a> <iframe src=//x></iframe> <style>*{}</style>",
		"autolinks":  "<javascript:alert(1)> <vbscript:x> https://x.example/?q=\"onmouseover=alert(1)",
		"attributes": "[a](/x \"onmouseover=alert(1)\") ![b](/y \"\\\" onerror=alert(1) \\\"\")",
		"code":       "`<script>alert(1)</script>`\n\n    <script>alert(2)</script>\n\n```html\n<script>alert(3)</script>\n```",
		"headings":   "## <script>alert(1)</script>\n\n## a \" onclick=\"x\n\n## b\n\n## c",
	}
	fsys := fstest.MapFS{"authors/anna.md": {Data: []byte(testAuthor)}}
	var slugs []string
	for name, body := range bodies {
		slug := strings.ReplaceAll(name, " ", "-")
		slugs = append(slugs, slug)
		fsys["blog/"+slug+".md"] = &fstest.MapFile{Data: []byte(article("Prøve "+name, "01-03-2025", "", "Indledning.\n\n"+body))}
	}
	sort.Strings(slugs)
	s := load(t, fsys)
	if n := len(s.Index().Articles); n != len(bodies) {
		t.Fatalf("%d articles, want %d: %v", n, len(bodies), s.Problems())
	}
	h := s.Handler()
	dangerous := regexp.MustCompile(`(?i)(href|src|action|formaction|xlink:href)\s*=\s*["']?\s*(javascript|vbscript|data:text|file):`)
	for _, slug := range slugs {
		t.Run(slug, func(t *testing.T) {
			page := mustGet(t, h, "/blog/"+slug, 200).Body.Bytes()
			if m := dangerous.Find(page); m != nil {
				t.Errorf("dangerous URL on the page: %s", m)
			}
			z := html.NewTokenizer(bytes.NewReader(page))
			scripts := 0
			for {
				tt := z.Next()
				if tt == html.ErrorToken {
					break
				}
				if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
					continue
				}
				tok := z.Token()
				switch tok.Data {
				case "script":
					scripts++
					ok := false
					for _, a := range tok.Attr {
						ok = ok || (a.Key == "type" && a.Val == "application/ld+json")
					}
					if !ok {
						t.Errorf("a <script> that runs: %s", tok)
					}
				case "iframe", "object", "embed", "style", "form", "base", "meta", "link":
					if !bytes.Contains(page[:bytes.Index(page, []byte("</head>"))], []byte(tok.String())) {
						t.Errorf("<%s> in the body: %s", tok.Data, tok)
					}
				}
				for _, a := range tok.Attr {
					if strings.HasPrefix(strings.ToLower(a.Key), "on") || a.Key == "style" || a.Key == "srcdoc" {
						t.Errorf("attribute %s on <%s>: %s", a.Key, tok.Data, tok)
					}
				}
			}
			if scripts != 1 {
				t.Errorf("%d <script> elements, want 1 (the JSON-LD)", scripts)
			}
		})
	}
}

func TestRobots(t *testing.T) {
	t.Parallel()
	w := mustGet(t, builtinHandler(t), "/robots.txt", 200)
	if !strings.Contains(w.Body.String(), "Sitemap: https://klinik.example/sitemap.xml") {
		t.Errorf("robots.txt = %q", w.Body.String())
	}
}

func TestBaseURLTrailingSlash(t *testing.T) {
	t.Parallel()
	s, err := site.Load(stenose.Content(), site.Options{BaseURL: baseURL + "/", Logger: discard})
	if err != nil {
		t.Fatal(err)
	}
	body := mustGet(t, s.Handler(), articlePath, 200).Body.String()
	if !strings.Contains(body, `<link rel="canonical" href="https://klinik.example/blog/`+articleSlug+`">`) {
		t.Error("a trailing slash on BaseURL breaks the canonical link")
	}
}

func TestBrokenFolder(t *testing.T) {
	t.Parallel()
	s := load(t, os.DirFS(brokenDir))
	probs := s.Problems()
	if !probs.HasErrors() {
		t.Error("Problems() has no errors")
	}
	if len(probs) != 9 {
		t.Errorf("%d problems, want 9:\n%v", len(probs), probs)
	}
	h := s.Handler()
	for _, tt := range []struct {
		path   string
		status int
	}{
		{"/blog/god-artikel", 200},
		{"/blog/manglende-billede", 200},
		{"/blog/ukendt-noegle", 200},
		{"/blog/samme-slug", 200},
		{"/en/blog/god-artikel", 200},
		{"/blog/umulig-dato", 404},
		{"/blog/mangler-titel", 404},
		{"/blog/forkert-datoformat", 404},
		{"/blog/opdateret-foer-udgivet", 404},
		{"/blog/ugyldig-yaml", 404},
		{"/blog/ukendt-forfatter", 404},
		{"/", 200},
		{"/blog/", 200},
	} {
		if w := get(h, tt.path); w.Code != tt.status {
			t.Errorf("GET %s = %d, want %d", tt.path, w.Code, tt.status)
		}
	}
	page := mustGet(t, h, "/blog/manglende-billede", 200).Body.String()
	if !strings.Contains(page, `class="img-missing"`) || !strings.Contains(page, "Et billede der mangler") {
		t.Error("manglende-billede lacks the img-missing placeholder with its alt text")
	}
	if strings.Contains(page, `<img src="/images/findes-ikke.png"`) || strings.Contains(page, `src="/images/findes-ikke.png"`) {
		t.Error("manglende-billede links the missing image")
	}
	list := mustGet(t, h, "/blog/", 200).Body.String()
	for _, bad := range []string{"Umulig dato", "Ugyldig YAML", "Kun en metatitel"} {
		if strings.Contains(list, bad) {
			t.Errorf("/blog/ lists the broken article %q", bad)
		}
	}
}

// manyArticles is a content folder with n articles, one a day from
// 1 January 2024, so the newest is number n.
func manyArticles(n int) fstest.MapFS {
	fsys := fstest.MapFS{"authors/anna.md": {Data: []byte(testAuthor)}}
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= n; i++ {
		d := day.AddDate(0, 0, i-1).Format("02-01-2006")
		fsys[fmt.Sprintf("blog/artikel-%03d.md", i)] = &fstest.MapFile{Data: []byte(article(
			fmt.Sprintf("Artikel nummer %d", i), d, "",
			fmt.Sprintf("Afsnit for artikel %d om spinalstenose.\n\n## Et\n\nTekst.\n\n## To\n\nTekst.\n\n## Tre\n\nTekst.", i)))}
	}
	return fsys
}

var cardRE = regexp.MustCompile(`<li class="card">`)

func TestPagination(t *testing.T) {
	t.Parallel()
	s := load(t, manyArticles(45))
	if n := len(s.Index().Articles); n != 45 {
		t.Fatalf("%d articles, want 45", n)
	}
	h := s.Handler()
	tests := []struct {
		path       string
		cards      int
		next, prev string
		first      string // the first card's article
	}{
		{"/blog/", 20, "/blog/side/2", "", "artikel-045"},
		{"/blog/side/2", 20, "/blog/side/3", "/blog/", "artikel-025"},
		{"/blog/side/3", 5, "", "/blog/side/2", "artikel-005"},
		{"/en/blog/", 20, "/en/blog/side/2", "", "artikel-045"},
		{"/en/blog/side/3", 5, "", "/en/blog/side/2", "artikel-005"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			b := mustGet(t, h, tt.path, 200).Body.String()
			if n := len(cardRE.FindAllString(b, -1)); n != tt.cards {
				t.Errorf("%d cards, want %d", n, tt.cards)
			}
			nextRE := regexp.MustCompile(`<a href="([^"]*)" rel="next">`)
			prevRE := regexp.MustCompile(`<a href="([^"]*)" rel="prev">`)
			for _, l := range []struct {
				re   *regexp.Regexp
				want string
			}{{nextRE, tt.next}, {prevRE, tt.prev}} {
				m := l.re.FindStringSubmatch(b)
				switch {
				case l.want == "" && m != nil:
					t.Errorf("unexpected link %s", m[0])
				case l.want != "" && (m == nil || m[1] != l.want):
					t.Errorf("link %v, want href %q", m, l.want)
				}
			}
			if i := strings.Index(b, `<li class="card">`); i < 0 || !strings.Contains(b[i:], tt.first) || strings.Index(b[i:], tt.first) > 300 {
				t.Errorf("first card is not %s", tt.first)
			}
		})
	}
	for _, p := range []string{"/blog/side/4", "/blog/side/0", "/blog/side/x", "/en/blog/side/4", "/blog/side/"} {
		if w := get(h, p); w.Code != 404 {
			t.Errorf("GET %s = %d, want 404", p, w.Code)
		}
	}
	for _, p := range []string{"/blog/side/1", "/blog/side/1/"} {
		w := get(h, p)
		if w.Code != 301 || w.Header().Get("Location") != "/blog/" {
			t.Errorf("GET %s = %d to %q, want 301 to /blog/", p, w.Code, w.Header().Get("Location"))
		}
	}
	// The home page shows the newest few, and every article is on exactly
	// one list page.
	seen := map[string]int{}
	for _, p := range []string{"/blog/", "/blog/side/2", "/blog/side/3"} {
		for _, m := range regexp.MustCompile(`href="/blog/(artikel-\d+)"`).FindAllStringSubmatch(get(h, p).Body.String(), -1) {
			seen[m[1]]++
		}
	}
	if len(seen) != 45 {
		t.Errorf("list pages show %d distinct articles, want 45", len(seen))
	}
	for slug, n := range seen {
		if n != 1 {
			t.Errorf("%s is shown %d times on the list pages", slug, n)
		}
	}
	home := mustGet(t, h, "/", 200).Body.String()
	if n := len(cardRE.FindAllString(home, -1)); n < 1 || n > 20 {
		t.Errorf("home page has %d cards", n)
	}
	var feed struct {
		Entries []struct{} `xml:"entry"`
	}
	if err := xml.Unmarshal(mustGet(t, h, "/feed.xml", 200).Body.Bytes(), &feed); err != nil {
		t.Fatal(err)
	}
	if len(feed.Entries) != site.FeedSize {
		t.Errorf("feed has %d entries, want %d", len(feed.Entries), site.FeedSize)
	}
}

func TestEmptySite(t *testing.T) {
	t.Parallel()
	s := load(t, fstest.MapFS{})
	h := s.Handler()
	for _, p := range []string{"/", "/blog/", "/en/", "/en/blog/", "/sitemap.xml", "/feed.xml", "/robots.txt", "/healthz"} {
		mustGet(t, h, p, 200)
	}
	if b := get(h, "/blog/").Body.String(); !strings.Contains(b, "Der er endnu ingen artikler.") {
		t.Error("empty /blog/ does not say there are no articles")
	}
	var feed struct {
		Entries []struct{} `xml:"entry"`
	}
	if err := xml.Unmarshal(get(h, "/feed.xml").Body.Bytes(), &feed); err != nil || len(feed.Entries) != 0 {
		t.Errorf("empty feed: %v, %d entries", err, len(feed.Entries))
	}
}

// urlFor maps a file written by Build to the URL path the handler serves
// the same bytes at, the way a static host does: X/index.html is /X (or
// /X/ for the list pages and home pages), X.html is /X, and 404.html is
// the not-found page.
func urlFor(rel string) string {
	rel = filepath.ToSlash(rel)
	dir, ok := strings.CutSuffix(rel, "index.html")
	if !ok {
		if page, ok := strings.CutSuffix(rel, ".html"); ok && path.Base(rel) != "404.html" {
			return "/" + page
		}
		return "/" + rel
	}
	dir = strings.TrimSuffix(dir, "/")
	switch dir {
	case "", "blog", "en", "en/blog", "oevelser", "en/oevelser":
		if dir == "" {
			return "/"
		}
		return "/" + dir + "/"
	}
	return "/" + dir
}

func TestURLFor(t *testing.T) {
	t.Parallel()
	for rel, want := range map[string]string{
		"index.html":                "/",
		"blog/index.html":           "/blog/",
		"en/blog/index.html":        "/en/blog/",
		"en/index.html":             "/en/",
		"blog/x/index.html":         "/blog/x",
		"blog/side/2/index.html":    "/blog/side/2",
		"static/style.abc.css":      "/static/style.abc.css",
		"404.html":                  "/404.html",
		"forfatter/a-b/index.html":  "/forfatter/a-b",
		"en/forfatter/a/index.html": "/en/forfatter/a",
		"blog/x.html":               "/blog/x",
		"en/404.html":               "/en/404.html",
	} {
		if got := urlFor(rel); got != want {
			t.Errorf("urlFor(%q) = %q, want %q", rel, got, want)
		}
	}
}

// checkBuild builds fsys and checks every file is what the handler serves.
func checkBuild(t *testing.T, fsys fs.FS, mustHave []string) {
	dir := t.TempDir()
	built, err := site.Build(fsys, testOptions(), dir)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	s := load(t, fsys)
	if diff := cmp.Diff(s.Problems(), built.Problems()); diff != "" {
		t.Errorf("Build and Load report different problems (-load +build):\n%s", diff)
	}
	h := s.Handler()
	files := map[string]string{} // URL path → file
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		if rel == site.ManifestName || rel == site.BuildCacheName {
			return nil // what the build wrote and read, not pages (build_test.go)
		}
		files[filepath.ToSlash(rel)] = p
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, site.ManifestName)); err != nil {
		t.Errorf("Build wrote no manifest: %v", err)
	}
	for _, rel := range mustHave {
		if _, ok := files[rel]; !ok {
			t.Errorf("Build did not write %s", rel)
		}
	}
	css := stylesheet(t, h)
	if _, ok := files[strings.TrimPrefix(css, "/")]; !ok {
		t.Errorf("Build did not write the stylesheet %s", css)
	}
	rels := make([]string, 0, len(files))
	for rel := range files {
		rels = append(rels, rel)
	}
	sort.Strings(rels)
	for _, rel := range rels {
		got, err := os.ReadFile(files[rel])
		if err != nil {
			t.Fatal(err)
		}
		urlPath, status := urlFor(rel), 200
		if strings.HasSuffix(rel, "404.html") {
			status = 404 // 404.html, en/404.html: the not-found page of the language
		}
		w := get(h, urlPath)
		if w.Code != status {
			t.Errorf("%s: the handler answers %s with %d, want %d", rel, urlPath, w.Code, status)
			continue
		}
		if !bytes.Equal(got, w.Body.Bytes()) {
			t.Errorf("%s (%d bytes) differs from what the handler serves at %s (%d bytes)", rel, len(got), urlPath, w.Body.Len())
		}
	}
	// The other way round: every page in the sitemap is a file.
	var set struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(get(h, "/sitemap.xml").Body.Bytes(), &set); err != nil {
		t.Fatal(err)
	}
	inverse := map[string]bool{}
	for rel := range files {
		inverse[urlFor(rel)] = true
	}
	for _, u := range set.URLs {
		if p := strings.TrimPrefix(u.Loc, baseURL); !inverse[p] {
			t.Errorf("sitemap page %s was not written", p)
		}
	}
}

func TestBuild(t *testing.T) {
	t.Parallel()
	checkBuild(t, stenose.Content(), []string{
		"index.html",
		"blog/index.html",
		"blog/" + articleSlug + ".html",
		"forfatter/anders-hammer.html",
		"en/index.html",
		"en/blog/index.html",
		"en/blog/" + articleSlug + ".html",
		"en/forfatter/anders-hammer.html",
		"404.html",
		"en/404.html",
		"sitemap.xml",
		"feed.xml",
		"robots.txt",
	})
}

func TestBuildPaginated(t *testing.T) {
	t.Parallel()
	checkBuild(t, manyArticles(45), []string{
		"blog/side/2.html",
		"blog/side/3.html",
		"en/blog/side/3.html",
		"blog/artikel-001.html",
		"blog/artikel-045.html",
	})
}

func TestBuildBroken(t *testing.T) {
	t.Parallel()
	checkBuild(t, os.DirFS(brokenDir), []string{"blog/god-artikel.html", "blog/manglende-billede.html"})
}

func TestBuildIntoFile(t *testing.T) {
	t.Parallel()
	f := filepath.Join(t.TempDir(), "fil")
	if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := site.Build(stenose.Content(), testOptions(), f); err == nil {
		t.Error("Build into a file: no error")
	}
}

func TestConcurrentRequests(t *testing.T) {
	t.Parallel()
	s := load(t, stenose.Content()) // fresh: the gzip variants are made under contention
	h := s.Handler()
	want := get(h, articlePath).Body.Bytes()
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			for range 20 {
				ae := ""
				if i%2 == 0 {
					ae = "gzip"
				}
				w := get(h, articlePath, "Accept-Encoding", ae)
				b := w.Body.Bytes()
				if ae == "gzip" {
					zr, err := gzip.NewReader(bytes.NewReader(b))
					if err == nil {
						b, err = io.ReadAll(zr)
					}
					if err != nil {
						t.Errorf("concurrent gzip response: %v", err)
						return
					}
				}
				if w.Code != 200 || !bytes.Equal(b, want) {
					t.Errorf("concurrent request: %d, body differs %v", w.Code, !bytes.Equal(b, want))
					return
				}
			}
		})
	}
	wg.Wait()
}

func FuzzHandler(f *testing.F) {
	s, err := builtin()
	if err != nil {
		f.Fatal(err)
	}
	h := s.Handler()
	etag := get(h, articlePath).Header().Get("ETag")
	f.Add("GET", articlePath, "gzip", etag)
	f.Add("GET", articlePath, "gzip;q=0", "W/"+etag)
	f.Add("HEAD", "/", "", "*")
	f.Add("GET", "/blog", "", "")
	f.Add("GET", "/blog/side/1?x=1", "br", "")
	f.Add("GET", articlePath+".md", "", "")
	f.Add("POST", articlePath, "gzip", "")
	f.Add("GET", "/en/nope", "deflate, gzip;q=0.5", `"a", "b"`)
	f.Add("GET", "/healthz", "", "")
	f.Add("GET", "/metrics", "gzip", "")
	f.Add("GET", "//evil.example/", "", "")
	f.Add("GET", "/blog/../../etc/passwd", "", "")
	f.Add("GET", "/%2e%2e/%00", ",,;;==", ",,W/")
	f.Add("PUT", "/blog/side/1/index.html", "gzip;q=", "W/")
	f.Fuzz(func(t *testing.T, method, target, ae, inm string) {
		if !isToken(method) || method == http.MethodConnect {
			t.Skip()
		}
		if !strings.HasPrefix(target, "/") || !validFieldValue(ae) || !validFieldValue(inm) {
			t.Skip()
		}
		r, err := http.NewRequest(method, "http://klinik.example"+target, nil)
		if err != nil || r.URL.Host != "klinik.example" || !strings.HasPrefix(r.URL.Path, "/") {
			t.Skip()
		}
		if ae != "" {
			r.Header.Set("Accept-Encoding", ae)
		}
		if inm != "" {
			r.Header.Set("If-None-Match", inm)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		switch w.Code {
		case 200, 301, 304, 404, 405:
		default:
			t.Fatalf("%s %q (Accept-Encoding %q, If-None-Match %q) = %d", method, target, ae, inm, w.Code)
		}
		checkSecurityHeaders(t, method+" "+target, w.Header())
		if (w.Code == 304 || method == http.MethodHead) && w.Body.Len() != 0 {
			t.Errorf("%d to %s has a %d-byte body", w.Code, method, w.Body.Len())
		}
		if w.Code == 301 {
			loc := w.Header().Get("Location")
			if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") {
				t.Errorf("redirect to %q leaves the site", loc)
			}
		}
		if w.Code == 200 && method != http.MethodHead && w.Header().Get("Content-Encoding") == "gzip" {
			gunzip(t, w.Body.Bytes())
		}
	})
}

// isToken reports whether s is an HTTP token (RFC 9110 §5.6.2), as a method
// must be.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// validFieldValue reports whether s may be sent as a header value: no
// control characters but tab (RFC 9110 §5.5).
func validFieldValue(s string) bool {
	for _, c := range []byte(s) {
		if (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

// TestGzipConcurrentFirstRequests: every page asked for gzipped at once,
// each for the first time (as a crawler does), from several clients each:
// the compressions share a few reused writers (at most one per core runs),
// and every page still gets its own body, compressed, the same for all.
func TestGzipConcurrentFirstRequests(t *testing.T) {
	t.Parallel()
	h := load(t, manyArticles(40)).Handler()
	var paths []string
	for i := 1; i <= 40; i++ {
		paths = append(paths, fmt.Sprintf("/blog/artikel-%03d", i), fmt.Sprintf("/en/blog/artikel-%03d", i))
	}
	const clients = 3
	got := make([][]byte, len(paths)*clients)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() {
			w := get(h, paths[i%len(paths)], "Accept-Encoding", "gzip")
			if w.Code != 200 || w.Header().Get("Content-Encoding") != "gzip" {
				t.Errorf("%s: status %d, Content-Encoding %q", paths[i%len(paths)], w.Code, w.Header().Get("Content-Encoding"))
				return
			}
			got[i] = w.Body.Bytes()
		})
	}
	wg.Wait()
	for i, path := range paths {
		plain := mustGet(t, h, path, 200).Body.Bytes()
		for c := range clients {
			gz := got[c*len(paths)+i]
			if gz == nil {
				continue // reported above
			}
			if !bytes.Equal(gunzip(t, gz), plain) {
				t.Errorf("%s, client %d: the gzip body is not the page's", path, c)
			}
			if !bytes.Equal(gz, got[i]) {
				t.Errorf("%s, client %d: another compressed body than client 0's", path, c)
			}
		}
	}
}
