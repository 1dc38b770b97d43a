-- stenose schema, SQLite, step 11. Keep in step with ../postgres/00011_workspace.sql.
--
-- The clinician workspace (issue 13): what the patient list and the alerts
-- read, kept up to date when a patient's data is written, in the same
-- transaction (store.Deriver, derive.go), so that no page recomputes the
-- rules over every history.
--
-- alerts: a finding of the rules (internal/rules, the same engine as the
-- patient's advice) or a care event (an examination confirmed after a red
-- flag) that the patient's clinic should see. One row per (patient, code,
-- episode): an episode names one occurrence (the red-flag check-in, the
-- day of a stopped session, the ISO week of a worsening), so a finding that
-- lasts is raised once, and one that comes back after it was acknowledged
-- is raised again. rank orders severity (0 urgent, 1 warning, 2 info).
-- data is the rule's numbers and items as JSON. An acknowledgement keeps
-- who (id and name as it was), when and the note; an alert is never
-- deleted while its patient exists.
--
-- patient_summary: one row per patient of a clinic, the list's figures as
-- of the last write: open alerts, the most pressing one's rank and code, adherence over
-- 2 and 4 weeks (percent of planned sessions), the walking trend (percent
-- change of time to first symptoms against 4 weeks ago), the latest leg
-- pain and the last activity. name_key is the name's Danish collation key
-- (æ, ø, å after z), compared as bytes by both engines; name_fold is the
-- name and login in lower case for search.
--
-- clinic_notes: a clinic's private notes on a patient, with author and
-- time; the app does not show them to the patient (a request to see the
-- record, aktindsigt, goes to the clinic).

-- +goose Up
CREATE TABLE alerts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    patient_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code        TEXT    NOT NULL CHECK (length(code) BETWEEN 1 AND 60),
    rank        INTEGER NOT NULL CHECK (rank BETWEEN 0 AND 2),
    episode     TEXT    NOT NULL CHECK (length(episode) BETWEEN 1 AND 60),
    raised_at   INTEGER NOT NULL,
    data        TEXT    NOT NULL DEFAULT '{}' CHECK (length(data) <= 4000),
    ack_at      INTEGER,
    ack_by      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    ack_by_name TEXT    NOT NULL DEFAULT '' CHECK (length(ack_by_name) <= 400),
    ack_note    TEXT    NOT NULL DEFAULT '' CHECK (length(ack_note) <= 2000),
    UNIQUE (patient_id, code, episode)
) STRICT;
CREATE INDEX alerts_open ON alerts (patient_id, rank) WHERE ack_at IS NULL;

CREATE TABLE patient_summary (
    patient_id     INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    clinic_id      INTEGER NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    name_key       BLOB    NOT NULL,
    name_fold      TEXT    NOT NULL,
    open_alerts    INTEGER NOT NULL DEFAULT 0 CHECK (open_alerts >= 0),
    top_rank       INTEGER NOT NULL DEFAULT 9 CHECK (top_rank BETWEEN 0 AND 9),
    top_code       TEXT    NOT NULL DEFAULT '' CHECK (length(top_code) <= 60),
    adherence_2w   INTEGER CHECK (adherence_2w BETWEEN 0 AND 1000),
    adherence_4w   INTEGER CHECK (adherence_4w BETWEEN 0 AND 1000),
    walk_trend     INTEGER CHECK (walk_trend BETWEEN -100 AND 10000),
    leg_pain       INTEGER CHECK (leg_pain BETWEEN 0 AND 10),
    leg_pain_at    INTEGER,
    last_activity  INTEGER,
    derived_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX patient_summary_list ON patient_summary (clinic_id, top_rank, name_key);

CREATE TABLE clinic_notes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    patient_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    author_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    author_name TEXT    NOT NULL CHECK (length(author_name) BETWEEN 1 AND 400),
    at          INTEGER NOT NULL,
    body        TEXT    NOT NULL CHECK (length(body) BETWEEN 1 AND 10000)
) STRICT;
CREATE INDEX clinic_notes_patient ON clinic_notes (patient_id, at);

-- +goose Down
DROP TABLE clinic_notes;
DROP TABLE patient_summary;
DROP TABLE alerts;
