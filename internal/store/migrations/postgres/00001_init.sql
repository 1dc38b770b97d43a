-- stenose schema, PostgreSQL. Keep in step with ../sqlite/00001_init.sql.
-- Times are unix seconds (bigint), as on SQLite, so both engines share one
-- code path. Constraints are named table_column_key / table_column_check
-- (PostgreSQL's own convention), which the store reads to tell which field
-- was at fault. Identity ids are never reused.
-- Every table holding a user's data reaches users(id) through ON DELETE
-- CASCADE, so deleting the user deletes all of it.

-- +goose Up
CREATE TABLE users (
    id            bigint   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login         text     NOT NULL CONSTRAINT users_login_key UNIQUE,
    email         text     CONSTRAINT users_email_key UNIQUE,
    name          text     NOT NULL DEFAULT '',
    password_hash text     NOT NULL DEFAULT '',
    role          text     NOT NULL CONSTRAINT users_role_check CHECK (role IN ('patient', 'clinician', 'admin')),
    created_at    bigint   NOT NULL
);

CREATE TABLE sessions (
    token   text   PRIMARY KEY,
    user_id bigint REFERENCES users (id) ON DELETE CASCADE,
    data    bytea  NOT NULL,
    expiry  bigint NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE diary_entries (
    id         bigint   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    at         bigint   NOT NULL,
    leg_pain   smallint NOT NULL CONSTRAINT diary_entries_leg_pain_check CHECK (leg_pain BETWEEN 0 AND 10),
    back_pain  smallint NOT NULL CONSTRAINT diary_entries_back_pain_check CHECK (back_pain BETWEEN 0 AND 10),
    tingling   boolean  NOT NULL,
    burning    boolean  NOT NULL,
    weakness   boolean  NOT NULL,
    note       text     NOT NULL DEFAULT '',
    created_at bigint   NOT NULL,
    updated_at bigint   NOT NULL
);
CREATE INDEX diary_entries_user_at ON diary_entries (user_id, at);

CREATE TABLE training_sessions (
    id         bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id  text    NOT NULL,
    programme  text    NOT NULL DEFAULT '',
    started_at bigint  NOT NULL,
    ended_at   bigint  NOT NULL,
    symptoms   integer NOT NULL DEFAULT 0 CONSTRAINT training_sessions_symptoms_check CHECK (symptoms >= 0),
    created_at bigint  NOT NULL,
    CONSTRAINT training_sessions_client_id_key UNIQUE (user_id, client_id),
    CONSTRAINT training_sessions_ended_at_check CHECK (ended_at >= started_at)
);
CREATE INDEX training_sessions_user_started ON training_sessions (user_id, started_at);

CREATE TABLE training_session_steps (
    session_id bigint  NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
    seq        integer NOT NULL,
    exercise   text    NOT NULL,
    done       boolean NOT NULL,
    symptoms   boolean NOT NULL,
    PRIMARY KEY (session_id, seq)
);

CREATE TABLE walks (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id  text   NOT NULL,
    started_at bigint NOT NULL,
    ended_at   bigint NOT NULL,
    created_at bigint NOT NULL,
    CONSTRAINT walks_client_id_key UNIQUE (user_id, client_id),
    CONSTRAINT walks_ended_at_check CHECK (ended_at >= started_at)
);
CREATE INDEX walks_user_started ON walks (user_id, started_at);

CREATE TABLE walk_bouts (
    walk_id                bigint  NOT NULL REFERENCES walks (id) ON DELETE CASCADE,
    seq                    integer NOT NULL,
    walk_seconds           integer NOT NULL CONSTRAINT walk_bouts_walk_seconds_check CHECK (walk_seconds >= 0),
    pause_seconds          integer NOT NULL CONSTRAINT walk_bouts_pause_seconds_check CHECK (pause_seconds >= 0),
    first_symptoms_seconds integer CONSTRAINT walk_bouts_first_symptoms_seconds_check CHECK (first_symptoms_seconds >= 0),
    PRIMARY KEY (walk_id, seq)
);

CREATE TABLE red_flag_checkins (
    id          bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    at          bigint  NOT NULL,
    answers     text    NOT NULL,
    urgent      boolean NOT NULL,
    examined_at bigint,
    created_at  bigint  NOT NULL
);
CREATE INDEX red_flag_checkins_user_at ON red_flag_checkins (user_id, at);

CREATE TABLE baselines (
    id                          bigint   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id                     bigint   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    at                          bigint   NOT NULL,
    spwt_first_symptoms_seconds integer  CONSTRAINT baselines_spwt_first_symptoms_seconds_check CHECK (spwt_first_symptoms_seconds >= 0),
    spwt_stop_seconds           integer  NOT NULL CONSTRAINT baselines_spwt_stop_seconds_check CHECK (spwt_stop_seconds >= 0),
    nrs_leg                     smallint NOT NULL CONSTRAINT baselines_nrs_leg_check CHECK (nrs_leg BETWEEN 0 AND 10),
    nrs_back                    smallint NOT NULL CONSTRAINT baselines_nrs_back_check CHECK (nrs_back BETWEEN 0 AND 10),
    created_at                  bigint   NOT NULL
);
CREATE INDEX baselines_user_at ON baselines (user_id, at);

-- +goose Down
DROP TABLE baselines;
DROP TABLE red_flag_checkins;
DROP TABLE walk_bouts;
DROP TABLE walks;
DROP TABLE training_session_steps;
DROP TABLE training_sessions;
DROP TABLE diary_entries;
DROP TABLE sessions;
DROP TABLE users;
