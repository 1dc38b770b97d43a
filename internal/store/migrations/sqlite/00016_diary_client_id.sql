-- stenose schema, SQLite, step 16. Keep in step with ../postgres/00016_diary_client_id.sql.
--
-- A diary entry written on the form carries the id the form was given when
-- it was shown (client_id: 22 random URL-safe characters), as the player's
-- sessions and walk mode's walks carry theirs: a form sent twice — the
-- browser resending it, a retry after an instance was lost, a double tap —
-- is stored once per (user_id, client_id) (store.AddDiaryEntry inserts with
-- ON CONFLICT … DO NOTHING against the index below).
--
-- NULL: an entry from before this step, or from a form shown before it (a
-- page kept open over an upgrade); those are stored as they come, as
-- before. The index is partial, so any number of entries have none.

-- +goose Up
ALTER TABLE diary_entries ADD COLUMN client_id TEXT
    CHECK (length(client_id) BETWEEN 1 AND 128);
CREATE UNIQUE INDEX diary_entries_client_id ON diary_entries (user_id, client_id) WHERE client_id IS NOT NULL;

-- +goose Down
DROP INDEX diary_entries_client_id;
ALTER TABLE diary_entries DROP COLUMN client_id;
