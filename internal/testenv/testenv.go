// Package testenv is how every test suite reads its environment: whether it
// runs in CI, where a missing tool or service fails the test, and the one
// way to skip (locally) or fail (in CI) when something is missing.
//
// CI is read with strconv.ParseBool, so "true", "1", "TRUE" and "T" all
// mean CI; "", "0" and "false" mean a developer's machine.
package testenv

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
)

// InCI reports whether the tests run in CI (the CI environment variable
// parses as true), where a missing tool is a failure, never a reason to
// skip.
func InCI() bool {
	ci, _ := strconv.ParseBool(os.Getenv("CI"))
	return ci
}

// Need returns when ok; otherwise it skips the test, or fails it under CI.
// The message says what is missing; Need adds what to do about it.
func Need(t testing.TB, ok bool, format string, args ...any) {
	t.Helper()
	if ok {
		return
	}
	msg := fmt.Sprintf(format, args...)
	if InCI() {
		t.Fatalf("%s (CI: a missing tool or service is a failure here; .ci/run installs and starts them)", msg)
	}
	t.Skipf("%s; skipped (run `bash .ci/run`, or install it, to run this test)", msg)
}

// RepoRoot is the folder holding go.mod, found by walking up from the
// test's working directory (a package's folder): where node_modules, the
// docs and the content are.
func RepoRoot(t testing.TB) string {
	t.Helper()
	root.once.Do(func() {
		dir, err := os.Getwd()
		if err != nil {
			root.err = err
			return
		}
		for {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				root.dir = dir
				return
			}
			up := filepath.Dir(dir)
			if up == dir {
				root.err = errors.New("no go.mod above the test's folder")
				return
			}
			dir = up
		}
	})
	if root.err != nil {
		t.Fatalf("finding the repository's root: %v", root.err)
	}
	return root.dir
}

var root struct {
	once sync.Once
	dir  string
	err  error
}

// OnCores calls do(i) for i from 0 to n-1 on one worker per core
// (GOMAXPROCS), the way the build spreads its work, and returns the first
// error: for benchmarks that time a whole folder's worth of one kind of
// work.
func OnCores(n int, do func(i int) error) error {
	var (
		next  atomic.Int64
		wg    sync.WaitGroup
		first error
		once  sync.Once
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(n); i = next.Add(1) - 1 {
				if err := do(int(i)); err != nil {
					once.Do(func() { first = err })
					return
				}
			}
		})
	}
	wg.Wait()
	return first
}
