package site

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/stenose/stenose"
	"github.com/stenose/stenose/internal/content"
)

// TestLoadReadLazy: a site read with a content.Cache and rendered page by
// page on request (serve --watch) answers every address with the bytes
// Load's site sends, and the same 404 page.
func TestLoadReadLazy(t *testing.T) {
	opts := Options{BaseURL: "https://klinik.example", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	want, err := Load(stenose.Content(), opts)
	if err != nil {
		t.Fatal(err)
	}
	c := content.NewCache()
	for range 2 { // the second time from the cache
		lazy, err := LoadReadLazy(stenose.Content(), ReadContent(stenose.Content(), c), opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(lazy.files) >= len(want.files) {
			t.Errorf("the lazy site rendered its pages at once: %d files, Load's %d", len(lazy.files), len(want.files))
		}
		paths := []string{"/no-such-page", "/en/no-such-page"}
		for p := range want.files {
			paths = append(paths, p)
		}
		for _, p := range paths {
			a, b := httptest.NewRecorder(), httptest.NewRecorder()
			want.Handler().ServeHTTP(a, httptest.NewRequest("GET", p, nil))
			lazy.Handler().ServeHTTP(b, httptest.NewRequest("GET", p, nil))
			if a.Code != b.Code || a.Body.String() != b.Body.String() || a.Header().Get("Etag") != b.Header().Get("Etag") {
				t.Errorf("%s: lazy %d (%d bytes), Load's %d (%d bytes)", p, b.Code, b.Body.Len(), a.Code, a.Body.Len())
			}
		}
	}
}
