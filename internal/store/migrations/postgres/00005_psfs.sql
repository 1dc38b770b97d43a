-- stenose schema, PostgreSQL, step 5. Keep in step with ../sqlite/00005_psfs.sql,
-- which describes the columns.

-- +goose Up
CREATE TABLE psfs_scores (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    at         bigint NOT NULL,
    activities text   NOT NULL,
    created_at bigint NOT NULL
);
CREATE INDEX psfs_scores_user_at ON psfs_scores (user_id, at);

-- +goose Down
DROP TABLE psfs_scores;
