package testenv

import (
	"errors"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
)

func TestInCI(t *testing.T) {
	for _, tc := range []struct {
		val  string
		want bool
	}{
		{"", false}, {"0", false}, {"false", false}, {"no", false},
		{"true", true}, {"1", true}, {"TRUE", true}, {"True", true}, {"t", true},
	} {
		t.Setenv("CI", tc.val)
		if got := InCI(); got != tc.want {
			t.Errorf("CI=%q: InCI() = %v, want %v", tc.val, got, tc.want)
		}
	}
}

// TestNeed runs Need in a subtest that must skip (no CI) or fail (CI) and
// checks which it did.
func TestNeed(t *testing.T) {
	for _, ci := range []string{"", "true"} {
		t.Setenv("CI", ci)
		var ft fakeT
		func() {
			defer func() { recover() }() // SkipNow/FailNow stop via runtime.Goexit in a real T; ours panics
			Need(&ft, false, "missing %s", "thing")
		}()
		if ci == "" && (!ft.skipped || ft.failed) {
			t.Errorf("CI unset: skipped %v failed %v, want a skip", ft.skipped, ft.failed)
		}
		if ci == "true" && (!ft.failed || ft.skipped) {
			t.Errorf("CI=true: skipped %v failed %v, want a failure", ft.skipped, ft.failed)
		}
		ft = fakeT{}
		Need(&ft, true, "present")
		if ft.skipped || ft.failed {
			t.Errorf("ok=true: skipped %v failed %v", ft.skipped, ft.failed)
		}
	}
}

type fakeT struct {
	testing.TB
	skipped, failed bool
}

func (f *fakeT) Helper()               {}
func (f *fakeT) Skipf(string, ...any)  { f.skipped = true; panic("skip") }
func (f *fakeT) Fatalf(string, ...any) { f.failed = true; panic("fail") }

func TestRepoRoot(t *testing.T) {
	r := RepoRoot(t)
	if _, err := os.Stat(filepath.Join(r, "go.mod")); err != nil {
		t.Fatalf("RepoRoot %q holds no go.mod: %v", r, err)
	}
	if _, err := os.Stat(filepath.Join(r, "internal", "testenv", "testenv.go")); err != nil {
		t.Errorf("RepoRoot %q is not this repository: %v", r, err)
	}
}

func TestOnCores(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 1000} {
		seen := make([]atomic.Int32, n)
		if err := OnCores(n, func(i int) error { seen[i].Add(1); return nil }); err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		for i := range seen {
			if got := seen[i].Load(); got != 1 {
				t.Errorf("n=%d: item %d done %d times, want once", n, i, got)
			}
		}
	}
	boom := errors.New("boom")
	if err := OnCores(100, func(i int) error {
		if i == 42 {
			return boom
		}
		return nil
	}); !errors.Is(err, boom) {
		t.Errorf("OnCores = %v, want the work's error", err)
	}
}
