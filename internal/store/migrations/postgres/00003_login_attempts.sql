-- Sign-in attempts, shared by every `stenose serve` instance on this
-- database so the rate limits of internal/account hold across all of them.
-- Keep in step with ../sqlite/00003_login_attempts.sql.
-- bucket is what is limited: "login:NAME" (the login as typed, lower-cased)
-- or "addr:IP" (an IPv6 /64 as one); at is unix seconds. A row is a failed
-- attempt, or one still being checked (deleted again if it succeeds or is
-- refused). No foreign key: an unknown login is limited too. Rows older than
-- the longest limit window count for nothing and are pruned (ratelimit.go).

-- +goose Up
CREATE TABLE login_attempts (
    id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    bucket text   NOT NULL,
    at     bigint NOT NULL
);
CREATE INDEX login_attempts_bucket_at ON login_attempts (bucket, at);
CREATE INDEX login_attempts_at ON login_attempts (at);

-- +goose Down
DROP TABLE login_attempts;
