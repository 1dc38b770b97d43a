-- stenose schema, SQLite, step 12. Keep in step with ../postgres/00012_programme_versions.sql.
--
-- programme_versions: a patient's programme as their clinician set it, one
-- row per version (issue 13, "Programme per patient"). The newest row is
-- the current programme; without a row the content's default programme
-- applies. A version names the one it replaced (prev_id, 0 for the first)
-- and counts from 1 (version); UNIQUE (user_id, prev_id) keeps the versions
-- one chain, so two clinicians editing from the same version cannot both
-- save: the second is told it has changed, never silently overwritten.
--
-- clinic_id is the clinic whose clinician made the version; by_id and
-- by_name are the clinician's account and name as they were (not a foreign
-- key: the version still says who after their account is gone). reason is
-- what the clinician told the patient about the change (required, at most
-- 500 characters). base is the content programme's slug the version is
-- built on (its name, introduction and rest exercise). items are the
-- chosen exercises in order, each with its dose, as JSON text:
-- [{"exercise": "kattestraek", "kind": "reps", "seconds": 0,
--   "secondsPerRep": 6, "reps": 8, "sides": 1, "sets": 2, "rest": 30}, …].
-- per_week is the planned sessions a week (1–14), walk_minutes the walking
-- target per walk (1–30 minutes, pauses not counted).
--
-- The rows go with the patient's account (ON DELETE CASCADE); who looked
-- at or changed the programme stays in access_log.

-- +goose Up
CREATE TABLE programme_versions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    version      INTEGER NOT NULL CHECK (version >= 1),
    prev_id      INTEGER NOT NULL DEFAULT 0,
    at           INTEGER NOT NULL,
    clinic_id    INTEGER NOT NULL,
    by_id        INTEGER NOT NULL,
    by_name      TEXT    NOT NULL CHECK (length(by_name) BETWEEN 1 AND 400),
    reason       TEXT    NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    base         TEXT    NOT NULL CHECK (length(base) BETWEEN 1 AND 200),
    items        TEXT    NOT NULL,
    per_week     INTEGER NOT NULL CHECK (per_week BETWEEN 1 AND 14),
    walk_minutes INTEGER NOT NULL CHECK (walk_minutes BETWEEN 1 AND 30),
    created_at   INTEGER NOT NULL,
    UNIQUE (user_id, prev_id),
    UNIQUE (user_id, version)
) STRICT;

-- +goose Down
DROP TABLE programme_versions;
