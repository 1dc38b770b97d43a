package site_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	stenose "github.com/stenose/stenose"
	"github.com/stenose/stenose/internal/site"
)

// discardWriter is the least a ResponseWriter can be: the benchmarks
// measure the handler, not a recorder's buffer.
type discardWriter struct {
	h      http.Header
	status int
	n      int
}

func (w *discardWriter) Header() http.Header { return w.h }

func (w *discardWriter) WriteHeader(code int) { w.status = code }

func (w *discardWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.n += len(b)
	return len(b), nil
}

func BenchmarkLoad(b *testing.B) {
	fsys := stenose.Content()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := site.Load(fsys, testOptions()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad45 loads a site with 45 articles, three list pages.
func BenchmarkLoad45(b *testing.B) {
	fsys := manyArticles(45)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := site.Load(fsys, testOptions()); err != nil {
			b.Fatal(err)
		}
	}
}

func benchServe(b *testing.B, path string, hdr ...string) {
	h := builtinHandler(b)
	r := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := &discardWriter{h: http.Header{}}
	h.ServeHTTP(w, r) // warm: the gzip variant is made on first use
	if w.status != http.StatusOK || w.n == 0 {
		b.Fatalf("GET %s: status %d, %d bytes", path, w.status, w.n)
	}
	b.SetBytes(int64(w.n))
	b.ReportAllocs()
	for b.Loop() {
		w.status, w.n = 0, 0
		h.ServeHTTP(w, r)
	}
	if w.status != http.StatusOK {
		b.Fatalf("status %d", w.status)
	}
}

func BenchmarkServeArticle(b *testing.B) { benchServe(b, articlePath) }

func BenchmarkServeArticleGzip(b *testing.B) {
	benchServe(b, articlePath, "Accept-Encoding", "gzip, deflate, br")
}

func BenchmarkServeArticle304(b *testing.B) {
	h := builtinHandler(b)
	etag := get(h, articlePath).Header().Get("ETag")
	r := httptest.NewRequest(http.MethodGet, articlePath, nil)
	r.Header.Set("If-None-Match", etag)
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		w.status = 0
		h.ServeHTTP(w, r)
	}
	if w.status != http.StatusNotModified {
		b.Fatalf("status %d, want 304", w.status)
	}
}

func BenchmarkServeNotFound(b *testing.B) {
	h := builtinHandler(b)
	r := httptest.NewRequest(http.MethodGet, "/blog/findes-ikke", nil)
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		w.status = 0
		h.ServeHTTP(w, r)
	}
	if w.status != http.StatusNotFound {
		b.Fatalf("status %d, want 404", w.status)
	}
}
