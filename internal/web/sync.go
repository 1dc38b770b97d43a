package web

// Sessions from the player and walks from walk mode are recorded in the
// browser (localStorage) and sent here when the browser is online, perhaps
// more than once: each record carries a clientId the browser made, and
// the store keeps the first copy of each, so a record is saved exactly
// once. The answer is 201 {"id", "created": true} the first time and 200
// with the same id and "created": false for a resend. A record the rules'
// checkers refuse (rules.CheckSession, rules.CheckWalk: dated after now or
// before the account, a bout of 2^63-1 seconds or one that does not fit
// between startedAt and endedAt, a span over 24 hours, an unknown
// programme or exercise, …) is 422 {"field", "error", "problems": [{"path",
// "code", "error"}]}: field is the first problem's JSON path in the record
// ("bouts[0].walkSeconds", "startedAt"), error its message, and problems
// every refused one, in the patient's language; nothing is stored. A
// record the store cannot hold at all (no clientId, no endedAt, a body
// that is not the record's JSON) is 400 {"field", "error"}. The browser
// marks a record as sent only after a 2xx, and as rejected (kept, not sent
// again) after a 400 or 422.
//
// Fields the server does not know are accepted and ignored, not refused:
// an older or newer player or walk mode may send more than this server
// reads (walk mode sends its totals, which are computed again here), and
// refusing those would lose a patient's session for a field nobody needs.
//
// A session's step may name which symptoms came (symptomKinds: tingling,
// burning, weakness, pain); a record without it (from a player before it
// asked) is saved as before, and a kind this server does not know is left
// out, so a newer player's record is never refused for it.

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

// maxSyncBody is the largest record the browser may send.
const maxSyncBody = 64 << 10

// syncSessionIn is a finished session as player.js keeps it.
type syncSessionIn struct {
	ClientID  string    `json:"clientId"`
	Programme string    `json:"programme"`
	StartedAt time.Time `json:"startedAt"`
	EndedAt   time.Time `json:"endedAt"`
	Symptoms  int       `json:"symptoms"`
	Steps     []struct {
		Exercise string `json:"exercise"`
		Status   string `json:"status"` // "done" or "skipped"
		Done     *bool  `json:"done"`   // or this
		Symptoms bool   `json:"symptoms"`
		// Which symptoms were named (player.js); absent in older records.
		SymptomKinds []string `json:"symptomKinds"`
	} `json:"steps"`
}

// syncWalkIn is a finished walk as walk.js keeps it (its totals are computed
// again from the bouts, so they are not read).
type syncWalkIn struct {
	ClientID  string     `json:"clientId"`
	StartedAt time.Time  `json:"startedAt"`
	EndedAt   time.Time  `json:"endedAt"`
	Bouts     []syncBout `json:"bouts"`
}

// syncBout is one bout as sent. Its seconds are read as int64 whatever the
// size of int, so a huge number is checked (and refused) as it was sent,
// never wrapped on the way; a number beyond int64 does not decode (400).
type syncBout struct {
	WalkSeconds          int64  `json:"walkSeconds"`
	PauseSeconds         int64  `json:"pauseSeconds"`
	FirstSymptomsSeconds *int64 `json:"firstSymptomsSeconds"`
}

// syncError is a 400 or 422 answer's body.
type syncError struct {
	Field string `json:"field,omitempty"`
	Error string `json:"error"`
	// Problems are every problem the rules refuse the record for (422).
	Problems []syncProblem `json:"problems,omitempty"`
}

// syncProblem is one of them: the JSON path in the record, the rules'
// code (rules.Problem*) and the message in the patient's language.
type syncProblem struct {
	Path  string `json:"path"`
	Code  string `json:"code"`
	Error string `json:"error"`
}

func syncJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// syncRead decodes the body (at most maxSyncBody bytes) into v, or answers
// 400 or 413 and returns false.
func syncRead(w http.ResponseWriter, r *http.Request, v any) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxSyncBody)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		syncJSON(w, http.StatusUnsupportedMediaType, syncError{Error: reqLang(r).T("syncNotJSON")})
		return false
	}
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			syncJSON(w, http.StatusRequestEntityTooLarge, syncError{Error: reqLang(r).T("syncTooLarge")})
			return false
		}
		syncJSON(w, http.StatusBadRequest, syncError{Error: reqLang(r).T("syncBadJSON")})
		return false
	}
	return true
}

// syncFieldMessages are the catalogue keys of the messages for the store's
// invalid fields.
var syncFieldMessages = map[string]string{
	"client_id":  "syncClientID",
	"programme":  "syncProgramme",
	"started_at": "syncStartedAt",
	"ended_at":   "syncEndedAt",
	"symptoms":   "syncSymptoms",
	"steps":      "syncSteps",
	"exercise":   "syncExercise",
	"bouts":      "syncBouts",
}

// saved answers a store write: 201/200 with the id, 400 for what the store
// refused, 500 otherwise.
func (a *app) syncSaved(w http.ResponseWriter, r *http.Request, id int64, created bool, err error) {
	var se *store.Error
	switch {
	case err == nil:
		status := http.StatusOK
		if created {
			status = http.StatusCreated
		}
		syncJSON(w, status, map[string]any{"id": id, "created": created})
	case errors.As(err, &se) && se.Code == store.EINVALID:
		key, ok := syncFieldMessages[se.Field]
		if !ok {
			key = "syncUnsaveable"
		}
		syncJSON(w, http.StatusBadRequest, syncError{Field: se.Field, Error: reqLang(r).T(key)})
	default:
		a.fail(w, r, err)
	}
}

// syncRefused answers 422 with the problems of ps that refuse the record,
// each at its path in the record (path maps the rules' path to it); it
// returns false when there is none.
func syncRefused(w http.ResponseWriter, r *http.Request, ps []*rules.Problem, path func(string) string) bool {
	lang := string(reqLang(r))
	var out syncError
	seen := map[string]bool{}
	// The record's day is its startedAt's (Copenhagen): a problem with the
	// day is named at startedAt, after any problem of startedAt itself.
	for _, pass := range []bool{false, true} {
		for _, p := range rules.Refused(ps) {
			if (p.Path == "date") != pass {
				continue
			}
			q := path(strings.TrimPrefix(p.Path, ".")) // the rules write a list in a record as ".bouts[0]" when the record's path is ""
			if pass && seen[q] {
				continue
			}
			seen[q] = true
			out.Problems = append(out.Problems, syncProblem{Path: q, Code: p.Code, Error: p.Text(i18n.Lang(lang))})
		}
	}
	if len(out.Problems) == 0 {
		return false
	}
	out.Field, out.Error = out.Problems[0].Path, out.Problems[0].Error
	syncJSON(w, http.StatusUnprocessableEntity, out)
	return true
}

// recordDay is the rules' day of a record that started at t: its day in
// Copenhagen, or no day (the rules say "missing") without a time.
func recordDay(t time.Time) rules.Day {
	if t.IsZero() {
		return rules.Day{}
	}
	return care.DayIn(t)
}

// checkSession is the rules' check of a session as sent: its day is
// startedAt's in Copenhagen, its steps counted as the history counts them
// (care.buildHistory), each exercise with the posture the content gives it. An
// exercise the content does not know is refused here, in the rules' words
// for an unknown name: the player only sends the programme's own
// exercises, and without a posture AVOID_EXTENSION could not see it.
func (a *app) checkSession(u *store.User, t store.TrainingSession) []*rules.Problem {
	c := a.care.Check(a.now())
	s := rules.Session{Date: recordDay(t.StartedAt), StartedAt: t.StartedAt, EndedAt: t.EndedAt,
		Programme: t.Programme, Symptoms: care.SessionSymptoms(t)}
	var unknown []*rules.Problem
	var steps []int // steps[k]: the step of s.Exercises[k]
	lib := a.site.Library()
	for j, st := range t.Steps {
		if st.Done {
			s.CompletedSteps++
		} else {
			s.SkippedSteps++
		}
		x := rules.SessionExercise{Slug: st.Exercise}
		if e := lib.Exercise(st.Exercise); e != nil {
			x.Posture = string(e.Posture)
		} else {
			unknown = append(unknown, rules.UnknownName(fmt.Sprintf("exercises[%d].slug", j), "exercise", st.Exercise))
			continue
		}
		s.Exercises = append(s.Exercises, x)
		steps = append(steps, j)
	}
	ps := rules.CheckSession(s, "", c, care.RecordsFrom(u))
	for _, p := range ps { // ".exercises[k].slug" is step steps[k]'s
		for k, j := range steps {
			if rest, ok := strings.CutPrefix(p.Path, fmt.Sprintf(".exercises[%d].", k)); ok {
				p.Path = fmt.Sprintf("exercises[%d].%s", j, rest)
				break
			}
		}
	}
	return append(ps, unknown...)
}

// sessionProblemPath is where a problem the rules name in a rules.Session
// lies in the record the player sent.
func sessionProblemPath(p string) string {
	switch {
	case p == "date":
		return "startedAt"
	case p == "completedSteps", p == "skippedSteps", p == "exercises", strings.HasPrefix(p, "symptoms"):
		return "steps"
	case strings.HasPrefix(p, "exercises["):
		if i := strings.IndexByte(p, ']'); i > 0 {
			return "steps" + p[len("exercises"):i+1] + ".exercise"
		}
	}
	return p
}

// walkProblemPath is the same for walks: only the day is not in the record.
func walkProblemPath(p string) string {
	if p == "date" {
		return "startedAt"
	}
	return p
}

func (a *app) syncSession(w http.ResponseWriter, r *http.Request) {
	var in syncSessionIn
	if !syncRead(w, r, &in) {
		return
	}
	t := store.TrainingSession{
		UserID: userFrom(r.Context()).ID, ClientID: strings.TrimSpace(in.ClientID), Programme: in.Programme,
		StartedAt: in.StartedAt, EndedAt: in.EndedAt, Symptoms: in.Symptoms,
	}
	for _, s := range in.Steps {
		done := s.Status == "done"
		if s.Done != nil {
			done = *s.Done
		}
		var kinds []string
		for _, k := range s.SymptomKinds {
			if slices.Contains(store.SymptomKinds, k) && !slices.Contains(kinds, k) {
				kinds = append(kinds, k)
			}
		}
		t.Steps = append(t.Steps, store.SessionStep{Exercise: s.Exercise, Done: done, Symptoms: s.Symptoms || len(kinds) > 0, SymptomKinds: kinds})
	}
	if syncRefused(w, r, a.checkSession(userFrom(r.Context()), t), sessionProblemPath) {
		return
	}
	id, created, err := a.st.AddTrainingSession(r.Context(), t)
	a.syncSaved(w, r, id, created, err)
}

// clampInt is v as an int, kept out of range rather than wrapped where int
// is smaller than int64 (the rules refuse it either way).
func clampInt(v int64) int {
	return int(min(max(v, math.MinInt), math.MaxInt))
}

func (a *app) syncWalk(w http.ResponseWriter, r *http.Request) {
	var in syncWalkIn
	if !syncRead(w, r, &in) {
		return
	}
	u := userFrom(r.Context())
	rw := rules.Walk{Date: recordDay(in.StartedAt), StartedAt: in.StartedAt, EndedAt: in.EndedAt, Bouts: make([]rules.Bout, 0, len(in.Bouts))}
	for _, b := range in.Bouts {
		rb := rules.Bout{WalkSeconds: clampInt(b.WalkSeconds), PauseSeconds: clampInt(b.PauseSeconds)}
		if b.FirstSymptomsSeconds != nil {
			rb.FirstSymptomsSeconds = clampInt(*b.FirstSymptomsSeconds)
		}
		rw.Bouts = append(rw.Bouts, rb)
	}
	if syncRefused(w, r, rules.CheckWalk(rw, "", a.care.Check(a.now()), care.RecordsFrom(u)), walkProblemPath) {
		return
	}
	// Checked: every number is within a bout's hours, so it fits an int.
	wk := store.Walk{
		UserID: u.ID, ClientID: strings.TrimSpace(in.ClientID),
		StartedAt: in.StartedAt, EndedAt: in.EndedAt, Bouts: make([]store.Bout, 0, len(in.Bouts)),
	}
	for i, b := range in.Bouts {
		sb := store.Bout{WalkSeconds: rw.Bouts[i].WalkSeconds, PauseSeconds: rw.Bouts[i].PauseSeconds}
		if b.FirstSymptomsSeconds != nil {
			f := rw.Bouts[i].FirstSymptomsSeconds
			sb.FirstSymptomsSeconds = &f
		}
		wk.Bouts = append(wk.Bouts, sb)
	}
	id, created, err := a.st.AddWalk(r.Context(), wk)
	a.syncSaved(w, r, id, created, err)
}
