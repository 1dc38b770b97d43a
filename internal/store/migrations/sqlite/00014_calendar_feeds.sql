-- stenose schema, SQLite, step 14. Keep in step with ../postgres/00014_calendar_feeds.sql.
--
-- The patient's training calendar (issue 14): a secret link a phone's
-- calendar subscribes to (GET /kalender/SECRET.ics), with the planned
-- training days and the status consultations. One row per patient, made
-- when they first save the page /konto/kalender; deleted with the account.
--
-- weekdays: the days they train, bit 0 Monday … bit 6 Sunday; minute: the
-- time of day in Europe/Copenhagen, minutes after midnight. series: a
-- random id the events' UIDs are made from, kept for the row's life, so a
-- calendar updates its events instead of adding them twice.
--
-- token_hash is the SHA-256 of the link's secret (192 random bits, shown
-- once and never stored); NULL while the calendar is turned off. A new
-- link replaces the hash, so the old link stops at once. token_at is when
-- the link was made.

-- +goose Up
CREATE TABLE calendar_feeds (
    user_id     INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    series      TEXT    NOT NULL CHECK (length(series) = 32),
    weekdays    INTEGER NOT NULL CHECK (weekdays BETWEEN 1 AND 127),
    minute      INTEGER NOT NULL CHECK (minute BETWEEN 0 AND 1439),
    token_hash  BLOB    UNIQUE CHECK (length(token_hash) = 32),
    token_at    INTEGER,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    CHECK ((token_hash IS NULL) = (token_at IS NULL))
) STRICT;

-- +goose Down
DROP TABLE calendar_feeds;
