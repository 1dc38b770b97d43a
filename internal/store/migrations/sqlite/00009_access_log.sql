-- stenose schema, SQLite, step 9. Keep in step with ../postgres/00009_access_log.sql.
--
-- The log of every look (issue 13; sundhedsloven §§ 42 a–d, docs/sources.md
-- "Records and logging"): each time a clinician or an admin reads or
-- changes a patient's data, one row — when, who, what, which patient. The
-- patient sees it ("who has looked at my data"), an admin can export it.
--
-- Append-only: the app never changes or deletes a row, and the database
-- refuses to (the triggers below). It outlives the accounts it names:
-- actor_id and patient_id are not foreign keys, and the actor's login and
-- name are copied in, so the log still says who after an account is gone.
--
-- action: view or change; what: the part of the record (list, patient,
-- progress, diary, programme, notes, report, alerts, export …).

-- +goose Up
CREATE TABLE access_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         INTEGER NOT NULL,
    actor_id   INTEGER NOT NULL,
    actor      TEXT    NOT NULL CHECK (length(actor) BETWEEN 1 AND 400),
    actor_role TEXT    NOT NULL CHECK (actor_role IN ('clinician', 'admin')),
    clinic_id  INTEGER,
    patient_id INTEGER NOT NULL,
    action     TEXT    NOT NULL CHECK (action IN ('view', 'change')),
    what       TEXT    NOT NULL CHECK (length(what) BETWEEN 1 AND 100)
) STRICT;
CREATE INDEX access_log_patient ON access_log (patient_id, at);
CREATE INDEX access_log_clinic ON access_log (clinic_id, at);

-- +goose StatementBegin
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE access_log;
