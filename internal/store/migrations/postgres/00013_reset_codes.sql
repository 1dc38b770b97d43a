-- stenose schema, PostgreSQL, step 13. Keep in step with ../sqlite/00013_reset_codes.sql,
-- which says what the table holds.

-- +goose Up
CREATE TABLE reset_codes (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash   bytea  NOT NULL CONSTRAINT reset_codes_code_hash_key UNIQUE CONSTRAINT reset_codes_code_hash_check CHECK (length(code_hash) = 32),
    created_by  bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at  bigint NOT NULL,
    expires_at  bigint NOT NULL,
    used_at     bigint,
    CONSTRAINT reset_codes_expiry_check CHECK (expires_at > created_at)
);
CREATE INDEX reset_codes_user ON reset_codes (user_id);

-- +goose Down
DROP TABLE reset_codes;
