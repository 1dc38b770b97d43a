-- stenose schema, PostgreSQL, step 12. Keep in step with
-- ../sqlite/00012_programme_versions.sql, which describes the columns.

-- +goose Up
CREATE TABLE programme_versions (
    id           bigint   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    version      integer  NOT NULL CONSTRAINT programme_versions_version_check CHECK (version >= 1),
    prev_id      bigint   NOT NULL DEFAULT 0,
    at           bigint   NOT NULL,
    clinic_id    bigint   NOT NULL,
    by_id        bigint   NOT NULL,
    by_name      text     NOT NULL CONSTRAINT programme_versions_by_name_check CHECK (length(by_name) BETWEEN 1 AND 400),
    reason       text     NOT NULL CONSTRAINT programme_versions_reason_check CHECK (length(reason) BETWEEN 1 AND 500),
    base         text     NOT NULL CONSTRAINT programme_versions_base_check CHECK (length(base) BETWEEN 1 AND 200),
    items        text     NOT NULL,
    per_week     smallint NOT NULL CONSTRAINT programme_versions_per_week_check CHECK (per_week BETWEEN 1 AND 14),
    walk_minutes smallint NOT NULL CONSTRAINT programme_versions_walk_minutes_check CHECK (walk_minutes BETWEEN 1 AND 30),
    created_at   bigint   NOT NULL,
    CONSTRAINT programme_versions_prev_id_key UNIQUE (user_id, prev_id),
    CONSTRAINT programme_versions_version_key UNIQUE (user_id, version)
);

-- +goose Down
DROP TABLE programme_versions;
