package store

// What the store keeps derived from a patient's care record — the clinic's
// alerts and the patient list's figures — updated in the same transaction
// as every write of the patient's data, so that the workspace reads them
// instead of recomputing the rules over every history, and never sees a
// record without its alerts.
//
// The store does not know the rules: internal/care installs a Deriver
// (SetDeriver) that reads the record through the transaction and returns
// what to keep. Without one nothing is derived (the store's own tests).

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Deriver computes what the store keeps of a patient's record. Derive is
// called inside the write's transaction: record reads the patient's care
// record from `from` on through it (see CareRecord). It must not write.
type Deriver interface {
	Derive(u User, record func(from time.Time) (CareRecord, error)) (Derived, error)
}

// Derived is what a Deriver returns for one patient.
type Derived struct {
	// Alerts are the findings the clinic should see now. One already
	// raised for its (code, episode) is left as it is — acknowledged or
	// not — so a lasting finding is raised once.
	Alerts  []Alert
	Summary Summary
}

// Summary is a patient's line on the clinic's list, as of the last write.
// A nil figure is unknown (too little data).
type Summary struct {
	// Adherence2w and Adherence4w are the sessions done over the last 2
	// and 4 weeks, in percent of the planned ones.
	Adherence2w, Adherence4w *int
	// WalkTrend is the change of time to first symptoms against 4 weeks
	// ago, in percent.
	WalkTrend *int
	// LegPain is the latest diary entry's leg pain (NRS 0–10), at LegPainAt.
	LegPain   *int
	LegPainAt time.Time
	// LastActivity is the latest diary entry, session or walk; zero for none.
	LastActivity time.Time
}

// Alert severities as ranks, most pressing first.
const (
	RankUrgent  = 0
	RankWarning = 1
	RankInfo    = 2
	rankNone    = 9 // a summary without open alerts
)

// Alert is one finding raised for a patient's clinic.
type Alert struct {
	ID        int64     `json:"id"`
	PatientID int64     `json:"patientId"`
	Code      string    `json:"code"`    // the rules' advice code, or a care event's
	Rank      int       `json:"rank"`    // RankUrgent, RankWarning or RankInfo
	Episode   string    `json:"episode"` // which occurrence: a check-in, a day, a week
	RaisedAt  time.Time `json:"raisedAt"`
	// Data are the rule's numbers and Items what it is about.
	Data  map[string]float64 `json:"data,omitempty"`
	Items []string           `json:"items,omitempty"`
	// The acknowledgement: zero AckAt while open.
	AckAt     time.Time `json:"ackAt,omitzero"`
	AckBy     int64     `json:"ackBy,omitempty"`
	AckByName string    `json:"ackByName,omitempty"`
	AckNote   string    `json:"ackNote,omitempty"`
}

// Open reports whether the alert awaits an acknowledgement.
func (a Alert) Open() bool { return a.AckAt.IsZero() }

func (a *Alert) check() error {
	if err := checkText("code", a.Code, 1, 60); err != nil {
		return err
	}
	if err := checkText("episode", a.Episode, 1, 60); err != nil {
		return err
	}
	if a.Rank < RankUrgent || a.Rank > RankInfo {
		return invalid("rank", "rank %d: use 0 (urgent) to 2 (info)", a.Rank)
	}
	return nil
}

// alertData is how an alert's data and items are stored (column data).
type alertData struct {
	Data  map[string]float64 `json:"d,omitempty"`
	Items []string           `json:"i,omitempty"`
}

// SetDeriver installs d: from now on every write of a patient's data
// derives their alerts and summary in its transaction. internal/care
// installs itself when it is made.
func (s *Store) SetDeriver(d Deriver) { s.deriver.Store(&d) }

// writePatient is write for a change of userID's care data: fn, then what
// is derived from the record, in one transaction.
func (s *Store) writePatient(ctx context.Context, op string, userID int64, fn func(tx *sql.Tx) error) error {
	return s.write(ctx, op, func(tx *sql.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return s.derive(ctx, tx, userID)
	})
}

// execPatient is execOne for a change of userID's care data.
func (s *Store) execPatient(ctx context.Context, op, what string, id any, userID int64, query string, args ...any) error {
	return s.writePatient(ctx, op, userID, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, query, args...)
		if err != nil {
			return err
		}
		return changedOne(res, what, id)
	})
}

// derive brings userID's alerts and summary up to date inside tx. A user
// who is not a patient of a clinic has no summary (a patient who left
// their clinic loses theirs; their alerts stay with them).
func (s *Store) derive(ctx context.Context, tx *sql.Tx, userID int64) error {
	d := s.deriver.Load()
	if d == nil {
		return nil
	}
	u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	if u.Role != RolePatient || u.ClinicID == 0 {
		_, err := tx.ExecContext(ctx, `DELETE FROM patient_summary WHERE patient_id = $1`, userID)
		return err
	}
	return s.deriveUser(ctx, tx, *d, u)
}

// deriveMany is derive for each of userIDs (distinct), in that order:
// the users read in one query, and those with no summary to keep cleared
// in one statement (the diary batch's patients, diary_batch.go).
func (s *Store) deriveMany(ctx context.Context, tx *sql.Tx, userIDs []int64) error {
	d := s.deriver.Load()
	if d == nil || len(userIDs) == 0 {
		return nil
	}
	in, args := inList(userIDs)
	rows, err := tx.QueryContext(ctx, `SELECT `+userColumns+` FROM users WHERE id IN (`+in+`)`, args...)
	if err != nil {
		return err
	}
	users, err := collect(rows, scanUser)
	if err != nil {
		return err
	}
	byID := make(map[int64]User, len(users))
	for _, u := range users {
		byID[u.ID] = u
	}
	var none []int64
	for _, id := range userIDs {
		if u, ok := byID[id]; ok && (u.Role != RolePatient || u.ClinicID == 0) {
			none = append(none, id)
		}
	}
	if len(none) > 0 {
		in, args := inList(none)
		if _, err := tx.ExecContext(ctx, `DELETE FROM patient_summary WHERE patient_id IN (`+in+`)`, args...); err != nil {
			return err
		}
	}
	for _, id := range userIDs {
		if u, ok := byID[id]; ok && u.Role == RolePatient && u.ClinicID != 0 {
			if err := s.deriveUser(ctx, tx, *d, u); err != nil {
				return err
			}
		}
	}
	return nil
}

// inList is "$1, $2, …" for ids, and ids as arguments.
func inList(ids []int64) (string, []any) {
	var b strings.Builder
	args := make([]any, len(ids))
	for i, id := range ids {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(i+1))
		args[i] = id
	}
	return b.String(), args
}

// deriveUser brings the alerts and summary of u, a patient of a clinic,
// up to date inside tx.
func (s *Store) deriveUser(ctx context.Context, tx *sql.Tx, d Deriver, u User) error {
	userID := u.ID
	out, err := d.Derive(u, func(from time.Time) (CareRecord, error) { return careRecord(ctx, tx, userID, from) })
	if err != nil {
		return err
	}
	now := s.stamp()
	for _, a := range out.Alerts {
		if err := a.check(); err != nil {
			return err
		}
		data, err := json.Marshal(alertData{Data: a.Data, Items: a.Items})
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO alerts (patient_id, code, rank, episode, raised_at, data)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (patient_id, code, episode) DO NOTHING`,
			userID, a.Code, a.Rank, a.Episode, now.Unix(), string(data)); err != nil {
			return err
		}
	}
	sm := out.Summary
	_, err = tx.ExecContext(ctx, `
		INSERT INTO patient_summary (patient_id, clinic_id, name_key, name_fold, open_alerts, top_rank, top_code,
			adherence_2w, adherence_4w, walk_trend, leg_pain, leg_pain_at, last_activity, derived_at)
		SELECT $1, $2, $3, $4, COUNT(a.id), COALESCE(MIN(a.rank), `+rankNoneSQL+`), `+topCodeSQL+`, $5, $6, $7, $8, $9, $10, $11
		FROM (SELECT 1) AS one LEFT JOIN alerts a ON a.patient_id = $1 AND a.ack_at IS NULL
		ON CONFLICT (patient_id) DO UPDATE SET clinic_id = excluded.clinic_id, name_key = excluded.name_key,
			name_fold = excluded.name_fold, open_alerts = excluded.open_alerts, top_rank = excluded.top_rank, top_code = excluded.top_code,
			adherence_2w = excluded.adherence_2w, adherence_4w = excluded.adherence_4w, walk_trend = excluded.walk_trend,
			leg_pain = excluded.leg_pain, leg_pain_at = excluded.leg_pain_at, last_activity = excluded.last_activity,
			derived_at = excluded.derived_at`,
		userID, u.ClinicID, nameKey(u.ShownName()), fold(u), nullInt(sm.Adherence2w), nullInt(sm.Adherence4w),
		nullInt(sm.WalkTrend), nullInt(sm.LegPain), nullUnix(sm.LegPainAt), nullUnix(sm.LastActivity), now.Unix())
	return err
}

const rankNoneSQL = "9"

// topCodeSQL is the code of the patient $1's most pressing open alert (the
// newest of the most pressing rank), or ”.
const topCodeSQL = `COALESCE((SELECT code FROM alerts WHERE patient_id = $1 AND ack_at IS NULL
	ORDER BY rank, raised_at DESC, id DESC LIMIT 1), '')`

// refreshAlerts recounts userID's open alerts on their summary after an
// acknowledgement.
func refreshAlerts(ctx context.Context, tx *sql.Tx, userID int64) error {
	_, err := tx.ExecContext(ctx, `
		UPDATE patient_summary SET
			open_alerts = (SELECT COUNT(*) FROM alerts WHERE patient_id = $1 AND ack_at IS NULL),
			top_rank = COALESCE((SELECT MIN(rank) FROM alerts WHERE patient_id = $1 AND ack_at IS NULL), `+rankNoneSQL+`),
			top_code = `+topCodeSQL+`
		WHERE patient_id = $1`, userID)
	return err
}

// fold is what a search by name looks in: the name and the login, in lower
// case.
func fold(u User) string {
	return strings.ToLower(u.Name + "\n" + u.ShownLogin())
}

// danish sorts names as a Danish reader expects: æ, ø and å after z, and
// aa as å. A Collator is not safe for concurrent use: one per call, from a
// pool.
var danish = sync.Pool{New: func() any {
	return collate.New(language.Danish, collate.IgnoreCase)
}}

// nameKey is name's Danish collation key; both engines compare keys as
// bytes, so ORDER BY name_key is Danish order.
func nameKey(name string) []byte {
	c := danish.Get().(*collate.Collator)
	defer danish.Put(c)
	var buf collate.Buffer
	return append([]byte(nil), c.KeyFromString(&buf, name)...)
}

// StaleSummaries returns up to limit patients whose summary was derived
// before `before`, the stalest first: the rules' findings that come with
// time alone (a review due, a week without sessions) wait for a write
// that may never come, so they are derived again (Rederive).
func (s *Store) StaleSummaries(ctx context.Context, before time.Time, limit int) ([]int64, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT patient_id FROM patient_summary WHERE derived_at < $1 ORDER BY derived_at, patient_id LIMIT $2`,
		before.Unix(), limit)
	if err != nil {
		return nil, s.fail("stale summaries", err)
	}
	ids, err := collect(rows, func(r scanner) (id int64, err error) { return id, r.Scan(&id) })
	if err != nil {
		return nil, s.fail("stale summaries", err)
	}
	return ids, nil
}

// Rederive derives patientID's alerts and summary again, as of now, in a
// write transaction of its own.
func (s *Store) Rederive(ctx context.Context, patientID int64) error {
	return s.writePatient(ctx, "derive again", patientID, func(*sql.Tx) error { return nil })
}
