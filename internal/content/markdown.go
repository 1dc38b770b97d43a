package content

import (
	"bytes"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Heading is one entry of an article's table of contents.
type Heading struct {
	Level int
	ID    string
	Text  string
}

// ImageInfo is what the renderer needs to know about an image file.
type ImageInfo struct {
	Width, Height int // 0 when unknown
}

// rendered is the outcome of turning an article body into HTML.
type rendered struct {
	HTML        []byte
	Headings    []Heading
	Description string // the first paragraph's text, at most 160 characters
	Images      []string
}

// markdown is the one goldmark set-up used for every article: CommonMark
// plus GitHub's tables, strikethrough and task lists, raw HTML left out (the
// "safe" default), heading ids from the heading text. GFM's linkify is left
// out on purpose: it turns bare "www.…" text into links, which the clinic's
// articles never rely on, and it triples the parse time.
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList),
	goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	goldmark.WithRendererOptions(
		renderer.WithNodeRenderers(util.Prioritized(missingImageRenderer{}, 100)),
	),
)

// bufPool keeps render buffers between articles: a build renders thousands.
var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// renderMarkdown renders body (which starts on file line bodyLine). images
// tells which files exist under /images/; a reference to any other local
// image is reported and drawn as a placeholder showing its alt text.
func renderMarkdown(body []byte, bodyLine int, images map[string]ImageInfo, p problems) rendered {
	var out rendered
	ctx := parser.NewContext(parser.WithIDs(newHeadingIDs()))
	doc := markdown.Parser().Parse(text.NewReader(body), parser.WithContext(ctx))

	firstImage := true
	var missing []*ast.Image
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if n.Level == 2 || n.Level == 3 {
				id, _ := n.AttributeString("id")
				idb, _ := id.([]byte)
				out.Headings = append(out.Headings, Heading{Level: n.Level, ID: string(idb), Text: strings.TrimSpace(plainText(n, body))})
			}
		case *ast.Paragraph:
			if out.Description == "" {
				if t := strings.TrimSpace(plainText(n, body)); t != "" {
					out.Description = Summarize(t, 160)
				}
			}
		case *ast.Link:
			if isExternal(string(n.Destination)) {
				n.SetAttributeString("rel", []byte("noopener noreferrer"))
			}
		case *ast.Image:
			dest := string(n.Destination)
			line := bodyLine + lineOf(n, body, dest)
			alt := strings.TrimSpace(plainText(n, body))
			out.Images = append(out.Images, dest)
			info, ok := images[dest]
			switch {
			case isExternal(dest) || strings.HasPrefix(dest, "//"):
				p.warnf(line, "image %s is on another site: pages load nothing from other sites, so it is shown as its alt text; put the file under images/", dest)
				ok = false
			case !ok:
				p.warnf(line, "image %s does not exist under images/; its alt text is shown in its place", dest)
			}
			if alt == "" {
				p.warnf(line, "image %s has no alt text (the words in ![...]): screen-reader users get nothing", dest)
			}
			if !ok {
				missing = append(missing, n) // replaced after the walk
				return ast.WalkSkipChildren, nil
			}
			if info.Width > 0 && info.Height > 0 {
				n.SetAttributeString("width", []byte(fmt.Sprint(info.Width)))
				n.SetAttributeString("height", []byte(fmt.Sprint(info.Height)))
			}
			if !firstImage {
				n.SetAttributeString("loading", []byte("lazy"))
			}
			n.SetAttributeString("decoding", []byte("async"))
			firstImage = false
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})

	for _, n := range missing {
		n.Parent().ReplaceChild(n.Parent(), n, &missingImage{Alt: strings.TrimSpace(plainText(n, body))})
	}

	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := markdown.Renderer().Render(buf, body, doc); err != nil {
		p.errorf(bodyLine, "the Markdown could not be rendered: %v", err)
		return out
	}
	out.HTML = bytes.Clone(buf.Bytes())
	if bytes.IndexByte(body, '<') >= 0 {
		// Raw HTML and autolinks start with '<'. goldmark's safe mode
		// already drops raw HTML and dangerous URLs; bluemonday is the
		// second fence for anything that gets past it. Without a '<' in the
		// source there is no markup but goldmark's own to fence, so the
		// (costly) sanitiser is skipped. FuzzParseArticle checks both paths.
		out.HTML = articlePolicy.SanitizeBytes(out.HTML)
	}
	return out
}

// articlePolicy is the second fence on article HTML (goldmark's safe mode is
// the first): what Markdown can produce, and nothing that runs.
var articlePolicy = func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(false)
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^[a-z ]+$`)).OnElements("a")
	p.AllowAttrs("id").Matching(regexp.MustCompile(`^[a-z0-9-]+$`)).OnElements("h1", "h2", "h3", "h4", "h5", "h6")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^img-missing$`)).OnElements("span")
	p.AllowAttrs("role").Matching(regexp.MustCompile(`^img$`)).OnElements("span")
	p.AllowAttrs("aria-label").OnElements("span")
	p.AllowAttrs("aria-hidden").Matching(regexp.MustCompile(`^true$`)).OnElements("span")
	p.AllowAttrs("loading").Matching(regexp.MustCompile(`^lazy$`)).OnElements("img")
	p.AllowAttrs("decoding").Matching(regexp.MustCompile(`^async$`)).OnElements("img")
	return p
}()

// lineOf finds the body line (0-based) where an inline node stands: the
// line of its block that holds needle, else the block's first line.
func lineOf(n ast.Node, src []byte, needle string) int {
	b := n.Parent()
	for b != nil && b.Type() != ast.TypeBlock {
		b = b.Parent()
	}
	if b == nil || b.Lines().Len() == 0 {
		return 0
	}
	lines := b.Lines()
	at := lines.At(0).Start
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		if bytes.Contains(seg.Value(src), []byte(needle)) {
			at = seg.Start
			break
		}
	}
	if at > len(src) {
		at = len(src)
	}
	return bytes.Count(src[:at], []byte("\n"))
}

// plainText is the text of a node's inline children, without markup.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.CodeSpan:
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if s, ok := t.(*ast.Text); ok {
					b.Write(s.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.Image:
			if c != n {
				return ast.WalkSkipChildren, nil // an image's alt text is not prose
			}
		}
		return ast.WalkContinue, nil
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

// Summarize shortens s to at most max characters, cutting at a word and
// ending with "…" when it had to cut.
func Summarize(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	all := []rune(s)
	runes := all[:max-1]
	cut := len(runes)
	if !unicode.IsSpace(all[cut]) { // the cut falls inside a word: drop it
		for cut > 0 && !unicode.IsSpace(runes[cut-1]) {
			cut--
		}
	}
	if cut == 0 {
		cut = len(runes)
	}
	return strings.TrimRightFunc(string(runes[:cut]), func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r)
	}) + "…"
}

func isExternal(dest string) bool {
	u, err := url.Parse(dest)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https" || u.Scheme == "mailto" || strings.HasPrefix(dest, "//"))
}

// headingIDs makes stable, readable ids from heading text: lower case,
// æ ø å spelled ae oe aa, other letters and digits kept, the rest a hyphen.
type headingIDs struct{ used map[string]int }

func newHeadingIDs() *headingIDs { return &headingIDs{used: map[string]int{}} }

func (h *headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	id := Slugify(string(value))
	if id == "" {
		id = "afsnit"
	}
	base := id
	for h.used[id] > 0 {
		h.used[base]++
		id = fmt.Sprintf("%s-%d", base, h.used[base])
	}
	h.used[id]++
	return []byte(id)
}

func (h *headingIDs) Put(value []byte) { h.used[string(value)]++ }

// Slugify turns text into a URL- and id-safe slug.
func Slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		var rep string
		switch r {
		case 'æ':
			rep = "ae"
		case 'ø':
			rep = "oe"
		case 'å':
			rep = "aa"
		case 'é', 'è', 'ê':
			rep = "e"
		case 'ü':
			rep = "u"
		case 'ö':
			rep = "o"
		case 'ä':
			rep = "a"
		default:
			if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
				rep = string(r)
			}
		}
		if rep == "" {
			dash = b.Len() > 0
			continue
		}
		if dash {
			b.WriteByte('-')
			dash = false
		}
		b.WriteString(rep)
	}
	return b.String()
}

// missingImage stands where an image file is missing: its alt text in a
// neat box, so the layout holds and no request fails.
type missingImage struct {
	ast.BaseInline
	Alt string
}

var kindMissingImage = ast.NewNodeKind("MissingImage")

func (m *missingImage) Kind() ast.NodeKind { return kindMissingImage }

func (m *missingImage) Dump(src []byte, level int) { ast.DumpHelper(m, src, level, nil, nil) }

type missingImageRenderer struct{}

func (missingImageRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindMissingImage, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			alt := util.EscapeHTML([]byte(n.(*missingImage).Alt))
			_, _ = w.WriteString(`<span class="img-missing" role="img" aria-label="`)
			_, _ = w.Write(alt)
			_, _ = w.WriteString(`"><span aria-hidden="true">`)
			_, _ = w.Write(alt)
			_, _ = w.WriteString(`</span></span>`)
		}
		return ast.WalkSkipChildren, nil
	})
}

// RenderMarkdown renders a Markdown body of another content kind (an
// exercise's steps, a programme's introduction) the same way articles are
// rendered. bodyLine is the file line the body starts on.
func RenderMarkdown(file string, body []byte, bodyLine int, images map[string]ImageInfo, probs *Problems) []byte {
	return renderMarkdown(body, bodyLine, images, problems{file, probs}).HTML
}
