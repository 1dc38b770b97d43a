package account

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"sync"
	"time"

	"github.com/stenose/stenose/internal/store"
)

// Limits are how many attempts are allowed before the next must wait. Each
// is a token bucket: an attempt takes a token, and the bucket refills one
// token per Every up to Burst. What a sign-in is held to depends on where
// it comes from (signInBuckets):
//
//   - from a device that has signed in to this login before (its device
//     cookie, known_devices): the device's own bucket for the login (Pair),
//     nothing else — so guesses from anywhere else never lock the owner
//     out on their own phone;
//   - from anywhere else: the login from this address (Pair: one guesser
//     gets 5, then one a minute), the address for every login (Addr: one
//     address trying many logins), and the login from every address that
//     is not a known device together (Login: a much larger burst that
//     bounds guessing spread over many addresses; the owner's known
//     devices are not held to it).
//
// Failed attempts take a token, successful ones nothing. Sign-ups (SignUp)
// take a token from the address's bucket whatever their outcome: a taken
// login, a new account.
type Limits struct {
	PairBurst   int
	PairEvery   time.Duration
	AddrBurst   int
	AddrEvery   time.Duration
	LoginBurst  int
	LoginEvery  time.Duration
	SignUpBurst int
	SignUpEvery time.Duration
}

// DefaultLimits: a login from one address (or one known device) 5 failed
// attempts, then one a minute; one address (an IPv6 /64 counts as one) 20
// failures, then one every 15 seconds; a login from every address but its
// known devices 100 failures (NIST SP 800-63B's most), then one a minute —
// at most 160 guesses in the first hour and 60 an hour after, however many
// addresses guess; sign-ups from one address 20, then one every 3 minutes
// (a class signing up on a clinic's network fits; trying which logins are
// taken does not).
var DefaultLimits = Limits{
	PairBurst: 5, PairEvery: time.Minute,
	AddrBurst: 20, AddrEvery: 15 * time.Second,
	LoginBurst: 100, LoginEvery: time.Minute,
	SignUpBurst: 20, SignUpEvery: 3 * time.Minute,
}

// withDefaults fills zero fields from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	for _, f := range []struct {
		burst *int
		every *time.Duration
		defB  int
		defE  time.Duration
	}{
		{&l.PairBurst, &l.PairEvery, d.PairBurst, d.PairEvery},
		{&l.AddrBurst, &l.AddrEvery, d.AddrBurst, d.AddrEvery},
		{&l.LoginBurst, &l.LoginEvery, d.LoginBurst, d.LoginEvery},
		{&l.SignUpBurst, &l.SignUpEvery, d.SignUpBurst, d.SignUpEvery},
	} {
		if *f.burst <= 0 {
			*f.burst = f.defB
		}
		if *f.every <= 0 {
			*f.every = f.defE
		}
	}
	return l
}

// rule is one bucket's refill: burst tokens, one back per every.
type rule struct {
	burst int
	every time.Duration
}

// window is how far back a bucket's attempts are replayed: lookback times
// the time it takes to refill from empty (replay starts full at the first
// attempt it reads, so the further back it reads, the closer it comes to
// the true bucket under a sustained attack: see lookback).
func (r rule) window() time.Duration { return lookback * time.Duration(r.burst) * r.every }

// lookback is how many refill times a replay reads. Starting full at the
// first attempt read errs on the lenient side when the bucket was in fact
// being emptied before it: an attacker who keeps a bucket empty gets
// about (lookback+1)/lookback of its rate, 1.25 × with 4 (with 1, as
// before, twice the rate).
const lookback = 4

// bucket is one counter an attempt is held to: its key in the shared log
// (login_attempts.bucket) and its rule.
type bucket struct {
	key string
	rule
}

// Bucket keys. A login's own buckets all begin "login:KEY"; the ones of
// the login from one address or one device continue with loginSep, which
// no login key holds (ParseLogin refuses control characters), so a
// password reset finds them all (store.ClearLoginBuckets).
const loginSep = '\x1f'

// rules are the Limits as bucket rules.
type rules struct{ pair, addr, login, signUp rule }

func rulesOf(l Limits) rules {
	l = l.withDefaults()
	return rules{
		pair:   rule{l.PairBurst, l.PairEvery},
		addr:   rule{l.AddrBurst, l.AddrEvery},
		login:  rule{l.LoginBurst, l.LoginEvery},
		signUp: rule{l.SignUpBurst, l.SignUpEvery},
	}
}

// fromAddr are the buckets of an attempt at login from addr on a device
// that has not signed in to it before.
func (r rules) fromAddr(login, addr string) []bucket {
	a := AddrKey(addr)
	return []bucket{
		{"login:" + login + string(loginSep) + "addr:" + a, r.pair},
		{"addr:" + a, r.addr},
		{"login:" + login, r.login},
	}
}

// fromDevice is the bucket of an attempt at login on a device that has
// signed in to it before (tokenHash: its device token's SHA-256).
func (r rules) fromDevice(login string, tokenHash [32]byte) []bucket {
	return []bucket{{"login:" + login + string(loginSep) + "device:" + hex.EncodeToString(tokenHash[:8]), r.pair}}
}

// invitation are the buckets of an attempt at an invitation code from
// addr: both the address's, so one guesser cannot lock everyone out of
// invitations.
func (r rules) invitation(addr string) []bucket {
	a := AddrKey(addr)
	return []bucket{{"invitation:" + a, r.pair}, {"addr:" + a, r.addr}}
}

// signUp is the bucket of a sign-up from addr.
func (r rules) signUpFrom(addr string) []bucket {
	return []bucket{{"signup:" + AddrKey(addr), r.signUp}}
}

// Limiter counts attempts per bucket in this process's memory. The Service
// uses it only as a cheap first gate in front of the shared limits in the
// database (shared.go), which hold across every `stenose serve` instance:
// it is given the same buckets, keeps the times of this instance's counted
// attempts (failures; every sign-up) within each bucket's window, and
// decides by the same replay of the same rule (replay, shared.go) as the
// shared log does over its rows. Its times are a subset of the shared
// rows, so it refuses only what the shared limits refuse too (the random
// test TestFirstGateNeverStricter holds it to that) — except after a
// password reset, which lifts only the shared limits (another instance
// may still ask for a short wait, at most one Every per failure it saw
// itself). It refuses a flood of guesses without a database round trip.
type Limiter struct {
	mu    sync.Mutex
	m     map[string]*attempts
	fails int
}

// attempts are one bucket's attempts in memory, oldest first.
type attempts struct {
	times  []time.Time
	window time.Duration
}

// NewLimiter returns an empty Limiter.
func NewLimiter() *Limiter { return &Limiter{m: map[string]*attempts{}} }

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

// Wait returns how long the next attempt held to bs must wait; 0 means it
// may go ahead now.
func (l *Limiter) Wait(bs []bucket, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var w time.Duration
	for _, b := range bs {
		var times []time.Time
		if a := l.m[b.key]; a != nil {
			times = a.times
		}
		if len(times) < b.burst {
			continue // fewer than a burst: a token is left, however they fell
		}
		rows := make([]store.LoginAttempt, 0, len(times)+1)
		since := now.Add(-b.window())
		for i, t := range times {
			if !t.Before(since) {
				rows = append(rows, store.LoginAttempt{ID: int64(i + 1), At: t})
			}
		}
		rows = append(rows, store.LoginAttempt{ID: int64(len(times) + 1), At: now})
		if ok, d := replay(rows, int64(len(times)+1), b.burst, b.every); !ok && d > w {
			w = d
		}
	}
	return w
}

// Fail counts an attempt (a failure; any sign-up) against each of bs.
func (l *Limiter) Fail(bs []bucket, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, b := range bs {
		a := l.m[b.key]
		if a == nil {
			a = &attempts{window: b.window()}
			l.m[b.key] = a
		}
		times := append(a.times, now)
		since := now.Add(-a.window)
		drop := 0
		for drop < len(times) && times[drop].Before(since) {
			drop++
		}
		if len(times)-drop > maxReplay { // as the shared log reads at most maxReplay rows
			drop = len(times) - maxReplay
		}
		a.times = times[drop:]
	}
	l.fails++
	if l.fails%1024 == 0 {
		l.sweep(now)
	}
}

// sweep forgets buckets whose last attempt is older than their window:
// they count for nothing.
func (l *Limiter) sweep(now time.Time) {
	for k, a := range l.m {
		if len(a.times) == 0 || now.Sub(a.times[len(a.times)-1]) > a.window {
			delete(l.m, k)
		}
	}
}

// size is how many buckets are kept (tests).
func (l *Limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.m)
}

// Devices: a browser that signs in gets a device token (a cookie, set by
// internal/web), and the account a row in known_devices. DeviceLifetime is
// how long a device stays known after its last sign-in.
const DeviceLifetime = 365 * 24 * time.Hour

type deviceKey struct{}

// WithDevice returns ctx carrying the device token the browser sent (its
// device cookie; "" for none): every attempt to prove who one is made with
// ctx is held to that device's bucket when it has signed in to the login
// before (Limits), and RememberDevice reuses it.
func WithDevice(ctx context.Context, token string) context.Context {
	if token == "" {
		return ctx
	}
	return context.WithValue(ctx, deviceKey{}, token)
}

// deviceHash is the SHA-256 of ctx's device token, if it has one of the
// right form.
func deviceHash(ctx context.Context) ([32]byte, bool) {
	tok, _ := ctx.Value(deviceKey{}).(string)
	if len(tok) != deviceTokenLen {
		return [32]byte{}, false
	}
	return sha256.Sum256([]byte(tok)), true
}
