package account

import (
	"context"
	"time"

	"github.com/stenose/stenose/internal/store"
)

// The sign-in limits are kept in the database (store.LoginAttempt), so
// every `stenose serve` instance on one database enforces them together.
// The rule is the same token bucket as Limiter's (Limits): it is replayed
// over the bucket's attempts of the last Burst×Every (older ones cannot
// matter: a bucket refills completely in that time).
//
// An attempt is recorded before the password is checked, as a reservation:
// the replay decides whether it may go ahead, counting every attempt of
// every instance that is in flight or failed. A refused attempt and one that
// succeeds delete their rows again (a success costs nothing); a failed one
// keeps them. Recording first closes the race in which many concurrent
// guesses all pass a check made before any of them has failed.
//
// The in-memory Limiter stays in front as a cheap first gate: it counts only
// this instance's failures, a subset of the shared ones, so whenever it says
// wait the shared log would say so too, and a flood of guesses at one
// instance is refused without a database round trip.

// sharedLimit is one bucket's rule.
type sharedLimit struct {
	prefix string
	burst  int
	every  time.Duration
}

func (l sharedLimit) window() time.Duration { return time.Duration(l.burst) * l.every }

// maxReplay bounds the rows read for one bucket. Within one window a bucket
// can hold about 2×burst allowed attempts; more is a flood, and replaying
// only its newest rows errs on the side of refusing.
const maxReplay = 500

// pruneEvery is how often an instance deletes rows older than every window.
const pruneEvery = time.Hour

// replay runs the token bucket over attempts (oldest first) and returns
// whether the attempt with id mine got a token and, if not, how long until
// one is free. An attempt without a token takes nothing (it is refused and
// its row deleted). mine absent from attempts is allowed.
func replay(attempts []store.LoginAttempt, mine int64, burst int, every time.Duration) (ok bool, wait time.Duration) {
	tokens := float64(burst)
	var last time.Time
	for i, a := range attempts {
		if i > 0 {
			tokens += float64(a.At.Sub(last)) / float64(every)
			if tokens > float64(burst) {
				tokens = float64(burst)
			}
		}
		last = a.At
		got := tokens >= 1
		if got {
			tokens--
		}
		if a.ID == mine {
			if got {
				return true, 0
			}
			d := time.Duration((1 - tokens) * float64(every))
			if d < time.Second {
				d = time.Second
			}
			return false, d
		}
	}
	return true, 0
}

// reservation is an attempt recorded in the shared log.
type reservation struct{ ids []int64 }

// reserve records an attempt for login from addr at now and replays both
// buckets. When either refuses, the rows are deleted again and the wait is
// returned.
func (s *Service) reserve(ctx context.Context, login, addr string, now time.Time) (reservation, time.Duration, error) {
	buckets := []string{s.limits[0].prefix + login, s.limits[1].prefix + AddrKey(addr)}
	ids, err := s.st.AddLoginAttempt(ctx, now, buckets...)
	if err != nil {
		return reservation{}, 0, err
	}
	r := reservation{ids: ids}
	var wait time.Duration
	for i, l := range s.limits {
		rows, err := s.st.LoginAttempts(ctx, buckets[i], now.Add(-l.window()), maxReplay)
		if err != nil {
			s.cancel(ctx, r)
			return reservation{}, 0, err
		}
		if ok, w := replay(rows, ids[i], l.burst, l.every); !ok && w > wait {
			wait = w
		}
	}
	if wait > 0 {
		s.cancel(ctx, r)
		return reservation{}, wait, nil
	}
	s.maybePrune(ctx, now)
	return r, 0, nil
}

// cancel deletes a reservation's rows: the attempt succeeded, was refused,
// or could not be finished. It is best effort (a row left behind only
// counts as one failure, for one window) and survives a cancelled request.
func (s *Service) cancel(ctx context.Context, r reservation) {
	if len(r.ids) > 0 {
		_ = s.st.DeleteLoginAttempts(context.WithoutCancel(ctx), r.ids...)
	}
}

// maybePrune deletes rows older than every window, at most once per
// pruneEvery per instance.
func (s *Service) maybePrune(ctx context.Context, now time.Time) {
	last := s.lastPrune.Load()
	if now.Unix()-last < int64(pruneEvery/time.Second) || !s.lastPrune.CompareAndSwap(last, now.Unix()) {
		return
	}
	oldest := now
	for _, l := range s.limits {
		if t := now.Add(-l.window()); t.Before(oldest) {
			oldest = t
		}
	}
	_, _ = s.st.PruneLoginAttempts(ctx, oldest)
}

// sharedLimits are the two buckets' rules for l (zero fields: defaults).
func sharedLimits(l Limits) [2]sharedLimit {
	l = NewLimiter(l).lim
	return [2]sharedLimit{
		{prefix: "login:", burst: l.AccountBurst, every: l.AccountEvery},
		{prefix: "addr:", burst: l.AddrBurst, every: l.AddrEvery},
	}
}
