// Command verify signs a patient in, reads GET /mine-data/eksport.json and
// checks that every note in the acknowledged file is among the diary
// entries. It prints "N acknowledged, N present, M missing" and exits 1
// when anything is missing.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/stenose/stenose/bench/internal/patient"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:8080", "server address")
	login := flag.String("login", "", "patient login")
	password := flag.String("password", "", "password")
	ackFile := flag.String("ack", "", "acknowledged notes, one a line")
	prefix := flag.String("prefix", "crash-test-", "notes of the test start with this")
	flag.Parse()

	c, err := patient.SignIn(*base, *login, *password, nil, 30*time.Second)
	if err != nil {
		fail(err)
	}
	resp, err := c.Get(*base + "/mine-data/eksport.json")
	if err != nil {
		fail(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fail(fmt.Errorf("export answered %s", resp.Status))
	}
	var x struct {
		Diary []struct {
			Note string `json:"note"`
		} `json:"diary"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&x); err != nil {
		fail(err)
	}
	stored := map[string]int{}
	for _, e := range x.Diary {
		if strings.HasPrefix(e.Note, *prefix) {
			stored[e.Note]++
		}
	}

	f, err := os.Open(*ackFile)
	if err != nil {
		fail(err)
	}
	defer f.Close()
	var acked, present, missing, dup int
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		n := strings.TrimSpace(sc.Text())
		if n == "" {
			continue
		}
		acked++
		seen[n] = true
		switch stored[n] {
		case 0:
			missing++
			if missing <= 10 {
				fmt.Println("missing:", n)
			}
		case 1:
			present++
		default:
			present++
			dup++
		}
	}
	if err := sc.Err(); err != nil {
		fail(err)
	}
	extra := 0 // stored but never acknowledged: in flight at the kill, allowed
	for n := range stored {
		if !seen[n] {
			extra++
		}
	}
	fmt.Printf("%d acknowledged, %d present, %d missing (stored in total %d; stored but unacknowledged (in flight at the kill) %d; duplicates %d)\n",
		acked, present, missing, len(x.Diary), extra, dup)
	if missing > 0 || acked == 0 {
		os.Exit(1)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "verify:", err)
	os.Exit(1)
}
