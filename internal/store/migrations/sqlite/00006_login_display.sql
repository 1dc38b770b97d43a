-- The login as the person typed it ("Søren Hansen"), beside users.login,
-- which stays what logins are compared by: the key internal/account makes
-- (NFKC, case folding, white space collapsed: "søren hansen") and the only
-- unique one. NULL: the same as the key, which is every login made before
-- this step (they were lower-case a–z, 0–9 and . _ -, their own key), so
-- nothing is rewritten and every existing account signs in as before.
-- Keep in step with ../postgres/00006_login_display.sql.

-- +goose Up
ALTER TABLE users ADD COLUMN login_display TEXT;

-- +goose Down
ALTER TABLE users DROP COLUMN login_display;
