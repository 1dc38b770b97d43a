-- stenose schema, PostgreSQL, step 14. Keep in step with ../sqlite/00014_calendar_feeds.sql,
-- which says what the table holds.

-- +goose Up
CREATE TABLE calendar_feeds (
    user_id     bigint  PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    series      text    NOT NULL CONSTRAINT calendar_feeds_series_check CHECK (length(series) = 32),
    weekdays    integer NOT NULL CONSTRAINT calendar_feeds_weekdays_check CHECK (weekdays BETWEEN 1 AND 127),
    minute      integer NOT NULL CONSTRAINT calendar_feeds_minute_check CHECK (minute BETWEEN 0 AND 1439),
    token_hash  bytea   CONSTRAINT calendar_feeds_token_hash_key UNIQUE CONSTRAINT calendar_feeds_token_hash_check CHECK (length(token_hash) = 32),
    token_at    bigint,
    created_at  bigint  NOT NULL,
    updated_at  bigint  NOT NULL,
    CONSTRAINT calendar_feeds_token_at_check CHECK ((token_hash IS NULL) = (token_at IS NULL))
);

-- +goose Down
DROP TABLE calendar_feeds;
