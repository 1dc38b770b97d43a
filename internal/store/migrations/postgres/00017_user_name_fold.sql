-- stenose schema, PostgreSQL, step 17. Keep in step with ../sqlite/00017_user_name_fold.sql.
--
-- What the admin's search by name looks in: the name case-folded by Go
-- (store.foldText, Unicode-aware), because neither engine's lower() folds
-- Æ, Ø, Å — SQLite's lower() is ASCII-only, and so is PostgreSQL's in the
-- C locale many clusters use — so "øster" never found "Østergaard".
--
-- NULL: a user from before this step; store.Open fills those in once
-- (foldNames), and the search reads lower(name) for any still NULL.

-- +goose Up
ALTER TABLE users ADD COLUMN name_fold text;

-- +goose Down
ALTER TABLE users DROP COLUMN name_fold;
