package cluster

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/store/pgtest"
)

// The load of TestInstanceLoss: writers sending walks through the proxy as
// sync.js does, each walk with its own client id, for patients signed in
// through the proxy; one instance is killed once beforeKill walks are
// acknowledged, and the load stops once afterKill more are.
const (
	lossPatients = 4
	lossWriters  = 8
	beforeKill   = 150
	afterKill    = 300
	// maxAttempts bounds the sends of one walk (with the same client id);
	// with the pause between them, about 10 s.
	maxAttempts = 50
)

// loadStats is what the writers saw.
type loadStats struct {
	mu          sync.Mutex
	acked       map[string]ack // by client id
	created     int            // 201: stored by this send
	foundStored int            // 200 on a resend: an earlier send was stored, its answer lost
	retried     int            // walks sent more than once
	resends     int            // sends after the first
	errors      map[string]int // what the writers got instead of an answer: a status or the transport's error
	gaveUp      []string       // client ids never acknowledged
	unexpected  []string       // answers no retry can mend (a 4xx), or a 200 to a first send
}

// ack is one acknowledged walk.
type ack struct {
	id       int64  // the walk's id in the answer
	servedBy string // the instance that answered
	late     bool   // its last send went out after the kill, before the restart
}

func (s *loadStats) error(kind string) {
	s.mu.Lock()
	s.errors[kind]++
	s.mu.Unlock()
}

// TestInstanceLoss: under diary write load through the proxy (walks, with
// client ids, as the offline sync sends them) one instance is killed with
// SIGKILL; the writers go on through the other, sending a walk again with
// the same client id when they got no answer. At the end every walk that
// was acknowledged is stored exactly once, counted by client id in the
// database, and the killed instance, restarted, serves again through the
// proxy and directly.
func TestInstanceLoss(t *testing.T) {
	c := startCluster(t)
	px := c.px.URL()

	type patient struct {
		b     *browser
		owner string
	}
	var ps []patient
	for i := range lossPatients {
		b := signUp(t, px, fmt.Sprintf("gang%d", i), fmt.Sprintf("198.51.100.%d", 20+i))
		ps = append(ps, patient{b, ownerTag(t, b, px)})
	}

	stats := &loadStats{acked: map[string]ack{}, errors: map[string]int{}}
	var acks atomic.Int64
	var killed, restarted atomic.Bool
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range lossWriters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := ps[w%lossPatients]
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				case <-ctx.Done():
					return
				default:
				}
				id := fmt.Sprintf("walk-w%d-%d", w, n)
				body := walkJSON(id, time.Now())
				for attempt := 1; ; attempt++ {
					late := killed.Load() && !restarted.Load()
					r, err := p.b.send(ctx, "POST", px+"/api/gang", body, walkHeader(p.owner))
					if err == nil && (r.status == http.StatusCreated || r.status == http.StatusOK) {
						stats.mu.Lock()
						switch {
						case r.status == http.StatusCreated:
							stats.created++
						case attempt > 1:
							stats.foundStored++
						default:
							stats.unexpected = append(stats.unexpected, id+": 200 to its first send")
						}
						if attempt > 1 {
							stats.retried++
							stats.resends += attempt - 1
						}
						stats.acked[id] = ack{id: idIn(r.body), servedBy: r.servedBy, late: late}
						stats.mu.Unlock()
						acks.Add(1)
						break
					}
					switch {
					case err != nil:
						if ctx.Err() != nil {
							return
						}
						stats.error(errorKind(err))
					case r.status >= 500:
						stats.error(fmt.Sprintf("%d", r.status))
					default:
						stats.mu.Lock()
						stats.unexpected = append(stats.unexpected, fmt.Sprintf("%s: %d %.200s", id, r.status, r.body))
						stats.mu.Unlock()
						return
					}
					if attempt == maxAttempts {
						stats.mu.Lock()
						stats.gaveUp = append(stats.gaveUp, id)
						stats.mu.Unlock()
						break
					}
					time.Sleep(time.Duration(min(attempt, 10)) * 20 * time.Millisecond)
				}
			}
		}()
	}
	// waitAcks waits until n walks are acknowledged, or fails the test
	// when the writers stop or take too long.
	waitAcks := func(n int64) {
		for acks.Load() < n {
			if ctx.Err() != nil {
				close(stop)
				wg.Wait()
				t.Fatalf("only %d of %d walks acknowledged before the deadline; errors %v, unexpected %v", acks.Load(), n, stats.errors, stats.unexpected)
			}
			stats.mu.Lock()
			bad := len(stats.unexpected) + len(stats.gaveUp)
			stats.mu.Unlock()
			if bad > 0 {
				break // reported below
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	waitAcks(beforeKill)
	c.s2.kill()
	killed.Store(true)
	atKill := acks.Load()
	waitAcks(atKill + afterKill)
	close(stop)
	wg.Wait()
	total := acks.Load()

	// The killed instance, started again on its port, serves through the
	// proxy (which sees /readyz answer again) and directly.
	c.s2.start(t)
	c.s2.waitReady(t)
	c.px.waitServing(t, c.s2)
	restarted.Store(true)
	p := ps[0]
	fresh := postWalk(t, p.b, c.s2.URL(), p.owner, walkJSON("walk-after-restart", time.Now()))
	want(t, "a new walk directly on the restarted instance", fresh, http.StatusCreated, "")
	var resent string // a walk s1 acknowledged while s2 was down
	for id, a := range stats.acked {
		if a.late && strings.HasPrefix(id, "walk-w0-") {
			resent = id
			break
		}
	}
	if resent != "" {
		r := postWalk(t, p.b, c.s2.URL(), p.owner, walkJSON(resent, time.Now()))
		want(t, "a walk stored while it was down, resent to the restarted instance", r, http.StatusOK, "")
		if got := idIn(r.body); got != stats.acked[resent].id {
			t.Errorf("the restarted instance answered %s with id %d, the walk is stored as %d", resent, got, stats.acked[resent].id)
		}
	}

	// Count by client id in the database.
	stored := map[string]int{}
	rows, err := pgtest.Admin(t).QueryContext(t.Context(), `SELECT client_id, count(*) FROM `+c.schema+`.walks GROUP BY client_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		stored[id] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	var present, missing, duplicated, unacked int
	for id := range stats.acked {
		if stored[id] > 0 {
			present++
		} else {
			missing++
			t.Errorf("walk %s was acknowledged (id %d, by %s) and is not stored", id, stats.acked[id].id, stats.acked[id].servedBy)
		}
	}
	for id, n := range stored {
		if n > 1 {
			duplicated++
			t.Errorf("walk %s is stored %d times", id, n)
		}
		if _, ok := stats.acked[id]; !ok && id != "walk-after-restart" {
			unacked++
		}
	}
	served := map[string]int{}
	for _, a := range stats.acked {
		phase := "before"
		if a.late {
			phase = "after"
		}
		served[a.servedBy+" "+phase]++
	}
	retried, redispatched, failed := c.px.retries(t)
	t.Logf("instance loss: %d walks acknowledged (%d before the kill, %d after), %d present, %d duplicated, %d missing, %d stored without an acknowledgment",
		len(stats.acked), atKill, total-atKill, present, duplicated, missing, unacked)
	t.Logf("the writers: %d walks sent again (%d sends more), %d of them found stored already (the first send was saved, its answer lost); errors seen: %s; given up: %d",
		stats.retried, stats.resends, stats.foundStored, describe(stats.errors), len(stats.gaveUp))
	t.Logf("the proxy: %d requests retried after a failed connection, %d of them sent to the other instance; acknowledgments by instance (sent before / after the kill): %v",
		retried, redispatched, served)
	for _, l := range failed {
		t.Logf("the proxy's log: %s", l)
	}

	if len(stats.unexpected) > 0 {
		t.Errorf("answers no resend can mend: %v", stats.unexpected)
	}
	if len(stats.gaveUp) > 0 {
		t.Errorf("%d walks never acknowledged after %d sends each: %v", len(stats.gaveUp), maxAttempts, stats.gaveUp)
	}
	if served["s2 after"] > 0 {
		t.Errorf("%d walks sent after the kill were answered by the killed instance", served["s2 after"])
	}
	if served["s2 before"] == 0 {
		t.Errorf("the killed instance answered no walk before the kill: it was not under load")
	}
}

// idIn is the id in a sync answer's JSON, or 0.
func idIn(body string) int64 {
	var v struct{ ID int64 }
	json.Unmarshal([]byte(body), &v)
	return v.ID
}

// errorKind names a transport error briefly, for the counts.
func errorKind(err error) string {
	s := err.Error()
	for _, k := range []string{"connection reset", "connection refused", "EOF", "timeout"} {
		if strings.Contains(s, k) {
			return k
		}
	}
	return s
}

func describe(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	var parts []string
	for k, n := range m {
		parts = append(parts, fmt.Sprintf("%s ×%d", k, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}
