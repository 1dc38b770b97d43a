package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/stenose/stenose/internal/account"
	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/preview"
	"github.com/stenose/stenose/internal/site"
	"github.com/stenose/stenose/internal/web"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "[--addr HOST:PORT] [--content DIR] [--base-url URL] [--watch] [--access-log] [--trusted-proxies CIDRS] [--metrics-addr HOST:PORT] [--body-timeout DURATION] [--drain DURATION] [--hash-slots N] [--db DSN] [--data DIR]", stderr)
	addr := fs.String("addr", envDefault("STENOSE_ADDR", "127.0.0.1:8080"), "address to listen on (STENOSE_ADDR)")
	dir := contentFlag(fs)
	base := fs.String("base-url", envDefault("STENOSE_BASE_URL", ""), "public address used in canonical links, the sitemap and the feed; default http://ADDR (STENOSE_BASE_URL)")
	proxies := fs.String("trusted-proxies", envDefault("STENOSE_TRUSTED_PROXIES", ""), "comma-separated CIDRs or addresses of reverse proxies whose X-Forwarded-For names the client (for the per-address sign-in limit); default none: the TCP peer is the client (STENOSE_TRUSTED_PROXIES)")
	metricsAddr := fs.String("metrics-addr", envDefault("STENOSE_METRICS_ADDR", ""), "address of a second listener that serves only /metrics (Prometheus), e.g. 127.0.0.1:9464; default none: no metrics are served. The public listener never serves them (STENOSE_METRICS_ADDR)")
	db := dbFlags(fs)
	drain := fs.Duration("drain", 5*time.Second, "on SIGTERM, how long /readyz answers 503 before the server stops taking requests, so a load balancer stops sending new ones; open requests then finish (STENOSE_DRAIN)")
	bodyTimeout := fs.Duration("body-timeout", 10*time.Second, "how long a client may take to send a request's body, from the end of its headers; a slower one gets its connection closed (STENOSE_BODY_TIMEOUT)")
	hashSlots := fs.Int("hash-slots", account.DefaultHashSlots, fmt.Sprintf("how many password hashes (sign-ins, sign-ups, password changes) may run at once; each takes %d MiB (argon2id) while it runs, and more wait for a slot. The process's memory is about N × %d MiB more than serving pages needs, and the Go heap's soft limit is 2 × N × %d MiB unless GOMEMLIMIT is set (STENOSE_HASH_SLOTS)", hashMiB, hashMiB, hashMiB))
	for _, f := range [][2]string{{"drain", "STENOSE_DRAIN"}, {"body-timeout", "STENOSE_BODY_TIMEOUT"}, {"hash-slots", "STENOSE_HASH_SLOTS"}} {
		if err := envFlag(fs, f[0], f[1]); err != nil {
			fmt.Fprintf(stderr, "stenose serve: %v\n", err)
			return exitError(2)
		}
	}
	watch := fs.Bool("watch", false, "for authors, never on a public server: watch the --content folder and, on each saved change, render the site again and reload the open tabs; a broken file's problems show in the page (file:line: message) and its last good version stays served. Adds the routes "+preview.EventsPath+" and "+preview.ScriptPath)
	accessLog := fs.Bool("access-log", envDefault("STENOSE_ACCESS_LOG", "false") == "true", "log every request, the public site's and the app's; without it only refused and failed requests (status >= 400: failed sign-ins, 401, 403, 429, …) are logged (STENOSE_ACCESS_LOG=true)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return exitError(2)
	}
	if *hashSlots < 1 {
		fmt.Fprintln(stderr, "stenose serve: --hash-slots must be at least 1: sign-ins need a slot to hash in")
		return exitError(2)
	}
	if *watch && *dir == "" {
		fmt.Fprintln(stderr, "stenose serve: --watch needs the folder to watch: --content DIR (the built-in content is part of the binary)")
		return exitError(2)
	}
	trusted, err := account.ParseTrustedProxies(*proxies)
	if err != nil {
		fmt.Fprintf(stderr, "stenose serve: --trusted-proxies: %v\n", err)
		return exitError(2)
	}
	setMemoryLimit(*hashSlots)
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	// Logs go through a buffer flushed every 100 ms, so a request that
	// logs costs a memory copy, not a system call.
	logw := newAsyncWriter(stderr)
	defer logw.Close()
	log := newLogger(logw, stderr)

	fsys, name, err := contentFS(*dir)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	var mln net.Listener // the metrics' own listener, when asked for
	if *metricsAddr != "" {
		if mln, err = net.Listen("tcp", *metricsAddr); err != nil {
			ln.Close()
			return fmt.Errorf("--metrics-addr: %w", err)
		}
		defer mln.Close()
	}
	if *base == "" {
		*base = "http://" + publicAddr(ln.Addr().(*net.TCPAddr))
	}
	start := time.Now()
	client := func(r *http.Request) string { // the request log's client: as the sign-in limits see it
		return account.ClientAddr(r.RemoteAddr, r.Header.Values("X-Forwarded-For"), trusted)
	}
	opts := site.Options{BaseURL: *base, Logger: log, AccessLog: *accessLog, ClientAddr: client}
	var (
		s    *site.Site
		live *preview.Live // --watch
	)
	if *watch {
		live, err = preview.New(*dir, opts)
		if live != nil {
			s = live.Site()
		}
	} else {
		s, err = site.Load(fsys, opts)
	}
	if err != nil {
		ln.Close()
		return err
	}
	opened := time.Now()
	st, err := db.open(ctx)
	if err != nil {
		ln.Close()
		return err
	}
	defer st.Close()
	schema, err := st.SchemaVersion(ctx)
	if err != nil {
		ln.Close()
		return err
	}
	// Where the data is, once: the file or the server, never a password.
	log.Info("database", "db", st.Dialect(), "at", st.Location(), "schema_version", schema,
		"open_in", time.Since(opened).Round(time.Millisecond))
	acc, err := account.New(st, account.Options{HashSlots: *hashSlots})
	if err != nil {
		ln.Close()
		return err
	}
	cs := care.New(care.Config{Store: st, Library: s.Library(), Logger: log})
	var draining atomic.Bool
	if live != nil {
		ready, werr := make(chan struct{}), make(chan error, 1)
		go func() { werr <- live.Run(ctx, preview.DefaultDebounce, ready) }()
		select {
		case <-ready:
		case err := <-werr:
			ln.Close()
			return fmt.Errorf("--watch: %w", err)
		}
		log.Info("watching", "content", *dir, "events", preview.EventsPath)
	}
	app, err := web.New(web.Config{Site: s, Preview: live, Store: st, Care: cs, Accounts: acc, Secure: strings.HasPrefix(*base, "https://"), Logger: log,
		TrustedProxies: trusted, Draining: draining.Load})
	if err != nil {
		ln.Close()
		return err
	}
	// What the rules find with time alone (a review due, a week without
	// sessions) reaches the clinics' lists even when a patient writes
	// nothing: derived again at least daily, checked every quarter hour.
	freshCtx, stopFresh := context.WithCancel(ctx)
	fresh := make(chan struct{})
	refreshed := registerMetrics(s.Registry(), st, schema)
	go func() { defer close(fresh); cs.KeepFresh(freshCtx, 15*time.Minute, refreshed) }()
	defer func() { stopFresh(); <-fresh }() // before the store closes
	// ReadHeaderTimeout stops slow-header (slowloris) clients; boundBody
	// gives a request that has a body --body-timeout to send it (a client
	// at 1 byte/s no longer holds a connection for as long as it likes);
	// IdleTimeout closes idle keep-alive connections. There is no
	// server-wide ReadTimeout or WriteTimeout: they would put a deadline on
	// every request, the GETs of pages served from memory too (measured
	// earlier at about a tenth of their throughput, with both), where
	// boundBody costs nothing on a request without a body; a page is
	// written in one go, and routes that read a body bound its size too
	// (http.MaxBytesReader).
	srv := &http.Server{
		Handler:           boundBody(app, *bodyTimeout),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	if live != nil {
		srv.RegisterOnShutdown(live.Close) // end the open event streams
	}
	if mln != nil {
		// Metrics on their own listener, for the operator's network only:
		// a scrape is small and quick, so one deadline covers it all.
		msrv := &http.Server{Handler: s.MetricsHandler(), ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second}
		log.Info("metrics", "url", "http://"+mln.Addr().String()+"/metrics")
		go func() { _ = msrv.Serve(mln) }()
		defer msrv.Close()
	}
	log.Info("serving", "url", "http://"+ln.Addr().String()+"/", "base_url", *base, "content", name,
		"articles", len(s.Index().Articles), "db", st.Dialect(), "problems", len(s.Problems()), "ready_in", time.Since(start).Round(time.Millisecond))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Drain: /readyz says not ready first, so a load balancer sends new
	// requests elsewhere; then the server stops taking them and open ones
	// finish.
	draining.Store(true)
	if *drain > 0 {
		log.Info("draining", "for", drain.String())
		select {
		case err := <-errc:
			return err
		case <-time.After(*drain):
		}
	}
	log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// publicAddr is the address for links when no --base-url is given: an
// unspecified host (0.0.0.0, ::) becomes localhost.
func publicAddr(a *net.TCPAddr) string {
	host := a.IP.String()
	if a.IP.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, strconv.Itoa(a.Port))
}

// boundBody gives a request that has a body (a Content-Length above 0, or
// chunked) d from now — the end of its headers — to send it: reads past
// that fail, a form or JSON body is refused, and the connection is closed
// after the answer. The deadline holds for the server's own read of a body
// the handler left unread too (a POST to a public page), so no route lets
// a slow client hold the connection. d <= 0 turns the bound off.
func boundBody(h http.Handler, d time.Duration) http.Handler {
	if d <= 0 {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength != 0 {
			_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(d))
		}
		h.ServeHTTP(w, r)
	})
}

// hashMiB is the memory one password hash takes while it runs
// (account.DefaultParams.Memory is in KiB).
var hashMiB = int(account.DefaultParams.Memory / 1024)

// heapLimit is the Go runtime's soft memory limit for slots hashing slots:
// 2 × slots × hashMiB (256 MiB for the default 2 slots). The memory budget
// of one `stenose serve` process is this plus one hash (README, "Memory":
// 320 MiB by default): the hashes live at once (slots × 64 MiB), the rest
// of the server (a few tens of MiB; public pages alone stay under 60 MB),
// and room for the garbage finished hashes leave. A limit that did not grow
// with the slots would be reached by the hashes alone, and the collector
// would run without pause.
func heapLimit(slots int) int64 {
	return 2 * int64(slots) * int64(hashMiB) << 20
}

// setMemoryLimit makes the Go runtime collect garbage before its memory
// outgrows heapLimit (a soft limit: debug.SetMemoryLimit), unless the
// operator set GOMEMLIMIT. Without it the collector lets the heap grow to
// twice what was live at the last collection: each finished hash leaves
// 64 MiB of garbage, and 24 sign-ins at once took the process to 626 MB.
// It bounds sign-in bursts only: public traffic keeps the heap far below
// it (its peak is the same with GOMEMLIMIT=off; bench/run.sh serve).
func setMemoryLimit(slots int) {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(heapLimit(slots))
	}
}
