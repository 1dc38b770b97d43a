-- stenose schema, PostgreSQL, step 7. Keep in step with ../sqlite/00007_examination.sql,
-- which says what the columns hold.

-- +goose Up
ALTER TABLE red_flag_checkins ADD COLUMN examined_on text
    CONSTRAINT red_flag_checkins_examined_on_check CHECK (examined_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$');
ALTER TABLE red_flag_checkins ADD COLUMN examined_by text
    CONSTRAINT red_flag_checkins_examined_by_check CHECK (examined_by IN ('own_doctor', 'out_of_hours', 'emergency', 'other'));
ALTER TABLE red_flag_checkins ADD COLUMN examined_by_other text
    CONSTRAINT red_flag_checkins_examined_by_other_check CHECK (length(examined_by_other) BETWEEN 1 AND 200);

-- +goose Down
ALTER TABLE red_flag_checkins DROP COLUMN examined_by_other;
ALTER TABLE red_flag_checkins DROP COLUMN examined_by;
ALTER TABLE red_flag_checkins DROP COLUMN examined_on;
