-- stenose schema, PostgreSQL, step 10. Keep in step with ../sqlite/00010_totp.sql,
-- which says what the columns and the table hold.

-- +goose Up
ALTER TABLE users ADD COLUMN totp_secret text CONSTRAINT users_totp_secret_check CHECK (length(totp_secret) BETWEEN 16 AND 128);
ALTER TABLE users ADD COLUMN totp_enabled_at bigint;
ALTER TABLE users ADD COLUMN totp_last_step bigint;

CREATE TABLE recovery_codes (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id   bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash bytea  NOT NULL CONSTRAINT recovery_codes_code_hash_check CHECK (length(code_hash) = 32),
    used_at   bigint,
    CONSTRAINT recovery_codes_user_code_key UNIQUE (user_id, code_hash)
);

-- +goose Down
DROP TABLE recovery_codes;
ALTER TABLE users DROP COLUMN totp_last_step;
ALTER TABLE users DROP COLUMN totp_enabled_at;
ALTER TABLE users DROP COLUMN totp_secret;
