package store

// Group commit for SQLite.
//
// SQLite has one writer: every write transaction runs on the single writer
// connection, one after another, and with synchronous=FULL each commit waits
// for an fsync of the WAL. Under load the writer spends most of its time in
// that fsync, so 64 patients saving at once queue behind each other's disk
// flushes (about 1,400 writes a second on the CI machine, whatever the CPU).
//
// The committer takes the write transactions that are waiting when it is
// free — never waiting for more to arrive, so a lone write is not delayed —
// and runs them in one transaction, each inside its own SAVEPOINT, with one
// commit and one fsync for all. A write whose function fails is rolled back
// to its savepoint and gets its own error; the others are unaffected. Each
// caller is answered only after the shared commit has succeeded, so "nil
// error means on disk" still holds. If the transaction as a whole fails (a
// commit error, an interrupted statement that rolled everything back), every
// write not yet answered is run again in a transaction of its own and gets
// that result: one write's trouble never fails another.
//
// PostgreSQL does not need this: its backends write in parallel and the
// server already flushes concurrent commits together.

import (
	"context"
	"database/sql"
	"fmt"
	"runtime/debug"
)

// maxBatch bounds the writes in one transaction, so that one batch's commit
// never holds the writer (and the callers' answers) for long.
const maxBatch = 64

type writeJob struct {
	ctx  context.Context
	fn   func(*sql.Tx) error
	done chan error // buffered: the committer never blocks on an answer
}

type committer struct {
	db *sql.DB
	q  *batchQueue[*writeJob]
}

func newCommitter(db *sql.DB) *committer {
	c := &committer{db: db}
	c.q = newBatchQueue(maxBatch, c.commit, func(j *writeJob) { j.done <- errClosed })
	return c
}

// do runs fn in a write transaction and returns once it has committed (nil)
// or failed. It waits for the answer even if ctx ends meanwhile: a write that
// has begun is either committed or not, and the caller must know which.
func (c *committer) do(ctx context.Context, fn func(*sql.Tx) error) error {
	j := &writeJob{ctx: ctx, fn: fn, done: make(chan error, 1)}
	if err := c.q.put(ctx, j); err != nil {
		return err
	}
	return <-j.done
}

// close stops the committer after the batch in hand; writes still waiting
// to be taken get errClosed.
func (c *committer) close() { c.q.close() }

// commit runs batch in one transaction and answers every job.
func (c *committer) commit(batch []*writeJob) {
	live := make([]*writeJob, 0, len(batch))
	for _, j := range batch {
		if err := j.ctx.Err(); err != nil {
			j.done <- err // gone before it began: nothing written
			continue
		}
		live = append(live, j)
	}
	switch len(live) {
	case 0:
		return
	case 1:
		live[0].done <- c.alone(live[0])
		return
	}

	tx, err := c.db.BeginTx(context.Background(), nil)
	if err != nil {
		for _, j := range live {
			j.done <- err
		}
		return
	}
	ok := make([]*writeJob, 0, len(live))
	for i, j := range live {
		if _, err := tx.Exec("SAVEPOINT w"); err != nil {
			_ = tx.Rollback()
			c.each(append(ok, live[i:]...))
			return
		}
		if err := call(j.fn, tx); err != nil {
			if _, rerr := tx.Exec("ROLLBACK TO w"); rerr != nil {
				// The transaction itself is gone (SQLite rolls everything
				// back on some errors): run what is left one by one.
				_ = tx.Rollback()
				c.each(append(ok, live[i:]...))
				return
			}
			_, _ = tx.Exec("RELEASE w")
			j.done <- err
			continue
		}
		if _, err := tx.Exec("RELEASE w"); err != nil {
			_ = tx.Rollback()
			c.each(append(ok, live[i:]...))
			return
		}
		ok = append(ok, j)
	}
	if err := tx.Commit(); err != nil {
		c.each(ok)
		return
	}
	for _, j := range ok {
		j.done <- nil
	}
}

// each runs every job in a transaction of its own and answers it.
func (c *committer) each(jobs []*writeJob) {
	for _, j := range jobs {
		if err := j.ctx.Err(); err != nil {
			j.done <- err
			continue
		}
		j.done <- c.alone(j)
	}
}

// alone runs one job in its own transaction.
func (c *committer) alone(j *writeJob) error {
	tx, err := c.db.BeginTx(context.Background(), nil)
	if err != nil {
		return err
	}
	if err := call(j.fn, tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// call runs fn, turning a panic into an error: fn runs on the committer's
// goroutine, where a panic would otherwise end the whole server rather than
// one request (net/http recovers a handler's panic, not ours).
func call(fn func(*sql.Tx) error, tx *sql.Tx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("store: write panicked: %v\n%s", r, debug.Stack())
		}
	}()
	return fn(tx)
}
