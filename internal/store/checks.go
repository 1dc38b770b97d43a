package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"time"
)

// RedFlagCheckin is one answered red-flag screen (cauda equina signs,
// progressive weakness, …). Answers maps each question's stable code to the
// patient's yes/no; Urgent is what the rules concluded. ExaminedAt is when
// the patient confirmed having been examined since (zero: not yet), and
// Examination what they confirmed: the day and by whom (empty for a
// confirmation made before the form asked; its day is ExaminedAt's).
type RedFlagCheckin struct {
	ID          int64           `json:"id"`
	UserID      int64           `json:"-"`
	At          time.Time       `json:"at"`
	Answers     map[string]bool `json:"answers"`
	Urgent      bool            `json:"urgent"`
	ExaminedAt  time.Time       `json:"examinedAt,omitzero"`
	Examination Examination     `json:"examination,omitzero"`
	CreatedAt   time.Time       `json:"createdAt"`
}

// Examination is what a patient confirms when lifting a red-flag pause:
// the day a doctor examined them (On, "YYYY-MM-DD" in their own calendar)
// and by whom (By: one of the Examined* codes; ByOther the patient's own
// words when By is ExaminedByOther).
type Examination struct {
	On      string `json:"on,omitempty"`
	By      string `json:"by,omitempty"`
	ByOther string `json:"byOther,omitempty"`
}

// Who examined the patient (Examination.By).
const (
	ExaminedByOwnDoctor  = "own_doctor"
	ExaminedByOutOfHours = "out_of_hours" // lægevagten, Akuttelefonen 1813
	ExaminedByEmergency  = "emergency"    // an emergency department
	ExaminedByOther      = "other"
)

// ExaminedBy lists the codes of Examination.By in the order a form shows them.
var ExaminedBy = []string{ExaminedByOwnDoctor, ExaminedByOutOfHours, ExaminedByEmergency, ExaminedByOther}

// check refuses an examination the schema would refuse; the zero
// Examination (none given) is accepted.
func (e Examination) check() error {
	if e == (Examination{}) {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, e.On); err != nil || len(e.On) != 10 {
		return invalid("examined_on", "examined_on %q is not a day written YYYY-MM-DD", e.On)
	}
	if !slices.Contains(ExaminedBy, e.By) {
		return invalid("examined_by", "examined_by %q is not one of %v", e.By, ExaminedBy)
	}
	if e.By == ExaminedByOther {
		return checkText("examined_by_other", e.ByOther, 1, 200)
	}
	if e.ByOther != "" {
		return invalid("examined_by_other", "examined_by_other is only for examined_by %q", ExaminedByOther)
	}
	return nil
}

// Baseline is the starting point a programme is measured against: a
// self-paced walking test (SPWT) and pain on the 0–10 scale.
// SPWTFirstSymptomsSeconds is nil when no symptoms came during the test.
type Baseline struct {
	ID                       int64     `json:"id"`
	UserID                   int64     `json:"-"`
	At                       time.Time `json:"at"`
	SPWTFirstSymptomsSeconds *int      `json:"spwtFirstSymptomsSeconds"`
	SPWTStopSeconds          int       `json:"spwtStopSeconds"`
	NRSLeg                   int       `json:"nrsLeg"`
	NRSBack                  int       `json:"nrsBack"`
	CreatedAt                time.Time `json:"createdAt"`
}

// AddRedFlagCheckin saves c for c.UserID and returns it with its ID.
func (s *Store) AddRedFlagCheckin(ctx context.Context, c RedFlagCheckin) (RedFlagCheckin, error) {
	answers, err := s.prepareCheckin(&c)
	if err != nil {
		return RedFlagCheckin{}, err
	}
	err = s.writePatient(ctx, "add red-flag check-in", c.UserID, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `
			INSERT INTO red_flag_checkins (user_id, at, answers, urgent, examined_at, examined_on, examined_by, examined_by_other, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			RETURNING id`,
			c.UserID, c.At.Unix(), string(answers), c.Urgent, nullUnix(c.ExaminedAt),
			nullText(c.Examination.On), nullText(c.Examination.By), nullText(c.Examination.ByOther), c.CreatedAt.Unix(),
		).Scan(&c.ID)
	})
	if err != nil {
		return RedFlagCheckin{}, err
	}
	return c, nil
}

// prepareCheckin checks c, stamps it and returns its answers as stored.
func (s *Store) prepareCheckin(c *RedFlagCheckin) (answers string, err error) {
	if len(c.Answers) > 100 {
		return "", invalid("answers", "more than 100 answers")
	}
	if err := c.Examination.check(); err != nil {
		return "", err
	}
	for k := range c.Answers {
		if err := checkText("answers", k, 1, 100); err != nil {
			return "", err
		}
	}
	if c.Answers == nil {
		c.Answers = map[string]bool{}
	}
	text, err := json.Marshal(c.Answers) // keys sorted: the same map, the same text
	if err != nil {
		return "", err
	}
	c.At = s.orNow(c.At)
	if !c.ExaminedAt.IsZero() {
		c.ExaminedAt = c.ExaminedAt.UTC().Truncate(time.Second)
	}
	c.CreatedAt = s.stamp()
	return string(text), nil
}

// ConfirmExamined records that the patient confirmed at time at that they
// have been examined after check-in id, which must be userID's (else
// ErrNotFound): ex is what they confirmed, the day and by whom. A later
// confirmation replaces an earlier one.
func (s *Store) ConfirmExamined(ctx context.Context, id, userID int64, at time.Time, ex Examination) error {
	if at.IsZero() {
		return invalid("examined_at", "examined_at is required")
	}
	if ex == (Examination{}) {
		return invalid("examined_on", "the examination's day and by whom are required")
	}
	if err := ex.check(); err != nil {
		return err
	}
	return s.execPatient(ctx, "confirm examined", "red-flag check-in", id, userID,
		`UPDATE red_flag_checkins SET examined_at = $3, examined_on = $4, examined_by = $5, examined_by_other = $6
		WHERE id = $1 AND user_id = $2`,
		id, userID, at.Unix(), ex.On, ex.By, nullText(ex.ByOther))
}

// ListRedFlagCheckins returns userID's check-ins, oldest first.
func (s *Store) ListRedFlagCheckins(ctx context.Context, userID int64) ([]RedFlagCheckin, error) {
	cs, err := listRedFlags(ctx, s.r, userID)
	if err != nil {
		return nil, s.fail("list red-flag check-ins", err)
	}
	return cs, nil
}

func listRedFlags(ctx context.Context, q querier, userID int64) ([]RedFlagCheckin, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT id, user_id, at, answers, urgent, examined_at, examined_on, examined_by, examined_by_other, created_at
		FROM red_flag_checkins WHERE user_id = $1 ORDER BY at, id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cs []RedFlagCheckin
	for rows.Next() {
		var c RedFlagCheckin
		var at, created int64
		var answers string
		var examined sql.NullInt64
		var on, by, byOther sql.NullString
		if err := rows.Scan(&c.ID, &c.UserID, &at, &answers, &c.Urgent, &examined, &on, &by, &byOther, &created); err != nil {
			return nil, err
		}
		c.Examination = Examination{On: on.String, By: by.String, ByOther: byOther.String}
		if err := json.Unmarshal([]byte(answers), &c.Answers); err != nil {
			return nil, err
		}
		c.At, c.ExaminedAt, c.CreatedAt = fromUnix(at), fromNullUnix(examined), fromUnix(created)
		cs = append(cs, c)
	}
	return cs, rows.Err()
}

func (b *Baseline) check() error {
	if b.SPWTStopSeconds < 0 {
		return invalid("spwt_stop_seconds", "spwt_stop_seconds is negative")
	}
	if f := b.SPWTFirstSymptomsSeconds; f != nil && (*f < 0 || *f > b.SPWTStopSeconds) {
		return invalid("spwt_first_symptoms_seconds", "spwt_first_symptoms_seconds must be 0…spwt_stop_seconds")
	}
	if err := checkNRS("nrs_leg", b.NRSLeg); err != nil {
		return err
	}
	return checkNRS("nrs_back", b.NRSBack)
}

// AddBaseline saves b for b.UserID (a patient may be re-tested: every
// baseline is kept) and returns it with its ID.
func (s *Store) AddBaseline(ctx context.Context, b Baseline) (Baseline, error) {
	if err := b.check(); err != nil {
		return Baseline{}, err
	}
	b.At = s.orNow(b.At)
	b.CreatedAt = s.stamp()
	err := s.writePatient(ctx, "add baseline", b.UserID, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `
			INSERT INTO baselines (user_id, at, spwt_first_symptoms_seconds, spwt_stop_seconds, nrs_leg, nrs_back, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			RETURNING id`,
			b.UserID, b.At.Unix(), nullInt(b.SPWTFirstSymptomsSeconds), b.SPWTStopSeconds, b.NRSLeg, b.NRSBack,
			b.CreatedAt.Unix(),
		).Scan(&b.ID)
	})
	if err != nil {
		return Baseline{}, err
	}
	return b, nil
}

const baselineColumns = `id, user_id, at, spwt_first_symptoms_seconds, spwt_stop_seconds, nrs_leg, nrs_back, created_at`

func scanBaseline(row scanner) (Baseline, error) {
	var b Baseline
	var at, created int64
	var first sql.NullInt64
	if err := row.Scan(&b.ID, &b.UserID, &at, &first, &b.SPWTStopSeconds, &b.NRSLeg, &b.NRSBack, &created); err != nil {
		return Baseline{}, err
	}
	b.At, b.CreatedAt = fromUnix(at), fromUnix(created)
	b.SPWTFirstSymptomsSeconds = fromNullInt(first)
	return b, nil
}

// LatestBaseline returns userID's newest baseline, or ErrNotFound.
func (s *Store) LatestBaseline(ctx context.Context, userID int64) (Baseline, error) {
	b, err := scanBaseline(s.r.QueryRowContext(ctx, `
		SELECT `+baselineColumns+` FROM baselines WHERE user_id = $1
		ORDER BY at DESC, id DESC LIMIT 1`, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return Baseline{}, errorf(ENOTFOUND, "", "no baseline for user %d", userID)
	}
	if err != nil {
		return Baseline{}, s.fail("latest baseline", err)
	}
	return b, nil
}

// ListBaselines returns userID's baselines, oldest first.
func (s *Store) ListBaselines(ctx context.Context, userID int64) ([]Baseline, error) {
	bs, err := listBaselines(ctx, s.r, userID)
	if err != nil {
		return nil, s.fail("list baselines", err)
	}
	return bs, nil
}

func listBaselines(ctx context.Context, q querier, userID int64) ([]Baseline, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT `+baselineColumns+` FROM baselines WHERE user_id = $1 ORDER BY at, id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var bs []Baseline
	for rows.Next() {
		b, err := scanBaseline(rows)
		if err != nil {
			return nil, err
		}
		bs = append(bs, b)
	}
	return bs, rows.Err()
}
