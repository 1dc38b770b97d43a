-- stenose schema, SQLite, step 13. Keep in step with ../postgres/00013_reset_codes.sql.
--
-- One-time reset codes (issue 13): there is no e-mail server, so an
-- admin gives a user who forgot their password a code, read out over the
-- phone; the user types their login, the code and a new password on a
-- public page (/konto/nulstil).
--
-- code_hash is the SHA-256 of the normalised code (the code is shown once
-- and never stored); a code counts only before expires_at and while
-- used_at is NULL. A user has at most one open code: a new one replaces
-- the old (store.CreateResetCode deletes it). created_by is the admin
-- (NULL once their account is gone).

-- +goose Up
CREATE TABLE reset_codes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash   BLOB    NOT NULL UNIQUE CHECK (length(code_hash) = 32),
    created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER,
    CHECK (expires_at > created_at)
) STRICT;
CREATE INDEX reset_codes_user ON reset_codes (user_id);

-- +goose Down
DROP TABLE reset_codes;
