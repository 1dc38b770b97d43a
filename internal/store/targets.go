package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"
)

// Who set a patient's targets (Targets.SetBy).
const (
	// SetByRules: the patient accepted the rules' new target
	// (PROGRESS_TARGET_UP, TARGET_DOWN; Targets.Advice names the code).
	SetByRules = "rules"
	// SetByPatient: the patient set them without the rules' advice.
	SetByPatient = "patient"
	// SetByClinician: the patient's clinician set them.
	SetByClinician = "clinician"
)

// Limits of a target (docs/rules.md: the rules accept walking targets of
// 0–120 minutes and repetition targets of 1–100).
const (
	maxWalkMinutes = 120
	maxRepsTarget  = 100
	maxRepsKeys    = 100
)

// Targets are one version of a patient's training targets. A change adds a
// version that names the one it replaced (PrevID); the newest is the
// current one, and the older ones are their history.
type Targets struct {
	ID     int64 `json:"id"`
	UserID int64 `json:"-"`
	// At is when they were set; its day (in the patient's zone) is the
	// day the rules count a stable week from.
	At time.Time `json:"at"`
	// WalkMinutes is the walking time per walk, pauses not counted; 0 is
	// no walking target.
	WalkMinutes int `json:"walkMinutes"`
	// Reps maps an exercise's slug to repetitions per set; never nil.
	Reps   map[string]int `json:"reps"`
	SetBy  string         `json:"setBy"`
	Advice string         `json:"advice,omitempty"` // the advice code accepted (SetBy rules)
	PrevID int64          `json:"prevId,omitempty"` // the version replaced; 0 for the first
	// CreatedAt is when the store saved them.
	CreatedAt time.Time `json:"createdAt"`
}

func (t *Targets) check() error {
	switch t.SetBy {
	case SetByRules, SetByPatient, SetByClinician:
	default:
		return invalid("set_by", "set_by %q is not rules, patient or clinician", t.SetBy)
	}
	if t.WalkMinutes < 0 || t.WalkMinutes > maxWalkMinutes {
		return invalid("walk_minutes", "walk_minutes %d is outside 0–%d", t.WalkMinutes, maxWalkMinutes)
	}
	if len(t.Reps) > maxRepsKeys {
		return invalid("reps", "more than %d repetition targets", maxRepsKeys)
	}
	for k, n := range t.Reps {
		if err := checkText("reps", k, 1, 200); err != nil {
			return err
		}
		if n < 1 || n > maxRepsTarget {
			return invalid("reps", "repetition target %d for %q is outside 1–%d", n, k, maxRepsTarget)
		}
	}
	return checkText("advice", t.Advice, 0, 100)
}

// SetTargets saves t as userID's new current targets and returns them with
// their ID and times (At defaults to the store's clock). prevID is the ID
// of the targets the change was made from (0: there were none): when the
// current targets are no longer those (a second tap, another device, the
// clinician), nothing is saved and the error is ECONFLICT, so a change is
// never applied twice or over one the caller has not seen. An unknown user
// is ErrNotFound.
func (s *Store) SetTargets(ctx context.Context, t Targets, prevID int64) (Targets, error) {
	if err := t.check(); err != nil {
		return Targets{}, err
	}
	if t.Reps == nil {
		t.Reps = map[string]int{}
	}
	reps, err := json.Marshal(t.Reps) // keys sorted: the same map, the same text
	if err != nil {
		return Targets{}, err
	}
	changed := errorf(ECONFLICT, "targets", "the targets have changed since version %d", prevID)
	t.At = s.orNow(t.At)
	t.CreatedAt = s.stamp()
	err = s.writePatient(ctx, "set targets", t.UserID, func(tx *sql.Tx) error {
		cur, err := currentTargets(ctx, tx, t.UserID)
		switch {
		case errors.Is(err, ErrNotFound):
			cur.ID = 0
		case err != nil:
			return err
		}
		if cur.ID != prevID {
			return changed
		}
		// Two changes from the same version that get here at once (on
		// PostgreSQL both may read the same current version): UNIQUE
		// (user_id, prev_id) lets only one of them in.
		return tx.QueryRowContext(ctx, `
			INSERT INTO targets (user_id, at, walk_minutes, reps, set_by, advice, prev_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			RETURNING id`,
			t.UserID, t.At.Unix(), t.WalkMinutes, string(reps), t.SetBy, t.Advice, prevID, t.CreatedAt.Unix(),
		).Scan(&t.ID)
	})
	if ErrorCode(err) == ECONFLICT {
		return Targets{}, changed
	}
	if err != nil {
		return Targets{}, err
	}
	t.PrevID = prevID
	return t, nil
}

// CurrentTargets returns userID's current targets, or ErrNotFound when none
// have been set.
func (s *Store) CurrentTargets(ctx context.Context, userID int64) (Targets, error) {
	var t Targets
	err := s.read(ctx, "current targets", func(tx *sql.Tx) (err error) {
		t, err = currentTargets(ctx, tx, userID)
		return err
	})
	return t, err
}

// ListTargets returns every version of userID's targets, oldest first: the
// last is the current one.
func (s *Store) ListTargets(ctx context.Context, userID int64) ([]Targets, error) {
	var ts []Targets
	err := s.read(ctx, "list targets", func(tx *sql.Tx) (err error) {
		ts, err = listTargets(ctx, tx, userID)
		return err
	})
	return ts, err
}

const targetColumns = `id, user_id, at, walk_minutes, reps, set_by, advice, prev_id, created_at`

func scanTargets(row scanner) (Targets, error) {
	var t Targets
	var at, created int64
	var reps string
	if err := row.Scan(&t.ID, &t.UserID, &at, &t.WalkMinutes, &reps, &t.SetBy, &t.Advice, &t.PrevID, &created); err != nil {
		return Targets{}, err
	}
	t.At, t.CreatedAt = fromUnix(at), fromUnix(created)
	if err := json.Unmarshal([]byte(reps), &t.Reps); err != nil {
		return Targets{}, err
	}
	if t.Reps == nil {
		t.Reps = map[string]int{}
	}
	return t, nil
}

func currentTargets(ctx context.Context, q querier, userID int64) (Targets, error) {
	t, err := scanTargets(q.QueryRowContext(ctx, `
		SELECT `+targetColumns+` FROM targets
		WHERE user_id = $1
		ORDER BY id DESC
		LIMIT 1`, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return Targets{}, notFound("targets of user", userID)
	}
	return t, err
}

func listTargets(ctx context.Context, q querier, userID int64) ([]Targets, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT `+targetColumns+` FROM targets
		WHERE user_id = $1
		ORDER BY id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ts []Targets
	for rows.Next() {
		t, err := scanTargets(rows)
		if err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return ts, rows.Err()
}
