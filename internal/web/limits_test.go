package web

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/account"
	"github.com/stenose/stenose/internal/store"
)

// behindProxy trusts loopback as a reverse proxy, so a client's
// X-Forwarded-For names its address.
func behindProxy(c *Config) {
	c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
}

// withLimits gives the app an account service with limits l (zero fields:
// the defaults) on the env's clock.
func withLimits(l account.Limits) option {
	return func(c *Config) {
		acc, err := account.New(c.Store, account.Options{Now: c.Now, Params: cheap, Limits: l})
		if err != nil {
			panic(err)
		}
		c.Accounts = acc
	}
}

func from(c *client, addr string) *client {
	c.hdr.Set("X-Forwarded-For", addr)
	return c
}

func deviceCookieOf(c *client) *http.Cookie {
	for _, ck := range c.jar.Cookies(mustURL(c.e.srv.URL)) {
		if strings.HasSuffix(ck.Name, "stenose_device") {
			return ck
		}
	}
	return nil
}

// TestTargetedLockOut: six wrong guesses at anna from another address,
// then one a minute, never keep anna out on her own device: from her own
// address she signs in; when guessing from many addresses has used up her
// login's limit, a browser she has signed in on before still gets in, a
// new one waits.
func TestTargetedLockOut(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		e := newEnv(t, open(t), nil, behindProxy, withLimits(account.Limits{LoginBurst: 20}))
		phone := from(e.signUp("anna"), "198.51.100.9") // her phone, signed up on it
		want(t, "sign out", phone.post("/konto/log-ud"), 303, "/konto/log-ind?ud=1")
		if deviceCookieOf(phone) == nil {
			t.Fatal("no device cookie after signing up")
		}

		guesser := from(e.client(), "203.0.113.7")
		for i := range account.DefaultLimits.PairBurst {
			want(t, fmt.Sprint("guess ", i+1), guesser.post("/konto/log-ind", "login", "anna", "password", "forkert kode"), 401, "")
		}
		r := guesser.post("/konto/log-ind", "login", "anna", "password", "forkert kode")
		want(t, "the 6th guess", r, 429, "")
		for minute := range 3 {
			e.clock.add(time.Minute)
			want(t, "a guess a minute", guesser.post("/konto/log-ind", "login", "anna", "password", "forkert kode"), 401, "")
			// anna, from home, on a browser she never used: in.
			laptop := from(e.client(), "198.51.100.9")
			want(t, fmt.Sprint("anna at home, minute ", minute+1), laptop.post("/konto/log-ind", "login", "anna", "password", goodPW), 303, "/i-dag")
		}

		// Guessing from 20 addresses uses up the login's limit: a new
		// browser waits, wherever it is; her phone gets in anywhere.
		for i := range 20 {
			from(e.client(), fmt.Sprintf("192.0.2.%d", i+1)).post("/konto/log-ind", "login", "anna", "password", "forkert kode")
		}
		want(t, "a new browser after the spread guessing", from(e.client(), "198.51.100.9").post("/konto/log-ind", "login", "anna", "password", goodPW), 429, "")
		want(t, "her phone at home", phone.post("/konto/log-ind", "login", "anna", "password", goodPW), 303, "/i-dag")
		want(t, "sign out", phone.post("/konto/log-ud"), 303, "/konto/log-ind?ud=1")
		want(t, "her phone at the guesser's address", from(phone, "203.0.113.7").post("/konto/log-ind", "login", "anna", "password", goodPW), 303, "/i-dag")
	})
}

// TestDeviceCookie: the device cookie is HttpOnly, SameSite=Lax, on the
// whole site for a year, Secure with the __Host- prefix behind TLS; a
// browser keeps its token from one sign-in to the next.
func TestDeviceCookie(t *testing.T) {
	for _, tc := range []struct {
		name   string
		opts   []option
		cookie string
	}{{"http", nil, "stenose_device"}, {"https", []option{secure}, "__Host-stenose_device"}} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, openSQLite(t), nil, tc.opts...)
			c := e.client()
			r := c.post("/konto/opret", "login", "anna", "password", goodPW, "password2", goodPW)
			want(t, "sign up", r, 303, "/start")
			var set *http.Cookie
			for _, ck := range (&http.Response{Header: r.header}).Cookies() {
				if ck.Name == tc.cookie {
					set = ck
				}
			}
			if set == nil {
				t.Fatalf("no %s cookie in %q", tc.cookie, r.header.Values("Set-Cookie"))
			}
			if !set.HttpOnly || set.SameSite != http.SameSiteLaxMode || set.Path != "/" || set.Secure != (tc.name == "https") ||
				set.MaxAge != int(account.DeviceLifetime.Seconds()) || len(set.Value) < 40 {
				t.Errorf("device cookie %+v", set)
			}
			if tc.name == "https" {
				return // the test client does not send Secure cookies over http
			}
			c.post("/konto/log-ud")
			r = c.post("/konto/log-ind", "login", "anna", "password", goodPW)
			want(t, "sign in", r, 303, "/i-dag")
			if got := deviceCookieOf(c); got == nil || got.Value != set.Value {
				t.Errorf("the browser's token changed at its next sign-in: %v → %v", set.Value, got)
			}
		})
	}
}

// TestSignUpLimit: 25 sign-ups with logins already taken from one
// address: the first 20 are told the login is taken (a person choosing a
// login has to know), then the address waits, 429 with Retry-After and
// a plain message in the page's language; another address is not held
// back.
func TestSignUpLimit(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		e := newEnv(t, open(t), nil, behindProxy, withLimits(account.Limits{}))
		e.signUp("anna")
		c := from(e.client(), "203.0.113.7")
		taken, limited := 0, 0
		var last resp
		for i := range 25 {
			if i == 24 {
				c.post(switchPath, "lang", "en", "naeste", "/konto/opret")
			}
			last = c.post("/konto/opret", "login", "anna", "name", "", "password", goodPW, "password2", goodPW)
			switch last.status {
			case 422:
				taken++
				contains(t, "taken", last.body, `id="login-error"`)
			case 429:
				limited++
				if i < 24 {
					contains(t, "limited", last.body, "Vent 3 minutter, og prøv så igen.")
				}
				if last.header.Get("Retry-After") != "180" {
					t.Errorf("Retry-After = %q, want 180", last.header.Get("Retry-After"))
				}
			default:
				t.Fatalf("sign-up %d: %d", i+1, last.status)
			}
		}
		if taken != account.DefaultLimits.SignUpBurst || limited != 25-account.DefaultLimits.SignUpBurst {
			t.Errorf("%d told taken, %d limited; want %d and %d", taken, limited, account.DefaultLimits.SignUpBurst, 25-account.DefaultLimits.SignUpBurst)
		}
		contains(t, "limited, in English", last.body, "Wait 3 minutes, and then try again.")
		// A new account counts too, and another address is not held back.
		want(t, "another address", from(e.client(), "198.51.100.1").post("/konto/opret", "login", "bent", "password", goodPW, "password2", goodPW), 303, "/start")
		want(t, "a new login, the same address", c.post("/konto/opret", "login", "cara", "password", goodPW, "password2", goodPW), 429, "")
		e.clock.add(3 * time.Minute)
		want(t, "3 minutes later", c.post("/konto/opret", "login", "cara", "password", goodPW, "password2", goodPW), 303, "/start")
	})
}
