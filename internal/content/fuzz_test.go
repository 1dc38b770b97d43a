package content

import (
	"os"
	"testing"
	"unicode/utf8"
)

// FuzzParseArticle feeds arbitrary files to the article parser: it must
// never panic, and whatever it accepts must have a title, dates and valid
// UTF-8 HTML.
func FuzzParseArticle(f *testing.F) {
	seed, err := os.ReadFile("../../content/blog/5-bedste-oevelser-til-spinalstenose.md")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte("---\ntitle: x\ndatePublished: 01-01-2025\nauthor: a\n---\n"))
	f.Add([]byte("---\ntitle: [\n---\n"))
	f.Add([]byte("---\n: : :\n---\n![a](/images/x.png) [b](http://x)"))
	f.Add([]byte("---\ntitle: &a x\nmetaTitle: *a\ndatePublished: 31-02-2025\n---\n"))
	f.Add([]byte("---\n---\n# h\n## h\n## h\n"))
	authors := map[string]*Author{"a": {Slug: "a", Name: "A"}, "anders-hammer": {Slug: "anders-hammer", Name: "Anders Hammer"}}
	images := map[string]ImageInfo{"/images/x.png": {Width: 10, Height: 10}}
	f.Fuzz(func(t *testing.T, src []byte) {
		var probs Problems
		a := ParseArticle("blog/fuzz.md", src, images, authors, &probs)
		for _, p := range probs {
			if p.Line < 1 {
				t.Errorf("problem without a line: %v", p)
			}
		}
		if a == nil {
			if !probs.HasErrors() {
				t.Error("article left out without an error")
			}
			return
		}
		if a.Title == "" || a.Published.IsZero() || a.Author == nil {
			t.Errorf("accepted an incomplete article: %+v", a)
		}
		if a.Updated.Before(a.Published) {
			t.Errorf("updated %v before published %v", a.Updated, a.Published)
		}
		if utf8.Valid(src) && !utf8.Valid(a.HTML()) {
			t.Errorf("invalid UTF-8 HTML from valid input")
		}
	})
}

// FuzzFrontMatter checks the front-matter splitter and YAML reader alone.
func FuzzFrontMatter(f *testing.F) {
	f.Add([]byte("---\ntitle: x\n---\n"))
	f.Add([]byte("---\r\na: [1, 2]\r\n...\r\n"))
	f.Add([]byte("\xef\xbb\xbf---\n\t- x\n---"))
	f.Fuzz(func(t *testing.T, src []byte) {
		y, body, line, err := splitFrontMatter(src)
		if err != nil {
			return
		}
		if len(y)+len(body) > len(src) || line < 2 {
			t.Fatalf("split out of range: %d+%d > %d, line %d", len(y), len(body), len(src), line)
		}
		var probs Problems
		_, _ = parseFrontMatter(y, articleKeys, problems{"x.md", &probs})
	})
}
