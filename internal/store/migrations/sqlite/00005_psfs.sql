-- stenose schema, SQLite, step 5. Keep in step with ../postgres/00005_psfs.sql.
--
-- psfs_scores: the Patient-Specific Functional Scale, one row per scoring.
-- The patient names 1–3 activities the stenosis makes hard and scores each
-- 0 (cannot do it) to 10 (as before the problem); the first scoring is the
-- baseline, the patient scores the same activities again at the 4- and
-- 12-week status consultations. at is when it was scored (its day, in the
-- patient's zone, is the day the rules read).
--
-- activities is a JSON array, in the order the patient wrote them:
-- [{"name": "gå til bageren", "score": 4}, …]. Not a child table: a scoring
-- is always written and read whole, never one activity at a time, and holds
-- at most three, so one row keeps the write a single INSERT and the read a
-- single query without a join (as targets.reps and red_flag_checkins.answers
-- do). The store checks the activities before it writes them (1–3, names of
-- 1–80 characters, scores 0–10), since no CHECK can reach inside the text.

-- +goose Up
CREATE TABLE psfs_scores (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    at         INTEGER NOT NULL,
    activities TEXT    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX psfs_scores_user_at ON psfs_scores (user_id, at);

-- +goose Down
DROP TABLE psfs_scores;
