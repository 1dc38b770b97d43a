// Command baregoserver is the reference ceiling for the serve benchmark: a
// minimal net/http server that answers every request with the same bytes,
// read once from a file into memory. With -gzip, a request whose
// Accept-Encoding names gzip gets that file's bytes instead (the page as
// `stenose serve` compressed it), with Content-Encoding: gzip: the ceiling
// for the compressed path. No other header is written beyond what net/http
// adds (Date): the least a Go server can send. With -headers, every
// response also carries the header fields listed in that file ("Name:
// value" lines, as `curl -D` writes them): bench/run.sh gives it the fields
// stenose sends, for a ceiling that sends what stenose sends.
//
//	go run ./bench/baregoserver -file page.html [-gzip page.html.gz] [-headers fields.txt] -addr 127.0.0.1:18082
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	file := flag.String("file", "", "file whose bytes are served for every request (required)")
	gzFile := flag.String("gzip", "", "file whose bytes (gzip) are served to requests that accept gzip; default none: never compressed")
	addr := flag.String("addr", "127.0.0.1:8082", "listen address")
	hdrFile := flag.String("headers", "", `file of "Name: value" lines: header fields every response also carries`)
	flag.Parse()
	if *file == "" {
		log.Fatal("baregoserver: -file is required")
	}
	body, err := os.ReadFile(*file)
	if err != nil {
		log.Fatalf("baregoserver: %v", err)
	}
	length := []string{strconv.Itoa(len(body))}
	var gz []byte
	var gzLength []string
	if *gzFile != "" {
		if gz, err = os.ReadFile(*gzFile); err != nil {
			log.Fatalf("baregoserver: %v", err)
		}
		gzLength = []string{strconv.Itoa(len(gz))}
	}
	extra := http.Header{}
	if *hdrFile != "" {
		b, err := os.ReadFile(*hdrFile)
		if err != nil {
			log.Fatalf("baregoserver: %v", err)
		}
		for _, line := range strings.Split(strings.ReplaceAll(string(b), "\r", ""), "\n") {
			if name, value, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(name) != "" {
				extra.Add(strings.TrimSpace(name), strings.TrimSpace(value))
			}
		}
	}
	ctype := []string{"text/html; charset=utf-8"}
	gzip := []string{"gzip"}

	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range extra {
			h[k] = v
		}
		h["Content-Type"] = ctype
		b, l := body, length
		if gz != nil && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			b, l = gz, gzLength
			h["Content-Encoding"] = gzip
		}
		h["Content-Length"] = l
		if r.Method == http.MethodHead {
			return
		}
		_, _ = w.Write(b)
	})

	srv := &http.Server{
		Addr:              *addr,
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdownCtx)
	}()

	log.Printf("baregoserver: serving %d bytes from %s (gzip: %d bytes, %d more header fields) on http://%s", len(body), *file, len(gz), len(extra), *addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatalf("baregoserver: %v", err)
	}
}
