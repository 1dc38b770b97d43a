// Package testenv is how every test suite reads its environment: whether it
// runs in CI, where a missing tool or service fails the test, and the one
// way to skip (locally) or fail (in CI) when something is missing.
//
// CI is read with strconv.ParseBool, so "true", "1", "TRUE" and "T" all
// mean CI; "", "0" and "false" mean a developer's machine.
package testenv

import (
	"fmt"
	"os"
	"strconv"
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
