package web

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stenose/stenose/internal/preview"
	"github.com/stenose/stenose/internal/site"
	"github.com/stenose/stenose/internal/store"
	"github.com/stenose/stenose/internal/testenv"
)

// withPreview runs the app as `serve --watch` does, on a copy of the
// built-in content. The preview is closed at once, so its event stream
// sends the version and ends (a test's GET of it returns).
func withPreview(t *testing.T) option {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "content")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(testenv.RepoRoot(t), "content"))); err != nil {
		t.Fatal(err)
	}
	live, err := preview.New(dir, site.Options{BaseURL: "http://example.test", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	live.Close()
	return func(c *Config) { c.Preview = live }
}

// TestPreviewRoutes: the live preview's two routes are in the route table
// only in watch mode; without it they are the public site's 404, like any
// address it does not have. In watch mode they answer anyone, with no
// session, and the public pages load the script.
func TestPreviewRoutes(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		for _, watch := range []bool{false, true} {
			var opts []option
			if watch {
				opts = append(opts, withPreview(t))
			}
			e := newEnv(t, open(t), nil, opts...)
			var inTable []string
			for _, rt := range e.app.routes {
				if strings.Contains(rt.pattern, "/_preview/") {
					inTable = append(inTable, rt.pattern)
				}
			}
			c := e.client()
			script, events := c.get(preview.ScriptPath), c.get(preview.EventsPath)
			page := c.get("/blog/5-bedste-oevelser-til-spinalstenose")
			loads := strings.Contains(page.body, `<script src="`+preview.ScriptPath+`"`)
			if !watch {
				if len(inTable) != 0 || script.status != 404 || events.status != 404 || loads {
					t.Errorf("without --watch: routes %v, script %d, events %d, the page loads the script: %v; want none, 404, 404, false",
						inTable, script.status, events.status, loads)
				}
				continue
			}
			if len(inTable) != 2 {
				t.Errorf("with --watch the table has %v, want the two routes", inTable)
			}
			if script.status != 200 || !strings.HasPrefix(script.header.Get("Content-Type"), "text/javascript") ||
				script.header.Get("Content-Security-Policy") == "" || !strings.Contains(script.body, "EventSource") {
				t.Errorf("script: %d %v", script.status, script.header)
			}
			if events.status != 200 || events.header.Get("Content-Type") != "text/event-stream" || !strings.HasPrefix(events.body, "event: version\ndata: ") {
				t.Errorf("events: %d %v %q", events.status, events.header, events.body)
			}
			if len(events.header.Values("Set-Cookie")) > 0 || len(script.header.Values("Set-Cookie")) > 0 {
				t.Error("a preview route set a cookie")
			}
			if page.status != 200 || !loads {
				t.Errorf("with --watch the article (%d) does not load the script", page.status)
			}
			// Another method falls through to the public site, as on
			// every GET-only route of the table.
			if r := c.do("POST", preview.EventsPath, nil); r.status != 404 && r.status != 405 {
				t.Errorf("POST %s: %d, want it refused", preview.EventsPath, r.status)
			}
		}
	})
}
