-- stenose schema, PostgreSQL, step 15. Keep in step with ../sqlite/00015_known_devices.sql,
-- which says what the table holds.

-- +goose Up
CREATE TABLE known_devices (
    token_hash bytea  NOT NULL CONSTRAINT known_devices_token_hash_check CHECK (length(token_hash) = 32),
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    last_at    bigint NOT NULL,
    PRIMARY KEY (token_hash, user_id)
);
CREATE INDEX known_devices_user ON known_devices (user_id);
CREATE INDEX known_devices_last ON known_devices (last_at);

-- +goose Down
DROP TABLE known_devices;
