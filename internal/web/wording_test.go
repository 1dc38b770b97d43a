package web

// The wording test (issue 12, "Done when"): every app page, in Danish and
// in English, rendered from realistic accounts — the rules' scenario
// histories (internal/rules/testdata/scenarios) loaded through the store,
// plus a few states the scenarios do not reach — is read as a patient
// reads it, and fails on
//
//   - English words on a Danish page and Danish words on an English page
//     (text inside an element marked lang="en", resp. lang="da", is
//     exempt: the language switch, the Danish article's title);
//   - a raw catalogue key, a template's "{{", a format verb left over;
//   - a file name (".md", "docs/"), a rule id ("A3"), an advice code;
//   - a wrong plural ("1 minutter", "1 minutes", "0 dag");
//   - a number or date not written the page's way ("3.5" or "2000 tegn"
//     on a Danish page, an ISO date, a month name of the other language);
//   - praise ("Godt gået", "Well done") for an account that did nothing.
//
// Every advice code of the rules is shown on /i-dag by at least one
// account, except those wordingNeverShown names with the reason.

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	xhtml "golang.org/x/net/html"

	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/clinic"
	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

// wordingNeverShown are the advice codes the app cannot show on /i-dag, and
// why. The test fails if one of them is shown after all (then it belongs
// in the test) or if any other code is never shown.
var wordingNeverShown = map[rules.Code]string{
	// The app builds a session's history from the store's steps, which
	// carry no posture (care.buildHistory), the content's LSS programmes hold no
	// extension exercise (stenose check refuses one), and the sync API
	// refuses an exercise the content does not know. Its words are still
	// checked: TestWordingOfAdvice renders the rules' extension scenario.
	rules.AvoidExtension: "no session the app stores can hold an extension exercise",
}

// Common English words that are not Danish words too (not "for", "to",
// "is", "time", "under", "start", "test", "pause", "mine", "her", "men",
// "have", "by", "at", "red").
var englishWords = wordSet(`the and your you with of walk walks walking today yesterday week weeks day days
	minute minutes second seconds hour hours session sessions target targets pain legs back should please here this that
	these those has been not will would when what which who why how save edit delete sign account password passwords
	diary progress advice source sources clinic clinician doctor call yes no done well good see read more less from
	are was were be it its or on in out up down new last next first every all get got go do does did can
	cannot if than then there their they them our we us my me he she his about after before again also because
	change changes changed flags points review meaningful baseline scale`)

// Danish words an English page must not show: the old markers (lang_test.go)
// and more of the words the app's Danish texts are made of. Not "min" (an
// English abbreviation too), "et" (et al.), "I", "dig".
var danishWords = wordSet(strings.Join(slices.DeleteFunc(slices.Clone(danishMarkers), func(m string) bool { return strings.Contains(m, " ") }), " ") + `
	og ikke din dine dit du mig med til gang gange træning træninger træningen minut minutter dag dage uge uger
	gåtur gåture gåturen smerter benene ryggen kl af på er har det jeg vi kan skal ved fra efter før siden nu hvis
	eller som den de der mit mine læge lægen behandler behandleren klinikken fysioterapeut også når hvor hvad meget lidt
	mere mindre sekund sekunder gangtest gangtesten udgangspunkt øvelse øvelser øvelserne afsnittet artiklen Artiklen
	Læs noter notat notater mål målene godt gået Godt sidste næste første`)

// Month and weekday names: a Danish page writes "5. december", an English
// one "5 December". Danish names are lower-case, English ones capitalised.
var (
	englishMonths = wordSet(`January February March April May June July August September October November December
	Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday Sunday
	Mon Tue Wed Thu Fri Sat Sun`)
	danishMonths = wordSet(`januar februar marts april maj juni juli august september oktober november december
	jan feb mar apr jun jul aug sep okt nov dec mandag tirsdag onsdag torsdag fredag lørdag søndag
	man tir ons tor fre lør søn`)
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

var (
	// Plurals a patient must not read.
	reBadPlural = map[i18n.Lang]*regexp.Regexp{
		i18n.Da: regexp.MustCompile(`(?:^|[^\pL\pN.,])(?:1 (?:minutter|dage|gange|træninger|gåture|notater|uger|sekunder|timer|aktiviteter|gentagelser)|0 (?:dag|minut|uge|gang|træning|gåtur|notat|sekund|time|aktivitet|gentagelse))(?:$|[^\pL])`),
		i18n.En: regexp.MustCompile(`(?:^|[^\pL\pN.,])(?:1 (?:minutes|days|times|sessions|walks|entries|weeks|seconds|hours|activities|repetitions|points|characters|things)|0 (?:day|minute|week|time|session|walk|entry|second|hour|activity|repetition|point|character|thing))(?:$|[^\pL])`),
	}
	// A number with a point or comma inside, after "kl." or a year (a
	// time: "kl. 9.30", "14-03-2026 9.30") or not.
	reNumber = regexp.MustCompile(`(kl\.[\s\x{00a0}]?|\d{4}[\s\x{00a0}])?\b(\d+(?:[.,]\d+)+)\b`)
	// A count of four or more digits without a separator.
	reBareCount = regexp.MustCompile(`\b\d{4,}\s(?:tegn|characters|minutter|minutes|sekunder|seconds|skridt|steps|meter|metres|dage|days|gange|times)\b`)
	reISODate   = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)
	// 05-12-2026: a date as a machine writes it (the example of a date to
	// type keeps its hyphens unbreakable, U+2011, and is not this).
	reNumericDate = regexp.MustCompile(`\b\d{2}-\d{2}-\d{4}\b`)
	// Internal names: file names, the sources page, rule ids, advice codes.
	reInternal = regexp.MustCompile(`[\w-]+\.md\b|docs/|clinical\.md|sources\.md|\bA[1-7]\b|\b[A-Z]{3,}(?:_[A-Z0-9]+)+\b`)
	// Template and format leftovers.
	reLeftover = regexp.MustCompile(`\{\{|\}\}|%!|%\[?\d*\]?[dsvqf]\b|<no value>`)
	// camelCase tokens: a catalogue key shown as it is.
	reCamel  = regexp.MustCompile(`\b[a-z]+[A-Z][A-Za-z0-9_]*\b`)
	rePraise = map[i18n.Lang]*regexp.Regexp{
		i18n.Da: regexp.MustCompile(`(?i)godt gået|flot klaret|godt klaret`),
		i18n.En: regexp.MustCompile(`(?i)well done|great job|good job`),
	}
)

// catalogueKeys are the keys of the catalogue.
var catalogueKeys = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range i18n.Keys() {
		m[k] = true
	}
	return m
}()

// readText is what a page shows or reads out, as a patient reads it: the
// text nodes and the shown attributes (aria-label, alt, title,
// placeholder, a button's value), without scripts and styles and without
// anything inside an element marked as the other language (lang="en" on a
// Danish page). Text blocks are kept apart by new lines.
func readText(body string, l i18n.Lang) string {
	doc, err := xhtml.Parse(strings.NewReader(body))
	if err != nil {
		return body
	}
	var b strings.Builder
	var walk func(n *xhtml.Node)
	walk = func(n *xhtml.Node) {
		switch n.Type {
		case xhtml.TextNode:
			b.WriteString(n.Data)
			return
		case xhtml.ElementNode:
			switch n.Data {
			case "script", "style", "template":
				return
			}
			for _, a := range n.Attr {
				switch a.Key {
				case "lang":
					if a.Val != "" && !strings.HasPrefix(a.Val, string(l)) && n.Data != "html" {
						return
					}
				}
			}
			for _, a := range n.Attr {
				switch a.Key {
				case "aria-label", "alt", "title", "placeholder":
					b.WriteString("\n" + a.Val + "\n")
				case "value":
					if n.Data == "input" && (attr(n, "type") == "submit" || attr(n, "type") == "button") {
						b.WriteString("\n" + a.Val + "\n")
					}
				}
			}
			b.WriteString("\n")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == xhtml.ElementNode {
			b.WriteString("\n")
		}
	}
	walk(doc)
	return b.String()
}

func attr(n *xhtml.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// wordingProblems lists what is wrong with the words of a page in l.
// own are the patient's own words (notes, activities, name, login): not
// the app's, so left out of the language check.
func wordingProblems(body string, l i18n.Lang, own []string) []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	if !strings.Contains(body, `<html lang="`+string(l)+`"`) {
		add("not <html lang=%q>", l)
	}
	text := readText(body, l)
	// Internal names and leftovers are checked in everything shown, the
	// patient's own words included.
	// "(A4)" on the handout is the paper's size, not rule A4.
	for _, m := range uniq(reInternal.FindAllString(strings.ReplaceAll(text, "(A4)", ""), -1)) {
		add("an internal name: %q", m)
	}
	for _, m := range uniq(reLeftover.FindAllString(text, -1)) {
		add("a template or format leftover: %q", m)
	}
	for _, m := range uniq(reCamel.FindAllString(text, -1)) {
		if catalogueKeys[m] {
			add("a catalogue key: %q", m)
		}
	}
	// The rest reads the app's own words only (the longest first: a
	// name holds the login).
	own = slices.Clone(own)
	slices.SortFunc(own, func(a, b string) int { return len(b) - len(a) })
	for _, s := range own {
		if strings.TrimSpace(s) != "" {
			text = strings.ReplaceAll(text, s, "\n")
			text = strings.ReplaceAll(text, html.EscapeString(s), "\n")
		}
	}
	if c := theSite.Clinic(i18n.Da); c != nil {
		text = strings.ReplaceAll(text, c.Name, "\n")
	}
	text = reQuoted.ReplaceAllString(text, "\n") // »a title« stays as it is written
	for _, m := range reBadPlural[l].FindAllString(text, -1) {
		add("a wrong plural: %q", strings.TrimSpace(m))
	}
	for _, m := range uniq(reISODate.FindAllString(text, -1)) {
		add("an ISO date on the page: %q", m)
	}
	for _, m := range uniq(reNumericDate.FindAllString(text, -1)) {
		add("a date in numbers on the page: %q", m)
	}
	for _, m := range uniq(reBareCount.FindAllString(text, -1)) {
		add("a count without a thousands separator: %q", m)
	}
	for _, m := range reNumber.FindAllStringSubmatch(text, -1) {
		if p := numberProblem(l, m[2], m[1] != ""); p != "" {
			add("%s: %q", p, m[2])
		}
	}
	other, months := englishWords, englishMonths
	if l == i18n.En {
		other, months = danishWords, danishMonths
	}
	var words, names []string
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if other[w] {
			words = append(words, w)
		}
		if months[w] {
			names = append(names, w)
		}
	}
	if len(words) > 0 {
		add("words of the other language: %q", uniq(words))
	}
	if len(names) > 0 {
		add("month or day names of the other language: %q", uniq(names))
	}
	return out
}

var (
	reDaDate      = regexp.MustCompile(`^\d{1,2}\.\d{1,2}\.\d{4}$`)
	reDaThousands = regexp.MustCompile(`^\d{1,3}(?:\.\d{3})+$`)
	reDaDecimal   = regexp.MustCompile(`^\d+,\d+$`)
	reClock       = regexp.MustCompile(`^\d{1,2}\.\d{2}$`)
	reEnThousands = regexp.MustCompile(`^\d{1,3}(?:,\d{3})+$`)
	reEnDecimal   = regexp.MustCompile(`^\d+\.\d+$`)
)

// numberProblem says what is wrong with a number with a point or comma in
// it on a page in l ("" when it is right): a Danish page writes 3,5 and
// 2.000 and dates 5.3.2026 and times kl. 9.30; an English one 3.5 and 2,000.
func numberProblem(l i18n.Lang, n string, afterKl bool) string {
	if l == i18n.Da {
		switch {
		case reEnThousands.MatchString(n) && strings.Contains(n, ","): // 2,000: a decimal with three places is not what the app writes
			return "a number not written the Danish way"
		case reDaDate.MatchString(n), reDaThousands.MatchString(n), reDaDecimal.MatchString(n):
			return ""
		case afterKl && reClock.MatchString(n):
			return ""
		}
		return "a number not written the Danish way"
	}
	switch {
	case reDaThousands.MatchString(n) && strings.Contains(n, "."): // 2.000
		return "a number not written the English way"
	case reEnThousands.MatchString(n), reEnDecimal.MatchString(n):
		return ""
	case reDaDate.MatchString(n):
		return "a Danish date on an English page"
	}
	return "a number not written the English way"
}

func uniq(xs []string) []string {
	slices.Sort(xs)
	return slices.Compact(xs)
}

// scenarioFile is a scenario of internal/rules/testdata/scenarios as this
// test reads it.
type scenarioFile struct {
	Now     string          `json:"now"`
	Want    []string        `json:"want"`
	History json.RawMessage `json:"history"`
}

const scenariosDir = "../rules/testdata/scenarios"

func readScenario(t *testing.T, name string) (time.Time, rules.History, []string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(scenariosDir, name))
	if err != nil {
		t.Fatal(err)
	}
	var sc scenarioFile
	if err := json.Unmarshal(b, &sc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var h rules.History
	if err := json.Unmarshal(sc.History, &h); err != nil {
		t.Fatalf("%s: history: %v", name, err)
	}
	now, err := time.Parse(time.RFC3339, sc.Now)
	if err != nil {
		t.Fatalf("%s: now: %v", name, err)
	}
	return now, h, sc.Want
}

// wordingAccount is one patient of the wording test.
type wordingAccount struct {
	name  string // the scenario or the state
	login string
	id    int64
	e     *env
	c     *client
	own   []string // the patient's own words
}

// at is day d at hh:mm in Copenhagen, but never after now (a record of
// today is stored as made before now, on the same day).
func at(now time.Time, d rules.Day, hh, mm int) time.Time {
	day, err := time.ParseInLocation(time.DateOnly, d.String(), care.Zone)
	if err != nil {
		panic(err)
	}
	t := day.Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
	if limit := now.Add(-20 * time.Minute); t.After(limit) {
		t = limit
		if t.Before(day) {
			t = day
		}
	}
	return t
}

// scenarioAccount makes a patient whose stored records are the scenario's
// history (historyAccount).
func scenarioAccount(t *testing.T, name string) *wordingAccount {
	t.Helper()
	now, h, _ := readScenario(t, name)
	return historyAccount(t, strings.TrimSuffix(name, ".json"), now, h)
}

// historyAccount makes a patient whose stored records are h, on its own
// app whose clock is now: the account made on the programme's first day,
// the baseline, the red-flag check-ins (with the examinations confirmed),
// the diary (some entries with a note), the sessions (their steps the
// programme's exercises, the first ones done), the walks, the PSFS
// scorings and the targets.
func historyAccount(t *testing.T, login string, now time.Time, h rules.History) *wordingAccount {
	t.Helper()
	name := login
	st := openSQLite(t)
	e := newEnv(t, st, nil)
	e.clock.mu.Lock()
	e.clock.t = now.UTC()
	e.clock.mu.Unlock()
	ctx := t.Context()
	c := e.patientSince(login, at(now, h.ProgrammeStart, 8, 0))
	id := userID(t, st, login)
	acc := &wordingAccount{name: login, login: login, id: id, e: e, c: c, own: []string{login, "Navn " + login}}
	if b := h.Baseline; b != nil {
		first := b.SPWT.FirstSymptomsSeconds
		if _, err := st.AddBaseline(ctx, store.Baseline{UserID: id, At: at(now, b.Date, 9, 0), SPWTFirstSymptomsSeconds: &first,
			SPWTStopSeconds: b.SPWT.StopSeconds, NRSLeg: b.LegPain, NRSBack: b.BackPain}); err != nil {
			t.Fatalf("%s: baseline: %v", name, err)
		}
	}
	for _, rc := range h.RedFlagChecks {
		ci := store.RedFlagCheckin{UserID: id, At: at(now, rc.Date, 8, 30), Answers: rc.Answers}
		for k, yes := range rc.Answers {
			if f, ok := rules.FlagByKey(k); ok && yes && f.CaudaEquina {
				ci.Urgent = true
			}
		}
		if rc.ExaminedSince.Valid() {
			ci.ExaminedAt = at(now, rc.ExaminedSince, 14, 0)
			ci.Examination = store.Examination{On: rc.ExaminedSince.String(), By: store.ExaminedByOwnDoctor}
		}
		if _, err := st.AddRedFlagCheckin(ctx, ci); err != nil {
			t.Fatalf("%s: check-in: %v", name, err)
		}
	}
	for i, en := range h.Entries {
		note := ""
		if i%3 == 0 {
			note = "Gik til bageren og hjem igen."
		}
		if _, err := st.AddDiaryEntry(ctx, store.DiaryEntry{UserID: id, At: at(now, en.At, 19, 30), LegPain: en.LegPain, BackPain: en.BackPain,
			Tingling: en.Tingling, Burning: en.Burning, Weakness: en.Weakness, Note: note}); err != nil {
			t.Fatalf("%s: diary: %v", name, err)
		}
	}
	acc.own = append(acc.own, "Gik til bageren og hjem igen.")
	exercises := []string{"siddende-cykling", "knae-til-bryst", "kattestraek", "laendesiddende-stilling", "gaaende-med-pauser"}
	for i, s := range h.Sessions {
		start := at(now, s.Date, 10, 0)
		var steps []store.SessionStep
		for k := range s.CompletedSteps + s.SkippedSteps {
			step := store.SessionStep{Exercise: exercises[k%len(exercises)], Done: k < s.CompletedSteps}
			if k == 0 && len(s.Symptoms) > 0 {
				step.Symptoms, step.SymptomKinds = true, s.Symptoms
			}
			steps = append(steps, step)
		}
		prog := s.Programme
		if prog == "" {
			prog = care.DefaultProgramme
		}
		ts := store.TrainingSession{UserID: id, ClientID: fmt.Sprintf("s%d", i), Programme: prog, StartedAt: start, EndedAt: start.Add(12 * time.Minute), Steps: steps}
		if len(s.Symptoms) > 0 {
			ts.Symptoms = 1
		}
		if _, _, err := st.AddTrainingSession(ctx, ts); err != nil {
			t.Fatalf("%s: session: %v", name, err)
		}
	}
	for i, w := range h.Walks {
		start := at(now, w.Date, 16, 0)
		var bouts []store.Bout
		total := 0
		for _, b := range w.Bouts {
			sb := store.Bout{WalkSeconds: b.WalkSeconds, PauseSeconds: b.PauseSeconds}
			if b.FirstSymptomsSeconds > 0 {
				f := b.FirstSymptomsSeconds
				sb.FirstSymptomsSeconds = &f
			}
			total += b.WalkSeconds + b.PauseSeconds
			bouts = append(bouts, sb)
		}
		end := start.Add(time.Duration(total) * time.Second)
		if end.After(now) { // a walk of today ends before now
			start, end = now.Add(-time.Duration(total)*time.Second-time.Minute), now.Add(-time.Minute)
		}
		if _, _, err := st.AddWalk(ctx, store.Walk{UserID: id, ClientID: fmt.Sprintf("w%d", i), StartedAt: start, EndedAt: end, Bouts: bouts}); err != nil {
			t.Fatalf("%s: walk: %v", name, err)
		}
	}
	for _, p := range h.PSFS {
		var as []store.PSFSActivity
		for _, a := range p.Activities {
			as = append(as, store.PSFSActivity{Name: a.Name, Score: a.Score})
			acc.own = append(acc.own, a.Name)
		}
		if _, err := st.AddPSFS(ctx, id, at(now, p.Date, 11, 0), as); err != nil {
			t.Fatalf("%s: PSFS: %v", name, err)
		}
	}
	if tg := h.Targets; tg.WalkMinutes > 0 || len(tg.Reps) > 0 {
		since := tg.Since
		if !since.Valid() {
			since = h.ProgrammeStart
		}
		if _, err := st.SetTargets(ctx, store.Targets{UserID: id, At: at(now, since, 8, 15), WalkMinutes: tg.WalkMinutes, Reps: tg.Reps, SetBy: store.SetByClinician}, 0); err != nil {
			t.Fatalf("%s: targets: %v", name, err)
		}
	}
	return acc
}

// wordingPage is one page as the test read it.
type wordingPage struct {
	path   string // as asked for
	final  string // after the redirects
	status int
	ctype  string
	body   string
}

// getFollowing gets path and follows the app's redirects (at most 5).
func (c *client) getFollowing(path string) wordingPage {
	p := wordingPage{path: path, final: path}
	for range 6 {
		r := c.get(p.final)
		p.status, p.ctype, p.body = r.status, r.header.Get("Content-Type"), r.body
		if r.status != http.StatusSeeOther && r.status != http.StatusFound {
			return p
		}
		p.final = r.location()
	}
	c.e.t.Fatalf("%s: too many redirects", path)
	return p
}

// getRoutes are the GET routes of the route table that give a page.
func getRoutes(a *app, role store.Role) []string {
	var out []string
	u := &store.User{Role: role}
	for _, rt := range a.table() {
		if p, ok := strings.CutPrefix(rt.pattern, "GET "); ok && !rt.stateless && rt.access.Allows(u) {
			out = append(out, p)
		}
	}
	return out
}

// renderAll gets every GET route of the table for acc in l (the account's
// language set to l) and reports each page's wording problems; seen gets
// the routes that answered 200. It returns /i-dag's page ("" when /i-dag
// sent the patient elsewhere).
func (acc *wordingAccount) renderAll(t *testing.T, l i18n.Lang, seen map[string]bool) string {
	t.Helper()
	if err := acc.e.st.SetUserLang(t.Context(), acc.id, string(l)); err != nil {
		t.Fatal(err)
	}
	ids := acc.e.entryIDs(acc.login)
	var today string
	for _, route := range getRoutes(acc.e.app, store.RolePatient) {
		path := route
		if strings.Contains(path, "{pid}") {
			continue // the clinician's pages: TestWording's clinician
		}
		if strings.Contains(path, "{id}") {
			if len(ids) == 0 {
				continue
			}
			path = strings.Replace(path, "{id}", strconv.FormatInt(ids[0], 10), 1)
		}
		p := acc.c.getFollowing(path)
		if p.status != http.StatusOK {
			t.Errorf("%s, %s %s: status %d (after %s)", acc.name, l, path, p.status, p.final)
			continue
		}
		if !strings.HasPrefix(p.ctype, "text/html") {
			seen[route] = true // a download (the exports): data, not words
			continue
		}
		seen[route] = true
		if route == "/i-dag" && p.final == "/i-dag" {
			today = p.body
		}
		for _, pr := range wordingProblems(p.body, l, acc.own) {
			t.Errorf("%s, %s %s (%s): %s", acc.name, l, path, p.final, pr)
		}
		acc.praise(t, l, p)
	}
	return today
}

// praise fails a page that praises an account with nothing done in the
// last week: no session with a step done, no walk.
func (acc *wordingAccount) praise(t *testing.T, l i18n.Lang, p wordingPage) {
	t.Helper()
	if !rePraise[l].MatchString(readText(p.body, l)) {
		return
	}
	u, err := acc.e.st.UserByID(t.Context(), acc.id)
	if err != nil {
		t.Fatal(err)
	}
	pd, err := acc.e.app.care.Load(t.Context(), &u)
	if err != nil {
		t.Fatal(err)
	}
	now := pd.AsOf
	week := care.DayIn(now).AddDays(-6)
	for _, s := range pd.History.Sessions {
		if s.CompletedSteps > 0 && !s.Date.Before(week) {
			return
		}
	}
	for _, w := range pd.History.Walks {
		if !w.Date.Before(week) {
			return
		}
	}
	t.Errorf("%s, %s %s: praise for a week with nothing done", acc.name, l, p.final)
}

// shownAdvice marks the codes of the rules' advice for acc today whose
// text is on the page today (in l).
func (acc *wordingAccount) shownAdvice(t *testing.T, l i18n.Lang, today string, shown map[rules.Code][]string) {
	t.Helper()
	if today == "" {
		return
	}
	u, err := acc.e.st.UserByID(t.Context(), acc.id)
	if err != nil {
		t.Fatal(err)
	}
	pd, err := acc.e.app.care.Load(t.Context(), &u)
	if err != nil {
		t.Fatal(err)
	}
	now := pd.AsOf
	for _, ad := range rules.Advise(pd.History, now) {
		sourceKnown(t, ad)
		v := toView(l, ad)
		if strings.Contains(today, html.EscapeString(v.Text)) && strings.Contains(today, html.EscapeString(v.Source)) {
			shown[ad.Code] = append(shown[ad.Code], acc.name+" ("+string(l)+")")
		}
	}
}

// wordingScenarios are the rules' scenarios the wording test loads as
// accounts: between them, and with the accounts wordingAccounts adds, the
// app's states (onboarding, paused by a red flag, examined, the status
// weeks, twelve weeks without improvement, …) and every advice code the
// app can show. TestWordingOfAdvice checks the advice of all of them.
var wordingScenarios = []string{
	"new-account-nothing-recorded.json",             // onboarding: the red-flag screen
	"red-flag-screen-done-no-baseline.json",         // onboarding: the baseline
	"red-flag-cauda-equina-mid-programme.json",      // URGENT_RED_FLAG, STOP_NEURO_SYMPTOMS: paused
	"red-flag-cancer-history-cleared.json",          // examined, PROGRESS_TARGET_UP
	"day-0-after-onboarding.json",                   // HOLD_TARGET on the first day, 2 minutes
	"tingling-today-and-burning-four-days-ago.json", // STOP_NEURO_SYMPTOMS, REST_POSITION, TARGET_DOWN
	"status-4-weeks-not-regular.json",               // STATUS_4_WEEKS, ADHERENCE_LOW
	"adherence-running-week-cannot-reach.json",      // ADHERENCE_LOW with days left in the week
	"non-improver-fair-trial-12-weeks.json",         // STATUS_12_WEEKS, REFER_NO_IMPROVEMENT
	"no-walks-twelve-weeks.json",                    // LOG_WALK
	"psfs-drops-two-points.json",                    // WORSENING_CONTACT, PSFS scorings
	"steady-improver-12-weeks.json",                 // a good twelve weeks
}

// Histories the scenarios do not hold, as JSON in the scenarios' form.
const (
	// The walking target of 2 minutes goes down to 1 after tingling on
	// two days (TARGET_DOWN), and the patient accepts it.
	wordingTwoMinutes = `{
	"programme": "5-bedste-oevelser", "programmeStart": "2026-02-23", "plannedPerWeek": 3,
	"baseline": {"date": "2026-02-23", "spwt": {"firstSymptomsSeconds": 130, "stopSeconds": 250}, "legPain": 6, "backPain": 4},
	"targets": {"since": "2026-03-06", "walkMinutes": 2},
	"entries": [
		{"at": "2026-03-09", "legPain": 5, "backPain": 3},
		{"at": "2026-03-12", "legPain": 5, "backPain": 3},
		{"at": "2026-03-14", "legPain": 5, "backPain": 3, "tingling": true},
		{"at": "2026-03-16", "legPain": 4, "backPain": 3, "tingling": true}
	],
	"sessions": [
		{"date": "2026-03-10", "programme": "5-bedste-oevelser", "completedSteps": 5},
		{"date": "2026-03-12", "programme": "5-bedste-oevelser", "completedSteps": 5},
		{"date": "2026-03-14", "programme": "5-bedste-oevelser", "completedSteps": 4, "skippedSteps": 1}
	],
	"walks": [
		{"date": "2026-03-11", "bouts": [{"walkSeconds": 150, "pauseSeconds": 60, "firstSymptomsSeconds": 120}]},
		{"date": "2026-03-13", "bouts": [{"walkSeconds": 140, "pauseSeconds": 60, "firstSymptomsSeconds": 115}]}
	],
	"redFlagChecks": [{"date": "2026-03-13", "answers": {"fever": false, "bladder": false}}]
}`
	wordingTwoMinutesNow = "2026-03-16T11:00:00+01:00"
)

// wordingAccounts are the wording test's patients: the scenarios', the
// two-minute target, a fever paused for a doctor, and a patient whose only
// baseline the rules refuse (dated tomorrow, as a device whose clock ran a
// day ahead would write it; the forms and sync APIs refuse such a record,
// one written behind the app's back may hold it): /i-dag then shows
// ONBOARDING_NEEDED, the one way the app can (without a stored baseline
// /i-dag sends the patient to the baseline form instead).
func wordingAccounts(t *testing.T) []*wordingAccount {
	t.Helper()
	var accs []*wordingAccount
	for _, f := range wordingScenarios {
		accs = append(accs, scenarioAccount(t, f))
	}
	var h rules.History
	if err := json.Unmarshal([]byte(wordingTwoMinutes), &h); err != nil {
		t.Fatal(err)
	}
	now, _ := time.Parse(time.RFC3339, wordingTwoMinutesNow)
	accs = append(accs, historyAccount(t, "two-minutes", now, h))

	// A flag that needs a doctor before training (not the urgent route).
	now, _ = time.Parse(time.RFC3339, "2026-04-20T10:00:00+02:00")
	fever := historyAccount(t, "fever", now, rules.History{ProgrammeStart: rules.DayOf(now.AddDate(0, 0, -10)),
		Baseline:      &rules.Baseline{Date: rules.DayOf(now.AddDate(0, 0, -10)), SPWT: rules.SPWT{FirstSymptomsSeconds: 240, StopSeconds: 420}, LegPain: 5, BackPain: 4},
		RedFlagChecks: []rules.RedFlagCheck{{Date: rules.DayOf(now), Answers: map[string]bool{"fever": true, "weight_loss": true, "bladder": false}}}})
	accs = append(accs, fever)

	now, _ = time.Parse(time.RFC3339, "2026-05-04T09:30:00+02:00")
	acc := historyAccount(t, "baseline-tomorrow", now, rules.History{ProgrammeStart: rules.DayOf(now.AddDate(0, 0, -3))})
	st, ctx := acc.e.st, t.Context()
	if _, err := st.AddRedFlagCheckin(ctx, store.RedFlagCheckin{UserID: acc.id, At: now.Add(-time.Hour), Answers: map[string]bool{"fever": false}}); err != nil {
		t.Fatal(err)
	}
	first := 200
	if _, err := st.AddBaseline(ctx, store.Baseline{UserID: acc.id, At: now.Add(26 * time.Hour), SPWTFirstSymptomsSeconds: &first, SPWTStopSeconds: 400, NRSLeg: 5, NRSBack: 3}); err != nil {
		t.Fatal(err)
	}
	return append(accs, acc)
}

// check reports the wording problems of one page acc was shown in l.
func (acc *wordingAccount) check(t *testing.T, l i18n.Lang, what string, r resp) {
	t.Helper()
	if !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Errorf("%s, %s %s: status %d, %q, not a page", acc.name, l, what, r.status, r.header.Get("Content-Type"))
		return
	}
	for _, pr := range wordingProblems(r.body, l, acc.own) {
		t.Errorf("%s, %s %s: %s", acc.name, l, what, pr)
	}
	acc.praise(t, l, wordingPage{final: what, body: r.body})
}

// formErrors posts each of the patient's forms with mistakes in it and
// checks the page that answers, in the account's language.
func (acc *wordingAccount) formErrors(t *testing.T, l i18n.Lang) {
	t.Helper()
	c := acc.c
	long := strings.Repeat("Jeg gik en lang tur. ", 120) // 2.400 characters
	acc.own = append(acc.own, strings.TrimSpace(long))
	for _, f := range []struct {
		path string
		kv   []string
	}{
		{"/dagbog", entryForm("igår", "", "12", "")},
		{"/dagbog", entryForm("i dag kl. 7", "3", "2", long)},
		{"/dagbog", entryForm("1.1.2020 kl. 9", "11", "x", "")},
		{"/start/udgangspunkt", []string{"first", "7:00", "stop", "6:30", "leg", "11", "back", ""}},
		{"/start/udgangspunkt", []string{"first", "", "stop", "45:00", "leg", "3", "back", "2"}},
		{psfsStatusPath, psfsForm("", "3", "gå til bageren", "")},
		{"/start/roede-flag", []string{"bladder", "nej"}},
		{"/konto/adgangskode", []string{"current", "", "password", "kort", "password2", "andet"}},
		{"/mine-data/slet", []string{"confirm", "nogen"}},
	} {
		r := c.post(f.path, f.kv...)
		if r.status == http.StatusSeeOther {
			t.Errorf("%s, %s POST %s with mistakes: accepted (%s)", acc.name, l, f.path, r.location())
			continue
		}
		acc.check(t, l, "POST "+f.path, r)
		// The error summary is at the top: right after the page's
		// heading, before any text or form (issue 12, "Forms for older
		// hands").
		if _, after, ok := strings.Cut(r.body, "</h1>"); !ok || !strings.HasPrefix(strings.TrimSpace(after), `<div class="error-summary"`) {
			t.Errorf("%s, %s POST %s: the error summary is not right under the heading: %.120q", acc.name, l, f.path, after)
		}
	}
}

// TestWording: see the top of this file.
func TestWording(t *testing.T) {
	loadSite(t)
	accounts := wordingAccounts(t)
	shown := map[rules.Code][]string{}
	seen := map[i18n.Lang]map[string]bool{i18n.Da: {}, i18n.En: {}}
	for _, acc := range accounts {
		for _, l := range i18n.Langs {
			today := acc.renderAll(t, l, seen[l])
			acc.shownAdvice(t, l, today, shown)
		}
	}

	// The two-minute patient accepts the step down: today's target is
	// 1 minute.
	two := accounts[len(wordingScenarios)]
	tg, err := two.e.st.CurrentTargets(t.Context(), two.id)
	if err != nil {
		t.Fatal(err)
	}
	want(t, "accept the step down", two.c.post(acceptTargetsPath, "raad", string(rules.TargetDown), "fra", strconv.FormatInt(tg.ID, 10)), 303, "/i-dag")
	for _, l := range i18n.Langs {
		if err := two.e.st.SetUserLang(t.Context(), two.id, string(l)); err != nil {
			t.Fatal(err)
		}
		r := two.c.get("/i-dag")
		contains(t, "today at 1 minute", r.body, map[i18n.Lang]string{i18n.Da: "<strong>1 minut</strong>", i18n.En: "<strong>1 minute</strong>"}[l])
		two.check(t, l, "/i-dag after the step down", r)
	}

	// Forms with mistakes, in both languages; the paused patient's
	// examination form too.
	for _, l := range i18n.Langs {
		for _, acc := range []*wordingAccount{accounts[4], accounts[8]} {
			if err := acc.e.st.SetUserLang(t.Context(), acc.id, string(l)); err != nil {
				t.Fatal(err)
			}
			acc.formErrors(t, l)
		}
		fresh, paused := accounts[0], accounts[2]
		for _, acc := range []*wordingAccount{fresh, paused} {
			if err := acc.e.st.SetUserLang(t.Context(), acc.id, string(l)); err != nil {
				t.Fatal(err)
			}
		}
		fresh.check(t, l, "POST /start/roede-flag", fresh.c.post("/start/roede-flag", "bladder", "nej"))
		paused.check(t, l, "POST /start/undersoegt", paused.c.post("/start/undersoegt", "dato", "1.1.2020", "hvem", "other"))
	}

	// Visitors and a clinician, and the goodbye after deleting an account.
	e := accounts[0].e
	for _, l := range i18n.Langs {
		anon := &wordingAccount{name: "visitor", e: e, c: e.client(), own: []string{"Æ\u200b"}}
		want(t, "language", anon.c.post(switchPath, "lang", string(l)), 303, "/konto")
		for _, path := range []string{"/konto/opret", "/konto/log-ind", "/konto/log-ind?ud=1", "/konto/log-ind?naeste=%2Fi-dag"} {
			anon.check(t, l, path, anon.c.get(path))
		}
		anon.check(t, l, "POST /konto/opret", anon.c.post("/konto/opret", "login", "Æ\u200b", "name", "", "password", "kort", "password2", ""))
		anon.check(t, l, "POST /konto/log-ind", anon.c.post("/konto/log-ind", "login", "", "password", ""))
		anon.check(t, l, "POST /konto/log-ind, refused", anon.c.post("/konto/log-ind", "login", "nogen", "password", goodPW))
		// "Forbliv logget ind på denne enhed", ticked and kept on the forms
		// shown again.
		anon.check(t, l, "POST /konto/log-ind, refused, kept signed in", anon.c.post("/konto/log-ind", "login", "x9", "password", goodPW, "forbliv", "ja"))
		anon.check(t, l, "POST /konto/opret, kept signed in", anon.c.post("/konto/opret", "login", "", "password", "kort", "forbliv", "ja"))

		login := "klinik-" + string(l)
		k := &wordingAccount{name: login, login: login, e: e, c: e.signUp(login), own: []string{login, "Navn " + login}}
		k.id = userID(t, e.st, login)
		if err := e.st.SetRole(t.Context(), k.id, store.RoleClinician); err != nil {
			t.Fatal(err)
		}
		if err := e.st.SetUserLang(t.Context(), k.id, string(l)); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/konto", "/mine-data", "/konto/adgangskode"} {
			k.check(t, l, path, k.c.get(path))
		}
		k.workspace(t, l, accounts[0], seen[l])
		// The programme editor for a patient of the clinician's clinic:
		// as it opens, with every field wrong, and the patient's own
		// programme pages after a change.
		pat := accounts[0]
		cl, err := e.st.CreateClinic(t.Context(), store.Clinic{Slug: "klinik-" + string(l), Name: "Klinikken", Signup: store.SignupOpen})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{k.id, pat.id} {
			if err := e.st.SetUserClinic(t.Context(), id, cl.ID); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.st.SetUserLang(t.Context(), pat.id, string(l)); err != nil {
			t.Fatal(err)
		}
		ed := programmeEditorPath(pat.id)
		// The clinicians' names and reasons are theirs, in their language.
		k.own = append(k.own, pat.own...)
		k.own = append(k.own, "Navn klinik-da", "Navn klinik-en", "Du klarer kattestrækket godt: nu 10 gentagelser.")
		k.check(t, l, "GET "+ed, k.c.get(ed))
		seen[l]["/klinik/patienter/{pid}/program"] = true
		cur, err := e.st.CurrentProgramme(t.Context(), pat.id)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Fatal(err)
		}
		bad := k.c.do("POST", ed, editorForm(cur.ID, "kattestraek-reps", "x", "kattestraek-sides", "3", "gange", "0", "gaa", "31", "begrundelse", " "))
		want(t, "editor with mistakes", bad, 422, "")
		k.check(t, l, "POST "+ed+" with mistakes", bad)
		if _, after, ok := strings.Cut(bad.body, "</h1>"); !ok || !strings.HasPrefix(strings.TrimSpace(after), `<div class="error-summary"`) {
			t.Errorf("%s POST %s: the error summary is not right under the heading: %.120q", l, ed, after)
		}
		want(t, "editor", k.c.do("POST", ed, editorForm(cur.ID)), 303, ed)
		k.check(t, l, "GET "+ed+" after a change", k.c.get(ed))
		pat.own = append(pat.own, "Navn "+login, "Du klarer kattestrækket godt: nu 10 gentagelser.")
		for _, path := range []string{myProgrammePath, myProgrammePath + "/traening", myProgrammePath + "/udskrift", myProgrammePath + "/gang"} {
			r := pat.c.get(path)
			want(t, path, r, 200, "")
			pat.check(t, l, path+" (tailored)", r)
		}

		r := k.c.get("/i-dag")
		want(t, "403", r, 403, "")
		k.check(t, l, "/i-dag (403)", r)
		r = k.c.post("/mine-data/slet", "confirm", login)
		want(t, "goodbye", r, 200, "")
		k.check(t, l, "goodbye", r)
	}

	adminWording(t, e, seen)

	// The status report of patients with weeks of data: improving,
	// not improving after a fair trial, worse on their own activities.
	for _, acc := range []*wordingAccount{accounts[8], accounts[10], accounts[11]} {
		reportWording(t, acc)
	}

	for _, l := range i18n.Langs {
		for _, route := range slices.Concat(getRoutes(e.app, store.RolePatient), getRoutes(e.app, store.RoleClinician), getRoutes(e.app, store.RoleAdmin)) {
			if !seen[l][route] {
				t.Errorf("%s: GET %s was never rendered", l, route)
			}
		}
	}
	for _, code := range rules.Codes {
		why, never := wordingNeverShown[code]
		switch {
		case never && len(shown[code]) > 0:
			t.Errorf("%s is shown (%v), but wordingNeverShown says %q", code, shown[code], why)
		case !never && len(shown[code]) == 0:
			t.Errorf("%s is never shown on /i-dag by the test's accounts", code)
		}
	}
	if testing.Verbose() {
		for _, code := range slices.Sorted(maps.Keys(shown)) {
			t.Logf("%s: %v", code, shown[code])
		}
	}
}

// TestWordingOfAdvice: the advice of every scenario of the rules, as /i-dag
// words it in each language — the text and the source —, passes the
// wording checks; so do the advice codes no account of TestWording shows.
func TestWordingOfAdvice(t *testing.T) {
	loadSite(t)
	files, err := filepath.Glob(filepath.Join(scenariosDir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	seen := map[rules.Code]bool{}
	for _, f := range files {
		now, h, _ := readScenario(t, filepath.Base(f))
		for _, ad := range rules.Advise(h, now) {
			seen[ad.Code] = true
			sourceKnown(t, ad)
			for _, l := range i18n.Langs {
				v := toView(l, ad)
				page := `<html lang="` + string(l) + `"><p>` + html.EscapeString(v.Text) + `</p><p>` + html.EscapeString(v.Source) + `</p></html>`
				for _, pr := range wordingProblems(page, l, nil) {
					t.Errorf("%s, %s in %s: %s\n%s\n%s", filepath.Base(f), ad.Code, l, pr, v.Text, v.Source)
				}
			}
		}
	}
	for code := range wordingNeverShown {
		if !seen[code] {
			t.Errorf("%s: no scenario gives it, so its words are never checked", code)
		}
	}
}

// sourceKnown fails when the web layer has no words of its own for a
// rule's reference to docs/sources.md (sourceRefs): the page would fall
// back to "Klinikkens faglige grundlag.".
func sourceKnown(t *testing.T, ad rules.Advice) {
	t.Helper()
	src := ad.Source
	if s, ok := strings.CutPrefix(src, "seed: "); ok {
		_, more, _ := strings.Cut(s, " (")
		src = strings.TrimSuffix(more, ")")
	}
	if _, known := sourceRef(src); src != "" && !known {
		t.Errorf("%s: source %q: no words for it in sourceRefs (today.go)", ad.Code, ad.Source)
	}
}

// TestWordingChecker: the checks of the wording test find what they are
// for, and leave a right page alone.
func TestWordingChecker(t *testing.T) {
	loadSite(t)
	page := func(l i18n.Lang, body string) string {
		return `<!doctype html><html lang="` + string(l) + `"><head><title>x</title></head><body>` + body + `</body></html>`
	}
	for _, tc := range []struct {
		name string
		lang i18n.Lang
		body string
		want string // a part of a problem; "" for none at all
	}{
		{"a right Danish page", i18n.Da, `<p>Gå 1 minut, så 2 minutter. 0 minutter i går. Højst 2.000 tegn; 3,5 af 10; den 5. december 2026 kl. 9.30; skriv 14.3.2026 eller 14‑03‑2026 9.30.</p><p>Artiklen »Hvad er spinalstenose?«</p>`, ""},
		{"a right English page", i18n.En, `<p>Walk 1 minute, then 2 minutes. 0 minutes yesterday. At most 2,000 characters; 3.5 out of 10; on 5 December 2026 at 9:30.</p><p>The article »5 bedste øvelser til spinalstenose«.</p>`, ""},
		{"the other language marked", i18n.Da, `<button lang="en">English – the walk of your week</button><p>Gå en tur.</p>`, ""},
		{"Danish marked on an English page", i18n.En, `<p>Call <span lang="da">din egen læge</span> now.</p>`, ""},
		{"the page's lang", i18n.Da, `<p>Hello</p>`, "not <html lang"},
		{"English on a Danish page", i18n.Da, `<p>Gå en walk today.</p>`, "words of the other language"},
		{"English in an attribute", i18n.Da, `<a href="/x" aria-label="Go to your diary">Dagbog</a>`, "words of the other language"},
		{"Danish on an English page", i18n.En, `<p>Write the note og gem den.</p>`, "words of the other language"},
		{"a catalogue key", i18n.Da, `<h1>todayTitle</h1>`, "a catalogue key"},
		{"a template leftover", i18n.Da, `<p>Gå {{.Walk}}</p>`, "leftover"},
		{"a format leftover", i18n.En, `<p>Walk %!d(string=x) minutes</p>`, "leftover"},
		{"a file name", i18n.Da, `<p>Kilde: docs/sources.md A3.</p>`, "an internal name"},
		{"a rule id", i18n.Da, `<p>Kilde: A5.</p>`, "an internal name"},
		{"clinical.md", i18n.En, `<p>Source (clinical.md): the red flags.</p>`, "an internal name"},
		{"an advice code", i18n.En, `<p>STATUS_4_WEEKS</p>`, "an internal name"},
		{"1 minutter", i18n.Da, `<p>Gå 1 minutter.</p>`, "a wrong plural"},
		{"0 dag", i18n.Da, `<p>Du har haft målene i 0 dag.</p>`, "a wrong plural"},
		{"1 minutes", i18n.En, `<p>Walk 1 minutes.</p>`, "a wrong plural"},
		{"1 sessions", i18n.En, `<p>Latest: 1 sessions.</p>`, "a wrong plural"},
		{"a decimal point on a Danish page", i18n.Da, `<p>Smerter 3.5 af 10.</p>`, "not written the Danish way"},
		{"a thousands comma on a Danish page", i18n.Da, `<p>2,000 skridt.</p>`, "not written the Danish way"},
		{"a count without its separator", i18n.Da, `<p>Højst 2000 tegn.</p>`, "without a thousands separator"},
		{"a decimal comma on an English page", i18n.En, `<p>Pain 3,5 out of 10.</p>`, "not written the English way"},
		{"a thousands point on an English page", i18n.En, `<p>2.000 characters.</p>`, "not written the English way"},
		{"a Danish date on an English page", i18n.En, `<p>For example 5.3.2026.</p>`, "a Danish date"},
		{"an ISO date", i18n.Da, `<p>Fra 2026-03-04.</p>`, "an ISO date"},
		{"a date in numbers", i18n.Da, `<p>01-01-2020 er før forløbet.</p>`, "a date in numbers"},
		{"an English month on a Danish page", i18n.Da, `<p>5. December 2026.</p>`, "month or day names"},
		{"a Danish month on an English page", i18n.En, `<p>5 marts 2026.</p>`, "month or day names"},
		{"a date inside <time> is its text only", i18n.Da, `<p><time datetime="2026-03-04">4. marts 2026</time></p>`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			html := page(tc.lang, tc.body)
			if tc.name == "the page's lang" {
				html = page(otherLang(tc.lang), tc.body)
			}
			got := wordingProblems(html, tc.lang, nil)
			found := slices.ContainsFunc(got, func(p string) bool { return strings.Contains(p, tc.want) })
			switch {
			case tc.want == "" && len(got) > 0:
				t.Errorf("problems %q, want none", got)
			case tc.want != "" && !found:
				t.Errorf("problems %q, want one with %q", got, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		name, body string
		lang       i18n.Lang
		praise     bool
	}{
		{"Danish praise", `<p>Godt gået!</p>`, i18n.Da, true},
		{"English praise", `<h2>Well done</h2>`, i18n.En, true},
		{"no praise", `<p>Træningen er afsluttet.</p>`, i18n.Da, false},
	} {
		if got := rePraise[tc.lang].MatchString(readText(page(tc.lang, tc.body), tc.lang)); got != tc.praise {
			t.Errorf("%s: praise found %v, want %v", tc.name, got, tc.praise)
		}
	}
}

// workspace shows the clinician k every page of the workspace in l, with
// the patient p of k's clinic on its list (and an alert: a red flag),
// a slip of an invitation just made, and the workspace's forms with
// mistakes; seen gets the routes shown.
func (k *wordingAccount) workspace(t *testing.T, l i18n.Lang, p *wordingAccount, seen map[string]bool) {
	t.Helper()
	ctx, st := t.Context(), k.e.st
	cl, err := st.CreateClinic(ctx, store.Clinic{Slug: "ord-" + string(l), Name: "Klinik Ord", Phone: "70 20 30 40", Signup: store.SignupOpen})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{k.id, p.id} {
		if err := st.SetUserClinic(ctx, id, cl.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.AddRedFlagCheckin(ctx, store.RedFlagCheckin{UserID: p.id, At: k.e.clock.now().Add(-time.Minute), Answers: map[string]bool{rules.Flags[0].Key: true}, Urgent: true}); err != nil {
		t.Fatal(err)
	}
	pu, err := st.UserByID(ctx, p.id)
	if err != nil {
		t.Fatal(err)
	}
	k.own = append(k.own, pu.Name, pu.ShownLogin(), "Ole Ærø")
	// The programme's versions: the clinicians' names and reasons, as
	// they wrote them (the editor's block below makes them).
	vs, err := st.ProgrammeVersions(ctx, cl.ID, p.id)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		k.own = append(k.own, v.ByName, v.Reason)
	}
	want(t, "invite", k.c.post(invitationsPath, "name", "Ole Ærø", "days", "14"), 303, slipPath)
	for _, route := range getRoutes(k.e.app, store.RoleClinician) {
		if !strings.HasPrefix(route, workspacePath) || strings.HasSuffix(route, "/program") {
			continue // the programme editor: with its own words, below
		}
		path := strings.ReplaceAll(route, "{pid}", strconv.FormatInt(p.id, 10))
		r := k.c.get(path)
		want(t, path, r, 200, "")
		seen[route] = true
		if !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
			continue // a download (the FHIR export): data, not words
		}
		k.check(t, l, path, r)
	}
	// The list's other views: searched, filtered, sorted.
	for _, path := range []string{workspacePath + "?q=ingen", workspacePath + "?vis=advarsler&sortering=navn", workspacePath + "?vis=inaktive"} {
		k.check(t, l, path, k.c.get(path))
	}
	for _, f := range []struct {
		path string
		kv   []string
	}{
		{invitationsPath, []string{"name", "", "days", "0"}},
		{patientPath(p.id) + "/noter", []string{"body", "  "}},
	} {
		r := k.c.post(f.path, f.kv...)
		want(t, "POST "+f.path+" with a mistake", r, http.StatusUnprocessableEntity, "")
		k.check(t, l, "POST "+f.path, r)
	}
}

// adminWording renders the admin's pages in each language for an admin of
// the whole install — every GET route under /admin, a user's page with a
// new one-time code and with a refusal, the clinic's form with mistakes
// in every field — and the public reset page with mistakes; seen gets the
// routes that answered 200.
func adminWording(t *testing.T, e *env, seen map[i18n.Lang]map[string]bool) {
	t.Helper()
	ctx := t.Context()
	cl, err := clinic.New(e.st, nil, nil).Add(ctx, store.Clinic{Slug: "ordklinik", Name: "Ordklinikken", Signup: store.SignupOpen})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range i18n.Langs {
		login := "admin-" + string(l)
		c := e.signUp(login)
		id := userID(t, e.st, login)
		if err := e.st.SetRole(ctx, id, store.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		if err := e.st.SetUserLang(ctx, id, string(l)); err != nil {
			t.Fatal(err)
		}
		c = e.signIn(login, goodPW)
		// The users' names and logins, and this server's address, are
		// their own words.
		own := []string{"Ordklinikken", strings.TrimPrefix(e.srv.URL, "http://")}
		all, err := e.st.ListUsers(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range all {
			own = append(own, u.Name, u.ShownLogin())
		}
		k := &wordingAccount{name: login, login: login, id: id, e: e, c: c, own: own}
		for _, route := range getRoutes(e.app, store.RoleAdmin) {
			if !strings.HasPrefix(route, "/admin") {
				continue
			}
			path := strings.ReplaceAll(route, "{id}", strconv.FormatInt(id, 10))
			if strings.HasPrefix(route, adminClinicsPath+"/") {
				path = strings.ReplaceAll(route, "{id}", strconv.FormatInt(cl.ID, 10))
			}
			if strings.HasSuffix(route, ".csv") {
				path += "?fra=i+dag&til=i+dag"
			}
			p := c.getFollowing(path)
			if p.status != http.StatusOK {
				t.Errorf("%s, %s %s: status %d", login, l, path, p.status)
				continue
			}
			seen[l][route] = true
			if strings.HasPrefix(p.ctype, "text/html") {
				k.check(t, l, path, resp{status: p.status, header: http.Header{"Content-Type": {p.ctype}}, body: p.body})
			}
		}
		user := adminUsersPath + "/" + strconv.FormatInt(id, 10)
		k.check(t, l, "POST a one-time code", c.post(user+"/engangskode"))
		k.check(t, l, "POST disable oneself", c.post(user+"/spaer", "bekraeft", "ja"))
		k.check(t, l, "POST disable unticked", c.post(user+"/spaer"))
		clinicPage := adminClinicsPath + "/" + strconv.FormatInt(cl.ID, 10)
		k.check(t, l, "POST the clinic with mistakes", c.post(clinicPage, "name", "", "phone", "12", "email", "nej", "region", "mars", "signup", "alle", "inactive-days", "nul"))
		k.check(t, l, "GET the log with bad dates", c.get(clinicPage+"/opslag.csv?fra=nej&til=i+dag"))
		anon := &wordingAccount{name: "visitor", e: e, c: e.client(), own: []string{"nogen"}}
		want(t, "language", anon.c.post(switchPath, "lang", string(l)), 303, "/konto")
		anon.check(t, l, "POST "+resetPath, anon.c.post(resetPath, "login", "nogen", "kode", "hej", "password", "kort", "password2", ""))
		anon.check(t, l, "POST "+resetPath+", wrong", anon.c.post(resetPath, "login", "nogen", "kode", "AAAA-AAAA-AAAA", "password", goodPW, "password2", goodPW))
	}
}

// reportWording shows a clinician of p's clinic p's status report in each
// language, with a programme version and an acknowledged alert on it.
func reportWording(t *testing.T, p *wordingAccount) {
	t.Helper()
	ctx, st, e := t.Context(), p.e.st, p.e
	cl, err := st.CreateClinic(ctx, store.Clinic{Slug: "rapport", Name: "Klinik Rapport", Signup: store.SignupOpen})
	if err != nil {
		t.Fatal(err)
	}
	login := "rapport-" + p.login
	k := &wordingAccount{name: login, login: login, e: e, c: e.signUp(login), own: slices.Concat(p.own, []string{login, "Navn " + login, "Klinik Rapport"})}
	k.id = userID(t, st, login)
	if err := st.SetRole(ctx, k.id, store.RoleClinician); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{k.id, p.id} {
		if err := st.SetUserClinic(ctx, id, cl.ID); err != nil {
			t.Fatal(err)
		}
	}
	reason := "Færre gentagelser, så du kan nå dem."
	if _, err := st.SetProgramme(ctx, cl.ID, store.ProgrammeVersion{PatientID: p.id, At: e.clock.now().Add(-48 * time.Hour), ByID: k.id, ByName: "Navn " + login,
		Reason: reason, Base: care.DefaultProgramme, Items: []store.ProgrammeItem{{Exercise: "kattestraek", Reps: 8, Sets: 2, Sides: 1}}, PerWeek: 3, WalkMinutes: 10}, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddRedFlagCheckin(ctx, store.RedFlagCheckin{UserID: p.id, At: e.clock.now().Add(-time.Hour), Answers: map[string]bool{rules.Flags[0].Key: true}, Urgent: true}); err != nil {
		t.Fatal(err)
	}
	alerts, err := st.PatientAlerts(ctx, cl.ID, p.id)
	if err != nil || len(alerts) == 0 {
		t.Fatalf("alerts: %v, %v", alerts, err)
	}
	note := "Ringet; egen læge i dag."
	want(t, "acknowledge", k.c.post("/klinik/advarsler/"+strconv.FormatInt(alerts[0].ID, 10)+"/kvitter", "note", note), 303, "")
	k.own = append(k.own, reason, note)
	for _, l := range i18n.Langs {
		if err := st.SetUserLang(ctx, k.id, string(l)); err != nil {
			t.Fatal(err)
		}
		r := k.c.get(reportPath(p.id))
		want(t, "report", r, 200, "")
		contains(t, p.name+" report", r.body, reason, note)
		if !regexp.MustCompile(`data-label="(Nu|Now)">\d`).MatchString(r.body) {
			t.Errorf("%s, %s: the report shows no measure now", p.name, l)
		}
		k.check(t, l, "report of "+p.name, r)
	}
}
