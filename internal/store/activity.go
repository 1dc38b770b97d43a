package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"
)

// Training sessions and walks are recorded in the browser, kept there while
// offline and sent when the network is back, perhaps more than once. Each
// carries an id the browser made (ClientID, e.g. crypto.randomUUID()); the
// store keeps the first copy of each (user, ClientID) and ignores repeats,
// so a record is saved exactly once however often it is sent.

const maxChildren = 1000 // steps of a session, bouts of a walk

// TrainingSession is one guided session of a programme, as the player
// recorded it.
type TrainingSession struct {
	ID        int64         `json:"id"`
	UserID    int64         `json:"-"`
	ClientID  string        `json:"clientId"`
	Programme string        `json:"programme"`
	StartedAt time.Time     `json:"startedAt"`
	EndedAt   time.Time     `json:"endedAt"`
	Symptoms  int           `json:"symptoms"` // times the symptoms button was pressed
	Steps     []SessionStep `json:"steps"`
	CreatedAt time.Time     `json:"createdAt"` // when the server saved it
}

// SessionStep is one exercise of a session: done or skipped, whether
// symptoms were reported during it and, when the patient named them, which
// (SymptomKinds, in the order of the list SymptomKinds; nil when none were
// named, as in every record from before the player asked).
type SessionStep struct {
	Exercise     string   `json:"exercise"`
	Done         bool     `json:"done"`
	Symptoms     bool     `json:"symptoms"`
	SymptomKinds []string `json:"symptomKinds,omitempty"`
}

// SymptomKinds are the symptoms the player asks about, in their stored
// order: the three of the article's stop rule (docs/sources.md A3: tingling,
// burning, weakness in the legs) and pain.
var SymptomKinds = []string{"tingling", "burning", "weakness", "pain"}

// SymptomKinds returns the kinds named in any step of t, in the order of
// the list SymptomKinds; nil when none were.
func (t TrainingSession) SymptomKinds() []string {
	var out []string
	for _, k := range SymptomKinds {
		for _, st := range t.Steps {
			if slices.Contains(st.SymptomKinds, k) {
				out = append(out, k)
				break
			}
		}
	}
	return out
}

// joinKinds stores kinds as "tingling,pain": known kinds only, in order,
// each once.
func joinKinds(kinds []string) string {
	var out []string
	for _, k := range SymptomKinds {
		if slices.Contains(kinds, k) {
			out = append(out, k)
		}
	}
	return strings.Join(out, ",")
}

func splitKinds(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// Walk is one walk with pauses: bouts of walking, each ended by a pause
// when symptoms came or by the end of the walk.
type Walk struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"-"`
	ClientID  string    `json:"clientId"`
	StartedAt time.Time `json:"startedAt"`
	EndedAt   time.Time `json:"endedAt"`
	Bouts     []Bout    `json:"bouts"`
	CreatedAt time.Time `json:"createdAt"`
}

// Bout is one stretch of walking and the pause after it.
// FirstSymptomsSeconds is nil when the bout ended without symptoms.
type Bout struct {
	WalkSeconds          int  `json:"walkSeconds"`
	PauseSeconds         int  `json:"pauseSeconds"`
	FirstSymptomsSeconds *int `json:"firstSymptomsSeconds"`
}

// WalkSeconds is the time spent walking, all bouts together.
func (w Walk) WalkSeconds() int {
	n := 0
	for _, b := range w.Bouts {
		n += b.WalkSeconds
	}
	return n
}

// PauseSeconds is the time spent pausing, all bouts together.
func (w Walk) PauseSeconds() int {
	n := 0
	for _, b := range w.Bouts {
		n += b.PauseSeconds
	}
	return n
}

// FirstSymptomsSeconds is the walking time to the first symptoms of the
// first bout that had any, or nil.
func (w Walk) FirstSymptomsSeconds() *int {
	for _, b := range w.Bouts {
		if b.FirstSymptomsSeconds != nil {
			return b.FirstSymptomsSeconds
		}
	}
	return nil
}

// maxClientID is the longest client id, in bytes.
const maxClientID = 128

func checkClientID(id string) error {
	return checkText("client_id", id, 1, maxClientID)
}

func checkSpan(start, end time.Time) error {
	if start.IsZero() {
		return invalid("started_at", "started_at is required")
	}
	if end.Before(start) {
		return invalid("ended_at", "ended_at is before started_at")
	}
	return nil
}

func (t *TrainingSession) check() error {
	if err := checkClientID(t.ClientID); err != nil {
		return err
	}
	if err := checkText("programme", t.Programme, 0, 200); err != nil {
		return err
	}
	if err := checkSpan(t.StartedAt, t.EndedAt); err != nil {
		return err
	}
	if t.Symptoms < 0 {
		return invalid("symptoms", "symptoms is negative")
	}
	if len(t.Steps) > maxChildren {
		return invalid("steps", "more than %d steps", maxChildren)
	}
	for _, st := range t.Steps {
		if err := checkText("exercise", st.Exercise, 1, 200); err != nil {
			return err
		}
		for _, k := range st.SymptomKinds {
			if !slices.Contains(SymptomKinds, k) {
				return invalid("symptom_kinds", "%q is not one of %s", k, strings.Join(SymptomKinds, ", "))
			}
		}
	}
	return nil
}

func (w *Walk) check() error {
	if err := checkClientID(w.ClientID); err != nil {
		return err
	}
	if err := checkSpan(w.StartedAt, w.EndedAt); err != nil {
		return err
	}
	if len(w.Bouts) > maxChildren {
		return invalid("bouts", "more than %d bouts", maxChildren)
	}
	for _, b := range w.Bouts {
		if b.WalkSeconds < 0 || b.PauseSeconds < 0 || (b.FirstSymptomsSeconds != nil && *b.FirstSymptomsSeconds < 0) {
			return invalid("bouts", "a bout has a negative time")
		}
	}
	return nil
}

// insertOnce inserts a row keyed by (user_id, client_id) unless one is there
// already, and returns the row's id and whether this call created it. The
// insert and the look-up run in the caller's transaction: when a copy sent
// earlier is being saved concurrently, the insert waits for it and then
// finds it.
func insertOnce(ctx context.Context, tx *sql.Tx, insert, lookup string, userID int64, clientID string, args ...any) (int64, bool, error) {
	var id int64
	err := tx.QueryRowContext(ctx, insert, args...).Scan(&id)
	if err == nil {
		return id, true, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, false, err
	}
	if err := tx.QueryRowContext(ctx, lookup, userID, clientID).Scan(&id); err != nil {
		return 0, false, err
	}
	return id, false, nil
}

// AddTrainingSession saves t for t.UserID once per (UserID, ClientID): it
// returns the row's id and created=true the first time, and the first copy's
// id and created=false for every repeat (whose content is ignored: the
// first copy wins). An unknown user is ErrNotFound.
func (s *Store) AddTrainingSession(ctx context.Context, t TrainingSession) (id int64, created bool, err error) {
	if err := t.check(); err != nil {
		return 0, false, err
	}
	err = s.writePatient(ctx, "add training session", t.UserID, func(tx *sql.Tx) error {
		id, created, err = insertOnce(ctx, tx, `
			INSERT INTO training_sessions (user_id, client_id, programme, started_at, ended_at, symptoms, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (user_id, client_id) DO NOTHING
			RETURNING id`,
			`SELECT id FROM training_sessions WHERE user_id = $1 AND client_id = $2`,
			t.UserID, t.ClientID,
			t.UserID, t.ClientID, t.Programme, t.StartedAt.Unix(), t.EndedAt.Unix(), t.Symptoms, s.stamp().Unix())
		if err != nil || !created {
			return err
		}
		for i, st := range t.Steps {
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO training_session_steps (session_id, seq, exercise, done, symptoms, symptom_kinds)
				VALUES ($1, $2, $3, $4, $5, $6)`, id, i, st.Exercise, st.Done, st.Symptoms, joinKinds(st.SymptomKinds)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, false, err
	}
	return id, created, nil
}

// ListTrainingSessions returns userID's sessions with from <= StartedAt < to,
// oldest first, each with its steps; a zero from or to leaves that end open.
func (s *Store) ListTrainingSessions(ctx context.Context, userID int64, from, to time.Time) ([]TrainingSession, error) {
	var ts []TrainingSession
	err := s.read(ctx, "list training sessions", func(tx *sql.Tx) (err error) {
		ts, err = listTrainingSessions(ctx, tx, userID, from, to)
		return err
	})
	return ts, err
}

func listTrainingSessions(ctx context.Context, q querier, userID int64, from, to time.Time) ([]TrainingSession, error) {
	lo, hi := span(from, to)
	rows, err := q.QueryContext(ctx, `
		SELECT id, user_id, client_id, programme, started_at, ended_at, symptoms, created_at
		FROM training_sessions
		WHERE user_id = $1 AND started_at >= $2 AND started_at < $3
		ORDER BY started_at, id`, userID, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ts []TrainingSession
	index := map[int64]int{}
	for rows.Next() {
		var t TrainingSession
		var started, ended, created int64
		if err := rows.Scan(&t.ID, &t.UserID, &t.ClientID, &t.Programme, &started, &ended, &t.Symptoms, &created); err != nil {
			return nil, err
		}
		t.StartedAt, t.EndedAt, t.CreatedAt = fromUnix(started), fromUnix(ended), fromUnix(created)
		t.Steps = []SessionStep{}
		index[t.ID] = len(ts)
		ts = append(ts, t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if len(ts) == 0 {
		return nil, nil
	}
	steps, err := q.QueryContext(ctx, `
		SELECT st.session_id, st.exercise, st.done, st.symptoms, st.symptom_kinds
		FROM training_session_steps st JOIN training_sessions t ON t.id = st.session_id
		WHERE t.user_id = $1 AND t.started_at >= $2 AND t.started_at < $3
		ORDER BY st.session_id, st.seq`, userID, lo, hi)
	if err != nil {
		return nil, err
	}
	defer steps.Close()
	for steps.Next() {
		var sid int64
		var st SessionStep
		var kinds string
		if err := steps.Scan(&sid, &st.Exercise, &st.Done, &st.Symptoms, &kinds); err != nil {
			return nil, err
		}
		st.SymptomKinds = splitKinds(kinds)
		if i, ok := index[sid]; ok {
			ts[i].Steps = append(ts[i].Steps, st)
		}
	}
	return ts, steps.Err()
}

// AddWalk saves w for w.UserID once per (UserID, ClientID), like
// AddTrainingSession: (id, true) the first time, (first copy's id, false)
// for a repeat. An unknown user is ErrNotFound.
func (s *Store) AddWalk(ctx context.Context, w Walk) (id int64, created bool, err error) {
	if err := w.check(); err != nil {
		return 0, false, err
	}
	err = s.writePatient(ctx, "add walk", w.UserID, func(tx *sql.Tx) error {
		id, created, err = insertOnce(ctx, tx, `
			INSERT INTO walks (user_id, client_id, started_at, ended_at, created_at)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (user_id, client_id) DO NOTHING
			RETURNING id`,
			`SELECT id FROM walks WHERE user_id = $1 AND client_id = $2`,
			w.UserID, w.ClientID,
			w.UserID, w.ClientID, w.StartedAt.Unix(), w.EndedAt.Unix(), s.stamp().Unix())
		if err != nil || !created {
			return err
		}
		for i, b := range w.Bouts {
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO walk_bouts (walk_id, seq, walk_seconds, pause_seconds, first_symptoms_seconds)
				VALUES ($1, $2, $3, $4, $5)`,
				id, i, b.WalkSeconds, b.PauseSeconds, nullInt(b.FirstSymptomsSeconds)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, false, err
	}
	return id, created, nil
}

// ListWalks returns userID's walks with from <= StartedAt < to, oldest
// first, each with its bouts; a zero from or to leaves that end open.
func (s *Store) ListWalks(ctx context.Context, userID int64, from, to time.Time) ([]Walk, error) {
	var ws []Walk
	err := s.read(ctx, "list walks", func(tx *sql.Tx) (err error) {
		ws, err = listWalks(ctx, tx, userID, from, to)
		return err
	})
	return ws, err
}

func listWalks(ctx context.Context, q querier, userID int64, from, to time.Time) ([]Walk, error) {
	lo, hi := span(from, to)
	rows, err := q.QueryContext(ctx, `
		SELECT id, user_id, client_id, started_at, ended_at, created_at
		FROM walks
		WHERE user_id = $1 AND started_at >= $2 AND started_at < $3
		ORDER BY started_at, id`, userID, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ws []Walk
	index := map[int64]int{}
	for rows.Next() {
		var w Walk
		var started, ended, created int64
		if err := rows.Scan(&w.ID, &w.UserID, &w.ClientID, &started, &ended, &created); err != nil {
			return nil, err
		}
		w.StartedAt, w.EndedAt, w.CreatedAt = fromUnix(started), fromUnix(ended), fromUnix(created)
		w.Bouts = []Bout{}
		index[w.ID] = len(ws)
		ws = append(ws, w)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if len(ws) == 0 {
		return nil, nil
	}
	bouts, err := q.QueryContext(ctx, `
		SELECT b.walk_id, b.walk_seconds, b.pause_seconds, b.first_symptoms_seconds
		FROM walk_bouts b JOIN walks w ON w.id = b.walk_id
		WHERE w.user_id = $1 AND w.started_at >= $2 AND w.started_at < $3
		ORDER BY b.walk_id, b.seq`, userID, lo, hi)
	if err != nil {
		return nil, err
	}
	defer bouts.Close()
	for bouts.Next() {
		var wid int64
		var b Bout
		var first sql.NullInt64
		if err := bouts.Scan(&wid, &b.WalkSeconds, &b.PauseSeconds, &first); err != nil {
			return nil, err
		}
		b.FirstSymptomsSeconds = fromNullInt(first)
		if i, ok := index[wid]; ok {
			ws[i].Bouts = append(ws[i].Bouts, b)
		}
	}
	return ws, bouts.Err()
}
