// Command load is the diary write benchmark's load generator: it signs in
// N patients (one cookie jar each) and has each POST /dagbog in a loop.
// A write counts only when the server answers 303 See Other to /dagbog
// (the answer after a committed write); anything else is an error.
//
//	go run ./bench/diary/load -base http://127.0.0.1:PORT -logins FILE -password PW
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/stenose/stenose/bench/internal/patient"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:8080", "server address")
	loginsFile := flag.String("logins", "", "file with one login per line (required)")
	password := flag.String("password", "", "the users' password")
	clients := flag.Int("clients", 64, "concurrent clients (one user each, round robin)")
	warmup := flag.Duration("warmup", 2*time.Second, "warm-up, not counted")
	duration := flag.Duration("duration", 10*time.Second, "measured time")
	label := flag.String("label", "", "label for the result line")
	serverPID := flag.Int("server-pid", 0, "the server's process id: report its CPU time per write (0: don't)")
	flag.Parse()

	logins, err := patient.ReadLogins(*loginsFile)
	if err != nil || len(logins) == 0 {
		fmt.Fprintln(os.Stderr, "load: -logins:", err, len(logins))
		os.Exit(2)
	}
	tr := &http.Transport{MaxIdleConns: 4 * *clients, MaxIdleConnsPerHost: 4 * *clients, DisableCompression: true}

	// Sign every client in, a few at a time (password hashing is slow by design).
	cs := make([]*http.Client, *clients)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	var signErr atomic.Value
	for i := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			c, err := patient.SignIn(*base, logins[i%len(logins)], *password, tr, 30*time.Second)
			if err != nil {
				signErr.Store(err)
				return
			}
			cs[i] = c
		}()
	}
	wg.Wait()
	if e := signErr.Load(); e != nil {
		fmt.Fprintln(os.Stderr, "load: sign-in:", e)
		os.Exit(1)
	}

	var measuring atomic.Bool
	type result struct {
		ok, errs int
		lat      []time.Duration
		statuses map[string]int
	}
	res := make([]result, len(cs))
	ctx, cancel := context.WithCancel(context.Background())
	for i, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &res[i]
			r.statuses = map[string]int{}
			for n := 0; ctx.Err() == nil; n++ {
				t0 := time.Now()
				st, loc, err := post(ctx, c, *base, fmt.Sprintf("load c%d n%d", i, n), i+n)
				d := time.Since(t0)
				if !measuring.Load() {
					continue
				}
				if ctx.Err() != nil && err != nil {
					break // cut off at the end of the run: not counted
				}
				if err == nil && patient.Saved(st, loc) {
					r.ok++
					r.lat = append(r.lat, d)
				} else {
					r.errs++
					status := fmt.Sprint(st, " ", loc)
					if err != nil {
						status = "error: " + err.Error()
					}
					r.statuses[status]++
				}
			}
		}()
	}
	time.Sleep(*warmup)
	cpu0, ru0, srv0 := procStat(), rusage(), procCPU(*serverPID)
	measuring.Store(true)
	start := time.Now()
	time.Sleep(*duration)
	measuring.Store(false)
	elapsed := time.Since(start)
	cpu1, ru1, srv1 := procStat(), rusage(), procCPU(*serverPID)
	cancel()
	wg.Wait()

	var ok, errs int
	var lat []time.Duration
	statuses := map[string]int{}
	for _, r := range res {
		ok += r.ok
		errs += r.errs
		lat = append(lat, r.lat...)
		for k, v := range r.statuses {
			statuses[k] += v
		}
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(p*float64(len(lat))))]
	}
	fmt.Printf("%-8s clients=%d duration=%s writes=%d writes/s=%.0f errors=%d p50=%s p99=%s max=%s\n",
		*label, len(cs), elapsed.Round(time.Millisecond), ok, float64(ok)/elapsed.Seconds(), errs,
		pct(0.50).Round(10*time.Microsecond), pct(0.99).Round(10*time.Microsecond), pct(1).Round(10*time.Microsecond))
	if cpu0 != nil && cpu1 != nil {
		var d [8]float64
		var tot float64
		for i := range d {
			d[i] = float64(cpu1[i] - cpu0[i])
			tot += d[i]
		}
		if tot > 0 {
			// /proc/stat: user nice system idle iowait irq softirq steal
			fmt.Printf("         machine during the window: busy %.0f%%, idle %.0f%%, iowait %.0f%%, steal %.0f%%; load generator used %.2f of %.1f s wall (%.0f%% of one core)\n",
				100*(tot-d[3]-d[4])/tot, 100*d[3]/tot, 100*d[4]/tot, 100*d[7]/tot,
				(ru1 - ru0).Seconds(), elapsed.Seconds(), 100*(ru1-ru0).Seconds()/elapsed.Seconds())
		}
	}
	if *serverPID > 0 && srv1 > srv0 && ok > 0 {
		// What one write costs the server in CPU: on a machine shared with
		// the database and this load generator, a steadier figure than
		// writes per second.
		fmt.Printf("         server CPU: %.2f s of %.1f s wall, %.0f µs per write\n",
			(srv1 - srv0).Seconds(), elapsed.Seconds(), float64((srv1-srv0).Microseconds())/float64(ok))
	}
	for k, v := range statuses {
		fmt.Printf("         error kind %q: %d\n", k, v)
	}
	if errs > 0 {
		os.Exit(1)
	}
}

// post sends one diary entry and returns the answer's status and Location.
func post(ctx context.Context, c *http.Client, base, note string, k int) (int, string, error) {
	f := url.Values{
		"at":   {time.Now().Add(-time.Duration(k%600) * time.Minute).Format("2006-01-02T15:04")},
		"leg":  {strconv.Itoa(k % 11)},
		"back": {strconv.Itoa((k * 7) % 11)},
		"note": {note},
	}
	if k%3 == 0 {
		f.Set("tingling", "1")
	}
	return patient.PostDiary(ctx, c, base, f)
}

// procStat is the machine's first 8 CPU counters from /proc/stat (nil if unreadable).
func procStat() []uint64 {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return nil
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return nil
	}
	out := make([]uint64, 8)
	for i := range out {
		out[i], _ = strconv.ParseUint(f[i+1], 10, 64)
	}
	return out
}

// rusage is this process's user+system CPU time.
func rusage() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// procCPU is process pid's user+system CPU time from /proc (0 if unknown).
func procCPU(pid int) time.Duration {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command name (which may hold spaces) start at ')'.
	_, rest, ok := strings.Cut(string(b), ") ")
	if !ok {
		return 0
	}
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseUint(f[11], 10, 64) // utime, field 14
	st, _ := strconv.ParseUint(f[12], 10, 64) // stime, field 15
	const hz = 100                            // USER_HZ on Linux
	return time.Duration(ut+st) * time.Second / hz
}
