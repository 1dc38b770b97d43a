-- stenose schema, SQLite, step 15. Keep in step with ../postgres/00015_known_devices.sql.
--
-- The browsers a user has signed in on (issue 14, the targeted lock-out):
-- a successful sign-in gives the browser a random device token in a
-- cookie, and its SHA-256 is kept here with the user. A device on this
-- list is exempt from the login-wide sign-in limit that bounds guessing
-- from many addresses (internal/account, limit.go), so six wrong
-- guesses from elsewhere, or a slow attack from many addresses, do not
-- lock the owner out on their own phone; it has a bucket of its own
-- instead. One token may belong to several users (a shared tablet).
-- last_at is the last successful sign-in on the device (unix s); rows
-- older than a year are pruned, and a password reset forgets the user's
-- devices. A secret (like sessions): in the deletion's cascade, not in
-- the export.

-- +goose Up
CREATE TABLE known_devices (
    token_hash BLOB    NOT NULL CHECK (length(token_hash) = 32),
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    last_at    INTEGER NOT NULL,
    PRIMARY KEY (token_hash, user_id)
) STRICT;
CREATE INDEX known_devices_user ON known_devices (user_id);
CREATE INDEX known_devices_last ON known_devices (last_at);

-- +goose Down
DROP TABLE known_devices;
