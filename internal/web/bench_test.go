package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

const benchPath = "/blog/5-bedste-oevelser-til-spinalstenose"

// BenchmarkPublicPage serves an article through the application's handler;
// compare with BenchmarkPublicPageDirect (the site's handler alone) for the
// cost of the account routes in front of the public pages.
func BenchmarkPublicPage(b *testing.B) {
	a, err := newApp(Config{Site: loadSite(b), Store: openSQLite(b)}, nil)
	if err != nil {
		b.Fatal(err)
	}
	benchServe(b, a)
}

func BenchmarkPublicPageDirect(b *testing.B) {
	benchServe(b, loadSite(b).Handler())
}

type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(int)             {}

func benchServe(b *testing.B, h http.Handler) {
	req := httptest.NewRequest("GET", benchPath, nil)
	w := &discard{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, req)
	}
}
