package preview

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// BenchmarkReload is one save of the seed article and the Reload after
// it: the changed file read and parsed again, the rest from memory, the
// new site swapped in (its pages are rendered when asked for, so not
// here; BenchmarkPreviewReload asks for one).
func BenchmarkReload(b *testing.B) {
	dir := copyContent(b)
	l := newLive(b, dir)
	file := filepath.Join(dir, filepath.FromSlash(seed))
	src, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; b.Loop(); i++ {
		body := strings.Replace(string(src), "## Hvad er spinalstenose\n", fmt.Sprintf("## Hvad er spinalstenose %d\n", i), 1)
		if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
		if err := l.Reload(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPreviewReload is the author's wait: from a file saved (a temp
// file renamed over the article, as editors do) to the reload event on the
// open event stream, through the real watcher, its quiet time, the
// reload and the stream — what the goal measures. Then, as the
// tab does on that event, it asks for the article and checks the page has
// the new text: the preview renders pages when asked, so that wait is
// printed too. It prints
//
//	preview-reload p50 X ms p99 Y ms (N saves)
//	preview-page p50 X ms p99 Y ms (save to the new page received)
//
// go test ./internal/preview -run '^$' -bench PreviewReload -benchtime 200x
func BenchmarkPreviewReload(b *testing.B) {
	dir := copyContent(b)
	l := newLive(b, dir)
	srv := httptest.NewServer(serve(l))
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
	page := srv.URL + "/blog/" + strings.TrimSuffix(filepath.Base(seed), ".md")
	var lat, pageLat []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		heading := fmt.Sprintf("Hvad er spinalstenose %d", i)
		body := strings.Replace(string(src), "## Hvad er spinalstenose\n", "## "+heading+"\n", 1)
		t0 := time.Now()
		if err := os.WriteFile(file+".tmp", []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
		if err := os.Rename(file+".tmp", file); err != nil {
			b.Fatal(err)
		}
		next()
		lat = append(lat, time.Since(t0))
		res, err := http.Get(page)
		if err != nil {
			b.Fatal(err)
		}
		html, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil || res.StatusCode != 200 || !strings.Contains(string(html), heading+"</h2>") {
			b.Fatalf("after save %d the page (%d, %v) lacks %q", i, res.StatusCode, err, heading)
		}
		pageLat = append(pageLat, time.Since(t0))
	}
	b.StopTimer()
	p50, p99 := percentiles(lat)
	b.ReportMetric(p50, "p50-ms")
	b.ReportMetric(p99, "p99-ms")
	fmt.Printf("preview-reload p50 %.0f ms p99 %.0f ms (%d saves)\n", p50, p99, len(lat))
	p50, p99 = percentiles(pageLat)
	b.ReportMetric(p99, "page-p99-ms")
	fmt.Printf("preview-page p50 %.0f ms p99 %.0f ms (save to the new page received)\n", p50, p99)
}

// percentiles are the median and the 99th percentile of lat, in ms.
func percentiles(lat []time.Duration) (p50, p99 float64) {
	lat = slices.Sorted(slices.Values(lat))
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(float64(len(lat))*p))].Microseconds()) / 1000
	}
	return pct(0.5), pct(0.99)
}
