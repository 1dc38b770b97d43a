package content

import (
	"bytes"
	"io/fs"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stenose/stenose/internal/testenv"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// BenchmarkMarkdownFloor is the floor under a build's Markdown: goldmark
// alone, set up as every article is (markdown, with stenose's heading
// ids), converting the body of every article under
// STENOSE_BENCH_CONTENT/blog (go run ./bench/gencontent -n 10000 -o DIR)
// on one worker per core, as the build does — none of stenose's own work:
// no front matter, no checks, no walk over the tree, no sanitiser. One op
// is the whole folder, so ns/op is its wall time. Without the variable,
// the seed article 1,000 times.
//
//	STENOSE_BENCH_CONTENT=DIR go test ./internal/content -run '^$' -bench MarkdownFloor -benchtime 3x
func BenchmarkMarkdownFloor(b *testing.B) {
	bodies := floorBodies(b)
	var size int64
	for _, body := range bodies {
		size += int64(len(body))
	}
	b.SetBytes(size)
	bufs := sync.Pool{New: func() any { return new(bytes.Buffer) }} // one a worker, as the build keeps
	for b.Loop() {
		err := testenv.OnCores(len(bodies), func(i int) error {
			buf := bufs.Get().(*bytes.Buffer)
			defer bufs.Put(buf)
			buf.Reset()
			ctx := parser.NewContext(parser.WithIDs(newHeadingIDs()))
			doc := markdown.Parser().Parse(text.NewReader(bodies[i]), parser.WithContext(ctx))
			return markdown.Renderer().Render(buf, bodies[i], doc)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(bodies)), "articles")
}

// floorBodies reads the articles' bodies (the text after the front
// matter) into memory.
func floorBodies(b *testing.B) [][]byte {
	b.Helper()
	var fsys fs.FS = os.DirFS("../..")
	dir := "content/blog"
	if d := os.Getenv("STENOSE_BENCH_CONTENT"); d != "" {
		fsys, dir = os.DirFS(d), "blog"
	}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		b.Fatal(err)
	}
	var bodies [][]byte
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".md") {
			continue
		}
		src, err := fs.ReadFile(fsys, dir+"/"+e.Name())
		if err != nil {
			b.Fatal(err)
		}
		// The front matter is the lines from the first "---" to the next.
		if rest, ok := bytes.CutPrefix(src, []byte("---\n")); ok {
			if _, body, ok := bytes.Cut(rest, []byte("\n---\n")); ok {
				src = body
			}
		}
		bodies = append(bodies, src)
	}
	if os.Getenv("STENOSE_BENCH_CONTENT") == "" {
		for len(bodies) < 1000 {
			bodies = append(bodies, bodies[:min(len(bodies), 1000-len(bodies))]...)
		}
	}
	return bodies
}
