package e2e

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestPagesInBrowser opens every page of the sitemap, and a missing page, in
// headless Chromium on a 390×844 phone screen, and checks that each one
// logs no errors, requests nothing from another origin, has no axe-core
// WCAG 2.x A/AA violations and fits the screen's width.
func TestPagesInBrowser(t *testing.T) {
	axeSource := loadAxe(t)
	b := startBrowser(t)
	s := startSite(t)
	for _, pc := range sitemapPages(t, s) {
		t.Run(pc.Path, func(t *testing.T) {
			checkPageInBrowser(t, b, s, pc, axeSource)
		})
	}
}

func checkPageInBrowser(t *testing.T, b *browser, s *testSite, pc pageCase, axeSource string) {
	tb := b.newTab(t)
	u := s.URL + pc.Path

	status, err := tb.navigate(u)
	if err != nil {
		t.Fatal(err)
	}
	if status != int64(pc.Status) {
		t.Errorf("HTTP status %d, want %d", status, pc.Status)
	}

	l, err := tb.layoutOf()
	if err != nil {
		t.Fatalf("measuring the layout: %v", err)
	}
	var wide string
	if len(l.Widest) > 0 {
		wide = "; elements reaching past " + strconv.Itoa(viewportWidth) + " px:\n  " + strings.Join(l.Widest, "\n  ")
	}
	switch {
	case l.InnerWidth != viewportWidth:
		t.Errorf("the page does not fit a %d px wide phone: window.innerWidth = %d, want %d (document.documentElement.scrollWidth = %d); either <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"> is missing, or content wider than the screen made the browser zoom out%s",
			viewportWidth, l.InnerWidth, viewportWidth, l.ScrollWidth, wide)
	case l.ScrollWidth > l.InnerWidth:
		t.Errorf("the page scrolls sideways on a %d px wide phone: document.documentElement.scrollWidth = %d > window.innerWidth = %d%s",
			viewportWidth, l.ScrollWidth, l.InnerWidth, wide)
	}

	if pc.Status == http.StatusNotFound && l.Lang != "da" {
		t.Errorf("<html lang=%q> on the 404 page, want \"da\"", l.Lang)
	}

	// Collect the console before axe runs, so only the page's own errors
	// count.
	var errs []string
	for _, e := range tb.consoleErrors() {
		// The browser logs "Failed to load resource: … status of 404" for
		// a document served with an error status on purpose.
		if pc.Status != http.StatusOK && e.Kind == "log/network" && e.URL == u {
			continue
		}
		errs = append(errs, e.String())
	}
	if len(errs) > 0 {
		t.Errorf("%d console error(s) or uncaught exception(s):\n  %s", len(errs), strings.Join(errs, "\n  "))
	}
	if bad := tb.foreignRequests(s.origin); len(bad) > 0 {
		t.Errorf("%d request(s) left the site %s:\n  %s", len(bad), s.origin, strings.Join(bad, "\n  "))
	}

	vs, err := tb.runAxe(axeSource)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) > 0 {
		t.Errorf("axe-core found %d WCAG A/AA violation(s):%s", len(vs), formatViolations(vs))
	}
}

// TestPagesValidHTML fetches the exact bytes of every page of the sitemap,
// and of a missing page, and validates them all with the Nu HTML Checker in
// one java run.
func TestPagesValidHTML(t *testing.T) {
	requireJava(t)
	requireNodeFile(t, vnuPath)
	s := startSite(t)
	pages := sitemapPages(t, s)

	dir := t.TempDir()
	files := make([]string, len(pages))
	for i, pc := range pages {
		resp, body := get(t, s.URL+pc.Path)
		if resp.StatusCode != pc.Status {
			t.Errorf("GET %s: status %d, want %d", pc.Path, resp.StatusCode, pc.Status)
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("GET %s: Content-Type %q, want text/html", pc.Path, ct)
		}
		files[i] = filepath.Join(dir, fileNameFor(i, pc.Path))
		if err := os.WriteFile(files[i], body, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	byFile := runVNU(t, files)
	for i, pc := range pages {
		msgs := byFile[files[i]]
		delete(byFile, files[i])
		t.Run(pc.Path, func(t *testing.T) {
			for _, m := range msgs {
				t.Errorf("%s (%s):%d:%d: %s\n\t%s", pc.Path, filepath.Base(files[i]), m.LastLine, m.FirstCol, m.Message, truncate(m.Extract, 160))
			}
		})
	}
	// Anything left did not belong to a page (e.g. an I/O error).
	rest := make([]string, 0, len(byFile))
	for k := range byFile {
		rest = append(rest, k)
	}
	sort.Strings(rest)
	for _, k := range rest {
		for _, m := range byFile[k] {
			t.Errorf("vnu.jar: %s %s: %s", m.Type, k, m.Message)
		}
	}
}

// htmlLangDa matches the start tag <html … lang="da" …>.
var htmlLangDa = regexp.MustCompile(`(?is)<html\b[^>]*\blang\s*=\s*["']?da["'\s>]`)

// Test404 checks over plain HTTP (no browser needed) that a missing page is
// answered with 404 and a Danish HTML page.
func Test404(t *testing.T) {
	s := startSite(t)
	for _, path := range []string{notFoundPath, "/findes-ikke"} {
		t.Run(path, func(t *testing.T) {
			resp, body := get(t, s.URL+path)
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("status %d, want 404", resp.StatusCode)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type %q, want text/html", ct)
			}
			if !htmlLangDa.Match(body) {
				t.Errorf("no <html lang=\"da\"> in the 404 page:\n%s", truncate(string(body), 400))
			}
		})
	}
}
