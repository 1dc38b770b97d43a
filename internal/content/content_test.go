package content

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestBrokenFolder loads a folder with one file for each kind of problem
// and checks every problem is reported once, at the right line, and that
// only the broken files are left out.
func TestBrokenFolder(t *testing.T) {
	ix, probs := Load(os.DirFS("testdata/broken"))
	type want struct {
		file     string
		line     int
		severity Severity
		contains string
	}
	wants := []want{
		{"blog/forkert-datoformat.md", 3, Error, `"2025-07-10" is not a date written DD-MM-YYYY`},
		{"blog/manglende-billede.md", 9, Warning, "image /images/findes-ikke.png does not exist"},
		{"blog/mangler-titel.md", 1, Error, "missing title"},
		{"blog/opdateret-foer-udgivet.md", 4, Error, "lastUpdated 09-07-2025 is before datePublished 10-07-2025"},
		{"blog/samme-slug.md", 1, Error, `duplicate slug "samme-slug"`},
		{"blog/ugyldig-yaml.md", 4, Error, "invalid YAML"},
		{"blog/ukendt-forfatter.md", 4, Error, `unknown author "ingen-kender-mig"`},
		{"blog/ukendt-noegle.md", 5, Warning, `unknown key "tags"`},
		{"blog/umulig-dato.md", 3, Error, `"31-02-2025" is not a real date`},
	}
	if len(probs) != len(wants) {
		for _, p := range probs {
			t.Log(p)
		}
		t.Fatalf("got %d problems, want %d", len(probs), len(wants))
	}
	for i, w := range wants {
		p := probs[i]
		if p.File != w.file || p.Line != w.line || p.Severity != w.severity || !strings.Contains(p.Msg, w.contains) {
			t.Errorf("problem %d = %v\nwant %s:%d: %s: …%s…", i, p, w.file, w.line, w.severity, w.contains)
		}
	}
	var slugs []string
	for _, a := range ix.Articles {
		slugs = append(slugs, a.Slug)
	}
	// Newest first; the files with errors are left out, the ones with
	// warnings are kept.
	wantSlugs := []string{"samme-slug", "manglende-billede", "ukendt-noegle", "god-artikel"}
	if diff := cmp.Diff(wantSlugs, slugs); diff != "" {
		t.Errorf("articles (-want +got):\n%s", diff)
	}
	if !probs.HasErrors() {
		t.Error("HasErrors() = false")
	}
}

func TestProblemString(t *testing.T) {
	p := Problem{File: "blog/x.md", Line: 4, Severity: Error, Msg: "missing title"}
	if got, want := p.String(), "blog/x.md:4: error: missing title"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Time
		wantErr string
	}{
		{"10-07-2025", time.Date(2025, 7, 10, 0, 0, 0, 0, time.UTC), ""}, // 10 July, never 7 October
		{" 01-01-2024 ", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), ""},
		{"29-02-2024", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), ""},
		{"29-02-2025", time.Time{}, "not a real date"},
		{"31-02-2025", time.Time{}, "not a real date"},
		{"00-01-2025", time.Time{}, "not a real date"},
		{"10-13-2025", time.Time{}, "not a real date"},
		{"2025-07-10", time.Time{}, "DD-MM-YYYY"},
		{"10/07/2025", time.Time{}, "DD-MM-YYYY"},
		{"1-7-2025", time.Time{}, "DD-MM-YYYY"},
		{"", time.Time{}, "DD-MM-YYYY"},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseDate(%q) error = %v, want …%s…", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestSummarize(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"Kort tekst.", 160, "Kort tekst."},
		{"en to tre fire fem", 10, "en to tre…"},
		{"en,  to   tre", 160, "en, to tre"},
		{"ææææææææææææ", 5, "ææææ…"},
		{"Hvad er det, der sker", 13, "Hvad er det…"},
	}
	for _, tt := range tests {
		got := Summarize(tt.in, tt.max)
		if got != tt.want {
			t.Errorf("Summarize(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
		if n := len([]rune(got)); n > tt.max {
			t.Errorf("Summarize(%q, %d) is %d runes long", tt.in, tt.max, n)
		}
	}
}

func TestSlugify(t *testing.T) {
	tests := map[string]string{
		"Hvad er spinalstenose":         "hvad-er-spinalstenose",
		"Knæ-til-bryst-øvelsen ":        "knae-til-bryst-oevelsen",
		"Kan spinalstenose trænes væk?": "kan-spinalstenose-traenes-vaek",
		"5 bedste øvelser":              "5-bedste-oevelser",
		"Gående med pauser":             "gaaende-med-pauser",
		"  --  ":                        "",
	}
	for in, want := range tests {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSplitFrontMatter(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		yaml     string
		body     string
		bodyLine int
		err      error
	}{
		{"plain", "---\na: 1\n---\nbody\n", "a: 1\n", "body\n", 4, nil},
		{"crlf and bom", "\xef\xbb\xbf---\r\na: 1\r\n---\r\nbody", "a: 1\r\n", "body", 4, nil},
		{"empty block", "---\n---\n", "", "", 3, nil},
		{"no block", "# Title\n", "", "", 0, errNoFrontMatter},
		{"empty file", "", "", "", 0, errNoFrontMatter},
		{"unclosed", "---\na: 1\n", "", "", 0, errUnclosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			y, body, line, err := splitFrontMatter([]byte(tt.src))
			if err != tt.err {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if string(y) != tt.yaml || string(body) != tt.body || line != tt.bodyLine {
				t.Errorf("got (%q, %q, %d), want (%q, %q, %d)", y, body, line, tt.yaml, tt.body, tt.bodyLine)
			}
		})
	}
}

func TestYAMLErrorLines(t *testing.T) {
	tests := []struct {
		name string
		fm   string
		line int // file line
	}{
		{"unclosed list", "title: x\ndatePublished: 10-07-2025\nauthor: [a\n", 4},
		{"mapping in value", "title: x\nauthor: a: b\n", 3},
		{"tab", "title: x\nauthor: a\n\tmetaTitle: y\n", 4},
		{"unclosed quote", "title: \"x\nauthor: a\n", 2},
		{"list item", "title: x\n- y\n", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var probs Problems
			_ = ParseArticle("blog/x.md", []byte("---\n"+tt.fm+"---\n\ntext\n"), nil, nil, &probs)
			if len(probs) != 1 || probs[0].Line != tt.line || !strings.Contains(probs[0].Msg, "invalid YAML") {
				t.Errorf("problems = %v, want one invalid YAML at line %d", probs, tt.line)
			}
		})
	}
}

// TestSeedArticle renders the clinic's article as shipped and checks that it
// comes out as the author meant it.
func TestSeedArticle(t *testing.T) {
	fsys := fstest.MapFS{
		"blog/5-bedste-oevelser-til-spinalstenose.md": {Data: mustRead(t, "../../content/blog/5-bedste-oevelser-til-spinalstenose.md")},
		"authors/anders-hammer.md":                    {Data: mustRead(t, "../../content/authors/anders-hammer.md")},
		"images/blog/spinalstenose_1.png":             {Data: pngHeader(800, 600)},
	}
	ix, probs := Load(fsys)
	if probs.HasErrors() {
		t.Fatalf("problems: %v", probs)
	}
	a := ix.Article("5-bedste-oevelser-til-spinalstenose")
	if a == nil {
		t.Fatal("seed article missing")
	}
	if a.Title != "5 bedste øvelser til spinalstenose" || a.MetaTitle != "Få de bedste øvelser til spinalstenose her | Læs mere ->" {
		t.Errorf("titles = %q, %q", a.Title, a.MetaTitle)
	}
	if !a.Published.Equal(time.Date(2025, 7, 10, 0, 0, 0, 0, time.UTC)) || a.WasUpdated() {
		t.Errorf("dates = %v, %v", a.Published, a.Updated)
	}
	if a.Author == nil || a.Author.Name != "Anders Hammer" {
		t.Errorf("author = %+v", a.Author)
	}
	html := string(a.HTML())
	for _, want := range []string{
		`<h2 id="hvad-er-spinalstenose">Hvad er spinalstenose</h2>`,
		`<h3 id="knae-til-bryst-oevelsen">Knæ-til-bryst-øvelsen</h3>`,
		"<li>\n<p>Smerter i lænden, ofte med udstråling til balder og ben</p>\n</li>", // "*" items with blank lines: a loose list
		`<li>Spinal stenosis – Symptoms and causes.<br>`,                              // two-space (here three) line break
		`<a href="http://www.mayoclinic.org/diseases-conditions/spinal-stenosis/symptoms-causes/syc-20352961" rel="noopener noreferrer"> www.mayoclinic.org</a>`,
		`<img src="/images/blog/spinalstenose_1.png" alt="Illustration af cykling mod spinalstenose" width="800" height="600"`,
		`<span class="img-missing" role="img" aria-label="Illustration af spinalstenose">`,
		`holdes i 10-20 sekunder`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("article HTML lacks %q", want)
		}
	}
	if n := strings.Count(html, "<li>"); n != 10 {
		t.Errorf("%d list items, want 5 symptoms + 5 references", n)
	}
	if got := len(a.Headings()); got != 13 {
		t.Errorf("%d headings (h2+h3), want 13", got)
	}
	if !strings.HasPrefix(a.Description, "Spinalstenose er en tilstand, hvor rygmarvskanalen") || len([]rune(a.Description)) > 160 {
		t.Errorf("description = %q", a.Description)
	}
	// Six of the seven images are missing here: each is a warning at its line.
	var lines []int
	for _, p := range probs {
		if strings.Contains(p.Msg, "does not exist") {
			lines = append(lines, p.Line)
		}
	}
	if diff := cmp.Diff([]int{6, 11, 46, 65, 69, 73, 77}, lines); diff != "" {
		t.Errorf("missing-image warning lines (-want +got):\n%s", diff)
	}
}

func TestUnsafeMarkdownIsDefused(t *testing.T) {
	src := "---\ntitle: x\ndatePublished: 01-01-2025\nauthor: a\n---\n\n" +
		"<script>alert(1)</script>\n\n[klik](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n![x](javascript:alert(1))\n"
	var probs Problems
	a := ParseArticle("blog/x.md", []byte(src), nil, map[string]*Author{"a": {Slug: "a", Name: "A"}}, &probs)
	if a == nil {
		t.Fatalf("article left out: %v", probs)
	}
	for _, bad := range []string{"<script", "javascript:", "onerror"} {
		if strings.Contains(string(a.HTML()), bad) {
			t.Errorf("HTML contains %q:\n%s", bad, a.HTML())
		}
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pngHeader is a real, blank PNG of the size.
func pngHeader(w, h int) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		panic(err)
	}
	return b.Bytes()
}
