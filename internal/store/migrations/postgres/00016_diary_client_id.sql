-- stenose schema, PostgreSQL, step 16. Keep in step with ../sqlite/00016_diary_client_id.sql,
-- which says what the column holds.
--
-- The column is added without a default, so no row is rewritten; building
-- the index reads the table once (every existing row is NULL, so it starts
-- empty) and holds off diary writes meanwhile: seconds for millions of
-- entries.

-- +goose Up
ALTER TABLE diary_entries ADD COLUMN client_id text
    CONSTRAINT diary_entries_client_id_check CHECK (length(client_id) BETWEEN 1 AND 128);
CREATE UNIQUE INDEX diary_entries_client_id ON diary_entries (user_id, client_id) WHERE client_id IS NOT NULL;

-- +goose Down
DROP INDEX diary_entries_client_id;
ALTER TABLE diary_entries DROP COLUMN client_id;
