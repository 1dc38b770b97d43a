package preview

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// BenchmarkReload is one full Reload of the built-in content: read,
// validate and render every page, and swap.
func BenchmarkReload(b *testing.B) {
	l := newLive(b, copyContent(b))
	for b.Loop() {
		if err := l.Reload(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPreviewReload is the author's wait: from a file saved (a temp
// file renamed over the article, as editors do) to the reload event on the
// open event stream, through the real watcher, its quiet time, the
// reload and the stream. It prints
//
//	preview-reload p50 X ms p99 Y ms
//
// go test ./internal/preview -run '^$' -bench PreviewReload -benchtime 200x
func BenchmarkPreviewReload(b *testing.B) {
	dir := copyContent(b)
	l := newLive(b, dir)
	srv := httptest.NewServer(l.Handler())
	defer srv.Close()
	defer l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan struct{})
	go l.Run(ctx, DefaultDebounce, ready)
	<-ready
	res, err := http.Get(srv.URL + EventsPath)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	r := bufio.NewReader(res.Body)
	next := func() {
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				b.Fatal(err)
			}
			if strings.HasPrefix(line, "data: ") {
				return
			}
		}
	}
	next() // the version at connect
	file := filepath.Join(dir, filepath.FromSlash(seed))
	src, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		body := strings.Replace(string(src), "## Hvad er spinalstenose\n", fmt.Sprintf("## Hvad er spinalstenose %d\n", i), 1)
		t0 := time.Now()
		if err := os.WriteFile(file+".tmp", []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
		if err := os.Rename(file+".tmp", file); err != nil {
			b.Fatal(err)
		}
		next()
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(float64(len(lat))*p))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	fmt.Printf("preview-reload p50 %.0f ms p99 %.0f ms (%d saves)\n", pct(0.5), pct(0.99), len(lat))
}
