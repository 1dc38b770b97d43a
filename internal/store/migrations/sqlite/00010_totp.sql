-- stenose schema, SQLite, step 10. Keep in step with ../postgres/00010_totp.sql.
--
-- A second factor for the clinic's side (issue 13): a clinician's or an
-- admin's account opens many patients' records, so it signs in with a
-- password and a time-based one-time code (TOTP, RFC 6238) from an
-- authenticator app. Patients keep the password alone.
--
-- users.totp_secret: the shared secret (base 32), set when the user has
-- confirmed a first code; totp_enabled_at then. totp_last_step: the last
-- 30-second step a code was accepted for — a code is accepted once
-- (replay), and never for a step before it.
--
-- recovery_codes: ten single-use codes shown once at enrolment, for a lost
-- phone; stored as SHA-256 of the normalised code. An admin's reset of the
-- second factor deletes them with the secret.

-- +goose Up
ALTER TABLE users ADD COLUMN totp_secret TEXT CHECK (length(totp_secret) BETWEEN 16 AND 128);
ALTER TABLE users ADD COLUMN totp_enabled_at INTEGER;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER;

CREATE TABLE recovery_codes (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash BLOB    NOT NULL CHECK (length(code_hash) = 32),
    used_at   INTEGER,
    UNIQUE (user_id, code_hash)
) STRICT;

-- +goose Down
DROP TABLE recovery_codes;
ALTER TABLE users DROP COLUMN totp_last_step;
ALTER TABLE users DROP COLUMN totp_enabled_at;
ALTER TABLE users DROP COLUMN totp_secret;
