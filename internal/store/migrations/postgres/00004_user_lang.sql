-- The language a user reads the app in, chosen with the app's language
-- switch (internal/web) and kept on the account so it follows the user to
-- every device they sign in on. NULL: never chosen, which is Danish.
-- Keep in step with ../sqlite/00004_user_lang.sql.

-- +goose Up
ALTER TABLE users ADD COLUMN lang text CONSTRAINT users_lang_check CHECK (lang IN ('da', 'en'));

-- +goose Down
ALTER TABLE users DROP COLUMN lang;
