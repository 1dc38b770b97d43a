-- stenose schema, SQLite, step 7. Keep in step with ../postgres/00007_examination.sql.
--
-- What the patient confirms when lifting a red-flag pause (/start/undersoegt):
-- the day a doctor examined them and by whom. examined_at stays the moment
-- they confirmed it.
--
-- examined_on: the day of the examination, YYYY-MM-DD, in the patient's own
-- calendar (Copenhagen), on or after the check-in's day and not after the
-- day it was confirmed (the app checks both). The rules read it as the
-- check-in's examinedSince. NULL with examined_at set: a confirmation made
-- before this step, which asked no date; its day is examined_at's, as it
-- always was read, so no row is rewritten.
--
-- examined_by: own_doctor, out_of_hours (lægevagten, Akuttelefonen 1813),
-- emergency (an emergency department) or other; examined_by_other is the
-- patient's own words for other.

-- +goose Up
ALTER TABLE red_flag_checkins ADD COLUMN examined_on TEXT
    CHECK (examined_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
ALTER TABLE red_flag_checkins ADD COLUMN examined_by TEXT
    CHECK (examined_by IN ('own_doctor', 'out_of_hours', 'emergency', 'other'));
ALTER TABLE red_flag_checkins ADD COLUMN examined_by_other TEXT
    CHECK (length(examined_by_other) BETWEEN 1 AND 200);

-- +goose Down
ALTER TABLE red_flag_checkins DROP COLUMN examined_by_other;
ALTER TABLE red_flag_checkins DROP COLUMN examined_by;
ALTER TABLE red_flag_checkins DROP COLUMN examined_on;
