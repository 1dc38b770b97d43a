package e2e

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/chromedp/chromedp"

	"github.com/stenose/stenose/internal/account"
	"github.com/stenose/stenose/internal/preview"
	"github.com/stenose/stenose/internal/site"
	"github.com/stenose/stenose/internal/store"
	"github.com/stenose/stenose/internal/testenv"
	"github.com/stenose/stenose/internal/web"
)

// startPreview serves the whole application as `stenose serve --watch`
// does — the route table with the preview's two routes, the live site —
// on a copy of the built-in content, which it returns, watched until the
// test ends.
func startPreview(t *testing.T) (*testSite, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "content")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(testenv.RepoRoot(t), "content"))); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	live, err := preview.New(dir, site.Options{BaseURL: base, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		ts.Listener.Close()
		t.Fatal(err)
	}
	st, err := store.Open(t.Context(), "", filepath.Join(t.TempDir(), "data"))
	if err != nil {
		ts.Listener.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	acc, err := account.New(st, account.Options{Params: &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}})
	if err != nil {
		t.Fatal(err)
	}
	h, err := web.New(web.Config{Site: live.Site(), Preview: live, Store: st, Accounts: acc})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = h
	ts.Config.RegisterOnShutdown(live.Close)
	ts.Start()
	t.Cleanup(ts.Close)
	t.Cleanup(live.Close)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ready := make(chan struct{})
	go live.Run(ctx, preview.DefaultDebounce, ready)
	<-ready
	return &testSite{URL: base, origin: base, st: st}, dir
}

// TestPreviewWatch is `stenose serve --watch` in Chromium, in Danish and
// English, on a 360 px phone and a 1280 px screen: an open article shows
// its new text when the file changes on disk, then its front-matter
// problem with file:line (the last good version under it), then the fixed
// article — and the tab is never reloaded by hand (a mark on the window,
// which only a reload clears, proves the script did it). With the
// problems shown the page is axe 0, fits, and breaks no CSP rule (no
// console error); its HTML is Nu 0; and a second client that is not
// watching is served the last good version too, in the article and in
// the list.
func TestPreviewWatch(t *testing.T) {
	axeSource := loadAxe(t)
	b := startBrowser(t)
	var pages []namedHTML // with the problems shown, for the Nu checker
	for _, row := range []struct {
		lang, prefix string
		width        int64
	}{
		{"da", "", 360},
		{"da", "", 1280},
		{"en", "/en", 360},
		{"en", "/en", 1280},
	} {
		name := row.lang + "-" + strconv.FormatInt(row.width, 10)
		t.Run(name, func(t *testing.T) {
			s, dir := startPreview(t)
			tb := b.phoneTab(t, 2*time.Minute, row.width, 800)
			article := s.URL + row.prefix + "/blog/5-bedste-oevelser-til-spinalstenose"
			if status, err := tb.navigate(article); err != nil || status != 200 {
				t.Fatalf("open: %d %v", status, err)
			}
			if lang := eval[string](t, tb, `document.documentElement.lang`); lang != row.lang {
				t.Errorf("<html lang=%q>, want %q", lang, row.lang)
			}
			// A mark on the window: a reload by the script clears it, so
			// the test can tell the script did it (the test itself never
			// navigates again).
			mark := func() { eval[bool](t, tb, `window.stenoseMark = true`) }
			mark()
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

			save("## Hvad er spinalstenose\n", "## Hvad er spinalstenose – kort fortalt\n")
			waitFor("the new text", reloaded+`document.querySelector('main').innerText.includes('Hvad er spinalstenose – kort fortalt')`)
			mark()

			save(`title: "5 bedste`, `title: [5 bedste`)
			intro := map[string]string{"da": "Forhåndsvisning: indholdet har fejl.", "en": "Preview: the content has problems."}[row.lang]
			waitFor("the problem with file:line", reloaded+`(() => { const p = document.getElementById('stenose-preview-problems');
				return !!p && p.innerText.includes(`+strconv.Quote(intro)+`) &&
					p.innerText.includes('blog/5-bedste-oevelser-til-spinalstenose.md:2: invalid YAML') &&
					document.querySelector('h1').innerText.startsWith('5 bedste') &&
					document.querySelector('main').innerText.includes('Hvad er spinalstenose – kort fortalt') })()`)
			// The page with its problems shown: no console error (CSP),
			// nothing from elsewhere, fits the screen, axe 0, tap targets.
			checkAppPage(t, tb, s, axeSource, name+" with the problems shown")
			shot(t, tb, "preview-problems-"+name)

			// A second client, not watching (no script, no stream), is
			// served the last good version too: the article, and the list
			// still has it.
			res, body := get(t, article)
			if res.StatusCode != 200 || !strings.Contains(string(body), "<h1>5 bedste") || !strings.Contains(string(body), "Hvad er spinalstenose – kort fortalt") {
				t.Errorf("a second client, while the file is broken: %d, not the last good version", res.StatusCode)
			}
			if res, list := get(t, s.URL+row.prefix+"/blog/"); res.StatusCode != 200 || !strings.Contains(string(list), "/blog/5-bedste-oevelser-til-spinalstenose") {
				t.Errorf("a second client, while the file is broken: the list (%d) lacks the article", res.StatusCode)
			}
			if row.width == 360 { // the same bytes at any width: once per language
				pages = append(pages, namedHTML{"preview-problems-" + row.lang, body})
			}
			mark()

			save(`title: [5 bedste`, `title: "Fem bedste`)
			waitFor("the fixed article", reloaded+`!document.getElementById('stenose-preview-problems') && document.querySelector('h1').innerText.startsWith('Fem bedste')`)
			if errs := tb.consoleErrors(); len(errs) > 0 {
				t.Errorf("console errors: %v", errs)
			}
		})
	}
	requireJava(t)
	requireNodeFile(t, vnuPath)
	validateHTML(t, pages)
}
