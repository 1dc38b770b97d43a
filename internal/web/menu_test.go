package web

// The app's menu (menu.go): a patient has the patient's menu on every page
// of the app, with the page's own item marked; a clinician the public menu
// with "Min konto"; a visitor the public menu with "Log ind". The patient
// hint cookie follows the session.

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/store"
)

// menuEntry is one item of a page's main menu: its text, address and
// whether it is marked as the current page.
type menuEntry struct {
	Text, Href string
	Current    bool
}

func (m menuEntry) String() string {
	if m.Current {
		return m.Text + "→" + m.Href + "(current)"
	}
	return m.Text + "→" + m.Href
}

// menuOf reads the main menu (<nav aria-label="Hovedmenu"> or "Main menu")
// of body; the language switch is a button with no address.
func menuOf(t *testing.T, what, body string, l i18n.Lang) []menuEntry {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	get := func(n *html.Node, key string) string {
		for _, a := range n.Attr {
			if a.Key == key {
				return a.Val
			}
		}
		return ""
	}
	var text func(*html.Node) string
	text = func(n *html.Node) string {
		if n.Type == html.TextNode {
			return n.Data
		}
		var b strings.Builder
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			b.WriteString(text(c))
		}
		return b.String()
	}
	var navs []*html.Node
	var find func(*html.Node)
	find = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "nav" && get(n, "aria-label") == l.T("navLabel") {
			navs = append(navs, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	if len(navs) != 1 {
		t.Fatalf("%s: %d main menus, want 1\n%.800s", what, len(navs), body)
	}
	var out []menuEntry
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.Data == "a" || n.Data == "button") {
			out = append(out, menuEntry{strings.Join(strings.Fields(text(n)), " "), get(n, "href"), get(n, "aria-current") == "page"})
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(navs[0])
	return out
}

// patientMenuWith is the patient's menu in l with current marked, and the
// language switch.
func patientMenuWith(l i18n.Lang, current string) []menuEntry {
	out := []menuEntry{
		{l.T("navToday"), "/i-dag", false}, {l.T("navDiary"), "/dagbog", false},
		{l.T("navProgress"), "/fremskridt", false}, {l.T("navAccount"), "/konto", false},
	}
	for i := range out {
		out[i].Current = out[i].Href == current
	}
	return append(out, menuEntry{Text: l.T("langSwitch")})
}

// publicMenuWith is the public menu in l (what a visitor has on the app's
// pages), with current marked; for a signed-in user "Log ind" gives way to
// "Min konto".
func publicMenuWith(l i18n.Lang, current string, signedIn bool, extra ...menuEntry) []menuEntry {
	p := langPrefix(l)
	out := []menuEntry{
		{l.T("navHome"), p + "/", false}, {l.T("navArticles"), p + "/blog/", false},
		{l.T("navExercises"), p + "/oevelser/", false}, {l.T("navTraining"), p + "/program/5-bedste-oevelser", false},
	}
	out = append(out, extra...)
	if signedIn {
		out = append(out, menuEntry{l.T("navAccount"), "/konto", false})
	} else {
		out = append(out, menuEntry{l.T("navSignIn"), p + "/konto/log-ind", false})
	}
	for i := range out {
		out[i].Current = out[i].Href == current
	}
	return append(out, menuEntry{Text: l.T("langSwitch")})
}

// TestPatientMenuOnEveryPage: every page of the app a patient can open
// (every GET route of the table that answers with a page; a redirect is
// followed to the page it leads to) has the patient's menu, with the item
// of the page marked; so do a form shown again with its errors and the 403
// page. In English too.
func TestPatientMenuOnEveryPage(t *testing.T) {
	st := openSQLite(t)
	e := newEnv(t, st, testRoutes())
	c := e.signUp("bodil")
	id := userID(t, st, "bodil")
	seedPatient(t, st, id, e.clock.now(), 42, false)
	entry := e.entryIDs("bodil")[0]
	// Her clinician has tailored her programme: her own programme's pages.
	tailor(t, st, id, e.clock.now())

	// The page each address ends on → the menu item marked there.
	current := map[string]string{
		"/i-dag":                                 "/i-dag",
		"/start/roede-flag":                      "/i-dag",
		"/start/udgangspunkt":                    "/i-dag",
		psfsStartPath:                            "/i-dag",
		psfsStatusPath:                           "/i-dag",
		"/dagbog":                                "/dagbog",
		"/dagbog/ny":                             "/dagbog",
		fmt.Sprintf("/dagbog/%d/rediger", entry): "/dagbog",
		"/fremskridt":                            "/fremskridt",
		"/konto":                                 "/konto",
		"/konto/adgangskode":                     "/konto",
		calendarPath:                             "/konto",
		"/mine-data":                             "/konto",
		"/mine-data/opslag":                      "/konto",
		"/test/clinician":                        "", // 403: a page of no menu item
		"/test/admin":                            "",
		"/klinik":                                "",
		fmt.Sprintf("/klinik/patienter/%d", id):  "",
		"/klinik/invitationer":                   "",
		"/klinik/invitationer/seddel":            "",
		resetPath:                                "/konto",
		"/admin":                                 "", // the admin's pages: 403
		adminUsersPath:                           "",
		fmt.Sprintf(adminUsersPath+"/%d", entry): "",
		adminClinicsPath:                         "",
		fmt.Sprintf(adminClinicsPath+"/%d", entry): "",
		myProgrammePath:                                 "/i-dag",
		myProgrammePath + "/traening":                   "/i-dag",
		myProgrammePath + "/udskrift":                   "/i-dag",
		myProgrammePath + "/gang":                       "/i-dag",
		fmt.Sprintf("/klinik/patienter/%d/program", id): "", // 403
		fmt.Sprintf("/klinik/patienter/%d/status", id):  "", // 403
	}
	checked := map[string]bool{}
	for _, rt := range e.app.routes {
		method, path, _ := strings.Cut(rt.pattern, " ")
		if method != "GET" || rt.stateless || strings.Contains(path, ".") || path == "/test/patient" || path == "/test/signed-in" {
			continue // static files, exports; the test routes that answer with text
		}
		path = strings.ReplaceAll(path, "{id}", fmt.Sprint(entry))
		path = strings.ReplaceAll(path, "{pid}", fmt.Sprint(id))
		final, r := path, c.get(path)
		for hops := 0; r.status == http.StatusSeeOther && hops < 3; hops++ {
			u, err := url.Parse(r.location())
			if err != nil {
				t.Fatal(err)
			}
			final, r = u.Path, c.get(r.location())
		}
		what := "GET " + path
		if final != path {
			what += " → " + final
		}
		cur, ok := current[final]
		if !ok {
			t.Errorf("%s (%d): no menu item is expected for this page; add it to the table", what, r.status)
			continue
		}
		if r.status != http.StatusOK && r.status != http.StatusForbidden {
			t.Errorf("%s: status %d", what, r.status)
			continue
		}
		if got, want := menuOf(t, what, r.body, i18n.Da), patientMenuWith(i18n.Da, cur); !slices.Equal(got, want) {
			t.Errorf("%s: menu\n got %v\nwant %v", what, got, want)
		}
		checked[final] = true
	}
	// The status page scores the activities again: it needs onboarding's
	// first scoring, which the walk above could not have (it reached the
	// activities step instead). With one, it answers with the menu.
	if _, err := st.AddPSFS(t.Context(), id, e.clock.now(), []store.PSFSActivity{{Name: "Gå til bageren", Score: 4}}); err != nil {
		t.Fatal(err)
	}
	if r := c.get(psfsStatusPath); r.status != http.StatusOK {
		t.Errorf("GET %s with a first scoring: status %d", psfsStatusPath, r.status)
	} else if got, want := menuOf(t, psfsStatusPath, r.body, i18n.Da), patientMenuWith(i18n.Da, current[psfsStatusPath]); !slices.Equal(got, want) {
		t.Errorf("GET %s: menu\n got %v\nwant %v", psfsStatusPath, got, want)
	} else {
		checked[psfsStatusPath] = true
	}
	for p := range current {
		if !checked[p] {
			t.Errorf("%s: not reached from the route table", p)
		}
	}

	// The form that lifts a red-flag pause answers only while one pauses
	// the programme (else it leads on to /start): a patient with a yes.
	paused := e.signUp("bente")
	want(t, "a red flag", paused.post("/start/roede-flag", allNo("fever", "ja")...), 303, "/i-dag")
	for _, r := range []resp{paused.get("/start/undersoegt"), paused.post("/start/undersoegt")} {
		if got, want := menuOf(t, "/start/undersoegt", r.body, i18n.Da), patientMenuWith(i18n.Da, "/i-dag"); !slices.Equal(got, want) {
			t.Errorf("/start/undersoegt (%d): menu\n got %v\nwant %v", r.status, got, want)
		}
	}

	// Forms shown again with their errors keep the menu.
	for _, tt := range []struct {
		path    string
		form    []string
		current string
	}{
		{"/dagbog", []string{"at", "", "leg", "11"}, "/dagbog"},
		{"/konto/adgangskode", []string{"current", ""}, "/konto"},
		{"/start/roede-flag", nil, "/i-dag"},
	} {
		r := c.post(tt.path, tt.form...)
		if r.status != http.StatusUnprocessableEntity && r.status != http.StatusBadRequest {
			t.Errorf("POST %s: status %d, want the form again", tt.path, r.status)
			continue
		}
		if got, want := menuOf(t, "POST "+tt.path, r.body, i18n.Da), patientMenuWith(i18n.Da, tt.current); !slices.Equal(got, want) {
			t.Errorf("POST %s: menu\n got %v\nwant %v", tt.path, got, want)
		}
	}

	// In English.
	for path, cur := range map[string]string{"/i-dag?lang=en": "/i-dag", "/dagbog/ny?lang=en": "/dagbog", "/fremskridt?lang=en": "/fremskridt", "/konto?lang=en": "/konto"} {
		r := c.get(path)
		want(t, path, r, 200, "")
		if got, w := menuOf(t, path, r.body, i18n.En), patientMenuWith(i18n.En, cur); !slices.Equal(got, w) {
			t.Errorf("GET %s: menu\n got %v\nwant %v", path, got, w)
		}
	}
}

// TestMenuForOtherReaders: a visitor has the public menu with "Log ind",
// marked on the sign-in and sign-up pages; a clinician the public menu with
// their patients, their invitations and "Min konto"; an administrator the
// public menu with "Administration" (marked on every admin page) and "Min
// konto"; neither has the patient's items.
func TestMenuForOtherReaders(t *testing.T) {
	st := openSQLite(t)
	e := newEnv(t, st, testRoutes())
	for _, login := range []string{"klinik", "admin"} {
		e.signUp(login)
	}
	for login, role := range map[string]store.Role{"klinik": store.RoleClinician, "admin": store.RoleAdmin} {
		if err := st.SetRole(t.Context(), userID(t, st, login), role); err != nil {
			t.Fatal(err)
		}
	}
	anon := e.client()
	klinik, admin := e.signIn("klinik", goodPW), e.signIn("admin", goodPW)
	tests := []struct {
		who      string
		c        *client
		path     string
		status   int
		lang     i18n.Lang
		current  string
		signedIn bool
	}{
		{"visitor", anon, "/konto/log-ind", 200, i18n.Da, "/konto/log-ind", false},
		{"visitor", anon, "/konto/opret", 200, i18n.Da, "/konto/log-ind", false},
		{"visitor", anon, "/konto/log-ind?lang=en", 200, i18n.En, "/en/konto/log-ind", false},
		{"clinician", klinik, "/konto", 200, i18n.Da, "/konto", true},
		{"clinician", klinik, "/konto/adgangskode", 200, i18n.Da, "/konto", true},
		{"clinician", klinik, "/mine-data", 200, i18n.Da, "/konto", true},
		{"clinician", klinik, "/i-dag", 403, i18n.Da, "", true},
		{"clinician", klinik, "/test/clinician", 200, i18n.Da, "", true}, // a plain-text test route: no page
		{"clinician", klinik, "/klinik", 200, i18n.Da, "/klinik", true},  // in no clinic: says so
		{"clinician", klinik, "/klinik/invitationer", 200, i18n.Da, "/klinik/invitationer", true},
		{"admin", admin, "/konto", 200, i18n.Da, "/konto", true},
		{"admin", admin, "/dagbog", 403, i18n.Da, "", true},
		{"admin", admin, adminUsersPath, 200, i18n.Da, adminUsersPath, true},
		{"admin", admin, adminClinicsPath + "?lang=en", 200, i18n.En, adminUsersPath, true},
	}
	for _, tt := range tests {
		r := tt.c.get(tt.path)
		what := tt.who + " GET " + tt.path
		want(t, what, r, tt.status, "")
		if !strings.Contains(r.body, "<nav") {
			continue
		}
		var extra []menuEntry
		if tt.who == "clinician" {
			extra = []menuEntry{{tt.lang.T("navPatients"), "/klinik", tt.current == "/klinik"}, {tt.lang.T("navInvitations"), "/klinik/invitationer", tt.current == "/klinik/invitationer"}}
		}
		w := publicMenuWith(tt.lang, tt.current, tt.signedIn, extra...)
		if tt.who == "admin" { // "Administration" before "Min konto"
			w = slices.Insert(w, len(w)-2, menuEntry{tt.lang.T("navAdmin"), adminUsersPath, tt.current == adminUsersPath})
		}
		if got := menuOf(t, what, r.body, tt.lang); !slices.Equal(got, w) {
			t.Errorf("%s: menu\n got %v\nwant %v", what, got, w)
		}
	}
}

// hintCookie is the patient hint as r sets it: "" none, "1" set (it must
// be readable by scripts and last as a session does), "clear".
func hintCookie(t *testing.T, what string, r resp) string {
	t.Helper()
	got := ""
	for _, line := range r.header.Values("Set-Cookie") {
		c, err := http.ParseSetCookie(line)
		if err != nil || c.Name != patientCookie {
			continue
		}
		switch {
		case c.MaxAge < 0:
			got = "clear"
		case c.Value == "1" && !c.HttpOnly && c.Path == "/" && c.MaxAge == int(SessionLifetime.Seconds()) && c.SameSite == http.SameSiteLaxMode:
			got = "1"
		default:
			t.Errorf("%s: the hint cookie is %q", what, line)
		}
	}
	return got
}

// TestPatientHint: the cookie that tells the player and walk mode a
// patient is signed in on the browser follows the session: set when a
// patient signs up or in, and on a patient's page when it is missing;
// cleared at sign-out, on a page without a patient, and when the account
// is no longer a patient's. Clinicians never get it.
func TestPatientHint(t *testing.T) {
	st := openSQLite(t)
	e := newEnv(t, st, nil)
	type step struct {
		what  string
		do    func(c *client) resp
		want  string
		value string // the browser's cookie after the step ("" none)
	}
	get := func(p string) func(*client) resp { return func(c *client) resp { return c.get(p) } }
	post := func(p string, kv ...string) func(*client) resp {
		return func(c *client) resp { return c.post(p, kv...) }
	}
	jarHint := func(c *client) string {
		u, _ := url.Parse(e.srv.URL)
		for _, ck := range c.jar.Cookies(u) {
			if ck.Name == patientCookie {
				return ck.Value
			}
		}
		return ""
	}
	run := func(c *client, steps []step) {
		t.Helper()
		for _, s := range steps {
			r := s.do(c)
			if got := hintCookie(t, s.what, r); got != s.want {
				t.Errorf("%s: hint %q, want %q", s.what, got, s.want)
			}
			if got := jarHint(c); got != s.value {
				t.Errorf("%s: the browser keeps %q, want %q", s.what, got, s.value)
			}
		}
	}
	pw := goodPW
	c := e.client()
	run(c, []step{
		{"a visitor's sign-in page", get("/konto/log-ind"), "", ""},
		{"sign up", post("/konto/opret", "login", "anna", "name", "", "password", pw, "password2", pw), "1", "1"},
		{"a patient's page", get("/start/roede-flag"), "", "1"},
		{"sign out", post("/konto/log-ud"), "clear", ""},
		{"the sign-in page after", get("/konto/log-ind?ud=1"), "", ""},
		{"sign in", post("/konto/log-ind", "login", "anna", "password", pw), "1", "1"},
	})
	// A session from before the hint (or a browser that lost it): the
	// next page a patient sees sets it.
	c.jar.SetCookies(&url.URL{Scheme: "http", Host: strings.TrimPrefix(e.srv.URL, "http://"), Path: "/"}, []*http.Cookie{{Name: patientCookie, Value: "", MaxAge: -1, Path: "/"}})
	run(c, []step{{"a patient's page without the hint", get("/konto"), "1", "1"}})
	// The account becomes a clinician's: the next page clears it.
	if err := st.SetRole(t.Context(), userID(t, st, "anna"), store.RoleClinician); err != nil {
		t.Fatal(err)
	}
	run(c, []step{{"the same browser, now a clinician's", get("/konto"), "clear", ""}})
	// A clinician signing in gets none.
	run(e.client(), []step{{"a clinician signs in", post("/konto/log-ind", "login", "anna", "password", pw), "", ""}})
	// A visitor whose browser still has it (the session ended) loses it
	// on the first page of the app.
	v := e.client()
	v.jar.SetCookies(&url.URL{Scheme: "http", Host: strings.TrimPrefix(e.srv.URL, "http://"), Path: "/"}, []*http.Cookie{{Name: patientCookie, Value: "1", Path: "/"}})
	run(v, []step{{"a visitor with a stale hint", get("/konto/opret"), "clear", ""}})
}
