package site_test

// The one way in: the public menu (with "Træning" and "Log ind") on every
// page, the home page's two calls to action, the exercise library's way to
// the programme, the patient's menu the player and walk mode keep for
// their scripts, and the chrome variants the app's pages use.

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	stenose "github.com/stenose/stenose"
	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/site"
)

const (
	programmePath = "/program/5-bedste-oevelser"
	sessionPath   = programmePath + "/traening"
)

// navItem is one item of a page's main menu as a reader meets it.
type navItem struct {
	Text, Href string
	Current    bool // aria-current="page"
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// findAll returns the elements under n for which match is true, in
// document order.
func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func parse(t testing.TB, what string, page []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return doc
}

// mainMenu returns the items of the page's main menu (the <nav> labelled
// with navLabel): each item's link or button.
func mainMenu(t testing.TB, what string, page []byte, lang i18n.Lang) []navItem {
	t.Helper()
	navs := findAll(parse(t, what, page), func(n *html.Node) bool {
		l, _ := attr(n, "aria-label")
		return n.Data == "nav" && l == lang.T("navLabel")
	})
	if len(navs) != 1 {
		t.Fatalf("%s: %d main menus (<nav aria-label=%q>), want 1", what, len(navs), lang.T("navLabel"))
	}
	var items []navItem
	for _, li := range findAll(navs[0], func(n *html.Node) bool { return n.Data == "li" }) {
		ctl := findAll(li, func(n *html.Node) bool { return n.Data == "a" || n.Data == "button" })
		if len(ctl) == 0 {
			t.Errorf("%s: a menu item without a link or button", what)
			continue
		}
		href, _ := attr(ctl[0], "href")
		cur, _ := attr(ctl[0], "aria-current")
		items = append(items, navItem{Text: textOf(ctl[0]), Href: href, Current: cur == "page"})
	}
	return items
}

// TestPublicMenu: every kind of public page has the same menu in its
// language — the site, the training, "Log ind" and the language switch —
// with its own section marked as the current page.
func TestPublicMenu(t *testing.T) {
	t.Parallel()
	h := builtinHandler(t)
	menu := func(lang i18n.Lang, current string) []navItem {
		p := map[i18n.Lang]string{i18n.Da: "", i18n.En: "/en"}[lang]
		items := []navItem{
			{lang.T("navHome"), p + "/", false},
			{lang.T("navArticles"), p + "/blog/", false},
			{lang.T("navExercises"), p + "/oevelser/", false},
			{lang.T("navTraining"), p + programmePath, false},
			{lang.T("navSignIn"), p + "/konto/log-ind", false},
		}
		for i := range items {
			items[i].Current = items[i].Text == current
		}
		return items
	}
	tests := []struct {
		path     string
		lang     i18n.Lang
		current  string // the label marked aria-current, "" for none
		switchTo string
	}{
		{"/", i18n.Da, "Forside", "/en/"},
		{"/blog/", i18n.Da, "Artikler", "/en/blog/"},
		{articlePath, i18n.Da, "Artikler", "/en" + articlePath},
		{"/oevelser/", i18n.Da, "Øvelser", "/en/oevelser/"},
		{"/oevelser/knae-til-bryst", i18n.Da, "Øvelser", "/en/oevelser/knae-til-bryst"},
		{programmePath, i18n.Da, "Træning", "/en" + programmePath},
		{sessionPath, i18n.Da, "Træning", "/en" + sessionPath},
		{programmePath + "/udskrift", i18n.Da, "Træning", "/en" + programmePath + "/udskrift"},
		{"/gang", i18n.Da, "Træning", "/en/gang"},
		{"/forfatter/anders-hammer", i18n.Da, "", "/en/forfatter/anders-hammer"},
		{"/findes-ikke", i18n.Da, "", "/en/"},
		{"/en/", i18n.En, "Home", "/"},
		{"/en/oevelser/", i18n.En, "Exercises", "/oevelser/"},
		{"/en" + sessionPath, i18n.En, "Training", sessionPath},
		{"/en/gang", i18n.En, "Training", "/gang"},
	}
	for _, tt := range tests {
		w := get(h, tt.path)
		if w.Code != 200 && !(w.Code == 404 && tt.path == "/findes-ikke") {
			t.Errorf("GET %s = %d", tt.path, w.Code)
			continue
		}
		got := mainMenu(t, tt.path, w.Body.Bytes(), tt.lang)
		want := menu(tt.lang, tt.current)
		if len(got) != len(want)+1 {
			t.Errorf("%s: menu %+v, want %+v and the language switch", tt.path, got, want)
			continue
		}
		if !slices.Equal(got[:len(want)], want) {
			t.Errorf("%s: menu\n got %+v\nwant %+v", tt.path, got[:len(want)], want)
		}
		if sw := got[len(want)]; sw.Text != tt.lang.T("langSwitch") || sw.Current || (tt.switchTo != "" && sw.Href != tt.switchTo) {
			t.Errorf("%s: the language switch is %+v, want %q to %s", tt.path, sw, tt.lang.T("langSwitch"), tt.switchTo)
		}
	}
}

// TestEveryPageHasTheWayIn: every page the site writes (stenose build: the
// same bytes serve sends), 404 pages included, has "Log ind" ("Sign in"
// under /en/) to the sign-in page and the training in its menu, and marks
// at most one item as the current page.
func TestEveryPageHasTheWayIn(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := site.Build(stenose.Content(), testOptions(), dir); err != nil {
		t.Fatalf("Build: %v", err)
	}
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".html" {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		lang, prefix := i18n.Da, ""
		if strings.HasPrefix(rel, "en/") {
			lang, prefix = i18n.En, "/en"
		}
		page, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		items := mainMenu(t, rel, page, lang)
		signIn := navItem{Text: lang.T("navSignIn"), Href: prefix + "/konto/log-ind"}
		training := navItem{Text: lang.T("navTraining"), Href: prefix + programmePath}
		current := 0
		for _, it := range items {
			if it.Current {
				current++
			}
			it.Current = false
			if it == signIn {
				signIn.Text = ""
			}
			if it == training {
				training.Text = ""
			}
		}
		if signIn.Text != "" || training.Text != "" || current > 1 {
			t.Errorf("%s: menu %+v lacks %q or %q, or marks %d items current", rel, items, lang.T("navSignIn"), lang.T("navTraining"), current)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 20 {
		t.Errorf("walked %d pages; the build has more", n)
	}
}

// buttons are the main content's button-styled links, in order.
func buttons(t testing.TB, what string, page []byte) []navItem {
	t.Helper()
	mains := findAll(parse(t, what, page), func(n *html.Node) bool { return n.Data == "main" })
	if len(mains) != 1 {
		t.Fatalf("%s: %d <main>", what, len(mains))
	}
	var out []navItem
	for _, a := range findAll(mains[0], func(n *html.Node) bool {
		c, _ := attr(n, "class")
		return n.Data == "a" && slices.Contains(strings.Fields(c), "button")
	}) {
		href, _ := attr(a, "href")
		out = append(out, navItem{Text: textOf(a), Href: href})
	}
	return out
}

// TestHomeCallsToAction: the home page's first button starts the
// programme, its second signs up, and a link beside it signs in — in both
// languages, before the list of articles.
func TestHomeCallsToAction(t *testing.T) {
	t.Parallel()
	h := builtinHandler(t)
	for _, tt := range []struct {
		path   string
		lang   i18n.Lang
		prefix string
	}{{"/", i18n.Da, ""}, {"/en/", i18n.En, "/en"}} {
		page := mustGet(t, h, tt.path, 200).Body.Bytes()
		got := buttons(t, tt.path, page)
		want := []navItem{
			{tt.lang.T("homeStart"), tt.prefix + programmePath, false},
			{tt.lang.T("homeSignUp"), tt.prefix + "/konto/opret", false},
		}
		if len(got) < 2 || !slices.Equal(got[:2], want) {
			t.Errorf("%s: buttons %+v, want first %+v", tt.path, got, want)
		}
		body := string(page)
		signIn := `<a href="` + tt.prefix + `/konto/log-ind">` + tt.lang.T("navSignIn") + `</a>`
		i, j := strings.Index(body, signIn), strings.Index(body, `id="newest"`)
		if i < 0 || j < 0 || i > j {
			t.Errorf("%s: no %s in the main content before the newest articles", tt.path, signIn)
		}
	}
}

// TestExercisesLeadToTheProgramme: the exercise library and every
// exercise page lead to the programme and its guided session.
func TestExercisesLeadToTheProgramme(t *testing.T) {
	t.Parallel()
	s, err := builtin()
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	paths := []string{"/oevelser/", "/en/oevelser/"}
	for _, e := range s.Library().Exercises {
		paths = append(paths, "/oevelser/"+e.Slug, "/en/oevelser/"+e.Slug)
	}
	for _, p := range paths {
		lang, prefix := i18n.Da, ""
		if strings.HasPrefix(p, "/en/") {
			lang, prefix = i18n.En, "/en"
		}
		got := buttons(t, p, mustGet(t, h, p, 200).Body.Bytes())
		start := navItem{Text: lang.T("programmeStart"), Href: prefix + sessionPath}
		if !slices.Contains(got, start) {
			t.Errorf("%s: buttons %+v lack %+v", p, got, start)
		}
		if body := mustGet(t, h, p, 200).Body.String(); !strings.Contains(body, `href="`+prefix+programmePath+`"`) {
			t.Errorf("%s: no link to the programme page %s", p, prefix+programmePath)
		}
	}
}

var patientMenuRE = regexp.MustCompile(`(?s)<template id="patient-menu">(.*?)</template>`)

// TestPlayerAndWalkKeepThePatientMenu: the player and walk mode carry the
// patient's menu in a <template> (inert until their script shows it to a
// signed-in patient), and the words of "Tilbage til I dag" in their plan.
func TestPlayerAndWalkKeepThePatientMenu(t *testing.T) {
	t.Parallel()
	h := builtinHandler(t)
	for _, tt := range []struct {
		path, planID string
		lang         i18n.Lang
	}{
		{sessionPath, "session-plan", i18n.Da},
		{"/en" + sessionPath, "session-plan", i18n.En},
		{"/gang", "walk-plan", i18n.Da},
		{"/en/gang", "walk-plan", i18n.En},
	} {
		body := mustGet(t, h, tt.path, 200).Body.String()
		m := patientMenuRE.FindStringSubmatch(body)
		if m == nil {
			t.Errorf("%s: no <template id=\"patient-menu\">", tt.path)
			continue
		}
		prefix := map[i18n.Lang]string{i18n.Da: "", i18n.En: "/en"}[tt.lang]
		var want strings.Builder
		for _, it := range site.PatientMenu {
			want.WriteString(`<li><a href="` + prefix + it.Path + `">` + tt.lang.T(it.Key) + `</a></li>`)
		}
		if m[1] != want.String() {
			t.Errorf("%s: patient menu\n got %s\nwant %s", tt.path, m[1], want.String())
		}
		re := regexp.MustCompile(`(?s)<script type="application/json" id="` + tt.planID + `">(.*?)</script>`)
		pm := re.FindStringSubmatch(body)
		if pm == nil {
			t.Errorf("%s: no plan", tt.path)
			continue
		}
		var plan struct{ Labels map[string]string }
		if err := json.Unmarshal([]byte(pm[1]), &plan); err != nil {
			t.Fatalf("%s: plan: %v", tt.path, err)
		}
		if got, want := plan.Labels["today"], map[i18n.Lang]string{i18n.Da: "Tilbage til I dag", i18n.En: "Back to today"}[tt.lang]; got != want {
			t.Errorf("%s: labels.today = %q, want %q", tt.path, got, want)
		}
	}
}

// TestChromeForTheApp: the header variants the app's pages take — the
// sign-in pages mark "Log ind"; a signed-in clinician's has the public
// items without "Log ind"; a patient's has none (the app adds the
// patient's menu).
func TestChromeForTheApp(t *testing.T) {
	t.Parallel()
	s, err := builtin()
	if err != nil {
		t.Fatal(err)
	}
	items := func(header string) []string {
		var out []string
		for _, m := range regexp.MustCompile(`<li><a href="([^"]*)"( aria-current="page")?>`).FindAllStringSubmatch(header, -1) {
			out = append(out, m[1]+m[2])
		}
		return out
	}
	tests := []struct {
		lang    i18n.Lang
		section string
		want    []string
	}{
		{i18n.Da, "", []string{"/", "/blog/", "/oevelser/", programmePath, "/konto/log-ind"}},
		{i18n.Da, "signin", []string{"/", "/blog/", "/oevelser/", programmePath, `/konto/log-ind aria-current="page"`}},
		{i18n.En, "signin", []string{"/en/", "/en/blog/", "/en/oevelser/", "/en" + programmePath, `/en/konto/log-ind aria-current="page"`}},
		{i18n.Da, "account", []string{"/", "/blog/", "/oevelser/", programmePath}},
		{i18n.Da, "app", nil},
		{i18n.En, "app", nil},
	}
	for _, tt := range tests {
		h := string(s.Chrome(tt.lang, tt.section).Header)
		if got := items(h); !slices.Equal(got, tt.want) {
			t.Errorf("Chrome(%s, %q): items %q, want %q", tt.lang, tt.section, got, tt.want)
		}
		if !strings.HasSuffix(strings.TrimSpace(h), "<ul>") && tt.want == nil {
			t.Errorf("Chrome(%s, %q) does not end with the open list:\n%s", tt.lang, tt.section, h)
		}
	}
}

// TestPatientMenuScriptShared: the player's and walk mode's scripts import
// the patient's menu from one module, by its fingerprinted address, served
// like every static file (immutable, JavaScript) and named in the page's
// head (modulepreload) so the service worker keeps it from the first
// visit; neither script carries its own copy.
func TestPatientMenuScriptShared(t *testing.T) {
	t.Parallel()
	h := builtinHandler(t)
	scriptRE := regexp.MustCompile(`<script type="module" src="(/static/(?:player|walk)\.[0-9a-f]{10}\.js)"></script>`)
	preloadRE := regexp.MustCompile(`<link rel="modulepreload" href="(/static/patient\.[0-9a-f]{10}\.js)">`)
	importRE := regexp.MustCompile(`import\s*\{[^}]*\}\s*from\s*"([^"]*)"`)
	shared := ""
	for _, p := range []string{sessionPath, "/en" + sessionPath, "/gang", "/en/gang"} {
		body := mustGet(t, h, p, 200).Body.String()
		s, pre := scriptRE.FindStringSubmatch(body), preloadRE.FindStringSubmatch(body)
		if s == nil || pre == nil {
			t.Fatalf("%s: script %q, modulepreload %q", p, s, pre)
		}
		js := mustGet(t, h, s[1], 200).Body.String()
		imports := importRE.FindAllStringSubmatch(js, -1)
		if len(imports) != 1 || imports[0][1] != pre[1] {
			t.Errorf("%s: %s imports %q, want only %s", p, s[1], imports, pre[1])
		}
		if strings.Contains(js, "stenose_patient=1") || strings.Contains(js, "patient-menu") {
			t.Errorf("%s: %s has its own copy of the patient's menu", p, s[1])
		}
		if shared == "" {
			shared = pre[1]
		} else if pre[1] != shared {
			t.Errorf("%s: imports %s, the other pages %s", p, pre[1], shared)
		}
	}
	w := mustGet(t, h, shared, 200)
	if ct, cc := w.Header().Get("Content-Type"), w.Header().Get("Cache-Control"); !strings.HasPrefix(ct, "text/javascript") || !strings.Contains(cc, "immutable") {
		t.Errorf("%s: Content-Type %q, Cache-Control %q", shared, ct, cc)
	}
	if js := w.Body.String(); !strings.Contains(js, "stenose_patient=1") || !strings.Contains(js, "patient-menu") || !strings.Contains(js, "export") {
		t.Errorf("%s: not the patient's menu:\n%s", shared, js)
	}
}
