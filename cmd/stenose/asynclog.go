package main

import (
	"bufio"
	"io"
	"sync"
	"time"
)

// asyncWriter buffers log lines and writes them out every 100 ms (and on
// Close), so the access log costs a request a memory copy, not a system call.
type asyncWriter struct {
	mu   sync.Mutex
	w    *bufio.Writer
	done chan struct{}
	wg   sync.WaitGroup
}

func newAsyncWriter(w io.Writer) *asyncWriter {
	a := &asyncWriter{w: bufio.NewWriterSize(w, 64<<10), done: make(chan struct{})}
	a.wg.Go(func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				a.flush()
			case <-a.done:
				a.flush()
				return
			}
		}
	})
	return a
}

func (a *asyncWriter) Write(p []byte) (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.w.Write(p)
}

func (a *asyncWriter) flush() {
	a.mu.Lock()
	_ = a.w.Flush()
	a.mu.Unlock()
}

// Close writes out what is buffered and stops the flusher.
func (a *asyncWriter) Close() error {
	close(a.done)
	a.wg.Wait()
	return nil
}
