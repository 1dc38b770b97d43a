package main

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stenose/stenose/internal/web"
)

// shot is one PNG: a page loaded by one browser context (a visitor or a
// signed-in patient), perhaps brought to a state by steps.
type shot struct {
	Name  string // the file name without .png
	Who   string // "" a visitor; else the patient's Key
	Lang  string // "da" or "en"
	Path  string // path and query to load
	Steps []step // after loading
}

// step is one thing done on a loaded page before the shot.
type step struct {
	Click  string        // a CSS selector clicked with JavaScript (a button of the player)
	Check  string        // a CSS selector of radio buttons or check boxes ticked with JavaScript
	Type   [2]string     // a CSS selector and the text typed into it (after clearing it)
	JS     string        // an expression evaluated
	Submit string        // a CSS selector clicked with the mouse; the page it leads to is the shot
	Wait   time.Duration // a pause, for timers and transitions
}

// notFoundPath is an address no content has.
const notFoundPath = "/blog/findes-ikke"

// publicPaths are the public pages: every address in the sitemap (both
// languages), and the programme's player and handout, walk mode and the
// 404 page, which are not in it.
func publicPaths(ctx context.Context, base string) ([]string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/sitemap.xml", nil)
	if err != nil {
		return nil, err
	}
	resp, err := (&http.Client{Timeout: 15 * time.Second}).Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /sitemap.xml: %d %v", resp.StatusCode, err)
	}
	var set struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(body, &set); err != nil {
		return nil, fmt.Errorf("reading /sitemap.xml: %w", err)
	}
	var paths []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			paths = append(paths, p)
		}
	}
	programme := regexp.MustCompile(`^(/en)?/program/[^/]+$`)
	for _, u := range set.URLs {
		loc, err := url.Parse(strings.TrimSpace(u.Loc))
		if err != nil {
			return nil, fmt.Errorf("/sitemap.xml: %q: %w", u.Loc, err)
		}
		p := loc.EscapedPath()
		if p == "" {
			p = "/"
		}
		add(p)
	}
	for _, p := range append([]string(nil), paths...) {
		if programme.MatchString(p) {
			add(p + "/traening")
			add(p + "/udskrift")
		}
	}
	for _, prefix := range []string{"", "/en"} {
		add(prefix + "/gang")
		add(prefix + notFoundPath)
	}
	return paths, nil
}

// publicName is a public page's name: "home" for /, "blog-x" for /blog/x,
// "404" for the not-found page; /en/… has the same name as its Danish page.
func publicName(p string) string {
	p = strings.TrimPrefix(p, "/en/")
	if p == "/en" {
		p = "/"
	}
	if strings.TrimPrefix(p, "/") == strings.TrimPrefix(notFoundPath, "/") {
		return "404"
	}
	return pathName(p, "home")
}

// pathName turns /a/b/ into "a-b" (empty: dflt).
func pathName(p, dflt string) string {
	p = strings.Trim(p, "/")
	if p == "" {
		return dflt
	}
	p, _ = url.PathUnescape(p)
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return '-'
	}, p)
}

func langOf(p string) string {
	if p == "/en" || strings.HasPrefix(p, "/en/") {
		return "en"
	}
	return "da"
}

// withLang adds ?lang=l to an app page's address: the app shows that page
// in l (and changes nothing of the account).
func withLang(p, l string) string {
	sep := "?"
	if strings.Contains(p, "?") {
		sep = "&"
	}
	return p + sep + "lang=" + l
}

// appPages are the app's own pages: every GET route of the route table
// (web.Routes) that answers with a page (not a stylesheet, script or
// download), with who may see it.
func appPages() (anyone, signedIn []string) {
	for _, r := range web.Routes() {
		method, p, ok := strings.Cut(r.Pattern, " ")
		if !ok || method != http.MethodGet || strings.Contains(p, ".") || strings.HasPrefix(p, "/static/") || strings.HasPrefix(p, "/api/") {
			continue
		}
		if strings.Contains(p, "{") && !idParam.MatchString(p) { // the calendar feed's secret address: data, not a page
			continue
		}
		switch r.Access {
		case web.Anyone:
			anyone = append(anyone, p)
		case web.SignedIn, web.Patient:
			signedIn = append(signedIn, p)
		}
	}
	return anyone, signedIn
}

var idParam = regexp.MustCompile(`\{id\}`)

// plan lists every shot.
func plan(public []string, ps []*patient) []shot {
	var shots []shot
	langs := []string{"da", "en"}
	// The public site, as a visitor.
	for _, p := range public {
		l := langOf(p)
		name := l + "-public-" + publicName(p)
		shots = append(shots, shot{Name: name, Lang: l, Path: p})
		switch {
		case strings.HasSuffix(p, "/traening"):
			start := step{Click: ".pl-start", Wait: 1500 * time.Millisecond}
			shots = append(shots,
				shot{Name: name + "-running", Lang: l, Path: p, Steps: []step{start, {Click: ".pl-pause", Wait: 200 * time.Millisecond}}},
				shot{Name: name + "-symptoms", Lang: l, Path: p, Steps: []step{start, {Click: ".pl-sym", Wait: 500 * time.Millisecond}}},
				shot{Name: name + "-summary", Lang: l, Path: p, Steps: []step{start, {Click: ".pl-sym", Wait: 300 * time.Millisecond}, {Click: ".pl-end", Wait: 500 * time.Millisecond}}},
			)
		case strings.HasSuffix(p, "/gang"):
			start := step{Click: ".pl-start", Wait: 2200 * time.Millisecond}
			shots = append(shots,
				shot{Name: name + "-walking", Lang: l, Path: p, Steps: []step{start}},
				shot{Name: name + "-finished", Lang: l, Path: p, Steps: []step{start, {Click: ".wk-finish", Wait: 500 * time.Millisecond}}},
			)
		}
	}
	anyone, signedIn := appPages()
	for _, l := range langs {
		for _, p := range anyone {
			name := l + "-app-" + pathName(p, "home")
			shots = append(shots, shot{Name: name, Lang: l, Path: withLang(p, l)})
			if p == "/konto/log-ind" {
				shots = append(shots, shot{Name: name + "-error", Lang: l, Path: withLang(p, l), Steps: []step{
					{Type: [2]string{"#login", ps[0].Login}}, {Type: [2]string{"#password", "forkert kodeord"}}, {Submit: `main button[type="submit"]`},
				}})
			}
		}
	}
	// The app, as each patient, and the player and walk mode signed in.
	noValidate := step{JS: `document.querySelectorAll("main form").forEach((f) => f.noValidate = true)`}
	for i, pt := range ps {
		for _, l := range langs {
			for _, pattern := range signedIn {
				if pt.Pages != nil && !slices.Contains(pt.Pages, pattern) {
					continue
				}
				// /dagbog/{id}/rediger: the patient's newest entry, named dagbog-rediger.
				name := l + "-app-" + pathName(strings.ReplaceAll(pattern, "/{id}", ""), "home")
				p := pattern
				if idParam.MatchString(p) {
					if pt.DiaryID == 0 {
						continue
					}
					p = idParam.ReplaceAllString(p, strconv.FormatInt(pt.DiaryID, 10))
				}
				shots = append(shots, shot{Name: name + "-" + pt.Key, Who: pt.Key, Lang: l, Path: withLang(p, l)})
				switch {
				case i == 0 && p == "/dagbog/ny": // a pain not given, a date cleared
					shots = append(shots, shot{Name: name + "-error-" + pt.Key, Who: pt.Key, Lang: l, Path: withLang(p, l), Steps: []step{
						noValidate, {JS: `document.querySelector("#at").value = ""`}, {Submit: `main form button[type="submit"]`},
					}})
				case i == 0 && p == "/start/udgangspunkt": // seconds past 59, no pain given
					shots = append(shots, shot{Name: name + "-error-" + pt.Key, Who: pt.Key, Lang: l, Path: withLang(p, l), Steps: []step{
						noValidate, {Type: [2]string{"#first", "3"}}, {Type: [2]string{"#first-sec", "75"}}, {Submit: `main form button[type="submit"]`},
					}})
				case pt.Key == "patient-day0" && p == "/start/aktiviteter": // a number without its activity, none scored
					shots = append(shots, shot{Name: name + "-error-" + pt.Key, Who: pt.Key, Lang: l, Path: withLang(p, l), Steps: []step{
						noValidate, {Check: "#point2-4"}, {Submit: `main form button[type="submit"]`},
					}})
				case pt.Key == "patient-new" && p == "/start/roede-flag": // nothing answered
					shots = append(shots, shot{Name: name + "-error-" + pt.Key, Who: pt.Key, Lang: l, Path: withLang(p, l), Steps: []step{
						noValidate, {Submit: `main form button[type="submit"]`},
					}})
				}
			}
			if i == 0 {
				for _, p := range public {
					if langOf(p) == l && (strings.HasSuffix(p, "/traening") || strings.HasSuffix(p, "/gang")) {
						shots = append(shots, shot{Name: l + "-public-" + publicName(p) + "-" + pt.Key, Who: pt.Key, Lang: l, Path: p})
					}
				}
			}
		}
	}
	return shots
}
