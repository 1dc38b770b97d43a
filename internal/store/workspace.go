package store

// The clinician workspace's reads and writes: the patient list, alerts and
// their acknowledgement, the clinic's notes. Every query takes the clinic
// and filters by it in SQL (users.clinic_id), so that a page that forgot
// internal/care's policy still could not reach another clinic's patient.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
)

// PatientRow is one patient on the clinic's list.
type PatientRow struct {
	ID        int64
	Name      string
	Login     string // as typed (ShownLogin)
	CreatedAt time.Time
	Summary
	OpenAlerts int
	// TopRank is the most pressing open alert's rank (RankUrgent…), or 9;
	// TopCode its code ("" for none).
	TopRank int
	TopCode string
	// Inactive: no diary entry, session or walk (or none since the account
	// was made) for the clinic's inactive_days.
	Inactive bool
}

// Filters of the patient list.
const (
	FilterAll      = ""
	FilterAlerts   = "alerts"   // open alerts
	FilterInactive = "inactive" // no activity for the clinic's days
)

// Sorts of the patient list; the default puts who needs attention first.
const (
	SortAttention = ""         // open alerts by severity, then inactive, then the rest; by name within each
	SortName      = "name"     // Danish alphabetical order
	SortActivity  = "activity" // longest without activity first
	SortPain      = "pain"     // highest latest leg pain first
)

// PatientQuery selects a page of the patient list.
type PatientQuery struct {
	Search  string // in the name or login, any case
	Filter  string
	Sort    string
	Page    int // from 1
	PerPage int // 1–200
	Now     time.Time
}

// PatientCounts are the list's totals, for its filters.
type PatientCounts struct {
	All, Alerts, Inactive int
	// Matching is how many the query's search and filter select.
	Matching int
}

// attentionSQL is a row's place in the default order: the open alerts'
// rank (0–2), 3 for inactive, 9 for the rest.
const attentionSQL = `CASE WHEN s.top_rank < 9 THEN s.top_rank
	WHEN COALESCE(s.last_activity, u.created_at) < q.now - 86400 * c.inactive_days THEN 3 ELSE 9 END`

// ClinicPatients returns a page of clinicID's patient list and its counts,
// read in one snapshot.
func (s *Store) ClinicPatients(ctx context.Context, clinicID int64, q PatientQuery) ([]PatientRow, PatientCounts, error) {
	if q.PerPage < 1 || q.PerPage > 200 {
		return nil, PatientCounts{}, invalid("per_page", "per page %d: use 1 to 200", q.PerPage)
	}
	if q.Page < 1 || q.Page > 1_000_000 {
		return nil, PatientCounts{}, invalid("page", "page %d: use 1 or more", q.Page)
	}
	if err := checkText("search", q.Search, 0, 200); err != nil {
		return nil, PatientCounts{}, err
	}
	order, ok := map[string]string{
		SortAttention: "attention, s.name_key, u.id",
		SortName:      "s.name_key, u.id",
		SortActivity:  "COALESCE(s.last_activity, u.created_at), s.name_key, u.id",
		SortPain:      "COALESCE(s.leg_pain, -1) DESC, s.name_key, u.id",
	}[q.Sort]
	if !ok {
		return nil, PatientCounts{}, invalid("sort", "unknown sort %q", q.Sort)
	}
	from := `FROM patient_summary s JOIN users u ON u.id = s.patient_id JOIN clinics c ON c.id = s.clinic_id
		CROSS JOIN (SELECT CAST($2 AS BIGINT) AS now) q
		WHERE s.clinic_id = $1 AND u.clinic_id = $1 AND u.role = 'patient'`
	args := []any{clinicID, q.Now.Unix()}
	where := ""
	if q.Search != "" {
		args = append(args, "%"+likeEscape(strings.ToLower(q.Search))+"%")
		where += ` AND s.name_fold LIKE $3 ESCAPE '\'`
	}
	switch q.Filter {
	case FilterAll:
	case FilterAlerts:
		where += ` AND s.top_rank < 9`
	case FilterInactive:
		where += ` AND (` + attentionSQL + `) = 3`
	default:
		return nil, PatientCounts{}, invalid("filter", "unknown filter %q", q.Filter)
	}
	var rows []PatientRow
	var n PatientCounts
	err := s.read(ctx, "clinic patients", func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*),
				COALESCE(SUM(CASE WHEN s.top_rank < 9 THEN 1 ELSE 0 END), 0),
				COALESCE(SUM(CASE WHEN (`+attentionSQL+`) = 3 THEN 1 ELSE 0 END), 0) `+from, args[:2]...).
			Scan(&n.All, &n.Alerts, &n.Inactive); err != nil {
			return err
		}
		switch {
		case where == "": // the whole list: counted above
			n.Matching = n.All
		case q.Filter == FilterAlerts && q.Search == "":
			n.Matching = n.Alerts
		case q.Filter == FilterInactive && q.Search == "":
			n.Matching = n.Inactive
		default:
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) `+from+where, args...).Scan(&n.Matching); err != nil {
				return err
			}
		}
		rs, err := tx.QueryContext(ctx, `SELECT u.id, u.name, u.login, u.login_display, u.created_at,
				s.open_alerts, s.top_rank, s.top_code, s.adherence_2w, s.adherence_4w, s.walk_trend, s.leg_pain, s.leg_pain_at,
				s.last_activity, `+attentionSQL+` AS attention `+from+where+`
			ORDER BY `+order+` LIMIT `+strconv.Itoa(q.PerPage)+` OFFSET `+strconv.Itoa((q.Page-1)*q.PerPage), args...)
		if err != nil {
			return err
		}
		rows, err = collect(rs, scanPatientRow)
		return err
	})
	if err != nil {
		return nil, PatientCounts{}, err
	}
	return rows, n, nil
}

func scanPatientRow(row scanner) (PatientRow, error) {
	var p PatientRow
	var display sql.NullString
	var created int64
	var a2, a4, trend, pain, painAt, last sql.NullInt64
	var attention int
	err := row.Scan(&p.ID, &p.Name, &p.Login, &display, &created, &p.OpenAlerts, &p.TopRank, &p.TopCode,
		&a2, &a4, &trend, &pain, &painAt, &last, &attention)
	if display.Valid {
		p.Login = display.String
	}
	p.CreatedAt = fromUnix(created)
	p.Adherence2w, p.Adherence4w, p.WalkTrend, p.LegPain = fromNullInt(a2), fromNullInt(a4), fromNullInt(trend), fromNullInt(pain)
	p.LegPainAt, p.LastActivity = fromNullUnix(painAt), fromNullUnix(last)
	p.Inactive = attention == 3
	return p, err
}

// likeEscape escapes LIKE's wildcards in s (ESCAPE '\').
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

const alertColumns = `a.id, a.patient_id, a.code, a.rank, a.episode, a.raised_at, a.data, a.ack_at, a.ack_by, a.ack_by_name, a.ack_note`

func scanAlert(row scanner) (Alert, error) {
	var a Alert
	var raised int64
	var data string
	var ackAt, ackBy sql.NullInt64
	if err := row.Scan(&a.ID, &a.PatientID, &a.Code, &a.Rank, &a.Episode, &raised, &data, &ackAt, &ackBy, &a.AckByName, &a.AckNote); err != nil {
		return a, err
	}
	var d alertData
	if err := json.Unmarshal([]byte(data), &d); err != nil {
		return a, err
	}
	a.Data, a.Items = d.Data, d.Items
	a.RaisedAt, a.AckAt, a.AckBy = fromUnix(raised), fromNullUnix(ackAt), ackBy.Int64
	return a, nil
}

// PatientAlerts returns the alerts of clinicID's patient: open ones first,
// most pressing first, then acknowledged ones, newest first.
func (s *Store) PatientAlerts(ctx context.Context, clinicID, patientID int64) ([]Alert, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+alertColumns+`
		FROM alerts a JOIN users u ON u.id = a.patient_id
		WHERE a.patient_id = $1 AND u.clinic_id = $2
		ORDER BY CASE WHEN a.ack_at IS NULL THEN 0 ELSE 1 END, CASE WHEN a.ack_at IS NULL THEN a.rank ELSE 0 END,
			a.raised_at DESC, a.id DESC`, patientID, clinicID)
	if err != nil {
		return nil, s.fail("patient alerts", err)
	}
	out, err := collect(rows, scanAlert)
	if err != nil {
		return nil, s.fail("patient alerts", err)
	}
	return out, nil
}

// Ack is an acknowledgement of alerts: by whom, when, and the clinician's
// note.
type Ack struct {
	By     int64
	ByName string
	At     time.Time
	Note   string
}

func (k *Ack) check() error {
	if err := checkText("by_name", k.ByName, 1, 400); err != nil {
		return err
	}
	return checkText("note", k.Note, 0, 2000)
}

// ErrAcknowledged: the alert was acknowledged already (by someone else,
// in another tab); the first acknowledgement stands.
var ErrAcknowledged = errorf(ECONFLICT, "alert", "the alert was acknowledged already")

// AcknowledgeAlert acknowledges clinicID's alert alertID and returns its
// patient. An alert of another clinic is ErrNotFound; one acknowledged
// already is ErrAcknowledged.
func (s *Store) AcknowledgeAlert(ctx context.Context, clinicID, alertID int64, k Ack) (patientID int64, err error) {
	if err := k.check(); err != nil {
		return 0, err
	}
	k.At = s.orNow(k.At)
	err = s.write(ctx, "acknowledge alert", func(tx *sql.Tx) error {
		var acked sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT a.patient_id, a.ack_at FROM alerts a JOIN users u ON u.id = a.patient_id
			WHERE a.id = $1 AND u.clinic_id = $2`+s.d.forUpdate, alertID, clinicID).Scan(&patientID, &acked)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("alert", alertID)
		}
		if err != nil {
			return err
		}
		if acked.Valid {
			return ErrAcknowledged
		}
		if _, err := tx.ExecContext(ctx, `UPDATE alerts SET ack_at = $2, ack_by = $3, ack_by_name = $4, ack_note = $5
			WHERE id = $1 AND ack_at IS NULL`, alertID, k.At.Unix(), nullID(k.By), k.ByName, k.Note); err != nil {
			return err
		}
		return refreshAlerts(ctx, tx, patientID)
	})
	return patientID, err
}

// AcknowledgeAll acknowledges every open alert of clinicID's patient with
// one note and returns how many there were. A patient of another clinic is
// ErrNotFound.
func (s *Store) AcknowledgeAll(ctx context.Context, clinicID, patientID int64, k Ack) (n int64, err error) {
	if err := k.check(); err != nil {
		return 0, err
	}
	k.At = s.orNow(k.At)
	err = s.write(ctx, "acknowledge alerts", func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM users WHERE id = $1 AND clinic_id = $2 AND role = 'patient'`, patientID, clinicID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("patient", patientID)
		}
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE alerts SET ack_at = $2, ack_by = $3, ack_by_name = $4, ack_note = $5
			WHERE patient_id = $1 AND ack_at IS NULL`, patientID, k.At.Unix(), nullID(k.By), k.ByName, k.Note)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		return refreshAlerts(ctx, tx, patientID)
	})
	return n, err
}

// Note is a clinic's private note on a patient.
type Note struct {
	ID         int64     `json:"id"`
	PatientID  int64     `json:"patientId"`
	AuthorID   int64     `json:"authorId,omitempty"`
	AuthorName string    `json:"authorName"`
	At         time.Time `json:"at"`
	Body       string    `json:"body"`
}

// AddNote adds a note on clinicID's patient n.PatientID. A patient of
// another clinic is ErrNotFound.
func (s *Store) AddNote(ctx context.Context, clinicID int64, n Note) (Note, error) {
	if err := checkText("body", strings.TrimSpace(n.Body), 1, maxText); err != nil {
		return Note{}, err
	}
	if err := checkText("author_name", n.AuthorName, 1, 400); err != nil {
		return Note{}, err
	}
	n.At = s.orNow(n.At)
	err := s.write(ctx, "add note", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO clinic_notes (patient_id, author_id, author_name, at, body)
			SELECT id, $3, $4, $5, $6 FROM users WHERE id = $1 AND clinic_id = $2 AND role = 'patient'
			RETURNING id`, n.PatientID, clinicID, nullID(n.AuthorID), n.AuthorName, n.At.Unix(), n.Body).Scan(&n.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("patient", n.PatientID)
		}
		return err
	})
	if err != nil {
		return Note{}, err
	}
	return n, nil
}

// Notes returns clinicID's notes on the patient, newest first.
func (s *Store) Notes(ctx context.Context, clinicID, patientID int64) ([]Note, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+noteColumns+`
		FROM clinic_notes n JOIN users u ON u.id = n.patient_id
		WHERE n.patient_id = $1 AND u.clinic_id = $2 ORDER BY n.at DESC, n.id DESC`, patientID, clinicID)
	if err != nil {
		return nil, s.fail("notes", err)
	}
	out, err := collect(rows, scanNote)
	if err != nil {
		return nil, s.fail("notes", err)
	}
	return out, nil
}

const noteColumns = `n.id, n.patient_id, n.author_id, n.author_name, n.at, n.body`

func scanNote(row scanner) (Note, error) {
	var n Note
	var author sql.NullInt64
	var at int64
	err := row.Scan(&n.ID, &n.PatientID, &author, &n.AuthorName, &at, &n.Body)
	n.AuthorID, n.At = author.Int64, fromUnix(at)
	return n, err
}
