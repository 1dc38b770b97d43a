-- stenose schema, PostgreSQL, step 9. Keep in step with ../sqlite/00009_access_log.sql,
-- which says what the table holds and why it is append-only.

-- +goose Up
CREATE TABLE access_log (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         bigint NOT NULL,
    actor_id   bigint NOT NULL,
    actor      text   NOT NULL CONSTRAINT access_log_actor_check CHECK (length(actor) BETWEEN 1 AND 400),
    actor_role text   NOT NULL CONSTRAINT access_log_actor_role_check CHECK (actor_role IN ('clinician', 'admin')),
    clinic_id  bigint,
    patient_id bigint NOT NULL,
    action     text   NOT NULL CONSTRAINT access_log_action_check CHECK (action IN ('view', 'change')),
    what       text   NOT NULL CONSTRAINT access_log_what_check CHECK (length(what) BETWEEN 1 AND 100)
);
CREATE INDEX access_log_patient ON access_log (patient_id, at);
CREATE INDEX access_log_clinic ON access_log (clinic_id, at);

-- +goose StatementBegin
CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'access_log is append-only';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER access_log_no_change BEFORE UPDATE OR DELETE ON access_log
    FOR EACH ROW EXECUTE FUNCTION access_log_append_only();
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
    FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only();

-- +goose Down
DROP TABLE access_log;
DROP FUNCTION access_log_append_only();
