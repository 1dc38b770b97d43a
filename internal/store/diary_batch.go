package store

// Batched diary inserts for PostgreSQL.
//
// A new diary entry is the busiest write (every patient, after every session
// and walk). On PostgreSQL each one was a statement of its own with its own
// commit: per entry a round trip, an executor start-up and a WAL flush, and
// on a small machine the server's CPU ran out at about 2,000 entries a
// second. The batcher takes the entries waiting when it is free — never
// waiting for more, so a lone entry goes at once — and inserts them with one
// multi-row INSERT: one round trip, one commit. Each caller is answered only
// after that statement has committed.
//
// The rows are fed to the INSERT in their order in the batch (ORDER BY
// ord), so the identity column numbers them in that order: the returned ids,
// sorted, belong to the entries in batch order. If the statement fails (one
// entry's user was deleted meanwhile, say), every entry is inserted again on
// its own and gets its own answer: one entry's trouble never fails another.
//
// With a Deriver installed (derive.go) the batch is one transaction: the
// INSERT, then each distinct patient of the batch derived once, then one
// commit. If anything fails before the commit, nothing was written and
// every entry is inserted again on its own, derived in its own
// transaction, as above; only a failed COMMIT (which may or may not have
// taken effect) is every caller's error.
//
// SQLite does not need this: its writes already share commits (commit.go).

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// maxDiaryBatch bounds the rows of one INSERT (10 parameters each).
const maxDiaryBatch = 64

// diaryFlushTimeout bounds one batch's statement: the batch runs on no
// caller's context (one caller going away must not cancel the others').
const diaryFlushTimeout = 30 * time.Second

type diaryJob struct {
	ctx  context.Context
	e    DiaryEntry
	done chan error // buffered; the job's e.ID is set before nil is sent
}

type diaryBatcher struct {
	s *Store
	q *batchQueue[*diaryJob]

	multi atomic.Int64 // multi-row INSERTs that committed (tests watch it)
}

func newDiaryBatcher(s *Store) *diaryBatcher {
	b := &diaryBatcher{s: s}
	b.q = newBatchQueue(maxDiaryBatch, b.flush, func(j *diaryJob) { j.done <- errClosed })
	return b
}

// add inserts e (checked and stamped by the caller) and returns it with its
// ID once committed.
func (b *diaryBatcher) add(ctx context.Context, e DiaryEntry) (DiaryEntry, error) {
	j := &diaryJob{ctx: ctx, e: e, done: make(chan error, 1)}
	if err := b.q.put(ctx, j); err != nil {
		return DiaryEntry{}, err
	}
	if err := <-j.done; err != nil {
		return DiaryEntry{}, err
	}
	return j.e, nil
}

func (b *diaryBatcher) close() { b.q.close() }

// flush inserts batch and answers every job.
func (b *diaryBatcher) flush(batch []*diaryJob) {
	live := batch[:0:0]
	for _, j := range batch {
		if err := j.ctx.Err(); err != nil {
			j.done <- err // gone before it began: nothing written
			continue
		}
		live = append(live, j)
	}
	if len(live) > 1 {
		ctx, cancel := context.WithTimeout(context.Background(), diaryFlushTimeout)
		var ids []int64
		var err error
		var pe *pgconn.PgError
		if b.s.deriver.Load() != nil {
			ids, err = b.insertDerived(ctx, live)
		} else {
			ids, err = b.insertMany(ctx, b.s.w, live)
		}
		cancel()
		var ambiguous *commitError
		switch {
		case err == nil:
			b.multi.Add(1)
			for i, j := range live {
				j.e.ID = ids[i]
				j.done <- nil
			}
			return
		case errors.As(err, &ambiguous) || (b.s.deriver.Load() == nil && !errors.As(err, &pe)):
			// Not the server refusing the statement (which rolls it back)
			// but, say, the connection lost: the rows may or may not be
			// there, so inserting them again could write them twice. Each
			// caller gets the error, as a lone insert's would.
			for _, j := range live {
				j.done <- err
			}
			return
		}
		// Refused, or in a transaction that ended before its commit:
		// nothing was written.
	}
	for _, j := range live { // one, or the batch failed: each on its own
		if err := j.ctx.Err(); err != nil {
			j.done <- err
			continue
		}
		j.done <- b.insertOne(j)
	}
}

// insertOne inserts j's entry on its own, derived in its transaction when
// a Deriver is installed.
func (b *diaryBatcher) insertOne(j *diaryJob) (err error) {
	if b.s.deriver.Load() == nil {
		j.e.ID, err = b.s.insertDiary(j.ctx, b.s.w, j.e)
		return err
	}
	ids, err := b.insertDerived(j.ctx, []*diaryJob{j})
	if err == nil {
		j.e.ID = ids[0]
	}
	return err
}

// commitError is a batch's failed COMMIT: whether it took effect is not
// known.
type commitError struct{ err error }

func (e *commitError) Error() string { return e.err.Error() }
func (e *commitError) Unwrap() error { return e.err }

// insertDerived inserts the jobs' entries in one statement and derives
// each of their patients once, in one transaction: the clinic's alerts and
// list line change with the entries, as for a lone entry (writePatient).
// An error before the commit rolled everything back; a failed commit is a
// *commitError.
func (b *diaryBatcher) insertDerived(ctx context.Context, jobs []*diaryJob) ([]int64, error) {
	tx, err := b.s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	ids, err := b.insertMany(ctx, tx, jobs)
	if err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	seen := make(map[int64]bool, len(jobs))
	var users []int64
	for _, j := range jobs {
		if !seen[j.e.UserID] {
			seen[j.e.UserID] = true
			users = append(users, j.e.UserID)
		}
	}
	if err := b.s.deriveMany(ctx, tx, users); err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, &commitError{err}
	}
	return ids, nil
}

// insertMany inserts the jobs' entries in one statement and returns their
// ids in the jobs' order.
func (b *diaryBatcher) insertMany(ctx context.Context, q querier, jobs []*diaryJob) ([]int64, error) {
	var sb strings.Builder
	sb.WriteString(`INSERT INTO diary_entries (user_id, at, leg_pain, back_pain, tingling, burning, weakness, note, created_at, updated_at)
		SELECT user_id, at, leg_pain, back_pain, tingling, burning, weakness, note, created_at, updated_at FROM (VALUES `)
	args := make([]any, 0, 10*len(jobs))
	for i, j := range jobs {
		if i > 0 {
			sb.WriteString(", ")
		}
		n := len(args)
		p := func(k int, typ string) string { return "$" + strconv.Itoa(n+k) + "::" + typ }
		sb.WriteString("(" + strconv.Itoa(i) + ", " + p(1, "bigint") + ", " + p(2, "bigint") + ", " + p(3, "smallint") + ", " +
			p(4, "smallint") + ", " + p(5, "boolean") + ", " + p(6, "boolean") + ", " + p(7, "boolean") + ", " +
			p(8, "text") + ", " + p(9, "bigint") + ", " + p(10, "bigint") + ")")
		e := j.e
		args = append(args, e.UserID, e.At.Unix(), e.LegPain, e.BackPain, e.Tingling, e.Burning, e.Weakness, e.Note,
			e.CreatedAt.Unix(), e.UpdatedAt.Unix())
	}
	sb.WriteString(`) AS v (ord, user_id, at, leg_pain, back_pain, tingling, burning, weakness, note, created_at, updated_at)
		ORDER BY ord RETURNING id`)
	rows, err := q.QueryContext(ctx, sb.String(), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := make([]int64, 0, len(jobs))
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) != len(jobs) {
		return nil, errorf(EINTERNAL, "", "diary batch: %d ids for %d entries", len(ids), len(jobs))
	}
	slices.Sort(ids) // numbered in insertion order, which is ord's
	return ids, nil
}
