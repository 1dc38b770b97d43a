package web

import (
	"fmt"
	"html"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/account"
	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/store"
)

// TestQuestionsInCatalogue: the questions of the red-flag screen, each in
// both languages. (That every key has its text in both languages, with the
// same format verbs, internal/i18n checks when it loads.)
func TestQuestionsInCatalogue(t *testing.T) {
	// The questions of the red-flag screen: each in both languages.
	if len(questions) == 0 {
		t.Fatal("no red-flag questions")
	}
	for _, l := range i18n.Langs {
		for i, q := range questionsIn(l) {
			if k := "q_" + q.Key; i18n.Labels(l)[k] == "" || q.Text != i18n.Labels(l)[k] || q.Key != questions[i].Key || q.Cauda != questions[i].Cauda {
				t.Errorf("question %q in %s: %+v", q.Key, l, q)
			}
		}
	}
}

// TestAccountMessagesInEnglish: every field error internal/account gives
// the app's forms has its English in the catalogue, and each of the
// catalogue's account errors is given by one of the cases.
func TestAccountMessagesInEnglish(t *testing.T) {
	var errs []error
	for _, login := range []string{"", "Søren\x00", "\u202eAnna", strings.Repeat("a", account.MaxLogin+1)} {
		_, err := account.NormalizeLogin(login)
		errs = append(errs, err)
	}
	for _, pw := range []string{"\xff\xfe kort", "kort", strings.Repeat("x", account.MaxPassword+1), "password123"} {
		errs = append(errs, account.CheckPassword("password", pw))
	}
	st := openSQLite(t)
	acc, err := account.New(st, account.Options{Params: cheap})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	_, err = acc.SignUp(ctx, "anna", strings.Repeat("n", 201), goodPW)
	errs = append(errs, err)
	u, err := acc.SignUp(ctx, "anna", "Anna", goodPW)
	if err != nil {
		t.Fatal(err)
	}
	_, err = acc.SignUp(ctx, "anna", "Anna", goodPW)
	errs = append(errs, err)
	errs = append(errs, acc.ChangePassword(ctx, u.ID, "forkert adgangskode", goodPW+"x", "192.0.2.1:1"))
	english := map[string]bool{}
	codes := map[string]string{} // English message → code
	for _, k := range i18n.Keys() {
		if code, ok := strings.CutPrefix(k, "account_"); ok && code != "roleUnknown" {
			en := i18n.En.T(k)
			if strings.Contains(en, "%d") {
				en = strings.Split(en, "%d")[0] // the limits are filled in
			}
			english[en] = true
			codes[en] = code
		}
	}
	seen := map[string]bool{}
	for i, err := range errs {
		var v view
		v.Lang = i18n.En
		if !v.fieldError(err) {
			t.Errorf("case %d: %v is no field error", i, err)
			continue
		}
		for _, msg := range v.Errors {
			prefix := msg
			if i := strings.IndexAny(msg, "0123456789"); i > 0 {
				prefix = msg[:i]
			}
			seen[prefix] = true
			if !english[prefix] {
				t.Errorf("case %d: %q stays Danish in English", i, msg)
			}
		}
	}
	for en, code := range codes {
		if !seen[en] {
			t.Errorf("account_%s was never given by the cases above", code)
		}
	}
	// Danish pages keep the account's own words.
	var v view
	v.Lang = i18n.Da
	v.fieldError(errs[0])
	if got := v.Errors["login"]; got != "Skriv et brugernavn." {
		t.Errorf("Danish login error = %q", got)
	}
}

// Words of the Danish templates and messages that an English page must not
// show (matched as whole words in the page's visible text: text nodes,
// <title>, aria-label, alt, title and placeholder).
var danishMarkers = []string{
	"Gem", "Log ind", "Log ud", "Dagbog", "dagbog", "dagbogen", "smerter", "Smerter", "Skriv", "Min konto", "Mine data",
	"Vejledning", "Fejl", "Kilde", "Tilbage", "Fortryd", "Slet", "Ja", "Nej", "uge", "benene", "ryggen", "Adgangskode",
	"adgangskode", "Brugernavn", "Navn", "og", "ikke", "du", "Du", "din", "dine", "har", "til", "er", "på", "af", "kl",
	"Rolle", "Behandler", "træning", "Træningen", "Råd", "Haster", "Vigtigt", "faresignaler", "udgangspunkt", "gangtesten",
	"minutter", "Farvel", "Opret", "Ret", "Hent", "nyeste", "Siden", "findes", "adgang",
}

var (
	reNoText    = regexp.MustCompile(`(?is)<script\b.*?</script>|<style\b.*?</style>`)
	reShownAttr = regexp.MustCompile(`\s(?:aria-label|title|alt|placeholder)="([^"]*)"`)
	reTag       = regexp.MustCompile(`(?s)<[^>]*>`)
	// »…« quotes a title: the Danish article's name and sections, which
	// stay Danish as the articles do.
	reQuoted = regexp.MustCompile(`»[^«]*«`)
)

// visibleText is what a page shows or reads out.
func visibleText(body string) string {
	body = reNoText.ReplaceAllString(body, " ")
	var b strings.Builder
	for _, m := range reShownAttr.FindAllStringSubmatch(body, -1) {
		b.WriteString(m[1] + "\n")
	}
	b.WriteString(reTag.ReplaceAllString(body, " "))
	text := reQuoted.ReplaceAllString(html.UnescapeString(b.String()), "")
	// The clinic's name is a proper name, the same in both languages
	// (content/clinic.yaml: "Klinik for Ryg og Bevægelse").
	if c := theSite.Clinic(i18n.Da); c != nil {
		text = strings.ReplaceAll(text, c.Name, "")
	}
	return text
}

// danishIn returns the Danish markers in an English page's visible text.
func danishIn(body string) []string {
	text := visibleText(body)
	var found []string
	for _, m := range danishMarkers {
		if regexp.MustCompile(`(^|[^\pL])` + regexp.QuoteMeta(m) + `($|[^\pL])`).MatchString(text) {
			found = append(found, m)
		}
	}
	return found
}

// englishPage checks that r is an English page with want in it and no
// leftover Danish.
func englishPage(t *testing.T, what string, r resp, want ...string) {
	t.Helper()
	contains(t, what, r.body, append([]string{`<html lang="en">`, `lang="da">Dansk</button>`}, want...)...)
	if d := danishIn(r.body); len(d) > 0 {
		t.Errorf("%s: Danish in the English page: %q\n%s", what, d, visibleText(r.body))
	}
}

// TestEnglishPages renders every page of the app in English — as an
// anonymous visitor, as a signed-in patient with a history, after a form's
// errors — and checks <html lang="en">, some English words, and that no
// Danish of the templates or the messages is left.
func TestEnglishPages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		e := newEnv(t, st, nil)

		anon := e.client()
		want(t, "switch to English", anon.post(switchPath, "lang", "en", "naeste", "/konto/opret"), 303, "/konto/opret")
		englishPage(t, "sign-up form", anon.get("/konto/opret"), "<title>Create an account", "Username", "Repeat the password", "(optional)")
		r := anon.post("/konto/opret", "login", "Æ\u200b", "name", "", "password", "kort", "password2", "")
		want(t, "sign-up errors", r, 422, "")
		englishPage(t, "sign-up errors", r, "Fix these 2 things, and try again", "Error: ", "The username holds a character that cannot be used", "The password must be at least 10 characters.")
		englishPage(t, "sign-in form", anon.get("/konto/log-ind"), "<title>Sign in", "Forgotten your password?")
		r = anon.post("/konto/log-ind", "login", "", "password", "")
		want(t, "sign-in errors", r, 422, "")
		englishPage(t, "sign-in errors", r, "Type your username.", "Type your password.")
		r = anon.post("/konto/log-ind", "login", "nobody", "password", goodPW)
		englishPage(t, "sign-in refused", r, "The username or the password is wrong.")

		// Sign up in English: the choice goes onto the account.
		want(t, "sign up", anon.post("/konto/opret", "login", "anna", "name", "Anna Jensen", "password", goodPW, "password2", goodPW), 303, "/start")
		id := userID(t, st, "anna")
		if l, err := userLangOf(t, st, id); err != nil || l != "en" {
			t.Fatalf("the account's language after signing up in English = %q, %v", l, err)
		}
		// Another device, no cookie: English from the account.
		c := e.signIn("anna", goodPW)
		englishPage(t, "red flags", c.get("/start/roede-flag"), "Check for warning signs", "Have you ever had cancer?", "Yes", "No", "Guidance, not a diagnosis.")
		r = c.post("/start/roede-flag")
		want(t, "red-flag errors", r, 422, "")
		englishPage(t, "red-flag errors", r, "Answer yes or no to every question – 15 are missing.", "Have you ever had cancer?")
		want(t, "a red flag", c.post("/start/roede-flag", allNo("fever", "ja")...), 303, "/i-dag")
		englishPage(t, "paused", c.get("/i-dag"), "See your own GP before you train", "You answered yes to: fever.", "because the pain can, rarely")
		englishPage(t, "examined", c.get("/start/undersoegt"), "Have you been examined?", "you answered yes to:", "<li>fever</li>", "Who examined you?", "My own GP", "Continue the programme")
		r = c.post("/start/undersoegt", "dato", "1.1.2020")
		englishPage(t, "examined errors", r, "Tick the box to confirm that a doctor has examined you", "The examination must be on ", "Choose who examined you.")
		want(t, "examined", c.post("/start/undersoegt", "dato", care.DayIn(e.clock.now()).String(), "hvem", "own_doctor", "undersoegt", "ja"), 303, "/start/udgangspunkt")
		want(t, "red flags all no", c.post("/start/roede-flag", allNo()...), 303, "/start")
		englishPage(t, "baseline", c.get("/start/udgangspunkt"), "Your starting point", "Time to the first symptoms")
		englishPage(t, "baseline from the walking test", c.get("/start/udgangspunkt?foerste=195&stop=390"), append([]string{"Your starting point", "Minutes", "Seconds"}, timeValues("first", "3", "15")...)...)
		r = c.post("/start/udgangspunkt", "first", "x", "stop", "", "leg", "11", "back", "")
		want(t, "baseline errors", r, 422, "")
		englishPage(t, "baseline errors", r, "Fix these")
		want(t, "baseline", c.post("/start/udgangspunkt", "first", "3:15", "stop", "6:30", "leg", "6", "back", "4"), 303, "")
		englishPage(t, "today, new", c.get("/i-dag"), "<title>Today", "What to do today", `href="/en/program/5-bedste-oevelser/traening"`, `href="/en/gang"`)

		// A patient with six weeks of history.
		e2 := e.client()
		want(t, "switch", e2.post(switchPath, "lang", "en"), 303, "/konto")
		want(t, "sign up bodil", e2.post("/konto/opret", "login", "bodil", "password", goodPW, "password2", goodPW), 303, "/start")
		bo := userID(t, st, "bodil")
		seedPatient(t, st, bo, e.clock.now(), 42, true)
		englishPage(t, "today", e2.get("/i-dag"), "You reported tingling in your legs today", "Important", "<summary>Source</summary>",
			`href="/en/blog/5-bedste-oevelser-til-spinalstenose"`, "Read the article (in Danish)", "minutes</strong> of walking in all")
		englishPage(t, "progress", e2.get("/fremskridt"), "Your progress", "What has changed", "Pain in the legs per week", "Sessions per week", "You now walk")
		englishPage(t, "diary", e2.get("/dagbog"), "My diary", "Pain in the legs", "out of 10", "Edit or delete the note from", " at ")
		englishPage(t, "diary, new", e2.get("/dagbog/ny"), "New diary note", "Date and time", "Save the note")
		r = e2.post("/dagbog", "at", "igår", "leg", "", "back", "12", "note", "")
		want(t, "diary errors", r, 422, "")
		englishPage(t, "diary errors", r, "Fix these 3 things", "Type the date and time", "Choose how much your legs have hurt", "The pain in your back must be")
		at := e.clock.now().In(care.Zone).Truncate(time.Minute) // the day bodil's account was made: the rules refuse an earlier one
		want(t, "diary add", e2.post("/dagbog", entryForm(at.Format(diaryDTLayout), "3", "2", "A good walk today.", "tingling")...), 303, "/dagbog?gemt=ny")
		englishPage(t, "diary saved", e2.get("/dagbog?gemt=ny"), "Your note has been saved.", diaryWhenIn(i18n.En, at), "A good walk today.")
		ids := e.entryIDs("bodil")
		edit := fmt.Sprintf("/dagbog/%d/rediger", ids[len(ids)-1])
		englishPage(t, "diary edit", e2.get(edit), "Edit diary note", "Delete the note for good")
		englishPage(t, "diary 404", e2.get("/dagbog/999999999/rediger"), "Page not found", "We cannot find that note.")
		englishPage(t, "account", e2.get("/konto"), "My account", "Sign out", `href="/en/oevelser/"`)
		englishPage(t, "password", e2.get("/konto/adgangskode"), "Change password", "Current password")
		r = e2.post("/konto/adgangskode", "current", "", "password", "kort", "password2", "")
		want(t, "password errors", r, 422, "")
		englishPage(t, "password errors", r, "Type your current password.", "The password must be at least 10 characters.")
		want(t, "password", e2.post("/konto/adgangskode", "current", goodPW, "password", goodPW+"!", "password2", goodPW+"!"), 303, "/konto")
		englishPage(t, "password changed", e2.get("/konto"), "Your password has been changed.")
		englishPage(t, "my data", e2.get("/mine-data"), "My data", "Download everything as it is stored (for another app)", "Type your username, bodil, to confirm")
		r = e2.post("/mine-data/slet", "confirm", "anna")
		want(t, "delete: wrong login", r, 422, "")
		englishPage(t, "delete: wrong login", r, "That is not your username. Type bodil to delete your account.")

		// 403: a clinician on a patient's page.
		klinik := e.client()
		want(t, "switch", klinik.post(switchPath, "lang", "en"), 303, "/konto")
		want(t, "sign up klinik", klinik.post("/konto/opret", "login", "klinik", "password", goodPW, "password2", goodPW), 303, "/start")
		if err := st.SetRole(t.Context(), userID(t, st, "klinik"), store.RoleClinician); err != nil {
			t.Fatal(err)
		}
		r = klinik.get("/dagbog")
		want(t, "403", r, 403, "")
		englishPage(t, "403", r, "No access", "Your account does not have access to this page.")
		englishPage(t, "account, clinician", klinik.get("/konto"), "<dt>Role</dt>\n<dd>Clinician</dd>")

		r = e2.post("/mine-data/slet", "confirm", "bodil")
		want(t, "goodbye", r, 200, "")
		englishPage(t, "goodbye", r, "Goodbye", "Thank you for using")
		want(t, "sign out", c.post("/konto/log-ud"), 303, "/konto/log-ind?ud=1")
		englishPage(t, "signed out", c.get("/konto/log-ind?ud=1"), "You are signed out.")
	})
}

// TestLanguageChoice: Danish by default; the switch, the cookie, the
// account, the lang parameter and a link from the English public pages.
func TestLanguageChoice(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		e := newEnv(t, st, nil)
		isLang := func(what string, r resp, l i18n.Lang) {
			t.Helper()
			if !strings.Contains(r.body, `<html lang="`+string(l)+`">`) {
				t.Errorf("%s: not in %s (status %d)\n%.300s", what, l, r.status, r.body)
			}
		}
		for _, tc := range []struct {
			name    string
			path    string
			referer string
			want    i18n.Lang
			cookie  bool // the answer sets the language cookie
		}{
			{"default", "/konto/log-ind", "", i18n.Da, false},
			{"lang=en", "/konto/log-ind?lang=en", "", i18n.En, true},
			{"lang=da", "/konto/opret?lang=da", "", i18n.Da, true},
			{"lang=xx", "/konto/opret?lang=xx", "", i18n.Da, false},
			{"from /en/gang", "/konto/log-ind", "/en/gang", i18n.En, true},
			{"from /en", "/konto/opret", "/en", i18n.En, true},
			{"from a Danish page", "/konto/log-ind", "/gang", i18n.Da, false},
			{"from /enkelt", "/konto/log-ind", "/enkelt", i18n.Da, false},
			{"from another site's /en/", "/konto/log-ind", "https://example.com/en/", i18n.Da, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := e.client()
				if tc.referer != "" {
					ref := tc.referer
					if strings.HasPrefix(ref, "/") {
						ref = e.srv.URL + ref
					}
					c.hdr.Set("Referer", ref)
				}
				r := c.get(tc.path)
				want(t, tc.name, r, 200, "")
				isLang(tc.name, r, tc.want)
				set := strings.Contains(strings.Join(r.header.Values("Set-Cookie"), "\n"), langCookie+"=")
				if set != tc.cookie {
					t.Errorf("%s: sets the cookie: %v, want %v", tc.name, set, tc.cookie)
				}
				c.hdr.Del("Referer")
				isLang(tc.name+", the next page", c.get("/konto/opret"), tc.want)
			})
		}

		// The switch: back to the page, without its lang parameter; a bad
		// language is refused; a cross-site form is refused.
		c := e.client()
		want(t, "switch", c.post(switchPath, "lang", "en", "naeste", "/konto/log-ind?naeste=%2Fdagbog&lang=da"), 303, "/konto/log-ind?naeste=%2Fdagbog")
		isLang("after the switch", c.get("/konto/log-ind"), i18n.En)
		want(t, "bad language", c.post(switchPath, "lang", "de"), 400, "")
		want(t, "foreign next", c.post(switchPath, "lang", "da", "naeste", "//evil.example/"), 303, "/konto")
		isLang("back to Danish", c.get("/konto/log-ind"), i18n.Da)
		c.hdr.Set("Sec-Fetch-Site", "cross-site")
		want(t, "cross-site switch", c.post(switchPath, "lang", "en"), 403, "")
		c.hdr.Del("Sec-Fetch-Site")
		isLang("after the refused switch", c.get("/konto/log-ind"), i18n.Da)

		// A signed-in user: the switch goes onto the account, and every
		// device they sign in on follows; a lang parameter shows one page
		// and changes nothing.
		a := e.signUp("anna")
		id := userID(t, st, "anna")
		if l, _ := userLangOf(t, st, id); l != "" {
			t.Errorf("the account's language before any choice = %q", l)
		}
		isLang("patient, default", a.get("/konto"), i18n.Da)
		isLang("patient, lang=en", a.get("/konto?lang=en"), i18n.En)
		isLang("patient without a choice, after lang=en (the cookie)", a.get("/konto"), i18n.En)
		if l, _ := userLangOf(t, st, id); l != "" {
			t.Errorf("a GET changed the account's language to %q", l)
		}
		want(t, "patient switch", a.post(switchPath, "lang", "en", "naeste", "/dagbog"), 303, "/dagbog")
		isLang("patient, English", a.get("/dagbog"), i18n.En)
		if l, _ := userLangOf(t, st, id); l != "en" {
			t.Errorf("the account's language after the switch = %q", l)
		}
		isLang("patient with a choice, lang=da", a.get("/dagbog?lang=da"), i18n.Da)
		isLang("patient with a choice, after lang=da", a.get("/dagbog"), i18n.En)
		if l, _ := userLangOf(t, st, id); l != "en" {
			t.Errorf("a GET changed the account's language to %q", l)
		}
		b := e.client()
		want(t, "Danish cookie", b.post(switchPath, "lang", "da"), 303, "/konto")
		want(t, "sign in on another device", b.post("/konto/log-ind", "login", "anna", "password", goodPW), 303, "/i-dag")
		isLang("the other device", b.get("/konto"), i18n.En)
		want(t, "sign out", b.post("/konto/log-ud"), 303, "/konto/log-ind?ud=1")
		isLang("signed out on the other device", b.get("/konto/log-ind?ud=1"), i18n.En)

		// A device that signs in after the account changed reads the account.
		if err := st.SetUserLang(t.Context(), id, "da"); err != nil {
			t.Fatal(err)
		}
		old := e.signIn("anna", goodPW)
		isLang("signed in after the account changed", old.get("/konto"), i18n.Da)
		// … and so does a device that was signed in already, at once.
		isLang("a device signed in before the change", a.get("/konto"), i18n.Da)

		// The flash of a change of password is in the page's language.
		want(t, "password", old.post("/konto/adgangskode", "current", goodPW, "password", goodPW+"!", "password2", goodPW+"!"), 303, "/konto")
		contains(t, "password flash", old.get("/konto").body, "Din adgangskode er skiftet.")
	})
}

// userLangOf is the language choice on user id's account.
func userLangOf(t *testing.T, st *store.Store, id int64) (string, error) {
	t.Helper()
	u, err := st.UserByID(t.Context(), id)
	return u.Lang, err
}

// TestLangUnits: the helpers' edge cases.
func TestLangUnits(t *testing.T) {
	for in, want := range map[string]string{
		"/dagbog":                        "/dagbog",
		"/dagbog?lang=en":                "/dagbog",
		"/x?a=1&lang=en&b=2":             "/x?a=1&b=2",
		"/konto/log-ind?naeste=%2Fi-dag": "/konto/log-ind?naeste=%2Fi-dag",
		"":                               "",
	} {
		if got := withoutLangParam(in); got != want {
			t.Errorf("withoutLangParam(%q) = %q, want %q", in, got, want)
		}
	}
	for d, want := range map[time.Duration]string{
		time.Second: "1 second", 20 * time.Second: "20 seconds", time.Minute: "1 minute", 61 * time.Second: "2 minutes",
	} {
		if got := waitTextIn(i18n.En, d); got != want {
			t.Errorf("waitTextIn(en, %v) = %q, want %q", d, got, want)
		}
	}
	for msg, key := range targetsKey {
		if i18n.Da.T(key) != msg {
			t.Errorf("targetsKey[%q] = %q, whose Danish is %q", msg, key, i18n.Da.T(key))
		}
	}
	for _, tc := range []struct {
		method, target, referer, want string
	}{
		{"GET", "/dagbog?gemt=ny&lang=en", "", "/dagbog?gemt=ny"},
		{"POST", "/dagbog", "http://example.com/dagbog/ny?lang=da", "/dagbog/ny"},
		{"POST", "/dagbog", "http://elsewhere.example/dagbog/ny", ""},
		{"POST", "/dagbog", "", ""},
	} {
		r := httptest.NewRequest(tc.method, "http://example.com"+tc.target, nil)
		if tc.referer != "" {
			r.Header.Set("Referer", tc.referer)
		}
		if got := here(r); got != tc.want {
			t.Errorf("here(%s %s, Referer %q) = %q, want %q", tc.method, tc.target, tc.referer, got, tc.want)
		}
	}
	if got := i18n.En.T("no such key"); got != "no such key" {
		t.Errorf("a missing key gives %q", got)
	}
	at := time.Date(2026, 3, 2, 17, 5, 0, 0, time.UTC)
	if got := diaryWhenIn(i18n.En, at); got != "2 March 2026 at 18:05" {
		t.Errorf("diaryWhenIn(en) = %q", got)
	}
	if got := diaryWhenIn(i18n.Da, at); got != diaryWhen(at) {
		t.Errorf("diaryWhenIn(da) = %q, diaryWhen %q", got, diaryWhen(at))
	}
	if got := sourceIn(i18n.En, "seed: Lændesiddende stilling (docs/sources.md A5)"); got != "The article »5 bedste øvelser til spinalstenose« (5 best exercises for spinal stenosis, in Danish), the section »Lændesiddende stilling«." {
		t.Errorf("sourceIn(en) = %q", got)
	}
}

// TestEnglishAppAddresses: an app page asked for under /en/ answers with
// its own address in English; the public /en/ pages, the APIs and a POST
// are left alone.
func TestEnglishAppAddresses(t *testing.T) {
	e := newEnv(t, openSQLite(t), nil)
	c := e.signUp("anna")
	tests := []struct {
		method, path string
		status       int
		location     string
	}{
		{"GET", "/en/i-dag", 303, "/i-dag?lang=en"},
		{"GET", "/en/dagbog/ny?fra=spiller", 303, "/dagbog/ny?fra=spiller&lang=en"},
		{"GET", "/en/konto/log-ind", 303, "/konto/log-ind?lang=en"},
		{"HEAD", "/en/fremskridt", 303, "/fremskridt?lang=en"},
		{"GET", "/en/api/gang", 404, ""},
		{"GET", "/en/oevelser/", 200, ""},
		{"GET", "/en/findes-ikke", 404, ""},
	}
	for _, tt := range tests {
		r := c.do(tt.method, tt.path, nil)
		if r.status != tt.status || r.header.Get("Location") != tt.location {
			t.Errorf("%s %s: %d %q, want %d %q", tt.method, tt.path, r.status, r.header.Get("Location"), tt.status, tt.location)
		}
	}
	englishPage(t, "password page via /en/", c.get(c.get("/en/konto/adgangskode").location()), "Change")
}
