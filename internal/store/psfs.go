package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits of a PSFS scoring (the same as the rules' CheckPSFS: 1–3
// activities, names of 1–80 characters, scores 0–10).
const (
	maxPSFSActivities = 3
	maxPSFSNameRunes  = 80
)

// PSFS is one scoring of the Patient-Specific Functional Scale: the
// activities the patient named, each scored 0 (cannot do it) to 10 (as
// before the problem). The first scoring is the baseline; the patient
// scores again at the status consultations.
type PSFS struct {
	ID         int64          `json:"id"`
	UserID     int64          `json:"-"`
	At         time.Time      `json:"at"`
	Activities []PSFSActivity `json:"activities"` // 1–3, in the order written
	CreatedAt  time.Time      `json:"createdAt"`
}

// PSFSActivity is one activity of a scoring and its score.
type PSFSActivity struct {
	Name  string `json:"name"`
	Score int    `json:"score"`
}

// Mean is the scoring's score: the average of its activities' scores.
func (p PSFS) Mean() float64 {
	if len(p.Activities) == 0 {
		return 0
	}
	sum := 0
	for _, a := range p.Activities {
		sum += a.Score
	}
	return float64(sum) / float64(len(p.Activities))
}

func checkPSFSActivities(as []PSFSActivity) error {
	if len(as) == 0 || len(as) > maxPSFSActivities {
		return invalid("activities", "a scoring has 1–%d activities, not %d", maxPSFSActivities, len(as))
	}
	for _, a := range as {
		switch {
		case !utf8.ValidString(a.Name):
			return invalid("name", "an activity's name is not valid UTF-8")
		case strings.TrimSpace(a.Name) == "":
			return invalid("name", "an activity's name is required")
		case utf8.RuneCountInString(a.Name) > maxPSFSNameRunes:
			return invalid("name", "an activity's name is longer than %d characters", maxPSFSNameRunes)
		case strings.IndexFunc(a.Name, unicode.IsControl) >= 0:
			return invalid("name", "an activity's name contains a control character")
		}
		if err := checkNRS("score", a.Score); err != nil {
			return err
		}
	}
	return nil
}

// AddPSFS saves a scoring of userID's, made at time at (the store's clock
// when zero), and returns it with its ID. The activities are checked
// (1–3, each named and scored 0–10: EINVALID otherwise); an unknown user
// is ErrNotFound.
func (s *Store) AddPSFS(ctx context.Context, userID int64, at time.Time, activities []PSFSActivity) (PSFS, error) {
	if err := checkPSFSActivities(activities); err != nil {
		return PSFS{}, err
	}
	text, err := json.Marshal(activities)
	if err != nil {
		return PSFS{}, err
	}
	p := PSFS{UserID: userID, At: s.orNow(at), Activities: append([]PSFSActivity(nil), activities...), CreatedAt: s.stamp()}
	err = s.writePatient(ctx, "add psfs", userID, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `
			INSERT INTO psfs_scores (user_id, at, activities, created_at)
			VALUES ($1, $2, $3, $4)
			RETURNING id`,
			p.UserID, p.At.Unix(), string(text), p.CreatedAt.Unix(),
		).Scan(&p.ID)
	})
	if err != nil {
		return PSFS{}, err
	}
	return p, nil
}

// ListPSFS returns userID's scorings, oldest first: the first is the
// baseline.
func (s *Store) ListPSFS(ctx context.Context, userID int64) ([]PSFS, error) {
	ps, err := listPSFS(ctx, s.r, userID)
	if err != nil {
		return nil, s.fail("list psfs", err)
	}
	return ps, nil
}

func listPSFS(ctx context.Context, q querier, userID int64) ([]PSFS, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT id, user_id, at, activities, created_at
		FROM psfs_scores WHERE user_id = $1 ORDER BY at, id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ps []PSFS
	for rows.Next() {
		var p PSFS
		var at, created int64
		var text string
		if err := rows.Scan(&p.ID, &p.UserID, &at, &text, &created); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(text), &p.Activities); err != nil {
			return nil, err
		}
		p.At, p.CreatedAt = fromUnix(at), fromUnix(created)
		ps = append(ps, p)
	}
	return ps, rows.Err()
}
