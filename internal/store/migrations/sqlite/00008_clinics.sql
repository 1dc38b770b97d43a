-- stenose schema, SQLite, step 8. Keep in step with ../postgres/00008_clinics.sql.
--
-- Clinics as tenants (issue 13). A clinic has clinicians and patients;
-- users.clinic_id is the clinic a user belongs to (NULL: none — a
-- one-clinic install made before clinics existed, or an admin of the whole
-- install). A clinician sees only the patients of their own clinic: every
-- clinician query takes the clinic and filters by it in SQL.
--
-- clinics: slug is the operator's short name (`stenose clinic add SLUG`);
-- signup is 'invite' (only with an invitation: the default — a clinic
-- exists to have clinicians, who invite their patients) or 'open' (anyone
-- may make a patient account in it); inactive_days is N of "N days without
-- activity" on the patient list. The details (name, address lines, phone,
-- e-mail, opening hours, region) replace content/clinic.yaml's for the
-- clinic's patients once a clinic exists.
--
-- users.disabled_at: an admin disabled the account (unix seconds); it
-- cannot sign in and its sessions are ended.
--
-- invitations: a single-use code a clinician gives a patient (read out
-- over the phone or printed with a QR code). code_hash is the SHA-256 of
-- the normalised code (the code itself is shown once and never stored);
-- name and programme optionally fill in the sign-up; a code counts only
-- while unused, unrevoked and before expires_at.

-- +goose Up
CREATE TABLE clinics (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    slug          TEXT    NOT NULL UNIQUE CHECK (slug NOT GLOB '*[^a-z0-9-]*' AND slug GLOB '[a-z0-9]*' AND length(slug) BETWEEN 1 AND 60),
    name          TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    address       TEXT    NOT NULL DEFAULT '' CHECK (length(address) <= 1000),
    phone         TEXT    NOT NULL DEFAULT '' CHECK (length(phone) <= 40),
    email         TEXT    NOT NULL DEFAULT '' CHECK (length(email) <= 320),
    hours         TEXT    NOT NULL DEFAULT '' CHECK (length(hours) <= 1000),
    region        TEXT    NOT NULL DEFAULT '' CHECK (length(region) <= 60),
    signup        TEXT    NOT NULL DEFAULT 'invite' CHECK (signup IN ('open', 'invite')),
    inactive_days INTEGER NOT NULL DEFAULT 7 CHECK (inactive_days BETWEEN 1 AND 365),
    created_at    INTEGER NOT NULL
) STRICT;

ALTER TABLE users ADD COLUMN clinic_id INTEGER REFERENCES clinics (id);
ALTER TABLE users ADD COLUMN disabled_at INTEGER;
CREATE INDEX users_clinic ON users (clinic_id, role);

CREATE TABLE invitations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id   INTEGER NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    code_hash   BLOB    NOT NULL UNIQUE CHECK (length(code_hash) = 32),
    created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    name        TEXT    NOT NULL DEFAULT '' CHECK (length(name) <= 200),
    programme   TEXT    NOT NULL DEFAULT '' CHECK (length(programme) <= 100),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER,
    used_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    revoked_at  INTEGER,
    CHECK (expires_at > created_at)
) STRICT;
CREATE INDEX invitations_clinic ON invitations (clinic_id, created_at);

-- +goose Down
DROP TABLE invitations;
DROP INDEX users_clinic;
ALTER TABLE users DROP COLUMN disabled_at;
ALTER TABLE users DROP COLUMN clinic_id;
DROP TABLE clinics;
