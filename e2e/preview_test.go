package e2e

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/stenose/stenose/internal/preview"
	"github.com/stenose/stenose/internal/site"
	"github.com/stenose/stenose/internal/testenv"
)

// TestPreviewWatch is `stenose serve --watch` in Chromium: an open
// article shows its new text when the file changes on disk, then its
// front-matter problem with file:line (the last good version under it),
// then the fixed article — and the tab is never reloaded by hand. axe
// finds nothing with the problems shown. The
// reload script and event stream break no CSP rule (no console error).
func TestPreviewWatch(t *testing.T) {
	b := startBrowser(t)
	dir := filepath.Join(t.TempDir(), "content")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(testenv.RepoRoot(t), "content"))); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	live, err := preview.New(dir, site.Options{BaseURL: base, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = live.Handler()
	ts.Config.RegisterOnShutdown(live.Close)
	ts.Start()
	t.Cleanup(ts.Close)
	t.Cleanup(live.Close)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ready := make(chan struct{})
	go live.Run(ctx, preview.DefaultDebounce, ready)
	<-ready

	tb := b.tabFor(t, 2*time.Minute)
	const article = "/blog/5-bedste-oevelser-til-spinalstenose"
	if status, err := tb.navigate(base + article); err != nil || status != 200 {
		t.Fatalf("open: %d %v", status, err)
	}
	// A mark on the window: a reload by the script clears it, so the test
	// can tell the script did it (the test itself never navigates again).
	if _, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`window.stenoseMark = true`)); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "blog", "5-bedste-oevelser-til-spinalstenose.md")
	save := func(from, to string) {
		t.Helper()
		src, err := os.ReadFile(file)
		if err != nil || !strings.Contains(string(src), from) {
			t.Fatalf("%s has no %q (%v)", file, from, err)
		}
		// As an editor saves: a temp file renamed over the article.
		tmp := file + ".tmp"
		if err := os.WriteFile(tmp, []byte(strings.Replace(string(src), from, to, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, file); err != nil {
			t.Fatal(err)
		}
	}
	// waitFor polls the tab until js is true.
	waitFor := func(what, js string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			ok, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](js))
			if err == nil && ok {
				return
			}
			if time.Now().After(deadline) {
				text, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 600) : ''`))
				t.Fatalf("%s: not shown (err %v); the page reads:\n%s", what, err, text)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	const reloaded = `!window.stenoseMark && `
	mark := func() { _, _ = chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`window.stenoseMark = true`)) }

	save("## Hvad er spinalstenose\n", "## Hvad er spinalstenose – kort fortalt\n")
	waitFor("the new text", reloaded+`document.querySelector('main').innerText.includes('Hvad er spinalstenose – kort fortalt')`)
	mark()

	save(`title: "5 bedste`, `title: [5 bedste`)
	waitFor("the problem with file:line", reloaded+`(() => { const p = document.getElementById('stenose-preview-problems');
		return !!p && p.innerText.includes('blog/5-bedste-oevelser-til-spinalstenose.md:2: invalid YAML') &&
			document.querySelector('h1').innerText.startsWith('5 bedste') })()`)
	// The problems list breaks no WCAG rule on the page it is put on.
	if vs, err := tb.runAxe(loadAxe(t)); err != nil || len(vs) > 0 {
		t.Errorf("axe with the problems shown: %v%s", err, formatViolations(vs))
	}
	mark()

	save(`title: [5 bedste`, `title: "Fem bedste`)
	waitFor("the fixed article", reloaded+`!document.getElementById('stenose-preview-problems') && document.querySelector('h1').innerText.startsWith('Fem bedste')`)

	if errs := tb.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
}
