// Command baregoserver is the reference ceiling for the serve benchmark: a
// minimal net/http server that answers every request with the same bytes,
// read once from a file into memory.
//
//	go run ./bench/baregoserver -file page.html -addr 127.0.0.1:18082
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
	"syscall"
	"time"
)

func main() {
	file := flag.String("file", "", "file whose bytes are served for every request (required)")
	addr := flag.String("addr", "127.0.0.1:8082", "listen address")
	flag.Parse()
	if *file == "" {
		log.Fatal("baregoserver: -file is required")
	}
	body, err := os.ReadFile(*file)
	if err != nil {
		log.Fatalf("baregoserver: %v", err)
	}
	length := strconv.Itoa(len(body))

	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Type"] = []string{"text/html; charset=utf-8"}
		h["Content-Length"] = []string{length}
		if r.Method == http.MethodHead {
			return
		}
		_, _ = w.Write(body)
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

	log.Printf("baregoserver: serving %d bytes from %s on http://%s", len(body), *file, *addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatalf("baregoserver: %v", err)
	}
}
