-- stenose schema, PostgreSQL, step 11. Keep in step with ../sqlite/00011_workspace.sql,
-- which says what the tables hold and why.

-- +goose Up
CREATE TABLE alerts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id  bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code        text   NOT NULL CONSTRAINT alerts_code_check CHECK (length(code) BETWEEN 1 AND 60),
    rank        smallint NOT NULL CONSTRAINT alerts_rank_check CHECK (rank BETWEEN 0 AND 2),
    episode     text   NOT NULL CONSTRAINT alerts_episode_check CHECK (length(episode) BETWEEN 1 AND 60),
    raised_at   bigint NOT NULL,
    data        text   NOT NULL DEFAULT '{}' CONSTRAINT alerts_data_check CHECK (length(data) <= 4000),
    ack_at      bigint,
    ack_by      bigint REFERENCES users (id) ON DELETE SET NULL,
    ack_by_name text   NOT NULL DEFAULT '' CONSTRAINT alerts_ack_by_name_check CHECK (length(ack_by_name) <= 400),
    ack_note    text   NOT NULL DEFAULT '' CONSTRAINT alerts_ack_note_check CHECK (length(ack_note) <= 2000),
    UNIQUE (patient_id, code, episode)
);
CREATE INDEX alerts_open ON alerts (patient_id, rank) WHERE ack_at IS NULL;

CREATE TABLE patient_summary (
    patient_id     bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    clinic_id      bigint NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    name_key       bytea  NOT NULL,
    name_fold      text   NOT NULL,
    open_alerts    integer NOT NULL DEFAULT 0 CONSTRAINT patient_summary_open_alerts_check CHECK (open_alerts >= 0),
    top_rank       smallint NOT NULL DEFAULT 9 CONSTRAINT patient_summary_top_rank_check CHECK (top_rank BETWEEN 0 AND 9),
    top_code       text   NOT NULL DEFAULT '' CONSTRAINT patient_summary_top_code_check CHECK (length(top_code) <= 60),
    adherence_2w   integer CONSTRAINT patient_summary_adherence_2w_check CHECK (adherence_2w BETWEEN 0 AND 1000),
    adherence_4w   integer CONSTRAINT patient_summary_adherence_4w_check CHECK (adherence_4w BETWEEN 0 AND 1000),
    walk_trend     integer CONSTRAINT patient_summary_walk_trend_check CHECK (walk_trend BETWEEN -100 AND 10000),
    leg_pain       smallint CONSTRAINT patient_summary_leg_pain_check CHECK (leg_pain BETWEEN 0 AND 10),
    leg_pain_at    bigint,
    last_activity  bigint,
    derived_at     bigint NOT NULL
);
CREATE INDEX patient_summary_list ON patient_summary (clinic_id, top_rank, name_key);

CREATE TABLE clinic_notes (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id  bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    author_id   bigint REFERENCES users (id) ON DELETE SET NULL,
    author_name text   NOT NULL CONSTRAINT clinic_notes_author_name_check CHECK (length(author_name) BETWEEN 1 AND 400),
    at          bigint NOT NULL,
    body        text   NOT NULL CONSTRAINT clinic_notes_body_check CHECK (length(body) BETWEEN 1 AND 10000)
);
CREATE INDEX clinic_notes_patient ON clinic_notes (patient_id, at);

-- +goose Down
DROP TABLE clinic_notes;
DROP TABLE patient_summary;
DROP TABLE alerts;
