package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestNewThenCheck: `stenose new article` and `new author` on a copy of
// the built-in content write files that `stenose check` passes as they
// are, with no warning; a taken slug exits 1 and says so.
func TestNewThenCheck(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "content")
	if err := os.CopyFS(dir, os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
	defer func(c func() time.Time) { newClock = c }(newClock)
	newClock = func() time.Time { return time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC) }

	for _, args := range [][]string{
		{"new", "author", "mette-berg", "--content", dir},
		{"new", "article", "min-foerste-artikel", "--content", dir},
		{"new", "--content", dir, "--author", "mette-berg", "article", "mettes-artikel"},
	} {
		if code, out, errs := runCmd(t, args...); code != 0 || !strings.HasSuffix(strings.TrimSpace(out), ".md") {
			t.Fatalf("%v: exit %d, %q %q", args, code, out, errs)
		}
	}
	src, err := os.ReadFile(filepath.Join(dir, "blog", "min-foerste-artikel.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"datePublished: 06-12-2026\n", "author: anders-hammer\n", "\n## "} {
		if !strings.Contains(string(src), want) {
			t.Errorf("the new article lacks %q:\n%s", want, src)
		}
	}
	code, out, errs := runCmd(t, "check", dir)
	if code != 0 || out != "" || !strings.Contains(errs, "3 articles, 2 authors") || !strings.Contains(errs, "0 errors, 0 warnings") {
		t.Fatalf("check: exit %d, %q %q", code, out, errs)
	}
	if code, _, errs := runCmd(t, "new", "article", "min-foerste-artikel", "--content", dir); code != 1 || !strings.Contains(errs, "is taken") {
		t.Errorf("taken slug: exit %d, %q", code, errs)
	}
	if code, _, _ := runCmd(t, "new", "article"); code != 2 {
		t.Errorf("no slug: exit %d, want 2", code)
	}
}

// TestServeWatchNeedsFolder: --watch without --content is a usage error,
// said before anything listens.
func TestServeWatchNeedsFolder(t *testing.T) {
	code, _, errs := runCmd(t, "serve", "--watch", "--addr", "127.0.0.1:0")
	if code != 2 || !strings.Contains(errs, "--watch needs the folder to watch: --content DIR") {
		t.Errorf("exit %d, %q", code, errs)
	}
}
