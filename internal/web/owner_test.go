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

// TestSyncOwner: the diary tells sync.js whose browser it is with an
// opaque owner tag, and the sync API refuses a record tagged for another
// account.
func TestSyncOwner(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		e := newEnv(t, open(t), nil)
		anna, bent := e.patientSince("anna", fixturesSince), e.patientSince("bent", fixturesSince)
		annaTag, bentTag := browserOwner(e.userID("anna")), browserOwner(e.userID("bent"))
		if annaTag == bentTag || len(annaTag) != 24 || strings.Contains(annaTag, "anna") {
			t.Fatalf("tags %q, %q", annaTag, bentTag)
		}
		r := anna.get("/dagbog")
		want(t, "diary", r, 200, "")
		contains(t, "diary", r.body, `data-owner="`+annaTag+`"`)
		if strings.Contains(r.body, bentTag) {
			t.Error("anna's diary names bent's tag")
		}
		// The sign-in page (where signing out lands) loads sync.js, which
		// there clears the browser's account.
		contains(t, "sign-in page", e.client().get("/konto/log-ind").body, `src="/dagbog/sync.js"`, `action="/konto/log-ind"`)

		for _, c := range []*client{anna, bent} {
			c.hdr = http.Header{"Sec-Fetch-Site": {"same-origin"}, "Origin": {e.srv.URL}}
		}
		walk := `{"clientId":"%s","startedAt":"2026-03-02T10:00:00Z","endedAt":"2026-03-02T10:30:00Z","bouts":[{"walkSeconds":600,"pauseSeconds":0,"firstSymptomsSeconds":null}]}`
		for _, tc := range []struct {
			name, tag, clientID string
			status              int
		}{
			{"anna's record on bent's session", annaTag, "a-1", 409},
			{"a made-up tag", "0123456789abcdef01234567", "a-2", 409},
			{"bent's own", bentTag, "b-1", 201},
			{"no tag (an older sync.js)", "", "b-2", 201},
		} {
			bent.hdr.Del(ownerHeader)
			if tc.tag != "" {
				bent.hdr.Set(ownerHeader, tc.tag)
			}
			for _, path := range []string{"/api/traening", "/api/gang"} {
				body := fmt.Sprintf(sessionJSON, tc.clientID)
				if path == "/api/gang" {
					body = fmt.Sprintf(walk, tc.clientID)
				}
				r := bent.doJSON(path, body)
				want(t, tc.name+" "+path, r, tc.status, "")
				if tc.status == 409 {
					contains(t, tc.name, r.body, "en anden var logget ind")
				}
			}
		}
		ts, _ := e.st.ListTrainingSessions(t.Context(), e.userID("bent"), time.Time{}, time.Time{})
		ws, _ := e.st.ListWalks(t.Context(), e.userID("bent"), time.Time{}, time.Time{})
		if len(ts) != 2 || len(ws) != 2 {
			t.Errorf("bent has %d sessions and %d walks, want 2 and 2", len(ts), len(ws))
		}
		anna.hdr.Set(ownerHeader, annaTag)
		want(t, "anna's record on her own session", anna.doJSON("/api/traening", fmt.Sprintf(sessionJSON, "a-1")), 201, "")
	})
}

// TestTrustedProxies: behind a trusted proxy the per-address sign-in limit
// counts X-Forwarded-For's client; without one (the default) the header is
// ignored, so a guesser cannot pick a fresh address per attempt.
func TestTrustedProxies(t *testing.T) {
	loopback := func(c *Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	}
	for _, tc := range []struct {
		name    string
		opts    []option
		limited bool // is another forwarded address limited too?
	}{
		{"behind a trusted proxy", []option{loopback}, false},
		{"no trusted proxies", nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, openSQLite(t), nil, tc.opts...)
			c := e.client()
			c.hdr.Set("X-Forwarded-For", "192.0.2.1")
			for i := range account.DefaultLimits.AddrBurst {
				want(t, "wrong password", c.post("/konto/log-ind", "login", fmt.Sprintf("user%d", i), "password", "forkert kode"), 401, "")
			}
			want(t, "the same client", c.post("/konto/log-ind", "login", "someone", "password", "forkert kode"), 429, "")
			// A spoofed header, leftmost, changes nothing behind a proxy.
			c.hdr.Set("X-Forwarded-For", "198.51.100.1, 192.0.2.1")
			want(t, "spoofed left of the client", c.post("/konto/log-ind", "login", "someone", "password", "forkert kode"), 429, "")
			c.hdr.Set("X-Forwarded-For", "192.0.2.2")
			status := 401
			if tc.limited {
				status = 429
			}
			want(t, "another client", c.post("/konto/log-ind", "login", "someone", "password", "forkert kode"), status, "")
		})
	}
}
