// Command load is the soak test's traffic (see bench/soak/README.md): a
// steady mix of what a clinic chain's day looks like — visitors reading
// articles, patients signing in, writing their diary, opening today's page
// and their progress — spread over several `stenose serve` instances in
// turn, at a fixed rate, for a fixed time. It reports per route the
// requests, errors and p50/p99, and each server's resident memory over
// time, and exits non-zero on any error.
//
//	load -bases http://127.0.0.1:A,http://127.0.0.1:B -pids PA,PB -logins FILE -password PW [-rps 60] [-duration 10m]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stenose/stenose/bench/internal/patient"
)

// op is one kind of request in the mix, with its share of the traffic.
type op struct {
	name   string
	weight int
}

// The mix: about half the traffic is the public site; a sign-in is rare
// (a session lasts), a diary write or a look at today's page common.
var mix = []op{
	{"public article", 30},
	{"public index", 10},
	{"today", 15},
	{"progress", 10},
	{"diary page", 5},
	{"diary write", 25},
	{"sign-in", 5},
}

const publicArticle = "/blog/5-bedste-oevelser-til-spinalstenose"

type stats struct {
	mu   sync.Mutex
	lat  map[string][]time.Duration
	errs map[string]map[string]int
}

func (s *stats) add(name string, d time.Duration, errKind string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if errKind != "" {
		if s.errs[name] == nil {
			s.errs[name] = map[string]int{}
		}
		s.errs[name][errKind]++
		return
	}
	s.lat[name] = append(s.lat[name], d)
}

func main() {
	bases := flag.String("bases", "", "comma-separated server addresses, used in turn (required)")
	pids := flag.String("pids", "", "comma-separated process ids of the servers, for their memory (optional)")
	loginsFile := flag.String("logins", "", "file with one patient login per line (required)")
	password := flag.String("password", "", "the patients' password")
	rps := flag.Float64("rps", 60, "requests per second, all servers together")
	duration := flag.Duration("duration", 10*time.Minute, "how long")
	sessions := flag.Int("sessions", 200, "signed-in patients kept (a sign-in replaces one)")
	sample := flag.Duration("sample", 10*time.Second, "how often to read the servers' memory")
	flag.Parse()

	baseList := strings.Split(*bases, ",")
	logins, err := patient.ReadLogins(*loginsFile)
	if *bases == "" || err != nil || len(logins) == 0 {
		fmt.Fprintln(os.Stderr, "load: -bases and -logins are required:", err)
		os.Exit(2)
	}
	var pidList []int
	for _, p := range strings.Split(*pids, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(p)); err == nil {
			pidList = append(pidList, n)
		}
	}
	tr := &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 128, DisableCompression: true}
	var next atomic.Uint64
	base := func() string { return baseList[next.Add(1)%uint64(len(baseList))] }

	// A pool of signed-in patients, each at its own client address (the
	// servers trust 127.0.0.1 as a proxy, so X-Forwarded-For names them):
	// the per-address limits see a town of patients, not one machine.
	type client struct {
		c    *http.Client
		addr string
		k    int
	}
	pool := make([]*client, *sessions)
	var poolMu sync.Mutex
	signIn := func(i int) (*client, error) {
		addr := fmt.Sprintf("10.%d.%d.%d", (i>>16)&255, (i>>8)&255, i&255+1)
		c, err := patient.SignIn(base(), logins[i%len(logins)], *password, withHeader(tr, "X-Forwarded-For", addr), 30*time.Second)
		if err != nil {
			return nil, err
		}
		return &client{c: c, addr: addr}, nil
	}
	fmt.Printf("signing in %d patients…\n", len(pool))
	for i := range pool {
		cl, err := signIn(i)
		if err != nil {
			fmt.Fprintln(os.Stderr, "load: sign-in:", err)
			os.Exit(1)
		}
		pool[i] = cl
	}
	pick := func(r *rand.Rand) (int, *client) {
		poolMu.Lock()
		defer poolMu.Unlock()
		i := r.IntN(len(pool))
		return i, pool[i]
	}

	st := &stats{lat: map[string][]time.Duration{}, errs: map[string]map[string]int{}}
	get := func(ctx context.Context, c *http.Client, path string, want int) string {
		req, _ := http.NewRequestWithContext(ctx, "GET", base()+path, nil)
		resp, err := c.Do(req)
		if err != nil {
			return "error: " + err.Error()
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			return resp.Status + " " + resp.Header.Get("Location")
		}
		return ""
	}
	visitor := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	total := 0
	for _, o := range mix {
		total += o.weight
	}
	do := func(ctx context.Context, r *rand.Rand) {
		w := r.IntN(total)
		var o op
		for _, o = range mix {
			if w < o.weight {
				break
			}
			w -= o.weight
		}
		t0 := time.Now()
		var kind string
		switch o.name {
		case "public article":
			kind = get(ctx, visitor, publicArticle, 200)
		case "public index":
			kind = get(ctx, visitor, "/", 200)
		case "today":
			_, cl := pick(r)
			kind = get(ctx, cl.c, "/i-dag", 200)
		case "progress":
			_, cl := pick(r)
			kind = get(ctx, cl.c, "/fremskridt", 200)
		case "diary page":
			_, cl := pick(r)
			kind = get(ctx, cl.c, "/dagbog", 200)
		case "diary write":
			_, cl := pick(r)
			k := r.IntN(1 << 20)
			f := url.Values{
				"at":   {time.Now().Add(-time.Duration(k%600) * time.Minute).Format("2006-01-02T15:04")},
				"leg":  {strconv.Itoa(k % 11)},
				"back": {strconv.Itoa((k * 7) % 11)},
				"note": {"soak"},
			}
			status, loc, err := patient.PostDiary(ctx, cl.c, base(), f)
			switch {
			case err != nil:
				kind = "error: " + err.Error()
			case !patient.Saved(status, loc):
				kind = fmt.Sprint(status, " ", loc)
			}
		case "sign-in":
			i, _ := pick(r)
			cl, err := signIn(i + len(pool)*(1+r.IntN(1000)))
			if err != nil {
				kind = "error: " + err.Error()
				break
			}
			poolMu.Lock()
			pool[i] = cl
			poolMu.Unlock()
		}
		if ctx.Err() != nil {
			return // cut off at the end: not counted
		}
		st.add(o.name, time.Since(t0), kind)
	}

	// Memory: each server's VmRSS every sample period.
	type rssPoint struct {
		at  time.Duration
		kib []int
	}
	var rss []rssPoint
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), *duration)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(*sample)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			p := rssPoint{at: time.Since(start)}
			for _, pid := range pidList {
				p.kib = append(p.kib, vmRSS(pid))
			}
			rss = append(rss, p)
			fmt.Printf("  %5.0f s  rss KiB %v\n", p.at.Seconds(), p.kib)
		}
	}()

	// A fixed rate: a request starts every 1/rps, whatever the answers
	// take (an open loop, as real users do not wait for each other), at
	// most 512 at once.
	sem := make(chan struct{}, 512)
	tick := time.NewTicker(time.Duration(float64(time.Second) / *rps))
	var dropped int
	var seq uint64
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-tick.C:
		}
		select {
		case sem <- struct{}{}:
		default:
			dropped++ // more than 512 waiting: the servers are not keeping up
			continue
		}
		seq++
		wg.Add(1)
		go func(s uint64) {
			defer wg.Done()
			defer func() { <-sem }()
			do(ctx, rand.New(rand.NewPCG(s, 7)))
		}(seq)
	}
	tick.Stop()
	wg.Wait()
	elapsed := time.Since(start)

	errors := 0
	fmt.Printf("\n%-16s %8s %7s %9s %9s %9s\n", "route", "requests", "errors", "p50 ms", "p99 ms", "max ms")
	for _, o := range mix {
		lat := st.lat[o.name]
		slices.Sort(lat)
		n := 0
		for _, v := range st.errs[o.name] {
			n += v
		}
		errors += n
		fmt.Printf("%-16s %8d %7d %9.1f %9.1f %9.1f\n", o.name, len(lat)+n, n, ms(pct(lat, .5)), ms(pct(lat, .99)), ms(pct(lat, 1)))
	}
	for name, kinds := range st.errs {
		for k, v := range kinds {
			fmt.Printf("  error %s: %q × %d\n", name, k, v)
		}
	}
	fmt.Printf("%d requests in %s (%.1f/s), %d errors, %d not sent (servers behind)\n",
		int(seq), elapsed.Round(time.Second), float64(seq)/elapsed.Seconds(), errors, dropped)
	// Memory over time: each sign-in's argon2id takes 64 MiB for a moment,
	// so single samples jump by a hundred MiB; the medians of the samples
	// in minutes 1–2 and in the last two minutes say whether memory grows.
	if len(rss) > 0 {
		for i := range pidList {
			var early, late []int
			peak := 0
			for _, p := range rss {
				if i >= len(p.kib) {
					continue
				}
				peak = max(peak, p.kib[i])
				if p.at >= time.Minute && p.at < 3*time.Minute {
					early = append(early, p.kib[i])
				}
				if p.at > elapsed-2*time.Minute {
					late = append(late, p.kib[i])
				}
			}
			fmt.Printf("server %d: rss median %.0f MiB in minutes 1–2, %.0f MiB in the last two; peak %.0f MiB\n", i+1,
				float64(median(early))/1024, float64(median(late))/1024, float64(peak)/1024)
		}
	}
	if errors > 0 || dropped > 0 {
		os.Exit(1)
	}
}

func pct(lat []time.Duration, p float64) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	return lat[min(len(lat)-1, int(p*float64(len(lat))))]
}

func median(v []int) int {
	if len(v) == 0 {
		return 0
	}
	v = slices.Clone(v)
	slices.Sort(v)
	return v[len(v)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// vmRSS is process pid's resident memory in KiB (0 if unknown).
func vmRSS(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return n
		}
	}
	return 0
}

// withHeader is tr adding header k: v to every request.
func withHeader(tr http.RoundTripper, k, v string) http.RoundTripper {
	return headerRT{tr, k, v}
}

type headerRT struct {
	tr   http.RoundTripper
	k, v string
}

func (h headerRT) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set(h.k, h.v)
	return h.tr.RoundTrip(r)
}
