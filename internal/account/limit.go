package account

import (
	"net/netip"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limits are how many failed sign-ins are allowed before the next attempt
// must wait: a token bucket per login name and one per client address.
// Each failed attempt takes a token; a bucket refills one token per Every.
// Successful sign-ins take nothing.
type Limits struct {
	AccountBurst int
	AccountEvery time.Duration
	AddrBurst    int
	AddrEvery    time.Duration
}

// DefaultLimits: 5 failed attempts on one login, then one a minute; 20
// failed attempts from one address (an IPv6 /64 counts as one), then one
// every 15 seconds.
var DefaultLimits = Limits{AccountBurst: 5, AccountEvery: time.Minute, AddrBurst: 20, AddrEvery: 15 * time.Second}

// Limiter counts failed sign-ins per login and per client address, in this
// process's memory. The Service uses it only as a cheap first gate in front
// of the shared limits in the database (shared.go), which hold across every
// `stenose serve` instance: it sees only this instance's failures, a subset
// of the shared ones, so it refuses only what the shared limits would
// refuse too (but for a password reset, which lifts only the shared limit),
// and it refuses a flood of guesses without a database round trip.
type Limiter struct {
	lim Limits

	mu    sync.Mutex
	acct  map[string]*rate.Limiter
	addr  map[string]*rate.Limiter
	fails int
}

// NewLimiter returns a Limiter; zero fields of l take DefaultLimits'.
func NewLimiter(l Limits) *Limiter {
	if l.AccountBurst <= 0 {
		l.AccountBurst = DefaultLimits.AccountBurst
	}
	if l.AccountEvery <= 0 {
		l.AccountEvery = DefaultLimits.AccountEvery
	}
	if l.AddrBurst <= 0 {
		l.AddrBurst = DefaultLimits.AddrBurst
	}
	if l.AddrEvery <= 0 {
		l.AddrEvery = DefaultLimits.AddrEvery
	}
	return &Limiter{lim: l, acct: map[string]*rate.Limiter{}, addr: map[string]*rate.Limiter{}}
}

// AddrKey is the bucket an address belongs to: the IP without its port;
// IPv6 addresses by their /64 (one household or host usually has a whole
// /64). Anything unparsable is its own key.
func AddrKey(addr string) string {
	ap, err := netip.ParseAddrPort(addr)
	ip := ap.Addr()
	if err != nil {
		if ip, err = netip.ParseAddr(addr); err != nil {
			return addr
		}
	}
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

// Wait returns how long the next attempt for login from addr must wait; 0
// means it may go ahead now.
func (l *Limiter) Wait(login, addr string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := wait(l.acct[login], l.lim.AccountEvery, now)
	if a := wait(l.addr[AddrKey(addr)], l.lim.AddrEvery, now); a > w {
		w = a
	}
	return w
}

func wait(r *rate.Limiter, every time.Duration, now time.Time) time.Duration {
	if r == nil {
		return 0
	}
	tokens := r.TokensAt(now)
	if tokens >= 1 {
		return 0
	}
	d := time.Duration((1 - tokens) * float64(every))
	if d < time.Second {
		d = time.Second
	}
	return d
}

// Fail records a failed attempt for login from addr.
func (l *Limiter) Fail(login, addr string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	take(l.acct, login, l.lim.AccountEvery, l.lim.AccountBurst, now)
	take(l.addr, AddrKey(addr), l.lim.AddrEvery, l.lim.AddrBurst, now)
	l.fails++
	if l.fails%1024 == 0 {
		l.sweep(now)
	}
}

func take(m map[string]*rate.Limiter, key string, every time.Duration, burst int, now time.Time) {
	r := m[key]
	if r == nil {
		r = rate.NewLimiter(rate.Every(every), burst)
		m[key] = r
	}
	r.AllowN(now, 1)
}

// sweep forgets buckets that have refilled: they are the same as none.
func (l *Limiter) sweep(now time.Time) {
	for _, m := range []map[string]*rate.Limiter{l.acct, l.addr} {
		for k, r := range m {
			if r.TokensAt(now) >= float64(r.Burst()) {
				delete(m, k)
			}
		}
	}
}

// size is how many buckets are kept (tests).
func (l *Limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.acct) + len(l.addr)
}
