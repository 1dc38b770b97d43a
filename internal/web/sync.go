package web

// Sessions from the player and walks from walk mode are recorded in the
// browser (localStorage) and sent here when the browser is online, perhaps
// more than once: each record carries a clientId the browser made, and
// the store keeps the first copy of each, so a record is saved exactly
// once. The answer is 201 {"id", "created": true} the first time and 200
// with the same id and "created": false for a resend; a record that cannot
// be saved is 400 {"field", "error"} with a Danish message. The browser
// marks a record as sent only after a 2xx.
//
// A session's step may name which symptoms came (symptomKinds: tingling,
// burning, weakness, pain); a record without it (from a player before it
// asked) is saved as before, and a kind this server does not know is left
// out, so a newer player's record is never refused for it.

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/stenose/stenose/internal/store"
)

func init() { routeParts = append(routeParts, (*app).syncRoutes) }

func (a *app) syncRoutes() []route {
	return []route{
		{pattern: "POST /api/traening", access: Patient, handler: ownedSync(a.syncSession)}, // owner.go
		{pattern: "POST /api/gang", access: Patient, handler: ownedSync(a.syncWalk)},
	}
}

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
	ClientID  string       `json:"clientId"`
	StartedAt time.Time    `json:"startedAt"`
	EndedAt   time.Time    `json:"endedAt"`
	Bouts     []store.Bout `json:"bouts"`
}

// syncError is a 400 answer's body.
type syncError struct {
	Field string `json:"field,omitempty"`
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
		syncJSON(w, http.StatusUnsupportedMediaType, syncError{Error: tr(reqLang(r), "syncNotJSON")})
		return false
	}
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			syncJSON(w, http.StatusRequestEntityTooLarge, syncError{Error: tr(reqLang(r), "syncTooLarge")})
			return false
		}
		syncJSON(w, http.StatusBadRequest, syncError{Error: tr(reqLang(r), "syncBadJSON")})
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
		syncJSON(w, http.StatusBadRequest, syncError{Field: se.Field, Error: tr(reqLang(r), key)})
	default:
		a.serverError(w, r, err)
	}
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
	id, created, err := a.st.AddTrainingSession(r.Context(), t)
	a.syncSaved(w, r, id, created, err)
}

func (a *app) syncWalk(w http.ResponseWriter, r *http.Request) {
	var in syncWalkIn
	if !syncRead(w, r, &in) {
		return
	}
	wk := store.Walk{
		UserID: userFrom(r.Context()).ID, ClientID: strings.TrimSpace(in.ClientID),
		StartedAt: in.StartedAt, EndedAt: in.EndedAt, Bouts: in.Bouts,
	}
	id, created, err := a.st.AddWalk(r.Context(), wk)
	a.syncSaved(w, r, id, created, err)
}
