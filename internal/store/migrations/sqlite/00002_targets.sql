-- stenose schema, SQLite, step 2. Keep in step with ../postgres/00002_targets.sql.
--
-- targets: a patient's training targets, one row per change (the newest row
-- is the current targets, the older ones their history). walk_minutes is
-- the walking time per walk, pauses not counted (0: none); reps maps an
-- exercise's slug to repetitions per set, as JSON text ({"kattestraek": 10};
-- '{}': none). set_by says who set them; advice is the rules' code the
-- patient accepted (PROGRESS_TARGET_UP, TARGET_DOWN) when set_by is 'rules'.
-- at is when they were set: its day is the day the stable week is counted
-- from (docs/rules.md). prev_id is the version a change replaced (0: the
-- first); UNIQUE (user_id, prev_id) keeps the versions one chain, so two
-- changes made from the same version (a double tap, two devices) cannot
-- both be saved.
--
-- training_session_steps.symptom_kinds: which symptoms the patient named in
-- the player during the step, comma-separated in a fixed order from
-- tingling, burning, weakness, pain ('' for none named, and for every
-- record synced before the player asked).

-- +goose Up
CREATE TABLE targets (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    at           INTEGER NOT NULL,
    walk_minutes INTEGER NOT NULL CHECK (walk_minutes BETWEEN 0 AND 120),
    reps         TEXT    NOT NULL DEFAULT '{}',
    set_by       TEXT    NOT NULL CHECK (set_by IN ('rules', 'patient', 'clinician')),
    advice       TEXT    NOT NULL DEFAULT '',
    prev_id      INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    UNIQUE (user_id, prev_id)
) STRICT;

ALTER TABLE training_session_steps ADD COLUMN symptom_kinds TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE training_session_steps DROP COLUMN symptom_kinds;
DROP TABLE targets;
