-- stenose schema, PostgreSQL, step 8. Keep in step with ../sqlite/00008_clinics.sql,
-- which says what the tables and columns hold.

-- +goose Up
CREATE TABLE clinics (
    id            bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug          text    NOT NULL CONSTRAINT clinics_slug_key UNIQUE
                          CONSTRAINT clinics_slug_check CHECK (slug ~ '^[a-z0-9][a-z0-9-]*$' AND length(slug) <= 60),
    name          text    NOT NULL CONSTRAINT clinics_name_check CHECK (length(name) BETWEEN 1 AND 200),
    address       text    NOT NULL DEFAULT '' CONSTRAINT clinics_address_check CHECK (length(address) <= 1000),
    phone         text    NOT NULL DEFAULT '' CONSTRAINT clinics_phone_check CHECK (length(phone) <= 40),
    email         text    NOT NULL DEFAULT '' CONSTRAINT clinics_email_check CHECK (length(email) <= 320),
    hours         text    NOT NULL DEFAULT '' CONSTRAINT clinics_hours_check CHECK (length(hours) <= 1000),
    region        text    NOT NULL DEFAULT '' CONSTRAINT clinics_region_check CHECK (length(region) <= 60),
    signup        text    NOT NULL DEFAULT 'invite' CONSTRAINT clinics_signup_check CHECK (signup IN ('open', 'invite')),
    inactive_days integer NOT NULL DEFAULT 7 CONSTRAINT clinics_inactive_days_check CHECK (inactive_days BETWEEN 1 AND 365),
    created_at    bigint  NOT NULL
);

ALTER TABLE users ADD COLUMN clinic_id bigint REFERENCES clinics (id);
ALTER TABLE users ADD COLUMN disabled_at bigint;
CREATE INDEX users_clinic ON users (clinic_id, role);

CREATE TABLE invitations (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id   bigint NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    code_hash   bytea  NOT NULL CONSTRAINT invitations_code_hash_key UNIQUE
                       CONSTRAINT invitations_code_hash_check CHECK (length(code_hash) = 32),
    created_by  bigint REFERENCES users (id) ON DELETE SET NULL,
    name        text   NOT NULL DEFAULT '' CONSTRAINT invitations_name_check CHECK (length(name) <= 200),
    programme   text   NOT NULL DEFAULT '' CONSTRAINT invitations_programme_check CHECK (length(programme) <= 100),
    created_at  bigint NOT NULL,
    expires_at  bigint NOT NULL,
    used_at     bigint,
    used_by     bigint REFERENCES users (id) ON DELETE SET NULL,
    revoked_at  bigint,
    CONSTRAINT invitations_expiry_check CHECK (expires_at > created_at)
);
CREATE INDEX invitations_clinic ON invitations (clinic_id, created_at);

-- +goose Down
DROP TABLE invitations;
DROP INDEX users_clinic;
ALTER TABLE users DROP COLUMN disabled_at;
ALTER TABLE users DROP COLUMN clinic_id;
DROP TABLE clinics;
