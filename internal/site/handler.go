package site

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/stenose/stenose/internal/i18n"
)

const (
	cacheRevalidate = "no-cache" // pages: always revalidated, answered 304 when unchanged
	cacheImmutable  = "public, max-age=31536000, immutable"
	cacheDay        = "public, max-age=86400"
)

// page is one response body held in memory with everything needed to answer
// for it: the gzip variant is made once, the first time a client asks.
type page struct {
	body   []byte
	etag   []string
	etagGz []string
	ctype  []string
	cache  []string
	length []string
	status int

	gzOnce   sync.Once
	gz       []byte
	gzLength []string
}

func newPage(body []byte, ctype, cache string, status int) *page {
	sum := sha256.Sum256(body)
	tag := base64.RawURLEncoding.EncodeToString(sum[:12])
	return &page{
		body:   body,
		etag:   []string{`"` + tag + `"`},
		etagGz: []string{`"` + tag + `-gz"`},
		ctype:  []string{ctype},
		cache:  []string{cache},
		length: []string{strconv.Itoa(len(body))},
		status: status,
	}
}

// compressible reports whether gzip is worth it for this page.
func (p *page) compressible() bool {
	if len(p.body) < 1024 {
		return false
	}
	ct := p.ctype[0]
	return strings.HasPrefix(ct, "text/") || strings.Contains(ct, "xml") || strings.Contains(ct, "json") || strings.Contains(ct, "javascript")
}

func (p *page) gzipped() []byte {
	p.gzOnce.Do(func() {
		var b bytes.Buffer
		compress(&b, p.body)
		if b.Len() < len(p.body) {
			p.gz = b.Bytes()
			p.gzLength = []string{strconv.Itoa(b.Len())}
		}
	})
	return p.gz
}

// A gzip writer at BestCompression holds about 800 KB of state while it
// runs (1.8 ms for an article page). Each page is compressed once, the
// first time a client asks, but a crawler asking for every page at once
// would have as many writers alive as pages it asks for: 48 URLs of the
// built-in content at once took `serve` from 37 to 49 MB resident, and a
// site of hundreds of articles would go far past the 60 MB public pages
// are meant to need. So at most one compression runs per core (more would
// only share the cores), and the writers are reused.
var (
	gzipSlots   = make(chan struct{}, runtime.GOMAXPROCS(0))
	gzipWriters = sync.Pool{New: func() any {
		zw, _ := gzip.NewWriterLevel(nil, gzip.BestCompression)
		return zw
	}}
)

// compress writes body gzipped at BestCompression to w.
func compress(w io.Writer, body []byte) {
	gzipSlots <- struct{}{}
	defer func() { <-gzipSlots }()
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(w)
	_, _ = zw.Write(body)
	_ = zw.Close()
	zw.Reset(nil) // hold no reference to w in the pool
	gzipWriters.Put(zw)
}

// Security headers on every response (the README's table under
// "Headers" lists them with their values, and internal/web's test holds
// every route to it). The policy allows nothing from other sites and no
// inline script or style: script-src and style-src fall back to
// default-src 'self'. frame-ancestors 'none' is the modern form of
// X-Frame-Options: DENY, which is sent too for browsers and scanners that
// read only the old header. Permissions-Policy turns off the devices no
// page uses (the player's screen wake lock stays this site's). The list is
// kept short on purpose: every header is written on every response, and
// header bytes are a measurable share of serving a page from memory.
var (
	hdrCSP           = []string{"default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"}
	hdrNoSniff       = []string{"nosniff"}
	hdrReferrer      = []string{"same-origin"}
	hdrFrame         = []string{"DENY"}
	hdrPermissions   = []string{"camera=(), microphone=(), geolocation=(), payment=(), usb=(), screen-wake-lock=(self)"}
	hdrVary          = []string{"Accept-Encoding"}
	hdrGzip          = []string{"gzip"}
	hdrNoStore       = []string{"no-store"}
	hdrTextPlain     = []string{"text/plain; charset=utf-8"}
	hdrAllowGET      = []string{"GET, HEAD"}
	hdrCacheNotFound = []string{"no-cache"}
)

// SecurityHeaders sets the headers every response carries.
func SecurityHeaders(h http.Header) {
	h["Content-Security-Policy"] = hdrCSP
	h["X-Content-Type-Options"] = hdrNoSniff
	h["Referrer-Policy"] = hdrReferrer
	h["X-Frame-Options"] = hdrFrame
	h["Permissions-Policy"] = hdrPermissions
}

// Handler serves the site: pages, static files and images from memory,
// plus /healthz. Everything here is public and read-only. The metrics are
// not here: MetricsHandler serves them on a listener of their own
// (`stenose serve --metrics-addr`), so the public one never shows them.
func (s *Site) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = hdrTextPlain
		w.Header()["Cache-Control"] = hdrNoStore
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("/", s.serveFallback)
	return &handler{site: s, mux: mux}
}

// MetricsHandler serves GET /metrics (Prometheus' text format) and nothing
// else: for a listener that only operators reach.
func (s *Site) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.metrics.handler())
	return mux
}

type handler struct {
	site *Site
	mux  *http.ServeMux
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	SecurityHeaders(w.Header())
	if p := h.site.file(r.URL.Path); p != nil {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header()["Allow"] = hdrAllowGET
			http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
			h.site.observe(r, "page", http.StatusMethodNotAllowed, 0, start)
			return
		}
		status, n := servePage(w, r, p)
		h.site.observe(r, "page", status, n, start)
		return
	}
	if clean := cleanPath(r.URL.Path); clean != r.URL.Path {
		// Unclean paths (//x, /a/../b) go to their clean form with the
		// same 301 as every other moved address (ServeMux would send 307).
		// A backslash is a slash to a browser: "/\evil.example" or
		// "/\/evil.example" would leave the site, so slashes and
		// backslashes after the first one are dropped.
		target := "/" + strings.TrimLeft(clean[1:], "/\\")
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
		h.site.observe(r, "other", http.StatusMovedPermanently, 0, start)
		return
	}
	rec := &statusRecorder{ResponseWriter: w, status: 200}
	h.mux.ServeHTTP(rec, r)
	h.site.observe(r, routeOf(r.URL.Path), rec.status, rec.n, start)
}

// cleanPath is path.Clean that keeps a trailing slash, so /blog/ stays.
func cleanPath(p string) string {
	if p == "" {
		return "/"
	}
	if p[0] != '/' {
		p = "/" + p
	}
	c := path.Clean(p)
	if strings.HasSuffix(p, "/") && c != "/" {
		c += "/"
	}
	return c
}

func routeOf(p string) string {
	switch p {
	case "/healthz":
		return "healthz"
	}
	return "other"
}

// servePage answers from a page in memory: 304 when the client has it,
// gzip when the client takes it.
func servePage(w http.ResponseWriter, r *http.Request, p *page) (status, n int) {
	h := w.Header()
	h["Content-Type"] = p.ctype
	h["Cache-Control"] = p.cache
	body, etag, length := p.body, p.etag, p.length
	if p.compressible() {
		h["Vary"] = hdrVary
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			if gz := p.gzipped(); gz != nil {
				body, etag, length = gz, p.etagGz, p.gzLength
				h["Content-Encoding"] = hdrGzip
			}
		}
	}
	h["Etag"] = etag
	if p.status == http.StatusOK && matchesETag(r.Header.Get("If-None-Match"), p) {
		delete(h, "Content-Type")
		delete(h, "Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return http.StatusNotModified, 0
	}
	h["Content-Length"] = length
	w.WriteHeader(p.status)
	if r.Method == http.MethodHead {
		return p.status, 0
	}
	n, _ = w.Write(body)
	return p.status, n
}

// acceptsGzip reads Accept-Encoding well enough: gzip listed and not q=0.
func acceptsGzip(ae string) bool {
	for ae != "" {
		var part string
		part, ae, _ = strings.Cut(ae, ",")
		name, params, _ := strings.Cut(part, ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") {
			q := strings.ToLower(strings.ReplaceAll(params, " ", ""))
			return !(q == "q=0" || q == "q=0.0" || q == "q=0.00" || q == "q=0.000")
		}
	}
	return false
}

// matchesETag reports whether If-None-Match names either variant of p.
func matchesETag(inm string, p *page) bool {
	if inm == "" {
		return false
	}
	for inm != "" {
		var tag string
		tag, inm, _ = strings.Cut(inm, ",")
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == p.etag[0] || tag == p.etagGz[0] {
			return true
		}
	}
	return false
}

// serveFallback answers what is not a page: moved addresses are redirected,
// the rest gets the 404 page in the language of its path.
func (s *Site) serveFallback(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if target := s.redirect(p); target != "" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
		return
	}
	lang := i18n.Da
	if p == "/en" || strings.HasPrefix(p, "/en/") {
		lang = i18n.En
	}
	nf := s.notFound[lang]
	if nf == nil {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h["Content-Type"] = nf.ctype
	h["Cache-Control"] = hdrCacheNotFound
	h["Content-Length"] = nf.length
	w.WriteHeader(http.StatusNotFound)
	if r.Method != http.MethodHead {
		_, _ = w.Write(nf.body)
	}
}

// redirect gives the address a near-miss path should go to, or "".
func (s *Site) redirect(p string) string {
	try := []string{}
	if strings.HasSuffix(p, "/") {
		try = append(try, strings.TrimRight(p, "/"))
	} else {
		try = append(try, p+"/")
	}
	if strings.HasSuffix(p, ".md") {
		try = append(try, strings.TrimSuffix(p, ".md"))
	}
	if strings.HasSuffix(p, "/index.html") {
		try = append(try, strings.TrimSuffix(p, "index.html"))
	}
	switch p {
	case "/blog/side/1", "/blog/side/1/":
		try = append(try, "/blog/")
	case "/en/blog/side/1", "/en/blog/side/1/":
		try = append(try, "/en/blog/")
	}
	for _, t := range try {
		if t != p && t != "" && s.file(t) != nil {
			return t
		}
	}
	return ""
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	n      int
	wrote  bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wrote = true
	n, err := r.ResponseWriter.Write(b)
	r.n += n
	return n, err
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// observe counts the request and logs it: always when it went wrong
// (status 400 and up; 5xx as an error), and every request when the access
// log is on. The full access log is off by default: formatting a log
// record costs about a tenth of the throughput of a page served from
// memory, and a proxy in front usually logs requests already.
func (s *Site) observe(r *http.Request, route string, status, n int, start time.Time) {
	s.Observe(r, route, status, n, start)
}

// Observe counts a request under route (the metrics' label) and logs it
// as the site's own requests are (observe), with attrs after the common
// fields: method, path (never the query, which may carry a code), status,
// bytes, duration and the client's IP. The application's routes use it
// too, so one flag and one format cover every route. Nothing of the body,
// the cookies or the query is logged.
func (s *Site) Observe(r *http.Request, route string, status, n int, start time.Time, attrs ...slog.Attr) {
	d := time.Since(start)
	s.metrics.observe(route, status, d)
	if status < 400 && !s.opts.AccessLog {
		return
	}
	lvl := slog.LevelInfo
	if status >= 500 {
		lvl = slog.LevelError
	}
	client := r.RemoteAddr
	if s.opts.ClientAddr != nil {
		client = s.opts.ClientAddr(r)
	}
	if host, _, err := net.SplitHostPort(client); err == nil {
		client = host
	}
	s.log.LogAttrs(r.Context(), lvl, "request", append([]slog.Attr{
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", status),
		slog.Int("bytes", n),
		slog.Duration("duration", d),
		slog.String("client", client),
	}, attrs...)...)
}
