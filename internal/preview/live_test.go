package preview

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/site"
)

const seed = "blog/5-bedste-oevelser-til-spinalstenose.md"

// copyContent copies the built-in content into a temp folder.
func copyContent(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "content")
	if err := os.CopyFS(dir, os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
	return dir
}

func newLive(t testing.TB, dir string) *Live {
	t.Helper()
	l, err := New(dir, site.Options{BaseURL: "http://x", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// serve is the preview as the application's route table serves it
// (internal/web): the two routes, and the live site for the rest.
func serve(l *Live) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+EventsPath, l.ServeEvents)
	mux.HandleFunc("GET "+ScriptPath, l.ServeScript)
	mux.Handle("/", l.Handler())
	return mux
}

func get(t *testing.T, h http.Handler, path string) (int, string, http.Header) {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String(), rec.Header()
}

func edit(t *testing.T, file string, from, to string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), from) {
		t.Fatalf("%s has no %q", file, from)
	}
	if err := os.WriteFile(file, []byte(strings.Replace(string(b), from, to, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestReload: each Reload serves the folder as it is on disk — a changed
// text, a broken front matter (its file:line problem in the page, the
// last good version still served), the fix, a new author with an article
// and a new image — and every HTML page carries the reload script.
func TestReload(t *testing.T) {
	dir := copyContent(t)
	l := newLive(t, dir)
	h := l.Handler()
	const page = "/blog/5-bedste-oevelser-til-spinalstenose"
	file := filepath.Join(dir, filepath.FromSlash(seed))

	code, body, hdr := get(t, h, page)
	if code != 200 || !strings.Contains(body, `<script src="/_preview/reload.js" data-version="`+l.cur.Load().version+`" defer></script></head>`) ||
		hdr.Get("Content-Encoding") != "" || hdr.Get("Cache-Control") != "no-store" || hdr.Get("Etag") != "" {
		t.Fatalf("first page: %d %v\n%.300s", code, hdr, body)
	}

	head := httptest.NewRecorder()
	h.ServeHTTP(head, httptest.NewRequest("HEAD", page, nil))
	if head.Code != 200 || head.Body.Len() != 0 || head.Header().Get("Content-Length") != strconv.Itoa(len(body)) {
		t.Errorf("HEAD: %d, %d bytes, Content-Length %s, want 200, 0 and %d", head.Code, head.Body.Len(), head.Header().Get("Content-Length"), len(body))
	}

	steps := []struct {
		name   string
		change func()
		want   []string
		absent []string
	}{
		{"text changed", func() { edit(t, file, "Hvad er spinalstenose\n", "Hvad er spinalstenose egentlig\n") },
			[]string{"Hvad er spinalstenose egentlig"}, []string{"stenose-preview-problems"}},
		{"front matter broken", func() { edit(t, file, `title: "5 bedste`, `title: [5 bedste`) },
			[]string{"stenose-preview-problems", "blog/5-bedste-oevelser-til-spinalstenose.md:2: invalid YAML", "Hvad er spinalstenose egentlig", "<h1>5 bedste"}, nil},
		{"another file saved while it is broken", func() {
			if err := os.WriteFile(filepath.Join(dir, "blog", "ny-imens.md"), []byte("---\ntitle: \"Ny\"\ndatePublished: 01-12-2026\nauthor: "+authorOf(t, file)+"\n---\n\nTekst.\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, []string{"stenose-preview-problems", "Hvad er spinalstenose egentlig", "<h1>5 bedste"}, nil},
		{"fixed", func() { edit(t, file, `title: [5 bedste`, `title: "Fem bedste`) },
			[]string{"<h1>Fem bedste"}, []string{"stenose-preview-problems"}},
	}
	for _, s := range steps {
		s.change()
		before := l.cur.Load().version
		if err := l.Reload(); err != nil {
			t.Fatal(err)
		}
		if l.cur.Load().version == before {
			t.Errorf("%s: the version did not change", s.name)
		}
		code, body, _ := get(t, h, page)
		if code != 200 {
			t.Fatalf("%s: status %d", s.name, code)
		}
		for _, w := range s.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: the page lacks %q", s.name, w)
			}
		}
		for _, w := range s.absent {
			if strings.Contains(body, w) {
				t.Errorf("%s: the page has %q", s.name, w)
			}
		}
	}

	// A new author, an article of theirs and a new image.
	os.WriteFile(filepath.Join(dir, "authors", "mette-berg.md"), []byte("---\nname: Mette Berg\n---\n"), 0o644)
	png, _ := os.ReadFile(filepath.Join(dir, "images", "blog", "spinalstenose_intro.png"))
	os.WriteFile(filepath.Join(dir, "images", "blog", "ny.png"), png, 0o644)
	os.WriteFile(filepath.Join(dir, "blog", "ny.md"), []byte("---\ntitle: Ny\ndatePublished: 01-12-2026\nauthor: mette-berg\npreviewImage: /images/blog/ny.png\npreviewImageAlt: Et billede\n---\n\n## Start\n\n![Et billede](/images/blog/ny.png)\n"), 0o644)
	if err := l.Reload(); err != nil {
		t.Fatal(err)
	}
	if code, body, _ := get(t, h, "/blog/ny"); code != 200 || !strings.Contains(body, "Mette Berg") || strings.Contains(body, "stenose-preview-problems") {
		t.Errorf("new article: %d, problems %v", code, l.Problems())
	}
	if code, _, _ := get(t, h, "/images/blog/ny.png"); code != 200 {
		t.Errorf("new image: %d", code)
	}
	if len(l.Problems()) != 0 {
		t.Errorf("problems: %v", l.Problems())
	}
}

// TestEvents: the event stream sends the version at once and each new one
// after a Reload that changed something.
func TestEvents(t *testing.T) {
	l := newLive(t, copyContent(t))
	srv := httptest.NewServer(serve(l))
	defer srv.Close()
	defer l.Close()
	res, err := http.Get(srv.URL + EventsPath)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	r := bufio.NewReader(res.Body)
	next := func() string {
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatal(err)
			}
			if v, ok := strings.CutPrefix(line, "data: "); ok {
				return strings.TrimSpace(v)
			}
		}
	}
	if v := next(); v != l.cur.Load().version {
		t.Fatalf("first event %q, want %q", v, l.cur.Load().version)
	}
	// A reload with nothing changed that the site reads (a file it does
	// not read) keeps the version: no event, no tab reloads.
	before := l.cur.Load().version
	os.WriteFile(filepath.Join(l.dir, "blog", "noter.txt"), []byte("x"), 0o644)
	if err := l.Reload(); err != nil {
		t.Fatal(err)
	}
	if v := l.cur.Load().version; v != before {
		t.Errorf("a reload with nothing changed gave a new version")
	}
	edit(t, filepath.Join(l.dir, filepath.FromSlash(seed)), "## Hvad er spinalstenose\n", "## Hvad er spinalstenose nu\n")
	if err := l.Reload(); err != nil {
		t.Fatal(err)
	}
	if v := next(); v != l.cur.Load().version || v == before {
		t.Fatalf("after reload %q, want %q", v, l.cur.Load().version)
	}
}

// TestWatch: a burst of writes, a file renamed over another (an editor's
// save) and a file in a folder made after the start each lead to a call;
// a burst well inside the quiet time is one call.
func TestWatch(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := make(chan struct{}, 100)
	ready := make(chan struct{})
	const quiet = 300 * time.Millisecond
	go Watch(ctx, dir, quiet, func() { calls <- struct{}{} }, ready)
	<-ready
	wait := func(what string) {
		t.Helper()
		select {
		case <-calls:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: no call", what)
		}
	}
	// A burst: ten writes at once, then a temp file renamed over the
	// target.
	for i := range 10 {
		os.WriteFile(filepath.Join(dir, "a.md"), []byte(strings.Repeat("x", i)), 0o644)
	}
	os.WriteFile(filepath.Join(dir, ".a.md.swp"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(dir, "a.md.tmp123"), []byte("y"), 0o644)
	os.Rename(filepath.Join(dir, "a.md.tmp123"), filepath.Join(dir, "a.md"))
	wait("burst")
	select {
	case <-calls:
		t.Fatal("a burst gave two calls")
	case <-time.After(2 * quiet):
	}
	// A new folder, and a file in it after it is watched.
	os.MkdirAll(filepath.Join(dir, "blog", "2026"), 0o755)
	wait("new folder")
	os.WriteFile(filepath.Join(dir, "blog", "2026", "b.md"), []byte("b"), 0o644)
	wait("file in the new folder")
}

// TestReloadReadsWhatChanged: after each change on disk, Reload serves
// what a fresh render of the folder serves, though it reads and parses
// only what changed — a renamed author on the article and the author's
// page, a renamed clinic in every page's footer, a save that kept the
// file's size and modification time but that the watcher named, a
// deleted article gone from its address and the list.
func TestReloadReadsWhatChanged(t *testing.T) {
	dir := copyContent(t)
	l := newLive(t, dir)
	h := l.Handler()
	const page = "/blog/5-bedste-oevelser-til-spinalstenose"
	file := filepath.Join(dir, filepath.FromSlash(seed))
	steps := []struct {
		name   string
		change func()
		path   string
		want   []string
		absent []string
		status int
	}{
		{"author renamed", func() {
			edit(t, filepath.Join(dir, "authors", "anders-hammer.md"), "Anders Hammer", "Anders Hammerich")
		},
			page, []string{"Anders Hammerich"}, nil, 200},
		{"author page", func() {}, "/forfatter/anders-hammer", []string{"Anders Hammerich"}, nil, 200},
		{"clinic renamed", func() {
			edit(t, filepath.Join(dir, "clinic.yaml"), "name: Klinik for Ryg og Bevægelse", "name: Klinik for Ryg og Gang")
		},
			"/blog/", []string{"Klinik for Ryg og Gang"}, []string{"Klinik for Ryg og Bevægelse"}, 200},
		{"same size and time, named by the watcher", func() {
			st, err := os.Stat(file)
			if err != nil {
				t.Fatal(err)
			}
			edit(t, file, "## Hvad er spinalstenose\n", "## Hvad er spinalstenoze\n")
			if err := os.Chtimes(file, st.ModTime(), st.ModTime()); err != nil {
				t.Fatal(err)
			}
			l.mirror.changed([]string{file})
		}, page, []string{"Hvad er spinalstenoze"}, nil, 200},
		{"article deleted", func() { os.Remove(file) }, page, nil, nil, 404},
		{"not in the list", func() {}, "/blog/", nil, []string{page}, 200},
	}
	for _, s := range steps {
		s.change()
		if err := l.Reload(); err != nil {
			t.Fatal(err)
		}
		code, body, _ := get(t, h, s.path)
		if code != s.status {
			t.Errorf("%s: %s answers %d, want %d", s.name, s.path, code, s.status)
		}
		for _, w := range s.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: %s lacks %q", s.name, s.path, w)
			}
		}
		for _, w := range s.absent {
			if strings.Contains(body, w) {
				t.Errorf("%s: %s has %q", s.name, s.path, w)
			}
		}
		// The same as rendering the folder afresh.
		fresh := newLive(t, dir)
		_, want, _ := get(t, fresh.Handler(), s.path)
		cut := func(b string) string { // the reload script names the version
			i := strings.Index(b, `<script src="/_preview/reload.js"`)
			j := strings.Index(b, "</head>")
			if i < 0 || j < i {
				return b
			}
			return b[:i] + b[j:]
		}
		if cut(body) != cut(want) {
			t.Errorf("%s: %s differs from a fresh render of the folder", s.name, s.path)
		}
	}
	if _, ok := l.good[seed]; ok {
		t.Error("the deleted article's last good version is still kept")
	}
}

// authorOf is the author slug in an article's front matter.
func authorOf(t *testing.T, file string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "author:"); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatalf("%s names no author", file)
	return ""
}
