package preview

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"html"
	"io/fs"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stenose/stenose/internal/content"
	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/site"
)

// The routes that exist only in watch mode.
const (
	EventsPath = "/_preview/events"    // text/event-stream: the site's version, now and after each change
	ScriptPath = "/_preview/reload.js" // reloads the tab when the version changes
)

//go:embed reload.js
var reloadJS []byte

// Live is the public site of a content folder on disk, rendered again on
// each change and swapped in atomically: a request reads one pointer and
// is served wholly by one version of the site.
type Live struct {
	dir  string
	opts site.Options
	cur  atomic.Pointer[state]
	done chan struct{}
	stop sync.Once

	mu     sync.Mutex        // one reload at a time; guards what follows
	good   map[string][]byte // each text file's last version that had no error
	mirror *mirror           // the folder's files as last read
	cache  *content.Cache    // the articles as last parsed

	subsMu sync.Mutex
	subs   map[chan string]struct{}
}

// state is one version of the site.
type state struct {
	site     *site.Site
	h        http.Handler
	problems content.Problems // of the files as they are on disk
	version  string
}

// New renders the content folder dir; an error means the site cannot be
// built at all (a broken template).
func New(dir string, opts site.Options) (*Live, error) {
	l := &Live{dir: dir, opts: opts, done: make(chan struct{}), good: map[string][]byte{},
		mirror: newMirror(dir), cache: content.NewCache(), subs: map[chan string]struct{}{}}
	if err := l.Reload(); err != nil {
		return nil, err
	}
	return l, nil
}

// Site is the version served now.
func (l *Live) Site() *site.Site { return l.cur.Load().site }

// Problems are the problems of the files as they are on disk now.
func (l *Live) Problems() content.Problems { return l.cur.Load().problems }

// Close ends the open event streams (for a server's shutdown).
func (l *Live) Close() { l.stop.Do(func() { close(l.done) }) }

// Run watches the folder and reloads on each change until ctx ends.
func (l *Live) Run(ctx context.Context, quiet time.Duration, ready chan<- struct{}) error {
	return WatchFiles(ctx, l.dir, quiet, func(names []string) {
		l.mu.Lock()
		l.mirror.changed(names)
		l.mu.Unlock()
		if err := l.Reload(); err != nil && l.opts.Logger != nil {
			l.opts.Logger.Error("preview: the site cannot be rendered; the last version stays", "err", err)
		}
	}, ready)
}

// Reload renders the folder as it is on disk and swaps the new site in.
// Only what changed is read and parsed again: a file whose size and
// modification time are as before is not read (mirror), an article whose
// bytes and dependencies are as before is not parsed (content.Cache); the
// site's templates and own files are made once per process
// (internal/site); a page is rendered when it is asked for (the open tab
// asks for one after the reload event). A file with an error
// is served as its last good version (when there was one), while
// Problems names what is wrong with it on disk. When no file the site
// reads has changed, nothing is swapped and no tab is told.
func (l *Live) Reload() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.mirror.begin()
	disk := view{m: l.mirror}
	r := site.ReadContent(disk, l.cache)
	probs := r.Problems
	bad := map[string]bool{}
	over := map[string][]byte{}
	for _, p := range probs {
		if p.Severity == content.Error {
			bad[p.File] = true
			if b, ok := l.good[p.File]; ok {
				over[p.File] = b
			}
		}
	}
	fsys := fs.FS(disk)
	if len(over) > 0 {
		fsys = view{m: l.mirror, over: over}
		r = site.ReadContent(fsys, l.cache)
		r.Problems = probs // the folder's, as it is on disk (and in the log)
	}
	s, err := site.LoadReadLazy(fsys, r, l.opts) // reads the images
	if err != nil {
		return err
	}
	if !l.mirror.end() && l.cur.Load() != nil {
		// Nothing the site reads changed (a file it does not read, an
		// editor's temp file not yet renamed over the article): the tabs
		// keep their page.
		return nil
	}
	there := map[string]bool{}
	l.mirror.each(func(p string, data []byte) {
		there[p] = true
		if isText(p) && !bad[p] {
			l.good[p] = data // a broken file keeps its last good version
		}
	})
	for p := range l.good {
		if !there[p] {
			delete(l.good, p) // gone
		}
	}
	st := &state{site: s, h: s.Handler(), problems: probs, version: strconv.FormatInt(time.Now().UnixNano(), 36)}
	l.cur.Store(st)
	l.publish(st.version)
	return nil
}

func (l *Live) publish(v string) {
	l.subsMu.Lock()
	defer l.subsMu.Unlock()
	for c := range l.subs {
		select {
		case <-c: // drop the older version not yet sent
		default:
		}
		c <- v
	}
}

// Handler serves the live site with the reload script and the problems
// injected into each HTML page. The two preview routes are ServeEvents and
// ServeScript, which the application's route table (internal/web) adds
// in watch mode.
func (l *Live) Handler() http.Handler { return http.HandlerFunc(l.serve) }

// ServeScript is GET ScriptPath: the script each page loads.
func (l *Live) ServeScript(w http.ResponseWriter, r *http.Request) {
	site.SecurityHeaders(w.Header())
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(reloadJS)))
	if r.Method != http.MethodHead {
		_, _ = w.Write(reloadJS)
	}
}

func (l *Live) serve(w http.ResponseWriter, r *http.Request) {
	st := l.cur.Load()
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		st.h.ServeHTTP(w, r)
		return
	}
	// Ask the site for the plain page, always whole (no 304): it is
	// rewritten below, and a tab must never keep an old version.
	r2 := r.Clone(r.Context())
	r2.Header.Del("Accept-Encoding")
	r2.Header.Del("If-None-Match")
	r2.Header.Del("If-Modified-Since")
	r2.Method = http.MethodGet // a HEAD's Content-Length is the rewritten page's too
	rec := &recorder{h: http.Header{}, status: http.StatusOK}
	st.h.ServeHTTP(rec, r2)
	body := rec.body.Bytes()
	if strings.HasPrefix(rec.h.Get("Content-Type"), "text/html") {
		body = inject(body, st, r.URL.Path)
	}
	h := w.Header()
	for k, v := range rec.h {
		h[k] = v
	}
	h.Del("Etag")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(rec.status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// inject puts the reload script at the end of the head and, when the
// content has errors, the list of them at the top of the body.
func inject(page []byte, st *state, path string) []byte {
	var b bytes.Buffer
	head := bytes.Index(page, []byte("</head>"))
	if head < 0 {
		return page
	}
	b.Write(page[:head])
	fmt.Fprintf(&b, `<script src="%s" data-version="%s" defer></script>`, ScriptPath, st.version)
	rest := page[head:]
	var errs content.Problems
	for _, p := range st.problems {
		if p.Severity == content.Error {
			errs = append(errs, p)
		}
	}
	body := bytes.Index(rest, []byte("<body"))
	if len(errs) == 0 || body < 0 {
		b.Write(rest)
		return b.Bytes()
	}
	end := bytes.IndexByte(rest[body:], '>')
	if end < 0 {
		b.Write(rest)
		return b.Bytes()
	}
	cut := body + end + 1
	b.Write(rest[:cut])
	lang := i18n.Da
	if path == "/en" || strings.HasPrefix(path, "/en/") {
		lang = i18n.En
	}
	fmt.Fprintf(&b, `<div id="stenose-preview-problems" role="alert"><p>%s</p><ul>`, html.EscapeString(lang.T("previewProblems")))
	for _, p := range errs {
		fmt.Fprintf(&b, "<li><code>%s</code></li>", html.EscapeString(filepath.ToSlash(fmt.Sprintf("%s:%d: %s", p.File, max(p.Line, 1), p.Msg))))
	}
	b.WriteString("</ul></div>")
	b.Write(rest[cut:])
	return b.Bytes()
}

// ServeEvents is GET EventsPath, the event stream: the version served now
// at once, then each new one; the script reloads the tab when it differs
// from the page's. The stream ends with the request or Close.
func (l *Live) ServeEvents(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}
	site.SecurityHeaders(w.Header())
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	c := make(chan string, 1)
	l.subsMu.Lock()
	l.subs[c] = struct{}{}
	l.subsMu.Unlock()
	defer func() {
		l.subsMu.Lock()
		delete(l.subs, c)
		l.subsMu.Unlock()
	}()
	rc := http.NewResponseController(w)
	v := l.cur.Load().version
	for {
		if _, err := fmt.Fprintf(w, "event: version\ndata: %s\n\n", v); err != nil {
			return
		}
		if rc.Flush() != nil {
			return
		}
		select {
		case v = <-c:
		case <-r.Context().Done():
			return
		case <-l.done:
			return
		}
	}
}

// recorder keeps what the site answers, to rewrite it.
type recorder struct {
	h      http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.h }
func (r *recorder) WriteHeader(s int)           { r.status = s }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
