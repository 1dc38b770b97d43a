package cluster

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/store/pgtest"
)

// The load of TestInstanceLoss: writers sending records through the proxy
// for patients signed in through the proxy — half of them walks as sync.js
// does, each with its own client id, half diary entries through the form,
// each form with the client id the page gave it; one instance is killed
// once beforeKill records are acknowledged, and the load stops once
// afterKill more are.
const (
	lossPatients = 4
	lossWriters  = 8 // even: walks, odd: the diary form; each patient has one of each
	beforeKill   = 150
	afterKill    = 300
	// maxAttempts bounds the sends of one record (with the same client
	// id); with the pause between them, about 10 s.
	maxAttempts = 50
)

// The two kinds of record the writers send.
const (
	kindWalk  = "walk"
	kindDiary = "diary"
)

// loadStats is what the writers saw.
type loadStats struct {
	mu          sync.Mutex
	acked       map[string]ack // by client id (walk and diary ids are told apart by their form)
	created     int            // walks answered 201: stored by this send
	foundStored int            // walks answered 200 on a resend: an earlier send was stored, its answer lost
	retried     map[string]int // records sent more than once, by kind
	resends     map[string]int // sends after the first, by kind
	errors      map[string]int // what the writers got instead of an answer: a status or the transport's error
	gaveUp      []string       // client ids never acknowledged
	unexpected  []string       // answers no retry can mend (a 4xx), or a 200 to a first send
}

// ack is one acknowledged record.
type ack struct {
	kind     string
	id       int64    // a walk's id in the answer (the diary form's answer is a redirect, without one)
	servedBy string   // the instance that answered
	late     bool     // its last send went out after the kill, before the restart
	body     []byte   // a diary form as sent
	b        *browser // the browser that sent it
}

func (s *loadStats) error(kind string) {
	s.mu.Lock()
	s.errors[kind]++
	s.mu.Unlock()
}

func (s *loadStats) unexpect(what string) {
	s.mu.Lock()
	s.unexpected = append(s.unexpected, what)
	s.mu.Unlock()
}

// record is one record a writer sends until it is acknowledged.
type record struct {
	kind, id string // id: its client id
	path     string
	body     []byte
	header   http.Header
}

// formHeader is a form's content type, as a browser sends it.
var formHeader = http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}

// diarySaved is where the diary form sends the browser once it is stored.
const diarySaved = "/dagbog?gemt=ny"

// diaryLogRepeat is the instance's log line for a diary form sent again.
const diaryLogRepeat = "diary form sent again"

// TestInstanceLoss: under diary write load through the proxy — walks with
// client ids, as the offline sync sends them, and diary entries from the
// form, whose client id the page gives — one instance is killed with
// SIGKILL; the writers go on through the other, sending a record again
// with the same client id when they got no answer. At the end every record
// that was acknowledged is stored exactly once, counted by client id in
// the database, and the killed instance, restarted, serves again through
// the proxy and directly.
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

	stats := &loadStats{acked: map[string]ack{}, errors: map[string]int{}, retried: map[string]int{}, resends: map[string]int{}}
	var acks atomic.Int64
	var killed, restarted atomic.Bool
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	stop := make(chan struct{})
	stopped := func() bool {
		select {
		case <-stop:
			return true
		case <-ctx.Done():
			return true
		default:
			return false
		}
	}

	// diaryRecord opens the diary form through the proxy, as the browser
	// shows it, and fills it in: the record to send, with the client id
	// the page gave. A page that does not come (the kill) is asked for
	// again: nothing is stored by it.
	diaryRecord := func(p patient, w, n int) (record, bool) {
		for attempt := 1; attempt <= maxAttempts; attempt++ {
			if stopped() {
				return record{}, false
			}
			r, err := p.b.send(ctx, "GET", px+"/dagbog/ny", nil, nil)
			switch {
			case err != nil:
				if ctx.Err() != nil {
					return record{}, false
				}
				stats.error("form page: " + errorKind(err))
			case r.status >= 500:
				stats.error(fmt.Sprintf("form page: %d", r.status))
			case r.status != http.StatusOK:
				stats.unexpect(fmt.Sprintf("the diary form: %d %.200s", r.status, r.body))
				return record{}, false
			default:
				f, err := diaryFormOf(t, r.body)
				if err != nil {
					stats.unexpect(err.Error())
					return record{}, false
				}
				id := f.values.Get("client_id")
				f.values.Set("leg", strconv.Itoa(n%11))
				f.values.Set("back", strconv.Itoa(w%11))
				f.values.Set("note", fmt.Sprintf("skrevet af w%d, nr. %d", w, n))
				return record{kindDiary, id, "/dagbog", []byte(f.values.Encode()), formHeader}, true
			}
			time.Sleep(time.Duration(min(attempt, 10)) * 20 * time.Millisecond)
		}
		stats.unexpect("the diary form never came")
		return record{}, false
	}

	var wg sync.WaitGroup
	for w := range lossWriters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := ps[(w/2)%lossPatients]
			for n := 0; !stopped(); n++ {
				rec := record{kindWalk, fmt.Sprintf("walk-w%d-%d", w, n), "/api/gang", nil, walkHeader(p.owner)}
				rec.body = walkJSON(rec.id, time.Now())
				if w%2 == 1 {
					var ok bool
					if rec, ok = diaryRecord(p, w, n); !ok {
						return
					}
				}
				for attempt := 1; ; attempt++ {
					late := killed.Load() && !restarted.Load()
					r, err := p.b.send(ctx, "POST", px+rec.path, rec.body, rec.header)
					done := err == nil && (r.status == http.StatusCreated || r.status == http.StatusOK)
					if rec.kind == kindDiary {
						done = err == nil && r.status == http.StatusSeeOther && r.location() == diarySaved
					}
					if done {
						stats.mu.Lock()
						a := ack{kind: rec.kind, servedBy: r.servedBy, late: late, b: p.b}
						switch {
						case rec.kind == kindDiary:
							a.body = rec.body
						case r.status == http.StatusCreated:
							stats.created++
						case attempt > 1:
							stats.foundStored++
						default:
							stats.unexpected = append(stats.unexpected, rec.id+": 200 to its first send")
						}
						if rec.kind == kindWalk {
							a.id = idIn(r.body)
						}
						if attempt > 1 {
							stats.retried[rec.kind]++
							stats.resends[rec.kind] += attempt - 1
						}
						stats.acked[rec.id] = a
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
						stats.unexpect(fmt.Sprintf("%s %s: %d %s %.200s", rec.kind, rec.id, r.status, r.location(), r.body))
						return
					}
					if attempt == maxAttempts {
						stats.mu.Lock()
						stats.gaveUp = append(stats.gaveUp, rec.id)
						stats.mu.Unlock()
						break
					}
					time.Sleep(time.Duration(min(attempt, 10)) * 20 * time.Millisecond)
				}
			}
		}()
	}
	// waitAcks waits until n records are acknowledged, or fails the test
	// when the writers stop or take too long.
	waitAcks := func(n int64) {
		for acks.Load() < n {
			if ctx.Err() != nil {
				close(stop)
				wg.Wait()
				t.Fatalf("only %d of %d records acknowledged before the deadline; errors %v, unexpected %v", acks.Load(), n, stats.errors, stats.unexpected)
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
	// The diary forms an instance found stored already (the first send
	// was saved, its answer lost): its log says so. (s1's log is written
	// out every 100 ms, long since; what s2 had not written out when it
	// was killed is lost, but the resends all went to s1.)
	diaryFound := strings.Count(c.s1.logText()+c.s2.logText(), diaryLogRepeat)

	p := ps[0]
	fresh := postWalk(t, p.b, c.s2.URL(), p.owner, walkJSON("walk-after-restart", time.Now()))
	want(t, "a new walk directly on the restarted instance", fresh, http.StatusCreated, "")
	page := p.b.get(c.s2.URL(), "/dagbog/ny")
	want(t, "the diary form directly on the restarted instance", page, http.StatusOK, "")
	f, err := diaryFormOf(t, page.body)
	if err != nil {
		t.Fatal(err)
	}
	f.set(t, "leg", "2")
	f.set(t, "back", "2")
	f.set(t, "note", "efter genstarten")
	freshDiary := f.values.Get("client_id")
	want(t, "a diary entry directly on the restarted instance", p.b.post(c.s2.URL(), "/dagbog", f.values), http.StatusSeeOther, diarySaved)
	var resentWalk, resentDiary string // records s1 acknowledged while s2 was down
	for id, a := range stats.acked {
		switch {
		case !a.late:
		case a.kind == kindWalk && strings.HasPrefix(id, "walk-w0-"):
			resentWalk = id
		case a.kind == kindDiary && resentDiary == "":
			resentDiary = id
		}
	}
	if resentWalk != "" {
		r := postWalk(t, p.b, c.s2.URL(), p.owner, walkJSON(resentWalk, time.Now()))
		want(t, "a walk stored while it was down, resent to the restarted instance", r, http.StatusOK, "")
		if got := idIn(r.body); got != stats.acked[resentWalk].id {
			t.Errorf("the restarted instance answered %s with id %d, the walk is stored as %d", resentWalk, got, stats.acked[resentWalk].id)
		}
	}
	if resentDiary != "" {
		a := stats.acked[resentDiary]
		r, err := a.b.send(t.Context(), "POST", c.s2.URL()+"/dagbog", a.body, formHeader)
		if err != nil {
			t.Fatal(err)
		}
		want(t, "a diary form stored while it was down, resent to the restarted instance", r, http.StatusSeeOther, diarySaved)
		// Found stored, and logged so (the log is written out every 100 ms).
		for deadline := time.Now().Add(5 * time.Second); !strings.Contains(c.s2.logText(), diaryLogRepeat); time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Errorf("the restarted instance's log does not say %q:\n%s", diaryLogRepeat, c.s2.tail())
				break
			}
		}
	}

	// Count by client id in the database.
	stored := map[string]int{}
	unkeyed := 0
	for _, q := range []string{
		`SELECT client_id, count(*) FROM ` + c.schema + `.walks GROUP BY client_id`,
		`SELECT coalesce(client_id, ''), count(*) FROM ` + c.schema + `.diary_entries GROUP BY client_id`,
	} {
		rows, err := pgtest.Admin(t).QueryContext(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id string
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				t.Fatal(err)
			}
			if id == "" {
				unkeyed += n
				continue
			}
			stored[id] += n
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	type counts struct{ acked, present, duplicated, missing, unacked int }
	by := map[string]*counts{kindWalk: {}, kindDiary: {}}
	for id, a := range stats.acked {
		k := by[a.kind]
		k.acked++
		if stored[id] > 0 {
			k.present++
		} else {
			k.missing++
			t.Errorf("%s %s was acknowledged (id %d, by %s) and is not stored", a.kind, id, a.id, a.servedBy)
		}
	}
	for id, n := range stored {
		kind := kindDiary
		if strings.HasPrefix(id, "walk-") {
			kind = kindWalk
		}
		if n > 1 {
			by[kind].duplicated++
			t.Errorf("%s %s is stored %d times", kind, id, n)
		}
		if _, ok := stats.acked[id]; !ok && id != "walk-after-restart" && id != freshDiary {
			by[kind].unacked++
		}
	}
	if unkeyed > 0 {
		t.Errorf("%d diary entries stored without a client id", unkeyed)
	}
	served := map[string]int{}
	acksBefore := map[string]int{}
	for _, a := range stats.acked {
		phase := "before"
		if a.late {
			phase = "after"
		} else {
			acksBefore[a.kind]++
		}
		served[a.servedBy+" "+phase]++
	}
	retried, redispatched, failed := c.px.retries(t)
	t.Logf("instance loss: %d records acknowledged (%d before the kill, %d after)", len(stats.acked), atKill, total-atKill)
	for _, kind := range []string{kindWalk, kindDiary} {
		k := by[kind]
		t.Logf("  %s: %d acknowledged (%d before the kill, %d after), %d present, %d duplicated, %d missing, %d stored without an acknowledgment",
			kind, k.acked, acksBefore[kind], k.acked-acksBefore[kind], k.present, k.duplicated, k.missing, k.unacked)
	}
	t.Logf("the writers: %d walks sent again (%d sends more), %d of them found stored already (the first send was saved, its answer lost); "+
		"%d diary forms sent again (%d sends more), %d of them found stored already (the instances' log)",
		stats.retried[kindWalk], stats.resends[kindWalk], stats.foundStored, stats.retried[kindDiary], stats.resends[kindDiary], diaryFound)
	t.Logf("errors seen: %s; given up: %d", describe(stats.errors), len(stats.gaveUp))
	t.Logf("the proxy: %d requests retried after a failed connection, %d of them sent to the other instance; acknowledgments by instance (sent before / after the kill): %v",
		retried, redispatched, served)
	for _, l := range failed {
		t.Logf("the proxy's log: %s", l)
	}

	if len(stats.unexpected) > 0 {
		t.Errorf("answers no resend can mend: %v", stats.unexpected)
	}
	if len(stats.gaveUp) > 0 {
		t.Errorf("%d records never acknowledged after %d sends each: %v", len(stats.gaveUp), maxAttempts, stats.gaveUp)
	}
	if served["s2 after"] > 0 {
		t.Errorf("%d records sent after the kill were answered by the killed instance", served["s2 after"])
	}
	if served["s2 before"] == 0 {
		t.Errorf("the killed instance answered no record before the kill: it was not under load")
	}
	for _, kind := range []string{kindWalk, kindDiary} {
		if by[kind].acked-acksBefore[kind] == 0 || acksBefore[kind] == 0 {
			t.Errorf("%s: %d acknowledged before the kill, %d after: the load lacked them", kind, acksBefore[kind], by[kind].acked-acksBefore[kind])
		}
	}
}

// diaryFormOf is the new-entry form on a diary page, as the browser would
// send it, with its client id; an error (not a failed test: it runs in a
// writer's goroutine) when the page has no such form.
func diaryFormOf(t testing.TB, page string) (*form, error) {
	if !strings.Contains(page, `action="/dagbog"`) {
		return nil, fmt.Errorf("no diary form on the page: %.300s", page)
	}
	f := parseForm(t, page, "/dagbog")
	if f.values.Get("client_id") == "" {
		return nil, fmt.Errorf("the diary form has no client id: %.600s", page)
	}
	return f, nil
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
