package web

// Tests of the one validation of records (internal/care/check.go): the sync APIs
// and the diary forms refuse what the rules' checkers refuse, in the
// patient's language, and store nothing; the history leaves out a stored
// record the rules refuse.

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"

	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/store"
)

// patientSince makes a patient whose account was created at since (through
// the store, which takes a creation time: sign-up takes the store's clock)
// and signs them in. The fixed dates of older tests lie after it.
func (e *env) patientSince(login string, since time.Time) *client {
	e.t.Helper()
	hash, err := argon2id.CreateHash(goodPW, cheap)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.st.CreateUser(e.t.Context(), store.User{Login: login, Name: "Navn " + login, PasswordHash: hash,
		Role: store.RolePatient, CreatedAt: since}); err != nil {
		e.t.Fatal(err)
	}
	return e.signIn(login, goodPW)
}

// fixturesSince is the account day of the tests whose records carry fixed
// dates in March 2026.
var fixturesSince = time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)

// syncAnswer is a 422's body as the tests read it.
type syncAnswer struct {
	Field    string `json:"field"`
	Error    string `json:"error"`
	Problems []struct {
		Path, Code, Error string
	} `json:"problems"`
}

// TestSyncRefusesBadRecords: every value the rules refuse is answered 422
// with its path in the record and the rules' message in the patient's
// language, and nothing is stored; a good record is still stored exactly
// once, unknown fields and all.
func TestSyncRefusesBadRecords(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		e := newEnv(t, open(t), nil)
		now := e.clock.now()
		since := now.AddDate(0, 0, -30) // far from midnight's edge
		da := e.patientSince("anna", since)
		en := e.patientSince("bent", since)
		want(t, "english", en.post(switchPath, "lang", "en"), 303, "/konto")
		ts := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
		start, end := now.Add(-time.Hour), now.Add(-time.Hour+15*time.Minute) // a 15-minute walk
		walk := func(startedAt, endedAt, bouts string) string {
			return `{"clientId":"%s","startedAt":"` + startedAt + `","endedAt":"` + endedAt + `","bouts":` + bouts + `}`
		}
		session := func(startedAt, endedAt, programme, exercise string) string {
			return `{"clientId":"%s","programme":"` + programme + `","startedAt":"` + startedAt + `","endedAt":"` + endedAt + `",
"steps":[{"exercise":"knae-til-bryst","status":"done","symptoms":false},{"exercise":"` + exercise + `","status":"skipped","symptoms":true}],"symptoms":1}`
		}
		good := func(startedAt, endedAt string) string {
			return session(startedAt, endedAt, care.DefaultProgramme, "kattestraek")
		}
		goodBout := `[{"walkSeconds":600,"pauseSeconds":60,"firstSymptomsSeconds":540}]`
		steps101 := `{"clientId":"%s","programme":"` + care.DefaultProgramme + `","startedAt":"` + ts(start) + `","endedAt":"` + ts(end) + `","steps":[` +
			strings.TrimSuffix(strings.Repeat(`{"exercise":"kattestraek","status":"done"},`, 101), ",") + `],"symptoms":0}`
		tests := []struct {
			name, path, body string
			field            string // the first problem's path
			da, en           string // in its message
		}{
			{"a bout of 2^63-1 seconds", "/api/gang", walk(ts(start), ts(end), `[{"walkSeconds":9223372036854775807,"pauseSeconds":0}]`),
				"bouts[0].walkSeconds", "9223372036854775807 er uden for 1–14400", "9223372036854775807 is out of range 1–14400"},
			{"a 10-year bout in a 15-minute walk", "/api/gang", walk(ts(start), ts(end), `[{"walkSeconds":315360000,"pauseSeconds":0}]`),
				"bouts[0].walkSeconds", "315360000 er uden for 1–14400", "315360000 is out of range 1–14400"},
			{"3 hours of bouts in a 15-minute walk", "/api/gang", walk(ts(start), ts(end), `[{"walkSeconds":5400,"pauseSeconds":60},{"walkSeconds":5400,"pauseSeconds":0}]`),
				"bouts", "kan ikke være på gåturens 900 sekunder", "do not fit in the walk's 900 seconds"},
			{"a pause of 2^63-1 seconds", "/api/gang", walk(ts(start), ts(end), `[{"walkSeconds":60,"pauseSeconds":9223372036854775807}]`),
				"bouts[0].pauseSeconds", "uden for 0–14400", "out of range 0–14400"},
			{"first symptoms after the bout", "/api/gang", walk(ts(start), ts(end), `[{"walkSeconds":60,"pauseSeconds":0,"firstSymptomsSeconds":61}]`),
				"bouts[0].firstSymptomsSeconds", "61 er uden for 0–gangtiden (60)", "61 is out of range 0–walkSeconds (60)"},
			{"a negative bout", "/api/gang", walk(ts(start), ts(end), `[{"walkSeconds":-1,"pauseSeconds":0}]`),
				"bouts[0].walkSeconds", "-1 er uden for 1–14400", "-1 is out of range 1–14400"},
			{"a walk without bouts", "/api/gang", walk(ts(start), ts(end), `[]`),
				"bouts", "mindst ét stykke gang", "at least one bout"},
			{"a walk in 2090", "/api/gang", walk("2090-06-01T10:00:00Z", "2090-06-01T10:15:00Z", goodBout),
				"startedAt", "01-06-2090 10:00 er efter nu", "2090-06-01T10:00:00Z is after now"},
			{"a walk over 24 hours", "/api/gang", walk(ts(now.Add(-30*time.Hour)), ts(end), goodBout),
				"endedAt", "mere end 24 timer efter starttidspunktet", "more than 24 hours after startedAt"},
			{"a walk 35 days before the account", "/api/gang", walk(ts(since.AddDate(0, 0, -35)), ts(since.AddDate(0, 0, -35).Add(15*time.Minute)), goodBout),
				"startedAt", "er før forløbet begyndte", "is before the records begin"},
			{"a session from year 1 to 9999", "/api/traening", session("0001-01-01T10:00:00Z", "9999-12-31T23:59:59Z", care.DefaultProgramme, "kattestraek"),
				"startedAt", "01-01-0001 er før år 2000", "0001-01-01T10:00:00Z is before the year 2000"},
			{"a session in 2090", "/api/traening", good("2090-01-01T10:00:00Z", "2090-01-01T10:20:00Z"),
				"startedAt", "er efter nu", "is after now"},
			{"a session ending before it starts", "/api/traening", good(ts(end), ts(start)),
				"endedAt", "er før starttidspunktet", "is before startedAt"},
			{"a session without startedAt", "/api/traening", good("", ts(end)),
				"startedAt", "mangler", "missing"},
			{"an unknown programme", "/api/traening", session(ts(start), ts(end), "spinalstenose-let", "kattestraek"),
				"programme", `"spinalstenose-let" er ikke et program, vi kender`, `"spinalstenose-let" is not a known programme`},
			{"an unknown exercise", "/api/traening", session(ts(start), ts(end), care.DefaultProgramme, "bro"),
				"steps[1].exercise", `"bro" er ikke en øvelse, vi kender`, `"bro" is not a known exercise`},
			{"101 steps", "/api/traening", steps101, "steps", "101 er uden for 0–100", "101 is out of range 0–100"},
		}
		for i, tt := range tests {
			for _, c := range []struct {
				lang, text string
				cl         *client
			}{{"da", tt.da, da}, {"en", tt.en, en}} {
				body := tt.body
				if strings.Contains(body, `"startedAt":""`) { // absent, as an older record may send it
					body = strings.Replace(body, `"startedAt":"",`, "", 1)
				}
				r := c.cl.doJSON(tt.path, fmt.Sprintf(body, fmt.Sprintf("bad-%d", i)))
				want(t, tt.name+" ("+c.lang+")", r, 422, "")
				var got syncAnswer
				if err := json.Unmarshal([]byte(r.body), &got); err != nil {
					t.Fatalf("%s: %v\n%s", tt.name, err, r.body)
				}
				if got.Field != tt.field || !strings.Contains(got.Error, c.text) || len(got.Problems) == 0 ||
					got.Problems[0].Path != tt.field || got.Problems[0].Error != got.Error || got.Problems[0].Code == "" {
					t.Errorf("%s (%s): got %s\nwant field %q with %q", tt.name, c.lang, r.body, tt.field, c.text)
				}
			}
		}
		// Several problems: each is named, the first in "field".
		r := da.doJSON("/api/traening", fmt.Sprintf(session("0001-01-01T10:00:00Z", "9999-12-31T23:59:59Z", "x", "y"), "many"))
		want(t, "many problems", r, 422, "")
		var many syncAnswer
		_ = json.Unmarshal([]byte(r.body), &many)
		var paths []string
		for _, p := range many.Problems {
			paths = append(paths, p.Path+" "+p.Code)
		}
		if got := strings.Join(paths, ", "); got != "startedAt out_of_range, endedAt after_now, endedAt span, programme unknown, steps[1].exercise unknown" {
			t.Errorf("problems: %s", got)
		}

		for _, login := range []string{"anna", "bent"} {
			if ts, _ := e.st.ListTrainingSessions(t.Context(), e.userID(login), time.Time{}, time.Time{}); len(ts) != 0 {
				t.Errorf("%s: refused sessions were stored: %+v", login, ts)
			}
			if ws, _ := e.st.ListWalks(t.Context(), e.userID(login), time.Time{}, time.Time{}); len(ws) != 0 {
				t.Errorf("%s: refused walks were stored: %+v", login, ws)
			}
		}

		// Beyond int64 a number is not the record's JSON: 400, as before.
		r = da.doJSON("/api/gang", fmt.Sprintf(walk(ts(start), ts(end), `[{"walkSeconds":9223372036854775808,"pauseSeconds":0}]`), "huge"))
		want(t, "beyond int64", r, 400, "")

		// Good records, with fields this server does not read (walk mode's
		// totals, a newer player's): stored, exactly once.
		gw := strings.TrimSuffix(walk(ts(start), ts(end), `[{"walkSeconds":600,"pauseSeconds":60,"firstSymptomsSeconds":540},{"walkSeconds":240,"pauseSeconds":30}]`), "}") +
			`,"walkSeconds":840,"pauseSeconds":90,"firstSymptomsSeconds":540,"test":"spwt","mood":"glad"}`
		gs := strings.Replace(good(ts(start), ts(start.Add(20*time.Minute))), `"symptoms":1}`, `"symptoms":1,"device":"telefon"}`, 1)
		for _, send := range []int{201, 200} {
			want(t, "good walk", da.doJSON("/api/gang", fmt.Sprintf(gw, "good-walk")), send, "")
			want(t, "good session", da.doJSON("/api/traening", fmt.Sprintf(gs, "good-session")), send, "")
		}
		ws, err := e.st.ListWalks(t.Context(), e.userID("anna"), time.Time{}, time.Time{})
		if err != nil || len(ws) != 1 || ws[0].WalkSeconds() != 840 || ws[0].PauseSeconds() != 90 || *ws[0].FirstSymptomsSeconds() != 540 ||
			ws[0].Bouts[1].FirstSymptomsSeconds != nil {
			t.Errorf("walks %+v %v", ws, err)
		}
		ss, err := e.st.ListTrainingSessions(t.Context(), e.userID("anna"), time.Time{}, time.Time{})
		if err != nil || len(ss) != 1 || ss[0].Programme != care.DefaultProgramme || len(ss[0].Steps) != 2 || ss[0].Steps[1].Exercise != "kattestraek" {
			t.Errorf("sessions %+v %v", ss, err)
		}

		// A session tried in the player 3 days before signing up, which the
		// browser hands to the new account (sync.js): the patient's own.
		tried := since.AddDate(0, 0, -3)
		want(t, "a session before sign-up", en.doJSON("/api/traening", fmt.Sprintf(good(ts(tried), ts(tried.Add(20*time.Minute))), "tried")), 201, "")
		if ss, _ := e.st.ListTrainingSessions(t.Context(), e.userID("bent"), time.Time{}, time.Time{}); len(ss) != 1 {
			t.Errorf("the session from before sign-up: %+v", ss)
		}
	})
}

// TestDiaryRefusesDates: the diary forms (new and edit) refuse a day the
// rules refuse, with the rules' words beside the field and everything
// typed kept; nothing is stored.
func TestDiaryRefusesDates(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		e := newEnv(t, open(t), nil)
		now := e.clock.now().In(care.Zone)
		since := now.AddDate(0, 0, -30)
		a := e.patientSince("anna", since)
		ahead := now.AddDate(1, 0, 0)
		// The rules' checks, in the form's words (diaryProblem): dates the
		// Danish way, no code points.
		before := "Din dagbog kan gå tilbage til den " + longDate(i18n.Da, since.AddDate(0, 0, -care.PreSignupDays)) + ". Skriv en dato fra den dag eller senere."
		future := "Det tidspunkt er ikke kommet endnu. Skriv et tidspunkt, der ikke er senere end nu: " + diaryWhenIn(i18n.Da, e.clock.now()) + "."
		note := "Gik <b>langt</b> – 20 min"
		tests := []struct{ name, at, msg string }{
			{"year 1", "0001-01-01T10:00", before},
			{"year 9999", "9999-12-31T10:00", future},
			{"a year ahead", ahead.Format(diaryDTLayout), future},
			{"35 days before the account", since.AddDate(0, 0, -35).Format(diaryDTLayout), before},
		}
		for _, tt := range tests {
			r := a.post("/dagbog", entryForm(tt.at, "3", "2", note, "burning")...)
			want(t, tt.name, r, 422, "")
			contains(t, tt.name, r.body, `id="at-error"`, tt.msg, `href="#at"`, `value="`+tt.at+`"`, `value="3"`, `value="2"`,
				"Gik &lt;b&gt;langt&lt;/b&gt; – 20 min", `name="burning" type="checkbox" value="1" checked`)
		}
		// A control character in the note: refused beside it, in words.
		r := a.post("/dagbog", entryForm(now.Format(diaryDTLayout), "3", "2", "før\x07efter")...)
		want(t, "control character", r, 422, "")
		contains(t, "control character", r.body, `id="note-error"`, "Noten indeholder tegn, der ikke kan gemmes. Skriv den igen.")
		if ids := e.entryIDs("anna"); len(ids) != 0 {
			t.Fatalf("refused entries were stored: %v", ids)
		}

		// The edit form refuses the same, in English for an English patient.
		want(t, "create", a.post("/dagbog", entryForm(now.Add(-time.Hour).Format(diaryDTLayout), "3", "2", "ok")...), 303, "/dagbog?gemt=ny")
		id := e.entryIDs("anna")[0]
		want(t, "english", a.post(switchPath, "lang", "en"), 303, "/konto")
		r = a.post(fmt.Sprintf("/dagbog/%d", id), entryForm("9999-12-31T10:00", "4", "1", note)...)
		want(t, "edit to 9999", r, 422, "")
		contains(t, "edit to 9999", r.body, `id="at-error"`, "That time has not come yet. Enter a time no later than now: "+diaryWhenIn(i18n.En, e.clock.now())+".", "Gik &lt;b&gt;langt&lt;/b&gt; – 20 min")
		got, err := e.st.DiaryEntry(t.Context(), id, e.userID("anna"))
		if err != nil || got.Note != "ok" || got.LegPain != 3 || got.BackPain != 2 {
			t.Errorf("the refused edit changed the entry: %+v %v", got, err)
		}
	})
}
