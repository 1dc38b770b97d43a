package site

import (
	"bytes"
	"io"
	"log/slog"
	"testing"

	stenose "github.com/stenose/stenose"
	"github.com/stenose/stenose/internal/i18n"
)

// BenchmarkRenderArticlePage renders the seed article's page (view and
// template), the per-page work of serve's start-up and of build.
func BenchmarkRenderArticlePage(b *testing.B) {
	s, err := prepare(stenose.Content(), Options{BaseURL: "https://klinik.example", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	a := s.ix.Articles[0]
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := s.execute(&buf, "article.html", s.articleView(i18n.Da, a)); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}
