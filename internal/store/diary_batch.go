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
// sorted, belong to the entries inserted, in batch order. If the statement
// fails (one entry's user was deleted meanwhile, say), every entry is
// inserted again on its own and gets its own answer: one entry's trouble
// never fails another.
//
// Entries with a client id are stored once per (user, client id), as
// AddDiaryEntryOnce stores them one at a time: a repeat within the batch
// (a double tap, two instances' retries) goes in once and the others get
// its answer; the INSERT skips (ON CONFLICT … DO NOTHING) an entry stored
// already, which is then read back and answered as found. What is not a
// plain repeat — the same client id saying something else, an entry
// deleted between the insert and the look-up — is left for the one-by-one
// path after the batch, which sorts it out as AddDiaryEntryOnce does.
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
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// maxDiaryBatch bounds the rows of one INSERT (11 parameters each).
const maxDiaryBatch = 64

// diaryFlushTimeout bounds one batch's statement: the batch runs on no
// caller's context (one caller going away must not cancel the others').
const diaryFlushTimeout = 30 * time.Second

type diaryJob struct {
	ctx   context.Context
	e     DiaryEntry
	anyAt bool // e.At was not given (AddDiaryEntryOnce)
	// done is buffered; e (the entry as stored) and created are set before
	// nil is sent.
	done    chan error
	created bool
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

// add inserts e (checked and stamped by the caller) unless it is a repeat
// (AddDiaryEntryOnce), and returns the entry as stored, with its ID, once
// committed, and whether this call stored it.
func (b *diaryBatcher) add(ctx context.Context, e DiaryEntry, anyAt bool) (DiaryEntry, bool, error) {
	j := &diaryJob{ctx: ctx, e: e, anyAt: anyAt, done: make(chan error, 1)}
	if err := b.q.put(ctx, j); err != nil {
		return DiaryEntry{}, false, err
	}
	if err := <-j.done; err != nil {
		return DiaryEntry{}, false, err
	}
	return j.e, j.created, nil
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
		var ans []diaryAnswer
		var err error
		var pe *pgconn.PgError
		if b.s.deriver.Load() != nil {
			ans, err = b.insertDerived(ctx, live)
		} else {
			ans, err = b.insertMany(ctx, b.s.w, live)
		}
		cancel()
		var ambiguous *commitError
		switch {
		case err == nil:
			b.multi.Add(1)
			left := live[:0:0]
			for i, j := range live {
				if !ans[i].ok {
					left = append(left, j)
					continue
				}
				j.e, j.created = ans[i].e, ans[i].created
				j.done <- nil
			}
			live = left
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
	for _, j := range live { // one, the batch failed, or what the batch left: each on its own
		if err := j.ctx.Err(); err != nil {
			j.done <- err
			continue
		}
		j.done <- b.insertOne(j)
	}
}

// insertOne inserts j's entry on its own unless it is a repeat, derived in
// its transaction when a Deriver is installed.
func (b *diaryBatcher) insertOne(j *diaryJob) (err error) {
	if b.s.deriver.Load() == nil {
		j.e, j.created, err = b.s.insertDiaryOnce(j.ctx, b.s.w, j.e, j.anyAt)
		return err
	}
	tx, err := b.s.w.BeginTx(j.ctx, nil)
	if err != nil {
		return err
	}
	e, created, err := b.s.insertDiaryOnce(j.ctx, tx, j.e, j.anyAt)
	if err == nil && created {
		err = b.s.derive(j.ctx, tx, e.UserID)
	}
	if err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	j.e, j.created = e, created
	return nil
}

// commitError is a batch's failed COMMIT: whether it took effect is not
// known.
type commitError struct{ err error }

func (e *commitError) Error() string { return e.err.Error() }
func (e *commitError) Unwrap() error { return e.err }

// insertDerived inserts the jobs' entries in one statement (insertMany)
// and derives each of their patients once, in one transaction: the
// clinic's alerts and list line change with the entries, as for a lone
// entry (writePatient). An error before the commit rolled everything back;
// a failed commit is a *commitError.
func (b *diaryBatcher) insertDerived(ctx context.Context, jobs []*diaryJob) ([]diaryAnswer, error) {
	tx, err := b.s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	ans, err := b.insertMany(ctx, tx, jobs)
	if err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	seen := make(map[int64]bool, len(jobs))
	var users []int64
	for i, j := range jobs {
		if !seen[j.e.UserID] && ans[i].created {
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
	return ans, nil
}

// diaryKey is an entry's (user, client id).
type diaryKey struct {
	user   int64
	client string
}

// diaryAnswer is what a batch answers one job, once it has committed: the
// entry as stored and whether the batch stored it; ok is false for a job
// the batch could not answer.
type diaryAnswer struct {
	e           DiaryEntry
	created, ok bool
}

// insertMany inserts the jobs' entries in one statement, each repeated
// (user, client id) once and none stored already, and returns each job's
// answer. It leaves unanswered (ok false), to be inserted one by one after
// the batch, an entry under a client id stored (or sent earlier in the
// batch) with something else written in it, and one stored and gone again
// before it was read back.
func (b *diaryBatcher) insertMany(ctx context.Context, q querier, jobs []*diaryJob) ([]diaryAnswer, error) {
	ans := make([]diaryAnswer, len(jobs))
	// The first job of each client id goes in the INSERT; a later one is
	// its repeat.
	first := make(map[diaryKey]int, len(jobs))
	var rows, repeats []int // indexes in jobs
	for i, j := range jobs {
		if j.e.ClientID != "" {
			k := diaryKey{j.e.UserID, j.e.ClientID}
			if _, ok := first[k]; ok {
				repeats = append(repeats, i)
				continue
			}
			first[k] = i
		}
		rows = append(rows, i)
	}

	var sb strings.Builder
	sb.WriteString(`INSERT INTO diary_entries (user_id, client_id, at, leg_pain, back_pain, tingling, burning, weakness, note, created_at, updated_at)
		SELECT user_id, client_id, at, leg_pain, back_pain, tingling, burning, weakness, note, created_at, updated_at FROM (VALUES `)
	args := make([]any, 0, 11*len(rows))
	for n, i := range rows {
		if n > 0 {
			sb.WriteString(", ")
		}
		k := len(args)
		p := func(c int, typ string) string { return "$" + strconv.Itoa(k+c) + "::" + typ }
		sb.WriteString("(" + strconv.Itoa(n) + ", " + p(1, "bigint") + ", " + p(2, "text") + ", " + p(3, "bigint") + ", " +
			p(4, "smallint") + ", " + p(5, "smallint") + ", " + p(6, "boolean") + ", " + p(7, "boolean") + ", " +
			p(8, "boolean") + ", " + p(9, "text") + ", " + p(10, "bigint") + ", " + p(11, "bigint") + ")")
		e := jobs[i].e
		args = append(args, e.UserID, nullText(e.ClientID), e.At.Unix(), e.LegPain, e.BackPain, e.Tingling, e.Burning, e.Weakness, e.Note,
			e.CreatedAt.Unix(), e.UpdatedAt.Unix())
	}
	sb.WriteString(`) AS v (ord, user_id, client_id, at, leg_pain, back_pain, tingling, burning, weakness, note, created_at, updated_at)
		ORDER BY ord
		ON CONFLICT (user_id, client_id) WHERE client_id IS NOT NULL DO NOTHING
		RETURNING id, user_id, client_id`)
	type made struct {
		id, user int64
		client   sql.NullString
	}
	res, err := q.QueryContext(ctx, sb.String(), args...)
	if err != nil {
		return nil, err
	}
	got, err := collect(res, func(r scanner) (m made, err error) {
		err = r.Scan(&m.id, &m.user, &m.client)
		return m, err
	})
	if err != nil {
		return nil, err
	}
	// Numbered in insertion order, which is ord's: the rows made, by id,
	// are the jobs inserted, in order; a job with a client id that is not
	// the next one was stored already (the INSERT skipped it).
	slices.SortFunc(got, func(a, b made) int { return cmp.Compare(a.id, b.id) })
	var stored []int
	for _, i := range rows {
		e := jobs[i].e
		if len(got) > 0 && got[0].user == e.UserID && got[0].client.String == e.ClientID {
			e.ID = got[0].id
			ans[i] = diaryAnswer{e: e, created: true, ok: true}
			got = got[1:]
			continue
		}
		if e.ClientID == "" {
			return nil, errorf(EINTERNAL, "", "diary batch: no row made for an entry of user %d without a client id", e.UserID)
		}
		stored = append(stored, i)
	}
	if len(got) > 0 {
		return nil, errorf(EINTERNAL, "", "diary batch: %d rows made for no entry", len(got))
	}

	// Stored already: read back, and answered when it is a repeat.
	if len(stored) > 0 {
		var where strings.Builder
		args := make([]any, 0, 2*len(stored))
		for n, i := range stored {
			if n > 0 {
				where.WriteString(" OR ")
			}
			where.WriteString("(user_id = $" + strconv.Itoa(2*n+1) + " AND client_id = $" + strconv.Itoa(2*n+2) + ")")
			args = append(args, jobs[i].e.UserID, jobs[i].e.ClientID)
		}
		rs, err := q.QueryContext(ctx, `SELECT `+diaryColumns+` FROM diary_entries WHERE `+where.String(), args...)
		if err != nil {
			return nil, err
		}
		found, err := collect(rs, scanDiary)
		if err != nil {
			return nil, err
		}
		byKey := make(map[diaryKey]DiaryEntry, len(found))
		for _, e := range found {
			byKey[diaryKey{e.UserID, e.ClientID}] = e
		}
		for _, i := range stored {
			j := jobs[i]
			if e, ok := byKey[diaryKey{j.e.UserID, j.e.ClientID}]; ok && sameDiary(e, j.e, j.anyAt) {
				ans[i] = diaryAnswer{e: e, ok: true}
			}
		}
	}
	// A repeat within the batch gets the answer of the first job of its
	// client id, when that one was answered and says the same.
	for _, i := range repeats {
		j := jobs[i]
		if f := ans[first[diaryKey{j.e.UserID, j.e.ClientID}]]; f.ok && sameDiary(f.e, j.e, j.anyAt) {
			ans[i] = diaryAnswer{e: f.e, ok: true}
		}
	}
	return ans, nil
}
