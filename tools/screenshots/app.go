package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/alexedwards/argon2id"

	stenose "github.com/stenose/stenose"
	"github.com/stenose/stenose/internal/account"
	"github.com/stenose/stenose/internal/site"
	"github.com/stenose/stenose/internal/store"
	"github.com/stenose/stenose/internal/web"
)

// clock is the application's clock: set to each record's time while the
// patients are made (so every record is stamped as if made then), then
// running on from the chosen day while the pages are shot.
type clock struct {
	mu    sync.Mutex
	at    time.Time // the time set, or the start of the run
	began time.Time // zero while set; the wall-clock start of the run
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.began.IsZero() {
		return c.at
	}
	return c.at.Add(time.Since(c.began))
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	c.at, c.began = t, time.Time{}
	c.mu.Unlock()
}

func (c *clock) runFrom(t time.Time) {
	c.mu.Lock()
	c.at, c.began = t, time.Now()
	c.mu.Unlock()
}

// server is the application served on a loopback port.
type server struct {
	URL   string // "http://127.0.0.1:PORT"
	st    *store.Store
	acc   *account.Service
	clock *clock
	close func()
}

// cheap are argon2id parameters that hash in a millisecond: the accounts
// here are thrown away with the database.
var cheap = &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// startServer serves the whole application (the public site with the
// built-in content and the app) over a fresh SQLite database in a
// temporary folder, as `stenose serve` does, with c as every clock.
// Errors of the application go to stderr; the requests themselves are not
// logged (the tool asks for a 404 on purpose).
func startServer(ctx context.Context, c *clock) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	base := "http://" + ln.Addr().String()
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	s, err := site.Load(stenose.Content(), site.Options{BaseURL: base, Logger: logger})
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("loading the content: %w", err)
	}
	for _, p := range s.Problems() {
		fmt.Fprintf(os.Stderr, "content problem: %v\n", p)
	}
	dir, err := os.MkdirTemp("", "stenose-screenshots-")
	if err != nil {
		ln.Close()
		return nil, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	st, err := store.Open(ctx, "", filepath.Join(dir, "data"), store.WithClock(c.now))
	if err != nil {
		ln.Close()
		cleanup()
		return nil, fmt.Errorf("opening the database: %w", err)
	}
	acc, err := account.New(st, account.Options{Now: c.now, Params: cheap})
	if err != nil {
		ln.Close()
		st.Close()
		cleanup()
		return nil, err
	}
	h, err := web.New(web.Config{Site: s, Store: st, Accounts: acc, Now: c.now, Logger: logger})
	if err != nil {
		ln.Close()
		st.Close()
		cleanup()
		return nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
			fmt.Fprintln(os.Stderr, "serving:", err)
		}
	}()
	return &server{URL: base, st: st, acc: acc, clock: c, close: func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
		<-done
		st.Close()
		cleanup()
	}}, nil
}
