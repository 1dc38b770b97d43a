package web

// Tests of the diary, the browser's sync API and "my data", on SQLite and
// PostgreSQL (forEachEngine), with a second connection to the database to
// prove a deleted account leaves no row behind.

import (
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/stenose/stenose/internal/store/pgtest"

	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/store"
)

// doJSON sends body as JSON with c's cookies and headers.
func (c *client) doJSON(path, body string) resp {
	c.e.t.Helper()
	req, err := http.NewRequest("POST", c.e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		c.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range c.hdr {
		req.Header[k] = v
	}
	res, err := c.c.Do(req)
	if err != nil {
		c.e.t.Fatalf("POST %s: %v", path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{res.StatusCode, res.Header, string(b)}
}

func (e *env) userID(login string) int64 {
	e.t.Helper()
	u, err := e.st.UserByLogin(e.t.Context(), login)
	if err != nil {
		e.t.Fatal(err)
	}
	return u.ID
}

// entryIDs lists login's diary entry ids, oldest first.
func (e *env) entryIDs(login string) []int64 {
	e.t.Helper()
	es, err := e.st.ListDiaryEntries(e.t.Context(), e.userID(login), time.Time{}, time.Time{})
	if err != nil {
		e.t.Fatal(err)
	}
	var ids []int64
	for _, x := range es {
		ids = append(ids, x.ID)
	}
	return ids
}

func entryForm(at, leg, back, note string, checks ...string) []string {
	kv := []string{"at", at, "leg", leg, "back", back, "note", note}
	for _, c := range checks {
		kv = append(kv, c, "1")
	}
	return kv
}

func TestDiary(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		e := newEnv(t, open(t), nil)
		a := e.patientSince("anna", fixturesSince)

		r := a.get("/dagbog")
		want(t, "empty diary", r, 200, "")
		contains(t, "empty diary", r.body, "ikke skrevet noget", `href="/dagbog/ny"`)

		r = a.get("/dagbog/ny")
		want(t, "new form", r, 200, "")
		now := e.clock.now().In(care.Zone).Format(diaryDTLayout)
		contains(t, "new form", r.body, `type="datetime-local"`, `value="`+now+`"`, `name="leg"`, `name="back"`,
			`name="tingling"`, `name="burning"`, `name="weakness"`, `maxlength="2000"`, `action="/dagbog"`)

		// From the player's summary: the named symptoms come ticked, and
		// only those (the other values of the address are not taken).
		for _, tc := range []struct{ query, ticked, unticked string }{
			{"?tingling=1&weakness=1", "tingling weakness", "burning"},
			{"?burning=1&leg=9&note=x&tingling=ja", "burning", "tingling weakness"},
			{"", "", "tingling burning weakness"},
		} {
			r := a.get("/dagbog/ny" + tc.query)
			want(t, "new form "+tc.query, r, 200, "")
			for _, k := range strings.Fields(tc.ticked) {
				contains(t, "new form "+tc.query, r.body, `name="`+k+`" type="checkbox" value="1" checked`)
			}
			for _, k := range strings.Fields(tc.unticked) {
				if strings.Contains(r.body, `name="`+k+`" type="checkbox" value="1" checked`) {
					t.Errorf("new form %s: %s ticked", tc.query, k)
				}
			}
			if checkedPain(r.body, "leg") != "" || checkedPain(r.body, "back") != "" || strings.Contains(r.body, ">x<") {
				t.Errorf("new form %s: took a value other than the symptoms from the address", tc.query)
			}
		}

		// Errors beside the fields, what was typed kept.
		r = a.post("/dagbog", entryForm("i går", "11", "", "min <b>note</b>", "burning")...)
		want(t, "bad entry", r, 422, "")
		contains(t, "bad entry", r.body, `id="at-error"`, `id="leg-error"`, `id="back-error"`, "fra 0 til 10",
			`value="i går"`, "min &lt;b&gt;note&lt;/b&gt;", `name="burning" type="checkbox" value="1" checked`,
			`href="#at"`, `aria-invalid="true"`)
		if leg := checkedPain(r.body, "leg"); leg != "" {
			t.Errorf("bad entry: leg %q checked for 11", leg)
		}
		r = a.post("/dagbog", entryForm("2026-03-01T09:30", "3", "2", strings.Repeat("æ", diaryMaxNote+1))...)
		want(t, "long note", r, 422, "")
		contains(t, "long note", r.body, `id="note-error"`, "højst 2.000 tegn. Den er på 2.001.")
		if ids := e.entryIDs("anna"); len(ids) != 0 {
			t.Fatalf("a refused entry was saved: %v", ids)
		}
		// A note of exactly 2,000 characters is fine.
		want(t, "max note", a.post("/dagbog", entryForm("2026-03-01T09:30", "3", "2", strings.Repeat("æ", diaryMaxNote))...), 303, "/dagbog?gemt=ny")

		// Create: answered after the store has it.
		r = a.post("/dagbog", entryForm("2026-03-02T18:05", "7", "4", "<script>alert(1)</script>\nGik 20 min", "tingling", "weakness")...)
		want(t, "create", r, 303, "/dagbog?gemt=ny")
		ids := e.entryIDs("anna")
		if len(ids) != 2 {
			t.Fatalf("entries %v", ids)
		}
		got, err := e.st.DiaryEntry(t.Context(), ids[1], e.userID("anna"))
		if err != nil {
			t.Fatal(err)
		}
		if got.LegPain != 7 || got.BackPain != 4 || !got.Tingling || got.Burning || !got.Weakness ||
			got.Note != "<script>alert(1)</script>\nGik 20 min" || !got.At.Equal(time.Date(2026, 3, 2, 18, 5, 0, 0, care.Zone)) {
			t.Errorf("stored %+v", got)
		}
		r = a.get("/dagbog?gemt=ny")
		contains(t, "list", r.body, "Din note er gemt.", "2. marts 2026 kl. 18.05", "7 af 10", "4 af 10",
			"&lt;script&gt;alert(1)&lt;/script&gt;", fmt.Sprintf(`href="/dagbog/%d/rediger"`, ids[1]))
		if strings.Contains(r.body, "<script>alert") {
			t.Error("the note was not escaped")
		}
		// Newest first.
		if i, j := strings.Index(r.body, "2. marts"), strings.Index(r.body, "1. marts"); i < 0 || j < 0 || i > j {
			t.Errorf("not newest first: %d %d", i, j)
		}

		// Edit.
		edit := fmt.Sprintf("/dagbog/%d", ids[1])
		r = a.get(edit + "/rediger")
		want(t, "edit form", r, 200, "")
		contains(t, "edit form", r.body, `value="2026-03-02T18:05"`, `action="`+edit+`"`, `action="`+edit+`/slet"`,
			"kan ikke fortrydes", `name="tingling" type="checkbox" value="1" checked`)
		if leg, back := checkedPain(r.body, "leg"), checkedPain(r.body, "back"); leg != "7" || back != "4" {
			t.Errorf("edit form: pain %q %q checked, want 7 4", leg, back)
		}
		r = a.post(edit, entryForm("2026-03-02T18:05", "x", "4", "rettet")...)
		want(t, "bad edit", r, 422, "")
		contains(t, "bad edit", r.body, `id="leg-error"`, ">rettet<")
		if leg, back := checkedPain(r.body, "leg"), checkedPain(r.body, "back"); leg != "" || back != "4" {
			t.Errorf("bad edit: pain %q %q checked, want none and 4", leg, back)
		}
		want(t, "edit", a.post(edit, entryForm("2026-03-02T19:00", "5", "1", "rettet", "burning")...), 303, "/dagbog?gemt=rettet")
		got, _ = e.st.DiaryEntry(t.Context(), ids[1], e.userID("anna"))
		if got.LegPain != 5 || got.BackPain != 1 || got.Tingling || !got.Burning || got.Weakness || got.Note != "rettet" {
			t.Errorf("after edit %+v", got)
		}
		contains(t, "after edit", a.get("/dagbog?gemt=rettet").body, "Din note er rettet.", "kl. 19.00", "rettet")

		// Delete.
		want(t, "delete", a.post(edit+"/slet"), 303, "/dagbog?gemt=slettet")
		if ids := e.entryIDs("anna"); len(ids) != 1 {
			t.Errorf("after delete %v", ids)
		}
		contains(t, "after delete", a.get("/dagbog?gemt=slettet").body, "Noten er slettet.")
		want(t, "deleted entry", a.get(edit+"/rediger"), 404, "")
		want(t, "delete again", a.post(edit+"/slet"), 404, "")
		want(t, "no such id", a.get("/dagbog/abc/rediger"), 404, "")
	})
}

// TestDiaryAcrossPatients: B cannot read, edit or delete A's entry (404, as
// for a missing one), and sees none of A's data anywhere.
func TestDiaryAcrossPatients(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		e := newEnv(t, open(t), nil)
		a, b := e.patientSince("anna", fixturesSince), e.patientSince("bodil", fixturesSince)
		want(t, "a creates", a.post("/dagbog", entryForm("2026-03-02T18:05", "7", "4", "annas hemmelige note")...), 303, "/dagbog?gemt=ny")
		want(t, "a syncs", a.doJSON("/api/gang", `{"clientId":"annas-walk","startedAt":"2026-03-02T10:00:00Z","endedAt":"2026-03-02T10:30:00Z","bouts":[{"walkSeconds":600,"pauseSeconds":60,"firstSymptomsSeconds":540}]}`), 201, "")
		id := e.entryIDs("anna")[0]
		p := fmt.Sprintf("/dagbog/%d", id)
		missing := r404(t, b.get(fmt.Sprintf("/dagbog/%d/rediger", id+1000)))
		for what, r := range map[string]resp{
			"read":   b.get(p + "/rediger"),
			"edit":   b.post(p, entryForm("2026-03-02T18:05", "0", "0", "bos")...),
			"delete": b.post(p + "/slet"),
		} {
			want(t, "b "+what+"s a's entry", r, 404, "")
			if r.body != missing {
				t.Errorf("b %s: the answer differs from a missing entry's", what)
			}
		}
		got, err := e.st.DiaryEntry(t.Context(), id, e.userID("anna"))
		if err != nil || got.Note != "annas hemmelige note" || got.LegPain != 7 {
			t.Errorf("a's entry after b's attempts: %+v %v", got, err)
		}
		// B's list and exports hold nothing of A's.
		for _, path := range []string{"/dagbog", "/mine-data", "/mine-data/eksport.json", "/mine-data/eksport.zip"} {
			r := b.get(path)
			want(t, "b "+path, r, 200, "")
			if strings.HasSuffix(path, ".zip") {
				r.body = zipText(t, r.body)
			}
			for _, s := range []string{"annas", "anna", "2. marts", "540"} {
				if strings.Contains(r.body, s) {
					t.Errorf("b's %s shows %q", path, s)
				}
			}
		}
		// The same client id from B is B's own walk, not A's.
		r := b.doJSON("/api/gang", `{"clientId":"annas-walk","startedAt":"2026-03-03T10:00:00Z","endedAt":"2026-03-03T10:10:00Z","bouts":[{"walkSeconds":300,"pauseSeconds":0}]}`)
		want(t, "b same client id", r, 201, "")
	})
}

func r404(t *testing.T, r resp) string {
	t.Helper()
	want(t, "missing entry", r, 404, "")
	contains(t, "404", r.body, "Siden findes ikke")
	return r.body
}

const sessionJSON = `{"clientId":"%s","programme":"5-bedste-oevelser","startedAt":"2026-03-02T08:00:00.000Z","endedAt":"2026-03-02T08:20:00.000Z",
"steps":[{"exercise":"knae-til-bryst","status":"done","symptoms":false},{"exercise":"kattestraek","status":"skipped","symptoms":true}],"symptoms":1}`

func TestSyncExactlyOnce(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		e := newEnv(t, open(t), nil)
		a := e.patientSince("anna", fixturesSince)
		a.hdr = http.Header{"Sec-Fetch-Site": {"same-origin"}, "Origin": {e.srv.URL}} // as fetch sends it
		var first, again struct {
			ID      int64 `json:"id"`
			Created bool  `json:"created"`
		}
		r := a.doJSON("/api/traening", fmt.Sprintf(sessionJSON, "s-1"))
		want(t, "first send", r, 201, "")
		if err := json.Unmarshal([]byte(r.body), &first); err != nil || !first.Created || first.ID == 0 {
			t.Fatalf("first send: %s %v", r.body, err)
		}
		r = a.doJSON("/api/traening", fmt.Sprintf(sessionJSON, "s-1"))
		want(t, "resend", r, 200, "")
		if err := json.Unmarshal([]byte(r.body), &again); err != nil || again.Created || again.ID != first.ID {
			t.Fatalf("resend: %s %v", r.body, err)
		}
		ts, err := e.st.ListTrainingSessions(t.Context(), e.userID("anna"), time.Time{}, time.Time{})
		if err != nil || len(ts) != 1 {
			t.Fatalf("sessions %v %v", ts, err)
		}
		s := ts[0]
		if s.ClientID != "s-1" || s.Programme != "5-bedste-oevelser" || s.Symptoms != 1 || len(s.Steps) != 2 ||
			!s.Steps[0].Done || s.Steps[1].Done || !s.Steps[1].Symptoms || !s.StartedAt.Equal(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)) {
			t.Errorf("stored %+v", s)
		}

		walk := `{"clientId":"w-1","startedAt":"2026-03-02T10:00:00Z","endedAt":"2026-03-02T10:30:00Z","bouts":[{"walkSeconds":600,"pauseSeconds":60,"firstSymptomsSeconds":540},{"walkSeconds":300,"pauseSeconds":0,"firstSymptomsSeconds":null}],"walkSeconds":900,"pauseSeconds":60,"firstSymptomsSeconds":540}`
		want(t, "walk", a.doJSON("/api/gang", walk), 201, "")
		want(t, "walk again", a.doJSON("/api/gang", walk), 200, "")
		ws, err := e.st.ListWalks(t.Context(), e.userID("anna"), time.Time{}, time.Time{})
		if err != nil || len(ws) != 1 || len(ws[0].Bouts) != 2 || ws[0].WalkSeconds() != 900 || *ws[0].FirstSymptomsSeconds() != 540 {
			t.Fatalf("walks %+v %v", ws, err)
		}

		// Validation: 422 with the path of what the rules refuse (see
		// TestSyncRefusesBadRecords), 400 for what the store cannot hold or
		// what is not the record's JSON, each with the field and a Danish
		// message.
		for _, tc := range []struct {
			path, body, field string
			status            int
		}{
			{"/api/traening", fmt.Sprintf(sessionJSON, ""), "client_id", 400},
			{"/api/traening", `{"clientId":"s-2","endedAt":"2026-03-02T08:20:00Z"}`, "startedAt", 422},
			{"/api/traening", `{"clientId":"s-3","startedAt":"2026-03-02T08:20:00Z","endedAt":"2026-03-02T08:00:00Z"}`, "endedAt", 422},
			{"/api/gang", `{"clientId":"w-2","startedAt":"2026-03-02T10:00:00Z","endedAt":"2026-03-02T10:30:00Z","bouts":[{"walkSeconds":-1}]}`, "bouts[0].walkSeconds", 422},
			{"/api/gang", `{"clientId":"w-4","startedAt":"2026-03-02T10:00:00Z","bouts":[{"walkSeconds":60}]}`, "ended_at", 400},
			{"/api/gang", `{"clientId":`, "", 400},
			{"/api/gang", `{"clientId":"w-3","startedAt":"i går"}`, "", 400},
		} {
			r := a.doJSON(tc.path, tc.body)
			want(t, "invalid "+tc.body, r, tc.status, "")
			var se syncError
			if err := json.Unmarshal([]byte(r.body), &se); err != nil || se.Field != tc.field || se.Error == "" {
				t.Errorf("%s: %s %v", tc.body, r.body, err)
			}
		}
		big := fmt.Sprintf(`{"clientId":"big","programme":"%s"}`, strings.Repeat("x", maxSyncBody))
		want(t, "too big", a.doJSON("/api/traening", big), 413, "")
		if r := a.do("POST", "/api/gang", nil); r.status != 415 {
			t.Errorf("no JSON: %d", r.status)
		}
		if ts, _ := e.st.ListTrainingSessions(t.Context(), e.userID("anna"), time.Time{}, time.Time{}); len(ts) != 1 {
			t.Errorf("refused sessions were saved: %d", len(ts))
		}

		// Not signed in: sent to sign in, nothing saved (the browser keeps it).
		anon := e.client()
		want(t, "anonymous sync", anon.doJSON("/api/traening", fmt.Sprintf(sessionJSON, "anon")), 303, "/konto/log-ind")

		// The browser module, outside the service worker's cache-first /static/.
		js := anon.get("/dagbog/sync.js")
		want(t, "sync.js", js, 200, "")
		if !strings.HasPrefix(js.header.Get("Content-Type"), "text/javascript") || js.header.Get("Cache-Control") != "no-cache" || js.header.Get("Set-Cookie") != "" {
			t.Errorf("sync.js headers %v", js.header)
		}
		contains(t, "sync.js", js.body, "export function syncAll", `redirect: "manual"`, "/api/traening", "/api/gang")
	})
}

func TestNewPostsCSRF(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		e := newEnv(t, open(t), nil)
		a := e.patientSince("anna", fixturesSince)
		want(t, "create", a.post("/dagbog", entryForm("2026-03-02T18:05", "7", "4", "n")...), 303, "/dagbog?gemt=ny")
		id := e.entryIDs("anna")[0]
		for _, h := range []http.Header{{"Sec-Fetch-Site": {"cross-site"}}, {"Origin": {"http://evil.example"}}} {
			a.hdr = h
			for _, p := range []string{"/dagbog", fmt.Sprintf("/dagbog/%d", id), fmt.Sprintf("/dagbog/%d/slet", id), "/mine-data/slet"} {
				r := a.post(p, append(entryForm("2026-03-02T18:05", "1", "1", "evil"), "confirm", "anna")...)
				want(t, "cross-origin "+p, r, 403, "")
			}
			want(t, "cross-origin sync", a.doJSON("/api/traening", fmt.Sprintf(sessionJSON, "evil")), 403, "")
			want(t, "cross-origin walk", a.doJSON("/api/gang", `{"clientId":"evil","startedAt":"2026-03-02T10:00:00Z","endedAt":"2026-03-02T10:30:00Z"}`), 403, "")
		}
		a.hdr = http.Header{}
		got, err := e.st.DiaryEntry(t.Context(), id, e.userID("anna"))
		if err != nil || got.Note != "n" || len(e.entryIDs("anna")) != 1 {
			t.Errorf("a cross-site post changed the diary: %+v %v", got, err)
		}
		if ts, _ := e.st.ListTrainingSessions(t.Context(), e.userID("anna"), time.Time{}, time.Time{}); len(ts) != 0 {
			t.Error("a cross-site sync saved a session")
		}
		want(t, "still there", a.get("/konto"), 200, "")
	})
}

var attachment = regexp.MustCompile(`^attachment; filename="stenose-anna-\d{4}-\d{2}-\d{2}\.(json|zip)"$`)

func TestMyDataExport(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		e := newEnv(t, open(t), nil)
		a, b := e.patientSince("anna", fixturesSince), e.patientSince("bodil", fixturesSince)
		for _, c := range []*client{a, b} {
			want(t, "entry", c.post("/dagbog", entryForm("2026-03-02T18:05", "7", "4", "=HYPERLINK(\"x\")")...), 303, "/dagbog?gemt=ny")
			session := fmt.Sprintf(sessionJSON, "s-1")
			if c == a { // anna named the symptoms of her second step
				session = strings.Replace(session, `"symptoms":true}`, `"symptoms":true,"symptomKinds":["pain","tingling"]}`, 1)
			}
			want(t, "session", c.doJSON("/api/traening", session), 201, "")
			want(t, "walk", c.doJSON("/api/gang", `{"clientId":"w-1","startedAt":"2026-03-02T10:00:00Z","endedAt":"2026-03-02T10:30:00Z","bouts":[{"walkSeconds":600,"pauseSeconds":60,"firstSymptomsSeconds":540}]}`), 201, "")
		}
		// Two versions of anna's targets (the first with a repetition
		// target a spreadsheet would take for a formula), one of bodil's.
		setTargets := func(tg store.Targets, prev int64) store.Targets {
			t.Helper()
			got, err := e.st.SetTargets(t.Context(), tg, prev)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		t1 := setTargets(store.Targets{UserID: e.userID("anna"), At: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), WalkMinutes: 10,
			Reps: map[string]int{"kattestraek": 8, "=SUM(A1)": 3}, SetBy: store.SetByClinician}, 0)
		t2 := setTargets(store.Targets{UserID: e.userID("anna"), At: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), WalkMinutes: 9,
			Reps: map[string]int{"kattestraek": 7}, SetBy: store.SetByRules, Advice: "TARGET_DOWN"}, t1.ID)
		setTargets(store.Targets{UserID: e.userID("bodil"), WalkMinutes: 17, Reps: map[string]int{"bodils-oevelse": 4}, SetBy: store.SetByPatient}, 0)

		r := a.get("/mine-data")
		want(t, "page", r, 200, "")
		contains(t, "page", r.body, `href="/mine-data/eksport.json"`, `href="/mine-data/eksport.zip"`, `action="/mine-data/slet"`, "kan ikke fortrydes", `href="/dagbog"`)

		r = a.get("/mine-data/eksport.json")
		want(t, "json", r, 200, "")
		if !attachment.MatchString(r.header.Get("Content-Disposition")) || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
			t.Errorf("json headers %v", r.header)
		}
		var x store.Export
		if err := json.Unmarshal([]byte(r.body), &x); err != nil {
			t.Fatal(err)
		}
		want, err := e.st.ExportUser(t.Context(), e.userID("anna"))
		if err != nil {
			t.Fatal(err)
		}
		wb, _ := json.Marshal(want)
		gb, _ := json.Marshal(x)
		if string(wb) != string(gb) {
			t.Errorf("export differs from the store's:\n%s\n%s", gb, wb)
		}
		if x.User.Login != "anna" || len(x.Diary) != 1 || len(x.TrainingSessions) != 1 || len(x.Walks) != 1 {
			t.Errorf("export %+v", x)
		}
		if strings.Contains(r.body, "argon2") || strings.Contains(r.body, "bodil") && strings.Contains(r.body, `"login": "bodil"`) {
			t.Error("the export holds a secret or another user")
		}

		// The old address of the CSV leads to the ZIP.
		r = a.get("/mine-data/eksport.csv")
		if r.status != 303 || r.location() != "/mine-data/eksport.zip" {
			t.Errorf("csv: %d %v", r.status, r.header)
		}
		// A summer entry (+02:00 beside the winter's +01:00) with a note
		// a CSV file must quote.
		const summerNote = "Gik til \"Netto\"; ondt i læggen\nbagefter"
		if r := a.post("/dagbog", entryForm("2026-07-15T10:15", "2", "1", summerNote)...); r.status != 303 {
			t.Fatalf("summer entry: %d\n%.600s", r.status, r.body)
		}
		r = a.get("/mine-data/eksport.zip")
		if r.status != 200 || !attachment.MatchString(r.header.Get("Content-Disposition")) || r.header.Get("Content-Type") != "application/zip" {
			t.Errorf("zip: %d %v", r.status, r.header)
		}
		_, files := zipCSV(t, r.body)
		ts, wk := x.TrainingSessions[0], x.Walks[0]
		sid, wid := fmt.Sprint(ts.ID), fmt.Sprint(wk.ID)
		id1, id2 := fmt.Sprint(t1.ID), fmt.Sprint(t2.ID)
		for _, tt := range []struct {
			file string
			rows [][]string // after the header
		}{
			{"dagbog.csv", [][]string{
				{fmt.Sprint(x.Diary[0].ID), "2026-03-02 18:05:00 +01:00", "7", "4", "nej", "nej", "nej", `'=HYPERLINK("x")`, localTime(x.Diary[0].CreatedAt), localTime(x.Diary[0].UpdatedAt)},
				nil, // the summer entry, below
			}},
			{"traeninger.csv", [][]string{{sid, "s-1", "5-bedste-oevelser", "5 bedste øvelser til spinalstenose",
				"2026-03-02 09:00:00 +01:00", "2026-03-02 09:20:00 +01:00", "20", "1", localTime(ts.CreatedAt)}}},
			{"traeningsoevelser.csv", [][]string{
				{sid, "1", "knae-til-bryst", "Knæ-til-bryst", "ja", "nej", ""},
				{sid, "2", "kattestraek", "Kattestræk", "nej", "ja", "prikken, smerter"},
			}},
			{"gaature.csv", [][]string{{wid, "w-1", "2026-03-02 11:00:00 +01:00", "2026-03-02 11:30:00 +01:00", "10", "1", "9", localTime(wk.CreatedAt)}}},
			{"gaatursdele.csv", [][]string{{wid, "1", "10", "1", "9"}}},
			{"maal.csv", [][]string{
				{id1, "2026-03-01 10:00:00 +01:00", "10", "din behandler", "", "", "", localTime(t1.CreatedAt)},
				{id2, "2026-03-02 10:00:00 +01:00", "9", "programmets råd, som du tog imod", "TARGET_DOWN", "et trin ned", id1, localTime(t2.CreatedAt)},
			}},
			{"maalgentagelser.csv", [][]string{
				{id1, "'=SUM(A1)", "", "3"},
				{id1, "kattestraek", "Kattestræk", "8"},
				{id2, "kattestraek", "Kattestræk", "7"},
			}},
		} {
			got := files[tt.file]
			if len(got) != len(tt.rows)+1 {
				t.Errorf("%s: %d lines, want a header and %d rows:\n%q", tt.file, len(got), len(tt.rows), got)
				continue
			}
			for i, row := range tt.rows {
				if row != nil && !slices.Equal(got[i+1], row) {
					t.Errorf("%s row %d:\n got %q\nwant %q", tt.file, i+1, got[i+1], row)
				}
			}
		}
		if d := files["dagbog.csv"]; len(d) == 3 {
			if d[2][1] != "2026-07-15 10:15:00 +02:00" || d[2][7] != summerNote {
				t.Errorf("the summer entry reads %q", d[2])
			}
		}
		if strings.Contains(zipText(t, r.body), "bodil") || rowsWith(files["maal.csv"], "17", "dig") != 0 {
			t.Errorf("the zip holds bodil's targets:\n%q", files["maal.csv"])
		}
	})
}

// deletionJudge says how TestDeleteAccount judges one table: how to
// count a user's rows in it, and whether they go with the account.
type deletionJudge struct {
	// ids, when set, finds what to count by from the user's id (a
	// child's parents, recorded before the deletion, so rows a missing
	// cascade leaves behind are still counted); else the user's id.
	ids string
	// count counts the rows of one id ($1).
	count string
	// keep, when set, is why the user's rows outlive the account: the
	// test then proves they are still there.
	keep string
}

// deletionJudges covers every table of the schema. A table missing here
// fails TestDeleteAccount: add it with how to count a user's rows (and
// seed it in the test), or, for rows that must outlive the account, the
// reason.
var deletionJudges = map[string]deletionJudge{
	"users":             {count: `SELECT count(*) FROM users WHERE id = $1`},
	"sessions":          {count: `SELECT count(*) FROM sessions WHERE user_id = $1`},
	"known_devices":     {count: `SELECT count(*) FROM known_devices WHERE user_id = $1`},
	"recovery_codes":    {count: `SELECT count(*) FROM recovery_codes WHERE user_id = $1`},
	"reset_codes":       {count: `SELECT count(*) FROM reset_codes WHERE user_id = $1`},
	"diary_entries":     {count: `SELECT count(*) FROM diary_entries WHERE user_id = $1`},
	"training_sessions": {count: `SELECT count(*) FROM training_sessions WHERE user_id = $1`},
	"training_session_steps": {ids: `SELECT id FROM training_sessions WHERE user_id = $1`,
		count: `SELECT count(*) FROM training_session_steps WHERE session_id = $1`},
	"walks":              {count: `SELECT count(*) FROM walks WHERE user_id = $1`},
	"walk_bouts":         {ids: `SELECT id FROM walks WHERE user_id = $1`, count: `SELECT count(*) FROM walk_bouts WHERE walk_id = $1`},
	"red_flag_checkins":  {count: `SELECT count(*) FROM red_flag_checkins WHERE user_id = $1`},
	"baselines":          {count: `SELECT count(*) FROM baselines WHERE user_id = $1`},
	"targets":            {count: `SELECT count(*) FROM targets WHERE user_id = $1`},
	"psfs_scores":        {count: `SELECT count(*) FROM psfs_scores WHERE user_id = $1`},
	"programme_versions": {count: `SELECT count(*) FROM programme_versions WHERE user_id = $1`},
	"alerts":             {count: `SELECT count(*) FROM alerts WHERE patient_id = $1`},
	"clinic_notes":       {count: `SELECT count(*) FROM clinic_notes WHERE patient_id = $1`},
	"patient_summary":    {count: `SELECT count(*) FROM patient_summary WHERE patient_id = $1`},
	"calendar_feeds":     {count: `SELECT count(*) FROM calendar_feeds WHERE user_id = $1`},
	// The invitation the patient came in with names them (used_by, the
	// name the clinic typed) until they go; the row stays, emptied, in
	// the clinic's list.
	"invitations": {ids: `SELECT id FROM invitations WHERE used_by = $1`,
		count: `SELECT count(*) FROM invitations WHERE id = $1 AND (used_by IS NOT NULL OR name <> '')`},
	"clinics": {ids: `SELECT clinic_id FROM users WHERE id = $1`, count: `SELECT count(*) FROM clinics WHERE id = $1`,
		keep: "the clinic is a tenant, not the patient's data: it stays when a patient goes"},
	"access_log": {count: `SELECT count(*) FROM access_log WHERE patient_id = $1`,
		keep: "who looked at a patient's record is kept for the clinic after the account goes (sundhedsloven §§ 42 a–d; " +
			"store.TestAccessLog), naming the patient by id only"},
	"login_attempts": {count: `SELECT count(*) FROM login_attempts WHERE $1 > 0`,
		keep: "the sign-in limits' rows are keyed by what was typed, not by a user, and pruned within hours"},
}

// schemaTables lists the database's tables, less the migration bookkeeping.
func schemaTables(t *testing.T, db *sql.DB, dialect string) []string {
	t.Helper()
	q := `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version'`
	if dialect == "postgres" {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()
			AND table_type = 'BASE TABLE' AND table_name <> 'goose_db_version'`
	}
	rows, err := db.QueryContext(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	slices.Sort(tables)
	return tables
}

// judgedIDs resolves, for every table of the schema, what uid's rows are
// counted by (deletionJudge.ids), before anything is deleted. A table
// without a judge fails the test, naming it.
func judgedIDs(t *testing.T, db *sql.DB, dialect string, uid int64) map[string][]int64 {
	t.Helper()
	tables := schemaTables(t, db, dialect)
	for _, table := range tables {
		if _, ok := deletionJudges[table]; !ok {
			t.Fatalf("table %q is new to TestDeleteAccount: add it to deletionJudges (internal/web/diary_test.go) with how to count "+
				"a user's rows, which deleting the account must remove, and seed it in the test; or, if its rows must outlive "+
				"the account, with the reason (keep)", table)
		}
	}
	for table := range deletionJudges {
		if !slices.Contains(tables, table) {
			t.Fatalf("deletionJudges judges %q, which the schema does not have", table)
		}
	}
	out := map[string][]int64{}
	for _, table := range tables {
		j := deletionJudges[table]
		if j.ids == "" {
			out[table] = []int64{uid}
			continue
		}
		rows, err := db.QueryContext(t.Context(), j.ids, uid)
		if err != nil {
			t.Fatalf("%s: %v", j.ids, err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			out[table] = append(out[table], id)
		}
		rows.Close()
	}
	return out
}

// judgedRows counts the rows of every table by the ids judgedIDs found.
func judgedRows(t *testing.T, db *sql.DB, ids map[string][]int64) map[string]int {
	t.Helper()
	got := map[string]int{}
	for table, ids := range ids {
		got[table] = 0
		for _, id := range ids {
			var n int
			if err := db.QueryRowContext(t.Context(), deletionJudges[table].count, id).Scan(&n); err != nil {
				t.Fatalf("%s: %v", deletionJudges[table].count, err)
			}
			got[table] += n
		}
	}
	return got
}

// TestDeleteAccount: deleting the account (after typing the login)
// removes every row of the user in every table of the schema — each
// seeded first — but the ones that must outlive it (deletionJudges says
// which, and why), and nothing of another user's; every session ends.
func TestDeleteAccount(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		e := newEnv(t, st, nil)
		ctx := t.Context()
		login := fmt.Sprintf("anna-%d", time.Now().UnixNano())
		a := e.patientSince(login, fixturesSince)
		other := e.signIn(login, goodPW) // a second device
		b := e.patientSince("bodil", fixturesSince)
		uid, bid := e.userID(login), e.userID("bodil")
		// A row in every table: the store's (fillAll: the clinic and the
		// invitation the patient came in with, the access log, notes,
		// programme, targets, …), then through the app in the clinic
		// (which derives the clinic's summary and alerts), and the secrets.
		for _, p := range []struct {
			login string
			id    int64
			c     *client
		}{{login, uid, a}, {"bodil", bid, b}} {
			fillAll(t, e, p.login)
			if err := st.SetUserLang(ctx, p.id, "da"); err != nil { // fillAll chose English
				t.Fatal(err)
			}
			if _, err := st.AddRedFlagCheckin(ctx, store.RedFlagCheckin{UserID: p.id, At: e.clock.now(), Answers: map[string]bool{flag.Key: true}, Urgent: true}); err != nil {
				t.Fatal(err)
			}
			want(t, "entry", p.c.post("/dagbog", entryForm("2026-03-02T18:05", "7", "4", "n")...), 303, "/dagbog?gemt=ny")
			want(t, "session", p.c.doJSON("/api/traening", fmt.Sprintf(sessionJSON, "s-1")), 201, "")
			want(t, "walk", p.c.doJSON("/api/gang", `{"clientId":"w-1","startedAt":"2026-03-02T10:00:00Z","endedAt":"2026-03-02T10:30:00Z","bouts":[{"walkSeconds":600,"pauseSeconds":60,"firstSymptomsSeconds":540}]}`), 201, "")
			want(t, "calendar", p.c.post(calendarPath, "dag", "1", "dag", "4", "tid", "600"), 303, calendarPath)
			if err := st.EnableTOTP(ctx, p.id, "JBSWY3DPEHPK3PXPJBSWY3DP", e.clock.now(), 1, [][32]byte{sha256.Sum256([]byte(p.login + "-recovery"))}); err != nil {
				t.Fatal(err)
			}
			if _, err := st.CreateResetCode(ctx, store.ResetCode{UserID: p.id, CreatedAt: e.clock.now(), ExpiresAt: e.clock.now().Add(time.Hour)},
				sha256.Sum256([]byte(p.login+"-reset"))); err != nil {
				t.Fatal(err)
			}
		}
		want(t, "a wrong password", e.client().post("/konto/log-ind", "login", login, "password", "forkert kode"), 401, "")
		db := rawDB(t, st, login)
		ids, bIDs := judgedIDs(t, db, st.Dialect(), uid), judgedIDs(t, db, st.Dialect(), bid)
		before, bBefore := judgedRows(t, db, ids), judgedRows(t, db, bIDs)
		for table, n := range before {
			if n == 0 {
				t.Errorf("before: no rows of anna's in %s: the test would prove nothing for it", table)
			}
		}

		// Confirmation: the login must be typed.
		r := a.post("/mine-data/slet", "confirm", "")
		want(t, "no confirmation", r, 422, "")
		contains(t, "no confirmation", r.body, `id="confirm-error"`, "Skriv dit brugernavn")
		r = a.post("/mine-data/slet", "confirm", "bodil")
		want(t, "wrong login", r, 422, "")
		contains(t, "wrong login", r.body, "Det er ikke dit brugernavn", `value="bodil"`)
		if _, err := st.UserByID(ctx, uid); err != nil {
			t.Fatal("the account went without confirmation")
		}

		old := a.cookie()
		r = a.post("/mine-data/slet", "confirm", " "+strings.ToUpper(login)+" ")
		want(t, "delete", r, 200, "")
		contains(t, "goodbye", r.body, "<h1>Farvel</h1>", "alle dine data er slettet", ">Log ind<")
		after := judgedRows(t, db, ids)
		for table, j := range deletionJudges {
			switch {
			case j.keep != "" && after[table] != before[table]:
				t.Errorf("%s: %d rows after the deletion, had %d; they must stay: %s", table, after[table], before[table], j.keep)
			case j.keep == "" && after[table] != 0:
				t.Errorf("%s: %d rows of the deleted user left", table, after[table])
			}
		}
		if diff := cmp.Diff(bBefore, judgedRows(t, db, bIDs)); diff != "" {
			t.Errorf("bodil's rows changed (-before +after):\n%s", diff)
		}
		want(t, "after delete", a.get("/dagbog"), 303, "/konto/log-ind?naeste=%2Fdagbog")
		replay := e.client()
		replay.jar.SetCookies(mustURL(e.srv.URL), []*http.Cookie{old})
		want(t, "replayed cookie", replay.get("/mine-data"), 303, "/konto/log-ind?naeste=%2Fmine-data")
		want(t, "other device", other.get("/konto"), 303, "/konto/log-ind")
		want(t, "sign in", e.client().post("/konto/log-ind", "login", login, "password", goodPW), 401, "")
		want(t, "bo still there", b.get("/dagbog"), 200, "")
	})
}

// rawDB is a second connection to st's database, to count rows behind the
// store's back. On PostgreSQL it finds the test's schema by a login that
// only this test uses.
func rawDB(t *testing.T, st *store.Store, login string) *sql.DB {
	t.Helper()
	if st.Dialect() == "sqlite" {
		db, err := sql.Open("sqlite", "file:"+st.Path()+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	admin := pgtest.Admin(t)
	rows, err := admin.QueryContext(t.Context(), `SELECT table_schema FROM information_schema.tables WHERE table_name = 'users' AND table_schema LIKE '`+pgtest.SchemaPrefix+`%'`)
	if err != nil {
		t.Fatal(err)
	}
	var schemas []string
	for rows.Next() {
		var s string
		_ = rows.Scan(&s)
		schemas = append(schemas, s)
	}
	rows.Close()
	for _, s := range schemas {
		var n int
		if err := admin.QueryRowContext(t.Context(), `SELECT count(*) FROM `+s+`.users WHERE login = $1`, login).Scan(&n); err != nil || n != 1 {
			continue
		}
		db, err := sql.Open("pgx", pgtest.InSchema(t, s))
		if err != nil {
			t.Fatal(err)
		}
		db.SetMaxOpenConns(2)
		t.Cleanup(func() { db.Close() })
		return db
	}
	t.Fatalf("no schema holds the user %s", login)
	return nil
}
