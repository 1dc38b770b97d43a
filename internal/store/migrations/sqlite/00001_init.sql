-- stenose schema, SQLite. Keep in step with ../postgres/00001_init.sql.
-- Times are unix seconds (INTEGER); yes/no values are 0/1 INTEGERs.
-- STRICT tables reject a value of the wrong type instead of storing it.
-- AUTOINCREMENT: an id is never reused after a delete, so a stale link or
-- session can never point at someone else's row.
-- Every table holding a user's data reaches users(id) through ON DELETE
-- CASCADE, so deleting the user deletes all of it.

-- +goose Up
CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    login         TEXT    NOT NULL UNIQUE,
    email         TEXT    UNIQUE,
    name          TEXT    NOT NULL DEFAULT '',
    password_hash TEXT    NOT NULL DEFAULT '',
    role          TEXT    NOT NULL CHECK (role IN ('patient', 'clinician', 'admin')),
    created_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
    token   TEXT    PRIMARY KEY,
    user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    data    BLOB    NOT NULL,
    expiry  INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_expiry ON sessions (expiry);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE diary_entries (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    at         INTEGER NOT NULL,
    leg_pain   INTEGER NOT NULL CHECK (leg_pain BETWEEN 0 AND 10),
    back_pain  INTEGER NOT NULL CHECK (back_pain BETWEEN 0 AND 10),
    tingling   INTEGER NOT NULL CHECK (tingling IN (0, 1)),
    burning    INTEGER NOT NULL CHECK (burning IN (0, 1)),
    weakness   INTEGER NOT NULL CHECK (weakness IN (0, 1)),
    note       TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX diary_entries_user_at ON diary_entries (user_id, at);

CREATE TABLE training_sessions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id  TEXT    NOT NULL,
    programme  TEXT    NOT NULL DEFAULT '',
    started_at INTEGER NOT NULL,
    ended_at   INTEGER NOT NULL,
    symptoms   INTEGER NOT NULL DEFAULT 0 CHECK (symptoms >= 0),
    created_at INTEGER NOT NULL,
    UNIQUE (user_id, client_id),
    CHECK (ended_at >= started_at)
) STRICT;
CREATE INDEX training_sessions_user_started ON training_sessions (user_id, started_at);

CREATE TABLE training_session_steps (
    session_id INTEGER NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    exercise   TEXT    NOT NULL,
    done       INTEGER NOT NULL CHECK (done IN (0, 1)),
    symptoms   INTEGER NOT NULL CHECK (symptoms IN (0, 1)),
    PRIMARY KEY (session_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE walks (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id  TEXT    NOT NULL,
    started_at INTEGER NOT NULL,
    ended_at   INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (user_id, client_id),
    CHECK (ended_at >= started_at)
) STRICT;
CREATE INDEX walks_user_started ON walks (user_id, started_at);

CREATE TABLE walk_bouts (
    walk_id                INTEGER NOT NULL REFERENCES walks (id) ON DELETE CASCADE,
    seq                    INTEGER NOT NULL,
    walk_seconds           INTEGER NOT NULL CHECK (walk_seconds >= 0),
    pause_seconds          INTEGER NOT NULL CHECK (pause_seconds >= 0),
    first_symptoms_seconds INTEGER CHECK (first_symptoms_seconds >= 0),
    PRIMARY KEY (walk_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE red_flag_checkins (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    answers     TEXT    NOT NULL,
    urgent      INTEGER NOT NULL CHECK (urgent IN (0, 1)),
    examined_at INTEGER,
    created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX red_flag_checkins_user_at ON red_flag_checkins (user_id, at);

CREATE TABLE baselines (
    id                          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id                     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    at                          INTEGER NOT NULL,
    spwt_first_symptoms_seconds INTEGER CHECK (spwt_first_symptoms_seconds >= 0),
    spwt_stop_seconds           INTEGER NOT NULL CHECK (spwt_stop_seconds >= 0),
    nrs_leg                     INTEGER NOT NULL CHECK (nrs_leg BETWEEN 0 AND 10),
    nrs_back                    INTEGER NOT NULL CHECK (nrs_back BETWEEN 0 AND 10),
    created_at                  INTEGER NOT NULL
) STRICT;
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
