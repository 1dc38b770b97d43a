// Command writer is the crash test's load: it signs one patient in and has
// C clients POST diary entries with unique notes ("crash-test-<run>-<n>").
// A note is appended to the acknowledged file only after the server
// answered 303 See Other to /dagbog, i.e. after a committed write. It stops
// after -duration, or once the server has been unreachable for -gone.
//
//	writer -base URL -login L -password PW -ack FILE [-run ID] [-clients 16]
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stenose/stenose/bench/internal/patient"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:8080", "server address")
	login := flag.String("login", "", "patient login")
	password := flag.String("password", "", "password")
	ackFile := flag.String("ack", "", "file the acknowledged notes are appended to")
	run := flag.String("run", "1", "run id, part of every note")
	clients := flag.Int("clients", 16, "concurrent clients")
	duration := flag.Duration("duration", 30*time.Second, "stop after this long at the latest")
	gone := flag.Duration("gone", 1500*time.Millisecond, "stop once every request has failed for this long")
	flag.Parse()

	c, err := patient.SignIn(*base, *login, *password, &http.Transport{MaxIdleConnsPerHost: 2 * *clients}, 10*time.Second)
	if err != nil {
		fail(err)
	}

	ack, err := os.OpenFile(*ackFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		fail(err)
	}
	var mu sync.Mutex
	var seq, acked, sent, failed, other atomic.Int64
	var lastOK atomic.Int64
	lastOK.Store(time.Now().UnixNano())
	deadline := time.Now().Add(*duration)
	var wg sync.WaitGroup
	for range *clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if time.Since(time.Unix(0, lastOK.Load())) > *gone {
					return
				}
				note := fmt.Sprintf("crash-test-%s-%d", *run, seq.Add(1))
				f := url.Values{"at": {time.Now().Format("2006-01-02T15:04")}, "leg": {"3"}, "back": {"4"}, "note": {note}}
				sent.Add(1)
				status, location, err := patient.PostDiary(context.Background(), c, *base, f)
				if err != nil {
					failed.Add(1)
					time.Sleep(20 * time.Millisecond)
					continue
				}
				if !patient.Saved(status, location) {
					other.Add(1)
					continue
				}
				lastOK.Store(time.Now().UnixNano())
				mu.Lock()
				_, err = ack.WriteString(note + "\n") // one write(2) per note, before counting it
				mu.Unlock()
				if err != nil {
					fail(err)
				}
				acked.Add(1)
			}
		}()
	}
	wg.Wait()
	if err := ack.Close(); err != nil {
		fail(err)
	}
	fmt.Printf("writer: sent %d, acknowledged %d, connection errors %d, other answers %d\n",
		sent.Load(), acked.Load(), failed.Load(), other.Load())
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "writer:", err)
	os.Exit(1)
}
