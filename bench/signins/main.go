// Command signins sends N sign-ins at once to a stenose server, each as
// its own user (u00, u01, …, password "gå en tur hver dag") from its own
// forwarded address (the server must trust 127.0.0.1 as a proxy), and
// prints the status codes and the time they took. bench/signins/run.sh
// uses it to measure the server's peak memory.
package main

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: signins BASE-URL N")
		os.Exit(2)
	}
	base := os.Args[1]
	n, err := strconv.Atoi(os.Args[2])
	if err != nil || n < 1 || n > 250 {
		fmt.Fprintln(os.Stderr, "signins: N is 1–250")
		os.Exit(2)
	}
	client := &http.Client{Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	codes := make([]int, n)
	start := time.Now()
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			f := url.Values{"login": {fmt.Sprintf("u%02d", i)}, "password": {"gå en tur hver dag"}}
			req, _ := http.NewRequest("POST", base+"/konto/log-ind", strings.NewReader(f.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", fmt.Sprintf("192.0.2.%d", i+1))
			res, err := client.Do(req)
			if err != nil {
				codes[i] = -1
				return
			}
			res.Body.Close()
			codes[i] = res.StatusCode
		})
	}
	wg.Wait()
	ok := 0
	for _, c := range codes {
		if c == http.StatusSeeOther {
			ok++
		}
	}
	fmt.Printf("%d sign-ins at once: %d signed in (303) in %v\n", n, ok, time.Since(start).Round(time.Millisecond))
	if ok != n {
		fmt.Println("codes:", codes)
		os.Exit(1)
	}
}
