package main

import (
	"context"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/testenv"
)

// TestScreenshots runs the command on two pages — a public one as a
// visitor and an app page as a signed-in patient — and checks that each
// PNG is there, decodes, and is 360 px wide. Like the browser tests in
// e2e/, it skips without /usr/bin/chromium, unless CI=true, where it fails.
func TestScreenshots(t *testing.T) {
	const chromium = "/usr/bin/chromium"
	info, err := os.Stat(chromium)
	testenv.Need(t, err == nil && !info.IsDir() && info.Mode()&0o111 != 0, "%s is not installed", chromium)
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var log strings.Builder
	want := []string{"da-public-home", "en-app-i-dag-patient-12w"}
	err = run(ctx, []string{"-o", dir, "-chromium", chromium, "-match", "^(" + strings.Join(want, "|") + ")$"}, io.Discard, &log)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, log.String())
	}
	for _, name := range want {
		f, err := os.Open(filepath.Join(dir, name+".png"))
		if err != nil {
			t.Errorf("%v\n%s", err, log.String())
			continue
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Errorf("%s.png: %v", name, err)
			continue
		}
		// A full page: 360 px wide, taller than the screen.
		if b := img.Bounds(); b.Dx() != 360 || b.Dy() <= 780 {
			t.Errorf("%s.png is %d × %d px, want 360 px wide and taller than 780", name, b.Dx(), b.Dy())
		}
	}
	index, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil || !strings.Contains(string(index), `src="da-public-home.png"`) {
		t.Errorf("index.html does not show the shots (%v):\n%s", err, index)
	}
}

// TestPlan: every shot has a unique name of the documented form, and the
// route table's patient pages are all planned for the patient 12 weeks in.
func TestPlan(t *testing.T) {
	ps := []*patient{{Key: "patient-12w", Login: "x", DiaryID: 7}, {Key: "patient-new", Login: "y"}}
	public := []string{"/", "/en/", "/blog/x", "/en/blog/x", "/program/p", "/program/p/traening", "/gang", "/en/gang", notFoundPath, "/en" + notFoundPath}
	seen := map[string]bool{}
	for _, s := range plan(public, ps) {
		if seen[s.Name] {
			t.Errorf("two shots named %s", s.Name)
		}
		seen[s.Name] = true
		if !strings.HasPrefix(s.Name, s.Lang+"-public-") && !strings.HasPrefix(s.Name, s.Lang+"-app-") {
			t.Errorf("%s: not LANG-KIND-…", s.Name)
		}
		if strings.Contains(s.Path, "{") {
			t.Errorf("%s: %s has a pattern left", s.Name, s.Path)
		}
	}
	for _, name := range []string{"da-public-home", "en-public-home", "en-public-blog-x", "da-public-404", "en-public-404",
		"da-public-program-p-traening-running", "en-public-gang-finished", "da-app-konto-log-ind", "en-app-konto-log-ind-error",
		"da-app-i-dag-patient-12w", "en-app-dagbog-rediger-patient-12w", "da-app-fremskridt-patient-new", "da-public-gang-patient-12w"} {
		if !seen[name] {
			t.Errorf("no shot %s", name)
		}
	}
	if seen["da-app-dagbog-rediger-patient-new"] {
		t.Error("a diary entry's page planned for a patient without entries")
	}
}
