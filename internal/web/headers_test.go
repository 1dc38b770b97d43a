package web

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stenose/stenose/internal/account"
)

// promisedHeaders reads the README's table of the headers every response
// carries (under "Headers"): header → value.
func promisedHeaders(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "- **Headers.**")
	if !ok {
		t.Fatal(`README.md has no "**Headers.**" note`)
	}
	row := regexp.MustCompile("(?m)^ *\\| `([A-Za-z-]+)` \\| `([^`]+)` \\|$")
	out := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(rest[:strings.Index(rest, "\n- **")], -1) {
		out[m[1]] = m[2]
	}
	for _, h := range []string{"Content-Security-Policy", "X-Frame-Options", "Permissions-Policy"} {
		if out[h] == "" {
			t.Fatalf("the README's Headers table lacks %s (found %v)", h, out)
		}
	}
	if !strings.Contains(out["Content-Security-Policy"], "frame-ancestors 'none'") {
		t.Errorf("the promised CSP lacks frame-ancestors 'none': %q", out["Content-Security-Policy"])
	}
	return out
}

// TestPromisedHeaders: every header the README promises, with its value,
// on every kind of response of the app and of the public site: signed in
// and not, redirects, 403, 404, 429, static files, the operations routes.
func TestPromisedHeaders(t *testing.T) {
	promised := promisedHeaders(t)
	e := newEnv(t, openSQLite(t), nil, idleTimeout)
	anon := e.client()
	patient := e.signUp("anna")
	guesser := e.client()
	for range account.DefaultLimits.PairBurst {
		want(t, "wrong password", guesser.post("/konto/log-ind", "login", "anna", "password", "forkert kode"), 401, "")
	}
	cross := e.client()
	cross.hdr.Set("Sec-Fetch-Site", "cross-site")
	style := regexp.MustCompile(`/static/style\.[0-9a-f]+\.css`).FindString(anon.get("/").body)
	if style == "" {
		t.Fatal("no stylesheet on the home page")
	}
	for _, tt := range []struct {
		what   string
		do     func() resp
		status int
	}{
		// The app, anonymous.
		{"sign-in page", func() resp { return anon.get("/konto/log-ind") }, 200},
		{"sign-up page", func() resp { return anon.get("/konto/opret") }, 200},
		{"a page that needs a sign-in: redirect", func() resp { return anon.get("/konto") }, 303},
		{"wrong password", func() resp { return anon.post("/konto/log-ind", "login", "nobody", "password", "forkert kode") }, 401},
		{"too many wrong passwords", func() resp { return guesser.post("/konto/log-ind", "login", "anna", "password", goodPW) }, 429},
		{"cross-origin post", func() resp { return cross.post("/konto/log-ind", "login", "anna", "password", goodPW) }, 403},
		{"the app's stylesheet", func() resp { return anon.get(cssPath) }, 200},
		{"sync.js", func() resp { return anon.get("/dagbog/sync.js") }, 200},
		{"readyz", func() resp { return anon.get("/readyz") }, 200},
		{"an app page under /en/: redirect", func() resp { return anon.get("/en/i-dag") }, 303},
		// The app, signed in.
		{"account page", func() resp { return patient.get("/konto") }, 200},
		{"today", func() resp { return patient.get("/i-dag") }, 303}, // onboarding first
		{"red-flag screen", func() resp { return patient.get("/start/roede-flag") }, 200},
		{"another's diary entry: 404", func() resp { return patient.get("/dagbog/999999/rediger") }, 404},
		{"a clinician's page: 403", func() resp { return patient.get("/klinik") }, 403},
		{"a form error", func() resp { return patient.post("/konto/adgangskode", "current", "") }, 422},
		// The public site.
		{"home", func() resp { return anon.get("/") }, 200},
		{"article", func() resp { return anon.get("/blog/5-bedste-oevelser-til-spinalstenose") }, 200},
		{"public stylesheet", func() resp { return anon.get(style) }, 200},
		{"public redirect", func() resp { return anon.get("/blog") }, 301},
		{"public 404", func() resp { return anon.get("/findes-ikke") }, 404},
		{"public 404 signed in", func() resp { return patient.get("/en/findes-ikke") }, 404},
		{"public 405", func() resp { return anon.post("/blog/") }, 405},
		{"healthz", func() resp { return anon.get("/healthz") }, 200},
		{"sitemap", func() resp { return anon.get("/sitemap.xml") }, 200},
	} {
		r := tt.do()
		if r.status != tt.status {
			t.Errorf("%s: status %d, want %d", tt.what, r.status, tt.status)
		}
		for h, v := range promised {
			if got := r.header.Values(h); len(got) != 1 || got[0] != v {
				t.Errorf("%s: %s = %q, want %q", tt.what, h, got, v)
			}
		}
	}
}
