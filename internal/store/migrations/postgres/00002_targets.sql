-- stenose schema, PostgreSQL, step 2. Keep in step with ../sqlite/00002_targets.sql,
-- which describes the columns.

-- +goose Up
CREATE TABLE targets (
    id           bigint   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    at           bigint   NOT NULL,
    walk_minutes smallint NOT NULL CONSTRAINT targets_walk_minutes_check CHECK (walk_minutes BETWEEN 0 AND 120),
    reps         text     NOT NULL DEFAULT '{}',
    set_by       text     NOT NULL CONSTRAINT targets_set_by_check CHECK (set_by IN ('rules', 'patient', 'clinician')),
    advice       text     NOT NULL DEFAULT '',
    prev_id      bigint   NOT NULL DEFAULT 0,
    created_at   bigint   NOT NULL,
    CONSTRAINT targets_prev_id_key UNIQUE (user_id, prev_id)
);

ALTER TABLE training_session_steps ADD COLUMN symptom_kinds text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE training_session_steps DROP COLUMN symptom_kinds;
DROP TABLE targets;
