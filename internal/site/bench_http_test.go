package site_test

import (
	"bytes"
	"io"
	"maps"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// BenchmarkServeArticleHTTP serves the article through a real net/http
// server, plain and gzip, next to a bare handler that sends the same bytes
// with the least a Go server can send (bench/baregoserver's handler). The
// connection is in memory: the requests come one after the other on one
// keep-alive connection and the responses are counted and dropped, so what
// is measured is the server's own CPU per request — net/http's parsing,
// the handler, writing the headers, the garbage — without the system
// calls, which are the same for both (two writes and about one read per
// request, `strace -c` under wrk). The ratio bare/stenose of these ns/op
// is the share of the Go ceiling stenose keeps outside the kernel;
// `bench/run.sh serve` measures the same over loopback with wrk.
func BenchmarkServeArticleHTTP(b *testing.B) {
	h := builtinHandler(b)
	plain := get(h, articlePath).Body.Bytes()
	gzr := get(h, articlePath, "Accept-Encoding", "gzip")
	if gzr.Header().Get("Content-Encoding") != "gzip" {
		b.Fatal("the article is not sent gzipped")
	}
	gz := gzr.Body.Bytes()
	bare := bareHandler(plain, gz)
	// The bare handler again, with the header fields stenose sends on the
	// compressed page (11, where the bare one sends 3): first 8 of them,
	// then 9, then all. What the fields alone cost in net/http: each is
	// copied, sorted and written per response, and from the 9th on the
	// response's header map and net/http's copy of it are no longer one
	// small group but a table (two more allocations of ~0.7 KB each).
	all := gzr.Header().Clone()
	all.Del("Date")
	order := []string{"Content-Type", "Content-Length", "Content-Encoding"}
	for _, k := range slices.Sorted(maps.Keys(all)) {
		if !slices.Contains(order, k) {
			order = append(order, k)
		}
	}
	if len(order) != 11 {
		b.Fatalf("stenose sends %d header fields on the compressed page, the benchmark expects 11: %v", len(order), order)
	}
	withFields := func(n int) http.Handler {
		fields := http.Header{}
		for _, k := range order[:n] {
			fields[k] = all[k]
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			for k, v := range fields {
				h[k] = v
			}
			_, _ = w.Write(gz)
		})
	}
	for _, tc := range []struct {
		name, ae string
		h        http.Handler
	}{
		{"plain/stenose", "", h},
		{"plain/bare", "", bare},
		{"gzip/stenose", "gzip, deflate, br, zstd", h},
		{"gzip/bare", "gzip, deflate, br, zstd", bare},
		{"gzip/bare-with-8-fields", "gzip, deflate, br, zstd", withFields(8)},
		{"gzip/bare-with-9-fields", "gzip, deflate, br, zstd", withFields(9)},
		{"gzip/bare-with-stenose-fields", "gzip, deflate, br, zstd", withFields(11)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			req := "GET " + articlePath + " HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: bench\r\n"
			if tc.ae != "" {
				req += "Accept-Encoding: " + tc.ae + "\r\n"
			}
			req += "\r\n"
			benchHTTP(b, tc.h, []byte(req))
		})
	}
}

// bareHandler is bench/baregoserver's: the page's bytes from memory, with
// Content-Type and Content-Length, and Content-Encoding when gzipped.
func bareHandler(plain, gz []byte) http.Handler {
	ctype := []string{"text/html; charset=utf-8"}
	length, gzLength := []string{strconv.Itoa(len(plain))}, []string{strconv.Itoa(len(gz))}
	enc := []string{"gzip"}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Type"] = ctype
		body, l := plain, length
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			body, l = gz, gzLength
			h["Content-Encoding"] = enc
		}
		h["Content-Length"] = l
		_, _ = w.Write(body)
	})
}

// benchHTTP sends b.N copies of req on one connection to an http.Server
// around h and waits for b.N responses.
func benchHTTP(b *testing.B, h http.Handler, req []byte) {
	c := &memConn{req: req, n: b.N, done: make(chan struct{}), closed: make(chan struct{})}
	ln := &oneConnListener{c: c, closed: make(chan struct{})}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	b.ReportAllocs()
	cpu0 := processCPU()
	b.ResetTimer()
	go func() { _ = srv.Serve(ln) }()
	<-c.done
	b.StopTimer()
	// The process's CPU time per request: steadier than ns/op on a
	// machine whose cores are shared (the wall clock counts the waits).
	b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N), "cpu-ns/op")
	_ = srv.Close()
	if c.bad.Load() {
		b.Fatalf("a response was not 200: %q", c.first)
	}
}

// processCPU is the CPU time the process has used, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// memConn reads as n copies of req (one per Read, or the part of one a
// short buffer takes) and counts the responses written to it.
type memConn struct {
	req       []byte
	n         int
	sent, off int // requests fully read; offset in the current one
	responses int
	first     []byte
	bad       atomic.Bool
	done      chan struct{} // closed after n responses
	closed    chan struct{}
	closeOnce sync.Once
}

var status200 = []byte("HTTP/1.1 200 ")

func (c *memConn) Read(p []byte) (int, error) {
	if c.sent == c.n {
		<-c.closed // the next request never comes: the server waits, as it would for a client
		return 0, io.EOF
	}
	k := copy(p, c.req[c.off:])
	c.off += k
	if c.off == len(c.req) {
		c.sent, c.off = c.sent+1, 0
	}
	return k, nil
}

func (c *memConn) Write(p []byte) (int, error) {
	// Every response starts a write: net/http buffers its headers and
	// flushes them with the body's first bytes.
	if bytes.HasPrefix(p, []byte("HTTP/1.1 ")) {
		if !bytes.HasPrefix(p, status200) {
			c.first = append([]byte(nil), p[:min(len(p), 200)]...)
			c.bad.Store(true)
		}
		c.responses++
		if c.responses == c.n {
			close(c.done)
		}
	}
	return len(p), nil
}

func (c *memConn) Close() error {
	c.closeOnce.Do(func() { close(c.closed) })
	return nil
}

func (c *memConn) LocalAddr() net.Addr                     { return memAddr("127.0.0.1:8080") }
func (c *memConn) RemoteAddr() net.Addr                    { return memAddr("127.0.0.1:40000") }
func (c *memConn) SetDeadline(time.Time) error             { return nil }
func (c *memConn) SetReadDeadline(time.Time) error         { return nil }
func (c *memConn) SetWriteDeadline(time.Time) error        { return nil }
func (c *memConn) String() string                          { return "memConn" }
func (a memAddr) Network() string                          { return "tcp" }
func (a memAddr) String() string                           { return string(a) }
func (l *oneConnListener) Addr() net.Addr                  { return memAddr("127.0.0.1:8080") }
func (l *oneConnListener) Close() error                    { l.once.Do(func() { close(l.closed) }); return nil }
func (l *oneConnListener) Accept() (c net.Conn, err error) { return l.accept() }

type memAddr string

// oneConnListener hands out its connection once, then waits until closed.
type oneConnListener struct {
	c      *memConn
	given  bool
	closed chan struct{}
	once   sync.Once
}

func (l *oneConnListener) accept() (net.Conn, error) {
	if !l.given {
		l.given = true
		return l.c, nil
	}
	<-l.closed
	return nil, net.ErrClosed
}
