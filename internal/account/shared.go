package account

import (
	"context"
	"time"

	"github.com/stenose/stenose/internal/store"
)

// The sign-in limits are kept in the database (store.LoginAttempt), so
// every `stenose serve` instance on one database enforces them together.
// The rule is a token bucket (Limits): it is replayed over the bucket's
// attempts of the last lookback × Burst × Every, starting full at the
// first of them (older attempts matter only while an attack keeps the
// bucket empty; see lookback for what that lets through).
//
// An attempt is recorded before the password is checked, as a reservation:
// the replay decides whether it may go ahead, counting every attempt of
// every instance that is in flight or failed. A refused attempt and one that
// succeeds delete their rows again (a success costs nothing); a failed one
// keeps them. Recording first closes the race in which many concurrent
// guesses all pass a check made before any of them has failed.
//
// The in-memory Limiter stays in front as a cheap first gate: it is held
// to the same buckets and replays only this instance's failures, a subset
// of the shared ones, the same way, so whenever it says wait the shared
// log would say so too, and a flood of guesses at one instance is refused
// without a database round trip.

// maxReplay bounds the rows read for one bucket. Within one window
// (lookback refill times) a bucket can hold about (lookback+1) × burst
// allowed attempts, 500 for the login's 100; more is a flood, and
// replaying only its newest rows errs on the side of refusing.
const maxReplay = 1000

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

// reserve records an attempt held to bs at now and replays each bucket.
// When any refuses, the rows are deleted again and the longest wait is
// returned.
func (s *Service) reserve(ctx context.Context, bs []bucket, now time.Time) (reservation, time.Duration, error) {
	keys := make([]string, len(bs))
	for i, b := range bs {
		keys[i] = b.key
	}
	ids, err := s.st.AddLoginAttempt(ctx, now, keys...)
	if err != nil {
		return reservation{}, 0, err
	}
	r := reservation{ids: ids}
	var wait time.Duration
	for i, b := range bs {
		rows, err := s.st.LoginAttempts(ctx, b.key, now.Add(-b.window()), maxReplay)
		if err != nil {
			s.cancel(ctx, r)
			return reservation{}, 0, err
		}
		if ok, w := replay(rows, ids[i], b.burst, b.every); !ok && w > wait {
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

// maybePrune deletes rows older than every window, and devices unknown
// for DeviceLifetime, at most once per pruneEvery per instance.
func (s *Service) maybePrune(ctx context.Context, now time.Time) {
	last := s.lastPrune.Load()
	if now.Unix()-last < int64(pruneEvery/time.Second) || !s.lastPrune.CompareAndSwap(last, now.Unix()) {
		return
	}
	oldest := now
	for _, r := range []rule{s.rules.pair, s.rules.addr, s.rules.login, s.rules.signUp} {
		if t := now.Add(-r.window()); t.Before(oldest) {
			oldest = t
		}
	}
	_, _ = s.st.PruneLoginAttempts(ctx, oldest)
	_, _ = s.st.PruneDevices(ctx, now.Add(-DeviceLifetime))
}
