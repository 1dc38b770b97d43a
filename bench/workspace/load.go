package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/stenose/stenose/bench/internal/patient"
)

func load(args []string) error {
	fs := flag.NewFlagSet("load", flag.ExitOnError)
	base := fs.String("base", "http://127.0.0.1:8080", "server address")
	in := fs.String("in", "", "seed's -out file (required)")
	n := fs.Int("n", 500, "timed requests of each page")
	warmup := fs.Int("warmup", 50, "requests of each page before timing, not counted")
	label := fs.String("label", "", "engine, for the result lines")
	seedN := fs.Uint64("seed", 1, "seed of the order in which patients' pages are asked for")
	fs.Parse(args)
	b, err := os.ReadFile(*in)
	if err != nil {
		return err
	}
	var info seedInfo
	if err := json.Unmarshal(b, &info); err != nil {
		return err
	}

	c, err := signIn(*base, info)
	if err != nil {
		return err
	}
	ctx := context.Background()
	get := func(path, want string) (time.Duration, int, error) {
		req, err := http.NewRequestWithContext(ctx, "GET", *base+path, nil)
		if err != nil {
			return 0, 0, err
		}
		t0 := time.Now()
		resp, err := c.Do(req)
		if err != nil {
			return 0, 0, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		d := time.Since(t0)
		if err != nil {
			return 0, 0, err
		}
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
			return 0, 0, fmt.Errorf("GET %s: %s, %d bytes, %q not in it", path, resp.Status, len(body), want)
		}
		return d, len(body), nil
	}

	// The first page of the list: 25 patients, who needs attention first.
	// The access log gets a row per patient shown, every time.
	list := func(int) (string, string) { return "/klinik", `href="/klinik/patienter/` }
	// One patient's chart, a different patient each time (a fixed
	// pseudo-random order over the whole clinic).
	r := rand.New(rand.NewPCG(*seedN, 2))
	chart := func(int) (string, string) {
		id := info.Patients[r.IntN(len(info.Patients))]
		return "/klinik/patienter/" + strconv.FormatInt(id, 10), `<figure class="chart">`
	}
	for _, page := range []struct {
		name string
		next func(int) (string, string)
	}{{"patients-list", list}, {"patient-page", chart}} {
		var lat []time.Duration
		var bytes int
		for i := range *warmup + *n {
			path, want := page.next(i)
			d, size, err := get(path, want)
			if err != nil {
				return err
			}
			if i >= *warmup {
				lat = append(lat, d)
				bytes += size
			}
		}
		slices.Sort(lat)
		pct := func(p float64) float64 {
			return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
		}
		fmt.Printf("%s %d patients %s: p50 %.1f ms p99 %.1f ms\n", page.name, len(info.Patients), *label, pct(0.50), pct(0.99))
		fmt.Fprintf(os.Stderr, "    (%s: %d requests after %d warm-up, one at a time; max %.1f ms; %.0f kB a page)\n",
			page.name, len(lat), *warmup, pct(1), float64(bytes)/float64(len(lat))/1000)
	}
	return nil
}

// signIn signs the clinician in: password, then a one-time code from
// their secret. A code is accepted once: if the current one was used (by
// the seed's enrolment, a moment ago), the next step's is sent.
func signIn(base string, info seedInfo) (*http.Client, error) {
	tr := &http.Transport{MaxIdleConnsPerHost: 4, DisableCompression: true}
	var last error
	for _, at := range []time.Time{time.Now(), time.Now().Add(30 * time.Second)} {
		c, err := patient.SignIn(base, info.Login, info.Password, tr, 30*time.Second)
		if err != nil {
			return nil, err
		}
		code, err := totp.GenerateCode(info.Secret, at)
		if err != nil {
			return nil, err
		}
		to, err := patient.SecondFactor(c, base, code)
		if err == nil {
			if to != "/klinik" {
				return nil, fmt.Errorf("signed in, sent to %q, not /klinik", to)
			}
			return c, nil
		}
		last = err
	}
	return nil, last
}
