package store

// batchQueue is what the SQLite committer (commit.go) and the PostgreSQL
// diary batcher (diary_batch.go) share: callers hand in jobs, and one
// goroutine takes the jobs waiting when it is free — up to max, never
// waiting for more, so a lone job goes at once — and hands them to flush
// as one batch. Every job is answered by flush, or by refuse once the queue
// is closed; the caller waits for its job's own answer.

import (
	"context"
	"errors"
	"sync"
)

var errClosed = errors.New("store: closed")

type batchQueue[J any] struct {
	jobs   chan J // the jobs waiting to be taken
	stop   chan struct{}
	wg     sync.WaitGroup
	flush  func([]J) // answers every job of the batch
	refuse func(J)   // answers a job the closed queue will not run

	// mu guards closed: put sends under the read lock, close sets closed
	// under the write lock, so no job enters jobs once it is set.
	mu     sync.RWMutex
	closed bool
}

func newBatchQueue[J any](max int, flush func([]J), refuse func(J)) *batchQueue[J] {
	q := &batchQueue[J]{jobs: make(chan J, max), stop: make(chan struct{}), flush: flush, refuse: refuse}
	q.wg.Add(1)
	go q.run(max)
	return q
}

// put hands j in. An error means j was not taken (and will not be
// answered): the queue is closed or ctx ended first.
func (q *batchQueue[J]) put(ctx context.Context, j J) error {
	q.mu.RLock()
	defer q.mu.RUnlock()
	if q.closed {
		return errClosed
	}
	select {
	case q.jobs <- j:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// close stops the queue after the batch in hand; jobs still waiting to be
// taken are refused.
func (q *batchQueue[J]) close() {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return
	}
	q.closed = true
	q.mu.Unlock()
	close(q.stop)
	q.wg.Wait()
}

func (q *batchQueue[J]) run(max int) {
	defer q.wg.Done()
	batch := make([]J, 0, max)
	for {
		select {
		case j := <-q.jobs:
			batch = append(batch[:0], j)
		case <-q.stop:
			for {
				select {
				case j := <-q.jobs:
					q.refuse(j)
				default:
					return
				}
			}
		}
	fill:
		for len(batch) < max {
			select {
			case j := <-q.jobs:
				batch = append(batch, j)
			default:
				break fill
			}
		}
		q.flush(batch)
		clear(batch) // let the jobs go
	}
}
